// SPDX-License-Identifier: GPL-2.0-only
/*
 * sr_run_parallel(), the child processes behind the save and restore of
 * many guests: every result comes back, a child that dies is said so, and
 * the progress callback hears the start and each child's end, in order,
 * in the caller's process.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "sr-priv.h"
#include "tap.h"

#define NR 6

struct seen {
	uint32_t calls;
	uint32_t done[NR + 2];
	uint32_t nr;
	pid_t pid;
	bool verb_ok;
};

static void record(void *opaque, const char *verb, uint32_t done, uint32_t nr)
{
	struct seen *s = opaque;

	if (s->calls < NR + 2)
		s->done[s->calls] = done;
	s->calls++;
	s->nr = nr;
	s->pid = getpid();
	s->verb_ok = !strcmp(verb, "testing");
}

/* Job i: its square, after a while; job 2 dies when *opaque says so. */
static void work(uint32_t i, void *result, void *opaque)
{
	const bool *kill_two = opaque;

	usleep(20000 * (NR - i));
	if (i == 2 && *kill_two)
		_exit(3);
	*(uint32_t *)result = i * i;
}

static bool in_order(const struct seen *s)
{
	uint32_t i;

	for (i = 0; i <= NR; i++)
		if (s->done[i] != i)
			return false;
	return true;
}

int main(void)
{
	struct sr_progress prog = { .fn = record };
	uint32_t results[NR], i;
	bool died[NR], kill_two = false, all;
	struct sr_error err;
	struct seen s = { 0 };
	int rc;

	tap_plan(7);
	prog.opaque = &s;
	rc = sr_run_parallel(NR, 2, work, &kill_two, results, sizeof(results[0]),
			     died, &prog, "testing", &err);
	for (all = true, i = 0; i < NR; i++)
		all = all && results[i] == i * i && !died[i];
	tap_ok(rc == 0 && all, "%u jobs, 2 at once: every result back", NR);
	tap_ok(s.calls == NR + 1 && in_order(&s) && s.nr == NR,
	       "progress: 0 of %u at the start, then 1 to %u as children end (%u calls)",
	       NR, NR, s.calls);
	tap_ok(s.pid == getpid() && s.verb_ok,
	       "progress: called in the caller's process, with the caller's verb");

	memset(&s, 0, sizeof(s));
	kill_two = true;
	rc = sr_run_parallel(NR, 4, work, &kill_two, results, sizeof(results[0]),
			     died, &prog, "testing", &err);
	tap_ok(rc == 0 && died[2] && results[2] == 0 && !died[1] && results[5] == 25,
	       "a child that dies: its result zeroed, died set, the others back");
	tap_ok(s.calls == NR + 1 && in_order(&s),
	       "progress counts the dead child's end too (%u calls)", s.calls);

	kill_two = false;
	rc = sr_run_parallel(NR, 3, work, &kill_two, results, sizeof(results[0]),
			     died, NULL, "testing", &err);
	tap_ok(rc == 0 && results[4] == 16, "no progress (NULL): runs all the same");
	prog.fn = NULL;
	rc = sr_run_parallel(NR, 3, work, &kill_two, results, sizeof(results[0]),
			     died, &prog, "testing", &err);
	tap_ok(rc == 0 && results[3] == 9, "no progress function: runs all the same");
	return tap_done();
}
