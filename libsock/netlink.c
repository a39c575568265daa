/* netlink_diag: netlink sockets of every protocol. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/nl.h"
#include "family.h"

static int netlink_msg(const struct nlmsghdr *h, void *arg)
{
	struct sk_dump_ctx *c = arg;
	const void *tb[NETLINK_DIAG_MAX + 1];
	uint16_t tl[NETLINK_DIAG_MAX + 1];
	const struct netlink_diag_msg *r = sk_diag_msg(h, sizeof(*r), AF_NETLINK, tb, tl,
						       NETLINK_DIAG_MAX);
	struct sock_rec rec;

	if (!r)
		return 0;

	memset(&rec, 0, sizeof(rec));
	rec.table = SKT_NETLINK;
	rec.family = AF_NETLINK;
	rec.type = r->ndiag_type;
	rec.state = SK_CLOSE;
	rec.source = SKS_NETLINK;
	rec.protocol = rec.nl.protocol = r->ndiag_protocol;
	rec.ino = r->ndiag_ino;
	rec.cookie = (uint64_t)r->ndiag_cookie[1] << 32 | r->ndiag_cookie[0];
	rec.has = SKH_COOKIE | SKH_PROTOCOL;
	rec.nl.portid = r->ndiag_portid;
	rec.nl.connected = r->ndiag_state == NETLINK_CONNECTED;
	rec.nl.dst_portid = r->ndiag_dst_portid;
	rec.nl.dst_group = r->ndiag_dst_group;
	if (tb[NETLINK_DIAG_GROUPS] && tl[NETLINK_DIAG_GROUPS] >= 4)
		memcpy(&rec.nl.groups, tb[NETLINK_DIAG_GROUPS], 4);
	if (tb[NETLINK_DIAG_MEMINFO] &&
	    tl[NETLINK_DIAG_MEMINFO] >= 4 * (SK_MEMINFO_WMEM_ALLOC + 1)) {
		const uint32_t *m = tb[NETLINK_DIAG_MEMINFO];
		memcpy(&rec.rqueue, m + SK_MEMINFO_RMEM_ALLOC, 4);
		memcpy(&rec.wqueue, m + SK_MEMINFO_WMEM_ALLOC, 4);
		rec.has |= SKH_QUEUES;
	}
	rec.attr = tb;
	rec.attr_len = tl;
	rec.attr_max = NETLINK_DIAG_MAX;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

int netlink_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct netlink_diag_req req = {
		.sdiag_family = AF_NETLINK,
		.sdiag_protocol = NDIAG_PROTO_ALL,
		.ndiag_show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO,
	};
	struct sk_dump_ctx c = { q, cb, arg };

	(void)tables;
	if (!(q->states & SK_ST_BIT(SK_CLOSE)))
		return 0;
	return sk_diag_family_dump(&req, sizeof(req), netlink_msg, &c);
}

size_t sk_pid_comm(int pid, char *buf, size_t size)
{
	char path[64], stat[128], *p = path;
	const char *open_paren, *close_paren;
	ssize_t n;
	int fd;

	p += fmt_u64(p, pid);
	memcpy(p, "/stat", 6);
	fd = open(sk_proc_path(stat, sizeof(stat), path), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	stat[n] = 0;
	/* "PID (comm) ...": up to the first ')', as a scanf %[^)] reads */
	open_paren = strchr(stat, '(');	/* "PID (": the first one */
	if (!open_paren || open_paren == stat || open_paren[-1] != ' ')
		return 0;
	open_paren++;
	close_paren = strchr(open_paren, ')');
	n = close_paren ? close_paren - open_paren : (ssize_t)strlen(open_paren);
	if (!n || (size_t)n >= size)
		return 0;
	memcpy(buf, open_paren, n);
	return n;
}

/* Netlink protocol names by number, as iproute2's table has them. */
static const char nl_protos[] =
	"rtnl\0unused\0usersock\0fw\0tcpdiag\0nflog\0xfrm\0selinux\0iscsi\0audit\0"
	"fiblookup\0connector\0nft\0ip6fw\0dec-rt\0uevent\0genl\0\0scsi-trans\0"
	"ecryptfs\0rdma\0crypto";

const char *sk_nl_proto_name(unsigned proto)
{
	const char *p = nl_protos;

	for (; proto && p < nl_protos + sizeof(nl_protos); proto--)
		p += strlen(p) + 1;
	return p < nl_protos + sizeof(nl_protos) && *p ? p : NULL;
}
