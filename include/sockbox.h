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

/* Line reading and plain text output without libc's stdio: its FILE
 * machinery (fopen, fgets, fflush, the three FILE objects: 4 KiB) for
 * what a few lines do here. */
struct sb_file {
	int fd, own_fd;		/* own_fd: opened by sb_fopen, closed by sb_fclose */
	int err;		/* errno of a failed read (ferror), 0 if none */
	size_t pos, len;	/* unread bytes: buf[pos..len) */
	char buf[4096];
};
/* open(path, O_RDONLY | O_CLOEXEC); NULL with errno set on failure. */
struct sb_file *sb_fopen(const char *path);
/* Reads fd, which stays the caller's: sb_fclose leaves it open (stdin
 * must not become the next open's descriptor). */
struct sb_file *sb_fdopen(int fd);
/* fgets: at most size-1 bytes, up to and with a '\n', NUL-terminated;
 * NULL when the file ends (or a read fails, f->err) before any byte. */
char *sb_fgets(char *line, int size, struct sb_file *f);
void sb_fclose(struct sb_file *f);
/* s as it is on fd 1 (buffered, as out_str) or on fd 2 after flushing
 * stdout, with no length limit (long usage texts). */
void sb_puts(int fd, const char *s);

/* getopt_long for the applets, without musl's error messages and the
 * stdio they bring (libsock/getopt.c says what it does and leaves out).
 * '?' for a bad option: sb_optopt is its letter or long option's val,
 * 0 when a long name is unknown or ambiguous (argv[sb_optind - 1]).
 * -1 at the end: the operands are argv[sb_optind..]. sb_optind = 0
 * starts afresh. */
struct option;
extern char *sb_optarg;
extern int sb_optind, sb_optopt;
int sb_getopt_long(int argc, char **argv, const char *optstring, const struct option *longopts);

#endif
