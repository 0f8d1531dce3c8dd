package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error text, written down by hand as QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18) printed it for
 * {@code qemu-system-x86_64 -M none -nodefaults -S -display none ARGS} (observed on QEMU 7.2; the
 * {@code qemu-system-x86_64: } prefix of each line removed). {@link RealQemuErrorTextsTest} re-checks the same
 * table against the installed QEMU.
 */
class QemuErrorTextsTest {

    /** Arguments (split on '|'), then QEMU's lines. */
    static Stream<Arguments> qemuErrors() {
        return Stream.of(
                error("-foo", "-foo: invalid option"),
                error("---S", "---S: invalid option"),
                error("-", "-: invalid option"),
                error("--", "--: invalid option"),
                error("-qmp", "-qmp: requires an argument"),
                error("-qmp-pretty", "-qmp-pretty: requires an argument"),
                error("-mon", "-mon: requires an argument"),
                error("-chardev", "-chardev: requires an argument"),
                error("-uuid", "-uuid: requires an argument"),
                // -qmp's short chardev syntax
                error("-qmp|bogus:x", "-qmp bogus:x: 'bogus:x' is not a valid char driver",
                        "-qmp bogus:x: parse error: bogus:x"),
                error("-qmp|none", "-qmp none: 'none' is not a valid char driver", "-qmp none: parse error: none"),
                error("-qmp|stdio,signal=off", "-qmp stdio,signal=off: 'stdio,signal=off' is not a valid char driver",
                        "-qmp stdio,signal=off: parse error: stdio,signal=off"),
                error("-qmp|tcp:127.0.0.1", "-qmp tcp:127.0.0.1: parse error: tcp:127.0.0.1"),
                error("-qmp|unix:/tmp/z.sock,server=on,wait=off,bogus=1",
                        "-qmp unix:/tmp/z.sock,server=on,wait=off,bogus=1: Invalid parameter 'bogus'",
                        "-qmp unix:/tmp/z.sock,server=on,wait=off,bogus=1: parse error: "
                                + "unix:/tmp/z.sock,server=on,wait=off,bogus=1"),
                error("-qmp|tcp:127.0.0.1:abc,server=on,wait=off", "-qmp tcp:127.0.0.1:abc,server=on,wait=off: "
                        + "address resolution failed for 127.0.0.1:abc: Servname not supported for ai_socktype"),
                error("-qmp|tcp:[::1]:4599,server=on,wait=off", "-qmp tcp:[::1]:4599,server=on,wait=off: "
                        + "address resolution failed for [::1]:4599: Servname not supported for ai_socktype"),
                error("-qmp|unix:", "-qmp unix:: Unable to parse FD number "),
                error("-qmp|stdio|-qmp|stdio", "-qmp stdio: cannot use stdio by multiple character devices"),
                error("-qmp|tcp:127.0.0.1:4444,server=on,wait=off,reconnect=1",
                        "-qmp tcp:127.0.0.1:4444,server=on,wait=off,reconnect=1: "
                                + "'reconnect' option is incompatible with socket in server listen mode"),
                error("-qmp|unix:/tmp/x.sock,wait=off", "-qmp unix:/tmp/x.sock,wait=off: "
                        + "'wait' option is incompatible with socket in client connect mode"),
                error("-qmp|unix:/tmp/x.sock,server=on,wait=off,reconnect=0",
                        "-qmp unix:/tmp/x.sock,server=on,wait=off,reconnect=0: "
                                + "'reconnect' option is incompatible with socket in server listen mode"),
                error("-chardev|null,id=compat_monitor0|-qmp|stdio",
                        "-qmp stdio: Duplicate ID 'compat_monitor0' for chardev", "-qmp stdio: parse error: stdio"),
                error("-chardev|stdio,id=x|-mon|x,mode=control,pretty=on,id=compat_monitor0|-qmp|stdio",
                        "-qmp stdio: Duplicate ID 'compat_monitor0' for mon"),
                error("-qmp|chardev:x", "-qmp chardev:x: chardev \"x\" not found"),
                error("-qmp|chardev:1x", "-qmp chardev:1x: Parameter 'id' expects an identifier"),
                error("-qmp|chardev:", "-qmp chardev:: Parameter 'id' expects an identifier"),
                error("-chardev|stdio,id=x|-qmp|chardev:x|-qmp|chardev:x", "-qmp chardev:x: Duplicate ID 'x' for mon"),
                error("-qmp|tcp::,server=on", "-qmp tcp::,server=on: parse error: tcp::,server=on"),
                error("-qmp|tcp:a:b:c,server=on,wait=off", "-qmp tcp:a:b:c,server=on,wait=off: "
                        + "address resolution failed for a:b:c: Servname not supported for ai_socktype"),
                // -chardev
                error("-chardev|socket,id=x", "-chardev socket,id=x: Unable to parse FD number "),
                error("-chardev|socket", "-chardev socket: chardev: no id specified"),
                error("-chardev|path=x", "-chardev path=x: chardev: no id specified"),
                error("-chardev|id=x", "-chardev id=x: chardev: \"x\" missing backend"),
                error("-chardev|socket,id=x,port=4599", "-chardev socket,id=x,port=4599: Unable to parse FD number "),
                error("-chardev|socket,id=x,port=1,reconnect=1", "-chardev socket,id=x,port=1,reconnect=1: "
                        + "'reconnect' option is incompatible with 'fd' address type"),
                error("-chardev|socket,id=x,host=127.0.0.1",
                        "-chardev socket,id=x,host=127.0.0.1: chardev: socket: no port given"),
                error("-chardev|socket,id=x,host=127.0.0.1,port=abc", "-chardev socket,id=x,host=127.0.0.1,port=abc: "
                        + "address resolution failed for 127.0.0.1:abc: Servname not supported for ai_socktype"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,host=127.0.0.1,port=1",
                        "-chardev socket,id=x,path=/tmp/z.sock,host=127.0.0.1,port=1: "
                                + "None or one of 'path', 'fd' or 'host' option required."),
                error("-chardev|socket,id=x,path=/tmp/z.sock,server=maybe",
                        "-chardev socket,id=x,path=/tmp/z.sock,server=maybe: Parameter 'server' expects 'on' or 'off'"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,reconnect=abc",
                        "-chardev socket,id=x,path=/tmp/z.sock,reconnect=abc: Parameter 'reconnect' expects a number"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,reconnect=",
                        "-chardev socket,id=x,path=/tmp/z.sock,reconnect=: Parameter 'reconnect' expects a number"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,reconnect=1x",
                        "-chardev socket,id=x,path=/tmp/z.sock,reconnect=1x: Parameter 'reconnect' expects a number"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,server=on,wait=off,reconnect=2",
                        "-chardev socket,id=x,path=/tmp/z.sock,server=on,wait=off,reconnect=2: "
                                + "'reconnect' option is incompatible with socket in server listen mode"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,bogus=1",
                        "-chardev socket,id=x,path=/tmp/z.sock,bogus=1: Invalid parameter 'bogus'"),
                error("-chardev|socket,id=x,path=/tmp/z.sock,server=on,wait=off|-chardev|socket,id=x,path=/tmp/y.sock",
                        "-chardev socket,id=x,path=/tmp/y.sock: Duplicate ID 'x' for chardev"),
                error("-chardev|nosuch,id=x", "-chardev nosuch,id=x: 'nosuch' is not a valid char driver name"),
                error("-chardev|socket,,id=x", "-chardev socket,,id=x: 'socket,id=x' is not a valid char driver name"),
                error("-chardev|null", "-chardev null: chardev: no id specified"),
                error("-chardev|stdio,id=x,signal=maybe",
                        "-chardev stdio,id=x,signal=maybe: Parameter 'signal' expects 'on' or 'off'"),
                error("-chardev|stdio,id=x,signal=ON",
                        "-chardev stdio,id=x,signal=ON: Parameter 'signal' expects 'on' or 'off'"),
                error("-chardev|stdio,id=x|-chardev|stdio,id=y",
                        "-chardev stdio,id=y: cannot use stdio by multiple character devices"),
                error("-qmp|stdio|-chardev|stdio,id=x",
                        "-chardev stdio,id=x: cannot use stdio by multiple character devices"),
                error("-chardev|stdio,id=1x", "-chardev stdio,id=1x: Parameter 'id' expects an identifier\n"
                        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                error("-chardev|stdio,id=", "-chardev stdio,id=: Parameter 'id' expects an identifier\n"
                        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                error("-chardev|socket,id=x,,y,path=/tmp/e.sock,server=on,wait=off",
                        "-chardev socket,id=x,,y,path=/tmp/e.sock,server=on,wait=off: "
                                + "Parameter 'id' expects an identifier\n"
                                + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                error("-chardev|socket,id=x,path=/tmp/e.sock,server=on,wait=off,,",
                        "-chardev socket,id=x,path=/tmp/e.sock,server=on,wait=off,,: "
                                + "Parameter 'wait' expects 'on' or 'off'"),
                error("-chardev|socket,id=x,path=/tmp/e.sock,,server=on,wait=off",
                        "-chardev socket,id=x,path=/tmp/e.sock,,server=on,wait=off: "
                                + "'wait' option is incompatible with socket in client connect mode"),
                error("-chardev|socket,id=x,path=/tmp/e.sock,server=on,wait=off,=1",
                        "-chardev socket,id=x,path=/tmp/e.sock,server=on,wait=off,=1: Invalid parameter ''"),
                error("-chardev|socket,id=x,path=/tmp/e.sock,server=on,wait=off,server=off",
                        "-chardev socket,id=x,path=/tmp/e.sock,server=on,wait=off,server=off: "
                                + "'wait' option is incompatible with socket in client connect mode"),
                error("-chardev|socket,id=x,path=/tmp/x.sock,server=on,wait=off,delay=on,nodelay=on",
                        "-chardev socket,id=x,path=/tmp/x.sock,server=on,wait=off,delay=on,nodelay=on: "
                                + "'delay' and 'nodelay' are mutually exclusive"),
                error("-chardev|socket,id=x,path=/tmp/x.sock,server,bogus",
                        "-chardev socket,id=x,path=/tmp/x.sock,server,bogus: warning: "
                                + "short-form boolean option 'server' deprecated\nPlease use server=on instead",
                        "-chardev socket,id=x,path=/tmp/x.sock,server,bogus: warning: "
                                + "short-form boolean option 'bogus' deprecated\nPlease use bogus=on instead",
                        "-chardev socket,id=x,path=/tmp/x.sock,server,bogus: Invalid parameter 'bogus'"),
                // -mon
                error("-mon|x", "-mon x: chardev \"x\" not found"),
                error("-mon|chardev=x", "-mon chardev=x: chardev \"x\" not found"),
                error("-mon|help", "-mon help: chardev \"help\" not found"),
                error("-chardev|stdio,id=x|-mon|x,mode=foo", "-mon x,mode=foo: Parameter 'mode' does not accept value 'foo'"),
                error("-mon|nonexist,mode=foo", "-mon nonexist,mode=foo: Parameter 'mode' does not accept value 'foo'"),
                error("-chardev|stdio,id=x|-mon|x,mode=control,pretty=maybe",
                        "-mon x,mode=control,pretty=maybe: Parameter 'pretty' expects 'on' or 'off'"),
                error("-chardev|stdio,id=x|-mon|chardev=x,mode=control,bogus=1",
                        "-mon chardev=x,mode=control,bogus=1: Invalid parameter 'bogus'"),
                error("-mon|mode=control", "-mon mode=control: Parameter 'chardev' is missing"),
                error("-chardev|stdio,id=x|-mon|chardev=x,mode=control|-mon|chardev=x,mode=control",
                        "-mon chardev=x,mode=control: Device 'x' is in use"),
                error("-chardev|stdio,id=x|-mon|chardev=x,mode=readline,pretty=on",
                        "-mon chardev=x,mode=readline,pretty=on: 'pretty' is not compatible with HMP monitors"),
                error("-mon|chardev=nonexist,mode=readline,pretty=on",
                        "-mon chardev=nonexist,mode=readline,pretty=on: chardev \"nonexist\" not found"),
                error("-chardev|stdio,id=x|-mon|chardev=x,mode=control,id=m1|-mon|chardev=x,mode=control,id=m1",
                        "-mon chardev=x,mode=control,id=m1: Duplicate ID 'm1' for mon"),
                error("-mon|chardev=x,mode=control,id=1m", "-mon chardev=x,mode=control,id=1m: "
                        + "Parameter 'id' expects an identifier\n"
                        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                error("-qmp|stdio|-chardev|stdio,id=y|-mon|compat_monitor0",
                        "-chardev stdio,id=y: cannot use stdio by multiple character devices"),
                // -M / -machine (QEMU names no option for these)
                error("-M|foo", "unsupported machine type\nUse -machine help to list supported machines"),
                error("-M", "-M: requires an argument"),
                error("-machine|type=foo", "unsupported machine type\nUse -machine help to list supported machines"),
                error("-machine|pc,bogus=1", "Property 'pc-i440fx-7.2-machine.bogus' not found"),
                error("-machine|bogus=1", "Property 'none-machine.bogus' not found"),
                error("-machine|none,usb", "-machine none,usb: Expected '=' after parameter 'usb'"),
                error("-machine|none,,x", "-machine none,,x: Invalid parameter ''"),
                error("-machine|none,type", "-machine none,type: Expected '=' after parameter 'type'"),
                error("-machine|none,accel=foo", "invalid accelerator foo"),
                // -name, -uuid, -m
                error("-name", "-name: requires an argument"),
                error("-name|foo,bogus=1", "-name foo,bogus=1: Invalid parameter 'bogus'"),
                error("-name|a=b", "-name a=b: Invalid parameter 'a'"),
                error("-uuid|foo", "-uuid foo: failed to parse UUID string: wrong format"),
                error("-uuid|123e4567-e89b-12d3-a456-42661417400",
                        "-uuid 123e4567-e89b-12d3-a456-42661417400: failed to parse UUID string: wrong format"),
                error("-uuid|{123e4567-e89b-12d3-a456-426614174000}",
                        "-uuid {123e4567-e89b-12d3-a456-426614174000}: failed to parse UUID string: wrong format"),
                error("-uuid|123e4567e89b12d3a456426614174000",
                        "-uuid 123e4567e89b12d3a456426614174000: failed to parse UUID string: wrong format"),
                error("-uuid|123e4567-e89b-12d3-a456-426614174000|-uuid|zz",
                        "-uuid zz: failed to parse UUID string: wrong format"),
                error("-m", "-m: requires an argument"),
                error("-m|foo", "-m foo: Parameter 'size' expects a non-negative number below 2^64\n"
                        + "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                        + "and exabytes, respectively."),
                error("-m|-5", "-m -5: Parameter 'size' expects a non-negative number below 2^64\n"
                        + "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                        + "and exabytes, respectively."),
                error("-m|1.5", "-m 1.5: Parameter 'size' expects a non-negative number below 2^64\n"
                        + "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                        + "and exabytes, respectively."),
                error("-m|size=", "-m size=: Parameter 'size' expects a non-negative number below 2^64\n"
                        + "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                        + "and exabytes, respectively."),
                error("-m|64,bogus=1", "-m 64,bogus=1: Invalid parameter 'bogus'"),
                error("-m|99999999999999", "Parameter 'memory.size' expects size"),
                // -display, -compat
                error("-display", "-display: requires an argument"),
                error("-display|foo", "-display foo: Parameter 'type' does not accept value 'foo'"),
                error("-display|vnc", "-display vnc: VNC requires a display argument vnc=<display>"),
                error("-display|none,bogus=1", "-display none,bogus=1: Parameter 'bogus' is unexpected"),
                error("-display|none,gl=on", "OpenGL is not supported by the display"),
                error("-compat", "-compat: requires an argument"),
                error("-compat|deprecated-input=foo",
                        "-compat deprecated-input=foo: Parameter 'deprecated-input' does not accept value 'foo'"),
                error("-compat|bogus=1", "-compat bogus=1: Parameter 'bogus' is unexpected"),
                error("-compat|deprecated-input", "-compat deprecated-input: Expected '=' after parameter "
                        + "'deprecated-input'"),
                error("-compat|reject", "-compat reject: Expected '=' after parameter 'reject'"),
                // QEMU's order of checks across options
                error("-mon|nonexist|-chardev|nosuch,id=x", "-chardev nosuch,id=x: 'nosuch' is not a valid char driver name"),
                error("-mon|nonexist|-M|foo", "unsupported machine type\nUse -machine help to list supported machines"),
                error("-chardev|nosuch,id=x|-M|foo", "unsupported machine type\nUse -machine help to list supported machines"),
                error("-M|none,bogus=1|-mon|nonexist", "Property 'none-machine.bogus' not found"),
                error("-M|none,bogus=1|-chardev|nosuch,id=x", "-chardev nosuch,id=x: 'nosuch' is not a valid char driver name"),
                error("-mon|nonexist|-compat|bogus=1", "-compat bogus=1: Parameter 'bogus' is unexpected"),
                error("-M|foo|-m|foo", "-m foo: Parameter 'size' expects a non-negative number below 2^64\n"
                        + "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                        + "and exabytes, respectively."),
                error("-mon|nonexist|-uuid|foo", "-uuid foo: failed to parse UUID string: wrong format"),
                error("-chardev|nosuch,id=x|-chardev|socket,id=x", "-chardev socket,id=x: Duplicate ID 'x' for chardev"),
                error("-chardev|socket,id=y|-chardev|nosuch,id=x", "-chardev socket,id=y: Unable to parse FD number "),
                error("-chardev|nosuch,id=x|-qmp|tcp:127.0.0.1:abc,server=on,wait=off",
                        "-chardev nosuch,id=x: 'nosuch' is not a valid char driver name"),
                error("-qmp|tcp:127.0.0.1:abc,server=on,wait=off|-chardev|nosuch,id=x",
                        "-qmp tcp:127.0.0.1:abc,server=on,wait=off: "
                                + "address resolution failed for 127.0.0.1:abc: Servname not supported for ai_socktype"),
                error("-mon|nonexist|-display|foo", "-display foo: Parameter 'type' does not accept value 'foo'"),
                error("--chardev|nosuch,id=x", "--chardev nosuch,id=x: 'nosuch' is not a valid char driver name"),
                // the machine's backends
                error("-chardev|file,id=f", "-chardev file,id=f: chardev: file: no filename given"),
                error("-chardev|ringbuf,id=r,size=1000",
                        "-chardev ringbuf,id=r,size=1000: size of ringbuf chardev must be power of two"),
                error("-chardev|memory,id=r,size=3k",
                        "-chardev memory,id=r,size=3k: size of ringbuf chardev must be power of two"),
                error("-chardev|ringbuf,id=r,size=abc",
                        "-chardev ringbuf,id=r,size=abc: Parameter 'size' expects a non-negative number below 2^64\n"
                                + OptionValues.SIZE_HINT),
                error("-chardev|null", "-chardev null: chardev: no id specified"),
                error("-chardev|null,id=n|-chardev|pty,id=n", "-chardev pty,id=n: Duplicate ID 'n' for chardev"),
                // -serial
                error("-serial|bogus:x", "-serial bogus:x: 'bogus:x' is not a valid char driver",
                        "-serial bogus:x: could not connect serial device to character backend 'bogus:x'"),
                error("-serial|chardev:zz",
                        "-serial chardev:zz: could not connect serial device to character backend 'chardev:zz'"),
                error("-serial|null|-chardev|ringbuf,id=r,size=5",
                        "-chardev ringbuf,id=r,size=5: size of ringbuf chardev must be power of two"),
                error("-serial|none|-serial|chardev:zz",
                        "-serial chardev:zz: could not connect serial device to character backend 'chardev:zz'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuErrors")
    void refusesWithQemusText(String args, List<String> expected) {
        CommandLineException e = refuse(args);

        assertThat(e.messages()).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
        assertThat(e.exitCode()).isEqualTo(1);
    }

    static Arguments error(String args, String... lines) {
        return Arguments.of(args, List.of(lines));
    }

    /** What every observation ran with before ARGS. */
    static final List<String> BASE = List.of("-M", "none", "-nodefaults", "-S", "-display", "none");

    static List<String> split(String args) {
        return Arrays.asList(args.split("\\|", -1));
    }

    static List<String> withBase(String args) {
        List<String> all = new ArrayList<>(BASE);
        all.addAll(split(args));
        return all;
    }

    static CommandLineException refuse(String args) {
        CommandLineException e = catchThrowableOfType(CommandLineException.class,
                () -> QemuCommandLine.parse(withBase(args)));
        assertThat(e).as("QEMU refuses %s", args).isNotNull();
        return e;
    }
}
