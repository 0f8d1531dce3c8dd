package org.jqmp.machine.chardev;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The one connection a socket chardev has at a time: one it accepted or made, or one passed by fd. */
sealed interface SocketPeer {
    /** Blocks for bytes; -1 at end of file. */
    int read(byte[] buffer) throws IOException;

    void write(byte[] data) throws IOException;

    /** Breaks the connection at once (yank, removal): a blocked read returns, the peer sees end of file. */
    void shutdown();

    void close();

    SocketAddress local() throws IOException;

    SocketAddress remote() throws IOException;

    /** A native read pins its thread: such a peer is read on a platform thread. */
    boolean blocksNatively();

    record Channel(SocketChannel channel) implements SocketPeer {
        @Override
        public int read(byte[] buffer) throws IOException {
            return channel.read(ByteBuffer.wrap(buffer));
        }

        @Override
        public void write(byte[] data) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void shutdown() {
            try {
                channel.shutdownInput();
                channel.shutdownOutput();
            } catch (IOException e) {
                // already gone
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public SocketAddress local() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public SocketAddress remote() throws IOException {
            return channel.getRemoteAddress();
        }

        @Override
        public boolean blocksNatively() {
            return false;
        }
    }

    record Native(NativeSocket socket) implements SocketPeer {
        @Override
        public int read(byte[] buffer) {
            return socket.read(buffer);
        }

        @Override
        public void write(byte[] data) throws IOException {
            socket.write(data);
        }

        @Override
        public void shutdown() {
            socket.shutdown();
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public SocketAddress local() {
            return socket.localAddress();
        }

        @Override
        public SocketAddress remote() {
            return socket.remoteAddress();
        }

        @Override
        public boolean blocksNatively() {
            return true;
        }
    }
}
