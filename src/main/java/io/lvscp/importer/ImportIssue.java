package io.lvscp.importer;

/** A warning or an error of an import, at the file and line of the keyword that caused it. */
public record ImportIssue(String file, int line, String keyword, String value, String message) {

    static ImportIssue at(ConfNode node, String value, String message) {
        return new ImportIssue(node.file(), node.line(), node.name(), value, message);
    }

    public String where() {
        return file + ":" + line;
    }

    @Override
    public String toString() {
        return where() + ": " + keyword + (value == null ? "" : " " + value) + ": " + message;
    }
}
