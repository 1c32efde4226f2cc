package io.lvscp.importer;

import java.util.List;
import java.util.stream.Collectors;

/** The files cannot be imported: every error, and every warning found on the way, each with its file and line. */
public class KeepalivedImportException extends RuntimeException {

    private final List<ImportIssue> errors;
    private final List<ImportIssue> warnings;

    public KeepalivedImportException(List<ImportIssue> errors, List<ImportIssue> warnings) {
        super(errors.stream().map(ImportIssue::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public KeepalivedImportException(List<ImportIssue> errors) {
        this(errors, List.of());
    }

    public List<ImportIssue> errors() {
        return errors;
    }

    public List<ImportIssue> warnings() {
        return warnings;
    }
}
