package org.jqmp.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.jqmp.api.GuestPanicInformation;
import org.jqmp.api.GuestPanicInformationHyperV;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.QmpException;
import org.junit.jupiter.api.Test;

/**
 * Events and states of the paths QEMU 7.2 was observed to take ({@code shared/fixtures/qemu-7.2/*.jsonl} and
 * runs of {@code qemu-system-x86_64 -nodefaults} with {@code -no-reboot}/{@code -no-shutdown}); the guest-event
 * paths follow {@code softmmu/runstate.c} and {@code hw/watchdog/watchdog.c}.
 */
class MachineEventsTest {
    private static final String HOST_RESET = "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}";

    private static RecordingMachine machine(MachineType type, boolean paused, GuestActions actions) {
        return new RecordingMachine(new MachineConfig(type, paused, Optional.empty(), Optional.empty(), actions))
                .clear();
    }

    private static RecordingMachine paused(MachineType type) {
        return machine(type, true, GuestActions.DEFAULT);
    }

    @Test
    void autostartRunsAtOnceWithResume() {
        RecordingMachine m = new RecordingMachine(MachineConfig.of(MachineType.NONE));
        assertThat(m.events).containsExactly("RESUME");
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void bareProtocolFixturePath() {
        RecordingMachine m = paused(MachineType.NONE);
        m.machine.stop();
        assertThat(m.events).isEmpty();
        assertThat(m.state()).isEqualTo(RunState.PRELAUNCH);
        m.machine.cont();
        assertThat(m.events).containsExactly("RESUME");
        m.machine.cont();
        assertThat(m.events).containsExactly("RESUME");
        m.machine.stop();
        assertThat(m.state()).isEqualTo(RunState.PAUSED);
        m.machine.systemReset();
        assertThat(m.events).containsExactly("RESUME", "STOP", "RESET " + HOST_RESET);
        assertThat(m.state()).isEqualTo(RunState.PRELAUNCH);
    }

    @Test
    void resetWhileRunningKeepsRunning() {
        RecordingMachine m = machine(MachineType.NONE, false, GuestActions.DEFAULT);
        m.machine.systemReset();
        assertThat(m.events).containsExactly("RESET " + HOST_RESET);
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
        assertThat(m.guestSignals).containsExactly("reset host-qmp-system-reset");
    }

    @Test
    void powerdownWithoutAGuestOsOnlyAnnouncesIt() {
        RecordingMachine m = paused(MachineType.PC);
        m.machine.systemPowerdown();
        assertThat(m.events).containsExactly("POWERDOWN");
        assertThat(m.state()).isEqualTo(RunState.PRELAUNCH);
        assertThat(m.guestSignals).containsExactly("power button");
    }

    @Test
    void noRebootNoShutdownTurnsResetIntoAPausedShutdown() {
        GuestActions both = GuestActions.DEFAULT.withReboot(RebootAction.SHUTDOWN).withShutdown(ShutdownAction.PAUSE);
        RecordingMachine m = machine(MachineType.NONE, true, both);
        m.machine.systemReset();
        assertThat(m.events).containsExactly("SHUTDOWN " + HOST_RESET);
        assertThat(m.state()).isEqualTo(RunState.PRELAUNCH);
        m.machine.cont();
        m.events.clear();
        m.machine.systemReset();
        assertThat(m.events).containsExactly("SHUTDOWN " + HOST_RESET, "STOP");
        assertThat(m.state()).isEqualTo(RunState.SHUTDOWN);
        assertThatThrownBy(m.machine::cont).isInstanceOf(QmpException.class)
                .hasMessage("Resetting the Virtual Machine is required");
        m.machine.stop();
        assertThat(m.state()).isEqualTo(RunState.SHUTDOWN);
        assertThat(m.exits).isEmpty();
    }

    @Test
    void noRebootAloneExits() {
        RecordingMachine m = machine(MachineType.NONE, false, GuestActions.DEFAULT.withReboot(RebootAction.SHUTDOWN));
        m.machine.systemReset();
        assertThat(m.events).containsExactly("SHUTDOWN " + HOST_RESET);
        assertThat(m.exits).containsExactly(0);
        assertThat(m.machine.exited()).isTrue();
        assertThat(m.machine.guestReset()).isFalse();
    }

    @Test
    void guestShutdownWithNoShutdownStopsUntilReset() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT.withShutdown(ShutdownAction.PAUSE));
        assertThat(m.machine.guestShutdown()).isTrue();
        assertThat(m.events).containsExactly("SHUTDOWN {\"guest\": true, \"reason\": \"guest-shutdown\"}", "STOP");
        assertThat(m.state()).isEqualTo(RunState.SHUTDOWN);
        m.machine.systemReset();
        assertThat(m.state()).isEqualTo(RunState.PRELAUNCH);
        m.machine.cont();
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void guestShutdownPowersOff() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT);
        m.machine.guestShutdown();
        assertThat(m.exits).containsExactly(0);
    }

    @Test
    void guestRebootIsAGuestReset() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT);
        m.machine.guestReset();
        assertThat(m.events).containsExactly("RESET {\"guest\": true, \"reason\": \"guest-reset\"}");
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void suspendAndWakeUp() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT);
        assertThatThrownBy(m.machine::systemWakeup).isInstanceOf(QmpException.class)
                .hasMessage("Unable to wake up: guest is not in suspended state");
        assertThat(m.machine.guestSuspend()).isTrue();
        assertThat(m.state()).isEqualTo(RunState.SUSPENDED);
        m.machine.stop();
        m.machine.cont();
        assertThat(m.state()).isEqualTo(RunState.SUSPENDED);
        m.machine.systemWakeup();
        assertThat(m.events).containsExactly("SUSPEND", "WAKEUP");
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void machineNoneCannotSuspend() {
        RecordingMachine m = machine(MachineType.NONE, false, GuestActions.DEFAULT);
        assertThat(m.machine.guestSuspend()).isFalse();
        assertThatThrownBy(m.machine::systemWakeup).isInstanceOf(QmpException.class)
                .hasMessage("wake-up from suspend is not supported by this guest");
    }

    @Test
    void panicDefaultPowersOffAfterStopping() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT);
        m.machine.guestPanic(null);
        assertThat(m.events).containsExactly("GUEST_PANICKED {\"action\": \"poweroff\"}", "STOP",
                "SHUTDOWN {\"guest\": true, \"reason\": \"guest-panic\"}");
        assertThat(m.exits).containsExactly(0);
    }

    @Test
    void panicWithNoShutdownPausesAndCanBeContinued() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT.withShutdown(ShutdownAction.PAUSE));
        m.machine.guestPanic(new GuestPanicInformation.HyperV(new GuestPanicInformationHyperV(1, 2, 3, 4, 5)));
        assertThat(m.events).hasSize(2);
        assertThat(m.events.get(0)).startsWith("GUEST_PANICKED ").contains("\"action\": \"pause\"")
                .contains("\"type\": \"hyper-v\"").contains("\"arg5\": 5");
        assertThat(m.events.get(1)).isEqualTo("STOP");
        assertThat(m.state()).isEqualTo(RunState.GUEST_PANICKED);
        m.machine.cont();
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void panicExitFailureEndsWithStatusOne() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT.withPanic(PanicAction.EXIT_FAILURE));
        m.machine.guestPanic(null);
        assertThat(m.exits).containsExactly(1);
    }

    @Test
    void panicNoneGoesOn() {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT.withPanic(PanicAction.NONE));
        m.machine.guestPanic(null);
        assertThat(m.events).containsExactly("GUEST_PANICKED {\"action\": \"run\"}");
        assertThat(m.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void watchdogActions() {
        assertThat(watchdog(WatchdogAction.PAUSE).events)
                .containsExactly("WATCHDOG {\"action\": \"pause\"}", "STOP");
        assertThat(watchdog(WatchdogAction.RESET).events)
                .containsExactly("WATCHDOG {\"action\": \"reset\"}", "RESET {\"guest\": true, \"reason\": \"guest-reset\"}");
        assertThat(watchdog(WatchdogAction.SHUTDOWN).events)
                .containsExactly("WATCHDOG {\"action\": \"shutdown\"}", "POWERDOWN");
        assertThat(watchdog(WatchdogAction.POWEROFF).exits).containsExactly(0);
        assertThat(watchdog(WatchdogAction.DEBUG).reports).containsExactly("watchdog: timer fired");
        assertThat(watchdog(WatchdogAction.NONE).events).containsExactly("WATCHDOG {\"action\": \"none\"}");
        assertThat(watchdog(WatchdogAction.INJECT_NMI).guestSignals).containsExactly("nmi");
        assertThat(watchdog(WatchdogAction.PAUSE).state()).isEqualTo(RunState.WATCHDOG);
    }

    private static RecordingMachine watchdog(WatchdogAction action) {
        RecordingMachine m = machine(MachineType.PC, false, GuestActions.DEFAULT.withWatchdog(action));
        assertThat(m.machine.watchdogExpired()).isTrue();
        return m;
    }

    @Test
    void aStoppedGuestCausesNothing() {
        RecordingMachine m = paused(MachineType.PC);
        assertThat(m.machine.guestShutdown()).isFalse();
        assertThat(m.machine.guestPanic(null)).isFalse();
        assertThat(m.machine.watchdogExpired()).isFalse();
        assertThat(m.events).isEmpty();
    }

    @Test
    void aSignalShutsDownEvenWithNoShutdown() {
        RecordingMachine m = machine(MachineType.NONE, false, GuestActions.DEFAULT.withShutdown(ShutdownAction.PAUSE));
        m.machine.killed();
        m.machine.killed();
        assertThat(m.events).containsExactly("SHUTDOWN {\"guest\": false, \"reason\": \"host-signal\"}");
        assertThat(m.exits).isEmpty();
        assertThat(m.machine.exited()).isTrue();
    }

    @Test
    void setActionChangesOnlyWhatItNames() {
        RecordingMachine m = paused(MachineType.PC);
        m.machine.setActions(RebootAction.SHUTDOWN, null, null, null);
        m.machine.setActions(null, null, null, WatchdogAction.PAUSE);
        assertThat(m.machine.actions()).isEqualTo(new GuestActions(ShutdownAction.POWEROFF, RebootAction.SHUTDOWN,
                PanicAction.SHUTDOWN, WatchdogAction.PAUSE));
    }
}
