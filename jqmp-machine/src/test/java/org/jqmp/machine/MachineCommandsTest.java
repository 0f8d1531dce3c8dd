package org.jqmp.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.Test;

/**
 * The machine's commands through their generated marshallers, answers compared with QEMU 7.2's as recorded
 * ({@code shared/fixtures/qemu-7.2/}) or observed with {@code -nodefaults -S}, in QEMU's member order.
 */
class MachineCommandsTest {
    record Context(CompatPolicy compatPolicy, boolean outOfBand) implements CommandContext {
    }

    private static final Context CONTEXT = new Context(CompatPolicy.ACCEPT_ALL, false);

    private static String run(CommandTable table, String command) {
        CommandDefinition definition = table.lookup(command);
        assertThat(definition).as(command).isNotNull();
        JsonValue result = definition.handler().execute(JsonObject.builder().build(), CONTEXT);
        return result == null ? "{}" : JsonEncoder.encode(result, false);
    }

    private static CommandTable table(MachineConfig config) {
        return Machine.builder(config).kvmPresent(true)
                .chardevs(() -> List.of(new ChardevInfo("compat_monitor0", "unix:/x/p.sock,server=on", true)))
                .build().commands();
    }

    @Test
    void registersTheMachinesCommandsOnly() {
        assertThat(table(MachineConfig.of(MachineType.NONE)).all()).extracting(CommandDefinition::name)
                .containsExactlyInAnyOrder("query-status", "set-action", "watchdog-set-action", "query-uuid",
                        "system_reset", "system_powerdown", "system_wakeup", "query-kvm", "query-machines",
                        "query-target", "query-name", "stop", "cont", "query-mice", "query-chardev",
                        "query-migrate", "human-monitor-command", "ringbuf-write", "ringbuf-read",
                        "chardev-remove", "chardev-add", "chardev-change", "add_client");
    }

    @Test
    void bareMachineAnswersAsQemu() {
        CommandTable t = table(MachineConfig.of(MachineType.NONE).withStartPaused(true));
        assertThat(run(t, "query-status")).isEqualTo("{\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}");
        assertThat(run(t, "query-name")).isEqualTo("{}");
        assertThat(run(t, "query-uuid")).isEqualTo("{\"UUID\": \"00000000-0000-0000-0000-000000000000\"}");
        assertThat(run(t, "query-kvm")).isEqualTo("{\"enabled\": false, \"present\": true}");
        assertThat(run(t, "query-mice")).isEqualTo("[]");
        assertThat(run(t, "query-migrate")).isEqualTo("{}");
        assertThat(run(t, "query-target")).isEqualTo("{\"arch\": \"x86_64\"}");
        assertThat(run(t, "query-chardev")).isEqualTo(
                "[{\"frontend-open\": true, \"filename\": \"unix:/x/p.sock,server=on\", \"label\": \"compat_monitor0\"}]");
        assertThat(run(t, "cont")).isEqualTo("{}");
        assertThat(run(t, "query-status")).isEqualTo("{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
    }

    @Test
    void pcMachineAsInTheDevicesFixture() {
        MachineConfig config = new MachineConfig(MachineType.PC, true, Optional.of("demo"),
                Optional.of(UUID.fromString("12345678-1234-1234-1234-123456789ABC")), GuestActions.DEFAULT);
        CommandTable t = table(config);
        assertThat(run(t, "query-name")).isEqualTo("{\"name\": \"demo\"}");
        assertThat(run(t, "query-uuid")).isEqualTo("{\"UUID\": \"12345678-1234-1234-1234-123456789abc\"}");
        assertThat(run(t, "query-mice")).isEqualTo(
                "[{\"index\": 2, \"name\": \"QEMU PS/2 Mouse\", \"current\": true, \"absolute\": false}]");
    }

    @Test
    void machinesAsQemuListsThem() {
        assertThat(run(table(MachineConfig.of(MachineType.PC)), "query-machines")).isEqualTo("["
                + "{\"hotpluggable-cpus\": false, \"name\": \"none\", \"numa-mem-supported\": false, \"cpu-max\": 1,"
                + " \"deprecated\": false, \"default-ram-id\": \"ram\"}, "
                + "{\"hotpluggable-cpus\": true, \"name\": \"pc-i440fx-7.2\", \"numa-mem-supported\": false,"
                + " \"default-cpu-type\": \"qemu64-x86_64-cpu\", \"is-default\": true, \"cpu-max\": 255,"
                + " \"deprecated\": false, \"default-ram-id\": \"pc.ram\", \"alias\": \"pc\"}]");
    }

    @Test
    void refusalsAreErrorReplies() {
        CommandTable t = table(MachineConfig.of(MachineType.NONE));
        assertThatThrownBy(() -> run(t, "system_wakeup")).isInstanceOf(QmpException.class)
                .hasMessage("wake-up from suspend is not supported by this guest");
    }
}
