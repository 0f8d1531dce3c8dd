package org.jqmp.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.RunState;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.machine.chardev.ChardevBackend;
import org.junit.jupiter.api.Test;

/** {@code human-monitor-command} through its marshaller; every text as QEMU 7.2's HMP printed it (observed). */
class HumanMonitorTest {
    record Context(CompatPolicy compatPolicy, boolean outOfBand) implements CommandContext {
    }

    private final List<String> events = new java.util.ArrayList<>();

    private Machine machine(MachineConfig config) {
        Machine machine = Machine.builder(config).kvmPresent(true).version("7.2.0jqmp test").events((name, data, features) -> events.add(name))
                .chardevs(() -> List.of(new ChardevInfo("compat_monitor0", "unix:/x/q.sock,server=on", true)))
                .build();
        machine.start();
        return machine;
    }

    private static String hmp(Machine machine, String line, Long cpu) {
        CommandTable table = machine.commands();
        JsonObject.Builder arguments = JsonObject.builder().put("command-line", line);
        if (cpu != null) {
            arguments.put("cpu-index", cpu);
        }
        JsonValue result = table.lookup("human-monitor-command").handler()
                .execute(arguments.build(), new Context(CompatPolicy.ACCEPT_ALL, false));
        return ((JsonString) result).value();
    }

    private static String hmp(Machine machine, String line) {
        return hmp(machine, line, null);
    }

    @Test
    void infoCommandsOfAPcMachine() {
        Machine m = machine(new MachineConfig(MachineType.PC, true, Optional.of("demo"), Optional.empty(),
                GuestActions.DEFAULT));
        m.ownChardevs().open(new ChardevBackend.Ringbuf("r0", 64, "ringbuf"));
        assertThat(hmp(m, "info status")).isEqualTo("VM status: paused (prelaunch)\r\n");
        assertThat(hmp(m, "info name")).isEqualTo("demo\r\n");
        assertThat(hmp(m, "info uuid")).isEqualTo("00000000-0000-0000-0000-000000000000\r\n");
        assertThat(hmp(m, "info kvm")).isEqualTo("kvm support: disabled\r\n");
        assertThat(hmp(m, "info mice")).isEqualTo("* Mouse #2: QEMU PS/2 Mouse\r\n");
        assertThat(hmp(m, "info version")).isEqualTo("7.2.0jqmp test\r\n");
        assertThat(hmp(m, "info chardev")).isEqualTo(
                "compat_monitor0: filename=unix:/x/q.sock,server=on\r\nr0: filename=ringbuf\r\n");
        assertThat(hmp(m, "info status", 0L)).isEqualTo("VM status: paused (prelaunch)\r\n");
    }

    @Test
    void runStateCommandsChangeTheMachineAndPrintNothing() {
        Machine m = machine(MachineConfig.of(MachineType.PC).withStartPaused(true));
        assertThat(hmp(m, "cont")).isEmpty();
        assertThat(hmp(m, "  info   status  ")).isEqualTo("VM status: running\r\n");
        assertThat(hmp(m, "s")).isEmpty();
        assertThat(m.runState()).isEqualTo(RunState.PAUSED);
        assertThat(hmp(m, "info status")).isEqualTo("VM status: paused\r\n");
        assertThat(hmp(m, "c")).isEmpty();
        assertThat(hmp(m, "system_reset")).isEmpty();
        assertThat(hmp(m, "system_powerdown")).isEmpty();
        assertThat(events).containsExactly("RESUME", "STOP", "RESUME", "RESET", "POWERDOWN");
    }

    @Test
    void bareMachineAndMistakes() {
        Machine m = machine(MachineConfig.of(MachineType.NONE));
        assertThat(hmp(m, "info name")).isEmpty();
        assertThat(hmp(m, "info mice")).isEqualTo("No mouse devices connected\r\n");
        assertThat(hmp(m, "")).isEmpty();
        assertThat(hmp(m, "bogus")).isEqualTo("unknown command: 'bogus'\r\n");
        assertThat(hmp(m, "info bogus")).isEqualTo("unknown command: 'info bogus'\r\n");
        assertThat(hmp(m, "stop x")).isEqualTo(
                "stop|s: extraneous characters at the end of line\r\nTry \"help stop\" for more information\r\n");
        assertThat(hmp(m, "info status x")).isEqualTo(
                "status: extraneous characters at the end of line\r\nTry \"help info status\" for more information\r\n");
        assertThat(hmp(m, "help stop")).isEqualTo("stop|s  -- stop emulation\r\n");
        assertThat(hmp(m, "help info status")).isEqualTo(
                "info status  -- show the current VM status (running|paused)\r\n");
        assertThat(hmp(m, "help bogus")).isEqualTo("unknown command: 'bogus'\r\n");
        assertThatThrownBy(() -> hmp(m, "info status", 0L))
                .hasMessage("Parameter 'cpu-index' expects a CPU number");
    }
}
