package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The short chardev syntax of {@code -qmp} / {@code -qmp-pretty} / {@code -monitor}
 * ({@code qemu_chr_parse_compat} in QEMU 7.2's {@code chardev/char.c}): {@code stdio}, {@code null},
 * {@code tcp:[HOST]:PORT[,opts]}, {@code unix:PATH[,opts]}, {@code file:PATH}, ... translated into the
 * parameters of an equivalent {@code -chardev}. The options after the address are QemuOpts without the
 * short-form boolean warning (QEMU 7.2 prints none there - observed).
 */
final class LegacyChardevSyntax {

    /** {@code %64[^:]} and {@code %32[^,]} in QEMU's sscanf of {@code tcp:HOST:PORT}. */
    /**
     * Marks the chardev of a {@code mon:} prefix: a human monitor sits on it. Not a QEMU parameter (a name no
     * {@code -chardev} option can give), only passed from here to {@link ChardevBackends}.
     */
    static final String MONITOR_MARK = "jqmp.human-monitor";

    static final int MAX_HOST = 64;
    static final int MAX_PORT = 32;

    private static final List<String> BARE_BACKENDS =
            List.of("null", "pty", "msmouse", "wctablet", "braille", "testdev", "stdio");
    private static final List<String> SOCKET_PREFIXES = List.of("tcp:", "telnet:", "tn3270:", "websocket:");

    private LegacyChardevSyntax() {
    }

    /**
     * The chardev parameters for {@code text}; a failure carries QEMU's lines, the last being
     * {@code parse error: TEXT}.
     */
    static List<QemuOpts.Parameter> parse(String text, String location) {
        return parse(text, location, "parse error: " + text);
    }

    /**
     * The same for {@code -serial} ({@code serial_parse}), whose failure ends with
     * {@code could not connect serial device to character backend 'TEXT'} (observed).
     */
    static List<QemuOpts.Parameter> parseForSerial(String text, String location) {
        return parse(text, location, "could not connect serial device to character backend '" + text + "'");
    }

    private static List<QemuOpts.Parameter> parse(String text, String location, String lastLine) {
        try {
            return translate(text, location);
        } catch (CommandLineException e) {
            List<String> messages = new ArrayList<>(e.messages());
            messages.add(location + ": " + lastLine);
            throw new CommandLineException(messages);
        } catch (SyntaxFailure e) {
            throw CommandLineException.at(location, lastLine);
        }
    }

    private static List<QemuOpts.Parameter> translate(String text, String location) {
        if (text.startsWith("mon:")) {
            // qemu_chr_parse_compat: the rest with mux=on, and a human monitor on it (qemu_chr_new_noreplay)
            List<QemuOpts.Parameter> parameters = new ArrayList<>(translate(text.substring(4), location));
            parameters.add(parameter("mux", "on"));
            parameters.add(parameter(MONITOR_MARK, "on"));
            return parameters;
        }
        if (BARE_BACKENDS.contains(text)) {
            return List.of(parameter("backend", text));
        }
        for (String prefix : SOCKET_PREFIXES) {
            if (text.startsWith(prefix)) {
                return socket(text.substring(prefix.length()), prefix, location);
            }
        }
        if (text.startsWith("unix:")) {
            List<QemuOpts.Parameter> parameters = new ArrayList<>(List.of(parameter("backend", "socket")));
            parameters.addAll(QemuOpts.parseQuietly(QemuOptsList.CHARDEV, location, text.substring(5), "path"));
            return parameters;
        }
        if (text.startsWith("file:")) {
            return List.of(parameter("backend", "file"), parameter("path", text.substring(5)));
        }
        String backend = otherBackend(text);
        if (backend != null) {
            return List.of(parameter("backend", backend));
        }
        throw CommandLineException.at(location, "'" + text + "' is not a valid char driver");
    }

    /** The other prefixes QEMU knows; their details do not matter while jqmp refuses those backends. */
    private static String otherBackend(String text) {
        if (text.startsWith("vc")) {
            return "vc";
        } else if (text.equals("con:")) {
            return "console";
        } else if (text.startsWith("COM") || (text.startsWith("/dev/") && !text.startsWith("/dev/parport")
                && !text.startsWith("/dev/ppi"))) {
            return "serial";
        } else if (text.startsWith("/dev/parport") || text.startsWith("/dev/ppi")) {
            return "parallel";
        } else if (text.startsWith("pipe:")) {
            return "pipe";
        } else if (text.startsWith("udp:")) {
            return "udp";
        }
        return null;
    }

    private static List<QemuOpts.Parameter> socket(String rest, String prefix, String location) {
        int hostEnd = scan(rest, 0, MAX_HOST, ':');
        int portStart;
        String host;
        if (hostEnd > 0 && hostEnd < rest.length() && rest.charAt(hostEnd) == ':'
                && scan(rest, hostEnd + 1, MAX_PORT, ',') > hostEnd + 1) {
            host = rest.substring(0, hostEnd);
            portStart = hostEnd + 1;
        } else if (rest.startsWith(":") && scan(rest, 1, MAX_PORT, ',') > 1) {
            host = "";
            portStart = 1;
        } else {
            throw new SyntaxFailure();
        }
        int portEnd = scan(rest, portStart, MAX_PORT, ',');
        List<QemuOpts.Parameter> parameters = new ArrayList<>(List.of(parameter("backend", "socket"),
                parameter("host", host), parameter("port", rest.substring(portStart, portEnd))));
        if (portEnd < rest.length() && rest.charAt(portEnd) == ',') {
            parameters.addAll(QemuOpts.parseQuietly(QemuOptsList.CHARDEV, location, rest.substring(portEnd + 1),
                    null));
        }
        String flavour = prefix.substring(0, prefix.length() - 1);
        if (!flavour.equals("tcp")) {
            parameters.add(parameter(flavour, "on"));
        }
        return parameters;
    }

    /** sscanf's {@code %N[^stop]}: the end of the run of at most {@code max} characters other than {@code stop}. */
    private static int scan(String text, int start, int max, char stop) {
        int end = start;
        while (end < text.length() && end - start < max && text.charAt(end) != stop) {
            end++;
        }
        return end;
    }

    private static QemuOpts.Parameter parameter(String name, String value) {
        return new QemuOpts.Parameter(name, value);
    }

    /** QEMU's {@code goto fail}: only the "parse error" line is printed. */
    private static final class SyntaxFailure extends RuntimeException {
        SyntaxFailure() {
            super(null, null, false, false);
        }
    }
}
