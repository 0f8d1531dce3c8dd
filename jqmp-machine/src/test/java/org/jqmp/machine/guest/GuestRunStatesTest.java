package org.jqmp.machine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.machine.GuestActions;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineListener;
import org.jqmp.machine.MachineType;
import org.jqmp.machine.RunStateMachine;
import org.jqmp.machine.guest.GuestRig.ConsoleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transition exploration of {@code TransitionExplorationTest}, with the guest events coming from the
 * simulated guest's console instead of direct calls: breadth-first over the run states reachable by host
 * commands and console commands, for the guest-event actions that lead to different states. Every transition
 * must be one of QEMU's, and every guest-driven run state must be reached.
 */
class GuestRunStatesTest {
    /** Host commands and what is typed on the console. */
    enum Stimulus {
        STOP, CONT, SYSTEM_RESET, SYSTEM_POWERDOWN, SYSTEM_WAKEUP,
        POWEROFF, REBOOT, SUSPEND, PANIC, HANG, FAULT
    }

    static final GuestOptions INSTANT = GuestOptions.DEFAULT.withBootDelay(Duration.ZERO).withWatchdog("i6300esb")
            .withWatchdogTimeout(Duration.ZERO).withPanicDevice("pvpanic");

    @TempDir
    Path dir;

    static List<MachineConfig> configs() {
        GuestActions d = GuestActions.DEFAULT;
        List<GuestActions> actions = List.of(d, d.withShutdown(ShutdownAction.PAUSE),
                d.withShutdown(ShutdownAction.PAUSE).withReboot(RebootAction.SHUTDOWN),
                d.withPanic(PanicAction.PAUSE), d.withPanic(PanicAction.NONE),
                d.withShutdown(ShutdownAction.PAUSE).withPanic(PanicAction.SHUTDOWN),
                d.withWatchdog(WatchdogAction.PAUSE), d.withWatchdog(WatchdogAction.NONE),
                d.withShutdown(ShutdownAction.PAUSE).withWatchdog(WatchdogAction.SHUTDOWN),
                d.withWatchdog(WatchdogAction.INJECT_NMI), d.withWatchdog(WatchdogAction.POWEROFF));
        List<MachineConfig> configs = new ArrayList<>();
        for (GuestActions a : actions) {
            configs.add(MachineConfig.of(MachineType.PC).withActions(a));
        }
        configs.add(MachineConfig.of(MachineType.PC).withStartPaused(true));
        return configs;
    }

    @Test
    void everyGuestDrivenRunStateThroughTheConsoleWithOnlyQemusTransitions() throws Exception {
        Set<RunState> reached = EnumSet.noneOf(RunState.class);
        Set<String> seen = new TreeSet<>();
        for (MachineConfig config : configs()) {
            reached.addAll(explore(config, seen));
        }
        assertThat(reached).containsExactlyInAnyOrder(RunState.PRELAUNCH, RunState.RUNNING, RunState.PAUSED,
                RunState.SHUTDOWN, RunState.SUSPENDED, RunState.WATCHDOG, RunState.GUEST_PANICKED,
                RunState.INTERNAL_ERROR);
        for (String transition : seen) {
            String[] pair = transition.split(" -> ");
            assertThat(RunStateMachine.isAllowed(RunState.fromWireName(pair[0]), RunState.fromWireName(pair[1])))
                    .as(transition).isTrue();
        }
        assertThat(seen).contains("running -> shutdown", "running -> suspended", "running -> watchdog",
                "running -> guest-panicked", "suspended -> running", "shutdown -> prelaunch",
                "guest-panicked -> running", "watchdog -> running", "guest-panicked -> prelaunch",
                "watchdog -> prelaunch");
    }

    private Set<RunState> explore(MachineConfig config, Set<String> seen) throws Exception {
        Map<RunState, List<Stimulus>> paths = new EnumMap<>(RunState.class);
        ArrayDeque<RunState> queue = new ArrayDeque<>();
        paths.put(config.startPaused() ? RunState.PRELAUNCH : RunState.RUNNING, List.of());
        queue.add(paths.keySet().iterator().next());
        while (!queue.isEmpty()) {
            RunState state = queue.poll();
            for (Stimulus stimulus : Stimulus.values()) {
                List<Stimulus> path = new ArrayList<>(paths.get(state));
                path.add(stimulus);
                Outcome outcome = replay(config, path);
                seen.addAll(outcome.transitions.subList(outcome.before, outcome.transitions.size()));
                if (!outcome.exited && !paths.containsKey(outcome.state)) {
                    paths.put(outcome.state, path);
                    queue.add(outcome.state);
                }
            }
        }
        return paths.keySet();
    }

    private record Outcome(RunState state, boolean exited, List<String> transitions, int before) {
    }

    private Outcome replay(MachineConfig config, List<Stimulus> path) throws Exception {
        List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        try (GuestRig rig = new GuestRig(ConsoleKind.RINGBUF, config, INSTANT, GuestDisks.NONE, dir)) {
            rig.machine.addListener(new MachineListener() {
                @Override
                public void runStateChanged(RunState from, RunState to) {
                    transitions.add(from.wireName() + " -> " + to.wireName());
                }
            });
            rig.guest.settle();
            int before = 0;
            for (int i = 0; i < path.size(); i++) {
                before = transitions.size();
                apply(rig, path.get(i));
                rig.guest.settle();
            }
            assertThat(rig.output()).as(path.toString()).doesNotContain("internal error");
            return new Outcome(rig.machine.runState(), !rig.exits.isEmpty(), List.copyOf(transitions), before);
        }
    }

    private static void apply(GuestRig rig, Stimulus stimulus) throws Exception {
        try {
            switch (stimulus) {
                case STOP -> rig.machine.stop();
                case CONT -> rig.machine.cont();
                case SYSTEM_RESET -> rig.machine.systemReset();
                case SYSTEM_POWERDOWN -> rig.machine.systemPowerdown();
                case SYSTEM_WAKEUP -> rig.machine.systemWakeup();
                default -> rig.type(stimulus.name().toLowerCase(java.util.Locale.ROOT) + "\n");
            }
        } catch (QmpException refused) {
            // cont in shutdown, system_wakeup when not suspended: nothing changes
        }
    }
}
