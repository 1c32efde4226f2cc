package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The IPVS model as /plan shows it: the same view for a desired service and for the table row the kernel reads back. */
class PlanViewTests {

    static Destination d(String address, int port, Forward f, int weight) {
        return Destination.of(Addresses.parse(address), port, f, weight);
    }

    static Stream<DesiredService> services() {
        List<DesiredDestination> dests = List.of(DesiredDestination.up(d("10.0.0.1", 80, Forward.DIRECT_ROUTE, 1)),
                DesiredDestination.up(d("10.0.0.2", 8080, Forward.NAT, 5).withThresholds(100, 10)),
                DesiredDestination.up(d("10.0.0.3", 80, Forward.TUNNEL, 0)));
        return Stream.of(
                new DesiredService(VirtualService.of(VirtualService.TCP, Addresses.parse("172.18.42.42"), 80, "rr"), dests),
                new DesiredService(VirtualService.of(VirtualService.UDP, Addresses.parse("172.18.42.42"), 53, "sh").persistent(300, 24), List.of()),
                new DesiredService(VirtualService.of(VirtualService.SCTP, Addresses.parse("2001:db8::42"), 9, "wlc").persistent(60, 128), List.of()),
                new DesiredService(VirtualService.of(VirtualService.TCP, Addresses.parse("2001:db8::42"), 443, "mh").persistent(60, 64),
                        List.of(DesiredDestination.up(d("2001:db8::11", 443, Forward.DIRECT_ROUTE, 3)))),
                new DesiredService(VirtualService.fwmark(VirtualService.AF_INET, 7, "rr"), List.of()),
                new DesiredService(VirtualService.fwmark(VirtualService.AF_INET6, 8, "lc"), List.of()));
    }

    @ParameterizedTest
    @MethodSource("services")
    void aServiceShowsTheSameDesiredAndReadBack(DesiredService s) {
        PlanView.DesiredView desired = PlanView.of(new DesiredState("lvs1", "c", 1, List.of(s), List.of()));
        // as the kernel reports it: with the HASHED flag, counters and connection counts the view leaves out
        TableEntry row = new TableEntry(s.service().withFlags(s.service().flags() | io.lvscp.ipvs.ServiceFlags.HASHED),
                s.destinations().stream().map(DesiredDestination::destination).toList());
        assertThat(PlanView.of(new DataPlaneTable(List.of(row), List.of())).services()).isEqualTo(desired.services());
    }

    @Test
    void theJsonShapeIsTheOneApiClientsKnow() {
        Instant since = Instant.parse("2026-11-26T00:00:00Z");
        DesiredService web = new DesiredService(VirtualService.of(VirtualService.TCP, Addresses.parse("172.18.42.42"), 80, "wlc").persistent(300, 24),
                List.of(DesiredDestination.up(d("172.18.42.221", 80, Forward.DIRECT_ROUTE, 5).withThresholds(100, 10)),
                        DesiredDestination.draining(d("172.18.42.222", 80, Forward.DIRECT_ROUTE, 0), since)));
        DesiredService mark = new DesiredService(VirtualService.fwmark(VirtualService.AF_INET6, 8, "sh"), List.of());
        JsonNode json = JsonMapper.builder().build().valueToTree(PlanView.of(new DesiredState("lvs1", "c", 4, List.of(web, mark), List.of())));
        assertThat(json.toString()).isEqualTo("""
                {"node":"lvs1","cluster":"c","generation":4,"services":[\
                {"key":{"family":"IPV4","protocol":"TCP","address":"172.18.42.42","port":80,"fwmark":0},"scheduler":"wlc",\
                "persistenceTimeout":300,"persistenceNetmask":24,"destinations":[\
                {"address":"172.18.42.221","port":80,"forwarding":"DR","weight":5,"upperThreshold":100,"lowerThreshold":10},\
                {"address":"172.18.42.222","port":80,"forwarding":"DR","weight":0,"upperThreshold":0,"lowerThreshold":0}]},\
                {"key":{"family":"IPV6","protocol":null,"address":null,"port":0,"fwmark":8},"scheduler":"sh","persistenceTimeout":0,\
                "persistenceNetmask":null,"destinations":[]}],"vrrpInstances":[],"draining":[\
                {"service":{"family":"IPV4","protocol":"TCP","address":"172.18.42.42","port":80,"fwmark":0},"address":"172.18.42.222",\
                "port":80,"since":"2026-11-26T00:00:00Z"}],"connectionSync":null}""");
    }

    @Test
    void aLocalDestinationSomeoneElseWroteShowsAsLocalAndAServiceOfAnotherProtocolIsLeftOut() {
        VirtualService web = VirtualService.of(VirtualService.TCP, Addresses.parse("172.18.42.42"), 80, "rr");
        VirtualService other = new VirtualService(VirtualService.AF_INET, 33, Addresses.parse("172.18.42.42"), 80, 0, "rr", 0, 0, 32, null, null);
        PlanView.DataPlaneTableView t = PlanView.of(new DataPlaneTable(List.of(new TableEntry(other, List.of()),
                new TableEntry(web, List.of(d("127.0.0.1", 80, Forward.LOCAL, 1)))), List.of()));
        assertThat(t.services()).singleElement().satisfies(s -> assertThat(s.destinations()).extracting(PlanView.IpvsDestinationView::forwarding)
                .containsExactly("LOCAL"));
    }
}
