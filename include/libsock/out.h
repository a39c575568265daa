/* Buffered stdout for every printer: hand-written number formatting and
 * one write() per 64 KiB, no stdio on the hot path. */
#ifndef LIBSOCK_OUT_H
#define LIBSOCK_OUT_H

#include <stddef.h>
#include <stdint.h>

void out_write(const void *p, size_t n);
void out_str(const char *s);
void out_char(char c);
void out_spaces(size_t n);
/* Room for n <= OUT_ROOM_MAX bytes at the end of the buffer, to be filled
 * and then added with out_claim(n): one copy, no call per piece. */
#define OUT_ROOM_MAX 4096
char *out_room(size_t n);
void out_claim(size_t n);
void out_u64(uint64_t v);
void out_hex(uint64_t v);
/* Write what is buffered. A write error other than EPIPE is reported as
 * "APPLET: write error: ..." and exits 1; EPIPE exits quietly. */
void out_flush(void);

/* Digits of v, written backwards ending just before end; returns start. */
char *fmt_u64_rev(char *end, uint64_t v);
/* Decimal v into buf (at least 21 bytes), NUL-terminated; returns length. */
size_t fmt_u64(char *buf, uint64_t v);

#endif
