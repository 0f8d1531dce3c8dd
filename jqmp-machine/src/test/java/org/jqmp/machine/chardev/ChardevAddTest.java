package org.jqmp.machine.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jqmp.api.ChardevBackend;
import org.jqmp.api.ChardevCommon;
import org.jqmp.api.ChardevCommonWrapper;
import org.jqmp.api.ChardevFile;
import org.jqmp.api.ChardevFileWrapper;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.ChardevMux;
import org.jqmp.api.ChardevMuxWrapper;
import org.jqmp.api.ChardevRingbuf;
import org.jqmp.api.ChardevRingbufWrapper;
import org.jqmp.api.ChardevSocket;
import org.jqmp.api.ChardevSocketWrapper;
import org.jqmp.api.ChardevVC;
import org.jqmp.api.ChardevVCWrapper;
import org.jqmp.api.ChardevReturn;
import org.jqmp.api.InetSocketAddress;
import org.jqmp.api.InetSocketAddressWrapper;
import org.jqmp.api.SocketAddressLegacy;
import org.jqmp.api.UnixSocketAddress;
import org.jqmp.api.UnixSocketAddressWrapper;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chardev-add, chardev-change, chardev-remove, add_client and yank on the machine's chardevs, with real files,
 * sockets and ptys; expected texts are QEMU 7.2's for the same steps (observed).
 */
class ChardevAddTest {
    @TempDir
    Path dir;

    private final RecordingYank yank = new RecordingYank();
    private final Map<String, Integer> passedFds = new HashMap<>();
    private final Chardevs chardevs = new Chardevs(id -> id.equals("compat_monitor0"));

    ChardevAddTest() {
        chardevs.useYank(yank);
        chardevs.useWarnings(message -> { });
    }

    @AfterEach
    void close() {
        chardevs.close();
        passedFds.values().forEach(NativeSocket::closeQuietly);
    }

    private ChardevReturn add(String id, ChardevBackend backend) {
        return chardevs.add(id, backend, this::take);
    }

    private OptionalInt take(String name) {
        Integer fd = passedFds.remove(name);
        return fd == null ? OptionalInt.empty() : OptionalInt.of(fd);
    }

    private static final ChardevCommon COMMON = new ChardevCommon(null, null);

    static ChardevBackend nullBackend() {
        return new ChardevBackend.Null(new ChardevCommonWrapper(COMMON));
    }

    static ChardevBackend unixServer(Path path) {
        return new ChardevBackend.Socket(new ChardevSocketWrapper(new ChardevSocket(null, null,
                new SocketAddressLegacy.Unix(new UnixSocketAddressWrapper(new UnixSocketAddress(path.toString(),
                        null, null))), null, null, true, false, null, null, null, null, null)));
    }

    private static ChardevBackend socket(SocketAddressLegacy address, Boolean server, Boolean wait, Long reconnect) {
        return new ChardevBackend.Socket(new ChardevSocketWrapper(new ChardevSocket(null, null, address, null, null,
                server, wait, null, null, null, null, reconnect)));
    }

    private static SocketAddressLegacy unix(Path path) {
        return new SocketAddressLegacy.Unix(new UnixSocketAddressWrapper(new UnixSocketAddress(path.toString(), null,
                null)));
    }

    private static ChardevBackend ringbuf(Long size) {
        return new ChardevBackend.Ringbuf(new ChardevRingbufWrapper(new ChardevRingbuf(null, null, size)));
    }

    private void assertFails(Runnable command, String message) {
        assertThatThrownBy(command::run).isInstanceOf(QmpException.class).hasMessage(message);
    }

    private ChardevInfo info(String id) {
        return chardevs.infos().stream().filter(i -> i.label().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void addsEachBackendJqmpHasAndRefusesADuplicateId() throws Exception {
        assertThat(add("n1", nullBackend()).pty()).isNull();
        assertFails(() -> add("n1", nullBackend()), "Chardev with id 'n1' already exists");
        assertFails(() -> add("compat_monitor0", nullBackend()), "Chardev with id 'compat_monitor0' already exists");
        Path out = dir.resolve("out.txt");
        add("f1", new ChardevBackend.File(new ChardevFileWrapper(new ChardevFile(null, null, null, out.toString(),
                null))));
        assertThat(out).exists();
        String pty = add("p1", new ChardevBackend.Pty(new ChardevCommonWrapper(COMMON))).pty();
        assertThat(pty).startsWith("/dev/pts/");
        assertThat(info("p1").filename()).isEqualTo("pty:" + pty);
        add("r1", ringbuf(4L));
        add("m0", new ChardevBackend.Memory(new ChardevRingbufWrapper(new ChardevRingbuf(null, null, null))));
        assertThat(info("m0").filename()).isEqualTo("memory");
        assertThat(add("", nullBackend()).pty()).isNull(); // QEMU takes an empty id from QMP (observed)
    }

    @Test
    void failuresCarryQemusPrefixAndAddNothing() {
        assertFails(() -> add("f1", new ChardevBackend.File(new ChardevFileWrapper(new ChardevFile(null, null, null,
                "/nonexistent/x", null)))), "Failed to add chardev 'f1': Could not open '/nonexistent/x': "
                + "No such file or directory");
        assertFails(() -> add("r1", ringbuf(3L)),
                "Failed to add chardev 'r1': size of ringbuf chardev must be power of two");
        assertFails(() -> add("r2", ringbuf(-4L)),
                "Failed to add chardev 'r2': size of ringbuf chardev must be power of two");
        assertFails(() -> add("vc", new ChardevBackend.Vc(new ChardevVCWrapper(new ChardevVC(null, null, null, null,
                null, null)))), "Failed to add chardev 'vc': 'vc' is not a valid char driver name");
        Path missing = dir.resolve("missing.sock");
        assertFails(() -> add("s2", socket(unix(missing), false, null, null)),
                "Failed to add chardev 's2': Failed to connect to '" + missing + "': No such file or directory");
        assertFails(() -> add("s3", socket(unix(missing), false, true, null)),
                "Failed to add chardev 's3': 'wait' option is incompatible with socket in client connect mode");
        assertFails(() -> add("s4", socket(unix(missing), null, null, 1L)),
                "Failed to add chardev 's4': 'reconnect' option is incompatible with socket in server listen mode");
        assertFails(() -> add("s5", socket(new SocketAddressLegacy.Inet(new InetSocketAddressWrapper(
                new InetSocketAddress("127.0.0.1", "x", null, null, null, null, null, null))), false, null, null)),
                "Failed to add chardev 's5': address resolution failed for 127.0.0.1:x: Servname not supported"
                        + " for ai_socktype");
        assertFails(() -> add("m2", new ChardevBackend.Mux(new ChardevMuxWrapper(new ChardevMux(null, null, "nope")))),
                "Failed to add chardev 'm2': mux: base chardev nope not found");
        assertThat(chardevs.infos()).isEmpty();
        assertThat(yank.instances).isEmpty();
    }

    @Test
    void aMuxHoldsItsBaseAndAnotherMuxMayHoldTheMux() {
        add("n1", nullBackend());
        add("m1", new ChardevBackend.Mux(new ChardevMuxWrapper(new ChardevMux(null, null, "n1"))));
        assertFails(() -> add("m2", new ChardevBackend.Mux(new ChardevMuxWrapper(new ChardevMux(null, null, "n1")))),
                "Failed to add chardev 'm2': Device 'n1' is in use");
        add("m3", new ChardevBackend.Mux(new ChardevMuxWrapper(new ChardevMux(null, null, "m1"))));
        assertThat(info("m1").filename()).isEqualTo("mux");
        assertThat(info("n1").frontendOpen()).isFalse();
        assertFails(() -> chardevs.remove("n1"), "Chardev 'n1' is busy");
        assertFails(() -> chardevs.remove("m1"), "Chardev 'm1' is busy");
        assertFails(() -> chardevs.remove("m3"), "Chardev 'm3' is busy");
        assertFails(() -> chardevs.change("m1", nullBackend(), this::take), "Mux device hotswap not supported yet");
        chardevs.attachFrontend("m3");
        assertThat(info("n1").frontendOpen()).isTrue();
        assertThat(info("m1").frontendOpen()).isTrue();
    }

    @Test
    void changeReplacesAnUnusedChardevAndLosesItWhenTheNewBackendFails() {
        add("n1", nullBackend());
        assertFails(() -> chardevs.change("nope", nullBackend(), this::take), "Chardev 'nope' does not exist");
        assertFails(() -> chardevs.change("compat_monitor0", nullBackend(), this::take),
                "Chardev user does not support chardev hotswap");
        String pty = chardevs.change("n1", new ChardevBackend.Pty(new ChardevCommonWrapper(COMMON)), this::take).pty();
        assertThat(info("n1").filename()).isEqualTo("pty:" + pty);
        assertFails(() -> chardevs.change("n1", ringbuf(3L), this::take),
                "Failed to add chardev 'n1': size of ringbuf chardev must be power of two");
        assertThat(chardevs.infos()).isEmpty();
    }

    @Test
    void changeUnderASerialPortKeepsTheOldBackendWhenTheNewOneFails() {
        chardevs.open(new org.jqmp.machine.chardev.ChardevBackend.Null("ser"));
        chardevs.attachFrontend("ser");
        assertFails(() -> chardevs.change("ser", ringbuf(3L), this::take),
                "size of ringbuf chardev must be power of two");
        assertThat(info("ser")).isEqualTo(new ChardevInfo("ser", "null", true));
        chardevs.change("ser", ringbuf(8L), this::take);
        assertThat(info("ser")).isEqualTo(new ChardevInfo("ser", "ringbuf", true));
        assertFails(() -> chardevs.remove("ser"), "Chardev 'ser' is busy");
    }

    @Test
    void aSerialPortsSocketChangedForAnotherSocketStaysAYankInstance() {
        chardevs.open(new org.jqmp.machine.chardev.ChardevBackend.Socket("ser", UnixDomainSocketAddress.of(
                dir.resolve("a.sock")), true, false, "unix:" + dir.resolve("a.sock") + ",server=on"));
        chardevs.attachFrontend("ser");
        chardevs.change("ser", unixServer(dir.resolve("b.sock")), this::take);
        assertThat(yank.instances).containsExactly("ser");
        assertThat(info("ser").filename()).isEqualTo("disconnected:unix:" + dir.resolve("b.sock") + ",server=on");
        chardevs.change("ser", nullBackend(), this::take);
        assertThat(yank.instances).isEmpty();
    }

    @Test
    void socketChardevsAreYankInstancesUntilRemoved() throws Exception {
        Path path = dir.resolve("s1.sock");
        add("s1", unixServer(path));
        assertThat(yank.instances).containsExactly("s1");
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            awaitFilename("s1", "unix:" + path + ",server=on");
            yank.yank("s1");
            assertThat(client.read(java.nio.ByteBuffer.allocate(8))).isEqualTo(-1); // the connection is broken
            awaitFilename("s1", "disconnected:unix:" + path + ",server=on");
        }
        chardevs.remove("s1");
        assertThat(yank.instances).isEmpty();
        assertThat(path).doesNotExist();
    }

    @Test
    void aReconnectingClientComesBackAfterYankAndAfterItsServerAppears() throws Exception {
        Path path = dir.resolve("srv.sock");
        List<String> warnings = new ArrayList<>();
        chardevs.useWarnings(warnings::add);
        add("c1", socket(unix(path), false, null, 1L)); // nobody listens yet: reported, and retried
        assertThat(warnings).containsExactly("Unable to connect character device c1: Failed to connect to '" + path
                + "': No such file or directory");
        assertThat(info("c1").filename()).isEqualTo("disconnected:unix:" + path);
        assertThat(yank.instances).containsExactly("c1");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel first = server.accept()) {
                awaitFilename("c1", "unix:");
                yank.yank("c1");
                assertThat(first.read(java.nio.ByteBuffer.allocate(8))).isEqualTo(-1);
            }
            try (SocketChannel second = server.accept()) { // reconnect=1: back a second later
                awaitFilename("c1", "unix:");
            }
        }
    }

    @Test
    void addClientAttachesAPassedSocketToADisconnectedSocketChardev() throws Throwable {
        Path path = dir.resolve("s1.sock");
        add("s1", unixServer(path));
        int[] pair = SocketPair.open();
        passedFds.put("fa", pair[0]);
        chardevs.addClient("s1", "fa", this::take);
        assertThat(passedFds).doesNotContainKey("fa");
        awaitFilename("s1", "unix:,server=on"); // an unnamed socket of a socketpair (observed)
        try (NativeSocket other = NativeSocket.adopt(pair[1])) {
            chardevs.find("s1").orElseThrow().write("hi".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[2];
            assertThat(other.read(buffer)).isEqualTo(2);
            assertThat(new String(buffer, StandardCharsets.US_ASCII)).isEqualTo("hi");
            int[] second = SocketPair.open();
            passedFds.put("fb", second[0]);
            assertFails(() -> chardevs.addClient("s1", "fb", this::take), "failed to add client");
            NativeSocket.closeQuietly(second[1]);
            yank.yank("s1");
            assertThat(other.read(buffer)).isEqualTo(-1);
        }
        awaitFilename("s1", "disconnected:unix:" + path + ",server=on");
    }

    @Test
    void addClientErrorsAreQemus() throws Throwable {
        add("n1", nullBackend());
        assertFails(() -> chardevs.addClient("n1", "nofd", this::take),
                "File descriptor named 'nofd' has not been found");
        passOneEnd("fa");
        assertFails(() -> chardevs.addClient("n1", "fa", this::take), "failed to add client");
        passOneEnd("fa");
        assertFails(() -> chardevs.addClient("nochardev", "fa", this::take), "protocol 'nochardev' is invalid");
        passOneEnd("fs");
        assertThatThrownBy(() -> chardevs.addClient("spice", "fs", this::take)).isInstanceOf(QmpException.class)
                .hasMessage("SPICE is not in use")
                .extracting(e -> ((QmpException) e).error().errorClass()).isEqualTo(ErrorClass.DeviceNotActive);
        Path plain = Files.createFile(dir.resolve("plain"));
        add("s1", unixServer(dir.resolve("s1.sock")));
        passedFds.put("ff", SocketPair.openFile(plain));
        assertFails(() -> chardevs.addClient("s1", "ff", this::take), "failed to add client");
        assertThat(info("s1").filename()).startsWith("disconnected:");
    }

    /** One end of a fresh socketpair, named as getfd would; the other end is closed. */
    private void passOneEnd(String name) throws Throwable {
        int[] pair = SocketPair.open();
        NativeSocket.closeQuietly(pair[1]);
        passedFds.put(name, pair[0]);
    }

    private void awaitFilename(String id, String expected) throws InterruptedException {
        while (!info(id).filename().equals(expected)) {
            Thread.sleep(5);
        }
    }

    /** What the monitor's yank registry does with a chardev's registrations. */
    static final class RecordingYank implements ChardevYank {
        final List<String> instances = new ArrayList<>();
        final Map<String, List<Runnable>> actions = new HashMap<>();

        @Override
        public synchronized void register(String id) {
            if (!instances.contains(id)) { // as the monitor's registry: one instance per id
                instances.add(id);
            }
        }

        @Override
        public synchronized void unregister(String id) {
            instances.remove(id);
            actions.remove(id);
        }

        @Override
        public synchronized void addAction(String id, Runnable breakConnection) {
            actions.computeIfAbsent(id, k -> new ArrayList<>()).add(breakConnection);
        }

        @Override
        public synchronized void removeAction(String id, Runnable breakConnection) {
            actions.getOrDefault(id, new ArrayList<>()).remove(breakConnection);
        }

        void yank(String id) {
            List<Runnable> registered;
            synchronized (this) {
                registered = List.copyOf(actions.getOrDefault(id, List.of()));
            }
            registered.forEach(Runnable::run);
        }
    }

    /** socketpair(2) and dup(2) through the FFM API: the descriptors a QMP client would pass. */
    static final class SocketPair {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle SOCKETPAIR = LINKER.downcallHandle(
                LINKER.defaultLookup().find("socketpair").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

        static int[] open() throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
                int result = (int) SOCKETPAIR.invokeExact(1, 1, 0, fds); // AF_UNIX, SOCK_STREAM
                assertThat(result).isZero();
                return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
            }
        }

        private static final MethodHandle OPEN = LINKER.downcallHandle(
                LINKER.defaultLookup().find("open").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

        /** A plain file's descriptor, opened read-only: not a socket. */
        static int openFile(Path path) throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
                int fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), 0);
                assertThat(fd).isNotNegative();
                return fd;
            }
        }
    }
}
