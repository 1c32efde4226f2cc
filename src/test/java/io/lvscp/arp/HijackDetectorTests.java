package io.lvscp.arp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.arp.HijackDetector.Observation;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HijackDetectorTests {

    static final String MASTER = "02:00:00:00:00:01";
    static final String RS = "02:00:00:00:00:21";
    static final String RS2 = "02:00:00:00:00:22";

    static Set<String> set(String csv) {
        return csv == null || csv.isBlank() ? Set.of() : Set.of(csv.split(" "));
    }

    @ParameterizedTest(name = "held here {0}, master {1}, answered [{2}] -> offenders [{3}]")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // we hold the VIP: nobody else may answer (we never hear our own answer)
            "true  | -                 | -                                   | -",
            "true  | -                 | 02:00:00:00:00:21                   | 02:00:00:00:00:21",
            // another director holds it and we know its MAC
            "false | 02:00:00:00:00:01 | 02:00:00:00:00:01                   | -",
            "false | 02:00:00:00:00:01 | 02:00:00:00:00:01 02:00:00:00:00:21 | 02:00:00:00:00:21",
            "false | 02:00:00:00:00:01 | 02:00:00:00:00:21                   | 02:00:00:00:00:21",
            // nobody known: one answer is the master, two are a conflict
            "false | -                 | 02:00:00:00:00:21                   | -",
            "false | -                 | 02:00:00:00:00:01 02:00:00:00:00:21 | 02:00:00:00:00:01 02:00:00:00:00:21"})
    void offenders(boolean held, String master, String answered, String offenders) {
        assertThat(HijackDetector.offenders(new Observation("172.18.42.42", "eth0", held, master, set(answered))))
                .containsExactlyInAnyOrderElementsOf(set(offenders));
    }

    @Test
    void reportsStartAndEndOnceNotEveryProbe() {
        HijackDetector d = new HijackDetector();
        assertThat(d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of()))).isNull();
        HijackDetector.Change start = d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of(RS)));
        assertThat(start.detected()).containsExactly(RS);
        assertThat(d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of(RS)))).isNull();
        HijackDetector.Change more = d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of(RS, RS2)));
        assertThat(more.detected()).containsExactly(RS2);
        assertThat(more.cleared()).isEmpty();
        assertThat(d.current()).containsEntry("172.18.42.42%eth0", Set.of(RS, RS2));
        // one probe without their answers (a lost reply) ends nothing; two in a row do
        assertThat(d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of()))).isNull();
        assertThat(d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of(RS, RS2)))).isNull();
        assertThat(d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of()))).isNull();
        HijackDetector.Change end = d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of()));
        assertThat(end.cleared()).containsExactlyInAnyOrder(RS, RS2);
        assertThat(d.current()).isEmpty();
    }

    @Test
    void aVipNoLongerWatchedIsCleared() {
        HijackDetector d = new HijackDetector();
        d.observe(new Observation("172.18.42.42", "eth0", true, null, Set.of(RS)));
        assertThat(d.retain(Set.of("172.18.42.43%eth0"))).singleElement()
                .satisfies(c -> assertThat(c.cleared()).containsExactly(RS));
        assertThat(d.current()).isEmpty();
    }

    @Test
    void framesProbeAndReply() throws Exception {
        byte[] ours = ArpFrames.parseMac(MASTER);
        Inet4Address vip = (Inet4Address) InetAddress.getByName("172.18.42.42");
        byte[] probe = ArpFrames.probe(ours, vip);
        assertThat(probe).hasSize(60);
        assertThat(java.util.HexFormat.of().formatHex(probe, 0, 42)).isEqualTo(
                "ffffffffffff" + "020000000001" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                        + "020000000001" + "00000000" + "000000000000" + "ac122a2a");
        // the reply of a host claiming the VIP
        byte[] reply = probe.clone();
        System.arraycopy(ArpFrames.parseMac(RS), 0, reply, 6, 6);
        reply[21] = 2;
        System.arraycopy(ArpFrames.parseMac(RS), 0, reply, 22, 6);
        System.arraycopy(vip.getAddress(), 0, reply, 28, 4);
        assertThat(ArpFrames.replyFor(reply, reply.length, vip)).isEqualTo(Optional.of(RS));
        // our own probe, a reply for another address, a truncated frame: not answers
        assertThat(ArpFrames.replyFor(probe, probe.length, vip)).isEmpty();
        assertThat(ArpFrames.replyFor(reply, reply.length, (Inet4Address) InetAddress.getByName("172.18.42.43"))).isEmpty();
        assertThat(ArpFrames.replyFor(reply, 30, vip)).isEmpty();
    }
}
