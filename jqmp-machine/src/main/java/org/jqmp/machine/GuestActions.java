package org.jqmp.machine;

import java.util.Objects;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;

/**
 * What the machine does on guest events ({@code -action}, {@code -no-shutdown}, {@code -no-reboot},
 * {@code -watchdog-action}, QMP {@code set-action}).
 *
 * @param shutdown when the guest (or a host request other than {@code quit}) shuts it down
 * @param reboot   when a reset is requested (by the guest, the watchdog or {@code system_reset})
 * @param panic    when the guest panics
 * @param watchdog when the guest's watchdog runs out
 */
public record GuestActions(ShutdownAction shutdown, RebootAction reboot, PanicAction panic,
                           WatchdogAction watchdog) {

    /** QEMU 7.2's defaults ({@code softmmu/runstate-action.c}). */
    public static final GuestActions DEFAULT = new GuestActions(ShutdownAction.POWEROFF, RebootAction.RESET,
            PanicAction.SHUTDOWN, WatchdogAction.RESET);

    public GuestActions {
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(reboot, "reboot");
        Objects.requireNonNull(panic, "panic");
        Objects.requireNonNull(watchdog, "watchdog");
    }

    public GuestActions withShutdown(ShutdownAction value) {
        return new GuestActions(value, reboot, panic, watchdog);
    }

    public GuestActions withReboot(RebootAction value) {
        return new GuestActions(shutdown, value, panic, watchdog);
    }

    public GuestActions withPanic(PanicAction value) {
        return new GuestActions(shutdown, reboot, value, watchdog);
    }

    public GuestActions withWatchdog(WatchdogAction value) {
        return new GuestActions(shutdown, reboot, panic, value);
    }
}
