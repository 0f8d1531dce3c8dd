package org.jqmp.machine.guest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownCause;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineListener;
import org.jqmp.machine.chardev.Chardev;

/**
 * A guest operating system on the machine's virtual CPUs: it runs only while the machine runs (its clock stops
 * with {@code stop}, {@code suspended}, {@code shutdown}...), starts from its firmware at power-on and after
 * every reset, and offers a login-free console on the first serial port.
 *
 * <p>Everything the guest does happens on its own thread, one task at a time: the machine's notifications
 * (which come under the machine lock and must not block) are queued there, and the guest calls the machine's
 * guest-event entry points from there, holding no lock of its own. A request that reaches the machine just
 * after its CPUs stopped is refused by the machine; the guest makes it again once they run, as a CPU would
 * re-execute the instruction.
 */
public final class SimulatedGuest implements AutoCloseable {
    static final String PROMPT = "guest# ";

    /** Where the guest is in its life. */
    enum Phase { OFF, FIRMWARE, UP, HUNG, PANICKED, HALTED }

    private final Machine machine;
    private final GuestOptions options;
    private final GuestLimits limits;
    private final Optional<Chardev> console;
    private final GuestDisks disks;
    private final ScheduledThreadPoolExecutor executor;
    private final VirtualClock clock;
    private final ConsoleInput input;
    private final DiskActivity activity;
    private Phase phase = Phase.OFF;
    private long poweredOnAt;
    private boolean powerButtonLatched;
    private BooleanSupplier deferredRequest;
    private VirtualClock.Timer watchdogTimer;

    private SimulatedGuest(Machine machine, GuestOptions options, GuestLimits limits, Optional<Chardev> console,
                           GuestDisks disks) {
        this.machine = Objects.requireNonNull(machine);
        this.options = Objects.requireNonNull(options);
        this.limits = Objects.requireNonNull(limits);
        this.console = Objects.requireNonNull(console);
        this.disks = Objects.requireNonNull(disks);
        this.executor = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("jqmp-guest").factory());
        executor.setRemoveOnCancelPolicy(true); // a cancelled timer (a pause, a reset) leaves the queue at once
        this.clock = new VirtualClock(executor);
        this.input = new ConsoleInput(limits);
        this.activity = new DiskActivity(clock, disks, this::println, options.workloads());
    }

    /**
     * Puts a guest on the machine. Call before {@link Machine#start()} (or at any time: a machine that already
     * runs powers the guest on at once).
     *
     * @param console the first serial port's chardev; empty when the machine has none (the guest runs blind)
     */
    public static SimulatedGuest attach(Machine machine, GuestOptions options, Optional<Chardev> console,
                                        GuestDisks disks) {
        return attach(machine, options, GuestLimits.DEFAULT, console, disks);
    }

    public static SimulatedGuest attach(Machine machine, GuestOptions options, GuestLimits limits,
                                        Optional<Chardev> console, GuestDisks disks) {
        SimulatedGuest guest = new SimulatedGuest(machine, options, limits, console, disks);
        machine.addListener(guest.new Notifications());
        console.ifPresent(c -> c.connectInput(data -> guest.post(() -> guest.typed(data))));
        guest.post(() -> guest.runStateIs(null, machine.runState()));
        return guest;
    }

    /** Stops the guest's thread (the process ends, or a test is done). */
    @Override
    public void close() {
        console.ifPresent(c -> c.connectInput(null));
        executor.shutdownNow();
    }

    // --- what the machine tells the guest (queued from under the machine lock) ---

    private final class Notifications implements MachineListener {
        @Override
        public void runStateChanged(RunState from, RunState to) {
            post(() -> runStateIs(from, to));
        }

        @Override
        public void powerButtonPressed() {
            post(SimulatedGuest.this::powerButton);
        }

        @Override
        public void reset(ShutdownCause cause) {
            post(SimulatedGuest.this::reset);
        }

        @Override
        public void nmi() {
            post(() -> {
                if (phase == Phase.UP) {
                    println("NMI received for an unknown reason; carrying on");
                    prompt();
                }
            });
        }
    }

    private void post(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    println("guest: internal error: " + e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // the guest was closed: the process is ending
        }
    }

    private void runStateIs(RunState from, RunState to) {
        boolean running = to == RunState.RUNNING;
        if (running == clock.running()) {
            return;
        }
        if (!running) {
            clock.pause();
            return;
        }
        clock.resume();
        if (phase == Phase.OFF) {
            powerOn();
        } else {
            if (from == RunState.SUSPENDED && phase == Phase.UP) {
                println("Resumed from suspend to RAM.");
                prompt();
            }
            resumed();
        }
    }

    /** The CPUs run again: a request refused while they stopped is made again, then latched input is read. */
    private void resumed() {
        BooleanSupplier request = deferredRequest;
        deferredRequest = null;
        if (request != null) {
            request(request);
        }
        if (phase == Phase.UP && powerButtonLatched) {
            powerButtonLatched = false;
            powerButton();
        }
        drain();
    }

    private void reset() {
        clock.cancelAll();
        activity.stop();
        input.clear();
        powerButtonLatched = false;
        deferredRequest = null;
        watchdogTimer = null;
        phase = Phase.OFF;
        if (clock.running()) {
            powerOn();
        }
    }

    /** ACPI's power button: only an OS listens; while the CPUs are stopped the event waits in PM1 status. */
    private void powerButton() {
        if (phase != Phase.UP) {
            return; // the firmware, a hung or panicked kernel: nobody handles the SCI
        }
        if (!clock.running()) {
            powerButtonLatched = true;
            return;
        }
        println("");
        println("Power button pressed: the system is going down for power-off.");
        shutdown();
    }

    // --- boot ---

    private void powerOn() {
        phase = Phase.FIRMWARE;
        poweredOnAt = clock.nanos();
        println("");
        Firmware.boot(disks).forEach(line -> println("jqmp firmware: " + line));
        clock.schedule(options.bootDelay(), this::osReady);
    }

    private void osReady() {
        phase = Phase.UP;
        long millis = Duration.ofNanos(clock.nanos() - poweredOnAt).toMillis();
        options.watchdog().ifPresent(model -> println("watchdog: " + model + " armed, timeout "
                + options.watchdogTimeout().toMillis() + " ms"));
        println("");
        println("jqmp simulated guest, console on ttyS0 (booted in " + millis + " ms of guest time)");
        println("Type 'help' for the commands.");
        println("");
        prompt();
        activity.start();
        drain();
    }

    // --- the console ---

    /**
     * Input before the OS is up is lost (Linux's serial driver resets the UART's FIFO as it starts); while the
     * CPUs are stopped it waits for them.
     */
    private void typed(byte[] data) {
        if (phase != Phase.UP) {
            return;
        }
        int dropped = input.offer(data);
        if (dropped > 0 && phase == Phase.UP) {
            println("console: " + dropped + " bytes dropped (limit maxPendingInput: " + limits.maxPendingInput()
                    + ")");
        }
        drain();
    }

    /** Reads one line at most, then queues itself again, so that a state change a command caused comes first. */
    private void drain() {
        if (!clock.running()) {
            return; // nothing reads the UART while the CPUs are stopped
        }
        if (phase != Phase.UP) {
            input.clear(); // no one is reading the serial port
            return;
        }
        Optional<ConsoleInput.Line> line = input.nextLine();
        if (line.isEmpty()) {
            return;
        }
        switch (line.get()) {
            case ConsoleInput.Line.Typed typed -> execute(ConsoleCommand.parse(typed.text(), limits));
            case ConsoleInput.Line.TooLong tooLong -> {
                println("console: line too long (limit maxLineBytes: " + tooLong.limit() + " bytes); discarded");
                prompt();
            }
            case ConsoleInput.Line.Interrupted interrupted -> {
                println("^C");
                prompt();
            }
        }
        if (input.hasPending()) {
            post(this::drain);
        }
    }

    private void execute(ConsoleCommand command) {
        switch (command) {
            case ConsoleCommand.Poweroff p -> {
                println("Powering off.");
                shutdown();
            }
            case ConsoleCommand.Reboot r -> {
                println("Restarting system.");
                goDown();
                request(machine::guestReset);
            }
            case ConsoleCommand.Suspend s -> suspend();
            case ConsoleCommand.Panic p -> panic();
            case ConsoleCommand.Hang h -> hang();
            case ConsoleCommand.Fault f -> fault();
            case ConsoleCommand.Echo e -> reply(e.text());
            case ConsoleCommand.Help h -> reply(ConsoleCommand.HELP);
            case ConsoleCommand.Status s -> reply(status());
            case ConsoleCommand.ListDisks l -> reply(disks.names().isEmpty() ? "no disks"
                    : String.join("\r\n", activity.describe()));
            case ConsoleCommand.SetWorkload w -> diskCommand(() -> {
                activity.set(w.workload());
                return w.workload().describe();
            });
            case ConsoleCommand.LockTray l -> diskCommand(() -> {
                disks.lockTray(l.device(), l.locked());
                return l.device() + ": tray " + (l.locked() ? "locked" : "unlocked");
            });
            case ConsoleCommand.Nothing n -> prompt();
            case ConsoleCommand.Invalid i -> reply(i.message());
        }
    }

    private void shutdown() {
        goDown();
        request(machine::guestShutdown);
    }

    private void suspend() {
        if (!machine.config().type().wakeupSupported()) {
            reply("suspend: this machine has no ACPI sleep states");
            return;
        }
        println("Suspending to RAM.");
        request(machine::guestSuspend);
    }

    /**
     * Linux's pvpanic driver reports the panic to QEMU ({@code qemu_system_guest_panicked(NULL)}); without a
     * pvpanic device nothing tells the machine, which runs on (QEMU's pc has none unless {@code -device pvpanic}).
     */
    private void panic() {
        println("Kernel panic - not syncing: requested on the console");
        phase = Phase.PANICKED;
        activity.stop();
        if (options.panicDevice().isPresent()) {
            request(() -> machine.guestPanic(null));
        } else {
            println("(no pvpanic device tells the machine: -device pvpanic adds one)");
        }
    }

    /** As KVM reports an emulation failure: QEMU prints it and stops the machine in internal-error. */
    private void fault() {
        phase = Phase.HUNG;
        activity.stop();
        request(() -> machine.internalError("KVM internal error. Suberror: 1\nemulation failure"));
    }

    private void hang() {
        phase = Phase.HUNG;
        activity.stop();
        if (options.watchdog().isEmpty()) {
            println("hang: the kernel stops here (no watchdog device watches it: -device i6300esb adds one)");
            return;
        }
        println("hang: the kernel stops here; " + options.watchdog().get() + " fires in "
                + options.watchdogTimeout().toMillis() + " ms");
        watchdogTimer = clock.schedule(options.watchdogTimeout(), () -> {
            watchdogTimer = null;
            request(machine::watchdogExpired);
        });
    }

    /** The OS stops: no more disk traffic, no more commands. */
    private void goDown() {
        phase = Phase.HALTED;
        activity.stop();
    }

    /** A request to the machine; refused while the CPUs stopped (a race with {@code stop}): made again later. */
    private void request(BooleanSupplier request) {
        if (!request.getAsBoolean()) {
            deferredRequest = request;
        }
    }

    private void diskCommand(java.util.function.Supplier<String> action) {
        try {
            reply(action.get());
        } catch (GuestDiskException e) {
            reply("disk: " + e.getMessage());
        }
    }

    private String status() {
        double seconds = (clock.nanos() - poweredOnAt) / 1e9;
        String watchdog = options.watchdog().map(m -> m + (watchdogTimer != null ? " (not fed)" : " (fed)"))
                .orElse("none");
        return String.format(java.util.Locale.ROOT, "up %.3f s (guest time), watchdog: %s, disks: %d",
                seconds, watchdog, disks.names().size());
    }

    private void reply(String text) {
        println(text);
        prompt();
    }

    private void prompt() {
        write(PROMPT);
    }

    private void println(String line) {
        write(line + "\r\n");
    }

    private void write(String text) {
        console.ifPresent(c -> c.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Waits until the guest has nothing left to do now: no queued task and no timer due (for tests, with a boot
     * delay and watchdog timeout of zero; a running disk workload never settles).
     */
    void settle() throws InterruptedException {
        for (int i = 0; i < 10_000; i++) {
            settledPhase();
            if (executor.getQueue().isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("the guest keeps itself busy");
    }

    /** The guest's phase, read on its thread once everything queued before this call is done (for tests). */
    Phase settledPhase() throws InterruptedException {
        try {
            return executor.submit(() -> phase).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
