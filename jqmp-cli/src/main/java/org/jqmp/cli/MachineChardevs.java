package org.jqmp.cli;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jqmp.api.ChardevInfo;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.chardev.ChardevConfig;

/**
 * What {@code query-chardev} lists for now: the chardevs of the command line, those a monitor sits on with
 * their front end open (a monitor opens its chardev at once, as QEMU's does).
 *
 * <p>Known gap: QEMU reports a socket's live connection in {@code filename} ({@code disconnected:...} while no
 * peer is connected, the peer's address for TCP); the monitor does not expose its connections yet, so the
 * configured address is reported, which is QEMU's text for a Unix server with a client connected.
 */
final class MachineChardevs {
    private MachineChardevs() {
    }

    static List<ChardevInfo> of(List<ChardevConfig> chardevs, List<MonitorConfig> monitors) {
        Set<String> monitored = monitors.stream().map(MonitorConfig::chardevId).collect(Collectors.toSet());
        return chardevs.stream()
                .map(c -> new ChardevInfo(c.id(), c.filename(), monitored.contains(c.id())))
                .toList();
    }
}
