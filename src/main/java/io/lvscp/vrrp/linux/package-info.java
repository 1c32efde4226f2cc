/**
 * Thin Linux adapters for the VRRP engine, through jnr-ffi ({@code Native} holds the libc calls and
 * the kernel's numbers): {@link io.lvscp.vrrp.linux.RawSocketVrrpChannel} (IPv4, protocol 112) and
 * {@link io.lvscp.vrrp.linux.RawSocketVrrp6Channel} (IPv6, hop limit and destination from
 * ancillary data), {@link io.lvscp.vrrp.linux.RtnetlinkAddresses} (VIPs),
 * {@link io.lvscp.vrrp.linux.GratuitousArpSender} and
 * {@link io.lvscp.vrrp.linux.UnsolicitedNeighbourAdvertSender} (announcements), combined in
 * {@link io.lvscp.vrrp.linux.LinuxVrrpNodeIo}, the host of the service's
 * {@link io.lvscp.vrrp.node.VrrpNode}. {@link io.lvscp.vrrp.linux.VrrpNodeMain} runs that same node
 * without the service, for the namespace lab and the failover benchmark. Struct layouts assume
 * 64-bit little-endian Linux (x86_64, aarch64).
 */
package io.lvscp.vrrp.linux;
