package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command flags the dispatcher honours: success-response false (QGA's guest-shutdown) and handler errors. */
class CommandFlagsTest {
    @TempDir
    Path dir;

    @Test
    void commandWithoutSuccessResponseRepliesOnlyOnError() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CommandTable commands = CommandTable.builder()
                .register(new CommandDefinition("x-silent", false, false, false, Set.of(), (args, ctx) -> {
                    if (runs.incrementAndGet() == 2) {
                        throw QmpException.generic("second run fails");
                    }
                    return null;
                }))
                .build();
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir, commands,
                CompatPolicy.ACCEPT_ALL); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"x-silent\",\"id\":1}{\"execute\":\"x-silent\",\"id\":2}"
                    + "{\"execute\":\"query-version\",\"id\":3}");
            assertThat(c.readLine()).isEqualTo("{\"id\": 2, \"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"second run fails\"}}");
            assertThat(c.readLine()).endsWith("\"id\": 3}");
            assertThat(runs).hasValue(2);
        }
    }
}
