package org.jqmp.cli.run;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code -display TYPE[,options]} (keyval visited as QAPI {@code DisplayOptions}, {@code qapi/ui.json}).
 *
 * <p>jqmp draws nothing, so {@code none} is its only display; {@code default} (QEMU: "the best one available")
 * therefore also means {@code none}. A graphical display is refused with a clear message instead of being
 * ignored: someone who asks for a window and silently gets none is worse off than one told at once.
 */
final class DisplayOption {

    /** QEMU 7.2's display types in Debian's build (the enum's conditional members removed). */
    static final Set<String> QEMU_TYPES =
            Set.of("default", "none", "gtk", "sdl", "egl-headless", "curses", "spice-app", "dbus");
    /** Members every display type has; meaningless without a window, so accepted and reported as ignored. */
    static final Set<String> COMMON_MEMBERS = Set.of("full-screen", "window-close", "show-cursor", "gl");

    private DisplayOption() {
    }

    /** The display type jqmp runs with (always {@code none}). */
    static String parse(String text, String location, List<String> ignored) {
        if (text.startsWith("vnc")) {
            // QEMU 7.2 takes "vnc=DISPLAY" before keyval parsing.
            throw CommandLineException.at(location, text.startsWith("vnc=")
                    ? "the VNC display is not supported by jqmp; use -display none"
                    : "VNC requires a display argument vnc=<display>");
        }
        Map<String, String> values = Keyval.parse(text, "type", location);
        String type = values.get("type");
        if (type == null) {
            throw CommandLineException.at(location, "Parameter 'type' is missing");
        }
        if (!QEMU_TYPES.contains(type)) {
            throw CommandLineException.at(location, "Parameter 'type' does not accept value '" + type + "'");
        }
        if (!type.equals("none") && !type.equals("default")) {
            throw CommandLineException.at(location,
                    "display '" + type + "' is not supported by jqmp, which has no graphical output; use -display none");
        }
        for (Map.Entry<String, String> member : values.entrySet()) {
            checkMember(member.getKey(), member.getValue(), location, ignored);
        }
        return "none";
    }

    private static void checkMember(String key, String value, String location, List<String> ignored) {
        if (key.equals("type")) {
            return;
        }
        if (!COMMON_MEMBERS.contains(key)) {
            throw CommandLineException.at(location, "Parameter '" + key + "' is unexpected");
        }
        if (key.equals("gl") && !value.equals("off")) {
            throw new CommandLineException("OpenGL is not supported by the display");
        }
        ignored.add(location + ": '" + key + "' has no effect without a window");
    }
}
