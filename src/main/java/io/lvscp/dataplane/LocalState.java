package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanInput;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * This director's last good desired state: what the node agent holds while the database cannot
 * be read. Kept in memory, and in {@code <lvs.state-dir>/<node>.json} (written to a temporary file
 * and renamed over the old one, mode 0600: it holds the VRRP PASS passwords) whenever it changes,
 * so that a director that starts while the database is down starts from it.
 *
 * <p>The plan service is looked up lazily (it depends, through the health checks, on the data plane,
 * which reads the VRRP passwords through this).
 *
 * <p>The file holds the rows the plan was compiled from ({@link PlanInput}), so the held state is
 * compiled again with the health checks' current results: a real server that fails during an
 * outage still leaves IPVS.
 */
public class LocalState implements NodeAgent.LastGood {

    private static final Logger log = LoggerFactory.getLogger(LocalState.class);
    static final int FORMAT = 1;

    /**
     * The file's content. {@code desired} is for people reading the file, in the shape {@code /plan} shows
     * ({@link PlanView.DesiredView}, unchanged since format 1); {@code input} is what is used (start-up recompiles it).
     */
    public record Snapshot(int format, String node, long generation, Instant savedAt, PlanInput input, PlanView.DesiredView desired,
            String directorInterface, Map<String, String> vrrpPasswords) {

        boolean sameContent(Snapshot o) {
            return o != null && generation == o.generation && input.equals(o.input) && desired.equals(o.desired)
                    && java.util.Objects.equals(directorInterface, o.directorInterface) && vrrpPasswords.equals(o.vrrpPasswords);
        }
    }

    /** Where the held state comes from, for health and the API. */
    public enum Source {
        /** The database answered; nothing is held. */
        DATABASE,
        /** The database is down; the state read from it earlier in this process is held. */
        MEMORY,
        /** The database was down when this process started; the state comes from the local file. */
        FILE
    }

    private final String node;
    private final Path file;
    private final JsonMapper mapper;
    private final Supplier<PlanService> plans;
    private final DatabaseStatus database;
    private final Clock clock;
    private final Supplier<Map<String, String>> passwordsFromDatabase;
    private final Supplier<String> interfaceFromDatabase;
    private volatile Snapshot current;
    private volatile Snapshot fromFile;
    private volatile Source source = Source.DATABASE;
    private volatile boolean startedFromFile;
    private volatile Map<String, String> passwords;
    private volatile String directorInterface;

    public LocalState(LvsProperties props, JsonMapper mapper, Supplier<PlanService> plans, DatabaseStatus database, Clock clock,
            Supplier<Map<String, String>> passwordsFromDatabase, Supplier<String> interfaceFromDatabase, MeterRegistry meters) {
        this.node = props.nodeName();
        this.file = props.stateDir().resolve(fileName(node));
        this.mapper = mapper;
        this.plans = plans;
        this.database = database;
        this.clock = clock;
        this.passwordsFromDatabase = passwordsFromDatabase;
        this.interfaceFromDatabase = interfaceFromDatabase;
        this.fromFile = read();
        Gauge.builder("lvs.director.started.from.local.state", this, s -> s.startedFromFile ? 1 : 0)
                .description("1 when this director started while the database was down, from its local state file").tag("node", node)
                .register(meters);
        Gauge.builder("lvs.director.holding.local.state", this, s -> s.source == Source.DATABASE ? 0 : 1)
                .description("1 while the database cannot be read and the data plane holds the last good desired state").tag("node", node)
                .register(meters);
    }

    static String fileName(String node) {
        return node.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    public Path file() {
        return file;
    }

    public Source source() {
        return source;
    }

    public boolean startedFromFile() {
        return startedFromFile;
    }

    /** The last good state (in memory, else from the file), or null. */
    public Snapshot snapshot() {
        Snapshot s = current;
        return s != null ? s : fromFile;
    }

    /** Whether a state file for this node was found at start-up. */
    public boolean hasFile() {
        return fromFile != null;
    }

    @Override
    public boolean databaseUp() {
        return database.up();
    }

    @Override
    public boolean outage(RuntimeException e) {
        if (!DatabaseStatus.isConnectionFailure(e)) {
            return false;
        }
        database.unreachable(e);
        return true;
    }

    @Override
    public void planned(DesiredState desired) {
        if (source != Source.DATABASE) {
            log.warn("Node {}: database readable again; converged to generation {} (was holding the {} state)", node, desired.generation(),
                    source == Source.FILE ? "local file's" : "last good");
            source = Source.DATABASE;
        }
        PlanInput input = plans.get().lastInput(node);
        if (input == null || input.generation() != desired.generation()) {
            return;
        }
        Map<String, String> pw = passwords;
        Snapshot next = new Snapshot(FORMAT, node, desired.generation(), clock.instant(), input, PlanView.of(desired), directorInterface,
                pw == null ? Map.of() : pw);
        if (next.sameContent(current)) {
            return;
        }
        current = next;
        write(next);
    }

    @Override
    public Optional<DesiredState> held() {
        Snapshot s = current;
        if (s != null) {
            if (source == Source.DATABASE) {
                log.warn("Node {}: database unavailable; holding the last good desired state (generation {})", node, s.generation());
            }
            source = source == Source.FILE ? Source.FILE : Source.MEMORY;
        } else {
            s = fromFile;
            if (s == null) {
                return Optional.empty();
            }
            if (source != Source.FILE) {
                log.warn("Node {}: database unreachable at start-up; starting from the local state file {} (generation {}, saved {})", node,
                        file, s.generation(), s.savedAt());
                source = Source.FILE;
                startedFromFile = true;
            }
        }
        return Optional.of(plans.get().compile(s.input()));
    }

    /** What {@link #held} would return, without noting anything (for the plan endpoint during an outage). */
    public Optional<DesiredState> peek() {
        Snapshot s = snapshot();
        return s == null ? Optional.empty() : Optional.of(plans.get().compile(s.input()));
    }

    /** The VRRP PASS passwords: from the database when it answers (and remembered), else the last known. */
    public Map<String, String> passwords() {
        if (database.up()) {
            try {
                Map<String, String> pw = Map.copyOf(passwordsFromDatabase.get());
                passwords = pw;
                return pw;
            } catch (RuntimeException e) {
                if (!outage(e)) {
                    throw e;
                }
            }
        }
        Map<String, String> pw = passwords;
        if (pw == null) {
            Snapshot s = fromFile;
            pw = s == null ? Map.of() : s.vrrpPasswords();
        }
        return pw;
    }

    /** The interface this node's Director record names: from the database when it answers, else the last known. */
    public String directorInterface() {
        if (database.up()) {
            try {
                String i = interfaceFromDatabase.get();
                directorInterface = i;
                return i;
            } catch (RuntimeException e) {
                if (!outage(e)) {
                    throw e;
                }
            }
        }
        String i = directorInterface;
        if (i == null) {
            Snapshot s = fromFile;
            i = s == null ? null : s.directorInterface();
        }
        return i;
    }

    private Snapshot read() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Snapshot s = mapper.readValue(file.toFile(), Snapshot.class);
            if (s.format() != FORMAT || !node.equals(s.node()) || s.input() == null) {
                log.warn("Ignoring the local state file {}: format {} for node '{}' (want format {} for '{}')", file, s.format(), s.node(),
                        FORMAT, node);
                return null;
            }
            return s;
        } catch (RuntimeException e) {
            log.warn("Ignoring the unreadable local state file {}: {}", file, e.toString());
            return null;
        }
    }

    private void write(Snapshot s) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot write the local state file {} (the in-memory copy is kept): {}", file, e.toString());
        }
    }
}
