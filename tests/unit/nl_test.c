/* Unit tests of libsock's netlink parsing, fed with hand-built and
 * hand-broken buffers: `nl_test CASE` exits 0 when CASE holds. The dump
 * cases send their datagrams down a socket pair to nl_recv_dump, which
 * receives them itself or on its second thread ($SOCKBOX_RECV_AHEAD). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libsock/nl.h"

#define SEQ 7
#define PID 1234

static unsigned char buf[4096];
static size_t blen;
static int calls;

static void put_msg(uint16_t type, uint16_t flags, uint32_t seq, const void *payload,
		    size_t plen)
{
	struct nlmsghdr h = { NLMSG_LENGTH(plen), type, flags, seq, PID };

	memcpy(buf + blen, &h, sizeof(h));
	memcpy(buf + blen + NLMSG_HDRLEN, payload, plen);
	blen += NLMSG_ALIGN(h.nlmsg_len);
}

static int count_cb(const struct nlmsghdr *h, void *arg)
{
	calls++;
	return 0;
}

static int stop_cb(const struct nlmsghdr *h, void *arg)
{
	return 42;
}

static int parse(int *intr)
{
	return nl_parse_buf(buf, blen, SEQ, PID, count_cb, NULL, intr);
}

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); return 1; } } while (0)

static int t_two_then_done(void)
{
	int intr = 0;
	put_msg(20, NLM_F_MULTI, SEQ, "abcd", 4);
	put_msg(20, NLM_F_MULTI, SEQ, "efgh", 4);
	put_msg(NLMSG_DONE, NLM_F_MULTI, SEQ, "\0\0\0\0", 4);
	CHECK(parse(&intr) == 1);
	CHECK(calls == 2);
	CHECK(!intr);
	return 0;
}

static int t_more_to_come(void)
{
	int intr = 0;
	put_msg(20, NLM_F_MULTI, SEQ, "abcd", 4);
	CHECK(parse(&intr) == 0);
	CHECK(calls == 1);
	return 0;
}

static int t_len_beyond_buffer(void)
{
	int intr = 0;
	put_msg(20, 0, SEQ, "abcd", 4);
	struct nlmsghdr *h = (void *)buf;
	h->nlmsg_len = 400;
	CHECK(parse(&intr) == -EBADMSG);
	CHECK(calls == 0);
	return 0;
}

static int t_len_below_header(void)
{
	int intr = 0;
	put_msg(20, 0, SEQ, "abcd", 4);
	((struct nlmsghdr *)buf)->nlmsg_len = 8;
	CHECK(parse(&intr) == -EBADMSG);
	return 0;
}

static int t_partial_header(void)
{
	int intr = 0;
	put_msg(20, 0, SEQ, "abcd", 4);
	blen += 6;	/* six stray bytes: less than a header */
	CHECK(parse(&intr) == -EBADMSG);
	CHECK(calls == 1);
	return 0;
}

static int t_error_errno(void)
{
	int intr = 0;
	struct nlmsgerr e = { .error = -EPERM };
	put_msg(NLMSG_ERROR, 0, SEQ, &e, sizeof(e));
	CHECK(parse(&intr) == -EPERM);
	return 0;
}

static int t_error_truncated(void)
{
	int intr = 0;
	put_msg(NLMSG_ERROR, 0, SEQ, "\xff\xff", 2);
	CHECK(parse(&intr) == -EBADMSG);
	return 0;
}

static int t_done_with_errno(void)
{
	int intr = 0;
	int32_t err = -ENOENT;
	put_msg(NLMSG_DONE, NLM_F_MULTI, SEQ, &err, sizeof(err));
	CHECK(parse(&intr) == -ENOENT);
	return 0;
}

static int t_ack_is_not_error(void)
{
	int intr = 0;
	struct nlmsgerr e = { .error = 0 };
	put_msg(NLMSG_ERROR, 0, SEQ, &e, sizeof(e));
	put_msg(NLMSG_DONE, 0, SEQ, "\0\0\0\0", 4);
	CHECK(parse(&intr) == 1);
	return 0;
}

static int t_foreign_seq_skipped(void)
{
	int intr = 0;
	put_msg(20, 0, SEQ + 1, "abcd", 4);
	put_msg(NLMSG_DONE, 0, SEQ + 1, "\0\0\0\0", 4);
	put_msg(20, 0, SEQ, "abcd", 4);
	CHECK(parse(&intr) == 0);
	CHECK(calls == 1);
	return 0;
}

static int t_dump_intr(void)
{
	int intr = 0;
	put_msg(20, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, "abcd", 4);
	CHECK(parse(&intr) == 0);
	CHECK(intr == 1);
	return 0;
}

static int t_callback_stops(void)
{
	int intr = 0;
	put_msg(20, 0, SEQ, "abcd", 4);
	put_msg(20, 0, SEQ, "abcd", 4);
	CHECK(nl_parse_buf(buf, blen, SEQ, PID, stop_cb, NULL, &intr) == 42);
	return 0;
}

/* --- nl_recv_dump, with and without its receiving thread --------------- */

static int next_expected, out_of_order;

static int order_cb(const struct nlmsghdr *h, void *arg)
{
	int v, *stop_at = arg;

	memcpy(&v, NLMSG_DATA(h), sizeof(v));
	if (v != next_expected++)
		out_of_order = 1;
	return stop_at && v == *stop_at ? 42 : 0;
}

/* Datagram n of a dump: three counted messages. */
static void put_counted(int n)
{
	blen = 0;
	for (int i = 0; i < 3; i++) {
		int v = 3 * n + i;
		put_msg(20, NLM_F_MULTI, SEQ, &v, sizeof(v));
	}
}

static int send_buf(int fd)
{
	return send(fd, buf, blen, 0) == (ssize_t)blen ? 0 : -1;
}

/* Sends `datagrams` counted datagrams, then the ending `kind` builds
 * ("done", "error", "bad", "big"), and runs nl_recv_dump over them with
 * the thread starting after `after` datagrams. */
static int dump_through(const char *after, int datagrams, const char *kind,
			int *stop_at, int *rc)
{
	static unsigned char rbuf[64 * 1024];
	struct nl_sock nl = { .seq = SEQ, .portid = PID, .buf = rbuf, .bufsize = sizeof(rbuf) };
	int sv[2], intr = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -1;
	int size = 1 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	for (int n = 0; n < datagrams; n++) {
		put_counted(n);
		if (send_buf(sv[0]))
			return -1;
	}
	blen = 0;
	if (!strcmp(kind, "done")) {
		put_msg(NLMSG_DONE, NLM_F_MULTI, SEQ, "\0\0\0\0", 4);
	} else if (!strcmp(kind, "error")) {
		struct nlmsgerr e = { .error = -EPERM };
		put_msg(NLMSG_ERROR, 0, SEQ, &e, sizeof(e));
	} else if (!strcmp(kind, "bad")) {
		put_msg(20, 0, SEQ, "abcd", 4);
		((struct nlmsghdr *)buf)->nlmsg_len = 400;
	} else {	/* "big": more than the receive buffer holds */
		static unsigned char big[70000];
		if (send(sv[0], big, sizeof(big), 0) != sizeof(big))
			return -1;
	}
	if (blen && send_buf(sv[0]))
		return -1;
	/* what follows the end is never asked for */
	put_counted(1000);
	send_buf(sv[0]);
	setenv("SOCKBOX_RECV_AHEAD", after, 1);
	next_expected = 0;
	out_of_order = 0;
	nl.fd = sv[1];
	*rc = nl_recv_dump(&nl, order_cb, stop_at, &intr);
	close(sv[0]);
	close(sv[1]);
	return out_of_order ? -1 : 0;
}

static const char *const afters[] = { "0", "1", "4", "40", "1000000" };

static int t_dump_order(void)
{
	int rc;
	for (size_t i = 0; i < sizeof(afters) / sizeof(afters[0]); i++) {
		CHECK(dump_through(afters[i], 60, "done", NULL, &rc) == 0);
		CHECK(rc == 0);
		CHECK(next_expected == 180);
		CHECK(dump_through(afters[i], 0, "done", NULL, &rc) == 0);
		CHECK(rc == 0 && next_expected == 0);
	}
	return 0;
}

static int t_dump_ends_early(void)
{
	int rc, stop = 100;
	for (size_t i = 0; i < sizeof(afters) / sizeof(afters[0]); i++) {
		CHECK(dump_through(afters[i], 50, "error", NULL, &rc) == 0);
		CHECK(rc == -EPERM && next_expected == 150);
		CHECK(dump_through(afters[i], 50, "bad", NULL, &rc) == 0);
		CHECK(rc == -EBADMSG && next_expected == 150);
		CHECK(dump_through(afters[i], 50, "big", NULL, &rc) == 0);
		CHECK(rc == -EMSGSIZE && next_expected == 150);
		/* the caller stops while the thread may still be receiving */
		CHECK(dump_through(afters[i], 50, "done", &stop, &rc) == 0);
		CHECK(rc == 42 && next_expected == 101);
	}
	return 0;
}

static void put_attr(unsigned char *p, size_t *off, uint16_t type, const void *d, uint16_t n)
{
	struct nlattr a = { NLA_HDRLEN + n, type };
	memcpy(p + *off, &a, sizeof(a));
	memcpy(p + *off + NLA_HDRLEN, d, n);
	*off += NLA_ALIGN(a.nla_len);
}

static int t_attrs(void)
{
	unsigned char a[128];
	size_t n = 0;
	const void *tb[5];
	uint16_t tl[5];

	put_attr(a, &n, 1, "x", 1);
	put_attr(a, &n, 3, "abcdefgh", 8);
	put_attr(a, &n, 9, "zz", 2);		/* above max: ignored */
	put_attr(a, &n, 2 | NLA_F_NESTED, "", 0);
	CHECK(nl_attr_parse(a, n, tb, tl, 4) == 0);
	CHECK(tb[1] && tl[1] == 1 && !memcmp(tb[1], "x", 1));
	CHECK(tb[3] && tl[3] == 8);
	CHECK(tb[2] && tl[2] == 0);
	CHECK(!tb[4] && !tb[0]);
	return 0;
}

static int t_attr_overrun(void)
{
	unsigned char a[64];
	size_t n = 0;
	const void *tb[5];
	uint16_t tl[5];

	put_attr(a, &n, 1, "abcd", 4);
	put_attr(a, &n, 2, "abcd", 4);
	struct nlattr bad = { 200, 3 };
	memcpy(a + n, &bad, sizeof(bad));
	n += 8;
	CHECK(nl_attr_parse(a, n, tb, tl, 4) == -1);
	CHECK(tb[1] && tb[2] && !tb[3]);
	return 0;
}

static int t_attr_short_len(void)
{
	unsigned char a[16] = { 0 };
	const void *tb[5];
	struct nlattr bad = { 2, 1 };	/* shorter than its own header */

	memcpy(a, &bad, sizeof(bad));
	CHECK(nl_attr_parse(a, 8, tb, NULL, 4) == -1);
	CHECK(!tb[1]);
	return 0;
}

/* Reused tables: the second message's parse must not keep the first's
 * attributes. */
static int t_attr_again(void)
{
	unsigned char a[64], b[64];
	size_t n = 0, m = 0;
	const void *tb[5] = { 0 };
	uint16_t tl[5] = { 0 };
	uint64_t seen = 0;

	put_attr(a, &n, 1, "x", 1);
	put_attr(a, &n, 3, "abcd", 4);
	put_attr(b, &m, 2, "yz", 2);
	CHECK(nl_attr_parse_again(a, n, tb, tl, 4, &seen) == 0);
	CHECK(tb[1] && tl[1] == 1 && tb[3] && tl[3] == 4 && !tb[2]);
	CHECK(nl_attr_parse_again(b, m, tb, tl, 4, &seen) == 0);
	CHECK(!tb[1] && !tl[1] && !tb[3] && !tl[3]);
	CHECK(tb[2] && tl[2] == 2 && !memcmp(tb[2], "yz", 2));
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "two_then_done", t_two_then_done },
	{ "more_to_come", t_more_to_come },
	{ "len_beyond_buffer", t_len_beyond_buffer },
	{ "len_below_header", t_len_below_header },
	{ "partial_header", t_partial_header },
	{ "error_errno", t_error_errno },
	{ "error_truncated", t_error_truncated },
	{ "ack_is_not_error", t_ack_is_not_error },
	{ "done_with_errno", t_done_with_errno },
	{ "foreign_seq_skipped", t_foreign_seq_skipped },
	{ "dump_intr", t_dump_intr },
	{ "callback_stops", t_callback_stops },
	{ "attrs", t_attrs },
	{ "attr_overrun", t_attr_overrun },
	{ "attr_short_len", t_attr_short_len },
	{ "attr_again", t_attr_again },
	{ "dump_order", t_dump_order },
	{ "dump_ends_early", t_dump_ends_early },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc < 2) {
			puts(cases[i].name);
			continue;
		}
		if (!strcmp(argv[1], cases[i].name)) {
			alarm(20);	/* a dump that never ends fails, not hangs */
			return cases[i].fn();
		}
	}
	if (argc < 2)
		return 0;
	fprintf(stderr, "no such case: %s\n", argv[1]);
	return 2;
}
