/* Kernel counter files: /proc/net/snmp and /proc/net/netstat ("Table:
 * names" / "Table: values" line pairs), /proc/net/snmp6 and
 * /proc/net/sctp/snmp ("Name value" lines). */
#ifndef LIBSOCK_SNMP_H
#define LIBSOCK_SNMP_H

#include <stdint.h>

/* Called once per table (name NULL) and once per counter.  In a line file
 * table is NULL.  Values read as strtoull would: "-1" is 2^64-1, a
 * missing value in a
 * pair is 0; a line without a value is skipped.  A non-zero return stops the walk. */
typedef int (*sk_snmp_cb)(const char *table, const char *name, uint64_t val, void *arg);

/* rel is relative to /proc (e.g. "net/snmp"); pairs says which layout.
 * Returns 0, the callback's stop value, or -errno when unreadable. */
int sk_snmp_read(const char *rel, int pairs, sk_snmp_cb cb, void *arg);

#endif
