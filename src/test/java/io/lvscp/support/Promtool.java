package io.lvscp.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** {@code promtool check metrics} on an exposition: the check Prometheus itself would make of a scrape. */
public final class Promtool {

    private Promtool() {
    }

    /** The project's families of a scrape ({@code lvs_*} series and their HELP and TYPE lines), as one text. */
    public static String lvsSeries(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("lvs_") || l.startsWith("# HELP lvs_") || l.startsWith("# TYPE lvs_"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Fails unless promtool accepts {@code text} without a complaint; {@code what} names it in the failure. */
    public static void assertAccepted(String text, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(what + ": " + lint).isZero();
        assertThat(lint).as(what + ": promtool's complaints").isBlank();
    }
}
