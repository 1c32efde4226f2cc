package io.lvscp.ipvs.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent reader: runs ipvsadm (its own libnl code, not ours) and parses its
 * listing, so each in-kernel test checks the kernel's state through a second path.
 */
final class Ipvsadm {

    /** A service line of `ipvsadm -Ln`: "TCP 172.18.42.42:80" / "FWM 7" / "FWM 8 IPv6", and the rest ("rr persistent 300"). */
    record Service(String id, String rest, List<Dest> dests) {
    }

    /** A destination line: endpoint and the listing's columns after it. */
    record Dest(String endpoint, List<String> columns) {
    }

    private Ipvsadm() {
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ipvsadm");
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + out);
        }
        return out;
    }

    /** Another program's output (exit status 0 required). */
    static String runCommand(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** `ipvsadm -Ln` plus options (e.g. "--stats", "--thresholds"), by service id. */
    static Map<String, Service> list(String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-Ln"));
        args.addAll(Arrays.asList(options));
        Map<String, Service> out = new LinkedHashMap<>();
        Service current = null;
        for (String line : run(args.toArray(String[]::new)).split("\n")) {
            String t = line.trim();
            if (t.startsWith("->")) {
                String[] f = t.substring(2).trim().split("\\s+");
                if (current != null && !f[0].startsWith("RemoteAddress")) {
                    current.dests.add(new Dest(f[0], List.of(f).subList(1, f.length)));
                }
            } else if (t.startsWith("TCP") || t.startsWith("UDP") || t.startsWith("SCTP") || t.startsWith("FWM")) {
                String[] f = t.split("\\s+");
                int idLen = f[0].equals("FWM") && f.length > 2 && f[2].equals("IPv6") ? 3 : 2;
                String id = String.join(" ", Arrays.copyOf(f, idLen));
                current = new Service(id, String.join(" ", Arrays.copyOfRange(f, idLen, f.length)), new ArrayList<>());
                out.put(id, current);
            }
        }
        return out;
    }
}
