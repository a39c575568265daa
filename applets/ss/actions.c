/* ss -K and -E. */
#include <errno.h>
#include <string.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "ss.h"

int ss_kill_sock(const struct sock_rec *r, void *arg)
{
	static uint32_t warned;
	const char *why = "they were read from /proc";
	int err;

	/* iproute2 closes inet sockets only; the others are just listed */
	if (!(SKT_BIT(r->table) & SKT_INET_ALL))
		return ss_print_sock(r, arg);
	err = r->source == SKS_NETLINK ? sk_destroy(r) : -EOPNOTSUPP;
	if (err == -ENOENT)	/* closed meanwhile */
		return 0;
	if (err == -EOPNOTSUPP) {
		if (r->source == SKS_NETLINK)
			why = "the kernel has no SOCK_DESTROY for them";
		if (!(warned & SKT_BIT(r->table)))
			sb_warn("cannot close %s sockets: %s", sk_table_name(r->table), why);
		warned |= SKT_BIT(r->table);
		ss.kill = 2;
		return 0;
	}
	if (err) {
		render_flush();
		out_flush();
		sb_warn("SOCK_DESTROY: %s%s", strerror(-err),
			err == -EPERM ? " (closing sockets needs CAP_NET_ADMIN)" : "");
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

/* SIGINT, SIGTERM and SIGPIPE keep their default action, as in iproute2:
 * every line is already written when one arrives, so nothing is lost. */
int ss_follow(const struct sock_query *q)
{
	int rc;

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
