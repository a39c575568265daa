/* libFuzzer target: /proc/net/{tcp,udp,raw}{,6} and /proc/net/unix text
 * through libsock's fallback parsers (and the line reader under them), the
 * filter-free delivery and the JSON writer. The text is served from a
 * memfd named by the $PROC_NET_* variables iproute2 also honours, so the
 * parsers read it exactly as they read /proc. The first byte picks the
 * file. */
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libsock/json.h"
#include "libsock/out.h"
#include "libsock/sock.h"
#include "../../libsock/family.h"

static const char *const envs[] = {
	"PROC_NET_TCP", "PROC_NET_TCP6", "PROC_NET_UDP", "PROC_NET_UDP6",
	"PROC_NET_RAW", "PROC_NET_RAW6", "PROC_NET_UNIX",
};

static int to_json(const struct sock_rec *r, void *arg)
{
	json_reset();
	json_obj_begin();
	sk_json_sock_fields(r);
	json_obj_end();
	return 0;
}

static int unix_line(const struct sk_unix_line *u, void *arg)
{
	json_reset();
	json_strn(u->path, u->path_len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned tables[] = { SKT_TCP, SKT_UDP, SKT_RAW };
	static int fd = -1;

	if (fd < 0) {	/* output goes nowhere; a write error must not stop us */
		int null = open("/dev/null", O_WRONLY);
		char path[64] = "/proc/self/fd/";
		dup2(null, STDOUT_FILENO);
		fd = memfd_create("procnet", 0);
		if (fd < 0)
			abort();
		fmt_u64(path + strlen(path), fd);
		for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
			setenv(envs[i], path, 1);
	}
	if (size < 1)
		return 0;
	if (ftruncate(fd, 0) || pwrite(fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		abort();

	unsigned pick = data[0] % 8;
	struct sock_query q = { .states = ~0u };
	if (pick < 6) {
		q.tables = SKT_BIT(tables[pick / 2]);
		q.families = pick & 1 ? SKQ_V6 : SKQ_V4;
		procnet_inet_dump(&q, q.tables, to_json, NULL);
	} else if (pick == 6) {
		q.tables = SKT_UNIX_ALL;
		procnet_unix_dump(&q, q.tables, to_json, NULL);
	} else {
		sk_proc_unix_each(unix_line, NULL);
	}
	out_flush();
	return 0;
}
