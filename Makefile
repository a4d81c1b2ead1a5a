# SPDX-License-Identifier: GPL-2.0-only
#
# xen-liveupdate: the module (through kbuild and ./Kbuild), lu-ctl, the
# selftests, and the project's test, demo and benchmark entry points.
#
#   make                 build module, lu-ctl, selftests and the simulator
#   make simulator       the test-only simulator modules (tests/simulator)
#   make stress          the ioctl stress tool the test host runs (tests/stress)
#   make check           the whole test suite (what CI runs)
#   make check-debug     the test host on a debug dom0 kernel (lockdep,
#                        kmemleak, KFENCE, failslab; not in CI: slow)
#   make check-fleet     the Ansible playbook (contrib/ansible) over ssh
#                        against the QEMU test host (a boot of its own)
#   make check-fleet-sr  the same by the save-restore method on stock Xen:
#                        the commit executes xen#2, dom0 boots again
#   make demo            boot the QEMU Xen host, modprobe, lu-ctl status
#   make bench           benchmarks (figures and ratios, not tests)
#   make checkpatch      checkpatch.pl --strict over the kernel code
#   make KDIR=...        build against another kernel tree
#   make man             lu-ctl(8), from the admin guide (build/man/)
#   make install         lu-ctl, its man page, bash completion, systemd
#                        units and JSON schemas (DESTDIR, prefix=/usr/local)
#   make uninstall       remove what make install installed
#   make install-dkms    the module's source and dkms.conf for DKMS
#                        (/usr/src/xen-liveupdate-VERSION); then
#                        dkms install xen-liveupdate/VERSION

# The running kernel here is not a Debian one: default to the newest
# installed Debian amd64 headers.
KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
KVER ?= $(patsubst linux-headers-%,%,$(notdir $(KDIR)))
BUILD ?= $(CURDIR)/build
V ?= 0

export KDIR KVER BUILD

# The project's version: VERSION is its one place; everything else
# (MODULE_VERSION, lu-ctl --version, dkms.conf, the Debian packages, the
# man page) takes it from there.
VERSION := $(file <$(CURDIR)/VERSION)

# GNU installation directories.  The Debian packaging passes prefix=/usr;
# PREFIX= is taken as well.  The completion and unit directories follow
# bash-completion's and systemd's pkg-config files, moved under prefix.
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
exec_prefix ?= $(prefix)
sbindir ?= $(exec_prefix)/sbin
datarootdir ?= $(prefix)/share
datadir ?= $(datarootdir)
mandir ?= $(datarootdir)/man
man8dir ?= $(mandir)/man8
bashcompdir ?= $(or $(shell pkg-config --define-variable=datadir=$(datadir) \
	--variable=completionsdir bash-completion 2>/dev/null), \
	$(datadir)/bash-completion/completions)
# systemd's root prefix is empty for prefix=/usr (/lib/systemd/system on
# Debian 12), else prefix itself (/usr/local/lib/systemd/system).
systemd_root_prefix := $(patsubst /usr,,$(prefix))
systemdunitdir ?= $(or $(shell pkg-config --define-variable=root_prefix=$(systemd_root_prefix) \
	--variable=systemdsystemunitdir systemd 2>/dev/null), \
	$(systemd_root_prefix)/lib/systemd/system)
schemadir ?= $(datadir)/xen-liveupdate/schema
# DKMS looks for sources in /usr/src only.
dkmssrcdir ?= /usr/src/xen-liveupdate-$(VERSION)
INSTALL ?= install

LU_CTL := tools/lu-ctl/lu-ctl
MAN8 := $(BUILD)/man/lu-ctl.8
COMPLETION := tools/lu-ctl/completion/lu-ctl
UNITS := $(wildcard tools/lu-ctl/systemd/*.service)
SCHEMAS := $(wildcard tools/lu-ctl/schema/*)
# What DKMS builds from: kbuild's files of the module and its headers.
DKMS_SRC := Kbuild VERSION \
	$(shell find drivers/xen/liveupdate include -type f \
		\( -name '*.[ch]' -o -name Makefile -o -name Kconfig \) \
		! -name '*.mod.c' | sort)

.PHONY: all module tools selftests simulator stress check check-debug check-fleet check-fleet-sr check-unit check-host demo bench \
	fuzz checkpatch deps clean help man install uninstall install-dkms

all: module tools selftests simulator stress

deps:
	@./scripts/install-deps.sh

module:
	@test -n "$(KDIR)" || { echo "no Debian kernel headers: run make deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) V=$(V) modules

tools:
	$(MAKE) -C tools/lib/xenstream
	$(MAKE) -C tools/lib/luimage
	$(MAKE) -C tools/lu-ctl

selftests:
	$(MAKE) -C selftests/xen-liveupdate

# Test only: xen_lu_sim.ko and xen_lu_test_participant.ko, never installed.
simulator:
	$(MAKE) -C tests/simulator

checkpatch:
	@./scripts/checkpatch.sh

# Test only: xen-lu-stress, run in the test host's dom0 (lutest=stress).
stress:
	$(MAKE) -C tests/stress

# The whole suite: host unit tests, fuzz runs, then the real Xen host.
check:
	@./scripts/run-tests.sh

# Builds its own kernel (cached under build/debug-kernel/) and the module
# against it: KDIR is not used.
check-debug:
	@./scripts/check-debug.sh

# One boot: BOOT_LOCK=FILE takes flock(1) on FILE around it.
check-fleet:
	@./scripts/check-fleet.sh

check-fleet-sr:
	@./scripts/check-fleet.sh sr

demo:
	@./scripts/demo.sh

bench:
	@./scripts/run-bench.sh

fuzz:
	$(MAKE) -C tests/fuzz fuzz

man: $(MAN8)

$(MAN8): Documentation/admin-guide/xen-liveupdate.rst scripts/build-man.sh VERSION $(LU_CTL)
	@mkdir -p $(dir $@)
	./scripts/build-man.sh $(LU_CTL) > $@.tmp && mv $@.tmp $@

$(LU_CTL): tools

# The units name /usr/sbin/lu-ctl; they get the sbindir installed to.
install: tools man
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(man8dir) \
		$(DESTDIR)$(bashcompdir) $(DESTDIR)$(systemdunitdir)
	$(INSTALL) -m 755 $(LU_CTL) $(DESTDIR)$(sbindir)/lu-ctl
	$(INSTALL) -m 644 $(MAN8) $(DESTDIR)$(man8dir)/lu-ctl.8
	$(INSTALL) -m 644 $(COMPLETION) $(DESTDIR)$(bashcompdir)/lu-ctl
	set -e; for u in $(UNITS); do \
		sed 's|/usr/sbin/lu-ctl|$(sbindir)/lu-ctl|g' $$u > $(DESTDIR)$(systemdunitdir)/$${u##*/}; \
		chmod 644 $(DESTDIR)$(systemdunitdir)/$${u##*/}; \
	done
ifneq ($(SCHEMAS),)
	$(INSTALL) -d $(DESTDIR)$(schemadir)
	$(INSTALL) -m 644 $(SCHEMAS) $(DESTDIR)$(schemadir)/
endif

uninstall:
	rm -f $(DESTDIR)$(sbindir)/lu-ctl $(DESTDIR)$(man8dir)/lu-ctl.8 \
		$(DESTDIR)$(bashcompdir)/lu-ctl \
		$(addprefix $(DESTDIR)$(systemdunitdir)/,$(notdir $(UNITS))) \
		$(addprefix $(DESTDIR)$(schemadir)/,$(notdir $(SCHEMAS)))
	-rmdir $(DESTDIR)$(schemadir) $(DESTDIR)$(datadir)/xen-liveupdate 2>/dev/null

# DKMS's source tree: the files kbuild reads, and dkms.conf with its
# version filled in (dh_dkms does the same for the Debian package).
install-dkms:
	set -e; for f in $(DKMS_SRC); do \
		$(INSTALL) -D -m 644 $$f $(DESTDIR)$(dkmssrcdir)/$$f; \
	done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DESTDIR)$(dkmssrcdir)/dkms.conf

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C tools/lu-ctl clean
	-for lib in tools/lib/*/Makefile; do $(MAKE) -C $$(dirname $$lib) clean; done
	-$(MAKE) -C selftests/xen-liveupdate clean
	-$(MAKE) -C tests/stress clean
	rm -rf $(BUILD)/man

help:
	@sed -n 's/^#   //p' Makefile
