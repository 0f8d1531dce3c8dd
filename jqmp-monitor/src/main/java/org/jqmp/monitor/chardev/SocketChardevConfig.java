package org.jqmp.monitor.chardev;

/**
 * {@code -chardev socket,...}: a listening server ({@code server=on}, optionally {@code wait=on} to block start-up
 * until the first client connects) or a client that connects out ({@code reconnect=N} seconds between tries;
 * 0 = give up after the first failure).
 *
 * @param filename the text {@code query-chardev} reports, built by the option parser in QEMU's form
 */
public record SocketChardevConfig(String id, SocketAddressConfig address, boolean server, boolean waitForClient,
                                  int reconnectSeconds, String filename) implements ChardevConfig {
}
