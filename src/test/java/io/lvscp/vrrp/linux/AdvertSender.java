package io.lvscp.vrrp.linux;

import io.lvscp.common.Addresses;
import io.lvscp.vrrp.Advertisement;
import io.lvscp.vrrp.AdvertisementCodec;
import io.lvscp.vrrp.VrrpAuthType;
import java.net.InetAddress;
import java.util.List;

/**
 * Sends bad VRRPv2 adverts for the lab: {@code iface address vrid priority password ttl count}, one
 * every 100 ms to 224.0.0.18, VIP 10.200.9.100.
 */
public final class AdvertSender {

    private AdvertSender() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = Addresses.parse(args[1]);
        InetAddress group = Addresses.parse("224.0.0.18");
        Advertisement ad = Advertisement.v2(Integer.parseInt(args[2]), Integer.parseInt(args[3]), 1,
                List.of(Addresses.parse("10.200.9.100")), VrrpAuthType.PASS, args[4]);
        try (RawSocketVrrpChannel channel = new RawSocketVrrpChannel(args[0], group, address)) {
            channel.ttl(Integer.parseInt(args[5]));
            for (int i = Integer.parseInt(args[6]); i > 0; i--) {
                channel.send(AdvertisementCodec.encode(ad, address, group), group);
                Thread.sleep(100);
            }
        }
    }
}
