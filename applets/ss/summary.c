/* ss -s: iproute2 6.1's summary block, from libsock's sockstat counters. */
#include <string.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "libsock/sockstat.h"
#include "ss.h"

static void out_int(long v)
{
	if (v < 0) {
		out_char('-');
		v = -v;
	}
	out_u64(v);
}

/* printf's "%-9d" */
static void cell(long v)
{
	char buf[24];
	size_t n = v < 0 ? (buf[0] = '-', 1 + fmt_u64(buf + 1, -v)) : fmt_u64(buf, v);

	out_write(buf, n);
	if (n < 9)
		out_spaces(9 - n);
}

static void row(const char *name, long v4, long v6)
{
	out_str(name);
	out_str("\t  ");
	cell(v4 + v6);
	out_char(' ');
	cell(v4);
	out_char(' ');
	cell(v6);
	out_char('\n');
}

void ss_print_summary(void)
{
	struct sk_sockstat s;
	long estab;
	int rc;

	/* as iproute2: a missing file is reported, its numbers print as 0 */
	if ((rc = sk_sockstat_read(&s)))
		sb_warn("get_sockstat: %s", strerror(-rc));
	if ((rc = sk_snmp_value("Tcp:", "CurrEstab", &estab)))
		sb_warn("get_snmpstat: %s", strerror(-rc));

	out_str("Total: ");
	out_int(s.sockets);
	out_str("\nTCP:   ");
	out_int(s.tcp_alloc + s.tcp_tw);
	out_str(" (estab ");
	out_int(estab);
	out_str(", closed ");
	out_int(s.tcp_alloc - (s.tcp_inuse + s.tcp6 - s.tcp_tw));
	out_str(", orphaned ");
	out_int(s.tcp_orphan);
	out_str(", timewait ");
	out_int(s.tcp_tw);
	out_str(")\n\nTransport Total     IP        IPv6\n");
	row("RAW", s.raw, s.raw6);
	row("UDP", s.udp, s.udp6);
	row("TCP", s.tcp_inuse, s.tcp6);
	row("INET", s.raw + s.udp + s.tcp_inuse, s.raw6 + s.udp6 + s.tcp6);
	row("FRAG", s.frag, s.frag6);
	out_char('\n');
}
