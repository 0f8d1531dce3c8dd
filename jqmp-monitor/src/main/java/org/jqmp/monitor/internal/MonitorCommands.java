package org.jqmp.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.CommandInfo;
import org.jqmp.api.ControlCommands;
import org.jqmp.api.MiscCommands;
import org.jqmp.api.NameInfo;
import org.jqmp.api.QMPCapability;
import org.jqmp.api.QmpCommandTable;
import org.jqmp.api.RunStateEvents;
import org.jqmp.api.ShutdownCause;
import org.jqmp.api.VersionInfo;
import org.jqmp.api.YankCommands;
import org.jqmp.api.YankInstance;
import org.jqmp.api.VersionTriple;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.monitor.EventEmitter;
import org.jqmp.monitor.YankRegistry;

/**
 * The monitor's own commands - control.json's, yank.json's, and misc.json's getfd/closefd - behind the
 * schema-generated marshallers, which check the arguments before any of these methods runs.
 */
public final class MonitorCommands implements ControlCommands, YankCommands {
    private final YankRegistry yank;
    private final Runnable quit;
    private final RunStateEvents runStateEvents;

    /**
     * @param quit what {@code quit} does once its reply is out (stop the server, exit the process)
     */
    public MonitorCommands(YankRegistry yank, EventEmitter events, CompatPolicy policy, Runnable quit) {
        this.yank = yank;
        this.quit = quit;
        this.runStateEvents = new RunStateEvents(events, policy);
    }

    /** control, yank, getfd/closefd and query-qmp-schema, each behind its generated marshaller. */
    public CommandTable table() {
        CommandTable.Builder table = CommandTable.builder();
        QmpCommandTable.registerControl(table, this);
        QmpCommandTable.registerYank(table, this);
        // of misc.json the monitor owns only the fd commands; the machine registers the rest
        CommandTable misc = QmpCommandTable.registerMisc(CommandTable.builder(), new FdCommands()).build();
        table.register(misc.lookup("getfd")).register(misc.lookup("closefd"));
        QmpCommandTable.registerIntrospection(table);
        return table.build();
    }

    private static MonitorSession session(CommandContext context) {
        return (MonitorSession) context;
    }

    @Override
    public void qmpCapabilities(List<QMPCapability> enable, CommandContext context) {
        MonitorSession session = session(context);
        if (!session.negotiating()) {
            throw new QmpException(ErrorClass.CommandNotFound,
                    "Capabilities negotiation is already complete, command ignored");
        }
        // jqmp offers every capability it knows (oob), so none can be refused as "not available"
        session.negotiated(enable != null && enable.contains(QMPCapability.OOB));
    }

    @Override
    public VersionInfo queryVersion(CommandContext context) {
        org.jqmp.monitor.VersionInfo v = session(context).monitor().version();
        return new VersionInfo(new VersionTriple(v.major(), v.minor(), v.micro()), v.packageName());
    }

    /** The commands of the session's current table (all enabled: jqmp disables none). */
    @Override
    public List<CommandInfo> queryCommands(CommandContext context) {
        List<CommandInfo> names = new ArrayList<>();
        for (CommandDefinition command : session(context).monitor().dispatcher().commands().all()) {
            names.add(new CommandInfo(command.name()));
        }
        return names;
    }

    /** Observed on QEMU 7.2: SHUTDOWN (host-qmp-quit) comes before quit's reply; then the process exits. */
    @Override
    public void quit(CommandContext context) {
        runStateEvents.shutdown(false, ShutdownCause.HOST_QMP_QUIT);
        session(context).afterReply(quit);
    }

    @Override
    public void yank(List<YankInstance> instances, CommandContext context) {
        yank.yank(instances);
    }

    @Override
    public List<YankInstance> queryYank(CommandContext context) {
        return yank.list();
    }

    /** getfd and closefd of misc.json; the machine's misc commands are never registered from here. */
    private static final class FdCommands implements MiscCommands {
        @Override
        public void getfd(String fdname, CommandContext context) {
            session(context).fds().getfd(fdname);
        }

        @Override
        public void closefd(String fdname, CommandContext context) {
            session(context).fds().closefd(fdname);
        }

        @Override
        public void addClient(String protocol, String fdname, Boolean skipauth, Boolean tls,
                              CommandContext context) {
            throw notHere("add_client");
        }

        @Override
        public NameInfo queryName(CommandContext context) {
            throw notHere("query-name");
        }

        @Override
        public void stop(CommandContext context) {
            throw notHere("stop");
        }

        @Override
        public void cont(CommandContext context) {
            throw notHere("cont");
        }

        @Override
        public String humanMonitorCommand(String commandLine, Long cpuIndex, CommandContext context) {
            throw notHere("human-monitor-command");
        }

        private static IllegalStateException notHere(String command) {
            return new IllegalStateException(command + " belongs to the machine, not the monitor");
        }
    }
}
