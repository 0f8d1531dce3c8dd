package org.jqmp.monitor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonLimits;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.internal.MonitorCommands;
import org.jqmp.monitor.internal.Endpoint;
import org.jqmp.monitor.internal.EventBroadcaster;
import org.jqmp.monitor.internal.Endpoints;
import org.jqmp.monitor.internal.MonitorContext;

/**
 * A QMP server: the monitors of one (virtual) machine. Every monitor speaks QEMU 7.2's protocol on its
 * chardev; all of them share one command table, one event stream and one machine lock.
 *
 * <pre>{@code
 * QmpServer server = QmpServer.builder().commands(machineCommands).build();
 * server.start(List.of(chardev), List.of(new MonitorConfig(chardev.id(), false)));
 * server.events().emit("STOP", null);
 * }</pre>
 */
public final class QmpServer implements AutoCloseable {
    private final MonitorContext context;
    private final YankRegistry yank;
    private final Runnable onQuit;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private QmpServer(Builder builder) {
        this.yank = builder.yank;
        this.onQuit = builder.onQuit;
        EventBroadcaster events = new EventBroadcaster(builder.compat);
        MonitorCommands control = new MonitorCommands(yank, events, builder.compat, this::quit);
        CommandTable table = CommandTable.builder()
                .registerAll(control.table())
                .registerAll(builder.commands)
                .build();
        this.context = new MonitorContext(table, events, builder.version, builder.compat, builder.threads,
                builder.limits, builder.machineLock);
    }

    /**
     * Starts getting Unix sockets ready on a thread of its own (junixsocket's classes and native library: about
     * 15 ms of a cold start, docs/benchmarks.md "Machine start"), so that a process that will serve a Unix socket
     * does it while it reads its options and builds its machine. Nothing changes but when that work happens.
     */
    public static void prepareUnixSockets() {
        Thread.ofPlatform().daemon().name("jqmp-unix-prepare").start(() -> {
            try {
                org.newsclub.net.unix.AFUNIXServerSocket.newInstance().close();
            } catch (IOException | RuntimeException | LinkageError e) {
                // the socket's own bind reports whatever is wrong, where and as it always has
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a monitor on each chardev that a {@link MonitorConfig} names. Returns once every monitor serves
     * (a {@code wait=on} server blocks until its first client connects). On failure nothing stays open.
     */
    public void start(List<ChardevConfig> chardevs, List<MonitorConfig> monitors) throws IOException {
        Map<String, ChardevConfig> byId = new HashMap<>();
        chardevs.forEach(c -> byId.put(c.id(), c));
        try {
            for (MonitorConfig monitor : monitors) {
                ChardevConfig chardev = byId.get(monitor.chardevId());
                if (chardev == null) {
                    throw new IOException("chardev \"" + monitor.chardevId() + "\" not found");
                }
                Endpoint endpoint = Endpoints.forChardev(chardev, context, monitor.pretty(), yank, () -> { });
                endpoints.add(endpoint);
                endpoint.start();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Serves one QMP session on a byte stream that is none of the server's chardevs (a machine's mux, which
     * {@code -mon chardev=ID,mode=control} puts QMP on): it greets at once and ends when {@code in} ends. The
     * chardev is the machine's to report.
     */
    public void serve(java.io.InputStream in, java.io.OutputStream out, boolean pretty) {
        context.startSession(in, out, pretty);
    }

    /** The monitors' chardevs as {@code query-chardev} reports them now, in the order they were opened. */
    public List<ChardevState> chardevs() {
        synchronized (endpoints) {
            return endpoints.stream().map(e -> new ChardevState(e.id(), e.filename(), true)).toList();
        }
    }

    public EventEmitter events() {
        return context.events();
    }

    public YankRegistry yank() {
        return yank;
    }

    /** QEMU's BQL: hold it to change machine state outside a command. */
    public Lock machineLock() {
        return context.machineLock();
    }

    /** Sessions connected now, on all monitors. */
    public int sessionCount() {
        return context.sessionCount();
    }

    private void quit() {
        close();
        onQuit.run();
    }

    /** Blocks until the server is closed (by {@link #close()} or {@code quit}). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        synchronized (endpoints) {
            endpoints.forEach(Endpoint::close);
            endpoints.clear();
        }
        context.closeAllSessions();
        context.events().close();
        terminated.countDown();
    }

    /** Settings; everything has a default. */
    public static final class Builder {
        private CommandTable commands = CommandTable.builder().build();
        private VersionInfo version = VersionInfo.DEFAULT;
        private CompatPolicy compat = CompatPolicy.ACCEPT_ALL;
        private ThreadFactory threads = defaultThreads();
        private JsonLimits limits = JsonLimits.QEMU;
        private YankRegistry yank = new YankRegistry();
        private Runnable onQuit = () -> { };
        private Lock machineLock = new ReentrantLock(true);

        /** The machine's commands; they are added to the monitor's own control commands. */
        public Builder commands(CommandTable table) {
            this.commands = Objects.requireNonNull(table);
            return this;
        }

        public Builder version(VersionInfo value) {
            this.version = Objects.requireNonNull(value);
            return this;
        }

        public Builder compat(CompatPolicy value) {
            this.compat = Objects.requireNonNull(value);
            return this;
        }

        /** The threads sessions run on; virtual by default ({@code -Djqmp.monitor.threads=platform} to change). */
        public Builder threads(ThreadFactory value) {
            this.threads = Objects.requireNonNull(value);
            return this;
        }

        public Builder jsonLimits(JsonLimits value) {
            this.limits = Objects.requireNonNull(value);
            return this;
        }

        public Builder yank(YankRegistry value) {
            this.yank = Objects.requireNonNull(value);
            return this;
        }

        /** Runs after {@code quit} has replied and the server has closed (the CLI exits the process). */
        public Builder onQuit(Runnable value) {
            this.onQuit = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The machine lock (QEMU's BQL) in-band commands run under; by default a fair lock of the server's own.
         * A machine that exists before the server passes its lock here.
         */
        public Builder machineLock(Lock value) {
            this.machineLock = Objects.requireNonNull(value);
            return this;
        }

        public QmpServer build() {
            return new QmpServer(this);
        }

        private static ThreadFactory defaultThreads() {
            if ("platform".equals(System.getProperty("jqmp.monitor.threads"))) {
                return Thread.ofPlatform().daemon().name("jqmp-monitor-", 0).factory();
            }
            return Thread.ofVirtual().name("jqmp-monitor-", 0).factory();
        }
    }
}
