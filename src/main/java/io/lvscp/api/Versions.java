package io.lvscp.api;

/** Optimistic-lock checks for updates: an If-Match header (412) or a "version" field (409). */
public final class Versions {

    private Versions() {
    }

    /** The ETag of a resource version, e.g. "\"3\"". */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Checks what the client believes it is updating against what is stored.
     *
     * @param required true for a full update (PUT): one of the two must be given
     */
    public static void check(String ifMatch, Long bodyVersion, long stored, boolean required) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String v = ifMatch.trim();
            if (v.equals("*")) {
                return;
            }
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            v = v.replace("\"", "");
            if (!v.equals(Long.toString(stored))) {
                throw ApiException.preconditionFailed(ifMatch, stored);
            }
            return;
        }
        if (bodyVersion == null) {
            if (required) {
                throw ApiException.invalid("version", "is required for a full update (or send an If-Match header): "
                        + "it is how concurrent edits are detected", null);
            }
            return;
        }
        if (bodyVersion != stored) {
            throw ApiException.staleVersion(bodyVersion, stored);
        }
    }
}
