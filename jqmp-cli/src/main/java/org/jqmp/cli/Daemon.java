package org.jqmp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -daemonize} as QEMU does it ({@code os_daemonize}, {@code os_setup_post}): the command returns once the
 * machine serves, leaving it running in the background; errors during start-up still reach the terminal and
 * make the command fail. A JVM cannot fork, so the parent starts the same {@code jqmp run} as a child in a new
 * session ({@code setsid}) and waits on a pipe for the child's "ready" line.
 */
final class Daemon {
    /** Set in the child's environment: it is the daemon and reports readiness on its standard output. */
    static final String CHILD_MARKER = "JQMP_DAEMON_CHILD";
    private static final String READY = "jqmp-daemon-ready";

    private Daemon() {
    }

    static boolean isChild() {
        return System.getenv(CHILD_MARKER) != null;
    }

    /** The parent's side: starts the child and returns the command's exit status (0 once the child serves). */
    static int detach(List<String> runOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IOException("cannot find the java launcher of this process")));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
        runOptions.stream().filter(o -> !o.equals("-daemonize") && !o.equals("--daemonize")).forEach(command::add);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(CHILD_MARKER, "1");
        Process child = builder.start();
        try (BufferedReader pipe = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = pipe.readLine()) != null) {
                if (line.equals(READY)) {
                    return 0;
                }
            }
        }
        int status = child.waitFor();
        return status == 0 ? 1 : status;
    }

    /** The child's side, once the machine serves: tells the parent, then lets go of the terminal. */
    static void ready() {
        System.out.println(READY);
        System.out.flush();
        System.out.close();
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
    }
}
