package org.jqmp.machine.chardev;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A connected stream socket known only by its native descriptor: one a QMP client passed with {@code getfd} and
 * {@code add_client} hands to a socket chardev. The JDK cannot wrap a foreign descriptor in a channel, so this
 * talks to libc through the FFM API, as {@link PtyChardev} does. Reads block a platform thread;
 * {@link #shutdown()} wakes it (the peer then sees end of file).
 */
final class NativeSocket implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle READ = function("read", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle WRITE = function("write", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle SHUTDOWN = function("shutdown", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT);
    private static final MethodHandle CLOSE = function("close", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle GETSOCKNAME = function("getsockname", ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    private static final MethodHandle GETPEERNAME = function("getpeername", ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    /** {@code sizeof(struct sockaddr_storage)}. */
    private static final int SOCKADDR_SIZE = 128;
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SHUT_RDWR = 2;

    private final int fd;
    private final SocketAddress local;
    private final SocketAddress remote;
    private boolean closed;

    private NativeSocket(int fd, SocketAddress local, SocketAddress remote) {
        this.fd = fd;
        this.local = local;
        this.remote = remote;
    }

    private static MethodHandle function(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(result, args));
    }

    /**
     * Takes ownership of {@code fd}. A descriptor that is not a connected socket of a family jqmp knows (Unix,
     * IPv4, IPv6) is closed and refused, as {@code qio_channel_socket_new_fd} refuses it.
     */
    static NativeSocket adopt(int fd) throws IOException {
        try {
            SocketAddress local = address(GETSOCKNAME, fd);
            SocketAddress remote = address(GETPEERNAME, fd);
            if (local == null || remote == null) {
                throw new IOException("descriptor " + fd + " is not a connected stream socket");
            }
            return new NativeSocket(fd, local, remote);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close(" + fd + ")", e);
        }
    }

    private static SocketAddress address(MethodHandle call, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SOCKADDR_SIZE);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, SOCKADDR_SIZE);
            if ((int) call.invokeExact(fd, storage, length) != 0) {
                return null;
            }
            int size = length.get(ValueLayout.JAVA_INT, 0);
            ByteBuffer bytes = ByteBuffer.wrap(storage.asSlice(0, Math.min(size, SOCKADDR_SIZE)).toArray(
                    ValueLayout.JAVA_BYTE));
            return decode(bytes);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("socket address of descriptor " + fd, e);
        }
    }

    /** {@code struct sockaddr_un / sockaddr_in / sockaddr_in6}: family in host order, port in network order. */
    private static SocketAddress decode(ByteBuffer bytes) throws UnknownHostException {
        if (bytes.remaining() < 2) {
            return UnixDomainSocketAddress.of(""); // an unnamed Unix socket (one end of a socketpair)
        }
        int family = bytes.order(ByteOrder.nativeOrder()).getShort(0);
        return switch (family) {
            case AF_UNIX -> UnixDomainSocketAddress.of(unixPath(bytes));
            case AF_INET -> new InetSocketAddress(InetAddress.getByAddress(slice(bytes, 4, 4)), port(bytes));
            case AF_INET6 -> new InetSocketAddress(InetAddress.getByAddress(slice(bytes, 8, 16)), port(bytes));
            default -> null;
        };
    }

    private static String unixPath(ByteBuffer bytes) {
        byte[] path = slice(bytes, 2, bytes.limit() - 2);
        int end = 0;
        while (end < path.length && path[end] != 0) {
            end++;
        }
        return new String(path, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int port(ByteBuffer bytes) {
        return bytes.order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
    }

    private static byte[] slice(ByteBuffer bytes, int offset, int length) {
        return Arrays.copyOfRange(bytes.array(), offset, offset + length);
    }

    SocketAddress localAddress() {
        return local;
    }

    SocketAddress remoteAddress() {
        return remote;
    }

    /** Blocks until bytes arrive; -1 at end of file or once the socket is shut down. */
    int read(byte[] buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(buffer.length);
            long n = (long) READ.invokeExact(fd, segment, (long) buffer.length);
            if (n <= 0) {
                return -1;
            }
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
            return (int) n;
        } catch (Throwable e) {
            throw new IllegalStateException("read from descriptor " + fd, e);
        }
    }

    void write(byte[] data) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
            long done = 0;
            while (done < data.length) {
                long n = (long) WRITE.invokeExact(fd, segment.asSlice(done), (long) data.length - done);
                if (n < 0) {
                    throw new IOException("write to descriptor " + fd + " failed");
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("write to descriptor " + fd, e);
        }
    }

    /** Breaks the connection at once: a blocked read returns, the peer sees end of file. */
    synchronized void shutdown() {
        if (!closed) {
            try {
                int ignored = (int) SHUTDOWN.invokeExact(fd, SHUT_RDWR);
            } catch (Throwable e) {
                throw new IllegalStateException("shutdown(" + fd + ")", e);
            }
        }
    }

    /** Only once no thread reads any more: a closed number may be reused by the next open. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(fd);
        }
    }
}
