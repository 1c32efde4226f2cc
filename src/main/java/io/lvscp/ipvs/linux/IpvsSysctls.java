package io.lvscp.ipvs.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * IPVS's sysctls of this network namespace (/proc/sys/net/ipv4/vs/NAME; they exist while the ip_vs module is loaded):
 * written, and read back.
 */
public final class IpvsSysctls {

    public static final Path PROC = Path.of("/proc/sys/net/ipv4/vs");

    private final Path dir;

    public IpvsSysctls(Path dir) {
        this.dir = dir;
    }

    /** Writes each value and reads it back; the first that cannot be written (or reads back otherwise) fails the call. */
    public Map<String, Integer> apply(Map<String, Integer> wanted) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            if (!e.getKey().matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a sysctl name: " + e.getKey());
            }
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, e.getValue() + "\n", StandardCharsets.US_ASCII);
            int back = read(e.getKey()).orElseThrow(() -> new IOException(f + " vanished"));
            if (back != e.getValue()) {
                throw new IOException(f + " reads " + back + " after writing " + e.getValue());
            }
            out.put(e.getKey(), back);
        }
        return out;
    }

    /** The value now, or empty when this kernel has no such sysctl (or IPVS is not loaded). */
    public OptionalInt read(String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(Files.readString(f, StandardCharsets.US_ASCII).trim()));
    }
}
