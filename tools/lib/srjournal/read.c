// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the journal, outside in: the file's size, the JSON syntax (a
 * journal cut short is "journal-truncated"), the format and version, the
 * body's SHA-256, then every member of the body with its type and bounds.
 * Unknown members are refused: version 2 has exactly the members written
 * by write.c, version 1 the same but each stream's "crc32".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srj-priv.h"

/* Member lookup that names what is wrong. */
struct reader {
	struct srj_error *err;
	const char *where;	/* "body", "guest 3", ... for messages */
	int64_t version;	/* the journal's, once read */
};

static json_object *member(struct reader *r, json_object *o, const char *key,
			   json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		srj_fail(r->err, "journal-field", "%s: no \"%s\"", r->where, key);
		return NULL;
	}
	if (!json_object_is_type(v, type)) {
		srj_fail(r->err, "journal-field", "%s: \"%s\" is not a %s", r->where, key,
			 json_type_to_name(type));
		return NULL;
	}
	return v;
}

/* Every member of @o is one of @keys (NULL-terminated). */
static int only_members(struct reader *r, json_object *o, const char *const *keys)
{
	const char *const *k;

	json_object_object_foreach(o, key, val) {
		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			srj_fail(r->err, "journal-field", "%s: unknown member \"%s\"", r->where,
				 key);
			return -1;
		}
	}
	return 0;
}

static int get_string(struct reader *r, json_object *o, const char *key, char **out)
{
	json_object *v = member(r, o, key, json_type_string);

	if (!v)
		return -1;
	*out = strdup(json_object_get_string(v));
	if (!*out) {
		srj_fail(r->err, "journal-nomem", "out of memory");
		return -1;
	}
	return 0;
}

/* A string of exactly @len bytes (@hex: lower-case hex digits only). */
static int get_fixed(struct reader *r, json_object *o, const char *key, char *out,
		     size_t len, bool hex)
{
	json_object *v = member(r, o, key, json_type_string);
	const char *s;
	size_t i;

	if (!v)
		return -1;
	s = json_object_get_string(v);
	if (strlen(s) != len)
		goto bad;
	for (i = 0; hex && i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			goto bad;
	memcpy(out, s, len + 1);
	return 0;
bad:
	srj_fail(r->err, "journal-field", "%s: \"%s\" is not %zu %s", r->where, key, len,
		 hex ? "hex digits" : "characters");
	return -1;
}

static int get_uint(struct reader *r, json_object *o, const char *key, uint64_t max,
		    uint64_t *out)
{
	json_object *v = member(r, o, key, json_type_int);
	int64_t n;

	if (!v)
		return -1;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < 0 || (uint64_t)n > max) {
		srj_fail(r->err, "journal-field", "%s: \"%s\" out of range", r->where, key);
		return -1;
	}
	*out = n;
	return 0;
}

static int get_u32(struct reader *r, json_object *o, const char *key, uint32_t *out)
{
	uint64_t v;

	if (get_uint(r, o, key, UINT32_MAX, &v))
		return -1;
	*out = v;
	return 0;
}

static int read_device(struct reader *r, json_object *o, struct srj_device *d)
{
	static const char *const keys[] = {
		"type", "devid", "backend_state", "frontend_state", "features", NULL
	};
	json_object *f;
	size_t i, n;

	if (!json_object_is_type(o, json_type_object)) {
		srj_fail(r->err, "journal-field", "%s: a device is not an object", r->where);
		return -1;
	}
	if (only_members(r, o, keys) || get_string(r, o, "type", &d->type) ||
	    get_u32(r, o, "devid", &d->devid) ||
	    get_u32(r, o, "backend_state", &d->backend_state) ||
	    get_u32(r, o, "frontend_state", &d->frontend_state))
		return -1;
	f = member(r, o, "features", json_type_array);
	if (!f)
		return -1;
	n = json_object_array_length(f);
	d->features = calloc(n ? n : 1, sizeof(*d->features));
	if (!d->features) {
		srj_fail(r->err, "journal-nomem", "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(f, i);

		if (!json_object_is_type(s, json_type_string)) {
			srj_fail(r->err, "journal-field", "%s: a feature is not a string",
				 r->where);
			return -1;
		}
		d->features[i] = strdup(json_object_get_string(s));
		if (!d->features[i]) {
			srj_fail(r->err, "journal-nomem", "out of memory");
			return -1;
		}
		d->nr_features++;
	}
	return 0;
}

static int read_stream(struct reader *r, json_object *o, struct srj_guest *g)
{
	static const char *const keys[] = { "file", "bytes", "sha256", "crc32", NULL };
	static const char *const keys_v1[] = { "file", "bytes", "sha256", NULL };

	if (only_members(r, o, r->version == 1 ? keys_v1 : keys) ||
	    get_string(r, o, "file", &g->stream_file) ||
	    get_uint(r, o, "bytes", INT64_MAX, &g->stream_bytes) ||
	    get_fixed(r, o, "sha256", g->stream_sha256, SRJ_SHA256_HEX, true) ||
	    (r->version > 1 &&
	     get_fixed(r, o, "crc32", g->stream_crc32, SRJ_CRC32_HEX, true)))
		return -1;
	if (!srj_plain_name(g->stream_file)) {
		srj_fail(r->err, "journal-field", "%s: stream file \"%s\" is not a plain name",
			 r->where, g->stream_file);
		return -1;
	}
	return 0;
}

static int read_guest(struct reader *r, json_object *o, struct srj_guest *g)
{
	static const char *const keys[] = {
		"name", "uuid", "domid", "memory_kib", "paused", "config", "stream", "devices",
		"state", "restored_domid", "failure", NULL
	};
	json_object *v, *devs;
	char *state = NULL;
	size_t i, n;
	int ret = -1;

	if (!json_object_is_type(o, json_type_object)) {
		srj_fail(r->err, "journal-field", "%s: not an object", r->where);
		return -1;
	}
	if (only_members(r, o, keys) || get_string(r, o, "name", &g->name) ||
	    get_fixed(r, o, "uuid", g->uuid, SRJ_UUID_LEN, false) ||
	    get_u32(r, o, "domid", &g->domid) ||
	    get_uint(r, o, "memory_kib", INT64_MAX, &g->memory_kib))
		return -1;
	v = member(r, o, "paused", json_type_boolean);
	if (!v)
		return -1;
	g->paused = json_object_get_boolean(v);
	v = member(r, o, "config", json_type_object);
	if (!v)
		return -1;
	g->config_json = strdup(json_object_to_json_string_ext(v, SRJ_JSON_FLAGS));
	if (!g->config_json) {
		srj_fail(r->err, "journal-nomem", "out of memory");
		return -1;
	}
	v = member(r, o, "stream", json_type_object);
	if (!v || read_stream(r, v, g))
		return -1;
	devs = member(r, o, "devices", json_type_array);
	if (!devs)
		return -1;
	n = json_object_array_length(devs);
	if (n > SRJ_MAX_DEVICES) {
		srj_fail(r->err, "journal-field", "%s: %zu devices, at most %u", r->where, n,
			 SRJ_MAX_DEVICES);
		return -1;
	}
	g->devices = calloc(n ? n : 1, sizeof(*g->devices));
	if (!g->devices) {
		srj_fail(r->err, "journal-nomem", "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		g->nr_devices++;
		if (read_device(r, json_object_array_get_idx(devs, i), &g->devices[i]))
			return -1;
	}
	if (get_string(r, o, "state", &state))
		return -1;
	if (srj_guest_state_parse(state, &g->state)) {
		srj_fail(r->err, "journal-field", "%s: unknown state \"%s\"", r->where, state);
		goto out;
	}
	/* restored_domid belongs to restored guests, failure to failed ones. */
	if (json_object_object_get_ex(o, "restored_domid", NULL) !=
	    (g->state == SRJ_GUEST_RESTORED) ||
	    json_object_object_get_ex(o, "failure", NULL) != (g->state == SRJ_GUEST_FAILED)) {
		srj_fail(r->err, "journal-field", "%s: members do not match state \"%s\"",
			 r->where, state);
		goto out;
	}
	if (g->state == SRJ_GUEST_RESTORED &&
	    get_u32(r, o, "restored_domid", &g->restored_domid))
		goto out;
	if (g->state == SRJ_GUEST_FAILED && get_string(r, o, "failure", &g->failure))
		goto out;
	ret = 0;
out:
	free(state);
	return ret;
}

static int read_body(struct srj_error *err, int64_t version, json_object *body,
		     struct srj_journal *j)
{
	static const char *const keys[] = {
		"update_id", "method", "created", "from_xen", "xen2", "guests", NULL
	};
	static const char *const xen2_keys[] = { "sha256", "cmdline", NULL };
	struct reader r = { .err = err, .where = "body", .version = version };
	char where[32];
	json_object *v, *guests;
	uint64_t created;
	size_t i, n;

	if (only_members(&r, body, keys) ||
	    get_fixed(&r, body, "update_id", j->update_id, SRJ_UPDATE_ID_HEX, true))
		return -1;
	v = member(&r, body, "method", json_type_string);
	if (!v)
		return -1;
	if (strcmp(json_object_get_string(v), "save-restore")) {
		srj_fail(err, "journal-field", "body: method \"%s\" is not save-restore",
			 json_object_get_string(v));
		return -1;
	}
	if (get_uint(&r, body, "created", INT64_MAX, &created) ||
	    get_string(&r, body, "from_xen", &j->from_xen))
		return -1;
	j->created = created;
	v = member(&r, body, "xen2", json_type_object);
	r.where = "xen2";
	if (!v || only_members(&r, v, xen2_keys) ||
	    get_fixed(&r, v, "sha256", j->xen2_sha256, SRJ_SHA256_HEX, true) ||
	    get_string(&r, v, "cmdline", &j->xen2_cmdline))
		return -1;
	r.where = "body";
	guests = member(&r, body, "guests", json_type_array);
	if (!guests)
		return -1;
	n = json_object_array_length(guests);
	if (n > SRJ_MAX_GUESTS) {
		srj_fail(err, "journal-field", "body: %zu guests, at most %u", n, SRJ_MAX_GUESTS);
		return -1;
	}
	j->guests = calloc(n ? n : 1, sizeof(*j->guests));
	if (!j->guests) {
		srj_fail(err, "journal-nomem", "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "guest %zu", i);
		r.where = where;
		j->nr_guests++;
		if (read_guest(&r, json_object_array_get_idx(guests, i), &j->guests[i]))
			return -1;
	}
	/* Guests are keyed by uuid; stream files must not be shared. */
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < i; k++) {
			if (!strcmp(j->guests[i].uuid, j->guests[k].uuid) ||
			    !strcmp(j->guests[i].stream_file, j->guests[k].stream_file)) {
				srj_fail(err, "journal-field",
					 "guests %zu and %zu share a uuid or a stream file", k, i);
				return -1;
			}
		}
	}
	return 0;
}

/* The whole file, NUL-terminated; its size is checked before reading. */
static char *slurp(int dirfd, size_t *len, struct srj_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = openat(dirfd, SRJ_FILE_NAME, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err->sys_errno = errno;
		srj_fail(err, errno == ENOENT ? "journal-absent" : "journal-io",
			 "opening %s: %s", SRJ_FILE_NAME, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		err->sys_errno = errno;
		srj_fail(err, "journal-io", "%s: %s", SRJ_FILE_NAME, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SRJ_MAX_FILE_BYTES) {
		srj_fail(err, "journal-too-large", "%s: not a regular file of at most %u bytes",
			 SRJ_FILE_NAME, SRJ_MAX_FILE_BYTES);
		goto out;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		srj_fail(err, "journal-nomem", "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err->sys_errno = n ? errno : EIO;
			srj_fail(err, "journal-io", "reading %s: %s", SRJ_FILE_NAME,
				 n ? strerror(errno) : "file shrank");
			free(buf);
			buf = NULL;
			goto out;
		}
		got += n;
	}
	buf[got] = '\0';
	*len = got;
out:
	close(fd);
	return buf;
}

int srj_read(int dirfd, struct srj_journal *j, struct srj_error *err)
{
	struct reader r = { .err = err, .where = "journal" };
	char sha[SRJ_SHA256_HEX + 1];
	json_tokener *tok = NULL;
	json_object *top = NULL, *v, *body;
	enum json_tokener_error jerr;
	const char *text;
	size_t len = 0, end;
	char *buf;
	int ret = -1;

	memset(j, 0, sizeof(*j));
	memset(err, 0, sizeof(*err));
	buf = slurp(dirfd, &len, err);
	if (!buf)
		return -1;
	tok = json_tokener_new();
	if (!tok) {
		srj_fail(err, "journal-nomem", "out of memory");
		goto out;
	}
	top = json_tokener_parse_ex(tok, buf, len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue || (!top && len == 0)) {
		srj_fail(err, "journal-truncated", "%s ends after %zu bytes, inside the JSON",
			 SRJ_FILE_NAME, len);
		goto out;
	}
	if (!top) {
		srj_fail(err, "journal-syntax", "%s: %s at byte %zu", SRJ_FILE_NAME,
			 json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		goto out;
	}
	/* Only white space may follow the object. */
	for (end = json_tokener_get_parse_end(tok); end < len; end++) {
		if (!strchr(" \t\r\n", buf[end])) {
			srj_fail(err, "journal-syntax", "%s: data after the JSON at byte %zu",
				 SRJ_FILE_NAME, end);
			goto out;
		}
	}
	if (!json_object_is_type(top, json_type_object) ||
	    !(v = member(&r, top, "format", json_type_string)) ||
	    strcmp(json_object_get_string(v), SRJ_FORMAT)) {
		srj_fail(err, "journal-format", "%s is not a %s file", SRJ_FILE_NAME, SRJ_FORMAT);
		goto out;
	}
	v = member(&r, top, "version", json_type_int);
	if (!v)
		goto out;
	r.version = json_object_get_int64(v);
	if (r.version < SRJ_VERSION_OLDEST || r.version > SRJ_VERSION) {
		srj_fail(err, "journal-version", "%s has version %lld; this lu-ctl reads %d to %d",
			 SRJ_FILE_NAME, (long long)r.version, SRJ_VERSION_OLDEST, SRJ_VERSION);
		goto out;
	}
	{
		static const char *const keys[] = {
			"format", "version", "body", "body_sha256", NULL
		};

		if (only_members(&r, top, keys))
			goto out;
	}
	body = member(&r, top, "body", json_type_object);
	v = body ? member(&r, top, "body_sha256", json_type_string) : NULL;
	if (!v)
		goto out;
	text = json_object_to_json_string_ext(body, SRJ_JSON_FLAGS);
	srj_sha256_hex(text, strlen(text), sha);
	if (strcmp(sha, json_object_get_string(v))) {
		srj_fail(err, "journal-checksum",
			 "%s: the body's SHA-256 is %.16s..., the journal says %.16s...",
			 SRJ_FILE_NAME, sha, json_object_get_string(v));
		goto out;
	}
	ret = read_body(err, r.version, body, j);
out:
	if (ret)
		srj_free(j);
	json_object_put(top);
	if (tok)
		json_tokener_free(tok);
	free(buf);
	return ret;
}

void srj_free(struct srj_journal *j)
{
	uint32_t i, k, f;

	for (i = 0; i < j->nr_guests; i++) {
		struct srj_guest *g = &j->guests[i];

		for (k = 0; k < g->nr_devices; k++) {
			for (f = 0; f < g->devices[k].nr_features; f++)
				free(g->devices[k].features[f]);
			free(g->devices[k].features);
			free(g->devices[k].type);
		}
		free(g->devices);
		free(g->name);
		free(g->config_json);
		free(g->stream_file);
		free(g->failure);
	}
	free(j->guests);
	free(j->from_xen);
	free(j->xen2_cmdline);
	memset(j, 0, sizeof(*j));
}
