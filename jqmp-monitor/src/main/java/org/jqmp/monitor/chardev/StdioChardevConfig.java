package org.jqmp.monitor.chardev;

/** {@code -chardev stdio}: the process's standard input and output. */
public record StdioChardevConfig(String id, boolean signal) implements ChardevConfig {
    @Override
    public String filename() {
        return "stdio";
    }
}
