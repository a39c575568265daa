/* ss --json: the socket records through libsock's JSON writer, streamed
 * (an array, or with --json=lines one object per line). */
#include <sys/socket.h>
#include <linux/inet_diag.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/json.h"
#include "libsock/out.h"
#include "ss.h"

void ss_json_begin(void)
{
	if (ss.json == SS_JSON_ARRAY)
		json_arr_begin();
}

/* "KEY": [addresses] of an SCTP address list (null: neither v4 nor v6) */
static void sctp_addr_list(const struct sock_rec *r, const char *key, unsigned type)
{
	const void *list = ss_attr(r, type);
	char buf[FMT_IP6_MAX];
	uint8_t a[16];
	int family;

	if (!list)
		return;
	json_key(key);
	json_arr_begin();
	for (unsigned i = 0; (family = sk_sctp_addr(list, r->attr_len[type], i, a)) >= 0; i++) {
		if (family)
			json_strn(buf, family == AF_INET ? fmt_ip4(buf, a) : fmt_ip6(buf, a));
		else
			json_null();
	}
	json_arr_end();
}

int ss_json_sock(const struct sock_rec *r, void *arg)
{
	if (ss.json == SS_JSON_LINES)
		json_reset();
	json_obj_begin();
	sk_json_sock_fields(r);
	/* schema 1.3: an association's own state; -i/-m: every address */
	if (ss_sctp_assoc(r))
		json_key_str("sctp_state", ss_sctp_state(r->state));
	if (IS_ENABLED(CONFIG_SCTP) && r->table == SKT_SCTP && (ss.show_info || ss.show_mem)) {
		sctp_addr_list(r, "sctp_locals", INET_DIAG_LOCALS);
		sctp_addr_list(r, "sctp_peers", INET_DIAG_PEERS);
	}
	if (ss.procs) {
		size_t n = 0;
		const struct sk_owner *o = r->ino ? procmap_find(ss.procs, r->ino, &n) : NULL;
		sk_json_users(o, n, ss.show_threads);
	}
	/* -e shows the cgroup path too, so its JSON has the cgroup object */
	sk_json_details(r, (ss.show_options ? SKJ_TIMER : 0) | (ss.show_details ? SKJ_EXT : 0) |
			   (ss.show_mem ? SKJ_MEM : 0) | (ss.show_info ? SKJ_INFO : 0) |
			   (ss.show_tos ? SKJ_TOS : 0) |
			   (ss.show_cgroup || ss.show_details ? SKJ_CGROUP : 0));
	json_obj_end();
	if (ss.json == SS_JSON_LINES)
		out_char('\n');
	return 0;
}

void ss_json_end(void)
{
	if (ss.json == SS_JSON_ARRAY) {
		json_arr_end();
		out_char('\n');
	}
}
