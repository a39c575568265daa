/* ss applet internals: options, the column renderer, the row printer. */
#ifndef SS_H
#define SS_H

#include <stddef.h>
#include "libsock/sock.h"

enum ss_col {
	COL_NETID, COL_STATE, COL_RECVQ, COL_SENDQ,
	COL_LADDR, COL_LPORT, COL_RADDR, COL_RPORT,
	COL_PROC, COL_EXT, COL_MAX
};

struct ss_opts {
	int numeric;
	int resolve;
	int no_header;
	int oneline;
	int show_options, show_details, show_mem, show_info;
	int show_processes, show_threads;
	int show_tos, show_cgroup, show_inet_sockopt, show_bpf;
	int show_extras;	/* any of the above that ss_print_details prints */
	int show_tipcinfo;
	int kill;		/* -K; 2 once a socket could not be closed */
	int events;		/* -E */
	unsigned dg_table;	/* SKT_TCP/UDP/RAW whose services other inet
				 * tables borrow, SKT_MAX: any protocol */
	int json;		/* SS_JSON_* */
	struct procmap *procs;	/* with -p/-T */
};
enum { SS_JSON_OFF, SS_JSON_ARRAY, SS_JSON_LINES };
extern struct ss_opts ss;

/* Renderer: rows are built field by field, then printed with widths that
 * fit the whole output (spilling to a temporary file past a memory cap,
 * so memory stays bounded without columns jumping). */
void render_disable(enum ss_col col);
/* Append text to the current row's field col (fields of a row are
 * written in column order; skipped ones stay empty). */
void render_field(enum ss_col col, const char *s, size_t n);
void render_str(enum ss_col col, const char *s);
void render_end_row(void);
void render_header(void);
/* Print everything and reset. */
void render_flush(void);
/* Column widths only grow from now on, over every render_flush (-E). */
void render_keep_widths(void);

/* Print one socket as a row. */
int ss_print_sock(const struct sock_rec *rec, void *arg);

/* An SCTP association state's name ("ESTAB", "COOKIE_WAIT"), "" if unknown. */
const char *ss_sctp_state(unsigned state);
/* Whether a row to print is an SCTP association (call once per row). */
int ss_sctp_assoc(const struct sock_rec *rec);

/* -K: close a socket, then print it; -E: print sockets as they close. */
int ss_kill_sock(const struct sock_rec *rec, void *arg);
int ss_follow(const struct sock_query *q);

/* -o/-e/-m/-i/--tos/--cgroup/--inet-sockopt/-b text after users:(...),
 * in the Process column. */
void ss_print_details(const struct sock_rec *rec);
/* -m/-i block of an inet socket; skmem:(...) from attribute type. */
void ss_print_info(const struct sock_rec *rec);
void ss_print_skmem(const struct sock_rec *rec, unsigned type);
/* The record's attribute of that type (INET_DIAG_*, UNIX_DIAG_*, ...),
 * or NULL (records from /proc have none). */
const void *ss_attr(const struct sock_rec *rec, unsigned type);

/* -s: the summary block from /proc/net/sockstat{,6} and snmp. */
void ss_print_summary(void);

/* --json: begin, one object per socket, end. */
void ss_json_begin(void);
int ss_json_sock(const struct sock_rec *rec, void *arg);
void ss_json_end(void);

#endif
