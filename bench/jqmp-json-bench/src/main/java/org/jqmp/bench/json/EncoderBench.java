package org.jqmp.bench.json;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.ByteSink;
import org.jqmp.json.JsonEncoder;
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

/**
 * Encoder throughput into a reused {@link ByteSink}, as a monitor session writes replies: compact and pretty.
 * The {@code bytes} counter is output bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EncoderBench {
    @State(Scope.Thread)
    public static class Input {
        @Param({"typical-replies", "string-1MiB", "structure-1MiB"})
        public String input;

        @Param({"false", "true"})
        public boolean pretty;

        List<JsonValue> values;
        final ByteSink sink = new ByteSink(4096);

        @Setup(Level.Trial)
        public void setUp() {
            values = Inputs.parsed(input);
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;
    }

    @Benchmark
    public int encode(Input in, Bytes counter) {
        int total = 0;
        for (JsonValue v : in.values) {
            in.sink.clear();
            JsonEncoder.encode(v, in.pretty, in.sink);
            total += in.sink.length();
        }
        counter.bytes += total;
        return total;
    }
}
