/* The process map's fast path (bpfiter.c), libsock-internal. */
#ifndef LIBSOCK_BPFITER_H
#define LIBSOCK_BPFITER_H

#include <stdint.h>

/* A BPF iterator over every socket fd of every process: its fd, or -1
 * (errno set) when it cannot be had here. */
int sk_bpf_open(void);

/* Reads it to the end, calling fn for each socket fd in /proc's order
 * (pids ascending, then fds), and closes it: 0, or -1 on a read error
 * (after some calls, maybe). */
int sk_bpf_read(int iter, void (*fn)(void *, uint32_t pid, uint32_t fd, uint64_t ino),
		void *arg);

#endif
