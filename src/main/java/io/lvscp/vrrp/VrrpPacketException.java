package io.lvscp.vrrp;

/** A received packet that cannot be an acceptable advertisement, with the kind of fault. */
public final class VrrpPacketException extends Exception {

    private final Rejection rejection;

    public VrrpPacketException(Rejection rejection, String message) {
        super(message, null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
