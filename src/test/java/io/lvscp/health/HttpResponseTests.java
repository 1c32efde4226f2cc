package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.health.CheckResult.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The response reader byte by byte, as a slow server would send it. */
class HttpResponseTests {

    static CheckDefinition def(String codes, String digest) {
        return new CheckDefinition(io.lvscp.common.CheckType.HTTP_GET, "127.0.0.1", 80, null, "/", StatusCodeSet.parse(codes), digest,
                null, false, null, Duration.ofSeconds(1), null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
    }

    static HttpResponse feedSlowly(String s) {
        HttpResponse r = new HttpResponse();
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            r.feed(b, i, 1);
        }
        return r;
    }

    @Test
    void statusLinesWithAndWithoutReason() {
        assertThat(feedSlowly("HTTP/1.1 204\r\n\r\n").verdict(def("204", null), false, 0).ok()).isTrue();
        assertThat(feedSlowly("HTTP/1.0 503 Service Unavailable\r\n\r\n").verdict(def("200", null), false, 0).reason())
                .isEqualTo(Reason.BAD_STATUS);
        assertThat(feedSlowly("HTTP/1.1 2000 OK\r\n\r\n").garbage()).startsWith("not an HTTP status line");
        assertThat(feedSlowly("http/1.1 200 OK\r\n\r\n").garbage()).startsWith("not an HTTP response");
        assertThat(feedSlowly("HTTX").garbage()).as("refused at the fourth byte").isNotNull();
    }

    @Test
    void theDigestWaitsForTheWholeBody() {
        String md5 = HttpResponse.md5("hello world".getBytes(StandardCharsets.UTF_8));
        CheckDefinition d = def("200", md5);
        HttpResponse partial = feedSlowly("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello");
        assertThat(partial.decided(d)).isFalse();
        assertThat(partial.decided(def("200", null))).as("without a digest the headers decide").isTrue();
        HttpResponse full = feedSlowly("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nhello world");
        assertThat(full.decided(d)).isTrue();
        assertThat(full.verdict(d, false, 0).ok()).isTrue();
        HttpResponse chunked = feedSlowly("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(chunked.decided(d)).isTrue();
        assertThat(chunked.verdict(d, false, 0).ok()).isTrue();
        HttpResponse wrong = feedSlowly("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhellx");
        assertThat(wrong.verdict(d, false, 0).reason()).isEqualTo(Reason.DIGEST_MISMATCH);
    }

    @Test
    void tooLargeIsGarbage() {
        HttpResponse r = new HttpResponse();
        byte[] big = new byte[HttpResponse.MAX_BYTES + 1];
        System.arraycopy("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, big, 0, 19);
        r.feed(big, 0, big.length);
        assertThat(r.verdict(def("200", "00000000000000000000000000000000"), true, 0).reason()).isEqualTo(Reason.GARBAGE);
    }

    @Test
    void theRequestIsHttp10WithHost() {
        assertThat(new String(HttpResponse.request(def("200", null)), StandardCharsets.ISO_8859_1))
                .startsWith("GET / HTTP/1.0\r\nHost: 127.0.0.1:80\r\n").endsWith("\r\n\r\n");
    }
}
