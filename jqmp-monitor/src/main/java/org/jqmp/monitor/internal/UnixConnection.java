package org.jqmp.monitor.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.newsclub.net.unix.AFUNIXSocket;

/** A Unix domain socket connection that also receives file descriptors (SCM_RIGHTS), via junixsocket. */
final class UnixConnection implements Connection {
    /** Room for QEMU's TCP_MAX_FDS (16) descriptors in one control message, and then some. */
    private static final int ANCILLARY_BUFFER_SIZE = 512;
    /**
     * The most a read asks for at first. junixsocket's native read (receive.c, 2.10) mallocs the requested
     * length and copies all of it back into the Java array, however few bytes arrived; asking for a session's
     * whole 64 KiB buffer made every small command pay a 64 KiB malloc and copy. A read that fills what it
     * asked for doubles the next request, so a large message still comes in big reads.
     */
    static final int FIRST_READ_SIZE = 4096;

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int readSize = FIRST_READ_SIZE;

    UnixConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER_SIZE);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        int ask = Math.min(readSize, buffer.length);
        int n = in.read(buffer, 0, ask);
        readSize = n == ask ? doubled(ask) : FIRST_READ_SIZE;
        return n;
    }

    private static int doubled(int size) {
        return (int) Math.min(Math.max(2L * size, FIRST_READ_SIZE), Integer.MAX_VALUE);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public FileDescriptor[] takeReceivedFds() {
        try {
            FileDescriptor[] fds = socket.getReceivedFileDescriptors();
            return fds == null ? NO_FDS : fds;
        } catch (IOException e) {
            return NO_FDS;
        }
    }

    @Override
    public boolean needsPlatformThread() {
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
