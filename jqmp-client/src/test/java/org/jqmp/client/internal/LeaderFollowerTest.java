package org.jqmp.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jqmp.client.ClientLimits;
import org.jqmp.client.ClientListener;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpEvent;
import org.jqmp.client.QmpTimeoutException;
import org.jqmp.client.QmpTransportException;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking caller as reader (leader/follower), over a real Unix socket to a scripted server. The reader
 * thread's linger is made endless, so that after the greeting only callers read: which thread reads is then
 * known, and the tests can check what a caller does with messages that are not its reply.
 */
class LeaderFollowerTest {
    private static final FileDescriptor[] NO_FDS = {};
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ScriptedQmpPeer server;
    private Connection connection;
    private final List<String> events = new CopyOnWriteArrayList<>(); // "NAME on THREAD"
    private final List<JsonObject> unknownReplies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        server = ScriptedQmpPeer.listen(dir);
        ClientListener listener = new ClientListener() {
            @Override
            public void unknownReply(JsonObject reply) {
                unknownReplies.add(reply);
            }
        };
        connection = new Connection(new Dialer(server.address()).open(LONG), ClientLimits.DEFAULT, null, listener,
                new Connection.Owner() {
                    @Override
                    public void event(QmpEvent event) {
                        events.add(event.name() + " on " + Thread.currentThread().getName());
                    }

                    @Override
                    public void closed(Connection c, QmpTransportException cause) {
                    }
                }, Long.MAX_VALUE / 4);
        connection.greeting().get();
        while (connection.isBeingRead()) { // the reader thread lets go after the greeting
            Thread.sleep(1);
        }
    }

    @AfterEach
    void close() throws Exception {
        connection.fail(new QmpTransportException("test over"));
        server.close();
    }

    @Test
    void callerReadsItsOwnReplyAfterAnEventAndAnotherCallersReply() throws Exception {
        AtomicReference<JsonValue> first = new AtomicReference<>();
        AtomicReference<JsonValue> second = new AtomicReference<>();
        Thread leader = Thread.ofPlatform().name("caller-1").start(() -> first.set(call("first")));
        String firstId = id(server.receive());
        while (!connection.isBeingRead()) { // nobody else reads: caller-1 has taken the socket
            Thread.sleep(1);
        }
        Thread follower = Thread.ofPlatform().name("caller-2").start(() -> second.set(call("second")));
        String secondId = id(server.receive());

        server.send("{\"event\": \"PING\", \"data\": {}, \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}");
        server.send("{\"return\": {\"n\": 2}, \"id\": \"" + secondId + "\"}");
        server.send("{\"return\": {\"n\": 1}, \"id\": \"" + firstId + "\"}");
        leader.join();
        follower.join();

        assertThat(first.get()).isEqualTo(JsonObject.builder().put("n", 1).build());
        assertThat(second.get()).isEqualTo(JsonObject.builder().put("n", 2).build());
        assertThat(events).containsExactly("PING on caller-1"); // routed by the caller that was reading
        assertThat(unknownReplies).isEmpty();
    }

    @Test
    void timeoutFiresWhileTheCallerIsTheReaderAndTheLateReplyIsDropped() throws Exception {
        Call stalled = connection.execute("stall", JsonObject.EMPTY, false, NO_FDS, Duration.ofMillis(100));
        String stalledId = id(server.receive());
        assertThatThrownBy(() -> stalled.future().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(QmpTimeoutException.class,
                        e -> assertThat(e.command()).isEqualTo("stall"));
        assertThat(connection.isBeingRead()).isFalse(); // the caller gave the socket back
        assertThat(connection.isOpen()).isTrue();

        server.send("{\"return\": {\"late\": true}, \"id\": \"" + stalledId + "\"}");
        CompletableFuture<JsonValue> next = callAsync("next");
        server.send("{\"return\": {\"n\": 3}, \"id\": \"" + id(server.receive()) + "\"}");
        assertThat(next.get()).isEqualTo(JsonObject.builder().put("n", 3).build());
        assertThat(unknownReplies).singleElement()
                .satisfies(r -> assertThat(r.get("id")).isEqualTo(new JsonString(stalledId)));
    }

    @Test
    void interruptedReaderForgetsItsCallAndTheConnectionGoesOn() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("caller").start(() -> {
            try {
                connection.execute("forever", JsonObject.EMPTY, false, NO_FDS, Duration.ZERO);
            } catch (InterruptedException | RuntimeException e) {
                outcome.set(e);
            }
        });
        String foreverId = id(server.receive());
        while (!connection.isBeingRead()) {
            Thread.sleep(1);
        }
        caller.interrupt(); // seen at the end of the caller's current read slice
        caller.join();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);

        server.send("{\"return\": {}, \"id\": \"" + foreverId + "\"}");
        CompletableFuture<JsonValue> next = callAsync("next");
        server.send("{\"return\": {\"n\": 4}, \"id\": \"" + id(server.receive()) + "\"}");
        assertThat(next.get()).isEqualTo(JsonObject.builder().put("n", 4).build());
        assertThat(unknownReplies).singleElement() // the interrupted call's id was forgotten
                .satisfies(r -> assertThat(r.get("id")).isEqualTo(new JsonString(foreverId)));
    }

    @Test
    void blockingCallFromACallbackOnTheReadingThreadFailsInsteadOfWaitingForItself() throws Exception {
        CompletableFuture<JsonValue> nested = callAsync("outer").thenApply(v -> call("inner"));
        server.send("{\"return\": {}, \"id\": \"" + id(server.receive()) + "\"}");
        assertThatThrownBy(nested::get).cause().isInstanceOf(QmpClientException.class)
                .hasMessageContaining("'inner' not sent").hasMessageContaining("use executeAsync");
    }

    @Test
    void asyncCallsAreReadByTheReaderThreadWhileNoCallerReads() throws Exception {
        CompletableFuture<JsonValue> a = callAsync("a");
        CompletableFuture<JsonValue> b = callAsync("b");
        String aId = id(server.receive());
        String bId = id(server.receive());
        server.send("{\"return\": {\"n\": 6}, \"id\": \"" + bId + "\"}");
        server.send("{\"event\": \"PONG\", \"data\": {}}");
        server.send("{\"return\": {\"n\": 5}, \"id\": \"" + aId + "\"}");
        assertThat(a.get()).isEqualTo(JsonObject.builder().put("n", 5).build());
        assertThat(b.get()).isEqualTo(JsonObject.builder().put("n", 6).build());
        assertThat(events).containsExactly("PONG on jqmp-client-reader");
    }

    private JsonValue call(String command) {
        try {
            return connection.execute(command, JsonObject.EMPTY, false, NO_FDS, LONG).future().join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private CompletableFuture<JsonValue> callAsync(String command) {
        return connection.send(command, JsonObject.EMPTY, false, NO_FDS, LONG);
    }

    private static String id(JsonObject request) {
        return ((JsonString) request.get("id")).value();
    }

    static JsonInt n(long value) {
        return new JsonInt(value);
    }
}
