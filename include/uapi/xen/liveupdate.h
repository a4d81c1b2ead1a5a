/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR MIT) */
/*
 * Interface to /dev/xen/liveupdate: the dom0 side of Xen hypervisor live
 * update.
 *
 * A live update kexecs from the running Xen (xen#1) into a new Xen (xen#2)
 * while every domain, dom0 included, keeps its memory.  This device lets a
 * privileged dom0 process query the hypervisor's live-update capability,
 * stage xen#2 (ABI 2), collect dom0's records (ABI 3) and run the update
 * itself: prepare, commit, finish or cancel (ABI 4), with a way out of
 * every state, guest-sized records and CAP_SYS_BOOT at every
 * state-changing call (ABI 5).  ABI 6 moved timings to tracepoints and
 * the simulator's presence out of GET_INFO.
 *
 * The ioctls only.  The records they return are a format of their own,
 * <xen/liveupdate-records.h>; the image STAGE takes is described by
 * <xen/liveupdate-image.h>.  Both are included here.
 */
#ifndef _UAPI_XEN_LIVEUPDATE_H
#define _UAPI_XEN_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#include <xen/liveupdate-image.h>
#include <xen/liveupdate-records.h>

/**
 * DOC: General ioctl format
 *
 * Every ioctl takes a pointer to a structure whose first __u32 is the size
 * of that structure as user space knows it.  The kernel zero-extends a
 * shorter structure from older user space, rejects a structure shorter than
 * the last field the command needs with EINVAL, and rejects non-zero bytes
 * beyond what it understands with E2BIG, as it does any size above
 * %XEN_LU_MAX_ARG_SIZE.  On return the kernel copies back no more than the
 * size user space gave.  Fields prefixed ``out_`` are
 * outputs; everything else is input.
 *
 * Common errno values:
 *
 *  - ENOTTY: the ioctl number is not known.
 *  - EFAULT: the argument pointer cannot be read or written.
 *  - EINVAL: the size is too small, a flag is unknown or a reserved field is
 *    not zero.
 *  - E2BIG: the structure has non-zero bytes past what the kernel knows,
 *    or its size is above %XEN_LU_MAX_ARG_SIZE.
 *  - EPERM: the caller lacks CAP_SYS_ADMIN (checked at open), or, for a
 *    controller-only command, CAP_SYS_BOOT (checked at every call).
 *  - EBUSY: another file already holds the device open for writing.
 *  - ENOMEM: out of memory.
 *  - EINTR: a fatal signal came while the command waited for another one
 *    (a long PREPARE, say); nothing changed.
 */

/**
 * DOC: Exclusivity
 *
 * Any number of processes may open the device read-only and issue
 * %XEN_LU_IOCTL_GET_INFO.  At most one file may hold it open for writing:
 * that file is the live-update *controller*, and a second open for writing
 * fails with EBUSY until the controller's file is released.
 */

#define XEN_LU_IOCTL_TYPE	0xB9

/* The version of this ABI; bumped when a command or field is added. */
#define XEN_LU_ABI_VERSION	6

/* The largest argument size accepted; above it, E2BIG (as openat2 does). */
#define XEN_LU_MAX_ARG_SIZE	4096

enum {
	XEN_LU_CMD_BASE = 0x00,
	XEN_LU_CMD_GET_INFO = XEN_LU_CMD_BASE,
	XEN_LU_CMD_GET_MEMORY_MAP,
	XEN_LU_CMD_STAGE,
	XEN_LU_CMD_UNSTAGE,
	XEN_LU_CMD_COLLECT,
	XEN_LU_CMD_PREPARE,
	XEN_LU_CMD_COMMIT,
	XEN_LU_CMD_FINISH,
	XEN_LU_CMD_CANCEL,
};

/**
 * DOC: Controller-only commands
 *
 * Commands that change state (%XEN_LU_IOCTL_STAGE, %XEN_LU_IOCTL_UNSTAGE,
 * %XEN_LU_IOCTL_PREPARE, %XEN_LU_IOCTL_COMMIT, %XEN_LU_IOCTL_FINISH,
 * %XEN_LU_IOCTL_CANCEL) need the controller's file, i.e. a file opened for
 * writing; on any other file they fail with EBADF.  They also need
 * CAP_SYS_BOOT, as kexec_load(2) does, checked at each call: a file
 * inherited or passed over SCM_RIGHTS by a process that had it is not
 * enough.  The controller's file may be closed between commands: the
 * state belongs to the device, and the next controller carries on from it.
 */

/**
 * enum xen_lu_state - where the device is in the live-update sequence
 * @XEN_LU_STATE_IDLE: nothing staged; the hypervisor is as it booted.
 * @XEN_LU_STATE_STAGED: an image is loaded into the hypervisor's kexec
 *	slot (see &struct xen_lu_info.out_staged_type).
 * @XEN_LU_STATE_PREPARED: dom0's records are collected and handed to the
 *	hypervisor with the live-update image; changes since are tracked.
 * @XEN_LU_STATE_COMMITTING: a %XEN_LU_IOCTL_COMMIT is running.
 * @XEN_LU_STATE_COMMITTED: the exec returned without error; dom0's
 *	backends stay frozen until %XEN_LU_IOCTL_FINISH, %XEN_LU_IOCTL_CANCEL
 *	or the freeze watchdog (see "Freeze watchdog").
 */
enum xen_lu_state {
	XEN_LU_STATE_IDLE = 0,
	XEN_LU_STATE_STAGED = 1,
	XEN_LU_STATE_PREPARED = 2,
	XEN_LU_STATE_COMMITTING = 3,
	XEN_LU_STATE_COMMITTED = 4,
};

/**
 * DOC: State rules
 *
 * Each state-changing command starts from one state.  Called in another,
 * it changes nothing and fails with an errno that says where the device
 * is:
 *
 *  - ENOENT: nothing is staged (IDLE); stage an image first.
 *  - EPROTO: too early: the step this command follows has not been done
 *    (COMMIT before PREPARE, FINISH before COMMIT, CANCEL with nothing
 *    prepared).
 *  - EALREADY: the device is already where this command leads (PREPARE
 *    when PREPARED, COMMIT when COMMITTED).
 *  - EBUSY: an update is past the point this command belongs to
 *    (STAGE, UNSTAGE or PREPARE once prepared: cancel first; anything but
 *    FINISH or CANCEL once committed; anything during COMMITTING).
 *
 * ============ ====== ========== ========= ========== =========
 * command      IDLE   STAGED     PREPARED  COMMITTING COMMITTED
 * ============ ====== ========== ========= ========== =========
 * STAGE        yes    EEXIST [1] EBUSY     EBUSY      EBUSY
 * UNSTAGE      ENOENT yes        EBUSY     EBUSY      EBUSY
 * PREPARE      ENOENT yes        EALREADY  EBUSY      EBUSY
 * COMMIT       ENOENT EPROTO [3] yes       EBUSY      EALREADY
 * FINISH       ENOENT EPROTO     EPROTO    EBUSY      yes [2]
 * CANCEL       ENOENT EPROTO     yes       EBUSY      yes [4]
 * ============ ====== ========== ========= ========== =========
 *
 * [1] %XEN_LU_STAGE_REPLACE replaces an image of the same type.
 * [2] EAGAIN while the hypervisor's identity is still the one PREPARE
 * saw: the commit was "scheduled" and xen#2 is not running yet;
 * %XEN_LU_FINISH_UNCHANGED finishes all the same (an update to an
 * identical build, or one the operator gives up waiting for).
 * [3] With %XEN_LU_COMMIT_COLD and a cold image staged: the cold exec.
 * [4] Unloads the image (a scheduled exec can no longer run), thaws and
 * ends the update: COMMITTED -> IDLE.
 *
 * GET_INFO, GET_MEMORY_MAP and COLLECT work in every state.  Module
 * unload is refused while a file is open; with none open it is allowed in
 * every state and leaves nothing behind: a prepared update is cancelled,
 * a frozen one unfrozen, the image unloaded from the hypervisor.
 */

/**
 * enum xen_lu_image_type - kind of kexec image staged
 * @XEN_LU_IMAGE_NONE: nothing staged.
 * @XEN_LU_IMAGE_LIVE_UPDATE: KEXEC_TYPE_LIVE_UPDATE; domains survive.
 * @XEN_LU_IMAGE_COLD: KEXEC_TYPE_DEFAULT; a cold kexec of the hypervisor:
 *	every domain, dom0 included, is LOST on exec.
 */
enum xen_lu_image_type {
	XEN_LU_IMAGE_NONE = 0,
	XEN_LU_IMAGE_LIVE_UPDATE = 1,
	XEN_LU_IMAGE_COLD = 2,
};

/* Bounds of a signature and of the image it signs. */
#define XEN_LU_MAX_SIGNATURE	(64U << 10)
#define XEN_LU_MAX_SIGNED_IMAGE	(64U << 20)

/**
 * struct xen_lu_segment - one piece of a kexec image
 * @buf: user pointer to the bytes; 0 for %XEN_LU_SEG_LOW_FILL.
 * @buf_size: bytes at @buf; 0 for %XEN_LU_SEG_LOW_FILL.
 * @dest: machine address, page aligned.
 * @dest_size: bytes mapped at @dest, a non-zero multiple of the page size,
 *	at least @buf_size; the rest is zero.
 * @kind: an enum xen_lu_segment_kind.
 * @index: %XEN_LU_SEG_XEN: the position of its PT_LOAD among the image's
 *	PT_LOADs with memory (p_memsz > 0) in p_paddr order;
 *	%XEN_LU_SEG_MODULE: the module number (multiboot2 order); otherwise 0.
 */
struct xen_lu_segment {
	__aligned_u64 buf;
	__aligned_u64 buf_size;
	__aligned_u64 dest;
	__aligned_u64 dest_size;
	__u32 kind;
	__u32 index;
};

/* For xen_lu_info::out_flags */
/* get_range(KEXEC_RANGE_MA_LIVEUPDATE) returned a non-empty range. */
#define XEN_LU_INFO_LIVE_UPDATE		(1U << 0)
/* get_range(KEXEC_RANGE_MA_CRASH) returned a non-empty range. */
#define XEN_LU_INFO_CRASH_RANGE		(1U << 1)
/* XENVER_build_id returned a build id (out_build_id_len > 0). */
#define XEN_LU_INFO_BUILD_ID		(1U << 2)
/* An image is staged; the out_staged_* fields describe it. */
#define XEN_LU_INFO_STAGED		(1U << 3)
/* The kernel is locked down against kexec_load (LOCKDOWN_KEXEC). */
#define XEN_LU_INFO_LOCKDOWN		(1U << 4)
/*
 * Bit 5 (XEN_LU_INFO_SIMULATED up to ABI 5) is never set: whether the
 * test suite's simulator answers is the simulator's to say (ABI history).
 */
/* dom0's backends are frozen (COMMITTING or COMMITTED). */
#define XEN_LU_INFO_FROZEN		(1U << 6)
/* The freeze watchdog thawed this update's backends ("Freeze watchdog"). */
#define XEN_LU_INFO_WATCHDOG_THAWED	(1U << 7)

/**
 * struct xen_lu_info - ioctl(XEN_LU_IOCTL_GET_INFO)
 * @size: Input; sizeof(struct xen_lu_info).
 * @flags: Input; must be 0.
 * @out_abi_version: Output; %XEN_LU_ABI_VERSION of the running module.
 * @out_state: Output; an enum xen_lu_state.
 * @out_flags: Output; ``XEN_LU_INFO_*`` bits.
 * @out_xen_major: Output; hypervisor major version (XENVER_version).
 * @out_xen_minor: Output; hypervisor minor version (XENVER_version).
 * @out_xen_extraversion: Output; NUL-terminated XENVER_extraversion,
 *	e.g. ".7" or "-rc".
 * @out_xen_changeset: Output; NUL-terminated XENVER_changeset.
 * @out_build_id_len: Output; number of valid bytes in @out_build_id, 0 when
 *	the hypervisor has no build id.
 * @out_build_id_errno: Output; positive errno of XENVER_build_id when
 *	@out_build_id_len is 0, else 0.
 * @out_build_id: Output; the raw build id (XENVER_build_id).
 * @out_xen_start: Output; machine address of Xen itself
 *	(get_range KEXEC_RANGE_MA_XEN).
 * @out_xen_size: Output; size of that range in bytes.
 * @out_crash_start: Output; machine address of the crash kernel area
 *	(get_range KEXEC_RANGE_MA_CRASH), 0 when none is reserved.
 * @out_crash_size: Output; size of the crash area, 0 when none.
 * @out_lu_start: Output; machine address of the live-update boot memory
 *	(get_range KEXEC_RANGE_MA_LIVEUPDATE), 0 when unsupported.
 * @out_lu_size: Output; its size, 0 when unsupported.
 * @out_lu_errno: Output; 0 when the hypervisor supports live update,
 *	otherwise the positive errno that explains why not: the errno of
 *	get_range(KEXEC_RANGE_MA_LIVEUPDATE) (EINVAL: the hypervisor does not
 *	know the range, i.e. has no live update) or ENOSPC when it answered
 *	with an empty range (live update compiled in, no boot memory
 *	reserved with ``liveupdate=``).
 * @out_crash_errno: Output; positive errno of get_range(KEXEC_RANGE_MA_CRASH),
 *	0 on success.
 * @out_staged_type: Output; an enum xen_lu_image_type, %XEN_LU_IMAGE_NONE
 *	when nothing is staged.
 * @out_staged_nr_segments: Output; entries used in @out_staged_segments.
 * @__reserved: Output; zero.
 * @out_staged_entry: Output; machine address the hypervisor jumps to
 *	(the purgatory).
 * @out_staged_xen_entry: Output; xen#2's multiboot2 entry point.
 * @out_staged_bytes: Output; sum of the segments' buf_size.
 * @out_staged_time_ns: Output; CLOCK_REALTIME of the stage, nanoseconds.
 * @out_staged_sha256: Output; the image digest, see "Image digest".
 * @out_staged_segments: Output; the staged segments, sorted by destination,
 *	with @buf set to 0.
 * @out_staged_cmdline: Output; NUL-terminated command line of xen#2, as
 *	the multiboot2 information carries it.
 * @out_updates: Output; live updates finished since the module loaded.
 * @out_generation: Output; generation of the records handed over (1 after
 *	PREPARE, one more per COMMIT that found changes), 0 when none.
 * @out_records_len: Output; bytes of the records handed over, 0 when none.
 * @out_records_dest: Output; machine address of the records module.
 * @out_commit_result: Output; %XEN_LU_COMMIT_* of the last COMMIT that
 *	returned 0, 0 when none since the last FINISH or CANCEL.
 * @__reserved2: Output; zero.
 *
 * Every hypervisor value comes from a hypercall made during this ioctl;
 * nothing is cached, so the answer is the hypervisor's own at the time of
 * the call.  The staged image is the module's record of its last
 * successful %XEN_LU_IOCTL_STAGE: the hypervisor has no way to read an
 * image back.
 *
 * Return: 0 on success, -1 with errno set otherwise (see the general
 * ioctl format).
 */
struct xen_lu_info {
	__u32 size;
	__u32 flags;
	__u32 out_abi_version;
	__u32 out_state;
	__u32 out_flags;
	__u32 out_xen_major;
	__u32 out_xen_minor;
	__u32 out_build_id_len;
	char out_xen_extraversion[XEN_LU_EXTRAVERSION_LEN];
	char out_xen_changeset[XEN_LU_CHANGESET_LEN];
	__u8 out_build_id[XEN_LU_BUILD_ID_MAX];
	__u32 out_build_id_errno;
	__u32 out_lu_errno;
	__aligned_u64 out_xen_start;
	__aligned_u64 out_xen_size;
	__aligned_u64 out_crash_start;
	__aligned_u64 out_crash_size;
	__aligned_u64 out_lu_start;
	__aligned_u64 out_lu_size;
	__u32 out_crash_errno;
	__u32 out_staged_type;
	__u32 out_staged_nr_segments;
	__u32 __reserved;
	__aligned_u64 out_staged_entry;
	__aligned_u64 out_staged_xen_entry;
	__aligned_u64 out_staged_bytes;
	__aligned_u64 out_staged_time_ns;
	__u8 out_staged_sha256[32];
	struct xen_lu_segment out_staged_segments[XEN_LU_MAX_SEGMENTS];
	char out_staged_cmdline[XEN_LU_CMDLINE_MAX];
	__aligned_u64 out_updates;
	__aligned_u64 out_generation;
	__aligned_u64 out_records_len;
	__aligned_u64 out_records_dest;
	__u32 out_commit_result;
	__u32 __reserved2;
};

#define XEN_LU_IOCTL_GET_INFO	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_GET_INFO)

/* Memory types, as Xen's e820 and multiboot2 number them. */
#define XEN_LU_MEM_RAM		1
#define XEN_LU_MEM_RESERVED	2
#define XEN_LU_MEM_ACPI		3
#define XEN_LU_MEM_NVS		4
#define XEN_LU_MEM_UNUSABLE	5

/* Xen's E820MAX: entries the hypervisor may return. */
#define XEN_LU_MAX_MEMORY_MAP	128

/**
 * struct xen_lu_mem_entry - one range of the machine memory map
 * @addr: machine address.
 * @size: bytes.
 * @type: ``XEN_LU_MEM_*`` (other values are passed through unchanged).
 * @__reserved: zero.
 */
struct xen_lu_mem_entry {
	__aligned_u64 addr;
	__aligned_u64 size;
	__u32 type;
	__u32 __reserved;
};

/**
 * struct xen_lu_memory_map - ioctl(XEN_LU_IOCTL_GET_MEMORY_MAP)
 * @size: Input; sizeof(struct xen_lu_memory_map).
 * @flags: Input; must be 0.
 * @nr_entries: Input; room at @entries.  Output; entries the hypervisor
 *	returned.  When the room is too small, the call fails with ENOSPC and
 *	@nr_entries says how many are needed.
 * @__reserved: Input; must be 0.
 * @entries: Input; user pointer to an array of &struct xen_lu_mem_entry.
 *
 * The hypervisor's machine memory map (XENMEM_machine_memory_map), which is
 * what a new hypervisor will see; dom0's own e820 is a pseudo-physical
 * view and is not the same thing.  A cold image is placed in its RAM.
 *
 * Return: 0, or -1 with errno: ENOSPC (see @nr_entries), EINVAL (flags),
 * or the hypervisor's errno.
 */
struct xen_lu_memory_map {
	__u32 size;
	__u32 flags;
	__u32 nr_entries;
	__u32 __reserved;
	__aligned_u64 entries;
};

#define XEN_LU_IOCTL_GET_MEMORY_MAP \
	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_GET_MEMORY_MAP)

/* For xen_lu_stage::flags */
/* Stage a cold kexec (KEXEC_TYPE_DEFAULT): domains are NOT preserved. */
#define XEN_LU_STAGE_COLD	(1U << 0)
/* Replace an image already staged (else EEXIST). */
#define XEN_LU_STAGE_REPLACE	(1U << 1)

/**
 * DOC: Image digest
 *
 * out_staged_sha256 is SHA-256 over, for every segment in destination
 * order: kind, index (le32 each), dest, dest_size, buf_size (le64 each),
 * then buf_size bytes of the buffer.  It is computed over the kernel's copy,
 * i.e. over exactly what the hypervisor was given.
 */

/**
 * enum xen_lu_stage_rule - which staging rule an image broke
 * @XEN_LU_RULE_NONE: no rule broken.
 * @XEN_LU_RULE_FLAGS: unknown flag; or signature, image and their lengths
 *	not given together, or above %XEN_LU_MAX_SIGNATURE or
 *	%XEN_LU_MAX_SIGNED_IMAGE; or signature fields set without a signature.
 * @XEN_LU_RULE_NR_SEGMENTS: no segment, or more than %XEN_LU_MAX_SEGMENTS.
 * @XEN_LU_RULE_SEG_KIND: unknown segment kind.
 * @XEN_LU_RULE_SEG_BUF: buf and buf_size not both zero or both set; a low
 *	fill with a buffer; a purgatory, MBI or module without one (a Xen
 *	segment may be empty: a PT_LOAD with no file bytes).
 * @XEN_LU_RULE_SEG_ALIGN: dest or dest_size not page aligned, or empty.
 * @XEN_LU_RULE_SEG_SIZE: buf_size larger than dest_size, or the range wraps.
 * @XEN_LU_RULE_SEG_ORDER: segments not sorted by dest.
 * @XEN_LU_RULE_SEG_OVERLAP: two destination ranges overlap.
 * @XEN_LU_RULE_SEG_COUNT: not one purgatory, one MBI, at least one Xen
 *	segment and at most %XEN_LU_MAX_MODULES modules numbered 0..n-1.
 * @XEN_LU_RULE_IMAGE_TOO_BIG: buffers sum above %XEN_LU_MAX_IMAGE_BYTES.
 * @XEN_LU_RULE_PLACE_XEN: live update: a Xen segment outside xen#1's
 *	page-rounded KEXEC_RANGE_MA_XEN, or the first not at its start.
 * @XEN_LU_RULE_PLACE_WINDOW: live update: purgatory, MBI or module outside
 *	[lu_start + 4 KiB, lu_start + lu_size).
 * @XEN_LU_RULE_PLACE_LOW_FILL: a low fill that ends above 1 MiB.
 * @XEN_LU_RULE_PLACE_RAM: cold: a segment other than a low fill not inside
 *	one RAM entry of the machine memory map.
 * @XEN_LU_RULE_PLACE_4G: purgatory, MBI, module or xen_entry above 4 GiB
 *	(multiboot2 passes 32-bit addresses).
 * @XEN_LU_RULE_ENTRY: entry is not the purgatory's destination.
 * @XEN_LU_RULE_XEN_ENTRY: xen_entry is not inside a Xen segment's data.
 * @XEN_LU_RULE_PURGATORY: the purgatory is not the one "Purgatory" defines.
 * @XEN_LU_RULE_MBI: the MBI is malformed (total size, a tag's size or
 *	bounds, a module tag too short or without its NUL, no end tag or not
 *	last).
 * @XEN_LU_RULE_MBI_MODULES: module tags do not match the module segments.
 * @XEN_LU_RULE_MBI_LOAD_BASE: the load-base tag is not xen#2's address.
 * @XEN_LU_RULE_CMDLINE: not exactly one command-line tag, or it is not a
 *	NUL-terminated string of at most 1023 bytes.
 * @XEN_LU_RULE_CMDLINE_RANGE: live update: the last word is not the
 *	hypervisor's ``liveupdate=`` range, or it is the first word (Xen
 *	drops the first word, the image name).
 * @XEN_LU_RULE_CMDLINE_CONFLICT: another word Xen takes as the
 *	live-update option (words split at spaces, quotes meaning nothing to
 *	Xen: the key before the first ``=``, or the whole word, with double
 *	quotes dropped, is ``liveupdate`` or ``no-liveupdate``), a ``--``
 *	word, or unbalanced double quotes (in a cold image's line, any such
 *	word at all).
 * @XEN_LU_RULE_LOCKDOWN: locked down and no signature, or a cold image.
 * @XEN_LU_RULE_SIGNED_IMAGE: the signed ELF image is malformed, or the Xen
 *	segments are not exactly its PT_LOADs (see "Lockdown").
 */
enum xen_lu_stage_rule {
	XEN_LU_RULE_NONE = 0,
	XEN_LU_RULE_FLAGS,
	XEN_LU_RULE_NR_SEGMENTS,
	XEN_LU_RULE_SEG_KIND,
	XEN_LU_RULE_SEG_BUF,
	XEN_LU_RULE_SEG_ALIGN,
	XEN_LU_RULE_SEG_SIZE,
	XEN_LU_RULE_SEG_ORDER,
	XEN_LU_RULE_SEG_OVERLAP,
	XEN_LU_RULE_SEG_COUNT,
	XEN_LU_RULE_IMAGE_TOO_BIG,
	XEN_LU_RULE_PLACE_XEN,
	XEN_LU_RULE_PLACE_WINDOW,
	XEN_LU_RULE_PLACE_LOW_FILL,
	XEN_LU_RULE_PLACE_RAM,
	XEN_LU_RULE_PLACE_4G,
	XEN_LU_RULE_ENTRY,
	XEN_LU_RULE_XEN_ENTRY,
	XEN_LU_RULE_PURGATORY,
	XEN_LU_RULE_MBI,
	XEN_LU_RULE_MBI_MODULES,
	XEN_LU_RULE_MBI_LOAD_BASE,
	XEN_LU_RULE_CMDLINE,
	XEN_LU_RULE_CMDLINE_RANGE,
	XEN_LU_RULE_CMDLINE_CONFLICT,
	XEN_LU_RULE_LOCKDOWN,
	XEN_LU_RULE_SIGNED_IMAGE,
};

/* xen_lu_stage::out_segment when the rule is not about one segment. */
#define XEN_LU_NO_SEGMENT	0xffffffffU

/**
 * DOC: Lockdown
 *
 * When the kernel is locked down against kexec (``lockdown=integrity`` or
 * stricter, i.e. security_locked_down(LOCKDOWN_KEXEC) fails), the module
 * refuses a stage without a signature, and any cold image, with EPERM
 * (%XEN_LU_RULE_LOCKDOWN): a cold image boots a new, unverified dom0
 * kernel, while a live-update image's modules are never executed (dom0
 * survives).
 *
 * A signature is a detached PKCS#7 signature of xen#2's uncompressed ELF
 * image (@image), at most %XEN_LU_MAX_SIGNATURE bytes over at most
 * %XEN_LU_MAX_SIGNED_IMAGE.  Whenever one is given, locked down or not,
 * the Xen segments must be exactly that image (%XEN_LU_RULE_SIGNED_IMAGE,
 * EINVAL): one segment per PT_LOAD with memory (p_memsz > 0), its
 * buffer the PT_LOAD's file bytes (none for a bss-only one), its dest_size
 * at least p_memsz, every one shifted by the same relocation, and
 * xen_entry = e_entry + that shift; and the signature must verify against
 * the kernel's keyrings (builtin and secondary, then platform, as
 * kexec_file_load does), else the verifier's errno is returned.
 */

/**
 * struct xen_lu_stage - ioctl(XEN_LU_IOCTL_STAGE)
 * @size: Input; sizeof(struct xen_lu_stage).
 * @flags: Input; ``XEN_LU_STAGE_*`` bits.
 * @nr_segments: Input; entries at @segments, 1 to %XEN_LU_MAX_SEGMENTS.
 * @signature_len: Input; bytes at @signature, 0 for none.
 * @segments: Input; user pointer to @nr_segments entries of
 *	&struct xen_lu_segment, sorted by @dest.
 * @entry: Input; the purgatory's destination.
 * @xen_entry: Input; xen#2's relocated multiboot2 entry point.
 * @signature: Input; user pointer to a detached PKCS#7 signature of
 *	@image (see "Lockdown"), or 0.
 * @image: Input; user pointer to xen#2's ELF image (uncompressed) whose
 *	PT_LOAD contents the %XEN_LU_SEG_XEN segments must equal; required
 *	with a signature, else 0.
 * @image_len: Input; bytes at @image.
 * @out_rule: Output; whenever the image was examined (the ioctl's own
 *	argument checks passed), the enum xen_lu_stage_rule that was broken,
 *	or %XEN_LU_RULE_NONE when the error is not a rule's (the hypervisor
 *	refused, EEXIST, EOPNOTSUPP, EFAULT, ...) or there is none.
 * @out_segment: Output; with @out_rule, the index (in @segments) of the
 *	segment that broke it, or %XEN_LU_NO_SEGMENT.
 *
 * Copies every segment into kernel memory, checks the whole image (see
 * "Staging rules" in Documentation/userspace-api/xen-liveupdate.rst) and
 * loads it with KEXEC_CMD_kexec_load.  On any error nothing changes: an
 * image staged before stays staged.  %XEN_LU_STAGE_REPLACE replaces an
 * image of the same type only; to change type, unstage first.
 *
 * Return: 0, or -1 with errno:
 *
 *  - EBADF: the file is not the controller.
 *  - EEXIST: an image is staged and %XEN_LU_STAGE_REPLACE is not set, or
 *    the staged image is of the other type.
 *  - EOPNOTSUPP: live-update image, but the hypervisor has no live update
 *    (GET_INFO's out_lu_errno says why).
 *  - EINVAL: a rule of the image is broken; @out_rule and @out_segment
 *    say which.
 *  - E2BIG: more than %XEN_LU_MAX_SEGMENTS segments or
 *    %XEN_LU_MAX_IMAGE_BYTES bytes.
 *  - EPERM: the kernel is locked down against kexec and no signature was
 *    given, or a cold image was given under lockdown.
 *  - EKEYREJECTED, EBADMSG, ENOKEY, ENOPKG: the signature did not verify
 *    (as verify_pkcs7_signature() reports).
 *  - EFAULT, ENOMEM, EINTR (a fatal signal during the copy).
 *  - anything KEXEC_CMD_kexec_load returned (EBUSY: a kexec is in
 *    progress; EADDRNOTAVAIL, EINVAL: the hypervisor refused the layout).
 */
struct xen_lu_stage {
	__u32 size;
	__u32 flags;
	__u32 nr_segments;
	__u32 signature_len;
	__aligned_u64 segments;
	__aligned_u64 entry;
	__aligned_u64 xen_entry;
	__aligned_u64 signature;
	__aligned_u64 image;
	__aligned_u64 image_len;
	__u32 out_rule;
	__u32 out_segment;
};

#define XEN_LU_IOCTL_STAGE	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_STAGE)

/**
 * struct xen_lu_unstage - ioctl(XEN_LU_IOCTL_UNSTAGE)
 * @size: Input; sizeof(struct xen_lu_unstage).
 * @flags: Input; must be 0.
 *
 * Unloads the staged image (KEXEC_CMD_kexec_unload).
 *
 * Return: 0, or -1 with errno: EBADF (not the controller), ENOENT (nothing
 * staged), or the hypervisor's errno (EBUSY: a kexec is in progress), in
 * which case the image stays staged.
 */
struct xen_lu_unstage {
	__u32 size;
	__u32 flags;
};

#define XEN_LU_IOCTL_UNSTAGE	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_UNSTAGE)

/* For xen_lu_collect::flags */
/*
 * Return the records handed over to the hypervisor (PREPARE's, with every
 * COMMIT's changes merged) instead of collecting now; EPROTO when none
 * are (the device is not PREPARED, COMMITTING or COMMITTED).
 */
#define XEN_LU_COLLECT_HANDED_OVER	(1U << 0)

/**
 * struct xen_lu_collect - ioctl(XEN_LU_IOCTL_COLLECT)
 * @size: Input; sizeof(struct xen_lu_collect).
 * @flags: Input; must be 0.
 * @buf: Input; user pointer to @buf_len bytes for the records dump.
 * @buf_len: Input; room at @buf.
 * @out_len: Output; bytes of the dump.  On ENOSPC, what it needed then.
 * @out_nr_domains: Output; domain records.
 * @out_nr_backends: Output; backend records.
 * @out_nr_evtchns: Output; event-channel records.
 * @out_nr_participants: Output; participant records.
 *
 * Collects dom0's records now and writes them as a records dump; changes
 * no state, needs no staged image: the operator's preview of what a live
 * update would hand over, and the reference for checks after one.  With
 * %XEN_LU_COLLECT_HANDED_OVER, returns the records the hypervisor holds.
 *
 * While dom0's backends are frozen, collecting now would call other
 * drivers' collect() with xenwatch parked: it fails with EBUSY, and
 * %XEN_LU_COLLECT_HANDED_OVER still answers.  A device beyond the caps of
 * "Unrecordable devices" is in the dump, flagged.
 *
 * Return: 0, or -1 with errno: ENOSPC (see @out_len), EINVAL (flags),
 * EPROTO (%XEN_LU_COLLECT_HANDED_OVER with nothing handed over), EBUSY
 * (a collection now while frozen), EFAULT, ENOMEM, or the errno of a
 * xenstore or hypervisor read.
 */
struct xen_lu_collect {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__aligned_u64 buf_len;
	__aligned_u64 out_len;
	__u32 out_nr_domains;
	__u32 out_nr_backends;
	__u32 out_nr_evtchns;
	__u32 out_nr_participants;
};

#define XEN_LU_IOCTL_COLLECT	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_COLLECT)

/* For xen_lu_prepare::flags */
/*
 * Accepted and without effect since ABI 5: a backend in a transitional
 * XenbusState is reported (out_nr_unstable, out_backend_*), never refused,
 * since a guest sets its own frontend's state and no guest may stop the
 * update of the others.  dom0 keeps its backends' state across a live
 * update, so a transition goes on after the thaw.
 */
#define XEN_LU_PREPARE_FORCE		(1U << 0)

/**
 * enum xen_lu_check - the PREPARE or COMMIT step that refused
 * @XEN_LU_CHECK_NONE: none (success, or an errno of the argument itself).
 * @XEN_LU_CHECK_IMAGE_TYPE: EINVAL: the staged image is a cold one.
 * @XEN_LU_CHECK_CAPABILITY: EOPNOTSUPP: get_range(KEXEC_RANGE_MA_LIVEUPDATE)
 *	fails or is empty.
 * @XEN_LU_CHECK_RANGE: ESTALE: the live-update range is not the one the
 *	staged command line brokered; stage again.
 * @XEN_LU_CHECK_BACKEND_STATE: not returned since ABI 5 (see
 *	%XEN_LU_PREPARE_FORCE); kept so that the numbers stay.
 * @XEN_LU_CHECK_COLLECT: a collection (PREPARE's, or COMMIT's delta)
 *	failed with the errno returned; out_participant names whose.
 * @XEN_LU_CHECK_PARTICIPANT: a participant's prepare() or commit() failed
 *	with the errno returned; out_participant names it.
 * @XEN_LU_CHECK_RECORDS_ROOM: ENOSPC: the records module does not fit in
 *	the live-update window (or the MBI segment has no room for its tag).
 * @XEN_LU_CHECK_LOAD: the hypervisor refused the image with the records
 *	(KEXEC_CMD_kexec_load), errno as it returned.
 * @XEN_LU_CHECK_FREEZE: ETIMEDOUT: dom0's backends could not be frozen
 *	within %XEN_LU_FREEZE_TIMEOUT_MS.
 * @XEN_LU_CHECK_EXEC: the hypervisor's exec (KEXEC_CMD_kexec) failed,
 *	errno as it returned.
 * @XEN_LU_CHECK_IDENTITY: the exec returned 0 but the hypervisor's identity
 *	could not be read afterwards: COMMIT fails with that errno, yet the
 *	device is COMMITTED (the exec ran) and FINISH decides.
 *
 * A refusal by the state rules leaves @out_check at %XEN_LU_CHECK_NONE;
 * the argument is copied back all the same.
 */
enum xen_lu_check {
	XEN_LU_CHECK_NONE = 0,
	XEN_LU_CHECK_IMAGE_TYPE = 1,
	XEN_LU_CHECK_CAPABILITY = 2,
	XEN_LU_CHECK_RANGE = 3,
	XEN_LU_CHECK_BACKEND_STATE = 4,
	XEN_LU_CHECK_COLLECT = 5,
	XEN_LU_CHECK_PARTICIPANT = 6,
	XEN_LU_CHECK_RECORDS_ROOM = 7,
	XEN_LU_CHECK_LOAD = 8,
	XEN_LU_CHECK_FREEZE = 9,
	XEN_LU_CHECK_EXEC = 10,
	XEN_LU_CHECK_IDENTITY = 11,
};

#define XEN_LU_FREEZE_TIMEOUT_MS	5000

/**
 * struct xen_lu_prepare - ioctl(XEN_LU_IOCTL_PREPARE)
 * @size: Input; sizeof(struct xen_lu_prepare).
 * @flags: Input; ``XEN_LU_PREPARE_*`` bits.
 * @out_check: Output; an enum xen_lu_check, on failure the step that
 *	refused.
 * @out_backend_frontend_domid: Output; the first backend in a
 *	transitional XenbusState (2 InitWait, 3 Initialised, 5 Closing,
 *	7 Reconfiguring, 8 Reconfigured), its frontend domain.
 * @out_backend_devid: Output; its device id.
 * @out_backend_state: Output; its backend XenbusState.
 * @out_frontend_state: Output; its frontend XenbusState.
 * @out_nr_unstable: Output; backends in a transitional state, prepared
 *	all the same.
 * @out_backend_type: Output; its type (``vbd``, ``vif``, ...).
 * @out_participant: Output; %XEN_LU_CHECK_COLLECT and
 *	%XEN_LU_CHECK_PARTICIPANT: the participant's name.
 * @out_records_len: Output; bytes of the records dump handed over.
 * @out_records_dest: Output; its machine address.
 * @__reserved: Output; zero (timings up to ABI 5: see "Tracepoints").
 * @out_nr_domains: Output; domain records.
 * @out_nr_backends: Output; backend records.
 * @out_nr_evtchns: Output; event-channel records.
 * @out_nr_participants: Output; participant records.
 * @out_nr_unrecordable: Output; backend devices recorded as unrecordable
 *	("Unrecordable devices"); prepared all the same.
 * @out_unrecordable_domid: Output; the first one's frontend domain.
 * @out_unrecordable_devid: Output; its device id.
 * @out_unrecordable_reason: Output; its enum xen_lu_unrecordable.
 * @out_unrecordable_type: Output; its backend type.
 *
 * STAGED -> PREPARED.  Runs the pre-flight checks in the order of enum
 * xen_lu_check, collects dom0's records (each participant's collect(),
 * then prepare()), starts tracking changes, and hands the records over
 * ("Records handover").  On failure nothing changed: participants already
 * prepared are cancelled, the image in the hypervisor is the one staged.
 *
 * Return: 0, or -1 with errno: see "State rules", enum xen_lu_check,
 * EINVAL (flags), ENOMEM.
 */
struct xen_lu_prepare {
	__u32 size;
	__u32 flags;
	__u32 out_check;
	__u32 out_backend_frontend_domid;
	__u32 out_backend_devid;
	__u32 out_backend_state;
	__u32 out_frontend_state;
	__u32 out_nr_unstable;
	char out_backend_type[XEN_LU_BACKEND_TYPE_LEN];
	char out_participant[XEN_LU_PARTICIPANT_NAME_LEN];
	__aligned_u64 out_records_len;
	__aligned_u64 out_records_dest;
	__aligned_u64 __reserved[2];
	__u32 out_nr_domains;
	__u32 out_nr_backends;
	__u32 out_nr_evtchns;
	__u32 out_nr_participants;
	__u32 out_nr_unrecordable;
	__u32 out_unrecordable_domid;
	__u32 out_unrecordable_devid;
	__u32 out_unrecordable_reason;
	char out_unrecordable_type[XEN_LU_BACKEND_TYPE_LEN];
};

#define XEN_LU_IOCTL_PREPARE	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_PREPARE)

/**
 * enum xen_lu_commit_result - what a COMMIT that returned 0 did
 * @XEN_LU_COMMIT_UPDATED: the exec returned and the hypervisor's identity
 *	(version, extraversion, changeset, build id) differs from the one
 *	PREPARE saw: xen#2 runs.
 * @XEN_LU_COMMIT_SCHEDULED: the exec returned 0 and the identity is
 *	unchanged: the hypervisor accepted the update for later.
 */
enum xen_lu_commit_result {
	XEN_LU_COMMIT_UPDATED = 1,
	XEN_LU_COMMIT_SCHEDULED = 2,
};

/* For xen_lu_commit::flags */
/*
 * Execute a staged cold image (%XEN_LU_IMAGE_COLD) from STAGED: the
 * hypervisor kexecs into xen#2 and every domain, dom0 included, is LOST;
 * the ioctl returns only when the hypervisor refused (out_check
 * %XEN_LU_CHECK_EXEC).  Without it a cold image cannot be committed.
 */
#define XEN_LU_COMMIT_COLD		(1U << 0)

/**
 * DOC: Event channels at COMMIT
 *
 * dom0's event channels carry no xenstore trail, and user space (qemu,
 * xenconsoled, the toolstack) binds and unbinds ports at any time.  So
 * COMMIT re-reads every dom0 event channel (one EVTCHNOP_status per port
 * up to the last valid one) each time, inside the frozen window, and hands
 * over a new dump when they changed.  What user space binds after the
 * exec is seen by FINISH as a difference, not hidden.
 */

/**
 * DOC: Participants and the freeze
 *
 * No participant callback runs while xenwatch is parked: a callback that
 * waited for xenwatch (unregister_xenbus_watch(), xenbus_dev_* teardown)
 * would deadlock dom0.  COMMIT calls every prepared participant's
 * commit() just before freezing; FINISH compares the built-in records
 * while frozen and calls finish() after the thaw; a participant that
 * unregisters while frozen waits for the thaw and is then cancelled.  A
 * module reference on the participant's @owner is held from prepare() to
 * finish() or cancel().  With lockdep, calling anything that waits for
 * xenwatch from a participant callback is reported.
 */

/**
 * DOC: Freeze watchdog
 *
 * The module parameter ``freeze_timeout_ms`` (default 120000; 0 turns the
 * watchdog off) bounds how long dom0's backends stay frozen after a
 * COMMIT: a scheduled update that never runs, or an operator who never
 * calls FINISH or CANCEL, would otherwise stop backend hotplug and dom0's
 * own xenbus watches indefinitely.  When it fires the backends are thawed,
 * the kernel log says why, and GET_INFO reports
 * %XEN_LU_INFO_WATCHDOG_THAWED until the update ends; the device stays
 * COMMITTED, so FINISH still verifies (differences from the thaw are
 * reported) and CANCEL still cancels.
 */

/**
 * struct xen_lu_commit - ioctl(XEN_LU_IOCTL_COMMIT)
 * @size: Input; sizeof(struct xen_lu_commit).
 * @flags: Input; ``XEN_LU_COMMIT_*`` bits.
 * @out_result: Output; an enum xen_lu_commit_result, 0 on failure.
 * @out_check: Output; on failure an enum xen_lu_check.
 * @out_participant: Output; %XEN_LU_CHECK_COLLECT and
 *	%XEN_LU_CHECK_PARTICIPANT: the participant's name.
 * @out_generation: Output; generation of the records handed over.
 * @out_changed_domains: Output; 1 when the set of domains changed since
 *	PREPARE.
 * @out_changed_backends: Output; backend devices that changed since
 *	PREPARE (re-read during the freeze).
 * @out_reloaded: Output; 1 when the image was reloaded with new records.
 * @out_nr_changes: Output; records added, replaced or removed.
 * @__reserved: Output; zero (timings up to ABI 5: see "Tracepoints").
 * @out_records_len: Output; bytes of the records handed over.
 *
 * PREPARED -> COMMITTING -> COMMITTED.  Runs participants' commit(),
 * freezes dom0's backends (none changes XenbusState until FINISH), re-reads
 * only what changed since PREPARE and dom0's event channels, hands over
 * the changed records (reloading the image only when something changed),
 * and issues the live-update exec.  Success reports whether the hypervisor changed.  On
 * failure backends are unfrozen and the device is PREPARED again, with
 * the image staged and PREPARE's records handed over: nothing lost (the
 * one exception is %XEN_LU_CHECK_IDENTITY, after the exec).
 *
 * Return: 0, or -1 with errno: see "State rules", enum xen_lu_check,
 * EINVAL (flags; %XEN_LU_COMMIT_COLD with a live-update image staged:
 * out_check %XEN_LU_CHECK_IMAGE_TYPE), ENOMEM.
 */
struct xen_lu_commit {
	__u32 size;
	__u32 flags;
	__u32 out_result;
	__u32 out_check;
	char out_participant[XEN_LU_PARTICIPANT_NAME_LEN];
	__aligned_u64 out_generation;
	__u32 out_changed_domains;
	__u32 out_changed_backends;
	__u32 out_reloaded;
	__u32 out_nr_changes;
	__aligned_u64 __reserved[3];
	__aligned_u64 out_records_len;
};

#define XEN_LU_IOCTL_COMMIT	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_COMMIT)

/* For xen_lu_difference::field */
#define XEN_LU_DIFF_MISSING		1	/* handed over, not found now */
#define XEN_LU_DIFF_NEW			2	/* found now, not handed over */
#define XEN_LU_DIFF_BACKEND_STATE	3	/* expected/found: XenbusState */
#define XEN_LU_DIFF_FRONTEND_STATE	4	/* expected/found: XenbusState */
#define XEN_LU_DIFF_RING_REFS		5	/* expected/found: FNV-1a of refs */
#define XEN_LU_DIFF_EVTCHNS		6	/* expected/found: FNV-1a of ports */
#define XEN_LU_DIFF_EVTCHN_STATUS	7	/* expected/found: XEN_LU_EVTCHN_* */
#define XEN_LU_DIFF_EVTCHN_REMOTE	8	/* domid << 32 | remote port */
#define XEN_LU_DIFF_DOMAIN_IDENTITY	9	/* FNV-1a of uuid and name */
#define XEN_LU_DIFF_UNRECORDABLE	10	/* enum xen_lu_unrecordable */
#define XEN_LU_DIFF_UNVERIFIED		11	/* found: errno of the collection */

/**
 * struct xen_lu_difference - one difference FINISH found
 * @kind: %XEN_LU_REC_DOM0_DOMAIN, %XEN_LU_REC_DOM0_BACKEND or
 *	%XEN_LU_REC_DOM0_EVTCHN; %XEN_LU_REC_DOM0_HEADER for
 *	%XEN_LU_DIFF_UNVERIFIED (nothing could be compared).
 * @field: ``XEN_LU_DIFF_*``.
 * @domid: DOMAIN: the domain; BACKEND: the frontend domain; EVTCHN: 0.
 * @id: BACKEND: the device id; EVTCHN: dom0's port; DOMAIN: 0.
 * @expected: the value handed over (see the field).
 * @found: the value now.
 * @type: BACKEND: the backend type; otherwise "".
 */
struct xen_lu_difference {
	__u32 kind;
	__u32 field;
	__u32 domid;
	__u32 id;
	__aligned_u64 expected;
	__aligned_u64 found;
	char type[XEN_LU_BACKEND_TYPE_LEN];
};

/* For xen_lu_finish::flags */
/*
 * Finish although the hypervisor's identity is the one PREPARE saw: an
 * update to an identical build, or a scheduled one the operator gives up
 * waiting for.  The image is unloaded first, so a scheduled exec can no
 * longer run.
 */
#define XEN_LU_FINISH_UNCHANGED		(1U << 0)

/**
 * struct xen_lu_finish - ioctl(XEN_LU_IOCTL_FINISH)
 * @size: Input; sizeof(struct xen_lu_finish).
 * @flags: Input; ``XEN_LU_FINISH_*`` bits.
 * @differences: Input; user pointer to @max_differences entries, or 0.
 * @max_differences: Input; room at @differences.
 * @out_nr_differences: Output; differences found; the first
 *	min(@max_differences, @out_nr_differences) are written.
 * @out_updates: Output; updates finished since the module loaded, this
 *	one included.
 * @out_generation: Output; generation of the records compared.
 * @__reserved: Output; zero (timing up to ABI 5: see "Tracepoints").
 * @out_nr_domains: Output; domains found now.
 * @out_nr_backends: Output; backends found now.
 * @out_nr_evtchns: Output; dom0 event channels found now.
 * @out_nr_connected: Output; of the backends Connected when handed over,
 *	how many are Connected now.
 *
 * COMMITTED -> IDLE.  Collects dom0's records again and compares them with
 * those handed over: the same domains (by domid, with the same uuid and
 * name), every backend with the same states, rings and event channels
 * (a Connected one must still be Connected), every dom0 event channel
 * with the same binding.  Then unfreezes the backends, ends every
 * participant's update (finish()) and counts the update.  Differences do
 * not fail the ioctl: they are the answer.  FINISH always finishes once
 * it starts comparing: a collection that fails is reported as one
 * %XEN_LU_DIFF_UNVERIFIED difference, and dom0 is thawed all the same.
 *
 * Return: 0, or -1 with errno: see "State rules", EAGAIN (the hypervisor's
 * identity is unchanged: xen#2 is not running yet; nothing changed; see
 * %XEN_LU_FINISH_UNCHANGED), EFAULT (@differences; the update is finished
 * all the same), EINVAL (flags), ENOMEM (nothing changed), or the
 * hypervisor's errno of reading its identity or of the unload
 * (%XEN_LU_FINISH_UNCHANGED; nothing changed).
 */
struct xen_lu_finish {
	__u32 size;
	__u32 flags;
	__aligned_u64 differences;
	__u32 max_differences;
	__u32 out_nr_differences;
	__aligned_u64 out_updates;
	__aligned_u64 out_generation;
	__aligned_u64 __reserved;
	__u32 out_nr_domains;
	__u32 out_nr_backends;
	__u32 out_nr_evtchns;
	__u32 out_nr_connected;
};

#define XEN_LU_IOCTL_FINISH	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_FINISH)

/**
 * struct xen_lu_cancel - ioctl(XEN_LU_IOCTL_CANCEL)
 * @size: Input; sizeof(struct xen_lu_cancel).
 * @flags: Input; must be 0.
 *
 * PREPARED -> STAGED.  Cancels every participant, stops tracking changes,
 * drops the records and reloads the image exactly as staged.  When the
 * hypervisor refuses that reload the device stays PREPARED.
 *
 * COMMITTED -> IDLE.  Unloads the image from the hypervisor, so that a
 * scheduled exec can no longer run, then thaws dom0's backends, cancels
 * every participant and drops the records.  When the hypervisor refuses
 * the unload the device stays COMMITTED.
 *
 * Return: 0, or -1 with errno: see "State rules", EINVAL (flags), or the
 * hypervisor's errno of the reload or unload.
 */
struct xen_lu_cancel {
	__u32 size;
	__u32 flags;
};

#define XEN_LU_IOCTL_CANCEL	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_CANCEL)

#endif /* _UAPI_XEN_LIVEUPDATE_H */
