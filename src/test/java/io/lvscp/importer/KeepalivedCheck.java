package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.LabRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code keepalived -t -f FILE} (checks the configuration and exits; starts nothing). Without keepalived
 * the test fails under CI=true and is skipped elsewhere (LabRequirement).
 */
final class KeepalivedCheck {

    private static final Path KEEPALIVED = Path.of("/usr/sbin/keepalived");

    private KeepalivedCheck() {
    }

    static void assertAccepted(String config) throws IOException, InterruptedException {
        check(config, false);
    }

    /** Accepted with no message at all (exit 0, no output). */
    static void assertAcceptedSilently(String config) throws IOException, InterruptedException {
        check(config, true);
    }

    private static void check(String config, boolean silently) throws IOException, InterruptedException {
        LabRequirement.require(Files.isExecutable(KEEPALIVED), "keepalived is not installed (apt-get install keepalived)");
        // keepalived -t also checks that interfaces exist on this host and are not loopback: the test files'
        // interface names become this host's first other interface
        String iface;
        try (var names = Files.list(Path.of("/sys/class/net"))) {
            iface = names.map(n -> n.getFileName().toString()).filter(n -> !n.equals("lo")).sorted().findFirst().orElse(null);
        }
        LabRequirement.require(iface != null, "this host has no network interface but lo for keepalived -t");
        String text = config.replaceAll("(interface|dev) \\S+", "$1 " + iface);
        Path dir = Files.createTempDirectory("keepalived-check");
        Path conf = dir.resolve("keepalived.conf");
        try {
            Files.writeString(conf, text, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(KEEPALIVED.toString(), "-t", "-f", conf.toString(), "-l", "-D", "-n")
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output + "\n--- file ---\n" + text).isZero();
            if (silently) {
                assertThat(output.strip()).as("keepalived -t messages\n--- file ---\n" + text).isEmpty();
            }
        } finally {
            Files.deleteIfExists(conf);
            Files.deleteIfExists(dir);
        }
    }
}
