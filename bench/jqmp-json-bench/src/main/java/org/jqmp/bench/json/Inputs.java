package org.jqmp.bench.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.jqmp.json.Json;
import org.jqmp.json.JsonValue;

/** The inputs the benchmarks decode and encode: typical QMP traffic, and two 1 MiB messages. */
final class Inputs {
    /** What a management stack sends: short commands, ids as QEMU's Python client makes them, nested arguments. */
    static final List<String> TYPICAL_COMMANDS = List.of(
            "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}",
            "{\"execute\": \"query-status\", \"id\": \"__qmp#00042\"}",
            "{\"execute\": \"query-version\"}",
            "{\"exec-oob\": \"query-yank\", \"id\": 7}",
            "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"qcow2\", \"node-name\": \"disk0\","
                    + " \"file\": {\"driver\": \"file\", \"filename\": \"/var/lib/images/vm-0042/disk0.qcow2\","
                    + " \"aio\": \"threads\", \"cache\": {\"direct\": false, \"no-flush\": false}},"
                    + " \"read-only\": false, \"discard\": \"unmap\"}, \"id\": \"libvirt-17\"}",
            "{'execute': 'getfd', 'arguments': {'fdname': 'migfd'}}",
            "{\"execute\": \"block_resize\", \"arguments\": {\"node-name\": \"disk0\", \"size\": 21474836480}}",
            "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info \\u0062lock\\n\"}}");

    /** What a server sends back: replies and events of the same conversation. */
    static final List<String> TYPICAL_REPLIES = List.of(
            "{\"return\": {}}",
            "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}, \"id\": \"__qmp#00042\"}",
            "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"jqmp 0.1.0\"}}",
            "{\"return\": [{\"type\": \"chardev\", \"id\": \"compat_monitor0\"}, {\"type\": \"block-node\","
                    + " \"node-name\": \"disk0\"}], \"id\": 7}",
            "{\"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"job0\", \"len\": 21474836480,"
                    + " \"offset\": 21474836480, \"speed\": 0, \"type\": \"mirror\"},"
                    + " \"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}}",
            "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such has not been found\"}}");

    private Inputs() {
    }

    /** The commands repeated into one stream of at least {@code size} bytes, one per line as clients send. */
    static byte[] typicalStream(int size) {
        StringBuilder text = new StringBuilder(size + 512);
        for (int i = 0; text.length() < size; i++) {
            text.append(TYPICAL_COMMANDS.get(i % TYPICAL_COMMANDS.size())).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One command carrying a 1 MiB string argument (guest-file-write style base64 data). */
    static byte[] bigString() {
        StringBuilder data = new StringBuilder(1 << 20);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random random = new Random(42);
        while (data.length() < (1 << 20) - 100) {
            data.append(alphabet.charAt(random.nextInt(64)));
        }
        String text = "{\"execute\": \"guest-file-write\", \"arguments\": {\"handle\": 1, \"buf-b64\": \""
                + data + "\"}}\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A 1 MiB reply of many small objects, shaped like query-qmp-schema's (names, types, members). */
    static byte[] bigStructure() {
        StringBuilder text = new StringBuilder((1 << 20) + 4096).append("{\"return\": [");
        for (int i = 0; text.length() < (1 << 20) - 200; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append("{\"name\": \"").append(i).append("\", \"meta-type\": \"object\", \"members\": [")
                    .append("{\"name\": \"node-name\", \"type\": \"str\"}, ")
                    .append("{\"name\": \"size\", \"default\": null, \"type\": \"int\"}, ")
                    .append("{\"name\": \"ratio\", \"type\": \"number\", \"value\": ").append(i * 0.25).append("}, ")
                    .append("{\"name\": \"enabled\", \"type\": \"bool\", \"value\": ").append(i % 2 == 0)
                    .append("}], \"features\": [\"deprecated\"]}");
        }
        text.append("]}\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] forName(String name) {
        return switch (name) {
            case "typical-stream" -> typicalStream(64 * 1024);
            case "one-command" -> (TYPICAL_COMMANDS.get(1) + "\n").getBytes(StandardCharsets.US_ASCII);
            case "string-1MiB" -> bigString();
            case "structure-1MiB" -> bigStructure();
            default -> throw new IllegalArgumentException("unknown input " + name);
        };
    }

    /** Parsed values for the encoder benchmarks. */
    static List<JsonValue> parsed(String name) {
        return switch (name) {
            case "typical-replies" -> TYPICAL_REPLIES.stream().map(Json::parse).toList();
            case "string-1MiB" -> List.of(Json.parse(bigString()));
            case "structure-1MiB" -> List.of(Json.parse(bigStructure()));
            default -> throw new IllegalArgumentException("unknown input " + name);
        };
    }
}
