package io.lvscp.common;

/** Transport protocol of a virtual service, with its IP protocol number. */
public enum Protocol implements WireNamed {
    TCP(6), UDP(17), SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number IPVS uses (IPPROTO_TCP and so on). */
    public int number() {
        return number;
    }

    @Override
    public String wireName() {
        return name();
    }
}
