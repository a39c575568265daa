/* unix_diag: stream, datagram and seqpacket UNIX sockets. */
#include <string.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

struct unix_ctx {
	const struct sock_query *q;
	uint32_t tables;
	sock_cb cb;
	void *arg;
};

static int unix_table(unsigned type)
{
	switch (type) {
	case SOCK_STREAM: return SKT_UNIX_STREAM;
	case SOCK_DGRAM: return SKT_UNIX_DGRAM;
	case SOCK_SEQPACKET: return SKT_UNIX_SEQPACKET;
	}
	return -1;
}

static int unix_msg(const struct nlmsghdr *h, void *arg)
{
	struct unix_ctx *c = arg;
	const struct unix_diag_msg *r = NLMSG_DATA(h);
	const void *tb[UNIX_DIAG_MAX + 1];
	uint16_t tl[UNIX_DIAG_MAX + 1];
	struct sock_rec rec;
	int table;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)) || r->udiag_family != AF_UNIX)
		return 0;
	table = unix_table(r->udiag_type);
	if (table < 0 || !(c->tables & SKT_BIT(table)))
		return 0;
	nl_attr_parse(r + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*r)),
		      tb, tl, UNIX_DIAG_MAX);

	memset(&rec, 0, sizeof(rec));
	rec.table = table;
	rec.family = AF_UNIX;
	rec.type = r->udiag_type;
	rec.state = r->udiag_state < SK_STATE_MAX ? r->udiag_state : SK_UNKNOWN;
	rec.source = SKS_NETLINK;
	rec.ino = r->udiag_ino;
	rec.cookie = (uint64_t)r->udiag_cookie[1] << 32 | r->udiag_cookie[0];
	rec.has = SKH_COOKIE;
	if (tb[UNIX_DIAG_NAME] && tl[UNIX_DIAG_NAME]) {
		rec.un.name = tb[UNIX_DIAG_NAME];
		rec.un.name_len = tl[UNIX_DIAG_NAME];
	}
	if (tb[UNIX_DIAG_PEER] && tl[UNIX_DIAG_PEER] >= 4) {
		memcpy(&rec.un.peer_ino, tb[UNIX_DIAG_PEER], 4);
		rec.has |= SKH_PEER;
	}
	if (tb[UNIX_DIAG_RQLEN] && tl[UNIX_DIAG_RQLEN] >= sizeof(struct unix_diag_rqlen)) {
		struct unix_diag_rqlen q;
		memcpy(&q, tb[UNIX_DIAG_RQLEN], sizeof(q));
		rec.rqueue = q.udiag_rqueue;
		rec.wqueue = q.udiag_wqueue;
		rec.has |= SKH_QUEUES;
	}
	if (tb[UNIX_DIAG_VFS] && tl[UNIX_DIAG_VFS] >= sizeof(struct unix_diag_vfs)) {
		struct unix_diag_vfs v;
		memcpy(&v, tb[UNIX_DIAG_VFS], sizeof(v));
		rec.un.vfs_ino = v.udiag_vfs_ino;
		rec.un.vfs_dev = v.udiag_vfs_dev;
		rec.has |= SKH_VFS;
	}
	if (tb[UNIX_DIAG_ICONS]) {
		rec.un.icons = tb[UNIX_DIAG_ICONS];
		rec.un.n_icons = tl[UNIX_DIAG_ICONS] / 4;
	}
	if (tb[UNIX_DIAG_SHUTDOWN] && tl[UNIX_DIAG_SHUTDOWN] >= 1) {
		rec.shutdown = *(const uint8_t *)tb[UNIX_DIAG_SHUTDOWN];
		rec.has |= SKH_SHUTDOWN;
	}
	if (tb[UNIX_DIAG_UID] && tl[UNIX_DIAG_UID] >= 4) {
		memcpy(&rec.uid, tb[UNIX_DIAG_UID], 4);
		rec.has |= SKH_UID;
	}
	rec.attr = tb;
	rec.attr_len = tl;
	rec.attr_max = UNIX_DIAG_MAX;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

int unix_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req r;
	} req;
	struct unix_ctx c = { q, tables, cb, arg };

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = q->states;
	req.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
	if (q->ext & (SKX_MEMINFO | SKX_SKMEMINFO))
		req.r.udiag_show |= UDIAG_SHOW_MEMINFO;
	if (q->ext & SKX_VFS)
		req.r.udiag_show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
	return sk_diag_dump(&req.nlh, unix_msg, &c);
}

int unix_replay(const struct sock_query *q, unsigned table, const void *buf,
		size_t len, sock_cb cb, void *arg)
{
	struct unix_ctx c = { q, SKT_UNIX_ALL, cb, arg };

	return sk_replay_buf(buf, len, unix_msg, &c);
}
