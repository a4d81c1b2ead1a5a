// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing the journal: struct srj_journal to JSON, then to the save
 * directory atomically (journal.tmp, fsync, rename, fsync of the
 * directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "srj-priv.h"

#define SRJ_TMP_NAME	SRJ_FILE_NAME ".tmp"

void srj_fail(struct srj_error *err, const char *rule, const char *fmt, ...)
{
	va_list ap;

	err->rule = rule;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* json-c's adders fail only without memory; the caller checks once. */
static void add(json_object *o, const char *key, json_object *v, bool *nomem)
{
	if (!v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		*nomem = true;
	}
}

static json_object *device_json(const struct srj_device *d, bool *nomem)
{
	json_object *o = json_object_new_object(), *f;
	uint32_t i;

	if (!o) {
		*nomem = true;
		return NULL;
	}
	add(o, "type", json_object_new_string(d->type), nomem);
	add(o, "devid", json_object_new_int64(d->devid), nomem);
	add(o, "backend_state", json_object_new_int64(d->backend_state), nomem);
	add(o, "frontend_state", json_object_new_int64(d->frontend_state), nomem);
	f = json_object_new_array();
	for (i = 0; f && i < d->nr_features; i++)
		if (json_object_array_add(f, json_object_new_string(d->features[i])))
			*nomem = true;
	add(o, "features", f, nomem);
	return o;
}

static json_object *guest_json(const struct srj_guest *g, bool *nomem)
{
	json_object *o = json_object_new_object(), *config, *stream, *devs;
	uint32_t i;

	if (!o) {
		*nomem = true;
		return NULL;
	}
	add(o, "name", json_object_new_string(g->name), nomem);
	add(o, "uuid", json_object_new_string(g->uuid), nomem);
	add(o, "domid", json_object_new_int64(g->domid), nomem);
	add(o, "memory_kib", json_object_new_int64(g->memory_kib), nomem);
	add(o, "paused", json_object_new_boolean(g->paused), nomem);
	/* The configuration is libxl's JSON, kept as an object. */
	config = json_tokener_parse(g->config_json);
	if (!config)
		*nomem = true;
	add(o, "config", config, nomem);
	stream = json_object_new_object();
	if (stream) {
		add(stream, "file", json_object_new_string(g->stream_file), nomem);
		add(stream, "bytes", json_object_new_int64(g->stream_bytes), nomem);
		add(stream, "sha256", json_object_new_string(g->stream_sha256), nomem);
		if (g->stream_crc32[0])
			add(stream, "crc32", json_object_new_string(g->stream_crc32), nomem);
	}
	add(o, "stream", stream, nomem);
	devs = json_object_new_array();
	for (i = 0; devs && i < g->nr_devices; i++)
		if (json_object_array_add(devs, device_json(&g->devices[i], nomem)))
			*nomem = true;
	add(o, "devices", devs, nomem);
	add(o, "state", json_object_new_string(srj_guest_state_name(g->state)), nomem);
	if (g->state == SRJ_GUEST_RESTORED)
		add(o, "restored_domid", json_object_new_int64(g->restored_domid), nomem);
	if (g->state == SRJ_GUEST_FAILED)
		add(o, "failure", json_object_new_string(g->failure ? g->failure : ""), nomem);
	return o;
}

static json_object *body_json(const struct srj_journal *j, bool *nomem)
{
	json_object *o = json_object_new_object(), *xen2, *guests;
	uint32_t i;

	if (!o) {
		*nomem = true;
		return NULL;
	}
	add(o, "update_id", json_object_new_string(j->update_id), nomem);
	add(o, "method", json_object_new_string("save-restore"), nomem);
	add(o, "created", json_object_new_int64(j->created), nomem);
	add(o, "from_xen", json_object_new_string(j->from_xen ? j->from_xen : ""), nomem);
	xen2 = json_object_new_object();
	if (xen2) {
		add(xen2, "sha256", json_object_new_string(j->xen2_sha256), nomem);
		add(xen2, "cmdline", json_object_new_string(j->xen2_cmdline ? j->xen2_cmdline : ""),
		    nomem);
	}
	add(o, "xen2", xen2, nomem);
	guests = json_object_new_array();
	for (i = 0; guests && i < j->nr_guests; i++)
		if (json_object_array_add(guests, guest_json(&j->guests[i], nomem)))
			*nomem = true;
	add(o, "guests", guests, nomem);
	return o;
}

/*
 * The version @j is written as: 1 when its streams have no CRC-32, as
 * read from a version 1 journal (lu-ctl finish records its states in the
 * journal it read), else SRJ_VERSION.
 */
static int journal_version(const struct srj_journal *j)
{
	return j->nr_guests && !j->guests[0].stream_crc32[0] ? 1 : SRJ_VERSION;
}

/* What the writer refuses to put in a journal the reader would refuse. */
static int check_journal(const struct srj_journal *j, struct srj_error *err)
{
	size_t crc32_len = journal_version(j) == 1 ? 0 : SRJ_CRC32_HEX;
	uint32_t i;

	if (strlen(j->update_id) != SRJ_UPDATE_ID_HEX || strlen(j->xen2_sha256) != SRJ_SHA256_HEX) {
		srj_fail(err, "journal-field", "update id or xen#2 digest of the wrong length");
		return -1;
	}
	if (j->nr_guests > SRJ_MAX_GUESTS) {
		srj_fail(err, "journal-field", "%u guests, at most %u", j->nr_guests,
			 SRJ_MAX_GUESTS);
		return -1;
	}
	for (i = 0; i < j->nr_guests; i++) {
		const struct srj_guest *g = &j->guests[i];
		json_object *config = g->config_json ? json_tokener_parse(g->config_json) : NULL;
		bool config_ok = json_object_is_type(config, json_type_object);

		json_object_put(config);
		if (!config_ok) {
			srj_fail(err, "journal-field", "guest %u (%s): config is not a JSON object",
				 i, g->name ? g->name : "?");
			return -1;
		}
		if (!g->name || !g->config_json || !g->stream_file ||
		    !srj_plain_name(g->stream_file) || strlen(g->uuid) != SRJ_UUID_LEN ||
		    strlen(g->stream_sha256) != SRJ_SHA256_HEX ||
		    strlen(g->stream_crc32) != crc32_len ||
		    g->nr_devices > SRJ_MAX_DEVICES || !srj_guest_state_name(g->state)) {
			srj_fail(err, "journal-field", "guest %u (%s): incomplete entry", i,
				 g->name ? g->name : "?");
			return -1;
		}
	}
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

int srj_write(int dirfd, const struct srj_journal *j, struct srj_error *err)
{
	char sha[SRJ_SHA256_HEX + 1];
	json_object *top = NULL, *body;
	const char *text;
	bool nomem = false;
	int fd = -1, ret = -1;

	memset(err, 0, sizeof(*err));
	if (check_journal(j, err))
		return -1;
	body = body_json(j, &nomem);
	top = json_object_new_object();
	if (!top || !body || nomem) {
		json_object_put(body);
		srj_fail(err, "journal-nomem", "out of memory building the journal");
		goto out;
	}
	text = json_object_to_json_string_ext(body, SRJ_JSON_FLAGS);
	srj_sha256_hex(text, strlen(text), sha);
	add(top, "format", json_object_new_string(SRJ_FORMAT), &nomem);
	add(top, "version", json_object_new_int(journal_version(j)), &nomem);
	add(top, "body", body, &nomem);
	add(top, "body_sha256", json_object_new_string(sha), &nomem);
	text = json_object_to_json_string_ext(top, SRJ_JSON_FLAGS);
	if (nomem || !text) {
		srj_fail(err, "journal-nomem", "out of memory building the journal");
		goto out;
	}

	/* A temporary file left by an interrupted writer is stale. */
	if (unlinkat(dirfd, SRJ_TMP_NAME, 0) && errno != ENOENT)
		goto io;
	fd = openat(dirfd, SRJ_TMP_NAME, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto io;
	if (write_all(fd, text, strlen(text)) || write_all(fd, "\n", 1) || fsync(fd))
		goto io_unlink;
	if (close(fd)) {
		fd = -1;
		goto io_unlink;
	}
	fd = -1;
	if (renameat(dirfd, SRJ_TMP_NAME, dirfd, SRJ_FILE_NAME))
		goto io_unlink;
	if (fsync(dirfd))
		goto io;
	ret = 0;
	goto out;

io_unlink:
	err->sys_errno = errno;
	unlinkat(dirfd, SRJ_TMP_NAME, 0);
	errno = err->sys_errno;
io:
	err->sys_errno = errno;
	srj_fail(err, "journal-io", "writing %s: %s", SRJ_FILE_NAME, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	json_object_put(top);
	return ret;
}

int srj_remove(int dirfd)
{
	if (unlinkat(dirfd, SRJ_FILE_NAME, 0))
		return -1;
	return fsync(dirfd);
}
