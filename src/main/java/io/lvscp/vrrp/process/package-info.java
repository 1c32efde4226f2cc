/**
 * The service's VRRP engine in a child process ({@code lvs.vrrp.engine=process}), above the engine packages:
 * {@link io.lvscp.vrrp.process.ProcessVrrpNode} (the service's side: it starts the child, restarts it after
 * {@link io.lvscp.vrrp.process.RestartBackoff}'s wait and answers as a {@link io.lvscp.vrrp.node.VrrpNodeHandle}),
 * {@link io.lvscp.vrrp.process.VrrpEngineProcess} (the child's main: the same {@link io.lvscp.vrrp.node.VrrpNode} on
 * {@link io.lvscp.vrrp.linux.LinuxVrrpNodeIo} the service runs embedded) and
 * {@link io.lvscp.vrrp.process.VrrpProcessProtocol} (the JSON lines between them, written and read with Jackson).
 * It uses the engine packages; they do not use it, and stay free of Jackson.
 */
package io.lvscp.vrrp.process;
