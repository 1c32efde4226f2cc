/**
 * The VRRP engine, pure: no I/O, no threads, time only from an injected {@link java.time.Clock}.
 *
 * <ul>
 * <li>{@link io.lvscp.vrrp.AdvertisementCodec}: VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798) messages
 * to and from bytes; {@link io.lvscp.vrrp.Advertisement} is the immutable message.</li>
 * <li>{@link io.lvscp.vrrp.AdvertisementValidator}: the one check of every received packet; each
 * packet is accepted or rejected for one {@link io.lvscp.vrrp.Rejection}, counted in
 * {@link io.lvscp.vrrp.VrrpStats} under keepalived's counter names.</li>
 * <li>{@link io.lvscp.vrrp.VrrpInstance}: the state machine of one instance, acting through a
 * {@link io.lvscp.vrrp.VrrpTransport}; {@link io.lvscp.vrrp.VrrpSyncGroup} couples instances;
 * {@link io.lvscp.vrrp.VrrpEngine} runs the instances of a node (dispatch by VRID, one deadline).</li>
 * </ul>
 *
 * <p>The Linux side (raw sockets, rtnetlink, ARP / neighbour adverts) is in {@code io.lvscp.vrrp.linux}.
 */
package io.lvscp.vrrp;
