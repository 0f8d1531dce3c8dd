package org.jqmp.monitor.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Inet6Address;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * QEMU's {@code filename} of a connected socket chardev (qemu_chr_compute_filename): the local address, then
 * {@code ,server=on} for a listening chardev, then {@code <-> } and the peer for TCP. A Unix client's local
 * address has no path, so it is just {@code unix:}.
 */
final class SocketNames {
    private SocketNames() {
    }

    static String connected(Socket socket, String unixLocalPath, boolean server) {
        String listen = server ? ",server=on" : "";
        // junixsocket's Unix addresses extend InetSocketAddress: tell by the socket's kind
        if (socket instanceof org.newsclub.net.unix.AFUNIXSocket
                || !(socket.getLocalSocketAddress() instanceof InetSocketAddress local)) {
            return "unix:" + (server ? unixLocalPath : "") + listen;
        }
        return "tcp:" + host(local) + ":" + local.getPort() + listen + " <-> " + peer(socket.getRemoteSocketAddress());
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return host(inet) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** Numeric host; IPv6 in brackets, as QEMU prints a connected peer. */
    private static String host(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String text = ip.getHostAddress();
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return ip instanceof Inet6Address ? "[" + text + "]" : text;
    }
}
