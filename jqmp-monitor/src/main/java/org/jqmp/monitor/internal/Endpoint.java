package org.jqmp.monitor.internal;

import java.io.Closeable;
import java.io.IOException;

/** A monitor's chardev end: a listening socket, an outgoing connection, or stdio. */
public interface Endpoint extends Closeable {
    /** Opens it; returns once it serves (for {@code wait=on}, once the first client has connected). */
    void start() throws IOException;

    @Override
    void close();

    /** The chardev's label. */
    String id();

    /** QEMU's {@code filename} for the chardev's state now (see {@link org.jqmp.monitor.ChardevState}). */
    String filename();
}
