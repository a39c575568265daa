/* libsock-internal: one entry per socket family, in sock.c's table. */
#ifndef LIBSOCK_FAMILY_H
#define LIBSOCK_FAMILY_H

#include "libsock/sock.h"

struct sk_family {
	uint32_t tables;	/* the SKT_BIT()s this entry dumps */
	/* Dump the tables of q that belong to this family (tables), passing
	 * records through q->filter to cb. Returns 0, the callback's
	 * non-zero value, or a negative errno. -EPROTONOSUPPORT/-ENOENT/
	 * -EOPNOTSUPP mean "the kernel cannot": try the fallback. */
	int (*dump)(const struct sock_query *q, uint32_t tables,
		    sock_cb cb, void *arg);
	/* /proc/net text fallback, or NULL. */
	int (*proc_dump)(const struct sock_query *q, uint32_t tables,
			 sock_cb cb, void *arg);
	/* $PROC_ROOT or this variable set: skip netlink, as iproute2 does
	 * (and with no fallback, skip the table). NULL: always netlink. */
	const char *proc_env;
};

int inet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int procnet_inet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int procnet_unix_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int packet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int procnet_packet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int netlink_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int procnet_netlink_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int vsock_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int tipc_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int xdp_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);
int unix_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg);

/* Hand a parsed record to the filter and then the caller. */
int sk_deliver(const struct sock_query *q, const struct sock_rec *rec,
	       sock_cb cb, void *arg);

/* Open NETLINK_SOCK_DIAG, send req, run cb over the answers, close. */
struct nlmsghdr;
int sk_diag_dump(struct nlmsghdr *req,
		 int (*msg)(const struct nlmsghdr *, void *), void *arg);

/* What a family's message parser hands its records to. */
struct sk_dump_ctx {
	const struct sock_query *q;
	sock_cb cb;
	void *arg;
};

/* A SOCK_DIAG_BY_FAMILY dump whose family request (the *_diag_req after
 * the netlink header) is req, len bytes; msg gets c. */
int sk_diag_family_dump(const void *req, size_t len,
			int (*msg)(const struct nlmsghdr *, void *),
			struct sk_dump_ctx *c);

/* The attributes after a family's fixed message of hdrlen bytes, parsed
 * into tb/tl; NULL if h is not a sock_diag answer of family or too short. */
const void *sk_diag_msg(const struct nlmsghdr *h, size_t hdrlen, int family,
			const void **tb, uint16_t *tl, unsigned max);

/* Parse a recorded datagram as if a dump had just returned it (fuzzing,
 * replays): sequence and port id are taken from its first message. */
int sk_replay_buf(const void *buf, size_t len,
		  int (*msg)(const struct nlmsghdr *, void *), void *arg);
/* Destroy events: multicast datagrams, parsed as inet records. */
int inet_event_buf(const struct sock_query *q, const void *buf, size_t len,
		   sock_cb cb, void *arg);
/* IPPROTO_* a table's sockets are asked for with. */
int inet_table_proto(unsigned table);
int inet_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg);
int unix_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg);

#endif
