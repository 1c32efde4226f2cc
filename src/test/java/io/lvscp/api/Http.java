package io.lvscp.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny JSON-over-HTTP client for the API tests: real requests to a real server. */
public final class Http {

    /** A response: status, ETag and the parsed JSON body (null when empty). */
    public record Response(int status, String etag, JsonNode body, String raw) {
        public JsonNode get(String field) {
            return body.get(field);
        }

        /** The "field" names of a problem's errors list. */
        public java.util.List<String> errorFields() {
            java.util.List<String> out = new java.util.ArrayList<>();
            if (body != null && body.has("errors")) {
                body.get("errors").forEach(e -> out.add(e.get("field").asString()));
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Admin tokens of the running test applications, by port: made once, through HTTP Basic. */
    private static final java.util.Map<Integer, String> ADMIN_TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    private final int port;
    private final String base;
    private final String authorization;

    /** A client without credentials. */
    public Http(int port) {
        this(port, null);
    }

    /** A client sending this Authorization header ("Bearer ...", "Basic ..."), or none when null. */
    public Http(int port, String authorization) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    /**
     * A client acting as the test applications' admin (io.lvscp.support.TestUsers), with a bearer
     * token made once per application through HTTP Basic (a password check per request would be slow).
     */
    public static Http admin(int port) {
        String token = ADMIN_TOKENS.computeIfAbsent(port, p -> newToken(p, io.lvscp.support.TestUsers.adminBasic(), "admin"));
        return new Http(port, "Bearer " + token);
    }

    /** Makes a token with POST /api/v1/tokens as the given credentials; returns the token. */
    public static String newToken(int port, String authorization, String role) {
        Response r = new Http(port, authorization).post("/api/v1/tokens",
                json("{'name':'test-" + role + "-" + System.nanoTime() + "','role':'" + role + "'}"));
        if (r.status() != 201) {
            throw new IllegalStateException("could not make a token: " + r);
        }
        return r.get("token").asString();
    }

    /** The same server with other credentials. */
    public Http as(String authorization) {
        return new Http(port, authorization);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
    }

    /** A GET that accepts text/plain (the Prometheus scrape). */
    public Response getText(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET().header("Accept", "text/plain");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), null, null, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(body(json)), "application/json");
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(body(json)), "application/json");
    }

    public Response put(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(body(json)).header("If-Match", ifMatch), "application/json");
    }

    public Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method("PATCH", body(json)), "application/merge-patch+json");
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), null);
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    }

    private Response send(HttpRequest.Builder b, String contentType) {
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.header("Accept", "application/json, application/problem+json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String raw = r.body();
            boolean isJson = r.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode node = raw == null || raw.isBlank() || !isJson ? null : JSON.readTree(raw);
            return new Response(r.statusCode(), r.headers().firstValue("ETag").orElse(null), node, raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Single quotes to double quotes, so JSON reads well in Java strings. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
