/* packet_diag: AF_PACKET raw and datagram sockets. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

static int packet_msg(const struct nlmsghdr *h, void *arg)
{
	struct sk_dump_ctx *c = arg;
	const void *tb[PACKET_DIAG_MAX + 1];
	uint16_t tl[PACKET_DIAG_MAX + 1];
	const struct packet_diag_msg *r = sk_diag_msg(h, sizeof(*r), AF_PACKET, tb, tl,
						      PACKET_DIAG_MAX);
	struct sock_rec rec;

	if (!r)
		return 0;
	/* Without memory info the answer is too old to trust: iproute2 then
	 * reads /proc/net/packet instead. */
	if (!tb[PACKET_DIAG_MEMINFO] || tl[PACKET_DIAG_MEMINFO] < 4 * (SK_MEMINFO_RMEM_ALLOC + 1))
		return -EOPNOTSUPP;

	memset(&rec, 0, sizeof(rec));
	rec.table = r->pdiag_type == SOCK_RAW ? SKT_PACKET_RAW : SKT_PACKET_DGRAM;
	rec.family = AF_PACKET;
	rec.type = r->pdiag_type;
	rec.state = SK_CLOSE;
	rec.source = SKS_NETLINK;
	rec.protocol = r->pdiag_num;
	rec.ino = r->pdiag_ino;
	rec.cookie = (uint64_t)r->pdiag_cookie[1] << 32 | r->pdiag_cookie[0];
	rec.has = SKH_QUEUES | SKH_COOKIE | SKH_PROTOCOL;
	memcpy(&rec.rqueue, (const uint32_t *)tb[PACKET_DIAG_MEMINFO] + SK_MEMINFO_RMEM_ALLOC, 4);
	if (tb[PACKET_DIAG_INFO] && tl[PACKET_DIAG_INFO] >= 4)
		memcpy(&rec.ifindex, tb[PACKET_DIAG_INFO], 4);
	if (tb[PACKET_DIAG_UID] && tl[PACKET_DIAG_UID] >= 4) {
		memcpy(&rec.uid, tb[PACKET_DIAG_UID], 4);
		rec.has |= SKH_UID;
	}
	rec.attr = tb;
	rec.attr_len = tl;
	rec.attr_max = PACKET_DIAG_MAX;
	return sk_deliver(c->q, &rec, c->cb, c->arg);
}

/* iproute2 lists both types whichever packet table was asked for. */
int packet_dump(const struct sock_query *q, uint32_t tables, sock_cb cb, void *arg)
{
	struct packet_diag_req req = {
		.sdiag_family = AF_PACKET,
		.pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_FILTER |
			      PACKET_SHOW_RING_CFG | PACKET_SHOW_FANOUT,
	};
	struct sk_dump_ctx c = { q, cb, arg };

	(void)tables;
	if (!(q->states & SK_ST_BIT(SK_CLOSE)))
		return 0;
	return sk_diag_family_dump(&req, sizeof(req), packet_msg, &c);
}

/* Ethernet protocol names as iproute2 spells them, in its order (the
 * first match wins): ll_ids[i] is named by the i-th string of ll_names. */
static const uint16_t ll_ids[] = {
	0x0060, 0x0200, 0x0201, 0x0800, 0x0805, 0x0806, 0x08ff, 0x0a00, 0x0a01,
	0x6000, 0x6001, 0x6002, 0x6003, 0x6004, 0x6005, 0x6006, 0x6007, 0x8035,
	0x809b, 0x80f3, 0x8137, 0x86dd, 0x8863, 0x8864, 0x884c, 0x8884, 0x0001,
	0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000c,
	0x0010, 0x0011, 0x0015, 0x0016, 0x0017, 0x0018, 0x88ca, 0x8892, 0x88a2,
	0x88a4, 0x8100, 0x88a8, 0x8847, 0x8848, 0x6558, 0x88cc
};
static const char ll_names[] =
	"loop\0pup\0pupat\0ip\0x25\0arp\0bpq\0ieeepup\0ieeepupat\0dec\0dna_dl\0"
	"dna_rc\0dna_rt\0lat\0diag\0cust\0sca\0rarp\0atalk\0aarp\0ipx\0ipv6\0"
	"ppp_disc\0ppp_ses\0atmmpoa\0atmfate\0802_3\0ax25\0all\0802_2\0snap\0ddcmp\0"
	"wan_ppp\0ppp_mp\0localtalk\0can\0ppptalk\0tr_802_2\0mobitex\0control\0irda\0"
	"econet\0tipc\0profinet\0aoe\0ethercat\0802.1Q\0802.1ad\0mpls_uc\0mpls_mc\0"
	"teb\0LLDP\0";

const char *sk_ll_proto_name(unsigned id)
{
	const char *p = ll_names;

	for (size_t i = 0; i < ARRAY_SIZE(ll_ids); i++, p += strlen(p) + 1)
		if (ll_ids[i] == id)
			return p;
	return NULL;
}
