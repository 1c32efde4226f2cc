/**
 * The one netlink layer, used by IPVS (generic netlink, {@code io.lvscp.ipvs.netlink}) and by rtnetlink addresses
 * and links ({@code io.lvscp.vrrp.linux}): {@link io.lvscp.netlink.MessageWriter} (headers, attributes, nesting,
 * padding), {@link io.lvscp.netlink.Message} and {@link io.lvscp.netlink.Attributes} (reading), the kernel's numbers
 * mirrored once in {@link io.lvscp.netlink.Netlink}, and errno names ({@link io.lvscp.netlink.Errno}). Pure: no I/O.
 */
package io.lvscp.netlink;
