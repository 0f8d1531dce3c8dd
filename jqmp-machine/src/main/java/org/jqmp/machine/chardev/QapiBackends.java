package org.jqmp.machine.chardev;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jqmp.api.ChardevCommon;
import org.jqmp.api.ChardevFile;
import org.jqmp.api.ChardevRingbuf;
import org.jqmp.api.ChardevSocket;
import org.jqmp.api.SocketAddressLegacy;

/**
 * chardev-add's {@code ChardevBackend} (the QAPI union) as the machine's {@link ChardevBackend}, with QEMU 7.2's
 * checks and texts ({@code qmp_chardev_open_socket}, {@code qmp_chardev_validate_socket},
 * {@code qemu_chr_open_ringbuf}). A backend jqmp does not have gets QEMU's answer for a driver left out of the
 * build. Every failure is a {@link ChardevException}; the caller adds QEMU's {@code Failed to add chardev} prefix.
 */
final class QapiBackends {
    /** jqmp keeps a ringbuf in one Java array: the largest power of two an array holds. */
    static final long MAX_RINGBUF_SIZE = 1L << 30;

    private QapiBackends() {
    }

    /**
     * @param fds takes an fd that {@code getfd} named from the calling monitor (for {@code "type": "fd"} addresses)
     */
    static ChardevBackend of(String id, org.jqmp.api.ChardevBackend backend, Function<String, OptionalInt> fds) {
        return switch (backend) {
            case org.jqmp.api.ChardevBackend.Null n -> new ChardevBackend.Null(id);
            case org.jqmp.api.ChardevBackend.Pty p -> new ChardevBackend.Pty(id);
            case org.jqmp.api.ChardevBackend.File f -> file(id, f.branch().data());
            case org.jqmp.api.ChardevBackend.Ringbuf r -> ringbuf(id, r.branch().data(), "ringbuf");
            case org.jqmp.api.ChardevBackend.Memory m -> ringbuf(id, m.branch().data(), "memory");
            case org.jqmp.api.ChardevBackend.Socket s -> socket(id, s.branch().data(), fds);
            case org.jqmp.api.ChardevBackend.Mux m -> new ChardevBackend.Mux(id, m.branch().data().chardev());
            default -> throw new ChardevException("'" + backend.type().wireName() + "' is not a valid char driver name");
        };
    }

    /**
     * {@code qemu_char_open}: the {@code logfile} (ChardevCommon, in every branch) is opened before the backend.
     *
     * @throws ChardevException QEMU's {@code Could not create 'PATH': REASON}
     */
    static ChardevLog log(org.jqmp.api.ChardevBackend backend) {
        ChardevCommon common = switch (backend) {
            case org.jqmp.api.ChardevBackend.Null n -> n.branch().data();
            case org.jqmp.api.ChardevBackend.Pty p -> p.branch().data();
            case org.jqmp.api.ChardevBackend.File f -> new ChardevCommon(f.branch().data().logfile(),
                    f.branch().data().logappend());
            case org.jqmp.api.ChardevBackend.Ringbuf r -> new ChardevCommon(r.branch().data().logfile(),
                    r.branch().data().logappend());
            case org.jqmp.api.ChardevBackend.Memory m -> new ChardevCommon(m.branch().data().logfile(),
                    m.branch().data().logappend());
            case org.jqmp.api.ChardevBackend.Socket s -> new ChardevCommon(s.branch().data().logfile(),
                    s.branch().data().logappend());
            case org.jqmp.api.ChardevBackend.Mux m -> new ChardevCommon(m.branch().data().logfile(),
                    m.branch().data().logappend());
            default -> new ChardevCommon(null, null);
        };
        return common.logfile() == null ? ChardevLog.NONE
                : ChardevLog.open(Path.of(common.logfile()), Boolean.TRUE.equals(common.logappend()));
    }

    /** {@code qmp_chardev_open_file}: {@code in} is opened for reading, so it must exist. */
    private static ChardevBackend file(String id, ChardevFile file) {
        if (file.in() != null && !Files.isReadable(Path.of(file.in()))) {
            throw new ChardevException("Could not open '" + file.in() + "': "
                    + (Files.exists(Path.of(file.in())) ? "Permission denied" : "No such file or directory"));
        }
        return new ChardevBackend.File(id, Path.of(file.out()), Boolean.TRUE.equals(file.append()));
    }

    /** {@code qemu_chr_open_ringbuf}: a power of two (0 passes the check, observed), 64 KiB by default. */
    private static ChardevBackend ringbuf(String id, ChardevRingbuf ringbuf, String name) {
        long size = ringbuf.size() == null ? ChardevBackend.Ringbuf.DEFAULT_SIZE : ringbuf.size();
        if (size < 0 || (size & (size - 1)) != 0) {
            throw new ChardevException("size of ringbuf chardev must be power of two");
        }
        if (size > MAX_RINGBUF_SIZE) {
            throw new ChardevException("size of ringbuf chardev must be at most 1G in jqmp (MAX_RINGBUF_SIZE)");
        }
        return new ChardevBackend.Ringbuf(id, size, name);
    }

    /** {@code qmp_chardev_open_socket}: QMP's defaults are server on, wait off, no reconnect. */
    private static ChardevBackend socket(String id, ChardevSocket socket, Function<String, OptionalInt> fds) {
        boolean server = socket.server() == null || socket.server();
        validate(socket, server);
        SocketAddress address = address(socket.addr(), fds);
        String filename = filename(socket.addr(), server);
        long reconnect = socket.reconnect() == null ? 0 : socket.reconnect();
        if (reconnect < 0 || reconnect > Integer.MAX_VALUE) {
            throw new ChardevException("'reconnect' must be between 0 and " + Integer.MAX_VALUE + " seconds");
        }
        return new ChardevBackend.Socket(id, address, server, Boolean.TRUE.equals(socket.wait_()), filename,
                (int) reconnect);
    }

    /** {@code qmp_chardev_validate_socket}'s checks in its order, then what jqmp does not have. */
    private static void validate(ChardevSocket socket, boolean server) {
        if (socket.wait_() != null && !server) {
            throw new ChardevException("'wait' option is incompatible with socket in client connect mode");
        }
        if (socket.reconnect() != null && server) {
            throw new ChardevException("'reconnect' option is incompatible with socket in server listen mode");
        }
        if (Boolean.TRUE.equals(socket.websocket()) && !server) {
            throw new ChardevException("Websocket client is not implemented");
        }
        if (socket.tlsCreds() != null) {
            // jqmp has no -object, so no credentials object can exist
            throw new ChardevException("No TLS credentials with id '" + socket.tlsCreds() + "'");
        }
        for (var option : new Object[][] {{"telnet", socket.telnet()}, {"tn3270", socket.tn3270()},
                {"websocket", socket.websocket()}}) {
            if (Boolean.TRUE.equals(option[1])) {
                throw new ChardevException("chardev option '" + option[0] + "' is not supported by jqmp yet");
            }
        }
    }

    private static SocketAddress address(SocketAddressLegacy address, Function<String, OptionalInt> fds) {
        return switch (address) {
            case SocketAddressLegacy.Unix unix -> {
                if (Boolean.TRUE.equals(unix.branch().data().abstract_())) {
                    throw new ChardevException("abstract Unix socket addresses are not supported by jqmp");
                }
                yield UnixDomainSocketAddress.of(unix.branch().data().path());
            }
            case SocketAddressLegacy.Inet inet -> inet(inet.branch().data().host(), inet.branch().data().port());
            case SocketAddressLegacy.Vsock vsock -> throw new ChardevException("socket family AF_VSOCK unsupported");
            case SocketAddressLegacy.Fd fd -> {
                String name = fd.branch().data().str();
                OptionalInt taken = fds.apply(name);
                if (taken.isEmpty()) {
                    throw new ChardevException("File descriptor named '" + name + "' has not been found");
                }
                NativeSocket.closeQuietly(taken.getAsInt());
                throw new ChardevException("a socket chardev on a passed descriptor is not supported by jqmp"
                        + " (add_client attaches one to a socket chardev)");
            }
        };
    }

    /** {@code inet_parse_addr}/{@code getaddrinfo}: a service name other than a number is not resolved. */
    private static InetSocketAddress inet(String host, String port) {
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 0 || number > 65535) {
            throw new ChardevException("address resolution failed for " + host + ":" + port
                    + ": Servname not supported for ai_socktype");
        }
        try {
            return new InetSocketAddress(host.isEmpty() ? null : InetAddress.getByName(host), number);
        } catch (UnknownHostException e) {
            throw new ChardevException("address resolution failed for " + host + ":" + port
                    + ": Name or service not known");
        }
    }

    /** The address part of QEMU's {@code query-chardev} filename ({@code qemu_chr_socket_address}). */
    private static String filename(SocketAddressLegacy address, boolean server) {
        String suffix = server ? ",server=on" : "";
        return switch (address) {
            case SocketAddressLegacy.Unix unix -> "unix:" + unix.branch().data().path() + suffix;
            case SocketAddressLegacy.Inet inet -> "tcp:" + inet.branch().data().host() + ":"
                    + inet.branch().data().port() + suffix;
            case SocketAddressLegacy.Vsock vsock -> "vsock:" + vsock.branch().data().cid() + ":"
                    + vsock.branch().data().port();
            case SocketAddressLegacy.Fd fd -> "fd:" + fd.branch().data().str() + suffix;
        };
    }
}
