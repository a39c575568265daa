/* vsock_diag: AF_VSOCK stream and datagram sockets. */
#include <string.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include <linux/vm_sockets_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

struct vsock_ctx {
	const struct sock_query *q;
	uint32_t tables;
	sock_cb cb;
	void *arg;
};

static int vsock_msg(const struct nlmsghdr *h, void *arg)
{
	struct vsock_ctx *c = arg;
	const struct vsock_diag_msg *r = NLMSG_DATA(h);
	struct sock_rec rec;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)) || r->vdiag_family != AF_VSOCK)
		return 0;
	memset(&rec, 0, sizeof(rec));
	/* other types are listed as "???", as iproute2 does */
	rec.table = r->vdiag_type == SOCK_STREAM ? SKT_VSOCK_STREAM :
		    r->vdiag_type == SOCK_DGRAM ? SKT_VSOCK_DGRAM : SKT_MAX;
	if (rec.table != SKT_MAX && !(c->tables & SKT_BIT(rec.table)))
		return 0;
	rec.family = AF_VSOCK;
	rec.type = r->vdiag_type;
	rec.state = r->vdiag_state < SK_STATE_MAX ? r->vdiag_state : SK_UNKNOWN;
	rec.source = SKS_NETLINK;
	rec.shutdown = r->vdiag_shutdown;
	rec.ino = r->vdiag_ino;
	rec.cookie = (uint64_t)r->vdiag_cookie[1] << 32 | r->vdiag_cookie[0];
	rec.has = SKH_COOKIE | SKH_SHUTDOWN;
	rec.id.lnode = r->vdiag_src_cid;
	rec.id.lport = r->vdiag_src_port;
	rec.id.rnode = r->vdiag_dst_cid;
	rec.id.rport = r->vdiag_dst_port;
	rec.id.peer = 1;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

int vsock_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct vsock_diag_req r;
	} req;
	struct vsock_ctx c = { q, tables, cb, arg };

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_VSOCK;
	req.r.vdiag_states = q->states;
	return sk_diag_dump(&req.nlh, vsock_msg, &c);
}
