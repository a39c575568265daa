/* cgroup v2 ids <-> paths (ss -e/--cgroup, the cgroup filter). The id of a
 * cgroup is the 8-byte file handle of its directory in the cgroup2 mount;
 * paths are shown relative to that mount, "/" for its root. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/cgroup.h"
#include "libsock/fmt.h"

const char *sk_cgroup2_mount(void)
{
	static char mnt[256];
	static int looked;
	char line[1024];

	if (looked)
		return mnt[0] ? mnt : NULL;
	looked = 1;
	struct sb_file *f = sb_fopen("/proc/self/mounts");
	while (f && sb_fgets(line, sizeof(line), f)) {
		char *w[3];
		if (sk_split_words(line, w, 3) == 3 && !strcmp(w[2], "cgroup2") &&
		    strlen(w[1]) < sizeof(mnt)) {
			strcpy(mnt, w[1]);
			break;
		}
	}
	if (f)
		sb_fclose(f);
	return mnt[0] ? mnt : NULL;
}

static uint64_t id_at(int dirfd, const char *name)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	int mount_id;

	h.fh.handle_bytes = sizeof(h.id);
	if (name_to_handle_at(dirfd, name, &h.fh, &mount_id, 0) || h.fh.handle_bytes != 8)
		return 0;
	return h.id;	/* the handle's 8 bytes are stored right there */
}

/* As iproute2: PATH as a file name first, then under the cgroup2 mount. */
uint64_t sk_cgroup_id(const char *path)
{
	const char *mnt;
	char full[1024];
	uint64_t id = id_at(AT_FDCWD, path);

	if (id)
		return id;
	mnt = sk_cgroup2_mount();
	if (!mnt || sb_snprintf(full, sizeof(full), "%s/%s", mnt,
			     path[0] == '/' ? path + 1 : path) >= (int)sizeof(full))
		return 0;
	return id_at(AT_FDCWD, full);
}

/* Depth-first search of the cgroup2 tree for id; path is built in buf. */
static int find(int dirfd, uint64_t id, char *buf, size_t len, size_t size, int depth)
{
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (depth > 64 || !(d = fdopendir(dirfd)))
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		size_t n = strlen(e->d_name);
		if (len + 1 + n >= size)
			continue;
		buf[len] = '/';
		memcpy(buf + len + 1, e->d_name, n + 1);
		if (id_at(dirfd, e->d_name) == id) {
			found = 1;
			break;
		}
		int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub >= 0)
			found = find(sub, id, buf, len + 1 + n, size, depth + 1);
	}
	closedir(d);
	if (!found)
		buf[len] = 0;
	return found;
}

const char *sk_cgroup_path(uint64_t id)
{
	/* A one-entry cache: sockets come in runs of the same cgroup. */
	static uint64_t last_id;
	static char last[1024];
	const char *mnt = sk_cgroup2_mount();

	if (id == last_id && last[0])
		return last;
	last_id = id;
	last[0] = 0;
	if (mnt) {
		int fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && id_at(fd, ".") == id)
			strcpy(last, "/");
		else if (fd >= 0 && !find(dup(fd), id, last, 0, sizeof(last), 0))
			last[0] = 0;
		if (fd >= 0)
			close(fd);
	}
	if (!last[0])
		sb_snprintf(last, sizeof(last), "unreachable:%llx", (unsigned long long)id);
	return last;
}
