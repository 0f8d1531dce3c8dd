// jqmp-client's round trip and pipelined throughput against a QMP server, printed in qmpbench's format.
// Run (source-file mode): java -cp "jqmp-cli/target/jqmp-cli.jar:jqmp-cli/target/lib/*" bench/ClientBench.java \
//     SOCKET N [IN_FLIGHT]
// IN_FLIGHT 1 (default): N sequential execute() calls, each waiting for its reply (as qmpbench does); p50/p99 of
// each call. IN_FLIGHT K > 1: N executeAsync() calls with at most K unanswered at any time (one connection).
// A warm-up of N calls (same mode) and of 50 connections runs first, in the same JVM, so the figures are of
// compiled code. connect+negotiate_us: mean of 50 fresh connections (connect, greeting, qmp_capabilities, close).
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.Request;
import org.jqmp.json.JsonObject;

public class ClientBench {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClientBench SOCKET N [IN_FLIGHT]");
            System.exit(2);
        }
        QmpAddress address = QmpAddress.parse(args[0]);
        int n = Integer.parseInt(args[1]);
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double connectUs = 0;
        connectAndNegotiateUs(address, 50); // warm-up
        try (QmpClient qmp = QmpClient.connect(address)) {
            Request request = Request.of("query-status", JsonObject.EMPTY);
            long[] latency = new long[n];
            for (int round = 0; round < 2; round++) { // round 0 warms up
                long t0 = System.nanoTime();
                if (inFlight == 1) {
                    sequential(qmp, request, latency);
                } else {
                    pipelined(qmp, request, n, inFlight);
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                if (round == 1) {
                    connectUs = connectAndNegotiateUs(address, 50); // a second client beside the first
                    Arrays.sort(latency);
                    System.out.printf("connect+negotiate_us=%.1f cmds=%d in_flight=%d elapsed_s=%.3f "
                            + "throughput_cmd_s=%.0f p50_us=%s p99_us=%s%n", connectUs, n, inFlight, elapsed,
                            n / elapsed, inFlight == 1 ? String.format("%.1f", latency[n / 2] / 1e3) : "-",
                            inFlight == 1 ? String.format("%.1f", latency[(int) (n * 0.99)] / 1e3) : "-");
                }
            }
        }
    }

    private static void sequential(QmpClient qmp, Request request, long[] latency) {
        for (int i = 0; i < latency.length; i++) {
            long t = System.nanoTime();
            qmp.execute(request);
            latency[i] = System.nanoTime() - t;
        }
    }

    private static void pipelined(QmpClient qmp, Request request, int n, int inFlight) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        CompletableFuture<?>[] last = new CompletableFuture<?>[1];
        for (int i = 0; i < n; i++) {
            window.acquire();
            last[0] = qmp.executeAsync(request).whenComplete((r, e) -> window.release());
        }
        window.acquire(inFlight); // all answered
        last[0].join(); // and the last one surfaces any error
    }

    private static double connectAndNegotiateUs(QmpAddress address, int times) {
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            try (QmpClient qmp = QmpClient.connect(address)) {
                qmp.greeting();
            }
        }
        return (System.nanoTime() - t0) / 1e3 / times;
    }
}
