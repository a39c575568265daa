/* Minimal raw netlink: one socket, a reusable receive buffer, one dump
 * loop that checks sequence and port id, and bounds-checked attributes. */
#ifndef LIBSOCK_NL_H
#define LIBSOCK_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
	unsigned char *buf;	/* receive buffer, reused for every datagram */
	size_t bufsize;
};

/* Called for each data message of a dump; return 0 to go on, non-zero to
 * stop (nl_dump returns that value after draining). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

int nl_open(struct nl_sock *nl, int protocol);
void nl_close(struct nl_sock *nl);

/* Send a request built by the caller; sets its sequence and pid fields. */
int nl_send(struct nl_sock *nl, struct nlmsghdr *req);

/* Receive the answers to the last request until NLMSG_DONE. Returns 0,
 * the callback's value, or -errno (NLMSG_ERROR, ENOBUFS, truncation).
 * Sets *interrupted when the kernel flagged NLM_F_DUMP_INTR. */
int nl_recv_dump(struct nl_sock *nl, nl_msg_cb cb, void *arg, int *interrupted);

/* Walk a buffer of netlink messages (one datagram): validates lengths and
 * calls cb for each data message. Returns 1 at NLMSG_DONE, 0 when more
 * should follow, a negative errno for NLMSG_ERROR or a malformed buffer,
 * or the callback's positive value. */
int nl_parse_buf(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		 nl_msg_cb cb, void *arg, int *interrupted);

/* Fill tb[0..max] with pointers to the payloads of the attributes in
 * [buf, buf+len) and lens[] with their payload lengths; unknown types are
 * ignored, a malformed attribute ends the walk. Returns -1 if the buffer
 * was malformed (what was valid before it is kept), else 0. */
int nl_attr_parse(const void *buf, size_t len, const void **tb,
		  uint16_t *lens, unsigned max);

/* The same for a parser called once per message (max < 64): tb and lens
 * keep the previous message's slots, named by *seen, and only those are
 * cleared, not the whole tables. Start with zeroed tables and *seen 0. */
int nl_attr_parse_again(const void *buf, size_t len, const void **tb,
			uint16_t *lens, unsigned max, uint64_t *seen);

#endif
