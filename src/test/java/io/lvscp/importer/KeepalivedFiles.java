package io.lvscp.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The test keepalived.conf files under src/test/resources/keepalived, as an upload: relative name to content. */
final class KeepalivedFiles {

    static final Path DIR = Path.of("src/test/resources/keepalived");

    private KeepalivedFiles() {
    }

    static Map<String, String> all() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(DIR)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(DIR.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String read(String name) {
        return all().get(name);
    }
}
