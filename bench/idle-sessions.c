// idle-sessions: opens COUNT QMP sessions to one server and holds them idle, to measure what an idle session
// costs the server: resident memory (VmRSS) and threads, read from /proc/SERVER_PID/status before and after.
//
//   idle-sessions ADDRESS COUNT SERVER_PID [SETTLE_COMMAND]
//
// ADDRESS is a Unix socket path or tcp:PORT (127.0.0.1). Every session is negotiated (greeting read,
// qmp_capabilities answered), so the server holds a real command-mode session for each. SETTLE_COMMAND (e.g.
// "jcmd PID GC.run") runs before each measurement. Then every 500th session sends query-version and must get a
// reply, all sessions close, and the client waits (at most 60 s) for the server's thread count to come back.
// The whole run is bounded by alarm(); on any failure it exits 1 with the reason.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *address;
static int server_pid;

static void fail(const char *what, long index) {
    fprintf(stderr, "idle-sessions: %s (session %ld): %s\n", what, index, errno ? strerror(errno) : "unexpected");
    exit(1);
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "idle-sessions: time limit reached, giving up\n";
    write(2, msg, sizeof msg - 1);
    _exit(1);
}

static int dial(long index) {
    int fd;
    if (strncmp(address, "tcp:", 4) == 0) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(address + 4)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) fail("connect", index);
    } else {
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s", address);
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) fail("connect", index);
    }
    return fd;
}

// Reads until a newline; the server's lines here are short, and nothing else is in flight on the socket.
static void read_line(int fd, long index) {
    char c;
    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r <= 0) fail("read", index);
        if (c == '\n') return;
    }
}

static void send_text(int fd, const char *text, long index) {
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) fail("write", index);
}

static long status_field(const char *name) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", server_pid);
    FILE *f = fopen(path, "r");
    if (!f) fail("open /proc/PID/status", -1);
    long value = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') value = atol(line + n + 1);
    }
    fclose(f);
    return value;
}

static void measure(const char *label, const char *settle) {
    if (settle && *settle && system(settle) != 0) fprintf(stderr, "idle-sessions: settle command failed\n");
    sleep(1);
    printf("%s rss_kib=%ld threads=%ld\n", label, status_field("VmRSS"), status_field("Threads"));
    fflush(stdout);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: idle-sessions ADDRESS COUNT SERVER_PID [SETTLE_COMMAND]\n");
        return 2;
    }
    address = argv[1];
    long count = atol(argv[2]);
    server_pid = atoi(argv[3]);
    const char *settle = argc > 4 ? argv[4] : NULL;
    signal(SIGALRM, on_alarm);
    alarm(600);
    struct rlimit lim = {count + 64, count + 64};
    if (setrlimit(RLIMIT_NOFILE, &lim)) fail("raise RLIMIT_NOFILE", -1);

    measure("before", settle);
    long threads_before = status_field("Threads");
    int *fds = calloc(count, sizeof *fds);
    double t0 = now();
    for (long i = 0; i < count; i++) {
        fds[i] = dial(i);
        read_line(fds[i], i);
        send_text(fds[i], "{\"execute\": \"qmp_capabilities\"}\n", i);
        read_line(fds[i], i);
    }
    printf("opened sessions=%ld seconds=%.2f\n", count, now() - t0);
    measure("idle", settle);
    for (long i = 0; i < count; i += 500) {
        send_text(fds[i], "{\"execute\": \"query-version\"}\n", i);
        read_line(fds[i], i);
    }
    printf("probed every 500th session: all answered\n");
    for (long i = 0; i < count; i++) close(fds[i]);
    double deadline = now() + 60;
    while (status_field("Threads") > threads_before && now() < deadline) usleep(100000);
    measure("closed", settle);
    return 0;
}
