package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * go-qemu interop: src/test/go/goqemu, built against Debian's golang-github-digitalocean-go-qemu-dev, runs
 * qemu.Domain's Status, Version, Commands, BlockDevices, BlockStats and Events against {@code jqmp run}; its
 * answers must be the ones jqmp-client gets for the same queries.
 */
class GoQemuInteropTest {
    private static final Path GO_QEMU = Path.of("/usr/share/gocode/src/github.com/digitalocean/go-qemu");

    @TempDir
    Path dir;

    private Process jqmp;

    @AfterEach
    void stop() throws Exception {
        Processes.stop(jqmp);
    }

    @Test
    void goQemuDomainAgainstJqmpRun() throws Exception {
        Processes.assumeInstalled("go", "golang-go");
        Assumptions.assumeTrue(Files.isDirectory(GO_QEMU),
                () -> GO_QEMU + " is missing (Debian package golang-github-digitalocean-go-qemu-dev): test skipped");
        Path program = build();
        Path socket = dir.resolve("qmp.sock");
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        Path disk = dir.resolve("disk0.qcow2");
        List<String> create = run(List.of("qemu-img", "create", "-f", "qcow2", disk.toString(), "64M"), "qemu-img");
        assertThat(create.getLast()).isEqualTo("exit=0");
        jqmp = Processes.jqmp(dir, List.of("-display", "none", "-drive", "file=" + disk + ",id=disk0",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        for (int i = 0; i < 600 && !Files.exists(socket); i++) {
            assertThat(jqmp.isAlive()).as("jqmp run exited early: %s", Files.readString(dir.resolve("jqmp.err")))
                    .isTrue();
            Thread.sleep(50);
        }
        Map<String, String> expected = jqmpAnswers(socket);

        List<String> lines = run(List.of(program.toString(), socket.toString()), "goqemu");
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).isEqualTo("status=StatusRunning");
        assertThat(lines.get(1)).isEqualTo("version=" + expected.get("version"));
        assertThat(lines.get(2)).isEqualTo("commands=" + expected.get("commands"));
        // the qcow2 disk first, then the pc machine's default empty drives
        assertThat(lines.get(3)).isEqualTo(expected.get("blockdevices"))
                .startsWith("blockdevices=disk0:qcow2:" + disk + ":67108864,ide1-cd0::");
        assertThat(lines.get(4)).isEqualTo(expected.get("blockstats"))
                .startsWith("blockstats=disk0:rd=1/512:wr=0/0"); // the firmware read the boot sector
        // Events: subscribed before stop and cont; each event arrives, in order, with QEMU's timestamp
        assertThat(lines.get(5)).matches("event=STOP seconds=[1-9][0-9]*");
        assertThat(lines.get(6)).matches("event=RESUME seconds=[1-9][0-9]*");
        assertThat(lines.get(7)).isEqualTo("status=StatusRunning");
        assertThat(lines.get(8)).isEqualTo("exit=0");
    }

    /** What go-qemu should print, from jqmp-client's answers to the same queries. */
    private static Map<String, String> jqmpAnswers(Path socket) {
        Map<String, String> out = new LinkedHashMap<>();
        try (QmpClient qmp = QmpClient.connect(QmpAddress.parse(socket.toString()))) {
            JsonObject qemu = (JsonObject) ((JsonObject) qmp.execute("query-version")).get("qemu");
            out.put("version", number(qemu, "major") + "." + number(qemu, "minor") + "." + number(qemu, "micro"));
            List<String> names = new ArrayList<>();
            for (JsonValue c : ((JsonArray) qmp.execute("query-commands")).elements()) {
                names.add(((JsonString) ((JsonObject) c).get("name")).value());
            }
            out.put("commands", String.join(",", names));
            out.put("blockdevices", describe(qmp, "query-block", "blockdevices", d -> {
                JsonObject inserted = d.get("inserted") instanceof JsonObject i ? i : null;
                return text(d, "device") + ":" + (inserted == null ? ":" : text(inserted, "drv") + ":"
                        + text(inserted, "file")) + ":" + (inserted == null ? 0
                        : number((JsonObject) inserted.get("image"), "virtual-size"));
            }));
            out.put("blockstats", describe(qmp, "query-blockstats", "blockstats", s -> {
                JsonObject stats = (JsonObject) s.get("stats");
                return text(s, "device") + ":rd=" + number(stats, "rd_operations") + "/" + number(stats, "rd_bytes")
                        + ":wr=" + number(stats, "wr_operations") + "/" + number(stats, "wr_bytes");
            }));
        }
        return out;
    }

    private static long number(JsonObject o, String key) {
        return ((JsonInt) o.get(key)).value();
    }

    private static String text(JsonObject o, String key) {
        return ((JsonString) o.get(key)).value();
    }

    /** "key=A,B" describing each element of a list reply, or "key-error=DESC" as go-qemu reports an error. */
    private static String describe(QmpClient qmp, String command, String key,
                                   java.util.function.Function<JsonObject, String> element) {
        try {
            List<String> described = new ArrayList<>();
            for (JsonValue v : ((JsonArray) qmp.execute(command)).elements()) {
                described.add(element.apply((JsonObject) v));
            }
            return key + "=" + String.join(",", described);
        } catch (QmpErrorReplyException e) {
            return key + "-error=" + e.desc();
        }
    }

    /** go build with GOPATH at Debian's gocode and modules off; the build cache kept in target/. */
    private Path build() throws Exception {
        Path source = Path.of("src", "test", "go", "goqemu").toAbsolutePath();
        Path binary = dir.resolve("goqemu");
        ProcessBuilder go = new ProcessBuilder("go", "build", "-o", binary.toString(), ".").directory(source.toFile());
        go.environment().put("GOPATH", "/usr/share/gocode");
        go.environment().put("GO111MODULE", "off");
        go.environment().put("GOCACHE", Path.of("target", "go-cache").toAbsolutePath().toString());
        List<String> out = run(go, "go build");
        assertThat(out.getLast()).as("go build: %s", out).isEqualTo("exit=0");
        return binary;
    }

    private List<String> run(List<String> command, String what) throws Exception {
        return run(new ProcessBuilder(command), what);
    }

    /** Runs to the end (bounded: a hang fails, killed); stdout and stderr lines, then "exit=CODE". */
    private List<String> run(ProcessBuilder builder, String what) throws Exception {
        Path output = Files.createTempFile(dir, "out", ".txt");
        Process p = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(what + " did not finish in 120 s: " + Files.readString(output));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(output));
        lines.add("exit=" + p.exitValue());
        return lines;
    }
}
