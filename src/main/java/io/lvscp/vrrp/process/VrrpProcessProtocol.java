package io.lvscp.vrrp.process;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Addresses;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.lvscp.vrrp.node.VrrpNode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The line protocol between the service and its VRRP engine process ({@code lvs.vrrp.engine=process}): one JSON
 * object per line, on the child's standard input (requests) and standard output (replies and what the engine tells).
 * Pure: text in, records out, and back.
 *
 * <p>Requests carry an {@code id}; the child answers each with a reply of the same id, in order. Besides the replies,
 * the child sends {@code ready} once at start, a {@code transition} per state change as it happens, a
 * {@code snapshot} of its instances and unmatched counters whenever they changed (at most every few hundred ms), and
 * {@code stopped} per instance stopped (its last counters). The database's view of other masters (keep-VIPs-on-restart)
 * travels with each {@code configure}: the parent asks the database, the child never does.
 */
public final class VrrpProcessProtocol {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VrrpProcessProtocol() {
    }

    // ---- parent -> child ------------------------------------------------------------------------------------

    /** A request to the child. */
    public sealed interface Request {
        long id();
    }

    /** {@link VrrpNode#configure}, with the database's answer for the instances that may start. */
    public record Configure(long id, List<VrrpInstanceSpec> specs, Map<String, String> passwords,
            Map<String, RestartVips.OtherMasters> otherMasters) implements Request {
        public Configure {
            specs = List.copyOf(specs);
            passwords = Map.copyOf(passwords);
            otherMasters = Map.copyOf(otherMasters);
        }
    }

    /** {@link VrrpNode#setEffectivePriority}; {@code priority} null: back to the configured one. */
    public record SetEffective(long id, String instance, Integer priority) implements Request {
    }

    /** {@link VrrpNode#effectivePriorities}. */
    public record GetEffective(long id) implements Request {
    }

    /** {@link VrrpNode#release}. */
    public record Release(long id, String instance) implements Request {
    }

    /** {@link VrrpNode#standDown}. */
    public record StandDown(long id, String instance, String reason) implements Request {
    }

    /** {@link VrrpNode#endStandDown}. */
    public record EndStandDown(long id, String instance) implements Request {
    }

    /** {@link VrrpNode#close}: masters send priority 0 and remove their VIPs; the child exits after its reply. */
    public record Stop(long id) implements Request {
    }

    // ---- child -> parent ------------------------------------------------------------------------------------

    /** A line from the child. */
    public sealed interface Message {
    }

    /** The child runs and reads requests. */
    public record Ready(long pid) implements Message {
    }

    /** The answer to the request {@code id}: {@code error} null when it succeeded. */
    public sealed interface Reply extends Message {
        long id();

        String error();
    }

    public record ConfigureReply(long id, VrrpNode.Result result, Snapshot snapshot, String error) implements Reply {
    }

    public record BooleanReply(long id, boolean value, String error) implements Reply {
    }

    public record PrioritiesReply(long id, Map<String, Integer> priorities, String error) implements Reply {
    }

    /** A state change, sent when it happens. */
    public record TransitionMessage(VrrpNode.Transition transition) implements Message {
    }

    /** The instances and unmatched counters as the engine's loop last published them. */
    public record Snapshot(List<VrrpNode.InstanceSnapshot> instances, Map<String, Map<VrrpCounter, Long>> unmatched)
            implements Message {
        public Snapshot {
            instances = List.copyOf(instances);
            unmatched = Map.copyOf(unmatched);
        }
    }

    /** An instance stopped; its last counters. */
    public record Stopped(VrrpNode.InstanceSnapshot last) implements Message {
    }

    /** The scheduling of the engine's loop thread ({@code lvs.vrrp.realtime-priority}), sent when it is known. */
    public record Realtime(RealtimeScheduling scheduling) implements Message {
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    /** One line (no newline) for {@code request}. */
    public static String encode(Request request) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", request.id());
        if (request instanceof Configure c) {
            o.put("op", "configure");
            o.set("specs", JSON.valueToTree(c.specs()));
            ObjectNode p = o.putObject("passwords");
            new TreeMap<>(c.passwords()).forEach(p::put);
            ObjectNode m = o.putObject("otherMasters");
            new TreeMap<>(c.otherMasters()).forEach((name, om) -> {
                ObjectNode x = m.putObject(name);
                x.put("known", om.known());
                ArrayNode nodes = x.putArray("nodes");
                om.nodes().forEach(nodes::add);
            });
        } else if (request instanceof SetEffective e) {
            o.put("op", "effective");
            o.put("instance", e.instance());
            if (e.priority() == null) {
                o.putNull("priority");
            } else {
                o.put("priority", e.priority());
            }
        } else if (request instanceof GetEffective) {
            o.put("op", "effectives");
        } else if (request instanceof Release r) {
            o.put("op", "release");
            o.put("instance", r.instance());
        } else if (request instanceof StandDown d) {
            o.put("op", "standDown");
            o.put("instance", d.instance());
            o.put("reason", d.reason());
        } else if (request instanceof EndStandDown d) {
            o.put("op", "endStandDown");
            o.put("instance", d.instance());
        } else if (request instanceof Stop) {
            o.put("op", "stop");
        }
        return JSON.writeValueAsString(o);
    }

    /** The request on {@code line}; an {@link IllegalArgumentException} when it is not one. */
    public static Request decodeRequest(String line) {
        JsonNode o = parse(line);
        long id = required(o, "id").asLong();
        String op = required(o, "op").asString();
        return switch (op) {
            case "configure" -> {
                List<VrrpInstanceSpec> specs = new ArrayList<>();
                for (JsonNode s : required(o, "specs")) {
                    specs.add(JSON.treeToValue(s, VrrpInstanceSpec.class));
                }
                Map<String, String> passwords = new LinkedHashMap<>();
                JsonNode p = o.get("passwords");
                if (p != null) {
                    p.properties().forEach(e -> passwords.put(e.getKey(), e.getValue().asString()));
                }
                Map<String, RestartVips.OtherMasters> masters = new LinkedHashMap<>();
                JsonNode m = o.get("otherMasters");
                if (m != null) {
                    m.properties().forEach(e -> {
                        List<String> nodes = new ArrayList<>();
                        e.getValue().path("nodes").forEach(n -> nodes.add(n.asString()));
                        masters.put(e.getKey(), new RestartVips.OtherMasters(e.getValue().path("known").asBoolean(), nodes));
                    });
                }
                yield new Configure(id, specs, passwords, masters);
            }
            case "effective" -> {
                JsonNode p = o.get("priority");
                yield new SetEffective(id, required(o, "instance").asString(), p == null || p.isNull() ? null : p.asInt());
            }
            case "effectives" -> new GetEffective(id);
            case "release" -> new Release(id, required(o, "instance").asString());
            case "standDown" -> new StandDown(id, required(o, "instance").asString(), o.path("reason").asString(""));
            case "endStandDown" -> new EndStandDown(id, required(o, "instance").asString());
            case "stop" -> new Stop(id);
            default -> throw new IllegalArgumentException("unknown request '" + op + "'");
        };
    }

    /** One line (no newline) for {@code message}. */
    public static String encode(Message message) {
        ObjectNode o = JSON.createObjectNode();
        if (message instanceof Ready r) {
            o.put("type", "ready");
            o.put("pid", r.pid());
        } else if (message instanceof ConfigureReply c) {
            reply(o, "configured", c);
            if (c.result() != null) {
                o.set("result", JSON.valueToTree(c.result()));
            }
            if (c.snapshot() != null) {
                o.set("snapshot", snapshot(c.snapshot()));
            }
        } else if (message instanceof BooleanReply b) {
            reply(o, "boolean", b);
            o.put("value", b.value());
        } else if (message instanceof PrioritiesReply p) {
            reply(o, "priorities", p);
            ObjectNode m = o.putObject("priorities");
            if (p.priorities() != null) {
                new TreeMap<>(p.priorities()).forEach(m::put);
            }
        } else if (message instanceof TransitionMessage t) {
            o.put("type", "transition");
            VrrpNode.Transition x = t.transition();
            o.put("node", x.node());
            o.put("instance", x.instance());
            o.put("vrid", x.vrid());
            o.put("interface", x.interfaceName());
            o.put("from", x.from().name());
            o.put("to", x.to().name());
            o.put("at", x.at().toString());
            o.put("reason", x.reason());
            o.put("priority", x.priority());
            putAddress(o, "master", x.masterAddress());
            putDuration(o, "failoverNanos", x.failover());
        } else if (message instanceof Snapshot s) {
            o.put("type", "snapshot");
            o.setAll(snapshot(s));
        } else if (message instanceof Stopped s) {
            o.put("type", "stopped");
            o.set("instance", instance(s.last()));
        } else if (message instanceof Realtime r) {
            o.put("type", "realtime");
            o.put("requested", r.scheduling().requested());
            o.put("applied", r.scheduling().applied());
            o.put("state", r.scheduling().state().name());
            o.put("detail", r.scheduling().detail());
        }
        return JSON.writeValueAsString(o);
    }

    /** The message on {@code line}; an {@link IllegalArgumentException} when it is not one. */
    public static Message decodeMessage(String line) {
        JsonNode o = parse(line);
        String type = required(o, "type").asString();
        return switch (type) {
            case "ready" -> new Ready(o.path("pid").asLong());
            case "configured" -> new ConfigureReply(o.path("id").asLong(),
                    o.hasNonNull("result") ? JSON.treeToValue(o.get("result"), VrrpNode.Result.class) : null,
                    o.hasNonNull("snapshot") ? snapshot(o.get("snapshot")) : null, error(o));
            case "boolean" -> new BooleanReply(o.path("id").asLong(), o.path("value").asBoolean(), error(o));
            case "priorities" -> {
                Map<String, Integer> m = new LinkedHashMap<>();
                o.path("priorities").properties().forEach(e -> m.put(e.getKey(), e.getValue().asInt()));
                yield new PrioritiesReply(o.path("id").asLong(), m, error(o));
            }
            case "transition" -> new TransitionMessage(new VrrpNode.Transition(o.path("node").asString(),
                    o.path("instance").asString(), o.path("vrid").asInt(), o.path("interface").asString(),
                    VrrpState.valueOf(o.path("from").asString()), VrrpState.valueOf(o.path("to").asString()),
                    Instant.parse(o.path("at").asString()), o.path("reason").asString(), o.path("priority").asInt(),
                    address(o, "master"), duration(o, "failoverNanos")));
            case "snapshot" -> snapshot(o);
            case "stopped" -> new Stopped(instance(required(o, "instance")));
            case "realtime" -> new Realtime(new RealtimeScheduling(o.path("requested").asInt(), o.path("applied").asInt(),
                    RealtimeScheduling.State.valueOf(required(o, "state").asString()), o.path("detail").asString("")));
            default -> throw new IllegalArgumentException("unknown message '" + type + "'");
        };
    }

    // ---- parts ----------------------------------------------------------------------------------------------

    private static void reply(ObjectNode o, String type, Reply r) {
        o.put("type", type);
        o.put("id", r.id());
        if (r.error() != null) {
            o.put("error", r.error());
        }
    }

    private static String error(JsonNode o) {
        return o.hasNonNull("error") ? o.get("error").asString() : null;
    }

    private static ObjectNode snapshot(Snapshot s) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("instances");
        s.instances().forEach(i -> list.add(instance(i)));
        ObjectNode u = o.putObject("unmatched");
        new TreeMap<>(s.unmatched()).forEach((iface, counters) -> u.set(iface, counters(counters)));
        return o;
    }

    private static Snapshot snapshot(JsonNode o) {
        List<VrrpNode.InstanceSnapshot> list = new ArrayList<>();
        o.path("instances").forEach(i -> list.add(instance(i)));
        Map<String, Map<VrrpCounter, Long>> unmatched = new TreeMap<>();
        o.path("unmatched").properties().forEach(e -> unmatched.put(e.getKey(), counters(e.getValue())));
        return new Snapshot(list, unmatched);
    }

    private static ObjectNode instance(VrrpNode.InstanceSnapshot s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", s.name());
        o.put("vrid", s.vrid());
        o.put("interface", s.interfaceName());
        o.put("family", s.family().name());
        o.put("version", s.version());
        o.put("state", s.state().name());
        o.put("priority", s.priority());
        putAddress(o, "master", s.masterAddress());
        if (s.lastTransition() != null) {
            o.put("lastTransition", s.lastTransition().toString());
        }
        if (s.lastTransitionReason() != null) {
            o.put("reason", s.lastTransitionReason());
        }
        o.put("transitions", s.transitions());
        putDuration(o, "lastFailoverNanos", s.lastFailover());
        o.set("counters", counters(s.counters()));
        return o;
    }

    private static VrrpNode.InstanceSnapshot instance(JsonNode o) {
        return new VrrpNode.InstanceSnapshot(o.path("name").asString(), o.path("vrid").asInt(), o.path("interface").asString(),
                Family.valueOf(o.path("family").asString()), o.path("version").asInt(), VrrpState.valueOf(o.path("state").asString()),
                o.path("priority").asInt(), address(o, "master"),
                o.hasNonNull("lastTransition") ? Instant.parse(o.get("lastTransition").asString()) : null,
                o.hasNonNull("reason") ? o.get("reason").asString() : null, o.path("transitions").asLong(),
                duration(o, "lastFailoverNanos"), counters(o.path("counters")));
    }

    private static ObjectNode counters(Map<VrrpCounter, Long> counters) {
        ObjectNode o = JSON.createObjectNode();
        new TreeMap<>(counters).forEach((c, v) -> o.put(c.name(), v));
        return o;
    }

    private static Map<VrrpCounter, Long> counters(JsonNode o) {
        Map<VrrpCounter, Long> m = new EnumMap<>(VrrpCounter.class);
        o.properties().forEach(e -> {
            try {
                m.put(VrrpCounter.valueOf(e.getKey()), e.getValue().asLong());
            } catch (IllegalArgumentException unknown) {
                // a counter this side does not know (a newer child): left out
            }
        });
        return Map.copyOf(m);
    }

    private static void putAddress(ObjectNode o, String field, InetAddress a) {
        if (a != null) {
            o.put(field, a.getHostAddress());
        }
    }

    private static InetAddress address(JsonNode o, String field) {
        return o.hasNonNull(field) ? Addresses.parse(o.get(field).asString()) : null;
    }

    private static void putDuration(ObjectNode o, String field, Duration d) {
        if (d != null) {
            o.put(field, d.toNanos());
        }
    }

    private static Duration duration(JsonNode o, String field) {
        return o.hasNonNull(field) ? Duration.ofNanos(o.get(field).asLong()) : null;
    }

    private static JsonNode parse(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return o;
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return v;
    }
}
