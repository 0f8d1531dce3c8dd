package org.jqmp.client;

import java.util.List;
import org.jqmp.json.JsonObject;

/**
 * The server's greeting, {@code {"QMP": {"version": ..., "capabilities": [...]}}} (qmp-spec "Server
 * Greeting"). {@code version} is kept as JSON (read it typed with {@code VersionInfo.read(QObjectInput
 * .lenient(version), null)}); capabilities are strings, so a new one does not break the client.
 */
public record Greeting(int major, int minor, int micro, String packageName, List<String> capabilities,
                       JsonObject version, JsonObject json) {
    public Greeting {
        capabilities = List.copyOf(capabilities);
    }

    public boolean offers(String capability) {
        return capabilities.contains(capability);
    }
}
