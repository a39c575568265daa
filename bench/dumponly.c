/* The floor for `ss -tan`: the same sock_diag dumps (TCP, IPv4 then IPv6,
 * every state ss -a asks for) through libsock's netlink code (nl.c), with
 * no record building, filtering or formatting. -c prints the number of
 * socket messages and of netlink bytes received on stderr. -p adds the
 * floor of any process map: one readlinkat per fd of every process
 * (what `ss -p` and `netstat -p` cannot avoid), counting socket fds.
 * The dump is received on one thread: the kernel's own cost, which
 * sockbox's receiving thread can only overlap with formatting.
 * Usage: dumponly [-c] [-p] */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Socket fds of every process, by readlinkat on /proc/PID/fd/N. */
static unsigned long scan_fds(void)
{
	unsigned long sockets = 0;
	DIR *proc = opendir("/proc");
	struct dirent *p;

	while (proc && (p = readdir(proc))) {
		char path[300], link[64];
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *fds = dfd >= 0 ? fdopendir(dfd) : NULL;
		struct dirent *f;
		while (fds && (f = readdir(fds)))
			if (f->d_name[0] != '.' &&
			    readlinkat(dfd, f->d_name, link, sizeof(link)) > 8 &&
			    !memcmp(link, "socket:[", 8))
				sockets++;
		if (fds)
			closedir(fds);
		else if (dfd >= 0)
			close(dfd);
	}
	if (proc)
		closedir(proc);
	return sockets;
}

int main(int argc, char **argv)
{
	struct count c = { 0, 0 };
	struct nl_sock nl;
	int family[2] = { AF_INET, AF_INET6 };
	int verbose = 0, procs = 0;
	unsigned long sockets = 0;

	setenv("SOCKBOX_RECV_AHEAD", "4294967295", 1);	/* never */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c"))
			verbose = 1;
		else if (!strcmp(argv[i], "-p"))
			procs = 1;
		else {
			fprintf(stderr, "usage: dumponly [-c] [-p]\n");
			return 2;
		}
	}
	if (procs)
		sockets = scan_fds();

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
		fprintf(stderr, "%lu %lu %lu\n", c.msgs, c.bytes, sockets);
	return 0;
}
