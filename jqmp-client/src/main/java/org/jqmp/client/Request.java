package org.jqmp.client;

import java.io.FileDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jqmp.json.JsonObject;

/**
 * One command to send: its name and arguments; {@code oob} sends it with {@code exec-oob} (needs OOB
 * negotiated and a command with {@code allow-oob}); {@code fds} travel with the command's bytes as
 * SCM_RIGHTS (Unix sockets only; for {@code getfd}/{@code add-fd}); {@code timeout} overrides the client's
 * default (null: the default). The client adds the {@code id}.
 */
public record Request(String command, JsonObject arguments, boolean oob, List<FileDescriptor> fds,
                      Duration timeout) {
    public Request {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(arguments, "arguments");
        fds = List.copyOf(fds);
    }

    public static Request of(String command) {
        return new Request(command, JsonObject.EMPTY, false, List.of(), null);
    }

    public static Request of(String command, JsonObject arguments) {
        return new Request(command, arguments, false, List.of(), null);
    }

    public Request withArguments(JsonObject value) {
        return new Request(command, value, oob, fds, timeout);
    }

    /** Out-of-band: overtakes in-band commands on the server (qmp-spec "Out-of-band execution"). */
    public Request outOfBand() {
        return new Request(command, arguments, true, fds, timeout);
    }

    public Request withFds(FileDescriptor... value) {
        return new Request(command, arguments, oob, List.of(value), timeout);
    }

    public Request withTimeout(Duration value) {
        return new Request(command, arguments, oob, fds, value);
    }
}
