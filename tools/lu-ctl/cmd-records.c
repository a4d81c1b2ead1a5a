// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl records: dom0's live-update records, collected now by the module
 * (XEN_LU_IOCTL_COLLECT): domains, backend devices, event channels and
 * participants' records, as a table, as JSON, or as the raw records dump
 * (-o FILE) that "lu-ctl verify" checks.  With --handed-over, the records
 * the hypervisor holds since "lu-ctl prepare" instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "device.h"
#include "dom0-records.h"
#include "failure.h"
#include "names.h"
#include "output.h"
#include "parse-options.h"
#include "state-rules.h"

/* COLLECT's errno; EPROTO with --handed-over: nothing was. */
static int collect_failed(struct lu_device *dev, uint32_t flags, int err)
{
	struct lu_seq_failure fail;

	if ((flags & XEN_LU_COLLECT_HANDED_OVER) &&
	    lu_seq_state_rule(dev, LU_SEQ_HANDED_OVER, err, &fail))
		return lu_seq_report("records", &fail, NULL, LU_EXIT_STATE);
	lu_err(LU_DEVICE_PATH, "COLLECT", err);
	return LU_EXIT_FAILURE;
}

static struct json_object *json_u32_array(const uint8_t *v, uint32_t n)
{
	struct json_object *a = json_object_new_array();
	uint32_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(lu_u32_at(v, i)));
	return a;
}

static struct json_object *json_backend(const struct lu_rec *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *f = json_object_new_array();
	const struct xen_lu_rec_dom0_backend *b;
	struct lu_backend be;
	const char *p;

	lu_backend_parts(r, &be);
	b = be.b;
	json_object_object_add(o, "type", json_object_new_string(b->type));
	json_object_object_add(o, "frontend_domid",
			       json_object_new_int64(b->frontend_domid));
	json_object_object_add(o, "devid", json_object_new_int64(b->devid));
	json_object_object_add(o, "backend_state",
			       json_object_new_int64(b->backend_state));
	json_object_object_add(o, "frontend_state",
			       json_object_new_int64(b->frontend_state));
	json_object_object_add(o, "unrecordable", b->unrecordable ?
			       json_object_new_string(lu_unrecordable_name(b->unrecordable)) :
			       NULL);
	json_object_object_add(o, "nr_queues",
			       json_object_new_int64(b->nr_queues));
	json_object_object_add(o, "ring_refs",
			       json_u32_array(be.refs, b->nr_ring_refs));
	json_object_object_add(o, "evtchns",
			       json_u32_array(be.evtchns, b->nr_evtchns));
	json_object_object_add(o, "protocol",
			       json_object_new_string(b->protocol));
	json_object_object_add(o, "backend_path",
			       json_object_new_string(be.bpath));
	json_object_object_add(o, "frontend_path",
			       json_object_new_string(be.fpath));
	for (p = be.feat; p < be.feat + be.feat_len; p += strlen(p) + 1)
		json_object_array_add(f, json_object_new_string(p));
	json_object_object_add(o, "features", f);
	return o;
}

static struct json_object *json_evtchn(const struct lu_rec *r)
{
	const struct xen_lu_rec_dom0_evtchn *e = (const void *)r->body;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "port", json_object_new_int64(e->port));
	json_object_object_add(o, "kind",
			       json_object_new_string(lu_evtchn_kind_name(e->status)));
	json_object_object_add(o, "vcpu", json_object_new_int64(e->vcpu));
	json_object_object_add(o, "remote_domid",
			       json_object_new_int64(e->remote_domid));
	json_object_object_add(o, "remote_port",
			       json_object_new_int64(e->remote_port));
	json_object_object_add(o, "irq", json_object_new_int64(e->irq));
	return o;
}

static struct json_object *json_header(const struct lu_rec *r, size_t dump_len)
{
	const struct xen_lu_rec_dom0_header *h = (const void *)r->body;
	struct json_object *o = json_object_new_object();
	char version[64];

	snprintf(version, sizeof(version), "%u.%u%s", h->xen_major,
		 h->xen_minor, h->xen_extraversion);
	json_object_object_add(o, "records_version",
			       json_object_new_int64(h->records_version));
	json_object_object_add(o, "xen_version",
			       json_object_new_string(version));
	json_object_object_add(o, "kernel_release",
			       json_object_new_string(h->kernel_release));
	json_object_object_add(o, "module_version",
			       json_object_new_string(h->module_version));
	json_object_object_add(o, "time_ns", json_object_new_uint64(h->time_ns));
	json_object_object_add(o, "generation",
			       json_object_new_uint64(h->generation));
	json_object_object_add(o, "bytes", json_object_new_uint64(dump_len));
	return o;
}

static int records_json(const uint8_t *buf, size_t len, bool handed_over)
{
	struct json_object *root = json_object_new_object();
	struct json_object *doms = json_object_new_array();
	struct json_object *bes = json_object_new_array();
	struct json_object *evs = json_object_new_array();
	struct json_object *parts = json_object_new_array();
	struct json_object *o;
	size_t off = 0;
	struct lu_rec r;

	json_object_object_add(root, "handed_over",
			       json_object_new_boolean(handed_over));
	while (lu_rec_next(buf, len, &off, &r) && r.type != XEN_LU_REC_END) {
		switch (r.type) {
		case XEN_LU_REC_DOM0_HEADER:
			json_object_object_add(root, "header",
					       json_header(&r, len));
			break;
		case XEN_LU_REC_DOM0_DOMAIN: {
			const struct xen_lu_rec_dom0_domain *d = (const void *)r.body;

			o = json_object_new_object();
			json_object_object_add(o, "domid",
					       json_object_new_int64(d->domid));
			json_object_object_add(o, "name",
					       json_object_new_string(d->name));
			json_object_object_add(o, "uuid",
					       json_object_new_string(d->uuid));
			json_object_array_add(doms, o);
			break;
		}
		case XEN_LU_REC_DOM0_BACKEND:
			json_object_array_add(bes, json_backend(&r));
			break;
		case XEN_LU_REC_DOM0_EVTCHN:
			json_object_array_add(evs, json_evtchn(&r));
			break;
		case XEN_LU_REC_DOM0_PARTICIPANT: {
			const struct xen_lu_rec_dom0_participant *p = (const void *)r.body;

			o = json_object_new_object();
			json_object_object_add(o, "name",
					       json_object_new_string(p->name));
			json_object_object_add(o, "version",
					       json_object_new_int64(p->version));
			json_object_object_add(o, "bytes",
					       json_object_new_int64(p->data_len));
			json_object_array_add(parts, o);
			break;
		}
		}
	}
	json_object_object_add(root, "domains", doms);
	json_object_object_add(root, "backends", bes);
	json_object_object_add(root, "evtchns", evs);
	json_object_object_add(root, "participants", parts);
	return lu_print_json("records", root);
}

/* "a,b,c", "-" when empty; past 16 entries "a,...,p,... (N)". */
static void print_u32_list(const uint8_t *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < 16; i++)
		printf("%s%u", i ? "," : "", lu_u32_at(v, i));
	if (n > 16)
		printf(",... (%u)", n);
	if (!n)
		printf("-");
}

static int records_human(const uint8_t *buf, size_t len, bool handed_over)
{
	size_t off = 0;
	struct lu_rec r;

	while (lu_rec_next(buf, len, &off, &r) && r.type != XEN_LU_REC_END) {
		if (r.type == XEN_LU_REC_DOM0_HEADER) {
			const struct xen_lu_rec_dom0_header *h = (const void *)r.body;

			printf("records of dom0 (version %u): Xen %u.%u%s, kernel %s, module %s, %zu bytes\n",
			       h->records_version, h->xen_major, h->xen_minor,
			       h->xen_extraversion, h->kernel_release,
			       h->module_version, len);
			printf("%u domains, %u backends, %u event channels, %u participant records\n",
			       h->nr_domains, h->nr_backends, h->nr_evtchns,
			       h->nr_participants);
			if (handed_over)
				printf("handed over to the hypervisor: generation %" PRIu64 "\n",
				       (uint64_t)h->generation);
		} else if (r.type == XEN_LU_REC_DOM0_DOMAIN) {
			const struct xen_lu_rec_dom0_domain *d = (const void *)r.body;

			printf("domain  %5u  %-20s %s\n", d->domid, d->name,
			       d->uuid);
		} else if (r.type == XEN_LU_REC_DOM0_BACKEND) {
			const struct xen_lu_rec_dom0_backend *b;
			struct lu_backend be;

			lu_backend_parts(&r, &be);
			b = be.b;
			printf("backend %-4s %5u/%-6u state %u/%u ",
			       b->type[0] ? b->type : "?", b->frontend_domid,
			       b->devid, b->backend_state, b->frontend_state);
			if (b->unrecordable) {
				/* the path names a type that did not fit */
				printf("unrecordable (%s) %s\n",
				       lu_unrecordable_name(b->unrecordable),
				       be.bpath);
				continue;
			}
			if (b->nr_queues)
				printf("queues %u ", b->nr_queues);
			printf("rings ");
			print_u32_list(be.refs, b->nr_ring_refs);
			printf(" evtchns ");
			print_u32_list(be.evtchns, b->nr_evtchns);
			printf(" %s\n", b->protocol[0] ? b->protocol : "native");
		} else if (r.type == XEN_LU_REC_DOM0_EVTCHN) {
			const struct xen_lu_rec_dom0_evtchn *e = (const void *)r.body;

			printf("evtchn  %5u  vcpu %u %-11s", e->port, e->vcpu,
			       lu_evtchn_kind_name(e->status));
			if (e->status == XEN_LU_EVTCHN_INTERDOMAIN)
				printf(" dom %u port %u", e->remote_domid,
				       e->remote_port);
			else if (e->status == XEN_LU_EVTCHN_UNBOUND)
				printf(" dom %u", e->remote_domid);
			else if (e->status == XEN_LU_EVTCHN_PIRQ ||
				 e->status == XEN_LU_EVTCHN_VIRQ)
				printf(" %s %u", lu_evtchn_kind_name(e->status), e->irq);
			printf("\n");
		} else if (r.type == XEN_LU_REC_DOM0_PARTICIPANT) {
			const struct xen_lu_rec_dom0_participant *p = (const void *)r.body;

			printf("participant %s version %u: %u bytes\n", p->name,
			       p->version, p->data_len);
		}
	}
	return LU_EXIT_OK;
}

/*
 * What is printed is read from the dump as libxenstream's validator
 * checks it: a dump the module should never write (another records
 * version, lengths that do not add up) is refused, not half printed.
 */
static int check_dump(const uint8_t *buf, size_t len)
{
	char msg[512];

	if (!lu_records_check(buf, len, msg, sizeof(msg)))
		return LU_EXIT_OK;
	lu_errf("records", "check", "the module's records dump is invalid %s", msg);
	return LU_EXIT_INVALID;
}

static int write_dump(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f) {
		lu_err(path, "open", errno);
		return LU_EXIT_IO;
	}
	if (fwrite(buf, 1, len, f) != len || (f != stdout && fclose(f))) {
		lu_err(path, "write", errno ? errno : EIO);
		return LU_EXIT_IO;
	}
	return LU_EXIT_OK;
}

static const struct lu_usage records_usage = {
	.name = "records",
	.synopsis = LU_SYNOPSIS("[--handed-over] [--json] [-o FILE]"),
	.about = "Collect dom0's live-update records now (no state changes):\n"
		 "domains, backend devices, event channels, participants.",
	.exit = "0 collected, 4 no device, 5 the dump is invalid (not\n"
		"printed; -o writes it as it is), 6 cannot write, 9 nothing\n"
		"handed over (--handed-over before 'lu-ctl prepare'), 1 error",
};

int cmd_records(int argc, char **argv)
{
	const char *output = NULL;
	bool json = false, handed_over = false;
	const struct lu_option options[] = {
		LU_OPT_BOOL('H', "handed-over", &handed_over,
			    "the records handed over to the hypervisor\n"
			    "by 'lu-ctl prepare' (with every commit's\n"
			    "changes) instead of collecting now"),
		LU_OPT_JSON(&json),
		LU_OPT_STRING('o', "output", &output, "FILE",
			      "write the raw records dump to FILE (- for stdout)"),
		LU_OPT_END(),
	};
	struct lu_device dev;
	uint8_t *buf = NULL;
	uint32_t flags;
	size_t len = 0;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &records_usage, &rc))
		return rc;

	/* Nothing is handed over without the module: do not load it to ask. */
	if (handed_over)
		rc = lu_seq_open(&dev, LU_SEQ_HANDED_OVER, O_RDONLY, false);
	else
		rc = lu_device_open(&dev, O_RDONLY);
	if (rc)
		return rc;
	flags = handed_over ? XEN_LU_COLLECT_HANDED_OVER : 0;
	rc = lu_records_collect(&dev, flags, &buf, &len);
	if (rc)
		rc = collect_failed(&dev, flags, rc);
	lu_device_close(&dev, false);
	if (rc)
		return rc;
	if (output)
		rc = write_dump(output, buf, len);
	else if (!(rc = check_dump(buf, len)))
		rc = json ? records_json(buf, len, handed_over) :
			    records_human(buf, len, handed_over);
	free(buf);
	return rc;
}
