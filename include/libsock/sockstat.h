/* Kernel socket counters: /proc/net/sockstat{,6} and /proc/net/snmp. */
#ifndef LIBSOCK_SOCKSTAT_H
#define LIBSOCK_SOCKSTAT_H

/* What /proc/net/sockstat and sockstat6 say; fields a file lacks are 0. */
struct sk_sockstat {
	int sockets;
	int tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem;
	int udp, raw, frag, frag_mem;
	int tcp6, udp6, raw6, frag6, frag6_mem;
};

/* Read both files ($PROC_NET_SOCKSTAT{,6} or $PROC_ROOT/net/...).
 * Returns 0, or -errno when sockstat itself cannot be read (sockstat6
 * may be missing: no IPv6). */
int sk_sockstat_read(struct sk_sockstat *s);

/* The value of KEY in /proc/net/snmp's PROTO ("Tcp:") table ($PROC_NET_SNMP
 * or $PROC_ROOT/net/snmp). 0 or -errno (-ESRCH: no such key). */
int sk_snmp_value(const char *proto, const char *key, long *v);

#endif
