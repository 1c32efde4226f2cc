package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.importer.KeepalivedImportService.DirectorSpec;
import io.lvscp.importer.KeepalivedImportService.ImportResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.lvscp.api.FieldError;
import io.lvscp.api.ProblemDetailsAdvice;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /api/v1/import/keepalived?cluster=NAME[&dryRun=true][&directors=FILE=NODE@ADDRESS,...][&main=FILE...]}:
 * a text body is one file (named by {@code file}, default {@code keepalived.conf}); a multipart body carries several
 * files as parts named {@code files}. The main files (one per director) are {@code main}, default every uploaded file
 * that no other uploaded file includes (glob includes count). {@code vrrpInstance} names the instance that carries
 * virtual servers whose VIP no instance holds (LVS-only files).
 */
@RestController
class KeepalivedImportController {

    private final KeepalivedImportService service;
    private final ImportLimits limits;

    KeepalivedImportController(KeepalivedImportService service, ImportLimits limits) {
        this.service = service;
        this.limits = limits;
    }

    /** The body is read here, not by a message converter, so that a body over lvs.importer.max-size is a 413 and never read in full. */
    @PostMapping(path = "/api/v1/import/keepalived", consumes = MediaType.TEXT_PLAIN_VALUE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(
            mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string")))
    ImportResponse text(jakarta.servlet.http.HttpServletRequest request, @RequestParam String cluster,
            @RequestParam(defaultValue = "keepalived.conf") String file, @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestParam(required = false) String directors, @RequestParam(required = false) String vrrpInstance)
            throws IOException {
        plainText("file", file);
        plainText("directors", directors);
        plainText("vrrpInstance", vrrpInstance);
        String body = limits.readText(request);
        if (body.isEmpty()) {
            throw ApiException.invalid("body", "is empty: send the keepalived.conf as the body", null);
        }
        return service.importFiles(cluster, List.of(file), Map.of(file, body), specs(directors), dryRun, vrrpInstance);
    }

    @PostMapping(path = "/api/v1/import/keepalived", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ImportResponse multipart(@RequestPart("files") List<MultipartFile> parts, @RequestParam String cluster,
            @RequestParam(required = false) List<String> main, @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestParam(required = false) String directors, @RequestParam(required = false) String vrrpInstance)
            throws IOException {
        plainText("directors", directors);
        plainText("vrrpInstance", vrrpInstance);
        Map<String, String> files = new LinkedHashMap<>();
        for (MultipartFile part : parts) {
            String name = part.getOriginalFilename();
            if (name == null || name.isBlank()) {
                throw ApiException.invalid("files", "every part needs a file name", null);
            }
            plainText("files", name);
            if (part.getSize() > limits.maxSize().toBytes()) {
                throw limits.tooLarge(part.getSize());
            }
            files.put(name, new String(part.getBytes(), StandardCharsets.UTF_8));
        }
        List<String> mains = main == null || main.isEmpty() ? KeepalivedParser.mainFiles(files) : main;
        for (String m : mains) {
            if (!files.containsKey(m)) {
                throw ApiException.invalid("main", "names no uploaded file (uploaded: " + files.keySet() + ")", m);
            }
        }
        return service.importFiles(cluster, mains, files, specs(directors), dryRun, vrrpInstance);
    }

    /** Every error and warning of the files, each with file and line, in one 400 problem. */
    @ExceptionHandler(KeepalivedImportProblem.class)
    ResponseEntity<ProblemDetail> problem(KeepalivedImportProblem e, HttpServletRequest request) {
        List<FieldError> errors = e.errors().stream().map(KeepalivedImportController::fieldError).toList();
        ProblemDetail body = ProblemDetailsAdvice.body(HttpStatus.BAD_REQUEST, "invalid-keepalived-conf",
                "Invalid keepalived.conf", e.getMessage(), errors, request.getRequestURI());
        body.setProperty("errors", e.errors().stream().map(KeepalivedImportController::issue).toList());
        body.setProperty("warnings", e.warnings().stream().map(KeepalivedImportController::issue).toList());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    static FieldError fieldError(ImportIssue i) {
        return new FieldError(i.where() + " " + i.keyword(), i.message(), i.value());
    }

    /** An issue as the problem lists it: field (FILE:LINE KEYWORD, as other problems name a field), file, line, ... */
    static Map<String, Object> issue(ImportIssue i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", i.where() + " " + i.keyword());
        m.put("file", i.file());
        m.put("line", i.line());
        m.put("keyword", i.keyword());
        m.put("rejectedValue", i.value());
        m.put("reason", i.message());
        return m;
    }

    /** File names and director specs end up in messages and events: no control or bidi characters (see PlainText). */
    private static void plainText(String field, String value) {
        String bad = io.lvscp.api.PlainText.Validator.offending(value);
        if (bad != null) {
            throw ApiException.invalid(field, "must not hold control characters (such as NUL or ESC) or bidirectional override"
                    + " characters (found " + bad + ")", null);
        }
    }

    /** {@code seed-master.conf=lvs1@172.18.42.100,seed-backup.conf=lvs2@172.18.42.200}. */
    static Map<String, DirectorSpec> specs(String directors) {
        Map<String, DirectorSpec> specs = new LinkedHashMap<>();
        if (directors == null || directors.isBlank()) {
            return specs;
        }
        for (String entry : directors.split(",")) {
            int eq = entry.indexOf('=');
            int at = entry.lastIndexOf('@');
            if (eq <= 0 || at < eq) {
                throw ApiException.invalid("directors", "expected FILE=NODE@ADDRESS[,...]", entry);
            }
            specs.put(entry.substring(0, eq).trim(),
                    new DirectorSpec(entry.substring(eq + 1, at).trim(), entry.substring(at + 1).trim()));
        }
        return specs;
    }
}
