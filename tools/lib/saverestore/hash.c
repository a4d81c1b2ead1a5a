// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stream's digests, taken in a thread while the stream is being written
 * (save: CRC-32 and SHA-256) or read (restore: the CRC-32 the journal
 * holds, or the SHA-256 of a version 1 journal), so that hashing costs no
 * pass of its own.  The CRC-32 is what stands between a damaged stream
 * and a running guest: OpenSSL's SHA-256 and zlib's CRC-32 ran at 117 and
 * 1048 MB/s on QEMU's emulated qemu64 CPU (no SHA or SSSE3 instructions),
 * and a host restoring many guests at once has its CPUs busy.
 *
 * Save: libxl writes the stream into its file; the thread follows the
 * file as it grows, reading what is below its size (a buffered write
 * copies the bytes before it raises the size, so what is below it is
 * final), hashing it and starting its writeback (sync_file_range), so
 * that the fsync at the end has little left to wait for.  libxl and libxc
 * write a stream strictly in order, as they write it to a migration
 * socket: nothing below the size changes once there.
 *
 * Restore: the thread reads the file from its start to its end while
 * libxl reads the same file; whichever comes first brings a page in from
 * the disk, the other finds it cached.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "sr-priv.h"

#define HASH_CHUNK		(1u << 20)
/* How long the thread waits for the writer when it has caught up. */
#define HASH_FOLLOW_NS		(20 * 1000 * 1000)

static void *hash_thread(void *opaque)
{
	struct sr_hasher *h = opaque;
	unsigned char *buf = malloc(HASH_CHUNK);
	struct timespec nap = { 0, HASH_FOLLOW_NS };
	bool last;
	ssize_t n;

	if (!buf) {
		h->error = ENOMEM;
		return NULL;
	}
	for (;;) {
		if (__atomic_load_n(&h->cancelled, __ATOMIC_ACQUIRE))
			break;
		/* Read the flag first: once set, a short read is the end. */
		last = !h->follow || __atomic_load_n(&h->writer_done, __ATOMIC_ACQUIRE);
		n = pread(h->fd, buf, HASH_CHUNK, h->bytes);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			h->error = errno;
			break;
		}
		if (n > 0) {
			h->crc = crc32(h->crc, buf, n);
			if (h->md)
				EVP_DigestUpdate(h->md, buf, n);
			if (h->follow)
				sync_file_range(h->fd, h->bytes, n, SYNC_FILE_RANGE_WRITE);
			h->bytes += n;
			continue;
		}
		if (last)
			break;
		nanosleep(&nap, NULL);
	}
	free(buf);
	return NULL;
}

int sr_hasher_start(struct sr_hasher *h, int dirfd, const char *name, bool follow,
		    bool sha256)
{
	sigset_t all, old;
	int rc;

	memset(h, 0, sizeof(*h));
	h->follow = follow;
	h->fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (h->fd < 0)
		return -1;
	posix_fadvise(h->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	h->crc = crc32(0, NULL, 0);
	if (sha256) {
		h->md = EVP_MD_CTX_new();
		if (!h->md || !EVP_DigestInit_ex(h->md, EVP_sha256(), NULL)) {
			rc = ENOMEM;
			goto fail;
		}
	}
	/*
	 * Signals stay the main thread's, as libxl expects (its SIGCHLD
	 * handler, for the save helper and hotplug scripts it forks).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&h->thread, NULL, hash_thread, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		goto fail;
	h->running = true;
	return 0;
fail:
	EVP_MD_CTX_free(h->md);
	close(h->fd);
	h->md = NULL;
	h->fd = -1;
	errno = rc;
	return -1;
}

int sr_hasher_finish(struct sr_hasher *h, struct sr_digest *d)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len, i;
	int ret = -1;

	if (!h->running) {
		errno = EINVAL;
		return -1;
	}
	__atomic_store_n(&h->writer_done, true, __ATOMIC_RELEASE);
	pthread_join(h->thread, NULL);
	h->running = false;
	if (h->error) {
		errno = h->error;
		goto out;
	}
	memset(d, 0, sizeof(*d));
	if (h->md) {
		EVP_DigestFinal_ex(h->md, md, &len);
		for (i = 0; i < len && 2 * i < SRJ_SHA256_HEX; i++)
			snprintf(d->sha256 + 2 * i, 3, "%02x", md[i]);
	}
	snprintf(d->crc32, sizeof(d->crc32), "%08lx", h->crc & 0xffffffffUL);
	d->bytes = h->bytes;
	ret = 0;
out:
	EVP_MD_CTX_free(h->md);
	close(h->fd);
	h->md = NULL;
	h->fd = -1;
	return ret;
}

void sr_hasher_cancel(struct sr_hasher *h)
{
	struct sr_digest unwanted;
	int saved = errno;

	if (h->running) {
		__atomic_store_n(&h->cancelled, true, __ATOMIC_RELEASE);
		sr_hasher_finish(h, &unwanted);
	}
	errno = saved;
}
