# SPDX-License-Identifier: GPL-2.0-only
#
# How every library in tools/lib is built.  Its Makefile names it and
# includes this file:
#
#	LIB := libfoo.a		the archive
#	LIB_DIRS := a b		folders whose .c are members too (optional)
#	LIB_CFLAGS = -I...	its own include paths (optional; "=", as
#				they may name $(TOP), which is set here)
#	include ../lib.mk
#
# Every .c of the library's folder and of LIB_DIRS is a member.  Objects
# go to obj/, named after their folder (a/stream.c -> obj/a-stream.o), so
# that files of the same name in two folders stay two archive members.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
CC ?= cc
CFLAGS ?= -O2 -g
AR ?= ar
LIB_WARN := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE

SRCS := $(wildcard *.c) $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
obj_of = obj/$(subst /,-,$(1:.c=.o))
OBJS := $(foreach s,$(SRCS),$(call obj_of,$(s)))

all: $(LIB)

$(LIB): $(OBJS)
	rm -f $@
	$(AR) rcs $@ $^

define compile
$(call obj_of,$(1)): $(1) | obj
	$$(CC) $$(CFLAGS) $$(LIB_WARN) $$(LIB_CFLAGS) -MMD -MP -c -o $$@ $$<
endef
$(foreach s,$(SRCS),$(eval $(call compile,$(s))))

obj:
	mkdir -p $@

clean:
	rm -rf obj $(LIB)

.PHONY: all clean

-include $(OBJS:.o=.d)
