package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanInput;
import io.lvscp.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The local last good state: written atomically (0600) after a plan, read back by a process that starts during an outage. */
class LocalStateTests {

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
    final PlanService plans = mock(PlanService.class);
    final PlanInput input = new PlanInput("lvs1", 1, "c", 3, List.of(), List.of(), List.of(), Set.of());
    final DesiredState desired = NodeAgentTests.desired(3, NodeAgentTests.RS1);

    LocalState local(String node, Map<String, String> passwords) {
        LvsProperties props = new LvsProperties(node, LvsProperties.DataPlaneMode.DRY_RUN, null, null, null, dir, null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DatabaseStatus db = new DatabaseStatus(clock, meters, props);
        return new LocalState(props, JsonMapper.builder().build(), () -> plans, db, clock, () -> passwords, () -> "eth0", meters);
    }

    @Test
    void aDirectorStartingWhileTheDatabaseIsDownStartsFromTheFileItWroteLast() throws Exception {
        when(plans.lastInput("lvs1")).thenReturn(input);
        when(plans.compile(any())).thenReturn(desired);
        LocalState first = local("lvs1", Map.of("VI_1", "s3cret"));
        assertThat(first.passwords()).containsEntry("VI_1", "s3cret");
        assertThat(first.directorInterface()).isEqualTo("eth0");
        first.planned(desired);
        Path file = dir.resolve("lvs1.json");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).contains("\"generation\" : 3");
        assertThat(dir.resolve("lvs1.json.tmp")).doesNotExist();

        // a new process, the database unreachable: the file's state, passwords and interface
        LocalState second = local("lvs1", Map.of());
        assertThat(second.hasFile()).isTrue();
        second.outage(new org.springframework.dao.DataAccessResourceFailureException("refused"));
        assertThat(second.databaseUp()).isFalse();
        assertThat(second.held()).contains(desired);
        assertThat(second.source()).isEqualTo(LocalState.Source.FILE);
        assertThat(second.startedFromFile()).isTrue();
        assertThat(second.snapshot().input()).isEqualTo(input);
        assertThat(second.passwords()).containsEntry("VI_1", "s3cret");
        assertThat(second.directorInterface()).isEqualTo("eth0");

        // another node's process ignores it
        assertThat(local("lvs2", Map.of()).hasFile()).isFalse();
    }

    /**
     * A file written before the plan's IPVS model became the reconciler's (format 1, {@code desired} in the plan's own
     * records, produced by that code): still read; start-up recompiles its {@code input}, and its {@code desired} is
     * exactly what the view of the recompiled state shows, so the file's shape (and {@code /plan}'s) did not change.
     */
    @Test
    void aFileFromBeforeTheOneIpvsModelIsStillReadAndItsDesiredIsTheSameView() throws Exception {
        try (var in = getClass().getResourceAsStream("/local-state/lvs1-format1.json")) {
            Files.write(dir.resolve("lvs1.json"), in.readAllBytes());
        }
        when(plans.compile(any())).thenAnswer(i -> io.lvscp.plan.PlanCompiler.compile(i.getArgument(0)));
        LocalState local = local("lvs1", Map.of());
        assertThat(local.hasFile()).isTrue();
        local.outage(new org.springframework.dao.DataAccessResourceFailureException("refused"));
        DesiredState held = local.held().orElseThrow();
        assertThat(held.generation()).isEqualTo(3);
        assertThat(held.services()).extracting(s -> s.service().id())
                .containsExactly("TCP 172.18.42.42:80", "UDP 172.18.42.42:53", "FWM 8 IPv6");
        assertThat(held.drainingTargets()).containsExactly("TCP 172.18.42.42:80 -> 172.18.42.222:80");
        assertThat(local.snapshot().desired()).isEqualTo(PlanView.of(held));
        assertThat(local.passwords()).containsEntry("VI_1", "s3cret");
    }
}
