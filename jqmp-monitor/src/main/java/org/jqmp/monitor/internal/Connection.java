package org.jqmp.monitor.internal;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;

/** One client's byte stream, as a monitor session sees it. */
public interface Connection extends Closeable {
    /** Blocks for input; -1 at end of stream. File descriptors that came with the bytes go to {@link #takeReceivedFds()}. */
    int read(byte[] buffer) throws IOException;

    /** Writes all the bytes, blocking as needed. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * The file descriptors that arrived with the last read (SCM_RIGHTS), or an empty array; each call hands
     * them over once.
     */
    default FileDescriptor[] takeReceivedFds() {
        return NO_FDS;
    }

    FileDescriptor[] NO_FDS = new FileDescriptor[0];

    /**
     * True if blocking I/O on this connection must run on a platform thread. junixsocket parks a virtual
     * thread and polls for it in a task on the common ForkJoinPool, whose single worker on a 2-core machine is
     * then held by one poll and starves every other session; on a platform thread it simply blocks in the kernel.
     */
    default boolean needsPlatformThread() {
        return false;
    }
}
