/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libsrjournal: the journal of a save-restore update.
 *
 * The save-restore method saves every guest with Xen's own save (libxl),
 * executes xen#2 cold and restores the guests in the next boot.  The
 * journal is what survives the exec: one JSON file, "journal", in the save
 * directory beside the guests' streams.  It says which update this is, what
 * xen#2 is, and for each guest what is needed to restore it (its libxl
 * configuration and stream) and to check it afterwards (its devices as dom0
 * recorded them).  Documentation/admin-guide/xen-liveupdate.rst describes
 * the format for operators.
 *
 * The file is written whole and atomically (a temporary file, fsync,
 * rename, fsync of the directory) and carries the SHA-256 of its body, so a
 * reader sees either the last complete journal or a refusal that names the
 * damage.  The library never prints: it fills a struct srj_error.
 */
#ifndef SRJOURNAL_H
#define SRJOURNAL_H

#include <stdbool.h>
#include <stdint.h>

/* The journal's file name in the save directory. */
#define SRJ_FILE_NAME		"journal"
/*
 * Identifies the file; "version" changes with any incompatible change.
 * Version 2 added each stream's CRC-32; version 1 journals are still read.
 */
#define SRJ_FORMAT		"xen-liveupdate-journal"
#define SRJ_VERSION		2
#define SRJ_VERSION_OLDEST	1
/* A larger file is refused before it is read. */
#define SRJ_MAX_FILE_BYTES	(64u << 20)
/* Guests one journal holds. */
#define SRJ_MAX_GUESTS		4096
/* Devices one guest's entry holds. */
#define SRJ_MAX_DEVICES		4096

#define SRJ_UPDATE_ID_HEX	32	/* 128 random bits */
#define SRJ_SHA256_HEX		64
#define SRJ_CRC32_HEX		8
#define SRJ_UUID_LEN		36

struct srj_error {
	/*
	 * Stable name of the rule the journal breaks: "journal-absent",
	 * "journal-io", "journal-too-large", "journal-truncated",
	 * "journal-syntax", "journal-format", "journal-version",
	 * "journal-checksum", "journal-field", "journal-nomem".
	 */
	const char *rule;
	int sys_errno;		/* journal-io and journal-absent */
	char msg[256];		/* human-readable, no trailing newline */
};

/* Where a guest is in the update; the journal records the last reached. */
enum srj_guest_state {
	SRJ_GUEST_SAVED,	/* its stream is complete and verified */
	SRJ_GUEST_RESTORED,	/* it runs again (finish) */
	SRJ_GUEST_FAILED,	/* its restore failed; the stream is kept */
};

/* A backend device as dom0 recorded it at prepare. */
struct srj_device {
	char *type;		/* "vbd", "vif", ... */
	uint32_t devid;
	uint32_t backend_state;	/* XenbusState */
	uint32_t frontend_state;
	char **features;	/* "be:<key>=<value>" / "fe:...", sorted */
	uint32_t nr_features;
};

struct srj_guest {
	char *name;
	char uuid[SRJ_UUID_LEN + 1];
	uint32_t domid;			/* at the save */
	uint64_t memory_kib;		/* its memory, for the room check */
	bool paused;			/* paused by the administrator: stays so */
	char *config_json;		/* libxl_domain_config_to_json() */
	char *stream_file;		/* a plain name in the save directory */
	uint64_t stream_bytes;
	char stream_sha256[SRJ_SHA256_HEX + 1];
	/*
	 * zlib's CRC-32 of the stream, what a restore checks before the guest
	 * runs: about 9 times cheaper than SHA-256 where neither has a CPU
	 * instruction.  Empty when read from a version 1 journal.
	 */
	char stream_crc32[SRJ_CRC32_HEX + 1];
	struct srj_device *devices;
	uint32_t nr_devices;
	enum srj_guest_state state;
	uint32_t restored_domid;	/* SRJ_GUEST_RESTORED only */
	char *failure;			/* SRJ_GUEST_FAILED: why, else NULL */
};

struct srj_journal {
	char update_id[SRJ_UPDATE_ID_HEX + 1];
	int64_t created;		/* seconds since the epoch */
	char *from_xen;			/* xen#1's version, as xl info says */
	char xen2_sha256[SRJ_SHA256_HEX + 1];	/* staged image digest */
	char *xen2_cmdline;		/* xen#2's command line, marker included */
	struct srj_guest *guests;
	uint32_t nr_guests;
};

/* The strings of enum srj_guest_state, as the journal spells them. */
const char *srj_guest_state_name(enum srj_guest_state state);

/*
 * Write @j as the journal of @dir (an open directory) atomically: version
 * SRJ_VERSION, or version 1 when no stream has a CRC-32 (as read from a
 * version 1 journal).  Returns 0, or -1 with @err filled and the previous
 * journal untouched.
 */
int srj_write(int dirfd, const struct srj_journal *j, struct srj_error *err);

/*
 * Read and check the journal of @dir.  Returns 0 with @j filled (free it
 * with srj_free()), or -1 with @err filled and @j empty.
 */
int srj_read(int dirfd, struct srj_journal *j, struct srj_error *err);

/* Remove the journal of @dir (after a finished update).  0 or -1/errno. */
int srj_remove(int dirfd);

void srj_free(struct srj_journal *j);

/* A fresh random update id (getrandom). 0 or -1/errno. */
int srj_new_update_id(char id[SRJ_UPDATE_ID_HEX + 1]);

/*
 * SHA-256 of the file @name in @dir as hex, and its size.  0, or -1 with
 * errno set.
 */
int srj_file_sha256(int dirfd, const char *name,
		    char hex[SRJ_SHA256_HEX + 1], uint64_t *bytes);

/* SHA-256 of a buffer as hex. */
void srj_sha256_hex(const void *buf, size_t len, char hex[SRJ_SHA256_HEX + 1]);

/*
 * A stream or journal file name the library accepts: non-empty, at most
 * 255 bytes, no '/', not "." or "..", no control characters.
 */
bool srj_plain_name(const char *name);

#endif /* SRJOURNAL_H */
