package org.jqmp.cli.run;

import java.util.Objects;
import java.util.Optional;
import org.jqmp.machine.guest.GuestOptions;

/**
 * The simulated guest a command line asks for.
 *
 * @param options        {@code -jqmp-guest}, {@code -jqmp-guest-disk} and a watchdog {@code -device}
 * @param consoleChardev the chardev of the first serial port, where the guest's console is; empty when the
 *                       machine has no serial port 0 ({@code -M none}, {@code -serial none}, no {@code -serial})
 */
public record GuestSetup(GuestOptions options, Optional<String> consoleChardev) {
    public GuestSetup {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(consoleChardev, "consoleChardev");
    }
}
