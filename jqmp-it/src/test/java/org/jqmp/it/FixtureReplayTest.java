package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code fixtures/qemu-7.2/bare-protocol.jsonl} against {@code jqmp run} started with the fixture's
 * QEMU command line, and compares every step that jqmp can answer (its commands, and every error QEMU gives
 * before it looks a command up) with what QEMU 7.2 answered - member order included.
 */
class FixtureReplayTest {
    @TempDir
    Path dir;

    private Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(jqmp);
    }

    @Test
    void bareProtocolTranscript() throws Exception {
        Path fixture = Processes.shared().resolve("fixtures/qemu-7.2/bare-protocol.jsonl");
        Path socket = dir.resolve("p.sock");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        Set<String> jqmpCommands = commandsOf(socket);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (QmpConnection c = QmpConnection.open(socket)) {
            List<String> lines = Files.readAllLines(fixture, StandardCharsets.UTF_8);
            for (String line : lines) {
                JsonObject record = (JsonObject) QmpConnection.parse(line);
                if (record.has("greeting")) {
                    expectSame("greeting", List.of((JsonObject) record.get("greeting")),
                            List.of(c.readMessage()), mismatches);
                    compared++;
                } else if (record.has("send")) {
                    String send = ((JsonString) record.get("send")).value().replace("$DIR", dir.toString());
                    List<JsonObject> expected = messages(record.get("recv"));
                    List<JsonObject> actual = c.step(send.getBytes(StandardCharsets.UTF_8));
                    if (send.contains("\"query-commands\"")) {
                        assertThat(actual).hasSize(1);
                        assertThat(((JsonArray) actual.getFirst().get("return")).elements())
                                .allSatisfy(e -> assertThat(((JsonObject) e).members()).containsOnlyKeys("name"));
                        compared++;
                    } else if (inScope(send, expected, jqmpCommands)) {
                        expectSame(send, expected, actual, mismatches);
                        compared++;
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        // the steps this issue covers: greeting, negotiation, ids, envelope and JSON errors, fd commands
        assertThat(compared).isGreaterThanOrEqualTo(30);
    }

    /** A step is comparable if jqmp has every command it names, or QEMU's answer came before any lookup. */
    private static boolean inScope(String send, List<JsonObject> expected, Set<String> jqmpCommands) {
        boolean preLookupError = !expected.isEmpty() && expected.stream().allMatch(m -> {
            if (!(m.get("error") instanceof JsonObject error)) {
                return false;
            }
            String desc = ((JsonString) error.get("desc")).value();
            return desc.startsWith("QMP input") || desc.startsWith("JSON parse error")
                    || desc.startsWith("Expecting capabilities negotiation") || desc.startsWith("The command ");
        });
        if (preLookupError) {
            return true;
        }
        for (String name : namedCommands(send)) {
            if (!jqmpCommands.contains(name)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> namedCommands(String send) {
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("[\"']exec(?:ute|-oob)[\"']\\s*:\\s*[\"']([^\"']+)[\"']").matcher(send);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<JsonObject> messages(JsonValue recv) {
        List<JsonObject> list = new ArrayList<>();
        for (JsonValue v : ((JsonArray) recv).elements()) {
            list.add((JsonObject) v);
        }
        return list;
    }

    private void expectSame(String step, List<JsonObject> expected, List<JsonObject> actual, List<String> mismatches) {
        List<String> want = expected.stream().map(Canonical::of).toList();
        List<String> got = actual.stream().map(Canonical::of).map(s -> s.replace(dir.toString(), "$DIR")).toList();
        if (!want.equals(got)) {
            mismatches.add(step + "\n   QEMU: " + want + "\n   jqmp: " + got);
        }
    }

    private static Set<String> commandsOf(Path socket) throws IOException, InterruptedException {
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step("{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.UTF_8));
            List<JsonObject> reply = c.step("{\"execute\":\"query-commands\"}".getBytes(StandardCharsets.UTF_8));
            Set<String> names = new HashSet<>();
            for (JsonValue v : ((JsonArray) reply.getFirst().get("return")).elements()) {
                names.add(((JsonString) ((JsonObject) v).get("name")).value());
            }
            return names;
        }
    }
}
