// tcp-echo-floor: the TCP counterpart of ../shared/bench/qmp-echo-floor (which listens on a Unix socket only).
// It sends a greeting, then one fixed {"return": {}} line per newline it reads, parsing nothing, on one thread
// per client, with TCP_NODELAY as jqmp and QEMU set it. Its round trip is the floor for TCP on this machine.
// Usage: tcp-echo-floor PORT   (listens on 127.0.0.1)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char GREETING[] = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                               "\"package\": \"\"}, \"capabilities\": []}}\r\n";
static const char REPLY[] = "{\"return\": {}}\r\n";

static void *client(void *arg) {
    int fd = (int)(long)arg;
    char buf[65536];
    ssize_t got;
    if (write(fd, GREETING, sizeof GREETING - 1) < 0) goto done;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n' && write(fd, REPLY, sizeof REPLY - 1) < 0) goto done;
        }
    }
done:
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tcp-echo-floor PORT\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 64)) {
        perror("tcp-echo-floor: bind/listen");
        return 1;
    }
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        pthread_t thread;
        pthread_create(&thread, NULL, client, (void *)(long)fd);
        pthread_detach(thread);
    }
}
