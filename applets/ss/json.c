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
