package org.jqmp.block.debug;

import java.util.Map;
import java.util.Set;

/**
 * Rules from string options ({@code add_rule} in QEMU): a config file's sections and {@code -drive}'s
 * {@code inject-error.N.*} keys, with QEMU's defaults and its texts for what it refuses.
 */
public final class Rules {
    private static final Set<String> INJECT_KEYS = Set.of("event", "state", "iotype", "errno", "sector", "once",
            "immediately");
    private static final Set<String> STATE_KEYS = Set.of("event", "state", "new_state");

    private Rules() {
    }

    /** An inject-error rule from its keys; an {@link IllegalArgumentException} names what is wrong. */
    public static InjectErrorRule injectError(Map<String, String> keys) {
        checkKeys(keys, INJECT_KEYS);
        InjectErrorRule rule = InjectErrorRule.on(event(keys))
                .withState(number(keys, "state", 0))
                .withErrno((int) number(keys, "errno", InjectErrorRule.EIO))
                .withSector(number(keys, "sector", -1))
                .withOnce(bool(keys, "once"));
        String iotype = keys.get("iotype");
        if (iotype != null) {
            try {
                rule = rule.withIoType(DebugIoType.of(iotype));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid I/O type \"" + iotype + "\"");
            }
        }
        return new InjectErrorRule(rule.event(), rule.state(), rule.ioTypes(), rule.errno(), rule.sector(),
                rule.once(), bool(keys, "immediately"));
    }

    /** A set-state rule from its keys. */
    public static SetStateRule setState(Map<String, String> keys) {
        checkKeys(keys, STATE_KEYS);
        if (!keys.containsKey("new_state")) {
            throw new IllegalArgumentException("Parameter 'new_state' is missing");
        }
        return new SetStateRule(event(keys), number(keys, "state", 0), number(keys, "new_state", 0));
    }

    private static void checkKeys(Map<String, String> keys, Set<String> known) {
        for (String key : keys.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("Invalid parameter '" + key + "'");
            }
        }
    }

    private static DebugEvent event(Map<String, String> keys) {
        String name = keys.get("event");
        if (name == null) {
            throw new IllegalArgumentException("Missing event name for rule");
        }
        try {
            return DebugEvent.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid event name \"" + name + "\"");
        }
    }

    private static long number(Map<String, String> keys, String key, long otherwise) {
        String value = keys.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.decode(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Parameter '" + key + "' expects a number");
        }
    }

    private static boolean bool(Map<String, String> keys, String key) {
        String value = keys.get(key);
        return switch (value) {
            case null -> false;
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new IllegalArgumentException("Parameter '" + key + "' expects 'on' or 'off'");
        };
    }
}
