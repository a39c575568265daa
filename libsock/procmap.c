/* The process map: which (process, fd) pairs hold each socket inode.
 *
 * One pass over $PROC_ROOT/[pid]/fd (and task/[tid]/fd with PM_THREADS):
 * getdents64 on directory fds, one readlinkat per fd, no stdio. Owners go
 * into one array; an open-addressing table maps an inode to its newest
 * owner and each owner links to the previous one of the same inode, so a
 * look-up is O(1) and owners come out most recently scanned first, the
 * order iproute2 prints. Processes that vanish mid-scan are skipped.
 *
 * With several CPUs (CONFIG_PROCESSES_THREADS) the processes are shared out
 * among up to four threads, each filling arrays of its own; the parts are
 * then joined in /proc's order, so the result is the same as one thread's.
 * The scan is one system call per descriptor: on a big server that is
 * most of the time of ss -p, and it divides well.
 *
 * Better still, as root on a system with many open files, a BPF iterator
 * (bpfiter.c, CONFIG_PROCESSES_BPF) hands over every socket fd of every
 * process in one pass, in the same order; /proc then gives only each
 * process's name and uid. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "bpfiter.h"

struct owner_ent {
	struct sk_owner o;
	uint32_t ino;
	uint32_t prev;		/* index + 1 of the previous owner of ino, 0: none */
};

struct procmap {
	struct sk_proc **procs;	/* stable pointers: owners point at them */
	size_t n_procs, cap_procs;
	struct owner_ent *ents;
	size_t n_ents, cap_ents;
	uint32_t *slots;	/* index + 1 into ents of an inode's newest owner */
	size_t n_slots;		/* power of two */
	struct sk_owner *found;	/* procmap_find's answer */
	size_t found_cap;
	int proc_fd;
	int denied;		/* fd directories we may not read */
};

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Calls fn for each numeric entry of the directory open at dfd. */
static void each_number(int dfd, void (*fn)(void *, int, uint32_t, const char *),
			void *arg)
{
	char buf[16384];

	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			const char *s = d->d_name;
			uint32_t v = 0;

			off += d->d_reclen;
			if (*s < '0' || *s > '9')
				continue;
			while (*s >= '0' && *s <= '9' && v < 429496729)
				v = v * 10 + (*s++ - '0');
			if (!*s)
				fn(arg, dfd, v, d->d_name);
		}
	}
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 256;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * size);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/* Name from "PID (name) S ...": up to the LAST ')' so that names holding
 * ')' or spaces survive; made terminal-safe. */
static void read_comm(int dirfd, struct sk_proc *p)
{
	char buf[512];
	int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	p->comm[0] = 0;
	p->raw_len = 0;
	if (n <= 0)
		return;
	buf[n] = 0;
	char *open_ = strchr(buf, '('), *close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_)
		return;
	size_t len = close_ - open_ - 1;
	p->raw_len = len < sizeof(p->raw_comm) ? len : sizeof(p->raw_comm);
	memcpy(p->raw_comm, open_ + 1, p->raw_len);
	if (len > (sizeof(p->comm) - 1) / 4)
		len = (sizeof(p->comm) - 1) / 4;
	fmt_safe(p->comm, open_ + 1, len);
}

struct scan {
	struct procmap *pm;
	unsigned flags;
	uint32_t pid, tid;
	struct sk_proc *proc;	/* created at the first socket fd */
	int task_dir;		/* the pid's or tid's directory, for stat */
	int failed;
};

/* Notes that the scanned task holds socket ino as fd. */
static void add_owner(struct scan *sc, uint32_t fd, uint32_t ino)
{
	struct procmap *pm = sc->pm;

	if (!sc->proc) {
		struct sk_proc *p = calloc(1, sizeof(*p));
		struct stat st;
		if (!p || grow((void **)&pm->procs, &pm->cap_procs, pm->n_procs + 1,
			       sizeof(*pm->procs))) {
			free(p);
			sc->failed = 1;
			return;
		}
		p->pid = sc->pid;
		if (fstat(sc->task_dir, &st) == 0)
			p->uid = st.st_uid;
		read_comm(sc->task_dir, p);
		pm->procs[pm->n_procs++] = p;
		sc->proc = p;
	}
	if (grow((void **)&pm->ents, &pm->cap_ents, pm->n_ents + 1, sizeof(*pm->ents))) {
		sc->failed = 1;
		return;
	}
	struct owner_ent *e = &pm->ents[pm->n_ents++];
	e->o.proc = sc->proc;
	e->o.tid = sc->tid;
	e->o.fd = fd;
	e->ino = ino;
}

static void add_fd(void *arg, int fddir, uint32_t fd, const char *name)
{
	char link[64];
	ssize_t n = readlinkat(fddir, name, link, sizeof(link) - 1);
	uint32_t ino = 0;
	uint64_t head, sock;

	/* One word compare, not libc's byte-wise memcmp: once per fd. */
	memcpy(&sock, "socket:[", 8);
	if (n < 9 || (memcpy(&head, link, 8), head != sock))
		return;
	for (ssize_t i = 8; i < n && link[i] >= '0' && link[i] <= '9'; i++)
		ino = ino * 10 + (link[i] - '0');
	if (ino)
		add_owner(arg, fd, ino);
}

static void scan_fds(struct scan *sc, int dirfd)
{
	int fddir = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fddir < 0) {	/* gone, or not ours to see */
		if (errno == EACCES)
			sc->pm->denied = 1;
		return;
	}
	sc->task_dir = dirfd;
	each_number(fddir, add_fd, sc);
	close(fddir);
}

static void add_task(void *arg, int taskdir, uint32_t tid, const char *name)
{
	struct scan *sc = arg;
	int dfd;

	if (tid == sc->pid)
		return;
	dfd = openat(taskdir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	sc->tid = tid;
	sc->proc = NULL;	/* a thread has its own name */
	scan_fds(sc, dfd);
	close(dfd);
}

static void add_pid(void *arg, int procfd, uint32_t pid, const char *name)
{
	struct scan *sc = arg;
	int dfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return;
	sc->pid = sc->tid = pid;
	sc->proc = NULL;
	scan_fds(sc, dfd);
	if (sc->flags & PM_THREADS) {
		int tdir = openat(dfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tdir >= 0) {
			each_number(tdir, add_task, sc);
			close(tdir);
		}
	}
	close(dfd);
}

/* --- the scan shared among threads ------------------------------------ */

struct pid_span {		/* what scanning one pid added to its worker */
	uint32_t worker;
	uint32_t procs_start, procs_end, ents_start, ents_end;
};

struct scan_job {
	int proc_fd;
	uint32_t *pids;
	size_t n_pids, cap_pids;
	int failed;
	struct pid_span *spans;
	size_t next;		/* the next pid to take (atomic) */
};

struct scan_worker {
	struct scan_job *job;
	uint32_t id;
	struct procmap part;	/* its procs and ents only */
	struct scan sc;
	pthread_t thread;
};

static void note_pid(void *arg, int procfd, uint32_t pid, const char *name)
{
	struct scan_job *job = arg;

	if (grow((void **)&job->pids, &job->cap_pids, job->n_pids + 1, sizeof(*job->pids)))
		job->failed = 1;
	else
		job->pids[job->n_pids++] = pid;
}

static void *scan_worker(void *arg)
{
	struct scan_worker *w = arg;
	struct scan_job *job = w->job;
	char name[16];

	for (;;) {
		size_t i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
		if (i >= job->n_pids)
			return NULL;
		struct pid_span *sp = &job->spans[i];
		sp->worker = w->id;
		sp->procs_start = w->part.n_procs;
		sp->ents_start = w->part.n_ents;
		fmt_u64(name, job->pids[i]);
		add_pid(&w->sc, job->proc_fd, job->pids[i], name);
		sp->procs_end = w->part.n_procs;
		sp->ents_end = w->part.n_ents;
	}
}

/* Threads for the scan: the CPUs we may run on, at most 4;
 * $SOCKBOX_SCAN_THREADS sets the number (tests use it). */
static unsigned scan_threads(size_t n_pids)
{
	const char *env = getenv("SOCKBOX_SCAN_THREADS");
	unsigned n = 1;

	if (env)
		n = sb_strtou(env, NULL);
	else if (n_pids >= 32)
		n = sb_cpus();
	return n < 1 ? 1 : n > 4 ? 4 : n;
}

/* Scans every pid of /proc into pm: with several threads, or with the
 * caller's sc alone when one will do; 0, or -1 on no memory. */
static int scan_parallel(struct procmap *pm, struct scan *one)
{
	struct scan_job job = { .proc_fd = pm->proc_fd };
	struct scan_worker *w = NULL;
	unsigned n, started;
	int rc = -1;

	each_number(pm->proc_fd, note_pid, &job);
	if (job.failed)
		goto out;
	n = scan_threads(job.n_pids);
	if (n == 1) {
		char name[16];
		for (size_t i = 0; i < job.n_pids; i++) {
			fmt_u64(name, job.pids[i]);
			add_pid(one, pm->proc_fd, job.pids[i], name);
		}
		rc = 0;
		goto out;
	}
	job.spans = calloc(job.n_pids + 1, sizeof(*job.spans));
	w = calloc(n, sizeof(*w));
	if (!job.spans || !w)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		w[i].job = &job;
		w[i].id = i;
		w[i].sc = (struct scan){ .pm = &w[i].part, .flags = one->flags };
	}
	/* the calling thread is worker 0; a thread that cannot be started
	 * leaves its share to the others */
	for (started = 1; started < n; started++)
		if (pthread_create(&w[started].thread, NULL, scan_worker, &w[started]))
			break;
	scan_worker(&w[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(w[i].thread, NULL);

	size_t n_procs = 0, n_ents = 0;
	int failed = 0;
	for (unsigned i = 0; i < n; i++) {
		n_procs += w[i].part.n_procs;
		n_ents += w[i].part.n_ents;
		failed |= w[i].sc.failed;
		pm->denied |= w[i].part.denied;
	}
	if (!failed && !grow((void **)&pm->procs, &pm->cap_procs, n_procs, sizeof(*pm->procs)) &&
	    !grow((void **)&pm->ents, &pm->cap_ents, n_ents, sizeof(*pm->ents))) {
		for (size_t i = 0; i < job.n_pids; i++) {
			const struct pid_span *sp = &job.spans[i];
			const struct procmap *part = &w[sp->worker].part;
			size_t np = sp->procs_end - sp->procs_start, ne = sp->ents_end - sp->ents_start;

			if (np)	/* (no arrays at all when nothing was found) */
				memcpy(pm->procs + pm->n_procs, part->procs + sp->procs_start,
				       np * sizeof(*pm->procs));
			if (ne)
				memcpy(pm->ents + pm->n_ents, part->ents + sp->ents_start,
				       ne * sizeof(*pm->ents));
			pm->n_procs += np;
			pm->n_ents += ne;
		}
		rc = 0;
	} else {	/* the parts' processes are freed with pm */
		for (unsigned i = 0; i < n; i++)
			for (size_t j = 0; j < w[i].part.n_procs; j++) {
				free(w[i].part.procs[j]->cmd);
				free(w[i].part.procs[j]);
			}
	}
	for (unsigned i = 0; i < n; i++) {
		free(w[i].part.procs);
		free(w[i].part.ents);
	}
out:
	free(w);
	free(job.spans);
	free(job.pids);
	return rc;
}

/* --- the BPF iterator instead (CONFIG_PROCESSES_BPF) --------------------- */

/* Records come grouped by pid: each new one opens its /proc directory
 * (for the name and uid); a process gone meanwhile is skipped. */
static void add_bpf_fd(void *arg, uint32_t pid, uint32_t fd, uint64_t ino)
{
	struct scan *sc = arg;

	if (pid != sc->pid) {
		char name[16];
		if (sc->task_dir >= 0)
			close(sc->task_dir);
		fmt_u64(name, pid);
		sc->pid = sc->tid = pid;
		sc->proc = NULL;
		sc->task_dir = openat(sc->pm->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (sc->task_dir >= 0 && ino && ino <= UINT32_MAX)
		add_owner(sc, fd, ino);
}

/* Fills the map (sc->pm, the whole map: one thread) from the iterator;
 * after a read error, from /proc. */
static void bpf_scan(struct scan *sc, int iter)
{
	struct procmap *pm = sc->pm;

	sc->pid = 0;		/* (no process with files has pid 0) */
	sc->task_dir = -1;
	int rc = sk_bpf_read(iter, add_bpf_fd, sc);
	if (sc->task_dir >= 0)
		close(sc->task_dir);
	if (rc == 0 || sc->failed)
		return;
	for (size_t i = 0; i < pm->n_procs; i++) {
		free(pm->procs[i]->cmd);
		free(pm->procs[i]);
	}
	pm->n_procs = pm->n_ents = 0;
	each_number(pm->proc_fd, add_pid, sc);
}

static int init_pid_ns(int proc_fd)
{
	char link[32];
	ssize_t n = readlinkat(proc_fd, "self/ns/pid", link, sizeof(link) - 1);

	return n > 0 && (link[n] = 0, !strcmp(link, "pid:[4026531836]"));
}

static unsigned long open_files(int proc_fd)
{
	char buf[64];
	int fd = openat(proc_fd, "sys/fs/file-nr", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return sb_strtou(buf, NULL);
}

/* Below this many open files (file-nr) the /proc scan is quicker than
 * loading the kernel's BTF and the program (about 3 ms where the BTF file
 * can be mapped, 15 more where it must be read). */
enum { BPF_MIN_FILES = 4096 };

/* The iterator's fd, when the map is to come from it: by default as root
 * in the first pid namespace (the iterator gives its pids) with enough
 * open files; always with $SOCKBOX_FD_SCAN=bpf (an error if it cannot be
 * had), never with =proc. Per-thread tables (ss -T) and $PROC_ROOT are
 * /proc's alone. */
static int bpf_iter_for(const struct procmap *pm, unsigned flags)
{
	const char *env = getenv("SOCKBOX_FD_SCAN");
	int forced = env && !strcmp(env, "bpf");

	if (env && !forced && strcmp(env, "proc"))
		sb_die(1, "SOCKBOX_FD_SCAN is 'bpf' or 'proc', not '%s'", env);
	if ((env && !forced) || (flags & PM_THREADS) || getenv("PROC_ROOT"))
		return -1;
	if (!IS_ENABLED(CONFIG_PROCESSES_BPF)) {
		if (forced)
			sb_die(1, "SOCKBOX_FD_SCAN=bpf: not in this build");
		return -1;
	}
	if (!init_pid_ns(pm->proc_fd)) {
		if (forced)
			sb_die(1, "SOCKBOX_FD_SCAN=bpf: not in the first pid namespace");
		return -1;
	}
	if (!forced && open_files(pm->proc_fd) < BPF_MIN_FILES)
		return -1;
	int iter = sk_bpf_open();
	if (iter < 0 && forced)
		sb_die(1, "SOCKBOX_FD_SCAN=bpf: no BPF iterator: %s", strerror(errno));
	return iter;
}

static uint32_t ino_hash(uint32_t ino)
{
	return ino * 2654435761u;
}

struct procmap *procmap_build(unsigned flags)
{
	struct procmap *pm = calloc(1, sizeof(*pm));
	char root[512];
	struct scan sc = { .pm = pm, .flags = flags };

	if (!pm)
		return NULL;
	pm->proc_fd = open(sk_proc_path(root, sizeof(root), "."),
			   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* An empty mount point is not /proc: without "self" it is not
	 * mounted (unless $PROC_ROOT points at a crafted tree). */
	if (pm->proc_fd >= 0 && !getenv("PROC_ROOT") &&
	    faccessat(pm->proc_fd, "self", F_OK, 0) < 0) {
		close(pm->proc_fd);
		pm->proc_fd = -1;
		errno = ENOENT;
	}
	if (pm->proc_fd < 0) {
		int err = errno;
		free(pm);
		errno = err;
		return NULL;
	}
	int scanned = 0, iter = bpf_iter_for(pm, flags);
	if (iter >= 0)
		bpf_scan(&sc, iter);
	else if (IS_ENABLED(CONFIG_PROCESSES_THREADS))
		scanned = scan_parallel(pm, &sc);
	else
		each_number(pm->proc_fd, add_pid, &sc);
	if (sc.failed || scanned < 0) {
		procmap_free(pm);
		errno = ENOMEM;
		return NULL;
	}
	for (pm->n_slots = 64; pm->n_slots < pm->n_ents * 2; pm->n_slots *= 2)
		;
	pm->slots = calloc(pm->n_slots, sizeof(*pm->slots));
	if (!pm->slots) {
		procmap_free(pm);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < pm->n_ents; i++) {
		uint32_t ino = pm->ents[i].ino, h = ino_hash(ino) & (pm->n_slots - 1);

		while (pm->slots[h] && pm->ents[pm->slots[h] - 1].ino != ino)
			h = (h + 1) & (pm->n_slots - 1);
		pm->ents[i].prev = pm->slots[h];
		pm->slots[h] = i + 1;
	}
	return pm;
}

void procmap_free(struct procmap *pm)
{
	if (!pm)
		return;
	for (size_t i = 0; i < pm->n_procs; i++) {
		free(pm->procs[i]->cmd);
		free(pm->procs[i]);
	}
	if (pm->proc_fd >= 0)
		close(pm->proc_fd);
	free(pm->procs);
	free(pm->ents);
	free(pm->slots);
	free(pm->found);
	free(pm);
}

const struct sk_owner *procmap_find(const struct procmap *cpm, uint32_t ino,
				    size_t *n)
{
	struct procmap *pm = (struct procmap *)cpm;	/* answer buffer only */
	uint32_t h, i;

	*n = 0;
	if (!ino || !pm->n_ents)
		return NULL;
	h = ino_hash(ino) & (pm->n_slots - 1);
	while (pm->slots[h] && pm->ents[pm->slots[h] - 1].ino != ino)
		h = (h + 1) & (pm->n_slots - 1);
	for (i = pm->slots[h]; i; i = pm->ents[i - 1].prev) {
		if (grow((void **)&pm->found, &pm->found_cap, *n + 1, sizeof(*pm->found)))
			break;
		pm->found[(*n)++] = pm->ents[i - 1].o;
	}
	return *n ? pm->found : NULL;
}

const char *procmap_cmd(struct procmap *pm, const struct sk_proc *cp)
{
	struct sk_proc *p = (struct sk_proc *)cp;	/* fills its cache */
	char path[32], buf[4096], *s = path;

	if (p->cmd)
		return p->cmd;
	s += fmt_u64(s, p->pid);
	memcpy(s, "/cmdline", 9);
	int fd = openat(pm->proc_fd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0 || !buf[0])	/* kernel thread, zombie, or gone */
		return p->comm;
	buf[n] = 0;		/* argv[0] ends at its NUL */
	/* net-tools: the base name of an absolute path only ("./srv" stays) */
	char *base = buf[0] == '/' ? strrchr(buf, '/') + 1 : buf;
	size_t len = strlen(base);
	p->cmd = malloc(4 * len + 1);
	if (!p->cmd)
		return p->comm;
	fmt_safe(p->cmd, base, len);
	return p->cmd;
}

size_t procmap_count(const struct procmap *pm)
{
	return pm->n_ents;
}

const struct sk_owner *procmap_owner(const struct procmap *pm, size_t i,
				     uint32_t *ino)
{
	*ino = pm->ents[i].ino;
	return &pm->ents[i].o;
}

int procmap_incomplete(const struct procmap *pm)
{
	return pm->denied;
}
