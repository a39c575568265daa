/* xdp_diag: AF_XDP sockets. */
#include <string.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include <linux/xdp_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

static int xdp_msg(const struct nlmsghdr *h, void *arg)
{
	struct sk_dump_ctx *c = arg;
	const void *tb[XDP_DIAG_MAX + 1];
	uint16_t tl[XDP_DIAG_MAX + 1];
	const struct xdp_diag_msg *r = sk_diag_msg(h, sizeof(*r), AF_XDP, tb, tl, XDP_DIAG_MAX);
	struct sock_rec rec;

	if (!r)
		return 0;
	memset(&rec, 0, sizeof(rec));
	rec.table = SKT_XDP;
	rec.family = AF_XDP;
	rec.type = r->xdiag_type;
	rec.state = SK_CLOSE;
	rec.source = SKS_NETLINK;
	rec.ino = r->xdiag_ino;
	rec.cookie = (uint64_t)r->xdiag_cookie[1] << 32 | r->xdiag_cookie[0];
	rec.has = SKH_COOKIE;
	if (tb[XDP_DIAG_INFO] && tl[XDP_DIAG_INFO] >= sizeof(struct xdp_diag_info)) {
		struct xdp_diag_info info;
		memcpy(&info, tb[XDP_DIAG_INFO], sizeof(info));
		rec.ifindex = info.ifindex;
		rec.id.lport = info.queue_id;
	}
	if (tb[XDP_DIAG_UID] && tl[XDP_DIAG_UID] >= 4) {
		memcpy(&rec.uid, tb[XDP_DIAG_UID], 4);
		rec.has |= SKH_UID;
	}
	if (tb[XDP_DIAG_MEMINFO] && tl[XDP_DIAG_MEMINFO] >= 4 * (SK_MEMINFO_RMEM_ALLOC + 1)) {
		memcpy(&rec.rqueue, (const uint32_t *)tb[XDP_DIAG_MEMINFO] + SK_MEMINFO_RMEM_ALLOC, 4);
		rec.has |= SKH_QUEUES;
	}
	rec.attr = tb;
	rec.attr_len = tl;
	rec.attr_max = XDP_DIAG_MAX;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

int xdp_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct xdp_diag_req req = {
		.sdiag_family = AF_XDP,
		.xdiag_show = XDP_SHOW_INFO | XDP_SHOW_RING_CFG | XDP_SHOW_UMEM |
			      XDP_SHOW_MEMINFO | XDP_SHOW_STATS,
	};
	struct sk_dump_ctx c = { q, cb, arg };

	(void)tables;
	if (!(q->states & SK_ST_BIT(SK_CLOSE)))
		return 0;
	return sk_diag_family_dump(&req, sizeof(req), xdp_msg, &c);
}
