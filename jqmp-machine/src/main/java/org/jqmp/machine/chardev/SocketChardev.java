package org.jqmp.machine.chardev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

/**
 * QEMU's {@code socket} backend when no monitor sits on it ({@code chardev/char-socket.c}): one peer at a
 * time; output while no peer is connected is dropped, as QEMU drops it. A server keeps listening and takes
 * the next client once the current one has gone. What the peer sends is read and, until a front end consumes
 * input (the simulated guest's console), discarded.
 */
final class SocketChardev implements Chardev {
    private final ChardevBackend.Socket backend;
    private final ServerSocketChannel listener;
    private final String filename;
    private volatile SocketChannel peer;
    private volatile boolean closed;
    private volatile java.util.function.Consumer<byte[]> input;

    private SocketChardev(ChardevBackend.Socket backend, ServerSocketChannel listener, String filename) {
        this.backend = backend;
        this.listener = listener;
        this.filename = filename;
    }

    static SocketChardev open(ChardevBackend.Socket backend) {
        return backend.server() ? listen(backend) : connect(backend);
    }

    private static SocketChardev listen(ChardevBackend.Socket backend) {
        try {
            ServerSocketChannel listener;
            if (backend.address() instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath()); // socket_listen: unlink before bind
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                listener = ServerSocketChannel.open();
                listener.socket().setReuseAddress(true);
            }
            listener.bind(backend.address());
            String filename = backend.filename();
            if (listener.getLocalAddress() instanceof InetSocketAddress bound) {
                // port 0: QEMU reports the port the kernel chose
                filename = filename.replaceFirst(":0,server=on$", ":" + bound.getPort() + ",server=on");
            }
            SocketChardev chardev = new SocketChardev(backend, listener, filename);
            if (backend.waitForClient()) {
                chardev.peer = listener.accept();
                chardev.startReading(chardev.peer);
            } else {
                Thread.ofVirtual().name("chardev-" + backend.id()).start(chardev::acceptLoop);
            }
            return chardev;
        } catch (IOException e) {
            throw new ChardevException("Failed to bind socket to " + describe(backend.address()) + ": "
                    + FileChardev.reason(e));
        }
    }

    private static SocketChardev connect(ChardevBackend.Socket backend) {
        try {
            SocketChannel channel = SocketChannel.open(backend.address());
            SocketChardev chardev = new SocketChardev(backend, null, backend.filename());
            chardev.peer = channel;
            chardev.startReading(channel);
            return chardev;
        } catch (IOException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("refused") ? "Connection refused"
                    : FileChardev.reason(e);
            throw new ChardevException("Failed to connect to '" + describe(backend.address()) + "': " + reason);
        }
    }

    private static String describe(SocketAddress address) {
        return switch (address) {
            case UnixDomainSocketAddress unix -> unix.getPath().toString();
            case InetSocketAddress inet -> inet.getHostString() + ":" + inet.getPort();
            default -> address.toString();
        };
    }

    /** One client at a time: the next accept waits until the reader has seen the current one go. */
    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = listener.accept();
                peer = client;
                read(client);
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    private void startReading(SocketChannel channel) {
        Thread.ofVirtual().name("chardev-" + backend.id()).start(() -> {
            read(channel);
            if (listener != null && !closed) {
                acceptLoop();
            }
        });
    }

    private void read(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try (channel) {
            int count;
            while ((count = channel.read(buffer.clear())) >= 0) {
                java.util.function.Consumer<byte[]> receiver = input;
                if (receiver != null && count > 0) {
                    receiver.accept(java.util.Arrays.copyOf(buffer.array(), count));
                }
            }
        } catch (IOException e) {
            // the peer went away
        } finally {
            if (peer == channel) {
                peer = null;
            }
        }
    }

    @Override
    public String id() {
        return backend.id();
    }

    @Override
    public void connectInput(java.util.function.Consumer<byte[]> receiver) {
        input = receiver;
    }

    /** QEMU's forms (observed on 7.2): disconnected, a Unix peer, a TCP peer. */
    @Override
    public String filename() {
        SocketChannel current = peer;
        if (current == null) {
            return "disconnected:" + filename;
        }
        if (backend.address() instanceof UnixDomainSocketAddress) {
            return backend.server() ? filename : "unix:";
        }
        try {
            InetSocketAddress local = (InetSocketAddress) current.getLocalAddress();
            InetSocketAddress remote = (InetSocketAddress) current.getRemoteAddress();
            return "tcp:" + host(local) + ":" + local.getPort() + (backend.server() ? ",server=on" : "")
                    + " <-> " + host(remote) + ":" + remote.getPort();
        } catch (IOException | RuntimeException e) {
            return "disconnected:" + filename;
        }
    }

    private static String host(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void write(byte[] data) {
        SocketChannel current = peer;
        if (current == null) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try {
            synchronized (this) {
                while (buffer.hasRemaining()) {
                    current.write(buffer);
                }
            }
        } catch (IOException e) {
            // the peer went away; its reader notices and clears it
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener != null) {
                listener.close();
                if (backend.address() instanceof UnixDomainSocketAddress unix) {
                    Files.deleteIfExists(unix.getPath());
                }
            }
            SocketChannel current = peer;
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
