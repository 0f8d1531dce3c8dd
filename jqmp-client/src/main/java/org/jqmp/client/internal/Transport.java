package org.jqmp.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;

/** One connected byte stream to a QMP server. */
public interface Transport extends AutoCloseable {
    /** Waits up to {@code timeoutMillis} (positive) for some bytes: their count, 0 on timeout, -1 at end of stream. */
    int read(byte[] buffer, int timeoutMillis) throws IOException;

    /** Writes {@code bytes[0, length)}; {@code fds} (may be empty) travel with them as SCM_RIGHTS. */
    void write(byte[] bytes, int length, FileDescriptor[] fds) throws IOException;

    boolean canPassFds();

    /** junixsocket's blocking I/O must run on platform threads (docs/decisions.md §3). */
    boolean needsPlatformThread();

    String describe();

    @Override
    void close();
}
