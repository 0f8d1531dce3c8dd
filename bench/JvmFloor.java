import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of a JVM for bench/startup.sh: the least a process must do to pass that benchmark's client - bind the
 * Unix socket named by {@code -qmp unix:PATH,...}, accept one connection, send a greeting, answer each request
 * line with a canned reply (a "prelaunch" status for query-status), and end on quit. No JSON parsing, no
 * machine, no jqmp class: what the JDK itself costs to start, load this class and serve three lines. Not a QMP
 * server; it exists only to be timed beside QEMU and jqmp in one run.
 */
public final class JvmFloor {
    public static void main(String[] args) throws IOException {
        String path = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-qmp") && args[i + 1].startsWith("unix:")) {
                path = args[i + 1].substring(5).split(",")[0];
            }
        }
        if (path == null) {
            throw new IllegalArgumentException("usage: JvmFloor ... -qmp unix:PATH,server=on,wait=off");
        }
        Path socket = Path.of(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = server.accept()) {
                send(client, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n");
                ByteBuffer in = ByteBuffer.allocate(4096);
                StringBuilder line = new StringBuilder();
                while (client.read(in) >= 0) {
                    in.flip();
                    line.append(StandardCharsets.UTF_8.decode(in));
                    in.clear();
                    for (int nl; (nl = line.indexOf("\n")) >= 0; line.delete(0, nl + 1)) {
                        String request = line.substring(0, nl);
                        if (request.contains("\"quit\"")) {
                            send(client, "{\"return\": {}}\n");
                            return;
                        }
                        send(client, request.contains("query-status")
                                ? "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}\n"
                                : "{\"return\": {}}\n");
                    }
                }
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static void send(SocketChannel client, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            client.write(out);
        }
    }
}
