package io.lvscp.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers (a request it rejects before any servlet sees it: an encoded
 * {@code /} or a NUL in the path, a request line or headers over the size limit, a bad URI) as
 * RFC 9457 problems instead of Tomcat's HTML page. Errors the application answers itself go
 * through {@code /error} ({@link ProblemErrorController}); this valve only writes when nothing else did.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400 ? "the request was refused before it reached the service: an encoded '/' or a NUL in the path,"
                + " a malformed URI, or a request line or headers over the size limit (see docs/api.md, Limits); nothing was done"
                : status == 414 || status == 431 || status == 413
                        ? "the request line or headers are too large (see docs/api.md, Limits): nothing was done"
                        : status >= 500 ? "the request failed inside the service; nothing was written (see the service log)" : title;
        String type = status == 400 ? "invalid-request" : status == 414 || status == 431 || status == 413 ? "too-large"
                : status >= 500 ? "internal-error" : "error";
        String json = "{\"type\":\"" + ProblemDetailsAdvice.TYPE_PREFIX + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // nothing more can be said to this client
        }
    }
}
