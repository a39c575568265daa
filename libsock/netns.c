/* Entering a named network namespace (ss -N, sockstat -j), as `ip netns
 * exec` does for sockets: /var/run/netns/NAME, or a path. Must happen
 * before any socket is opened. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "libsock/sock.h"

int sk_netns_enter(const char *name)
{
	char path[512];
	const char *p = name;
	int fd, rc;

	if (!strchr(name, '/')) {
		size_t n = strlen(name);
		if (n + sizeof("/var/run/netns/") > sizeof(path))
			return -ENAMETOOLONG;
		memcpy(path, "/var/run/netns/", 15);
		memcpy(path + 15, name, n + 1);
		p = path;
	}
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return rc;
}
