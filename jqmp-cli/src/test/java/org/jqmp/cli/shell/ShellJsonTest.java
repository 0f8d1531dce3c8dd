package org.jqmp.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shell prints what qmp-shell prints: Python's json.dumps (indent=4 and sort_keys with -p), checked
 * against python3 itself on replies as QEMU sends them.
 */
class ShellJsonTest {
    private static final String DUMPS = """
            import json, sys
            value = json.loads(sys.stdin.buffer.read().decode('utf-8'))
            sys.stdout.write(json.dumps(value, indent=4, sort_keys=True))
            sys.stdout.write('\\0')
            sys.stdout.write(json.dumps(value))
            """;

    @Test
    void anEmptyReturnIsOneLineAsInQmpShell() {
        assertThat(ShellJson.pretty(Json.parse("{\"return\": {}}"))).isEqualTo("{\n    \"return\": {}\n}");
        assertThat(ShellJson.compact(Json.parse("{\"return\": {}}"))).isEqualTo("{\"return\": {}}");
    }

    @Test
    void nestedObjectsAndArraysAreIndentedByFourWithSortedKeys() {
        assertThat(ShellJson.pretty(Json.parse("{\"return\": {\"b\": [1, {}], \"a\": []}}"))).isEqualTo("""
                {
                    "return": {
                        "a": [],
                        "b": [
                            1,
                            {}
                        ]
                    }
                }""");
    }

    @Test
    void stringsAreEscapedAsciiOnlyWithLowercaseHex() {
        assertThat(ShellJson.compact(Json.parse("[\"caf\\u00e9 / \\u007f \\ud83d\\ude00 \\u0001\\n\"]")))
                .isEqualTo("[\"caf\\u00e9 / \\u007f \\ud83d\\ude00 \\u0001\\n\"]");
    }

    @Test
    void floatsAsPythonsRepr() {
        assertThat(ShellJson.pythonRepr(0.1)).isEqualTo("0.1");
        assertThat(ShellJson.pythonRepr(100)).isEqualTo("100.0");
        assertThat(ShellJson.pythonRepr(1e16)).isEqualTo("1e+16");
        assertThat(ShellJson.pythonRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(ShellJson.pythonRepr(0.0001)).isEqualTo("0.0001");
        assertThat(ShellJson.pythonRepr(-1.5e-5)).isEqualTo("-1.5e-05");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"return\": {}}",
        "{\"return\": []}",
        "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}",
        "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}}",
        "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 12}, \"event\": \"STOP\"}",
        "{\"return\": [{\"name\": \"d0\", \"children\": [], \"opts\": {}, \"list\": [[], [{}], [1, [2, []]]]}]}",
        "{\"return\": {\"Zeta\": 1, \"alpha\": \"caf\u00e9 \u2603 \ud83d\ude00 tab\\tquote\\\" back\\\\ slash/ ctl\\u0001\\u007f\"}}",
        "{\"return\": {\"f\": [0.1, 1.5, 100.0, 1e16, 1e15, 1e-5, 0.0001, 123456789.125, -2.5e-300, 1.7976931348623157e308]}}",
        "{\"return\": {\"big\": 18446744073709551615, \"neg\": -9223372036854775808, \"null\": null}}",
        "{\"return\": {\"\ud83d\ude00\": 1, \"\ufb01\": 2, \"a\": 3}}"
    })
    void matchesPythonsJsonDumps(String reply, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String[] python = dumps(reply, dir);
        assertThat(ShellJson.pretty(Json.parse(reply))).isEqualTo(python[0]);
        assertThat(ShellJson.compact(Json.parse(reply))).isEqualTo(python[1]);
    }

    private static String[] dumps(String json, Path dir) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", DUMPS).redirectErrorStream(false)
                    .redirectError(dir.resolve("python.err").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed: the comparison with json.dumps is skipped");
            throw e;
        }
        p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3: %s", Files.readString(dir.resolve("python.err"))).isZero();
        return out.split("\0", -1);
    }
}
