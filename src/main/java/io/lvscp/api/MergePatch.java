package io.lvscp.api;

import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7396): the stored resource, as a request, with the patch laid
 * over it. The result then goes through the same checks as a full update.
 */
@Component
public class MergePatch {

    private final JsonMapper mapper;

    MergePatch(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public <T> T apply(T current, Map<String, Object> patch, Class<T> type) {
        JsonNode base = mapper.valueToTree(current);
        JsonNode merged = merge(base, mapper.valueToTree(patch));
        return mapper.treeToValue(merged, type);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : ((ObjectNode) patch).objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
