package org.jqmp.machine;

/**
 * The root of the machine's exceptions: a bug in the machine model (an illegal run-state transition), never a
 * refusal of a client request - refusals are QMP error replies ({@link org.jqmp.api.runtime.QmpException}).
 */
public class MachineException extends RuntimeException {
    public MachineException(String message) {
        super(message);
    }
}
