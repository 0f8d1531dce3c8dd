package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.machine.GuestActions;

/**
 * {@code -action}, {@code -no-shutdown}, {@code -no-reboot} and {@code -watchdog-action} as QEMU 7.2 reads them
 * ({@code softmmu/vl.c}, {@code softmmu/runstate-action.c}): all four add to one merged {@code action} option
 * (so its location is that of the first of them), {@code -no-shutdown} as {@code shutdown=pause},
 * {@code -no-reboot} as {@code reboot=shutdown}, {@code -watchdog-action X} as {@code watchdog=X} taken verbatim.
 * The values are checked only after every option has been read, in the schema's member order (reboot, shutdown,
 * panic, watchdog), the last value of each winning - all observed on QEMU 7.2.
 */
final class ActionOptions {
    /** {@code -action}: a list that merges and takes no {@code id}. */
    static final QemuOptsList ACTION = new QemuOptsList("action", null, java.util.Map.of(
            "reboot", QemuOptsList.ValueType.STRING, "shutdown", QemuOptsList.ValueType.STRING,
            "panic", QemuOptsList.ValueType.STRING, "watchdog", QemuOptsList.ValueType.STRING));

    private String location;
    private final List<QemuOpts.Parameter> parameters = new ArrayList<>();

    /** {@code -action TEXT}. */
    void addAction(String text, String location, List<String> warnings) {
        if (QemuOpts.scanId(text).isPresent()) {
            throw CommandLineException.at(location, "Invalid parameter 'id'");
        }
        add(location, QemuOpts.parse(ACTION, location, text, new java.util.HashSet<>(), warnings).parameters());
    }

    /** {@code -no-shutdown}, {@code -no-reboot}, {@code -watchdog-action}: one parameter each. */
    void add(String location, String name, String value) {
        add(location, List.of(new QemuOpts.Parameter(name, value)));
    }

    private void add(String optionLocation, List<QemuOpts.Parameter> more) {
        if (location == null) {
            location = optionLocation;
        }
        parameters.addAll(more);
    }

    /** The actions asked for, QEMU's defaults for the others. */
    GuestActions resolve() {
        GuestActions actions = GuestActions.DEFAULT;
        RebootAction reboot = value("reboot", RebootAction::fromWireName);
        ShutdownAction shutdown = value("shutdown", ShutdownAction::fromWireName);
        PanicAction panic = value("panic", PanicAction::fromWireName);
        WatchdogAction watchdog = value("watchdog", WatchdogAction::fromWireName);
        actions = reboot == null ? actions : actions.withReboot(reboot);
        actions = shutdown == null ? actions : actions.withShutdown(shutdown);
        actions = panic == null ? actions : actions.withPanic(panic);
        return watchdog == null ? actions : actions.withWatchdog(watchdog);
    }

    private <T> T value(String name, Function<String, T> parse) {
        Optional<String> text = new QemuOpts(location, Optional.empty(), parameters).last(name);
        if (text.isEmpty()) {
            return null;
        }
        T value = parseOrNull(parse, text.get());
        if (value == null) {
            throw CommandLineException.at(location,
                    "Parameter '" + name + "' does not accept value '" + text.get() + "'");
        }
        return value;
    }

    private static <T> T parseOrNull(Function<String, T> parse, String text) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
