package org.jqmp.monitor;

/**
 * One QMP monitor ({@code -qmp}, {@code -qmp-pretty}, or {@code -mon chardev=ID,mode=control[,pretty=on]})
 * on the chardev with the given id.
 */
public record MonitorConfig(String chardevId, boolean pretty) {
}
