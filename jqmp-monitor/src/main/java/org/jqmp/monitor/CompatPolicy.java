package org.jqmp.monitor;

/**
 * QEMU's {@code -compat} option: what to do with deprecated and unstable interfaces (reference §3.1).
 * Every member defaults to accept.
 */
public record CompatPolicy(Input deprecatedInput, Output deprecatedOutput, Input unstableInput,
                           Output unstableOutput) {

    public static final CompatPolicy ACCEPT_ALL =
            new CompatPolicy(Input.ACCEPT, Output.ACCEPT, Input.ACCEPT, Output.ACCEPT);

    /** CompatPolicyInput: accept, reject (an error naming the policy) or crash (abort the process). */
    public enum Input { ACCEPT, REJECT, CRASH }

    /** CompatPolicyOutput: accept, or hide (leave the member or event out). */
    public enum Output { ACCEPT, HIDE }
}
