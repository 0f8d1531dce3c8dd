package org.jqmp.machine.internal;

import java.util.List;
import java.util.UUID;
import org.jqmp.api.CharCommands;
import org.jqmp.api.ChardevBackend;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.ChardevReturn;
import org.jqmp.api.DataFormat;
import org.jqmp.api.KvmInfo;
import org.jqmp.api.MachineCommands;
import org.jqmp.api.MachineInfo;
import org.jqmp.api.MigrationCommands;
import org.jqmp.api.MigrationInfo;
import org.jqmp.api.MiscCommands;
import org.jqmp.api.MouseInfo;
import org.jqmp.api.NameInfo;
import org.jqmp.api.PanicAction;
import org.jqmp.api.QmpCommandTable;
import org.jqmp.api.RebootAction;
import org.jqmp.api.RunState;
import org.jqmp.api.RunStateCommands;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.StatusInfo;
import org.jqmp.api.SysEmuTarget;
import org.jqmp.api.TargetInfo;
import org.jqmp.api.UiCommands;
import org.jqmp.api.UuidInfo;
import org.jqmp.api.WatchdogAction;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineType;

/**
 * The machine's commands: every handler interface generated from run-state.json, machine.json, ui.json,
 * char.json and migration.json, and of misc.json {@code stop}, {@code cont} and {@code query-name} (the monitor
 * owns {@code getfd}/{@code closefd}; {@code add_client} comes with the chardevs).
 */
public final class MachineHandlers implements RunStateCommands, MachineCommands, MiscCommands, UiCommands,
        CharCommands, MigrationCommands {
    /** What {@code query-uuid} reports when no {@code -uuid} was given. */
    private static final UUID NIL = new UUID(0, 0);
    private static final List<String> MISC_COMMANDS = List.of("query-name", "stop", "cont", "human-monitor-command",
            "add_client");

    private final Machine machine;
    private final HumanMonitor humanMonitor;

    public MachineHandlers(Machine machine) {
        this.machine = machine;
        this.humanMonitor = new HumanMonitor(machine);
    }

    public CommandTable table() {
        CommandTable.Builder table = CommandTable.builder();
        QmpCommandTable.registerRunState(table, this);
        QmpCommandTable.registerMachine(table, this);
        QmpCommandTable.registerUi(table, this);
        QmpCommandTable.registerChar(table, this);
        QmpCommandTable.registerMigration(table, this);
        CommandTable misc = QmpCommandTable.registerMisc(CommandTable.builder(), this).build();
        MISC_COMMANDS.forEach(name -> table.register(misc.lookup(name)));
        return table.build();
    }

    // run-state.json

    @Override
    public StatusInfo queryStatus(CommandContext context) {
        RunState state = machine.runState();
        return new StatusInfo(state == RunState.RUNNING, false, state);
    }

    @Override
    public void watchdogSetAction(WatchdogAction action, CommandContext context) {
        machine.setActions(null, null, null, action);
    }

    @Override
    public void setAction(RebootAction reboot, ShutdownAction shutdown, PanicAction panic, WatchdogAction watchdog,
                          CommandContext context) {
        machine.setActions(reboot, shutdown, panic, watchdog);
    }

    // machine.json

    @Override
    public UuidInfo queryUuid(CommandContext context) {
        return new UuidInfo(machine.config().uuid().orElse(NIL).toString());
    }

    @Override
    public void systemReset(CommandContext context) {
        machine.systemReset();
    }

    @Override
    public void systemPowerdown(CommandContext context) {
        machine.systemPowerdown();
    }

    /** jqmp emulates nothing, so KVM is never in use; {@code present} tells what the host offers. */
    @Override
    public KvmInfo queryKvm(CommandContext context) {
        return new KvmInfo(false, machine.kvmPresent());
    }

    @Override
    public List<MachineInfo> queryMachines(CommandContext context) {
        return MachineType.all();
    }

    @Override
    public TargetInfo queryTarget(CommandContext context) {
        return new TargetInfo(SysEmuTarget.X86_64);
    }

    @Override
    public void systemWakeup(CommandContext context) {
        machine.systemWakeup();
    }

    // misc.json

    @Override
    public NameInfo queryName(CommandContext context) {
        return new NameInfo(machine.config().name().orElse(null));
    }

    @Override
    public void stop(CommandContext context) {
        machine.stop();
    }

    @Override
    public void cont(CommandContext context) {
        machine.cont();
    }

    @Override
    public String humanMonitorCommand(String commandLine, Long cpuIndex, CommandContext context) {
        return humanMonitor.run(commandLine, cpuIndex);
    }

    /** QEMU's {@code skipauth} and {@code tls} only matter to VNC and SPICE, which jqmp does not have. */
    @Override
    public void addClient(String protocol, String fdname, Boolean skipauth, Boolean tls, CommandContext context) {
        machine.ownChardevs().addClient(protocol, fdname, context::takeFd);
    }

    @Override
    public void getfd(String fdname, CommandContext context) {
        throw notHere("getfd");
    }

    @Override
    public void closefd(String fdname, CommandContext context) {
        throw notHere("closefd");
    }

    // ui.json, char.json, migration.json

    @Override
    public List<MouseInfo> queryMice(CommandContext context) {
        return machine.config().type().mice();
    }

    @Override
    public List<ChardevInfo> queryChardev(CommandContext context) {
        return machine.chardevs();
    }

    @Override
    public void ringbufWrite(String device, String data, DataFormat format, CommandContext context) {
        machine.ownChardevs().ringbufWrite(device, data, format);
    }

    @Override
    public String ringbufRead(String device, long size, DataFormat format, CommandContext context) {
        return machine.ownChardevs().ringbufRead(device, size, format);
    }

    @Override
    public ChardevReturn chardevAdd(String id, ChardevBackend backend, CommandContext context) {
        return machine.ownChardevs().add(id, backend, context::takeFd);
    }

    @Override
    public ChardevReturn chardevChange(String id, ChardevBackend backend, CommandContext context) {
        return machine.ownChardevs().change(id, backend, context::takeFd);
    }

    @Override
    public void chardevRemove(String id, CommandContext context) {
        machine.ownChardevs().remove(id);
    }

    /** No migration has ever run: QEMU then reports an empty object. */
    @Override
    public MigrationInfo queryMigrate(CommandContext context) {
        return new MigrationInfo(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    private static IllegalStateException notHere(String command) {
        return new IllegalStateException(command + " is not registered by the machine");
    }
}
