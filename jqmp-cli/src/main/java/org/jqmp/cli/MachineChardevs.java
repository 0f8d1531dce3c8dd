package org.jqmp.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jqmp.api.ChardevInfo;
import java.util.Set;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.cli.run.MachineChardev;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.machine.Machine;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.machine.chardev.ChardevYank;
import org.jqmp.machine.chardev.Chardevs;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.QmpServer;
import org.jqmp.monitor.VersionInfo;
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

    /**
     * After the machine's chardevs are open: the human monitors on muxes attach first, then the serial ports
     * (so a serial port has the focus, as in QEMU 7.2), then every mux is open ({@code muxes_opened}).
     */
    static void attachFrontends(Machine machine, List<MachineChardev> chardevs, List<String> serialFrontends,
                                List<MonitorConfig> monitors, QmpServer server) {
        Chardevs own = machine.ownChardevs();
        Set<String> muxes = chardevs.stream().filter(c -> c.backend() instanceof ChardevBackend.Mux)
                .map(c -> c.backend().id()).collect(Collectors.toSet());
        monitors.stream().filter(m -> muxes.contains(m.chardevId())).forEach(m -> own.attachQmp(m.chardevId(),
                (in, out) -> server.serve(in, out, m.pretty())));
        VersionInfo v = VersionInfo.DEFAULT;
        String version = v.major() + "." + v.minor() + "." + v.micro();
        CommandDefinition hmp = machine.commands().lookup("human-monitor-command");
        chardevs.stream().filter(MachineChardev::humanMonitor)
                .forEach(c -> own.attachHumanMonitor(c.backend().id(), line -> humanMonitorLine(hmp, line,
                        server.machineLock()), version));
        Set<String> machineSide = chardevs.stream().map(c -> c.backend().id()).collect(Collectors.toSet());
        serialFrontends.stream().filter(machineSide::contains).forEach(own::attachFrontend);
        own.muxesOpened();
    }

    /** The QMP monitors the server opens itself: those on a machine mux are served through the mux. */
    static List<MonitorConfig> serverMonitors(List<MonitorConfig> monitors, List<MachineChardev> chardevs) {
        Set<String> machineSide = chardevs.stream().map(c -> c.backend().id()).collect(Collectors.toSet());
        return monitors.stream().filter(m -> !machineSide.contains(m.chardevId())).toList();
    }

    /** One HMP line through {@code human-monitor-command}, as a human monitor on a chardev runs it. */
    private static String humanMonitorLine(CommandDefinition hmp, String line,
                                           java.util.concurrent.locks.Lock machineLock) {
        CommandContext context = CommandContext.outsideSession(CompatPolicy.ACCEPT_ALL);
        machineLock.lock(); // as the QMP dispatcher holds it for every command (QEMU's BQL)
        try {
            JsonValue output = hmp.handler().execute(JsonObject.builder().put("command-line", line).build(), context);
            return output instanceof JsonString text ? text.value() : "";
        } catch (QmpException e) {
            return e.getMessage() + "\r\n";
        } finally {
            machineLock.unlock();
        }
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
