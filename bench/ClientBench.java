// jqmp-client's round trip and pipelined throughput against a QMP server, printed in qmpbench's format.
// Run (source-file mode): java -cp "jqmp-cli/target/jqmp-cli.jar:jqmp-cli/target/lib/*" bench/ClientBench.java \
//     SOCKET N [IN_FLIGHT] [oob]
// Without "oob" the session is negotiated as qmpbench negotiates it (plain qmp_capabilities), so that both
// clients meet the same server path; with "oob", the capability is enabled (jqmp-client's default when offered),
// and the server then runs in-band commands on a dispatcher of their own (as QEMU does), which costs it a hand-off.
// IN_FLIGHT raw: no jqmp-client - one thread writes each command and reads its reply line on a JDK Unix
// SocketChannel, as qmpbench does: the JVM's own floor, beside which jqmp-client's cost shows.
// IN_FLIGHT handoff: the same, but a second thread reads the replies and completes a CompletableFuture the
// caller waits on (the shape of any client with a reader thread): the cost of that hand-off alone.
// IN_FLIGHT 1 (default): N sequential execute() calls, each waiting for its reply (as qmpbench does); p50/p99 of
// each call. IN_FLIGHT K > 1: N executeAsync() calls with at most K unanswered at any time (one connection).
// A warm-up of max(N, WARM_UP) calls (same mode) and of 50 connections runs first, in the same JVM, so that the
// figures are of code the JIT has finished compiling (with a 20,000-call warm-up, C2 was still at work during the
// timed calls: p50 13.5-15.6 us against 11.6-11.9 us after 100,000, on the same server).
// connect+negotiate_us: mean of 50 fresh connections (connect, greeting, qmp_capabilities, close).
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpClientOptions;
import org.jqmp.client.Request;
import org.jqmp.json.JsonObject;

public class ClientBench {
    static final int WARM_UP = 100_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClientBench SOCKET N [IN_FLIGHT] [oob]");
            System.exit(2);
        }
        QmpAddress address = QmpAddress.parse(args[0]);
        int n = Integer.parseInt(args[1]);
        boolean oob = args.length > 3 && args[3].equals("oob");
        if (args.length > 2 && (args[2].equals("raw") || args[2].equals("handoff"))) {
            RawClient.run(args[0], n, args[2].equals("handoff"), oob);
            return;
        }
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        QmpClientOptions options = QmpClientOptions.DEFAULT.withOob(oob);
        double connectUs = 0;
        connectAndNegotiateUs(address, options, 50); // warm-up
        try (QmpClient qmp = QmpClient.connect(address, options)) {
            Request request = Request.of("query-status", JsonObject.EMPTY);
            for (int round = 0; round < 2; round++) { // round 0 warms up
                int calls = round == 0 ? Math.max(n, WARM_UP) : n;
                long[] latency = new long[calls];
                Cpu cpu = new Cpu();
                long t0 = System.nanoTime();
                if (inFlight == 1) {
                    sequential(qmp, request, latency);
                } else {
                    pipelined(qmp, request, calls, inFlight);
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                String cpuPerCall = cpu.perCall(n);
                if (round == 1) {
                    connectUs = connectAndNegotiateUs(address, options, 50); // a second client beside the first
                    Arrays.sort(latency);
                    System.out.printf("connect+negotiate_us=%.1f cmds=%d in_flight=%d elapsed_s=%.3f "
                            + "throughput_cmd_s=%.0f p50_us=%s p99_us=%s %s%n", connectUs, n, inFlight, elapsed,
                            n / elapsed, inFlight == 1 ? String.format("%.1f", latency[n / 2] / 1e3) : "-",
                            inFlight == 1 ? String.format("%.1f", latency[(int) (n * 0.99)] / 1e3) : "-",
                            cpuPerCall);
                }
            }
        }
    }

    /**
     * CPU time per command over a timed round: of the calling thread (its Java work and its system calls) and
     * of the whole client process (adds the reader thread, the JIT, the GC) - where the client's time goes.
     */
    static final class Cpu {
        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();
        private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final long thread = THREADS.getCurrentThreadCpuTime();
        private final long process = OS.getProcessCpuTime();

        String perCall(int n) {
            return String.format("caller_cpu_us=%.2f process_cpu_us=%.2f",
                    (THREADS.getCurrentThreadCpuTime() - thread) / 1e3 / n,
                    (OS.getProcessCpuTime() - process) / 1e3 / n);
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

    private static double connectAndNegotiateUs(QmpAddress address, QmpClientOptions options, int times) {
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            try (QmpClient qmp = QmpClient.connect(address, options)) {
                qmp.greeting();
            }
        }
        return (System.nanoTime() - t0) / 1e3 / times;
    }

    /** The JVM floor: qmpbench's loop in Java, one thread, a blocking channel, no JSON parsing. */
    static final class RawClient {
        private final java.nio.channels.SocketChannel channel;
        private final java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(1 << 16);

        private RawClient(String socket) throws java.io.IOException {
            channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket));
            in.flip();
        }

        private volatile CompletableFuture<String> pending;

        static void run(String socket, int n, boolean handoff, boolean oob) throws Exception {
            RawClient c = new RawClient(socket);
            c.readLine(); // greeting
            c.call(oob ? "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}\n"
                    : "{\"execute\":\"qmp_capabilities\"}\n");
            if (handoff) {
                Thread.ofPlatform().daemon().start(c::readLoop);
            }
            for (int round = 0; round < 2; round++) { // round 0 warms up, as for jqmp-client
                long[] latency = new long[round == 0 ? Math.max(n, WARM_UP) : n];
                Cpu cpu = new Cpu();
                long t0 = System.nanoTime();
                for (int i = 0; i < latency.length; i++) {
                    long t = System.nanoTime();
                    if (handoff) {
                        c.handOff("{\"execute\":\"query-status\"}\n");
                    } else {
                        c.call("{\"execute\":\"query-status\"}\n");
                    }
                    latency[i] = System.nanoTime() - t;
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                String cpuPerCall = cpu.perCall(n);
                if (round == 1) {
                    Arrays.sort(latency);
                    System.out.printf("connect+negotiate_us=- cmds=%d in_flight=" + (handoff ? "handoff" : "raw")
                            + (oob ? "-oob" : "")
                            + " elapsed_s=%.3f throughput_cmd_s=%.0f p50_us=%.1f p99_us=%.1f %s%n", n, elapsed,
                            n / elapsed, latency[n / 2] / 1e3, latency[(int) (n * 0.99)] / 1e3, cpuPerCall);
                }
            }
            c.channel.close();
        }

        private void handOff(String command) throws Exception {
            CompletableFuture<String> reply = new CompletableFuture<>();
            pending = reply;
            write(command);
            reply.get();
        }

        private void readLoop() {
            try {
                while (true) {
                    String line = readLine();
                    if (!line.contains("\"event\"")) {
                        pending.complete(line);
                    }
                }
            } catch (java.io.IOException e) {
                // closed: the benchmark is over
            }
        }

        private void call(String command) throws java.io.IOException {
            write(command);
            while (readLine().contains("\"event\"")) {
                // events are skipped, as qmpbench does
            }
        }

        private void write(String command) throws java.io.IOException {
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(command.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        private String readLine() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        return line.toString();
                    }
                    line.append((char) b);
                }
                in.clear();
                if (channel.read(in) < 0) {
                    throw new java.io.EOFException("server closed the connection");
                }
                in.flip();
            }
        }
    }
}
