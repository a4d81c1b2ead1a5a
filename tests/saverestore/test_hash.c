// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stream hasher (hash.c): following a file while it is written, as
 * libxl writes a stream, it hashes exactly what the file holds at the
 * end, the same CRC-32 as zlib and SHA-256 as libsrjournal take of the
 * finished file; for a restore it takes the CRC-32 alone; it reads a
 * finished file to its end; it starts again after a truncation (a live
 * save that fell back); and the default bound of parallel work follows
 * the CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

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

/* The file's CRC-32 as zlib takes it of the whole file, as 8 hex digits. */
static void file_crc32(int dirfd, const char *name, char hex[SRJ_CRC32_HEX + 1])
{
	static unsigned char buf[PIECE];
	unsigned long crc = crc32(0, NULL, 0);
	int fd = openat(dirfd, name, O_RDONLY);
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, n);
	if (fd >= 0)
		close(fd);
	snprintf(hex, SRJ_CRC32_HEX + 1, "%08lx", crc & 0xffffffffUL);
}

/*
 * Whether @d is the file's: its size, its CRC-32, and its SHA-256 as
 * libsrjournal takes it (@sha256), or none (!@sha256).
 */
static bool same_digest(int dirfd, const char *name, const struct sr_digest *d, bool sha256)
{
	char want[SRJ_SHA256_HEX + 1], crc[SRJ_CRC32_HEX + 1];
	uint64_t len;

	file_crc32(dirfd, name, crc);
	if (srj_file_sha256(dirfd, name, want, &len) || len != d->bytes ||
	    strcmp(crc, d->crc32))
		return false;
	return sha256 ? !strcmp(want, d->sha256) : d->sha256[0] == '\0';
}

int main(void)
{
	char dir[] = "/tmp/test-hash-XXXXXX";
	struct sr_hasher h;
	struct sr_digest d;
	uint32_t n;
	long cpus;
	int dirfd, fd, rc;

	tap_plan(7);
	if (!mkdtemp(dir))
		return 1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dirfd, "s.part", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (dirfd < 0 || fd < 0)
		return 1;

	rc = sr_hasher_start(&h, dirfd, "s.part", true, true);
	rc = rc ? rc : write_pieces(fd, PIECES, 1);
	rc = rc ? rc : sr_hasher_finish(&h, &d);
	tap_ok(!rc && d.bytes == (uint64_t)PIECES * PIECE &&
	       same_digest(dirfd, "s.part", &d, true),
	       "following a file while it is written: every byte, the file's CRC-32 and SHA-256 (%llu bytes)",
	       (unsigned long long)d.bytes);

	rc = sr_hasher_start(&h, dirfd, "s.part", false, true);
	rc = rc ? rc : sr_hasher_finish(&h, &d);
	tap_ok(!rc && same_digest(dirfd, "s.part", &d, true),
	       "a finished file: read to its end, the same CRC-32 and SHA-256");

	rc = sr_hasher_start(&h, dirfd, "s.part", false, false);
	rc = rc ? rc : sr_hasher_finish(&h, &d);
	tap_ok(!rc && same_digest(dirfd, "s.part", &d, false),
	       "a restore's check: the CRC-32 alone, no SHA-256 taken");

	/* A live save that fell back: the file is emptied and written again. */
	rc = sr_hasher_start(&h, dirfd, "s.part", true, true);
	rc = rc ? rc : write_pieces(fd, 2, 2);
	sr_hasher_cancel(&h);
	rc = rc ? rc : ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET);
	rc = rc ? rc : sr_hasher_start(&h, dirfd, "s.part", true, true);
	rc = rc ? rc : write_pieces(fd, 3, 3);
	rc = rc ? rc : sr_hasher_finish(&h, &d);
	tap_ok(!rc && d.bytes == 3ull * PIECE && same_digest(dirfd, "s.part", &d, true),
	       "cancelled, truncated and started again: only the new content");

	errno = 0;
	rc = sr_hasher_start(&h, dirfd, "absent", false, true);
	tap_ok(rc == -1 && errno == ENOENT, "a missing file: -1, ENOENT");
	rc = sr_hasher_finish(&h, &d);
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
