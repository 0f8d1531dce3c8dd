package org.jqmp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jqmp.api.runtime.CommandContext;
import java.util.HashSet;
import java.util.Set;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.cli.run.CommandLineException;
import org.jqmp.cli.run.BlockdevArgument;
import org.jqmp.cli.run.DriveRequest;
import org.jqmp.api.BlockdevOptions;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.cli.run.MachineChardev;
import org.jqmp.cli.run.QemuCommandLine;
import org.jqmp.cli.run.RunOptions;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineType;
import org.jqmp.machine.block.BlockDevices;
import org.jqmp.machine.block.DriveConfig;
import org.jqmp.machine.chardev.Chardev;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.machine.chardev.ChardevException;
import org.jqmp.monitor.VersionInfo;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.QmpServer;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jqmp run [QEMU options]}: starts a machine with QEMU's command-line syntax. With no monitor options
 * it starts the default machine with a QMP socket in a per-user directory and prints where.
 */
@Command(name = "run", description = "Start a machine. Takes QEMU's options (-qmp, -mon, -chardev, -S, -M, ...).",
        mixinStandardHelpOptions = false)
final class RunCommand implements Callable<Integer> {
    /** How long a power-off waits for the causing command's reply to be written before the process ends. */
    /** Set when jqmp itself ends the process ({@code quit}, a power-off), as opposed to a signal. */
    private static final AtomicBoolean ENDING = new AtomicBoolean();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "QEMU-OPTION", description = "QEMU system emulator options")
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return call(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs {@link #options}; {@link Main} calls this without picocli (docs/benchmarks.md, "Machine start"). */
    Integer call(PrintWriter out, PrintWriter err) throws Exception {
        if (org.jqmp.cli.run.RunHelp.asked(options)) {
            out.print(org.jqmp.cli.run.RunHelp.text());
            out.flush();
            return 0;
        }
        if (options.isEmpty() || options.stream().anyMatch(o -> o.contains("unix:") || o.contains("path="))) {
            QmpServer.prepareUnixSockets(); // meanwhile on another core: the options, the machine
        }
        RunOptions run;
        try {
            run = QemuCommandLine.parse(options);
        } catch (CommandLineException e) {
            err.print(e.format("jqmp"));
            err.flush();
            return e.exitCode();
        }
        if (!Daemon.isChild()) {
            // a daemon's parent has printed them already
            run.warnings().forEach(w -> err.println("jqmp: warning: " + w));
        }
        if (run.daemonize() && !Daemon.isChild()) {
            err.flush();
            return Daemon.detach(options);
        }
        // QEMU creates the pid file before anything else starts (qemu_process_early_options)
        PidFile pidfile = null;
        try {
            if (run.pidfile().isPresent()) {
                pidfile = PidFile.create(run.pidfile().get());
            }
        } catch (IOException e) {
            err.println("jqmp: " + e.getMessage());
            return 1;
        }
        List<ChardevConfig> chardevs = new ArrayList<>(run.chardevs());
        List<MonitorConfig> monitors = new ArrayList<>(run.monitors());
        boolean defaultMachine = monitors.isEmpty();
        if (defaultMachine) {
            addDefaultMonitor(chardevs, monitors, err);
        }
        Set<String> machineIds = new HashSet<>();
        run.machineChardevs().forEach(c -> machineIds.add(c.backend().id()));
        List<ChardevConfig> monitorSide = chardevs.stream().filter(c -> !machineIds.contains(c.id())).toList();
        AtomicReference<QmpServer> serverRef = new AtomicReference<>();
        Lock machineLock = new ReentrantLock(true); // QEMU's BQL, shared by the machine and the monitors
        Machine machine = Machine.builder(machineConfig(run))
                .events((name, data, features) -> serverRef.get().events().emit(name, data, features))
                .compat(run.compat())
                .lock(machineLock)
                .onExit(status -> exitAfterReply(serverRef.get(), status))
                .chardevs(() -> MachineChardevs.of(serverRef.get().chardevs(), monitorSide, run.serialFrontends()))
                .version(VersionInfo.DEFAULT.major() + "." + VersionInfo.DEFAULT.minor() + "."
                        + VersionInfo.DEFAULT.micro() + VersionInfo.DEFAULT.packageName())
                .build();
        BlockDevices blocks = new BlockDevices((name, data, features) -> serverRef.get().events().emit(name, data,
                features), run.compat(), RunCommand::printOut);
        QmpServer server = QmpServer.builder()
                .machineLock(machineLock)
                .compat(run.compat())
                .commands(CommandTable.builder().registerAll(machine.commands()).registerAll(blocks.commands())
                        .build())
                .onQuit(() -> {
                    ENDING.set(true);
                    System.exit(0);
                })
                .build();
        serverRef.set(server);
        machine.ownChardevs().useYank(MachineChardevs.yank(server.yank()));
        machine.ownChardevs().useTerminate(() -> { // a mux's Ctrl-A x: QEMU exits at once, status 0
            ENDING.set(true);
            System.exit(0);
        });
        String failure = openMachineChardevs(machine, run, server, err);
        if (failure == null) {
            failure = openDrives(blocks, run);
        }
        if (failure != null) {
            blocks.close();
            err.println("jqmp: " + failure);
            if (pidfile != null) {
                pidfile.close();
            }
            machine.ownChardevs().close();
            return 1;
        }
        blocks.attach(machine);
        // a running guest answers the host's eject request for a locked tray by opening it, shortly after
        blocks.onEjectRequest((drive, force) -> Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            machineLock.lock();
            try {
                if (machine.runState() == org.jqmp.api.RunState.RUNNING) {
                    blocks.guestEjects(drive.name());
                }
            } finally {
                machineLock.unlock();
            }
        }));
        MachineGuest.attach(machine, run, blocks.guestDisks(),
                defaultMachine ? java.util.Optional.of(defaultDirectory()) : java.util.Optional.empty(), err);
        machine.start();
        try {
            server.start(chardevs, MachineChardevs.serverMonitors(monitors, run.machineChardevs()));
        } catch (IOException e) {
            err.println("jqmp: " + e.getMessage());
            if (pidfile != null) {
                pidfile.close();
            }
            return 1;
        }
        if (Daemon.isChild()) {
            Daemon.ready();
        }
        PidFile ownPidfile = pidfile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> end(machine, server, blocks, ownPidfile, err)));
        server.awaitTermination();
        return 0;
    }

    /**
     * The JVM is ending. When neither {@code quit} nor a power-off asked for it, a signal did (SIGTERM,
     * SIGINT, SIGHUP): QEMU then sends SHUTDOWN (host-signal), says so on stderr, and exits with status 0.
     */
    private static void end(Machine machine, QmpServer server, BlockDevices blocks, PidFile pidfile,
                            PrintWriter err) {
        boolean signalled = !ENDING.get();
        if (signalled) {
            err.println("jqmp: terminating on signal");
            err.flush();
            machine.killed();
        }
        server.close();
        blocks.close();
        if (pidfile != null) {
            pidfile.close();
        }
        if (signalled) {
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * Opens the machine's chardevs in command-line order (QEMU prints where a pty went), then attaches the
     * serial ports' front ends; returns QEMU's error text for the first that fails, or null.
     */
    private static String openMachineChardevs(Machine machine, RunOptions run, QmpServer server, PrintWriter err) {
        for (MachineChardev chardev : run.machineChardevs()) {
            try {
                Chardev opened = chardev.log().isEmpty() ? machine.ownChardevs().open(chardev.backend())
                        : machine.ownChardevs().open(chardev.backend(), chardev.log().get().file(),
                        chardev.log().get().append());
                if (chardev.backend() instanceof ChardevBackend.Pty) {
                    err.println("char device redirected to " + opened.filename().substring(4) + " (label "
                            + opened.id() + ")");
                    err.flush();
                }
            } catch (ChardevException e) {
                return String.join("\njqmp: ", chardev.failure(e.getMessage()));
            }
        }
        MachineChardevs.attachFrontends(machine, run.machineChardevs(), run.serialFrontends(), run.monitors(),
                server);
        return null;
    }

    /**
     * Opens the drives' images in command-line order, then the default drives; returns QEMU's error text
     * (prefixed with the {@code -drive} option) for the first that fails, or null.
     */
    private static String openDrives(BlockDevices blocks, RunOptions run) {
        for (BlockdevArgument blockdev : run.blockdevs()) {
            try {
                QObjectInput in = blockdev.keyval() ? QObjectInput.keyval(blockdev.options(), run.compat())
                        : new QObjectInput(blockdev.options(), run.compat());
                BlockdevOptions options = BlockdevOptions.read(in, null);
                blocks.blockdevAdd(options);
            } catch (QmpException e) {
                return blockdev.location() + ": " + e.error().desc();
            }
        }
        for (DriveRequest request : run.drives()) {
            DriveConfig c = request.config();
            if (request.node() != null) {
                blocks.attach(c, request.node());
                continue;
            }
            boolean disk = !c.cdrom() && c.iface() == DriveConfig.Interface.IDE;
            if (disk && c.file() == null) {
                return request.location() + ": Device needs media, but drive is empty";
            }
            try {
                if (request.snapshot() && c.file() != null) {
                    blocks.addWithTemporarySnapshot(c);
                } else {
                    blocks.add(c);
                }
            } catch (QmpException e) {
                String text = e.error().desc();
                return request.location() == null ? text : request.location() + ": " + text;
            }
            if (disk && c.readOnly()) {
                // ide-hd refuses a read-only node when it realizes: QEMU names no option
                return "Block node is read-only";
            }
        }
        return null;
    }

    /** QEMU's standard output (image creation lines), kept in order with what the monitor does. */
    private static synchronized void printOut(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static MachineConfig machineConfig(RunOptions run) {
        MachineType type = switch (run.machine()) {
            case NONE -> MachineType.NONE;
            case PC -> MachineType.PC;
        };
        // the default machine (no monitor option) is called demo, unless -name says otherwise
        java.util.Optional<String> name = run.name().isEmpty() && run.monitors().isEmpty()
                ? java.util.Optional.of("demo") : run.name();
        return new MachineConfig(type, run.startPaused(), name, run.uuid(), run.actions());
    }

    /**
     * QEMU leaves its main loop after a power-off and exits once the command that caused it has replied: so
     * when a command is running, exit after its reply; when the guest powered off, exit now.
     */
    private static void exitAfterReply(QmpServer server, int status) {
        ENDING.set(true);
        Runnable exit = () -> Thread.ofPlatform().name("jqmp-exit").start(() -> {
            server.close();
            System.exit(status);
        });
        CommandContext.current().ifPresentOrElse(command -> command.afterReply(exit), exit);
    }

    /** The default machine's state directory: {@code ./jqmp-state/demo}, beside where {@code jqmp run} started. */
    private static Path defaultDirectory() {
        return Path.of("jqmp-state", "demo").toAbsolutePath();
    }

    /** The default machine's TCP monitor (issue: "QMP on a Unix socket there and on 127.0.0.1:4444"). */
    private static final int DEFAULT_TCP_PORT = 4444;

    /** The default machine's monitors: a Unix socket in its directory, and TCP on 127.0.0.1:4444 if free. */
    private static void addDefaultMonitor(List<ChardevConfig> chardevs, List<MonitorConfig> monitors,
                                          PrintWriter err) throws IOException {
        Path dir = defaultDirectory();
        Files.createDirectories(dir);
        Path socket = dir.resolve("qmp.sock");
        chardevs.add(new SocketChardevConfig("compat_monitor0", new SocketAddressConfig.Unix(socket), true, false, 0,
                "unix:" + socket + ",server=on"));
        monitors.add(new MonitorConfig("compat_monitor0", false));
        err.println("jqmp: machine 'demo' in " + dir);
        err.println("jqmp: QMP on " + socket);
        if (portFree(DEFAULT_TCP_PORT)) {
            chardevs.add(new SocketChardevConfig("compat_monitor1", new SocketAddressConfig.Tcp("127.0.0.1",
                    DEFAULT_TCP_PORT, false, false), true, false, 0, "tcp:127.0.0.1:" + DEFAULT_TCP_PORT + ",server=on"));
            monitors.add(new MonitorConfig("compat_monitor1", false));
            err.println("jqmp: QMP on 127.0.0.1:" + DEFAULT_TCP_PORT);
        } else {
            err.println("jqmp: 127.0.0.1:" + DEFAULT_TCP_PORT + " is in use: QMP on the Unix socket only");
        }
        err.println("jqmp: connect with:  ./jqmp shell " + socket);
        err.println("jqmp:           or:  socat - UNIX-CONNECT:" + socket
                + "   then {\"execute\":\"qmp_capabilities\"}");
        err.println("jqmp:           or:  qmp-shell " + socket);
        err.println("jqmp: Ctrl-C shuts the machine down");
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
