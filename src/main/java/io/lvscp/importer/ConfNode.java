package io.lvscp.importer;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One statement: a keyword, its arguments and, for a block, its children. {@code children} is null for a plain
 * statement and a (possibly empty) list for a block.
 */
public record ConfNode(Token keyword, List<Token> args, List<ConfNode> children) {

    public String name() {
        return keyword.text();
    }

    public boolean isBlock() {
        return children != null;
    }

    public String file() {
        return keyword.file();
    }

    public int line() {
        return keyword.line();
    }

    public String where() {
        return keyword.where();
    }

    public Optional<String> arg(int index) {
        return index < args.size() ? Optional.of(args.get(index).text()) : Optional.empty();
    }

    /** Children whose keyword equals {@code name}, ignoring case. */
    public List<ConfNode> all(String name) {
        return children == null ? List.of()
                : children.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).toList();
    }
}
