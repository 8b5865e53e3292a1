# Makefile: builds, boots, tests and measures univisor. `make help` lists the targets.
#
# Build choices (README "Build"): the kernel is linked at 1 MiB and identity-mapped, so it
# is built -fno-pic with the small code model (every address is below 2 GiB), -mno-red-zone
# (interrupts land on the kernel stack) and -mgeneral-regs-only (the kernel never touches
# FPU/SSE state, which belongs to the apps).

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
SHELL := /bin/bash

UV_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/univisor
export UV_CACHE
B := build
.PRECIOUS: $(B)/%/payload.o $(B)/%/manifest.bin $(B)/%/cmdline
CONFIG ?= config/default.conf
PATHS ?= host qemu-svm bochs-vmx bochs-svm
LIBC ?= newlib
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif
msg = $(if $(Q),@printf '  %-8s %s\n' '$(1)' '$(2)')

CC := gcc
LD := ld
HOSTCC := gcc
MB2_INC := $(UV_CACHE)/multiboot2-2.06/include
GCC_INC := $(shell $(CC) -print-file-name=include)
# Asked of git once, and only by a rule that uses it (`make help` runs nothing).
UV_VERSION = $(eval UV_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown))$(UV_VERSION)

WARN := -Wall -Wextra -Werror
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem $(GCC_INC) -I. -I$(MB2_INC) \
	-fno-pic -fno-pie -mcmodel=small -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-common -fno-builtin-printf \
	-ffunction-sections -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments
HOSTCFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -I$(MB2_INC) -DUV_HOST -MMD -MP

# Component fragments: each lists its sources and adds its rules (a missing one stops the build).
include hv/hv.mk
include kernel/kernel.mk
include libos/libos.mk
include apps/apps.mk
include tests/attack/attack.mk
include tools/mkimage/mkimage.mk
include tests/tests.mk
include tools/bench/bench.mk

# ---- Dependencies (Debian packages, multiboot2.h, newlib, lwIP) into $(UV_CACHE) ----
DEPS_STAMP := $(MB2_INC)/multiboot2.h
.PHONY: deps
deps: ## install missing Debian packages and build third-party sources into the cache
	$(Q)tools/deps/packages.sh
	$(Q)tools/deps/multiboot2.sh
	$(Q)for s in tools/deps/newlib.sh tools/deps/lwip.sh tools/deps/libsodium.sh; do [ ! -x $$s ] || $$s || exit 1; done

$(DEPS_STAMP):
	$(Q)tools/deps/packages.sh
	$(Q)tools/deps/multiboot2.sh

# ---- Generic compile rules: build/obj/<source path>.o ----
$(B)/obj/%.c.o: %.c | $(DEPS_STAMP)
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/obj/%.S.o: %.S | $(DEPS_STAMP)
	$(call msg,AS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -DASM_FILE -c $< -o $@

$(B)/host/%.c.o: %.c | $(DEPS_STAMP)
	$(call msg,HOSTCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) $(HOST_EXTRA_CFLAGS) -c $< -o $@

# ---- The appliance image: build/univisor.elf (QEMU -kernel, GRUB) and build/univisor.iso ----
# CONFIG and CMDLINE as files, rewritten only when the value changes (a FORCE prerequisite
# runs the recipe every time), so the image is rebuilt then and only then: build/config.name
# (tools/mkimage/mkimage.mk's manifest depends on it) and build/cmdline (the ISO's GRUB line).
CMDLINE ?=
write_if_changed = @mkdir -p $(dir $@); printf '%s\n' '$(1)' | cmp -s - $@ || printf '%s\n' '$(1)' > $@
.PHONY: FORCE
$(B)/config.name: FORCE
	$(call write_if_changed,$(CONFIG))
$(B)/cmdline: FORCE
	$(call write_if_changed,$(CMDLINE))

.PHONY: all image run clean help
image: $(B)/univisor.elf $(B)/univisor.iso ## build build/univisor.elf and build/univisor.iso from CONFIG

run: deps $(B)/univisor.elf $(B)/cmdline ## boot the image in QEMU (SVM), serial console on this terminal (CMDLINE=...)
	$(Q)tools/run-qemu.sh $(B)/univisor.elf $$(tools/qemu-nics.sh $(CONFIG)) \
		$(if $(PCAP),-serial mon:stdio -serial file:$(PCAP)) -append "$$(cat $(B)/cmdline)"

all: image ## build the kernel, the apps and the default appliance image

help: ## list the targets
	@echo "univisor make targets (variables: CONFIG=config/x.conf CMDLINE=\"stats=1 runtime=10\" PCAP=file.pcap PATHS=\"host qemu-svm bochs-vmx bochs-svm\" V=1):"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort -u | \
		awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

clean: ## remove build/ (the dependency cache stays)
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
