package org.jqmp.nbd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real qemu-nbd serving an image on a Unix socket, for side-by-side comparisons. */
final class QemuNbd implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private QemuNbd(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static QemuNbd start(Path dir, Path image, String name, String... options) throws IOException,
            InterruptedException {
        Path socket = dir.resolve("qemu-nbd.sock");
        List<String> cmd = new ArrayList<>(List.of("qemu-nbd", "-t", "-k", socket.toString(), "-x", name));
        cmd.addAll(List.of(options));
        cmd.add(image.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu-nbd.log").toFile()).start();
        while (!Files.exists(socket)) {
            if (!p.isAlive()) {
                throw new IOException("qemu-nbd exited: " + Files.readString(dir.resolve("qemu-nbd.log")));
            }
            Thread.sleep(20);
        }
        return new QemuNbd(p, socket);
    }

    String uri(String name) {
        return "nbd+unix:///" + name + "?socket=" + socket;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
