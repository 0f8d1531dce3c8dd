package org.jqmp.machine;

import org.jqmp.api.RunState;

/**
 * A run-state change outside QEMU's table. QEMU aborts the process on one ({@code runstate_set}: "invalid
 * runstate transition"); jqmp throws this, naming both states, so that the bug shows where it happened.
 */
public final class IllegalTransitionException extends MachineException {
    private final RunState from;
    private final RunState to;

    public IllegalTransitionException(RunState from, RunState to) {
        super("invalid runstate transition: '" + from.wireName() + "' -> '" + to.wireName() + "'");
        this.from = from;
        this.to = to;
    }

    public RunState from() {
        return from;
    }

    public RunState to() {
        return to;
    }
}
