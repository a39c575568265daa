/* sockstat: FreeBSD's sockstat(1) for Linux — one line per (process, fd,
 * socket): USER COMMAND PID FD PROTO LOCAL ADDRESS FOREIGN ADDRESS.
 *
 * Sockets come from libsock's dump (selected and filtered by libsock's
 * query and filter engine), owners from its process map. Rows follow the
 * process map (pids ascending, then fds), then sockets nobody visible
 * holds, with ?? for the owner. Widths need every row first, so the
 * sockets are kept as compact records (about 100 bytes each, names in one
 * arena): the selected inet ones, and every unix one for the peers. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
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
	uint32_t path;		/* unix: offset + 1 of the bound name in sk.names */
	uint16_t path_len;	/* its bytes, which follow the text's NUL */
	uint64_t cookie;
	uint8_t table, family, state;
	uint8_t vflag;		/* inet: SKQ_V4 | SKQ_V6, FreeBSD's inp_vflag */
	uint8_t sel;		/* passed the filter: gets rows */
	uint8_t shown;		/* printed with an owner */
	uint16_t lport, rport;
	uint8_t laddr[16], raddr[16];
	char cc[16];		/* congestion control */
};

static struct {
	int numeric, no_header, wide, conn_state, show_cc, show_id, json;
	int path_state;		/* an SCTP association is listed */
	uint8_t families;	/* -4 -6: SKQ_V4 | SKQ_V6 */
	const struct sk_filter *unix_filter;
	struct sock *socks;
	size_t n, cap;
	char *names;		/* unix names, terminal-safe, NUL-separated */
	size_t names_len, names_cap;
	uint32_t *slots;	/* inode -> index + 1 */
	size_t n_slots;
	struct procmap *pm;
	size_t hidden;		/* rows of sockets with no visible owner */
} sk;

static const char *const tcp_states[SK_STATE_MAX] = {
	[SK_ESTABLISHED] = "ESTABLISHED", [SK_SYN_SENT] = "SYN_SENT",
	[SK_SYN_RECV] = "SYN_RCVD", [SK_FIN_WAIT1] = "FIN_WAIT_1",
	[SK_FIN_WAIT2] = "FIN_WAIT_2", [SK_TIME_WAIT] = "TIME_WAIT",
	[SK_CLOSE] = "CLOSED", [SK_CLOSE_WAIT] = "CLOSE_WAIT",
	[SK_LAST_ACK] = "LAST_ACK", [SK_LISTEN] = "LISTEN", [SK_CLOSING] = "CLOSING",
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 1024;
	p = realloc(p, *cap * size);
	if (!p)
		sb_die(1, "out of memory");
	return p;
}

static const char *path_of(const struct sock *s)
{
	return s->path ? sk.names + s->path - 1 : NULL;
}

/* IPv4 for v4-mapped addresses, both for a dual-stack wildcard. */
static uint8_t vflag(const struct sock_rec *r)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t any[16];

	if (r->family == AF_INET || !memcmp(r->laddr, mapped, 12))
		return SKQ_V4;
	if (!((r->has & SKH_V6ONLY) && r->v6only) && !memcmp(r->laddr, any, 16))
		return SKQ_V4 | SKQ_V6;
	return SKQ_V6;
}

/* Keep what the rows need: unix sockets all of them (a peer may be
 * filtered out but still named in "-> PATH"), marked by the filter;
 * inet sockets of the families asked for. */
static int keep(const struct sock_rec *r, void *arg)
{
	struct sock *s;
	uint8_t vf = r->family == AF_UNIX ? 0 : vflag(r);

	(void)arg;
	if (vf && !(vf & sk.families))
		return 0;

	(void)arg;
	sk.socks = grow(sk.socks, &sk.cap, sk.n + 1, sizeof(*s));
	s = &sk.socks[sk.n++];
	memset(s, 0, sizeof(*s));
	s->ino = r->ino;
	s->peer_ino = r->un.peer_ino;
	s->cookie = r->cookie;
	s->table = r->table;
	s->family = r->family;
	s->state = r->state;
	s->vflag = vf;
	s->lport = r->lport;
	s->rport = r->rport;
	s->sel = r->family != AF_UNIX || !sk.unix_filter ||
		 sk_filter_match(sk.unix_filter, r);
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
		/* the terminal-safe text, then the bytes themselves for JSON */
		sk.names = grow(sk.names, &sk.names_cap, sk.names_len + 5 * n + 1, 1);
		s->path = sk.names_len + 1;
		sk.names_len += fmt_safe(sk.names + sk.names_len, name, n) + 1;
		memcpy(sk.names + sk.names_len, name, n);
		sk.names_len += n;
		s->path_len = n;
	}
	if (r->attr && r->attr_max >= INET_DIAG_CONG && r->attr[INET_DIAG_CONG]) {
		char tmp[64];	/* names are short: bounded and terminal-safe */
		size_t n = strnlen(r->attr[INET_DIAG_CONG], r->attr_len[INET_DIAG_CONG]);
		size_t k = fmt_safe(tmp, r->attr[INET_DIAG_CONG], n < 15 ? n : 15);
		memcpy(s->cc, tmp, k < sizeof(s->cc) ? k : sizeof(s->cc) - 1);
	}
	if (s->sel && s->table == SKT_SCTP && s->state != SK_LISTEN && s->state != SK_CLOSE)
		sk.path_state = 1;
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
	if (s->family == AF_UNIX) {
		strcpy(buf, s->table == SKT_UNIX_STREAM ? "stream" :
			    s->table == SKT_UNIX_DGRAM ? "dgram" : "seqpac");
		return;
	}
	strcpy(buf, sk_table_name(s->table));
	strcat(buf, s->vflag == SKQ_V4 ? "4" : s->vflag == SKQ_V6 ? "6" : "46");
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

/* The first process (lowest pid, then fd) holding ino, or NULL. */
static const struct sk_owner *owner(uint32_t ino)
{
	size_t n;
	const struct sk_owner *o = procmap_find(sk.pm, ino, &n);

	return n ? &o[n - 1] : NULL;	/* most recently scanned first */
}

static char *pid_fd(char *p, const struct sk_owner *o)
{
	*p++ = '[';
	p += fmt_u64(p, o->proc->pid);
	*p++ = ' ';
	p += fmt_u64(p, o->fd);
	*p++ = ']';
	*p = 0;
	return p;
}

static int by_pid_fd(const void *a, const void *b)
{
	const struct sk_owner *x = a, *y = b;

	if (x->proc->pid != y->proc->pid)
		return x->proc->pid < y->proc->pid ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

#define ADDR_MAX 4096

/* "-> PATH", "-> [PID FD]" of the peer, or " <- [PID FD],..." of the
 * sockets connected to a datagram socket, in pid and fd order. */
static void unix_foreign(const struct sock *s, char *buf)
{
	static struct sk_owner *refs;	/* copies: procmap_find reuses its answer */
	static size_t cap;
	size_t n = 0;
	char *p = buf, *end = buf + ADDR_MAX - 32;

	if (s->peer_ino) {
		const struct sock *peer = find(s->peer_ino);
		const struct sk_owner *o = peer && !peer->path ? owner(peer->ino) : NULL;
		memcpy(p, "-> ", 3);
		p += 3;
		if (peer && peer->path)
			strcpy(p, path_of(peer));	/* <= 4 * 108 bytes */
		else if (o)
			pid_fd(p, o);
		else
			strcpy(p, "??");
		return;
	}
	for (uint32_t i = s->first_ref; i; i = sk.socks[i - 1].next_ref) {
		const struct sk_owner *o = owner(sk.socks[i - 1].ino);
		if (!o)
			continue;
		refs = grow(refs, &cap, n + 1, sizeof(*refs));
		refs[n++] = *o;
	}
	if (!n) {
		strcpy(buf, "??");
		return;
	}
	sb_sort(refs, n, sizeof(*refs), by_pid_fd);
	memcpy(p, " <- ", 4);
	p += 4;
	for (size_t i = 0; i < n && p < end; i++) {
		if (i)
			*p++ = ',';
		p = pid_fd(p, &refs[i]);
	}
	*p = 0;
}

static void addresses(const struct sock *s, char *local, char *foreign)
{
	if (s->family != AF_UNIX) {
		inet_addr(s, s->laddr, s->lport, local);
		inet_addr(s, s->raddr, s->rport, foreign);
		return;
	}
	strcpy(local, s->path ? path_of(s) : s->peer_ino ? "??" : "(not connected)");
	unix_foreign(s, foreign);
}

/* --- output --------------------------------------------------------------- */

struct widths {
	size_t user, command, pid, fd, proto, local, foreign, id, path, conn, cc;
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

/* Rows come grouped by process: one look-up per process, not per row. */
static const char *user_of(const struct sk_proc *p)
{
	static const struct sk_proc *last;
	static char name[64];

	if (p != last) {
		const char *u = sk_user_name(p->uid, sk.numeric);
		size_t n = strlen(u);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, u, n);
		name[n] = 0;
		last = p;
	}
	return name;
}

static int has_id(const struct sock *s)
{
	return s->family != AF_UNIX;
}

static const char *conn_state(const struct sock *s)
{
	if (s->table != SKT_TCP && s->table != SKT_SCTP)
		return NULL;
	return tcp_states[s->state];
}

static void widen(size_t *w, size_t n)
{
	if (n > *w)
		*w = n;
}

static void measure(struct widths *w, const struct row *r)
{
	static char a[ADDR_MAX], b[ADDR_MAX];
	char p[16];

	if (r->o) {
		widen(&w->user, strlen(user_of(r->o->proc)));
		widen(&w->pid, digits(r->o->proc->pid));
		widen(&w->fd, digits(r->o->fd));
		if (sk.wide)
			widen(&w->command, strlen(r->o->proc->comm));
	}
	proto(r->s, p);
	widen(&w->proto, strlen(p));
	if (sk.wide) {
		addresses(r->s, a, b);
		widen(&w->local, strlen(a));
		widen(&w->foreign, strlen(b));
	}
	if (sk.show_id && has_id(r->s))
		widen(&w->id, digits(r->s->cookie));
	if (sk.conn_state && conn_state(r->s))
		widen(&w->conn, strlen(conn_state(r->s)));
	if (sk.show_cc && r->s->table == SKT_TCP)
		widen(&w->cc, strlen(r->s->cc));
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
	static char a[ADDR_MAX], b[ADDR_MAX];
	char p[16], num[24];
	const struct sock *s = r->s;

	if (r->o) {
		col(user_of(r->o->proc), w->user, 0, 0);
		out_char(' ');
		col(r->o->proc->comm, w->command, 1, 0);
		out_char(' ');
		fmt_u64(num, r->o->proc->pid);
		col(num, w->pid, 0, 1);
		out_char(' ');
		fmt_u64(num, r->o->fd);
		col(num, w->fd, 0, 1);
	} else {
		col("??", w->user, 0, 0);
		out_char(' ');
		col("??", w->command, 0, 0);
		out_char(' ');
		col("??", w->pid, 0, 1);
		out_char(' ');
		col("??", w->fd, 0, 1);
	}
	proto(s, p);
	addresses(s, a, b);
	out_char(' ');
	col(p, w->proto, 0, 0);
	out_char(' ');
	col(a, w->local, 1, 0);
	out_char(' ');
	col(b, w->foreign, 1, 0);
	if (sk.show_id) {
		out_char(' ');
		if (has_id(s))
			fmt_u64(num, s->cookie);
		col(has_id(s) ? num : "??", w->id, 0, 1);
	}
	if (sk.conn_state) {
		if (sk.path_state) {
			out_char(' ');
			col("??", w->path, 0, 0);	/* not in Linux's sctp_diag */
		}
		out_char(' ');
		col(conn_state(s) ? conn_state(s) : "??", w->conn, 0, 0);
	}
	if (sk.show_cc) {
		out_char(' ');
		col(s->table == SKT_TCP ? s->cc : "??", w->cc, 0, 0);
	}
	out_char('\n');
}

static void json_addr(const struct sock *s, const char *key, int local)
{
	static char a[ADDR_MAX], b[ADDR_MAX];
	const uint8_t *addr = local ? s->laddr : s->raddr;

	json_key(key);
	json_obj_begin();
	if (s->family == AF_UNIX) {
		addresses(s, a, b);
		json_key(local ? "path" : "text");
		if (local && path_of(s))	/* the name exactly */
			json_strn(path_of(s) + strlen(path_of(s)) + 1, s->path_len);
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
		json_str(user_of(r->o->proc));
	else
		json_null();
	json_key("command");
	if (r->o)	/* the name exactly */
		json_strn(r->o->proc->raw_comm, r->o->proc->raw_len);
	else
		json_null();
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
		if (has_id(r->s))
			json_u64(r->s->cookie);
		else
			json_null();
	}
	if (sk.conn_state) {
		json_key("conn-state");
		json_str(conn_state(r->s));
	}
	if (sk.show_cc) {
		json_key("cc");
		json_str(r->s->table == SKT_TCP && r->s->cc[0] ? r->s->cc : NULL);
	}
	json_obj_end();
}

/* Visit every row: selected sockets by process and fd, then the selected
 * sockets no visible process holds (TIME-WAIT, other users' when not
 * root). */
static void each_row(void (*fn)(void *, const struct row *), void *arg)
{
	size_t n = procmap_count(sk.pm);

	for (size_t i = 0; i < sk.n; i++)
		sk.socks[i].shown = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t ino;
		struct row r = { procmap_owner(sk.pm, i, &ino), NULL };
		struct sock *s = find(ino);
		if (!s || !s->sel)
			continue;
		s->shown = 1;
		r.s = s;
		fn(arg, &r);
	}
	sk.hidden = 0;
	for (size_t i = 0; i < sk.n; i++) {
		struct row r = { NULL, &sk.socks[i] };
		if (!r.s->sel || r.s->shown)
			continue;
		sk.hidden += r.s->ino != 0;
		fn(arg, &r);
	}
}

static void measure_cb(void *w, const struct row *r) { measure(w, r); }
static void print_cb(void *w, const struct row *r) { print_row(w, r); }
static void json_cb(void *arg, const struct row *r) { (void)arg; json_row(r); }

static void header(const struct widths *w)
{
	col("USER", w->user, 0, 0);
	out_char(' ');
	col("COMMAND", w->command, 0, 0);
	out_char(' ');
	col("PID", w->pid, 0, 1);
	out_char(' ');
	col("FD", w->fd, 0, 1);
	out_char(' ');
	col("PROTO", w->proto, 0, 0);
	out_char(' ');
	col("LOCAL ADDRESS", w->local, 0, 0);
	out_char(' ');
	col("FOREIGN ADDRESS", w->foreign, 0, 0);
	if (sk.show_id) {
		out_char(' ');
		col("ID", w->id, 0, 1);
	}
	if (sk.conn_state) {
		if (sk.path_state)
			out_str(" PATH STATE");
		out_char(' ');
		col("CONN STATE", w->conn, 0, 0);
	}
	if (sk.show_cc) {
		out_char(' ');
		col("CC", w->cc, 0, 0);
	}
	out_char('\n');
}

/* --- options ------------------------------------------------------------- */

static void usage(int fd)
{
	sb_puts(fd, "Usage: sockstat [-46ciLlnqsuvwC] [-j netns] [-p ports] [-P protocols]\n"
		"                [--json | --libxo json]\n"
		"  -4 -6 -u   IPv4, IPv6, UNIX sockets (none given: all three)\n"
		"  -c -l      connected, listening sockets (neither: both)\n"
		"  -L         no sockets with a loopback local or foreign address\n"
		"  -p ports   only these ports (1,22,8000-8080)\n"
		"  -P protos  only these protocols from /etc/protocols\n"
		"             (tcp, udp, sctp, udplite; default all four)\n"
		"  -j netns   sockets of the named network namespace\n"
		"  -n -q -w   numeric users, no header, wide columns\n"
		"  -s -C -i   CONN STATE, CC (congestion control), ID (socket cookie) columns\n"
		"  -v         verbose: warn when the kernel's dump was inconsistent\n");
}

/* Append words to a filter expression. */
static void cat(char **expr, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*expr = realloc(*expr, *len + n + 1);
	if (!*expr)
		sb_die(1, "out of memory");
	memcpy(*expr + *len, s, n + 1);
	*len += n;
}

/* -p list: "( src unix:* or ( sport >= :A and sport <= :B ) or ... )";
 * FreeBSD lets unix sockets through, as ports mean nothing to them. */
static void add_ports(char **expr, size_t *len, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok, part[128];

	if (!copy)
		sb_die(1, "out of memory");
	cat(expr, len, "( src unix:*");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-'), *end;
		unsigned long lo = sb_strtou(tok, &end), hi = lo;
		if (end == tok || *tok == '-' || *tok == '+' || (dash ? end != dash : *end))
			sb_die(1, "-p: '%s' is not a port or a range", tok);
		if (dash) {
			hi = sb_strtou(dash + 1, &end);
			if (end == dash + 1 || *end || dash[1] == '-' || dash[1] == '+')
				sb_die(1, "-p: '%s' is not a port or a range", tok);
		}
		if (lo > 65535 || hi > 65535 || lo > hi)
			sb_die(1, "-p: '%s' is out of range", tok);
		sb_snprintf(part, sizeof(part), " or ( sport >= :%lu and sport <= :%lu )"
			 " or ( dport >= :%lu and dport <= :%lu )", lo, hi, lo, hi);
		cat(expr, len, part);
	}
	cat(expr, len, " )");
	free(copy);
}

/* -P list: names (or aliases) from /etc/protocols, as FreeBSD's
 * getprotobyname; the protocols Linux can list by socket. */
static uint32_t protocols(const char *list)
{
	static const struct {
		int proto;
		unsigned table;
	} known[] = {
		{ IPPROTO_TCP, SKT_TCP }, { IPPROTO_UDP, SKT_UDP },
		{ IPPROTO_SCTP, SKT_SCTP }, { IPPROTO_UDPLITE, SKT_UDPLITE },
	};
	char *copy = strdup(list), *save = NULL, *p;
	uint32_t tables = 0;

	if (!copy)
		sb_die(1, "out of memory");
	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		int num = sk_proto_number(p);
		size_t i = 0;
		if (num < 0)
			sb_die(1, "-P: unknown protocol '%s' (not in /etc/protocols)", p);
		while (i < ARRAY_SIZE(known) && known[i].proto != num)
			i++;
		if (i == ARRAY_SIZE(known))
			sb_die(1, "-P: protocol '%s' is not supported (tcp, udp, sctp, udplite)", p);
		tables |= SKT_BIT(known[i].table);
	}
	free(copy);
	return tables;
}

int sockstat_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", 0, 0, 'J' }, { "libxo", 1, 0, 'X' }, { "help", 0, 0, 'h' },
		{ 0 }
	};
	int v4 = 0, v6 = 0, un = 0, conn = 0, listen_ = 0, nolo = 0, verbose = 0, ch;
	const char *ports = NULL, *protos = NULL, *netns = NULL;

	while ((ch = sb_getopt_long(argc, argv, "46AbCcfIij:Llnp:P:qSsUuvwh", longopts)) != -1) {
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
		case 'v': verbose = 1; break;
		case 'p': ports = sb_optarg; break;
		case 'P': protos = sb_optarg; break;
		case 'j': netns = sb_optarg; break;
		case 'J': sk.json = 1; break;
		case 'X':
			if (strncmp(sb_optarg, "json", 4))
				sb_die(1, "--libxo: only json is supported, not '%s'", sb_optarg);
			sk.json = 1;
			break;
		case 'h': usage(STDOUT_FILENO); return 0;
		case 'A': case 'b': case 'f': case 'I': case 'S': case 'U':
			sb_die(1, "-%c is not supported on Linux", ch);
		default:
			if (sb_optopt && strchr("jpP", sb_optopt))
				sb_die(1, "option -%c needs an argument", sb_optopt);
			if (sb_optopt)
				sb_die(1, "unknown option -%c (try 'sockstat -h')", sb_optopt);
			sb_die(1, "unknown option '%s' (try 'sockstat -h')", argv[sb_optind - 1]);
		}
	}
	if (sb_optind < argc)
		sb_die(1, "unexpected argument '%s'", argv[sb_optind]);
	if (sk.json && !IS_ENABLED(CONFIG_JSON))
		sb_die(1, "--json is not enabled in this build");

	struct sock_query q = { .states = SK_ST_ALL };
	uint32_t inet = SKT_BIT(SKT_TCP) | SKT_BIT(SKT_UDP) | SKT_BIT(SKT_SCTP) |
			SKT_BIT(SKT_UDPLITE);
	if (protos) {
		inet = protocols(protos);
		if (!v4 && !v6)
			v4 = v6 = 1;	/* -P implies both inet families */
	}
	if (!v4 && !v6 && !un)
		v4 = v6 = un = 1;
	if (v4 || v6)
		q.tables |= inet & sk_tables_enabled();
	/* both dumps: a v6 socket may be IPv4 (mapped) or both (tcp46) */
	q.families = SKQ_V4 | SKQ_V6;
	sk.families = (v4 ? SKQ_V4 : 0) | (v6 ? SKQ_V6 : 0);
	if (sk.show_cc)
		q.ext |= SKX_CONG;

	/* -p, -L, -c and -l as one filter: ports and loopback concern inet
	 * sockets only; "listening" is FreeBSD's "no foreign port" (for unix
	 * sockets, iproute2's dport: no peer). */
	if (ports || nolo || conn != listen_) {
		char *expr = NULL;
		size_t len = 0;
		int status;
		if (!IS_ENABLED(CONFIG_FILTER))
			sb_die(1, "-p, -L, -c and -l need the filter engine, not enabled in this build");
		cat(&expr, &len, "( src * )");
		if (ports) {
			cat(&expr, &len, " and ");
			add_ports(&expr, &len, ports);
		}
		if (nolo)
			cat(&expr, &len, " and ( src unix:* or ! ( src 127.0.0.0/8 or dst 127.0.0.0/8"
			    " or src [::1] or dst [::1] ) )");
		if (conn != listen_)
			cat(&expr, &len, listen_ ? " and dport = :0" : " and ! dport = :0");
		struct sk_filter_ctx ctx = { .family = AF_UNSPEC, .tables = q.tables };
		q.filter = sk_filter_parse(1, &expr, NULL, &ctx, &status);
		if (status)
			exit(status);
		free(expr);
	}

	if (netns) {
		int err = sk_netns_enter(netns);
		if (err)
			sb_die(1, "-j %s: %s", netns, strerror(-err));
	}
	if (!IS_ENABLED(CONFIG_PROCESSES))
		sb_die(1, "the process map is not enabled in this build");
	sk.pm = procmap_build(0);
	if (!sk.pm)
		sb_die(1, "needs /proc to find processes: %s", strerror(errno));
	if (q.tables && sock_dump(&q, keep, NULL) < 0)
		return 1;
	if (un) {	/* every unix socket, for the peers; the filter marks rows */
		struct sock_query uq = { .states = SK_ST_ALL,
					 .tables = SKT_UNIX_ALL & sk_tables_enabled() };
		sk.unix_filter = q.filter;
		if (uq.tables && sock_dump(&uq, keep, NULL) < 0)
			return 1;
	}
	index_socks();

	if (sk.json) {
		json_obj_begin();
		json_key("sockstat");
		json_obj_begin();
		json_key("socket");
		json_arr_begin();
		each_row(json_cb, NULL);
		json_arr_end();
		json_obj_end();
		json_obj_end();
		out_char('\n');
	} else {
		struct widths w = {
			.user = 4, .command = 10, .pid = 3, .fd = 2, .proto = 5,
			.local = sk.wide ? 13 : 21, .foreign = sk.wide ? 15 : 21,
			.id = 2, .path = 10, .conn = 10, .cc = 2,
		};
		each_row(measure_cb, &w);
		if (!sk.no_header)
			header(&w);
		each_row(print_cb, &w);
	}
	out_flush();
	/* Say why rows show ?? only when it is so: some /proc/PID/fd was
	 * closed to us and some listed socket has no owner we could see. */
	if (procmap_incomplete(sk.pm) && sk.hidden)
		sb_warn("not running as root: sockets of other users' processes show as ??");
	if (verbose && sk_dump_interrupted)
		sb_warn("warning: data may be inconsistent");
	return 0;
}
