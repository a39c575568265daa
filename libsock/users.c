/* User names from /etc/passwd, parsed once (a static binary has no NSS);
 * numbers when a uid has no name. */
#include <stdlib.h>
#include <string.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"

struct user {
	uint32_t uid;
	char *name;
};

static struct user *users;
static size_t n_users;

static void users_load(void)
{
	static int loaded;
	char line[1024];
	size_t cap = 0;
	struct sb_file *f;

	if (loaded)
		return;
	loaded = 1;
	f = sb_fopen("/etc/passwd");
	while (f && sb_fgets(line, sizeof(line), f)) {
		char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *uid = strtok(NULL, ":");
		char *end;
		unsigned long u = uid ? sb_strtou(uid, &end) : 0;

		if (!name || !pw || !uid || *end || end == uid)
			continue;
		if (n_users == cap) {
			struct user *nu = realloc(users, (cap = cap ? cap * 2 : 64) * sizeof(*nu));
			if (!nu)
				break;
			users = nu;
		}
		users[n_users].uid = u;
		users[n_users].name = strdup(name);
		if (users[n_users].name)
			n_users++;
	}
	if (f)
		sb_fclose(f);
}

const char *sk_user_name(uint32_t uid, int numeric)
{
	static char num[24];

	if (!numeric) {
		users_load();
		for (size_t i = 0; i < n_users; i++)	/* first entry wins */
			if (users[i].uid == uid)
				return users[i].name;
	}
	fmt_u64(num, uid);
	return num;
}
