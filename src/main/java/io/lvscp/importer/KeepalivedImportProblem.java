package io.lvscp.importer;

import java.util.List;

/**
 * An import refused: every error and every warning, each with its file and line. Answered as one 400 problem with
 * {@code errors[]} and {@code warnings[]}; nothing has been written.
 */
public class KeepalivedImportProblem extends RuntimeException {

    private final List<ImportIssue> errors;
    private final List<ImportIssue> warnings;

    public KeepalivedImportProblem(List<ImportIssue> errors, List<ImportIssue> warnings) {
        super(errors.size() + " error(s) in the keepalived.conf files: " + errors.stream().limit(5).map(ImportIssue::toString)
                .collect(java.util.stream.Collectors.joining("; ")) + (errors.size() > 5 ? "; ..." : ""));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public List<ImportIssue> errors() {
        return errors;
    }

    public List<ImportIssue> warnings() {
        return warnings;
    }
}
