/* Acting on sockets: SOCK_DESTROY (ss -K) and the sock_diag destroy
 * multicast groups (ss -E). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

int sk_destroy(const struct sock_rec *r)
{
	static struct nl_sock nl = { .fd = -1 };
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	int rc;

	if (!(SKT_BIT(r->table) & SKT_INET_ALL))
		return -EOPNOTSUPP;
	if (nl.fd < 0 && (rc = nl_open(&nl, NETLINK_SOCK_DIAG)))
		return rc;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DESTROY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.r.sdiag_family = r->family;
	req.r.sdiag_protocol = inet_table_proto(r->table);
	if (r->table == SKT_RAW)	/* inet_diag_req_raw keeps it in pad */
		req.r.pad = r->protocol;
	req.r.id.idiag_sport = htons(r->lport);
	req.r.id.idiag_dport = htons(r->rport);
	memcpy(req.r.id.idiag_src, r->laddr, 16);
	memcpy(req.r.id.idiag_dst, r->raddr, 16);
	req.r.id.idiag_if = r->ifindex;
	req.r.id.idiag_cookie[0] = r->cookie;
	req.r.id.idiag_cookie[1] = r->cookie >> 32;
	rc = nl_send(&nl, &req.nlh);
	/* the answer is one NLMSG_ERROR: 0 (the ACK) or -errno */
	while (!rc) {
		ssize_t n = recv(nl.fd, nl.buf, nl.bufsize, 0);
		const struct nlmsghdr *h = (const void *)nl.buf;
		int32_t err;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((size_t)n < NLMSG_LENGTH(sizeof(err)) || h->nlmsg_seq != nl.seq)
			continue;
		if (h->nlmsg_type != NLMSG_ERROR)
			return -EBADMSG;
		memcpy(&err, NLMSG_DATA(h), sizeof(err));
		return err > 0 ? -err : err;
	}
	return rc;
}

int sk_events(const struct sock_query *q, sock_cb cb, void *arg)
{
	uint32_t groups = 0;
	struct nl_sock nl;
	int rc;

	if (q->tables & SKT_BIT(SKT_TCP)) {
		if (q->families & SKQ_V4)
			groups |= 1u << (SKNLGRP_INET_TCP_DESTROY - 1);
		if (q->families & SKQ_V6)
			groups |= 1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
	}
	if (q->tables & SKT_BIT(SKT_UDP)) {
		if (q->families & SKQ_V4)
			groups |= 1u << (SKNLGRP_INET_UDP_DESTROY - 1);
		if (q->families & SKQ_V6)
			groups |= 1u << (SKNLGRP_INET6_UDP_DESTROY - 1);
	}
	if (!groups)
		return -EINVAL;
	rc = nl_open(&nl, NETLINK_SOCK_DIAG);
	for (unsigned g = 1; !rc && g < 32; g++)
		if ((groups & (1u << (g - 1))) &&
		    setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)))
			rc = -errno;
	while (!rc) {
		ssize_t n = recv(nl.fd, nl.buf, nl.bufsize, 0);

		if (n < 0 && errno == ENOBUFS)	/* lost some: go on */
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = -errno;
		else
			rc = inet_event_buf(q, nl.buf, n, cb, arg);
	}
	nl_close(&nl);
	return rc;
}
