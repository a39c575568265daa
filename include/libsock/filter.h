/* The filter engine: ss's filter language parsed into a tree, evaluated
 * on socket records, and compiled to INET_DIAG bytecode for the kernel. */
#ifndef LIBSOCK_FILTER_H
#define LIBSOCK_FILTER_H

#include <stddef.h>
#include "libsock/sock.h"

struct sk_filter;

/* Does the record pass? A NULL filter passes everything. */
int sk_filter_match(const struct sk_filter *f, const struct sock_rec *rec);

/* Compile f into INET_DIAG_REQ_BYTECODE for one inet dump (family
 * AF_INET or AF_INET6, table SKT_*). Returns the program length (0: no
 * program, let everything through), or -1 if it does not fit in size. */
int sk_filter_bytecode(const struct sk_filter *f, int family, unsigned table,
		       void *buf, size_t size);

#endif
