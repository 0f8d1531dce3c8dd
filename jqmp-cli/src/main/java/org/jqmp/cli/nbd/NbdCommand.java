package org.jqmp.cli.nbd;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.nbd.NbdException;
import org.jqmp.nbd.NbdExport;
import org.jqmp.nbd.NbdServer;
import org.jqmp.nbd.NbdServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jqmp nbd}: qemu-nbd's server mode on jqmp's block layer. Like qemu-nbd, it serves one image, allows one
 * client at a time unless {@code -e} says otherwise, and stops when its last client leaves unless {@code -t}.
 */
@Command(name = "nbd", mixinStandardHelpOptions = true,
        description = "Export a disk image over NBD (qemu-nbd's options).")
public final class NbdCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "raw or qcow2 (default: probe)")
    String format;

    @Option(names = {"-r", "--read-only"}, description = "export read-only")
    boolean readOnly;

    @Option(names = {"-x", "--export-name"}, paramLabel = "NAME", description = "export name (default \"\")")
    String exportName = "";

    @Option(names = {"-D", "--description"}, paramLabel = "TEXT", description = "export description")
    String description = "";

    @Option(names = {"-k", "--socket"}, paramLabel = "PATH", description = "listen on a Unix socket")
    Path socket;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port (default 10809)")
    int port = 10809;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR", description = "TCP address (default 0.0.0.0)")
    String bind = "0.0.0.0";

    @Option(names = {"-t", "--persistent"}, description = "keep serving after the last client leaves")
    boolean persistent;

    @Option(names = {"-e", "--shared"}, paramLabel = "N", description = "clients at once (default 1, 0: no limit)")
    int shared = 1;

    @Parameters(index = "0", paramLabel = "FILE", description = "the image")
    Path file;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (shared < 0) {
            err.println("jqmp nbd: Invalid shared device number '" + shared + "'");
            return 2;
        }
        OpenOptions open = (readOnly ? OpenOptions.readOnlyOptions() : OpenOptions.readWrite()).withFormat(format);
        SocketAddress where = socket != null ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress(bind, port);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        try (BlockNode node = BlockImages.open(file, open);
             NbdServer server = NbdServer.start(where, NbdServerOptions.defaults().withMaxConnections(shared))) {
            server.addExport(new NbdExport(exportName, description, node, !readOnly));
            // SIGTERM/SIGINT: stop serving, and keep the JVM alive until the image is closed (its metadata
            // flushed) by the try block below; never interrupt it, an interrupted FileChannel closes itself
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                server.close();
                awaitQuietly(finished);
            }, "jqmp-nbd-shutdown"));
            serve(server, stop);
            return 0;
        } catch (BlockException | NbdException e) {
            err.println("jqmp nbd: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
        }
    }

    /** Until a signal, or (without -t) until the first client and every later one have left. */
    private void serve(NbdServer server, CountDownLatch stop) {
        try {
            if (persistent) {
                stop.await();
            } else {
                server.awaitLastClientGone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits at most 30 s: a shutdown must end even if closing the image hangs. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
