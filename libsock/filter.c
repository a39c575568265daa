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
#include <fnmatch.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/filter.h"
#include "libsock/fmt.h"

#define MAX_DEPTH 256		/* nesting of ( and ! */
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
};

struct parser {
	struct tok *toks;
	int n, pos;
	const char *text;	/* the whole expression, for messages */
	struct sk_filter_ctx *ctx;
	int status;		/* 0 while all is well */
	const char *sticky;	/* last keyword that takes a value */
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
	n = snprintf(what, sizeof(what), fmt, arg);
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
	struct tok *nt = realloc(p->toks, (p->n + 1) * sizeof(*nt));
	char *c = strndup(s, len);

	if (!nt || !c) {
		free(c);
		if (nt)
			p->toks = nt;
		return -1;
	}
	p->toks = nt;
	p->toks[p->n].s = c;
	p->toks[p->n].col = col;
	p->n++;
	return 0;
}

static int is_opchar(char c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|';
}

/* Split one blank-separated word into tokens: leading '(' and '!', an
 * operator glued after a keyword ("sport>=:22"), trailing ')'. */
static int split_word(struct parser *p, const char *w, size_t len, int col)
{
	while (len) {
		if (*w == '(' || (*w == '!' && (len == 1 || w[1] != '='))) {
			if (add_tok(p, w, 1, col))
				return -1;
			w++, len--, col++;
			continue;
		}
		size_t close = 0;
		while (close < len && w[len - 1 - close] == ')')
			close++;
		size_t body = len - close, k = 0;
		if (body && is_opchar(*w)) {	/* an operator first */
			while (k < body && is_opchar(w[k]))
				k++;
		} else {			/* a keyword glued to an operator? */
			while (k < body && !is_opchar(w[k]))
				k++;
			if (k < body) {
				char kw[16];
				if (k >= sizeof(kw) || (memcpy(kw, w, k), kw[k] = 0, !is_keyword(kw)))
					k = body;
			}
		}
		if (k && add_tok(p, w, k, col))
			return -1;
		w += k, len -= k, col += k;
		if (len == close) {
			while (close--) {
				if (add_tok(p, ")", 1, col))
					return -1;
				w++, len--, col++;
			}
		}
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
		a->family = family == AF_INET6 ? AF_INET6 : AF_INET;
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
	struct addrinfo hints = { .ai_family = family == AF_INET || family == AF_INET6 ?
					       family : AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;

	if (!IS_ENABLED(CONFIG_RESOLVE) || getaddrinfo(name, NULL, &hints, &res))
		return -1;
	for (ai = res; ai && n->n_addrs < MAX_ADDRS; ai = ai->ai_next) {
		struct addr a = { 0 };
		if (ai->ai_family == AF_INET) {
			a.family = AF_INET;
			a.bits = 32;
			memcpy(a.bytes, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			a.family = AF_INET6;
			a.bits = 128;
			memcpy(a.bytes, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		int dup = 0;
		for (int i = 0; i < n->n_addrs; i++)
			dup |= !memcmp(&n->addrs[i], &a, sizeof(a));
		if (!dup)
			n->addrs[n->n_addrs++] = a;
	}
	freeaddrinfo(res);
	return n->n_addrs ? 0 : -1;
}

static int parse_port(struct parser *p, const char *s, int col, int *port)
{
	unsigned long long v;
	int tcp = -1, udp = -1;

	if (!parse_uint(s, 65535, &v)) {
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
		if (*port && strcmp(port, "*") && parse_port(p, port, col, &n->port)) {
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

	if (!n)
		fail(p, 1, 0, "out of memory%s", "");
	else
		n->type = t;
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

	snprintf(ctx, sizeof(ctx), "%s%s%s", kw, op ? " " : "", op ? op : "");
	if (!t || is_keyword(t->s) || relop(t->s)) {
		char msg[128];
		snprintf(msg, sizeof(msg), "expected %s after '%%s'", what);
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

static struct sk_filter *parse_list(struct parser *p, int depth);

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
		int port;
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
		const char *s = v->s;
		if (*s == ':')
			s++;
		if (parse_port(p, s, v->col, &port))
			return NULL;
		n->value = port;
		return strlen(op) == 1 ? negate(p, n) : n;
	}
	if (op && strcmp(op, "=") && strcmp(op, "!="))
		return fail(p, 255, kw->col, "'%s' takes only = or !=", k), NULL;
	if (!strcmp(k, "dev")) {
		unsigned long long idx;
		if (!(v = value(p, k, op, "a device")) || !(n = node(p, N_DEV)))
			return NULL;
		if (parse_uint(v->s, UINT32_MAX, &idx))
			idx = if_nametoindex(v->s);
		if (!idx)
			return fail(p, 1, v->col, "cannot find device '%s'", tokname(v->s)), NULL;
		n->value = idx;
	} else if (!strcmp(k, "fwmark") || !strcmp(k, "mark")) {
		unsigned long long mark, mask = UINT32_MAX;
		char buf[64], *slash;
		if (!(v = value(p, k, op, "a mark")) || !(n = node(p, N_MARK)))
			return NULL;
		snprintf(buf, sizeof(buf), "%s", v->s);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = 0;
		if (strlen(v->s) >= sizeof(buf) || parse_uint(buf, UINT32_MAX, &mark) ||
		    (slash && parse_uint(slash, UINT32_MAX, &mask)))
			return fail(p, 1, v->col, "'%s' is not a MARK[/MASK]", tokname(v->s)), NULL;
		n->value = mark;
		n->mask = mask;
	} else {	/* cgroup */
		if (!(v = value(p, k, op, "a cgroup path")) || !(n = node(p, N_CGROUP)))
			return NULL;
		n->id = sk_cgroup_id(v->s);
		if (!n->id)
			return fail(p, 1, v->col, "cannot find cgroup '%s'", tokname(v->s)), NULL;
	}
	return op && !strcmp(op, "!=") ? negate(p, n) : n;
}

static struct sk_filter *parse_expr(struct parser *p, int depth)
{
	struct tok *t = peek(p);

	if (depth > MAX_DEPTH)
		return fail(p, 255, t ? t->col : 0, "nested more than %s deep", "256"), NULL;
	if (!t)
		return fail(p, 255, end_col(p), "expected an expression%s", ""), NULL;
	if (!strcmp(t->s, "(")) {
		char open_col[16];
		snprintf(open_col, sizeof(open_col), "%d", t->col);
		p->pos++;
		struct sk_filter *n = parse_list(p, depth + 1);
		if (!n)
			return NULL;
		if (!at(p, ")"))
			return fail(p, 255, peek(p) ? peek(p)->col : end_col(p),
				    "expected ')' to close the '(' of column %s", open_col), NULL;
		p->pos++;
		return n;
	}
	if (!strcmp(t->s, "!") || !strcmp(t->s, "not")) {
		p->pos++;
		struct sk_filter *x = parse_expr(p, depth + 1);
		return x ? negate(p, x) : NULL;
	}
	if (is_keyword(t->s) && strcmp(t->s, ")") && strcmp(t->s, "and") &&
	    strcmp(t->s, "&") && strcmp(t->s, "&&") && strcmp(t->s, "or") &&
	    strcmp(t->s, "|") && strcmp(t->s, "||"))
		return parse_cond(p);
	/* A bare value: iproute2 reads it as the last keyword's kind, so a
	 * bad one is a value error and a good one a grammar error. */
	if (p->sticky && !is_keyword(t->s) && !relop(t->s)) {
		if (!strcmp(p->sticky, "sport") || !strcmp(p->sticky, "dport")) {
			int port;
			const char *s = t->s[0] == ':' ? t->s + 1 : t->s;
			if (parse_port(p, s, t->col, &port))
				return NULL;
		}
	}
	return fail(p, 255, t->col, "unexpected '%s'", tokname(t->s)), NULL;
}

static struct sk_filter *parse_list(struct parser *p, int depth)
{
	struct sk_filter *left = parse_expr(p, depth);

	while (left) {
		struct tok *t = peek(p);
		enum ntype op = N_AND;

		if (!t || !strcmp(t->s, ")"))
			return left;
		if (!strcmp(t->s, "or") || !strcmp(t->s, "|") || !strcmp(t->s, "||"))
			op = N_OR, p->pos++;
		else if (!strcmp(t->s, "and") || !strcmp(t->s, "&") || !strcmp(t->s, "&&"))
			p->pos++;
		struct sk_filter *right = parse_expr(p, depth);
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
		f = parse_list(&p, 0);
		if (f && p.pos < p.n)	/* a ')' without its '(' */
			fail(&p, 255, p.toks[p.pos].col, "unexpected '%s'", ")");
	}
	for (int i = 0; i < p.n; i++)
		free(p.toks[i].s);
	free(p.toks);
	free(text);
	*status = p.status;
	/* A failed parse leaks its partial tree: the caller exits. */
	return p.status ? NULL : f;
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

/* An IPv4 pattern also matches an IPv6 socket's v4-mapped address. */
static int addr_match(const struct sock_rec *r, const uint8_t *sa, const struct addr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (bits_match(sa, a->bytes, a->bits))
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

static int host_match(const struct sk_filter *n, const struct sock_rec *r)
{
	int inet = r->family == AF_INET || r->family == AF_INET6;

	if (n->host_family == AF_UNIX) {
		char buf[128];
		if (r->family != AF_UNIX)
			return 0;
		/* the peer's name is not known from a dump */
		return !fnmatch(n->glob, n->dst ? "" : unix_name(r, buf, sizeof(buf)),
				FNM_CASEFOLD);
	}
	if (n->host_family != AF_UNSPEC && n->host_family != AF_INET &&
	    n->host_family != AF_INET6)
		return 0;
	if (n->port != -1 && (unsigned)n->port != port_of(r, n->dst))
		return 0;
	if (!n->n_addrs || !n->addrs[0].bits)
		return 1;
	if (!inet)
		return 0;
	for (int i = 0; i < n->n_addrs; i++)
		if (addr_match(r, n->dst ? r->raddr : r->laddr, &n->addrs[i]))
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

int sk_filter_match(const struct sk_filter *f, const struct sock_rec *r)
{
	/* and/or chains grow to the left: walk them without recursion */
	while (f) {
		switch (f->type) {
		case N_AND:
			if (!sk_filter_match(f->b, r))
				return 0;
			f = f->a;
			continue;
		case N_OR:
			if (sk_filter_match(f->b, r))
				return 1;
			f = f->a;
			continue;
		case N_NOT:
			return !sk_filter_match(f->a, r);
		case N_HOST:
			return host_match(f, r);
		case N_PORT_GE:
			return port_of(r, f->dst) >= f->value;
		case N_PORT_LE:
			return port_of(r, f->dst) <= f->value;
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

/* --- kernel bytecode ------------------------------------------------------ */

struct bc {
	unsigned char *buf;
	size_t size, len;
};

static int emit(struct bc *b, const void *p, size_t n)
{
	if (b->len + n > b->size)
		return -1;
	if (n)	/* an op without payload passes p NULL */
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
	int alen = !a || !a->bits ? 0 : a->family == AF_INET ? 4 : 16;
	int len = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + alen;
	struct inet_diag_hostcond hc = {
		.family = alen ? a->family : AF_UNSPEC,
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
	size_t start = b->len;

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
	(void)start;
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
		return 0;	/* not expressible: the evaluator alone filters */
	return b.len;
}

/* --- debugging --------------------------------------------------------------- */

static void dump(const struct sk_filter *n, int depth)
{
	static const char *const names[] = {
		"and", "or", "not", "host", "port>=", "port<=", "autobound", "dev", "mark", "cgroup",
	};
	char line[256], a[FMT_IP6_MAX];
	int k = snprintf(line, sizeof(line), "%*s%s", depth * 2, "", names[n->type]);

	if (n->type == N_HOST || n->type == N_PORT_GE || n->type == N_PORT_LE)
		k += snprintf(line + k, sizeof(line) - k, " %s", n->dst ? "dst" : "src");
	if (n->type == N_HOST) {
		if (n->glob)
			k += snprintf(line + k, sizeof(line) - k, " unix:%s", n->glob);
		for (int i = 0; i < n->n_addrs && k < 200; i++) {
			if (n->addrs[i].family == AF_INET)
				fmt_ip4(a, n->addrs[i].bytes);
			else
				fmt_ip6(a, n->addrs[i].bytes);
			k += snprintf(line + k, sizeof(line) - k, " %s/%d", a, n->addrs[i].bits);
		}
		if (n->port != -1)
			k += snprintf(line + k, sizeof(line) - k, " port %d", n->port);
	} else if (n->type != N_AND && n->type != N_OR && n->type != N_NOT && n->type != N_AUTO) {
		k += snprintf(line + k, sizeof(line) - k, " %llu/0x%x",
			      (unsigned long long)(n->type == N_CGROUP ? n->id : n->value), n->mask);
	}
	fprintf(stderr, "%s\n", line);
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
		fprintf(stderr, "(no filter)\n");
}
