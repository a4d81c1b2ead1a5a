// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs-flood: the hostile test guest's xenstore writer (lurole=hostile in
 * tests/xen-host/domu/init).  Through /dev/xen/xenbus, with nothing but
 * the write permission every guest has on its own frontend directories,
 * it first fills each DIR (relative to the guest's home, as
 * device/vif/0) beyond every cap dom0's live-update records document
 * (256 queues, 16 ring pages per ring, 256 feature keys, 16 KiB of
 * feature text), then rewrites state, feature values and ring refs in a
 * loop until killed.  It prints on stdout (the guest's console):
 *
 *   @@DOMU-FLOOD ready nodes=N failed=F   after the fill
 *   @@DOMU-FLOOD writes=W failed=F        about once a second
 *
 * failed counts writes xenstored refused (its per-domain quota): the
 * flood goes on regardless.
 *
 *   xs-flood DIR...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define NR_FEATURES	280	/* > 256 keys, > 16 KiB of text */
#define NR_RING_REFS	64	/* > 16 pages per ring */
#define NR_QUEUE_DIRS	12	/* queue-<n>/ directories written */
#define NR_QUEUES_CLAIM	4096	/* multi-queue-num-queues: > 256 */

static int xs_fd;
static uint32_t xs_req_id;
static unsigned long nr_writes, nr_failed;

static int read_all(void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = read(xs_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* One XS_WRITE; 0 when xenstored accepted it. */
static int xs_write(const char *path, const char *val)
{
	char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg *h = (struct xsd_sockmsg *)msg;
	size_t plen = strlen(path) + 1, vlen = strlen(val);
	char reply[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg r;

	if (plen + vlen > XENSTORE_PAYLOAD_MAX)
		return -1;
	h->type = XS_WRITE;
	h->req_id = ++xs_req_id;
	h->tx_id = 0;
	h->len = plen + vlen;
	memcpy(msg + sizeof(*h), path, plen);
	memcpy(msg + sizeof(*h) + plen, val, vlen);
	if (write(xs_fd, msg, sizeof(*h) + h->len) != (ssize_t)(sizeof(*h) + h->len)) {
		perror("xs-flood: write /dev/xen/xenbus");
		exit(1);
	}
	if (read_all(&r, sizeof(r)) || r.len > sizeof(reply) ||
	    read_all(reply, r.len)) {
		fprintf(stderr, "xs-flood: short reply from /dev/xen/xenbus\n");
		exit(1);
	}
	nr_writes++;
	if (r.type == XS_ERROR) {
		nr_failed++;
		return -1;
	}
	return 0;
}

static int xs_writef(const char *dir, const char *key, const char *fmt,
		     unsigned long v)
{
	char path[256], val[128];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), fmt, v);
	return xs_write(path, val);
}

/* A feature value of 64 characters: 280 of them exceed 16 KiB. */
#define FEATURE_FMT "%020lu-hostile-guest-feature-text-padding-xxxxxxxxxx"

static void fill(const char *dir)
{
	char key[64];
	unsigned int i, q;

	xs_writef(dir, "multi-queue-num-queues", "%lu", NR_QUEUES_CLAIM);
	xs_writef(dir, "ring-page-order", "%lu", 10);
	xs_writef(dir, "num-ring-pages", "%lu", 1024);
	for (i = 0; i < NR_RING_REFS; i++) {
		snprintf(key, sizeof(key), "ring-ref%u", i);
		xs_writef(dir, key, "%lu", 8 + i);
	}
	for (q = 0; q < NR_QUEUE_DIRS; q++) {
		snprintf(key, sizeof(key), "queue-%u/tx-ring-ref", q);
		xs_writef(dir, key, "%lu", 100 + q);
		snprintf(key, sizeof(key), "queue-%u/rx-ring-ref", q);
		xs_writef(dir, key, "%lu", 200 + q);
		snprintf(key, sizeof(key), "queue-%u/event-channel-tx", q);
		xs_writef(dir, key, "%lu", 10 + q);
		snprintf(key, sizeof(key), "queue-%u/event-channel-rx", q);
		xs_writef(dir, key, "%lu", 40 + q);
		snprintf(key, sizeof(key), "queue-%u/event-channel", q);
		xs_writef(dir, key, "%lu", 70 + q);
	}
	for (i = 0; i < NR_FEATURES; i++) {
		snprintf(key, sizeof(key), "feature-hostile-%03u", i);
		xs_writef(dir, key, FEATURE_FMT, i);
	}
}

int main(int argc, char **argv)
{
	/* Every frontend state but Unknown, which tears the backend down. */
	static const unsigned long states[] = { 1, 2, 3, 4, 5, 6 };
	struct timespec last, now;
	unsigned long k = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: xs-flood DIR...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	xs_fd = open("/dev/xen/xenbus", O_RDWR);
	if (xs_fd < 0) {
		perror("xs-flood: /dev/xen/xenbus");
		return 1;
	}
	for (i = 1; i < argc; i++)
		fill(argv[i]);
	printf("@@DOMU-FLOOD ready nodes=%lu failed=%lu\n", nr_writes,
	       nr_failed);
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (;; k++) {
		char key[64];

		for (i = 1; i < argc; i++) {
			xs_writef(argv[i], "state", "%lu",
				  states[k % (sizeof(states) / sizeof(states[0]))]);
			snprintf(key, sizeof(key), "feature-hostile-%03lu",
				 k % NR_FEATURES);
			xs_writef(argv[i], key, FEATURE_FMT, k);
			snprintf(key, sizeof(key), "ring-ref%lu",
				 k % NR_RING_REFS);
			xs_writef(argv[i], key, "%lu", k);
			snprintf(key, sizeof(key), "queue-%lu/event-channel-tx",
				 k % NR_QUEUE_DIRS);
			xs_writef(argv[i], key, "%lu", k);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec != last.tv_sec) {
			printf("@@DOMU-FLOOD writes=%lu failed=%lu\n",
			       nr_writes, nr_failed);
			last = now;
		}
	}
}
