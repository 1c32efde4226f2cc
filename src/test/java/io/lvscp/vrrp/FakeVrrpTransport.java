package io.lvscp.vrrp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Records what the state machine asks of the network; holds the VIPs "on the interface". */
public final class FakeVrrpTransport implements VrrpTransport {

    public record Sent(String instance, Advertisement advertisement) {
    }

    public final List<Sent> sent = new ArrayList<>();
    public final Set<String> vipsHeld = new LinkedHashSet<>();
    public final List<String> announced = new ArrayList<>();

    @Override
    public void sendAdvertisement(VrrpInstanceConfig instance, Advertisement advertisement) {
        sent.add(new Sent(instance.name(), advertisement));
    }

    @Override
    public void addVips(VrrpInstanceConfig instance) {
        vipsHeld.add(instance.name());
    }

    @Override
    public void removeVips(VrrpInstanceConfig instance) {
        vipsHeld.remove(instance.name());
    }

    @Override
    public void announceVips(VrrpInstanceConfig instance) {
        announced.add(instance.name());
    }

    public Advertisement lastSent() {
        return sent.get(sent.size() - 1).advertisement();
    }
}
