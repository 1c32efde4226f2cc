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
 * <li>Every syntax error is collected (with its file and line) and reading goes on after it, so one answer lists
 * them all: a line with an unclosed quote is skipped, a stray {@code }} is ignored, blocks left open at the end are
 * closed.</li>
 * <li>Blocks nest at most {@value #MAX_DEPTH} deep (keepalived's own files use 4); deeper input is refused at the
 * first brace past the bound and reading stops. The tree is built with an explicit stack, not recursion, so no
 * input can exhaust the thread's stack.</li>
 * </ul>
 */
public final class KeepalivedParser {

    private static final int MAX_INCLUDE_DEPTH = 16;
    /** The deepest block nesting accepted. */
    public static final int MAX_DEPTH = 32;

    private final Map<String, String> files;
    private final List<ImportIssue> errors;

    private KeepalivedParser(Map<String, String> files, List<ImportIssue> errors) {
        this.files = files;
        this.errors = errors;
    }

    /**
     * Parses {@code mainFile}, which must be one of {@code files}; syntax errors are added to {@code errors} and what
     * could be read is returned.
     */
    public static List<ConfNode> parse(String mainFile, Map<String, String> files, List<ImportIssue> errors) {
        KeepalivedParser parser = new KeepalivedParser(files, errors);
        if (!files.containsKey(mainFile)) {
            errors.add(new ImportIssue(mainFile, 0, "file", mainFile, "no such uploaded file"));
            return List.of();
        }
        List<List<Token>> lines = new ArrayList<>();
        parser.lex(mainFile, files.get(mainFile), lines, new ArrayDeque<>());
        return build(lines, errors);
    }

    /** Parses {@code mainFile}; the first syntax error is thrown. */
    public static List<ConfNode> parse(String mainFile, Map<String, String> files) {
        List<ImportIssue> errors = new ArrayList<>();
        List<ConfNode> nodes = parse(mainFile, files, errors);
        if (!errors.isEmpty()) {
            ImportIssue first = errors.get(0);
            throw new ConfParseException(first.file(), first.line(), first.message());
        }
        return nodes;
    }

    /** Parses one file that includes nothing. */
    public static List<ConfNode> parse(String name, String content) {
        return parse(name, Map.of(name, content));
    }

    /**
     * The uploaded files that no other uploaded file includes (by name or glob, as {@code include} resolves them): the
     * directors' main files. All of them when every file is included by another (a cycle).
     */
    public static List<String> mainFiles(Map<String, String> files) {
        java.util.Set<String> included = new java.util.HashSet<>();
        KeepalivedParser parser = new KeepalivedParser(files, new ArrayList<>());
        for (Map.Entry<String, String> f : files.entrySet()) {
            for (String line : f.getValue().split("\\r?\\n|\\r")) {
                List<Token> words;
                try {
                    words = words(line, f.getKey(), 0);
                } catch (ConfParseException e) {
                    continue;
                }
                if (words.size() == 2 && !words.get(0).quoted() && words.get(0).text().equals("include")) {
                    parser.resolve(f.getKey(), words.get(1)).stream().filter(n -> !n.equals(f.getKey())).forEach(included::add);
                }
            }
        }
        List<String> mains = files.keySet().stream().filter(n -> !included.contains(n)).toList();
        return mains.isEmpty() ? new ArrayList<>(files.keySet()) : new ArrayList<>(mains);
    }

    private void error(String file, int line, String keyword, String message) {
        errors.add(new ImportIssue(file, line, keyword, null, message));
    }

    private void lex(String file, String content, List<List<Token>> out, Deque<String> including) {
        including.push(file);
        String[] lines = content.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            List<Token> words;
            try {
                words = words(lines[i], file, i + 1);
            } catch (ConfParseException e) {
                error(file, i + 1, "\"", e.detail());
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            if (!words.get(0).quoted() && words.get(0).text().equals("include")) {
                if (words.size() != 2) {
                    error(file, i + 1, "include", "expected one file name or pattern after 'include'");
                    continue;
                }
                for (String included : resolve(file, words.get(1))) {
                    if (including.contains(included)) {
                        List<String> chain = new ArrayList<>(including);
                        java.util.Collections.reverse(chain);
                        error(file, i + 1, "include", "include cycle: " + String.join(" -> ", chain) + " -> " + included);
                        continue;
                    }
                    if (including.size() >= MAX_INCLUDE_DEPTH) {
                        error(file, i + 1, "include", "includes nested deeper than " + MAX_INCLUDE_DEPTH);
                        continue;
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
            error(pattern.file(), pattern.line(), "include",
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

    /** A block being read: its keyword and arguments, the brace that opened it, and the statements so far. */
    private record Frame(Token keyword, List<Token> args, Token opener, List<ConfNode> children) {
    }

    /**
     * Turns the lines of words into statements and blocks, with an explicit stack. A statement is its keyword and the
     * words after it on the same line; a {@code {} on that line, or first on the next line, opens its block.
     */
    static List<ConfNode> build(List<List<Token>> lines, List<ImportIssue> errors) {
        Deque<Frame> stack = new ArrayDeque<>();
        List<ConfNode> top = new ArrayList<>();
        Token pendingKeyword = null; // a statement without a block yet: a '{' first on the next line may open one
        List<Token> pendingArgs = null;
        int pendingLine = -1;
        for (int li = 0; li < lines.size(); li++) {
            List<Token> words = lines.get(li);
            int w = 0;
            while (w < words.size()) {
                Token t = words.get(w);
                if (t.isOpen()) {
                    Token keyword = null;
                    List<Token> args = null;
                    if (pendingKeyword != null && (pendingLine == li || w == 0)) {
                        keyword = pendingKeyword;
                        args = pendingArgs;
                    } else {
                        flush(pendingKeyword, pendingArgs, stack, top);
                        errors.add(new ImportIssue(t.file(), t.line(), "{", null, "expected a keyword before '{'"));
                    }
                    pendingKeyword = null;
                    if (stack.size() >= MAX_DEPTH) {
                        errors.add(new ImportIssue(t.file(), t.line(), "{", null, "blocks nested deeper than " + MAX_DEPTH
                                + " levels: refused (keepalived's configurations need 4)"));
                        return top;
                    }
                    stack.push(new Frame(keyword, args, t, new ArrayList<>()));
                    w++;
                } else if (t.isClose()) {
                    flush(pendingKeyword, pendingArgs, stack, top);
                    pendingKeyword = null;
                    if (stack.isEmpty()) {
                        errors.add(new ImportIssue(t.file(), t.line(), "}", null, "unexpected '}': no block is open"));
                    } else {
                        close(stack, top);
                    }
                    w++;
                } else {
                    flush(pendingKeyword, pendingArgs, stack, top);
                    pendingKeyword = t;
                    pendingArgs = new ArrayList<>();
                    pendingLine = li;
                    w++;
                    while (w < words.size() && !words.get(w).isOpen() && !words.get(w).isClose()) {
                        pendingArgs.add(words.get(w++));
                    }
                }
            }
        }
        flush(pendingKeyword, pendingArgs, stack, top);
        if (!stack.isEmpty()) {
            List<Token> last = lines.get(lines.size() - 1);
            Token end = last.get(last.size() - 1);
            while (!stack.isEmpty()) {
                errors.add(new ImportIssue(end.file(), end.line(), "}", null, "expected '}' to close the block opened at "
                        + stack.peek().opener().where() + " before the end of the input"));
                close(stack, top);
            }
        }
        return top;
    }

    private static void flush(Token keyword, List<Token> args, Deque<Frame> stack, List<ConfNode> top) {
        if (keyword != null) {
            (stack.isEmpty() ? top : stack.peek().children()).add(new ConfNode(keyword, List.copyOf(args), null));
        }
    }

    private static void close(Deque<Frame> stack, List<ConfNode> top) {
        Frame f = stack.pop();
        if (f.keyword() == null) {
            return; // a block without a keyword: reported when it opened, its content dropped
        }
        (stack.isEmpty() ? top : stack.peek().children()).add(new ConfNode(f.keyword(), List.copyOf(f.args()),
                List.copyOf(f.children())));
    }
}
