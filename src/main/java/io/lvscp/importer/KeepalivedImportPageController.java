package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.importer.KeepalivedImportService.ImportResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;

/**
 * The web page that uploads keepalived.conf files (one per director, plus what they
 * include): the same import as {@code POST /api/v1/import/keepalived}. "Preview" is the
 * dry run: it shows the changes and writes nothing.
 */
@Controller
class KeepalivedImportPageController {

    static final String PATH = "/ui/import";

    private final KeepalivedImportService service;

    KeepalivedImportPageController(KeepalivedImportService service) {
        this.service = service;
    }

    @GetMapping(PATH)
    ModelAndView form() {
        return page("", "", true, null, List.of(), HttpStatus.OK);
    }

    @PostMapping(PATH)
    ModelAndView upload(@RequestParam(defaultValue = "") String cluster, @RequestParam(defaultValue = "") String directors,
            @RequestParam(required = false) List<MultipartFile> files, @RequestParam(defaultValue = "false") boolean dryRun)
            throws IOException {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> contents = new LinkedHashMap<>();
        if (files != null) {
            for (MultipartFile f : files) {
                if (f.getOriginalFilename() != null && !f.getOriginalFilename().isBlank() && !f.isEmpty()) {
                    contents.put(f.getOriginalFilename(), new String(f.getBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        if (cluster.isBlank()) {
            errors.add(new FieldError("cluster", "is required: the cluster to create or update", null));
        }
        if (contents.isEmpty()) {
            errors.add(new FieldError("files", "choose at least one keepalived.conf", null));
        }
        if (!errors.isEmpty()) {
            return page(cluster, directors, dryRun, null, errors, HttpStatus.BAD_REQUEST);
        }
        try {
            String specs = String.join(",", directors.lines().map(String::trim).filter(l -> !l.isEmpty()).toList());
            ImportResponse result = service.importFiles(cluster.trim(), new ArrayList<>(mainFiles(contents)), contents,
                    KeepalivedImportController.specs(specs), dryRun, null);
            return page(cluster, directors, dryRun, result, List.of(), HttpStatus.OK);
        } catch (KeepalivedImportProblem e) {
            List<FieldError> es = new ArrayList<>(e.errors().stream().map(KeepalivedImportController::fieldError).toList());
            e.warnings().forEach(w -> es.add(new FieldError(w.where() + " " + w.keyword(), "warning: " + w.message(), w.value())));
            return page(cluster, directors, dryRun, null, es, HttpStatus.BAD_REQUEST);
        } catch (ApiException e) {
            List<FieldError> es = e.errors().isEmpty() ? List.of(new FieldError("", e.getMessage(), null)) : e.errors();
            return page(cluster, directors, dryRun, null, es, e.status());
        }
    }

    /** Every uploaded file is a director's main file unless another uploaded file includes it (glob includes count). */
    static List<String> mainFiles(Map<String, String> contents) {
        return KeepalivedParser.mainFiles(contents);
    }

    private static ModelAndView page(String cluster, String directors, boolean dryRun, ImportResponse result, List<FieldError> errors,
            HttpStatus status) {
        ModelAndView mav = new ModelAndView("ui/import", status);
        mav.addObject("cluster", cluster);
        mav.addObject("directors", directors);
        mav.addObject("dryRun", dryRun);
        mav.addObject("result", result);
        mav.addObject("importErrors", errors);
        return mav;
    }
}
