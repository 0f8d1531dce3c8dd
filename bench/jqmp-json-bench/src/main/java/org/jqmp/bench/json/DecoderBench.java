package org.jqmp.bench.json;

import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonValue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoder throughput: the input is fed in {@link #CHUNK}-byte pieces, as a monitor session reads a socket, and
 * every value goes to a sink that keeps it alive (a Blackhole). The {@code bytes} counter is bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecoderBench {
    static final int CHUNK = 4096;

    @State(Scope.Thread)
    public static class Input {
        @Param({"typical-stream", "one-command", "string-1MiB", "structure-1MiB"})
        public String input;

        byte[] bytes;
        JsonDecoder decoder;
        Blackhole blackhole;
        int values;
        int errors;

        @Setup(Level.Trial)
        public void setUp(Blackhole bh) {
            bytes = Inputs.forName(input);
            blackhole = bh;
            decoder = new JsonDecoder(new JsonDecoder.Sink() {
                @Override
                public void value(JsonValue value) {
                    values++;
                    blackhole.consume(value);
                }

                @Override
                public void error(String message) {
                    errors++;
                }
            });
            decoder.feed(bytes, 0, bytes.length);
            if (errors != 0 || values == 0) {
                throw new IllegalStateException(input + ": " + errors + " errors, " + values + " values");
            }
        }
    }

    /** Bytes decoded, reported by JMH as a rate (bytes/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;
    }

    @Benchmark
    public int decode(Input in, Bytes counter) {
        byte[] b = in.bytes;
        for (int off = 0; off < b.length; off += CHUNK) {
            in.decoder.feed(b, off, Math.min(CHUNK, b.length - off));
        }
        counter.bytes += b.length;
        return in.values;
    }
}
