// Where jqmp-client's round trip goes, in ONE JVM against one QMP server: blocks of N sequential query-status
// round trips, alternating between
//   raw      - a junixsocket Unix socket (the client's own transport), write the command, read until the reply's
//              braces close: the floor on this transport;
//   decode   - the same, and the reply fed to jqmp-json's JsonDecoder (what the client parses);
//   client   - jqmp-client's execute() on its own connection (negotiated with or without oob, as asked).
// All three share the JVM, its JIT state and the machine's load at that moment, so their differences are the
// client's own costs. The raw sessions negotiate as the client does. Prints each round's p50s, then the medians.
// Run: java -cp "jqmp-client/target/classes:jqmp-cli/target/jqmp-cli.jar:jqmp-cli/target/lib/*" \
//     bench/ClientBreakdown.java SOCKET [N] [ROUNDS] [oob]
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpClientOptions;
import org.jqmp.client.Request;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

public class ClientBreakdown {
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private final JsonDecoder decoder = new JsonDecoder(new JsonDecoder.Sink() {
        @Override
        public void value(JsonValue value) {
        }

        @Override
        public void error(String message) {
            throw new IllegalStateException("bad JSON from the server: " + message);
        }
    });

    private ClientBreakdown(String path, boolean oob) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        socket.connect(AFUNIXSocketAddress.of(new File(path)));
        socket.setSoTimeout(250); // as the client reads (a read that times out is repeated)
        in = socket.getInputStream();
        out = socket.getOutputStream();
        reply(false); // greeting
        out.write((oob ? "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}"
                : "{\"execute\": \"qmp_capabilities\"}").getBytes(StandardCharsets.US_ASCII));
        reply(false);
    }

    /** Reads one JSON object (the server's replies carry no braces inside strings here). */
    private void reply(boolean decode) throws IOException {
        int length = 0;
        int depth = 0;
        boolean opened = false;
        for (int scanned = 0; !(opened && depth == 0); ) {
            int n;
            try {
                n = in.read(buffer, length, buffer.length - length);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                throw new IOException("the server closed the connection");
            }
            length += n;
            for (; scanned < length; scanned++) {
                if (buffer[scanned] == '{') {
                    depth++;
                    opened = true;
                } else if (buffer[scanned] == '}') {
                    depth--;
                }
            }
        }
        if (decode) {
            decoder.feed(buffer, 0, length);
        }
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        boolean oob = args.length > 3 && args[3].equals("oob");
        ClientBreakdown raw = new ClientBreakdown(path, oob);
        byte[] command = "{\"execute\": \"query-status\", \"id\": \"jqmp#1\"}".getBytes(StandardCharsets.US_ASCII);
        String[] names = {"raw", "decode", "client"};
        List<List<Double>> p50s = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (QmpClient client = QmpClient.connect(QmpAddress.parse(path), QmpClientOptions.DEFAULT.withOob(oob))) {
            Request request = Request.of("query-status", JsonObject.EMPTY);
            long[] latency = new long[n];
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (int mode = 0; mode < 3; mode++) {
                    for (int i = 0; i < n; i++) {
                        long t = System.nanoTime();
                        if (mode == 2) {
                            client.execute(request);
                        } else {
                            raw.out.write(command);
                            raw.reply(mode == 1);
                        }
                        latency[i] = System.nanoTime() - t;
                    }
                    Arrays.sort(latency);
                    double p50 = latency[n / 2] / 1e3;
                    line.append(String.format(" %s p50=%.1f us", names[mode], p50));
                    if (round > 0) {
                        p50s.get(mode).add(p50);
                    }
                }
                System.out.println(line);
            }
        }
        StringBuilder summary = new StringBuilder("median of " + rounds + " rounds" + (oob ? " (oob)" : "") + ":");
        for (int mode = 0; mode < 3; mode++) {
            List<Double> values = new ArrayList<>(p50s.get(mode));
            values.sort(null);
            summary.append(String.format(" %s %.1f us", names[mode], values.get(values.size() / 2)));
        }
        System.out.println(summary);
    }
}
