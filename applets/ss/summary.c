/* ss -s: iproute2 6.1's summary block, from libsock's sockstat counters.
 * Printed once per run, so sb_snprintf keeps it short. */
#include <string.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "libsock/sockstat.h"
#include "ss.h"

static void row(const char *name, int v4, int v6)
{
	char buf[64];

	sb_snprintf(buf, sizeof(buf), "%s\t  %-9d %-9d %-9d\n", name, v4 + v6, v4, v6);
	out_str(buf);
}

void ss_print_summary(void)
{
	struct sk_sockstat s;
	long estab;
	char buf[160];
	int rc;

	/* as iproute2: a missing file is reported, its numbers print as 0 */
	if ((rc = sk_sockstat_read(&s)))
		sb_warn("get_sockstat: %s", strerror(-rc));
	if ((rc = sk_snmp_value("Tcp:", "CurrEstab", &estab)))
		sb_warn("get_snmpstat: %s", strerror(-rc));
	sb_snprintf(buf, sizeof(buf), "Total: %d\nTCP:   %d (estab %ld, closed %d, orphaned %d, timewait %d)\n\n"
	    "Transport Total     IP        IPv6\n", s.sockets, s.tcp_alloc + s.tcp_tw, estab,
	    s.tcp_alloc - (s.tcp_inuse + s.tcp6 - s.tcp_tw), s.tcp_orphan, s.tcp_tw);
	out_str(buf);
	row("RAW", s.raw, s.raw6);
	row("UDP", s.udp, s.udp6);
	row("TCP", s.tcp_inuse, s.tcp6);
	row("INET", s.raw + s.udp + s.tcp_inuse, s.raw6 + s.udp6 + s.tcp6);
	row("FRAG", s.frag, s.frag6);
	out_char('\n');
}
