package org.jqmp.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.jqmp.api.RunState;
import org.junit.jupiter.api.Test;

/** The transition table against QEMU 7.2's, pair by pair, and {@code runstate_set}'s rules. */
class RunStateMachineTest {
    /** QEMU 7.2's runstate_transitions_def[], as listed in the reference (section 5). */
    static final String QEMU_TABLE = """
            debug running, debug finish-migrate, debug prelaunch,
            inmigrate internal-error, inmigrate io-error, inmigrate paused, inmigrate running, inmigrate shutdown,
            inmigrate suspended, inmigrate watchdog, inmigrate guest-panicked, inmigrate finish-migrate,
            inmigrate prelaunch, inmigrate postmigrate, inmigrate colo,
            internal-error paused, internal-error finish-migrate, internal-error prelaunch,
            io-error running, io-error finish-migrate, io-error prelaunch,
            paused running, paused finish-migrate, paused postmigrate, paused prelaunch, paused colo, paused suspended,
            postmigrate running, postmigrate finish-migrate, postmigrate prelaunch,
            prelaunch running, prelaunch finish-migrate, prelaunch inmigrate, prelaunch suspended,
            finish-migrate running, finish-migrate paused, finish-migrate postmigrate, finish-migrate prelaunch,
            finish-migrate colo, finish-migrate internal-error, finish-migrate io-error, finish-migrate shutdown,
            finish-migrate suspended, finish-migrate watchdog, finish-migrate guest-panicked,
            restore-vm running, restore-vm prelaunch, restore-vm suspended,
            colo running, colo prelaunch, colo shutdown,
            running debug, running internal-error, running io-error, running paused, running finish-migrate,
            running restore-vm, running save-vm, running shutdown, running watchdog, running guest-panicked,
            running colo,
            save-vm running, save-vm suspended,
            shutdown paused, shutdown finish-migrate, shutdown prelaunch, shutdown colo,
            debug suspended, running suspended, suspended running, suspended finish-migrate, suspended prelaunch,
            suspended colo, suspended paused, suspended save-vm, suspended restore-vm, suspended shutdown,
            watchdog running, watchdog finish-migrate, watchdog prelaunch, watchdog colo,
            guest-panicked running, guest-panicked finish-migrate, guest-panicked prelaunch""";

    static Set<String> qemuPairs() {
        Set<String> pairs = new HashSet<>();
        for (String pair : QEMU_TABLE.split(",")) {
            assertThat(pairs.add(pair.strip().replaceAll("\\s+", " "))).as("duplicate " + pair).isTrue();
        }
        return pairs;
    }

    @Test
    void exactlyQemusEightyFiveTransitions() {
        Set<String> ours = new HashSet<>();
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                if (RunStateMachine.isAllowed(from, to)) {
                    ours.add(from.wireName() + " " + to.wireName());
                }
            }
        }
        assertThat(qemuPairs()).hasSize(85);
        assertThat(ours).isEqualTo(qemuPairs());
    }

    @Test
    void startsInPrelaunch() {
        assertThat(new RunStateMachine().current()).isEqualTo(RunState.PRELAUNCH);
    }

    @Test
    void changeToTheSameStateIsANoOp() {
        RunStateMachine m = new RunStateMachine();
        assertThat(m.set(RunState.PRELAUNCH)).isEqualTo(RunState.PRELAUNCH);
        assertThat(m.current()).isEqualTo(RunState.PRELAUNCH);
    }

    @Test
    void everyPairOutsideTheTableThrowsNamingBothStates() {
        Set<String> allowed = qemuPairs();
        int refused = 0;
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                if (from == to || allowed.contains(from.wireName() + " " + to.wireName())) {
                    continue;
                }
                RunStateMachine m = at(from);
                assertThatThrownBy(() -> m.set(to)).isInstanceOf(IllegalTransitionException.class)
                        .hasMessage("invalid runstate transition: '" + from.wireName() + "' -> '" + to.wireName() + "'");
                assertThat(m.current()).isEqualTo(from);
                refused++;
            }
        }
        assertThat(refused).isEqualTo(16 * 15 - 85);
    }

    @Test
    void needsResetAndIsRunningAsInQemu72() {
        assertThat(at(RunState.SHUTDOWN).needsReset()).isTrue();
        assertThat(at(RunState.INTERNAL_ERROR).needsReset()).isTrue();
        assertThat(at(RunState.PAUSED).needsReset()).isFalse();
        assertThat(at(RunState.RUNNING).isRunning()).isTrue();
        assertThat(at(RunState.SUSPENDED).isRunning()).isFalse();
    }

    /** A machine in {@code state}, reached through allowed transitions only (breadth-first from prelaunch). */
    static RunStateMachine at(RunState state) {
        RunStateMachine m = new RunStateMachine();
        for (RunState step : pathTo(state)) {
            m.set(step);
        }
        assertThat(m.current()).isEqualTo(state);
        return m;
    }

    private static java.util.List<RunState> pathTo(RunState target) {
        java.util.Map<RunState, RunState> parent = new java.util.EnumMap<>(RunState.class);
        java.util.ArrayDeque<RunState> queue = new java.util.ArrayDeque<>(java.util.List.of(RunState.PRELAUNCH));
        parent.put(RunState.PRELAUNCH, RunState.PRELAUNCH);
        while (!queue.isEmpty()) {
            RunState s = queue.poll();
            for (RunState next : RunStateMachine.allowedFrom(s)) {
                if (parent.putIfAbsent(next, s) == null) {
                    queue.add(next);
                }
            }
        }
        java.util.LinkedList<RunState> path = new java.util.LinkedList<>();
        for (RunState s = target; s != RunState.PRELAUNCH; s = parent.get(s)) {
            path.addFirst(s);
        }
        return path;
    }
}
