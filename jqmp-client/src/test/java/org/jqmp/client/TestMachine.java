package org.jqmp.client;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jqmp.api.MiscCommands;
import org.jqmp.api.NameInfo;
import org.jqmp.api.PanicAction;
import org.jqmp.api.QmpCommandTable;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.RunStateCommands;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.StatusInfo;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.monitor.EventEmitter;

/**
 * Just enough of a machine for client tests, behind jqmp's generated marshallers: a run state that stop and
 * cont change (with STOP/RESUME events), query-status, query-name; and two test commands: {@code x-sleep}
 * (replies after {@code ms} milliseconds) and {@code x-big} (a reply of {@code bytes} characters).
 */
final class TestMachine implements RunStateCommands, MiscCommands {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile EventEmitter events;

    void attach(EventEmitter emitter) {
        this.events = emitter;
    }

    CommandTable table() {
        CommandTable.Builder table = CommandTable.builder();
        QmpCommandTable.registerRunState(table, this);
        CommandTable misc = QmpCommandTable.registerMisc(CommandTable.builder(), this).build();
        table.register(misc.lookup("stop")).register(misc.lookup("cont")).register(misc.lookup("query-name"));
        table.register(CommandDefinition.of("x-sleep", (args, ctx) -> {
            sleep(((JsonInt) args.get("ms")).value());
            return JsonObject.builder().put("slept", args.get("ms")).build();
        }));
        table.register(CommandDefinition.of("x-big", (args, ctx) ->
                new JsonString("x".repeat((int) ((JsonInt) args.get("bytes")).value()))));
        return table.build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public StatusInfo queryStatus(CommandContext context) {
        return new StatusInfo(running.get(), false, running.get() ? RunState.RUNNING : RunState.PAUSED);
    }

    @Override
    public void stop(CommandContext context) {
        if (running.getAndSet(false)) {
            events.emit("STOP", null);
        }
    }

    @Override
    public void cont(CommandContext context) {
        if (!running.getAndSet(true)) {
            events.emit("RESUME", null);
        }
    }

    @Override
    public NameInfo queryName(CommandContext context) {
        return new NameInfo("test-vm");
    }

    @Override
    public void watchdogSetAction(WatchdogAction action, CommandContext context) {
        throw new QmpException(ErrorClass.GenericError, "not in this test machine");
    }

    @Override
    public void setAction(RebootAction reboot, ShutdownAction shutdown, PanicAction panic, WatchdogAction watchdog,
                          CommandContext context) {
        throw new QmpException(ErrorClass.GenericError, "not in this test machine");
    }

    @Override
    public void addClient(String protocol, String fdname, Boolean skipauth, Boolean tls, CommandContext context) {
        throw new QmpException(ErrorClass.GenericError, "not in this test machine");
    }

    @Override
    public void getfd(String fdname, CommandContext context) {
        throw new UnsupportedOperationException("the monitor serves getfd");
    }

    @Override
    public void closefd(String fdname, CommandContext context) {
        throw new UnsupportedOperationException("the monitor serves closefd");
    }

    @Override
    public String humanMonitorCommand(String commandLine, Long cpuIndex, CommandContext context) {
        return "";
    }
}
