package io.lvscp.vrrp;

/** Instance states: RFC 5798's three plus keepalived's FAULT (a tracked interface is down). */
public enum VrrpState {
    /** Not running, or stopped: holds no VIPs, sends nothing. */
    INITIALIZE,
    /** Watches the master; takes over when Master_Down_Timer fires. */
    BACKUP,
    /** Holds the VIPs and sends an advert every interval. */
    MASTER,
    /** A tracked interface is down (or a sync-group peer is in fault): holds no VIPs, sends nothing. */
    FAULT
}
