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

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    UnixConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER_SIZE);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        return in.read(buffer);
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
