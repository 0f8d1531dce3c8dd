package org.jqmp.block.debug;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.block.BlockException;

/**
 * A blkdebug {@code config} file ({@code docs/devel/blkdebug.rst}): QEMU's config-file syntax with
 * {@code [inject-error]} and {@code [set-state]} sections of {@code key = "value"} lines; {@code #} starts a
 * comment line. Every value is a string, read as the option's type.
 *
 * @param injectErrors the inject-error rules, in file order
 * @param setStates    the set-state rules, in file order
 */
public record BlkdebugConfig(List<InjectErrorRule> injectErrors, List<SetStateRule> setStates) {
    /** The largest config file read (a few rules are a few hundred bytes; this bounds a wrong file's cost). */
    public static final long MAX_CONFIG_BYTES = 1 << 20;

    public BlkdebugConfig {
        injectErrors = List.copyOf(injectErrors);
        setStates = List.copyOf(setStates);
    }

    /** Reads {@code file}; a file that cannot be read fails as QEMU words it, with the system's reason. */
    public static BlkdebugConfig read(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new BlockException(file.toString(), "blkdebug config file is larger than the limit "
                        + "MAX_CONFIG_BYTES (" + MAX_CONFIG_BYTES + " bytes)");
            }
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new BlockException(file.toString(), "Could not read blkdebug config file: No such file or directory");
        } catch (AccessDeniedException e) {
            throw new BlockException(file.toString(), "Could not read blkdebug config file: Permission denied");
        } catch (IOException e) {
            throw new BlockException(file.toString(), "Could not read blkdebug config file: " + e.getMessage());
        }
        return parse(lines, file.toString());
    }

    static BlkdebugConfig parse(List<String> lines, String name) {
        List<InjectErrorRule> inject = new ArrayList<>();
        List<SetStateRule> states = new ArrayList<>();
        String group = null;
        Map<String, String> section = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = name + ":" + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                addSection(group, section, inject, states, where);
                group = line.replaceAll("^\\[\\s*([^\\s\"\\]]+).*$", "$1");
                if (!group.equals("inject-error") && !group.equals("set-state")) {
                    throw new BlockException(name, where + "There is no option group '" + group + "'");
                }
                section = new LinkedHashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (section == null || eq < 0) {
                throw new BlockException(name, where + "parse error");
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
                throw new BlockException(name, where + "parse error");
            }
            section.put(line.substring(0, eq).strip(), value.substring(1, value.length() - 1));
        }
        addSection(group, section, inject, states, name + ": ");
        return new BlkdebugConfig(inject, states);
    }

    private static void addSection(String group, Map<String, String> keys, List<InjectErrorRule> inject,
                                   List<SetStateRule> states, String where) {
        if (group == null) {
            return;
        }
        try {
            if (group.equals("inject-error")) {
                inject.add(Rules.injectError(keys));
            } else {
                states.add(Rules.setState(keys));
            }
        } catch (IllegalArgumentException e) {
            throw new BlockException(null, where + e.getMessage());
        }
    }
}
