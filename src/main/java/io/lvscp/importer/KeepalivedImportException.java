package io.lvscp.importer;

import java.util.List;
import java.util.stream.Collectors;

/** Invalid values: the whole import fails, each error names file, line, keyword and value. */
public class KeepalivedImportException extends RuntimeException {

    private final List<ImportIssue> errors;

    public KeepalivedImportException(List<ImportIssue> errors) {
        super(errors.stream().map(ImportIssue::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<ImportIssue> errors() {
        return errors;
    }
}
