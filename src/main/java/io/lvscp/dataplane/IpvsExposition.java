package io.lvscp.dataplane;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.IpvsSeries;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.TableEntry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The IPVS series ({@link IpvsMetrics#NAMES}) written straight as exposition text, Prometheus text 0.0.4 or
 * OpenMetrics 1.0, the same families, names, labels, order and values as the Prometheus client's writers
 * produce from {@link IpvsMetrics}' snapshots (a test compares the two), without the snapshots: with 1,000 x 10
 * that is about 95,000 series, and the client's writer spends 1 to 2 µs on each (labels escaped and encoded
 * again on every scrape, values through {@code Double.toString}). Here each virtual and real server's label
 * block is encoded once, while it stays in the table, and a series costs two array copies and the digits of
 * its value. Counters are written as integers (the kernel's unsigned 64-bit counters exactly, where a double
 * rounds above 2^53). Pure: a table in, bytes out; not thread-safe.
 */
final class IpvsExposition {

    /** The two text formats; the protobuf format goes through the client's writer with {@link IpvsMetrics}' snapshots. */
    enum Format {
        PROMETHEUS_TEXT, OPENMETRICS
    }

    private enum Kind {
        VS, RS
    }

    /** One family: its name, type, help and unit as in {@link IpvsMetrics}, and what it reads. */
    private enum Family {
        VS_CONN("lvs_ipvs_virtual_server_connections", Kind.VS, true, false, "Connections the kernel scheduled for a virtual server", null),
        VS_PACKETS("lvs_ipvs_virtual_server_packets", Kind.VS, true, true, "Packets through a virtual server, by direction", null),
        VS_BYTES("lvs_ipvs_virtual_server_bytes", Kind.VS, true, true, "Bytes through a virtual server, by direction", "bytes"),
        RS_CONN("lvs_ipvs_real_server_connections", Kind.RS, true, false, "Connections the kernel scheduled to a real server", null),
        RS_PACKETS("lvs_ipvs_real_server_packets", Kind.RS, true, true, "Packets to and from a real server, by direction", null),
        RS_BYTES("lvs_ipvs_real_server_bytes", Kind.RS, true, true, "Bytes to and from a real server, by direction", "bytes"),
        ACTIVE("lvs_ipvs_real_server_active_connections", Kind.RS, false, false, "Active (established) connections of a real server", null),
        INACTIVE("lvs_ipvs_real_server_inactive_connections", Kind.RS, false, false, "Inactive connections of a real server", null),
        PERSISTENT("lvs_ipvs_real_server_persistent_connections", Kind.RS, false, false, "Persistence templates of a real server", null),
        WEIGHT("lvs_ipvs_real_server_weight", Kind.RS, false, false, "The real server's weight in the kernel (0: no new connections)", null);

        final String name;
        final Kind kind;
        final boolean counter;
        final boolean directions;
        final byte[] sample;
        final byte[] prometheusHeader;
        final byte[] openMetricsHeader;

        Family(String name, Kind kind, boolean counter, boolean directions, String help, String unit) {
            this.name = name;
            this.kind = kind;
            this.counter = counter;
            this.directions = directions;
            String sampleName = counter ? name + "_total" : name;
            String type = counter ? "counter" : "gauge";
            this.sample = ascii(sampleName);
            this.prometheusHeader = utf8("# HELP " + sampleName + " " + io.lvscp.common.TextFamily.escapeHelp(help, false) + "\n# TYPE " + sampleName + " " + type + "\n");
            this.openMetricsHeader = utf8("# TYPE " + name + " " + type + "\n" + (unit == null ? "" : "# UNIT " + name + " " + unit + "\n")
                    + "# HELP " + name + " " + io.lvscp.common.TextFamily.escapeHelp(help, true) + "\n");
        }
    }

    /** The families in the order the client writes them (by name). */
    private static final Family[] FAMILIES;

    static {
        FAMILIES = Family.values().clone();
        Arrays.sort(FAMILIES, Comparator.comparing(f -> f.name));
    }

    /** A label set's encoded blocks ({@code {...}}) without direction, with direction="in" and with "out", kept while it stays in the table. */
    private record Blocks(byte[] labels, byte[] in, byte[] out) {
        static Blocks of(Labels labels) {
            return new Blocks(block(labels), block(labels.add("direction", "in")), block(labels.add("direction", "out")));
        }
    }

    private final IpvsSeries<Blocks> series;
    private int lastSize = 1 << 16;

    IpvsExposition(String node) {
        this.series = new IpvsSeries<>(node, Blocks::of);
    }

    /** Takes a new read of the table: label blocks of new services and destinations are encoded, the others kept. */
    void update(List<TableEntry> table, String cluster) {
        series.update(table, cluster);
    }

    /** The series of the last update in {@code format}, the families {@code include} accepts (by name, counters with or without _total). */
    Text write(Format format, Predicate<String> include) {
        IpvsSeries.Service<Blocks>[] vsOrder = series.services();
        IpvsSeries.Real<Blocks>[] rsOrder = series.reals();
        Buffer b = new Buffer(lastSize + (lastSize >> 4));
        boolean om = format == Format.OPENMETRICS;
        for (Family f : FAMILIES) {
            if (include != null && !include.test(f.name) && !(f.counter && include.test(f.name + "_total"))) {
                continue;
            }
            if ((f.kind == Kind.VS ? vsOrder.length : rsOrder.length) == 0) {
                continue; // as the client's writers: a family without series is left out
            }
            b.put(om ? f.openMetricsHeader : f.prometheusHeader);
            if (f.kind == Kind.VS) {
                if (f.directions) {
                    for (IpvsSeries.Service<Blocks> v : vsOrder) {
                        b.sample(f.sample, v.made.in(), f == Family.VS_BYTES ? v.stats().bytesIn() : v.stats().packetsIn());
                    }
                    for (IpvsSeries.Service<Blocks> v : vsOrder) {
                        b.sample(f.sample, v.made.out(), f == Family.VS_BYTES ? v.stats().bytesOut() : v.stats().packetsOut());
                    }
                } else {
                    for (IpvsSeries.Service<Blocks> v : vsOrder) {
                        b.sample(f.sample, v.made.labels(), v.stats().connections());
                    }
                }
            } else if (f.directions) {
                boolean bytes = f == Family.RS_BYTES;
                for (IpvsSeries.Real<Blocks> r : rsOrder) {
                    Stats s = r.stats();
                    b.sample(f.sample, r.made.in(), bytes ? s.bytesIn() : s.packetsIn());
                }
                for (IpvsSeries.Real<Blocks> r : rsOrder) {
                    Stats s = r.stats();
                    b.sample(f.sample, r.made.out(), bytes ? s.bytesOut() : s.packetsOut());
                }
            } else {
                for (IpvsSeries.Real<Blocks> r : rsOrder) {
                    Destination d = r.destination();
                    long value = switch (f) {
                        case RS_CONN -> r.stats().connections();
                        case ACTIVE -> Integer.toUnsignedLong(d.activeConnections());
                        case INACTIVE -> Integer.toUnsignedLong(d.inactiveConnections());
                        case PERSISTENT -> Integer.toUnsignedLong(d.persistentConnections());
                        default -> d.weight(); // signed in the kernel, never below 0 there
                    };
                    b.sample(f.sample, r.made.labels(), value);
                }
            }
        }
        lastSize = Math.max(1 << 16, b.length);
        return new Text(b.bytes, b.length);
    }

    /** Text in {@code bytes[0..length)}. */
    record Text(byte[] bytes, int length) {
    }

    /** {@code {name="value",...}} as both writers encode it (values escaped: backslash, quote, newline). */
    static byte[] block(Labels labels) {
        return io.lvscp.common.TextFamily.block(labels);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte array that writes {@code name{labels} value\n} without intermediate objects. */
    private static final class Buffer {
        byte[] bytes;
        int length;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        /** One series; {@code value} is unsigned 64-bit. */
        void sample(byte[] name, byte[] labels, long value) {
            ensure(name.length + labels.length + 24);
            byte[] a = bytes;
            int p = length;
            System.arraycopy(name, 0, a, p, name.length);
            p += name.length;
            System.arraycopy(labels, 0, a, p, labels.length);
            p += labels.length;
            a[p++] = ' ';
            if (value < 0) { // above Long.MAX_VALUE as unsigned (or a negative weight): rare enough for a String
                for (byte c : ascii(weightOrUnsigned(name, value))) {
                    a[p++] = c;
                }
            } else {
                p = io.lvscp.common.ExpositionBuffer.digits(a, p, value);
            }
            a[p++] = '\n';
            length = p;
        }

        private static String weightOrUnsigned(byte[] name, long value) {
            return Arrays.equals(name, Family.WEIGHT.sample) ? Long.toString(value) : Long.toUnsignedString(value);
        }

        private void ensure(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
    }
}
