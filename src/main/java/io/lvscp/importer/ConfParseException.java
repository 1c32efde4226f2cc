package io.lvscp.importer;

/** A syntax error in a keepalived.conf file: names the file, the line and what was expected. */
public class ConfParseException extends RuntimeException {

    private final String file;
    private final int line;
    private final String detail;

    public ConfParseException(String file, int line, String detail) {
        super(file + ":" + line + ": " + detail);
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String where() {
        return file + ":" + line;
    }

    public String detail() {
        return detail;
    }
}
