package org.jqmp.machine;

import static org.jqmp.api.RunState.FINISH_MIGRATE;
import static org.jqmp.api.RunState.INMIGRATE;
import static org.jqmp.api.RunState.PAUSED;
import static org.jqmp.api.RunState.PRELAUNCH;
import static org.jqmp.api.RunState.RUNNING;
import static org.jqmp.api.RunState.SUSPENDED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.GuestPanicAction;
import org.jqmp.api.GuestPanicInformation;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.RunStateEvents;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.ShutdownCause;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.EventSink;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.machine.chardev.Chardevs;
import org.jqmp.machine.internal.MachineHandlers;

/**
 * One virtual machine: its run state and how host requests and guest events change it, with QEMU 7.2's
 * events in QEMU's order ({@code softmmu/runstate.c}, {@code softmmu/cpus.c}, {@code hw/watchdog/watchdog.c}).
 *
 * <p>QEMU queues host and guest requests and handles them in its main loop; jqmp handles each at once, under
 * the machine lock, so a command's events go out before its reply, as QEMU 7.2 was observed to send them.
 * Every method takes the lock itself (it is reentrant: in-band commands already hold it).
 *
 * <p>Guest events ({@code guest*}, {@link #watchdogExpired()}) come from a running guest: while its virtual CPUs
 * are stopped nothing in the guest can cause them, so they do nothing and return false.
 */
public final class Machine {
    private final MachineConfig config;
    private final RunStateMachine state = new RunStateMachine();
    private final RunStateEvents events;
    private final Lock lock;
    private final Consumer<Integer> exit;
    private final Consumer<String> report;
    private final Supplier<List<ChardevInfo>> chardevs;
    private final boolean kvmPresent;
    private final String version;
    private final Chardevs ownChardevs;
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, HumanCommand> humanInfos = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, HumanCommand> humanCommands = new java.util.concurrent.ConcurrentSkipListMap<>();
    private GuestActions actions;
    private boolean exited;

    private Machine(Builder b) {
        this.config = b.config;
        this.events = new RunStateEvents(b.events, b.compat);
        this.lock = b.lock;
        this.exit = b.exit;
        this.report = b.report;
        this.chardevs = b.chardevs;
        this.kvmPresent = b.kvmPresent;
        this.version = b.version;
        this.ownChardevs = new Chardevs(id -> chardevs.get().stream().anyMatch(c -> c.label().equals(id)));
        this.actions = config.actions();
    }

    public static Builder builder(MachineConfig config) {
        return new Builder(config);
    }

    /** The machine's QMP commands, each behind its generated marshaller, for {@code QmpServer.Builder.commands}. */
    public CommandTable commands() {
        return new MachineHandlers(this).table();
    }

    public MachineConfig config() {
        return config;
    }

    /**
     * An HMP command that another part of the machine answers (the block devices' {@code eject}, {@code info
     * block}): its parameters and help text as {@code help} shows them, and its output for the words after the
     * name, with "\n" line ends.
     */
    public record HumanCommand(String name, String params, String help, Function<List<String>, String> output) {
    }

    /** Adds an HMP {@code info} command; {@code human-monitor-command} and the human monitors answer it. */
    public void addHumanInfo(HumanCommand info) {
        humanInfos.put(info.name(), info);
    }

    /** The HMP {@code info} commands added with {@link #addHumanInfo}, by name. */
    public java.util.Collection<HumanCommand> humanInfos() {
        return humanInfos.values();
    }

    /** Adds an HMP command; {@code human-monitor-command} and the human monitors answer it. */
    public void addHumanCommand(HumanCommand command) {
        humanCommands.put(command.name(), command);
    }

    /** The HMP commands added with {@link #addHumanCommand}, by name. */
    public java.util.Collection<HumanCommand> humanCommands() {
        return humanCommands.values();
    }

    public void addListener(MachineListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** QEMU's autostart: without {@code -S} the machine runs as soon as it is built (RESUME, to no one yet). */
    public void start() {
        locked(() -> {
            if (!config.startPaused()) {
                vmStart();
            }
        });
    }

    public RunState runState() {
        lock.lock();
        try {
            return state.current();
        } finally {
            lock.unlock();
        }
    }

    public GuestActions actions() {
        lock.lock();
        try {
            return actions;
        } finally {
            lock.unlock();
        }
    }

    /** True once a power-off has been handed to the host: the process is ending. */
    public boolean exited() {
        lock.lock();
        try {
            return exited;
        } finally {
            lock.unlock();
        }
    }

    /** What {@code query-chardev} lists: the monitors' chardevs, then the machine's own. */
    public List<ChardevInfo> chardevs() {
        List<ChardevInfo> all = new ArrayList<>(chardevs.get());
        all.addAll(ownChardevs.infos());
        return List.copyOf(all);
    }

    /** The machine's own chardevs (every backend but a monitor's), which {@code jqmp run} opens. */
    public Chardevs ownChardevs() {
        return ownChardevs;
    }

    /** What HMP's {@code info version} prints: QEMU's version followed by the package string. */
    public String version() {
        return version;
    }

    public boolean kvmPresent() {
        return kvmPresent;
    }

    // --- host requests (QMP) ---

    /** {@code qmp_stop} (7.2): in {@code inmigrate} only autostart is cleared (no migration yet: never). */
    public void stop() {
        locked(() -> vmStop(PAUSED));
    }

    /** {@code qmp_cont} with its refusals, in QEMU's order. */
    public void cont() {
        locked(() -> {
            if (state.needsReset()) {
                throw QmpException.generic("Resetting the Virtual Machine is required");
            }
            if (state.current() == SUSPENDED) {
                return;
            }
            if (state.current() == FINISH_MIGRATE) {
                throw QmpException.generic("Migration is not finalized yet");
            }
            vmStart();
        });
    }

    /**
     * The virtual CPU met something it cannot run (QEMU: a KVM internal error such as an emulation failure): the
     * message goes to the operator, the machine stops in {@code internal-error} (STOP), and only
     * {@code system_reset} brings it back ({@code cont} says the machine needs a reset). False when not running.
     */
    public boolean internalError(String message) {
        return whileRunning(() -> {
            report.accept(message);
            vmStop(RunState.INTERNAL_ERROR);
        });
    }

    /**
     * A drive's error policy stops the machine ({@code blk_error_action}, action stop): {@code io-error} with
     * STOP when it runs; false (nothing happens) otherwise.
     */
    public boolean ioErrorStop() {
        return whileRunning(() -> vmStop(RunState.IO_ERROR));
    }

    /** {@code system_reset}: a reset request from the host (a shutdown with {@code -no-reboot}). */
    public void systemReset() {
        locked(() -> resetRequest(ShutdownCause.HOST_QMP_SYSTEM_RESET));
    }

    /** {@code system_powerdown}: POWERDOWN, then the power button; only a guest OS that listens reacts. */
    public void systemPowerdown() {
        locked(this::powerdown);
    }

    /** {@code system_wakeup} ({@code qemu_system_wakeup_request}, reason "other"). */
    public void systemWakeup() {
        locked(() -> {
            if (!config.type().wakeupSupported()) {
                throw QmpException.generic("wake-up from suspend is not supported by this guest");
            }
            if (state.current() != SUSPENDED) {
                throw QmpException.generic("Unable to wake up: guest is not in suspended state");
            }
            change(RUNNING);
            listeners.forEach(MachineListener::wokenUp);
            events.wakeup();
        });
    }

    /** {@code set-action}: absent (null) members keep their action. */
    public void setActions(RebootAction reboot, ShutdownAction shutdown, PanicAction panic,
                           WatchdogAction watchdog) {
        locked(() -> {
            GuestActions a = actions;
            a = reboot == null ? a : a.withReboot(reboot);
            a = panic == null ? a : a.withPanic(panic);
            a = watchdog == null ? a : a.withWatchdog(watchdog);
            actions = shutdown == null ? a : a.withShutdown(shutdown);
        });
    }

    /**
     * {@code qemu_system_killed}: the host ends the process (a signal); SHUTDOWN with reason
     * {@code host-signal} whatever the shutdown action. The caller ends the process; the exit hook is not called.
     */
    public void killed() {
        locked(() -> {
            if (!exited) {
                exited = true;
                events.shutdown(false, ShutdownCause.HOST_SIGNAL);
            }
        });
    }

    /**
     * {@code qmp_quit}, as HMP's {@code quit} calls it: SHUTDOWN (host-qmp-quit), then the process ends with status 0
     * through the exit hook (after the reply, when a command asked).
     */
    public void quit() {
        locked(() -> {
            if (!exited) {
                events.shutdown(false, ShutdownCause.HOST_QMP_QUIT);
                exit(0);
            }
        });
    }

    // --- guest events ---

    /** The guest powers itself off (ACPI S5). */
    public boolean guestShutdown() {
        return whileRunning(() -> shutdownRequest(ShutdownCause.GUEST_SHUTDOWN));
    }

    /** The guest reboots. */
    public boolean guestReset() {
        return whileRunning(() -> resetRequest(ShutdownCause.GUEST_RESET));
    }

    /** The guest suspends to RAM (ACPI S3); only a machine with ACPI can ({@code -M pc}). */
    public boolean guestSuspend() {
        if (!config.type().wakeupSupported()) {
            return false;
        }
        return whileRunning(() -> {
            change(SUSPENDED);
            events.suspend();
        });
    }

    /** {@code qemu_system_guest_panicked} (7.2): the panic action decides, the shutdown action may turn it. */
    public boolean guestPanic(GuestPanicInformation info) {
        return whileRunning(() -> {
            PanicAction panic = actions.panic();
            boolean pause = panic == PanicAction.PAUSE
                    || panic == PanicAction.SHUTDOWN && actions.shutdown() == ShutdownAction.PAUSE;
            if (pause) {
                events.guestPanicked(GuestPanicAction.PAUSE, info);
                vmStop(RunState.GUEST_PANICKED);
            } else if (panic == PanicAction.SHUTDOWN || panic == PanicAction.EXIT_FAILURE) {
                events.guestPanicked(GuestPanicAction.POWEROFF, info);
                vmStop(RunState.GUEST_PANICKED);
                shutdownRequest(ShutdownCause.GUEST_PANIC);
            } else {
                events.guestPanicked(GuestPanicAction.RUN, info);
            }
        });
    }

    /** {@code watchdog_perform_action}: WATCHDOG first, then what the action does. */
    public boolean watchdogExpired() {
        return whileRunning(() -> {
            WatchdogAction action = actions.watchdog();
            events.watchdog(action);
            switch (action) {
                case RESET -> resetRequest(ShutdownCause.GUEST_RESET);
                case SHUTDOWN -> powerdown();
                case POWEROFF -> exit(0);
                case PAUSE -> vmStop(RunState.WATCHDOG);
                case DEBUG -> report.accept("watchdog: timer fired");
                case NONE -> { }
                case INJECT_NMI -> listeners.forEach(MachineListener::nmi);
            }
        });
    }

    // --- QEMU's main-loop handlers ---

    /** {@code vm_start}/{@code vm_prepare_start}: RESUME, then running; nothing when already running. */
    private void vmStart() {
        if (state.isRunning()) {
            return;
        }
        events.resume();
        change(RUNNING);
    }

    /** {@code do_vm_stop} (7.2): only a running machine stops, and only then STOP is sent. */
    private void vmStop(RunState to) {
        if (state.isRunning()) {
            change(to);
            events.stop();
        }
    }

    /** {@code qemu_system_shutdown} and the shutdown action ({@code main_loop_should_exit}). */
    private void shutdownRequest(ShutdownCause cause) {
        events.shutdown(causedByGuest(cause), cause);
        if (actions.shutdown() == ShutdownAction.PAUSE) {
            vmStop(RunState.SHUTDOWN);
        } else {
            exit(cause == ShutdownCause.GUEST_PANIC && actions.panic() == PanicAction.EXIT_FAILURE ? 1 : 0);
        }
    }

    /** {@code qemu_system_reset_request}: with reboot action "shutdown" a reset becomes a shutdown. */
    private void resetRequest(ShutdownCause cause) {
        if (actions.reboot() == RebootAction.SHUTDOWN && cause != ShutdownCause.SUBSYSTEM_RESET) {
            shutdownRequest(cause);
            return;
        }
        listeners.forEach(l -> l.reset(cause));
        if (cause != ShutdownCause.NONE && cause != ShutdownCause.SUBSYSTEM_RESET
                && cause != ShutdownCause.SNAPSHOT_LOAD) {
            events.reset(causedByGuest(cause), cause);
        }
        RunState now = state.current();
        if (now != RUNNING && now != INMIGRATE && now != FINISH_MIGRATE) {
            change(PRELAUNCH);
        }
    }

    /** {@code qemu_system_powerdown}. */
    private void powerdown() {
        events.powerdown();
        listeners.forEach(MachineListener::powerButtonPressed);
    }

    /** {@code shutdown_caused_by_guest}: the guest causes are the last ones of the enumeration. */
    private static boolean causedByGuest(ShutdownCause cause) {
        return cause.ordinal() >= ShutdownCause.GUEST_SHUTDOWN.ordinal();
    }

    private void exit(int status) {
        if (!exited) {
            exited = true;
            exit.accept(status);
        }
    }

    private void change(RunState to) {
        RunState from = state.set(to);
        if (from != to) {
            listeners.forEach(l -> l.runStateChanged(from, to));
        }
    }

    private boolean whileRunning(Runnable action) {
        lock.lock();
        try {
            if (exited || !state.isRunning()) {
                return false;
            }
            action.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Settings; all but the configuration have defaults fit for tests. */
    public static final class Builder {
        private final MachineConfig config;
        private EventSink events = (name, data, features) -> { };
        private CompatPolicy compat = CompatPolicy.ACCEPT_ALL;
        private Lock lock = new ReentrantLock();
        private Consumer<Integer> exit = status -> { };
        private Consumer<String> report = System.err::println;
        private Supplier<List<ChardevInfo>> chardevs = List::of;
        private boolean kvmPresent = Files.exists(Path.of("/dev/kvm"));
        private String version = "7.2.0";

        private Builder(MachineConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        /** Where events go: the monitor's emitter. */
        public Builder events(EventSink value) {
            this.events = Objects.requireNonNull(value);
            return this;
        }

        public Builder compat(CompatPolicy value) {
            this.compat = Objects.requireNonNull(value);
            return this;
        }

        /** QEMU's BQL: the monitor's machine lock, so commands and guest events never interleave. */
        public Builder lock(Lock value) {
            this.lock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * What QEMU's exit from its main loop is here: the machine powered off (shutdown action "poweroff",
         * the watchdog's "poweroff"); the host ends the process with the status once the current reply is out.
         */
        public Builder onExit(Consumer<Integer> value) {
            this.exit = Objects.requireNonNull(value);
            return this;
        }

        /** Where the machine's messages to the operator go (QEMU prints them on stderr). */
        public Builder report(Consumer<String> value) {
            this.report = Objects.requireNonNull(value);
            return this;
        }

        /** The character devices {@code query-chardev} lists (for now those of the monitors). */
        public Builder chardevs(Supplier<List<ChardevInfo>> value) {
            this.chardevs = Objects.requireNonNull(value);
            return this;
        }

        /** {@code query-kvm}'s {@code present}; by default whether the host has {@code /dev/kvm}. */
        public Builder kvmPresent(boolean value) {
            this.kvmPresent = value;
            return this;
        }

        /** HMP's {@code info version} text, e.g. {@code 7.2.0jqmp 0.1.0} (QEMU prints "7.2.22Debian 1:7.2..."). */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value);
            return this;
        }

        public Machine build() {
            return new Machine(this);
        }
    }
}
