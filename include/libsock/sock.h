/* libsock's socket record and the dump request every applet uses.
 *
 * Data flows one way: the kernel (netlink, or /proc text) -> a family
 * parser fills a struct sock_rec -> the filter -> the caller's callback,
 * which prints. Records live on the parser's stack or in its receive
 * buffer: they are valid only during the callback. */
#ifndef LIBSOCK_SOCK_H
#define LIBSOCK_SOCK_H

#include <stdint.h>
#include <stddef.h>

/* Socket tables, in the order iproute2 dumps them. */
enum sk_table {
	SKT_NETLINK,
	SKT_PACKET_RAW,
	SKT_PACKET_DGRAM,
	SKT_UNIX_STREAM,
	SKT_UNIX_DGRAM,
	SKT_UNIX_SEQPACKET,
	SKT_RAW,
	SKT_UDP,
	SKT_TCP,
	SKT_DCCP,
	SKT_SCTP,
	SKT_VSOCK_STREAM,
	SKT_VSOCK_DGRAM,
	SKT_TIPC,
	SKT_XDP,
	SKT_MPTCP,
	SKT_UDPLITE,	/* not an iproute2 table: sockstat's -P udplite */
	SKT_MAX
};
#define SKT_BIT(t) (1u << (t))
#define SKT_UNIX_ALL (SKT_BIT(SKT_UNIX_STREAM) | SKT_BIT(SKT_UNIX_DGRAM) | \
		      SKT_BIT(SKT_UNIX_SEQPACKET))
#define SKT_PACKET_ALL (SKT_BIT(SKT_PACKET_RAW) | SKT_BIT(SKT_PACKET_DGRAM))
#define SKT_VSOCK_ALL (SKT_BIT(SKT_VSOCK_STREAM) | SKT_BIT(SKT_VSOCK_DGRAM))
#define SKT_INET_ALL (SKT_BIT(SKT_RAW) | SKT_BIT(SKT_UDP) | SKT_BIT(SKT_TCP) | \
		      SKT_BIT(SKT_DCCP) | SKT_BIT(SKT_SCTP) | SKT_BIT(SKT_MPTCP))

/* Socket states: the kernel's TCP numbering, used for every family
 * (unconnected datagram sockets are SK_CLOSE). */
enum sk_state {
	SK_UNKNOWN,
	SK_ESTABLISHED,
	SK_SYN_SENT,
	SK_SYN_RECV,
	SK_FIN_WAIT1,
	SK_FIN_WAIT2,
	SK_TIME_WAIT,
	SK_CLOSE,
	SK_CLOSE_WAIT,
	SK_LAST_ACK,
	SK_LISTEN,
	SK_CLOSING,
	SK_NEW_SYN_RECV,
	SK_BOUND_INACTIVE,
	SK_STATE_MAX
};
#define SK_ST_BIT(s) (1u << (s))
#define SK_ST_ALL ((1u << SK_NEW_SYN_RECV) - 1)

/* What a record holds beyond the always-present fields (rec->has). */
enum {
	SKH_UID = 1u << 0,
	SKH_QUEUES = 1u << 1,
	SKH_TIMER = 1u << 2,
	SKH_SHUTDOWN = 1u << 3,
	SKH_MARK = 1u << 4,
	SKH_CGROUP = 1u << 5,
	SKH_V6ONLY = 1u << 6,
	SKH_COOKIE = 1u << 7,
	SKH_TOS = 1u << 8,
	SKH_TCLASS = 1u << 9,
	SKH_CLASS_ID = 1u << 10,
	SKH_PEER = 1u << 11,	/* unix peer inode */
	SKH_VFS = 1u << 12,	/* unix bound file's inode/dev */
	SKH_PROTOCOL = 1u << 13,
};

/* Where the record came from. */
enum sk_source { SKS_NETLINK, SKS_PROC, SKS_EVENT };

struct sk_unix {
	const char *name;	/* bound name bytes (not terminated), or NULL */
	uint16_t name_len;	/* abstract names start with a NUL byte */
	uint32_t peer_ino;
	uint32_t vfs_ino, vfs_dev;
	const uint32_t *icons;	/* pending connections of a listener */
	uint32_t n_icons;
};

/* Netlink sockets: ports are signed, -1 unbound ("*"). */
struct sk_netlink {
	int32_t protocol;	/* as read: /proc may say anything */
	int32_t portid;
	uint32_t dst_portid, dst_group;
	uint32_t groups;	/* first word of the group bitmap */
	uint8_t connected;
	uint64_t sk, cb;	/* kernel addresses, from /proc only */
};

/* Small numeric addresses: vsock cid:port, tipc node:ref (peer
 * node:sock when peer is set), xdp queue in lport. */
struct sk_ids {
	uint32_t lnode, lport, rnode, rport;
	uint8_t peer;
};

/* What ss --tipcinfo shows. */
struct sk_tipc {
	uint32_t drop, via_type, via_inst;
	uint8_t cong;		/* 0 none, 1 link, 2 conn */
	uint8_t publ, via;
};

/* An MPTCP subflow's ULP details (INET_DIAG_ULP_INFO, nest
 * INET_ULP_INFO_MPTCP): values indexed by MPTCP_SUBFLOW_ATTR_*, bit
 * 1 << type in has for each the kernel sent (without CAP_NET_ADMIN it
 * sends no sequence numbers). */
#define SK_SF_MAX 10	/* MPTCP_SUBFLOW_ATTR_ID_LOC */
struct sk_subflow {
	uint16_t has;
	uint64_t v[SK_SF_MAX + 1];
};

/* One TCP MD5 signature key (INET_DIAG_MD5SIG). */
struct sk_md5key {
	uint8_t family, prefixlen;
	uint8_t addr[16];
	uint16_t keylen;
	const uint8_t *key;	/* keylen bytes, not terminated */
};

struct sock_rec {
	uint8_t table;		/* enum sk_table */
	uint8_t family;		/* AF_INET, AF_INET6, AF_UNIX, ... */
	uint8_t state;		/* enum sk_state */
	uint8_t type;		/* SOCK_STREAM, SOCK_DGRAM, ... */
	uint8_t source;		/* enum sk_source */
	uint8_t shutdown;	/* bit 0: no more receptions, bit 1: sends */
	uint8_t v6only;
	uint8_t timer;		/* idiag_timer: 0 off, 1 on, 2 keepalive, ... */
	uint8_t retrans;
	uint8_t tos, tclass;
	uint16_t protocol;	/* IPPROTO_* for inet/raw; netlink protocol */
	uint32_t has;		/* SKH_* */
	uint32_t rqueue, wqueue;
	uint32_t ino;
	uint32_t uid;
	uint32_t ifindex;	/* bound device, 0 if none */
	uint32_t expires_ms;	/* timer */
	uint32_t mark;
	uint32_t class_id;
	uint64_t cookie;
	uint64_t cgroup_id;

	/* inet: addresses in network byte order, IPv4 in the first 4 bytes */
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;	/* host byte order */

	struct sk_unix un;
	struct sk_netlink nl;
	struct sk_ids id;
	struct sk_tipc tipc;

	/* TCP with SKX_INFO: the upper layer protocol's name (ulp_len bytes,
	 * NULL if none), an MPTCP subflow's details (sf.has 0 if none), and,
	 * for a CAP_NET_ADMIN reader, n_md5 MD5 keys read by sk_md5_key. */
	const char *ulp;
	uint8_t ulp_len;
	uint16_t n_md5;
	const void *md5;
	struct sk_subflow sf;

	/* Raw kernel extras a detail printer may format (-i, -m, ...):
	 * pointers into the receive buffer, with their payload lengths.
	 * Index with the family's own attribute numbers (INET_DIAG_*,
	 * UNIX_DIAG_*, ...); NULL when absent. */
	const void *const *attr;
	const uint16_t *attr_len;
	unsigned attr_max;
};

/* What to dump. Empty tables or states mean nothing to do. */
enum { SKQ_V4 = 1, SKQ_V6 = 2 };

/* Kernel extras to ask for (inet idiag_ext and friends). */
enum {
	SKX_MEMINFO = 1u << 0,
	SKX_INFO = 1u << 1,
	SKX_TOS = 1u << 2,
	SKX_VFS = 1u << 3,	/* unix: VFS and ICONS */
	SKX_SKMEMINFO = 1u << 4,
	SKX_CONG = 1u << 5,
};

struct sk_filter;

struct sock_query {
	uint32_t tables;	/* SKT_BIT()s */
	uint32_t states;	/* SK_ST_BIT()s */
	uint8_t families;	/* SKQ_V4 | SKQ_V6, for inet tables */
	uint8_t proc_families;	/* for /proc fallbacks, which iproute2 reads
				 * by family mask alone (0: as families) */
	uint32_t ext;		/* SKX_* */
	const struct sk_filter *filter;	/* NULL: everything */
};

/* Called once per socket that passes the query's filter. Return 0 to
 * continue, non-zero to stop the dump (sock_dump then returns it). */
typedef int (*sock_cb)(const struct sock_rec *rec, void *arg);

/* Dump every selected table in iproute2's order. Tables the kernel (and
 * /proc) cannot provide are skipped quietly. Returns 0, the callback's
 * non-zero value, or a negative errno for a hard failure (message
 * already printed). */
int sock_dump(const struct sock_query *q, sock_cb cb, void *arg);

/* Parse one recorded sock_diag datagram of a table as a dump would
 * (tests, fuzzing, replays of ss -D files). Returns like sock_dump, 1 at
 * NLMSG_DONE. */
int sock_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg);

/* A /proc/net/unix line as the kernel wrote it: what netstat shows and
 * unix_diag cannot give (reference counts, flags, embryonic sockets). */
struct sk_unix_line {
	uint32_t refcnt, proto, flags, type, state, ino;
	const char *path;	/* not terminal-safe; may be empty */
	size_t path_len;
};
/* Each line in file order; the callback returns non-zero to stop. */
int sk_proc_unix_each(int (*cb)(const struct sk_unix_line *, void *), void *arg);

/* Enter network namespace NAME (/var/run/netns/NAME) or a path to one;
 * 0 or -errno. */
int sk_netns_enter(const char *name);

/* The command name of process pid from $PROC_ROOT/PID/stat, up to its
 * first ')' (not terminated); 0 if there is none. */
size_t sk_pid_comm(int pid, char *buf, size_t size);

/* Link-layer protocol name ("ip", "arp"), NULL if unnamed. */
const char *sk_ll_proto_name(unsigned ethertype);
/* Netlink protocol name ("rtnl", "genl"), NULL if unnamed. */
const char *sk_nl_proto_name(unsigned protocol);

/* Close a socket a dump returned (SOCK_DESTROY; inet tables only).
 * 0, or -errno: EPERM without CAP_NET_ADMIN, EOPNOTSUPP when the kernel
 * cannot, ENOENT when it is already gone. */
int sk_destroy(const struct sock_rec *rec);

/* Follow the TCP and UDP destroy multicast groups of q's tables and
 * families, passing each closed socket through q->filter to cb (table
 * SKT_TCP/SKT_UDP, or SKT_MAX when the kernel does not say). Returns
 * when cb returns non-zero, or -errno; -EINVAL when q selects no TCP or
 * UDP group. */
int sk_events(const struct sock_query *q, sock_cb cb, void *arg);

/* The i-th (< r->n_md5) MD5 key of a record. */
void sk_md5_key(const struct sock_rec *r, unsigned i, struct sk_md5key *k);
/* Address i of an SCTP address list (INET_DIAG_LOCALS/PEERS: an array of
 * struct sockaddr_storage) into addr (4 or 16 bytes): its family, 0 for
 * one that is neither AF_INET nor AF_INET6, -1 past the end. */
int sk_sctp_addr(const void *list, size_t len, unsigned i, uint8_t addr[16]);

/* Name of a table as ss prints it in the Netid column ("tcp", "u_str"). */
const char *sk_table_netid(unsigned table);

/* A table's name in -A/--query lists ("tcp", "unix_stream"). */
const char *sk_table_name(unsigned table);

/* Tables compiled into this build. */
uint32_t sk_tables_enabled(void);

/* ss -D: when >= 0, every sock_diag datagram received is also written
 * to this fd as it came; the first write error's errno is left in
 * sk_raw_dump_err and ends the copying (the dump itself goes on). */
extern int sk_raw_dump_fd, sk_raw_dump_err;

/* Set by sock_dump when the kernel flagged a dump as interrupted. */
extern int sk_dump_interrupted;

#endif
