/* ss's column renderer.
 *
 * iproute2 pads every column to the widest value in it, so nothing can be
 * printed before the last row is known. Rows are kept in a 1 MiB buffer
 * (a row: its length, u32, then each field as one length byte, or 255 and
 * a u32, and its bytes); beyond that they spill to an unlinked temporary
 * file, so memory stays bounded and the columns stay aligned over the
 * whole output (iproute2 re-aligns every ~5 MiB instead). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/out.h"
#include "ss.h"

#define STORE_CAP (1024 * 1024)

enum align { LEFT, RIGHT };

static struct column {
	enum align align;
	const char *header;
	int space_before;	/* a space from the previous column, if any */
	int disabled;
	size_t max_len;
	size_t width;
} cols[COL_MAX] = {
	[COL_NETID] = { LEFT, "Netid", 0, 0, 0, 0 },
	[COL_STATE] = { LEFT, "State", 1, 0, 0, 0 },
	[COL_RECVQ] = { LEFT, "Recv-Q", 1, 0, 0, 0 },
	[COL_SENDQ] = { LEFT, "Send-Q", 1, 0, 0, 0 },
	[COL_LADDR] = { RIGHT, "Local Address:", 1, 0, 0, 0 },
	[COL_LPORT] = { LEFT, "Port", 0, 0, 0, 0 },
	[COL_RADDR] = { RIGHT, "Peer Address:", 1, 0, 0, 0 },
	[COL_RPORT] = { LEFT, "Port", 0, 0, 0, 0 },
	[COL_PROC] = { LEFT, "Process", 0, 0, 0, 0 },
	[COL_EXT] = { LEFT, "", 0, 0, 0, 0 },
};

/* The row being built: one growable buffer per column. */
static struct field {
	char *s;
	size_t len, cap;
} row[COL_MAX];

/* iproute2 measures a field when it moves on to the next one, so the last
 * field written, the Process column of the last row, never counts toward
 * its column's width. Each row's Process length waits here until the
 * next row shows it was not the last. */
static size_t unmeasured_proc;

static char store[STORE_CAP];
static size_t store_len;
static int spill_fd = -1;
static int spill_failed;
static int keep_widths;

void render_keep_widths(void)
{
	keep_widths = 1;
}

void render_disable(enum ss_col col)
{
	cols[col].disabled = 1;
}

void render_field(enum ss_col col, const char *s, size_t n)
{
	struct field *f = &row[col];

	if (f->len + n > f->cap) {
		size_t cap = (f->len + n) * 2 + 64;
		char *p = realloc(f->s, cap);
		if (!p)
			sb_die(1, "out of memory");
		f->s = p;
		f->cap = cap;
	}
	memcpy(f->s + f->len, s, n);
	f->len += n;
}

void render_str(enum ss_col col, const char *s)
{
	render_field(col, s, strlen(s));
}

static int spill_open(void)
{
	static const char *const dirs[] = { "/tmp", "/dev/shm", "/var/tmp", "." };
	const char *env = getenv("TMPDIR");

	if (env) {
		spill_fd = open(env, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (spill_fd >= 0)
			return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		spill_fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (spill_fd >= 0)
			return 0;
	}
	return -1;
}

static void store_spill(void)
{
	const char *p = store;
	size_t n = store_len;

	while (n) {
		ssize_t w = write(spill_fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			sb_die(1, "writing temporary file: %s", strerror(errno));
		}
		p += w;
		n -= w;
	}
	store_len = 0;
}

static void store_put(const void *p, size_t n)
{
	while (n) {
		if (store_len == STORE_CAP) {
			/* No room to spill: print what we have, aligned on its
			 * own (iproute2's behaviour for every batch). */
			if (spill_fd < 0 && (spill_failed || spill_open() < 0)) {
				spill_failed = 1;
				render_flush();
				continue;
			}
			store_spill();
		}
		size_t k = STORE_CAP - store_len < n ? STORE_CAP - store_len : n;
		memcpy(store + store_len, p, k);
		store_len += k;
		p = (const char *)p + k;
		n -= k;
	}
}

/* A field's length as stored: the bytes written to p (1 or 5). */
static size_t put_len(unsigned char *p, uint32_t len)
{
	if (len < 255) {
		*p = len;
		return 1;
	}
	*p = 255;
	memcpy(p + 1, &len, sizeof(len));
	return 5;
}

static void end_row(int measure_all)
{
	uint32_t row_len = 0;
	int c;

	if (unmeasured_proc > cols[COL_PROC].max_len)
		cols[COL_PROC].max_len = unmeasured_proc;
	unmeasured_proc = 0;
	for (c = 0; c < COL_MAX; c++) {
		size_t len = row[c].len;

		if (cols[c].disabled)
			continue;
		if (c == COL_PROC && !measure_all)
			unmeasured_proc = len;
		else if (len > cols[c].max_len)
			cols[c].max_len = len;
		row_len += (len < 255 ? 1 : 5) + len;
	}
	if (store_len + sizeof(row_len) + row_len <= STORE_CAP) {	/* the usual case */
		unsigned char *p = (unsigned char *)store + store_len;
		memcpy(p, &row_len, sizeof(row_len));
		p += sizeof(row_len);
		for (c = 0; c < COL_MAX; c++) {
			if (cols[c].disabled)
				continue;
			p += put_len(p, row[c].len);
			if (row[c].len)	/* a field never written has no buffer */
				memcpy(p, row[c].s, row[c].len);
			p += row[c].len;
		}
		store_len += sizeof(row_len) + row_len;
	} else {
		store_put(&row_len, sizeof(row_len));
		for (c = 0; c < COL_MAX; c++) {
			unsigned char hdr[5];
			if (cols[c].disabled)
				continue;
			store_put(hdr, put_len(hdr, row[c].len));
			store_put(row[c].s, row[c].len);
		}
	}
	for (c = 0; c < COL_MAX; c++)
		row[c].len = 0;
}

void render_end_row(void)
{
	end_row(0);
}

void render_header(void)
{
	for (int c = 0; c < COL_EXT; c++)
		if (!cols[c].disabled)
			render_str(c, cols[c].header);
	end_row(1);
}

static int screen_width(void)
{
	struct winsize w;
	const char *env;

	/* Only a terminal gets fitted: piped output must stay exactly what
	 * iproute2 prints, whatever $COLUMNS says. */
	if (!isatty(STDOUT_FILENO))
		return -1;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0)
		return w.ws_col;
	env = getenv("COLUMNS");
	return env && (int)sb_strtou(env, NULL) > 0 ? (int)sb_strtou(env, NULL) : -1;
}

static void calc_widths(void)
{
	int first = 1;

	for (int c = 0; c < COL_MAX; c++) {
		struct column *col = &cols[c];

		if (col->disabled)
			continue;
		col->width = col->max_len;
		if (!first && col->max_len)
			col->width += col->space_before;
		if (col->width)
			first = 0;
	}
}

/* On a terminal, spread the room left after the socket columns and the
 * Process column over the socket columns (as iproute2 does, rightmost
 * first), but never pad a line out to the screen's edge. */
static void fit_to_screen(int screen)
{
	long spare = screen;
	int n = 0;

	for (int c = 0; c <= COL_PROC; c++) {
		if (cols[c].disabled || !cols[c].width)
			continue;
		spare -= cols[c].width;
		n += c < COL_PROC;
	}
	if (!n || spare <= 0)
		return;
	for (int c = COL_PROC - 1; c >= 0; c--) {
		if (cols[c].disabled || !cols[c].width)
			continue;
		cols[c].width += spare / n + (spare % n > 0);
		spare -= spare / n + (spare % n > 0);
		n--;
	}
}

/* Emitting pending padding lazily lets the terminal mode drop it at the
 * end of a line. */
static size_t pad_pending;
static int trim_trailing;

static void pad(size_t n)
{
	if (trim_trailing)
		pad_pending += n;
	else
		out_spaces(n);
}

static void emit(const char *s, size_t n)
{
	if (!n)
		return;
	if (pad_pending) {
		out_spaces(pad_pending);
		pad_pending = 0;
	}
	out_write(s, n);
}

static void print_token(int c, int first, const char *s, size_t len)
{
	const struct column *col = &cols[c];
	size_t space = !first && col->space_before;
	size_t fill = col->width > space + len ? col->width - space - len : 0;

	if (!trim_trailing && space + fill + len <= OUT_ROOM_MAX) {
		/* the usual case, once per field: straight into the buffer */
		char *p = out_room(space + fill + len);
		if (space)
			*p++ = ' ';
		if (col->align == RIGHT) {
			memset(p, ' ', fill);
			memcpy(p + fill, s, len);
		} else {
			memcpy(p, s, len);
			memset(p + len, ' ', fill);
		}
		out_claim(space + fill + len);
		return;
	}
	if (space)
		emit(" ", 1);
	if (col->align == RIGHT) {
		pad(fill);
		emit(s, len);
	} else {
		emit(s, len);
		pad(fill);
	}
}

/* Replays a buffer of whole rows; returns the bytes consumed (a row cut
 * at the end of the buffer is left for the next call). */
static size_t replay(const char *buf, size_t n)
{
	size_t pos = 0;
	uint32_t row_len;

	while (n - pos >= sizeof(row_len)) {
		memcpy(&row_len, buf + pos, sizeof(row_len));
		if (n - pos - sizeof(row_len) < row_len)
			break;
		const unsigned char *p = (const unsigned char *)buf + pos + sizeof(row_len);
		int first = 1;

		for (int c = 0; c < COL_MAX; c++) {
			uint32_t len;
			if (cols[c].disabled)
				continue;
			len = *p++;
			if (len == 255) {
				memcpy(&len, p, sizeof(len));
				p += sizeof(len);
			}
			print_token(c, first, (const char *)p, len);
			p += len;
			first = 0;
		}
		pos += sizeof(row_len) + row_len;
		pad_pending = 0;
		out_char('\n');
	}
	return pos;
}

static void replay_spill(void)
{
	size_t cap = 64 * 1024, have = 0;
	char *buf = malloc(cap);

	if (!buf)
		sb_die(1, "out of memory");
	lseek(spill_fd, 0, SEEK_SET);
	for (;;) {
		if (have == cap) {	/* one row larger than the buffer */
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				sb_die(1, "out of memory");
			buf = nb;
		}
		ssize_t r = read(spill_fd, buf + have, cap - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			sb_die(1, "reading temporary file: %s", strerror(errno));
		if (r == 0)
			break;
		have += r;
		size_t used = replay(buf, have);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(buf);
	close(spill_fd);
	spill_fd = -1;
}

void render_flush(void)
{
	int screen = screen_width();

	calc_widths();
	trim_trailing = screen > 0;
	if (screen > 0)
		fit_to_screen(screen);
	if (spill_fd >= 0) {
		store_spill();
		replay_spill();
	} else {
		replay(store, store_len);
	}
	store_len = 0;
	unmeasured_proc = 0;
	for (int c = 0; c < COL_MAX && !keep_widths; c++)
		cols[c].max_len = 0;
}
