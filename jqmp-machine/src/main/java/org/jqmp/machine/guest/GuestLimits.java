package org.jqmp.machine.guest;

import java.time.Duration;

/**
 * Every bound on what reaches the guest from outside: console input (any peer of the serial chardev can type)
 * and the options of {@code -jqmp-guest} and the {@code disk} command. An error names the bound it hit.
 *
 * @param maxLineBytes     one console command line; a longer line is discarded with an error
 * @param maxPendingInput  console input held while the virtual CPUs are stopped (a UART would hold 16 bytes;
 *                         jqmp is kinder); the excess is dropped
 * @param maxRatePerSecond a disk workload's operations per second
 * @param maxRequestBytes  one disk request of a workload
 * @param maxDelay         the boot delay and the watchdog timeout
 */
public record GuestLimits(int maxLineBytes, int maxPendingInput, int maxRatePerSecond, int maxRequestBytes,
                          Duration maxDelay) {

    public static final GuestLimits DEFAULT = new GuestLimits(1024, 64 * 1024, 10_000, 1 << 20,
            Duration.ofHours(1));

    /** A disk request's size must be a positive multiple of 512 within the bound. */
    public int checkRequestSize(long size) {
        if (size <= 0 || size % 512 != 0 || size > maxRequestBytes) {
            throw new IllegalArgumentException("size must be a positive multiple of 512 bytes, at most "
                    + maxRequestBytes + " (limit maxRequestBytes): " + size);
        }
        return (int) size;
    }

    public int checkRate(long rate) {
        if (rate <= 0 || rate > maxRatePerSecond) {
            throw new IllegalArgumentException("rate must be between 1 and " + maxRatePerSecond
                    + " per second (limit maxRatePerSecond): " + rate);
        }
        return (int) rate;
    }

    public Duration checkDelay(String name, long millis) {
        if (millis < 0 || millis > maxDelay.toMillis()) {
            throw new IllegalArgumentException(name + " must be between 0 and " + maxDelay.toMillis()
                    + " ms (limit maxDelay): " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
