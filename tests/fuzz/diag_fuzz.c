/* libFuzzer target: a sock_diag datagram as the kernel could send it,
 * through libsock's netlink walk, the inet or unix record parser, the ss
 * row printer and the JSON writer (with -i's details). The first byte
 * picks the table. */
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "libsock/json.h"
#include "libsock/out.h"
#include "libsock/sock.h"

static const unsigned tables[] = { SKT_TCP, SKT_UDP, SKT_RAW, SKT_UNIX_STREAM };

static int to_json(const struct sock_rec *r, void *arg)
{
	json_reset();
	json_obj_begin();
	sk_json_sock_fields(r);
	sk_json_details(r, SKJ_INFO);	/* tcp_info, MD5 keys, ULP */
	json_obj_end();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct sock_query q = { .tables = ~0u, .states = ~0u, .families = SKQ_V4 | SKQ_V6 };

	if (!init) {	/* output goes nowhere; a write error must not stop us */
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		init = 1;
	}
	/* The kernel's datagrams land 4-byte aligned in our buffer. */
	static uint32_t buf[16384];
	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	memcpy(buf, data + 1, size - 1);
	sock_replay(&q, tables[data[0] % 4], buf, size - 1, to_json, NULL);
	out_flush();
	return 0;
}
