#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/fmt.h"
#include "libsock/json.h"
#include "libsock/out.h"

/* One bit per nesting level: does the next value need a comma first? */
static uint64_t need_comma;
static unsigned depth;
static int after_key;

static void sep(void)
{
	if (after_key) {
		after_key = 0;
		return;
	}
	if (depth < 64 && (need_comma >> depth & 1))
		out_char(',');
	if (depth < 64)
		need_comma |= 1ull << depth;
}

static void open_(char c)
{
	sep();
	out_char(c);
	depth++;
	if (depth < 64)
		need_comma &= ~(1ull << depth);
}

static void close_(char c)
{
	depth--;
	out_char(c);
}

void json_obj_begin(void) { open_('{'); }
void json_obj_end(void) { close_('}'); }
void json_arr_begin(void) { open_('['); }
void json_arr_end(void) { close_(']'); }

void json_reset(void)
{
	need_comma = 0;
	depth = 0;
	after_key = 0;
}

void json_strn(const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sep();
	out_char('"');
	while (i < n) {
		unsigned c = s[i];
		size_t k = i;

		while (k < n && s[k] >= 0x20 && s[k] < 0x7f && s[k] != '"' && s[k] != '\\')
			k++;
		if (k > i) {	/* a run of plain ASCII, written at once */
			out_write(s + i, k - i);
			i = k;
			continue;
		}
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };
			out_write(e, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			out_write(e, 6);
			i++;
		} else if ((k = fmt_utf8_len(s + i, n - i))) {
			out_write(s + i, k);
			i += k;
		} else {
			/* not UTF-8: the text "\xNN", as the text output shows */
			char e[5] = { '\\', '\\', 'x', hex[c >> 4], hex[c & 15] };
			out_write(e, 5);
			i++;
		}
	}
	out_char('"');
}

void json_str(const char *s)
{
	if (s)
		json_strn(s, strlen(s));
	else
		json_null();
}

/* Keys are our own plain ASCII: no escaping needed. */
void json_key(const char *k)
{
	sep();
	out_char('"');
	out_str(k);
	out_write("\":", 2);
	after_key = 1;
}

void json_u64(uint64_t v)
{
	sep();
	out_u64(v);
}

void json_i64(int64_t v)
{
	sep();
	if (v < 0) {
		out_char('-');
		out_u64(-(uint64_t)v);
	} else {
		out_u64(v);
	}
}

void json_bool(int b)
{
	sep();
	out_str(b ? "true" : "false");
}

void json_null(void)
{
	sep();
	out_str("null");
}

const char *sk_state_name(unsigned state)
{
	static const char *const names[SK_STATE_MAX] = {
		[SK_UNKNOWN] = "unknown",
		[SK_ESTABLISHED] = "established",
		[SK_SYN_SENT] = "syn-sent",
		[SK_SYN_RECV] = "syn-recv",
		[SK_FIN_WAIT1] = "fin-wait-1",
		[SK_FIN_WAIT2] = "fin-wait-2",
		[SK_TIME_WAIT] = "time-wait",
		[SK_CLOSE] = "unconnected",
		[SK_CLOSE_WAIT] = "close-wait",
		[SK_LAST_ACK] = "last-ack",
		[SK_LISTEN] = "listening",
		[SK_CLOSING] = "closing",
		[SK_NEW_SYN_RECV] = "new-syn-recv",
		[SK_BOUND_INACTIVE] = "bound-inactive",
	};

	return state < SK_STATE_MAX ? names[state] : "unknown";
}

static void json_inet_end(const struct sock_rec *r, const uint8_t *addr,
			  uint16_t port, uint32_t ifindex)
{
	char buf[FMT_IP6_MAX];

	json_obj_begin();
	json_key("address");
	if (r->family == AF_INET)
		json_strn(buf, fmt_ip4(buf, addr));
	else
		json_strn(buf, fmt_ip6(buf, addr));
	json_key("port");
	json_u64(port);
	json_key("ifname");
	json_str(ifindex ? sk_ifname(ifindex) : NULL);
	json_obj_end();
}

static void json_unix_name(const struct sock_rec *r)
{
	char name[110];
	size_t n = r->un.name_len;

	if (!r->un.name) {
		json_null();
		return;
	}
	if (n > sizeof(name))
		n = sizeof(name);
	memcpy(name, r->un.name, n);
	if (name[0] == 0) {	/* abstract: shown as @name, NULs as @ */
		for (size_t i = 0; i < n; i++)
			if (!name[i])
				name[i] = '@';
	} else {
		n = strnlen(name, n);
	}
	json_strn(name, n);
}

void sk_json_sock_fields(const struct sock_rec *r)
{
	json_key("netid");
	json_str(sk_table_netid(r->table));
	json_key("family");
	json_str(r->family == AF_INET ? "inet" : r->family == AF_INET6 ? "inet6" :
		 r->family == AF_UNIX ? "unix" : NULL);
	json_key("state");
	json_str(sk_state_name(r->state));
	json_key("recv_q");
	if (r->has & SKH_QUEUES)
		json_u64(r->rqueue);
	else
		json_null();
	json_key("send_q");
	if (r->has & SKH_QUEUES)
		json_u64(r->wqueue);
	else
		json_null();
	if (r->family == AF_UNIX) {
		json_key("local");
		json_obj_begin();
		json_key("path");
		json_unix_name(r);
		json_key("inode");
		json_u64(r->ino);
		json_obj_end();
		json_key("peer");
		json_obj_begin();
		json_key("inode");
		if (r->has & SKH_PEER)
			json_u64(r->un.peer_ino);
		else
			json_null();
		json_obj_end();
	} else {
		json_key("local");
		json_inet_end(r, r->laddr, r->lport, r->ifindex);
		static const uint8_t zero[16];
		json_key("peer");
		if (!r->rport && !memcmp(r->raddr, zero, 16))
			json_null();	/* listening or unconnected: no peer */
		else
			json_inet_end(r, r->raddr, r->rport, 0);
		json_key("v6only");
		if (r->family == AF_INET6 && (r->has & SKH_V6ONLY))
			json_bool(r->v6only);
		else
			json_null();
	}
	json_key("inode");
	json_u64(r->ino);
	json_key("uid");
	if (r->has & SKH_UID)
		json_u64(r->uid);
	else
		json_null();
	json_key("cookie");
	if (r->has & SKH_COOKIE)
		json_u64(r->cookie);
	else
		json_null();
}

/* --- detail objects: kernel structs by their field names ----------------- */

/* A struct member: offset, size in bytes (0: a bit-field of the byte at
 * off, bits wide from bit shift). Tables are in offset order, so a
 * shorter struct from an older kernel simply ends early. */
struct jfield {
	const char *name;
	uint16_t off;
	uint8_t size, shift, bits;
};
#define JF(n, o, s) { n, o, s, 0, 0 }
/* C bit-fields fill from the low bit on little-endian, the high on big */
#define JBITS(n, o, lo, w) { n, o, 0, \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? lo : 8 - (lo) - (w), w }

static uint64_t get_uint(const uint8_t *p, unsigned size)
{
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (size) {
	case 1: return *p;
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

static void json_struct(const struct jfield *f, size_t n, const uint8_t *p, size_t len)
{
	json_obj_begin();
	for (size_t i = 0; i < n; i++) {
		unsigned size = f[i].size ? f[i].size : 1;
		if (f[i].off + size > len)
			break;
		json_key(f[i].name);
		if (f[i].size)
			json_u64(get_uint(p + f[i].off, size));
		else
			json_u64(p[f[i].off] >> f[i].shift & ((1u << f[i].bits) - 1));
	}
	json_obj_end();
}

/* The record's raw attribute i if it holds at least min bytes. */
static const uint8_t *attr(const struct sock_rec *r, unsigned i, size_t min, size_t *len)
{
	if (!r->attr || i > r->attr_max || !r->attr[i] || r->attr_len[i] < min)
		return NULL;
	*len = r->attr_len[i];
	return r->attr[i];
}

static void member_struct(const struct sock_rec *r, const char *key, unsigned a,
			  const struct jfield *f, size_t n)
{
	size_t len;
	const uint8_t *p = attr(r, a, 1, &len);

	json_key(key);
	if (p)
		json_struct(f, n, p, len);
	else
		json_null();
}

/* struct tcp_info without the tcpi_ prefix, at the kernel ABI's offsets
 * (fields past the installed headers' end included: the kernel's length
 * says which exist). */
static const struct jfield tcp_info_fields[] = {
	JF("state", 0, 1), JF("ca_state", 1, 1), JF("retransmits", 2, 1),
	JF("probes", 3, 1), JF("backoff", 4, 1), JF("options", 5, 1),
	JBITS("snd_wscale", 6, 0, 4), JBITS("rcv_wscale", 6, 4, 4),
	JBITS("delivery_rate_app_limited", 7, 0, 1),
	JBITS("fastopen_client_fail", 7, 1, 2),
	JF("rto", 8, 4), JF("ato", 12, 4), JF("snd_mss", 16, 4), JF("rcv_mss", 20, 4),
	JF("unacked", 24, 4), JF("sacked", 28, 4), JF("lost", 32, 4),
	JF("retrans", 36, 4), JF("fackets", 40, 4),
	JF("last_data_sent", 44, 4), JF("last_ack_sent", 48, 4),
	JF("last_data_recv", 52, 4), JF("last_ack_recv", 56, 4),
	JF("pmtu", 60, 4), JF("rcv_ssthresh", 64, 4), JF("rtt", 68, 4),
	JF("rttvar", 72, 4), JF("snd_ssthresh", 76, 4), JF("snd_cwnd", 80, 4),
	JF("advmss", 84, 4), JF("reordering", 88, 4), JF("rcv_rtt", 92, 4),
	JF("rcv_space", 96, 4), JF("total_retrans", 100, 4),
	JF("pacing_rate", 104, 8), JF("max_pacing_rate", 112, 8),
	JF("bytes_acked", 120, 8), JF("bytes_received", 128, 8),
	JF("segs_out", 136, 4), JF("segs_in", 140, 4),
	JF("notsent_bytes", 144, 4), JF("min_rtt", 148, 4),
	JF("data_segs_in", 152, 4), JF("data_segs_out", 156, 4),
	JF("delivery_rate", 160, 8), JF("busy_time", 168, 8),
	JF("rwnd_limited", 176, 8), JF("sndbuf_limited", 184, 8),
	JF("delivered", 192, 4), JF("delivered_ce", 196, 4),
	JF("bytes_sent", 200, 8), JF("bytes_retrans", 208, 8),
	JF("dsack_dups", 216, 4), JF("reord_seen", 220, 4),
	JF("rcv_ooopack", 224, 4), JF("snd_wnd", 228, 4),
	JF("rcv_wnd", 232, 4), JF("rehash", 236, 4),
	JF("total_rto", 240, 2), JF("total_rto_recoveries", 242, 2),
	JF("total_rto_time", 244, 4),
};
_Static_assert(offsetof(struct tcp_info, tcpi_rto) == 8 &&
	       offsetof(struct tcp_info, tcpi_pacing_rate) == 104 &&
	       offsetof(struct tcp_info, tcpi_delivered) == 192 &&
	       offsetof(struct tcp_info, tcpi_snd_wnd) == 228, "tcp_info ABI offsets");
_Static_assert(SK_MEMINFO_DROPS == 8, "SK_MEMINFO_* order");

/* the enum SK_MEMINFO_* order */
static const struct jfield skmeminfo_fields[] = {
	JF("rmem_alloc", 0, 4), JF("rcvbuf", 4, 4), JF("wmem_alloc", 8, 4),
	JF("sndbuf", 12, 4), JF("fwd_alloc", 16, 4), JF("wmem_queued", 20, 4),
	JF("optmem", 24, 4), JF("backlog", 28, 4), JF("drops", 32, 4),
};

static const struct jfield meminfo_fields[] = {	/* idiag_* */
	JF("rmem", 0, 4), JF("wmem", 4, 4), JF("fmem", 8, 4), JF("tmem", 12, 4),
};

static const struct jfield vegas_fields[] = {	/* tcpv_* */
	JF("enabled", 0, 4), JF("rttcnt", 4, 4), JF("rtt", 8, 4), JF("minrtt", 12, 4),
};

static const struct jfield dctcp_fields[] = {	/* dctcp_* */
	JF("enabled", 0, 2), JF("ce_state", 2, 2), JF("alpha", 4, 4),
	JF("ab_ecn", 8, 4), JF("ab_tot", 12, 4),
};

static const struct jfield bbr_fields[] = {	/* bbr_* */
	JF("bw_lo", 0, 4), JF("bw_hi", 4, 4), JF("min_rtt", 8, 4),
	JF("pacing_gain", 12, 4), JF("cwnd_gain", 16, 4),
};

static void json_u64_if(int have, uint64_t v)
{
	if (have)
		json_u64(v);
	else
		json_null();
}

static void json_timer(const struct sock_rec *r)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "persist" };

	json_key("timer");
	if (!(r->has & SKH_TIMER)) {
		json_null();
		return;
	}
	json_obj_begin();
	json_key("name");
	json_str(r->timer < ARRAY_SIZE(names) ? names[r->timer] : "unknown");
	json_key("expires_ms");
	json_u64(r->expires_ms);
	json_key("retrans");
	json_u64(r->retrans);
	json_obj_end();
}

static void json_extended(const struct sock_rec *r)
{
	json_key("extended");
	json_obj_begin();
	json_key("shutdown");
	json_u64_if(r->has & SKH_SHUTDOWN, r->shutdown);
	if (r->family == AF_UNIX) {
		json_key("vfs");
		if (r->has & SKH_VFS) {
			json_obj_begin();
			json_key("ino");
			json_u64(r->un.vfs_ino);
			json_key("dev");
			json_u64(r->un.vfs_dev);
			json_obj_end();
		} else {
			json_null();
		}
		json_key("icons");
		if (r->un.icons) {
			json_arr_begin();
			for (uint32_t i = 0; i < r->un.n_icons; i++) {
				uint32_t ino;
				memcpy(&ino, r->un.icons + i, 4);
				json_u64(ino);
			}
			json_arr_end();
		} else {
			json_null();
		}
	} else {
		json_key("mark");
		json_u64_if(r->has & SKH_MARK, r->mark);
	}
	json_obj_end();
}

static void json_info(const struct sock_rec *r)
{
	int inet = r->family != AF_UNIX;
	size_t len;
	const uint8_t *cong = inet ? attr(r, INET_DIAG_CONG, 1, &len) : NULL;

	if (!inet) {
		json_key("tcp_info");
		json_null();
		json_key("cong");
		json_null();
		return;
	}
	member_struct(r, "tcp_info", INET_DIAG_INFO, tcp_info_fields, ARRAY_SIZE(tcp_info_fields));
	json_key("cong");
	if (cong)
		json_strn((const char *)cong, strnlen((const char *)cong, len));
	else
		json_null();
	/* only the algorithm's own one is sent; absent ones are left out */
	if (attr(r, INET_DIAG_VEGASINFO, 16, &len))
		member_struct(r, "vegas_info", INET_DIAG_VEGASINFO, vegas_fields, ARRAY_SIZE(vegas_fields));
	if (attr(r, INET_DIAG_DCTCPINFO, 16, &len))
		member_struct(r, "dctcp_info", INET_DIAG_DCTCPINFO, dctcp_fields, ARRAY_SIZE(dctcp_fields));
	if (attr(r, INET_DIAG_BBRINFO, 20, &len))
		member_struct(r, "bbr_info", INET_DIAG_BBRINFO, bbr_fields, ARRAY_SIZE(bbr_fields));
}

void sk_json_details(const struct sock_rec *r, unsigned what)
{
	int inet = r->family != AF_UNIX;

	if (what & SKJ_TIMER)
		json_timer(r);
	if (what & SKJ_EXT)
		json_extended(r);
	if (what & SKJ_MEM) {
		member_struct(r, "skmeminfo", inet ? INET_DIAG_SKMEMINFO : UNIX_DIAG_MEMINFO,
			      skmeminfo_fields, ARRAY_SIZE(skmeminfo_fields));
		if (inet) {
			member_struct(r, "meminfo", INET_DIAG_MEMINFO, meminfo_fields,
				      ARRAY_SIZE(meminfo_fields));
		} else {
			json_key("meminfo");
			json_null();
		}
	}
	if (what & SKJ_INFO)
		json_info(r);
	if (what & SKJ_TOS) {
		json_key("tos");
		json_obj_begin();
		json_key("tos");
		json_u64_if(r->has & SKH_TOS, r->tos);
		json_key("tclass");
		json_u64_if(r->has & SKH_TCLASS, r->tclass);
		json_key("class_id");
		json_u64_if(r->has & SKH_CLASS_ID, r->class_id);
		json_obj_end();
	}
	if (what & SKJ_CGROUP) {
		json_key("cgroup");
		if (r->has & SKH_CGROUP) {
			json_obj_begin();
			json_key("id");
			json_u64(r->cgroup_id);
			json_key("path");
			json_str(sk_cgroup_path(r->cgroup_id));
			json_obj_end();
		} else {
			json_null();
		}
	}
}

void sk_json_users(const struct sk_owner *o, size_t n, int threads)
{
	json_key("users");
	json_arr_begin();
	for (size_t i = 0; i < n; i++) {
		json_obj_begin();
		json_key("name");
		json_strn(o[i].proc->raw_comm, o[i].proc->raw_len);
		json_key("pid");
		json_u64(o[i].proc->pid);
		if (threads) {
			json_key("tid");
			json_u64(o[i].tid);
		}
		json_key("fd");
		json_u64(o[i].fd);
		json_obj_end();
	}
	json_arr_end();
}
