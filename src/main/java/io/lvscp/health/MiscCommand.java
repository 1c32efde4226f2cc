package io.lvscp.health;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** MISC_CHECK command lines: how they split into words, and whether they can run here. */
public final class MiscCommand {

    private MiscCommand() {
    }

    /**
     * Splits a command line as keepalived's {@code misc_path}: words separated by
     * blanks, single or double quotes group, a backslash escapes the next character.
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("has an unclosed " + quote + " quote");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /**
     * The executable a command line runs, or why it cannot run: the program must be an
     * executable file, given by path or found on PATH.
     */
    public static Path executable(String line) {
        List<String> words = split(line);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        String program = words.get(0);
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("'" + program + "' must be an absolute path (or a name found on PATH)");
            }
            check(p, program);
            return p;
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p) && anyExecuteBit(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + program + "' is not found on PATH");
    }

    /** root may "execute" any file for access(2); the kernel still needs an execute bit. */
    private static boolean anyExecuteBit(Path p) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    private static void check(Path p, String program) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("'" + program + "' does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("'" + program + "' is not a file");
        }
        if (!Files.isExecutable(p) || !anyExecuteBit(p)) {
            throw new IllegalArgumentException("'" + program + "' is not executable");
        }
    }
}
