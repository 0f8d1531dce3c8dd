package org.jqmp.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a block differential scenario: QEMU 7.2 or jqmp, started in a directory of its own with the
 * scenario's arguments ({@code $DIR} standing for that directory) and a QMP Unix socket there, greeted, played,
 * and stopped whatever happens.
 */
final class ScenarioSide {
    private ScenarioSide() {
    }

    /** How a side is started: {@code Processes::qemu} or {@code Processes::jqmp}. */
    @FunctionalInterface
    interface Starter {
        Process start(Path dir, List<String> args) throws java.io.IOException;
    }

    /** What is done on the connection once greeted; {@code dir} is the side's directory, as {@code $DIR} means. */
    @FunctionalInterface
    interface Play {
        List<List<String>> on(QmpConnection qmp, String dir) throws Exception;
    }

    static List<List<String>> run(Starter starter, Path where, List<String> args, Play play) throws Exception {
        String d = where.toString();
        Path socket = where.resolve("qmp.sock");
        List<String> all = new ArrayList<>(args.stream().map(a -> a.replace("$DIR", d)).toList());
        all.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process process = starter.start(where, all);
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            return play.on(c, d);
        } finally {
            Processes.stop(process);
        }
    }
}
