/* The filter engine: ss's filter language parsed into a tree, evaluated
 * on socket records, and compiled to INET_DIAG bytecode for the kernel.
 *
 * Semantics are iproute2 6.1's as it really behaves: and/or have equal
 * precedence and group left to right ("a or b and c" is "(a or b) and
 * c"), juxtaposition means and, ! binds to the next expression; an inet
 * socket must pass both the kernel's reading of the program and
 * iproute2's own evaluator, as in iproute2. */
#ifndef LIBSOCK_FILTER_H
#define LIBSOCK_FILTER_H

#include <stddef.h>
#include "libsock/sock.h"

struct sk_filter;

/* What host conditions need from the command line around them. */
struct sk_filter_ctx {
	int family;		/* AF_* of the last family option, AF_UNSPEC if none:
				 * hosts are parsed in it (unix globs, ...) */
	uint32_t tables;	/* selected tables: tcp/udp decide service names */
	int set_family;		/* out: AF_* a host condition forced ("unix:",
				 * "inet6:", or the family above), else AF_UNSPEC */
};

/* Parse words (each may hold several tokens) followed by the text of a -F
 * file (may be NULL). Returns the tree, or NULL for an empty expression
 * with *status 0; on error prints one line and sets *status (255 for a
 * grammar error, 1 for a bad value, as iproute2). */
struct sk_filter *sk_filter_parse(int argc, char **argv, const char *file_text,
				  struct sk_filter_ctx *ctx, int *status);

void sk_filter_free(struct sk_filter *f);

/* Does the record pass? A NULL filter passes everything. */
int sk_filter_match(const struct sk_filter *f, const struct sock_rec *rec);

/* Compile f into INET_DIAG_REQ_BYTECODE for one inet dump (family
 * AF_INET or AF_INET6, table SKT_*). Returns the program length (0: no
 * program, let everything through), or -1 if it does not fit in size.
 * $SOCKBOX_NO_BYTECODE set: always 0. */
int sk_filter_bytecode(const struct sk_filter *f, int family, unsigned table,
		       void *buf, size_t size);

/* The tree on stderr, one node per line ($SOCKBOX_FILTER_DUMP). */
void sk_filter_dump(const struct sk_filter *f);

#endif
