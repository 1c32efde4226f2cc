package io.lvscp.security;

import io.lvscp.api.PageResponse;
import io.lvscp.api.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API tokens: everybody makes, lists and revokes their own; an admin lists and revokes everyone's. */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "tokens", description = "Bearer tokens for scripts; the token is shown once, at creation")
class TokenController {

    private final TokenService service;

    TokenController(TokenService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(summary = "Make a token for yourself (role at most yours); the answer's 'token' is shown only this once")
    ResponseEntity<TokenService.CreatedToken> create(@RequestBody TokenService.TokenRequest request) {
        TokenService.CreatedToken t = service.create(Caller.current(), request);
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + t.id())).body(t);
    }

    @GetMapping
    @Operation(summary = "Your tokens; an admin sees everyone's (?owner= narrows)")
    PageResponse<TokenService.TokenResponse> list(@RequestParam(required = false) String owner,
            @PageableDefault(size = 50, sort = "createdAt", direction = Sort.Direction.DESC) Pageable pageable) {
        return service.list(Caller.current(), owner, Paging.check(pageable));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a token: it stops working at once")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        service.revoke(Caller.current(), id);
        return ResponseEntity.noContent().build();
    }
}
