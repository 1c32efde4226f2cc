package io.lvscp.ipvs;

/** IPVS_CMD_GET/SET_CONFIG: connection timeouts in seconds (0 in a SET leaves that one unchanged). */
public record Timeouts(int tcp, int tcpFin, int udp) {
}
