/**
 * The one libc binding ({@link io.lvscp.linux.Native}, jnr-ffi, loaded once) and its failure
 * ({@link io.lvscp.linux.SyscallException}: errno, its name and strerror), for every Linux adapter: the IPVS
 * netlink socket, rtnetlink, raw VRRP sockets, ARP and neighbour adverts.
 */
package io.lvscp.linux;
