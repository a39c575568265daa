/* Address, port and name formatting shared by every applet. */
#ifndef LIBSOCK_FMT_H
#define LIBSOCK_FMT_H

#include <stddef.h>
#include <stdint.h>

#define FMT_IP6_MAX 46

/* Dotted quad; returns the length written (buf >= 16 bytes). */
size_t fmt_ip4(char *buf, const uint8_t a[4]);
/* RFC 4291 text as glibc's inet_ntop writes it (longest zero run of two or
 * more words compressed, v4-mapped/compatible tail dotted). */
size_t fmt_ip6(char *buf, const uint8_t a[16]);

/* Service name for a port from /etc/services (first entry for that
 * protocol, like getservbyport), or NULL. proto: "tcp", "udp", ..., or
 * NULL for any. */
const char *sk_service_name(uint16_t port, const char *proto);
/* Port for a service name and protocol; -1 if unknown. */
int sk_service_port(const char *name, const char *proto);

/* IP protocol name from /etc/protocols (first entry for the number, as
 * getprotobynumber), or NULL. */
const char *sk_proto_name(unsigned proto);
/* Number of an IP protocol name or alias in /etc/protocols (as
 * getprotobyname), or -1. */
int sk_proto_number(const char *name);

/* Is port inside /proc/sys/net/ipv4/ip_local_port_range (1024-4999 if it
 * cannot be read)? Read once. */
int sk_port_ephemeral(uint16_t port);
void sk_local_port_range(unsigned *lo, unsigned *hi);

/* Path under $PROC_ROOT (default /proc): "net/tcp" -> "/proc/net/tcp". */
const char *sk_proc_path(char *buf, size_t size, const char *rel);

/* Host name of an address by reverse DNS, cached per address (misses
 * too); NULL when there is none or CONFIG_RESOLVE is off. IPv4-mapped
 * IPv6 addresses are looked up as IPv4. */
const char *sk_host_name(int family, const uint8_t *addr);

/* Every address of a host name, as getaddrinfo(name, NULL, {family})
 * finds them with nsswitch "files dns": the /etc/hosts lines naming it,
 * else DNS A and AAAA records. family: AF_INET, AF_INET6 or AF_UNSPEC.
 * Returns how many were stored (<= max); 0 when none or no CONFIG_RESOLVE. */
struct sk_host_addr {
	uint8_t family;
	uint8_t addr[16];
};
int sk_host_addrs(const char *name, int family, struct sk_host_addr *out, int max);

/* Interface name for an index, cached; "if%u" if it has none. */
const char *sk_ifname(unsigned ifindex);

/* The user name of a uid from /etc/passwd, or the number (always with
 * numeric). The answer may be overwritten by the next call. */
const char *sk_user_name(uint32_t uid, int numeric);

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t fmt_utf8_len(const unsigned char *s, size_t n);

/* Split s in place into at most max blank-separated words (the rest of
 * the line is dropped); returns how many. No scanf: it brings libc's
 * floating-point parser along. */
int sk_split_words(char *s, char **w, int max);

/* Each non-blank line of a small file (<= 16 KiB) split into words, to fn,
 * until fn returns non-zero, which is then returned. The file is $ENV
 * when env is set in the environment, else path, which is relative to
 * $PROC_ROOT unless it starts with '/'. 0, fn's value, or -errno. */
int sk_file_words(const char *env, const char *path, int (*fn)(char **w, int n, void *),
		  void *arg);

/* A name made safe for a terminal: control bytes and bytes that are not
 * UTF-8 become the text \xNN, everything else is kept. buf must hold
 * 4 * n + 1 bytes; returns the length written. Used for every name a
 * process controls (process names, unix paths) in text output. */
size_t fmt_safe(char *buf, const char *s, size_t n);

/* printf's "%.{prec}f" (conv 'f') or "%.{prec}g" (conv 'g') of v, without
 * libc's printf; buf must hold 32 bytes. Returns the length written. */
size_t fmt_double(char *buf, double v, char conv, int prec);

#endif
