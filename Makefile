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
#   make demo            boot the QEMU Xen host, modprobe, lu-ctl status
#   make bench           benchmarks (figures and ratios, not tests)
#   make checkpatch      checkpatch.pl --strict over the kernel code
#   make KDIR=...        build against another kernel tree
#   make man             lu-ctl(8), from the admin guide (build/man/)

# The running kernel here is not a Debian one: default to the newest
# installed Debian amd64 headers.
KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
KVER ?= $(patsubst linux-headers-%,%,$(notdir $(KDIR)))
BUILD ?= $(CURDIR)/build
V ?= 0

export KDIR KVER BUILD

LU_CTL := tools/lu-ctl/lu-ctl
MAN8 := $(BUILD)/man/lu-ctl.8

.PHONY: all module tools selftests simulator stress check check-debug check-fleet check-unit check-host demo bench \
	fuzz checkpatch deps clean help man

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

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C tools/lu-ctl clean
	-for lib in tools/lib/*/Makefile; do $(MAKE) -C $$(dirname $$lib) clean; done
	-$(MAKE) -C selftests/xen-liveupdate clean
	-$(MAKE) -C tests/stress clean
	rm -rf $(BUILD)/man

help:
	@sed -n 's/^#   //p' Makefile
