package io.lvscp.ipvs.kernel;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs every test of this package in one JVM inside the lab kernel and writes one line
 * per test to the results file ("PASS name", "FAIL name: reason", "SKIP name: reason",
 * "NOTE name: key=value" for measured numbers), then "SUMMARY passed=.. failed=.. skipped=..".
 * With {@code -Dlvscp.lab.only=A,B} (KernelIpvsLabTests passes {@code LVSCP_LAB_ONLY}) only those classes run.
 * KernelIpvsLabTests on the host reads it.
 */
public final class KernelLabMain {

    private KernelLabMain() {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args[0]);
        System.setProperty("lvscp.lab.kernel", "true");
        int[] counts = new int[3];
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8), true)) {
            TestExecutionListener listener = new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                        return;
                    }
                    String name = id.getLegacyReportingName();
                    String parent = id.getParentId().map(p -> p.replaceAll(".*\\[class:([^\\]]+)\\].*", "$1")).orElse("");
                    name = parent.substring(parent.lastIndexOf('.') + 1) + "." + name;
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> {
                            counts[0]++;
                            out.println("PASS " + name);
                        }
                        default -> {
                            counts[1]++;
                            Throwable t = result.getThrowable().orElse(null);
                            out.println("FAIL " + name + ": " + (t == null ? "?" : t.toString().replace('\n', ' ')));
                            if (t != null) {
                                t.printStackTrace(System.out);
                            }
                        }
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier id, String reason) {
                    counts[2]++;
                    out.println("SKIP " + id.getLegacyReportingName() + ": " + reason);
                }

                @Override
                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                    entry.getKeyValuePairs().forEach((k, v) -> {
                        out.println("NOTE " + id.getLegacyReportingName() + ": " + k + "=" + v);
                        System.out.println("NOTE " + k + "=" + v);
                    });
                }
            };
            String only = System.getProperty("lvscp.lab.only", "");
            LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request();
            if (only.isBlank()) {
                builder.selectors(selectPackage(KernelLabMain.class.getPackageName()));
            } else {
                for (String c : only.split(",")) {
                    builder.selectors(selectClass(KernelLabMain.class.getPackageName() + "." + c.trim()));
                }
            }
            LauncherDiscoveryRequest request = builder.build();
            LauncherFactory.create().execute(request, listener);
            out.println("SUMMARY passed=" + counts[0] + " failed=" + counts[1] + " skipped=" + counts[2]);
        }
        System.out.println("in-kernel tests: passed=" + counts[0] + " failed=" + counts[1] + " skipped=" + counts[2]);
        System.exit(counts[1] == 0 ? 0 : 1);
    }
}
