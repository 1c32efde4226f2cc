package io.lvscp.common;

/** Every IPVS scheduler, by the name the kernel module and ipvsadm use. */
public enum Scheduler implements WireNamed {
    RR("rr"), WRR("wrr"), LC("lc"), WLC("wlc"), LBLC("lblc"), LBLCR("lblcr"), DH("dh"), SH("sh"),
    SED("sed"), NQ("nq"), FO("fo"), OVF("ovf"), MH("mh");

    private final String wireName;

    Scheduler(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
