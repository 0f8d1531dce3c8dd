package org.jqmp.api.runtime;

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

    /** The input policy for an interface with these features; deprecated wins over unstable, as in QEMU. */
    public Input inputFor(java.util.Set<String> features) {
        if (features.contains("deprecated") && deprecatedInput != Input.ACCEPT) {
            return deprecatedInput;
        }
        if (features.contains("unstable") && unstableInput != Input.ACCEPT) {
            return unstableInput;
        }
        return Input.ACCEPT;
    }

    /** True if output with these features is hidden by the policy. */
    public boolean hides(java.util.Set<String> features) {
        return (features.contains("deprecated") && deprecatedOutput == Output.HIDE)
                || (features.contains("unstable") && unstableOutput == Output.HIDE);
    }
}
