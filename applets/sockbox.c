/* The multicall front end: picks an applet from argv[0] or argv[1];
 * `sockbox --list`, `--config`, `--install [-s] [-f] DIR`, `--help`, `--version`. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/out.h"

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
};

/* Registration: the one place where disabled applets drop out. */
static const struct applet applets[] = {
#if IS_ENABLED(CONFIG_SS)
	{ "ss", ss_main },
#endif
#if IS_ENABLED(CONFIG_NETSTAT)
	{ "netstat", netstat_main },
#endif
#if IS_ENABLED(CONFIG_SOCKSTAT)
	{ "sockstat", sockstat_main },
#endif
};

/* The CONFIG_ symbols this binary was built with (`sockbox --config`):
 * tests skip what a trimmed build left out. */
static const char build_features[] =
#include "generated/features.h"
	"";

static const struct applet *find_applet(const char *name)
{
	const struct applet *a;

	FOR_EACH(a, applets)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

static void usage(int fd)
{
	sb_puts(fd, "sockbox " SOCKBOX_VERSION " - which sockets are open, in what state, owned by whom\n"
		"\n"
		"Usage: sockbox APPLET [ARGS...]   or   APPLET [ARGS...] through a link\n"
		"       sockbox --list             list the applets of this build\n"
		"       sockbox --config           list its enabled CONFIG_ symbols\n"
		"       sockbox --install [-s] [-f] DIR\n"
		"                                  symlink every applet into DIR (-f replaces\n"
		"                                  existing files that are not links)\n"
		"       sockbox --help | --version\n"
		"\nApplets:");
	const struct applet *a;

	FOR_EACH(a, applets) {
		sb_puts(fd, " ");
		sb_puts(fd, a->name);
	}
	sb_puts(fd, "\n");
}

static int install(int argc, char **argv)
{
	int force = 0, i;
	char self[PATH_MAX];
	ssize_t n;

	for (i = 2; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-s"))
			continue;	/* symbolic links are the only kind */
		if (!strcmp(argv[i], "-f"))
			force = 1;
		else
			sb_die(1, "--install: unknown option '%s'", argv[i]);
	}
	if (i != argc - 1)
		sb_die(1, "--install: usage: sockbox --install [-s] [-f] DIR");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		sb_die(1, "--install: cannot find my own path: %s", strerror(errno));
	self[n] = 0;

	int rc = 0;
	const struct applet *a;
	FOR_EACH(a, applets) {
		char path[PATH_MAX];
		struct stat st;

		size_t dl = strlen(argv[i]), nl = strlen(a->name);

		if (dl + 1 + nl >= sizeof(path))
			sb_die(1, "--install: %s: path too long", argv[i]);
		memcpy(path, argv[i], dl);
		path[dl] = '/';
		memcpy(path + dl + 1, a->name, nl + 1);
		if (lstat(path, &st) == 0) {
			if (!S_ISLNK(st.st_mode) && !force) {
				sb_warn("--install: %s exists and is not a link (use -f)", path);
				rc = 1;
				continue;
			}
			unlink(path);
		}
		if (symlink(self, path) < 0) {
			sb_warn("--install: %s: %s", path, strerror(errno));
			rc = 1;
		}
	}
	return rc;
}

static int dispatch(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct applet *ap;

	base = base ? base + 1 : argv[0];
	if (strcmp(base, "sockbox") != 0 && (ap = find_applet(base))) {
		applet_name = ap->name;
		return ap->main(argc, argv);
	}
	if (argc < 2) {
		usage(STDERR_FILENO);
		return 1;
	}
	if (!strcmp(argv[1], "--list")) {
		FOR_EACH(ap, applets) {
			out_str(ap->name);
			out_char('\n');
		}
		return 0;
	}
	if (!strcmp(argv[1], "--config")) {
		out_str(build_features);
		return 0;
	}
	if (!strcmp(argv[1], "--install"))
		return install(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(STDOUT_FILENO);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		out_str("sockbox " SOCKBOX_VERSION "\n");
		return 0;
	}
	ap = find_applet(argv[1]);
	if (!ap)
		sb_die(127, "%s: applet not found", argv[1]);
	applet_name = ap->name;
	return ap->main(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);

	out_flush();
	return rc;
}
