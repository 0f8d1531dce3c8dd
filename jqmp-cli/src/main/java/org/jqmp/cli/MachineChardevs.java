package org.jqmp.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jqmp.api.ChardevInfo;
import org.jqmp.machine.chardev.ChardevYank;
import org.jqmp.monitor.ChardevState;
import org.jqmp.monitor.YankRegistry;
import org.jqmp.monitor.chardev.ChardevConfig;

/**
 * What {@code query-chardev} lists: every chardev of the command line, in command-line order. A monitor's
 * chardev is reported live by the server (QEMU's {@code disconnected:} form while no client is connected, the
 * peer on a connected TCP socket); another is reported as configured, its front end open when a serial port
 * uses it. The machine adds its own chardevs (null, file, ringbuf, pty) after these.
 */
final class MachineChardevs {
    private MachineChardevs() {
    }

    /** The machine's socket chardevs register with the monitor's yank registry, as QEMU's do. */
    static ChardevYank yank(YankRegistry registry) {
        return new ChardevYank() {
            @Override
            public void register(String id) {
                registry.register(YankRegistry.chardev(id));
            }

            @Override
            public void unregister(String id) {
                registry.unregister(YankRegistry.chardev(id));
            }

            @Override
            public void addAction(String id, Runnable breakConnection) {
                registry.addAction(YankRegistry.chardev(id), breakConnection);
            }

            @Override
            public void removeAction(String id, Runnable breakConnection) {
                registry.removeAction(YankRegistry.chardev(id), breakConnection);
            }
        };
    }

    static List<ChardevInfo> of(List<ChardevState> live, List<ChardevConfig> chardevs, List<String> frontends) {
        Map<String, ChardevState> byLabel = live.stream()
                .collect(Collectors.toMap(ChardevState::label, Function.identity(), (a, b) -> a));
        return chardevs.stream().map(c -> {
            ChardevState state = byLabel.get(c.id());
            return state != null
                    ? new ChardevInfo(state.label(), state.filename(), state.frontendOpen())
                    : new ChardevInfo(c.id(), c.filename(), frontends.contains(c.id()));
        }).toList();
    }
}
