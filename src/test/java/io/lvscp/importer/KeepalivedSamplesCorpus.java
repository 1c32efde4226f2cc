package io.lvscp.importer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The corpus table of docs/migration.md: for each file of a folder (keepalived's doc/samples), whether Debian's
 * {@code keepalived -t} accepts it, and what the importer's parser and mapper make of it: imported, imported with
 * warnings (each naming its line), or refused (each error naming its line). Run with
 * {@code bash bench/keepalived-samples.sh FOLDER}; it exits non-zero if an import throws anything but the importer's
 * own refusal (that would be a 500).
 */
public final class KeepalivedSamplesCorpus {

    private KeepalivedSamplesCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int crashes = 0;
        System.out.println("| sample | keepalived -t | import | errors (line: reason) | warnings (lines) |");
        System.out.println("|---|---|---|---|---|");
        for (Path f : files) {
            String name = f.getFileName().toString();
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            String ka = keepalived(f);
            String result;
            String errors = "";
            String warnings;
            try {
                ImportedCluster c = KeepalivedMapper.map(List.of(name), Map.of(name, text), Map.of());
                result = c.warnings().isEmpty() ? "imported" : "imported, " + c.warnings().size() + " warning(s)";
                warnings = lines(c.warnings());
            } catch (KeepalivedImportException e) {
                result = "refused";
                errors = e.errors().stream().map(i -> i.line() + ": " + i.keyword() + " " + i.message())
                        .collect(Collectors.joining("; "));
                warnings = lines(e.warnings());
            } catch (RuntimeException e) {
                result = "CRASH " + e;
                warnings = "";
                crashes++;
            }
            System.out.println("| " + name + " | " + ka + " | " + result + " | " + errors.replace("|", "\\|") + " | " + warnings
                    + " |");
        }
        if (crashes > 0) {
            System.exit(1);
        }
    }

    private static String lines(List<ImportIssue> issues) {
        return issues.stream().map(i -> i.line() + " " + i.keyword()).distinct().collect(Collectors.joining(", "));
    }

    private static String keepalived(Path f) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/keepalived"))) {
            return "not installed";
        }
        Process p = new ProcessBuilder("/usr/sbin/keepalived", "-t", "-f", f.toString(), "-l", "-D", "-n").redirectErrorStream(true)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timeout";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        List<String> msgs = new ArrayList<>(out.lines().toList());
        return (p.exitValue() == 0 ? "accepted" : "exit " + p.exitValue()) + (msgs.isEmpty() ? "" : " (" + msgs.size() + " message(s))");
    }
}
