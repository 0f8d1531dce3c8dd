package org.jqmp.monitor.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonLimits;
import org.jqmp.monitor.VersionInfo;

/** What every session of one server shares: the command table, events, the machine lock, settings. */
public final class MonitorContext {
    private final Dispatcher dispatcher;
    private final EventBroadcaster events;
    private final VersionInfo version;
    private final CompatPolicy compatPolicy;
    private final ThreadFactory threads;
    private final JsonLimits jsonLimits;
    /** QEMU's BQL: in-band commands of all sessions run one at a time. */
    private final Lock machineLock;
    private final Set<MonitorSession> sessions = ConcurrentHashMap.newKeySet();
    private final ThreadFactory platformThreads = Thread.ofPlatform().daemon().name("jqmp-unix-", 0).factory();
    /**
     * Unix sessions' platform threads, kept for reuse: starting an OS thread per connection was most of a
     * Unix connect's cost (bench/e2e.sh). Idle threads end after a minute.
     */
    private final ExecutorService platformPool = Executors.newCachedThreadPool(platformThreads);
    /** TCP sessions: a thread per task from the configured factory (virtual by default). */
    private final ExecutorService perTask;

    public MonitorContext(CommandTable commands, EventBroadcaster events, VersionInfo version,
                          CompatPolicy compatPolicy, ThreadFactory threads, JsonLimits jsonLimits, Lock machineLock) {
        this.machineLock = machineLock;
        this.dispatcher = new Dispatcher(commands, compatPolicy);
        this.events = events;
        this.version = version;
        this.compatPolicy = compatPolicy;
        this.threads = threads;
        this.perTask = Executors.newThreadPerTaskExecutor(threads);
        this.jsonLimits = jsonLimits;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    public EventBroadcaster events() {
        return events;
    }

    VersionInfo version() {
        return version;
    }

    CompatPolicy compatPolicy() {
        return compatPolicy;
    }

    ThreadFactory threads() {
        return threads;
    }

    /**
     * Runs blocking work for this connection on the right kind of thread (see
     * {@link Connection#needsPlatformThread()}); cancelling the future interrupts it.
     */
    Future<?> submit(Connection connection, Runnable task) {
        return (connection.needsPlatformThread() ? platformPool : perTask).submit(task);
    }

    /** Platform threads, for blocking calls into junixsocket (accept on a Unix socket). */
    ThreadFactory platformThreads() {
        return platformThreads;
    }

    JsonLimits jsonLimits() {
        return jsonLimits;
    }

    public Lock machineLock() {
        return machineLock;
    }

    /** Starts a session for a new connection on its own thread. */
    public MonitorSession startSession(Connection connection, boolean pretty, Runnable onEnd) {
        MonitorSession session = new MonitorSession(connection, this, pretty, onEnd);
        sessions.add(session);
        submit(connection, session);
        return session;
    }

    /** Starts a session on a pair of streams that the caller feeds and drains (a machine's mux chardev). */
    public MonitorSession startSession(java.io.InputStream in, java.io.OutputStream out, boolean pretty) {
        return startSession(new StreamConnection(in, out, in), pretty, () -> { });
    }

    /** Runs a session on the calling thread until it ends (client-mode and stdio monitors). */
    public void runSession(Connection connection, boolean pretty) {
        MonitorSession session = new MonitorSession(connection, this, pretty, null);
        sessions.add(session);
        session.run();
    }

    void sessionEnded(MonitorSession session) {
        sessions.remove(session);
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Closes every session's connection. */
    public void closeAllSessions() {
        sessions.forEach(MonitorSession::closeConnection);
    }
}
