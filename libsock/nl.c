/* Raw netlink I/O: no libmnl, no libnl; one recvmsg per datagram into a
 * buffer that lives as long as the socket. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libsock/nl.h"

/* Dumps arrive in datagrams of up to about 32 KiB; peek-free receiving
 * needs a buffer at least as large as the largest one. */
#define NL_BUFSIZE (64 * 1024)
#define NL_RCVBUF (1024 * 1024)

int sk_raw_dump_fd = -1, sk_raw_dump_err;

/* ss -D: the datagram as received, whole; the first error stops it. */
static void raw_dump(const void *buf, size_t n)
{
	while (n && !sk_raw_dump_err) {
		ssize_t w = write(sk_raw_dump_fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			sk_raw_dump_err = w < 0 ? errno : EIO;
			return;
		}
		buf = (const char *)buf + w;
		n -= w;
	}
}

int nl_open(struct nl_sock *nl, int protocol)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int rcvbuf = NL_RCVBUF, one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		int err = -errno;
		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	nl->buf = malloc(NL_BUFSIZE);
	if (!nl->buf) {
		close(nl->fd);
		nl->fd = -1;
		return -ENOMEM;
	}
	nl->bufsize = NL_BUFSIZE;
	return 0;
}

void nl_close(struct nl_sock *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->buf);
	nl->fd = -1;
	nl->buf = NULL;
}

int nl_send(struct nl_sock *nl, struct nlmsghdr *req)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	req->nlmsg_seq = ++nl->seq;
	req->nlmsg_pid = 0;
	for (;;) {
		ssize_t n = sendto(nl->fd, req, req->nlmsg_len, 0,
				   (struct sockaddr *)&sa, sizeof(sa));
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int nl_parse_buf(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		 nl_msg_cb cb, void *arg, int *interrupted)
{
	const unsigned char *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)p;
		size_t mlen = h->nlmsg_len, step;

		if (mlen < sizeof(*h) || mlen > len)
			return -EBADMSG;
		step = NLMSG_ALIGN(mlen);
		if (step > len)
			step = len;
		p += step;
		len -= step;
		/* Answers to someone else's request (a stale dump): skip. */
		if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*interrupted = 1;
		if (h->nlmsg_type == NLMSG_DONE) {
			/* A dump the kernel could not start (no diag module for
			 * the protocol) ends at once with -errno as payload. */
			int32_t err;
			if (mlen >= NLMSG_LENGTH(sizeof(err))) {
				memcpy(&err, NLMSG_DATA(h), sizeof(err));
				if (err < 0)
					return err;
			}
			return 1;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (mlen < NLMSG_LENGTH(sizeof(*e)))
				return -EBADMSG;
			if (e->error == 0)	/* an ACK */
				continue;
			return e->error < 0 ? e->error : -e->error;
		}
		if (h->nlmsg_type == NLMSG_NOOP)
			continue;
		int rc = cb(h, arg);
		if (rc)
			return rc;
	}
	return len ? -EBADMSG : 0;	/* a partial header at the end */
}

int nl_recv_dump(struct nl_sock *nl, nl_msg_cb cb, void *arg, int *interrupted)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { nl->buf, nl->bufsize };
		struct msghdr msg = {
			.msg_name = &sa, .msg_namelen = sizeof(sa),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n = recvmsg(nl->fd, &msg, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENODATA;
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (sa.nl_pid != 0)	/* only the kernel may answer */
			continue;
		if (sk_raw_dump_fd >= 0)
			raw_dump(nl->buf, n);
		int rc = nl_parse_buf(nl->buf, n, nl->seq, nl->portid,
				      cb, arg, interrupted);
		if (rc == 1)
			return 0;
		if (rc)
			return rc;
	}
}

/* The walk shared by both parsers: fills the slots of the attributes
 * present and returns their types as a mask (types of 64 and up are
 * stored but not in the mask), or -1 in *bad for a malformed buffer. */
static uint64_t attr_walk(const unsigned char *p, size_t len, const void **tb,
			  uint16_t *lens, unsigned max, int *bad)
{
	uint64_t seen = 0;

	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, step;
		unsigned type = a->nla_type & NLA_TYPE_MASK;

		if (alen < sizeof(*a) || alen > len) {
			*bad = -1;
			break;
		}
		if (type <= max) {
			tb[type] = p + NLA_HDRLEN;
			if (lens)
				lens[type] = alen - NLA_HDRLEN;
			if (type < 64)
				seen |= 1ull << type;
		}
		step = NLA_ALIGN(alen);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return seen;
}

int nl_attr_parse(const void *buf, size_t len, const void **tb,
		  uint16_t *lens, unsigned max)
{
	int bad = 0;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (lens)
		memset(lens, 0, (max + 1) * sizeof(*lens));
	attr_walk(buf, len, tb, lens, max, &bad);
	return bad;
}

int nl_attr_parse_again(const void *buf, size_t len, const void **tb,
			uint16_t *lens, unsigned max, uint64_t *seen)
{
	int bad = 0;

	for (uint64_t m = *seen; m; m &= m - 1) {
		unsigned t = __builtin_ctzll(m);
		tb[t] = NULL;
		lens[t] = 0;
	}
	*seen = attr_walk(buf, len, tb, lens, max, &bad);
	return bad;
}
