package org.jqmp.monitor.internal;

import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/** {@code -chardev stdio}: one session on the process's standard input and output. */
final class StdioEndpoint implements Endpoint {
    private final MonitorContext monitor;
    private final boolean pretty;
    private final Runnable onEnd;

    private final String id;

    StdioEndpoint(String id, MonitorContext monitor, boolean pretty, Runnable onEnd) {
        this.id = id;
        this.monitor = monitor;
        this.pretty = pretty;
        this.onEnd = onEnd;
    }

    @Override
    public void start() {
        Connection connection = new StreamConnection(new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), () -> { });
        monitor.startSession(connection, pretty, onEnd);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String filename() {
        return "stdio";
    }

    @Override
    public void close() {
        // stdin and stdout stay open; the session ends with the process
    }
}
