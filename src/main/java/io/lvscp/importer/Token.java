package io.lvscp.importer;

/** One word of a keepalived.conf file, with the file and the 1-based line it came from. */
public record Token(String text, String file, int line, boolean quoted) {

    public String where() {
        return file + ":" + line;
    }

    boolean isOpen() {
        return !quoted && text.equals("{");
    }

    boolean isClose() {
        return !quoted && text.equals("}");
    }
}
