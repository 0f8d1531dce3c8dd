package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code fixtures/qemu-7.2/devices.jsonl} - a pc machine with a qcow2 disk, a CD-ROM, chardevs and a
 * serial port, through queries, run-state changes, external snapshots, eject and medium change - against
 * {@code jqmp run} with the fixture's command line and images made by the real qemu-img, and compares every
 * step with QEMU 7.2's answer, member order included. Masked, as the fixture's README allows: automatic node
 * names ({@code #blockNNN}), {@code actual-size}, and the values (not the presence) of the latency and idle
 * times.
 */
class DevicesFixtureReplayTest {
    @TempDir
    Path dir;

    private Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(jqmp);
    }

    @Test
    void devicesTranscript() throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        run("qemu-img", "create", "-f", "qcow2", dir.resolve("disk0.qcow2").toString(), "64M");
        run("qemu-img", "create", "-f", "raw", dir.resolve("cd.iso").toString(), "1M");
        run("qemu-img", "create", "-f", "raw", dir.resolve("cd2.iso").toString(), "2M");
        Path socket = dir.resolve("d.sock");
        String d = dir.toString();
        jqmp = Processes.jqmp(dir, List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-m", "64",
                "-name", "demo", "-uuid", "12345678-1234-1234-1234-123456789abc",
                "-drive", "file=" + d + "/disk0.qcow2,if=ide,id=disk0,werror=stop,rerror=stop",
                "-drive", "file=" + d + "/cd.iso,if=ide,media=cdrom,id=cd0,format=raw",
                "-chardev", "ringbuf,id=rb0", "-chardev", "null,id=null0", "-serial", "chardev:rb0",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (QmpConnection c = QmpConnection.open(socket)) {
            for (String line : Files.readAllLines(Processes.shared().resolve("fixtures/qemu-7.2/devices.jsonl"),
                    StandardCharsets.UTF_8)) {
                JsonObject record = (JsonObject) QmpConnection.parse(line);
                if (record.has("greeting")) {
                    c.readMessage();
                } else if (record.has("send")) {
                    String send = ((JsonString) record.get("send")).value().replace("$DIR", d);
                    List<? extends JsonValue> expected = ((JsonArray) record.get("recv")).elements();
                    List<? extends JsonValue> actual = send.contains("\"quit\"") ? untilReturn(c, send)
                            : c.step(send.getBytes(StandardCharsets.UTF_8));
                    if (send.contains("\"query-chardev\"")) {
                        // QEMU lists chardevs in the order of its hash table; ChardevDifferentialTest covers it
                        expected = sortedReturn(expected);
                        actual = sortedReturn(actual);
                    }
                    List<String> want = masked(expected);
                    List<String> got = masked(actual);
                    if (!want.equals(got)) {
                        mismatches.add(send + "\n   QEMU: " + want + "\n   jqmp: " + got);
                    }
                    compared++;
                    if (send.contains("\"quit\"")) {
                        break;
                    }
                } else if (record.has("drain")) {
                    List<String> want = masked(((JsonArray) record.get("drain")).elements());
                    List<String> got = masked(new ArrayList<>(c.drain(300)));
                    if (!want.equals(got)) {
                        mismatches.add("(pause)\n   QEMU: " + want + "\n   jqmp: " + got);
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(compared).isEqualTo(37); // every step of the transcript, quit included
    }

    /** {@code quit} ends the process: its reply is the last thing on the socket, so no marker follows it. */
    private static List<JsonObject> untilReturn(QmpConnection c, String send) throws java.io.IOException {
        c.send(send.getBytes(StandardCharsets.UTF_8));
        List<JsonObject> messages = new ArrayList<>();
        do {
            messages.add(c.readMessage());
        } while (!messages.getLast().has("return") && !messages.getLast().has("error"));
        return messages;
    }

    /** The reply's list elements as sorted text (one message holding them), for order-free comparison. */
    private static List<JsonValue> sortedReturn(List<? extends JsonValue> replies) {
        return replies.stream().<JsonValue>map(r -> r instanceof JsonObject o && o.get("return") instanceof JsonArray a
                ? new JsonString(a.elements().stream().map(Canonical::of).sorted().toList().toString()) : r).toList();
    }

    private List<String> masked(List<? extends JsonValue> messages) {
        return messages.stream().map(Canonical::of).map(s -> s.replace(dir.toString(), "$DIR")
                .replaceAll("\"#block[0-9]+\"", "\"#block\"")
                .replaceAll("\"actual-size\": [0-9]+", "\"actual-size\": N")
                .replaceAll("\"((rd|wr|flush|unmap)_total_time_ns|idle_time_ns)\": [1-9][0-9]*", "\"$1\": T"))
                .toList();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
