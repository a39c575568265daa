/* ss --json: the socket records through libsock's JSON writer, streamed
 * (an array, or with --json=lines one object per line). */
#include "libsock/json.h"
#include "libsock/out.h"
#include "ss.h"

void ss_json_begin(void)
{
	if (ss.json == SS_JSON_ARRAY)
		json_arr_begin();
}

int ss_json_sock(const struct sock_rec *r, void *arg)
{
	if (ss.json == SS_JSON_LINES)
		json_reset();
	json_obj_begin();
	sk_json_sock_fields(r);
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
