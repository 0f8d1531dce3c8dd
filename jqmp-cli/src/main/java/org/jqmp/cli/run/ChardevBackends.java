package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;

/**
 * Turns parsed {@code -chardev} options into {@link ChardevConfig}s in command-line order, with QEMU 7.2's
 * checks in its order ({@code qemu_chr_new_from_opts}, {@code qemu_chr_parse_opts} in {@code chardev/char.c}).
 *
 * <p>Only the backends a QMP monitor sits on exist so far (socket, stdio). The other backends QEMU 7.2 knows
 * are refused with a clear message rather than ignored: a user who asks for a file log or a pty would
 * otherwise get nothing without knowing it. The machine issue adds them here, one case each.
 */
final class ChardevBackends {

    /** The backends of Debian's QEMU 7.2 ({@code -chardev help}, observed) that jqmp does not have yet. */
    static final Set<String> NOT_YET = Set.of("ringbuf", "memory", "mux", "pipe", "qemu-vdagent", "null",
            "msmouse", "vc", "parallel", "udp", "file", "serial", "wctablet", "pty", "testdev");

    private ChardevBackends() {
    }

    /** Creates every chardev; the first refused one ends the run, as QEMU's {@code &error_fatal} does. */
    static List<ChardevConfig> createAll(List<QemuOpts> chardevs, boolean daemonize, List<String> ignored) {
        List<ChardevConfig> created = new ArrayList<>();
        for (QemuOpts opts : chardevs) {
            ChardevConfig chardev = create(opts, ignored);
            if (chardev instanceof StdioChardevConfig && daemonize) {
                // qemu_chr_open_stdio: a daemon has no terminal to talk to
                throw CommandLineException.at(opts.location(), "cannot use stdio with -daemonize");
            }
            if (chardev instanceof StdioChardevConfig && created.stream().anyMatch(c -> c instanceof StdioChardevConfig)) {
                throw CommandLineException.at(opts.location(), "cannot use stdio by multiple character devices");
            }
            created.add(chardev);
        }
        return created;
    }

    static ChardevConfig create(QemuOpts opts, List<String> ignored) {
        String location = opts.location();
        String id = opts.id().orElseThrow(() -> CommandLineException.at(location, "chardev: no id specified"));
        String backend = aliasOf(opts.last("backend").orElseThrow(() ->
                CommandLineException.at(location, "chardev: \"" + id + "\" missing backend")));
        if (!backend.equals("socket") && !backend.equals("stdio") && !NOT_YET.contains(backend)) {
            throw CommandLineException.at(location, "'" + backend + "' is not a valid char driver name");
        }
        if (NOT_YET.contains(backend)) {
            throw CommandLineException.at(location, "chardev backend '" + backend
                    + "' is not supported by jqmp yet (supported: socket, stdio)");
        }
        refuseCommonOptions(opts);
        return switch (backend) {
            case "socket" -> SocketBackend.create(id, opts, ignored);
            case "stdio" -> new StdioChardevConfig(id, opts.bool("signal", true));
            default -> throw new IllegalStateException(backend);
        };
    }

    /** {@code chardev_alias_translate}. */
    private static String aliasOf(String backend) {
        return switch (backend) {
            case "parport" -> "parallel";
            case "tty" -> "serial";
            default -> backend;
        };
    }

    /** Options every backend takes ({@code qemu_chr_parse_common}) that jqmp cannot honour yet. */
    private static void refuseCommonOptions(QemuOpts opts) {
        if (opts.bool("mux", false)) {
            throw CommandLineException.at(opts.location(), "chardev option 'mux' is not supported by jqmp yet");
        }
        if (opts.has("logfile")) {
            throw CommandLineException.at(opts.location(), "chardev option 'logfile' is not supported by jqmp yet");
        }
    }
}
