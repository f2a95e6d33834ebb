/*
 * nvmetcp-null.c -- a null NVMe/TCP target in plain C: just enough protocol for our load generator (offload-emu perf),
 * so the generator's own ceiling can be measured against a target that costs almost nothing.
 *
 *   nvmetcp-null PORT NAMESPACE_BYTES
 *
 * One thread, one epoll set, non-blocking sockets, every connection served from the same loop (like an SPDK poll
 * group). Per readable connection: drain recv, answer every complete PDU, one writev per batch (blocking spin on
 * EAGAIN, as nvmetcp-shape.c). Answers (NVMe/TCP 1.0, 3.6.2; NVMe-oF 1.1, 3.3; no digests, CPDA 0):
 *   ICReq -> ICResp (MAXH2CDATA 128 KiB);  Fabrics Connect -> CNTLID 1;  Property Get -> CSTS.RDY | SHST complete;
 *   Property Set, Set Features, Keep Alive, anything else -> success;  Identify CNS 1 (MDTS 5, IOCCSZ 516) / CNS 0
 *   (NSZE from NAMESPACE_BYTES, 4 KiB LBA format) -> C2HData + CapsuleResp;
 *   Read -> one C2HData straight from a static buffer (iovec; SUCCESS flag when the queue was connected with SQ flow
 *   control disabled, else + CapsuleResp);  Write with in-capsule data -> CapsuleResp (data ignored; no R2T path).
 * No NVMe semantics beyond that: data is never stored, nothing is validated. Do not use with --verify.
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
#include <unistd.h>

#define MAX_CONN 64
#define RBUF (1 << 20)
#define MAX_PIECES 512
#define ARENA (MAX_PIECES * 48)
#define MAX_DATA (128 * 1024)

struct conn {
    int fd;
    int sqfc_disabled;
    size_t have;
    char *rbuf;
};

static char *ns;
static size_t ns_bytes;
static char identify[4096];
static char arena[ARENA];
static size_t arena_used;
static struct iovec iov[MAX_PIECES * 2];
static int iovs;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void put16(char *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint16_t get16(const char *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static int flush(int fd)
{
    struct iovec *v = iov;
    int n = iovs;
    while (n > 0) {
        ssize_t w = writev(fd, v, n > IOV_MAX ? IOV_MAX : n);
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return -1;
        }
        while (n > 0 && (size_t)w >= v->iov_len) {
            w -= (ssize_t)v->iov_len;
            v++;
            n--;
        }
        if (n > 0) {
            v->iov_base = (char *)v->iov_base + w;
            v->iov_len -= (size_t)w;
        }
    }
    iovs = 0;
    arena_used = 0;
    return 0;
}

static char *header(int fd, size_t size)
{
    if (arena_used + size > ARENA || iovs + 2 > MAX_PIECES * 2)
        if (flush(fd) < 0)
            return NULL;
    char *p = arena + arena_used;
    arena_used += size;
    memset(p, 0, size);
    iov[iovs++] = (struct iovec){ p, size };
    return p;
}

static int capsule_resp(int fd, uint16_t cid, uint32_t dw0)
{
    char *r = header(fd, 24);
    if (!r)
        return -1;
    r[0] = 0x05; r[2] = 24; put32(r + 4, 24);
    put32(r + 8, dw0); put16(r + 20, cid);
    return 0;
}

static int c2h_data(int fd, uint16_t cid, const char *data, uint32_t len, int success)
{
    char *h = header(fd, 24);
    if (!h)
        return -1;
    h[0] = 0x07; h[1] = (char)(0x04 | (success ? 0x08 : 0)); h[2] = 24; h[3] = 24; put32(h + 4, 24 + len);
    put16(h + 8, cid); put32(h + 16, len);
    iov[iovs++] = (struct iovec){ (void *)data, len };
    return 0;
}

/* Answers one complete PDU; returns -1 to close the connection. */
static int answer(struct conn *c, const char *pdu, uint32_t plen)
{
    switch ((unsigned char)pdu[0]) {
    case 0x00: { /* ICReq */
        char *r = header(c->fd, 128);
        if (!r)
            return -1;
        r[0] = 0x01; r[2] = 128; put32(r + 4, 128); put32(r + 12, 128 * 1024);
        return 0;
    }
    case 0x04: { /* CapsuleCmd: SQE at 8 */
        if (plen < 72)
            return -1;
        const char *sqe = pdu + 8;
        uint8_t opcode = (uint8_t)sqe[0];
        uint16_t cid = get16(sqe + 2);
        if (opcode == 0x7F) {
            uint8_t fctype = (uint8_t)sqe[4];
            if (fctype == 0x01) { /* Connect */
                c->sqfc_disabled = (sqe[46] & 0x04) != 0;
                return capsule_resp(c->fd, cid, 1);
            }
            return capsule_resp(c->fd, cid, fctype == 0x04 ? 1u | (2u << 2) : 0);
        }
        if (opcode == 0x06) { /* Identify */
            memset(identify, 0, sizeof identify);
            if ((uint8_t)sqe[40] == 1) {
                identify[77] = 5;
                put32(identify + 1792, 516);
            } else {
                put64(identify, ns_bytes / 4096); put64(identify + 8, ns_bytes / 4096); put64(identify + 16, ns_bytes / 4096);
                identify[130] = 12;
            }
            if (c2h_data(c->fd, cid, identify, 4096, 0) < 0)
                return -1;
            return capsule_resp(c->fd, cid, 0);
        }
        if (opcode == 0x09) /* Set Features: grant what was asked */
            return capsule_resp(c->fd, cid, get32(sqe + 44));
        if (opcode == 0x02) { /* Read */
            uint32_t len = get32(sqe + 32);
            if (len > MAX_DATA)
                return -1;
            uint64_t off = (get64(sqe + 40) * 4096) % (ns_bytes - MAX_DATA);
            if (c2h_data(c->fd, cid, ns + off, len, c->sqfc_disabled) < 0)
                return -1;
            return c->sqfc_disabled ? 0 : capsule_resp(c->fd, cid, 0);
        }
        return capsule_resp(c->fd, cid, 0);
    }
    default:
        return -1;
    }
}

static void tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PORT NAMESPACE_BYTES\n", argv[0]);
        return 2;
    }
    ns_bytes = (size_t)atol(argv[2]);
    if (ns_bytes < 2 * MAX_DATA)
        ns_bytes = 2 * MAX_DATA;
    ns = malloc(ns_bytes);
    memset(ns, 0xA5, ns_bytes);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 16) < 0)
        die("bind/listen");
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    printf("listening %s\n", argv[1]);
    fflush(stdout);
    for (;;) {
        struct epoll_event out[16];
        int k = epoll_wait(ep, out, 16, -1);
        if (k < 0 && errno == EINTR)
            continue;
        for (int e = 0; e < k; e++) {
            struct conn *c = out[e].data.ptr;
            if (c == NULL) {
                int fd = accept(ls, NULL, NULL);
                if (fd < 0)
                    continue;
                tune(fd);
                c = calloc(1, sizeof *c);
                c->fd = fd;
                c->rbuf = malloc(RBUF);
                struct epoll_event cev = { .events = EPOLLIN, .data.ptr = c };
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                continue;
            }
            int closing = 0;
            for (;;) {
                ssize_t r = recv(c->fd, c->rbuf + c->have, RBUF - c->have, 0);
                if (r == 0) {
                    closing = 1;
                    break;
                }
                if (r < 0) {
                    if (errno != EAGAIN && errno != EINTR)
                        closing = 1;
                    break;
                }
                c->have += (size_t)r;
                if (c->have == RBUF)
                    break;
            }
            size_t used = 0;
            while (!closing && c->have - used >= 8) {
                uint32_t plen = get32(c->rbuf + used + 4);
                if (plen < 8 || plen > RBUF) {
                    closing = 1;
                    break;
                }
                if (c->have - used < plen)
                    break;
                if (answer(c, c->rbuf + used, plen) < 0)
                    closing = 1;
                used += plen;
            }
            if (iovs > 0 && flush(c->fd) < 0)
                closing = 1;
            iovs = 0;
            arena_used = 0;
            memmove(c->rbuf, c->rbuf + used, c->have - used);
            c->have -= used;
            if (closing) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                free(c->rbuf);
                free(c);
            }
        }
    }
}
