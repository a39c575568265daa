/* ss -m and -i: socket memory and TCP/MPTCP internals, from the raw
 * sock_diag attributes of a record, as iproute2 6.1 prints them.
 *
 * The floating-point fields (%g, %.3g, %.1f) go through fmt_double, which
 * tests/unit/fmtfloat_test holds to glibc's printf: libc's own would bring
 * its whole printf (10 KiB) into the binary. */
#include <stdarg.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sctp.h>
#include <linux/sock_diag.h>
#include <linux/mptcp.h>
#include <linux/tcp.h>
#include <linux/tls.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/nl.h"
#include "libsock/out.h"
#include "ss.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

__attribute__((format(printf, 1, 2)))
static void pf(const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = sb_vfmt(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	render_field(COL_PROC, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

/* label, then v as printf's "%.{prec}{conv}" */
static void pd(const char *label, double v, char conv, int prec)
{
	char buf[32];

	render_str(COL_PROC, label);
	render_field(COL_PROC, buf, fmt_double(buf, v, conv, prec));
}

/* " name:V" when V is not zero, the common case of tcp_info fields */
static void nz(const char *name, unsigned long long v)
{
	if (v)
		pf(" %s:%llu", name, v);
}

const void *ss_attr(const struct sock_rec *r, unsigned type)
{
	return r->attr && type <= r->attr_max ? r->attr[type] : NULL;
}

/* An attribute's payload copied into a zeroed struct of size n: older
 * kernels send shorter structs, whose missing fields read as zero. */
static const void *attr_copy(const struct sock_rec *r, unsigned type, void *buf, size_t n)
{
	const void *p = ss_attr(r, type);

	if (!p)
		return NULL;
	memset(buf, 0, n);
	memcpy(buf, p, r->attr_len[type] < n ? r->attr_len[type] : n);
	return buf;
}

/* skmem:(...) from an SK_MEMINFO array (kernels before 3.6, which only
 * had INET_DIAG_MEMINFO's "mem:(...)", are not supported) */
void ss_print_skmem(const struct sock_rec *r, unsigned type)
{
	uint32_t m[SK_MEMINFO_VARS];
	unsigned n = ss_attr(r, type) ? r->attr_len[type] / 4 : 0;

	if (!n)
		return;
	attr_copy(r, type, m, sizeof(m));
	pf(" skmem:(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u", m[SK_MEMINFO_RMEM_ALLOC],
	   m[SK_MEMINFO_RCVBUF], m[SK_MEMINFO_WMEM_ALLOC], m[SK_MEMINFO_SNDBUF],
	   m[SK_MEMINFO_FWD_ALLOC], m[SK_MEMINFO_WMEM_QUEUED], m[SK_MEMINFO_OPTMEM]);
	if (n > SK_MEMINFO_BACKLOG)
		pf(",bl%u", m[SK_MEMINFO_BACKLOG]);
	if (n > SK_MEMINFO_DROPS)
		pf(",d%u", m[SK_MEMINFO_DROPS]);
	render_field(COL_PROC, ")", 1);
}

/* A rate in bits per second: exact with -n, else three digits and a
 * k/M/G/T suffix. */
static void rate(const char *label, double bps, const char *after)
{
	static const char sfx[] = "TGMk";
	double div = 1e12;

	render_str(COL_PROC, label);
	if (ss.numeric) {
		pd("", bps, 'f', 0);
	} else {
		for (int i = 0; i < 4; i++, div /= 1000) {
			if (bps >= div) {
				pd("", bps / div, 'g', 3);
				render_field(COL_PROC, &sfx[i], 1);
				goto done;
			}
		}
		pd("", bps, 'g', 6);
	}
done:
	render_str(COL_PROC, after);
}

static void limited(const char *name, uint64_t us, uint64_t busy)
{
	if (us) {
		pf(" %s:%llums", name, (unsigned long long)us / 1000);
		pd("(", 100.0 * us / busy, 'f', 1);
		render_str(COL_PROC, "%)");
	}
}

static void tcp_info_print(const struct sock_rec *r, const struct tcp_info *i)
{
	static const char *const opts[] = { "ts", "sack", "ecn", "ecnseen", "fastopen" };
	static const uint8_t opt_bits[] = { TCPI_OPT_TIMESTAMPS, TCPI_OPT_SACK,
		TCPI_OPT_ECN, TCPI_OPT_ECN_SEEN, TCPI_OPT_SYN_DATA };
	double rtt = i->tcpi_rtt;

	if (ss.show_options)
		for (size_t k = 0; k < ARRAY_SIZE(opts); k++)
			if (i->tcpi_options & opt_bits[k])
				pf(" %s", opts[k]);
	if (ss_attr(r, INET_DIAG_CONG))
		pf(" %.*s", (int)strnlen(ss_attr(r, INET_DIAG_CONG), r->attr_len[INET_DIAG_CONG]),
		   (const char *)ss_attr(r, INET_DIAG_CONG));
	if (i->tcpi_options & TCPI_OPT_WSCALE)
		pf(" wscale:%u,%u", i->tcpi_snd_wscale, i->tcpi_rcv_wscale);
	if (i->tcpi_rto && i->tcpi_rto != 3000000)
		pd(" rto:", i->tcpi_rto / 1000.0, 'g', 6);
	nz("backoff", i->tcpi_backoff);
	if (i->tcpi_rtt) {
		pd(" rtt:", i->tcpi_rtt / 1000.0, 'g', 6);
		pd("/", i->tcpi_rttvar / 1000.0, 'g', 6);
	}
	if (i->tcpi_ato)
		pd(" ato:", i->tcpi_ato / 1000.0, 'g', 6);
	nz("mss", i->tcpi_snd_mss);
	nz("pmtu", i->tcpi_pmtu);
	nz("rcvmss", i->tcpi_rcv_mss);
	nz("advmss", i->tcpi_advmss);
	nz("cwnd", i->tcpi_snd_cwnd);
	if (i->tcpi_snd_ssthresh < 0xFFFF)
		nz("ssthresh", i->tcpi_snd_ssthresh);
	nz("bytes_sent", i->tcpi_bytes_sent);
	nz("bytes_retrans", i->tcpi_bytes_retrans);
	nz("bytes_acked", i->tcpi_bytes_acked);
	nz("bytes_received", i->tcpi_bytes_received);
	nz("segs_out", i->tcpi_segs_out);
	nz("segs_in", i->tcpi_segs_in);
	nz("data_segs_out", i->tcpi_data_segs_out);
	nz("data_segs_in", i->tcpi_data_segs_in);

	union tcp_cc_info cc;
	if (attr_copy(r, INET_DIAG_DCTCPINFO, &cc, sizeof(cc))) {
		if (cc.dctcp.dctcp_enabled)
			pf(" dctcp:(ce_state:%u,alpha:%u,ab_ecn:%u,ab_tot:%u)",
			   cc.dctcp.dctcp_ce_state, cc.dctcp.dctcp_alpha,
			   cc.dctcp.dctcp_ab_ecn, cc.dctcp.dctcp_ab_tot);
		else
			render_str(COL_PROC, " dctcp:fallback_mode");
	}
	if (attr_copy(r, INET_DIAG_BBRINFO, &cc, sizeof(cc))) {
		rate(" bbr:(bw:", ((uint64_t)cc.bbr.bbr_bw_hi << 32 | cc.bbr.bbr_bw_lo) * 8.0, "bps");
		pd(",mrtt:", cc.bbr.bbr_min_rtt / 1000.0, 'g', 6);
		if (cc.bbr.bbr_pacing_gain)
			pd(",pacing_gain:", cc.bbr.bbr_pacing_gain / 256.0, 'g', 6);
		if (cc.bbr.bbr_cwnd_gain)
			pd(",cwnd_gain:", cc.bbr.bbr_cwnd_gain / 256.0, 'g', 6);
		render_field(COL_PROC, ")", 1);
	}
	/* the send rate uses Vegas' own rtt estimate when it has one */
	if (attr_copy(r, INET_DIAG_VEGASINFO, &cc, sizeof(cc)) && cc.vegas.tcpv_enabled &&
	    cc.vegas.tcpv_rtt && cc.vegas.tcpv_rtt != 0x7fffffff)
		rtt = cc.vegas.tcpv_rtt;
	if (rtt > 0 && i->tcpi_snd_mss && i->tcpi_snd_cwnd)
		rate(" send ", (double)i->tcpi_snd_cwnd * i->tcpi_snd_mss * 8000000. / rtt, "bps");
	nz("lastsnd", i->tcpi_last_data_sent);
	nz("lastrcv", i->tcpi_last_data_recv);
	nz("lastack", i->tcpi_last_ack_recv);
	if (i->tcpi_pacing_rate && i->tcpi_pacing_rate != ~0ULL) {
		rate(" pacing_rate ", i->tcpi_pacing_rate * 8., "bps");
		if (i->tcpi_max_pacing_rate && i->tcpi_max_pacing_rate != ~0ULL)
			rate("/", i->tcpi_max_pacing_rate * 8., "bps");
	}
	if (i->tcpi_delivery_rate)
		rate(" delivery_rate ", i->tcpi_delivery_rate * 8., "bps");
	nz("delivered", i->tcpi_delivered);
	nz("delivered_ce", i->tcpi_delivered_ce);
	if (i->tcpi_delivery_rate_app_limited)
		render_str(COL_PROC, " app_limited");
	if (i->tcpi_busy_time) {
		pf(" busy:%llums", (unsigned long long)i->tcpi_busy_time / 1000);
		limited("rwnd_limited", i->tcpi_rwnd_limited, i->tcpi_busy_time);
		limited("sndbuf_limited", i->tcpi_sndbuf_limited, i->tcpi_busy_time);
	}
	nz("unacked", i->tcpi_unacked);
	if (i->tcpi_retrans || i->tcpi_total_retrans)
		pf(" retrans:%u/%u", i->tcpi_retrans, i->tcpi_total_retrans);
	nz("lost", i->tcpi_lost);
	if (r->state != SK_LISTEN)
		nz("sacked", i->tcpi_sacked);
	nz("dsack_dups", i->tcpi_dsack_dups);
	nz("fackets", i->tcpi_fackets);
	if (i->tcpi_reordering != 3)
		pf(" reordering:%u", i->tcpi_reordering);
	nz("reord_seen", i->tcpi_reord_seen);
	if (i->tcpi_rcv_rtt)
		pd(" rcv_rtt:", i->tcpi_rcv_rtt / 1000.0, 'g', 6);
	nz("rcv_space", i->tcpi_rcv_space);
	nz("rcv_ssthresh", i->tcpi_rcv_ssthresh);
	nz("notsent", i->tcpi_notsent_bytes);
	if (i->tcpi_min_rtt && i->tcpi_min_rtt != ~0U)
		pd(" minrtt:", i->tcpi_min_rtt / 1000.0, 'g', 6);
	nz("rcv_ooopack", i->tcpi_rcv_ooopack);
	nz("snd_wnd", i->tcpi_snd_wnd);
}

static unsigned u16_at(const void *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void tls_conf(const char *name, const void *a)
{
	static const char *const conf[] = { "none", "sw", "hw", "hw-record" };
	unsigned v;

	if (!a)
		return;
	v = u16_at(a);
	if (v >= TLS_CONF_BASE && v <= TLS_CONF_HW_RECORD)
		pf(" %s: %s", name, conf[v - TLS_CONF_BASE]);
	else
		pf(" %s: unknown(%u)", name, v);
}

/* md5keys:ADDR/PLEN=KEY,... (root only). iproute2 6.1 writes each key
 * with printf while the row waits in its buffer (fixed in 6.9): the
 * escaped keys of every socket come out before the table, the row shows
 * "ADDR/PLEN=" and nothing after. Bytes outside 0x21-0x7e, ',' and '\'
 * are written \ooo. */
static void md5_print(const struct sock_rec *r)
{
	struct sk_md5key k;
	char buf[FMT_IP6_MAX];
	const char *host;

	render_str(COL_PROC, " md5keys:");
	for (unsigned i = 0; i < r->n_md5; i++) {
		sk_md5_key(r, i, &k);
		render_str(COL_PROC, i ? "," : "");
		host = k.family != AF_INET && k.family != AF_INET6 ? "???" :
		       IS_ENABLED(CONFIG_SS_RESOLVE) && ss.resolve ?
		       sk_host_name(k.family, k.addr) : NULL;
		if (!host) {
			host = buf;
			buf[k.family == AF_INET ? fmt_ip4(buf, k.addr) : fmt_ip6(buf, k.addr)] = 0;
		}
		pf("%s/%u=", host, k.prefixlen);
		for (unsigned j = 0; j < k.keylen; j++) {
			uint8_t c = k.key[j];
			if (c > ' ' && c < 0x7f && c != ',' && c != '\\') {
				out_char(c);
			} else {
				char o[4] = { '\\', '0' + (c >> 6), '0' + (c >> 3 & 7), '0' + (c & 7) };
				out_write(o, 4);
			}
		}
	}
}

/* tcp-ulp-mptcp's subflow details, each only when the kernel sent it */
static void subflow_print(const struct sk_subflow *sf)
{
	const uint64_t *v = sf->v;
	char caps[10], *c = caps;

	if (sf->has & 1u << MPTCP_SUBFLOW_ATTR_FLAGS && v[MPTCP_SUBFLOW_ATTR_FLAGS]) {
		for (int i = 0; i < 9; i++)
			if (v[MPTCP_SUBFLOW_ATTR_FLAGS] & 1u << i)
				*c++ = "MmJjBbecv"[i];
		*c = 0;
		pf(" flags:%s", caps);
	}
	if ((sf->has & 0x606) == 0x606)	/* TOKEN_REM, TOKEN_LOC, ID_REM, ID_LOC */
		pf(" token:%04x(id:%u)/%04x(id:%u)", (uint32_t)v[MPTCP_SUBFLOW_ATTR_TOKEN_REM],
		   (uint8_t)v[MPTCP_SUBFLOW_ATTR_ID_REM], (uint32_t)v[MPTCP_SUBFLOW_ATTR_TOKEN_LOC],
		   (uint8_t)v[MPTCP_SUBFLOW_ATTR_ID_LOC]);
	if (sf->has & 1u << MPTCP_SUBFLOW_ATTR_MAP_SEQ)
		pf(" seq:%llx", (unsigned long long)v[MPTCP_SUBFLOW_ATTR_MAP_SEQ]);
	if (sf->has & 1u << MPTCP_SUBFLOW_ATTR_MAP_SFSEQ)
		pf(" sfseq:%x", (uint32_t)v[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ]);
	if (sf->has & 1u << MPTCP_SUBFLOW_ATTR_SSN_OFFSET)
		pf(" ssnoff:%x", (uint32_t)v[MPTCP_SUBFLOW_ATTR_SSN_OFFSET]);
	if (sf->has & 1u << MPTCP_SUBFLOW_ATTR_MAP_DATALEN)
		pf(" maplen:%x", (uint32_t)v[MPTCP_SUBFLOW_ATTR_MAP_DATALEN]);
}

/* INET_DIAG_ULP_INFO: the upper layer protocol's name, then kTLS's or an
 * MPTCP subflow's details. */
static void ulp_print(const struct sock_rec *r)
{
	const void *ulp[INET_ULP_INFO_MAX + 1], *t[TLS_INFO_MAX + 1];
	uint16_t ul[INET_ULP_INFO_MAX + 1], tl[TLS_INFO_MAX + 1];

	if (r->ulp)
		pf(" tcp-ulp-%.*s", r->ulp_len, r->ulp);
	nl_attr_parse(ss_attr(r, INET_DIAG_ULP_INFO), r->attr_len[INET_DIAG_ULP_INFO],
		      ulp, ul, INET_ULP_INFO_MAX);
	if (ulp[INET_ULP_INFO_TLS]) {
		nl_attr_parse(ulp[INET_ULP_INFO_TLS], ul[INET_ULP_INFO_TLS], t, tl, TLS_INFO_MAX);
		if (t[TLS_INFO_VERSION]) {
			unsigned v = u16_at(t[TLS_INFO_VERSION]);
			if (v == TLS_1_2_VERSION || v == TLS_1_3_VERSION)
				pf(" version: 1.%c", v == TLS_1_2_VERSION ? '2' : '3');
			else
				pf(" version: unknown(%u)", v);
		}
		if (t[TLS_INFO_CIPHER]) {
			unsigned c = u16_at(t[TLS_INFO_CIPHER]);
			if (c == TLS_CIPHER_AES_GCM_128 || c == TLS_CIPHER_AES_GCM_256)
				pf(" cipher: aes-gcm-%s", c == TLS_CIPHER_AES_GCM_128 ? "128" : "256");
		}
		tls_conf("rxconf", t[TLS_INFO_RXCONF]);
		tls_conf("txconf", t[TLS_INFO_TXCONF]);
		if (t[TLS_INFO_ZC_RO_TX])
			render_str(COL_PROC, " zc_ro_tx");
	}
	subflow_print(&r->sf);
}

/* -M -i: the MPTCP connection's counters, non-zero ones only */
static void mptcp_info_print(const struct mptcp_info *m)
{
	nz("subflows", m->mptcpi_subflows);
	nz("add_addr_signal", m->mptcpi_add_addr_signal);
	nz("add_addr_accepted", m->mptcpi_add_addr_accepted);
	nz("subflows_max", m->mptcpi_subflows_max);
	nz("add_addr_signal_max", m->mptcpi_add_addr_signal_max);
	nz("add_addr_accepted_max", m->mptcpi_add_addr_accepted_max);
	if (m->mptcpi_flags & MPTCP_INFO_FLAG_FALLBACK)
		render_str(COL_PROC, " fallback");
	if (m->mptcpi_flags & MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED)
		render_str(COL_PROC, " remote_key");
	if (m->mptcpi_token)
		pf(" token:%x", m->mptcpi_token);
	if (m->mptcpi_write_seq)
		pf(" write_seq:%llx", (unsigned long long)m->mptcpi_write_seq);
	if (m->mptcpi_snd_una)
		pf(" snd_una:%llx", (unsigned long long)m->mptcpi_snd_una);
	if (m->mptcpi_rcv_nxt)
		pf(" rcv_nxt:%llx", (unsigned long long)m->mptcpi_rcv_nxt);
}

/* " label:a,b,c": an SCTP address list, numeric unless -r names them */
static void sctp_addrs(const struct sock_rec *r, unsigned type, const char *label)
{
	const void *list = ss_attr(r, type);
	char buf[FMT_IP6_MAX];
	const char *host;
	uint8_t a[16];
	int family;

	if (!list)
		return;
	render_str(COL_PROC, label);
	for (unsigned i = 0; (family = sk_sctp_addr(list, r->attr_len[type], i, a)) >= 0; i++) {
		if (i)
			render_field(COL_PROC, ",", 1);
		if (!family)
			continue;
		if (IS_ENABLED(CONFIG_SS_RESOLVE) && ss.resolve && (host = sk_host_name(family, a)))
			render_str(COL_PROC, host);
		else
			render_field(COL_PROC, buf, family == AF_INET ? fmt_ip4(buf, a) : fmt_ip6(buf, a));
	}
}

/* -i/-m of SCTP: the endpoint's or association's addresses, then the
 * non-zero fields of sctp_info in iproute2's order, with its labels: hex
 * tags, the state by name, the rest as printf's %d */
enum { SI_HEX = 0x100, SI_STATE = 0x200 };
#define SI(m, k) { offsetof(struct sctp_info, sctpi_##m), sizeof(((struct sctp_info *)0)->sctpi_##m) | (k) }
static const uint16_t sctp_f[][2] = {
	SI(tag, SI_HEX), SI(state, SI_STATE), SI(rwnd, 0), SI(unackdata, 0), SI(penddata, 0),
	SI(instrms, 0), SI(outstrms, 0), SI(inqueue, 0), SI(outqueue, 0), SI(overall_error, 0),
	SI(max_burst, 0), SI(maxseg, 0), SI(peer_rwnd, 0), SI(peer_tag, SI_HEX),
	SI(peer_capable, 0), SI(peer_sack, 0), SI(s_autoclose, 0), SI(s_adaptation_ind, 0),
	SI(s_pd_point, 0), SI(s_nodelay, 0), SI(s_disable_fragments, 0), SI(s_v4mapped, 0),
	SI(s_frag_interleave, 0),
};
static const char sctp_names[] = "tag\0state\0rwnd\0unackdata\0penddata\0instrms\0"
	"outstrms\0inqueue\0outqueue\0overerr\0maxburst\0maxseg\0prwnd\0ptag\0pcapable\0"
	"psack\0autoclose\0adapind\0pdpoint\0nodelay\0nofrag\0v4mapped\0fraginl\0";

static void sctp_info_print(const struct sock_rec *r)
{
	struct sctp_info s;
	const char *name = sctp_names;

	sctp_addrs(r, INET_DIAG_LOCALS, " locals:");
	sctp_addrs(r, INET_DIAG_PEERS, " peers:");
	if (!attr_copy(r, INET_DIAG_INFO, &s, sizeof(s)))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(sctp_f); i++, name += strlen(name) + 1) {
		const uint8_t *p = (const uint8_t *)&s + sctp_f[i][0];
		unsigned k = sctp_f[i][1];
		uint32_t v = p[0];
		uint16_t v16;

		if ((k & 0xff) == 2) {
			memcpy(&v16, p, 2);
			v = v16;
		} else if ((k & 0xff) == 4) {
			memcpy(&v, p, 4);
		}
		if (!v)
			continue;
		if (k & SI_STATE)
			pf(" %s:%s", name, ss_sctp_state(v));
		else
			pf(k & SI_HEX ? " %s:%x" : " %s:%d", name, v);
	}
}

/* The second line of an inet socket under -m or -i (not UDP's -i):
 * memory first, then the protocol's info. */
void ss_print_info(const struct sock_rec *r)
{
	struct tcp_info i;

	render_str(COL_PROC, ss.oneline ? "" : "\n\t");
	ss_print_skmem(r, INET_DIAG_SKMEMINFO);
	if (IS_ENABLED(CONFIG_SCTP) && r->protocol == IPPROTO_SCTP) {
		sctp_info_print(r);
		return;
	}
	if (r->protocol == IPPROTO_MPTCP) {
		struct mptcp_info m;
		if (attr_copy(r, INET_DIAG_INFO, &m, sizeof(m)))
			mptcp_info_print(&m);
		return;
	}
	if (attr_copy(r, INET_DIAG_INFO, &i, sizeof(i)))
		tcp_info_print(r, &i);
	if (r->n_md5)
		md5_print(r);
	if (ss_attr(r, INET_DIAG_ULP_INFO))
		ulp_print(r);
}
