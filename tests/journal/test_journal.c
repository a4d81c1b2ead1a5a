// SPDX-License-Identifier: GPL-2.0-only
/*
 * libsrjournal: a journal written is read back equal; every kind of damage
 * is refused with its rule, and a failed write leaves the old journal.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "srjournal.h"
#include "tap.h"

static char *features0[] = { "be:feature-barrier=1", "fe:feature-persistent=1" };

static struct srj_device devices0[] = {
	{ .type = "vbd", .devid = 51712, .backend_state = 4, .frontend_state = 4,
	  .features = features0, .nr_features = 2 },
	{ .type = "vif", .devid = 0, .backend_state = 4, .frontend_state = 4 },
};

static struct srj_guest guests[] = {
	{ .name = "guest-a", .uuid = "c0ffee00-0000-4000-8000-000000000001", .domid = 1,
	  .memory_kib = 131072, .paused = true, .config_json = "{\"c_info\":{\"name\":\"guest-a\"}}",
	  .stream_file = "c0ffee00-0000-4000-8000-000000000001.lxs", .stream_bytes = 4096,
	  .stream_sha256 = "0000000000000000000000000000000000000000000000000000000000000001",
	  .stream_crc32 = "0badcafe",
	  .devices = devices0, .nr_devices = 2, .state = SRJ_GUEST_SAVED },
	{ .name = "guest-b \"quoted\" / slash", .uuid = "c0ffee00-0000-4000-8000-000000000002",
	  .domid = 7, .memory_kib = 262144, .config_json = "{}",
	  .stream_file = "b.lxs", .stream_bytes = 1,
	  .stream_sha256 = "0000000000000000000000000000000000000000000000000000000000000002",
	  .stream_crc32 = "00000001",
	  .state = SRJ_GUEST_FAILED, .failure = "libxl: restore failed" },
};

static struct srj_journal journal0 = {
	.update_id = "0123456789abcdef0123456789abcdef",
	.created = 1796000000,
	.from_xen = "4.17.5",
	.xen2_sha256 = "abcdef0000000000000000000000000000000000000000000000000000000000",
	.xen2_cmdline = "console=com1 lu_update=0123456789abcdef0123456789abcdef",
	.guests = guests,
	.nr_guests = 2,
};

static int dirfd_;
static char dir[] = "/tmp/srjournal-test.XXXXXX";

static char *read_file(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	fclose(f);
	*len = n;
	return buf;
}

static void write_file(const char *name, const char *buf, size_t len)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Read the journal and return the rule of the refusal ("" if accepted). */
static const char *read_rule(void)
{
	static char rule[64];
	struct srj_journal j;
	struct srj_error err;

	if (srj_read(dirfd_, &j, &err) == 0) {
		srj_free(&j);
		return "";
	}
	snprintf(rule, sizeof(rule), "%s", err.rule ? err.rule : "(none)");
	return rule;
}

/*
 * Rewrite the journal with @edit applied to its parsed top object and, if
 * @rehash, the body's digest recomputed: damage the checksum cannot see.
 */
static void edit_journal(void (*edit)(json_object *top), int rehash)
{
	size_t len;
	char *buf = read_file(SRJ_FILE_NAME, &len);
	json_object *top = json_tokener_parse(buf), *body;
	char sha[SRJ_SHA256_HEX + 1];
	const char *text;

	edit(top);
	if (rehash && json_object_object_get_ex(top, "body", &body)) {
		text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
		srj_sha256_hex(text, strlen(text), sha);
		json_object_object_add(top, "body_sha256", json_object_new_string(sha));
	}
	text = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	write_file(SRJ_FILE_NAME, text, strlen(text));
	json_object_put(top);
	free(buf);
}

static json_object *guest0(json_object *top)
{
	json_object *body, *guests;

	json_object_object_get_ex(top, "body", &body);
	json_object_object_get_ex(body, "guests", &guests);
	return json_object_array_get_idx(guests, 0);
}

static void bump_version(json_object *top)
{
	json_object_object_add(top, "version", json_object_new_int(SRJ_VERSION + 1));
}

/* Every stream's CRC-32 taken out: as version 1 wrote it, or not. */
static void drop_crc32s(json_object *top, int version)
{
	json_object *body, *guests, *stream;
	size_t i;

	json_object_object_get_ex(top, "body", &body);
	json_object_object_get_ex(body, "guests", &guests);
	for (i = 0; i < json_object_array_length(guests); i++) {
		json_object_object_get_ex(json_object_array_get_idx(guests, i), "stream",
					  &stream);
		json_object_object_del(stream, "crc32");
	}
	json_object_object_add(top, "version", json_object_new_int(version));
}

static void version1(json_object *top)
{
	drop_crc32s(top, 1);
}

static void version2_without_crc32(json_object *top)
{
	drop_crc32s(top, 2);
}

static void crc32_not_hex(json_object *top)
{
	json_object *stream;

	json_object_object_get_ex(guest0(top), "stream", &stream);
	json_object_object_add(stream, "crc32", json_object_new_string("0BADCAFE"));
}

/* Version 1 with a stream's CRC-32: a member version 1 did not have. */
static void version1_with_crc32(json_object *top)
{
	json_object_object_add(top, "version", json_object_new_int(1));
}

static void other_format(json_object *top)
{
	json_object_object_add(top, "format", json_object_new_string("xl-save"));
}

static void unknown_member(json_object *top)
{
	json_object_object_add(guest0(top), "colour", json_object_new_string("red"));
}

static void escaping_stream(json_object *top)
{
	json_object *stream;

	json_object_object_get_ex(guest0(top), "stream", &stream);
	json_object_object_add(stream, "file", json_object_new_string("../etc/passwd"));
}

static void duplicate_uuid(json_object *top)
{
	json_object *body, *guests, *g1;

	json_object_object_get_ex(top, "body", &body);
	json_object_object_get_ex(body, "guests", &guests);
	g1 = json_object_array_get_idx(guests, 1);
	json_object_object_add(g1, "uuid",
			       json_object_new_string("c0ffee00-0000-4000-8000-000000000001"));
}

static void negative_domid(json_object *top)
{
	json_object_object_add(guest0(top), "domid", json_object_new_int(-1));
}

static void restored_without_domid(json_object *top)
{
	json_object_object_add(guest0(top), "state", json_object_new_string("restored"));
}

static void flip_name(json_object *top)
{
	json_object_object_add(guest0(top), "name", json_object_new_string("guest-A"));
}

static int equal_journals(const struct srj_journal *a, const struct srj_journal *b)
{
	uint32_t i, k, f;

	if (strcmp(a->update_id, b->update_id) || a->created != b->created ||
	    strcmp(a->from_xen, b->from_xen) || strcmp(a->xen2_sha256, b->xen2_sha256) ||
	    strcmp(a->xen2_cmdline, b->xen2_cmdline) || a->nr_guests != b->nr_guests)
		return 0;
	for (i = 0; i < a->nr_guests; i++) {
		const struct srj_guest *x = &a->guests[i], *y = &b->guests[i];

		if (strcmp(x->name, y->name) || strcmp(x->uuid, y->uuid) ||
		    x->domid != y->domid || x->memory_kib != y->memory_kib ||
		    x->paused != y->paused ||
		    strcmp(x->stream_file, y->stream_file) || x->stream_bytes != y->stream_bytes ||
		    strcmp(x->stream_sha256, y->stream_sha256) ||
		    strcmp(x->stream_crc32, y->stream_crc32) || x->state != y->state ||
		    x->nr_devices != y->nr_devices ||
		    (x->failure || y->failure ? !x->failure || !y->failure ||
		     strcmp(x->failure, y->failure) : 0))
			return 0;
		for (k = 0; k < x->nr_devices; k++) {
			const struct srj_device *d = &x->devices[k], *e = &y->devices[k];

			if (strcmp(d->type, e->type) || d->devid != e->devid ||
			    d->backend_state != e->backend_state ||
			    d->frontend_state != e->frontend_state ||
			    d->nr_features != e->nr_features)
				return 0;
			for (f = 0; f < d->nr_features; f++)
				if (strcmp(d->features[f], e->features[f]))
					return 0;
		}
	}
	return 1;
}

int main(void)
{
	char id1[SRJ_UPDATE_ID_HEX + 1], id2[SRJ_UPDATE_ID_HEX + 1];
	char sha[SRJ_SHA256_HEX + 1];
	struct srj_journal j, bad;
	struct srj_error err;
	size_t len, cut, cuts = 0, truncated = 0;
	uint64_t bytes;
	char *good;
	int fd, rc;

	tap_plan(27);
	if (!mkdtemp(dir))
		return 1;
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);

	tap_ok(!strcmp(read_rule(), "journal-absent"), "no journal: journal-absent");

	tap_ok(srj_write(dirfd_, &journal0, &err) == 0, "a journal is written");
	tap_ok(srj_read(dirfd_, &j, &err) == 0, "and read back (%s)", err.msg);
	tap_ok(equal_journals(&journal0, &j), "every field read back equal");
	tap_ok(strstr(j.guests[0].config_json, "\"guest-a\"") != NULL,
	       "the libxl config is kept as JSON");
	srj_free(&j);
	good = read_file(SRJ_FILE_NAME, &len);

	/* Every cut inside the object is "truncated", never accepted. */
	for (cut = 0; cut + 1 < len; cut += 1 + cut / 64) {
		write_file(SRJ_FILE_NAME, good, cut);
		cuts++;
		if (!strcmp(read_rule(), "journal-truncated"))
			truncated++;
	}
	tap_ok(cuts == truncated, "%zu of %zu cuts refused as journal-truncated", truncated,
	       cuts);
	write_file(SRJ_FILE_NAME, good, len);

	edit_journal(flip_name, 0);
	tap_ok(!strcmp(read_rule(), "journal-checksum"), "a changed name: journal-checksum");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(bump_version, 0);
	tap_ok(!strcmp(read_rule(), "journal-version"), "version %d: journal-version",
	       SRJ_VERSION + 1);
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(version1, 1);
	rc = srj_read(dirfd_, &j, &err);
	tap_ok(rc == 0 && j.guests[0].stream_crc32[0] == '\0' &&
	       !strcmp(j.guests[0].stream_sha256, journal0.guests[0].stream_sha256),
	       "version 1 (no CRC-32) is read: the SHA-256 is what a restore checks");
	/* finish records its states in the journal it read. */
	if (rc == 0) {
		j.guests[0].state = SRJ_GUEST_RESTORED;
		rc = srj_write(dirfd_, &j, &err);
		srj_free(&j);
	}
	rc = rc ? rc : srj_read(dirfd_, &j, &err);
	tap_ok(rc == 0 && j.guests[0].stream_crc32[0] == '\0' &&
	       j.guests[0].state == SRJ_GUEST_RESTORED,
	       "and written back as version 1 (%s)", err.msg);
	if (rc == 0)
		srj_free(&j);
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(version2_without_crc32, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "version 2 without a CRC-32: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(version1_with_crc32, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "version 1 with a CRC-32: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(crc32_not_hex, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "a CRC-32 in capitals: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(other_format, 0);
	tap_ok(!strcmp(read_rule(), "journal-format"), "another format: journal-format");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(unknown_member, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "unknown member: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(escaping_stream, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "stream ../etc/passwd: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(duplicate_uuid, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "two guests, one uuid: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(negative_domid, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"), "domid -1: journal-field");
	write_file(SRJ_FILE_NAME, good, len);
	edit_journal(restored_without_domid, 1);
	tap_ok(!strcmp(read_rule(), "journal-field"),
	       "restored without restored_domid: journal-field");

	write_file(SRJ_FILE_NAME, "{} x", 4);
	tap_ok(!strcmp(read_rule(), "journal-syntax"), "data after the object: journal-syntax");
	write_file(SRJ_FILE_NAME, "[1,2,,]", 7);
	tap_ok(!strcmp(read_rule(), "journal-syntax"), "bad JSON: journal-syntax");
	fd = openat(dirfd_, SRJ_FILE_NAME, O_WRONLY | O_TRUNC);
	if (fd < 0 || ftruncate(fd, SRJ_MAX_FILE_BYTES + 1))
		return 1;
	close(fd);
	tap_ok(!strcmp(read_rule(), "journal-too-large"), "a 64 MiB + 1 file: journal-too-large");

	/* A write that fails leaves the journal that was there. */
	write_file(SRJ_FILE_NAME, good, len);
	mkdirat(dirfd_, SRJ_FILE_NAME ".tmp", 0700);
	bad = journal0;
	bad.created = 1;
	tap_ok(srj_write(dirfd_, &bad, &err) == -1 && !strcmp(err.rule, "journal-io"),
	       "a write that cannot create its temporary file fails (%s)", err.msg);
	tap_ok(srj_read(dirfd_, &j, &err) == 0 && j.created == journal0.created,
	       "and the previous journal is intact");
	srj_free(&j);
	unlinkat(dirfd_, SRJ_FILE_NAME ".tmp", AT_REMOVEDIR);

	bad = journal0;
	bad.guests = calloc(2, sizeof(*bad.guests));
	memcpy(bad.guests, guests, sizeof(guests));
	bad.guests[0].stream_file = "a/b";
	tap_ok(srj_write(dirfd_, &bad, &err) == -1 && !strcmp(err.rule, "journal-field"),
	       "the writer refuses a stream path that is not a plain name");
	free(bad.guests);

	write_file("abc", "abc", 3);
	tap_ok(srj_file_sha256(dirfd_, "abc", sha, &bytes) == 0 && bytes == 3 &&
	       !strcmp(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	       "SHA-256 of a file (FIPS 180-2 \"abc\")");
	tap_ok(srj_new_update_id(id1) == 0 && srj_new_update_id(id2) == 0 &&
	       strlen(id1) == SRJ_UPDATE_ID_HEX && strcmp(id1, id2),
	       "update ids are 128 random bits");

	unlinkat(dirfd_, "abc", 0);
	srj_remove(dirfd_);
	close(dirfd_);
	rmdir(dir);
	free(good);
	return tap_done();
}
