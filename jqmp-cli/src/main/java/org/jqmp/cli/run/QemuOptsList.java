package org.jqmp.cli.run;

import java.util.Map;

/**
 * The parameters one QemuOpts option accepts and their types, as {@code query-command-line-options} of QEMU 7.2
 * lists them (observed on QEMU 7.2). {@code impliedKey} names a parameter given without {@code key=} in first place.
 */
record QemuOptsList(String name, String impliedKey, Map<String, ValueType> parameters) {

    /** QemuOpts value types ({@code QemuOptType}). */
    enum ValueType { STRING, BOOL, NUMBER, SIZE }

    QemuOptsList {
        parameters = Map.copyOf(parameters);
    }

    /** {@code -chardev}: every backend's parameters share one list, so QEMU ignores another backend's keys. */
    static final QemuOptsList CHARDEV = new QemuOptsList("chardev", "backend", Map.ofEntries(
            Map.entry("backend", ValueType.STRING), Map.entry("path", ValueType.STRING),
            Map.entry("host", ValueType.STRING), Map.entry("port", ValueType.STRING),
            Map.entry("fd", ValueType.STRING), Map.entry("localaddr", ValueType.STRING),
            Map.entry("localport", ValueType.STRING), Map.entry("to", ValueType.NUMBER),
            Map.entry("ipv4", ValueType.BOOL), Map.entry("ipv6", ValueType.BOOL),
            Map.entry("wait", ValueType.BOOL), Map.entry("server", ValueType.BOOL),
            Map.entry("delay", ValueType.BOOL), Map.entry("nodelay", ValueType.BOOL),
            Map.entry("reconnect", ValueType.NUMBER), Map.entry("telnet", ValueType.BOOL),
            Map.entry("tn3270", ValueType.BOOL), Map.entry("tls-creds", ValueType.STRING),
            Map.entry("tls-authz", ValueType.STRING), Map.entry("websocket", ValueType.BOOL),
            Map.entry("width", ValueType.NUMBER), Map.entry("height", ValueType.NUMBER),
            Map.entry("cols", ValueType.NUMBER), Map.entry("rows", ValueType.NUMBER),
            Map.entry("mux", ValueType.BOOL), Map.entry("signal", ValueType.BOOL),
            Map.entry("name", ValueType.STRING), Map.entry("debug", ValueType.NUMBER),
            Map.entry("size", ValueType.SIZE), Map.entry("chardev", ValueType.STRING),
            Map.entry("append", ValueType.BOOL), Map.entry("logfile", ValueType.STRING),
            Map.entry("logappend", ValueType.BOOL), Map.entry("mouse", ValueType.BOOL),
            Map.entry("clipboard", ValueType.BOOL), Map.entry("tight", ValueType.BOOL),
            Map.entry("abstract", ValueType.BOOL)));

    /** {@code -mon}. */
    static final QemuOptsList MON = new QemuOptsList("mon", "chardev", Map.of(
            "mode", ValueType.STRING, "chardev", ValueType.STRING, "pretty", ValueType.BOOL));

    /** {@code -name}. */
    static final QemuOptsList NAME = new QemuOptsList("name", "guest", Map.of(
            "guest", ValueType.STRING, "process", ValueType.STRING, "debug-threads", ValueType.BOOL));

    /** {@code -m}. */
    static final QemuOptsList MEMORY = new QemuOptsList("memory", "size", Map.of(
            "size", ValueType.SIZE, "slots", ValueType.NUMBER, "maxmem", ValueType.SIZE));
}
