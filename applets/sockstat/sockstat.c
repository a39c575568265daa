/* sockstat: FreeBSD's sockstat(1) for Linux — one line per (process, fd,
 * socket): USER COMMAND PID FD PROTO LOCAL ADDRESS FOREIGN ADDRESS.
 *
 * Sockets come from libsock's dump (selected and filtered by libsock's
 * query and filter engine), owners from its process map. Rows follow the
 * process map (pids ascending, then fds), then sockets nobody visible
 * holds, with ?? for the owner. Widths need every row first, so the
 * selected sockets are kept as compact records: about 100 bytes each. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>

#include "sockbox.h"
#include "libsock/filter.h"
#include "libsock/fmt.h"
#include "libsock/json.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "libsock/sock.h"

struct sock {
	uint32_t ino, peer_ino;
	uint32_t first_ref, next_ref;	/* index + 1 of sockets connected to us */
	uint64_t cookie;
	uint8_t table, family, state, v6only, shown;
	uint16_t lport, rport;
	uint8_t laddr[16], raddr[16];
	char *path;		/* unix: bound name, terminal-safe */
	char *raw;		/* the name's bytes (JSON), raw_len of them */
	size_t raw_len;
	char cc[16];		/* congestion control */
};

static struct {
	int numeric, no_header, wide, conn_state, show_cc, show_id, json;
	struct sock *socks;
	size_t n, cap;
	uint32_t *slots;	/* inode -> index + 1 */
	size_t n_slots;
	struct procmap *pm;
} sk;

static const char *const tcp_states[SK_STATE_MAX] = {
	[SK_ESTABLISHED] = "ESTABLISHED", [SK_SYN_SENT] = "SYN_SENT",
	[SK_SYN_RECV] = "SYN_RCVD", [SK_FIN_WAIT1] = "FIN_WAIT_1",
	[SK_FIN_WAIT2] = "FIN_WAIT_2", [SK_TIME_WAIT] = "TIME_WAIT",
	[SK_CLOSE] = "CLOSED", [SK_CLOSE_WAIT] = "CLOSE_WAIT",
	[SK_LAST_ACK] = "LAST_ACK", [SK_LISTEN] = "LISTEN", [SK_CLOSING] = "CLOSING",
};

static int keep(const struct sock_rec *r, void *arg)
{
	struct sock *s;

	if (sk.n == sk.cap) {
		struct sock *ns = realloc(sk.socks, (sk.cap = sk.cap ? sk.cap * 2 : 1024) * sizeof(*ns));
		if (!ns)
			sb_die(1, "out of memory");
		sk.socks = ns;
	}
	s = &sk.socks[sk.n++];
	memset(s, 0, sizeof(*s));
	s->ino = r->ino;
	s->peer_ino = r->un.peer_ino;
	s->cookie = r->cookie;
	s->table = r->table;
	s->family = r->family;
	s->state = r->state;
	s->v6only = (r->has & SKH_V6ONLY) && r->v6only;
	s->lport = r->lport;
	s->rport = r->rport;
	memcpy(s->laddr, r->laddr, 16);
	memcpy(s->raddr, r->raddr, 16);
	if (r->un.name) {
		char name[110];
		size_t n = r->un.name_len < sizeof(name) ? r->un.name_len : sizeof(name);
		memcpy(name, r->un.name, n);
		if (name[0] == 0) {	/* abstract: @name as ss shows it */
			for (size_t i = 0; i < n; i++)
				if (!name[i])
					name[i] = '@';
		} else {
			n = strnlen(name, n);
		}
		s->raw = malloc(5 * n + 1);
		if (!s->raw)
			sb_die(1, "out of memory");
		memcpy(s->raw, name, n);
		s->raw_len = n;
		s->path = s->raw + n;
		fmt_safe(s->path, name, n);
	}
	if (r->attr && r->attr_max >= INET_DIAG_CONG && r->attr[INET_DIAG_CONG]) {
		char tmp[64];	/* names are short: bounded and terminal-safe */
		size_t n = strnlen(r->attr[INET_DIAG_CONG], r->attr_len[INET_DIAG_CONG]);
		size_t k = fmt_safe(tmp, r->attr[INET_DIAG_CONG], n < 15 ? n : 15);
		memcpy(s->cc, tmp, k < sizeof(s->cc) ? k : sizeof(s->cc) - 1);
	}
	return 0;
}

static uint32_t slot_of(uint32_t ino)
{
	uint32_t h = (ino * 2654435761u) & (sk.n_slots - 1);

	while (sk.slots[h] && sk.socks[sk.slots[h] - 1].ino != ino)
		h = (h + 1) & (sk.n_slots - 1);
	return h;
}

static struct sock *find(uint32_t ino)
{
	uint32_t i = ino ? sk.slots[slot_of(ino)] : 0;

	return i ? &sk.socks[i - 1] : NULL;
}

static void index_socks(void)
{
	for (sk.n_slots = 64; sk.n_slots < 2 * sk.n; sk.n_slots *= 2)
		;
	sk.slots = calloc(sk.n_slots, sizeof(*sk.slots));
	if (!sk.slots)
		sb_die(1, "out of memory");
	for (size_t i = 0; i < sk.n; i++)
		if (sk.socks[i].ino)
			sk.slots[slot_of(sk.socks[i].ino)] = i + 1;
	/* who is connected to whom (unix): " <- [PID FD],..." */
	for (size_t i = 0; i < sk.n; i++) {
		struct sock *t = sk.socks[i].family == AF_UNIX ? find(sk.socks[i].peer_ino) : NULL;
		if (t) {
			sk.socks[i].next_ref = t->first_ref;
			t->first_ref = i + 1;
		}
	}
}

/* --- formatting ---------------------------------------------------------- */

static void proto(const struct sock *s, char *buf)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t any[16];

	if (s->family == AF_UNIX) {
		strcpy(buf, s->table == SKT_UNIX_STREAM ? "stream" :
			    s->table == SKT_UNIX_DGRAM ? "dgram" : "seqpac");
		return;
	}
	strcpy(buf, sk_table_name(s->table));
	if (s->family == AF_INET || !memcmp(s->laddr, mapped, 12))
		strcat(buf, "4");
	else if (!s->v6only && !memcmp(s->laddr, any, 16))
		strcat(buf, "46");	/* a v6 socket that takes IPv4 too */
	else
		strcat(buf, "6");
}

static void inet_addr(const struct sock *s, const uint8_t *a, uint16_t port, char *buf)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t any[16];
	char *p = buf;

	if (s->family == AF_INET ? !memcmp(a, any, 4) : !memcmp(a, any, 16))
		*p++ = '*';
	else if (s->family == AF_INET)
		p += fmt_ip4(p, a);
	else if (!memcmp(a, mapped, 12))
		p += fmt_ip4(p, a + 12);
	else
		p += fmt_ip6(p, a);
	*p++ = ':';
	if (port)
		p += fmt_u64(p, port);
	else
		*p++ = '*';
	*p = 0;
}

/* "[PID FD]" of the first process holding ino, or NULL. */
static const char *owner_of(uint32_t ino, char *buf)
{
	size_t n;
	const struct sk_owner *o = procmap_find(sk.pm, ino, &n);
	char *p = buf;

	if (!n)
		return NULL;
	*p++ = '[';
	p += fmt_u64(p, o[n - 1].proc->pid);
	*p++ = ' ';
	p += fmt_u64(p, o[n - 1].fd);
	*p++ = ']';
	*p = 0;
	return buf;
}

static void unix_foreign(const struct sock *s, char *buf, size_t size)
{
	char own[48];

	if (s->peer_ino) {
		const struct sock *p = find(s->peer_ino);
		const char *what = !p ? "??" : p->path ? p->path : owner_of(p->ino, own);
		snprintf(buf, size, "-> %s", what ? what : "??");
		return;
	}
	if (s->first_ref) {
		size_t len = snprintf(buf, size, " <- ");
		int first = 1;
		for (uint32_t i = s->first_ref; i && len < size; i = sk.socks[i - 1].next_ref) {
			const char *o = owner_of(sk.socks[i - 1].ino, own);
			if (o)
				len += snprintf(buf + len, size - len, "%s%s", first ? "" : ",", o);
			first &= !o;
		}
		return;
	}
	snprintf(buf, size, "??");
}

static void addresses(const struct sock *s, char *local, char *foreign, size_t size)
{
	if (s->family != AF_UNIX) {
		inet_addr(s, s->laddr, s->lport, local);
		inet_addr(s, s->raddr, s->rport, foreign);
		return;
	}
	if (s->path)
		snprintf(local, size, "%s", s->path);
	else
		snprintf(local, size, "%s", !s->peer_ino && !s->first_ref ? "(not connected)" : "??");
	unix_foreign(s, foreign, size);
}

/* --- output --------------------------------------------------------------- */

struct widths {
	size_t user, pid, fd, proto, local, foreign, id, conn, cc;
};

struct row {
	const struct sk_owner *o;	/* NULL: no visible owner */
	const struct sock *s;
};

static size_t digits(uint64_t v)
{
	char b[24];
	return fmt_u64(b, v);
}

static void measure(struct widths *w, const struct row *r)
{
	char a[512], b[512], p[16];

	if (r->o) {
		size_t u = strlen(sk_user_name(r->o->proc->uid, sk.numeric));
		if (u > w->user)
			w->user = u;
		if (digits(r->o->proc->pid) > w->pid)
			w->pid = digits(r->o->proc->pid);
		if (digits(r->o->fd) > w->fd)
			w->fd = digits(r->o->fd);
	}
	proto(r->s, p);
	if (strlen(p) > w->proto)
		w->proto = strlen(p);
	if (sk.wide) {
		addresses(r->s, a, b, sizeof(a));
		if (strlen(a) > w->local)
			w->local = strlen(a);
		if (strlen(b) > w->foreign)
			w->foreign = strlen(b);
	}
	if (sk.show_id && r->s->family != AF_UNIX && digits(r->s->cookie) > w->id)
		w->id = digits(r->s->cookie);
	if (sk.conn_state && r->s->table == SKT_TCP && tcp_states[r->s->state] &&
	    strlen(tcp_states[r->s->state]) > w->conn)
		w->conn = strlen(tcp_states[r->s->state]);
	if (sk.show_cc && r->s->table == SKT_TCP && strlen(r->s->cc) > w->cc)
		w->cc = strlen(r->s->cc);
}

/* "%-*.*s" / "%*s": left-aligned cut to width, or right-aligned. */
static void col(const char *s, size_t width, int cut, int right)
{
	size_t n = strlen(s);

	if (cut && n > width)
		n = width;
	if (right && n < width)
		out_spaces(width - n);
	out_write(s, n);
	if (!right && n < width)
		out_spaces(width - n);
}

static void print_row(const struct widths *w, const struct row *r)
{
	char a[512], b[512], p[16], num[24];
	const struct sock *s = r->s;

	if (r->o) {
		col(sk_user_name(r->o->proc->uid, sk.numeric), w->user, 0, 0);
		out_char(' ');
		col(r->o->proc->comm, 10, 1, 0);
		out_char(' ');
		fmt_u64(num, r->o->proc->pid);
		col(num, w->pid, 0, 1);
		out_char(' ');
		fmt_u64(num, r->o->fd);
		col(num, w->fd, 0, 1);
	} else {
		col("??", w->user, 0, 0);
		out_char(' ');
		col("??", 10, 0, 0);
		out_char(' ');
		col("??", w->pid, 0, 1);
		out_char(' ');
		col("??", w->fd, 0, 1);
	}
	proto(s, p);
	addresses(s, a, b, sizeof(a));
	out_char(' ');
	col(p, w->proto, 0, 0);
	out_char(' ');
	col(a, w->local, 1, 0);
	out_char(' ');
	col(b, w->foreign, 1, 0);
	if (sk.show_id) {
		out_char(' ');
		if (s->family != AF_UNIX)
			fmt_u64(num, s->cookie);
		col(s->family != AF_UNIX ? num : "??", w->id, 0, 1);
	}
	if (sk.conn_state) {
		out_char(' ');
		col("??", 10, 0, 0);	/* PATH STATE: SCTP associations only */
		out_char(' ');
		col(s->table == SKT_TCP && tcp_states[s->state] ? tcp_states[s->state] : "??",
		    w->conn, 0, 0);
	}
	if (sk.show_cc) {
		out_char(' ');
		col(s->table == SKT_TCP && s->cc[0] ? s->cc : "??", w->cc, 0, 0);
	}
	out_char('\n');
}

static void json_addr(const struct sock *s, const char *key, int local)
{
	char a[512], b[512];
	const uint8_t *addr = local ? s->laddr : s->raddr;

	json_key(key);
	json_obj_begin();
	if (s->family == AF_UNIX) {
		addresses(s, a, b, sizeof(a));
		json_key(local ? "path" : "text");
		if (local && s->path)
			json_strn(s->raw, s->raw_len);
		else
			json_str(local ? NULL : b);
		if (!local) {
			json_key("peer_inode");
			if (s->peer_ino)
				json_u64(s->peer_ino);
			else
				json_null();
		}
	} else {
		json_key("address");
		if (s->family == AF_INET)
			json_strn(a, fmt_ip4(a, addr));
		else
			json_strn(a, fmt_ip6(a, addr));
		json_key("port");
		json_u64(local ? s->lport : s->rport);
	}
	json_obj_end();
}

static void json_row(const struct row *r)
{
	char p[16];

	json_obj_begin();
	json_key("user");
	if (r->o)
		json_str(sk_user_name(r->o->proc->uid, sk.numeric));
	else
		json_null();
	json_key("command");
	json_str(r->o ? r->o->proc->comm_raw : NULL);
	json_key("pid");
	if (r->o)
		json_u64(r->o->proc->pid);
	else
		json_null();
	json_key("fd");
	if (r->o)
		json_u64(r->o->fd);
	else
		json_null();
	proto(r->s, p);
	json_key("proto");
	json_str(p);
	json_addr(r->s, "local", 1);
	json_addr(r->s, "foreign", 0);
	if (sk.show_id) {
		json_key("id");
		json_u64(r->s->cookie);
	}
	if (sk.conn_state) {
		json_key("conn-state");
		json_str(r->s->table == SKT_TCP ? tcp_states[r->s->state] : NULL);
	}
	if (sk.show_cc) {
		json_key("cc");
		json_str(r->s->table == SKT_TCP && r->s->cc[0] ? r->s->cc : NULL);
	}
	json_obj_end();
}

/* Visit every row: owned sockets by process and fd, then the rest. */
static void each_row(void (*fn)(void *, const struct row *), void *arg, int owned_only)
{
	size_t n = procmap_count(sk.pm);

	for (size_t i = 0; i < n; i++) {
		uint32_t ino;
		struct row r = { procmap_owner(sk.pm, i, &ino), NULL };
		struct sock *s = find(ino);
		if (!s)
			continue;
		s->shown = 1;
		r.s = s;
		fn(arg, &r);
	}
	if (owned_only)
		return;
	for (size_t i = 0; i < sk.n; i++) {
		if (sk.socks[i].shown)
			continue;
		struct row r = { NULL, &sk.socks[i] };
		fn(arg, &r);
	}
}

static void measure_cb(void *w, const struct row *r) { measure(w, r); }
static void print_cb(void *w, const struct row *r) { print_row(w, r); }
static void json_cb(void *arg, const struct row *r) { json_row(r); }

static void unmark(void)
{
	for (size_t i = 0; i < sk.n; i++)
		sk.socks[i].shown = 0;
}

/* --- options ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("Usage: sockstat [-46ciLlnqsuvw] [-C] [-j netns] [-p ports] [-P protocols]\n"
	      "                [--json | --libxo json]\n"
	      "  -4 -6 -u   IPv4, IPv6, UNIX sockets (none given: all three)\n"
	      "  -c -l      connected, listening sockets (neither: both)\n"
	      "  -L         no sockets with a loopback local or foreign address\n"
	      "  -p ports   only these ports (1,22,8000-8080)\n"
	      "  -P protos  only these protocols (tcp,udp,sctp; default all)\n"
	      "  -j netns   sockets of the named network namespace\n"
	      "  -n -q -w   numeric users, no header, wide columns\n"
	      "  -s -C -i   CONN STATE, CC (congestion control), ID (socket cookie) columns\n"
	      "  -v         verbose\n", f);
}

static void add_ports(char **expr, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	size_t len = strlen(*expr);

	if (!copy)
		sb_die(1, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-'), *end;
		unsigned long lo = strtoul(tok, &end, 10), hi = lo;
		if (end == tok || (dash ? end != dash : *end))
			sb_die(1, "-p: '%s' is not a port or a range", tok);
		if (dash) {
			hi = strtoul(dash + 1, &end, 10);
			if (end == dash + 1 || *end)
				sb_die(1, "-p: '%s' is not a port or a range", tok);
		}
		if (lo > 65535 || hi > 65535 || lo > hi)
			sb_die(1, "-p: '%s' is out of range", tok);
		*expr = realloc(*expr, len + 128);
		if (!*expr)
			sb_die(1, "out of memory");
		len += sprintf(*expr + len, " or ( sport >= :%lu and sport <= :%lu )"
			       " or ( dport >= :%lu and dport <= :%lu )", lo, hi, lo, hi);
	}
	free(copy);
}

int sockstat_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", 0, 0, 'J' }, { "libxo", 1, 0, 'X' }, { "help", 0, 0, 'h' },
		{ 0 }
	};
	int v4 = 0, v6 = 0, un = 0, conn = 0, listen_ = 0, nolo = 0, ch;
	const char *ports = NULL, *protos = NULL, *netns = NULL;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "46AbCcfIij:Llnp:P:qSsUuvwh", longopts, NULL)) != -1) {
		switch (ch) {
		case '4': v4 = 1; break;
		case '6': v6 = 1; break;
		case 'u': un = 1; break;
		case 'c': conn = 1; break;
		case 'l': listen_ = 1; break;
		case 'L': nolo = 1; break;
		case 'n': sk.numeric = 1; break;
		case 'q': sk.no_header = 1; break;
		case 'w': sk.wide = 1; break;
		case 's': sk.conn_state = 1; break;
		case 'C': sk.show_cc = 1; break;
		case 'i': sk.show_id = 1; break;
		case 'v': break;	/* nothing to be verbose about yet */
		case 'p': ports = optarg; break;
		case 'P': protos = optarg; break;
		case 'j': netns = optarg; break;
		case 'J': sk.json = 1; break;
		case 'X':
			if (strncmp(optarg, "json", 4))
				sb_die(1, "--libxo: only json is supported, not '%s'", optarg);
			sk.json = 1;
			break;
		case 'h': usage(stdout); return 0;
		case 'A': case 'b': case 'f': case 'I': case 'S': case 'U':
			sb_die(1, "-%c is not supported on Linux", ch);
		default:
			if (optopt && strchr("jpP", optopt))
				sb_die(1, "option -%c needs an argument", optopt);
			if (optopt)
				sb_die(1, "unknown option -%c (try 'sockstat -h')", optopt);
			sb_die(1, "unknown option '%s' (try 'sockstat -h')", argv[optind - 1]);
		}
	}
	if (optind < argc)
		sb_die(1, "unexpected argument '%s'", argv[optind]);
	if (sk.json && !IS_ENABLED(CONFIG_JSON))
		sb_die(1, "--json is not enabled in this build");
	if (netns) {
		int err = sk_netns_enter(netns);
		if (err)
			sb_die(1, "-j %s: %s", netns, strerror(-err));
	}

	static struct sock_query q;	/* static: its filter lives until exit (LeakSanitizer) */
	uint32_t inet = 0;
	if (!protos) {
		inet = SKT_BIT(SKT_TCP) | SKT_BIT(SKT_UDP) | SKT_BIT(SKT_SCTP);
	} else {
		char *copy = strdup(protos), *save = NULL, *p;
		for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			if (!strcmp(p, "tcp"))
				inet |= SKT_BIT(SKT_TCP);
			else if (!strcmp(p, "udp"))
				inet |= SKT_BIT(SKT_UDP);
			else if (!strcmp(p, "sctp"))
				inet |= SKT_BIT(SKT_SCTP);
			else if (strcmp(p, "udplite") && strcmp(p, "divert"))
				sb_die(1, "-P: unknown or unsupported protocol '%s'", p);
		}
		free(copy);
		if (!v4 && !v6)
			v4 = v6 = 1;	/* -P implies both inet families */
	}
	if (!v4 && !v6 && !un)
		v4 = v6 = un = 1;
	if (v4 || v6)
		q.tables |= inet & sk_tables_enabled();
	if (un)
		q.tables |= SKT_UNIX_ALL & sk_tables_enabled();
	q.families = (v4 ? SKQ_V4 : 0) | (v6 ? SKQ_V6 : 0);
	q.states = SK_ST_ALL;
	if (conn && !listen_)
		q.states &= ~(SK_ST_BIT(SK_LISTEN) | SK_ST_BIT(SK_CLOSE));
	if (listen_ && !conn)
		q.states = SK_ST_BIT(SK_LISTEN) | SK_ST_BIT(SK_CLOSE);
	if (sk.show_cc)
		q.ext |= SKX_CONG;

	/* Ports and loopback become a filter tree; unix sockets pass. */
	if (ports || nolo) {
		char *expr = strdup(ports ? "src unix:*" : "src *");
		int status;
		if (!expr)
			sb_die(1, "out of memory");
		if (!IS_ENABLED(CONFIG_FILTER))
			sb_die(1, "-p and -L need the filter engine, not enabled in this build");
		if (ports)
			add_ports(&expr, ports);
		if (nolo) {
			char *e2 = malloc(strlen(expr) + 160);
			if (!e2)
				sb_die(1, "out of memory");
			sprintf(e2, "( %s ) and ! src 127.0.0.0/8 and ! dst 127.0.0.0/8"
				" and ! src [::1] and ! dst [::1]", expr);
			free(expr);
			expr = e2;
		}
		struct sk_filter_ctx ctx = { .family = AF_UNSPEC, .tables = q.tables };
		q.filter = sk_filter_parse(1, &expr, NULL, &ctx, &status);
		if (status)
			exit(status);
		free(expr);
	}

	if (!IS_ENABLED(CONFIG_PROCESSES))
		sb_die(1, "the process map is not enabled in this build");
	sk.pm = procmap_build(0);
	if (!sk.pm)
		sb_die(1, "needs /proc to find processes: %s", strerror(errno));
	if (geteuid() != 0)
		sb_warn("not running as root: sockets of other users' processes show as ??");
	if (sock_dump(&q, keep, NULL) < 0)
		return 1;
	index_socks();

	if (sk.json) {
		json_obj_begin();
		json_key("sockstat");
		json_obj_begin();
		json_key("socket");
		json_arr_begin();
		each_row(json_cb, NULL, netns != NULL);
		json_arr_end();
		json_obj_end();
		json_obj_end();
		out_char('\n');
		return 0;
	}
	struct widths w = {
		.user = 4, .pid = 3, .fd = 2, .proto = 5,
		.local = sk.wide ? 13 : 21, .foreign = sk.wide ? 15 : 21,
		.id = 2, .conn = 10, .cc = 2,
	};
	each_row(measure_cb, &w, netns != NULL);
	unmark();
	if (!sk.no_header) {
		col("USER", w.user, 0, 0);
		out_str(" COMMAND    ");
		col("PID", w.pid, 0, 1);
		out_char(' ');
		col("FD", w.fd, 0, 1);
		out_char(' ');
		col("PROTO", w.proto, 0, 0);
		out_char(' ');
		col("LOCAL ADDRESS", w.local, 0, 0);
		out_char(' ');
		col("FOREIGN ADDRESS", w.foreign, 0, 0);
		if (sk.show_id) {
			out_char(' ');
			col("ID", w.id, 0, 1);
		}
		if (sk.conn_state) {
			out_str(" PATH STATE ");
			col("CONN STATE", w.conn, 0, 0);
		}
		if (sk.show_cc) {
			out_char(' ');
			col("CC", w.cc, 0, 0);
		}
		out_char('\n');
	}
	each_row(print_cb, &w, netns != NULL);
	return 0;
}
