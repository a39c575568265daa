/* The dump driver: walks the selected tables in iproute2's order and asks
 * each family's entry for its sockets, falling back to /proc/net text when
 * the kernel has no diag module for it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sock_diag.h>

#include "sockbox.h"
#include "libsock/filter.h"
#include "libsock/nl.h"
#include "libsock/out.h"
#include "family.h"

int sk_dump_interrupted;

#define PROC_FALLBACK(fn) (IS_ENABLED(CONFIG_PROC_FALLBACK) ? (fn) : NULL)


static const struct sk_family families[] = {
#if IS_ENABLED(CONFIG_NETLINK)
	{ SKT_BIT(SKT_NETLINK), netlink_dump, PROC_FALLBACK(procnet_netlink_dump), "PROC_NET_NETLINK" },
#endif
#if IS_ENABLED(CONFIG_PACKET)
	{ SKT_PACKET_ALL, packet_dump, PROC_FALLBACK(procnet_packet_dump), "PROC_NET_PACKET" },
#endif
#if IS_ENABLED(CONFIG_UNIX)
	{ SKT_UNIX_ALL, unix_dump, PROC_FALLBACK(procnet_unix_dump), "PROC_NET_UNIX" },
#endif
#if IS_ENABLED(CONFIG_RAW)
	{ SKT_BIT(SKT_RAW), inet_dump, PROC_FALLBACK(procnet_inet_dump), "PROC_NET_RAW" },
#endif
#if IS_ENABLED(CONFIG_UDP)
	{ SKT_BIT(SKT_UDP), inet_dump, PROC_FALLBACK(procnet_inet_dump), "PROC_NET_UDP" },
	{ SKT_BIT(SKT_UDPLITE), inet_dump, NULL, "PROC_NET_UDPLITE" },
#endif
#if IS_ENABLED(CONFIG_TCP)
	{ SKT_BIT(SKT_TCP), inet_dump, PROC_FALLBACK(procnet_inet_dump), "PROC_NET_TCP" },
#endif
#if IS_ENABLED(CONFIG_DCCP)
	{ SKT_BIT(SKT_DCCP), inet_dump, NULL, "PROC_NET_DCCP" },
#endif
#if IS_ENABLED(CONFIG_SCTP)
	{ SKT_BIT(SKT_SCTP), inet_dump, NULL, "PROC_NET_SCTP" },
#endif
#if IS_ENABLED(CONFIG_VSOCK)
	{ SKT_VSOCK_ALL, vsock_dump, NULL, NULL },
#endif
#if IS_ENABLED(CONFIG_TIPC)
	{ SKT_BIT(SKT_TIPC), tipc_dump, NULL, NULL },
#endif
#if IS_ENABLED(CONFIG_XDP)
	{ SKT_BIT(SKT_XDP), xdp_dump, NULL, NULL },
#endif
#if IS_ENABLED(CONFIG_MPTCP)
	{ SKT_BIT(SKT_MPTCP), inet_dump, NULL, "PROC_NET_MPTCP" },
#endif
};

static const struct {
	const char *netid, *name;
} table_names[SKT_MAX] = {
	[SKT_NETLINK] = { "nl", "netlink" },
	[SKT_PACKET_RAW] = { "p_raw", "packet_raw" },
	[SKT_PACKET_DGRAM] = { "p_dgr", "packet_dgram" },
	[SKT_UNIX_STREAM] = { "u_str", "unix_stream" },
	[SKT_UNIX_DGRAM] = { "u_dgr", "unix_dgram" },
	[SKT_UNIX_SEQPACKET] = { "u_seq", "unix_seqpacket" },
	[SKT_RAW] = { "raw", "raw" },
	[SKT_UDP] = { "udp", "udp" },
	[SKT_TCP] = { "tcp", "tcp" },
	[SKT_DCCP] = { "dccp", "dccp" },
	[SKT_SCTP] = { "sctp", "sctp" },
	[SKT_VSOCK_STREAM] = { "v_str", "vsock_stream" },
	[SKT_VSOCK_DGRAM] = { "v_dgr", "vsock_dgram" },
	[SKT_TIPC] = { "tipc", "tipc" },
	[SKT_XDP] = { "xdp", "xdp" },
	[SKT_MPTCP] = { "mptcp", "mptcp" },
	[SKT_UDPLITE] = { "udpl", "udplite" },
};

const char *sk_table_netid(unsigned table)
{
	return table < SKT_MAX ? table_names[table].netid : "???";
}

const char *sk_table_name(unsigned table)
{
	return table < SKT_MAX ? table_names[table].name : "???";
}

uint32_t sk_tables_enabled(void)
{
	const struct sk_family *fam;
	uint32_t t = 0;

	FOR_EACH(fam, families)
		t |= fam->tables;
	return t;
}

int sk_deliver(const struct sock_query *q, const struct sock_rec *rec,
	       sock_cb cb, void *arg)
{
	if (IS_ENABLED(CONFIG_FILTER) && q->filter && !sk_filter_match(q->filter, rec))
		return 0;
	return cb(rec, arg);
}

int sk_diag_dump(struct nlmsghdr *req,
		 int (*msg)(const struct nlmsghdr *, void *), void *arg)
{
	static const char intr_msg[] = "Dump was interrupted and may be inconsistent.\n";
	struct nl_sock nl;
	int intr = 0, rc = nl_open(&nl, NETLINK_SOCK_DIAG);

	if (rc)
		return rc;
	rc = nl_send(&nl, req);
	if (!rc)
		rc = nl_recv_dump(&nl, msg, arg, &intr);
	nl_close(&nl);
	/* Sockets changed during the dump: say so as iproute2 does, once per
	 * dump, and carry on with what arrived. */
	if (intr) {
		sk_dump_interrupted = 1;
		out_flush();
		(void)!write(STDERR_FILENO, intr_msg, sizeof(intr_msg) - 1);
	}
	return rc;
}

int sk_diag_family_dump(const void *req, size_t len,
			int (*msg)(const struct nlmsghdr *, void *),
			struct sk_dump_ctx *c)
{
	struct {
		struct nlmsghdr nlh;
		unsigned char body[64];
	} r;

	if (len > sizeof(r.body))
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	memcpy(r.body, req, len);
	r.nlh.nlmsg_len = NLMSG_LENGTH(len);
	r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	return sk_diag_dump(&r.nlh, msg, c);
}

const void *sk_diag_msg(const struct nlmsghdr *h, size_t hdrlen, int family,
			const void **tb, uint16_t *tl, unsigned max)
{
	const unsigned char *r = NLMSG_DATA(h);

	/* every *_diag_msg starts with its family byte */
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(hdrlen) || r[0] != family)
		return NULL;
	nl_attr_parse(r + hdrlen, h->nlmsg_len - NLMSG_LENGTH(hdrlen), tb, tl, max);
	return r;
}

static int kernel_cannot(int rc)
{
	return rc == -ENOENT || rc == -EINVAL || rc == -EOPNOTSUPP ||
	       rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT;
}

/* Test hook: $SOCKBOX_FAULT_DIAG="ERRNO:TABLE,..." fails the netlink
 * request of a family holding one of those tables with -ERRNO (2, ENOENT,
 * is what a missing diag module gives). */
static int diag_fault(uint32_t tables)
{
	const char *e = getenv("SOCKBOX_FAULT_DIAG");
	int err = 0;

	if (!e)
		return 0;
	while (*e >= '0' && *e <= '9')
		err = err * 10 + *e++ - '0';
	while (*e == ':' || *e == ',') {
		size_t n = strcspn(++e, ",");
		for (unsigned t = 0; t < SKT_MAX; t++)
			if ((tables & SKT_BIT(t)) && !strncmp(e, sk_table_name(t), n) &&
			    !sk_table_name(t)[n])
				return -err;
		e += n;
	}
	return 0;
}

int sock_dump(const struct sock_query *q, sock_cb cb, void *arg)
{
	uint32_t done = 0;

	if (!q->states)
		return 0;
	for (unsigned t = 0; t < SKT_MAX; t++) {
		if (!(q->tables & SKT_BIT(t)) || (done & SKT_BIT(t)))
			continue;
		const struct sk_family *fam;
		FOR_EACH(fam, families) {
			uint32_t mine = q->tables & fam->tables;
			int rc;

			if (!(fam->tables & SKT_BIT(t)))
				continue;
			done |= fam->tables;
			if (fam->proc_env && (getenv("PROC_ROOT") || getenv(fam->proc_env)))
				rc = fam->proc_dump ? fam->proc_dump(q, mine, cb, arg) : 0;
			else if (!(rc = diag_fault(mine)))
				rc = fam->dump(q, mine, cb, arg);
			if (rc < 0 && kernel_cannot(rc) && fam->proc_dump)
				rc = fam->proc_dump(q, mine, cb, arg);
			if (rc > 0)
				return rc;
			if (rc < 0 && !kernel_cannot(rc)) {
				sb_warn("dumping %s sockets: %s", sk_table_name(t),
					strerror(-rc));
				return rc;
			}
			break;
		}
	}
	return 0;
}

int sk_replay_buf(const void *buf, size_t len,
		  int (*msg)(const struct nlmsghdr *, void *), void *arg)
{
	const struct nlmsghdr *h = buf;
	int intr = 0;

	if (len < sizeof(*h))
		return len ? -EBADMSG : 0;
	return nl_parse_buf(buf, len, h->nlmsg_seq, h->nlmsg_pid, msg, arg, &intr);
}

int sock_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg)
{
	if (SKT_BIT(table) & SKT_UNIX_ALL)
		return unix_replay(q, table, buf, len, cb, arg);
	if (SKT_BIT(table) & SKT_INET_ALL)
		return inet_replay(q, table, buf, len, cb, arg);
	return -EINVAL;
}
