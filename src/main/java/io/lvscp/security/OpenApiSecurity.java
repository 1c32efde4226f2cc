package io.lvscp.security;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document names the two ways in, so Swagger UI's Authorize button can send a token. */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "an API token (lvscp_...), made with POST /api/v1/tokens")
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic", description = "a user's name and password")
@OpenAPIDefinition(security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "basic")})
class OpenApiSecurity {
}
