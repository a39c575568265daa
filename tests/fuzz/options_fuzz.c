/* libFuzzer target: the option parsers of ss, netstat and sockstat. Byte 0
 * picks the applet; the rest, split at NUL bytes, is its argv. Each applet
 * main runs in-process through getopt and its argument and filter parsing;
 * the link (see the Makefile) wraps the calls that would act:
 *   exit        longjmps back here (sb_die, --help, bad input)
 *   sock_dump, ns_routes, ns_interfaces, ns_groups
 *               return "nothing found" without asking the kernel
 *   sk_netns_enter  pretends success (the fuzzer stays in its namespace)
 *   sleep       ends netstat -c after its first round
 *   ss_follow   ss -E returns at once instead of waiting for events
 *   open        creates no file (ss -D FILE); other opens go through
 *   procmap_build/procmap_free  one empty map, built once
 *   write       drops the applets' stderr lines (they would flood the log)
 *   sb_fopen    finds no file named in the input (ss -F; "-" is /dev/null)
 *   sk_host_addrs, sk_host_name  find no host (filter host names,
 *               netstat's names; no DNS while fuzzing)
 * $PROC_ROOT names a scratch directory, removed once the map is built. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "libsock/sock.h"
#include "libsock/fmt.h"
#include "../../applets/ss/ss.h"
#include "../../applets/netstat/netstat.h"

/* An applet's exit leaves its memory to the OS; leaving it by longjmp
 * leaks that memory by design, so leaks are not findings here. */
const char *__asan_default_options(void) { return "detect_leaks=0"; }

/* libFuzzer's own threads sleep and exit too: only this thread's calls
 * from inside an applet are caught. */
static jmp_buf back;
static __thread int in_applet;

void __real_exit(int status) __attribute__((noreturn));
ssize_t __real_write(int fd, const void *p, size_t n);
unsigned __real_sleep(unsigned s);
struct sb_file *__real_sb_fopen(const char *path);
struct procmap *__real_procmap_build(unsigned flags);

void __wrap_exit(int status)
{
	if (in_applet)
		longjmp(back, 1);
	__real_exit(status);
}

unsigned __wrap_sleep(unsigned s)
{
	if (in_applet)
		longjmp(back, 1);
	return __real_sleep(s);
}

ssize_t __wrap_write(int fd, const void *p, size_t n)
{
	if (in_applet && fd == STDERR_FILENO)
		return n;
	return __real_write(fd, p, n);
}

static char buf[4096];	/* the argument strings */

struct sb_file *__wrap_sb_fopen(const char *path)
{
	if (path < buf || path >= buf + sizeof(buf))
		return __real_sb_fopen(path);	/* not from the input */
	errno = ENOENT;
	return NULL;
}

int __wrap_sk_host_addrs(const char *name, int family, struct sk_host_addr *out, int max)
{
	return 0;
}

const char *__wrap_sk_host_name(int family, const uint8_t *addr)
{
	return NULL;
}

int __wrap_sock_dump(const struct sock_query *q, sock_cb cb, void *arg) { return 0; }
int __wrap_ss_follow(const struct sock_query *q) { return 0; }

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	if (flags & O_CREAT) {
		errno = EACCES;
		return -1;
	}
	return __real_open(path, flags);
}
int __wrap_ns_routes(int family) { return 0; }
int __wrap_ns_interfaces(int round) { return 0; }
int __wrap_ns_groups(void) { return 0; }
int __wrap_sk_netns_enter(const char *name) { return 0; }

static struct procmap *empty_map;

struct procmap *__wrap_procmap_build(unsigned flags)
{
	return empty_map;
}

void __wrap_procmap_free(struct procmap *pm) {}

static int (*const mains[])(int, char **) = { ss_main, netstat_main, sockstat_main };
static const char *const names[] = { "ss", "netstat", "sockstat" };

/* One empty process map; stdin and stdout on /dev/null; and a higher RSS
 * limit (before the command line's flags, which may lower it again):
 * leaving an applet by longjmp keeps what it would leave to exit (filter
 * trees, a few MB a second), which is not a finding. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/options_fuzz.XXXXXX", rss[] = "-rss_limit_mb=16384";
	static char *args[256];
	int null = open("/dev/null", O_RDWR);

	if (!mkdtemp(dir) || null < 0)
		abort();
	setenv("PROC_ROOT", dir, 1);
	empty_map = __real_procmap_build(0);
	rmdir(dir);	/* later /proc reads find nothing */
	if (!empty_map)
		abort();
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	if (*argc < 250) {
		args[0] = (*argv)[0];
		args[1] = rss;
		memcpy(args + 2, *argv + 1, *argc * sizeof(char *));	/* with the NULL */
		*argv = args;
		++*argc;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[34];
	int argc = 0;

	if (size < 1 || size > sizeof(buf))
		return 0;
	unsigned app = data[0] % 3;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	argv[argc++] = (char *)names[app];
	for (char *p = buf; p < buf + size - 1 && argc < 33; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	applet_name = names[app];
	memset(&ss, 0, sizeof(ss));
	memset(&ns, 0, sizeof(ns));
	sb_optind = 0;	/* sb_getopt_long starts afresh */
	in_applet = 1;
	if (!setjmp(back))
		mains[app](argc, argv);
	in_applet = 0;
	out_flush();
	return 0;
}
