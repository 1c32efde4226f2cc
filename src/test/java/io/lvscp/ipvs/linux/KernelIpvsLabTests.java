package io.lvscp.ipvs.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.LabRequirement;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Boots the lab kernel (lab/uml-run: Debian's user-mode-linux, a real Linux 6.1 with
 * IPVS) and runs the in-kernel tests of io.lvscp.ipvs.kernel there in one JVM
 * (KernelLabMain), then asserts on the results file they wrote back through the
 * project folder. Fails under CI=true when the lab cannot run; skips with the reason
 * elsewhere (not Linux, not root, package not obtainable).
 *
 * <p>Runs beside the other test classes (surefire's configuration in pom.xml: they run in turn, this one
 * concurrently): the lab kernel keeps one CPU busy for minutes and needs nothing from them.
 */
@Execution(ExecutionMode.CONCURRENT)
class KernelIpvsLabTests {

    @Test
    void ipvsInTheLabKernel() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path script = project.resolve("lab/uml-run");
        LabRequirement.require(System.getProperty("os.name").startsWith("Linux"), "the IPVS lab kernel needs Linux");
        LabRequirement.require(Files.isExecutable(script), "lab/uml-run is missing");
        Path out = project.resolve("target/uml-lab");
        Files.createDirectories(out);
        Path results = out.resolve("ipvs-results.txt");
        Files.deleteIfExists(results);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // LVSCP_LAB_ONLY=ServiceInKernelModeTests,IpvsKernelTests runs only those classes of the package (a quicker lab run)
        String only = System.getenv().getOrDefault("LVSCP_LAB_ONLY", "");
        String inner = quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
                + (only.isBlank() ? "" : " -Dlvscp.lab.only=" + quote(only)) + " -cp " + quote(classPath())
                + " io.lvscp.ipvs.kernel.KernelLabMain " + quote(results.toString());
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-o", out.toString(), "-t", "1500", "--", inner);
        pb.environment().put("LVSCP_UML_MOUNTS", hiddenFolders(project, classPath() + File.pathSeparator + System.getProperty("java.home")));
        Process p = pb.directory(project.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.MINUTES);
        int rc = p.exitValue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rc == 3) {
            LabRequirement.require(false, console.lines().filter(l -> l.startsWith("uml-run:")).findFirst().orElse("lab/uml-run exited 3"));
        }
        System.out.printf("lab kernel run: %.1f s, exit %d%n", seconds, rc);
        assertThat(results).as("results file; console:%n%s", console).exists();
        List<String> lines = Files.readAllLines(results);
        lines.forEach(System.out::println);
        assertThat(lines).as(console).filteredOn(l -> l.startsWith("FAIL")).isEmpty();
        assertThat(lines).as(console).anyMatch(l -> l.startsWith("SUMMARY passed=") && !l.startsWith("SUMMARY passed=0 "));
        assertThat(rc).as(console).isZero();
    }

    /** Folders the guest's tmpfs on /tmp and /run would hide (outside the project, which is mounted anyway): /tmp/x for /tmp/x/... */
    static String hiddenFolders(Path project, String paths) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : paths.split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath().normalize();
            if ((p.startsWith("/tmp") || p.startsWith("/run")) && !p.startsWith(project) && p.getNameCount() >= 2) {
                out.add(p.getRoot().resolve(p.subpath(0, 2)).toString());
            }
        }
        return String.join(":", out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** This JVM's class path, with surefire's manifest-only jar expanded into its entries. */
    static String classPath() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith(".jar") && new File(e).getName().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.trim().split("\\s+")) {
                            out.add(new File(java.net.URI.create(u.startsWith("file:") ? u : "file:" + u)).getPath());
                        }
                    }
                }
            } else {
                out.add(e);
            }
        }
        List<String> kept = new ArrayList<>();
        for (String e : out) {
            if (!e.contains("surefire")) {
                kept.add(e);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
