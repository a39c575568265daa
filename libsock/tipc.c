/* TIPC sockets: sock_diag with TIPC netlink attributes. */
#include <string.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include <linux/tipc_netlink.h>
#include <linux/tipc_sockets_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

struct tipc_ctx {
	const struct sock_query *q;
	sock_cb cb;
	void *arg;
};

static uint32_t u32_at(const void *const *tb, const uint16_t *tl, unsigned i)
{
	uint32_t v = 0;

	if (tb[i] && tl[i] >= 4)
		memcpy(&v, tb[i], 4);
	return v;
}

static int tipc_msg(const struct nlmsghdr *h, void *arg)
{
	struct tipc_ctx *c = arg;
	const void *info[TIPC_NLA_MAX + 1], *sk[TIPC_NLA_SOCK_MAX + 1];
	const void *st[TIPC_NLA_SOCK_STAT_MAX + 1], *con[TIPC_NLA_CON_MAX + 1];
	uint16_t infol[TIPC_NLA_MAX + 1], skl[TIPC_NLA_SOCK_MAX + 1];
	uint16_t stl[TIPC_NLA_SOCK_STAT_MAX + 1], conl[TIPC_NLA_CON_MAX + 1];
	struct sock_rec rec;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return 0;
	nl_attr_parse(NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN, info, infol, TIPC_NLA_MAX);
	if (!info[TIPC_NLA_SOCK])
		return 0;
	nl_attr_parse(info[TIPC_NLA_SOCK], infol[TIPC_NLA_SOCK], sk, skl, TIPC_NLA_SOCK_MAX);
	nl_attr_parse(sk[TIPC_NLA_SOCK_STAT], skl[TIPC_NLA_SOCK_STAT], st, stl,
		      TIPC_NLA_SOCK_STAT_MAX);
	nl_attr_parse(sk[TIPC_NLA_SOCK_CON], skl[TIPC_NLA_SOCK_CON], con, conl,
		      TIPC_NLA_CON_MAX);

	memset(&rec, 0, sizeof(rec));
	rec.table = SKT_TIPC;
	rec.family = AF_TIPC;
	rec.source = SKS_NETLINK;
	rec.type = u32_at(sk, skl, TIPC_NLA_SOCK_TYPE);
	rec.state = u32_at(sk, skl, TIPC_NLA_SOCK_TIPC_STATE);
	if (rec.state >= SK_STATE_MAX)
		rec.state = SK_UNKNOWN;
	rec.uid = u32_at(sk, skl, TIPC_NLA_SOCK_UID);
	rec.ino = u32_at(sk, skl, TIPC_NLA_SOCK_INO);
	rec.rqueue = u32_at(st, stl, TIPC_NLA_SOCK_STAT_RCVQ);
	rec.wqueue = u32_at(st, stl, TIPC_NLA_SOCK_STAT_SENDQ);
	if (sk[TIPC_NLA_SOCK_COOKIE] && skl[TIPC_NLA_SOCK_COOKIE] >= 8)
		memcpy(&rec.cookie, sk[TIPC_NLA_SOCK_COOKIE], 8);
	rec.has = SKH_UID | SKH_QUEUES | SKH_COOKIE;
	rec.id.lnode = u32_at(sk, skl, TIPC_NLA_SOCK_ADDR);
	rec.id.lport = u32_at(sk, skl, TIPC_NLA_SOCK_REF);
	rec.id.peer = sk[TIPC_NLA_SOCK_CON] != NULL;
	rec.id.rnode = u32_at(con, conl, TIPC_NLA_CON_NODE);
	rec.id.rport = u32_at(con, conl, TIPC_NLA_CON_SOCK);
	rec.tipc.cong = st[TIPC_NLA_SOCK_STAT_LINK_CONG] ? 1 :
			st[TIPC_NLA_SOCK_STAT_CONN_CONG] ? 2 : 0;
	rec.tipc.drop = u32_at(st, stl, TIPC_NLA_SOCK_STAT_DROP);
	rec.tipc.publ = sk[TIPC_NLA_SOCK_HAS_PUBL] != NULL;
	rec.tipc.via = con[TIPC_NLA_CON_FLAG] != NULL;
	rec.tipc.via_type = u32_at(con, conl, TIPC_NLA_CON_TYPE);
	rec.tipc.via_inst = u32_at(con, conl, TIPC_NLA_CON_INST);
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

int tipc_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct tipc_sock_diag_req r;
	} req;
	struct tipc_ctx c = { q, cb, arg };

	(void)tables;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_TIPC;
	req.r.tidiag_states = q->states;
	return sk_diag_dump(&req.nlh, tipc_msg, &c);
}
