// SPDX-License-Identifier: GPL-2.0-only
/*
 * pause-watch: the test guests' own measure of how long they were not
 * running.  It reads CLOCK_REALTIME every 10 ms; a step of more than
 * 300 ms is a pause (a suspend for a save, a restore, a frozen vCPU), and
 * is printed on the console as
 *
 *	@@DOMU-PAUSE from=<s.us> to=<s.us> seconds=<s.us>
 *
 * with the guest's wall clock, which Xen sets again on restore, so that
 * dom0 can line guests up on one time axis (bench/save-restore).
 */
#include <stdio.h>
#include <time.h>

#define TICK_NS		10000000L	/* 10 ms */
#define PAUSE_NS	300000000LL	/* a step above this is a pause */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	struct timespec tick = { 0, TICK_NS };
	long long last = now_ns(), t;

	for (;;) {
		nanosleep(&tick, NULL);
		t = now_ns();
		if (t - last > PAUSE_NS + TICK_NS) {
			printf("@@DOMU-PAUSE from=%lld.%06lld to=%lld.%06lld seconds=%.3f\n",
			       last / 1000000000LL, last % 1000000000LL / 1000,
			       t / 1000000000LL, t % 1000000000LL / 1000, (t - last) / 1e9);
			fflush(stdout);
		}
		last = t;
	}
}
