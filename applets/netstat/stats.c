/* netstat -s: the kernel's SNMP counters as net-tools 2.10 words them.
 * Tables hold "TypeName|sentence" lines, % marking the number.  net-tools
 * looks names up by binary search in tables that are not quite sorted:
 * the names it never finds are printed raw ("Name: N", when non-zero), so
 * they are left out here and an exact match gives the same answers.
 * Types: n always, o only when non-zero, i/O ICMP input/output histogram
 * (non-zero), x found but never printed.  The text is packed: a byte from
 * 0x80 up stands for phrase number (byte - 0x80) of phrases[] (generated
 * once from the plain tables; about 4 KiB less). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/snmp.h"
#include "netstat.h"

/* phrases the tables below refer to as bytes 0x80 + index */
static const char phrases[] =
	" packet\0"
	" receive\0"
	"% Number of \0"
	" connection\0"
	"Icmp6\0"
	" re\0"
	" time\0"
	": %\0"
	"Out\0"
	"ed \0"
	"ent\0"
	"out\0"
	" ICMP message\0"
	"destination unreachable\0"
	"rrors\0"
	"because \0"
	"ing\0"
	"TCP\0"
	"est\0"
	"dvertisem\0"
	"transmit\0"
	"order\0"
	"direct\0"
	"group member\0"
	" with invalid \0"
	"Sctp\0"
	" dropp\0"
	"socket\0"
	"ies\0"
	"hunks\0"
	"Ip6\0"
	"olicits\0"
	"Datagrams\0"
	"GroupMemb\0"
	"assembl\0"
	"due to \0"
	"eighbo\0"
	"ail\0"
	"ive\0"
	"address mask\0"
	"bort\0"
	"fragm\0"
	"Reasm\0"
	"% incom\0"
	"cho\0"
	" que\0"
	"tions\0"
	"er \0"
	"sta\0"
	" unknown p\0"
	"iscard\0"
	"TimeExcds\0"
	"ack\0"
	"AddrMask\0"
	"Unreachs\0"
	"ParmProb\0"
	"over\0"
	"Detected\0"
	"emory\0"
	"ion windows\0"
	"Frag\0"
	"headers\0"
	" to\0"
	"with\0"
	"s s\0"
	"ast\0"
	"paramet\0"
	"sponses\0"
	"Retrans\0"
	"DelayedACK\0"
	"% forward\0"
	"run\0"
	"InE\0"
	" in\0"
	" exceeded\0"
	" buff\0"
	" SYN cook\0"
	"Reps\0"
	"Msgs\0"
	"ess\0"
	"InUnknownProtos\0"
	"of \0"
	"amp\0"
	"low\0"
	" predict\0"
	" Associa\0"
	"reate\0"
	"Tim\0"
	"set\0"
	" se\0"
	"from\0"
	"Syncook\0"
	" con\0"
	"InD\0"
	"InR\0"
	"TooBig\0"
	"tim\0"
	"ass\0"
	"ect\0"
	"los\0"
	" us\0"
	"artial\0"
	" del\0"
	"SrcQuenchs\0"
	"ICMP\0"
	"Udp6\0"
	"SCTP\0"
	"s f\0"
	"aft\0"
	"Pkt\0"
	"o big\0"
	"ished\0"
	"ock\0"
	"isten\0"
	"ndo\0"
	"ure\0"
	"control c\0"
	"mbryonic\0"
	"nowledgm\0"
	"Checksum\0"
	"Forw\0"
	"OKs\0"
	"InAddrE\0"
	"red\0"
	"rotocol\0"
	"Req\0"
	" multic\0"
	"no \0"
	;
static const char ip4[] =
	"xDefaultTTL|\n"
	"n\370\240|\306ed\n"
	"o\274C\326s|% \251\212s c\326d\n"
	"o\274F\245s|% \213go\220\200\353\245\211\251\212ation\n"
	"o\274\371|% \213go\220\200s \251\212\211ok\n"
	"o\372\216|%\230addr\317es\n"
	"n\335el\246rs|\253\220\200s\346\246\373\n"
	"n\335\262s|\253\220\200s d\262ed\n"
	"oInHdrE\216|%\230\275\n"
	"n\336ece\246s|%\276tal\200s\201d\n"
	"o\320|% \277\261\374\n"
	"o\210D\262s|% \213go\220\200s\232ed\n"
	"o\210NoR\213es|%\232\211\217\321miss\220 r\213e\n"
	"n\210\375u\222s|%\205qu\222\300\212 \213\n"
	"o\252F\245s|%\200\205\242\234 f\245ed\n"
	"o\252\371|%\200s\205\242\211ok\n"
	"o\252\375ds|%\205\242\234\205qui\373\n"
	"o\252\327e\213|% \251\212s\232\211\354er\206\213\n"
	;
static const char ip6[] =
	"o\236\274C\326s|% \251\212s c\326d\n"
	"o\236\274F\245s|% \213go\220\200\353\245\211\251\212ation\n"
	"o\236\274\371|% \213go\220\200s \251\212\211ok\n"
	"o\236\372\216|%\230addr\317es\n"
	"n\236\335el\246rs|\253\220\200s\346\246\373\n"
	"n\236\335\262s|\253\220\200s d\262ed\n"
	"o\236InHdrE\216|%\230\275\n"
	"o\236InMc\301\355s|\253\220\376\301\200s\n"
	"o\236InNoR\213es|\253\220\200s \277 \377r\213e\n"
	"n\236\336ece\246s|%\276tal\200s\201d\n"
	"o\236In\337E\216|% \277\200s\276\356\n"
	"o\236InT\307cated\355s|% \277 t\307cated\200s\n"
	"o\236\320|% \277\261\374\n"
	"o\236\210D\262s|% \213go\220\200s\232ed\n"
	"n\236\210\370\240|\306ed\n"
	"o\236\210Mc\301\355s|% \213go\220\376\301\200s\n"
	"o\236\210NoR\213es|%\232\211\217\321miss\220 r\213e\n"
	"n\236\210\375u\222s|%\205qu\222\300\212 \213\n"
	"o\236\252F\245s|%\200\205\242\234 f\245ed\n"
	"o\236\252\371|%\200s\205\242\211ok\n"
	"o\236\252\375ds|%\205\242\234\205qui\373\n"
	"o\236\252\327e\213|% \251\212s\232\211\354er\206\213\n"
	;
static const char icmp4[] =
	"iIn\265\315|\247\205pl\234\207\n"
	"iIn\265s|\247\205qu\222\207\n"
	"i\335\222\266|\215\207\n"
	"i\310\254\315|e\254\205pl\234\207\n"
	"i\310\254s|e\254\205qu\222s\207\n"
	"n\310\216|%\311put\214 f\245ed\n"
	"nIn\316|%\214s\201d\n"
	"iIn\267s|wrong \302ers\207\n"
	"i\336e\226s|re\226s\207\n"
	"iIn\347|source\255nches\207\n"
	"iIn\263|\340e\213\311 transit\207\n"
	"iIn\327\222\322\315|\340\222\322\205ply\207\n"
	"iIn\327\222\322s|\340\222\322\205qu\222\207\n"
	"O\210\265\315|\247\205pl\234\207\n"
	"O\210\265s|\247\205qu\222s\207\n"
	"O\210D\222\266|\215\207\n"
	"O\210E\254\315|e\254\205pl\234\207\n"
	"O\210E\254s|e\254\205qu\222s\207\n"
	"n\210E\216|%\214\353\245ed\n"
	"n\210\316|%\214\300\212\n"
	"O\210\267s|wrong \302ers\207\n"
	"O\210Re\226s|re\226\207\n"
	"O\210\347|source\255nch\207\n"
	"O\210\263|\340e\312\207\n"
	"O\210\327\222\322\315|\340\222\322\205pl\234\207\n"
	"O\210\327\222\322s|\340\222\322\205qu\222s\207\n"
	;
static const char icmp6[] =
	"i\204\335\222\266|\215\207\n"
	"i\204\310\254Repl\234|e\254\205pl\234\207\n"
	"i\204\310\254s|e\254\205qu\222s\207\n"
	"n\204\310\216|%\311put\214 f\245ed\n"
	"i\204In\241Quer\234|\227\255r\234\207\n"
	"i\204In\241Reduc\256|\227\205duc\256\207\n"
	"i\204In\241Re\303|\227\205\303\207\n"
	"n\204In\316|%\214s\201d\n"
	"i\204InN\244rA\223\212s|n\244ur a\223\212\207\n"
	"i\204InN\244rS\237|n\244ur s\237\207\n"
	"i\204In\267lems|\302\257problem\207\n"
	"i\204In\355\337s|p\264ets\276\356\207\n"
	"i\204\336e\226s|re\226s\207\n"
	"i\204\336\213erA\223\212s|r\213\257a\223\212\207\n"
	"i\204\336\213erS\237|r\213\257s\237\207\n"
	"i\204In\263|receiv\211\350v6\206\312\207\n"
	"O\204\210D\222\266|\215\207\n"
	"O\204\210E\254Repl\234|e\254\205pl\234\207\n"
	"O\204\210E\254s|e\254\205qu\222s\207\n"
	"O\204\210\241Quer\234|\227\255r\234\207\n"
	"O\204\210\241Reduc\256|\227\205duc\256\207\n"
	"O\204\210\241Re\303|\227\205\303\207\n"
	"n\204\210\316|%\214\300\212\n"
	"O\204\210N\244rA\223\212s|n\244r a\223\212s\207\n"
	"O\204\210N\244rS\237|n\244r s\237\207\n"
	"O\204\210\267lems|\302\257problem\207\n"
	"O\204\210\355\337s|p\264ets\276\356\207\n"
	"O\204\210Re\226s|re\226s\207\n"
	"O\204\210R\213erA\223\212s |r\213\257a\223\212\207\n"
	"O\204\210R\213erS\237|r\213\257s\237\207\n"
	"O\204\210\263|s\212 \350v6\206\312\207\n"
	;
static const char tcp[] =
	"nAct\246Opens|% act\246\203 open\220s\n"
	"nAttemptF\245s|% f\245ed\203 attempts\n"
	"nCurrE\260b|%\203s \222abl\357\n"
	"nE\260bRe\330s|%\203\205\330s\201d\n"
	"n\310rrs|% bad\331gm\212s\201d\n"
	"nInSegs|%\331gm\212s\201d\n"
	"xMaxConn|\n"
	"n\210Rsts|%\205\330\300\212\n"
	"n\210Segs|%\331gm\212\300\212 \213\n"
	"nP\341\246Opens|% p\341\246\203 open\220s\n"
	"n\304Segs|%\331gm\212s\205\224ted\n"
	"xRtoAlgorithm|\n"
	"xRtoMax|\n"
	"xRtoMin|\n"
	;
static const char udp4[] =
	"nIn\240|%\200s\201d\n"
	"n\310\216|%\200\201 e\216\n"
	"nNoPorts|%\200s\276\261ort\201d\n"
	"n\210\240|%\200\300\212\n"
	"nRcvbufE\216|%\201\313\257e\216\n"
	"nSndbufE\216|%\331nd\313\257e\216\n"
	;
static const char udp6[] =
	"n\351In\240|%\200s\201d\n"
	"n\351\310\216|%\200\201 e\216\n"
	"n\351NoPorts|%\200s\276\261ort\201d\n"
	"n\351\210\240|%\200\300\212\n"
	;
static const char tcpext[] =
	"o\305L\360ed|%\346ay\211\264\353urth\257delay\211\217\321l\360\211\233\n"
	"o\305Lost|Quick \264 mode was activat\211%\206s\n"
	"o\305s|%\346ay\211\264\300\212\n"
	"oE\365Rsts|%\205\330s\201d for e\365 SYN_RECV \233s\n"
	"oL\361Drops|% SYNs\276 LISTEN \233s\232ed\n"
	"oL\361Overf\323s|%\206s the l\361\255ue \321a \233 \270f\323ed\n"
	"oL\360DroppedIcmps|% \350\200s\232\211\217\233 was l\360ed\n"
	"oOfoP\307ed|%\200s\232\211\332 \213-of-\225\255ue \217\321\233\313\257\270\307\n"
	"o\210OfWi\362wIcmps|% \350\200s\232\211\217they were \213-of-wi\362w\n"
	"oPAWSAct\246|% act\246\203s\205j\342\211\217of\206 \260mp\n"
	"oPAWSE\260b|%\200s\205j\342\211in \222abl\357\203s \217of\206\260mp\n"
	"oPAWSP\341\246|% p\341\246\203s\205j\342\211\217of\206 \260mp\n"
	"oP\307eCalled|%\200s p\307\211\332\201\255ue \217\321\233\313\257\270\307\n"
	"oRcvP\307ed|%\200s p\307\211\332\201\255ue\n"
	"oS\360MallocOOM|Ran %\206s \213 \321system m\272 dur\220\200\331nd\220\n"
	"o\333\234F\245ed|%\311valid\314\234\201d\n"
	"o\333\234Recv|%\314\234\201d\n"
	"o\333\234S\212|%\314\234 s\212\n"
	"o\221A\250F\245ed|%\206s unable\276\331nd RST \243\377m\272\n"
	"o\221A\250OnC\343e|%\203s\205\330 \243early\344\257c\343e\n"
	"o\221A\250OnData|%\203s\205\330 \243unexp\342\211data\n"
	"o\221A\250OnL\220er|%\203s a\250\211\354\257us\257c\343e\311 l\220er\206\213\n"
	"o\221A\250OnM\272|%\203s a\250\211\243m\272 pr\317\363\n"
	"o\221A\250OnSyn|%\203s\205\330 \243unexp\342\211SYN\n"
	"o\221A\250On\327e\213|%\203s a\250\211due\276\206\213\n"
	"o\221Dir\342CopyFromB\264log|% bytes \226ly\311 proc\317\334text \332 b\264log\n"
	"o\221FACKRe\225|\271\205\225\220 %\206s\344\220 FACK\n"
	"o\221F\301\304|% f\301\205\224s\n"
	"o\221\370ard\304|\306\205\224s\n"
	"o\221FullU\362|%\334g\222\273 fully\205c\270\211\277\213 s\323 \260rt\n"
	"o\221HPAcks|%\324\211\264\366\212s\n"
	"n\221HPHits|%\200 \275\324ed\n"
	"o\221HPHitsToUser|%\200 \275\324\211and \226ly\255u\211to\344er\n"
	"o\221LossF\245\363s|%\206\213s\311 \343s \260te\n"
	"o\221LossU\362|%\334g\222\273\205c\270\211\277\213 s\323 \260rt \354\257p\345 \264\n"
	"o\221LostRe\224s|%\205\224s \343t\n"
	"o\221M\272Pr\317\363s|\221 ran \323 on m\272 %\206s\n"
	"o\221P\345U\362|%\334g\222\273 p\345ly\205c\270\211us\220 Hoe heuristic\n"
	"o\221Prequeued|%\200s \226ly\255u\211to\205cvmsg prequeue\n"
	"o\221P\363Acks|% \264\366\212s not\334tain\220 data payload\201d\n"
	"o\221RcvCollapsed|%\200s collaps\211in\201\255ue \243\323 \233\313er\n"
	"o\221RenoF\245\363s|%\206\213s \354er\205\377f\301\205\224\n"
	"o\221RenoRec\270y|%\206s\205c\270\211\332\200 \343s \243f\301\205\224\n"
	"o\221RenoRe\225|\271\205\225\220 %\206s\344\220\205\377f\301\205\224\n"
	"o\221SACKRe\225|\271\205\225\220 %\206s\344\220 SACK\n"
	"o\221SchedulerF\245ed|%\206s\201r schedul\211too late for \226 proc\317\220\n"
	"o\221S\323Start\304|%\205\224s\311 s\323 \260rt\n"
	"o\221TSRe\225|\271\205\225\220 %\206s\344\220\206 \260mp\n"
	"oTW|% \221 \233\353in\357\206 wait\311 f\301\206r\n"
	"oTWRecycled|%\206 wait \233s\205cycl\211by\206 \260mp\n"
	;
static const char sctp[] =
	"n\231A\250eds|\202A\250eds \n"
	"n\231Act\246E\260bs|% Act\246\325\256\n"
	"n\231\367E\216|\202P\264ets\230\367\n"
	"n\231CurrE\260b|% Curr\212\325\256\n"
	"n\231\274Usr\316|\202m\317ages \251\212ed\n"
	"n\231InCtrlC\235|\202\364\235\201d\n"
	"n\231InOrderC\235|\202\225\211c\235\201d\n"
	"n\231In\352P\264s|\202\352\200s\201d\n"
	"n\231InUn\225C\235|\202Un\225\211c\235\201d\n"
	"n\231\210CtrlC\235|\202\364\235 s\212\n"
	"n\231\210OfBlues|\202\210 \321Blue\200s\n"
	"n\231\210OrderC\235|\202\225\211c\235 s\212\n"
	"n\231\210\352P\264s|\202\352\200\300\212\n"
	"n\231\210Un\225C\235|\202Un\225\211c\235 s\212\n"
	"n\231P\341\246E\260bs|% P\341\246\325\256\n"
	"n\231\252Usr\316|\202m\317ages\205\242\211\n"
	"n\231Shutdowns|\202Graceful Termina\256\n"
	;

enum { ST_NUM, ST_OPT, ST_IN = 3, ST_OUT };	/* net-tools' states */
enum { F_RAW = 1, F_TCP = 2, F_UDP = 4, F_SCTP = 8, F_ANY = 16 };

struct stab {
	const char *title, *ents;
	unsigned flag;
};

static const struct stab snmp_tabs[] = {
	{ "Ip", ip4, F_RAW }, { "Icmp", icmp4, F_RAW }, { "Tcp", tcp, F_TCP },
	{ "Udp", udp4, F_UDP }, { "Sctp", sctp, F_SCTP }, { "TcpExt", tcpext, F_TCP }, { 0 }
};
static const struct stab snmp6_tabs[] = {
	{ "Ip6", ip6, F_RAW }, { "Icmp6", icmp6, F_RAW }, { "Udp6", udp6, F_UDP },
	{ "Tcp6", tcp, F_TCP }, { 0 }
};

static struct {
	unsigned want;		/* F_* selected by -t -u -w */
	int state;
	const struct stab *tab;
	char prefix[64];	/* snmp6: the table a name belongs to */
} st;

static void indent(int state)
{
	out_spaces(state >= ST_IN ? 8 : 4);
}

/* One packed line (after its type byte) into buf, NUL-terminated. */
/* Entry text e (up to its newline) with its phrases spelled out into buf,
 * stopping after limit bytes: lookups only need the name before '|'. */
static char *expand(const char *e, char *buf, size_t limit)
{
	static const char *phrase[128];
	char *o = buf;

	if (!phrase[0])
		for (unsigned i = 0, n = 0; i < sizeof(phrases) - 1 && n < 128; i += strlen(phrases + i) + 1)
			phrase[n++] = phrases + i;
	for (; *e != '\n' && (size_t)(o - buf) < limit; e++) {
		unsigned c = (unsigned char)*e;
		if (c < 0x80)
			*o++ = c;
		else
			o = stpcpy(o, phrase[c - 0x80]);
	}
	*o = 0;
	return buf;
}

static const char *lookup(const char *ents, const char *name)
{
	char buf[256];
	size_t n = strlen(name);

	for (const char *e = ents; *e; e = strchr(e, '\n') + 1)
		if (!strncmp(expand(e + 1, buf, n + 1), name, n) && buf[n] == '|')
			return e;
	return NULL;
}

static void print_val(const char *name, uint64_t val)
{
	const char *e = st.tab->ents ? lookup(st.tab->ents, name) : NULL;
	int type;

	if (!e) {		/* net-tools' "try our best" */
		if (val) {
			indent(st.state);
			out_str(name);
			out_str(": ");
			out_u64(val);
			out_char('\n');
		}
		return;
	}
	if (*e == 'x')
		return;
	type = *e == 'n' ? ST_NUM : *e == 'o' ? ST_OPT : *e == 'i' ? ST_IN : ST_OUT;
	if (type >= ST_IN && st.state != type) {
		indent(st.state);
		out_str(type == ST_IN ? "ICMP input histogram:\n" : "ICMP output histogram:\n");
	}
	if (val || type == ST_NUM) {
		char buf[256];
		const char *s = strchr(expand(e + 1, buf, SIZE_MAX), '|') + 1, *pct = strchr(s, '%');
		indent(type);
		out_write(s, pct - s);
		out_u64(val);
		out_str(pct + 1);
		out_char('\n');
	}
	st.state = type;
}

static void new_table(const struct stab *tabs, const char *title)
{
	static struct stab unknown = { NULL, NULL, F_ANY };

	for (; tabs->title; tabs++)
		if (!strcmp(title, tabs->title)) {
			if (st.want & tabs->flag) {
				out_str(title);
				out_str(":\n");
			}
			st.state = ST_NUM;
			st.tab = tabs;
			return;
		}
	out_str(title);		/* tables net-tools does not know: always shown */
	out_str(":\n");
	st.tab = &unknown;
}

/* /proc/net/snmp and /proc/net/netstat; with only_tcp just the Tcp table */
static int pair_field(const char *table, const char *name, uint64_t val, void *only_tcp)
{
	if (only_tcp && strncmp(table, "Tcp", 3))
		return 0;
	if (!name)
		new_table(snmp_tabs, table);
	else if (st.tab->flag & (st.want | F_ANY))
		print_val(name, val);
	return 0;
}

static int sctp_field(const char *table, const char *name, uint64_t val, void *arg)
{
	if (st.want & F_SCTP)
		print_val(name, val);
	return 0;
}

/* strstr(3), which net-tools uses here; musl's costs a KiB */
static int contains(const char *s, const char *sub)
{
	size_t n = strlen(sub);

	for (; *s; s++)
		if (!strncmp(s, sub, n))
			return 1;
	return !n;
}

/* snmp6 names carry their table: "Icmp6InMsgs" is table "Icmp6" */
static int snmp6_field(const char *table, const char *name, uint64_t val, void *arg)
{
	if (!st.tab || !contains(name, st.prefix)) {
		size_t n = strcspn(name, "6");
		n += name[n] == '6';
		if (n >= sizeof(st.prefix))
			n = sizeof(st.prefix) - 1;
		memcpy(st.prefix, name, n);
		st.prefix[n] = 0;
		new_table(snmp6_tabs, st.prefix);
	}
	if (st.tab->flag & (st.want | F_ANY))
		print_val(name, val);
	return 0;
}

static int must_read(const char *rel, int pairs, sk_snmp_cb cb, void *arg)
{
	int rc = sk_snmp_read(rel, pairs, cb, arg);

	if (rc < 0) {
		out_flush();
		sb_eprintf("cannot open /proc/%s: %s\n", rel, strerror(-rc));
	}
	return rc;
}

int ns_statistics(int v6, int tcp, int udp, int raw, int sctp)
{
	st.want = (raw ? F_RAW : 0) | (tcp ? F_TCP : 0) | (udp ? F_UDP : 0) | (sctp ? F_SCTP : 0);
	if (v6) {
		if (must_read("net/snmp6", 0, snmp6_field, NULL) >= 0)
			must_read("net/snmp", 1, pair_field, (void *)1);
	} else if (must_read("net/snmp", 1, pair_field, NULL) >= 0) {
		char path[256];
		sk_snmp_read("net/netstat", 1, pair_field, NULL);
		if (!access(sk_proc_path(path, sizeof(path), "net/sctp/snmp"), R_OK)) {
			new_table(snmp_tabs, "Sctp");
			sk_snmp_read("net/sctp/snmp", 0, sctp_field, NULL);
		}
	}
	out_flush();
	return 0;
}
