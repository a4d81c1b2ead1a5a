// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stream hasher (hash.c): following a file while it is written, as
 * libxl writes a stream, it hashes exactly what the file holds at the
 * end, the same digest libsrjournal takes of the finished file; it reads
 * a finished file to its end; it starts again after a truncation (a live
 * save that fell back); and the default bound of parallel work follows
 * the CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr-priv.h"
#include "tap.h"

#define PIECE	(300u << 10)	/* not a multiple of the hasher's chunk */
#define PIECES	9

/* Append @n pieces of pattern @seed to @fd, pausing between them. */
static int write_pieces(int fd, unsigned int n, unsigned int seed)
{
	static unsigned char buf[PIECE];
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < PIECE; k++)
			buf[k] = (unsigned char)(k * 7 + i * 13 + seed);
		if (write(fd, buf, PIECE) != (ssize_t)PIECE)
			return -1;
		usleep(30000);
	}
	return 0;
}

/* The file's digest as libsrjournal takes it, and whether @hex is it. */
static bool same_digest(int dirfd, const char *name, const char *hex, uint64_t bytes)
{
	char want[SRJ_SHA256_HEX + 1];
	uint64_t len;

	return !srj_file_sha256(dirfd, name, want, &len) && len == bytes &&
	       !strcmp(want, hex);
}

int main(void)
{
	char dir[] = "/tmp/test-hash-XXXXXX", hex[SRJ_SHA256_HEX + 1];
	struct sr_hasher h;
	uint64_t bytes = 0;
	uint32_t n;
	long cpus;
	int dirfd, fd, rc;

	tap_plan(6);
	if (!mkdtemp(dir))
		return 1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dirfd, "s.part", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (dirfd < 0 || fd < 0)
		return 1;

	rc = sr_hasher_start(&h, dirfd, "s.part", true);
	rc = rc ? rc : write_pieces(fd, PIECES, 1);
	rc = rc ? rc : sr_hasher_finish(&h, hex, &bytes);
	tap_ok(!rc && bytes == (uint64_t)PIECES * PIECE &&
	       same_digest(dirfd, "s.part", hex, bytes),
	       "following a file while it is written: every byte, the file's SHA-256 (%llu bytes)",
	       (unsigned long long)bytes);

	rc = sr_hasher_start(&h, dirfd, "s.part", false);
	rc = rc ? rc : sr_hasher_finish(&h, hex, &bytes);
	tap_ok(!rc && same_digest(dirfd, "s.part", hex, bytes),
	       "a finished file: read to its end, the same SHA-256");

	/* A live save that fell back: the file is emptied and written again. */
	rc = sr_hasher_start(&h, dirfd, "s.part", true);
	rc = rc ? rc : write_pieces(fd, 2, 2);
	sr_hasher_cancel(&h);
	rc = rc ? rc : ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET);
	rc = rc ? rc : sr_hasher_start(&h, dirfd, "s.part", true);
	rc = rc ? rc : write_pieces(fd, 3, 3);
	rc = rc ? rc : sr_hasher_finish(&h, hex, &bytes);
	tap_ok(!rc && bytes == 3ull * PIECE && same_digest(dirfd, "s.part", hex, bytes),
	       "cancelled, truncated and started again: only the new content");

	errno = 0;
	rc = sr_hasher_start(&h, dirfd, "absent", false);
	tap_ok(rc == -1 && errno == ENOENT, "a missing file: -1, ENOENT");
	rc = sr_hasher_finish(&h, hex, &bytes);
	tap_ok(rc == -1 && errno == EINVAL, "finish of a hasher that did not start: -1, EINVAL");

	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	n = sr_default_parallel();
	tap_ok(n == (cpus * 2 > SR_MAX_PARALLEL ? SR_MAX_PARALLEL : cpus * 2),
	       "default bound: twice the %ld online CPUs (%u)", cpus, n);

	close(fd);
	unlinkat(dirfd, "s.part", 0);
	close(dirfd);
	rmdir(dir);
	return tap_done();
}
