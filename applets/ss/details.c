/* ss -o and -e: timers and socket details, after the Process column's
 * users:(...) as iproute2 6.1 prints them. */
#include <string.h>
#include <sys/socket.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/out.h"
#include "ss.h"

static void put_u(const char *label, uint64_t v)
{
	char buf[24];

	render_str(COL_PROC, label);
	render_field(COL_PROC, buf, fmt_u64(buf, v));
}

static void put_hex(const char *label, uint64_t v)
{
	char buf[17], *p = buf + sizeof(buf);

	render_str(COL_PROC, label);
	do
		*--p = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	render_field(COL_PROC, p, buf + sizeof(buf) - p);
}

/* "Xmin", "Ysec", "Y.ZZZsec", "ZZZms": minutes drop the milliseconds and,
 * from ten minutes on, the seconds; seconds from ten on drop the ms. */
static void ms_timer(uint32_t ms)
{
	unsigned secs = ms / 1000, min = secs / 60, msec = ms % 1000;
	char buf[24];

	secs %= 60;
	if (min) {
		msec = 0;
		render_field(COL_PROC, buf, fmt_u64(buf, min));
		render_str(COL_PROC, "min");
		if (min > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msec = 0;
		render_field(COL_PROC, buf, fmt_u64(buf, secs));
		render_str(COL_PROC, msec ? "." : "sec");
	}
	if (msec) {
		buf[0] = '0' + msec / 100;
		buf[1] = '0' + msec / 10 % 10;
		buf[2] = '0' + msec % 10;
		render_field(COL_PROC, buf, 3);
		render_str(COL_PROC, "ms");
	}
}

static void shutdown_marks(const struct sock_rec *r)
{
	char m[4] = { ' ', r->shutdown & 1 ? '-' : '<', '-', r->shutdown & 2 ? '-' : '>' };

	render_field(COL_PROC, m, 4);
}

void ss_print_details(const struct sock_rec *r)
{
	static const char *const timers[] = { "off", "on", "keepalive", "timewait", "persist", "unknown" };

	if (r->family == AF_UNIX) {
		if (!ss.show_details)
			return;
		if (r->has & SKH_SHUTDOWN)
			shutdown_marks(r);
		if (r->has & SKH_VFS) {
			uint32_t dev = r->un.vfs_dev;
			put_u(" ino:", r->un.vfs_ino);
			put_u(" dev:", (dev >> 8) & 0xfff);
			put_u("/", (dev & 0xff) | ((dev >> 12) & 0xfff00));
		}
		if (r->un.icons) {
			render_str(COL_PROC, " peers:");
			for (uint32_t i = 0; i < r->un.n_icons; i++) {
				uint32_t ino;
				memcpy(&ino, r->un.icons + i, 4);
				put_u(" ", ino);
			}
		}
		return;
	}
	if (r->family != AF_INET && r->family != AF_INET6)
		return;
	if (ss.show_options && r->timer) {
		render_str(COL_PROC, " timer:(");
		render_str(COL_PROC, timers[r->timer > 4 ? 5 : r->timer]);
		render_field(COL_PROC, ",", 1);
		ms_timer(r->expires_ms);
		put_u(",", r->retrans);
		render_field(COL_PROC, ")", 1);
	}
	if (!ss.show_details)
		return;
	if (r->uid)
		put_u(" uid:", r->uid);
	put_u(" ino:", r->ino);
	put_hex(" sk:", r->cookie);
	if (r->mark)
		put_hex(" fwmark:0x", r->mark);
	if (r->cgroup_id) {
		render_str(COL_PROC, " cgroup:");
		render_str(COL_PROC, sk_cgroup_path(r->cgroup_id));
	}
	if (r->family == AF_INET6 && (r->has & SKH_V6ONLY))
		put_u(" v6only:", r->v6only);
	if (r->has & SKH_SHUTDOWN)
		shutdown_marks(r);
}
