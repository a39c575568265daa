/* libFuzzer target: a filter expression through the parser, the
 * evaluator (on a few synthetic sockets) and the bytecode compiler. Every
 * program must pass the checks the kernel's inet_diag_bc_audit() makes,
 * and must never drop a socket the evaluator keeps (run by a small copy
 * of the kernel's interpreter). The first byte picks the context. */
#include <arpa/inet.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/inet_diag.h>

#include "sockbox.h"
#include "libsock/filter.h"
#include "libsock/fmt.h"

static struct sock_rec recs[6];

static void init_recs(void)
{
	static const char *const v6[] = { "::1", "::ffff:127.0.0.1", "2001:db8::3" };
	static const char un[] = "/tmp/x.sock", ab[] = "\0ab12f";

	for (int i = 0; i < 3; i++) {
		struct sock_rec *r = &recs[i];
		r->family = AF_INET6;
		r->table = SKT_TCP;
		inet_pton(AF_INET6, v6[i], r->laddr);
		inet_pton(AF_INET6, v6[2 - i], r->raddr);
		r->lport = 22 + i * 30000;
		r->rport = 40000 - i;
		r->ifindex = i;
		r->mark = i * 7;
		r->cgroup_id = i;
	}
	recs[3].family = AF_INET;
	recs[3].table = SKT_UDP;
	inet_pton(AF_INET, "127.0.0.1", recs[3].laddr);
	inet_pton(AF_INET, "10.1.2.3", recs[3].raddr);
	recs[3].lport = 53;
	recs[4].family = recs[5].family = AF_UNIX;
	recs[4].un.name = un;
	recs[4].un.name_len = sizeof(un) - 1;
	recs[4].ino = 1234;
	recs[5].un.name = ab;
	recs[5].un.name_len = sizeof(ab) - 1;
}

/* What inet_diag_bc_audit() checks: known codes, long enough conditions,
 * and every jump forward, aligned, onto an op or just past the end. */
static int audit(const uint8_t *bc, int len)
{
	const uint8_t *p = bc;
	int rest = len;

	while (rest > 0) {
		const struct inet_diag_bc_op *op = (const void *)p;
		int min = sizeof(*op);
		if (rest < min)
			return -1;
		switch (op->code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			const struct inet_diag_hostcond *hc = (const void *)(op + 1);
			min += sizeof(*hc);
			if (rest < min)
				return -1;
			min += hc->family == AF_INET ? 4 : hc->family == AF_INET6 ? 16 : 0;
			if ((hc->family != AF_UNSPEC && hc->family != AF_INET &&
			     hc->family != AF_INET6) || rest < min ||
			    hc->prefix_len > (hc->family == AF_INET ? 32 : 128))
				return -1;
			break;
		}
		case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE:
		case INET_DIAG_BC_DEV_COND:
			min += 4;
			break;
		case INET_DIAG_BC_MARK_COND:
		case INET_DIAG_BC_CGROUP_COND:
			min += 8;
			break;
		case INET_DIAG_BC_AUTO:
		case INET_DIAG_BC_JMP:
			break;
		default:
			return -1;
		}
		if (op->no < min || op->no > rest + 4 || op->no & 3 ||
		    op->yes < min || op->yes > rest + 4 || op->yes & 3)
			return -1;
		if (op->no < rest) {	/* must land on an op */
			const uint8_t *q = bc;
			while (q < p + op->no)
				q += ((const struct inet_diag_bc_op *)q)->yes;
			if (q != p + op->no)
				return -1;
		}
		p += op->yes;
		rest -= op->yes;
	}
	return rest == 0 ? 0 : -1;
}

static int bits_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	if (memcmp(a, b, bits / 8))
		return 0;
	return !(bits % 8) || !((a[bits / 8] ^ b[bits / 8]) & (0xff << (8 - bits % 8)));
}

/* The kernel's inet_diag_bc_run(), autobound as the evaluator sees it. */
static int run(const uint8_t *bc, int len, const struct sock_rec *r)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;
		int yes = 1;
		uint32_t u32;
		uint64_t u64;

		switch (op->code) {
		case INET_DIAG_BC_JMP: yes = 0; break;
		case INET_DIAG_BC_S_GE: yes = r->lport >= op[1].no; break;
		case INET_DIAG_BC_S_LE: yes = r->lport <= op[1].no; break;
		case INET_DIAG_BC_D_GE: yes = r->rport >= op[1].no; break;
		case INET_DIAG_BC_D_LE: yes = r->rport <= op[1].no; break;
		case INET_DIAG_BC_AUTO: yes = sk_port_ephemeral(r->lport); break;
		case INET_DIAG_BC_DEV_COND:
			memcpy(&u32, op + 1, 4);
			yes = r->ifindex == u32;
			break;
		case INET_DIAG_BC_MARK_COND: {
			struct inet_diag_markcond mc;
			memcpy(&mc, op + 1, sizeof(mc));
			yes = (r->mark & mc.mask) == mc.mark;
			break;
		}
		case INET_DIAG_BC_CGROUP_COND:
			memcpy(&u64, op + 1, 8);
			yes = r->cgroup_id == u64;
			break;
		default: {	/* S_COND, D_COND */
			struct inet_diag_hostcond hc;
			const uint8_t *addr = op->code == INET_DIAG_BC_S_COND ? r->laddr : r->raddr;
			const uint8_t *want = bc + sizeof(*op) + sizeof(hc);
			memcpy(&hc, op + 1, sizeof(hc));
			if (hc.port != -1 &&
			    hc.port != (op->code == INET_DIAG_BC_S_COND ? r->lport : r->rport))
				yes = 0;
			else if (hc.family != AF_UNSPEC && hc.family != r->family)
				yes = hc.family == AF_INET && !memcmp(addr, mapped, 12) &&
				      bits_eq(addr + 12, want, hc.prefix_len);
			else if (hc.prefix_len)
				yes = bits_eq(addr, want, hc.prefix_len);
		}
		}
		bc += yes ? op->yes : op->no;
		len -= yes ? op->yes : op->no;
	}
	return len == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	static const int fams[] = { AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX };
	static uint32_t bc[1024];

	if (!init) {
		/* no DNS traffic from host names: an empty namespace, if allowed */
		if (unshare(CLONE_NEWNET))
			(void)0;
		init_recs();
		init = 1;
	}
	if (size < 1 || size > 4096)
		return 0;
	char *text = strndup((const char *)data + 1, size - 1);
	if (!text)
		return 0;
	struct sk_filter_ctx ctx = {
		.family = fams[data[0] & 3],
		.tables = data[0] & 4 ? SKT_BIT(SKT_UDP) : SKT_BIT(SKT_TCP),
	};
	int status;
	struct sk_filter *f = sk_filter_parse(1, &text, NULL, &ctx, &status);
	if (f) {
		for (int fam = AF_INET; fam <= AF_INET6; fam += AF_INET6 - AF_INET) {
			int len = sk_filter_bytecode(f, fam, SKT_TCP, bc, sizeof(bc));
			if (len < 0 || (len && audit((const uint8_t *)bc, len)))
				abort();	/* the kernel would refuse it */
			for (size_t i = 0; len && i < ARRAY_SIZE(recs); i++)
				if (recs[i].family == fam && sk_filter_match(f, &recs[i]) &&
				    !run((const uint8_t *)bc, len, &recs[i]))
					abort();	/* dropped by the kernel, kept by us */
		}
		for (size_t i = 0; i < ARRAY_SIZE(recs); i++)
			sk_filter_match(f, &recs[i]);
	}
	sk_filter_free(f);
	free(text);
	return 0;
}
