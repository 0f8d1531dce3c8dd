package org.jqmp.machine;

import static org.jqmp.api.RunState.COLO;
import static org.jqmp.api.RunState.DEBUG;
import static org.jqmp.api.RunState.FINISH_MIGRATE;
import static org.jqmp.api.RunState.GUEST_PANICKED;
import static org.jqmp.api.RunState.INMIGRATE;
import static org.jqmp.api.RunState.INTERNAL_ERROR;
import static org.jqmp.api.RunState.IO_ERROR;
import static org.jqmp.api.RunState.PAUSED;
import static org.jqmp.api.RunState.POSTMIGRATE;
import static org.jqmp.api.RunState.PRELAUNCH;
import static org.jqmp.api.RunState.RESTORE_VM;
import static org.jqmp.api.RunState.RUNNING;
import static org.jqmp.api.RunState.SAVE_VM;
import static org.jqmp.api.RunState.SHUTDOWN;
import static org.jqmp.api.RunState.SUSPENDED;
import static org.jqmp.api.RunState.WATCHDOG;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jqmp.api.RunState;

/**
 * The machine's run state with QEMU's rule for changing it ({@code runstate_set} in {@code softmmu/runstate.c}):
 * a change to the current state is a no-op, a change listed in QEMU's table happens, any other is a bug and
 * throws {@link IllegalTransitionException}. It starts in {@code prelaunch}. Not thread-safe: the machine
 * changes it under its lock (QEMU's BQL).
 */
public final class RunStateMachine {

    /** QEMU 7.2's {@code runstate_transitions_def[]}: 85 (from, to) pairs. */
    private static final Map<RunState, Set<RunState>> ALLOWED = table();

    private RunState current = PRELAUNCH;

    private static Map<RunState, Set<RunState>> table() {
        Map<RunState, Set<RunState>> t = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            t.put(s, EnumSet.noneOf(RunState.class));
        }
        t.get(DEBUG).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH, SUSPENDED));
        t.get(INMIGRATE).addAll(EnumSet.of(INTERNAL_ERROR, IO_ERROR, PAUSED, RUNNING, SHUTDOWN, SUSPENDED,
                WATCHDOG, GUEST_PANICKED, FINISH_MIGRATE, PRELAUNCH, POSTMIGRATE, COLO));
        t.get(INTERNAL_ERROR).addAll(EnumSet.of(PAUSED, FINISH_MIGRATE, PRELAUNCH));
        t.get(IO_ERROR).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH));
        t.get(PAUSED).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, POSTMIGRATE, PRELAUNCH, COLO, SUSPENDED));
        t.get(POSTMIGRATE).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH));
        t.get(PRELAUNCH).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, INMIGRATE, SUSPENDED));
        t.get(FINISH_MIGRATE).addAll(EnumSet.of(RUNNING, PAUSED, POSTMIGRATE, PRELAUNCH, COLO, INTERNAL_ERROR,
                IO_ERROR, SHUTDOWN, SUSPENDED, WATCHDOG, GUEST_PANICKED));
        t.get(RESTORE_VM).addAll(EnumSet.of(RUNNING, PRELAUNCH, SUSPENDED));
        t.get(COLO).addAll(EnumSet.of(RUNNING, PRELAUNCH, SHUTDOWN));
        t.get(RUNNING).addAll(EnumSet.of(DEBUG, INTERNAL_ERROR, IO_ERROR, PAUSED, FINISH_MIGRATE, RESTORE_VM,
                SAVE_VM, SHUTDOWN, WATCHDOG, GUEST_PANICKED, COLO, SUSPENDED));
        t.get(SAVE_VM).addAll(EnumSet.of(RUNNING, SUSPENDED));
        t.get(SHUTDOWN).addAll(EnumSet.of(PAUSED, FINISH_MIGRATE, PRELAUNCH, COLO));
        t.get(SUSPENDED).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH, COLO, PAUSED, SAVE_VM, RESTORE_VM,
                SHUTDOWN));
        t.get(WATCHDOG).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH, COLO));
        t.get(GUEST_PANICKED).addAll(EnumSet.of(RUNNING, FINISH_MIGRATE, PRELAUNCH));
        t.replaceAll((from, to) -> Collections.unmodifiableSet(to));
        return Collections.unmodifiableMap(t);
    }

    /** True when QEMU's table lists the change (a change to the same state is not in the table). */
    public static boolean isAllowed(RunState from, RunState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The states QEMU's table lets {@code from} change to. */
    public static Set<RunState> allowedFrom(RunState from) {
        return ALLOWED.get(from);
    }

    public RunState current() {
        return current;
    }

    /**
     * {@code runstate_set}: changes to {@code to}.
     *
     * @return the state before
     * @throws IllegalTransitionException when QEMU's table has no such change
     */
    public RunState set(RunState to) {
        RunState from = current;
        if (from != to) {
            if (!isAllowed(from, to)) {
                throw new IllegalTransitionException(from, to);
            }
            current = to;
        }
        return from;
    }

    /** {@code runstate_needs_reset}: only a reset leaves these states. */
    public boolean needsReset() {
        return current == INTERNAL_ERROR || current == SHUTDOWN;
    }

    /** {@code runstate_is_running} (QEMU 7.2: only {@code running}; {@code suspended} counts from 9.0 on). */
    public boolean isRunning() {
        return current == RUNNING;
    }
}
