/* /proc/net text fallbacks, for kernels without a diag module (rescue and
 * embedded kernels, gVisor) and when $PROC_ROOT or a $PROC_NET_* variable
 * asks for them (iproute2 honours the same variables).
 *
 * Files are read in large blocks and split into lines by hand; every field
 * is bounds-checked. What a line does not say stays zero, as iproute2's
 * sscanf leaves it; a line that cannot be split at all ends the file, as
 * in iproute2. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "family.h"

#define LINE_MAX_PROC 256	/* iproute2 reads 255-byte lines; longer is an error */

struct proc_file {
	int fd;
	unsigned lineno;
	char path[256];
	char buf[64 * 1024];
	size_t start, end;
	int eof;
};

/* Opens $ENV if set, else $PROC_ROOT/REL. */
static int proc_open(struct proc_file *pf, const char *env, const char *rel)
{
	char path[512];
	const char *p = getenv(env);

	if (!p)
		p = sk_proc_path(path, sizeof(path), rel);
	pf->fd = open(p, O_RDONLY | O_CLOEXEC);
	strncpy(pf->path, p, sizeof(pf->path) - 1);
	pf->lineno = 0;
	pf->start = pf->end = 0;
	pf->eof = 0;
	return pf->fd < 0 ? -errno : 0;
}

/* Next line without its newline; NULL at the end. A line longer than
 * iproute2's buffer, or one without a newline, is reported as *bad. */
static char *proc_line(struct proc_file *pf, int *bad)
{
	for (;;) {
		char *nl = memchr(pf->buf + pf->start, '\n', pf->end - pf->start);
		if (nl) {
			char *line = pf->buf + pf->start;
			*nl = 0;
			pf->start = nl + 1 - pf->buf;
			*bad = nl - line >= LINE_MAX_PROC - 1;
			pf->lineno++;
			return line;
		}
		if (pf->eof) {
			*bad = pf->end > pf->start;
			pf->lineno++;
			return NULL;
		}
		memmove(pf->buf, pf->buf + pf->start, pf->end - pf->start);
		pf->end -= pf->start;
		pf->start = 0;
		if (pf->end == sizeof(pf->buf) - 1) {	/* a monstrous line */
			*bad = 1;
			return NULL;
		}
		ssize_t n = read(pf->fd, pf->buf + pf->end, sizeof(pf->buf) - 1 - pf->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			pf->eof = 1;
		else
			pf->end += n;
	}
}

/* A line iproute2 would refuse ends the table: say so, once. */
static int proc_bad(const struct proc_file *pf)
{
	sb_warn("%s: line %u is longer than %d bytes or unterminated; skipping the rest",
		pf->path, pf->lineno, LINE_MAX_PROC - 1);
	return -E2BIG;
}

/* Up to max hex digits at *s; stops at the first non-digit. */
static uint64_t hex(const char **s, int max)
{
	uint64_t v = 0;

	for (; max-- > 0; (*s)++) {
		unsigned c = (unsigned char)**s, d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 32) >= 'a' && (c | 32) <= 'f')
			d = (c | 32) - 'a' + 10;
		else
			break;
		v = v << 4 | d;
	}
	return v;
}

static uint64_t dec(const char **s)
{
	uint64_t v = 0;

	while (**s >= '0' && **s <= '9' && v < UINT64_MAX / 10)
		v = v * 10 + (*(*s)++ - '0');
	return v;
}

static void skip_blanks(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

/* A scanf-style integer: blanks, a sign, every digit of base 10 or 16;
 * saturates like strtol. *ok is cleared when no digit is found, which
 * ends a scanf conversion list. */
static int64_t scan_num(const char **s, int base, int *ok)
{
	uint64_t v = 0;
	int neg = 0, digits = 0;

	skip_blanks(s);
	if (!*ok)
		return 0;
	if (**s == '-' || **s == '+')
		neg = *(*s)++ == '-';
	for (;; (*s)++, digits++) {
		unsigned c = (unsigned char)**s, d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && (c | 32) >= 'a' && (c | 32) <= 'f')
			d = (c | 32) - 'a' + 10;
		else
			break;
		v = v > (UINT64_MAX >> 1) / base ? UINT64_MAX >> 1 : v * base + d;
	}
	if (!digits)
		*ok = 0;
	return neg ? -(int64_t)v : (int64_t)v;
}

/* "HEXADDR:PORT": IPv4 one u32, IPv6 four, each as the kernel printed it
 * (the address's bytes in host order), i.e. copied back as stored. */
static int addr_port(const char **s, int family, uint8_t *addr, uint16_t *port)
{
	int words = family == AF_INET ? 1 : 4;

	for (int i = 0; i < words; i++) {
		uint32_t w = hex(s, 8);
		memcpy(addr + 4 * i, &w, 4);
	}
	if (**s != ':')
		return -1;
	(*s)++;
	*port = hex(s, 4);
	return 0;
}

static unsigned user_hz(void)
{
	const char *e = getenv("HZ");
	long hz = e ? (long)sb_strtou(e, NULL) : (long)getauxval(AT_CLKTCK);	/* sysconf's answer */

	return hz > 0 ? hz : 100;
}

/* One line of /proc/net/{tcp,udp,raw}{,6}: 0 (skip or delivered), 1 to end
 * the file (iproute2 stops at a line it cannot split), else the callback's
 * value. */
static int inet_line(const struct sock_query *q, unsigned table, int family,
		     const char *s, sock_cb cb, void *arg)
{
	struct sock_rec rec;
	uint64_t v;

	memset(&rec, 0, sizeof(rec));
	s = strchr(s, ':');	/* past "sl:" */
	if (!s)
		return 1;
	s++;
	skip_blanks(&s);
	if (addr_port(&s, family, rec.laddr, &rec.lport))
		return 1;
	skip_blanks(&s);
	if (addr_port(&s, family, rec.raddr, &rec.rport))
		return 1;
	skip_blanks(&s);
	v = hex(&s, 2);
	rec.state = v < SK_STATE_MAX ? v : SK_UNKNOWN;
	if (!(q->states & SK_ST_BIT(rec.state)))
		return 0;

	rec.table = table;
	rec.family = family;
	rec.source = SKS_PROC;
	rec.type = table == SKT_TCP ? SOCK_STREAM : table == SKT_UDP ? SOCK_DGRAM : SOCK_RAW;
	rec.protocol = table == SKT_RAW ? rec.lport : table == SKT_TCP ? 6 : 17;
	skip_blanks(&s);
	rec.wqueue = hex(&s, 8);
	if (*s == ':')
		s++;
	rec.rqueue = hex(&s, 8);
	skip_blanks(&s);
	rec.timer = hex(&s, 2);
	if (*s == ':')
		s++;
	uint64_t when = hex(&s, 16);
	skip_blanks(&s);
	uint64_t retrnsmt = hex(&s, 8);
	skip_blanks(&s);
	rec.uid = dec(&s);
	skip_blanks(&s);
	uint64_t probes = dec(&s);
	skip_blanks(&s);
	rec.ino = dec(&s);
	skip_blanks(&s);
	dec(&s);	/* refcount */
	skip_blanks(&s);
	rec.cookie = hex(&s, 16);	/* the kernel's (hashed) socket address */
	rec.has = SKH_UID | SKH_QUEUES | SKH_COOKIE;
	if (table == SKT_TCP) {
		unsigned hz = user_hz();
		rec.has |= SKH_TIMER;
		rec.expires_ms = (when * 1000 + hz - 1) / hz;
		rec.retrans = rec.timer != 1 ? probes : retrnsmt;
	}
	return sk_deliver(q, &rec, cb, arg);
}

static int read_inet(const struct sock_query *q, unsigned table, int family,
		     const char *env, const char *rel, sock_cb cb, void *arg)
{
	static struct proc_file pf;
	char *line;
	int bad, rc = 0;

	rc = proc_open(&pf, env, rel);
	if (rc)
		return rc;
	proc_line(&pf, &bad);	/* the header */
	while ((line = proc_line(&pf, &bad)) && !bad) {
		rc = inet_line(q, table, family, line, cb, arg);
		if (rc) {
			rc = rc == 1 ? 0 : rc;
			break;
		}
	}
	if (bad && !rc)
		rc = proc_bad(&pf);
	close(pf.fd);
	return rc;
}

int procnet_inet_dump(const struct sock_query *q, uint32_t tables,
		      sock_cb cb, void *arg)
{
	static const struct {
		unsigned table;
		const char *env4, *rel4, *env6, *rel6;
	} files[] = {
		{ SKT_RAW, "PROC_NET_RAW", "net/raw", "PROC_NET_RAW6", "net/raw6" },
		{ SKT_UDP, "PROC_NET_UDP", "net/udp", "PROC_NET_UDP6", "net/udp6" },
		{ SKT_TCP, "PROC_NET_TCP", "net/tcp", "PROC_NET_TCP6", "net/tcp6" },
	};
	uint8_t fams = q->proc_families ? q->proc_families : q->families;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int rc = 0;

		if (!(tables & SKT_BIT(files[i].table)))
			continue;
		if (fams & SKQ_V4)
			rc = read_inet(q, files[i].table, AF_INET, files[i].env4,
				       files[i].rel4, cb, arg);
		/* as in iproute2, an IPv4 file that cannot be read (or has a
		 * bad line) ends the table, IPv6 included, quietly */
		if (rc)
			return rc > 0 ? rc : 0;
		if (IS_ENABLED(CONFIG_IPV6) && (fams & SKQ_V6)) {
			rc = read_inet(q, files[i].table, AF_INET6, files[i].env6,
				       files[i].rel6, cb, arg);
			if (rc > 0)
				return rc;
		}
	}
	return 0;
}

/* /proc/net/unix is printed sorted by type, then inode, as iproute2 does,
 * in batches so memory stays bounded. */
struct unix_ent {
	uint32_t ino;
	uint8_t type, state;
	uint16_t name_len;
	uint32_t name_off;
};

#define UNIX_BATCH 8192

static int unix_ent_cmp(const void *a, const void *b)
{
	const struct unix_ent *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int unix_flush(const struct sock_query *q, struct unix_ent *ents, size_t n,
		      const char *names, sock_cb cb, void *arg)
{
	sb_sort(ents, n, sizeof(*ents), unix_ent_cmp);
	for (size_t i = 0; i < n; i++) {
		struct sock_rec rec;
		int rc;

		memset(&rec, 0, sizeof(rec));
		rec.family = AF_UNIX;
		rec.source = SKS_PROC;
		rec.type = ents[i].type;
		rec.table = rec.type == SOCK_STREAM ? SKT_UNIX_STREAM :
			    rec.type == SOCK_SEQPACKET ? SKT_UNIX_SEQPACKET : SKT_UNIX_DGRAM;
		rec.state = ents[i].state;
		rec.ino = ents[i].ino;
		rec.has = SKH_QUEUES | SKH_PEER;
		if (ents[i].name_len) {
			rec.un.name = names + ents[i].name_off;
			rec.un.name_len = ents[i].name_len;
		}
		rc = sk_deliver(q, &rec, cb, arg);
		if (rc)
			return rc;
	}
	return 0;
}

int procnet_unix_dump(const struct sock_query *q, uint32_t tables,
		      sock_cb cb, void *arg)
{
	static const uint8_t state_map[] = { SK_CLOSE, SK_SYN_SENT, SK_ESTABLISHED, SK_CLOSING };
	static struct proc_file pf;
	struct unix_ent *ents = malloc(UNIX_BATCH * sizeof(*ents));
	char *names = malloc(UNIX_BATCH * 108);
	size_t n = 0, names_len = 0;
	int64_t flags = 0;
	char *line;
	int bad, rc;

	if (!ents || !names) {
		free(ents);
		free(names);
		return -ENOMEM;
	}
	rc = proc_open(&pf, "PROC_NET_UNIX", "net/unix");
	if (rc)
		goto out;
	proc_line(&pf, &bad);	/* header */
	while ((line = proc_line(&pf, &bad)) && !bad) {
		/* "%x: %x %x %x %x %x %d %s" as iproute2 reads it: a short line
		 * keeps zeros, and the flags of the line before */
		const char *s = line;
		struct unix_ent e = { 0 };
		int64_t v[7] = { 0 };
		int ok = 1, got = 0;

		/* Early in boot the kernel prints "(____ptrval____)" for Num,
		 * which stops iproute2's scanf (an empty row); it is only the
		 * peer hint, so read on as if it were 0. */
		if (*s == '(' && strchr(s, ':')) {
			s = strchr(s, ':') + 1;
			got = 1;
		}
		for (int i = got; i < 7 && ok; i++) {
			int64_t x = scan_num(&s, i < 6 ? 16 : 10, &ok);
			if (ok)
				v[got++] = x;
			if (ok && i == 0 && *s++ != ':')
				ok = 0;
		}
		if (got > 3)
			flags = v[3];
		e.type = v[4];
		e.ino = v[6];
		if (flags & (1u << 16)) {	/* __SO_ACCEPTCON */
			e.state = SK_LISTEN;
		} else if (v[5] >= 1 && v[5] <= (int64_t)ARRAY_SIZE(state_map)) {
			e.state = state_map[v[5] - 1];
			/* iproute2 takes the kernel address in "Num" for a peer */
			if (e.type == SOCK_DGRAM && e.state == SK_CLOSE && (uint32_t)v[0])
				e.state = SK_ESTABLISHED;
		} else {
			e.state = (uint64_t)v[5] < SK_STATE_MAX ? v[5] : SK_UNKNOWN;
		}
		/* unknown types are listed as datagram sockets, whatever -A says */
		unsigned table = e.type == SOCK_STREAM ? SKT_UNIX_STREAM :
				 e.type == SOCK_SEQPACKET ? SKT_UNIX_SEQPACKET :
				 e.type == SOCK_DGRAM ? SKT_UNIX_DGRAM : SKT_MAX;
		if ((table != SKT_MAX && !(tables & SKT_BIT(table))) ||
		    !(q->states & SK_ST_BIT(e.state)))
			continue;
		if (!ok)
			s = "";
		skip_blanks(&s);
		/* the name is one word, as iproute2's %s reads it */
		size_t len = strcspn(s, " \t");
		if (len > 107)
			len = 107;
		e.name_off = names_len;
		e.name_len = len;
		memcpy(names + names_len, s, len);
		names_len += len;
		ents[n++] = e;
		if (n == UNIX_BATCH) {
			rc = unix_flush(q, ents, n, names, cb, arg);
			n = names_len = 0;
			if (rc)
				goto out_close;
		}
	}
	if (bad)
		proc_bad(&pf);
	rc = unix_flush(q, ents, n, names, cb, arg);
out_close:
	close(pf.fd);
out:
	free(ents);
	free(names);
	return rc;
}

int sk_proc_unix_each(int (*cb)(const struct sk_unix_line *, void *), void *arg)
{
	static struct proc_file pf;
	char *line;
	int bad, rc = proc_open(&pf, "PROC_NET_UNIX", "net/unix");

	if (rc)
		return rc;
	proc_line(&pf, &bad);	/* header */
	while (!rc && (line = proc_line(&pf, &bad)) && !bad) {
		const char *s = strchr(line, ':');
		struct sk_unix_line u;

		if (!s)
			continue;
		s++;
		skip_blanks(&s);
		u.refcnt = hex(&s, 8);
		skip_blanks(&s);
		u.proto = hex(&s, 8);
		skip_blanks(&s);
		u.flags = hex(&s, 8);
		skip_blanks(&s);
		u.type = hex(&s, 4);
		skip_blanks(&s);
		u.state = hex(&s, 2);
		skip_blanks(&s);
		u.ino = dec(&s);
		if (*s == ' ')
			s++;
		u.path = s;	/* the rest of the line, spaces included */
		u.path_len = strlen(s);
		rc = cb(&u, arg);
	}
	close(pf.fd);
	return rc;
}

/* Lines read as iproute2's scanf lists read them: one number per field
 * in bases[i] (16 or 10). As with its variables, fields a short line
 * lacks keep the previous line's values. */
static int proc_scan(const struct sock_query *q, const char *env, const char *rel,
		     const char *bases, void (*fill)(struct sock_rec *, const int64_t *),
		     sock_cb cb, void *arg)
{
	static struct proc_file pf;
	int64_t v[9] = { 0 };
	char *line;
	int bad, rc;

	if (!(q->states & SK_ST_BIT(SK_CLOSE)))
		return 0;
	rc = proc_open(&pf, env, rel);
	if (rc)
		return rc;
	proc_line(&pf, &bad);	/* header */
	while (!rc && (line = proc_line(&pf, &bad)) && !bad) {
		const char *s = line;
		struct sock_rec rec;
		int ok = 1;

		for (int i = 0; bases[i] && ok; i++) {
			int64_t n = scan_num(&s, bases[i], &ok);
			if (ok)
				v[i] = n;
		}
		memset(&rec, 0, sizeof(rec));
		rec.state = SK_CLOSE;
		rec.source = SKS_PROC;
		rec.has = SKH_QUEUES | SKH_PROTOCOL;
		fill(&rec, v);
		rc = sk_deliver(q, &rec, cb, arg);
	}
	if (bad && !rc)
		proc_bad(&pf);
	close(pf.fd);
	return rc;
}

/* "sk RefCnt Type Proto Iface R Rmem User Inode"; the type does not
 * select a table, as in iproute2. */
static void packet_fill(struct sock_rec *r, const int64_t *v)
{
	r->type = v[2];
	r->table = r->type == SOCK_RAW ? SKT_PACKET_RAW : SKT_PACKET_DGRAM;
	r->family = AF_PACKET;
	r->protocol = v[3];
	r->ifindex = v[4];
	r->rqueue = v[6];
	r->uid = v[7];
	r->ino = v[8];
	r->has |= SKH_UID;
}

int procnet_packet_dump(const struct sock_query *q, uint32_t tables,
			sock_cb cb, void *arg)
{
	(void)tables;
	return proc_scan(q, "PROC_NET_PACKET", "net/packet", "\20\12\12\20\12\12\12\12\12",
			 packet_fill, cb, arg);
}

/* "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode" */
static void netlink_fill(struct sock_rec *r, const int64_t *v)
{
	r->table = SKT_NETLINK;
	r->family = AF_NETLINK;
	r->protocol = r->nl.protocol = v[1];
	r->nl.portid = v[2];
	r->nl.groups = v[3];
	r->rqueue = v[4];
	r->wqueue = v[5];
	r->nl.sk = v[0];
	r->nl.cb = v[6];
}

int procnet_netlink_dump(const struct sock_query *q, uint32_t tables,
			 sock_cb cb, void *arg)
{
	(void)tables;
	return proc_scan(q, "PROC_NET_NETLINK", "net/netlink", "\20\12\12\20\12\12\20",
			 netlink_fill, cb, arg);
}
