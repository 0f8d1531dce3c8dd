package org.jqmp.cli.run;

import java.nio.file.Path;
import java.util.List;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;

/**
 * {@code -chardev socket,...}: QEMU 7.2's checks in its order ({@code qemu_chr_parse_socket},
 * {@code qmp_chardev_validate_socket} and the address set-up in {@code chardev/char-socket.c}), then the
 * {@code filename} that {@code query-chardev} reports.
 *
 * <p>The filename depends on the connection (observed on QEMU 7.2). A static configuration can only know the
 * address part, which is what {@link SocketChardevConfig#filename()} holds:
 * <ul>
 * <li>{@code unix:PATH[,server=on]} and {@code tcp:HOST:PORT[,server=on]} (no brackets around an IPv6 host);
 *     for a server, HOST is the address the listener is bound to, so {@code tcp::4444,server=on} reports
 *     {@code 0.0.0.0} and {@code localhost} reports {@code 127.0.0.1}; a client keeps the name it was given.</li>
 * <li>while no peer is connected QEMU reports {@code "disconnected:" + filename}.</li>
 * <li>once connected: a Unix server reports {@code unix:PATH,server=on} (the filename itself), a Unix client
 *     reports just {@code unix:} (its own socket has no path), and TCP reports
 *     {@code tcp:LOCALHOST:LOCALPORT[,server=on] <-> PEERHOST:PEERPORT} (IPv6 addresses in brackets),
 *     e.g. {@code tcp:127.0.0.1:4561,server=on <-> 127.0.0.1:52638}.</li>
 * </ul>
 */
final class SocketBackend {

    /** Socket parameters jqmp refuses because it would not do what they ask (wire format, security, fds). */
    private static final List<String> UNSUPPORTED_SWITCHES = List.of("telnet", "tn3270", "websocket", "abstract");
    private static final List<String> UNSUPPORTED_VALUES = List.of("tls-creds", "tls-authz", "fd", "to");

    private SocketBackend() {
    }

    static SocketChardevConfig create(String id, QemuOpts opts, List<String> ignored) {
        String location = opts.location();
        checkAddressChoice(opts, location);
        boolean server = opts.bool("server", false);
        validateMode(opts, server, location);
        refuseUnsupported(opts, location);
        if (opts.has("delay") || opts.has("nodelay")) {
            ignored.add(location + ": 'delay'/'nodelay' have no effect in jqmp");
        }
        boolean wait = server && opts.bool("wait", true);
        int reconnect = server ? 0 : reconnectSeconds(opts);
        SocketAddressConfig address = address(opts, location);
        return new SocketChardevConfig(id, address, server, wait, reconnect, filename(address, server));
    }

    private static void checkAddressChoice(QemuOpts opts, String location) {
        int given = (opts.has("path") ? 1 : 0) + (opts.has("fd") ? 1 : 0) + (opts.has("host") ? 1 : 0);
        if (given > 1) {
            throw CommandLineException.at(location, "None or one of 'path', 'fd' or 'host' option required.");
        }
        if (opts.has("host") && !opts.has("port")) {
            throw CommandLineException.at(location, "chardev: socket: no port given");
        }
        if (opts.has("delay") && opts.has("nodelay")) {
            throw CommandLineException.at(location, "'delay' and 'nodelay' are mutually exclusive");
        }
    }

    /** {@code qmp_chardev_validate_socket}: the checks that depend on address type and direction. */
    private static void validateMode(QemuOpts opts, boolean server, String location) {
        boolean fdAddress = !opts.has("path") && !opts.has("host");
        if (fdAddress && opts.has("reconnect")) {
            throw CommandLineException.at(location, "'reconnect' option is incompatible with 'fd' address type");
        }
        if (opts.has("path") && opts.has("tls-creds")) {
            throw CommandLineException.at(location, "'tls_creds' option is incompatible with 'unix' address type");
        }
        if (opts.has("tls-authz") && !opts.has("tls-creds")) {
            throw CommandLineException.at(location, "'tls_authz' option requires 'tls_creds' option");
        }
        if (server && opts.has("reconnect")) {
            throw CommandLineException.at(location,
                    "'reconnect' option is incompatible with socket in server listen mode");
        }
        if (!server && opts.bool("websocket", false)) {
            throw CommandLineException.at(location, "Websocket client is not implemented");
        }
        if (!server && opts.has("wait")) {
            throw CommandLineException.at(location,
                    "'wait' option is incompatible with socket in client connect mode");
        }
        if (fdAddress && !opts.has("fd")) {
            // QEMU 7.2 looks for a file descriptor with no name; this is its text (with the trailing space).
            throw CommandLineException.at(location, "Unable to parse FD number ");
        }
    }

    private static void refuseUnsupported(QemuOpts opts, String location) {
        for (String name : UNSUPPORTED_SWITCHES) {
            if (opts.bool(name, false)) {
                throw CommandLineException.at(location, "socket option '" + name + "' is not supported by jqmp");
            }
        }
        for (String name : UNSUPPORTED_VALUES) {
            if (opts.has(name)) {
                throw CommandLineException.at(location, "socket option '" + name + "' is not supported by jqmp");
            }
        }
    }

    /** QEMU reads {@code reconnect} as an unsigned number into an int64; zero or below means "never". */
    private static int reconnectSeconds(QemuOpts opts) {
        long seconds = opts.last("reconnect").map(v -> OptionValues.parseNumber("reconnect", v)).orElse(0L);
        return (int) Math.clamp(seconds, 0L, Integer.MAX_VALUE);
    }

    private static SocketAddressConfig address(QemuOpts opts, String location) {
        if (opts.has("path")) {
            String path = opts.last("path").orElseThrow();
            if (path.isEmpty()) {
                throw CommandLineException.at(location, "an empty socket path is not supported by jqmp");
            }
            return new SocketAddressConfig.Unix(Path.of(path));
        }
        String host = opts.last("host").orElseThrow();
        String port = opts.last("port").orElseThrow();
        return new SocketAddressConfig.Tcp(host, tcpPort(host, port, location),
                opts.bool("ipv4", false), opts.bool("ipv6", false));
    }

    /**
     * QEMU passes the port to getaddrinfo; a non-numeric one fails there with glibc's text (a service name
     * such as {@code ssh} would resolve in QEMU; jqmp takes numbers only). QEMU 7.2 silently takes a number
     * above 65535 modulo 65536; jqmp refuses it.
     */
    private static int tcpPort(String host, String port, String location) {
        if (!port.matches("[0-9]{1,9}")) {
            throw CommandLineException.at(location, "address resolution failed for " + host + ":" + port
                    + ": Servname not supported for ai_socktype");
        }
        int number = Integer.parseInt(port);
        if (number > 65535) {
            throw CommandLineException.at(location, "port " + port + " is out of range (0 to 65535)");
        }
        return number;
    }

    /** The address part of QEMU's {@code query-chardev} filename ({@code qemu_chr_socket_address}). */
    static String filename(SocketAddressConfig address, boolean server) {
        String suffix = server ? ",server=on" : "";
        return switch (address) {
            case SocketAddressConfig.Unix unix -> "unix:" + unix.path() + suffix;
            case SocketAddressConfig.Tcp tcp -> "tcp:" + (server ? boundHost(tcp) : tcp.host()) + ":" + tcp.port()
                    + suffix;
        };
    }

    /** The address a listener on {@code host} binds to, as far as it is known before binding. */
    private static String boundHost(SocketAddressConfig.Tcp tcp) {
        boolean ipv6Only = tcp.ipv6() && !tcp.ipv4();
        return switch (tcp.host()) {
            case "" -> ipv6Only ? "::" : "0.0.0.0";
            case "localhost" -> ipv6Only ? "::1" : "127.0.0.1";
            default -> tcp.host();
        };
    }
}
