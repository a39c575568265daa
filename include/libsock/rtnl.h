/* rtnetlink dumps: interfaces with their counters, and routes. */
#ifndef LIBSOCK_RTNL_H
#define LIBSOCK_RTNL_H

#include <stdint.h>

struct sk_link {
	uint32_t ifindex;
	uint32_t flags;		/* IFF_* */
	uint32_t mtu;
	char name[16];
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t rx_fifo_errors, tx_fifo_errors, rx_missed_errors;
	uint64_t rx_frame_errors, rx_crc_errors, rx_length_errors, rx_over_errors;
	uint64_t collisions, tx_carrier_errors;
	uint64_t tx_aborted_errors, tx_window_errors, tx_heartbeat_errors;
	uint32_t txqlen;
	uint16_t type;		/* ARPHRD_* */
	uint8_t addr_len, addr[32];	/* hardware address */
};

/* An IPv4 address of a link, in the kernel's list order (primary first). */
struct sk_addr4 {
	uint32_t ifindex;
	uint8_t prefixlen, local[4], peer[4], broadcast[4];
	char label[16];
};

struct sk_route {
	uint8_t family, dst_len, type, table, protocol, scope;
	uint32_t flags;		/* rtm_flags */
	uint8_t dst[16], gw[16];
	int has_gw;
	uint32_t oif, priority;
	uint32_t mtu, advmss, window, rtt;	/* metrics, 0 if unset */
};

/* Every link, in ifindex order. The callback returns non-zero to stop. */
int sk_link_dump(int (*cb)(const struct sk_link *, void *), void *arg);
/* Every IPv4 address. */
int sk_addr4_dump(int (*cb)(const struct sk_addr4 *, void *), void *arg);
/* Every route of a family (AF_INET or AF_INET6), all tables. */
int sk_route_dump(int family, int (*cb)(const struct sk_route *, void *), void *arg);

/* One row of /proc/net/ipv6_route: every table, in the kernel's walk
 * order, with the reference and use counts netlink does not give. */
struct sk_route6 {
	uint8_t dst[16], gw[16], dst_len;
	uint32_t metric, refcnt, use, flags;	/* RTF_* */
	char dev[16];
};

int sk_proc_route6_each(int (*cb)(const struct sk_route6 *, void *), void *arg);

/* One row of /proc/net/if_inet6, in its order. */
struct sk_addr6 {
	uint8_t addr[16];
	uint32_t prefixlen, scope, flags;
	char dev[16];
};

int sk_proc_addr6_each(int (*cb)(const struct sk_addr6 *, void *), void *arg);

#endif
