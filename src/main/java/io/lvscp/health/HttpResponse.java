package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An HTTP/1.x response read a piece at a time (pure): status line, headers, and the
 * body as far as {@code Content-Length}, chunked encoding or the end of the stream
 * say. Bytes past {@link #MAX_BYTES} count as garbage.
 */
final class HttpResponse {

    static final int MAX_BYTES = 4 << 20;
    private static final byte[] PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[1024];
    private int len;
    private int status = -1;
    private int bodyStart = -1;
    private long contentLength = -1;
    private boolean chunked;
    private String garbage;

    /** Adds bytes read from the connection. */
    void feed(byte[] b, int off, int n) {
        if (garbage != null) {
            return;
        }
        if (len + n > MAX_BYTES) {
            garbage = "response larger than " + MAX_BYTES + " bytes";
            return;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
        parse();
    }

    private void parse() {
        int check = Math.min(len, PREFIX.length);
        for (int i = 0; i < check; i++) {
            if (buf[i] != PREFIX[i]) {
                garbage = "not an HTTP response: " + printable(Math.min(len, 40));
                return;
            }
        }
        if (status < 0) {
            int eol = indexOf((byte) '\n', 0);
            if (eol < 0) {
                if (len > 8192) {
                    garbage = "status line longer than 8192 bytes";
                }
                return;
            }
            // HTTP/1.1 200 OK
            int end = eol > 0 && buf[eol - 1] == '\r' ? eol - 1 : eol;
            if (end < 12 || !digit(5) || buf[6] != '.' || !digit(7) || buf[8] != ' ' || !digit(9) || !digit(10) || !digit(11)
                    || (end > 12 && buf[12] != ' ')) {
                garbage = "not an HTTP status line: " + printable(Math.min(eol, 60));
                return;
            }
            status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
        }
        if (bodyStart < 0) {
            int end = headerEnd();
            if (end < 0) {
                if (len > 65536) {
                    garbage = "headers longer than 65536 bytes";
                }
                return;
            }
            bodyStart = end;
            int lineStart = indexOf((byte) '\n', 0) + 1;
            while (lineStart < end) {
                int lineEnd = indexOf((byte) '\n', lineStart);
                if (lineEnd < 0 || lineEnd >= end) {
                    break;
                }
                int from = lineStart;
                lineStart = lineEnd + 1;
                // only the two headers that matter are turned into strings
                byte first = (byte) (buf[from] | 0x20);
                if (first != 'c' && first != 't') {
                    continue;
                }
                String h = new String(buf, from, lineEnd - from, StandardCharsets.ISO_8859_1);
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        garbage = "bad Content-Length: " + value;
                        return;
                    }
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
        }
    }

    private boolean digit(int i) {
        return buf[i] >= '0' && buf[i] <= '9';
    }

    private int headerEnd() {
        for (int i = 0; i + 1 < len; i++) {
            if (buf[i] == '\n') {
                if (buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < len; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private String printable(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = buf[i] & 0xff;
            sb.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        return sb.toString();
    }

    String garbage() {
        return garbage;
    }

    boolean headersComplete() {
        return bodyStart >= 0;
    }

    int status() {
        return status;
    }

    /** The whole body has arrived (by Content-Length or the last chunk); without either, only the end of stream says so. */
    boolean complete() {
        if (garbage != null || bodyStart < 0) {
            return garbage != null;
        }
        if (chunked) {
            return dechunk() != null;
        }
        return contentLength >= 0 && len - bodyStart >= contentLength;
    }

    /** The body, or null if it is not complete (chunked) or malformed. */
    byte[] body() {
        if (bodyStart < 0) {
            return null;
        }
        if (chunked) {
            return dechunk();
        }
        int n = contentLength >= 0 ? (int) Math.min(contentLength, len - bodyStart) : len - bodyStart;
        return Arrays.copyOfRange(buf, bodyStart, bodyStart + n);
    }

    private byte[] dechunk() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int p = bodyStart;
        while (true) {
            int eol = indexOf((byte) '\n', p);
            if (eol < 0) {
                return null;
            }
            String sizeLine = new String(buf, p, eol - p, StandardCharsets.ISO_8859_1).strip();
            int semi = sizeLine.indexOf(';');
            if (semi >= 0) {
                sizeLine = sizeLine.substring(0, semi);
            }
            int size;
            try {
                size = Integer.parseInt(sizeLine, 16);
            } catch (NumberFormatException e) {
                return null;
            }
            p = eol + 1;
            if (size == 0) {
                return out.toByteArray();
            }
            if (p + size > len) {
                return null;
            }
            out.write(buf, p, size);
            p += size;
            // CRLF after the chunk
            if (p < len && buf[p] == '\r') {
                p++;
            }
            if (p < len && buf[p] == '\n') {
                p++;
            }
        }
    }

    /**
     * The verdict once reading has stopped.
     *
     * @param eof the server closed the connection
     */
    CheckResult verdict(CheckDefinition def, boolean eof, long durationNanos) {
        if (garbage != null) {
            return CheckResult.fail(Reason.GARBAGE, garbage, durationNanos);
        }
        if (status < 0 || bodyStart < 0) {
            String what = len == 0 ? "connection closed without a response" : "connection closed in the headers";
            return CheckResult.fail(len == 0 ? Reason.RESET : Reason.GARBAGE, what, durationNanos);
        }
        if (!def.statusCodes().contains(status)) {
            return CheckResult.fail(Reason.BAD_STATUS, "status " + status + ", expected " + def.statusCodes(), durationNanos);
        }
        if (def.digest() != null) {
            byte[] body = body();
            if (body == null || (!eof && !complete())) {
                return CheckResult.fail(Reason.GARBAGE, "incomplete body", durationNanos);
            }
            String md5 = md5(body);
            if (!md5.equalsIgnoreCase(def.digest())) {
                return CheckResult.fail(Reason.DIGEST_MISMATCH, "body MD5 " + md5 + ", expected " + def.digest(), durationNanos);
            }
        }
        return CheckResult.ok(durationNanos);
    }

    /** Whether reading can stop: the verdict cannot change with more bytes. */
    boolean decided(CheckDefinition def) {
        if (garbage != null) {
            return true;
        }
        if (!headersComplete()) {
            return false;
        }
        if (def.digest() == null || !def.statusCodes().contains(status)) {
            return true;
        }
        return complete();
    }

    static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request keepalived sends: HTTP/1.0, one request per connection. */
    static byte[] request(CheckDefinition def) {
        String host = def.virtualhost() != null ? def.virtualhost()
                : (def.address().indexOf(':') >= 0 ? "[" + def.address() + "]" : def.address()) + ":" + def.port();
        return ("GET " + def.path() + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: lvscp-healthcheck\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
