# tools/mkimage/mkimage.mk: the host tool mkimage, the manifests it writes from configs, and its tests and fuzzers.

MKIMAGE_SRCS := tools/mkimage/main.c tools/mkimage/config.c tools/mkimage/config_net.c tools/mkimage/config_ip.c tools/mkimage/words.c \
	tools/mkimage/config_ip6.c libos/net/inet6.c \
	tools/mkimage/config_chan.c tools/mkimage/config_flow.c kernel/app/manifest_chan.c \
	tools/mkimage/build.c tools/mkimage/summary.c tools/mkimage/elfsym.c kernel/app/manifest.c kernel/app/manifest_net.c tools/mkimage/elf.c kernel/lib/format.c
MKIMAGE := $(B)/tools/mkimage
# The pure parts are unit-tested (tests/unit/test_mkimage*.c, test_manifest.c) with sanitizers.
UNIT_EXTRA_SRCS += $(filter-out tools/mkimage/main.c kernel/lib/format.c,$(MKIMAGE_SRCS))

# Own objects (not build/host/: those are built with sanitizers for the unit tests).
$(B)/tools/obj/%.c.o: %.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -O2 -c $< -o $@

$(MKIMAGE): $(patsubst %,$(B)/tools/obj/%.o,$(MKIMAGE_SRCS))
	$(call msg,LINK,$@)
	$(Q)$(HOSTCC) -o $@ $^

# A manifest from a config; the ELFs the config names become dependencies (the .d file).
define MKIMAGE_RULE
	$(call msg,MKIMAGE,$@)
	@mkdir -p $(dir $@)
	$(Q)$(MKIMAGE) --config $(1) --manifest $@ --deps $(@:.bin=.d) --hv-file $(dir $@)hv
endef
# The default appliance's manifest: rebuilt when CONFIG changes between runs, since
# build/config.name (the Makefile) changes only then. The boot tests' manifests: tests/boot/boot.mk.
$(B)/manifest.bin: $(CONFIG) $(B)/config.name $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$(CONFIG))

.PHONY: mkimage
mkimage: $(MKIMAGE) ## build the host tool build/tools/mkimage

# ---- Fuzzers (libFuzzer, clang): the config parser + manifest builder, and manifest_check + the ELF readers ----
FUZZ_TARGETS := config manifest
FUZZ_BINS := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_LIB_SRCS := $(filter-out tools/mkimage/main.c,$(MKIMAGE_SRCS)) tests/unit/elfgen.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) -I. -DUV_HOST -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME ?= 300

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRCS) $(wildcard tools/mkimage/*.h kernel/*.h kernel/app/*.h include/abi/*.h)
	$(call msg,FUZZCC,$@)
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)
$(B)/fuzz/seeds: tests/fuzz/seeds.c $(FUZZ_LIB_SRCS)
	$(call msg,HOSTCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 $(WARN) -I. -DUV_HOST -o $@ $^

test-build: $(FUZZ_BINS) $(B)/fuzz/seeds $(MKIMAGE) $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o

.PHONY: fuzz
fuzz: $(FUZZ_BINS) $(B)/fuzz/seeds ## run each fuzzer for FUZZ_TIME seconds (default 300; `make test` runs them 20 s)
	$(Q)FUZZ_TIME=$(FUZZ_TIME) tests/host/fuzz.sh
