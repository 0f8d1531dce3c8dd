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
}
