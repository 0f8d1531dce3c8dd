package org.jqmp.machine.guest;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the guest does with one disk after it has booted: nothing, or reads and/or writes of {@code size} bytes at
 * {@code ratePerSecond} operations per second (of the guest's virtual time: none while the VM is stopped).
 * Requests walk the disk sequentially and wrap at its end. Writes overwrite the disk with a test pattern and are
 * followed by a flush every {@link #FLUSH_EVERY} writes.
 *
 * @param device        the disk's device name
 * @param profile       what kind of requests
 * @param ratePerSecond requests per second
 * @param size          bytes per request, a multiple of 512
 */
public record DiskWorkload(String device, Profile profile, int ratePerSecond, int size) {
    public static final int DEFAULT_RATE = 10;
    public static final int DEFAULT_SIZE = 4096;
    public static final int FLUSH_EVERY = 16;

    /** The kinds of workload. */
    public enum Profile {
        /** Reads only. */
        READ,
        /** Writes only (and flushes). */
        WRITE,
        /** Reads and writes, alternating. */
        MIXED,
        /** Nothing. */
        IDLE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Profile parse(String word) {
            for (Profile p : values()) {
                if (p.word().equals(word)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown profile '" + word + "' (read, write, mixed or idle)");
        }
    }

    public DiskWorkload {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(profile, "profile");
        GuestLimits.DEFAULT.checkRate(ratePerSecond);
        GuestLimits.DEFAULT.checkRequestSize(size);
    }

    /**
     * The console's and the command line's form: {@code DEV PROFILE [rate=N[/s]] [size=BYTES[k|M]]}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static DiskWorkload parse(List<String> words, GuestLimits limits) {
        if (words.size() < 2) {
            throw new IllegalArgumentException("usage: disk DEV read|write|mixed|idle [rate=N/s] [size=BYTES]");
        }
        Profile profile = Profile.parse(words.get(1));
        int rate = DEFAULT_RATE;
        int size = DEFAULT_SIZE;
        for (String word : words.subList(2, words.size())) {
            if (word.startsWith("rate=")) {
                String value = word.substring(5);
                rate = limits.checkRate(number("rate", value.endsWith("/s") ? value.substring(0, value.length() - 2)
                        : value));
            } else if (word.startsWith("size=")) {
                size = limits.checkRequestSize(bytes(word.substring(5)));
            } else {
                throw new IllegalArgumentException("unknown parameter '" + word + "' (rate=N/s, size=BYTES)");
            }
        }
        return new DiskWorkload(words.getFirst(), profile, rate, size);
    }

    /** A size with an optional k/K or m/M suffix (binary units, as QEMU's sizes). */
    public static long bytes(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long unit = lower.endsWith("k") ? 1024 : lower.endsWith("m") ? 1024 * 1024 : 1;
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        return Math.multiplyExact(number("size", digits), unit);
    }

    private static long number(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: '" + text + "'");
        }
    }

    /** How the console shows it. */
    public String describe() {
        return profile == Profile.IDLE ? device + ": idle"
                : device + ": " + profile.word() + ", " + ratePerSecond + "/s, " + size + " bytes";
    }
}
