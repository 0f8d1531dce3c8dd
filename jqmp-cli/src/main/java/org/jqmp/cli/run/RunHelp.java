package org.jqmp.cli.run;

/** What {@code jqmp run --help} (or QEMU's {@code -h} / {@code -help}) prints: every option jqmp run takes. */
public final class RunHelp {
    private RunHelp() {
    }

    /** True when the arguments ask for help: QEMU's {@code -h} and {@code -help}, and {@code --help}. */
    public static boolean asked(java.util.List<String> args) {
        return args.stream().anyMatch(a -> a.equals("-h") || a.equals("-help") || a.equals("--help"));
    }

    public static String text() {
        return String.join("\n",
                "usage: jqmp run [options]",
                "Starts a machine behind QMP, with QEMU 7.2's command-line syntax. Without a monitor option it",
                "serves QMP on a Unix socket in a per-user directory and prints where.",
                "",
                "Machine:",
                "  -M, -machine TYPE[,...]      pc (default: ACPI, four serial ports, a simulated guest) or none",
                "  -m SIZE                      guest RAM (MiB without a suffix)",
                "  -name [guest=]NAME           the name query-name reports",
                "  -uuid UUID                   the UUID query-uuid reports",
                "  -S                           do not start the CPUs: stay in prelaunch until cont",
                "  -nodefaults                  no default devices",
                "  -display none                jqmp has no display",
                "  -nographic                   no display; the default serial port and monitor on stdio",
                "  -compat deprecated-input=..,deprecated-output=..,unstable-input=..,unstable-output=..",
                "",
                "What guest events do:",
                "  -no-shutdown                 stop in 'shutdown' instead of exiting when the guest powers off",
                "  -no-reboot                   a reset becomes a shutdown",
                "  -action reboot=..,shutdown=..,panic=..,watchdog=..",
                "  -watchdog-action ACTION      reset, shutdown, poweroff, pause, debug, none, inject-nmi",
                "",
                "Monitors and character devices:",
                "  -qmp DEV, -qmp-pretty DEV    a QMP monitor, e.g. unix:/tmp/qmp.sock,server=on,wait=off",
                "  -mon [chardev=]ID[,mode=control|readline][,pretty=on]",
                "                               QMP (control) or a human monitor (readline, the default)",
                "  -monitor DEV                 a human monitor (HMP), e.g. unix:/tmp/hmp.sock,server=on,wait=off",
                "  -chardev BACKEND,id=ID,...   null, file, socket, pty, ringbuf/memory, mux; mux=on shares",
                "                               it between serial ports and a monitor (Ctrl-A c switches)",
                "  -serial DEV                  a serial port of the pc machine (chardev:ID, unix:..., mon:stdio,",
                "                               none, ...)",
                "",
                "Disks:",
                "  -drive file=..,format=..,if=..,media=..,...",
                "  -blockdev driver=..,node-name=..,...   a block node (file, raw, qcow2), QEMU's keyval syntax",
                "  -device ide-hd|ide-cd|virtio-blk-pci,drive=ID   a disk's device model",
                "  -snapshot                    every -drive as with snapshot=on: writes go to a temporary overlay",
                "",
                "The simulated guest (pc only): firmware, then an OS whose console is on the first serial port",
                "(commands: help, echo, uptime, poweroff, reboot, suspend, panic, hang, disk, lock, unlock):",
                "  -jqmp-guest boot-delay=MS,watchdog-timeout=MS",
                "                               guest time until the OS is up (default 300) and until a hung",
                "                               guest's watchdog fires (default 1000)",
                "  -jqmp-guest-disk DEV[,profile=read|write|mixed|idle][,rate=N][,size=BYTES]",
                "                               a disk workload the OS starts at boot (write overwrites the disk)",
                "  -device i6300esb | ib700      a watchdog the guest feeds until it hangs",
                "  -device pvpanic | pvpanic-pci how the guest reports a panic (without one, nobody hears it)",
                "",
                "Process:",
                "  -daemonize                   detach once the machine serves",
                "  -pidfile FILE                write and lock the process id",
                "  -h, -help, --help            this text",
                "");
    }
}
