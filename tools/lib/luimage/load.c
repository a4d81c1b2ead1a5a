// SPDX-License-Identifier: GPL-2.0-only
/* Read a Xen image from a file or a buffer, gunzipping it when needed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "luimage.h"

static bool is_gzip(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

int lui_load_buffer(const void *buf, size_t len, size_t max,
		    struct lui_blob *out, struct lui_error *e)
{
	const uint8_t *p = buf;
	int ret;

	if (!out || (!buf && len) || !max)
		return lui_fail(e, LUI_E_USAGE, "load: bad arguments");
	memset(out, 0, sizeof(*out));
	if (len > max)
		return lui_fail(e, LUI_E_TOO_BIG,
				"image of %zu bytes exceeds %zu", len, max);
	out->file_len = len;
	if (is_gzip(p, len)) {
		ret = lui_gunzip(p, len, max, &out->data, &out->len, e);
		if (!ret)
			out->was_gzip = true;
		return ret;
	}
	out->data = malloc(len ? len : 1);
	if (!out->data)
		return lui_fail(e, LUI_E_NOMEM, "load: %zu bytes", len);
	if (len)
		memcpy(out->data, p, len);
	out->len = len;
	return 0;
}

static int read_all(int fd, uint8_t *buf, size_t len, const char *path,
		    struct lui_error *e)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			lui_fail(e, LUI_E_IO, "%s: read failed: %s", path,
				 strerror(err));
			if (e)
				e->sys_errno = err;
			return LUI_E_IO;
		}
		if (!n)
			return lui_fail(e, LUI_E_IO, "%s: file shrank while reading",
					path);
		done += n;
	}
	return 0;
}

static int load_path(const char *path, size_t max, bool gunzip,
		     struct lui_blob *out, struct lui_error *e)
{
	uint8_t *raw = NULL;
	struct stat st;
	int fd, ret, err;

	if (!path || !out)
		return lui_fail(e, LUI_E_USAGE, "load: bad arguments");
	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		ret = lui_fail(e, LUI_E_IO, "%s: open failed: %s", path,
			       strerror(err));
		if (e)
			e->sys_errno = err;
		return ret;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = lui_fail(e, LUI_E_IO, "%s: not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		ret = lui_fail(e, LUI_E_TOO_BIG, "%s: %lld bytes exceeds %zu",
			       path, (long long)st.st_size, max);
		goto out;
	}
	if (!gunzip && st.st_size) {
		/* A module is passed on untouched: no need to copy it. */
		raw = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (raw != MAP_FAILED) {
			out->data = raw;
			out->len = out->file_len = st.st_size;
			out->mapped = true;
			close(fd);
			return 0;
		}
	}
	raw = malloc(st.st_size ? st.st_size : 1);
	if (!raw) {
		ret = lui_fail(e, LUI_E_NOMEM, "%s: %lld bytes", path,
			       (long long)st.st_size);
		goto out;
	}
	ret = read_all(fd, raw, st.st_size, path, e);
	if (!ret && gunzip) {
		ret = lui_load_buffer(raw, st.st_size, max, out, e);
	} else if (!ret) {
		out->data = raw;
		out->len = out->file_len = st.st_size;
		raw = NULL;
	}
out:
	free(raw);
	close(fd);
	return ret;
}

int lui_load_file(const char *path, size_t max, struct lui_blob *out,
		  struct lui_error *e)
{
	return load_path(path, max, true, out, e);
}

int lui_read_file(const char *path, size_t max, struct lui_blob *out,
		  struct lui_error *e)
{
	return load_path(path, max, false, out, e);
}

void lui_blob_free(struct lui_blob *b)
{
	if (!b)
		return;
	if (b->mapped)
		munmap(b->data, b->len);
	else
		free(b->data);
	memset(b, 0, sizeof(*b));
}
