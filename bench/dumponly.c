/* The floor for `ss -tan`: the same sock_diag dumps (TCP, IPv4 then IPv6,
 * every state ss -a asks for) through libsock's netlink code (nl.c), with
 * no record building, filtering or formatting. -c prints the number of
 * socket messages and of netlink bytes received on stderr.
 * Usage: dumponly [-c] */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "libsock/nl.h"

struct count {
	unsigned long msgs, bytes;
};

static int one_msg(const struct nlmsghdr *h, void *arg)
{
	struct count *c = arg;

	c->msgs++;
	c->bytes += NLMSG_ALIGN(h->nlmsg_len);
	return 0;
}

int main(int argc, char **argv)
{
	struct count c = { 0, 0 };
	struct nl_sock nl;
	int family[2] = { AF_INET, AF_INET6 };
	int verbose = argc > 1 && !strcmp(argv[1], "-c");

	for (int i = 0; i < 2; i++) {
		struct {
			struct nlmsghdr nlh;
			struct inet_diag_req_v2 r;
		} req = {
			.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
				 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
			.r = { .sdiag_family = family[i], .sdiag_protocol = IPPROTO_TCP,
			       .idiag_states = (1u << 12) - 1 },	/* SS_ALL */
		};
		int intr = 0, rc = nl_open(&nl, NETLINK_SOCK_DIAG);

		if (!rc)
			rc = nl_send(&nl, &req.nlh);
		if (!rc)
			rc = nl_recv_dump(&nl, one_msg, &c, &intr);
		nl_close(&nl);
		if (rc) {
			fprintf(stderr, "dumponly: %s\n", strerror(-rc));
			return 1;
		}
	}
	if (verbose)
		fprintf(stderr, "%lu %lu\n", c.msgs, c.bytes);
	return 0;
}
