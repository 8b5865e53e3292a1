# libos/libos.mk: the guest library OS (build/libos/libos.a + crt0), the libc it sits on, and how apps are compiled and linked.

# ---- The libc (LIBC ?= newlib in the Makefile): every libc-specific path and flag is here ----
ifeq ($(LIBC),newlib)
LIBC_DIR := $(UV_CACHE)/newlib-3.3.0/x86_64-elf
LIBC_STAMP := $(UV_CACHE)/newlib-3.3.0/.built
LIBC_BUILD := tools/deps/newlib.sh
# x86_64-elf newlib declares clock_gettime/nanosleep/CLOCK_MONOTONIC only where the OS
# says it has them; libos does (libos/sys_time.c, sys_sleep.c).
LIBC_CFLAGS := -isystem $(LIBC_DIR)/include -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L
LIBC_LIBS := $(LIBC_DIR)/lib/libc.a $(LIBC_DIR)/lib/libm.a
else
$(error LIBC=$(LIBC) is not supported (only newlib: picolibc has no x86_64 build in Debian 12, tools/deps/README.md))
endif

# Builds the libc into the cache when its stamp is missing (tools/deps/*.sh are idempotent).
$(LIBC_STAMP):
	$(Q)$(LIBC_BUILD)

# ---- lwIP 2.1.3 (tools/deps/lwip.sh unpacks it, tools/deps/lwip-build.sh compiles it) ----
# Built into the cache under a hash of the port headers it is compiled against, so a
# change of lwipopts.h (or of anything else lwIP sees of libos) builds a new one.
LWIP_SRC := $(UV_CACHE)/lwip-2.1.3
LWIP_PORT_HDRS := $(sort $(wildcard libos/net/include/*.h libos/net/include/arch/*.h)) \
	libos/include/uv_thread.h libos/include/sys/select.h
LWIP_HASH := $(shell cat $(LWIP_PORT_HDRS) tools/deps/lwip-build.sh | sha256sum | cut -c1-16)
LWIP_A := $(LWIP_SRC)/$(LWIP_HASH)/liblwip.a
LWIP_CFLAGS := -Ilibos/net/include -I$(LWIP_SRC)/src/include

$(LWIP_A): $(LWIP_PORT_HDRS) tools/deps/lwip-build.sh | $(LIBC_STAMP)
	$(Q)tools/deps/lwip-build.sh $(dir $@) libos/net/include libos/include

# ---- Guest (app + libos) compile flags ----
# Warnings: the project's code (libos, apps/, tests/apps/) is built with $(WARN), -Werror
# included; a user's app (USER_APPS, apps/apps.mk) gets GUEST_WARN = USER_WARN instead.
GUEST_WARN = $(WARN)
# Static, non-PIE, small code model at 0x200000; SSE is allowed (newlib uses it); own
# sections per function/object so --gc-sections drops what an app doesn't use.
GUEST_CFLAGS := -std=gnu11 -O2 -g -nostdinc -isystem $(GCC_INC) $(LIBC_CFLAGS) \
	-Iinclude -Ilibos/include $(LWIP_CFLAGS) -fno-pic -fno-pie -mcmodel=small -mno-red-zone \
	-fno-stack-protector -fno-common -ffunction-sections -fdata-sections -MMD -MP
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,link/app.ld -Wl,--gc-sections -Wl,--wrap=memmem \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none \
	-Wl,--orphan-handling=error

# libos itself (the hot paths every app runs: threads, the lwIP port, sockets) at -O3.
$(B)/guest/libos/%.c.o: GUEST_CFLAGS += -O3
$(B)/guest/%.c.o: %.c | $(LIBC_STAMP) $(LWIP_A)
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_WARN) $(GUEST_EXTRA_CFLAGS) -c $< -o $@

$(B)/guest/%.S.o: %.S | $(LIBC_STAMP)
	$(call msg,AS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_WARN) $(GUEST_EXTRA_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# ---- libos ----
# Pure logic (also unit-tested on the host) and the target-only glue.
LIBOS_PURE_SRCS := libos/args.c libos/clock_math.c libos/errno_map.c libos/brk.c
LIBOS_SRCS := $(LIBOS_PURE_SRCS) libos/start.c libos/hypercall.c libos/sys_io.c \
	libos/sys_heap.c libos/sys_time.c libos/sys_sleep.c libos/sys_random.c \
	libos/sys_exit.c libos/sys_unsupported.c libos/thread.c libos/thread_switch.S
LIBOS_A := $(B)/libos/libos.a
# The network part: lwIP's port and the sockets API; linked only into apps that call it.
LIBOS_NET_SRCS := $(sort $(wildcard libos/net/*.c))
LIBOS_NET_A := $(B)/libos/libuvnet.a
LIBOS_CRT0 := $(B)/guest/libos/crt0.S.o
# libc functions libos replaces (memcpy.c, memchr.c, strcmp.c; memmem.c wraps newlib's: --wrap=memmem): linked as objects, not from libos.a, so they win
# whatever order the archives are searched in (an archive member would lose to newlib's
# whenever the first reference to it comes from inside libc.a).
LIBOS_OVERRIDES := $(B)/guest/libos/memcpy.c.o $(B)/guest/libos/memchr.c.o $(B)/guest/libos/memmem.c.o \
	$(B)/guest/libos/strcmp.c.o
UNIT_EXTRA_SRCS += $(LIBOS_PURE_SRCS)

$(LIBOS_A): $(patsubst %,$(B)/guest/%.o,$(LIBOS_SRCS))
	$(call msg,AR,$@)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcD $@ $^

$(LIBOS_NET_A): $(patsubst %,$(B)/guest/%.o,$(LIBOS_NET_SRCS))
	$(call msg,AR,$@)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcD $@ $^

.PHONY: libos
libos: $(LIBOS_A) $(LIBOS_NET_A) $(LIBOS_CRT0) $(LIBOS_OVERRIDES) ## build the library OS (build/libos/libos.a)

# ---- Third-party libraries apps link (built into the cache by tools/deps/) ----
# libsodium 1.0.18 (tools/deps/libsodium.sh): the apps in SODIUM_APPS compile against its
# headers and link its libsodium.a (APP_LIBS_<name>, used by LIBOS_APP below).
SODIUM_DIR := $(UV_CACHE)/libsodium-1.0.18
SODIUM_STAMP := $(SODIUM_DIR)/.built
SODIUM_APPS := vault
$(SODIUM_STAMP): | $(LIBC_STAMP)
	$(Q)tools/deps/libsodium.sh
$(foreach a,$(SODIUM_APPS),$(eval APP_LIBS_$(a) := $(SODIUM_DIR)/lib/libsodium.a))
$(foreach a,$(SODIUM_APPS),$(eval $(B)/guest/apps/$(a)/%.c.o: GUEST_EXTRA_CFLAGS += -isystem $(SODIUM_DIR)/include))
$(foreach a,$(SODIUM_APPS),$(eval $(B)/guest/apps/$(a)/%.c.o: | $(SODIUM_STAMP)))
$(SODIUM_DIR)/lib/libsodium.a: | $(SODIUM_STAMP)

# $(call LIBOS_APP,name,sources): build/apps/<name>.elf from C/asm sources linked with
# crt0, libos and the libc; adds it to APP_ELFS. apps/apps.mk uses it for every app dir.
define LIBOS_APP
$(B)/apps/$(1).elf: $(patsubst %,$(B)/guest/%.o,$(2)) $(LIBOS_CRT0) $(LIBOS_OVERRIDES) $(LIBOS_A) $(LIBOS_NET_A) $(LWIP_A) link/app.ld | $(LIBC_STAMP)
	$$(call msg,LINK,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $$@ $(LIBOS_CRT0) $(LIBOS_OVERRIDES) $(patsubst %,$(B)/guest/%.o,$(2)) \
		-Wl,--start-group $(APP_LIBS_$(1)) $(LIBOS_NET_A) $(LWIP_A) $(LIBOS_A) $(LIBC_LIBS) $(LIBGCC) -Wl,--end-group
APP_ELFS += $(B)/apps/$(1).elf
endef

