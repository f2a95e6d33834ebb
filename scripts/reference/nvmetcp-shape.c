/*
 * nvmetcp-shape.c -- the machine's ceiling for an NVMe/TCP-shaped exchange over loopback, in plain C.
 *
 *   nvmetcp-shape server PORT DATA_BYTES
 *   nvmetcp-shape client HOST PORT QD DATA_BYTES SECONDS
 *
 * Same byte shape as our load generator against nvmf-target, without any NVMe semantics:
 *   client -> server: 72-byte requests (CapsuleCmd: 8-byte common header + 64-byte SQE), QD outstanding;
 *   server -> client: per request a 24-byte header (C2HData) + DATA_BYTES of data + a 24-byte trailer (CapsuleResp).
 * One thread each, one epoll set each, non-blocking sockets. The server drains everything readable, answers every
 * complete request of the batch and sends all answers with one writev per batch (iovecs point at a static "namespace"
 * buffer, so the data is not copied in user space; the kernel copies it once into the socket). The client keeps QD
 * requests in flight and re-issues as responses complete, batching its sends the same way.
 * The client prints "requests N seconds S rps R MBps M p50_us P" on stdout.
 * Pin with taskset (server on CPU 0, client on CPU 1) to match scripts/perf-nvme.sh.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define REQ 72
#define HDR 24
#define TRL 24
#define MAX_IOV 1024

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Writes all iovecs, waiting in poll-free spins on EAGAIN (the peer is draining on the other core). */
static int writev_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return -1;
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

static int server(int port, size_t data)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 16) < 0)
        die("bind/listen");
    printf("listening %d\n", port);
    fflush(stdout);
    char *ns = malloc(data);
    memset(ns, 0xA5, data);
    static char hdr[HDR], trl[TRL];
    static char rbuf[1 << 20];
    struct iovec *iov = malloc(sizeof *iov * MAX_IOV * 3);
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0)
            die("accept");
        tune(fd);
        int ep = epoll_create1(0);
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        size_t have = 0;
        for (;;) {
            struct epoll_event out;
            int k = epoll_wait(ep, &out, 1, -1);
            if (k < 0 && errno == EINTR)
                continue;
            ssize_t r = recv(fd, rbuf + have, sizeof rbuf - have, 0);
            if (r == 0)
                break;
            if (r < 0) {
                if (errno == EAGAIN)
                    continue;
                break;
            }
            have += (size_t)r;
            size_t n = have / REQ, i;
            int iovs = 0;
            for (i = 0; i < n; i++) {
                iov[iovs++] = (struct iovec){ hdr, HDR };
                iov[iovs++] = (struct iovec){ ns, data };
                iov[iovs++] = (struct iovec){ trl, TRL };
                if (iovs >= MAX_IOV * 3 - 3) {
                    if (writev_all(fd, iov, iovs) < 0)
                        goto done;
                    iovs = 0;
                }
            }
            if (iovs > 0 && writev_all(fd, iov, iovs) < 0)
                break;
            memmove(rbuf, rbuf + n * REQ, have - n * REQ);
            have -= n * REQ;
        }
done:
        close(ep);
        close(fd);
    }
    return 0;
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static int client(const char *host, int port, int qd, size_t data, double seconds)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
        die("connect");
    tune(fd);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    size_t resp = HDR + data + TRL;
    size_t cap = resp * (size_t)qd + 65536;
    char *rbuf = malloc(cap);
    char req[REQ * 256];
    memset(req, 0x42, sizeof req);
    double *sent_at = calloc((size_t)qd, sizeof *sent_at);
    size_t lat_cap = 1 << 22, lat_n = 0;
    double *lat = malloc(sizeof *lat * lat_cap);
    int head = 0; /* ring of send times: responses come back in order on one connection */
    double t0 = now_s(), end = t0 + seconds;
    for (int i = 0; i < qd; i++)
        sent_at[i] = t0;
    if (writev_all(fd, &(struct iovec){ req, (size_t)qd * REQ }, 1) < 0)
        die("send");
    long done = 0;
    size_t have = 0;
    double t = t0;
    while (t < end) {
        struct epoll_event out;
        int k = epoll_wait(ep, &out, 1, 100);
        if (k <= 0) {
            t = now_s();
            continue;
        }
        for (;;) {
            ssize_t r = recv(fd, rbuf + have, cap - have, 0);
            if (r == 0)
                die("server closed");
            if (r < 0) {
                if (errno == EAGAIN)
                    break;
                die("recv");
            }
            have += (size_t)r;
            if (have < cap / 2)
                break;
        }
        size_t n = have / resp;
        if (n == 0)
            continue;
        t = now_s();
        for (size_t i = 0; i < n; i++) {
            if (lat_n < lat_cap)
                lat[lat_n++] = t - sent_at[head];
            sent_at[head] = t;
            head = (head + 1) % qd;
        }
        done += (long)n;
        memmove(rbuf, rbuf + n * resp, have - n * resp);
        have -= n * resp;
        if (t < end && writev_all(fd, &(struct iovec){ req, n * REQ }, 1) < 0)
            die("send");
    }
    double el = now_s() - t0;
    qsort(lat, lat_n, sizeof *lat, cmp_d);
    printf("requests %ld seconds %.3f rps %.0f MBps %.1f p50_us %.1f\n", done, el, done / el,
           (double)done * (double)data / el / 1e6, lat_n ? lat[lat_n / 2] * 1e6 : 0.0);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "server") == 0)
        return server(atoi(argv[2]), (size_t)atol(argv[3]));
    if (argc == 7 && strcmp(argv[1], "client") == 0)
        return client(argv[2], atoi(argv[3]), atoi(argv[4]), (size_t)atol(argv[5]), atof(argv[6]));
    fprintf(stderr, "usage: %s server PORT DATA_BYTES | client HOST PORT QD DATA_BYTES SECONDS\n", argv[0]);
    return 2;
}
