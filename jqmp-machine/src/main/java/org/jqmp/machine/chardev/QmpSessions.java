package org.jqmp.machine.chardev;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a QMP monitor on a machine chardev gets its sessions ({@code -mon chardev=ID,mode=control} on a mux):
 * {@code jqmp run} connects it to the QMP server, which the machine does not know.
 */
@FunctionalInterface
public interface QmpSessions {
    /** Starts one session that reads {@code in} until it ends and writes its replies and events to {@code out}. */
    void serve(InputStream in, OutputStream out);
}
