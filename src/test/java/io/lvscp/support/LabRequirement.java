package io.lvscp.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real component it needs (PostgreSQL, Chromium, a lab
 * kernel) is missing: under CI=true it fails, elsewhere it is skipped with the reason.
 */
public final class LabRequirement {

    private LabRequirement() {
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Whether an executable of that name is on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Fails (CI=true) or skips (elsewhere) unless the condition holds. */
    public static void require(boolean available, String reason) {
        if (available) {
            return;
        }
        if (underCi()) {
            Assertions.fail("CI=true and " + reason + ": this test must run in CI (.ci/run installs and starts what it needs)");
        }
        System.out.println("SKIPPED (not under CI): " + reason);
        Assumptions.abort(reason);
    }
}
