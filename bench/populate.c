/* Socket population for bench/run: N established loopback TCP connections
 * (2N sockets) over IPv4 and IPv6, held by enough forked processes that
 * none has more than FD_MAX descriptors, plus listeners, UDP sockets, unix
 * pairs, queued data and a few TIME-WAIT sockets. Run it inside a scratch
 * network namespace (it changes nothing outside). Prints "ready" when every
 * socket exists and holds them until SIGTERM.
 *
 * Usage: populate N [WORKERS]   (WORKERS default 30, raised as needed)
 *
 * Layout, so that filters have something to select:
 *   listeners 0.0.0.0 and [::] (v6only) on port 5001 and 8000..8000+NPORTS-2;
 *   connection k goes to v6 when k is odd, to port 5001 when k/2 % 50 == 0
 *   (2 %), else to 8000 + k/2 % (NPORTS-1); IPv4 clients bind to one of 4096
 *   source addresses 127.1.x.y (IP_BIND_ADDRESS_NO_PORT), so ephemeral
 *   ports are never short; every 10th connection has 100 unread bytes. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <unistd.h>

#define NPORTS 16
#define FD_MAX 15000
#define FD_SPARE 64		/* stdio, listeners before they are closed */
#define N_UDP 200
#define N_UNIX 200
#define N_TIMEWAIT 200

static int lsn4[NPORTS], lsn6[NPORTS];

static void die(const char *what)
{
	fprintf(stderr, "populate: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int port_of(long k)
{
	k >>= 1;	/* the same ports for both families */
	return k % 50 == 0 ? 5001 : 8000 + (int)(k % (NPORTS - 1));
}

static int port_index(int port)
{
	return port == 5001 ? 0 : port - 8000 + 1;
}

static int listener(int family, int port)
{
	int fd = socket(family, SOCK_STREAM, 0), one = 1;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		len = sizeof(*a);
	}
	if (bind(fd, (void *)&ss, len) < 0)
		die("bind listener");
	if (listen(fd, 4096) < 0)
		die("listen");
	return fd;
}

/* One connection k: the client socket and the accepted server socket. */
static void connect_one(long k, int *cfd, int *sfd)
{
	int v6 = k & 1, port = port_of(k), one = 1;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (v6) {
		struct sockaddr_in6 *a = (void *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in src = { .sin_family = AF_INET };
		unsigned s = (k >> 1) % 4096;
		src.sin_addr.s_addr = htonl(0x7f010000 | (s >> 8) << 8 | (s & 255));
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		if (bind(fd, (void *)&src, sizeof(src)) < 0)
			die("bind client");
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	while (connect(fd, (void *)&ss, len) < 0)
		if (errno != EINTR)
			die("connect");
	int l = v6 ? lsn6[port_index(port)] : lsn4[port_index(port)];
	int s;
	while ((s = accept(l, NULL, NULL)) < 0)
		if (errno != EINTR)
			die("accept");
	if (k % 10 == 0) {
		static const char data[100];
		if (write(fd, data, sizeof(data)) < 0)
			die("write");
	}
	*cfd = fd;
	*sfd = s;
}

static void close_listeners(void)
{
	for (int i = 0; i < NPORTS; i++) {
		close(lsn4[i]);
		close(lsn6[i]);
	}
}

/* Sockets that are not established TCP, held by the parent. */
static void extras(void)
{
	for (int i = 0; i < N_UDP; i++) {
		int v6 = i & 1, fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_storage ss = { 0 };
		if (fd < 0)
			die("udp socket");
		if (v6) {
			struct sockaddr_in6 *a = (void *)&ss;
			a->sin6_family = AF_INET6;
			a->sin6_port = htons(20000 + i);
			a->sin6_addr = in6addr_loopback;
		} else {
			struct sockaddr_in *a = (void *)&ss;
			a->sin_family = AF_INET;
			a->sin_port = htons(20000 + i);
			a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		}
		if (bind(fd, (void *)&ss, v6 ? sizeof(struct sockaddr_in6) :
			 sizeof(struct sockaddr_in)) < 0)
			die("udp bind");
	}
	for (int i = 0; i < N_UNIX; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, i & 1 ? SOCK_DGRAM : SOCK_STREAM, 0, sv) < 0)
			die("socketpair");
		if (i % 4 == 0 && write(sv[0], "queued", 6) < 0)
			die("unix write");
	}
	/* TIME-WAIT: the client closes first, then the server. They live
	 * 60 s, so only the first runs see them. */
	for (long k = 0; k < N_TIMEWAIT; k++) {
		int c, s;
		connect_one(k * 2 + 1, &c, &s);
		close(c);
		close(s);
	}
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long workers = argc > 2 ? atol(argv[2]) : 30;
	struct rlimit rl;

	if (n <= 0 || workers <= 0) {
		fprintf(stderr, "usage: populate N [WORKERS]\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	long per_max = (long)(rl.rlim_cur < FD_MAX ? rl.rlim_cur : FD_MAX) - FD_SPARE;
	if (per_max < 2) {
		fprintf(stderr, "populate: RLIMIT_NOFILE is too low\n");
		return 1;
	}
	/* Each connection costs a worker two fds. */
	if (workers < (2 * n + per_max - 1) / per_max)
		workers = (2 * n + per_max - 1) / per_max;

	for (int i = 0; i < NPORTS; i++) {
		int port = i ? 8000 + i - 1 : 5001;
		lsn4[i] = listener(AF_INET, port);
		lsn6[i] = listener(AF_INET6, port);
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	pid_t *pids = calloc(workers, sizeof(*pids));
	if (!pids)
		die("calloc");
	/* Workers one after the other: each accept() then gets the
	 * connection its own connect() just made. */
	for (long w = 0; w < workers && !stop; w++) {
		long from = n * w / workers, to = n * (w + 1) / workers;
		int sync[2];
		if (pipe(sync) < 0)
			die("pipe");
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			close(sync[0]);
			for (long k = from; k < to; k++) {
				int c, s;
				connect_one(k, &c, &s);
			}
			close_listeners();
			if (write(sync[1], "", 1) < 0)
				_exit(1);
			close(sync[1]);
			while (!stop)
				pause();
			_exit(0);
		}
		pids[w] = pid;
		close(sync[1]);
		char c;
		if (read(sync[0], &c, 1) != 1) {
			fprintf(stderr, "populate: worker %ld failed\n", w);
			stop = 2;
		}
		close(sync[0]);
	}
	if (!stop) {
		extras();
		printf("ready %ld connections, %ld workers\n", n, workers);
		fflush(stdout);
	}
	while (!stop)
		pause();
	for (long w = 0; w < workers; w++)
		if (pids[w] > 0)
			kill(pids[w], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return stop == 2;
}
