package org.jqmp.monitor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A connection over a pair of streams: a TCP socket's, or the process's stdin and stdout. */
final class StreamConnection implements Connection {
    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable resource;

    StreamConnection(InputStream in, OutputStream out, AutoCloseable resource) {
        this.in = in;
        this.out = out;
        this.resource = resource;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        return in.read(buffer);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            resource.close();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
