// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guests the toolstack knows, their configurations, and whether each
 * can be saved and restored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr-priv.h"

static int cmp_domid(const void *a, const void *b)
{
	const struct sr_guest *x = a, *y = b;

	return x->domid < y->domid ? -1 : x->domid > y->domid;
}

/*
 * The rules a guest must pass before anything happens.  libxl saves what
 * its configuration describes; devices whose state lives outside it
 * (passed-through PCI, device-tree or USB host devices) cannot come back
 * after the exec, and a guest configured with disable_migrate said so.
 */
static void check_saveable(const libxl_dominfo *info, const libxl_domain_config *c,
			   struct sr_guest *g)
{
	const char *why = NULL;

	if (info->dying)
		why = "it is being destroyed";
	else if (info->shutdown && info->shutdown_reason != LIBXL_SHUTDOWN_REASON_SUSPEND)
		why = "it has shut down";
	else if (info->shutdown)
		why = "it is already suspended";
	else if (c->num_pcidevs)
		why = "it has a passed-through PCI device";
	else if (c->num_dtdevs)
		why = "it has a passed-through device-tree device";
	else if (c->num_usbdevs)
		why = "it has a passed-through USB device";
	else if (!libxl_defbool_is_default(c->b_info.disable_migrate) &&
		 libxl_defbool_val(c->b_info.disable_migrate))
		why = "its configuration sets disable_migrate";
	if (why)
		snprintf(g->unsaveable, sizeof(g->unsaveable), "%s", why);
}

static int describe(struct sr_ctx *ctx, const libxl_dominfo *info, struct sr_guest *g,
		    struct sr_error *err)
{
	libxl_domain_config c;
	char *name, *json;
	int rc, ret = -1;

	g->domid = info->domid;
	g->memory_kib = info->current_memkb;
	g->paused = info->paused;
	snprintf(g->uuid, sizeof(g->uuid), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(info->uuid));
	name = libxl_domid_to_name(ctx->xl, info->domid);
	snprintf(g->name, sizeof(g->name), "%s", name ? name : "");
	free(name);

	libxl_domain_config_init(&c);
	rc = libxl_retrieve_domain_configuration(ctx->xl, info->domid, &c, NULL);
	if (rc) {
		/* A domain libxl did not create has no configuration to restore. */
		snprintf(g->unsaveable, sizeof(g->unsaveable),
			 "libxl has no configuration for it (%s)", sr_libxl_error(rc));
		g->config_json = strdup("{}");
	} else {
		check_saveable(info, &c, g);
		json = libxl_domain_config_to_json(ctx->xl, &c);
		g->config_json = json;
	}
	if (!g->config_json) {
		sr_fail(err, "nomem", g->name, "out of memory");
		goto out;
	}
	ret = 0;
out:
	libxl_domain_config_dispose(&c);
	return ret;
}

int sr_list_guests(struct sr_ctx *ctx, struct sr_guest **guests, uint32_t *nr,
		   struct sr_error *err)
{
	libxl_dominfo *info;
	struct sr_guest *list = NULL;
	int n = 0, i;
	uint32_t count = 0;

	*guests = NULL;
	*nr = 0;
	info = libxl_list_domain(ctx->xl, &n);
	if (!info) {
		sr_fail(err, "libxl", NULL, "cannot list the domains (libxl_list_domain)");
		return -1;
	}
	list = calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		sr_fail(err, "nomem", NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (info[i].domid == 0)
			continue;
		if (describe(ctx, &info[i], &list[count++], err))
			goto fail;
	}
	libxl_dominfo_list_free(info, n);
	qsort(list, count, sizeof(*list), cmp_domid);
	*guests = list;
	*nr = count;
	return 0;
fail:
	libxl_dominfo_list_free(info, n);
	sr_guests_free(list, count);
	return -1;
}

void sr_guests_free(struct sr_guest *guests, uint32_t nr)
{
	uint32_t i;

	for (i = 0; guests && i < nr; i++)
		free(guests[i].config_json);
	free(guests);
}
