package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What QEMU 7.2 accepts but jqmp refuses, each with a message that says what is missing. These are jqmp's
 * own words, so they are not compared with QEMU.
 */
class JqmpRefusalsTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                QemuErrorTextsTest.error("-machine|q35", "unsupported machine type\n"
                        + "Use -machine help to list supported machines"),
                QemuErrorTextsTest.error("-smp|2", "-smp: option not supported by jqmp yet"),
                QemuErrorTextsTest.error("-no-hpet", "-no-hpet: option not supported by jqmp yet"),
                QemuErrorTextsTest.error("disk.img",
                        "disk.img: disk images as plain arguments (QEMU's -hda) are not supported by jqmp yet"),
                QemuErrorTextsTest.error("-chardev|udp,id=x",
                        "-chardev udp,id=x: chardev backend 'udp' is not supported by jqmp yet "
                                + "(supported: socket, stdio, null, file, ringbuf, memory, pty)"),
                QemuErrorTextsTest.error("-chardev|tty,id=x,path=/dev/ttyS0",
                        "-chardev tty,id=x,path=/dev/ttyS0: chardev backend 'serial' is not supported by jqmp yet "
                                + "(supported: socket, stdio, null, file, ringbuf, memory, pty)"),
                QemuErrorTextsTest.error("-qmp|null",
                        "-qmp null: a monitor on a chardev of backend 'null' is not supported by jqmp "
                                + "(supported: socket, stdio)"),
                QemuErrorTextsTest.error("-chardev|memory,id=m|-mon|m,mode=control",
                        "-mon m,mode=control: a monitor on a chardev of backend 'memory' is not supported by jqmp "
                                + "(supported: socket, stdio)"),
                QemuErrorTextsTest.error("-qmp|file:/tmp/log",
                        "-qmp file:/tmp/log: a monitor on a chardev of backend 'file' is not supported by jqmp "
                                + "(supported: socket, stdio)"),
                QemuErrorTextsTest.error("-chardev|ringbuf,id=r,size=2G",
                        "-chardev ringbuf,id=r,size=2G: size of ringbuf chardev must be at most 1G in jqmp "
                                + "(MAX_RINGBUF_SIZE)"),
                QemuErrorTextsTest.error("-serial|mon:vc",
                        "-serial mon:vc: chardev backend 'vc' is not supported by jqmp yet (supported: socket, stdio,"
                                + " null, file, ringbuf, memory, pty)"),
                QemuErrorTextsTest.error("-chardev|socket,id=x,path=/tmp/x.sock,server=on,wait=off,logfile=/tmp/l"
                                + "|-mon|x,mode=control",
                        "-chardev socket,id=x,path=/tmp/x.sock,server=on,wait=off,logfile=/tmp/l: chardev option "
                                + "'logfile' is not supported by jqmp on a QMP monitor's chardev or an unused stdio"),
                QemuErrorTextsTest.error("-qmp|telnet:127.0.0.1:4601,server=on,wait=off",
                        "-qmp telnet:127.0.0.1:4601,server=on,wait=off: socket option 'telnet' is not supported by jqmp"),
                QemuErrorTextsTest.error("-chardev|socket,id=x,path=/tmp/x.sock,server=on,wait=off,telnet=on",
                        "-chardev socket,id=x,path=/tmp/x.sock,server=on,wait=off,telnet=on: "
                                + "socket option 'telnet' is not supported by jqmp"),
                QemuErrorTextsTest.error("-chardev|socket,id=x,fd=3,server=on",
                        "-chardev socket,id=x,fd=3,server=on: socket option 'fd' is not supported by jqmp"),
                QemuErrorTextsTest.error("-chardev|socket,id=x,port=4586,server=on,wait=off",
                        "-chardev socket,id=x,port=4586,server=on,wait=off: Unable to parse FD number "),
                QemuErrorTextsTest.error("-chardev|socket,id=x,path=,server=on,wait=off",
                        "-chardev socket,id=x,path=,server=on,wait=off: an empty socket path is not supported by jqmp"),
                QemuErrorTextsTest.error("-qmp|tcp:127.0.0.1:99999,server=on,wait=off",
                        "-qmp tcp:127.0.0.1:99999,server=on,wait=off: port 99999 is out of range (0 to 65535)"),
                QemuErrorTextsTest.error("-display|gtk",
                        "-display gtk: display 'gtk' is not supported by jqmp, which has no graphical output; "
                                + "use -display none"),
                QemuErrorTextsTest.error("-display|vnc=:0",
                        "-display vnc=:0: the VNC display is not supported by jqmp; use -display none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesClearly(String args, List<String> expected) {
        assertThat(QemuErrorTextsTest.refuse(args).messages()).containsExactlyElementsOf(expected);
    }
}
