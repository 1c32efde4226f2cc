package io.lvscp.importer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads keepalived.conf syntax into a tree of {@link ConfNode}s, without touching the filesystem: the files are an
 * uploaded set, name to content.
 *
 * <ul>
 * <li>{@code !} and {@code #} start a comment when they begin a word (at the start of a line or after white space),
 * outside double quotes; so a password such as {@code ab#c} stays whole.</li>
 * <li>Words are separated by white space; {@code {} and {@code }} are words of their own even when written against
 * another word ({@code real_server 10.0.0.1 80{}).</li>
 * <li>A double-quoted string is one word, without its quotes; a quote left open at the end of the line is an error.</li>
 * <li>A block opens with {@code {} at the end of the keyword's line or alone at the start of the next line, and
 * closes with a matching {@code }}; statements may follow a {@code {} or precede a {@code }} on the same line.</li>
 * <li>{@code include PATTERN} is replaced, in place, by the words of every uploaded file the pattern matches, in name
 * order; a relative pattern is resolved against the directory of the including file; {@code *}, {@code ?} and
 * {@code [...]} are globs that do not cross {@code /}. A pattern matching nothing, or an include cycle, is an
 * error.</li>
 * <li>Keywords keep the case they were written in; the mapper decides which case keepalived accepts.</li>
 * </ul>
 */
public final class KeepalivedParser {

    private static final int MAX_INCLUDE_DEPTH = 16;

    private final Map<String, String> files;

    private KeepalivedParser(Map<String, String> files) {
        this.files = files;
    }

    /** Parses {@code mainFile}, which must be one of {@code files}. */
    public static List<ConfNode> parse(String mainFile, Map<String, String> files) {
        KeepalivedParser parser = new KeepalivedParser(files);
        if (!files.containsKey(mainFile)) {
            throw new ConfParseException(mainFile, 0, "no such uploaded file");
        }
        List<List<Token>> lines = new ArrayList<>();
        parser.lex(mainFile, files.get(mainFile), lines, new ArrayDeque<>());
        return new TreeBuilder(lines).build();
    }

    /** Parses one file that includes nothing. */
    public static List<ConfNode> parse(String name, String content) {
        return parse(name, Map.of(name, content));
    }

    private void lex(String file, String content, List<List<Token>> out, Deque<String> including) {
        including.push(file);
        String[] lines = content.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            List<Token> words = words(lines[i], file, i + 1);
            if (words.isEmpty()) {
                continue;
            }
            if (!words.get(0).quoted() && words.get(0).text().equals("include")) {
                if (words.size() != 2) {
                    throw new ConfParseException(file, i + 1, "expected one file name or pattern after 'include'");
                }
                for (String included : resolve(file, words.get(1))) {
                    if (including.contains(included)) {
                        List<String> chain = new ArrayList<>(including);
                        java.util.Collections.reverse(chain);
                        throw new ConfParseException(file, i + 1,
                                "include cycle: " + String.join(" -> ", chain) + " -> " + included);
                    }
                    if (including.size() >= MAX_INCLUDE_DEPTH) {
                        throw new ConfParseException(file, i + 1, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
                    }
                    lex(included, files.get(included), out, including);
                }
                continue;
            }
            out.add(words);
        }
        including.pop();
    }

    private List<String> resolve(String includingFile, Token pattern) {
        String p = pattern.text();
        String dir = includingFile.contains("/") ? includingFile.substring(0, includingFile.lastIndexOf('/') + 1) : "";
        String path = normalize(p.startsWith("/") ? p : dir + p);
        Pattern regex = glob(path);
        TreeSet<String> matches = new TreeSet<>();
        for (String name : files.keySet()) {
            if (regex.matcher(normalize(name)).matches()) {
                matches.add(name);
            }
        }
        if (matches.isEmpty()) {
            throw new ConfParseException(pattern.file(), pattern.line(),
                    "expected an uploaded file matching include '" + p + "' (resolved to '" + path + "')");
        }
        return List.copyOf(matches);
    }

    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        boolean absolute = path.startsWith("/");
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return (absolute ? "/" : "") + String.join("/", parts);
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        re.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    static List<Token> words(String line, String file, int lineNo) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '!' || c == '#') {
                break;
            } else if (c == '{' || c == '}') {
                out.add(new Token(String.valueOf(c), file, lineNo, false));
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    throw new ConfParseException(file, lineNo, "expected a closing '\"' before the end of the line");
                }
                out.add(new Token(line.substring(i + 1, end), file, lineNo, true));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(line.charAt(i)) && "{}\"".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(line.substring(start, i), file, lineNo, false));
            }
        }
        return out;
    }

    /** Turns the lines of words into statements and blocks. */
    private static final class TreeBuilder {
        private final List<List<Token>> lines;
        private int line;
        private int word;

        TreeBuilder(List<List<Token>> lines) {
            this.lines = lines;
        }

        List<ConfNode> build() {
            List<ConfNode> top = block(null);
            return top;
        }

        private Token peek() {
            return line < lines.size() ? lines.get(line).get(word) : null;
        }

        private Token next() {
            Token t = lines.get(line).get(word);
            if (++word >= lines.get(line).size()) {
                line++;
                word = 0;
            }
            return t;
        }

        private boolean atLineStart() {
            return word == 0;
        }

        private List<ConfNode> block(Token opener) {
            List<ConfNode> nodes = new ArrayList<>();
            while (true) {
                Token t = peek();
                if (t == null) {
                    if (opener != null) {
                        Token last = lines.isEmpty() ? opener : lastToken();
                        throw new ConfParseException(last.file(), last.line(),
                                "expected '}' to close the block opened at " + opener.where() + " before the end of the input");
                    }
                    return nodes;
                }
                if (t.isClose()) {
                    if (opener == null) {
                        throw new ConfParseException(t.file(), t.line(), "unexpected '}': no block is open");
                    }
                    next();
                    return nodes;
                }
                if (t.isOpen()) {
                    throw new ConfParseException(t.file(), t.line(), "expected a keyword before '{'");
                }
                nodes.add(statement());
            }
        }

        private Token lastToken() {
            List<Token> l = lines.get(lines.size() - 1);
            return l.get(l.size() - 1);
        }

        private ConfNode statement() {
            int startLine = line;
            Token keyword = next();
            List<Token> args = new ArrayList<>();
            while (line == startLine && peek() != null && !peek().isOpen() && !peek().isClose()) {
                args.add(next());
            }
            Token t = peek();
            boolean opens = t != null && t.isOpen() && (line == startLine || atLineStart());
            if (!opens) {
                return new ConfNode(keyword, List.copyOf(args), null);
            }
            Token opener = next();
            return new ConfNode(keyword, List.copyOf(args), List.copyOf(block(opener)));
        }
    }
}
