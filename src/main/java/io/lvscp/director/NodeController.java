package io.lvscp.director;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "nodes", description = "The directors' heartbeats: which generation each applied, whether it is online, its clock")
class NodeController {

    private final NodeListing listing;

    NodeController(NodeListing listing) {
        this.listing = listing;
    }

    @GetMapping("/api/v1/nodes")
    @Operation(summary = "Every director (Director records and processes that sent a heartbeat), with its heartbeat")
    NodeListing.Nodes nodes(@RequestParam(required = false) String cluster) {
        return listing.list(cluster);
    }
}
