// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD helper of "make check-debug": arms the kernel's fault
 * injection once the program is loaded, so that only the program's own
 * system calls meet the faults and the dynamic loader's allocations do not.
 *
 *   FAIL_NTH=5 LD_PRELOAD=.../fail-nth.so lu-ctl status
 *	the 5th fault point (a failslab allocation) fails
 *	(/proc/thread-self/fail-nth)
 *   MAKE_IT_FAIL=1 LD_PRELOAD=.../fail-nth.so lu-ctl status
 *	the task is marked for failslab's task filter
 *	(/proc/self/make-it-fail)
 *
 * Children (a modprobe run by lu-ctl) are not armed.  Exit 125 when the
 * kernel refuses the setting.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail_set(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		_exit(125);
	n = write(fd, val, len);
	close(fd);
	if (n != (ssize_t)len)
		_exit(125);
}

__attribute__((constructor)) static void fail_arm(void)
{
	char nth[16] = "";
	const char *env;
	int mark;

	env = getenv("FAIL_NTH");
	if (env && strlen(env) < sizeof(nth))
		strcpy(nth, env);
	env = getenv("MAKE_IT_FAIL");
	mark = env && !strcmp(env, "1");
	unsetenv("FAIL_NTH");
	unsetenv("MAKE_IT_FAIL");
	unsetenv("LD_PRELOAD");
	if (mark)
		fail_set("/proc/self/make-it-fail", "1");
	/* Last: from here on, every fault point counts. */
	if (*nth)
		fail_set("/proc/thread-self/fail-nth", nth);
}
