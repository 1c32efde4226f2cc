package io.lvscp.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.support.MutableClock;
import io.lvscp.vrrp.Advertisement;
import io.lvscp.vrrp.AdvertisementCodec;
import io.lvscp.vrrp.AnnouncePolicy;
import io.lvscp.vrrp.FakeVrrpTransport;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.VrrpTransport;
import io.lvscp.vrrp.VrrpVersion;
import io.lvscp.vrrp.VrrpAuthType;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The node's diffing, loop and lifecycle with a fake host and a mutable clock (one {@code step()} at a time). */
public class VrrpNodeTests {

    /** A host with interfaces eth0 (10.200.0.2) and eth1 (10.201.0.2); records every port and transport. */
    public static final class FakeIo implements VrrpNodeIo {
        final Map<String, String> addresses = new HashMap<>(Map.of("eth0", "10.200.0.2", "eth1", "10.201.0.2"));
        public final Map<PortKey, FakePort> open = new HashMap<>();
        final List<PortKey> opened = new ArrayList<>();
        final Map<PortKey, InetAddress> sources = new HashMap<>();
        /** Addresses listed before the primary one, as Java lists them (a VIP a crashed run left comes first). */
        final Map<String, List<String>> extra = new HashMap<>();
        final Map<String, FakeVrrpTransport> transports = new HashMap<>();
        final ArrayDeque<LinkChange> links = new ArrayDeque<>();
        final Set<String> down = new java.util.HashSet<>();
        boolean closed;

        @Override
        public InetAddress primaryAddress(String interfaceName, Family family, Set<InetAddress> vips) throws IOException {
            String a = addresses.get(interfaceName);
            if (a == null) {
                throw new IOException("no interface " + interfaceName);
            }
            for (String e : extra.getOrDefault(interfaceName, List.of())) {
                if (!vips.contains(Addresses.parse(e))) {
                    return Addresses.parse(e);
                }
            }
            return Addresses.parse(a);
        }

        @Override
        public boolean linkUp(String interfaceName) {
            return !down.contains(interfaceName);
        }

        @Override
        public Port open(PortKey key, InetAddress source) {
            FakePort p = new FakePort(key);
            sources.put(key, source);
            open.put(key, p);
            opened.add(key);
            return p;
        }

        @Override
        public VrrpTransport transport(VrrpInstanceSpec spec, VrrpInstanceConfig config, Port port) {
            FakeVrrpTransport t = new FakeVrrpTransport();
            t.vipsHeld.add(spec.name()); // a VIP left on the interface by a crashed run
            transports.put(spec.name(), t);
            return t;
        }

        /** Truthful: the VIP "left on the interface" by the transport's creation is there until removed. */
        @Override
        public boolean vipsPresent(VrrpInstanceSpec spec) {
            FakeVrrpTransport t = transports.get(spec.name());
            return t != null && t.vipsHeld.contains(spec.name());
        }

        @Override
        public void await(List<Port> ports, Duration timeout) {
        }

        @Override
        public List<LinkChange> linkChanges() {
            List<LinkChange> l = List.copyOf(links);
            links.clear();
            return l;
        }

        @Override
        public void close() {
            closed = true;
        }

        public final class FakePort implements Port {
            final PortKey key;
            public final ArrayDeque<ReceivedPacket> inbox = new ArrayDeque<>();
            boolean closed;

            FakePort(PortKey key) {
                this.key = key;
            }

            @Override
            public PortKey key() {
                return key;
            }

            @Override
            public ReceivedPacket receive() {
                return inbox.poll();
            }

            @Override
            public void close() {
                closed = true;
                open.remove(key);
            }
        }
    }

    final MutableClock clock = new MutableClock();
    final FakeIo io = new FakeIo();
    final List<VrrpNode.Transition> transitions = new ArrayList<>();
    final VrrpNode node = node(io, clock);

    VrrpNode node(FakeIo host, Clock c) {
        VrrpNode n = new VrrpNode("lvs1", host, c, false, false, AnnouncePolicy.ONCE);
        n.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                transitions.add(t);
            }
        });
        return n;
    }

    public static VrrpInstanceSpec spec(String name, int vrid, String iface, int priority) {
        return spec(name, vrid, iface, priority, null);
    }

    public static VrrpInstanceSpec spec(String name, int vrid, String iface, int priority, String syncGroup) {
        return new VrrpInstanceSpec(name, vrid, iface, Family.IPV4, 2, 1, priority, true, 0, true, null, List.of(), syncGroup,
                List.of(new PlanInput.Vip("10.200." + vrid + ".100", 24, null, iface + ":" + vrid)));
    }

    public static ReceivedPacket advert(int vrid, int priority, String password, String source) {
        InetAddress src = Addresses.parse(source);
        InetAddress dst = Addresses.parse("224.0.0.18");
        Advertisement ad = new Advertisement(VrrpVersion.V2, vrid, priority, 1, Family.IPV4,
                List.of(Addresses.parse("10.200." + vrid + ".100")), VrrpAuthType.PASS, password);
        return new ReceivedPacket(Family.IPV4, src, dst, 255, 112, AdvertisementCodec.encode(ad, src, dst));
    }

    VrrpNode.InstanceSnapshot status(String name) {
        return node.instance(name).orElseThrow();
    }

    FakeIo.FakePort port(String iface) {
        return io.open.get(new VrrpNodeIo.PortKey(iface, Family.IPV4, Addresses.parse("224.0.0.18")));
    }

    void run(Duration d) {
        Duration step = Duration.ofMillis(10);
        for (long t = 0; t < d.toMillis(); t += step.toMillis()) {
            clock.advance(step);
            node.step();
        }
    }

    @Test
    void startsEachInstanceAsBackupWithOneSocketPerInterfaceAndRemovesStaleVipsWhenKeepingIsOff() {
        node.keepVipsOnRestart(false);
        VrrpNode.Result r = node.configure(List.of(spec("VI_1", 51, "eth0", 100), spec("VI_2", 52, "eth0", 100),
                spec("VI_3", 53, "eth1", 100)), Map.of("VI_1", "secret", "VI_2", "secret", "VI_3", "secret"));
        assertThat(r.started()).containsExactly("VI_1", "VI_2", "VI_3");
        assertThat(r.errors()).isEmpty();
        assertThat(io.opened).extracting(VrrpNodeIo.PortKey::interfaceName).containsExactly("eth0", "eth1");
        assertThat(node.instances()).extracting(VrrpNode.InstanceSnapshot::state).containsOnly(VrrpState.BACKUP);
        assertThat(io.transports.values()).allSatisfy(t -> assertThat(t.vipsHeld).isEmpty());
        assertThat(transitions).extracting(VrrpNode.Transition::summary)
                .contains("node lvs1: VI_1 INITIALIZE -> BACKUP (started)");
    }

    @Nested
    class ARestartThatFindsItsVipsOnTheInterface {

        final List<String> asked = new ArrayList<>();

        void database(Map<String, RestartVips.OtherMasters> answer) {
            node.otherMasters(instances -> {
                asked.addAll(instances);
                return answer;
            });
        }

        @Test
        void keepsThemWhileItWaitsAndBecomesMasterAtTheEndOfTheWaitWhenNoOneElseIsMaster() {
            database(Map.of("VI_1", RestartVips.OtherMasters.none()));
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            FakeVrrpTransport t = io.transports.get("VI_1");
            assertThat(asked).containsExactly("VI_1");
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
            assertThat(t.vipsHeld).containsExactly("VI_1"); // never removed
            run(Duration.ofMillis(3500)); // Master_Down_Interval 3.61 s at priority 100
            assertThat(t.vipsHeld).containsExactly("VI_1");
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
            run(Duration.ofMillis(200));
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);
            assertThat(t.vipsHeld).containsExactly("VI_1");
            assertThat(t.announced).isNotEmpty();
            assertThat(transitions.get(transitions.size() - 1).reason())
                    .isEqualTo("kept the VIPs it found through the restart: no other master heard for 3.61 s");

            // a running instance is not asked about again
            asked.clear();
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(asked).isEmpty();
        }

        @Test
        void releasesThemAtTheFirstAdvertOfALiveMaster() {
            database(Map.of("VI_1", RestartVips.OtherMasters.none()));
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            FakeVrrpTransport t = io.transports.get("VI_1");
            run(Duration.ofMillis(300));
            assertThat(t.vipsHeld).containsExactly("VI_1");
            port("eth0").inbox.add(advert(51, 150, "pw", "10.200.0.1"));
            node.step();
            assertThat(t.vipsHeld).isEmpty();
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
            assertThat(status("VI_1").masterAddress()).isEqualTo(Addresses.parse("10.200.0.1"));
        }

        @Test
        void removesThemWhenTheDatabaseShowsAnotherMaster() {
            database(Map.of("VI_1", RestartVips.OtherMasters.of(List.of("lvs2"))));
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(io.transports.get("VI_1").vipsHeld).isEmpty();
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void withoutASecondChannelVrrpAloneDecides() {
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(io.transports.get("VI_1").vipsHeld).containsExactly("VI_1");
        }

        @Test
        void aLookupThatFailsIsNoAnswer() {
            node.otherMasters(instances -> {
                throw new IllegalStateException("database gone");
            });
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(io.transports.get("VI_1").vipsHeld).containsExactly("VI_1");
        }

        @Test
        void aDownLinkRemovesThem() {
            io.down.add("eth0");
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(io.transports.get("VI_1").vipsHeld).isEmpty();
            assertThat(status("VI_1").state()).isEqualTo(VrrpState.FAULT);
        }

        @Test
        void keepingOffRemovesThemAndAsksNoOne() {
            database(Map.of("VI_1", RestartVips.OtherMasters.none()));
            node.keepVipsOnRestart(false);
            node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
            assertThat(io.transports.get("VI_1").vipsHeld).isEmpty();
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void theSocketSendsFromOurOwnAddressEvenWhenAStaleVipIsListedFirst() {
        // a crashed run left VI_1's VIP on eth0; Java lists the newest address first
        io.extra.put("eth0", List.of("10.200.51.100"));
        node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "s"));
        assertThat(io.sources).containsValue(Addresses.parse("10.200.0.2"));
        assertThat(io.sources.values()).doesNotContain(Addresses.parse("10.200.51.100"));
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void aChangedInstanceRestartsAloneWhileTheOthersKeepTheirState() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150), spec("VI_2", 52, "eth0", 100)), Map.of("VI_1", "s", "VI_2", "s"));
        run(Duration.ofSeconds(4)); // both masters: nobody else advertises
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);
        FakeVrrpTransport vi2 = io.transports.get("VI_2");
        FakeVrrpTransport vi1Before = io.transports.get("VI_1");
        int vi2Sent = vi2.sent.size();

        VrrpNode.Result r = node.configure(List.of(spec("VI_1", 51, "eth0", 120), spec("VI_2", 52, "eth0", 100)),
                Map.of("VI_1", "s", "VI_2", "s"));

        assertThat(r.restarted()).containsExactly("VI_1");
        assertThat(r.unchanged()).containsExactly("VI_2");
        assertThat(r.started()).isEmpty();
        assertThat(vi1Before.lastSent().priority()).isZero(); // the old VI_1 handed over
        assertThat(io.transports.get("VI_2")).isSameAs(vi2);
        assertThat(vi2.sent).hasSize(vi2Sent); // VI_2 was not touched
        assertThat(status("VI_2").state()).isEqualTo(VrrpState.MASTER);
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(status("VI_1").priority()).isEqualTo(120);
        assertThat(io.opened).hasSize(1); // the socket stayed open

        // a new password is a change too; the same input again is none
        assertThat(node.configure(List.of(spec("VI_1", 51, "eth0", 120), spec("VI_2", 52, "eth0", 100)),
                Map.of("VI_1", "s", "VI_2", "other")).restarted()).containsExactly("VI_2");
        VrrpNode.Result same = node.configure(List.of(spec("VI_1", 51, "eth0", 120), spec("VI_2", 52, "eth0", 100)),
                Map.of("VI_1", "s", "VI_2", "other"));
        assertThat(same.unchanged()).containsExactly("VI_1", "VI_2");
        assertThat(same.restarted()).isEmpty();
    }

    @Test
    void aRemovedMasterSendsPriorityZeroReleasesItsVipsAndItsSocketCloses() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150), spec("VI_3", 53, "eth1", 100)), Map.of());
        run(Duration.ofSeconds(4));
        FakeVrrpTransport t = io.transports.get("VI_3");
        assertThat(t.vipsHeld).containsExactly("VI_3");
        FakeIo.FakePort eth1 = port("eth1");

        VrrpNode.Result r = node.configure(List.of(spec("VI_1", 51, "eth0", 150)), Map.of());

        assertThat(r.stopped()).containsExactly("VI_3");
        assertThat(t.lastSent().priority()).isZero();
        assertThat(t.vipsHeld).isEmpty();
        assertThat(eth1.closed).isTrue();
        assertThat(port("eth0")).isNotNull();
        assertThat(node.instances()).extracting(VrrpNode.InstanceSnapshot::name).containsExactly("VI_1");
    }

    @Test
    void advertsFromTheSocketReachTheirInstanceAndTheTakeoverIsExplained() {
        node.keepVipsOnRestart(false); // the fake host's stale VIPs would be kept (see the restart tests below)
        node.configure(List.of(spec("VI_1", 51, "eth0", 100), spec("VI_2", 52, "eth0", 100)), Map.of("VI_1", "pw", "VI_2", "pw"));
        for (int i = 0; i < 5; i++) {
            port("eth0").inbox.add(advert(51, 150, "pw", "10.200.0.1"));
            port("eth0").inbox.add(advert(52, 150, "wrong", "10.200.0.1"));
            run(Duration.ofSeconds(1));
        }
        // VI_1 is held back by the master's adverts; VI_2 rejects them (password) and takes over
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(status("VI_1").masterAddress()).isEqualTo(Addresses.parse("10.200.0.1"));
        assertThat(status("VI_1").counters()).containsEntry(VrrpCounter.ADVERT_RCVD, 5L);
        assertThat(status("VI_2").state()).isEqualTo(VrrpState.MASTER);
        assertThat(status("VI_2").counters().get(VrrpCounter.AUTH_FAILURE)).isPositive();
        assertThat(transitions).filteredOn(t -> t.to() == VrrpState.MASTER).singleElement()
                .satisfies(t -> assertThat(t.reason()).startsWith("no master heard"));

        // the master of VI_1 stops gracefully: priority 0, we take over after Skew_Time (0.61 s)
        port("eth0").inbox.add(advert(51, 0, "pw", "10.200.0.1"));
        run(Duration.ofMillis(700));
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);
        VrrpNode.Transition takeover = transitions.get(transitions.size() - 1);
        assertThat(takeover.reason()).isEqualTo("master 10.200.0.1 sent priority 0");
        assertThat(takeover.failover()).isBetween(Duration.ofMillis(600), Duration.ofMillis(630));
        assertThat(status("VI_1").lastFailover()).isEqualTo(takeover.failover());
        assertThat(status("VI_1").transitions()).isEqualTo(2);
    }

    @Test
    void packetsSentToAnotherGroupAreNotThisSocketsBusiness() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "pw"));
        InetAddress src = Addresses.parse("10.200.0.1");
        InetAddress other = Addresses.parse("224.0.0.99");
        Advertisement ad = new Advertisement(VrrpVersion.V2, 51, 150, 1, Family.IPV4,
                List.of(Addresses.parse("10.200.51.100")), VrrpAuthType.PASS, "pw");
        port("eth0").inbox.add(new ReceivedPacket(Family.IPV4, src, other, 255, 112, AdvertisementCodec.encode(ad, src, other)));
        node.step();
        assertThat(status("VI_1").counters().get(VrrpCounter.ADVERT_RCVD)).isZero();
    }

    @Test
    void advertsOfAnotherVridAreCountedOnTheInterfaceAndAStoppedInstanceReportsItsLastCounters() {
        List<VrrpNode.InstanceSnapshot> stopped = new ArrayList<>();
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void instanceStopped(VrrpNode.InstanceSnapshot last) {
                stopped.add(last);
            }
        });
        node.configure(List.of(spec("VI_1", 51, "eth0", 150)), Map.of("VI_1", "pw"));
        port("eth0").inbox.add(advert(62, 200, "pw", "10.200.0.1"));
        port("eth0").inbox.add(advert(62, 200, "pw", "10.200.0.1"));
        run(Duration.ofSeconds(4));
        assertThat(node.unmatched()).containsOnlyKeys("eth0");
        assertThat(node.unmatched().get("eth0")).containsEntry(VrrpCounter.VRID_ERR, 2L);
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);

        node.close();

        assertThat(stopped).singleElement().satisfies(last -> {
            assertThat(last.name()).isEqualTo("VI_1");
            assertThat(last.counters()).containsEntry(VrrpCounter.PRI_ZERO_SENT, 1L);
        });
        assertThat(node.unmatched().get("eth0")).containsEntry(VrrpCounter.VRID_ERR, 2L);
    }

    @Test
    void linkDownPutsTheInstancesOfThatInterfaceInFaultAndLinkUpBringsThemBack() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150), spec("VI_3", 53, "eth1", 100)), Map.of());
        run(Duration.ofSeconds(4));
        io.links.add(new VrrpNodeIo.LinkChange("eth0", false));
        node.step();
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.FAULT);
        assertThat(io.transports.get("VI_1").vipsHeld).isEmpty();
        assertThat(status("VI_3").state()).isEqualTo(VrrpState.MASTER);
        io.links.add(new VrrpNodeIo.LinkChange("eth0", true));
        node.step();
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(status("VI_1").lastTransitionReason()).isEqualTo("link up");
    }

    @Test
    void anInstanceOnADownLinkStartsInFault() {
        io.down.add("eth1");
        node.configure(List.of(spec("VI_3", 53, "eth1", 100)), Map.of());
        assertThat(status("VI_3").state()).isEqualTo(VrrpState.FAULT);
    }

    @Test
    void anInstanceThatCannotStartIsReportedAndTheOthersRun() {
        VrrpNode.Result r = node.configure(List.of(spec("VI_1", 51, "eth0", 100), spec("VI_9", 59, "eth9", 100),
                spec("VI_DUP", 51, "eth0", 100)), Map.of());
        assertThat(r.started()).containsExactly("VI_1");
        assertThat(r.errors()).containsOnlyKeys("VI_9", "VI_DUP");
        assertThat(r.errors().get("VI_9")).contains("no interface eth9");
        assertThat(r.errors().get("VI_DUP")).contains("VRID 51");
        assertThat(node.instances()).extracting(VrrpNode.InstanceSnapshot::name).containsExactly("VI_1");
        // the interface appears: the next call starts it
        io.addresses.put("eth9", "10.209.0.2");
        assertThat(node.configure(List.of(spec("VI_1", 51, "eth0", 100), spec("VI_9", 59, "eth9", 100)), Map.of()).started())
                .containsExactly("VI_9");
    }

    @Test
    void syncGroupsFollowTheirMembersAndAreRebuiltWhenMembershipChanges() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 100, "G"), spec("VI_2", 52, "eth0", 100, "G")), Map.of("VI_1", "pw", "VI_2", "pw"));
        for (int i = 0; i < 3; i++) {
            port("eth0").inbox.add(advert(52, 150, "pw", "10.200.0.1"));
            run(Duration.ofSeconds(1));
        }
        run(Duration.ofMillis(700));
        // VI_1 hears nobody and becomes master at 3.61 s: VI_2 follows though its own timer runs to 5.61 s
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);
        assertThat(status("VI_2").state()).isEqualTo(VrrpState.MASTER);

        // VI_2 leaves the group: an advert of a higher priority now moves VI_2 alone
        node.configure(List.of(spec("VI_1", 51, "eth0", 100, "G"), spec("VI_2", 52, "eth0", 100, null)), Map.of("VI_1", "pw", "VI_2", "pw"));
        run(Duration.ofSeconds(4));
        assertThat(status("VI_2").state()).isEqualTo(VrrpState.MASTER);
        port("eth0").inbox.add(advert(52, 200, "pw", "10.200.0.1"));
        node.step();
        assertThat(status("VI_2").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(status("VI_1").state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void closeHandsOverEveryMasterAndClosesTheHost() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150), spec("VI_3", 53, "eth1", 100)), Map.of());
        run(Duration.ofSeconds(4));
        node.close();
        assertThat(io.transports.values()).allSatisfy(t -> {
            assertThat(t.lastSent().priority()).isZero();
            assertThat(t.vipsHeld).isEmpty();
        });
        assertThat(io.open).isEmpty();
        assertThat(io.closed).isTrue();
        assertThat(transitions).last().satisfies(t -> assertThat(t.reason()).isEqualTo("node stopping"));
    }

    @Test
    void dryRunShowsThePlanAndTouchesNothing() {
        VrrpNode dry = VrrpNode.forDryRun("lvs1", clock);
        VrrpNode.Result r = dry.configure(List.of(spec("VI_1", 51, "eth0", 150)), Map.of());
        assertThat(r.started()).containsExactly("VI_1");
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.instances()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(VrrpState.INITIALIZE);
            assertThat(s.lastTransitionReason()).startsWith("dry-run");
        });
        dry.close();
    }

    @Test
    void theLoopThreadRunsTheInstancesOnARealClock() throws Exception {
        FakeIo host = new FakeIo();
        VrrpNode threaded = new VrrpNode("lvs1", host, Clock.systemUTC());
        VrrpInstanceSpec fast = new VrrpInstanceSpec("VI_F", 61, "eth0", Family.IPV4, 3, 1, 100, true, 0, false, null,
                List.of(), null, List.of(new PlanInput.Vip("10.200.61.100", 24, null, null)));
        threaded.configure(List.of(fast), Map.of());
        long end = System.currentTimeMillis() + 3000;
        while (threaded.instance("VI_F").orElseThrow().state() != VrrpState.MASTER && System.currentTimeMillis() < end) {
            Thread.sleep(5); // Master_Down_Interval: 3 x 10 ms + skew
        }
        assertThat(threaded.instance("VI_F").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        threaded.close();
        assertThat(host.transports.get("VI_F").lastSent().priority()).isZero();
        assertThat(threaded.instances()).isEmpty();
    }
}
