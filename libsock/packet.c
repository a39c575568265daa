/* packet_diag: AF_PACKET raw and datagram sockets. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>

#include "sockbox.h"
#include "libsock/nl.h"
#include "family.h"

struct packet_ctx {
	const struct sock_query *q;
	sock_cb cb;
	void *arg;
};

static int packet_msg(const struct nlmsghdr *h, void *arg)
{
	struct packet_ctx *c = arg;
	const struct packet_diag_msg *r = NLMSG_DATA(h);
	const void *tb[PACKET_DIAG_MAX + 1];
	uint16_t tl[PACKET_DIAG_MAX + 1];
	struct sock_rec rec;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)) || r->pdiag_family != AF_PACKET)
		return 0;
	nl_attr_parse(r + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*r)),
		      tb, tl, PACKET_DIAG_MAX);
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
	struct {
		struct nlmsghdr nlh;
		struct packet_diag_req r;
	} req;
	struct packet_ctx c = { q, cb, arg };

	(void)tables;
	if (!(q->states & SK_ST_BIT(SK_CLOSE)))
		return 0;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_PACKET;
	req.r.pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_FILTER |
			   PACKET_SHOW_RING_CFG | PACKET_SHOW_FANOUT;
	return sk_diag_dump(&req.nlh, packet_msg, &c);
}

/* Ethernet protocol names as iproute2 spells them (first match wins). */
static const struct { uint16_t id; char name[10]; } ll_protos[] = {
	{ 0x0060, "loop" }, { 0x0200, "pup" }, { 0x0201, "pupat" }, { 0x0800, "ip" },
	{ 0x0805, "x25" }, { 0x0806, "arp" }, { 0x08ff, "bpq" }, { 0x0a00, "ieeepup" },
	{ 0x0a01, "ieeepupat" }, { 0x6000, "dec" }, { 0x6001, "dna_dl" },
	{ 0x6002, "dna_rc" }, { 0x6003, "dna_rt" }, { 0x6004, "lat" }, { 0x6005, "diag" },
	{ 0x6006, "cust" }, { 0x6007, "sca" }, { 0x8035, "rarp" }, { 0x809b, "atalk" },
	{ 0x80f3, "aarp" }, { 0x8137, "ipx" }, { 0x86dd, "ipv6" }, { 0x8863, "ppp_disc" },
	{ 0x8864, "ppp_ses" }, { 0x884c, "atmmpoa" }, { 0x8884, "atmfate" },
	{ 0x0001, "802_3" }, { 0x0002, "ax25" }, { 0x0003, "all" }, { 0x0004, "802_2" },
	{ 0x0005, "snap" }, { 0x0006, "ddcmp" }, { 0x0007, "wan_ppp" }, { 0x0008, "ppp_mp" },
	{ 0x0009, "localtalk" }, { 0x000c, "can" }, { 0x0010, "ppptalk" },
	{ 0x0011, "tr_802_2" }, { 0x0015, "mobitex" }, { 0x0016, "control" },
	{ 0x0017, "irda" }, { 0x0018, "econet" }, { 0x88ca, "tipc" }, { 0x8892, "profinet" },
	{ 0x88a2, "aoe" }, { 0x88a4, "ethercat" }, { 0x8100, "802.1Q" }, { 0x88a8, "802.1ad" },
	{ 0x8847, "mpls_uc" }, { 0x8848, "mpls_mc" }, { 0x6558, "teb" }, { 0x88cc, "LLDP" },
};

const char *sk_ll_proto_name(unsigned id)
{
	for (size_t i = 0; i < ARRAY_SIZE(ll_protos); i++)
		if (ll_protos[i].id == id)
			return ll_protos[i].name;
	return NULL;
}
