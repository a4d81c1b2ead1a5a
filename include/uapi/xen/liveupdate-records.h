/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR MIT) */
/*
 * dom0's live-update records: the format that xen_liveupdate writes, that
 * user space reads (XEN_LU_IOCTL_COLLECT, lu-ctl records, verify, dump) and
 * that xen#2 may read from the live update stream or the records module.
 *
 * A format, not an interface to the device: nothing here names an ioctl,
 * so a reader of records (a hypervisor, a stream tool) includes this
 * header alone.  It changes with XEN_LU_RECORDS_VERSION, not with the
 * ioctl ABI (include/uapi/xen/liveupdate.h).
 */
#ifndef _UAPI_XEN_LIVEUPDATE_RECORDS_H
#define _UAPI_XEN_LIVEUPDATE_RECORDS_H

#include <linux/types.h>

/* Lengths of the hypervisor identity strings (Xen's public version.h). */
#define XEN_LU_EXTRAVERSION_LEN	16
#define XEN_LU_CHANGESET_LEN	64
#define XEN_LU_BUILD_ID_MAX	64

/**
 * DOC: dom0 records
 *
 * What dom0 holds for guests travels as *optional live-update records* of
 * the live update stream (Documentation/userspace-api/
 * xen-liveupdate-stream.rst): each record is a &struct xen_lu_rec_hdr, a
 * body of @length bytes and zero padding to a multiple of 8.  dom0's types
 * live in 0xC0000000-0xFFFFFFFF (bit 31 optional, bit 30 live update), a
 * range the stream format reserves and leaves undefined; a hypervisor that
 * does not know them skips them.
 *
 * A *records dump* is such a sequence on its own: one
 * %XEN_LU_REC_DOM0_HEADER first, then every %XEN_LU_REC_DOM0_DOMAIN,
 * %XEN_LU_REC_DOM0_BACKEND, %XEN_LU_REC_DOM0_EVTCHN and
 * %XEN_LU_REC_DOM0_PARTICIPANT record in that order, then one
 * %XEN_LU_REC_END with an empty body.  The header's counts equal the
 * number of records of each kind.  Every multi-byte field is little
 * endian (the only byte order of x86); strings are NUL-terminated within
 * their field and zero-padded; reserved fields and padding are zero.
 *
 * Types: dom0 uses 0xC0000000-0xC00000FF only, leaving the rest of the
 * optional live-update range to others.  In a full live update stream the
 * records follow the last domain group and precede END, in dump order;
 * the first of them ends the domain groups.
 *
 * Order within a kind: domains by domid; backends by type (strcmp), then
 * frontend domid, then devid; event channels by port; participants in
 * registration order, whose names are unique.  Unused entries of an array
 * (past a count or a length) are zero like padding.  Values: domids below
 * 0x7FF0 (DOMID_FIRST_RESERVED), XenbusState 0-8.  A value that does not
 * fit its field (a backend type of 16 bytes or more, a UUID that is not
 * the 36 characters after ``/vm/``) is never truncated: the device is
 * recorded as unrecordable (backend type, see "Unrecordable devices") or
 * the field stays empty (UUID).
 *
 * %XEN_LU_RECORDS_VERSION changes when a record's layout changes.  A
 * record of fixed size (header, domain, event channel) may gain fields at
 * its end within a version, and readers accept a longer body; backend and
 * participant records, whose variable part follows the fixed one, change
 * only with a new version.
 */
#define XEN_LU_RECORDS_VERSION		2

#define XEN_LU_REC_END			0x00000000U
#define XEN_LU_REC_DOM0_HEADER		0xC0000000U
#define XEN_LU_REC_DOM0_DOMAIN		0xC0000001U
#define XEN_LU_REC_DOM0_BACKEND		0xC0000002U
#define XEN_LU_REC_DOM0_EVTCHN		0xC0000003U
#define XEN_LU_REC_DOM0_PARTICIPANT	0xC0000004U
#define XEN_LU_REC_DOM0_LAST		0xC00000FFU

/* Record bodies are padded to this. */
#define XEN_LU_REC_ALIGN		8
/* Largest record body the module writes or accepts. */
#define XEN_LU_REC_MAX_BODY		65536

/**
 * struct xen_lu_rec_hdr - the header of every record
 * @type: %XEN_LU_REC_*.
 * @length: bytes of body, padding excluded.
 */
struct xen_lu_rec_hdr {
	__u32 type;
	__u32 length;
};

#define XEN_LU_KERNEL_RELEASE_LEN	72
#define XEN_LU_MODULE_VERSION_LEN	24

/**
 * struct xen_lu_rec_dom0_header - %XEN_LU_REC_DOM0_HEADER
 * @records_version: %XEN_LU_RECORDS_VERSION.
 * @abi_version: %XEN_LU_ABI_VERSION of the module that wrote the dump.
 * @xen_major: hypervisor version (XENVER_version) at collection.
 * @xen_minor: see @xen_major.
 * @xen_extraversion: XENVER_extraversion.
 * @xen_changeset: XENVER_changeset.
 * @build_id_len: valid bytes of @build_id, 0 when Xen has none.
 * @flags: 0.
 * @build_id: XENVER_build_id.
 * @time_ns: CLOCK_REALTIME of the collection, nanoseconds.
 * @generation: 1 for a full collection; each later delta adds 1.
 * @kernel_release: dom0's ``uname -r``.
 * @module_version: xen_liveupdate's MODULE_VERSION.
 * @nr_domains: %XEN_LU_REC_DOM0_DOMAIN records that follow.
 * @nr_backends: %XEN_LU_REC_DOM0_BACKEND records that follow.
 * @nr_evtchns: %XEN_LU_REC_DOM0_EVTCHN records that follow.
 * @nr_participants: %XEN_LU_REC_DOM0_PARTICIPANT records that follow.
 */
struct xen_lu_rec_dom0_header {
	__u32 records_version;
	__u32 abi_version;
	__u32 xen_major;
	__u32 xen_minor;
	char xen_extraversion[XEN_LU_EXTRAVERSION_LEN];
	char xen_changeset[XEN_LU_CHANGESET_LEN];
	__u32 build_id_len;
	__u32 flags;
	__u8 build_id[XEN_LU_BUILD_ID_MAX];
	__aligned_u64 time_ns;
	__aligned_u64 generation;
	char kernel_release[XEN_LU_KERNEL_RELEASE_LEN];
	char module_version[XEN_LU_MODULE_VERSION_LEN];
	__u32 nr_domains;
	__u32 nr_backends;
	__u32 nr_evtchns;
	__u32 nr_participants;
};

#define XEN_LU_DOMAIN_NAME_LEN	64
#define XEN_LU_UUID_LEN		40

/**
 * struct xen_lu_rec_dom0_domain - %XEN_LU_REC_DOM0_DOMAIN
 * @domid: the domain id (a key of /local/domain in xenstore).
 * @flags: 0.
 * @uuid: the domain's UUID, from its ``vm`` node ("/vm/<uuid>"), "" when
 *	absent.
 * @name: its ``name`` node, "" when absent.
 *
 * One per domain dom0's xenstore knows, dom0 included, sorted by @domid.
 */
struct xen_lu_rec_dom0_domain {
	__u32 domid;
	__u32 flags;
	char uuid[XEN_LU_UUID_LEN];
	char name[XEN_LU_DOMAIN_NAME_LEN];
};

#define XEN_LU_BACKEND_TYPE_LEN		16
#define XEN_LU_PROTOCOL_LEN		32

/**
 * DOC: Unrecordable devices
 *
 * A backend record holds every device Linux's blkback and netback accept:
 * up to %XEN_LU_MAX_QUEUES queues (netfront writes ``queue-<n>/``
 * directories, blkfront the same), each with up to %XEN_LU_MAX_RING_PAGES
 * grant references per ring (``max-ring-page-order`` 4 is Linux's and
 * Xen's XENBUS_MAX_RING_GRANTS), up to %XEN_LU_MAX_QUEUE_EVTCHNS event
 * channels per queue (split tx/rx), and up to %XEN_LU_MAX_FEATURES
 * ``feature-*``/``request-*`` keys of at most %XEN_LU_MAX_FEATURE_BYTES
 * together.  Every array is sized from what the frontend wrote.
 *
 * These caps are far above anything a legitimate frontend writes (Linux
 * writes at most 8 to 16 feature keys per device); they exist because a
 * guest writes its own frontend directory and could otherwise make dom0
 * allocate without bound.  A device past one is recorded all the same,
 * with its paths and states, no rings, event channels or features, and
 * @flags %XEN_LU_BACKEND_UNRECORDABLE with the cap in @unrecordable.  The
 * kernel log names the guest and the device; PREPARE reports the number
 * and names the first (&struct xen_lu_prepare); the other guests' update
 * goes on; FINISH compares such a device's states and presence only.
 */
#define XEN_LU_MAX_QUEUES		256
#define XEN_LU_MAX_RING_PAGES		16
#define XEN_LU_MAX_QUEUE_EVTCHNS	2
#define XEN_LU_MAX_FEATURES		256
#define XEN_LU_MAX_FEATURE_BYTES	16384

/* For xen_lu_rec_dom0_backend::flags */
#define XEN_LU_BACKEND_UNRECORDABLE	(1U << 0)

/**
 * enum xen_lu_unrecordable - the cap an unrecordable device passed
 * @XEN_LU_UNRECORDABLE_NONE: the device is recorded in full.
 * @XEN_LU_UNRECORDABLE_QUEUES: more than %XEN_LU_MAX_QUEUES queues.
 * @XEN_LU_UNRECORDABLE_RING_REFS: a ring of more than
 *	%XEN_LU_MAX_RING_PAGES grant references.
 * @XEN_LU_UNRECORDABLE_EVTCHNS: a queue with more than
 *	%XEN_LU_MAX_QUEUE_EVTCHNS event channels.
 * @XEN_LU_UNRECORDABLE_FEATURES: more than %XEN_LU_MAX_FEATURES feature
 *	keys or %XEN_LU_MAX_FEATURE_BYTES of them.
 * @XEN_LU_UNRECORDABLE_SIZE: a path, type or value that does not fit its
 *	field, or a record beyond %XEN_LU_REC_MAX_BODY.
 */
enum xen_lu_unrecordable {
	XEN_LU_UNRECORDABLE_NONE = 0,
	XEN_LU_UNRECORDABLE_QUEUES = 1,
	XEN_LU_UNRECORDABLE_RING_REFS = 2,
	XEN_LU_UNRECORDABLE_EVTCHNS = 3,
	XEN_LU_UNRECORDABLE_FEATURES = 4,
	XEN_LU_UNRECORDABLE_SIZE = 5,
};

/**
 * struct xen_lu_rec_dom0_backend - %XEN_LU_REC_DOM0_BACKEND
 * @frontend_domid: the guest (``frontend-id``).
 * @devid: the device number (the last key of the backend path).
 * @backend_state: XenbusState of ``<backend>/state`` (4: Connected).
 * @frontend_state: XenbusState of ``<frontend>/state``, 0 (Unknown) when
 *	the frontend has no such node (the PV console has none).
 * @flags: ``XEN_LU_BACKEND_*``.
 * @unrecordable: an enum xen_lu_unrecordable.
 * @nr_queues: ``multi-queue-num-queues``, 0 for a single-queue device.
 * @nr_ring_refs: grant references that follow the fixed part.
 * @nr_evtchns: event-channel ports that follow the ring references.
 * @features_len: bytes of the feature list after the paths:
 *	NUL-terminated ``be:<key>=<value>`` and ``fe:<key>=<value>`` strings
 *	for every key starting with ``feature-`` or ``request-`` in the
 *	backend and frontend directories, the whole strings sorted by
 *	strcmp().
 * @type: the backend type (``vbd``, ``vif``, ...), the key under
 *	``backend/``; empty for a type that does not fit.
 * @protocol: ``<frontend>/protocol`` ("" when absent: native).
 * @backend_path_len: bytes of the backend path, NUL included.
 * @frontend_path_len: bytes of the frontend path, NUL included.
 * @__reserved: zero.
 *
 * After the fixed part: ``__u32 ring_refs[nr_ring_refs]``, ``__u32
 * evtchns[nr_evtchns]``, the backend path, the frontend path, the
 * features.
 *
 * Ring keys, read from the frontend directory in this order, first at its
 * top and then under ``queue-<n>/`` for n = 0 .. @nr_queues - 1:
 * ``ring-ref``, ``ring-ref<n>`` (n = 0, 1, ... as many as
 * ``ring-page-order`` or the keys present say), ``tx-ring-ref``,
 * ``rx-ring-ref``; event channels: ``event-channel``,
 * ``event-channel-tx``, ``event-channel-rx``.  Only keys present are read.
 */
struct xen_lu_rec_dom0_backend {
	__u32 frontend_domid;
	__u32 devid;
	__u32 backend_state;
	__u32 frontend_state;
	__u32 flags;
	__u32 unrecordable;
	__u32 nr_queues;
	__u32 nr_ring_refs;
	__u32 nr_evtchns;
	__u32 features_len;
	char type[XEN_LU_BACKEND_TYPE_LEN];
	char protocol[XEN_LU_PROTOCOL_LEN];
	__u16 backend_path_len;
	__u16 frontend_path_len;
	__u32 __reserved;
};

/* EVTCHNSTAT_* of Xen's public event_channel.h, as in the record. */
#define XEN_LU_EVTCHN_CLOSED		0
#define XEN_LU_EVTCHN_UNBOUND		1
#define XEN_LU_EVTCHN_INTERDOMAIN	2
#define XEN_LU_EVTCHN_PIRQ		3
#define XEN_LU_EVTCHN_VIRQ		4
#define XEN_LU_EVTCHN_IPI		5

/**
 * struct xen_lu_rec_dom0_evtchn - %XEN_LU_REC_DOM0_EVTCHN
 * @port: dom0's local port.
 * @status: %XEN_LU_EVTCHN_* (never CLOSED: closed ports are not recorded).
 * @vcpu: the vCPU the port notifies.
 * @remote_domid: UNBOUND: the domain allowed to bind; INTERDOMAIN: the
 *	remote domain; otherwise 0.
 * @remote_port: INTERDOMAIN: the remote port; otherwise 0.
 * @irq: PIRQ: the pirq; VIRQ: the virq; otherwise 0.
 *
 * One per open port of dom0, from EVTCHNOP_status, sorted by @port.
 */
struct xen_lu_rec_dom0_evtchn {
	__u32 port;
	__u32 status;
	__u32 vcpu;
	__u32 remote_domid;
	__u32 remote_port;
	__u32 irq;
};

#define XEN_LU_PARTICIPANT_NAME_LEN	32

/**
 * struct xen_lu_rec_dom0_participant - %XEN_LU_REC_DOM0_PARTICIPANT
 * @name: the participant's registered name.
 * @version: the participant's own record version.
 * @data_len: bytes of participant data after the fixed part.
 *
 * A record another dom0 driver added through the participant API; its
 * data is that driver's, versioned by (@name, @version).
 */
struct xen_lu_rec_dom0_participant {
	char name[XEN_LU_PARTICIPANT_NAME_LEN];
	__u32 version;
	__u32 data_len;
};

/**
 * DOC: Records handover
 *
 * PREPARE hands dom0's records to the hypervisor as one more multiboot2
 * module of the staged live-update image, so no new hypervisor interface
 * is needed: the module adds a module tag whose string is
 * %XEN_LU_RECORDS_MODULE_STRING (followed by `` generation=<n>``) after
 * the image's own module tags, places the records dump at the first page
 * of the live-update window past every other segment, and reloads the
 * image (KEXEC_CMD_kexec_load, same type, same entry).  The dump is a
 * records dump as "dom0 records" describes it; the segment's dest_size
 * leaves room for growth (%XEN_LU_RECORDS_ROOM_MIN or a quarter of the
 * dump, whichever is larger).  Right before the records' tag goes an empty
 * module (start == end, string ``xen-liveupdate-empty``), so that a xen#2
 * booting normally never takes the records as dom0's kernel (module 0) or
 * initrd (the first other module that is not an XSM policy or the ucode=
 * module, in Xen 4.17's __start_xen): with no initrd in the image, the
 * empty module is the one it picks, and an empty initrd is none.
 *
 * What the hypervisor does with the records is this project's proposal to
 * the hypervisor side, not an existing interface: no Xen release and no
 * live-update seed reads them.  The proposal is that xen#1 copies the dump
 * (without its END) into its live update stream at exec, and that xen#2
 * may find it through its multiboot2 information; only the test-only
 * simulator does either today.  Nothing in the module depends on it: dom0
 * keeps its own copy, and FINISH compares that copy, never the
 * hypervisor's, with what it collects afterwards.
 *
 * COMMIT reloads the image only when something changed since PREPARE: the
 * new dump is PREPARE's with each changed record replaced, its header's
 * generation one more.  CANCEL reloads the image exactly as staged.  The
 * kernel keeps its copy of a live-update image from STAGE until it is
 * unstaged or executed, to be able to reload it.
 */
#define XEN_LU_RECORDS_MODULE_STRING	"xen-liveupdate-records"
#define XEN_LU_RECORDS_ROOM_MIN		(64U << 10)

#endif /* _UAPI_XEN_LIVEUPDATE_RECORDS_H */
