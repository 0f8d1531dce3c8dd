package org.jqmp.machine.guest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the simulated guest behaves ({@code jqmp run -jqmp-guest}, {@code -jqmp-guest-disk}, {@code -device
 * i6300esb}, {@code -device pvpanic}).
 *
 * @param bootDelay       virtual time from power-on (or reset) until the operating system is ready
 * @param watchdog        the watchdog device the OS feeds ({@code i6300esb}, {@code ib700}); empty: none
 * @param watchdogTimeout how long after the OS stops feeding it the watchdog fires (virtual time)
 * @param workloads       the disk workloads the OS starts once it is ready
 * @param panicDevice     the device the OS reports a panic through ({@code pvpanic}, {@code pvpanic-pci}); empty:
 *                        none, and a panic goes unnoticed by the machine, as on QEMU without one
 */
public record GuestOptions(Duration bootDelay, Optional<String> watchdog, Duration watchdogTimeout,
                           List<DiskWorkload> workloads, Optional<String> panicDevice) {
    public static final Duration DEFAULT_BOOT_DELAY = Duration.ofMillis(300);
    public static final Duration DEFAULT_WATCHDOG_TIMEOUT = Duration.ofMillis(1000);
    public static final GuestOptions DEFAULT = new GuestOptions(DEFAULT_BOOT_DELAY, Optional.empty(),
            DEFAULT_WATCHDOG_TIMEOUT, List.of(), Optional.empty());

    public GuestOptions {
        Objects.requireNonNull(bootDelay, "bootDelay");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(watchdogTimeout, "watchdogTimeout");
        workloads = List.copyOf(workloads);
        Objects.requireNonNull(panicDevice, "panicDevice");
    }

    public GuestOptions withBootDelay(Duration value) {
        return new GuestOptions(value, watchdog, watchdogTimeout, workloads, panicDevice);
    }

    public GuestOptions withWatchdog(String model) {
        return new GuestOptions(bootDelay, Optional.of(model), watchdogTimeout, workloads, panicDevice);
    }

    public GuestOptions withWatchdogTimeout(Duration value) {
        return new GuestOptions(bootDelay, watchdog, value, workloads, panicDevice);
    }

    public GuestOptions withWorkloads(List<DiskWorkload> value) {
        return new GuestOptions(bootDelay, watchdog, watchdogTimeout, value, panicDevice);
    }

    public GuestOptions withPanicDevice(String model) {
        return new GuestOptions(bootDelay, watchdog, watchdogTimeout, workloads, Optional.of(model));
    }
}
