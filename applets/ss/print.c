/* One socket record -> one ss row, formatted as iproute2 6.1 prints it. */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "ss.h"

static const char *const state_names[SK_STATE_MAX] = {
	[SK_UNKNOWN] = "UNKNOWN",
	[SK_ESTABLISHED] = "ESTAB",
	[SK_SYN_SENT] = "SYN-SENT",
	[SK_SYN_RECV] = "SYN-RECV",
	[SK_FIN_WAIT1] = "FIN-WAIT-1",
	[SK_FIN_WAIT2] = "FIN-WAIT-2",
	[SK_TIME_WAIT] = "TIME-WAIT",
	[SK_CLOSE] = "UNCONN",
	[SK_CLOSE_WAIT] = "CLOSE-WAIT",
	[SK_LAST_ACK] = "LAST-ACK",
	[SK_LISTEN] = "LISTEN",
	[SK_CLOSING] = "CLOSING",
	[SK_NEW_SYN_RECV] = "UNKNOWN",
	[SK_BOUND_INACTIVE] = "UNCONN",
};

/* "%-6u": the queue fields are padded to six inside the field itself. */
static void queue_field(enum ss_col col, uint32_t v)
{
	char buf[24];
	size_t n = fmt_u64(buf, v);

	while (n < 6)
		buf[n++] = ' ';
	render_field(col, buf, n);
}

/* iproute2 names an inet row by the protocol number it asked with, which
 * for RAW is 255 over netlink ("???") and 0 from /proc ("raw"). */
static const char *netid(const struct sock_rec *r)
{
	if (r->table == SKT_RAW && r->source == SKS_NETLINK)
		return "???";
	return sk_table_netid(r->table);
}

static void common_fields(const struct sock_rec *r)
{
	const char *st = r->state < SK_STATE_MAX ? state_names[r->state] : "UNKNOWN";

	render_str(COL_NETID, netid(r));
	render_str(COL_STATE, st);
	queue_field(COL_RECVQ, r->rqueue);
	queue_field(COL_SENDQ, r->wqueue);
}

static const char *table_proto(unsigned table)
{
	switch (table) {
	case SKT_UDP: return "udp";
	case SKT_DCCP: return "dccp";
	case SKT_SCTP: return "sctp";
	default: return "tcp";
	}
}

static void port_field(enum ss_col col, const struct sock_rec *r, uint16_t port)
{
	char buf[24];
	const char *name;

	if (!port) {
		render_field(col, "*", 1);
		return;
	}
	if (IS_ENABLED(CONFIG_RAW) && r->table == SKT_RAW && !ss.numeric) {
		/* the port is the protocol */
		name = sk_proto_name(port);
		if (name) {
			render_str(col, name);
		} else {
			render_str(col, "ipproto-");
			render_field(col, buf, fmt_u64(buf, port));
		}
		return;
	}
	if (!ss.numeric && !sk_port_ephemeral(port) &&
	    (name = sk_service_name(port, table_proto(r->table)))) {
		render_str(col, name);
		return;
	}
	render_field(col, buf, fmt_u64(buf, port));
}

static void inet_addr_field(enum ss_col col, const struct sock_rec *r,
			    const uint8_t *addr, uint32_t ifindex)
{
	static const uint8_t any6[16];
	char buf[FMT_IP6_MAX + 2];
	const char *host;
	size_t n;

	if (r->family == AF_INET6 && !r->v6only && !memcmp(addr, any6, 16)) {
		buf[0] = '*';
		n = 1;
	} else if (IS_ENABLED(CONFIG_SS_RESOLVE) && ss.resolve &&
		   (host = sk_host_name(r->family, addr))) {
		/* -r: a name is bracketed only if it has a colon */
		n = strchr(host, ':') != NULL;
		render_str(col, n ? "[" : "");
		render_str(col, host);
		buf[0] = ']';
	} else if (r->family == AF_INET) {
		n = fmt_ip4(buf, addr);
	} else {
		buf[0] = '[';
		n = 1 + fmt_ip6(buf + 1, addr);
		buf[n++] = ']';
	}
	render_field(col, buf, n);
	if (ifindex) {
		render_field(col, "%", 1);
		render_str(col, sk_ifname(ifindex));
	}
	render_field(col, ":", 1);
}

static void unix_name_field(enum ss_col col, const struct sock_rec *r)
{
	char name[128], safe[4 * sizeof(name)];
	size_t n = r->un.name_len;

	if (!r->un.name) {
		render_field(col, "* ", 2);
		return;
	}
	/* iproute2 copies the name into 128 bytes and stops at a NUL, but an
	 * abstract name has every NUL shown as '@'. */
	if (n > sizeof(name) - 1)
		n = sizeof(name) - 1;
	memcpy(name, r->un.name, n);
	name[n] = 0;
	if (name[0] == 0) {
		for (size_t i = 0; i < n; i++)
			if (!name[i])
				name[i] = '@';
	} else {
		n = strlen(name);
	}
	/* A path is whatever a process chose: never raw control bytes. */
	render_field(col, safe, fmt_safe(safe, name, n));
	render_field(col, " ", 1);
}

/* users:(("name",pid=P[,tid=T],fd=F),...) of the processes holding it */
static void users_field(const struct sock_rec *r)
{
	char buf[24];
	size_t n;
	const struct sk_owner *o = procmap_find(ss.procs, r->ino, &n);

	if (!n)
		return;
	render_str(COL_PROC, " users:(");
	for (size_t i = 0; i < n; i++) {
		render_str(COL_PROC, i ? ",(\"" : "(\"");
		render_str(COL_PROC, o[i].proc->comm);
		render_str(COL_PROC, "\",pid=");
		render_field(COL_PROC, buf, fmt_u64(buf, o[i].proc->pid));
		if (ss.show_threads) {
			render_str(COL_PROC, ",tid=");
			render_field(COL_PROC, buf, fmt_u64(buf, o[i].tid));
		}
		render_str(COL_PROC, ",fd=");
		render_field(COL_PROC, buf, fmt_u64(buf, o[i].fd));
		render_field(COL_PROC, ")", 1);
	}
	render_field(COL_PROC, ")", 1);
}

int ss_print_sock(const struct sock_rec *r, void *arg)
{
	char buf[24];

	common_fields(r);
	if (r->family == AF_UNIX) {
		unix_name_field(COL_LADDR, r);
		render_field(COL_LPORT, buf, fmt_u64(buf, r->ino));
		render_field(COL_RADDR, "* ", 2);
		render_field(COL_RPORT, buf, fmt_u64(buf, r->un.peer_ino));
	} else {
		inet_addr_field(COL_LADDR, r, r->laddr, r->ifindex);
		port_field(COL_LPORT, r, r->lport);
		inet_addr_field(COL_RADDR, r, r->raddr, 0);
		port_field(COL_RPORT, r, r->rport);
	}
	if (IS_ENABLED(CONFIG_PROCESSES) && ss.procs)
		users_field(r);
	if (IS_ENABLED(CONFIG_SS_DETAILS) && ss.show_extras)
		ss_print_details(r);
	render_end_row();
	return 0;
}
