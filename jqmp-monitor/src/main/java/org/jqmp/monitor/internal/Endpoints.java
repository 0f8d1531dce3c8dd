package org.jqmp.monitor.internal;

import org.jqmp.monitor.YankRegistry;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;

/** Makes the endpoint for a monitor's chardev. */
public final class Endpoints {
    private Endpoints() {
    }

    /**
     * @param onStdioEnd what to do when the stdio session ends (QEMU keeps running; jqmp's runner may exit)
     */
    public static Endpoint forChardev(ChardevConfig chardev, MonitorContext monitor, boolean pretty,
                                      YankRegistry yank, Runnable onStdioEnd) {
        return switch (chardev) {
            case SocketChardevConfig socket when socket.server() ->
                    new SocketServerEndpoint(socket, monitor, pretty, yank);
            case SocketChardevConfig socket -> new SocketClientEndpoint(socket, monitor, pretty, yank);
            case StdioChardevConfig stdio -> new StdioEndpoint(stdio.id(), monitor, pretty, onStdioEnd);
        };
    }
}
