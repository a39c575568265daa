/* Shared by the multicall front end and every applet. */
#ifndef SOCKBOX_H
#define SOCKBOX_H

#include "kconfig.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Pointer walk: no "always false" warning when a configuration leaves a
 * registration table empty. */
#define FOR_EACH(p, arr) for (p = (arr); p < (arr) + ARRAY_SIZE(arr); p++)

/* Name the running applet prints in its messages ("ss", "netstat"...). */
extern const char *applet_name;

int ss_main(int argc, char **argv);
int netstat_main(int argc, char **argv);
int sockstat_main(int argc, char **argv);

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* "APPLET: message\n" on stderr (stdout flushed first); the die variant
 * exits with status. Formats: see sb_vfmt (a printf subset without
 * floating point). */
void sb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
/* A message on stderr as it is, no applet prefix (the reference tools'
 * own wordings); stdout is flushed first. */
void sb_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t sb_vfmt(char *buf, size_t size, const char *fmt, va_list ap);
/* strtoull(s, end, 10) without libc's number scanner (1.5 KiB): blanks,
 * a sign, decimal digits; saturates at UINT64_MAX. */
uint64_t sb_strtou(const char *s, char **end);
/* The CPUs this process may run on (1 when that cannot be told). */
unsigned sb_cpus(void);
/* qsort's contract (not stable), as a small heapsort. */
void sb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* snprintf for sb_vfmt's subset; returns the length it wanted. */
size_t sb_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
