/* The filter engine: ss's filter language, hand-parsed into a tree that is
 * evaluated on socket records and compiled to INET_DIAG bytecode.
 *
 * The language is iproute2 6.1's as it really behaves (its man page is
 * wrong about precedence): and/or have equal precedence and group left to
 * right, a bare juxtaposition is and, ! applies to the next expression.
 * Extensions that change no valid expression's meaning: parentheses and
 * operators may be glued to words, "mark" means "fwmark", src/dst take
 * "!=". Errors name the token and its column in the expression. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/filter.h"
#include "libsock/glob.h"
#include "libsock/fmt.h"

/* iproute2's bison parser gives up ("memory exhausted") when its stack
 * would hold 10000 entries; we keep the same count (see push()), so the
 * same expressions are too deep for both. */
#define STACK_MAX 10000
#define MAX_ADDRS 64		/* addresses a host name may stand for */

enum ntype { N_AND, N_OR, N_NOT, N_HOST, N_PORT_GE, N_PORT_LE, N_AUTO, N_DEV, N_MARK, N_CGROUP };

struct addr {
	int family;		/* AF_INET, AF_INET6, AF_UNSPEC (port only) */
	int bits;		/* prefix length; 0: any address */
	uint8_t bytes[16];
};

struct sk_filter {
	enum ntype type;
	int dst;		/* HOST/PORT: the peer's side */
	struct sk_filter *a, *b;
	struct sk_filter *older;	/* allocated before: freed with a failed parse */
	/* HOST */
	int host_family;	/* AF_INET6/AF_INET/AF_UNSPEC: inet; AF_UNIX: glob;
				 * AF_PACKET/AF_NETLINK/AF_VSOCK: never here */
	char *glob;
	int port;		/* -1: any */
	int n_addrs;
	struct addr *addrs;
	/* DEV, MARK, CGROUP, PORT_* */
	uint32_t value, mask;
	uint64_t id;
};

struct tok {
	char *s;
	int col;
	int glued;	/* part of a longer word, or "mark": iproute2 reads the
			 * whole word as one (bad) value */
};

struct parser {
	struct tok *toks;
	int n, cap, pos;
	const char *text;	/* the whole expression, for messages */
	struct sk_filter_ctx *ctx;
	int status;		/* 0 while all is well */
	const char *sticky;	/* last keyword that takes a value */
	int sp;			/* entries the bison parser would hold */
	struct sk_filter *nodes;	/* every node, newest first */
};

static const char *const keywords[] = {
	"src", "dst", "sport", "dport", "dev", "fwmark", "mark", "cgroup", "autobound",
	"and", "&", "&&", "or", "|", "||", "not", "!", "(", ")",
};

static const struct {
	const char *w;
	const char *op;	/* canonical */
} relops[] = {
	{ "=", "=" }, { "==", "=" }, { "eq", "=" },
	{ "!=", "!=" }, { "ne", "!=" }, { "neq", "!=" },
	{ ">=", ">=" }, { "ge", ">=" }, { "geq", ">=" },
	{ "<=", "<=" }, { "le", "<=" }, { "leq", "<=" },
	{ ">", ">" }, { "gt", ">" }, { "<", "<" }, { "lt", "<" },
};

static const char *relop(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(relops); i++)
		if (!strcmp(s, relops[i].w))
			return relops[i].op;
	return NULL;
}

static int is_keyword(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(s, keywords[i]))
			return 1;
	return 0;
}

static int fail(struct parser *p, int status, int col, const char *fmt, const char *arg)
{
	char what[256];
	size_t n;

	if (p->status)
		return -1;
	n = sb_snprintf(what, sizeof(what), fmt, arg);
	if (n >= sizeof(what))
		n = sizeof(what) - 1;
	/* Show the expression at most 200 bytes long and terminal-safe. */
	size_t tl = strlen(p->text);
	char safe[4 * 200 + 4];
	fmt_safe(safe, p->text, tl > 200 ? 200 : tl);
	if (col > 0)
		sb_warn("filter: %s at column %d: '%s%s'", what, col, safe, tl > 200 ? "..." : "");
	else
		sb_warn("filter: %s: '%s%s'", what, safe, tl > 200 ? "..." : "");
	/* iproute2's lexer would have failed on the glued word already */
	for (int i = 0; status == 255 && i <= p->pos && i < p->n; i++)
		if (p->toks[i].glued)
			status = 1;
	p->status = status;
	return -1;
}

/* A token for messages: terminal-safe, cut at 64 bytes. */
static const char *tokname(const char *s)
{
	static char buf[4 * 64 + 4];
	size_t n = strlen(s);

	fmt_safe(buf, s, n > 64 ? 64 : n);
	if (n > 64)
		strcat(buf, "...");
	return buf;
}

/* --- lexer ---------------------------------------------------------- */

static int add_tok(struct parser *p, const char *s, size_t len, int col)
{
	char *c = strndup(s, len);

	if (!c)
		return -1;
	if (p->n == p->cap) {	/* doubling: 20 000 parentheses are allowed */
		int cap = p->cap ? 2 * p->cap : 16;
		struct tok *nt = realloc(p->toks, cap * sizeof(*nt));
		if (!nt) {
			free(c);
			return -1;
		}
		p->toks = nt;
		p->cap = cap;
	}
	p->toks[p->n].s = c;
	p->toks[p->n].col = col;
	p->toks[p->n].glued = !strcmp(c, "mark");
	p->n++;
	return 0;
}

static int is_opchar(char c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|';
}

/* Split one blank-separated word into tokens: '(' and ')' anywhere but
 * inside a value, '!' not followed by '=', an operator, and a keyword
 * glued to what follows ("sport>=:22", "or(dport", ")and!("). A value
 * runs to the end of the word, less trailing ')'. */
static int split_word(struct parser *p, const char *w, size_t len, int col)
{
	int first = p->n;

	while (len) {
		size_t k = 0;

		if (*w == '(' || *w == ')' || (*w == '!' && (len == 1 || w[1] != '='))) {
			k = 1;
		} else if (is_opchar(*w)) {
			while (k < len && is_opchar(w[k]))
				k++;
		} else {
			while (k < len && !is_opchar(w[k]) && w[k] != '(' && w[k] != ')')
				k++;
			char kw[16];
			if (k == len || k >= sizeof(kw) || (memcpy(kw, w, k), kw[k] = 0, !is_keyword(kw))) {
				k = len;	/* a value: all but trailing ')' */
				while (k > 1 && w[k - 1] == ')')
					k--;
			}
		}
		if (add_tok(p, w, k, col))
			return -1;
		p->toks[p->n - 1].glued |= k < len || first < p->n - 1;
		w += k, len -= k, col += k;
	}
	return 0;
}

/* Words are split on blanks; a backslash keeps the next character. */
static int tokenize(struct parser *p, const char *text)
{
	size_t n = strlen(text);
	char *word = malloc(n + 1);
	size_t i = 0;

	if (!word)
		return -1;
	while (i < n) {
		while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
			i++;
		if (i == n)
			break;
		size_t wl = 0, start = i;
		while (i < n && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
			if (text[i] == '\\' && i + 1 < n)
				i++;
			word[wl++] = text[i++];
		}
		if (split_word(p, word, wl, start + 1)) {
			free(word);
			return -1;
		}
	}
	free(word);
	return 0;
}

/* --- values ----------------------------------------------------------- */

static int parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || *v > max ? -1 : 0;
}

/* IPv4 as iproute2 reads it: up to four dot-separated numbers (any base),
 * missing ones zero: "127" is 127.0.0.0, "10.1" is 10.1.0.0. */
static int parse_ip4(const char *s, uint8_t out[4])
{
	int parts = 0;

	memset(out, 0, 4);
	while (*s && parts < 4) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9')
			return -1;
		v = strtoul(s, &end, 0);
		if (v > 255 || (*end && *end != '.'))
			return -1;
		out[parts++] = v;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -1;
	}
	return *s ? -1 : 0;
}

static int parse_prefix(const char *s, int family, struct addr *a)
{
	char buf[128];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long long plen = 0;

	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = 0;
	memset(a, 0, sizeof(*a));
	if (!strcmp(buf, "default") || !strcmp(buf, "any") || !strcmp(buf, "all")) {
		a->family = family == AF_INET || family == AF_INET6 ? family : AF_UNSPEC;
		return slash ? -1 : 0;
	}
	if (family == AF_INET6 || (family != AF_INET && strchr(buf, ':'))) {
		if (inet_pton(AF_INET6, buf, a->bytes) != 1)
			return -1;
		a->family = AF_INET6;
		a->bits = 128;
	} else {
		if (parse_ip4(buf, a->bytes))
			return -1;
		a->family = AF_INET;
		a->bits = 32;
	}
	if (slash) {
		if (parse_uint(slash + 1, a->bits, &plen))
			return -1;
		a->bits = plen;
	}
	return 0;
}

static int resolve_host(const char *name, int family, struct sk_filter *n)
{
	struct sk_host_addr found[MAX_ADDRS];
	int count;

	/* only what could be a host name goes to the resolver (and the net) */
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
			      strlen(name))
		return -1;
	count = sk_host_addrs(name, family == AF_INET || family == AF_INET6 ? family : AF_UNSPEC,
			      found, MAX_ADDRS - n->n_addrs);

	for (int i = 0; i < count; i++) {
		struct addr a = { 0 };
		a.family = found[i].family;
		a.bits = a.family == AF_INET ? 32 : 128;
		memcpy(a.bytes, found[i].addr, a.family == AF_INET ? 4 : 16);
		int dup = 0;
		for (int k = 0; k < n->n_addrs; k++)
			dup |= !memcmp(&n->addrs[k], &a, sizeof(a));
		if (!dup)
			n->addrs[n->n_addrs++] = a;
	}
	return n->n_addrs ? 0 : -1;
}

/* A port as iproute2 reads it: any int (strtol, base 0) is taken as it
 * is, -1 meaning any port and others past 65535 matching none; else a
 * service name. */
static int parse_port(struct parser *p, const char *s, int col, int *port)
{
	int tcp = -1, udp = -1;
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (end != s && !*end && !errno && v >= INT32_MIN && v <= INT32_MAX) {
		*port = v;
		return 0;
	}
	if (p->ctx->tables & SKT_BIT(SKT_UDP))
		udp = sk_service_port(s, "udp");
	if (p->ctx->tables & SKT_BIT(SKT_TCP))
		tcp = sk_service_port(s, "tcp");
	if (tcp >= 0 && udp >= 0 && tcp != udp)
		return fail(p, 1, col, "ambiguous port '%s'", tokname(s));
	*port = udp >= 0 ? udp : tcp;
	if (*port < 0)
		return fail(p, 1, col, "'%s' does not look like a port", tokname(s));
	return 0;
}

static int parse_host(struct parser *p, struct sk_filter *n, const char *tok, int col, int is_port)
{
	static const struct {
		const char *prefix;
		int family;
	} prefixes[] = {
		{ "unix:", AF_UNIX }, { "link:", AF_PACKET }, { "netlink:", AF_NETLINK },
		{ "vsock:", AF_VSOCK }, { "inet:", AF_INET }, { "inet6:", AF_INET6 },
	};
	int fam = p->ctx->family;
	char *addr, *port = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t l = strlen(prefixes[i].prefix);
		if (!strncmp(tok, prefixes[i].prefix, l)) {
			fam = prefixes[i].family;
			tok += l;
			col += l;
			break;
		}
	}
	n->port = -1;
	n->host_family = fam;
	if (fam != AF_UNSPEC)
		p->ctx->set_family = fam;
	if (fam == AF_UNIX) {
		n->glob = strdup(tok);
		return n->glob ? 0 : fail(p, 1, col, "out of memory%s", "");
	}
	if (fam == AF_PACKET || fam == AF_NETLINK || fam == AF_VSOCK) {
		/* No such sockets reach this filter in this build: a
		 * condition on them matches nothing. */
		return 0;
	}
	addr = strdup(tok);
	n->addrs = calloc(MAX_ADDRS, sizeof(*n->addrs));
	if (!addr || !n->addrs) {
		free(addr);
		return fail(p, 1, col, "out of memory%s", "");
	}
	if (addr[0] == '[') {
		memmove(addr, addr + 1, strlen(addr));
		port = strchr(addr, ']');
		if (!port) {
			free(addr);
			return fail(p, 1, col, "missing ']' in '%s'", tokname(tok));
		}
		*port++ = 0;
	} else if (addr[0] == '*') {
		port = addr + 1;
	} else {
		char *slash = strchr(addr, '/');
		port = strrchr(slash ? slash : addr, ':');
	}
	if (is_port)
		port = addr;
	if (port && *port) {
		if (*port == ':')
			*port++ = 0;
		if (*port && *port != '*' && parse_port(p, port, col, &n->port)) {
			free(addr);
			return -1;
		}
	}
	if (!is_port && *addr && *addr != '*') {
		if (parse_prefix(addr, fam, &n->addrs[0]) == 0)
			n->n_addrs = 1;
		else if (resolve_host(addr, fam, n)) {
			fail(p, 1, col, "an inet prefix is expected rather than '%s'", tokname(addr));
			free(addr);
			return -1;
		}
	}
	free(addr);
	return 0;
}

/* --- parser --------------------------------------------------------------- */

static struct sk_filter *node(struct parser *p, enum ntype t)
{
	struct sk_filter *n = calloc(1, sizeof(*n));

	if (!n) {
		fail(p, 1, 0, "out of memory%s", "");
		return NULL;
	}
	n->type = t;
	n->older = p->nodes;
	p->nodes = n;
	return n;
}

static struct tok *peek(struct parser *p)
{
	return p->pos < p->n ? &p->toks[p->pos] : NULL;
}

static int at(struct parser *p, const char *s)
{
	struct tok *t = peek(p);
	return t && !strcmp(t->s, s);
}

static int end_col(struct parser *p)
{
	return (int)strlen(p->text) + 1;
}

/* The value after "KEYWORD [OP]": anything but a keyword or operator. */
static struct tok *value(struct parser *p, const char *kw, const char *op, const char *what)
{
	struct tok *t = peek(p);
	char ctx[64];

	sb_snprintf(ctx, sizeof(ctx), "%s%s%s", kw, op ? " " : "", op ? op : "");
	if (!t || is_keyword(t->s) || relop(t->s)) {
		char msg[128];
		sb_snprintf(msg, sizeof(msg), "expected %s after '%%s'", what);
		fail(p, 255, t ? t->col : end_col(p), msg, ctx);
		return NULL;
	}
	p->pos++;
	return t;
}

static struct sk_filter *negate(struct parser *p, struct sk_filter *n)
{
	struct sk_filter *x = node(p, N_NOT);

	if (!x)
		return NULL;
	x->a = n;
	return x;
}

static struct sk_filter *parse_list(struct parser *p);

/* A device name, else a number (0: sockets bound to none), as iproute2. */
static int dev_value(struct parser *p, const struct tok *v, struct sk_filter *n)
{
	unsigned long idx = if_nametoindex(v->s);
	char *end;

	if (!idx) {
		errno = 0;
		idx = strtoul(v->s, &end, 0);
		if (end == v->s || *end || errno || idx > UINT32_MAX)
			return fail(p, 1, v->col, "cannot find device '%s'", tokname(v->s));
	}
	n->value = idx;
	return 0;
}

/* A number as sscanf's %i reads it (iproute2 parses marks so): sign,
 * any base, trailing text ignored, truncated to 32 bits. */
static int scan_i(const char *s, char **end, uint32_t *v)
{
	long long x;

	errno = 0;
	x = strtoll(s, end, 0);
	*v = (uint32_t)x;
	return *end == s ? -1 : 0;
}

static int mark_value(struct parser *p, const struct tok *v, struct sk_filter *n)
{
	char *end;

	n->mask = UINT32_MAX;
	if (scan_i(v->s, &end, &n->value) ||
	    (strchr(v->s, '/') && (*end != '/' || scan_i(end + 1, &end, &n->mask))))
		return fail(p, 1, v->col, "'%s' is not a MARK[/MASK]", tokname(v->s));
	return 0;
}

static struct sk_filter *parse_cond(struct parser *p)
{
	struct tok *kw = &p->toks[p->pos++], *v;
	const char *k = kw->s, *op = NULL;
	struct sk_filter *n;

	if (!strcmp(k, "autobound"))
		return node(p, N_AUTO);
	if (peek(p) && relop(peek(p)->s)) {
		op = relop(peek(p)->s);
		p->pos++;
	}
	p->sticky = k;
	if (!strcmp(k, "src") || !strcmp(k, "dst")) {
		if (op && strcmp(op, "=") && strcmp(op, "!="))
			return fail(p, 255, kw->col, "'%s' takes only = or !=", k), NULL;
		if (!(v = value(p, k, op, "an address")) || !(n = node(p, N_HOST)))
			return NULL;
		n->dst = k[0] == 'd';
		if (parse_host(p, n, v->s, v->col, 0))
			return NULL;
		return op && !strcmp(op, "!=") ? negate(p, n) : n;
	}
	if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
		if (!(v = value(p, k, op, "a port")))
			return NULL;
		if (!op)
			op = "=";
		n = node(p, !strcmp(op, "=") || !strcmp(op, "!=") ? N_HOST :
			    op[0] == '>' ? (op[1] ? N_PORT_GE : N_PORT_LE) :
			    (op[1] ? N_PORT_LE : N_PORT_GE));
		if (!n)
			return NULL;
		n->dst = k[0] == 'd';
		if (n->type == N_HOST)
			return parse_host(p, n, v->s, v->col, 1) ? NULL :
			       !strcmp(op, "!=") ? negate(p, n) : n;
		/* "> X" is "not <= X", "< X" is "not >= X", as iproute2 */
		struct sk_filter tmp = { 0 };
		int bad = parse_host(p, &tmp, v->s, v->col, 1);
		free(tmp.addrs);
		free(tmp.glob);
		if (bad)
			return NULL;
		n->value = tmp.port;
		return strlen(op) == 1 ? negate(p, n) : n;
	}
	if (op && strcmp(op, "=") && strcmp(op, "!="))
		return fail(p, 255, kw->col, "'%s' takes only = or !=", k), NULL;
	if (!strcmp(k, "dev")) {
		if (!(v = value(p, k, op, "a device")) || !(n = node(p, N_DEV)) ||
		    dev_value(p, v, n))
			return NULL;
	} else if (!strcmp(k, "fwmark") || !strcmp(k, "mark")) {
		if (!(v = value(p, k, op, "a mark")) || !(n = node(p, N_MARK)) ||
		    mark_value(p, v, n))
			return NULL;
	} else {	/* cgroup */
		if (!(v = value(p, k, op, "a cgroup path")) || !(n = node(p, N_CGROUP)))
			return NULL;
		n->id = sk_cgroup_id(v->s);
		if (!n->id)
			return fail(p, 1, v->col, "cannot find cgroup '%s'", tokname(v->s)), NULL;
	}
	return op && !strcmp(op, "!=") ? negate(p, n) : n;
}

/* Account for n more entries on the bison stack: iproute2's parser holds
 * one per '(' and '!' still open, two per pending "left op" (one for a
 * bare juxtaposition) and up to three for a condition. */
static int push(struct parser *p, int n, int col)
{
	p->sp += n;
	if (p->sp < STACK_MAX)
		return 0;
	return fail(p, 255, col, "expression nested too deeply%s", "");
}

/* A word where no value belongs. iproute2's lexer reads it as a value of
 * the last keyword's kind (a host before any keyword) before its grammar
 * sees it, so a bad one is a value error (1) and a good one a grammar
 * error (255). */
static void misplaced(struct parser *p, struct tok *t)
{
	const char *k = p->sticky ? p->sticky : "src";
	struct sk_filter n = { 0 };
	struct sk_filter_ctx ctx = *p->ctx;
	struct parser q = *p;

	q.ctx = &ctx;
	if (!strcmp(k, "src") || !strcmp(k, "dst") || !strcmp(k, "sport") || !strcmp(k, "dport")) {
		parse_host(&q, &n, t->s, t->col, k[1] == 'p');
		free(n.glob);
		free(n.addrs);
	} else if (!strcmp(k, "dev")) {
		dev_value(&q, t, &n);
	} else if (!strcmp(k, "cgroup")) {
		if (!sk_cgroup_id(t->s))
			fail(&q, 1, t->col, "cannot find cgroup '%s'", tokname(t->s));
	} else {
		mark_value(&q, t, &n);
	}
	if (q.status)
		p->status = q.status;
	else
		fail(p, 255, t->col, "unexpected '%s'", tokname(t->s));
}

static int is_andor(const char *s)
{
	return !strcmp(s, "and") || !strcmp(s, "&") || !strcmp(s, "&&") ||
	       !strcmp(s, "or") || !strcmp(s, "|") || !strcmp(s, "||");
}

static struct sk_filter *parse_expr(struct parser *p)
{
	struct tok *t = peek(p);

	if (!t)
		return fail(p, 255, end_col(p), "expected an expression%s", ""), NULL;
	if (!strcmp(t->s, "(")) {
		char open_col[16];
		sb_snprintf(open_col, sizeof(open_col), "%d", t->col);
		if (push(p, 1, t->col))
			return NULL;
		p->pos++;
		struct sk_filter *n = parse_list(p);
		if (!n)
			return NULL;
		if (!at(p, ")"))
			return fail(p, 255, peek(p) ? peek(p)->col : end_col(p),
				    "expected ')' to close the '(' of column %s", open_col), NULL;
		p->pos++;
		p->sp--;
		return n;
	}
	if (!strcmp(t->s, "!") || !strcmp(t->s, "not")) {
		if (push(p, 1, t->col))
			return NULL;
		p->pos++;
		struct sk_filter *x = parse_expr(p);
		p->sp--;
		return x ? negate(p, x) : NULL;
	}
	if (is_keyword(t->s) && strcmp(t->s, ")") && !is_andor(t->s)) {
		int n = strcmp(t->s, "autobound") ? 3 : 1;
		if (push(p, n, t->col))
			return NULL;
		p->sp -= n;
		return parse_cond(p);
	}
	if (!is_keyword(t->s) && !relop(t->s))
		misplaced(p, t);
	else
		fail(p, 255, t->col, "unexpected '%s'", tokname(t->s));
	return NULL;
}

/* and/or have one precedence and group to the left, as in iproute2's
 * grammar (exprlist: exprlist '|' expr | exprlist '&' expr | exprlist expr):
 * its %left declarations never come into play. */
static struct sk_filter *parse_list(struct parser *p)
{
	struct sk_filter *left = parse_expr(p);
	int base = p->sp;

	while (left) {
		struct tok *t = peek(p);
		enum ntype op = N_AND;

		if (!t || !strcmp(t->s, ")"))
			return left;
		if (push(p, 1, t->col))		/* the exprlist so far */
			return NULL;
		if (is_andor(t->s)) {
			if (t->s[0] == 'o' || t->s[0] == '|')
				op = N_OR;
			if (push(p, 1, t->col))
				return NULL;
			p->pos++;
		}
		struct sk_filter *right = parse_expr(p);
		p->sp = base;
		struct sk_filter *n = right ? node(p, op) : NULL;
		if (!n)
			return NULL;
		n->a = left;
		n->b = right;
		left = n;
	}
	return NULL;
}

struct sk_filter *sk_filter_parse(int argc, char **argv, const char *file_text,
				  struct sk_filter_ctx *ctx, int *status)
{
	struct parser p = { .ctx = ctx };
	size_t len = 1;
	char *text;

	ctx->set_family = AF_UNSPEC;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (file_text)
		len += strlen(file_text) + 1;
	text = malloc(len);
	if (!text) {
		*status = 1;
		return NULL;
	}
	text[0] = 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	if (file_text) {
		if (argc)
			strcat(text, " ");
		strcat(text, file_text);
	}
	p.text = text;
	struct sk_filter *f = NULL;
	if (tokenize(&p, text)) {
		fail(&p, 1, 0, "out of memory%s", "");
	} else if (p.n) {
		p.sp = 1;	/* bison's initial state */
		f = parse_list(&p);
		if (f && p.pos < p.n)	/* a ')' without its '(' */
			fail(&p, 255, p.toks[p.pos].col, "unexpected '%s'", ")");
	}
	for (int i = 0; i < p.n; i++)
		free(p.toks[i].s);
	free(p.toks);
	free(text);
	*status = p.status;
	if (!p.status)
		return f;
	while (p.nodes) {
		struct sk_filter *n = p.nodes;
		p.nodes = n->older;
		n->a = n->b = NULL;
		sk_filter_free(n);
	}
	return NULL;
}

void sk_filter_free(struct sk_filter *f)
{
	if (!f)
		return;
	sk_filter_free(f->a);
	sk_filter_free(f->b);
	free(f->addrs);
	free(f->glob);
	free(f);
}

/* --- evaluation --------------------------------------------------------- */

static int bits_match(const uint8_t *a, const uint8_t *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return 0;
	if (rest) {
		uint8_t mask = 0xff << (8 - rest);
		if ((a[bytes] ^ b[bytes]) & mask)
			return 0;
	}
	return 1;
}

/* The kernel (INET_DIAG_BC_S_COND) checks the family first, even for a /0
 * prefix; iproute2's evaluator compares the bytes whatever the families.
 * Both let an IPv4 pattern match a v4-mapped IPv6 address. */
static int addr_match(const struct sock_rec *r, const uint8_t *sa, const struct addr *a,
		      int kernel)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (kernel ? a->family == AF_UNSPEC || (a->family == r->family &&
						bits_match(sa, a->bytes, a->bits)) :
		     bits_match(sa, a->bytes, a->bits))
		return 1;
	return a->family == AF_INET && r->family == AF_INET6 &&
	       !memcmp(sa, mapped, 12) && bits_match(sa + 12, a->bytes, a->bits);
}

/* The socket's name as ss shows it ("@name" for abstract, "" unbound). */
static const char *unix_name(const struct sock_rec *r, char *buf, size_t size)
{
	size_t n = r->un.name_len < size - 1 ? r->un.name_len : size - 1;

	if (!r->un.name)
		return "";
	memcpy(buf, r->un.name, n);
	buf[n] = 0;
	if (buf[0] == 0) {
		for (size_t i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = '@';
	}
	return buf;
}

/* A socket's "port" as iproute2 compares it: for UNIX sockets the inode
 * and the peer's inode. */
static unsigned port_of(const struct sock_rec *r, int dst)
{
	if (r->family == AF_UNIX)
		return dst ? r->un.peer_ino : r->ino;
	return dst ? r->rport : r->lport;
}

/* The bound of a port range: the kernel sees it truncated to 16 bits,
 * iproute2's own evaluator (other families) as an int. */
static long long port_value(const struct sk_filter *f, int kernel)
{
	return kernel ? (uint16_t)f->value : (int32_t)f->value;
}

static int host_match(const struct sk_filter *n, const struct sock_rec *r, int kernel)
{
	int inet = r->family == AF_INET || r->family == AF_INET6;

	if (n->host_family == AF_UNIX) {
		char buf[128];
		if (r->family != AF_UNIX)
			return 0;
		/* the peer's name is not known from a dump */
		return sk_glob_match(n->glob, n->dst ? "" : unix_name(r, buf, sizeof(buf)), 1);
	}
	if (n->host_family != AF_UNSPEC && n->host_family != AF_INET &&
	    n->host_family != AF_INET6)
		return 0;
	if (n->port != -1 && (unsigned)n->port != port_of(r, n->dst))
		return 0;
	if (!n->n_addrs || (!kernel && !n->addrs[0].bits))
		return 1;
	if (!inet)	/* iproute2 compares other families' bytes: no match */
		return 0;
	for (int i = 0; i < n->n_addrs; i++)
		if (addr_match(r, n->dst ? r->raddr : r->laddr, &n->addrs[i], kernel))
			return 1;
	return 0;
}

static int autobound(const struct sock_rec *r)
{
	if (r->family == AF_UNIX) {
		const char *s = r->un.name;
		if (!s)
			return 1;
		if (r->un.name_len != 6 || s[0])
			return 0;
		for (int i = 1; i < 6; i++)
			if (!strchr("0123456789abcdef", s[i]) || !s[i])
				return 0;
		return 1;
	}
	return sk_port_ephemeral(r->lport);
}

/* One evaluation: as the kernel runs the bytecode (kernel) or as iproute2's
 * own evaluator does. Autobound is the one thing the kernel knows better
 * (whether bind() chose the port): both use the ephemeral range here. */
static int eval(const struct sk_filter *f, const struct sock_rec *r, int kernel)
{
	/* and/or chains grow to the left: walk them without recursion */
	while (f) {
		switch (f->type) {
		case N_AND:
			if (!eval(f->b, r, kernel))
				return 0;
			f = f->a;
			continue;
		case N_OR:
			if (eval(f->b, r, kernel))
				return 1;
			f = f->a;
			continue;
		case N_NOT:
			return !eval(f->a, r, kernel);
		case N_HOST:
			return host_match(f, r, kernel);
		case N_PORT_GE:
			return (long long)port_of(r, f->dst) >= port_value(f, kernel);
		case N_PORT_LE:
			return (long long)port_of(r, f->dst) <= port_value(f, kernel);
		case N_AUTO:
			return autobound(r);
		case N_DEV:
			return r->ifindex == f->value;
		case N_MARK:
			return (r->mark & f->mask) == f->value;
		case N_CGROUP:
			return r->cgroup_id == f->id;
		}
	}
	return 1;
}

/* iproute2 shows an inet socket when the kernel's bytecode passed it and
 * then its own evaluator does too; the two disagree on /0 prefixes,
 * families and out-of-range ports, so both are run. */
int sk_filter_match(const struct sk_filter *f, const struct sock_rec *r)
{
	if (!eval(f, r, 0))
		return 0;
	return (r->family != AF_INET && r->family != AF_INET6) || eval(f, r, 1);
}

/* --- kernel bytecode ------------------------------------------------------ */

struct bc {
	unsigned char *buf;
	size_t size, len;
};

static int emit(struct bc *b, const void *p, size_t n)
{
	if (b->len + n > b->size)
		return -1;
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	return 0;
}

static int emit_op(struct bc *b, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { code, yes, no };

	return emit(b, &op, sizeof(op));
}

/* A sub-program's rejecting jumps point just past its end + 4; when more
 * code follows, they must point past that too. */
static void relocate(unsigned char *prog, int len, int reloc)
{
	while (len > 0) {
		struct inet_diag_bc_op *op = (void *)prog;
		if (op->no == len + 4)
			op->no += reloc;
		len -= op->yes;
		prog += op->yes;
	}
}

static int compile(const struct sk_filter *n, struct bc *b);

static int compile_hostcond(const struct sk_filter *n, const struct addr *a, struct bc *b)
{
	int fam = a ? a->family : AF_UNSPEC;
	int alen = fam == AF_INET ? 4 : fam == AF_INET6 ? 16 : 0;
	int len = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + alen;
	struct inet_diag_hostcond hc = {
		.family = fam,
		.prefix_len = alen ? a->bits : 0,
		.port = n->port,
	};

	if (emit_op(b, n->dst ? INET_DIAG_BC_D_COND : INET_DIAG_BC_S_COND, len, len + 4) ||
	    emit(b, &hc, sizeof(hc)) || emit(b, a ? a->bytes : NULL, alen))
		return -1;
	return 0;
}

/* Every address of a host, or'ed as iproute2 intends (it repeats the
 * first address instead). */
static int compile_host(const struct sk_filter *n, int i, struct bc *b)
{
	if (n->host_family != AF_UNSPEC && n->host_family != AF_INET &&
	    n->host_family != AF_INET6)
		return -1;
	if (i >= n->n_addrs - 1)
		return compile_hostcond(n, n->n_addrs ? &n->addrs[i] : NULL, b);
	if (compile_hostcond(n, &n->addrs[i], b))
		return -1;
	size_t jmp = b->len;
	if (emit_op(b, INET_DIAG_BC_JMP, 4, 0) || compile_host(n, i + 1, b))
		return -1;
	((struct inet_diag_bc_op *)(b->buf + jmp))->no = b->len - jmp;
	return 0;
}

static int compile(const struct sk_filter *n, struct bc *b)
{
	size_t start = b->len, mid;
	uint32_t u32;

	switch (n->type) {
	case N_AND:
		if (compile(n->a, b))
			return -1;
		mid = b->len;
		if (compile(n->b, b))
			return -1;
		relocate(b->buf + start, mid - start, b->len - mid);
		return 0;
	case N_OR:
		if (compile(n->a, b))
			return -1;
		mid = b->len;
		if (emit_op(b, INET_DIAG_BC_JMP, 4, 0) || compile(n->b, b))
			return -1;
		((struct inet_diag_bc_op *)(b->buf + mid))->no = b->len - mid;
		return 0;
	case N_NOT:
		return compile(n->a, b) || emit_op(b, INET_DIAG_BC_JMP, 4, 8);
	case N_HOST:
		return compile_host(n, 0, b);
	case N_PORT_GE:
	case N_PORT_LE: {
		static const uint8_t codes[2][2] = {
			{ INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE },
			{ INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE },
		};
		return emit_op(b, codes[n->dst][n->type == N_PORT_LE], 8, 12) ||
		       emit_op(b, 0, 0, n->value);
	}
	case N_AUTO:
		return emit_op(b, INET_DIAG_BC_AUTO, 4, 8);
	case N_DEV:
		u32 = n->value;
		return emit_op(b, INET_DIAG_BC_DEV_COND, 8, 12) || emit(b, &u32, 4);
	case N_MARK: {
		struct inet_diag_markcond mc = { n->value, n->mask };
		return emit_op(b, INET_DIAG_BC_MARK_COND, 4 + sizeof(mc), 8 + sizeof(mc)) ||
		       emit(b, &mc, sizeof(mc));
	}
	case N_CGROUP:
		return emit_op(b, INET_DIAG_BC_CGROUP_COND, 12, 16) || emit(b, &n->id, 8);
	}
	return -1;
}

int sk_filter_bytecode(const struct sk_filter *f, int family, unsigned table,
		       void *buf, size_t size)
{
	struct bc b = { buf, size, 0 };

	if (!f || getenv("SOCKBOX_NO_BYTECODE"))
		return 0;
	if (compile(f, &b))
		b.len = 0;	/* not expressible: the evaluator alone filters */
	if (getenv("SOCKBOX_FILTER_DUMP"))
		sb_eprintf("bytecode %s %s %zu bytes\n", family == AF_INET ? "inet" :
			   family == AF_INET6 ? "inet6" : "inet+inet6",
			sk_table_name(table), b.len);
	return b.len;
}

/* --- debugging --------------------------------------------------------------- */

static void dump(const struct sk_filter *n, int depth)
{
	static const char *const names[] = {
		"and", "or", "not", "host", "port>=", "port<=", "autobound", "dev", "mark", "cgroup",
	};
	char line[256], a[FMT_IP6_MAX];
	int k = sb_snprintf(line, sizeof(line), "%*s%s", depth * 2, "", names[n->type]);

	if (n->type == N_HOST || n->type == N_PORT_GE || n->type == N_PORT_LE)
		k += sb_snprintf(line + k, sizeof(line) - k, " %s", n->dst ? "dst" : "src");
	if (n->type == N_HOST) {
		if (n->glob)
			k += sb_snprintf(line + k, sizeof(line) - k, " unix:%s", n->glob);
		for (int i = 0; i < n->n_addrs && k < 200; i++) {
			if (n->addrs[i].family == AF_INET)
				fmt_ip4(a, n->addrs[i].bytes);
			else
				fmt_ip6(a, n->addrs[i].bytes);
			k += sb_snprintf(line + k, sizeof(line) - k, " %s/%d", a, n->addrs[i].bits);
		}
		if (n->port != -1)
			k += sb_snprintf(line + k, sizeof(line) - k, " port %d", n->port);
	} else if (n->type != N_AND && n->type != N_OR && n->type != N_NOT && n->type != N_AUTO) {
		k += sb_snprintf(line + k, sizeof(line) - k, " %llu/0x%x",
			      (unsigned long long)(n->type == N_CGROUP ? n->id : n->value), n->mask);
	}
	sb_eprintf("%s\n", line);
	if (n->a)
		dump(n->a, depth + 1);
	if (n->b)
		dump(n->b, depth + 1);
}

void sk_filter_dump(const struct sk_filter *f)
{
	if (f)
		dump(f, 0);
	else
		sb_eprintf("(no filter)\n");
}
