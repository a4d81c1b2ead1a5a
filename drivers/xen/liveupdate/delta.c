// SPDX-License-Identifier: GPL-2.0-only
/*
 * COMMIT's records: those handed over so far, with what changed since
 * re-read, in COMMIT's precopy rounds and while dom0 is frozen.
 * Unchanged sections are copied, changed backends are re-read on their
 * own (all at once), and only what cannot be pinned on a
 * device (a new device, a removed directory, a domain coming or going)
 * costs a whole section.  dom0's event channels carry no xenstore trail:
 * they are re-read at every delta (UAPI "Event channels at COMMIT").
 * The participants' records were gathered before the freeze (UAPI
 * "Participants and the freeze") and arrive here as a buffer.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "delta.h"
#include "records.h"
#include "tracker.h"

/*
 * Copy the records of @src to @out, counting them in @nr: those of @type,
 * or all of them when @type is %XEN_LU_REC_END (@src then holds records
 * of one kind, without header or END).
 */
static int xen_lu_delta_keep(const struct xen_lu_rec_buf *src, u32 type,
			     struct xen_lu_rec_buf *out, u32 *nr)
{
	struct xen_lu_rec_iter it;
	int rc;

	xen_lu_rec_for_each(&it, src) {
		if (type != XEN_LU_REC_END && it.hdr->type != type)
			continue;
		rc = xen_lu_rec_copy(out, &it);
		if (rc)
			return rc;
	}
	return 0;
}

/* Can the tracker's bits be trusted for every backend handed over? */
static bool xen_lu_delta_pinned(const struct xen_lu_rec_buf *old,
				const struct xen_lu_changes *ch)
{
	return !ch->rescan && old->nr_backends == ch->nr_bits;
}

/* The dirty devices of @old that can be read again, in record order. */
static unsigned int xen_lu_delta_dirty(const struct xen_lu_rec_buf *old,
				       const struct xen_lu_changes *ch,
				       struct xen_lu_backend_slot *set)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct xen_lu_rec_iter it;
	unsigned int n = 0, nr = 0;

	xen_lu_rec_for_each(&it, old) {
		if (it.hdr->type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = it.body;
		if (test_bit(n++, ch->dirty) && b->type[0] && nr < ch->nr_dirty)
			set[nr++] = (struct xen_lu_backend_slot){
				.type = b->type, .domid = b->frontend_domid,
				.devid = b->devid,
			};
	}
	return nr;
}

/*
 * @old's backends, the dirty ones read again (all at once) and put back
 * in their place, the others copied.
 */
static int xen_lu_delta_backends(const struct xen_lu_rec_buf *old,
				 const struct xen_lu_changes *ch,
				 struct xen_lu_rec_buf *out,
				 struct xen_lu_delta_stats *st)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct xen_lu_backend_slot *set = NULL;
	unsigned int n = 0, nr = 0, next = 0;
	struct xen_lu_rec_iter it;
	int rc = 0;

	if (!xen_lu_delta_pinned(old, ch)) {
		rc = xen_lu_backends_read(out);
		st->nr_reread += out->nr_backends;
		return rc;
	}
	if (ch->nr_dirty) {
		set = kvcalloc(ch->nr_dirty, sizeof(*set), GFP_KERNEL);
		if (!set)
			return -ENOMEM;
		nr = xen_lu_delta_dirty(old, ch, set);
		/* xenstore reads: only when a device is re-read. */
		rc = xen_lu_backends_reread(set, nr);
		st->nr_reread += nr;
	}
	xen_lu_rec_for_each(&it, old) {
		if (rc)
			break;
		if (it.hdr->type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = it.body;
		if (test_bit(n++, ch->dirty) && b->type[0] && next < nr)
			rc = xen_lu_backends_emit(&set[next++], out);
		else
			rc = xen_lu_rec_copy(out, &it);
	}
	if (set)
		xen_lu_backends_release(set, nr);
	kvfree(set);
	return rc;
}

/* Everything after the header record: what the hypervisor must hold. */
static bool xen_lu_delta_same(const struct xen_lu_rec_buf *a,
			      const struct xen_lu_rec_buf *b)
{
	size_t skip = sizeof(struct xen_lu_rec_hdr) +
		      ALIGN(sizeof(struct xen_lu_rec_dom0_header),
			    XEN_LU_REC_ALIGN);

	return a->len == b->len &&
	       !memcmp(a->data + skip, b->data + skip, a->len - skip);
}

/**
 * xen_lu_delta_build() - the records to hand over at COMMIT
 * @old: the records handed over so far
 * @ch: what the tracker saw change since @old was read
 * @evtchns: dom0's event-channel records, read in this freeze
 * @participants: the participants' records, gathered before the freeze
 * @out: an empty buffer; receives the new records dump, or stays empty
 *	when it would equal @old (nothing to hand over again)
 * @st: what was re-read, and on failure which kind's reading failed
 *
 * Called before the freeze and with dom0 frozen; calls no participant.
 *
 * Return: 0, or the errno of a collection; @out is then empty.
 */
int xen_lu_delta_build(const struct xen_lu_rec_buf *old,
		       const struct xen_lu_changes *ch,
		       const struct xen_lu_rec_buf *evtchns,
		       const struct xen_lu_rec_buf *participants,
		       struct xen_lu_rec_buf *out,
		       struct xen_lu_delta_stats *st)
{
	const struct xen_lu_rec_dom0_header *oh = xen_lu_rec_header(old);
	struct xen_lu_rec_dom0_header *h;
	int rc;

	h = xen_lu_rec_reserve(out, XEN_LU_REC_DOM0_HEADER, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	*h = *oh;

	st->failed = XEN_LU_REC_DOM0_DOMAIN;
	if (ch->domains || ch->rescan) {
		rc = xen_lu_domains_read(out);
		st->nr_reread += out->nr_domains;
	} else {
		rc = xen_lu_delta_keep(old, XEN_LU_REC_DOM0_DOMAIN, out,
				       &out->nr_domains);
	}
	if (!rc) {
		st->failed = XEN_LU_REC_DOM0_BACKEND;
		rc = xen_lu_delta_backends(old, ch, out, st);
	}
	if (!rc) {
		st->failed = XEN_LU_REC_END;
		rc = xen_lu_delta_keep(evtchns, XEN_LU_REC_END, out,
				       &out->nr_evtchns);
	}
	if (!rc)
		rc = xen_lu_delta_keep(participants, XEN_LU_REC_END, out,
				       &out->nr_participants);
	if (!rc)
		rc = xen_lu_rec_seal(out, oh);
	if (rc) {
		xen_lu_rec_buf_free(out);
		return rc;
	}

	h = xen_lu_rec_header(out);
	if (xen_lu_delta_same(old, out)) {
		xen_lu_rec_buf_free(out);
		return 0;
	}
	h->generation = oh->generation + 1;
	h->time_ns = ktime_get_real_ns();
	st->changed = true;
	return 0;
}
