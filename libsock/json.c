#include <string.h>
#include <sys/socket.h>

#include "libsock/fmt.h"
#include "libsock/json.h"
#include "libsock/out.h"

/* One bit per nesting level: does the next value need a comma first? */
static uint64_t need_comma;
static unsigned depth;
static int after_key;

static void sep(void)
{
	if (after_key) {
		after_key = 0;
		return;
	}
	if (depth < 64 && (need_comma >> depth & 1))
		out_char(',');
	if (depth < 64)
		need_comma |= 1ull << depth;
}

static void open_(char c)
{
	sep();
	out_char(c);
	depth++;
	if (depth < 64)
		need_comma &= ~(1ull << depth);
}

static void close_(char c)
{
	depth--;
	out_char(c);
}

void json_obj_begin(void) { open_('{'); }
void json_obj_end(void) { close_('}'); }
void json_arr_begin(void) { open_('['); }
void json_arr_end(void) { close_(']'); }

void json_reset(void)
{
	need_comma = 0;
	depth = 0;
	after_key = 0;
}

void json_strn(const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sep();
	out_char('"');
	while (i < n) {
		unsigned c = s[i];
		size_t k;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };
			out_write(e, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			out_write(e, 6);
			i++;
		} else if ((k = fmt_utf8_len(s + i, n - i))) {
			out_write(s + i, k);
			i += k;
		} else {
			/* not UTF-8: the text "\xNN", as the text output shows */
			char e[5] = { '\\', '\\', 'x', hex[c >> 4], hex[c & 15] };
			out_write(e, 5);
			i++;
		}
	}
	out_char('"');
}

void json_str(const char *s)
{
	if (s)
		json_strn(s, strlen(s));
	else
		json_null();
}

void json_key(const char *k)
{
	json_str(k);
	out_char(':');
	after_key = 1;
}

void json_u64(uint64_t v)
{
	sep();
	out_u64(v);
}

void json_i64(int64_t v)
{
	sep();
	if (v < 0) {
		out_char('-');
		out_u64(-(uint64_t)v);
	} else {
		out_u64(v);
	}
}

void json_bool(int b)
{
	sep();
	out_str(b ? "true" : "false");
}

void json_null(void)
{
	sep();
	out_str("null");
}

const char *sk_state_name(unsigned state)
{
	static const char *const names[SK_STATE_MAX] = {
		[SK_UNKNOWN] = "unknown",
		[SK_ESTABLISHED] = "established",
		[SK_SYN_SENT] = "syn-sent",
		[SK_SYN_RECV] = "syn-recv",
		[SK_FIN_WAIT1] = "fin-wait-1",
		[SK_FIN_WAIT2] = "fin-wait-2",
		[SK_TIME_WAIT] = "time-wait",
		[SK_CLOSE] = "unconnected",
		[SK_CLOSE_WAIT] = "close-wait",
		[SK_LAST_ACK] = "last-ack",
		[SK_LISTEN] = "listening",
		[SK_CLOSING] = "closing",
		[SK_NEW_SYN_RECV] = "new-syn-recv",
		[SK_BOUND_INACTIVE] = "bound-inactive",
	};

	return state < SK_STATE_MAX ? names[state] : "unknown";
}

static void json_inet_end(const struct sock_rec *r, const uint8_t *addr,
			  uint16_t port, uint32_t ifindex)
{
	char buf[FMT_IP6_MAX];

	json_obj_begin();
	json_key("address");
	if (r->family == AF_INET)
		json_strn(buf, fmt_ip4(buf, addr));
	else
		json_strn(buf, fmt_ip6(buf, addr));
	json_key("port");
	json_u64(port);
	json_key("ifname");
	json_str(ifindex ? sk_ifname(ifindex) : NULL);
	json_obj_end();
}

static void json_unix_name(const struct sock_rec *r)
{
	char name[110];
	size_t n = r->un.name_len;

	if (!r->un.name) {
		json_null();
		return;
	}
	if (n > sizeof(name))
		n = sizeof(name);
	memcpy(name, r->un.name, n);
	if (name[0] == 0) {	/* abstract: shown as @name, NULs as @ */
		for (size_t i = 0; i < n; i++)
			if (!name[i])
				name[i] = '@';
	} else {
		n = strnlen(name, n);
	}
	json_strn(name, n);
}

void sk_json_sock_fields(const struct sock_rec *r)
{
	json_key("netid");
	json_str(sk_table_netid(r->table));
	json_key("family");
	json_str(r->family == AF_INET ? "inet" : r->family == AF_INET6 ? "inet6" :
		 r->family == AF_UNIX ? "unix" : NULL);
	json_key("state");
	json_str(sk_state_name(r->state));
	json_key("recv_q");
	if (r->has & SKH_QUEUES)
		json_u64(r->rqueue);
	else
		json_null();
	json_key("send_q");
	if (r->has & SKH_QUEUES)
		json_u64(r->wqueue);
	else
		json_null();
	if (r->family == AF_UNIX) {
		json_key("local");
		json_obj_begin();
		json_key("path");
		json_unix_name(r);
		json_key("inode");
		json_u64(r->ino);
		json_obj_end();
		json_key("peer");
		json_obj_begin();
		json_key("inode");
		if (r->has & SKH_PEER)
			json_u64(r->un.peer_ino);
		else
			json_null();
		json_obj_end();
	} else {
		json_key("local");
		json_inet_end(r, r->laddr, r->lport, r->ifindex);
		static const uint8_t zero[16];
		json_key("peer");
		if (!r->rport && !memcmp(r->raddr, zero, 16))
			json_null();	/* listening or unconnected: no peer */
		else
			json_inet_end(r, r->raddr, r->rport, 0);
		json_key("v6only");
		if (r->family == AF_INET6 && (r->has & SKH_V6ONLY))
			json_bool(r->v6only);
		else
			json_null();
	}
	json_key("inode");
	json_u64(r->ino);
	json_key("uid");
	if (r->has & SKH_UID)
		json_u64(r->uid);
	else
		json_null();
	json_key("cookie");
	if (r->has & SKH_COOKIE)
		json_u64(r->cookie);
	else
		json_null();
}
