package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.cli.run.QemuCommandLineTest.parse;

import java.nio.file.Path;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig.Tcp;
import org.jqmp.monitor.chardev.SocketAddressConfig.Unix;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;
import org.junit.jupiter.api.Test;

/**
 * Chardev forms and the {@code query-chardev} filenames (address part) that QEMU 7.2 reports for them; QEMU
 * shows each with {@code disconnected:} in front until a peer connects (observed on QEMU 7.2;
 * {@link RealQemuChardevTest} asks the real QEMU).
 */
class ChardevOptionsTest {

    static ChardevConfig only(String... args) {
        var chardevs = parse(args).chardevs();
        assertThat(chardevs).hasSize(1);
        return chardevs.getFirst();
    }

    @Test
    void qmpUnixServer() {
        assertThat(only("-qmp", "unix:/tmp/p.sock,server=on,wait=off")).isEqualTo(new SocketChardevConfig(
                "compat_monitor0", new Unix(Path.of("/tmp/p.sock")), true, false, 0, "unix:/tmp/p.sock,server=on"));
    }

    @Test
    void qmpUnixServerWaitsByDefault() {
        assertThat(only("-qmp", "unix:/tmp/p.sock,server=on")).isEqualTo(new SocketChardevConfig(
                "compat_monitor0", new Unix(Path.of("/tmp/p.sock")), true, true, 0, "unix:/tmp/p.sock,server=on"));
    }

    @Test
    void qmpTcpServers() {
        assertThat(only("-qmp", "tcp:127.0.0.1:4444,server=on,wait=off")).isEqualTo(new SocketChardevConfig(
                "compat_monitor0", new Tcp("127.0.0.1", 4444, false, false), true, false, 0,
                "tcp:127.0.0.1:4444,server=on"));
        // A listener reports its bound address: all addresses are 0.0.0.0, localhost is 127.0.0.1.
        assertThat(only("-qmp", "tcp::4580,server=on,wait=off").filename()).isEqualTo("tcp:0.0.0.0:4580,server=on");
        assertThat(only("-qmp", "tcp:localhost:4581,server=on,wait=off").filename())
                .isEqualTo("tcp:127.0.0.1:4581,server=on");
        assertThat(only("-qmp", "tcp::4602,server=on,wait=off,ipv4=on").filename())
                .isEqualTo("tcp:0.0.0.0:4602,server=on");
        // No brackets around an IPv6 host in the address part.
        assertThat(only("-chardev", "socket,id=c3,host=::1,port=4583,server=on,wait=off").filename())
                .isEqualTo("tcp:::1:4583,server=on");
    }

    @Test
    void clients() {
        assertThat(only("-qmp", "unix:/tmp/l.sock")).isEqualTo(new SocketChardevConfig(
                "compat_monitor0", new Unix(Path.of("/tmp/l.sock")), false, false, 0, "unix:/tmp/l.sock"));
        assertThat(only("-qmp", "tcp:127.0.0.1:4570,reconnect=2")).isEqualTo(new SocketChardevConfig(
                "compat_monitor0", new Tcp("127.0.0.1", 4570, false, false), false, false, 2, "tcp:127.0.0.1:4570"));
        // A client keeps the host name it was given.
        assertThat(only("-chardev", "socket,id=c1,host=localhost,port=4582,reconnect=5").filename())
                .isEqualTo("tcp:localhost:4582");
        assertThat(only("-chardev", "socket,id=c2,path=/tmp/none.sock,reconnect=5").filename())
                .isEqualTo("unix:/tmp/none.sock");
    }

    @Test
    void reconnectIsANumberInQemusBases() {
        assertThat(((SocketChardevConfig) only("-chardev", "socket,id=x,path=/tmp/l.sock,reconnect=0x10"))
                .reconnectSeconds()).isEqualTo(16);
        assertThat(((SocketChardevConfig) only("-chardev", "socket,id=x,path=/tmp/l.sock,reconnect=010"))
                .reconnectSeconds()).isEqualTo(8);
        // QEMU 7.2 wraps -1 to 2^64-1, stores it as int64 -1 and then never reconnects.
        assertThat(((SocketChardevConfig) only("-chardev", "socket,id=x,path=/tmp/l.sock,reconnect=-1"))
                .reconnectSeconds()).isZero();
    }

    @Test
    void ipFamilyFlags() {
        assertThat(((SocketChardevConfig) only("-chardev",
                "socket,id=x,host=127.0.0.1,port=1,ipv4=on,ipv6=on,server=on,wait=off")).address())
                .isEqualTo(new Tcp("127.0.0.1", 1, true, true));
    }

    @Test
    void stdio() {
        assertThat(only("-qmp", "stdio")).isEqualTo(new StdioChardevConfig("compat_monitor0", true));
        assertThat(only("-chardev", "stdio,id=x,signal=off")).isEqualTo(new StdioChardevConfig("x", false));
        assertThat(only("-chardev", "stdio,id=x").filename()).isEqualTo("stdio");
        // Every backend's keys are valid chardev keys; QEMU ignores those of other backends.
        assertThat(only("-chardev", "stdio,id=x,path=/tmp")).isEqualTo(new StdioChardevConfig("x", true));
    }

    @Test
    void everyBooleanSpelling() {
        for (String on : new String[] {"on", "yes", "true", "y"}) {
            assertThat(((StdioChardevConfig) only("-chardev", "stdio,id=x,signal=" + on)).signal()).isTrue();
        }
        for (String off : new String[] {"off", "no", "false", "n"}) {
            assertThat(((StdioChardevConfig) only("-chardev", "stdio,id=x,signal=" + off)).signal()).isFalse();
        }
    }

    @Test
    void commasEscapedInValues() {
        assertThat(only("-chardev", "socket,id=x,path=/tmp/e,,f.sock,server=on,wait=off").filename())
                .isEqualTo("unix:/tmp/e,f.sock,server=on");
        assertThat(only("-qmp", "unix:/tmp/e,,f.sock,server=on,wait=off").filename())
                .isEqualTo("unix:/tmp/e,f.sock,server=on");
    }

    @Test
    void firstIdAndLastValuesWin() {
        // Observed on QEMU 7.2 with query-chardev: labels a and c, paths i.sock, c is stdio.
        var chardevs = parse("-chardev", "socket,id=a,path=/tmp/g.sock,server=on,wait=off,id=b",
                "-chardev", "socket,id=c,backend=stdio",
                "-chardev", "socket,id=d,path=/tmp/h.sock,server=on,wait=off,path=/tmp/i.sock").chardevs();

        assertThat(chardevs).extracting(ChardevConfig::id).containsExactly("a", "c", "d");
        assertThat(chardevs.get(1)).isEqualTo(new StdioChardevConfig("c", true));
        assertThat(chardevs.get(2).filename()).isEqualTo("unix:/tmp/i.sock,server=on");
    }

    @Test
    void backendKeyMayBeExplicit() {
        assertThat(only("-chardev", "backend=socket,id=x,path=/tmp/e.sock,server=on,wait=off").filename())
                .isEqualTo("unix:/tmp/e.sock,server=on");
    }

    @Test
    void qmpIgnoresAnIdAndDoesNotWarnAboutShortBooleans() {
        RunOptions options = parse("-qmp", "unix:/tmp/u2.sock,server,nowait,id=foo");

        assertThat(options.chardevs()).containsExactly(new SocketChardevConfig("compat_monitor0",
                new Unix(Path.of("/tmp/u2.sock")), true, false, 0, "unix:/tmp/u2.sock,server=on"));
        assertThat(options.warnings()).isEmpty();
    }

    @Test
    void chardevWarnsAboutShortBooleansInQemusWords() {
        RunOptions options = parse("-chardev", "socket,id=a,path=/tmp/u.sock,server,nowait,nodelay");

        assertThat(((SocketChardevConfig) options.chardevs().getFirst()).waitForClient()).isFalse();
        String at = "-chardev socket,id=a,path=/tmp/u.sock,server,nowait,nodelay: warning: ";
        assertThat(options.warnings()).containsExactly(
                at + "short-form boolean option 'server' deprecated\nPlease use server=on instead",
                at + "short-form boolean option 'nowait' deprecated\nPlease use wait=off instead",
                at + "short-form boolean option 'nodelay' deprecated\nPlease use nodelay=on instead");
        assertThat(options.ignored()).containsExactly(
                "-chardev socket,id=a,path=/tmp/u.sock,server,nowait,nodelay: 'delay'/'nodelay' have no effect in jqmp");
    }

    @Test
    void shortDelayAdvisesNodelay() {
        assertThat(parse("-chardev", "socket,id=x,path=/tmp/x.sock,server=on,wait=off,delay").warnings())
                .containsExactly("-chardev socket,id=x,path=/tmp/x.sock,server=on,wait=off,delay: warning: "
                        + "short-form boolean option 'delay' deprecated\nPlease use nodelay=off instead");
    }
}
