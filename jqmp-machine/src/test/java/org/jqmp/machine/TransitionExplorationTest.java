package org.jqmp.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.QmpException;
import org.junit.jupiter.api.Test;

/**
 * Drives every host command and every guest event from every run state a machine can reach, under every
 * combination of machine type, {@code -S} and guest-event actions; any transition outside QEMU's table throws
 * {@link IllegalTransitionException} and fails the test. Also checks that the events match the transitions.
 */
class TransitionExplorationTest {

    /** Everything that can happen to a machine without migration or snapshots. */
    enum Stimulus {
        STOP(Machine::stop), CONT(Machine::cont), SYSTEM_RESET(Machine::systemReset),
        SYSTEM_POWERDOWN(Machine::systemPowerdown), SYSTEM_WAKEUP(Machine::systemWakeup),
        GUEST_SHUTDOWN(Machine::guestShutdown), GUEST_RESET(Machine::guestReset),
        GUEST_SUSPEND(Machine::guestSuspend), GUEST_PANIC(m -> m.guestPanic(null)),
        WATCHDOG_EXPIRED(Machine::watchdogExpired);

        final Consumer<Machine> apply;

        Stimulus(Consumer<Machine> apply) {
            this.apply = apply;
        }
    }

    static List<MachineConfig> allConfigs() {
        List<MachineConfig> configs = new ArrayList<>();
        for (MachineType type : MachineType.values()) {
            for (boolean paused : new boolean[] {true, false}) {
                for (ShutdownAction shutdown : ShutdownAction.values()) {
                    for (RebootAction reboot : RebootAction.values()) {
                        for (PanicAction panic : PanicAction.values()) {
                            for (WatchdogAction watchdog : WatchdogAction.values()) {
                                configs.add(new MachineConfig(type, paused, Optional.empty(), Optional.empty(),
                                        new GuestActions(shutdown, reboot, panic, watchdog)));
                            }
                        }
                    }
                }
            }
        }
        return configs;
    }

    @Test
    void onlyQemusTransitionsFromEveryReachableState() {
        Set<RunState> reached = EnumSet.noneOf(RunState.class);
        Set<String> seen = new TreeSet<>();
        for (MachineConfig config : allConfigs()) {
            reached.addAll(explore(config, seen));
        }
        assertThat(reached).containsExactlyInAnyOrder(RunState.PRELAUNCH, RunState.RUNNING, RunState.PAUSED,
                RunState.SHUTDOWN, RunState.SUSPENDED, RunState.WATCHDOG, RunState.GUEST_PANICKED);
        for (String transition : seen) {
            String[] pair = transition.split(" -> ");
            assertThat(RunStateMachine.isAllowed(RunState.fromWireName(pair[0]), RunState.fromWireName(pair[1])))
                    .as(transition).isTrue();
        }
        // every transition among the reachable states that a command or guest event can cause
        assertThat(seen).containsExactlyInAnyOrder(
                "prelaunch -> running", "running -> paused", "running -> shutdown", "running -> suspended",
                "running -> watchdog", "running -> guest-panicked", "paused -> running", "paused -> prelaunch",
                "shutdown -> prelaunch", "suspended -> running", "suspended -> prelaunch", "watchdog -> running",
                "watchdog -> prelaunch", "guest-panicked -> running", "guest-panicked -> prelaunch");
    }

    /** Breadth-first over run states; each state is re-reached by replaying its path on a fresh machine. */
    private static Set<RunState> explore(MachineConfig config, Set<String> seen) {
        Map<RunState, List<Stimulus>> paths = new EnumMap<>(RunState.class);
        ArrayDeque<RunState> queue = new ArrayDeque<>();
        RunState initial = new RecordingMachine(config).state();
        paths.put(initial, List.of());
        queue.add(initial);
        while (!queue.isEmpty()) {
            RunState state = queue.poll();
            for (Stimulus stimulus : Stimulus.values()) {
                RecordingMachine m = replay(config, paths.get(state)).clear();
                apply(m, stimulus);
                checkEventsMatchTransitions(config, state, stimulus, m);
                seen.addAll(m.transitions);
                if (m.exits.isEmpty() && !paths.containsKey(m.state())) {
                    List<Stimulus> path = new ArrayList<>(paths.get(state));
                    path.add(stimulus);
                    paths.put(m.state(), path);
                    queue.add(m.state());
                }
            }
        }
        return paths.keySet();
    }

    private static RecordingMachine replay(MachineConfig config, List<Stimulus> path) {
        RecordingMachine m = new RecordingMachine(config);
        path.forEach(s -> apply(m, s));
        return m;
    }

    private static void apply(RecordingMachine m, Stimulus stimulus) {
        try {
            stimulus.apply.accept(m.machine);
        } catch (QmpException refused) {
            // a refusal (cont in shutdown, system_wakeup when not suspended) changes nothing
            assertThat(m.transitions).isEmpty();
            assertThat(m.events).isEmpty();
        }
    }

    /** STOP for each stop of a running machine, RESUME for each start, SUSPEND/WAKEUP for S3 in and out. */
    private static void checkEventsMatchTransitions(MachineConfig config, RunState from, Stimulus stimulus,
                                                    RecordingMachine m) {
        String where = config + " " + from + " " + stimulus + " " + m.transitions + " " + m.events;
        long stops = m.transitions.stream().filter(t -> t.startsWith("running -> ") && !t.endsWith("suspended"))
                .count();
        long resumes = m.transitions.stream().filter(t -> t.endsWith("-> running") && !t.startsWith("suspended"))
                .count();
        assertThat(m.events.stream().filter("STOP"::equals).count()).as(where).isEqualTo(stops);
        assertThat(m.events.stream().filter("RESUME"::equals).count()).as(where).isEqualTo(resumes);
        assertThat(m.events.contains("SUSPEND")).as(where).isEqualTo(m.transitions.contains("running -> suspended"));
        assertThat(m.events.contains("WAKEUP")).as(where).isEqualTo(m.transitions.contains("suspended -> running"));
        assertThat(m.transitions.size()).as(where).isLessThanOrEqualTo(2);
    }
}
