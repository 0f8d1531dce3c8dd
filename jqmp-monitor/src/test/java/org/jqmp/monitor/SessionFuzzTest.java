package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes, in arbitrary pieces, into a live session over a real Unix socket: the server must answer
 * every message (no exception escapes, no hang) and still be well afterwards - proven by a marker command
 * after a 0xFF resync byte, which must come back. Under plain {@code mvn test} Jazzer replays the seed
 * corpus; {@code JAZZER_FUZZ=1} fuzzes for the given time ({@code JAZZER_MAX_DURATION=10m} for longer), guided by
 * coverage of this module's classes (decisions 14); {@code JAZZER_INSTRUMENTATION_INCLUDES=org.jqmp.**} adds
 * jqmp-json's, which Jazzer leaves alone by default because it comes from a jar.
 */
class SessionFuzzTest {
    private static Path dir;
    private static ServerFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("jqmp-session-fuzz");
        fixture = ServerFixture.start(ServerFixture.Transport.UNIX, dir);
    }

    @AfterAll
    static void stop() throws IOException {
        fixture.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "20s")
    void anyInputLeavesTheSessionAnswering(FuzzedDataProvider data) throws IOException {
        boolean mayQuit = false;
        try (RawClient c = fixture.connect()) {
            c.readLine();
            if (data.consumeBoolean()) {
                c.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}");
                c.readLine();
            }
            byte[] input = data.consumeRemainingAsBytes();
            mayQuit = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1).contains("quit");
            int offset = 0;
            int piece = 1;
            while (offset < input.length) {
                int end = Math.min(input.length, offset + piece);
                c.send(Arrays.copyOfRange(input, offset, end));
                offset = end;
                piece = piece * 3 % 17 + 1;
            }
            // close any string, resync, then a marker that must be answered
            c.send(new byte[] {'"', '\'', (byte) 0xFF});
            c.send("{\"execute\":\"query-version\",\"id\":\"__fuzz_marker__\"}");
            String line;
            do {
                line = c.readLine();
            } while (!line.contains("\"__fuzz_marker__\""));
            // answered, with its id: a return, or the refusal of a session the input did not negotiate
            assertThat(line).matches("\\{\"return\": .*|\\{\"id\": \"__fuzz_marker__\", \"error\": \\{\"class\": "
                    + "\"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}");
        } catch (IOException e) {
            if (!mayQuit) {
                throw e;
            }
            // the input said quit, and the server did: start a new one for the next input
            fixture.close();
            fixture = ServerFixture.start(ServerFixture.Transport.UNIX, dir);
        }
    }
}
