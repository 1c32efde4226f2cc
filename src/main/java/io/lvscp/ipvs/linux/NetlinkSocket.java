package io.lvscp.ipvs.linux;

import io.lvscp.linux.SyscallException;
import io.lvscp.linux.Native;
import static io.lvscp.linux.Native.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An AF_NETLINK datagram socket bound to a kernel-assigned port id (thin: bytes in, bytes
 * out). Receives into a 1 MiB native buffer with one recv per datagram (a datagram too
 * big for it, which the kernel never sends today, is reported as EMSGSIZE and the buffer
 * grows); EINTR is retried;
 * ENOBUFS (the kernel dropped messages for us) and every other failure surface as a
 * {@link SyscallException}. Not thread-safe: one user at a time.
 */
public final class NetlinkSocket implements Closeable {

    private static final int INITIAL_RECEIVE = 1 << 20;
    private static final int SOCKET_BUFFER = 8 << 20;

    private final LibC c = LIBC;
    private final int fd;
    private final int portId;
    private Pointer receive;
    private int receiveSize;
    private Pointer send;
    private int sendSize;
    private final Pointer kernelAddress;
    private boolean closed;

    public NetlinkSocket(int protocol) throws IOException {
        this(protocol, 10_000);
    }

    /** @param receiveTimeoutMillis how long one receive may wait (0 = forever) */
    public NetlinkSocket(int protocol, int receiveTimeoutMillis) throws IOException {
        fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw error("socket(AF_NETLINK)");
        }
        try {
            Pointer addr = sockaddr(0);
            if (c.bind(fd, addr, 12) < 0) {
                throw error("bind");
            }
            Pointer len = Memory.allocateDirect(runtime(), 4);
            len.putInt(0, 12);
            if (c.getsockname(fd, addr, len) < 0) {
                throw error("getsockname");
            }
            portId = addr.getInt(4);
            // big buffers so a batch's replies and a big dump fit; FORCE needs CAP_NET_ADMIN, else the plain option
            intOption(SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER, SOL_SOCKET, SO_RCVBUF);
            intOption(SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER, SOL_SOCKET, SO_SNDBUF);
            intOption(SOL_NETLINK, NETLINK_EXT_ACK, 1, -1, -1);
            if (receiveTimeoutMillis > 0) {
                Pointer tv = Memory.allocateDirect(runtime(), 16);
                tv.putLong(0, receiveTimeoutMillis / 1000);
                tv.putLong(8, (receiveTimeoutMillis % 1000) * 1000L);
                c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            }
        } catch (IOException | RuntimeException e) {
            c.close(fd);
            throw e;
        }
        kernelAddress = sockaddr(0);
        receiveSize = INITIAL_RECEIVE;
        receive = Memory.allocateDirect(runtime(), receiveSize);
        sendSize = 64 << 10;
        send = Memory.allocateDirect(runtime(), sendSize);
    }

    private static Pointer sockaddr(int pid) {
        Pointer p = Memory.allocateDirect(runtime(), 12);
        p.putShort(0, (short) AF_NETLINK);
        p.putShort(2, (short) 0);
        p.putInt(4, pid);
        p.putInt(8, 0);
        return p;
    }

    private void intOption(int level, int name, int value, int fallbackLevel, int fallbackName) {
        Pointer v = Memory.allocateDirect(runtime(), 4);
        v.putInt(0, value);
        if (c.setsockopt(fd, level, name, v, 4) < 0 && fallbackName >= 0) {
            c.setsockopt(fd, fallbackLevel, fallbackName, v, 4);
        }
    }

    /** The port id the kernel gave this socket (nlmsg_pid of our messages). */
    public int portId() {
        return portId;
    }

    /** Sends one datagram (one or more netlink messages) to the kernel. */
    public void send(byte[] data) throws IOException {
        ensureOpen();
        if (data.length > sendSize) {
            sendSize = Integer.highestOneBit(data.length) << 1;
            send = Memory.allocateDirect(runtime(), sendSize);
        }
        send.put(0, data, 0, data.length);
        while (true) {
            long n = c.sendto(fd, send, data.length, 0, kernelAddress, 12);
            if (n >= 0) {
                if (n != data.length) {
                    throw new IOException("sendto: sent " + n + " of " + data.length + " bytes");
                }
                return;
            }
            if (errno() != EINTR) {
                throw error("sendto");
            }
        }
    }

    /** Receives one datagram (blocking up to the receive timeout). */
    public ByteBuffer receive() throws IOException {
        ensureOpen();
        while (true) {
            // one system call per datagram (they are expensive, in the lab kernel most of all): the kernel's dump
            // datagrams are at most 32 KiB, far below the buffer; MSG_TRUNC makes recv return the real length, so a
            // datagram that did not fit is detected (it is lost: the caller gets an error and retries on a new
            // socket, and this one grows its buffer for next time)
            long n = c.recv(fd, receive, receiveSize, MSG_TRUNC);
            if (n < 0) {
                int e = errno();
                if (e == EINTR) {
                    continue;
                }
                throw new SyscallException("recv", e, c.strerror(e));
            }
            if (n > receiveSize) {
                int lost = (int) n;
                receiveSize = (int) Math.min(Integer.MAX_VALUE / 2, Long.highestOneBit(n) << 1);
                receive = Memory.allocateDirect(runtime(), receiveSize);
                throw new SyscallException("recv", EMSGSIZE, "a " + lost + "-byte datagram did not fit the receive buffer");
            }
            byte[] out = new byte[(int) n];
            receive.get(0, out, 0, out.length);
            return ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("netlink socket closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            c.close(fd);
        }
    }
}
