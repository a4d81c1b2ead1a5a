/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_lu_sim.ko: the SIMULATED live-update hypervisor of the test suite
 * (Documentation/dev-tools/xen-liveupdate-simulator.rst).  Test only: it
 * answers the live-update hypercalls that no Xen on the test machines
 * implements, behind drivers/xen/liveupdate/hypervisor-sim.h.
 *
 * It depends on no symbol of xen_liveupdate, so that module can come and
 * go while this one keeps the simulated hypervisor's state.
 */
#ifndef _XEN_LU_SIM_H
#define _XEN_LU_SIM_H

#include <linux/mutex.h>
#include <linux/mm.h>
#include <linux/types.h>

#include <crypto/sha2.h>

#include "../../drivers/xen/liveupdate/hypervisor-sim.h"

#define SIM_MAGIC_MASKED	(0x4c69766555706461ULL & PAGE_MASK)
#define SIM_BREADCRUMB_LEN	24
#define SIM_BREADCRUMB_PAGE	PAGE_SIZE
/* One page of MFNs: the data pages of one stream, 2 MiB of records. */
#define SIM_STREAM_MAX_PAGES	(PAGE_SIZE / sizeof(u64))

/* Live update stream record types (handover spec, "Data Stream Overview"). */
#define SIM_REC_END		0x00000000U
#define SIM_REC_LU_VERSION	0x40000000U
#define SIM_REC_LU_M2P		0x40000001U
#define SIM_REC_LU_M2P_COMPAT	0x40000002U
#define SIM_REC_LU_DOMAIN_INFO	0x40000003U
/* Unknown to every xen#2: what inject_mandatory writes. */
#define SIM_REC_INJECTED	0x40000099U
#define SIM_REC_OPTIONAL	0x80000000U
#define SIM_REC_HDR_LEN		8

/* LU_DOMAIN_INFO: the body of the handover spec, 48 bytes. */
#define SIM_DOM_PV		1
#define SIM_DOM_HVM		2
#define SIM_DOM_PRIVILEGED	0x00000001U

struct sim_lu_domain_info {
	__le32 type;
	__le16 page_shift;
	__le16 domain_id;
	u8 handle[16];
	__le32 ssidref;
	__le32 flags;
	__le32 max_vcpus;
	__le32 emulation_flags;
	__le32 extra_flags;
	__le32 padding;
};

/* Where a loaded segment went. */
enum sim_region {
	SIM_REGION_WINDOW,	/* the live-update window store */
	SIM_REGION_XEN,		/* the xen#1 region store (MA_XEN) */
	SIM_REGION_LOW,		/* low-memory identity map: nothing stored */
};

struct sim_segment {
	u64 dest;
	u64 dest_size;
	u64 buf_size;
	enum sim_region region;
};

/* Fault injection knobs, one debugfs file each. */
enum sim_knob {
	SIM_FAIL_GET_RANGE,
	SIM_FAIL_LOAD,
	SIM_FAIL_UNLOAD,
	SIM_FAIL_EXEC,
	SIM_INJECT_MANDATORY,
	SIM_DEFER,
	SIM_INJECT_LIBXC,
	SIM_FAIL_LOAD_AFTER,
	SIM_TOUCH_LOADS,
	SIM_NR_KNOBS,
};

/* What inject_libxc writes (libxc records, libxc-migration-stream.pandoc). */
enum sim_inject_libxc {
	SIM_LIBXC_NONE,
	SIM_LIBXC_TSC_IN_DOMAIN,	/* X86_TSC_INFO in dom0's group: kept */
	SIM_LIBXC_TSC_BEFORE_DOMAINS,	/* before any LU_DOMAIN_INFO: refused */
	SIM_LIBXC_HVM_IN_PV,		/* HVM_CONTEXT in a PV group: refused */
	SIM_LIBXC_PAGE_DATA,		/* PAGE_DATA in a group: refused */
	SIM_LIBXC_MAX = SIM_LIBXC_PAGE_DATA,
};

#define SIM_REC_LIBXC_PAGE_DATA		0x00000001U
#define SIM_REC_LIBXC_TSC_INFO		0x00000008U
#define SIM_REC_LIBXC_HVM_CONTEXT	0x00000009U
#define SIM_REC_LIBXC_MAX		0x00000012U	/* X86_MSR_POLICY */
#define SIM_LIBXC_TSC_INFO_LEN		24

/* What the last stream held, for status. */
struct sim_stream_stats {
	size_t bytes;
	unsigned int pages;
	unsigned int domains;
	size_t dom0_bytes;
	bool injected;
};

/**
 * struct sim_state - the whole simulated hypervisor
 * @lock: protects every field below except those marked "set at init".
 * @win_start: set at init: machine address of the live-update window.
 * @win_size: set at init: its size.
 * @win: set at init (the pointer; the bytes are @lock's): the window
 *	store, @win_size bytes; the first page holds the breadcrumb.
 * @xen_start: set at init: KEXEC_RANGE_MA_XEN of the real Xen.
 * @xen_size: set at init: that range rounded up to a page.
 * @xen1: set at init (the pointer): the xen#1 region store.
 * @loaded: an image is in the live-update slot.
 * @nr: its segments in @seg.
 * @seg: its segment table.
 * @entry: its entry (the purgatory).
 * @knob: fault injection values (an errno, 0/1 or a count), persistent.
 * @loads_counted: loads since fail_load_after was last written.
 * @touch_node: the xenstore node touch_loads writes, "" for none.
 * @touches: writes of @touch_node since touch_loads was last written.
 * @deferred: an exec was accepted with defer set and has not run.
 * @updates: simulated live updates completed.
 * @build_id: SHA-256 of xen#2 of the last update (identity()).
 * @last_op: the last operation that ran ("load", "exec", ...).
 * @last_rc: its result.
 * @stream: copy of the last live update stream written, @stream_len bytes.
 * @stream_len: see @stream.
 * @stats: what @stream held.
 */
struct sim_state {
	/* Protects all simulator state: every field but the set-at-init. */
	struct mutex lock;
	u64 win_start;
	u64 win_size;
	u8 *win;
	u64 xen_start;
	u64 xen_size;
	u8 *xen1;
	bool loaded;
	unsigned int nr;
	struct sim_segment seg[KEXEC_SEGMENT_MAX];
	u64 entry;
	int knob[SIM_NR_KNOBS];
	unsigned int loads_counted;
	char touch_node[128];
	unsigned int touches;
	bool deferred;
	u64 updates;
	u8 build_id[SHA256_DIGEST_SIZE];
	const char *last_op;
	int last_rc;
	u8 *stream;
	size_t stream_len;
	struct sim_stream_stats stats;
};

extern struct sim_state sim;

/* sim-image.c: the window, the xen#1 region and the image slot. */
int sim_real_get_range(int range, struct xen_lu_range *out);
int sim_stores_init(unsigned int window_mb);
void sim_stores_exit(void);
int sim_get_range(struct xen_lu_range *out);
int sim_load(const struct xen_kexec_segment *segs, unsigned int nr,
	     u64 entry);
int sim_unload(void);
void sim_image_consume(void);
const u8 *sim_window_ptr(u64 maddr, u64 len);
const char *sim_region_name(enum sim_region r);

/* sim-domains.c: the real hypervisor's domains. */
int sim_domains_read(struct sim_lu_domain_info **out, unsigned int *nr);
int sim_xen_version(u32 *major, u32 *minor);

int xen_lu_sim_selftest_inject_libxc(int v);

/* sim-stream.c: xen#1 writing the stream and the breadcrumb. */
struct sim_stream_in {
	u32 major;
	u32 minor;
	bool inject;
	u32 inject_libxc;
	struct sim_lu_domain_info *dom;
	unsigned int nr_dom;
	const u8 *dom0;
	size_t dom0_len;
};

struct sim_stream {
	struct page **pages;
	unsigned int nr_pages;
	struct page *mfn_array;
	size_t len;
};

int sim_stream_write(struct sim_stream *s, const struct sim_stream_in *in);
void sim_stream_breadcrumb(const struct sim_stream *s, u8 *crumb);
int sim_stream_copy(const struct sim_stream *s, u8 **copy, size_t *len);
void sim_stream_free(struct sim_stream *s);

/* sim-xen2.c: xen#2 finding and reading the stream. */
int sim_xen2_play(const u8 *crumb);

/* sim-exec.c: the handover and the identity it leaves. */
int sim_exec(void);
int sim_run_deferred(bool run);
void sim_identity(struct xen_lu_identity *id);

#endif /* _XEN_LU_SIM_H */
