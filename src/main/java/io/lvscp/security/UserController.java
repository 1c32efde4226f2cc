package io.lvscp.security;

import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
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
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users: admins only, except that everybody may change their own password (SecurityConfiguration). */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "Who may log in, and with which role")
class UserController {

    private final UserService service;

    UserController(UserService service) {
        this.service = service;
    }

    @GetMapping
    PageResponse<UserService.UserResponse> list(@PageableDefault(size = 50, sort = "username", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(Paging.check(pageable));
    }

    @GetMapping("/{username}")
    ResponseEntity<UserService.UserResponse> get(@PathVariable String username) {
        UserService.UserResponse u = service.get(username);
        return ResponseEntity.ok().eTag(Versions.etag(u.version())).body(u);
    }

    @PostMapping
    ResponseEntity<UserService.UserResponse> create(@RequestBody UserService.UserRequest request) {
        UserService.UserResponse u = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + u.username())).eTag(Versions.etag(u.version())).body(u);
    }

    @PatchMapping(path = "/{username}", consumes = {"application/merge-patch+json", "application/json"})
    @Operation(summary = "Change a user's role or enabled state")
    ResponseEntity<UserService.UserResponse> patch(@PathVariable String username, @RequestBody UserService.UserPatch patch,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        UserService.UserResponse u = service.update(username, patch, ifMatch);
        return ResponseEntity.ok().eTag(Versions.etag(u.version())).body(u);
    }

    @PutMapping("/{username}/password")
    @Operation(summary = "Change a password: your own (send currentPassword too), or as an admin anyone's")
    ResponseEntity<Void> password(@PathVariable String username, @RequestBody UserService.PasswordChange change) {
        service.changePassword(Caller.current(), username, change);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{username}")
    @Operation(summary = "Delete a user and its tokens")
    ResponseEntity<Void> delete(@PathVariable String username) {
        service.delete(username);
        return ResponseEntity.noContent().build();
    }
}
