package io.lvscp.common;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a scrape: a {@link ByteArrayOutputStream} (the Prometheus client's writers write into it) with
 * unsynchronised appends for {@link StreamedFamilies}, which write a series as two array copies and its value.
 */
public final class ExpositionBuffer extends ByteArrayOutputStream {

    public ExpositionBuffer(int size) {
        super(size);
    }

    /** Appends {@code b} whole. */
    public void put(byte[] b) {
        put(b, 0, b.length);
    }

    /** Appends {@code b[from..from+length)}. */
    public void put(byte[] b, int from, int length) {
        ensure(length);
        System.arraycopy(b, from, buf, count, length);
        count += length;
    }

    /**
     * One series: {@code name labels value\n}, the value as the Prometheus client's text writers write a double
     * ({@code Double.toString}: {@code 1.0}, {@code 1.2345678E7}; {@code +Inf}, {@code -Inf}, {@code NaN}).
     */
    public void sample(byte[] name, byte[] labels, double value) {
        ensure(name.length + labels.length + 28);
        byte[] a = buf;
        int p = count;
        System.arraycopy(name, 0, a, p, name.length);
        p += name.length;
        System.arraycopy(labels, 0, a, p, labels.length);
        p += labels.length;
        a[p++] = ' ';
        if (value >= 0 && value < 1e7 && value == (long) value && Double.doubleToRawLongBits(value) != Double.doubleToRawLongBits(-0.0)) {
            // Double.toString writes these as the integer and ".0"; no String for the common case
            p = digits(a, p, (long) value);
            a[p++] = '.';
            a[p++] = '0';
        } else {
            String s = value == Double.POSITIVE_INFINITY ? "+Inf" : value == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(value);
            for (int i = 0; i < s.length(); i++) {
                a[p++] = (byte) s.charAt(i);
            }
        }
        a[p++] = '\n';
        count = p;
    }

    /**
     * Writes the decimal digits of {@code value} (not negative) at {@code a[p]} and returns the index after them: the
     * digits are made from the right in the 20 bytes from {@code p} (room the caller ensured), then moved left, one
     * division per digit and no String.
     */
    public static int digits(byte[] a, int p, long value) {
        int end = p + 20;
        int q = end;
        long v = value;
        do {
            long d = v / 10;
            a[--q] = (byte) ('0' + (int) (v - d * 10));
            v = d;
        } while (v != 0);
        int n = end - q;
        System.arraycopy(a, q, a, p, n);
        return p + n;
    }

    /** Removes {@code tail} from the end (the OpenMetrics writer's {@code # EOF}); fails if it is not there. */
    public void dropTrailing(byte[] tail) {
        if (count < tail.length || !Arrays.equals(buf, count - tail.length, count, tail, 0, tail.length)) {
            throw new IllegalStateException("the output does not end with " + new String(tail, StandardCharsets.UTF_8).strip());
        }
        count -= tail.length;
    }

    private void ensure(int n) {
        if (count + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
        }
    }
}
