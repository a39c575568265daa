#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/mptcp.h>
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

void json_key_u64(const char *k, uint64_t v)
{
	json_key(k);
	json_u64(v);
}

void json_key_str(const char *k, const char *s)
{
	json_key(k);
	json_str(s);
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
	json_key_u64("port", port);
	json_key_str("ifname", ifindex ? sk_ifname(ifindex) : NULL);
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

/* "local"/"peer" of the non-inet, non-unix families, in the kernel's
 * own terms: packet protocol (ethertype) and interface, netlink protocol
 * and port ids, vsock cid:port, tipc node:ref, xdp interface and queue. */
static void json_other_ends(const struct sock_rec *r)
{
	json_key("local");
	json_obj_begin();
	switch (r->family) {
	case AF_PACKET:
	case AF_XDP:
		if (r->family == AF_PACKET)
			json_key_u64("protocol", r->protocol);
		json_key("ifindex");
		r->ifindex ? json_u64(r->ifindex) : json_null();
		if (r->family == AF_XDP)
			json_key_u64("queue", r->id.lport);
		break;
	case AF_NETLINK:
		json_key("protocol");
		json_i64(r->nl.protocol);
		json_key("portid");
		json_i64(r->nl.portid);
		json_key_u64("groups", r->nl.groups);
		break;
	default:	/* vsock, tipc */
		json_key_u64(r->family == AF_VSOCK ? "cid" : "node", r->id.lnode);
		json_key_u64(r->family == AF_VSOCK ? "port" : "ref", r->id.lport);
		break;
	}
	json_obj_end();
	json_key("peer");
	if (r->family == AF_NETLINK && r->nl.connected) {
		json_obj_begin();
		json_key_u64("portid", r->nl.dst_portid);
		json_key_u64("group", r->nl.dst_group);
		json_obj_end();
	} else if (r->family == AF_VSOCK || (r->family == AF_TIPC && r->id.peer)) {
		json_obj_begin();
		json_key_u64(r->family == AF_VSOCK ? "cid" : "node", r->id.rnode);
		json_key_u64(r->family == AF_VSOCK ? "port" : "ref", r->id.rport);
		json_obj_end();
	} else {
		json_null();
	}
}

void sk_json_sock_fields(const struct sock_rec *r)
{
	json_key_str("netid", sk_table_netid(r->table));
	json_key("family");
	json_str(r->family == AF_INET ? "inet" : r->family == AF_INET6 ? "inet6" :
		 r->family == AF_UNIX ? "unix" : r->family == AF_PACKET ? "packet" :
		 r->family == AF_NETLINK ? "netlink" : r->family == AF_VSOCK ? "vsock" :
		 r->family == AF_TIPC ? "tipc" : r->family == AF_XDP ? "xdp" : NULL);
	json_key_str("state", sk_state_name(r->state));
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
		json_key_u64("inode", r->ino);
		json_obj_end();
		json_key("peer");
		json_obj_begin();
		json_key("inode");
		if (r->has & SKH_PEER)
			json_u64(r->un.peer_ino);
		else
			json_null();
		json_obj_end();
	} else if (r->family != AF_INET && r->family != AF_INET6) {
		json_other_ends(r);
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
	json_key_u64("inode", r->ino);
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

/* --- detail objects: kernel structs by their member names --------------- */

/* A struct is a list X(name, offset, kind) in offset order (a shorter
 * struct from an older kernel simply ends early), kept as one string of
 * NUL-terminated names and a byte pair per member: offset, and kind = size
 * in bytes, or JB(): a bit-field of the byte at offset. */
#define JNAME(n, o, k) #n "\0"
#define JOFFK(n, o, k) o, k,
/* C bit-fields fill from the low bit on little-endian, the high on big */
#define JB(lo, w) (0x80 | (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? lo : 8 - (lo) - (w)) << 3 | (w))
#define JSTRUCT(id, LIST) \
	static const char id##_names[] = LIST(JNAME); \
	static const uint8_t id##_f[] = { LIST(JOFFK) };
#define JS(id) id##_names, id##_f, sizeof(id##_f) / 2

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

static void json_struct(const char *name, const uint8_t *f, size_t n,
			const uint8_t *p, size_t len)
{
	json_obj_begin();
	for (size_t i = 0; i < n; i++, name += strlen(name) + 1) {
		unsigned off = f[2 * i], k = f[2 * i + 1];
		if (off + (k & 0x80 ? 1 : k) > len)
			break;
		json_key(name);
		json_u64(k & 0x80 ? p[off] >> (k >> 3 & 7) & ((1u << (k & 7)) - 1) :
			 get_uint(p + off, k));
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
			  const char *names, const uint8_t *f, size_t n)
{
	size_t len;
	const uint8_t *p = attr(r, a, 1, &len);

	json_key(key);
	if (p)
		json_struct(names, f, n, p, len);
	else
		json_null();
}

/* struct tcp_info without the tcpi_ prefix, at the kernel ABI's offsets
 * (members past the installed headers' end included: the kernel's length
 * says which exist). */
#define TCPI(X) \
	X(state, 0, 1) X(ca_state, 1, 1) X(retransmits, 2, 1) X(probes, 3, 1) \
	X(backoff, 4, 1) X(options, 5, 1) X(snd_wscale, 6, JB(0, 4)) \
	X(rcv_wscale, 6, JB(4, 4)) X(delivery_rate_app_limited, 7, JB(0, 1)) \
	X(fastopen_client_fail, 7, JB(1, 2)) X(rto, 8, 4) X(ato, 12, 4) \
	X(snd_mss, 16, 4) X(rcv_mss, 20, 4) X(unacked, 24, 4) X(sacked, 28, 4) \
	X(lost, 32, 4) X(retrans, 36, 4) X(fackets, 40, 4) \
	X(last_data_sent, 44, 4) X(last_ack_sent, 48, 4) \
	X(last_data_recv, 52, 4) X(last_ack_recv, 56, 4) X(pmtu, 60, 4) \
	X(rcv_ssthresh, 64, 4) X(rtt, 68, 4) X(rttvar, 72, 4) \
	X(snd_ssthresh, 76, 4) X(snd_cwnd, 80, 4) X(advmss, 84, 4) \
	X(reordering, 88, 4) X(rcv_rtt, 92, 4) X(rcv_space, 96, 4) \
	X(total_retrans, 100, 4) X(pacing_rate, 104, 8) \
	X(max_pacing_rate, 112, 8) X(bytes_acked, 120, 8) \
	X(bytes_received, 128, 8) X(segs_out, 136, 4) X(segs_in, 140, 4) \
	X(notsent_bytes, 144, 4) X(min_rtt, 148, 4) X(data_segs_in, 152, 4) \
	X(data_segs_out, 156, 4) X(delivery_rate, 160, 8) X(busy_time, 168, 8) \
	X(rwnd_limited, 176, 8) X(sndbuf_limited, 184, 8) X(delivered, 192, 4) \
	X(delivered_ce, 196, 4) X(bytes_sent, 200, 8) X(bytes_retrans, 208, 8) \
	X(dsack_dups, 216, 4) X(reord_seen, 220, 4) X(rcv_ooopack, 224, 4) \
	X(snd_wnd, 228, 4) X(rcv_wnd, 232, 4) X(rehash, 236, 4) \
	X(total_rto, 240, 2) X(total_rto_recoveries, 242, 2) X(total_rto_time, 244, 4)
JSTRUCT(tcp_info, TCPI)
_Static_assert(offsetof(struct tcp_info, tcpi_rto) == 8 &&
	       offsetof(struct tcp_info, tcpi_pacing_rate) == 104 &&
	       offsetof(struct tcp_info, tcpi_delivered) == 192 &&
	       offsetof(struct tcp_info, tcpi_snd_wnd) == 228, "tcp_info ABI offsets");

/* struct mptcp_info (an MPTCP socket's INET_DIAG_INFO) without mptcpi_ */
#define MPTCPI(X) \
	X(subflows, 0, 1) X(add_addr_signal, 1, 1) X(add_addr_accepted, 2, 1) \
	X(subflows_max, 3, 1) X(add_addr_signal_max, 4, 1) \
	X(add_addr_accepted_max, 5, 1) X(flags, 8, 4) X(token, 12, 4) \
	X(write_seq, 16, 8) X(snd_una, 24, 8) X(rcv_nxt, 32, 8) \
	X(local_addr_used, 40, 1) X(local_addr_max, 41, 1) X(csum_enabled, 42, 1)
JSTRUCT(mptcp_info, MPTCPI)
_Static_assert(offsetof(struct mptcp_info, mptcpi_token) == 12 &&
	       offsetof(struct mptcp_info, mptcpi_csum_enabled) == 42, "mptcp_info ABI offsets");

/* the SK_MEMINFO_* array */
#define SKMEMINFO(X) \
	X(rmem_alloc, 0, 4) X(rcvbuf, 4, 4) X(wmem_alloc, 8, 4) X(sndbuf, 12, 4) \
	X(fwd_alloc, 16, 4) X(wmem_queued, 20, 4) X(optmem, 24, 4) \
	X(backlog, 28, 4) X(drops, 32, 4)
JSTRUCT(skmeminfo, SKMEMINFO)
_Static_assert(SK_MEMINFO_DROPS == 8, "SK_MEMINFO_* order");

#define MEMINFO(X) X(rmem, 0, 4) X(wmem, 4, 4) X(fmem, 8, 4) X(tmem, 12, 4)
JSTRUCT(meminfo, MEMINFO)		/* idiag_* */
#define VEGAS(X) X(enabled, 0, 4) X(rttcnt, 4, 4) X(rtt, 8, 4) X(minrtt, 12, 4)
JSTRUCT(vegas, VEGAS)			/* tcpv_* */
#define DCTCP(X) X(enabled, 0, 2) X(ce_state, 2, 2) X(alpha, 4, 4) \
	X(ab_ecn, 8, 4) X(ab_tot, 12, 4)
JSTRUCT(dctcp, DCTCP)			/* dctcp_* */
#define BBR(X) X(bw_lo, 0, 4) X(bw_hi, 4, 4) X(min_rtt, 8, 4) \
	X(pacing_gain, 12, 4) X(cwnd_gain, 16, 4)
JSTRUCT(bbr, BBR)			/* bbr_* */

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
	json_key_str("name", r->timer < ARRAY_SIZE(names) ? names[r->timer] : "unknown");
	json_key_u64("expires_ms", r->expires_ms);
	json_key_u64("retrans", r->retrans);
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
			json_key_u64("ino", r->un.vfs_ino);
			json_key_u64("dev", r->un.vfs_dev);
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

/* "md5keys": TCP MD5 signature keys (INET_DIAG_MD5SIG, root only) */
static void json_md5keys(const struct sock_rec *r)
{
	struct sk_md5key k;
	char buf[FMT_IP6_MAX];

	json_key("md5keys");
	json_arr_begin();
	for (unsigned i = 0; i < r->n_md5; i++) {
		sk_md5_key(r, i, &k);
		json_obj_begin();
		json_key_str("family", k.family == AF_INET ? "inet" : k.family == AF_INET6 ? "inet6" : NULL);
		json_key("address");
		json_strn(buf, k.family == AF_INET6 ? fmt_ip6(buf, k.addr) : fmt_ip4(buf, k.addr));
		json_key_u64("prefixlen", k.prefixlen);
		json_key("key");
		json_strn((const char *)k.key, k.keylen);
		json_obj_end();
	}
	json_arr_end();
}

/* "ulp": INET_DIAG_ULP_INFO's name, and an MPTCP subflow's attributes
 * (MPTCP_SUBFLOW_ATTR_*, those the kernel sent) */
static void json_ulp(const struct sock_rec *r)
{
	static const char names[] = "token_rem\0token_loc\0relwrite_seq\0map_seq\0"
		"map_sfseq\0ssn_offset\0map_datalen\0flags\0id_rem\0id_loc";
	const char *n = names;

	json_key("ulp");
	json_obj_begin();
	json_key("name");
	json_strn(r->ulp, r->ulp_len);
	if (r->sf.has) {
		json_key("mptcp");
		json_obj_begin();
		for (unsigned t = 1; t <= SK_SF_MAX; t++, n += strlen(n) + 1)
			if (r->sf.has & 1u << t)
				json_key_u64(n, r->sf.v[t]);
		json_obj_end();
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
	/* SCTP's and MPTCP's INET_DIAG_INFO are their own structs */
	if (r->protocol == IPPROTO_SCTP || r->protocol == IPPROTO_MPTCP) {
		json_key("tcp_info");
		json_null();
		if (r->protocol == IPPROTO_MPTCP)
			member_struct(r, "mptcp_info", INET_DIAG_INFO, JS(mptcp_info));
	} else {
		member_struct(r, "tcp_info", INET_DIAG_INFO, JS(tcp_info));
	}
	json_key("cong");
	if (cong)
		json_strn((const char *)cong, strnlen((const char *)cong, len));
	else
		json_null();
	/* only the algorithm's own one is sent; absent ones are left out */
	if (attr(r, INET_DIAG_VEGASINFO, 16, &len))
		member_struct(r, "vegas_info", INET_DIAG_VEGASINFO, JS(vegas));
	if (attr(r, INET_DIAG_DCTCPINFO, 16, &len))
		member_struct(r, "dctcp_info", INET_DIAG_DCTCPINFO, JS(dctcp));
	if (attr(r, INET_DIAG_BBRINFO, 20, &len))
		member_struct(r, "bbr_info", INET_DIAG_BBRINFO, JS(bbr));
	if (r->n_md5)
		json_md5keys(r);
	if (r->ulp)
		json_ulp(r);
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
			      JS(skmeminfo));
		if (inet) {
			member_struct(r, "meminfo", INET_DIAG_MEMINFO, JS(meminfo));
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
			json_key_u64("id", r->cgroup_id);
			json_key_str("path", sk_cgroup_path(r->cgroup_id));
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
		json_key_u64("pid", o[i].proc->pid);
		if (threads) {
			json_key_u64("tid", o[i].tid);
		}
		json_key_u64("fd", o[i].fd);
		json_obj_end();
	}
	json_arr_end();
}
