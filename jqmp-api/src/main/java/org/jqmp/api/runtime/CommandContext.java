package org.jqmp.api.runtime;

/**
 * What a running command may know of the session that sent it. The monitor's own session type implements
 * it; handlers that need more (the control commands) are registered by the monitor itself.
 */
public interface CommandContext {
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
}
