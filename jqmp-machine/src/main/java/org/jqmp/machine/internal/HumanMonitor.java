package org.jqmp.machine.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.MouseInfo;
import org.jqmp.api.RunState;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineType;

/**
 * {@code human-monitor-command}: the HMP commands that mirror the machine's QMP commands, printing what
 * QEMU 7.2's HMP prints (observed; each line ends in CRLF because QEMU's monitor output turns every "\n" into
 * "\r\n"). An unknown command is not an error reply: QEMU prints {@code unknown command: 'NAME'}.
 */
final class HumanMonitor {
    /** An HMP command: its names ({@code stop|s}), its help line, and what it prints. */
    private record Command(String names, String params, String help, Function<Machine, String> run) {
        boolean answers(String name) {
            return List.of(names.split("\\|")).contains(name);
        }
    }

    private static final List<Command> TOP = List.of(
            new Command("cont|c", "", "resume emulation", m -> done(m::cont)),
            new Command("stop|s", "", "stop emulation", m -> done(m::stop)),
            new Command("system_reset", "", "reset the system", m -> done(m::systemReset)),
            new Command("system_powerdown", "", "send system power down event", m -> done(m::systemPowerdown)),
            new Command("system_wakeup", "", "wakeup guest from suspend", m -> done(m::systemWakeup)),
            new Command("quit|q", "", "quit the emulator", m -> done(m::quit)));

    private static final List<Command> INFO = List.of(
            new Command("chardev", "", "show the character devices", HumanMonitor::chardev),
            new Command("kvm", "", "show KVM information", HumanMonitor::kvm),
            new Command("mice", "", "show which guest mouse is receiving events", HumanMonitor::mice),
            new Command("name", "", "show the current VM name",
                    m -> m.config().name().map(n -> n + "\n").orElse("")),
            new Command("status", "", "show the current VM status (running|paused)", HumanMonitor::status),
            new Command("uuid", "", "show the current VM UUID",
                    m -> m.config().uuid().map(Object::toString).orElse("00000000-0000-0000-0000-000000000000") + "\n"),
            new Command("version", "", "show the version of QEMU", m -> m.version() + "\n"));

    private final Machine machine;

    HumanMonitor(Machine machine) {
        this.machine = machine;
    }

    /** Runs one command line; the text is returned with QEMU's CRLF line ends. */
    String run(String commandLine, Long cpuIndex) {
        if (cpuIndex != null && (cpuIndex != 0 || machine.config().type() == MachineType.NONE)) {
            throw QmpException.generic("Parameter 'cpu-index' expects a CPU number");
        }
        return execute(words(commandLine)).replace("\n", "\r\n");
    }

    private String execute(List<String> words) {
        if (words.isEmpty()) {
            return "";
        }
        String name = words.getFirst();
        if (name.equals("help") || name.equals("?")) {
            return help(words.subList(1, words.size()));
        }
        if (name.equals("info")) {
            if (words.size() == 1) {
                return listing("info ", infos());
            }
            Optional<Machine.HumanCommand> added = added(machine.humanInfos(), words.get(1));
            if (added.isPresent()) {
                return added.get().output().apply(words.subList(2, words.size()));
            }
            return find(INFO, words.get(1))
                    .map(c -> run(c, words.size() > 2, "info " + words.get(1), c.names().split("\\|")[0]))
                    .orElse(unknown("info " + words.get(1)));
        }
        Optional<Machine.HumanCommand> added = added(machine.humanCommands(), name);
        if (added.isPresent()) {
            return added.get().output().apply(words.subList(1, words.size()));
        }
        return find(TOP, name).map(c -> run(c, words.size() > 1, name, c.names())).orElse(unknown(name));
    }

    /** {@code monitor_parse_arguments}: none of these commands takes arguments. */
    private String run(Command command, boolean extra, String typed, String shown) {
        if (extra) {
            return shown + ": extraneous characters at the end of line\nTry \"help " + typed
                    + "\" for more information\n";
        }
        try {
            return command.run().apply(machine);
        } catch (QmpException e) {
            // hmp_handle_error
            return "Error: " + e.getMessage() + "\n";
        }
    }

    private String help(List<String> words) {
        if (words.isEmpty()) {
            return listing("", top()) + "info [subcommand] -- show various information about the system state\n";
        }
        if (words.getFirst().equals("info") && words.size() == 1) {
            return listing("info ", infos());
        }
        if (words.getFirst().equals("info") && words.size() > 1) {
            return find(infos(), words.get(1)).map(c -> line("info ", c)).orElse(unknown("info " + words.get(1)));
        }
        return find(top(), words.getFirst()).map(c -> line("", c)).orElse(unknown(words.getFirst()));
    }

    /** The info commands: the machine's own and those its parts added, in name order (as QEMU lists them). */
    private List<Command> infos() {
        List<Command> all = new java.util.ArrayList<>(INFO);
        machine.humanInfos().forEach(i -> all.add(new Command(i.name(), i.params(), i.help(), m -> i.output().apply(
                List.of()))));
        all.sort(java.util.Comparator.comparing(Command::names));
        return all;
    }

    /** The machine's own commands, then those its parts added (in name order). */
    private List<Command> top() {
        List<Command> all = new java.util.ArrayList<>(TOP);
        machine.humanCommands().forEach(c -> all.add(new Command(c.name(), c.params(), c.help(), m -> c.output().apply(
                List.of()))));
        return all;
    }

    private static Optional<Machine.HumanCommand> added(java.util.Collection<Machine.HumanCommand> commands,
                                                        String name) {
        return commands.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    private static String listing(String prefix, List<Command> commands) {
        StringBuilder out = new StringBuilder();
        commands.forEach(c -> out.append(line(prefix, c)));
        return out.toString();
    }

    /** {@code help_cmd_dump_one}: name, parameters, two dashes, the help text. */
    private static String line(String prefix, Command command) {
        return prefix + command.names() + " " + command.params() + " -- " + command.help() + "\n";
    }

    private static String unknown(String name) {
        return "unknown command: '" + name + "'\n";
    }

    private static Optional<Command> find(List<Command> commands, String name) {
        return commands.stream().filter(c -> c.answers(name)).findFirst();
    }

    private static List<String> words(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static String done(Runnable action) {
        action.run();
        return "";
    }

    /** {@code hmp_info_status}: the reason is shown for every stopped state other than plain {@code paused}. */
    private static String status(Machine machine) {
        RunState state = machine.runState();
        if (state == RunState.RUNNING) {
            return "VM status: running\n";
        }
        return state == RunState.PAUSED ? "VM status: paused\n" : "VM status: paused (" + state.wireName() + ")\n";
    }

    /** {@code hmp_info_chardev}: QEMU lists newest first; jqmp lists in its own query-chardev order. */
    private static String chardev(Machine machine) {
        StringBuilder out = new StringBuilder();
        for (ChardevInfo info : machine.chardevs()) {
            out.append(info.label()).append(": filename=").append(info.filename()).append('\n');
        }
        return out.toString();
    }

    private static String kvm(Machine machine) {
        return machine.kvmPresent() ? "kvm support: disabled\n" : "kvm support: not compiled\n";
    }

    /** {@code hmp_info_mice}: the current mouse is starred. */
    private static String mice(Machine machine) {
        List<MouseInfo> mice = machine.config().type().mice();
        if (mice.isEmpty()) {
            return "No mouse devices connected\n";
        }
        StringBuilder out = new StringBuilder();
        for (MouseInfo mouse : mice) {
            out.append(mouse.current() ? "* " : "  ").append("Mouse #").append(mouse.index()).append(": ")
                    .append(mouse.name()).append(mouse.absolute() ? " (absolute)" : "").append('\n');
        }
        return out.toString();
    }
}
