package io.lvscp.importer;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/clusters/{c}/directors/{d}/keepalived.conf}: the director's keepalived.conf, text/plain. */
@RestController
class KeepalivedExportController {

    private final KeepalivedExportService service;

    KeepalivedExportController(KeepalivedExportService service) {
        this.service = service;
    }

    @GetMapping(path = "/api/v1/clusters/{cluster}/directors/{director}/keepalived.conf", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> export(@PathVariable String cluster, @PathVariable String director) {
        return ResponseEntity.ok().contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
                .body(service.export(cluster, director));
    }
}
