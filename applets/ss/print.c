/* One socket record -> one ss row, formatted as iproute2 6.1 prints it. */
#include <string.h>
#include <netinet/in.h>
#include <linux/packet_diag.h>
#include <linux/xdp_diag.h>
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

/* A signed decimal (iproute2 keeps most numbers in an int). */
static size_t fmt_int(char *buf, int64_t v)
{
	if (v >= 0)
		return fmt_u64(buf, v);
	buf[0] = '-';
	return 1 + fmt_u64(buf + 1, -(uint64_t)v);
}

static void int_field(enum ss_col col, int64_t v)
{
	char buf[24];

	render_field(col, buf, fmt_int(buf, v));
}

static void hex_field(enum ss_col col, uint64_t v, int width)
{
	char buf[17], *p = buf + sizeof(buf);

	do
		*--p = "0123456789abcdef"[v & 15];
	while ((v >>= 4) || buf + sizeof(buf) - p < width);
	render_field(col, p, buf + sizeof(buf) - p);
}

/* "%-6d": the queue fields are padded to six inside the field itself. */
static void queue_field(enum ss_col col, uint32_t v)
{
	char buf[24];
	size_t n = fmt_int(buf, (int32_t)v);

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
	if (IS_ENABLED(CONFIG_TIPC) && r->table == SKT_TIPC) {
		static const char tipc[][6] = { "???", "ti_st", "ti_dg", "???", "ti_rd", "ti_sq" };
		return tipc[r->type < ARRAY_SIZE(tipc) ? r->type : 0];
	}
	return sk_table_netid(r->table);
}

const char *ss_sctp_state(unsigned state)
{
	static const char *const names[] = {
		"CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTAB", "SHUTDOWN_PENDING",
		"SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "ACK_SENT",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "";
}

/* An SCTP association shares its endpoint's inode and follows it; like
 * iproute2, compare with the last inet row shown. */
int ss_sctp_assoc(const struct sock_rec *r)
{
	static uint32_t last_ino;
	int assoc = 0;

	if (IS_ENABLED(CONFIG_SCTP) && r->source == SKS_NETLINK &&
	    (SKT_BIT(r->table) & SKT_INET_ALL)) {
		assoc = r->table == SKT_SCTP && last_ino && r->ino == last_ino;
		last_ino = r->ino;
	}
	return assoc;
}

static void common_fields(const struct sock_rec *r)
{
	const char *st = r->state < SK_STATE_MAX ? state_names[r->state] : "UNKNOWN";

	/* an association: "`- STATE" in SCTP's own state names, no Netid */
	if (ss_sctp_assoc(r)) {
		render_str(COL_STATE, "`- ");
		render_str(COL_STATE, ss_sctp_state(r->state));
	} else {
		render_str(COL_NETID, netid(r));
		render_str(COL_STATE, st);
	}
	queue_field(COL_RECVQ, r->rqueue);
	queue_field(COL_SENDQ, r->wqueue);
}

/* iproute2 looks services up in the protocol of the last of RAW, UDP and
 * TCP it dumped (none: any protocol); DCCP, SCTP and MPTCP inherit it. */
static unsigned port_kind(const struct sock_rec *r)
{
	unsigned t = r->table;

	return r->source != SKS_EVENT && (t == SKT_TCP || t == SKT_UDP || t == SKT_RAW) ?
	       t : ss.dg_table;
}

static void port_field(enum ss_col col, const struct sock_rec *r, uint16_t port)
{
	char buf[24];
	const char *name;
	unsigned kind = port_kind(r);

	if (!port) {
		render_field(col, "*", 1);
		return;
	}
	if (IS_ENABLED(CONFIG_RAW) && kind == SKT_RAW && !ss.numeric) {
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
	    (name = sk_service_name(port, kind == SKT_TCP ? "tcp" :
					    kind == SKT_UDP ? "udp" : NULL))) {
		render_str(col, name);
		return;
	}
	render_field(col, buf, fmt_u64(buf, port));
}

/* musl's memcmp goes byte by byte; this is on every IPv6 row */
static int ip6_is_any(const uint8_t *a)
{
	uint64_t w[2];

	memcpy(w, a, 16);
	return !(w[0] | w[1]);
}

static void inet_addr_field(enum ss_col col, const struct sock_rec *r,
			    const uint8_t *addr, uint32_t ifindex)
{
	char buf[FMT_IP6_MAX + 2];
	const char *host;
	size_t n;

	if (r->family == AF_INET6 && !r->v6only && ip6_is_any(addr)) {
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

/* Link layer: "proto:iface" and an empty peer. */
static void packet_fields(const struct sock_rec *r)
{
	const char *name = r->protocol == 3 ? "*" : ss.numeric ? NULL :
			   sk_ll_proto_name(r->protocol);

	if (name) {
		render_str(COL_LADDR, name);
	} else {
		render_field(COL_LADDR, "[", 1);
		int_field(COL_LADDR, r->protocol);
		render_field(COL_LADDR, "]", 1);
	}
	render_field(COL_LADDR, ":", 1);
	render_str(COL_LPORT, r->ifindex ? sk_ifname(r->ifindex) : "*");
	render_field(COL_RADDR, "*", 1);
}

/* "protocol:comm/pid" and, when connected, "group:pid". */
static void netlink_fields(const struct sock_rec *r)
{
	const char *proto = r->nl.protocol < 0 || ss.numeric ? NULL :
			    sk_nl_proto_name(r->nl.protocol);
	int32_t pid = r->nl.portid;
	char comm[64], safe[4 * sizeof(comm)];
	size_t n;

	if (proto)
		render_str(COL_LADDR, proto);
	else
		int_field(COL_LADDR, r->nl.protocol);
	render_field(COL_LADDR, ":", 1);
	if (pid == -1) {
		render_field(COL_LPORT, "*", 1);
	} else if (!ss.numeric && !pid) {
		render_str(COL_LPORT, "kernel");
	} else if (!ss.numeric && pid > 0 && (n = sk_pid_comm(pid, comm, sizeof(comm) - 12))) {
		render_field(COL_LPORT, safe, fmt_safe(safe, comm, n));
		render_field(COL_LPORT, "/", 1);
		int_field(COL_LPORT, pid);
	} else {
		int_field(COL_LPORT, pid);
	}
	if (r->nl.connected) {
		int_field(COL_RADDR, r->nl.dst_group);
		render_field(COL_RADDR, ":", 1);
		int_field(COL_RPORT, (int32_t)r->nl.dst_portid);
	} else {
		render_field(COL_RADDR, "*", 1);
	}
}

static void label_u(const char *label, uint32_t v)
{
	render_str(COL_PROC, label);
	int_field(COL_PROC, (int32_t)v);
}

static void ring_details(const char *name, const void *attr, size_t len)
{
	struct packet_diag_ring ring;

	if (!attr || len < sizeof(ring))
		return;
	memcpy(&ring, attr, sizeof(ring));
	render_str(COL_PROC, ss.oneline ? " " : "\n\t");
	render_str(COL_PROC, name);
	label_u("(blk_size:", ring.pdr_block_size);
	label_u(",blk_nr:", ring.pdr_block_nr);
	label_u(",frm_size:", ring.pdr_frame_size);
	label_u(",frm_nr:", ring.pdr_frame_nr);
	label_u(",tmo:", ring.pdr_retire_tmo);
	render_str(COL_PROC, ",features:0x");
	hex_field(COL_PROC, ring.pdr_features, 1);
	render_field(COL_PROC, ")", 1);
}

/* packet_diag's version, flags, rings and fanout (netlink dumps only). */
static void packet_info(const struct sock_rec *r)
{
	static const char *const flags[] = { "running", " auxdata", " origdev", " vnethdr", " loss" };
	static const char *const fanout[] = { "hash", "lb", "cpu", "roll", "random", "qm" };
	const char *nl = ss.oneline ? " " : "\n\t";
	struct packet_diag_info pi;

	if (!r->attr)
		return;
	if (r->attr[PACKET_DIAG_INFO] && r->attr_len[PACKET_DIAG_INFO] >= sizeof(pi)) {
		memcpy(&pi, r->attr[PACKET_DIAG_INFO], sizeof(pi));
		render_str(COL_PROC, nl);
		label_u("ver:", pi.pdi_version);
		label_u(" cpy_thresh:", pi.pdi_copy_thresh);
		render_str(COL_PROC, " flags( ");
		for (unsigned i = 0; i < ARRAY_SIZE(flags); i++)
			if (pi.pdi_flags & (1u << i))
				render_str(COL_PROC, flags[i]);
		if (!pi.pdi_flags)
			render_field(COL_PROC, "0", 1);
		render_str(COL_PROC, " )");
	}
	ring_details("ring_rx", r->attr[PACKET_DIAG_RX_RING], r->attr_len[PACKET_DIAG_RX_RING]);
	ring_details("ring_tx", r->attr[PACKET_DIAG_TX_RING], r->attr_len[PACKET_DIAG_TX_RING]);
	if (r->attr[PACKET_DIAG_FANOUT] && r->attr_len[PACKET_DIAG_FANOUT] >= 4) {
		uint32_t f;
		memcpy(&f, r->attr[PACKET_DIAG_FANOUT], 4);
		render_str(COL_PROC, nl);
		label_u("fanout(id:", f & 0xffff);
		render_str(COL_PROC, ",type:");
		if (f >> 16 < ARRAY_SIZE(fanout)) {
			render_str(COL_PROC, fanout[f >> 16]);
		} else {
			render_str(COL_PROC, "0x");
			hex_field(COL_PROC, f >> 16, 1);
		}
		render_field(COL_PROC, ")", 1);
	}
}

/* "node:port", "*" for the any values (vsock, tipc). */
static void id_fields(enum ss_col col, uint32_t node, uint32_t port)
{
	char buf[24];

	if (node == UINT32_MAX)
		render_field(col, "*", 1);
	else
		render_field(col, buf, fmt_u64(buf, node));
	render_field(col, ":", 1);
	if (port == UINT32_MAX)
		render_field(col + 1, "*", 1);
	else
		render_field(col + 1, buf, fmt_u64(buf, port));
}

static void id_row(const struct sock_rec *r)
{
	id_fields(COL_LADDR, r->id.lnode, r->id.lport);
	if (r->id.peer)
		id_fields(COL_RADDR, r->id.rnode, r->id.rport);
	else
		render_field(COL_RADDR, "-", 1);
}

static void xdp_fields(const struct sock_rec *r)
{
	if (r->ifindex) {
		render_str(COL_LADDR, sk_ifname(r->ifindex));
		render_field(COL_LADDR, ":", 1);
		render_field(COL_LPORT, "q", 1);
		int_field(COL_LPORT, (int32_t)r->id.lport);
	} else {
		render_field(COL_LADDR, "*", 1);
	}
	render_field(COL_RADDR, "*", 1);
}

/* --tipcinfo */
static void tipc_info(const struct sock_rec *r)
{
	static const char *const types[] = { "UNKNOWN", "STREAM", "DGRAM", "UNKNOWN",
					     "RDM", "SEQPACKET" };
	static const char *const cong[] = { "none", "link", "conn" };

	render_str(COL_PROC, ss.oneline ? " type:" : "\n type:");
	render_str(COL_PROC, r->type < ARRAY_SIZE(types) ? types[r->type] : "UNKNOWN");
	render_str(COL_PROC, " cong:");
	render_str(COL_PROC, cong[r->tipc.cong]);
	label_u("  drop:", r->tipc.drop);
	render_field(COL_PROC, " ", 1);
	if (r->tipc.publ)
		render_str(COL_PROC, " publ");
	if (r->tipc.via) {
		label_u(" via {", r->tipc.via_type);
		label_u(",", r->tipc.via_inst);
		render_str(COL_PROC, "} ");
	}
}

static void u64_label(const char *label, uint64_t v)
{
	char buf[24];

	render_str(COL_PROC, label);
	render_field(COL_PROC, buf, fmt_u64(buf, v));
}

/* "\n\tNAME(entries:N)" for each ring xdp_diag reported */
static void xdp_ring(const struct sock_rec *r, unsigned attr, const char *name)
{
	struct xdp_diag_ring ring;

	if (!r->attr[attr] || r->attr_len[attr] < sizeof(ring))
		return;
	memcpy(&ring, r->attr[attr], sizeof(ring));
	render_str(COL_PROC, ss.oneline ? " " : "\n\t");
	render_str(COL_PROC, name);
	u64_label("(entries:", ring.entries);
	render_field(COL_PROC, ")", 1);
}

/* xdp_diag's rings, umem and statistics, as iproute2 prints them */
static void xdp_info(const struct sock_rec *r)
{
	struct xdp_diag_umem u;
	struct xdp_diag_stats st;

	xdp_ring(r, XDP_DIAG_RX_RING, "rx");
	xdp_ring(r, XDP_DIAG_TX_RING, "tx");
	if (r->attr[XDP_DIAG_UMEM] && r->attr_len[XDP_DIAG_UMEM] >= sizeof(u)) {
		memcpy(&u, r->attr[XDP_DIAG_UMEM], sizeof(u));
		render_str(COL_PROC, ss.oneline ? " tumem(" : "\n\tumem(");
		u64_label("id:", u.id);
		u64_label(",size:", u.size);
		u64_label(",num_pages:", u.num_pages);
		u64_label(",chunk_size:", u.chunk_size);
		u64_label(",headroom:", u.headroom);
		u64_label(",ifindex:", u.ifindex);
		u64_label(",qid:", u.queue_id);
		u64_label(",zc:", u.flags & XDP_DU_F_ZEROCOPY);
		u64_label(",refs:", u.refs);
		render_field(COL_PROC, ")", 1);
		xdp_ring(r, XDP_DIAG_UMEM_FILL_RING, "fr");
		xdp_ring(r, XDP_DIAG_UMEM_COMPLETION_RING, "cr");
	}
	if (r->attr[XDP_DIAG_STATS] && r->attr_len[XDP_DIAG_STATS] >= sizeof(st)) {
		memcpy(&st, r->attr[XDP_DIAG_STATS], sizeof(st));
		render_str(COL_PROC, ss.oneline ? " stats(" : "\n\tstats(");
		u64_label("rx dropped:", st.n_rx_dropped);
		u64_label(",rx invalid:", st.n_rx_invalid);
		u64_label(",rx queue full:", st.n_rx_full);
		u64_label(",rx fill ring empty:", st.n_fill_ring_empty);
		u64_label(",tx invalid:", st.n_tx_invalid);
		u64_label(",tx ring empty:", st.n_tx_ring_empty);
		render_field(COL_PROC, ")", 1);
	}
}

/* -e of link, netlink, vsock, tipc and xdp sockets: uid, inode, cookie. */
static void packet_details(const struct sock_rec *r)
{
	char buf[24];

	if (r->uid) {
		render_str(COL_PROC, " uid:");
		render_field(COL_PROC, buf, fmt_u64(buf, r->uid));
	}
	render_str(COL_PROC, " ino:");
	render_field(COL_PROC, buf, fmt_u64(buf, r->ino));
	render_str(COL_PROC, " sk:");
	hex_field(COL_PROC, r->cookie, 1);
	if (r->family == AF_PACKET)
		packet_info(r);
	else if (IS_ENABLED(CONFIG_XDP) && r->family == AF_XDP && r->attr)
		xdp_info(r);
}

static void netlink_details(const struct sock_rec *r)
{
	render_str(COL_PROC, " sk=");
	hex_field(COL_PROC, r->nl.sk, 1);
	render_str(COL_PROC, " cb=");
	hex_field(COL_PROC, r->nl.cb, 1);
	render_str(COL_PROC, " groups=0x");
	hex_field(COL_PROC, r->nl.groups, 8);
}

int ss_print_sock(const struct sock_rec *r, void *arg)
{
	char buf[24];

	common_fields(r);
	if (IS_ENABLED(CONFIG_PACKET) && r->family == AF_PACKET) {
		packet_fields(r);
	} else if ((IS_ENABLED(CONFIG_VSOCK) && r->family == AF_VSOCK) ||
		   (IS_ENABLED(CONFIG_TIPC) && r->family == AF_TIPC)) {
		id_row(r);
	} else if (IS_ENABLED(CONFIG_XDP) && r->family == AF_XDP) {
		xdp_fields(r);
	} else if (IS_ENABLED(CONFIG_NETLINK) && r->family == AF_NETLINK) {
		netlink_fields(r);
	} else if (r->family == AF_UNIX) {
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
	/* TIPC prints its details before the processes */
	if (IS_ENABLED(CONFIG_TIPC) && r->family == AF_TIPC && ss.show_details)
		packet_details(r);
	/* iproute2 names netlink owners in the address, never in users: */
	if (IS_ENABLED(CONFIG_PROCESSES) && ss.procs && r->family != AF_NETLINK)
		users_field(r);
	if (IS_ENABLED(CONFIG_TIPC) && r->family == AF_TIPC) {
		if (ss.show_tipcinfo)
			tipc_info(r);
	} else if (r->family == AF_VSOCK) {
		/* iproute2 prints no details for vsock */
	} else {
		if (((IS_ENABLED(CONFIG_PACKET) && r->family == AF_PACKET) ||
		     (IS_ENABLED(CONFIG_XDP) && r->family == AF_XDP)) && ss.show_details)
			packet_details(r);
		else if (IS_ENABLED(CONFIG_NETLINK) && r->family == AF_NETLINK && ss.show_details)
			netlink_details(r);
		/* then -b/-m; iproute2's /proc/net/{udp,raw} reader prints no
		 * details at all */
		if (IS_ENABLED(CONFIG_SS_DETAILS) && ss.show_extras &&
		    !(r->source == SKS_PROC && (r->table == SKT_UDP || r->table == SKT_RAW)))
			ss_print_details(r);
	}
	render_end_row();
	return 0;
}
