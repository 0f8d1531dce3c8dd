package org.jqmp.cli.run;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;

/**
 * Turns parsed {@code -chardev} options into {@link ChardevConfig}s in command-line order, with QEMU 7.2's
 * checks in its order ({@code qemu_chr_new_from_opts}, {@code qemu_chr_parse_opts} in {@code chardev/char.c}).
 *
 * <p>socket and stdio become {@link ChardevConfig}s (a QMP monitor may sit on them); null, file, ringbuf
 * ({@code memory}) and pty become {@link MachineChardev}s that the machine opens. The other backends QEMU 7.2
 * knows are refused with a clear message rather than ignored: a user who asks for one would otherwise get
 * nothing without knowing it.
 */
final class ChardevBackends {

    /** The backends of Debian's QEMU 7.2 ({@code -chardev help}, observed) that jqmp does not have yet. */
    static final Set<String> NOT_YET = Set.of("pipe", "qemu-vdagent", "msmouse", "vc", "parallel", "udp",
            "serial", "wctablet", "testdev");

    /** The backends the machine opens. */
    static final Set<String> MACHINE = Set.of("null", "file", "ringbuf", "memory", "pty", "mux");

    /** jqmp keeps a ringbuf in one Java array: the largest power of two an array holds. */
    static final long MAX_RINGBUF_SIZE = 1L << 30;

    /** Every chardev of the command line, split by who opens it; each list in command-line order. */
    record Created(List<ChardevConfig> monitorSide, List<MachineChardev> machineSide) {
        Created {
            monitorSide = List.copyOf(monitorSide);
            machineSide = List.copyOf(machineSide);
        }

        boolean exists(String id) {
            return monitorSide.stream().anyMatch(c -> c.id().equals(id))
                    || machineSide.stream().anyMatch(c -> c.backend().id().equals(id));
        }
    }

    private ChardevBackends() {
    }

    /** Creates every chardev; the first refused one ends the run, as QEMU's {@code &error_fatal} does. */
    static Created createAll(List<QemuOpts> chardevs, boolean daemonize, List<String> ignored) {
        return createAll(chardevs, daemonize, ignored, id -> true);
    }

    /**
     * As above; a socket chardev no monitor names ({@code forMonitor} false) is also handed to the machine,
     * which serves it as a plain byte stream (no QMP endpoint is opened for it).
     */
    static Created createAll(List<QemuOpts> chardevs, boolean daemonize, List<String> ignored,
                             Predicate<String> forMonitor) {
        return createAll(chardevs, daemonize, ignored, forMonitor, forMonitor);
    }

    /** As above; {@code forHumanMonitor} names the chardevs a human monitor (mode readline) sits on. */
    static Created createAll(List<QemuOpts> chardevs, boolean daemonize, List<String> ignored,
                             Predicate<String> forMonitor, Predicate<String> forHumanMonitor) {
        List<ChardevConfig> created = new ArrayList<>();
        List<MachineChardev> machineSide = new ArrayList<>();
        for (QemuOpts opts : chardevs) {
            String backend = checkBackend(opts);
            if (opts.bool("mux", false)) {
                List<MachineChardev> pair = multiplexed(opts, backend, ignored, forHumanMonitor);
                if (pair.getFirst().backend() instanceof ChardevBackend.Stdio) {
                    checkStdio(opts, daemonize, created, machineSide);
                }
                machineSide.addAll(pair);
                continue;
            }
            if (MACHINE.contains(backend)) {
                String id = opts.id().orElseThrow();
                machineSide.add(new MachineChardev(opts.location(), machineBackend(id, backend, opts),
                        serialArgument(opts), forHumanMonitor.test(id), log(opts)));
                continue;
            }
            ChardevConfig chardev = create(opts, ignored);
            int machineBefore = machineSide.size();
            // a human monitor's chardev is the machine's (it serves HMP itself); a socket no monitor names too,
            // as a plain byte stream. Listed on both sides: the parsed chardev stays visible as configured
            // (RunOptions.chardevs), and the QMP server opens only what is not the machine's.
            boolean human = forHumanMonitor.test(chardev.id());
            if (chardev instanceof SocketChardevConfig socket && (human || !forMonitor.test(socket.id()))) {
                machineSide.add(new MachineChardev(opts.location(), machineSocket(socket), serialArgument(opts),
                        human, log(opts)));
            }
            if (chardev instanceof StdioChardevConfig stdio) {
                checkStdio(opts, daemonize, created, machineSide);
                if (human || !forMonitor.test(stdio.id())) { // a human monitor's, or a serial port's
                    machineSide.add(new MachineChardev(opts.location(), new ChardevBackend.Stdio(stdio.id(),
                            stdio.signal()), serialArgument(opts), human, log(opts)));
                }
            }
            if (opts.has("logfile") && machineSide.size() == machineBefore) {
                throw CommandLineException.at(opts.location(), "chardev option 'logfile' is not supported by jqmp"
                        + " on a QMP monitor's chardev or an unused stdio");
            }
            created.add(chardev);
        }
        return new Created(created, machineSide);
    }

    /**
     * {@code mux=on} ({@code qemu_chr_new_from_opts}): the backend is opened as {@code ID-base} and a mux named
     * {@code ID} shares it between the serial ports and a monitor (a human one: {@code -mon chardev=ID} or the
     * {@code mon:} prefix of {@code -serial}; QMP: {@code mode=control}). Both live in the machine; the QMP
     * server serves sessions on the mux for a QMP monitor.
     */
    private static List<MachineChardev> multiplexed(QemuOpts opts, String backend, List<String> ignored,
                                                    Predicate<String> forHumanMonitor) {
        String id = opts.id().orElseThrow();
        String baseId = id + "-base";
        ChardevBackend base;
        if (MACHINE.contains(backend)) {
            base = machineBackend(baseId, backend, opts);
        } else if (backend.equals("socket")) {
            base = machineSocket((SocketChardevConfig) SocketBackend.create(baseId, opts, ignored));
        } else if (backend.equals("stdio")) {
            base = new ChardevBackend.Stdio(baseId, opts.bool("signal", true));
        } else {
            throw CommandLineException.at(opts.location(), "a multiplexed '" + backend
                    + "' chardev is not supported by jqmp yet (supported: socket, stdio, null, file, ringbuf,"
                    + " memory, pty)");
        }
        boolean humanMonitor = forHumanMonitor.test(id) || opts.bool(LegacyChardevSyntax.MONITOR_MARK, false);
        // the options are the base's (qemu_chr_new_from_opts opens the backend with them), its log included
        return List.of(new MachineChardev(opts.location(), base, serialArgument(opts), false, log(opts)),
                new MachineChardev(opts.location(), new ChardevBackend.Mux(id, baseId), Optional.empty(),
                        humanMonitor));
    }

    /** {@code qemu_chr_open_stdio}: a daemon has no terminal to talk to, and stdio has one user. */
    private static void checkStdio(QemuOpts opts, boolean daemonize, List<ChardevConfig> created,
                                   List<MachineChardev> machineSide) {
        if (daemonize) {
            throw CommandLineException.at(opts.location(), "cannot use stdio with -daemonize");
        }
        if (created.stream().anyMatch(c -> c instanceof StdioChardevConfig)
                || machineSide.stream().anyMatch(c -> c.backend() instanceof ChardevBackend.Stdio)) {
            throw CommandLineException.at(opts.location(), "cannot use stdio by multiple character devices");
        }
    }

    /** The backend's name, after QEMU's checks of the id and the name; a backend jqmp lacks is refused. */
    private static String checkBackend(QemuOpts opts) {
        String location = opts.location();
        String id = opts.id().orElseThrow(() -> CommandLineException.at(location, "chardev: no id specified"));
        String backend = aliasOf(opts.last("backend").orElseThrow(() ->
                CommandLineException.at(location, "chardev: \"" + id + "\" missing backend")));
        if (!backend.equals("socket") && !backend.equals("stdio") && !MACHINE.contains(backend)
                && !NOT_YET.contains(backend)) {
            throw CommandLineException.at(location, "'" + backend + "' is not a valid char driver name");
        }
        if (NOT_YET.contains(backend)) {
            throw CommandLineException.at(location, "chardev backend '" + backend
                    + "' is not supported by jqmp yet (supported: socket, stdio, null, file, ringbuf, memory, pty)");
        }
        return backend;
    }

    private static Optional<String> serialArgument(QemuOpts opts) {
        return opts.location().startsWith("-serial ") ? Optional.of(opts.location().substring(8)) : Optional.empty();
    }

    /** The machine's socket: the address as the monitor's configuration resolved it (an empty host: any). */
    private static ChardevBackend.Socket machineSocket(SocketChardevConfig socket) {
        SocketAddress address = switch (socket.address()) {
            case SocketAddressConfig.Unix unix -> UnixDomainSocketAddress.of(unix.path());
            case SocketAddressConfig.Tcp tcp -> tcp.host().isEmpty() ? new InetSocketAddress(tcp.port())
                    : new InetSocketAddress(tcp.host(), tcp.port());
        };
        return new ChardevBackend.Socket(socket.id(), address, socket.server(), socket.waitForClient(),
                socket.filename(), socket.reconnectSeconds());
    }

    /** {@code qemu_chr_parse_file_out}, {@code qemu_chr_parse_ringbuf} and the ringbuf's open check. */
    private static ChardevBackend machineBackend(String id, String backend, QemuOpts opts) {
        String location = opts.location();
        return switch (backend) {
            case "null" -> new ChardevBackend.Null(id);
            case "pty" -> new ChardevBackend.Pty(id);
            case "mux" -> new ChardevBackend.Mux(id, opts.last("chardev").orElseThrow(() ->
                    CommandLineException.at(location, "chardev: mux: no chardev given")));
            case "file" -> new ChardevBackend.File(id, Path.of(opts.last("path").orElseThrow(() ->
                    CommandLineException.at(location, "chardev: file: no filename given"))),
                    opts.bool("append", false));
            case "ringbuf", "memory" -> {
                long size = opts.last("size").map(v -> OptionValues.parseSize("size", v).longValue())
                        .orElse(ChardevBackend.Ringbuf.DEFAULT_SIZE);
                if ((size & (size - 1)) != 0) {
                    throw CommandLineException.at(location, "size of ringbuf chardev must be power of two");
                }
                if (Long.compareUnsigned(size, MAX_RINGBUF_SIZE) > 0) {
                    throw CommandLineException.at(location, "size of ringbuf chardev must be at most 1G in jqmp"
                            + " (MAX_RINGBUF_SIZE)");
                }
                yield new ChardevBackend.Ringbuf(id, size, backend);
            }
            default -> throw new IllegalStateException(backend);
        };
    }

    static ChardevConfig create(QemuOpts opts, List<String> ignored) {
        String id = opts.id().orElseThrow();
        String backend = checkBackend(opts);
        return switch (backend) {
            case "socket" -> SocketBackend.create(id, opts, ignored);
            case "stdio" -> new StdioChardevConfig(id, opts.bool("signal", true));
            default -> throw new IllegalStateException(backend);
        };
    }

    /** {@code chardev_alias_translate}. */
    private static String aliasOf(String backend) {
        return switch (backend) {
            case "parport" -> "parallel";
            case "tty" -> "serial";
            default -> backend;
        };
    }

    /** {@code qemu_chr_parse_common}: {@code logfile} and {@code logappend}, which every backend takes. */
    private static Optional<MachineChardev.Log> log(QemuOpts opts) {
        return opts.last("logfile").map(file -> new MachineChardev.Log(Path.of(file), opts.bool("logappend", false)));
    }
}
