/* A streaming JSON writer on out.h, and the socket record serialiser
 * every applet's --json uses. Numbers as numbers, addresses as strings,
 * null for absent values, strings escaped per RFC 8259 with bytes that
 * are not valid UTF-8 written as the text "\xNN" (what the text output
 * shows), so no invalid UTF-8 ever reaches the consumer. */
#ifndef LIBSOCK_JSON_H
#define LIBSOCK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "libsock/procmap.h"
#include "libsock/sock.h"

#define SK_JSON_SCHEMA_VERSION 1
#define SK_JSON_SCHEMA_MINOR 3

void json_obj_begin(void);
void json_obj_end(void);
void json_arr_begin(void);
void json_arr_end(void);
/* keys are written as they are: sockbox's own constant identifiers */
void json_key(const char *k);
void json_strn(const char *s, size_t n);
void json_str(const char *s);		/* NULL writes null */
void json_u64(uint64_t v);
void json_i64(int64_t v);
void json_bool(int b);
void json_null(void);
/* A member: key and value in one call (smaller call sites). */
void json_key_u64(const char *k, uint64_t v);
void json_key_str(const char *k, const char *s);
/* Start a new top-level value (a line of --json=lines output). */
void json_reset(void);

/* Lower-case state name as the filter language spells it. */
const char *sk_state_name(unsigned state);

/* The common fields of a socket as members of the current object. */
void sk_json_sock_fields(const struct sock_rec *r);

/* Detail objects (ss -o -e -m -i --tos --cgroup), built from the record's
 * raw kernel attributes; each named member is written when its bit is set
 * (null when the kernel sent nothing). */
enum {
	SKJ_TIMER = 1u << 0,	/* "timer" */
	SKJ_EXT = 1u << 1,	/* "extended" */
	SKJ_MEM = 1u << 2,	/* "skmeminfo", "meminfo" */
	SKJ_INFO = 1u << 3,	/* "tcp_info", "cong", "vegas_info", ... */
	SKJ_TOS = 1u << 4,	/* "tos" */
	SKJ_CGROUP = 1u << 5,	/* "cgroup" */
};
void sk_json_details(const struct sock_rec *r, unsigned what);

/* "users": the processes holding a socket, as ss -p lists them (tid too
 * with threads). */
void sk_json_users(const struct sk_owner *o, size_t n, int threads);

#endif
