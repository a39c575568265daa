/* Times one command for bench/run: its stdout goes to /dev/null (or to
 * $RUNONE_OUT), and, if it succeeds, one line "WALL_S USER_S SYS_S MAXRSS_KB" goes to our
 * stdout, from a monotonic clock and the child's own rusage (wait4), so
 * nothing of a wrapper like `ip netns exec` is counted. The command runs
 * at nice -20 when we may (root): on a machine shared with other work,
 * wall time then stays close to the command's own CPU time.
 * Usage: runone CMD [ARG...] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	const char *out = getenv("RUNONE_OUT");
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: runone CMD [ARG...]\n");
		return 2;
	}
	setpriority(PRIO_PROCESS, 0, -20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runone: fork");
		return 1;
	}
	if (pid == 0) {
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0) {
			perror("runone: output");
			_exit(127);
		}
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runone: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "runone: %s failed (status %d)\n", argv[1], status);
		return 1;
	}
	printf("%.6f %.3f %.3f %ld\n",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_maxrss);
	return 0;
}
