// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's devices as dom0's records show them, and the comparison of a
 * restored guest with what the journal recorded before its save.
 *
 * A restored guest is a new domain (a new domid, new grant references and
 * event channels), so what must be equal is what the guest and its
 * configuration decide: its uuid and name, the set of its devices by type
 * and number, each device's backend and frontend state, and the feature
 * keys both ends wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom0-records.h"
#include "save-restore-priv.h"

const struct xen_lu_rec_dom0_domain *lu_sr_find_domain(const uint8_t *buf, size_t len,
							const char *uuid)
{
	const struct xen_lu_rec_dom0_domain *d;
	struct lu_rec r;
	size_t off = 0;

	while (lu_rec_next(buf, len, &off, &r) && r.type != XEN_LU_REC_END) {
		if (r.type != XEN_LU_REC_DOM0_DOMAIN)
			continue;
		d = (const void *)r.body;
		if (!strncmp(d->uuid, uuid, sizeof(d->uuid)))
			return d;
	}
	return NULL;
}

void lu_sr_devices_free(struct srj_device *devs, uint32_t nr)
{
	uint32_t i, f;

	for (i = 0; devs && i < nr; i++) {
		for (f = 0; f < devs[i].nr_features; f++)
			free(devs[i].features[f]);
		free(devs[i].features);
		free(devs[i].type);
	}
	free(devs);
}

static int device_from_record(const struct lu_rec *r, struct srj_device *d)
{
	struct lu_backend be;
	const char *p;
	uint32_t n = 0;

	lu_backend_parts(r, &be);
	d->type = strdup(be.b->type);
	d->devid = be.b->devid;
	d->backend_state = be.b->backend_state;
	d->frontend_state = be.b->frontend_state;
	for (p = be.feat; p < be.feat + be.feat_len; p += strlen(p) + 1)
		n++;
	d->features = calloc(n ? n : 1, sizeof(*d->features));
	if (!d->type || !d->features)
		return -1;
	for (p = be.feat; p < be.feat + be.feat_len; p += strlen(p) + 1) {
		d->features[d->nr_features] = strdup(p);
		if (!d->features[d->nr_features])
			return -1;
		d->nr_features++;
	}
	return 0;
}

int lu_sr_devices(const uint8_t *buf, size_t len, uint32_t domid, struct srj_device **out,
		  uint32_t *nr)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct srj_device *devs = NULL, *more;
	struct lu_rec r;
	size_t off = 0;
	uint32_t n = 0;

	while (lu_rec_next(buf, len, &off, &r) && r.type != XEN_LU_REC_END) {
		if (r.type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = (const void *)r.body;
		if (b->frontend_domid != domid)
			continue;
		more = realloc(devs, (n + 1) * sizeof(*devs));
		if (!more)
			goto fail;
		devs = more;
		memset(&devs[n], 0, sizeof(devs[n]));
		n++;
		if (device_from_record(&r, &devs[n - 1]))
			goto fail;
	}
	*out = devs;
	*nr = n;
	return 0;
fail:
	lu_sr_devices_free(devs, n);
	return -1;
}

static const struct srj_device *find_device(const struct srj_device *devs, uint32_t nr,
					    const struct srj_device *want)
{
	uint32_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(devs[i].type, want->type) && devs[i].devid == want->devid)
			return &devs[i];
	return NULL;
}

static bool same_features(const struct srj_device *a, const struct srj_device *b)
{
	uint32_t i;

	if (a->nr_features != b->nr_features)
		return false;
	for (i = 0; i < a->nr_features; i++)
		if (strcmp(a->features[i], b->features[i]))
			return false;
	return true;
}

static void difference(json_object *diffs, const struct srj_guest *g, const char *kind,
		       const char *device, const char *detail)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "guest", json_object_new_string(g->name));
	json_object_object_add(o, "uuid", json_object_new_string(g->uuid));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "device", device ? json_object_new_string(device) : NULL);
	json_object_object_add(o, "detail", json_object_new_string(detail));
	json_object_array_add(diffs, o);
}

uint32_t lu_sr_compare(const struct srj_guest *g, const uint8_t *buf, size_t len,
		       json_object *diffs, bool *settled)
{
	const struct xen_lu_rec_dom0_domain *dom = lu_sr_find_domain(buf, len, g->uuid);
	size_t before = json_object_array_length(diffs);
	const struct srj_device *now;
	struct srj_device *devs = NULL;
	char name[48], detail[160];
	uint32_t nr = 0, i;

	*settled = true;
	if (!dom) {
		difference(diffs, g, "domain-missing", NULL, "no domain with its uuid in xenstore");
		return 1;
	}
	if (strncmp(dom->name, g->name, sizeof(dom->name))) {
		snprintf(detail, sizeof(detail), "named \"%.*s\", was \"%s\"",
			 (int)sizeof(dom->name), dom->name, g->name);
		difference(diffs, g, "domain-name", NULL, detail);
	}
	if (lu_sr_devices(buf, len, dom->domid, &devs, &nr)) {
		difference(diffs, g, "records", NULL, "out of memory reading its devices");
		return 1;
	}
	for (i = 0; i < g->nr_devices; i++) {
		const struct srj_device *was = &g->devices[i];

		snprintf(name, sizeof(name), "%s/%u", was->type, was->devid);
		now = find_device(devs, nr, was);
		if (!now) {
			difference(diffs, g, "device-missing", name, "not in xenstore");
			*settled = false;
			continue;
		}
		if (now->backend_state != was->backend_state ||
		    now->frontend_state != was->frontend_state) {
			snprintf(detail, sizeof(detail),
				 "states %u/%u (backend/frontend), were %u/%u",
				 now->backend_state, now->frontend_state, was->backend_state,
				 was->frontend_state);
			difference(diffs, g, "device-state", name, detail);
			*settled = false;
		} else if (!same_features(now, was)) {
			difference(diffs, g, "device-features", name,
				   "feature keys differ from those before the save");
		}
	}
	for (i = 0; i < nr; i++) {
		if (find_device(g->devices, g->nr_devices, &devs[i]))
			continue;
		snprintf(name, sizeof(name), "%s/%u", devs[i].type, devs[i].devid);
		difference(diffs, g, "device-new", name, "not there before the save");
	}
	lu_sr_devices_free(devs, nr);
	return json_object_array_length(diffs) - before;
}
