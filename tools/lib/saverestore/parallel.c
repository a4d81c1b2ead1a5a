// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounded parallel work in child processes.
 *
 * Each guest's save or restore runs in a child of its own with a libxl
 * context of its own: libxl contexts do not survive fork(), a child that
 * crashes or is killed takes no other guest with it, and the parent sees
 * its death.  A child reports through a pipe with one fixed-size result,
 * small enough (SR_MAX_RESULT) for the pipe to hold it whole: the parent
 * reads it only once the child has exited.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sr-priv.h"

#define SR_MAX_RESULT	4096	/* PIPE_BUF on Linux */

struct child {
	pid_t pid;
	int fd;		/* read end of its result pipe */
	uint32_t index;
};

static int read_result(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

static void write_result(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		done += n;
	}
}

static void progress(const struct sr_progress *p, const char *verb,
		     uint32_t done, uint32_t nr)
{
	if (p && p->fn)
		p->fn(p->opaque, verb, done, nr);
}

uint32_t sr_default_parallel(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		cpus = 1;
	return cpus * 2 > SR_MAX_PARALLEL ? SR_MAX_PARALLEL : (uint32_t)cpus * 2;
}

int sr_run_parallel(uint32_t nr, uint32_t parallel, sr_work_fn work, void *opaque,
		    void *results, size_t result_size, bool *died,
		    const struct sr_progress *prog, const char *verb,
		    struct sr_error *err)
{
	struct child *kids;
	uint32_t next = 0, running = 0, done = 0, k;
	int ret = 0, fds[2], status;
	pid_t pid;

	if (result_size > SR_MAX_RESULT) {
		sr_fail(err, "nomem", NULL, "result of %zu bytes", result_size);
		return -1;
	}
	if (parallel == 0 || parallel > SR_MAX_PARALLEL)
		parallel = sr_default_parallel();
	kids = calloc(parallel, sizeof(*kids));
	if (!kids) {
		sr_fail(err, "nomem", NULL, "out of memory");
		return -1;
	}
	memset(results, 0, (size_t)nr * result_size);
	memset(died, 0, nr * sizeof(*died));
	progress(prog, verb, 0, nr);
	while (next < nr || running) {
		while (next < nr && running < parallel && !ret) {
			if (pipe2(fds, O_CLOEXEC)) {
				sr_fail(err, "io", NULL, "pipe: %s", strerror(errno));
				ret = -1;
				break;
			}
			pid = fork();
			if (pid < 0) {
				sr_fail(err, "io", NULL, "fork: %s", strerror(errno));
				close(fds[0]);
				close(fds[1]);
				ret = -1;
				break;
			}
			if (pid == 0) {
				void *mine = calloc(1, result_size);

				close(fds[0]);
				if (!mine)
					_exit(2);
				work(next, mine, opaque);
				write_result(fds[1], mine, result_size);
				_exit(0);
			}
			close(fds[1]);
			for (k = 0; kids[k].pid; k++)
				;
			kids[k] = (struct child){ .pid = pid, .fd = fds[0], .index = next };
			next++;
			running++;
		}
		if (!running)
			break;
		/* A fork that failed stops new work; what runs is waited for. */
		if (ret)
			next = nr;
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) {
			sr_fail(err, "io", NULL, "waitpid: %s", strerror(errno));
			ret = -1;
			break;
		}
		for (k = 0; k < parallel && kids[k].pid != pid; k++)
			;
		if (k == parallel)
			continue;	/* not ours */
		if (read_result(kids[k].fd, (char *)results + (size_t)kids[k].index * result_size,
				result_size) ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			memset((char *)results + (size_t)kids[k].index * result_size, 0,
			       result_size);
			died[kids[k].index] = true;
		}
		close(kids[k].fd);
		kids[k].pid = 0;
		running--;
		progress(prog, verb, ++done, nr);
	}
	free(kids);
	return ret;
}
