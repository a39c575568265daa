/* cgroup v2 ids and paths. */
#ifndef LIBSOCK_CGROUP_H
#define LIBSOCK_CGROUP_H

#include <stdint.h>

/* Where cgroup2 is mounted, or NULL. */
const char *sk_cgroup2_mount(void);
/* The id of a cgroup path (relative to the mount, or absolute within
 * it); 0 if there is no such cgroup. */
uint64_t sk_cgroup_id(const char *path);
/* The path of an id ("/" for the root), or "unreachable:HEX". */
const char *sk_cgroup_path(uint64_t id);

#endif
