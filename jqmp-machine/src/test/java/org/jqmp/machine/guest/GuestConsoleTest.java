package org.jqmp.machine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.machine.GuestActions;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineType;
import org.jqmp.machine.guest.GuestRig.ConsoleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every guest action through a real chardev (a Unix socket the test connects to, and a ringbuf typed into with
 * ringbuf-write), with the machine's events and run states as QEMU 7.2 has them for the same guest actions.
 */
class GuestConsoleTest {
    static final String RESUME = "RESUME";
    static final String STOP = "STOP";
    static final GuestOptions FAST = GuestOptions.DEFAULT.withBootDelay(Duration.ofMillis(50))
            .withWatchdogTimeout(Duration.ofMillis(100)).withPanicDevice("pvpanic");

    @TempDir
    Path dir;
    GuestRig rig;

    @AfterEach
    void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    private GuestRig start(ConsoleKind kind, GuestActions actions, GuestOptions options) throws Exception {
        rig = new GuestRig(kind, MachineConfig.of(MachineType.PC).withActions(actions), options, GuestDisks.NONE, dir);
        rig.awaitEvents(RESUME);
        rig.awaitOutput("jqmp firmware: no disks; starting the built-in operating system\r\n");
        rig.awaitBoot();
        return rig;
    }

    private GuestRig start(ConsoleKind kind) throws Exception {
        return start(kind, GuestActions.DEFAULT, FAST);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void echoHelpStatusAndUnknownCommands(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("echo hello, guest\n");
        assertThat(rig.awaitOutput("guest# ")).endsWith("hello, guest\r\nguest# ");
        rig.type("help\r\n");
        assertThat(rig.awaitOutput("guest# ")).contains("poweroff", "suspend", "hang", "disk DEV", "lock DEV");
        rig.type("uptime\n");
        assertThat(rig.awaitOutput("guest# ")).containsPattern("up \\d+\\.\\d{3} s \\(guest time\\), watchdog: none");
        rig.type("frobnicate now\n");
        assertThat(rig.awaitOutput("guest# ")).contains("frobnicate: command not found (try 'help')");
        rig.type("\n");
        assertThat(rig.awaitOutput("guest# ")).isIn("\n" + "guest# ", "guest# ");
        assertThat(rig.newEvents()).isEmpty();
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void poweroffShutsTheMachineDown(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("poweroff\n");
        rig.awaitOutput("Powering off.\r\n");
        rig.awaitEvents("SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}");
        rig.await("the exit", () -> !rig.exits.isEmpty());
        assertThat(rig.exits).containsExactly(0);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void poweroffWithNoShutdownStopsInShutdownUntilReset(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withShutdown(ShutdownAction.PAUSE), FAST);
        rig.type("poweroff\n");
        rig.awaitEvents("SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}", STOP);
        assertThat(rig.machine.runState()).isEqualTo(RunState.SHUTDOWN);
        assertThatThrownBy(rig.machine::cont).isInstanceOf(QmpException.class)
                .hasMessageContaining("Resetting the Virtual Machine is required");
        rig.machine.systemReset();
        rig.awaitEvents("RESET {\"guest\":false,\"reason\":\"host-qmp-system-reset\"}");
        assertThat(rig.machine.runState()).isEqualTo(RunState.PRELAUNCH);
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        rig.awaitOutput("jqmp firmware:");
        rig.awaitBoot();
        assertThat(rig.exits).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void rebootStartsOverFromTheFirmware(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("reboot\n");
        rig.awaitOutput("Restarting system.\r\n");
        rig.awaitEvents("RESET {\"guest\":true,\"reason\":\"guest-reset\"}");
        rig.awaitOutput("jqmp firmware:");
        rig.awaitBoot();
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
        assertThat(rig.newEvents()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void rebootWithNoRebootIsAShutdown(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withReboot(RebootAction.SHUTDOWN), FAST);
        rig.type("reboot\n");
        rig.awaitEvents("SHUTDOWN {\"guest\":true,\"reason\":\"guest-reset\"}");
        rig.await("the exit", () -> !rig.exits.isEmpty());
        assertThat(rig.exits).containsExactly(0);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void suspendUntilSystemWakeup(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("suspend\n");
        rig.awaitOutput("Suspending to RAM.\r\n");
        rig.awaitEvents("SUSPEND");
        assertThat(rig.machine.runState()).isEqualTo(RunState.SUSPENDED);
        rig.type("echo after wakeup\n"); // waits in the UART while the CPUs sleep
        assertThat(rig.settledOutput()).doesNotContain("after wakeup\r\n");
        rig.machine.systemWakeup();
        rig.awaitEvents("WAKEUP");
        rig.awaitOutput("Resumed from suspend to RAM.\r\nguest# ");
        rig.awaitOutput("after wakeup\r\nguest# ");
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void panicWithTheDefaultActionPowersOff(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("panic\n");
        rig.awaitOutput("Kernel panic - not syncing: requested on the console\r\n");
        rig.awaitEvents("GUEST_PANICKED {\"action\":\"poweroff\"}", STOP,
                "SHUTDOWN {\"guest\":true,\"reason\":\"guest-panic\"}");
        rig.await("the exit", () -> !rig.exits.isEmpty());
        assertThat(rig.exits).containsExactly(0);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void panicWithPausePausesInGuestPanicked(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withPanic(PanicAction.PAUSE), FAST);
        rig.type("panic\n");
        rig.awaitEvents("GUEST_PANICKED {\"action\":\"pause\"}", STOP);
        assertThat(rig.machine.runState()).isEqualTo(RunState.GUEST_PANICKED);
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
        // a panicked kernel answers nothing, not even the power button
        rig.type("echo anyone\n");
        rig.machine.systemPowerdown();
        rig.awaitEvents("POWERDOWN");
        assertThat(rig.settledOutput()).doesNotContain("anyone\r\n");
        assertThat(rig.newEvents()).isEmpty();
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.PANICKED);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void panicWithNoneKeepsRunning(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withPanic(PanicAction.NONE), FAST);
        rig.type("panic\n");
        rig.awaitEvents("GUEST_PANICKED {\"action\":\"run\"}");
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
        rig.machine.systemReset();
        rig.awaitEvents("RESET {\"guest\":false,\"reason\":\"host-qmp-system-reset\"}");
        rig.awaitOutput("jqmp firmware:");
        rig.awaitBoot();
    }

    /** QEMU's pc has no pvpanic device by default: a guest's panic then reaches no one. */
    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void panicWithoutPvpanicGoesUnnoticed(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT, GuestOptions.DEFAULT.withBootDelay(Duration.ofMillis(50)));
        rig.type("panic\n");
        rig.awaitOutput("(no pvpanic device tells the machine: -device pvpanic adds one)\r\n");
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.PANICKED);
        assertThat(rig.newEvents()).isEmpty();
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void hangWithAWatchdogThatPauses(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withWatchdog(WatchdogAction.PAUSE), FAST.withWatchdog("i6300esb"));
        rig.type("status\n");
        assertThat(rig.awaitOutput("guest# ")).contains("watchdog: i6300esb (fed)");
        rig.type("hang\n");
        rig.awaitOutput("hang: the kernel stops here; i6300esb fires in 100 ms\r\n");
        rig.awaitEvents("WATCHDOG {\"action\":\"pause\"}", STOP);
        assertThat(rig.machine.runState()).isEqualTo(RunState.WATCHDOG);
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.HUNG);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void hangWithTheDefaultWatchdogActionResets(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT, FAST.withWatchdog("ib700"));
        rig.type("hang\n");
        rig.awaitEvents("WATCHDOG {\"action\":\"reset\"}", "RESET {\"guest\":true,\"reason\":\"guest-reset\"}");
        rig.awaitOutput("jqmp firmware:");
        rig.awaitBoot();
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void hangWithoutAWatchdogSaysNobodyNotices(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("hang\necho still there?\n");
        rig.awaitOutput("no watchdog device watches it: -device i6300esb adds one)\r\n");
        assertThat(rig.settledOutput()).doesNotContain("still there?\r\n");
        assertThat(rig.newEvents()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void systemPowerdownShutsARunningOsDown(ConsoleKind kind) throws Exception {
        start(kind);
        rig.machine.systemPowerdown();
        rig.awaitEvents("POWERDOWN", "SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}");
        rig.awaitOutput("Power button pressed: the system is going down for power-off.\r\n");
        rig.await("the exit", () -> !rig.exits.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void powerButtonPressedWhileStoppedActsOnCont(ConsoleKind kind) throws Exception {
        start(kind, GuestActions.DEFAULT.withShutdown(ShutdownAction.PAUSE), FAST);
        rig.machine.stop();
        rig.awaitEvents(STOP);
        rig.machine.systemPowerdown();
        rig.awaitEvents("POWERDOWN");
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.UP);
        rig.machine.cont();
        rig.awaitEvents(RESUME, "SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}", STOP);
        assertThat(rig.machine.runState()).isEqualTo(RunState.SHUTDOWN);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void stopPausesTheConsoleAndContResumesIt(ConsoleKind kind) throws Exception {
        start(kind);
        rig.machine.stop();
        rig.awaitEvents(STOP);
        rig.type("echo typed while stopped\n");
        assertThat(rig.settledOutput()).doesNotContain("typed while stopped\r\n");
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        rig.awaitOutput("typed while stopped\r\nguest# ");
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void anOverlongLineIsDiscardedNamingTheLimit(ConsoleKind kind) throws Exception {
        start(kind);
        rig.type("echo " + "x".repeat(GuestLimits.DEFAULT.maxLineBytes()) + "\necho fine\n");
        rig.awaitOutput("console: line too long (limit maxLineBytes: 1024 bytes); discarded\r\nguest# ");
        rig.awaitOutput("fine\r\nguest# ");
    }

    /** QEMU ignores the power button until an OS listens: SeaBIOS does not handle the SCI. */
    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void theFirmwareIgnoresThePowerButton(ConsoleKind kind) throws Exception {
        rig = new GuestRig(kind, MachineConfig.of(MachineType.PC).withStartPaused(true),
                FAST.withBootDelay(Duration.ofSeconds(2)), GuestDisks.NONE, dir);
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        rig.awaitOutput("jqmp firmware:");
        rig.machine.systemPowerdown();
        rig.awaitEvents("POWERDOWN");
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.FIRMWARE);
        rig.awaitBoot();
        assertThat(rig.newEvents()).isEmpty();
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(ConsoleKind.class)
    void nothingRunsBeforeCont(ConsoleKind kind) throws Exception {
        rig = new GuestRig(kind, MachineConfig.of(MachineType.PC).withStartPaused(true), FAST, GuestDisks.NONE, dir);
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.OFF);
        assertThat(rig.settledOutput()).isEmpty();
        rig.machine.cont();
        rig.awaitEvents(RESUME);
        rig.awaitBoot();
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.UP);
    }
}
