/* The process map: socket inode -> the (process, fd) pairs holding it,
 * from one pass over /proc/[pid]/fd. Shared by ss -p, netstat -p and
 * sockstat. */
#ifndef LIBSOCK_PROCMAP_H
#define LIBSOCK_PROCMAP_H

#include <stddef.h>
#include <stdint.h>

struct sk_proc {
	uint32_t pid;
	uint32_t uid;		/* real uid of the process */
	char comm[64];		/* /proc/PID/stat name, made terminal-safe */
	char *cmd;		/* procmap_cmd's cache */
	char raw_comm[16];	/* the name's own bytes, for JSON (which */
	uint8_t raw_len;	/* escapes them exactly) */
};

struct sk_owner {
	const struct sk_proc *proc;
	uint32_t tid;		/* == pid unless built with PM_THREADS */
	uint32_t fd;
};

enum {
	PM_THREADS = 1,		/* walk /proc/PID/task/TID/fd too (ss -T) */
};

/* Build the map (NULL with errno set if /proc cannot be read). */
struct procmap *procmap_build(unsigned flags);
void procmap_free(struct procmap *pm);

/* The owners of a socket inode, in iproute2's order; *n is set to their
 * number (0 and NULL when none). Valid until procmap_free. */
const struct sk_owner *procmap_find(const struct procmap *pm, uint32_t ino,
				    size_t *n);

/* Were some processes' fds hidden from us (not root)? */
int procmap_incomplete(const struct procmap *pm);

/* Every owner in scan order (pids ascending, then fds), for listings by
 * process (sockstat): owner i, and the inode it holds. */
size_t procmap_count(const struct procmap *pm);
const struct sk_owner *procmap_owner(const struct procmap *pm, size_t i,
				     uint32_t *ino);

/* argv[0] from /proc/PID/cmdline, its base name if it is an absolute path
 * (as net-tools), made terminal-safe (netstat's "PID/Program name"); comm
 * if cmdline is empty. Cached per process. */
const char *procmap_cmd(struct procmap *pm, const struct sk_proc *p);

#endif
