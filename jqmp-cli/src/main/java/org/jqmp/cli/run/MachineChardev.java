package org.jqmp.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jqmp.machine.chardev.ChardevBackend;

/**
 * A chardev the machine opens (every backend but a QMP monitor's socket or stdio), with the command-line
 * option it came from, which an error when opening it names (QEMU prints {@code -chardev ...: Could not open}).
 *
 * @param humanMonitor a human monitor (HMP) sits on this chardev ({@code -monitor}, {@code -mon chardev=ID}, or on
 *                     a mux {@code -serial mon:...})
 */
public record MachineChardev(String location, ChardevBackend backend, Optional<String> serialArgument,
                             boolean humanMonitor, Optional<Log> log) {
    /** {@code logfile=PATH}, {@code logappend=on|off}: a copy of what the front end writes. */
    public record Log(Path file, boolean append) {
        public Log {
            Objects.requireNonNull(file, "file");
        }
    }

    public MachineChardev {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(serialArgument, "serialArgument");
        Objects.requireNonNull(log, "log");
    }

    public MachineChardev(String location, ChardevBackend backend, Optional<String> serialArgument,
                          boolean humanMonitor) {
        this(location, backend, serialArgument, humanMonitor, Optional.empty());
    }

    public MachineChardev(String location, ChardevBackend backend, Optional<String> serialArgument) {
        this(location, backend, serialArgument, false);
    }

    /** QEMU's lines when opening fails; a {@code -serial} chardev adds {@code serial_parse}'s own line. */
    public List<String> failure(String message) {
        List<String> lines = new ArrayList<>(List.of(location + ": " + message));
        serialArgument.ifPresent(a -> lines.add(location
                + ": could not connect serial device to character backend '" + a + "'"));
        return lines;
    }
}
