package org.jqmp.machine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jqmp.api.DataFormat;
import org.jqmp.json.JsonEncoder;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.chardev.Chardev;
import org.jqmp.machine.chardev.ChardevBackend;

/**
 * A machine with a simulated guest whose console is a real chardev: a Unix socket server the rig connects to,
 * or a ringbuf it types into with {@code ringbuf-write} and reads with {@code ringbuf-read}. Records events and
 * exits in order, and waits (never longer than {@link #PATIENCE_MS}) for console output and events.
 */
final class GuestRig implements AutoCloseable {
    static final long PATIENCE_MS = 10_000;

    enum ConsoleKind { SOCKET, RINGBUF }

    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> exits = Collections.synchronizedList(new ArrayList<>());
    final Machine machine;
    final SimulatedGuest guest;
    private final ConsoleKind kind;
    private final StringBuilder output = new StringBuilder();
    private SocketChannel socket;
    private int outputMark;
    private int eventMark;

    GuestRig(ConsoleKind kind, MachineConfig config, GuestOptions options, GuestDisks disks, Path dir)
            throws Exception {
        this.kind = kind;
        machine = Machine.builder(config)
                .events((name, data, features) -> events.add(data == null ? name
                        : name + " " + compact(JsonEncoder.encode(data, false))))
                .onExit(exits::add)
                .report(line -> { })
                .kvmPresent(false)
                .build();
        Chardev chardev = machine.ownChardevs().open(kind == ConsoleKind.SOCKET
                ? new ChardevBackend.Socket("console", UnixDomainSocketAddress.of(dir.resolve("console.sock")), true,
                        false, "unix:" + dir.resolve("console.sock") + ",server=on", 0)
                : new ChardevBackend.Ringbuf("console", 1 << 16, "ringbuf"));
        machine.ownChardevs().attachFrontend("console");
        if (kind == ConsoleKind.SOCKET) {
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            socket.connect(UnixDomainSocketAddress.of(dir.resolve("console.sock")));
            // output while no peer is connected is dropped: wait until the chardev has taken this one
            await("the chardev to accept the console connection", () -> !chardev.filename().startsWith("disc"));
            Thread.ofVirtual().start(this::readSocket);
        }
        guest = SimulatedGuest.attach(machine, options, Optional.of(chardev), disks);
        machine.start();
    }

    /** The encoder's spacing removed (the event data here holds no strings with ": " or ", "). */
    private static String compact(String json) {
        return json.replace(": ", ":").replace(", ", ",");
    }

    private void readSocket() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (socket.read(buffer.clear()) >= 0) {
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                synchronized (output) {
                    output.append(text);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Types on the console. */
    void type(String text) throws IOException {
        if (kind == ConsoleKind.SOCKET) {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
        } else {
            machine.ownChardevs().ringbufWrite("console", text, DataFormat.UTF8);
        }
    }

    /** Everything the console printed so far (a ringbuf also shows what was typed: it keeps written bytes). */
    String output() {
        if (kind == ConsoleKind.RINGBUF) {
            String more = machine.ownChardevs().ringbufRead("console", 1 << 16, DataFormat.UTF8);
            synchronized (output) {
                output.append(more);
            }
        }
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until the console prints {@code text} after what earlier waits consumed; returns the output up to it. */
    String awaitOutput(String text) {
        String[] found = new String[1];
        await("console output '" + text.replace("\r\n", "\\r\\n") + "'", () -> {
            String all = output();
            int at = all.indexOf(text, outputMark);
            if (at < 0) {
                return false;
            }
            found[0] = all.substring(outputMark, at + text.length());
            outputMark = at + text.length();
            return true;
        });
        return found[0];
    }

    /** Output after the last wait, once the guest has handled everything queued so far. */
    String settledOutput() throws Exception {
        guest.settledPhase();
        Thread.sleep(20); // the socket's reader thread copies what the guest wrote (no assertion depends on time)
        return output().substring(outputMark);
    }

    /** Waits for exactly these events after those already checked, in this order. */
    void awaitEvents(String... expected) {
        await("events " + List.of(expected), () -> events.size() >= eventMark + expected.length);
        synchronized (events) {
            assertThat(events.subList(eventMark, eventMark + expected.length)).containsExactly(expected);
            eventMark += expected.length;
        }
    }

    /** Events after those already checked. */
    List<String> newEvents() {
        synchronized (events) {
            return List.copyOf(events.subList(eventMark, events.size()));
        }
    }

    /** The OS is up: its prompt is on the console. */
    void awaitBoot() {
        awaitOutput("Type 'help' for the commands.\r\n\r\n" + SimulatedGuest.PROMPT);
    }

    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "; console: " + output().replace("\r\n", "\\r\\n")
                        + "; events: " + events);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        guest.close();
        if (socket != null) {
            socket.close();
        }
        machine.ownChardevs().close();
    }
}
