package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * {@code lvs.importer.*}: how large a keepalived.conf import may be.
 *
 * @param maxSize the largest import request: a text body, or a multipart body with all its files
 *                together (also the multipart limits, spring.servlet.multipart.*); larger is a 413
 *                problem and nothing is read further or written
 */
@ConfigurationProperties("lvs.importer")
public record ImportLimits(@DefaultValue("4MB") DataSize maxSize) {

    /** The text body of an import, read up to the limit (a 413 beyond it, checked on Content-Length first). */
    String readText(HttpServletRequest request) throws IOException {
        long max = maxSize.toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw tooLarge(-1);
        }
        Charset charset = StandardCharsets.UTF_8;
        if (request.getCharacterEncoding() != null) {
            try {
                charset = Charset.forName(request.getCharacterEncoding());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("Content-Type", "names an unknown charset", request.getCharacterEncoding());
            }
        }
        return new String(body, charset);
    }

    ApiException tooLarge(long size) {
        String reason = (size >= 0 ? "is " + size + " bytes; " : "") + "an import may be at most " + maxSize.toBytes() + " bytes ("
                + maxSize + ", lvs.importer.max-size)";
        return new ApiException(HttpStatus.valueOf(413), "too-large", "Request too large", "body: " + reason + "; nothing was written",
                List.of(new FieldError("body", reason)));
    }
}
