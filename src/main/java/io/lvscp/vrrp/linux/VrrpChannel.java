package io.lvscp.vrrp.linux;

import io.lvscp.vrrp.ReceivedPacket;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/** A socket that sends VRRP messages and receives them with the IP header fields the validator needs. */
public interface VrrpChannel extends Closeable {

    /** Sends a VRRP message; the kernel adds the IP header (TTL / hop limit 255). */
    void send(byte[] vrrpMessage, InetAddress destination) throws IOException;

    /** How long {@link #receive()} waits at most. */
    void receiveTimeout(Duration timeout) throws IOException;

    /** One packet, or null on timeout. */
    ReceivedPacket receive() throws IOException;

    /** The socket, for poll(2) and O_NONBLOCK. */
    int fd();

    @Override
    void close();
}
