package org.jqmp.machine;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How a machine is built, from the command line.
 *
 * @param type        {@code -M}
 * @param startPaused {@code -S}: stay in {@code prelaunch} until {@code cont}; otherwise the machine starts at once
 * @param name        {@code -name}; empty when not given
 * @param uuid        {@code -uuid}; empty when not given (QEMU then reports the nil UUID)
 * @param actions     the guest-event actions the command line chose
 */
public record MachineConfig(MachineType type, boolean startPaused, Optional<String> name, Optional<UUID> uuid,
                            GuestActions actions) {
    public MachineConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(actions, "actions");
    }

    /** A machine of this type with QEMU's defaults: starts at once, no name, no UUID, default actions. */
    public static MachineConfig of(MachineType type) {
        return new MachineConfig(type, false, Optional.empty(), Optional.empty(), GuestActions.DEFAULT);
    }

    public MachineConfig withStartPaused(boolean value) {
        return new MachineConfig(type, value, name, uuid, actions);
    }

    public MachineConfig withActions(GuestActions value) {
        return new MachineConfig(type, startPaused, name, uuid, value);
    }
}
