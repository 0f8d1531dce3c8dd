package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.CompatPolicy.Input;
import org.jqmp.api.runtime.CompatPolicy.Output;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -compat} at the command and event level (the member level is the generated marshallers', tested in
 * jqmp-api). {@code x-old} and {@code x-new} are test commands carrying the deprecated and unstable features.
 */
class CompatPolicyTest {
    @TempDir
    Path dir;

    private static CommandTable commands() {
        return CommandTable.builder()
                .register(CommandDefinition.of("x-old", (a, c) -> null).withFeatures(Set.of("deprecated")))
                .register(CommandDefinition.of("x-new", (a, c) -> null).withFeatures(Set.of("unstable")))
                .build();
    }

    @Test
    void acceptRunsEverything() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir, commands(),
                CompatPolicy.ACCEPT_ALL); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"x-old\"}{\"execute\":\"x-new\"}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void rejectMakesTheCommandNotFound() throws Exception {
        CompatPolicy reject = new CompatPolicy(Input.REJECT, Output.ACCEPT, Input.REJECT, Output.ACCEPT);
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir, commands(), reject);
             RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"x-old\",\"id\":1}{\"execute\":\"x-new\",\"id\":2}");
            assertThat(c.readLine()).isEqualTo("{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Deprecated command x-old disabled by policy\"}}");
            assertThat(c.readLine()).isEqualTo("{\"id\": 2, \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Unstable command x-new disabled by policy\"}}");
        }
    }

    @Test
    void hideDropsEventsWithThatFeature() throws Exception {
        CompatPolicy hide = new CompatPolicy(Input.ACCEPT, Output.HIDE, Input.ACCEPT, Output.ACCEPT);
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir, commands(), hide);
             RawClient c = f.connect()) {
            c.negotiate(false);
            f.server.events().emit("X_OLD_EVENT", JsonObject.EMPTY, Set.of("deprecated"));
            f.server.events().emit("X_NEW_EVENT", null, Set.of("unstable"));
            assertThat(c.readLine()).contains("\"event\": \"X_NEW_EVENT\"");
            assertThat(c.silentFor(Duration.ofMillis(200))).isTrue();
        }
    }
}
