/* ss -K and -E. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "ss.h"

int ss_kill_sock(const struct sock_rec *r, void *arg)
{
	static uint32_t warned;
	int err;

	/* iproute2 closes inet sockets only; the others are just listed */
	if (!(SKT_BIT(r->table) & SKT_INET_ALL))
		return ss_print_sock(r, arg);
	if (r->source != SKS_NETLINK) {
		if (!(warned & SKT_BIT(r->table)))
			sb_warn("cannot close %s sockets: they were read from /proc (no sock_diag for them)",
				sk_table_name(r->table));
		warned |= SKT_BIT(r->table);
		ss.kill = 2;
		return 0;
	}
	err = sk_destroy(r);
	if (err == -ENOENT)	/* closed meanwhile */
		return 0;
	if (err == -EOPNOTSUPP) {
		if (!(warned & SKT_BIT(r->table)))
			sb_warn("cannot close %s sockets: the kernel has no SOCK_DESTROY for them (CONFIG_INET_DIAG_DESTROY)",
				sk_table_name(r->table));
		warned |= SKT_BIT(r->table);
		ss.kill = 2;
		return 0;
	}
	if (err) {
		render_flush();
		out_flush();
		sb_warn("SOCK_DESTROY: %s%s", strerror(-err),
			err == -EPERM || err == -EACCES ? " (closing sockets needs CAP_NET_ADMIN)" : "");
		ss.kill = 2;
		return 1;
	}
	return ss_print_sock(r, arg);
}

static int event_sock(const struct sock_rec *r, void *arg)
{
	ss_print_sock(r, arg);
	render_flush();
	out_flush();
	return 0;
}

static void stop(int sig)
{
	(void)sig;	/* recv() returns EINTR: the loop ends cleanly */
}

int ss_follow(const struct sock_query *q)
{
	struct sigaction sa = { .sa_handler = stop };
	int rc;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe: out_flush exits quietly */
	ss.dg_table = SKT_MAX;
	render_keep_widths();
	if (!ss.no_header)
		render_header();
	rc = sk_events(q, event_sock, NULL);
	if (rc == -EINVAL)
		return 255;	/* no TCP or UDP table: nothing to follow */
	if (rc < 0) {
		sb_warn("following socket events: %s", strerror(-rc));
		return 1;
	}
	return 0;
}
