package io.lvscp.vrrp.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.lvscp.vrrp.node.VrrpNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The supervisor ({@link ProcessVrrpNode}) against children that run in this JVM: each fake child is the child's own
 * dispatch ({@link VrrpEngineProcess#handle}) on a dry-run VrrpNode behind pipes, so the protocol, the restart and
 * what a new child is given are the real ones, without a JVM to start.
 */
class ProcessVrrpNodeSupervisionTests {

    /** A child process in this JVM: the protocol over pipes, killed by {@link #destroyForcibly()}. */
    static final class FakeChild extends Process {
        final long pid;
        final PipedInputStream parentReads = new PipedInputStream(1 << 16);
        final PipedOutputStream childWrites;
        final PipedOutputStream parentWrites = new PipedOutputStream();
        final PipedInputStream childReads;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final List<VrrpProcessProtocol.Request> received = new CopyOnWriteArrayList<>();
        final VrrpNode node = VrrpNode.forDryRun("lvs1", Clock.systemUTC());
        /** What it says of its loop thread's scheduling at each configure, before the reply (as the real child). */
        volatile RealtimeScheduling says = RealtimeScheduling.outcome(10, 0, 0, "", 2, 10);

        FakeChild(long pid) throws IOException {
            this.pid = pid;
            childWrites = new PipedOutputStream(parentReads);
            childReads = new PipedInputStream(parentWrites, 1 << 16);
            Thread t = new Thread(this::run, "fake-child-" + pid);
            t.setDaemon(true);
            t.start();
        }

        private void send(VrrpProcessProtocol.Message m) throws IOException {
            synchronized (childWrites) {
                childWrites.write((VrrpProcessProtocol.encode(m) + "\n").getBytes(StandardCharsets.UTF_8));
                childWrites.flush();
            }
        }

        private void run() {
            AtomicReference<Map<String, RestartVips.OtherMasters>> pushed = new AtomicReference<>(Map.of());
            try {
                send(new VrrpProcessProtocol.Ready(pid));
                BufferedReader in = new BufferedReader(new InputStreamReader(childReads, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    VrrpProcessProtocol.Request r = VrrpProcessProtocol.decodeRequest(line);
                    received.add(r);
                    if (r instanceof VrrpProcessProtocol.Stop) {
                        node.close();
                        send(new VrrpProcessProtocol.BooleanReply(r.id(), true, null));
                        end(0);
                        return;
                    }
                    if (r instanceof VrrpProcessProtocol.Configure) {
                        send(new VrrpProcessProtocol.Realtime(says));
                    }
                    send(VrrpEngineProcess.handle(node, r, pushed));
                }
                end(3); // standard input ended
            } catch (IOException e) {
                end(137);
            }
        }

        void end(int code) {
            try {
                childWrites.close();
            } catch (IOException e) {
                // gone
            }
            exit.complete(code);
        }

        @Override
        public OutputStream getOutputStream() {
            return parentWrites;
        }

        @Override
        public InputStream getInputStream() {
            return parentReads;
        }

        @Override
        public InputStream getErrorStream() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                exit.get(timeout, unit);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("running");
            }
            return exit.join();
        }

        @Override
        public void destroy() {
            destroyForcibly();
        }

        @Override
        public Process destroyForcibly() {
            end(137);
            try {
                childReads.close();
            } catch (IOException e) {
                // gone
            }
            return this;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public long pid() {
            return pid;
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(5);
        }
    }

    @Test
    void aChildThatDiesIsStartedAgainAndGivenTheSwitchoversPrioritiesThenTheConfigurationWithTheDatabasesView()
            throws Exception {
        List<FakeChild> children = new CopyOnWriteArrayList<>();
        List<String> deaths = new CopyOnWriteArrayList<>();
        List<Set<String>> asked = new CopyOnWriteArrayList<>();
        List<List<String>> changes = new CopyOnWriteArrayList<>();
        ProcessVrrpNode node = new ProcessVrrpNode("lvs1", (name, keep) -> {
            FakeChild c = new FakeChild(1000 + children.size());
            if (!children.isEmpty()) {
                c.says = RealtimeScheduling.outcome(10, -1, 1, "EPERM", -1, -1);
            }
            children.add(c);
            return c;
        }, new RestartBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMinutes(1)));
        node.addSupervision(new ProcessVrrpNode.Supervision() {
            @Override
            public void died(long pid, Integer exitCode, Duration ran, Duration restartIn) {
                deaths.add(pid + ":" + exitCode);
            }
        });
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void instancesChanged(io.lvscp.vrrp.node.VrrpNodeHandle n, List<VrrpNode.InstanceSnapshot> instances) {
                changes.add(instances.stream().map(VrrpNode.InstanceSnapshot::name).toList());
            }
        });
        node.otherMasters(names -> {
            asked.add(Set.copyOf(names));
            Map<String, RestartVips.OtherMasters> m = new java.util.HashMap<>();
            names.forEach(n -> m.put(n, RestartVips.OtherMasters.of(List.of("lvs2"))));
            return m;
        });

        assertThat(node.realtime()).isEqualTo(RealtimeScheduling.off()); // no child said anything yet
        VrrpNode.Result r = node.configure(List.of(VrrpEngineProcessTests.SPEC), Map.of("VI_1", "pw"));
        assertThat(r.started()).containsExactly("VI_1");
        assertThat(node.realtime().applied()).isEqualTo(10); // said before the reply: known when configure returns
        assertThat(node.instances()).extracting(VrrpNode.InstanceSnapshot::name).containsExactly("VI_1");
        assertThat(asked).containsExactly(Set.of("VI_1"));
        // a second round with the instance running asks the database nothing
        node.configure(List.of(VrrpEngineProcessTests.SPEC), Map.of("VI_1", "pw"));
        assertThat(asked).hasSize(1);
        assertThat(node.setEffectivePriority("VI_1", 90)).isTrue();
        assertThat(node.effectivePriorities()).isEqualTo(Map.of("VI_1", 90));
        node.standDown("VI_1", "stepped down: split brain"); // a backup here: nothing to release, but held
        assertThat(node.starts()).isEqualTo(1);

        FakeChild first = children.get(0);
        first.destroyForcibly(); // a crash
        waitFor(() -> node.starts() == 2 && node.up(), "a second child");
        waitFor(() -> !node.instances().isEmpty(), "the configuration given to the second child");
        assertThat(deaths).containsExactly("1000:137");
        FakeChild second = children.get(1);
        List<VrrpProcessProtocol.Request> got = new ArrayList<>(second.received);
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isInstanceOfSatisfying(VrrpProcessProtocol.SetEffective.class,
                e -> assertThat(e.priority()).isEqualTo(90));
        assertThat(got.get(1)).isInstanceOfSatisfying(VrrpProcessProtocol.StandDown.class,
                d -> assertThat(d.instance()).isEqualTo("VI_1"));
        assertThat(got.get(2)).isInstanceOfSatisfying(VrrpProcessProtocol.Configure.class, c -> {
            assertThat(c.specs()).containsExactly(VrrpEngineProcessTests.SPEC);
            assertThat(c.passwords()).isEqualTo(Map.of("VI_1", "pw"));
            assertThat(c.otherMasters()).isEqualTo(Map.of("VI_1", RestartVips.OtherMasters.of(List.of("lvs2"))));
        });
        assertThat(second.node.effectivePriorities()).isEqualTo(Map.of("VI_1", 90));
        assertThat(second.node.standingDown()).containsExactly("VI_1"); // the split-brain hold went to the new child
        waitFor(() -> node.realtime().state() == RealtimeScheduling.State.REFUSED, "the second child's scheduling");
        assertThat(changes).contains(List.of()); // the instances vanished with the first child, then came back
        assertThat(changes.get(changes.size() - 1)).containsExactly("VI_1");

        node.close();
        assertThat(second.exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(second.received.get(second.received.size() - 1)).isInstanceOf(VrrpProcessProtocol.Stop.class);
        assertThat(node.starts()).isEqualTo(2);
        assertThat(deaths).hasSize(1); // a stop is no death
    }

    @Test
    void whileNoChildIsUpTheSwitchoversPriorityIsKeptForTheNextChildAndReportedAsNotRunning() throws Exception {
        List<FakeChild> children = new CopyOnWriteArrayList<>();
        ProcessVrrpNode node = new ProcessVrrpNode("lvs1", (name, keep) -> {
            FakeChild c = new FakeChild(2000 + children.size());
            children.add(c);
            c.destroyForcibly(); // dies before it is ready
            return c;
        }, new RestartBackoff(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMinutes(1)));
        try {
            node.start();
            waitFor(() -> children.size() >= 2, "a child started again after the first died");
            assertThat(node.setEffectivePriority("VI_1", 80)).isFalse(); // not running: kept for the next child
            assertThat(node.effectivePriorities()).isEqualTo(Map.of("VI_1", 80));
            assertThat(node.up()).isFalse();
            assertThat(node.instances()).isEmpty();
            assertThat(node.realtime().state()).isEqualTo(RealtimeScheduling.State.OFF);
        } finally {
            node.close();
        }
    }
}
