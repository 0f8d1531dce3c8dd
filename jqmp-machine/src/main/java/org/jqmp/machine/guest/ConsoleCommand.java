package org.jqmp.machine.guest;

import java.util.Arrays;
import java.util.List;

/** One line typed on the guest's console, parsed. */
sealed interface ConsoleCommand {

    /** ACPI S5: the OS powers the machine off. */
    record Poweroff() implements ConsoleCommand { }

    /** The OS restarts the machine. */
    record Reboot() implements ConsoleCommand { }

    /** ACPI S3: suspend to RAM until {@code system_wakeup}. */
    record Suspend() implements ConsoleCommand { }

    /** A kernel panic, reported through the pvpanic device if the machine has one. */
    record Panic() implements ConsoleCommand { }

    /** The kernel hangs: nothing answers and the watchdog is no longer fed. */
    record Hang() implements ConsoleCommand { }

    /** {@code fault}: the guest runs an instruction its virtual CPU cannot execute (an emulation failure). */
    record Fault() implements ConsoleCommand { }

    record Echo(String text) implements ConsoleCommand { }

    record Help() implements ConsoleCommand { }

    /** {@code uptime} or {@code status}. */
    record Status() implements ConsoleCommand { }

    /** {@code disk} alone: the disks and their workloads. */
    record ListDisks() implements ConsoleCommand { }

    /** {@code disk DEV PROFILE ...}. */
    record SetWorkload(DiskWorkload workload) implements ConsoleCommand { }

    /** {@code lock DEV} / {@code unlock DEV}. */
    record LockTray(String device, boolean locked) implements ConsoleCommand { }

    /** An empty line: just a new prompt. */
    record Nothing() implements ConsoleCommand { }

    /** Anything else: the message says what was wrong. */
    record Invalid(String message) implements ConsoleCommand { }

    String HELP = String.join("\r\n",
            "commands:",
            "  poweroff        power the machine off (ACPI S5)",
            "  reboot          restart the machine",
            "  suspend         suspend to RAM (ACPI S3); system_wakeup resumes",
            "  panic           kernel panic (reported to the machine through pvpanic, if it has one)",
            "  hang            hang: the console stops answering, the watchdog is no longer fed",
            "  fault           run an instruction the virtual CPU cannot execute (internal-error)",
            "  echo TEXT       print TEXT",
            "  uptime, status  time since boot and what the guest is doing",
            "  disk            list the disks and their workloads",
            "  disk DEV read|write|mixed|idle [rate=N/s] [size=BYTES]",
            "                  start a workload on a disk (write overwrites it with a test pattern)",
            "  lock DEV        lock a removable disk's tray; unlock DEV unlocks it",
            "  help            this list");

    static ConsoleCommand parse(String line, GuestLimits limits) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new Nothing();
        }
        List<String> words = Arrays.asList(trimmed.split("\\s+"));
        String verb = words.getFirst();
        List<String> rest = words.subList(1, words.size());
        return switch (verb) {
            case "poweroff", "halt", "shutdown" -> new Poweroff();
            case "reboot" -> new Reboot();
            case "suspend" -> new Suspend();
            case "panic" -> new Panic();
            case "hang" -> new Hang();
            case "fault" -> new Fault();
            case "echo" -> new Echo(trimmed.substring(4).strip());
            case "help", "?" -> new Help();
            case "uptime", "status" -> new Status();
            case "disk" -> rest.isEmpty() ? new ListDisks() : workload(rest, limits);
            case "lock", "unlock" -> rest.size() == 1 ? new LockTray(rest.getFirst(), verb.equals("lock"))
                    : new Invalid("usage: " + verb + " DEV");
            default -> new Invalid(verb + ": command not found (try 'help')");
        };
    }

    private static ConsoleCommand workload(List<String> words, GuestLimits limits) {
        try {
            return new SetWorkload(DiskWorkload.parse(words, limits));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new Invalid("disk: " + e.getMessage());
        }
    }
}
