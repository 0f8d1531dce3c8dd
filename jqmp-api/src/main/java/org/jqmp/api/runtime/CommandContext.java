package org.jqmp.api.runtime;

/**
 * What a running command may know of the session that sent it. The monitor's own session type implements
 * it; handlers that need more (the control commands) are registered by the monitor itself.
 */
public interface CommandContext {
    /** The context of the command the calling thread is running, set by the monitor around each handler. */
    ScopedValue<CommandContext> CURRENT = ScopedValue.newInstance();

    /**
     * The command the calling thread runs now, if any: for code deep in the machine that must act after the
     * reply (a power-off ends the process only once its command has replied) without a context in hand.
     */
    static java.util.Optional<CommandContext> current() {
        return CURRENT.isBound() ? java.util.Optional.of(CURRENT.get()) : java.util.Optional.empty();
    }

    /**
     * The context of a command run outside any monitor session (a human monitor's line, a part of the machine
     * running a command): in band, no descriptors, the reply nobody waits for.
     */
    static CommandContext outsideSession(CompatPolicy policy) {
        return new CommandContext() {
            @Override
            public CompatPolicy compatPolicy() {
                return policy;
            }

            @Override
            public boolean outOfBand() {
                return false;
            }
        };
    }

    /** The {@code -compat} policy in force, for the marshallers' input and output checks. */
    CompatPolicy compatPolicy();

    /** True for a command sent with {@code exec-oob}. */
    boolean outOfBand();

    /**
     * Runs the action once this command's reply has been written (QEMU leaves its main loop after a power-off
     * only once the command that caused it has replied). Where there is no reply to wait for, it runs at once.
     */
    default void afterReply(Runnable action) {
        action.run();
    }

    /**
     * Takes the file descriptor that {@code getfd} named out of the session that sent this command (QEMU's
     * {@code monitor_get_fd}): from then on the caller owns the native descriptor and must close it. Empty when
     * no descriptor has that name, or where the session has none (a command run outside a monitor).
     */
    default java.util.OptionalInt takeFd(String name) {
        return java.util.OptionalInt.empty();
    }
}
