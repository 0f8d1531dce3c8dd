package org.jqmp.client.internal;

import java.io.IOException;
import java.time.Duration;

/** Makes a new transport: dials out, or accepts a server that connects in. Used again on reconnect. */
public interface Connector {
    Transport open(Duration timeout) throws IOException;

    String describe();
}
