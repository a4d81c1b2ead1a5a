// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl stage: build xen#2's kexec image and hand it to the module, which
 * checks it against what the hypervisor reports and loads it.
 *
 *	lu-ctl stage XEN [--append ARGS] [--module "FILE [ARGS]"]...
 *		     [--method auto|live-update|save-restore] [--save-dir DIR]
 *		     [--no-live] [--parallel N]
 *		     [--cold] [--replace] [--signature FILE] [--dry-run] [--json]
 *
 * The image is built here (libluimage: gunzip, ELF, multiboot2, placement,
 * MBI, purgatory); the brokering rules are the kernel's, so a refusal names
 * the rule the module reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "builtin.h"
#include "device.h"
#include "failure.h"
#include "luimage.h"
#include "output.h"
#include "progress.h"
#include "parse-options.h"
#include "save-restore/save-restore.h"
#include "saverestore.h"
#include "staging.h"
#include "state-rules.h"

#define STAGE_MAX_SIGNATURE	(64U << 10)
/* Where Debian installs kernels, and Linux's x86 COMMAND_LINE_SIZE. */
#define LU_STAGE_BOOT_DIR	"/boot"
#define LU_STAGE_CMDLINE_MAX	2048

enum stage_method {
	STAGE_METHOD_UNSET = -1,	/* no --method given: auto */
	STAGE_METHOD_AUTO,
	STAGE_METHOD_LIVE_UPDATE,
	STAGE_METHOD_SAVE_RESTORE,
};

struct stage_opts {
	const char *xen_path;
	const char *append;
	const char *sig_path;
	const char *module_arg[LUI_MAX_MODULES];
	unsigned int nr_modules;
	int method;			/* enum stage_method */
	const char *save_dir;
	unsigned int parallel;
	bool cold, replace, dry_run, json, no_live;
};

static const struct lu_opt_choice stage_methods[] = {
	{ "auto", STAGE_METHOD_AUTO },
	{ "live-update", STAGE_METHOD_LIVE_UPDATE },
	{ "save-restore", STAGE_METHOD_SAVE_RESTORE },
	{ NULL },
};

struct stage_build {
	struct lui_blob xen, sig, mod[LUI_MAX_MODULES];
	char *mod_path[LUI_MAX_MODULES];
	struct lui_module modules[LUI_MAX_MODULES];
	char *default_arg[2];		/* this dom0's kernel and initramfs */
	struct lui_elf elf;
	struct lui_mb2 mb;
	struct lui_mem map[XEN_LU_MAX_MEMORY_MAP];
	unsigned int nr_map;
	struct lui_plan plan;
	uint8_t purgatory[LUI_PURGATORY_SIZE];
	struct xen_lu_segment segs[XEN_LU_MAX_SEGMENTS];
};

static const struct lu_usage stage_usage = {
	.name = "stage",
	.synopsis = LU_SYNOPSIS("XEN [options]"),
	.about = "Build the kexec image of a new Xen (xen#2) and stage it: the\n"
		 "module checks it and loads it into the hypervisor.  XEN may be\n"
		 "gzip-compressed (/boot/xen-*.gz).",
	.exit = "0 staged, 3 no live update here (--method live-update), 4 no device,\n"
		"5 invalid image,\n"
		"6 cannot read a file, 9 an update is prepared or committed,\n"
		"1 refused or failed",
	.min_args = 1,
	.max_args = 1,
	.too_few = "no Xen image given",
};

/* -m "FILE [ARGS]": one more multiboot2 module. */
static int stage_module_opt(const struct lu_usage *u,
			    const struct lu_option *opt, const char *arg)
{
	struct stage_opts *o = opt->value;

	if (o->nr_modules == LUI_MAX_MODULES)
		return lu_usage_error(u, "at most %u modules", LUI_MAX_MODULES);
	if (!arg[0] || arg[0] == ' ')
		return lu_usage_error(u, "--module needs \"FILE [ARGS]\"");
	o->module_arg[o->nr_modules++] = arg;
	return LU_EXIT_OK;
}

static int lui_exit(const struct lui_error *e)
{
	return e->code == LUI_E_IO ? LU_EXIT_IO : LU_EXIT_INVALID;
}

/* Read the modules of @o into @b. */
static int stage_read_modules(const struct stage_opts *o, struct stage_build *b)
{
	struct lui_error e = {};
	unsigned int i;
	size_t len;

	for (i = 0; i < o->nr_modules; i++) {
		len = strcspn(o->module_arg[i], " ");
		b->mod_path[i] = strndup(o->module_arg[i], len);
		if (!b->mod_path[i]) {
			lu_err("stage", "allocate", ENOMEM);
			return LU_EXIT_FAILURE;
		}
		lu_progress("stage: reading module %u of %u, %s", i + 1,
			    o->nr_modules, b->mod_path[i]);
		if (lui_read_file(b->mod_path[i], LUI_MAX_MODULE_SIZE,
				  &b->mod[i], &e)) {
			lu_errf(b->mod_path[i], "read module", "%s", e.msg);
			return lui_exit(&e);
		}
		b->modules[i] = (struct lui_module){
			.buf = b->mod[i].data, .size = b->mod[i].len,
			.cmdline = o->module_arg[i],
		};
	}
	return LU_EXIT_OK;
}

/* Read XEN, the modules and the signature; parse XEN. */
static int stage_read(const struct stage_opts *o, struct stage_build *b)
{
	struct lui_error e = {};
	int rc;

	lu_progress("stage: reading %s", o->xen_path);
	if (lui_load_file(o->xen_path, LUI_MAX_IMAGE, &b->xen, &e) ||
	    lui_elf_parse(b->xen.data, b->xen.len, &b->elf, &e) ||
	    lui_mb2_parse(b->xen.data, b->xen.len, &b->mb, &e)) {
		lu_errf(o->xen_path, "read image", "%s: %s",
			lui_strerror(e.code), e.msg);
		return lui_exit(&e);
	}
	rc = stage_read_modules(o, b);
	if (rc)
		return rc;
	if (o->sig_path &&
	    lui_read_file(o->sig_path, STAGE_MAX_SIGNATURE, &b->sig, &e)) {
		lu_errf(o->sig_path, "read signature", "%s", e.msg);
		return lui_exit(&e);
	}
	return LU_EXIT_OK;
}

/*
 * This dom0's command line, from /proc/cmdline, without the boot
 * loader's BOOT_IMAGE=.  Empty when it cannot be read.
 */
static void dom0_cmdline(char *buf, size_t len)
{
	char line[LU_STAGE_CMDLINE_MAX], *tok, *save = NULL;
	FILE *f = fopen("/proc/cmdline", "re");
	size_t used = 0;

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(tok, "BOOT_IMAGE=", 11))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, " %s", tok);
	}
	if (used >= len)
		buf[0] = '\0';
}

/*
 * A cold xen#2 boots a new dom0.  Without --module, stage this dom0's own
 * kernel, as Debian installs it (/boot/vmlinuz-RELEASE), with this dom0's
 * command line, and its initramfs (/boot/initrd.img-RELEASE) when it has
 * one.  Refused with the paths named when the kernel is not there.
 */
static int stage_default_modules(struct stage_opts *o, struct stage_build *b)
{
	char kernel[PATH_MAX], initrd[PATH_MAX], cmdline[LU_STAGE_CMDLINE_MAX];
	struct utsname u;

	if (uname(&u)) {
		lu_err("stage", "uname", errno);
		return LU_EXIT_FAILURE;
	}
	snprintf(kernel, sizeof(kernel), LU_STAGE_BOOT_DIR "/vmlinuz-%s", u.release);
	snprintf(initrd, sizeof(initrd), LU_STAGE_BOOT_DIR "/initrd.img-%s", u.release);
	if (access(kernel, R_OK)) {
		lu_errf(kernel, "stage",
			"a cold xen#2 boots a new dom0, and without --module lu-ctl stages this dom0's kernel, which is not there (%s): give --module \"KERNEL ARGS\" and --module INITRD",
			strerror(errno));
		return LU_EXIT_IO;
	}
	dom0_cmdline(cmdline, sizeof(cmdline));
	if (asprintf(&b->default_arg[0], "%s%s", kernel, cmdline) < 0)
		b->default_arg[0] = NULL;
	if (!access(initrd, R_OK))
		b->default_arg[1] = strdup(initrd);
	else
		initrd[0] = '\0';
	if (!b->default_arg[0] || (initrd[0] && !b->default_arg[1])) {
		lu_err("stage", "allocate", ENOMEM);
		return LU_EXIT_FAILURE;
	}
	o->module_arg[o->nr_modules++] = b->default_arg[0];
	if (b->default_arg[1])
		o->module_arg[o->nr_modules++] = b->default_arg[1];
	fprintf(stderr, "lu-ctl: no --module: staging this dom0's kernel %s (with its command line)%s%s\n",
		kernel, initrd[0] ? " and initramfs " : ", no initramfs", initrd);
	return stage_read_modules(o, b);
}

static int stage_memory_map(struct lu_device *dev, struct stage_build *b)
{
	struct xen_lu_mem_entry ent[XEN_LU_MAX_MEMORY_MAP];
	struct xen_lu_memory_map arg = {
		.size = sizeof(arg),
		.nr_entries = XEN_LU_MAX_MEMORY_MAP,
		.entries = (uintptr_t)ent,
	};
	unsigned int i;

	if (ioctl(dev->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &arg)) {
		lu_err(LU_DEVICE_PATH, "GET_MEMORY_MAP", errno);
		return LU_EXIT_FAILURE;
	}
	for (i = 0; i < arg.nr_entries; i++)
		b->map[i] = (struct lui_mem){ .addr = ent[i].addr,
			.size = ent[i].size, .type = ent[i].type };
	b->nr_map = arg.nr_entries;
	return LU_EXIT_OK;
}

/* Plan the segments, put the purgatory in its slot, re-check. */
static int stage_plan(const struct stage_opts *o,
		      const struct xen_lu_info *info, struct stage_build *b)
{
	struct lui_plan_in in = {
		.mode = o->cold ? LUI_MODE_COLD : LUI_MODE_LIVE_UPDATE,
		.img = b->xen.data, .img_len = b->xen.len,
		.elf = &b->elf, .mb = &b->mb,
		.ma_xen = { info->out_xen_start, info->out_xen_size },
		.lu = { info->out_lu_start, info->out_lu_size },
		.map = b->map, .nr_map = b->nr_map,
		.image_name = o->xen_path, .append = o->append,
		.purgatory_size = LUI_PURGATORY_SIZE,
		.nr_modules = o->nr_modules, .modules = b->modules,
	};
	struct lui_error e = {};
	unsigned int i;

	if (lui_plan_build(&in, &b->plan, &e))
		goto fail;
	lui_purgatory_build(b->purgatory, (uint32_t)b->plan.mbi_dest,
			    (uint32_t)b->plan.xen_entry);
	for (i = 0; i < b->plan.nr; i++) {
		struct lui_segment *s = &b->plan.seg[i];

		if (s->kind == XEN_LU_SEG_PURGATORY) {
			s->buf = b->purgatory;
			s->buf_size = sizeof(b->purgatory);
		}
		b->segs[i] = (struct xen_lu_segment){
			.buf = (uintptr_t)s->buf, .buf_size = s->buf_size,
			.dest = s->dest, .dest_size = s->dest_size,
			.kind = s->kind, .index = s->index,
		};
	}
	if (lui_plan_check(&b->plan, &e))
		goto fail;
	return LU_EXIT_OK;
fail:
	lu_errf(o->xen_path, "build image", "%s: %s", lui_strerror(e.code),
		e.msg);
	return LU_EXIT_INVALID;
}

static void stage_print_plan(const struct stage_opts *o, const struct stage_build *b)
{
	unsigned int i;

	printf("%-14s %s\n", "cmdline:", b->plan.cmdline);
	for (i = 0; i < o->nr_modules; i++)
		printf("%-14s %s\n", i ? "" : "modules:", o->module_arg[i]);
	printf("%-14s 0x%" PRIx64 " (purgatory), xen#2 entry 0x%" PRIx64 "\n",
	       "entry:", b->plan.purgatory_dest, b->plan.xen_entry);
	for (i = 0; i < b->plan.nr; i++)
		printf("  segment %2u   %-9s 0x%09" PRIx64 "-0x%09" PRIx64
		       " %10" PRIu64 " bytes\n", i,
		       lui_seg_kind_name(b->segs[i].kind),
		       (uint64_t)b->segs[i].dest,
		       (uint64_t)(b->segs[i].dest + b->segs[i].dest_size - 1),
		       (uint64_t)b->segs[i].buf_size);
}

static int stage_refused(struct lu_device *dev,
			 const struct xen_lu_stage *arg, int err)
{
	struct lu_seq_failure fail;

	if (err == EINVAL || err == E2BIG || err == EPERM) {
		if (arg->out_rule == XEN_LU_RULE_NONE) {
			lu_err(LU_DEVICE_PATH, "STAGE", err);
			return LU_EXIT_FAILURE;
		}
		if (arg->out_segment != XEN_LU_NO_SEGMENT)
			lu_errf(LU_DEVICE_PATH, "stage", "%s (segment %u): %s",
				lu_errno_name(err), arg->out_segment,
				lu_stage_rule_text(arg->out_rule));
		else
			lu_errf(LU_DEVICE_PATH, "stage", "%s: %s",
				lu_errno_name(err),
				lu_stage_rule_text(arg->out_rule));
		return err == EPERM ? LU_EXIT_FAILURE : LU_EXIT_INVALID;
	}
	switch (err) {
	case EEXIST:
		lu_errf(LU_DEVICE_PATH, "stage",
			"an image is already staged (EEXIST): unstage it or pass --replace");
		return LU_EXIT_FAILURE;
	case EOPNOTSUPP:
		lu_errf(LU_DEVICE_PATH, "stage",
			"the hypervisor has no live-update range (EOPNOTSUPP)");
		return LU_EXIT_UNSUPPORTED;
	default:
		if (lu_seq_state_rule(dev, LU_SEQ_STAGE, err, &fail))
			return lu_seq_report("stage", &fail, NULL,
					     LU_EXIT_STATE);
		lu_errf(LU_DEVICE_PATH, "stage", "%s: %s", lu_errno_name(err),
			strerror(err));
		return LU_EXIT_FAILURE;
	}
}

static int stage_load(struct lu_device *dev, const struct stage_opts *o,
		      struct stage_build *b)
{
	struct xen_lu_stage arg = {
		.size = sizeof(arg),
		.flags = (o->cold ? XEN_LU_STAGE_COLD : 0) |
			 (o->replace ? XEN_LU_STAGE_REPLACE : 0),
		.nr_segments = b->plan.nr,
		.segments = (uintptr_t)b->segs,
		.entry = b->plan.purgatory_dest,
		.xen_entry = b->plan.xen_entry,
	};

	if (o->sig_path) {
		arg.signature = (uintptr_t)b->sig.data;
		arg.signature_len = b->sig.len;
		arg.image = (uintptr_t)b->xen.data;
		arg.image_len = b->xen.len;
	}
	if (ioctl(dev->fd, XEN_LU_IOCTL_STAGE, &arg))
		return stage_refused(dev, &arg, errno);
	return LU_EXIT_OK;
}

/* What STAGE hands the module: the bytes of every segment. */
static uint64_t stage_bytes(const struct stage_build *b)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < b->plan.nr; i++)
		n += b->segs[i].buf_size;
	return n;
}

static const char *stage_method_name(const struct stage_opts *o)
{
	if (o->method == STAGE_METHOD_SAVE_RESTORE)
		return "save-restore";
	return o->cold ? "cold" : "live-update";
}

static int stage_report(struct lu_device *dev, const struct stage_opts *o)
{
	struct xen_lu_info info;
	json_object *j;
	int rc;

	rc = lu_device_get_info(dev, &info);
	if (rc)
		return rc;
	lu_kmsg("staged xen#2 (%s method)", stage_method_name(o));
	if (!(info.out_flags & XEN_LU_INFO_STAGED)) {
		/* The image went (another controller unstaged it): say so. */
		lu_errf(LU_DEVICE_PATH, "stage",
			"the image was staged, but the module no longer holds it (unstaged since?)");
		return LU_EXIT_FAILURE;
	}
	if (o->json) {
		j = lu_staged_json(&info);
		json_object_object_add(j, "method",
				       json_object_new_string(stage_method_name(o)));
		return lu_print_json("stage", j);
	}
	lu_staged_print(stdout, &info);
	return LU_EXIT_OK;
}

/* The device part: ranges, map, plan, STAGE. */
static int stage_device(struct stage_opts *o, struct stage_build *b)
{
	struct xen_lu_info info;
	struct lu_device dev;
	bool staged = false;
	int rc;

	rc = lu_device_open(&dev, o->dry_run ? O_RDONLY : O_RDWR);
	if (rc)
		return rc;
	rc = lu_device_get_info(&dev, &info);
	if (rc)
		goto out;
	/* auto: live update where the hypervisor has it, else save-restore. */
	if (!o->cold && o->method == STAGE_METHOD_AUTO)
		o->method = info.out_lu_errno ? STAGE_METHOD_SAVE_RESTORE :
						STAGE_METHOD_LIVE_UPDATE;
	if (o->method == STAGE_METHOD_SAVE_RESTORE)
		o->cold = true;	/* xen#2 is executed cold, the guests saved */
	if (o->cold && !o->nr_modules) {
		rc = stage_default_modules(o, b);
		if (rc)
			goto out;
	}
	if (!o->cold && info.out_lu_errno) {
		lu_errf(LU_DEVICE_PATH, "stage",
			"this hypervisor does not support live update (get_range(KEXEC_RANGE_MA_LIVEUPDATE): %s); nothing staged",
			lu_errno_name(info.out_lu_errno));
		rc = LU_EXIT_UNSUPPORTED;
		goto out;
	}
	lu_progress("stage: building the image");
	rc = stage_memory_map(&dev, b);
	if (!rc)
		rc = stage_plan(o, &info, b);
	if (rc)
		goto out;
	lu_progress_clear();
	if (o->dry_run) {
		stage_print_plan(o, b);
		goto out;
	}
	if (o->method == STAGE_METHOD_SAVE_RESTORE)
		fprintf(stderr, "lu-ctl: staging xen#2 for the save-restore method: commit saves every guest, then executes it cold\n");
	else if (o->cold)
		fprintf(stderr, "lu-ctl: staging a COLD image: executing it reboots the hypervisor and every domain is lost\n");
	lu_progress("stage: loading %.1f MiB into the hypervisor",
		    stage_bytes(b) / 1048576.0);
	lu_progress_tick();
	rc = stage_load(&dev, o, b);
	lu_progress_clear();
	if (rc)
		goto out;
	staged = true;
	/* The plan belongs to a save-restore image; any other replaces it. */
	if (o->method == STAGE_METHOD_SAVE_RESTORE)
		rc = lu_sr_stage(&dev, o->save_dir, !o->no_live, o->parallel, o->json);
	else
		lu_sr_plan_remove();
	if (!rc)
		rc = stage_report(&dev, o);
out:
	lu_device_close(&dev, staged);
	return rc;
}

static void stage_free(struct stage_build *b)
{
	unsigned int i;

	lui_plan_free(&b->plan);
	lui_blob_free(&b->xen);
	lui_blob_free(&b->sig);
	for (i = 0; i < LUI_MAX_MODULES; i++) {
		lui_blob_free(&b->mod[i]);
		free(b->mod_path[i]);
	}
	free(b->default_arg[0]);
	free(b->default_arg[1]);
	free(b);
}

int cmd_stage(int argc, char **argv)
{
	struct stage_opts o = {};
	const struct lu_option options[] = {
		LU_OPT_STRING('a', "append", &o.append, "ARGS",
			      "xen#2's command line (liveupdate= is\n"
			      "added by lu-ctl and checked by the module)"),
		LU_OPT_CALLBACK('m', "module", &o, "\"FILE ARGS\"",
				"a multiboot2 module, repeatable (max 8);\n"
				"cold and save-restore default: this dom0's\n"
				"/boot/vmlinuz-RELEASE with its command line,\n"
				"/boot/initrd.img-RELEASE",
				stage_module_opt),
		LU_OPT_CHOICE('M', "method", &o.method, stage_methods,
			      "auto (default): live-update where the\n"
			      "hypervisor has it, else save-restore;\n"
			      "live-update: domains stay in memory;\n"
			      "save-restore: every guest is saved, xen#2\n"
			      "executed cold, the guests restored after"),
		LU_OPT_STRING('d', "save-dir", &o.save_dir, "DIR",
			      "save-restore: where streams and the journal\n"
			      "go (default " LU_SR_DEFAULT_SAVE_DIR ")"),
		LU_OPT_BOOL('L', "no-live", &o.no_live,
			    "save-restore: stop each guest for its whole\n"
			    "save (default: live, precopy first)"),
		LU_OPT_UINT('P', "parallel", &o.parallel, "N", 1, SR_MAX_PARALLEL,
			    "save-restore: at most N saves at once\n"
			    "(default twice dom0's online CPUs)"),
		LU_OPT_BOOL('c', "cold", &o.cold,
			    "a COLD kexec (KEXEC_TYPE_DEFAULT): every\n"
			    "domain, dom0 included, is LOST on exec"),
		LU_OPT_BOOL('r', "replace", &o.replace,
			    "replace an image already staged"),
		LU_OPT_STRING('s', "signature", &o.sig_path, "FILE",
			      "detached PKCS#7 signature of XEN's ELF\n"
			      "(required when the kernel is locked down)"),
		LU_OPT_BOOL('n', "dry-run", &o.dry_run,
			    "build and print the image, stage nothing"),
		LU_OPT_JSON(&o.json),
		LU_OPT_END(),
	};
	struct stage_build *b;
	int rc;

	o.method = STAGE_METHOD_UNSET;
	o.save_dir = LU_SR_DEFAULT_SAVE_DIR;
	o.parallel = sr_default_parallel();
	if (!lu_parse_options(&argc, argv, options, &stage_usage, &rc))
		return rc;
	if (o.cold && o.method != STAGE_METHOD_UNSET)
		return lu_usage_error(&stage_usage, "--cold and --method exclude each other");
	if (o.method == STAGE_METHOD_UNSET)
		o.method = STAGE_METHOD_AUTO;
	o.xen_path = argv[0];
	b = calloc(1, sizeof(*b));
	if (!b) {
		lu_err("stage", "allocate", ENOMEM);
		return LU_EXIT_FAILURE;
	}
	lu_progress_enable(o.json);
	rc = stage_read(&o, b);
	if (!rc)
		rc = stage_device(&o, b);
	lu_progress_clear();
	stage_free(b);
	return rc;
}
