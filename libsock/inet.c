/* inet_diag: TCP, UDP, RAW, DCCP, SCTP and MPTCP over IPv4 and IPv6. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "sockbox.h"
#include "libsock/filter.h"
#include "libsock/nl.h"
#include "family.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* Bytecode programs are small; iproute2's largest real ones are < 1 KiB. */
#define BC_MAX 4096

struct inet_req {
	struct nlmsghdr nlh;
	struct inet_diag_req_v2 r;
	struct nlattr proto_hdr;
	uint32_t proto;
	struct nlattr bc_hdr;
	unsigned char bc[BC_MAX];
};

struct inet_ctx {
	const struct sock_query *q;
	unsigned table;
	int protocol;
	sock_cb cb;
	void *arg;
	/* One walk for both families (inet_dump_both): the IPv6 messages
	 * kept for after the IPv4 ones, up to defer_cap bytes. */
	int deferring, deferred_overflow;
	unsigned char *deferred;
	size_t deferred_len, defer_cap, delivered;
	/* Attribute tables reused from message to message (cleared per
	 * slot used, not whole: this runs once per socket). */
	uint64_t seen;
	const void *tb[INET_DIAG_MAX + 1];
	uint16_t tl[INET_DIAG_MAX + 1];
};
_Static_assert(INET_DIAG_MAX < 64, "attribute types must fit the seen mask");

static const int table_proto[SKT_MAX] = {
	[SKT_TCP] = IPPROTO_TCP, [SKT_UDP] = IPPROTO_UDP,
	[SKT_RAW] = IPPROTO_RAW, [SKT_DCCP] = IPPROTO_DCCP,
	[SKT_SCTP] = IPPROTO_SCTP, [SKT_MPTCP] = IPPROTO_MPTCP,
	[SKT_UDPLITE] = IPPROTO_UDPLITE,
};

static uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

_Static_assert(MPTCP_SUBFLOW_ATTR_ID_LOC == SK_SF_MAX, "MPTCP_SUBFLOW_ATTR_* numbering");

/* INET_DIAG_ULP_INFO: the name, and an MPTCP subflow's attributes (each
 * read as wide as the kernel sent it: u8 ids, u32 tokens, u64 seq). */
static void inet_ulp(struct sock_rec *rec, const void *p, size_t len)
{
	const void *u[INET_ULP_INFO_MAX + 1], *a[SK_SF_MAX + 1];
	uint16_t ul[INET_ULP_INFO_MAX + 1], al[SK_SF_MAX + 1];

	nl_attr_parse(p, len, u, ul, INET_ULP_INFO_MAX);
	if (u[INET_ULP_INFO_NAME]) {
		rec->ulp = u[INET_ULP_INFO_NAME];
		rec->ulp_len = strnlen(rec->ulp, ul[INET_ULP_INFO_NAME] < 255 ?
					       ul[INET_ULP_INFO_NAME] : 255);
	}
	if (!u[INET_ULP_INFO_MPTCP])
		return;
	nl_attr_parse(u[INET_ULP_INFO_MPTCP], ul[INET_ULP_INFO_MPTCP], a, al, SK_SF_MAX);
	for (unsigned t = 1; t <= SK_SF_MAX; t++) {
		const uint8_t *v = a[t];
		uint32_t v32;

		if (!v || !al[t])
			continue;
		if (al[t] >= 8)
			memcpy(&rec->sf.v[t], v, 8);
		else if (al[t] >= 4)
			rec->sf.v[t] = (memcpy(&v32, v, 4), v32);
		else
			rec->sf.v[t] = *v;
		rec->sf.has |= 1u << t;
	}
}

void sk_md5_key(const struct sock_rec *r, unsigned i, struct sk_md5key *k)
{
	const uint8_t *p = (const uint8_t *)r->md5 + i * sizeof(struct tcp_diag_md5sig);
	uint16_t len;

	k->family = p[offsetof(struct tcp_diag_md5sig, tcpm_family)];
	k->prefixlen = p[offsetof(struct tcp_diag_md5sig, tcpm_prefixlen)];
	memcpy(&len, p + offsetof(struct tcp_diag_md5sig, tcpm_keylen), 2);
	memcpy(k->addr, p + offsetof(struct tcp_diag_md5sig, tcpm_addr), 16);
	k->keylen = len < TCP_MD5SIG_MAXKEYLEN ? len : TCP_MD5SIG_MAXKEYLEN;
	k->key = p + offsetof(struct tcp_diag_md5sig, tcpm_key);
}

/* iproute2 lists IPv4 sockets before IPv6 ones: a walk over both keeps
 * the IPv6 messages until its end, within a bound; past it they are
 * dropped and fetched again by an IPv6 dump of their own. Tests lower
 * the bound with $SOCKBOX_DEFER_CAP (bytes). */
#define DEFER_CAP (4u << 20)

static int inet_defer(struct inet_ctx *c, const struct nlmsghdr *h)
{
	size_t n = NLMSG_ALIGN(h->nlmsg_len);

	if (c->deferred_overflow)
		return 0;
	if (c->deferred_len + n > c->defer_cap) {
		c->deferred_overflow = 1;
		free(c->deferred);
		c->deferred = NULL;
		return 0;
	}
	if (!c->deferred && !(c->deferred = malloc(c->defer_cap)))
		sb_die(1, "out of memory");
	memcpy(c->deferred + c->deferred_len, h, n);
	c->deferred_len += n;
	return 0;
}

static int inet_msg(const struct nlmsghdr *h, void *arg)
{
	struct inet_ctx *c = arg;
	const struct inet_diag_msg *r = NLMSG_DATA(h);
	const void **tb = c->tb;
	const uint16_t *tl = c->tl;
	struct sock_rec rec;

	if ((h->nlmsg_type != SOCK_DIAG_BY_FAMILY && h->nlmsg_type != TCPDIAG_GETSOCK &&
	     h->nlmsg_type != DCCPDIAG_GETSOCK) ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return 0;
	if (r->idiag_family != AF_INET && r->idiag_family != AF_INET6)
		return 0;
	if (!(c->q->families & (r->idiag_family == AF_INET ? SKQ_V4 : SKQ_V6)))
		return 0;
	c->delivered++;
	if (c->deferring && r->idiag_family == AF_INET6)
		return inet_defer(c, h);
	nl_attr_parse_again(r + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*r)),
			    tb, c->tl, INET_DIAG_MAX, &c->seen);

	memset(&rec, 0, sizeof(rec));
	rec.table = c->table;
	rec.family = r->idiag_family;
	rec.state = r->idiag_state < SK_STATE_MAX ? r->idiag_state : SK_UNKNOWN;
	rec.type = c->table == SKT_UDP || c->table == SKT_UDPLITE ? SOCK_DGRAM :
		   c->table == SKT_RAW ? SOCK_RAW : SOCK_STREAM;
	rec.protocol = c->protocol;
	rec.source = SKS_NETLINK;
	rec.has = SKH_UID | SKH_QUEUES | SKH_TIMER | SKH_COOKIE;
	rec.timer = r->idiag_timer;
	rec.retrans = r->idiag_retrans;
	rec.expires_ms = r->idiag_expires;
	rec.rqueue = r->idiag_rqueue;
	rec.wqueue = r->idiag_wqueue;
	rec.uid = r->idiag_uid;
	rec.ino = r->idiag_inode;
	rec.ifindex = r->id.idiag_if;
	rec.cookie = (uint64_t)r->id.idiag_cookie[1] << 32 | r->id.idiag_cookie[0];
	memcpy(rec.laddr, r->id.idiag_src, r->idiag_family == AF_INET ? 4 : 16);
	memcpy(rec.raddr, r->id.idiag_dst, r->idiag_family == AF_INET ? 4 : 16);
	rec.lport = ntohs(r->id.idiag_sport);
	rec.rport = ntohs(r->id.idiag_dport);

	if (tb[INET_DIAG_SHUTDOWN] && tl[INET_DIAG_SHUTDOWN] >= 1) {
		rec.shutdown = *(const uint8_t *)tb[INET_DIAG_SHUTDOWN];
		rec.has |= SKH_SHUTDOWN;
	}
	if (tb[INET_DIAG_SKV6ONLY] && tl[INET_DIAG_SKV6ONLY] >= 1) {
		rec.v6only = *(const uint8_t *)tb[INET_DIAG_SKV6ONLY];
		rec.has |= SKH_V6ONLY;
	}
	if (tb[INET_DIAG_MARK] && tl[INET_DIAG_MARK] >= 4) {
		rec.mark = get_u32(tb[INET_DIAG_MARK]);
		rec.has |= SKH_MARK;
	}
	if (tb[INET_DIAG_CGROUP_ID] && tl[INET_DIAG_CGROUP_ID] >= 8) {
		memcpy(&rec.cgroup_id, tb[INET_DIAG_CGROUP_ID], 8);
		rec.has |= SKH_CGROUP;
	}
	if (tb[INET_DIAG_PROTOCOL] && tl[INET_DIAG_PROTOCOL] >= 1) {
		rec.protocol = *(const uint8_t *)tb[INET_DIAG_PROTOCOL];
		rec.has |= SKH_PROTOCOL;
	}
	if (tb[INET_DIAG_TOS] && tl[INET_DIAG_TOS] >= 1) {
		rec.tos = *(const uint8_t *)tb[INET_DIAG_TOS];
		rec.has |= SKH_TOS;
	}
	if (tb[INET_DIAG_TCLASS] && tl[INET_DIAG_TCLASS] >= 1) {
		rec.tclass = *(const uint8_t *)tb[INET_DIAG_TCLASS];
		rec.has |= SKH_TCLASS;
	}
	if (tb[INET_DIAG_CLASS_ID] && tl[INET_DIAG_CLASS_ID] >= 4) {
		rec.class_id = get_u32(tb[INET_DIAG_CLASS_ID]);
		rec.has |= SKH_CLASS_ID;
	}
	/* only ss -i (details or --json) shows them: none in smaller builds */
	if ((IS_ENABLED(CONFIG_SS_DETAILS) || IS_ENABLED(CONFIG_JSON)) && tb[INET_DIAG_MD5SIG]) {
		rec.md5 = tb[INET_DIAG_MD5SIG];
		rec.n_md5 = tl[INET_DIAG_MD5SIG] / sizeof(struct tcp_diag_md5sig);
	}
	if ((IS_ENABLED(CONFIG_SS_DETAILS) || IS_ENABLED(CONFIG_JSON)) && tb[INET_DIAG_ULP_INFO])
		inet_ulp(&rec, tb[INET_DIAG_ULP_INFO], tl[INET_DIAG_ULP_INFO]);
	if (c->table == SKT_MAX) {	/* a destroy event: name it by protocol */
		rec.source = SKS_EVENT;
		rec.table = !(rec.has & SKH_PROTOCOL) ? SKT_MAX :
			    rec.protocol == IPPROTO_TCP ? SKT_TCP :
			    rec.protocol == IPPROTO_UDP ? SKT_UDP : SKT_MAX;
	}
	rec.attr = tb;
	rec.attr_len = tl;
	rec.attr_max = INET_DIAG_MAX;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

/* The extensions asked for: idiag_ext bits (all below 8). */
static uint8_t inet_ext(const struct sock_query *q)
{
	uint8_t ext = 0;

	if (q->ext & SKX_MEMINFO)
		ext |= 1 << (INET_DIAG_MEMINFO - 1);
	if (q->ext & SKX_SKMEMINFO)
		ext |= 1 << (INET_DIAG_SKMEMINFO - 1);
	if (q->ext & SKX_INFO)
		ext |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_VEGASINFO - 1) |
		       1 << (INET_DIAG_CONG - 1);
	if (q->ext & SKX_CONG)
		ext |= 1 << (INET_DIAG_CONG - 1);
	if (q->ext & SKX_TOS)
		ext |= 1 << (INET_DIAG_TOS - 1) | 1 << (INET_DIAG_TCLASS - 1);
	return ext;
}

static int inet_dump_one(struct inet_ctx *c, int family, int with_bytecode)
{
	struct inet_req req;
	int proto = c->protocol;
	size_t len = offsetof(struct inet_req, proto_hdr);

	memset(&req, 0, offsetof(struct inet_req, bc));
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = family;
	req.r.sdiag_protocol = proto > 255 ? IPPROTO_TCP : proto;
	req.r.idiag_states = c->q->states;
	req.r.idiag_ext = inet_ext(c->q);
	if (c->table == SKT_RAW)	/* raw_diag: every protocol */
		req.r.sdiag_protocol = IPPROTO_RAW;
	/* Attributes are packed one after the other from proto_hdr on. */
	unsigned char *p = (unsigned char *)&req.proto_hdr;
	if (proto > 255) {
		struct nlattr a = { NLA_HDRLEN + 4, INET_DIAG_REQ_PROTOCOL };
		uint32_t v = proto;
		memcpy(p, &a, sizeof(a));
		memcpy(p + NLA_HDRLEN, &v, 4);
		p += NLA_ALIGN(a.nla_len);
	}
	int bclen = IS_ENABLED(CONFIG_FILTER) && with_bytecode ?
		    sk_filter_bytecode(c->q->filter, family, c->table,
				       p + NLA_HDRLEN, BC_MAX) : 0;
	if (bclen > 0) {
		struct nlattr a = { NLA_HDRLEN + bclen, INET_DIAG_REQ_BYTECODE };
		memcpy(p, &a, sizeof(a));
		p += NLA_ALIGN(a.nla_len);
	}
	len = p - (unsigned char *)&req;
	req.nlh.nlmsg_len = len;
	int rc = sk_diag_dump(&req.nlh, inet_msg, c);
	/* The kernel may refuse a program (a mark condition without
	 * CAP_NET_ADMIN): filter in user space instead, never show an empty
	 * table. $SOCKBOX_BYTECODE_STRICT makes that an error (for tests). */
	if (bclen > 0 && (rc == -EPERM || rc == -EACCES || rc == -EINVAL) &&
	    !getenv("SOCKBOX_BYTECODE_STRICT"))
		rc = inet_dump_one(c, family, 0);
	return rc;
}

/* SOCK_DIAG_BY_FAMILY walks the kernel's TCP tables once per family; the
 * older TCPDIAG_GETSOCK (and DCCPDIAG_GETSOCK) request walks them once for
 * both, which halves the kernel's part when few sockets match (a state
 * subset without ESTABLISHED, or a bytecode program). Returns 1 when the
 * caller must dump family by family instead (nothing was delivered). */
static int inet_dump_both(struct inet_ctx *c)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req r;
		struct nlattr bc_hdr;
		unsigned char bc[BC_MAX];
	} req;
	int bclen = IS_ENABLED(CONFIG_FILTER) ?
		    sk_filter_bytecode(c->q->filter, AF_UNSPEC, c->table, req.bc, BC_MAX) : 0;

	if (bclen <= 0 && (c->q->states & SK_ST_BIT(SK_ESTABLISHED)))
		return 1;
	memset(&req, 0, offsetof(__typeof__(req), bc_hdr));
	req.nlh.nlmsg_len = offsetof(__typeof__(req), bc_hdr);
	req.nlh.nlmsg_type = c->table == SKT_TCP ? TCPDIAG_GETSOCK : DCCPDIAG_GETSOCK;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.idiag_family = AF_UNSPEC;
	req.r.idiag_states = c->q->states;
	req.r.idiag_ext = inet_ext(c->q);
	if (bclen > 0) {
		req.bc_hdr.nla_len = NLA_HDRLEN + bclen;
		req.bc_hdr.nla_type = INET_DIAG_REQ_BYTECODE;
		req.nlh.nlmsg_len += NLA_ALIGN(req.bc_hdr.nla_len);
	}
	const char *cap = getenv("SOCKBOX_DEFER_CAP");
	c->defer_cap = cap ? sb_strtou(cap, NULL) : DEFER_CAP;
	c->deferring = 1;
	int rc = sk_diag_dump(&req.nlh, inet_msg, c);
	c->deferring = 0;
	if (rc && !c->delivered) {	/* refused (a mark program without
					 * CAP_NET_ADMIN...): the usual way */
		free(c->deferred);
		c->deferred = NULL;
		return 1;
	}
	if (!rc && c->deferred_overflow)
		rc = inet_dump_one(c, AF_INET6, 1);
	else if (!rc)
		rc = sk_replay_buf(c->deferred, c->deferred_len, inet_msg, c);
	free(c->deferred);
	c->deferred = NULL;
	return rc;
}

int inet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	for (unsigned t = 0; t < SKT_MAX; t++) {
		struct inet_ctx c = { .q = q, .table = t, .protocol = table_proto[t],
				      .cb = cb, .arg = arg };
		int rc = 1;

		if (!(tables & SKT_BIT(t)))
			continue;
		/* (-D writes what iproute2 writes: a dump per family) */
		if ((t == SKT_TCP || t == SKT_DCCP) && IS_ENABLED(CONFIG_IPV6) &&
		    sk_raw_dump_fd < 0 &&
		    (q->families & (SKQ_V4 | SKQ_V6)) == (SKQ_V4 | SKQ_V6))
			rc = inet_dump_both(&c);
		if (rc == 1) {
			rc = 0;
			if (q->families & SKQ_V4)
				rc = inet_dump_one(&c, AF_INET, 1);
			if (!rc && IS_ENABLED(CONFIG_IPV6) && (q->families & SKQ_V6))
				rc = inet_dump_one(&c, AF_INET6, 1);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int inet_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg)
{
	struct inet_ctx c = { .q = q, .table = table, .protocol = table_proto[table],
			      .cb = cb, .arg = arg };

	return sk_replay_buf(buf, len, inet_msg, &c);
}

int inet_event_buf(const struct sock_query *q, const void *buf, size_t len,
		   sock_cb cb, void *arg)
{
	struct inet_ctx c = { .q = q, .table = SKT_MAX, .cb = cb, .arg = arg };
	int intr = 0;

	return nl_parse_buf(buf, len, 0, 0, inet_msg, &c, &intr);
}

int inet_table_proto(unsigned table)
{
	return table < SKT_MAX ? table_proto[table] : 0;
}

int sk_sctp_addr(const void *list, size_t len, unsigned i, uint8_t addr[16])
{
	const uint8_t *sa = (const uint8_t *)list + (size_t)i * sizeof(struct sockaddr_storage);
	uint16_t family;

	if (!list || len / sizeof(struct sockaddr_storage) <= i)
		return -1;
	memcpy(&family, sa, 2);
	if (family == AF_INET)
		memcpy(addr, sa + offsetof(struct sockaddr_in, sin_addr), 4);
	else if (family == AF_INET6)
		memcpy(addr, sa + offsetof(struct sockaddr_in6, sin6_addr), 16);
	else
		family = 0;
	return family;
}
