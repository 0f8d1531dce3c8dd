package org.jqmp.nbd;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.Qcow2Options;

/** A real image file served by a real {@link NbdServer} on a Unix socket in a temp directory. */
final class ServedImage implements AutoCloseable {
    final Path dir;
    final Path image;
    final Path socket;
    final BlockNode node;
    final NbdServer server;
    final List<String> deleted = new CopyOnWriteArrayList<>();

    private ServedImage(Path dir, Path image, BlockNode node, NbdServerOptions options) {
        this.dir = dir;
        this.image = image;
        this.node = node;
        this.socket = dir.resolve("nbd.sock");
        this.server = NbdServer.start(UnixDomainSocketAddress.of(socket),
                options.withExportDeleted(e -> deleted.add(e.name())));
    }

    /** A sparse raw image of {@code size} bytes, exported as {@code name}. */
    static ServedImage raw(Path dir, long size, String name, boolean writable, NbdServerOptions options) {
        Path image = dir.resolve("disk.raw");
        BlockImages.createRaw(image, size);
        return open(dir, image, name, writable, options);
    }

    static ServedImage qcow2(Path dir, long size, String name, boolean writable) {
        Path image = dir.resolve("disk.qcow2");
        BlockImages.createQcow2(image, Qcow2Options.of(size));
        return open(dir, image, name, writable, NbdServerOptions.defaults());
    }

    static ServedImage open(Path dir, Path image, String name, boolean writable, NbdServerOptions options) {
        OpenOptions o = writable ? OpenOptions.readWrite() : OpenOptions.readOnlyOptions();
        BlockNode node = BlockImages.open(image, o);
        ServedImage s = new ServedImage(dir, image, node, options);
        s.server.addExport(new NbdExport(name, "test disk " + name, node, writable));
        return s;
    }

    String uri(String name) {
        return "nbd+unix:///" + name + "?socket=" + socket;
    }

    /** Waits (without a deadline of its own: the test's timeout bounds it) until no client is connected. */
    void awaitNoClients() throws InterruptedException {
        while (server.clientCount() > 0) {
            Thread.sleep(10);
        }
    }

    /** What each open descriptor of this process points at (socket:[inode], a path, anon_inode:...). */
    static List<String> openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(ServedImage::target).filter(t -> !t.isEmpty()).sorted().toList();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // the descriptor Files.list itself used, closed meanwhile
        }
    }

    /** One full client cycle with large replies, so that the JDK's lazily made pollers exist before counting. */
    void warmUp() throws Exception {
        try (RawNbdClient c = RawNbdClient.connected(socket, server.exports().getFirst().export().name(), false)) {
            for (int i = 0; i < 8; i++) {
                c.request(0, Nbd.CMD_READ, i, 0, 1 << 20, null);
            }
            for (int i = 0; i < 8; i++) {
                c.reply(1 << 20);
            }
            c.request(0, Nbd.CMD_DISC, 99, 0, 0, null);
            c.closedByServer();
        }
        awaitNoClients();
    }

    @Override
    public void close() {
        server.close();
        node.close();
    }
}
