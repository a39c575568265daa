/* ss -o, -e, --tos, --cgroup, --inet-sockopt, -b: timers and socket
 * details after the Process column's users:(...), as iproute2 6.1 prints
 * them; -m and -i text comes from info.c. */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/unix_diag.h>
#include <linux/xdp_diag.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/out.h"
#include "ss.h"

static void put_u(const char *label, uint64_t v)
{
	char buf[24];

	render_str(COL_PROC, label);
	render_field(COL_PROC, buf, fmt_u64(buf, v));
}

static void put_hex(const char *label, uint64_t v)
{
	char buf[17], *p = buf + sizeof(buf);

	render_str(COL_PROC, label);
	do
		*--p = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	render_field(COL_PROC, p, buf + sizeof(buf) - p);
}

/* "Xmin", "Ysec", "Y.ZZZsec", "ZZZms": minutes drop the milliseconds and,
 * from ten minutes on, the seconds; seconds from ten on drop the ms. */
static void ms_timer(uint32_t ms)
{
	unsigned secs = ms / 1000, min = secs / 60, msec = ms % 1000;
	char buf[24];

	secs %= 60;
	if (min) {
		msec = 0;
		render_field(COL_PROC, buf, fmt_u64(buf, min));
		render_str(COL_PROC, "min");
		if (min > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msec = 0;
		render_field(COL_PROC, buf, fmt_u64(buf, secs));
		render_str(COL_PROC, msec ? "." : "sec");
	}
	if (msec) {
		buf[0] = '0' + msec / 100;
		buf[1] = '0' + msec / 10 % 10;
		buf[2] = '0' + msec % 10;
		render_field(COL_PROC, buf, 3);
		render_str(COL_PROC, "ms");
	}
}

static void shutdown_marks(const struct sock_rec *r)
{
	char m[4] = { ' ', r->shutdown & 1 ? '-' : '<', '-', r->shutdown & 2 ? '-' : '>' };

	render_field(COL_PROC, m, 4);
}

static const void *attr(const struct sock_rec *r, unsigned type, size_t min)
{
	const void *p = ss_attr(r, type);

	return p && r->attr_len[type] >= min ? p : NULL;
}

/* printf's "%#x": no 0x for zero */
static void alt_hex(const char *label, uint32_t v)
{
	render_str(COL_PROC, label);
	if (v)
		put_hex("0x", v);
	else
		render_field(COL_PROC, "0", 1);
}

/* The newline iproute2 starts a detail block with, unless -O. */
static void block(const char *what)
{
	render_str(COL_PROC, ss.oneline ? " " : "\n\t");
	render_str(COL_PROC, what);
}

static void inet_sockopt(const struct sock_rec *r)
{
	/* the kernel's bitfield, first member in the lowest bit */
	static const char names[] = "recverr\0is_icsk\0freebind\0hdrincl\0mc_loop\0"
		"transparent\0mc_all\0nodefrag\0bind_addr_no_port\0recverr_rfc4884\0"
		"defer_connect\0";
	const uint8_t *o = attr(r, INET_DIAG_SOCKOPT, sizeof(struct inet_diag_sockopt));

	if (!o)
		return;
	uint16_t bits = o[0] | o[1] << 8;
	block("inet-sockopt: (");
	for (const char *n = names; *n; n += strlen(n) + 1, bits >>= 1)
		if (bits & 1) {
			render_field(COL_PROC, " ", 1);
			render_str(COL_PROC, n);
		}
	render_field(COL_PROC, ")", 1);
}

/* -b: the classic BPF program of a packet socket. */
static void bpf_filter(const struct sock_rec *r)
{
	const struct sock_filter *f = ss_attr(r, PACKET_DIAG_FILTER);
	size_t n = f ? r->attr_len[PACKET_DIAG_FILTER] / sizeof(*f) : 0;

	if (!f)
		return;
	block("bpf filter (");
	put_u("", n);
	render_str(COL_PROC, "): ");
	for (size_t i = 0; i < n; i++) {
		struct sock_filter ins;
		memcpy(&ins, f + i, sizeof(ins));
		put_hex(ins.code < 16 ? " 0x0" : " 0x", ins.code);
		put_u(" ", ins.jt);
		put_u(" ", ins.jf);
		put_u(" ", ins.k);
		render_field(COL_PROC, ",", 1);
	}
}

/* Families without sockets of their own in this file: -b and -m text
 * after whatever their row printer wrote. */
static void link_details(const struct sock_rec *r)
{
	if (r->family == AF_PACKET) {
		if (ss.show_bpf)
			bpf_filter(r);
		if (ss.show_mem)
			ss_print_skmem(r, PACKET_DIAG_MEMINFO);
	} else if (r->family == AF_NETLINK && ss.show_mem) {
		render_field(COL_PROC, "\t", 1);
		ss_print_skmem(r, NETLINK_DIAG_MEMINFO);
	} else if (r->family == AF_XDP && ss.show_mem) {
		ss_print_skmem(r, XDP_DIAG_MEMINFO);
	}
}

void ss_print_details(const struct sock_rec *r)
{
	static const char *const timers[] = { "off", "on", "keepalive", "timewait", "persist", "unknown" };

	if (r->family == AF_UNIX) {
		if (ss.show_mem)
			ss_print_skmem(r, UNIX_DIAG_MEMINFO);
		if (!ss.show_details)
			return;
		if (r->has & SKH_SHUTDOWN)
			shutdown_marks(r);
		if (r->has & SKH_VFS) {
			uint32_t dev = r->un.vfs_dev;
			put_u(" ino:", r->un.vfs_ino);
			put_u(" dev:", (dev >> 8) & 0xfff);
			put_u("/", (dev & 0xff) | ((dev >> 12) & 0xfff00));
		}
		if (r->un.icons) {
			render_str(COL_PROC, " peers:");
			for (uint32_t i = 0; i < r->un.n_icons; i++) {
				uint32_t ino;
				memcpy(&ino, r->un.icons + i, 4);
				put_u(" ", ino);
			}
		}
		return;
	}
	if (r->family != AF_INET && r->family != AF_INET6) {
		link_details(r);
		return;
	}
	if (ss.show_options && r->timer) {
		render_str(COL_PROC, " timer:(");
		/* sctp_diag reports the T3-rtx timer of an association alone */
		render_str(COL_PROC, IS_ENABLED(CONFIG_SCTP) && r->protocol == IPPROTO_SCTP ?
				     "T3_RTX" : timers[r->timer > 4 ? 5 : r->timer]);
		render_field(COL_PROC, ",", 1);
		ms_timer(r->expires_ms);
		put_u(",", r->retrans);
		render_field(COL_PROC, ")", 1);
	}
	if (ss.show_details) {
		if (r->uid)
			put_u(" uid:", r->uid);
		put_u(" ino:", r->ino);
		put_hex(" sk:", r->cookie);
		if (r->mark)
			put_hex(" fwmark:0x", r->mark);
		if (r->cgroup_id) {
			render_str(COL_PROC, " cgroup:");
			render_str(COL_PROC, sk_cgroup_path(r->cgroup_id));
		}
		if (r->family == AF_INET6 && (r->has & SKH_V6ONLY))
			put_u(" v6only:", r->v6only);
		if (r->has & SKH_SHUTDOWN)
			shutdown_marks(r);
	}
	if (ss.show_tos) {
		if (r->has & SKH_TOS)
			alt_hex(" tos:", r->tos);
		if (r->has & SKH_TCLASS)
			alt_hex(" tclass:", r->tclass);
		if (r->has & SKH_CLASS_ID)
			alt_hex(" class_id:", r->class_id);
	}
	if (ss.show_cgroup && (r->has & SKH_CGROUP)) {
		render_str(COL_PROC, " cgroup:");
		render_str(COL_PROC, sk_cgroup_path(r->cgroup_id));
	}
	if (ss.show_inet_sockopt)
		inet_sockopt(r);
	/* iproute2's /proc/net readers print no memory or info block */
	if (r->source == SKS_NETLINK &&
	    (ss.show_mem || (ss.show_info && r->protocol != IPPROTO_UDP)))
		ss_print_info(r);
}
