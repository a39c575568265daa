/* Raw netlink I/O: no libmnl, no libnl; one recvmsg per datagram into a
 * buffer that lives as long as the socket (or, for a big dump on a machine
 * with a second CPU, into the slots of a receiving thread). */
#include <errno.h>
#include <linux/futex.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/nl.h"

/* Dumps arrive in datagrams of up to about 32 KiB; peek-free receiving
 * needs a buffer at least as large as the largest one. */
#define NL_BUFSIZE (64 * 1024)
#define NL_RCVBUF (1024 * 1024)

int sk_raw_dump_fd = -1, sk_raw_dump_err;

/* ss -D: the datagram as received, whole; the first error stops it. */
static void raw_dump(const void *buf, size_t n)
{
	while (n && !sk_raw_dump_err) {
		ssize_t w = write(sk_raw_dump_fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			sk_raw_dump_err = w < 0 ? errno : EIO;
			return;
		}
		buf = (const char *)buf + w;
		n -= w;
	}
}

int nl_open(struct nl_sock *nl, int protocol)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int rcvbuf = NL_RCVBUF, one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		int err = -errno;
		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	nl->buf = malloc(NL_BUFSIZE);
	if (!nl->buf) {
		close(nl->fd);
		nl->fd = -1;
		return -ENOMEM;
	}
	nl->bufsize = NL_BUFSIZE;
	return 0;
}

void nl_close(struct nl_sock *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->buf);
	nl->fd = -1;
	nl->buf = NULL;
}

int nl_send(struct nl_sock *nl, struct nlmsghdr *req)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	req->nlmsg_seq = ++nl->seq;
	req->nlmsg_pid = 0;
	for (;;) {
		ssize_t n = sendto(nl->fd, req, req->nlmsg_len, 0,
				   (struct sockaddr *)&sa, sizeof(sa));
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int nl_parse_buf(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		 nl_msg_cb cb, void *arg, int *interrupted)
{
	const unsigned char *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)p;
		size_t mlen = h->nlmsg_len, step;

		if (mlen < sizeof(*h) || mlen > len)
			return -EBADMSG;
		step = NLMSG_ALIGN(mlen);
		if (step > len)
			step = len;
		p += step;
		len -= step;
		/* Answers to someone else's request (a stale dump): skip. */
		if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*interrupted = 1;
		if (h->nlmsg_type == NLMSG_DONE) {
			/* A dump the kernel could not start (no diag module for
			 * the protocol) ends at once with -errno as payload. */
			int32_t err;
			if (mlen >= NLMSG_LENGTH(sizeof(err))) {
				memcpy(&err, NLMSG_DATA(h), sizeof(err));
				if (err < 0)
					return err;
			}
			return 1;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (mlen < NLMSG_LENGTH(sizeof(*e)))
				return -EBADMSG;
			if (e->error == 0)	/* an ACK */
				continue;
			return e->error < 0 ? e->error : -e->error;
		}
		if (h->nlmsg_type == NLMSG_NOOP)
			continue;
		int rc = cb(h, arg);
		if (rc)
			return rc;
	}
	return len ? -EBADMSG : 0;	/* a partial header at the end */
}

/* One datagram as received: into buf, n bytes or -errno. */
struct dgram {
	unsigned char *buf;
	ssize_t n;
	int trunc;
	uint32_t from;		/* the sender's port id: 0 is the kernel */
};

static void recv_dgram(int fd, struct dgram *d, size_t size)
{
	struct sockaddr_nl sa = { .nl_pid = 0 };
	struct iovec iov = { d->buf, size };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	while ((n = recvmsg(fd, &msg, 0)) < 0 && errno == EINTR)
		;
	d->n = n < 0 ? -errno : n;
	d->trunc = !!(msg.msg_flags & MSG_TRUNC);
	d->from = sa.nl_pid;
}

/* --- receiving ahead -----------------------------------------------------
 * The kernel spends about as long producing a big dump as we spend
 * formatting it. With a second CPU a thread receives the next datagrams
 * while the caller parses this one, so the dump takes the longer of the
 * two instead of their sum. It starts only once a dump has proved big. */

#define AHEAD_SLOTS 8
#define AHEAD_BATCH 4	/* an idle caller is woken for this many datagrams */
#define AHEAD_AFTER 4	/* datagrams received before the thread starts */

/* The thread fills slots, the caller uses them, in turn; filled and used
 * are running counts. A side that must wait says so and sleeps on the
 * other's count (futex). Waking costs a system call and a switch, so the
 * caller, faster than the kernel, is woken once per batch, and the thread
 * only when it waits for room. (Sequentially consistent atomics: a side's
 * "I wait" and the other's new count must not pass each other.) */
struct ahead {
	const struct nl_sock *nl;
	pthread_t thread;
	unsigned filled, used;
	int caller_waits, thread_waits, stop;
	struct dgram slot[AHEAD_SLOTS];
};

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

static void sleep_while(unsigned *word, unsigned value)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void wake(unsigned *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static int ignore_msg(const struct nlmsghdr *h, void *arg)
{
	(void)h, (void)arg;
	return 0;
}

/* Whether nl_recv_dump stops at this datagram, whatever its callback says:
 * the thread must not wait for a datagram that will never come. */
static int dgram_ends(const struct dgram *d, const struct nl_sock *nl)
{
	int intr;

	return d->n <= 0 || d->trunc ||
	       (d->from == 0 && nl_parse_buf(d->buf, d->n, nl->seq, nl->portid,
					     ignore_msg, NULL, &intr) != 0);
}

/* The thread: 1 when a slot is free, 0 when told to stop. */
static int room(struct ahead *a)
{
	for (;;) {
		if (LOAD(a->stop))
			return 0;
		if (a->filled - LOAD(a->used) < AHEAD_SLOTS)
			return 1;
		STORE(a->thread_waits, 1);
		unsigned used = LOAD(a->used);
		if (a->filled - used == AHEAD_SLOTS && !LOAD(a->stop))
			sleep_while(&a->used, used);
		STORE(a->thread_waits, 0);
	}
}

static void *ahead_run(void *arg)
{
	struct ahead *a = arg;

	while (room(a)) {
		struct dgram *d = &a->slot[a->filled % AHEAD_SLOTS];
		recv_dgram(a->nl->fd, d, a->nl->bufsize);
		int end = dgram_ends(d, a->nl);
		STORE(a->filled, a->filled + 1);
		if (end || (LOAD(a->caller_waits) && a->filled - LOAD(a->used) >= AHEAD_BATCH))
			wake(&a->filled);
		if (end)
			break;
	}
	return NULL;
}

/* Datagrams to receive before starting the thread: none without a second
 * CPU; $SOCKBOX_RECV_AHEAD sets it (tests use 0). */
static unsigned ahead_after(void)
{
	const char *env = getenv("SOCKBOX_RECV_AHEAD");

	if (env)
		return sb_strtou(env, NULL);
	return sb_cpus() > 1 ? AHEAD_AFTER : UINT_MAX;
}

/* NULL (the caller receives alone) if there is no memory or thread. */
static struct ahead *ahead_start(const struct nl_sock *nl)
{
	struct ahead *a = calloc(1, sizeof(*a));
	unsigned char *bufs = malloc(AHEAD_SLOTS * nl->bufsize);
	sigset_t all, old;
	int err;

	if (!a || !bufs)
		goto fail;
	a->nl = nl;
	for (unsigned i = 0; i < AHEAD_SLOTS; i++)
		a->slot[i].buf = bufs + i * nl->bufsize;
	/* signals stay the caller's business */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&a->thread, NULL, ahead_run, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		return a;
fail:
	free(bufs);
	free(a);
	return NULL;
}

static struct dgram *ahead_take(struct ahead *a)
{
	while (LOAD(a->filled) == a->used) {
		STORE(a->caller_waits, 1);
		unsigned filled = LOAD(a->filled);
		if (filled == a->used)
			sleep_while(&a->filled, filled);
		STORE(a->caller_waits, 0);
	}
	return &a->slot[a->used % AHEAD_SLOTS];
}

static void ahead_release(struct ahead *a)
{
	STORE(a->used, a->used + 1);
	if (LOAD(a->thread_waits))
		wake(&a->used);
}

/* The thread may be waiting for room: stop, then change the count it
 * sleeps on. */
static void ahead_stop(struct ahead *a)
{
	STORE(a->stop, 1);
	ahead_release(a);
	pthread_join(a->thread, NULL);
	free(a->slot[0].buf);
	free(a);
}

/* What nl_recv_dump does with one datagram: 1 to go on, else its result. */
static int take_dgram(const struct nl_sock *nl, const struct dgram *d,
		      nl_msg_cb cb, void *arg, int *interrupted)
{
	if (d->n < 0)
		return d->n;
	if (d->n == 0)
		return -ENODATA;
	if (d->trunc)
		return -EMSGSIZE;
	if (d->from != 0)	/* only the kernel may answer */
		return 1;
	if (sk_raw_dump_fd >= 0)
		raw_dump(d->buf, d->n);
	int rc = nl_parse_buf(d->buf, d->n, nl->seq, nl->portid, cb, arg, interrupted);
	return rc == 1 ? 0 : rc ? rc : 1;
}

int nl_recv_dump(struct nl_sock *nl, nl_msg_cb cb, void *arg, int *interrupted)
{
	unsigned after = IS_ENABLED(CONFIG_RECV_AHEAD) ? ahead_after() : 0, received = 0;
	struct ahead *a = NULL;
	struct dgram own = { .buf = nl->buf };
	int rc;

	do {
		struct dgram *d = &own;
		if (IS_ENABLED(CONFIG_RECV_AHEAD) && received++ == after)
			a = ahead_start(nl);
		if (a)
			d = ahead_take(a);
		else
			recv_dgram(nl->fd, d, nl->bufsize);
		rc = take_dgram(nl, d, cb, arg, interrupted);
		if (a)
			ahead_release(a);
	} while (rc == 1);
	if (a)
		ahead_stop(a);
	return rc;
}

/* The walk shared by both parsers: fills the slots of the attributes
 * present and returns their types as a mask (types of 64 and up are
 * stored but not in the mask), or -1 in *bad for a malformed buffer. */
static uint64_t attr_walk(const unsigned char *p, size_t len, const void **tb,
			  uint16_t *lens, unsigned max, int *bad)
{
	uint64_t seen = 0;

	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, step;
		unsigned type = a->nla_type & NLA_TYPE_MASK;

		if (alen < sizeof(*a) || alen > len) {
			*bad = -1;
			break;
		}
		if (type <= max) {
			tb[type] = p + NLA_HDRLEN;
			if (lens)
				lens[type] = alen - NLA_HDRLEN;
			if (type < 64)
				seen |= 1ull << type;
		}
		step = NLA_ALIGN(alen);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return seen;
}

int nl_attr_parse(const void *buf, size_t len, const void **tb,
		  uint16_t *lens, unsigned max)
{
	int bad = 0;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (lens)
		memset(lens, 0, (max + 1) * sizeof(*lens));
	attr_walk(buf, len, tb, lens, max, &bad);
	return bad;
}

int nl_attr_parse_again(const void *buf, size_t len, const void **tb,
			uint16_t *lens, unsigned max, uint64_t *seen)
{
	int bad = 0;

	for (uint64_t m = *seen; m; m &= m - 1) {
		unsigned t = __builtin_ctzll(m);
		tb[t] = NULL;
		lens[t] = 0;
	}
	*seen = attr_walk(buf, len, tb, lens, max, &bad);
	return bad;
}
