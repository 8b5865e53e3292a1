# tools/mkimage/mkimage.mk: the host tool mkimage, the manifests it writes from configs, and its tests and fuzzers.

MKIMAGE_SRCS := tools/mkimage/main.c tools/mkimage/config.c tools/mkimage/words.c tools/mkimage/build.c \
	tools/mkimage/elfsym.c kernel/app/manifest.c kernel/app/elf.c kernel/lib/format.c
MKIMAGE := $(B)/tools/mkimage
# The pure parts are unit-tested (tests/unit/test_mkimage*.c, test_manifest.c) with sanitizers.
UNIT_EXTRA_SRCS += $(filter-out tools/mkimage/main.c kernel/app/elf.c kernel/lib/format.c,$(MKIMAGE_SRCS))

# Own objects (not build/host/: those are built with sanitizers for the unit tests).
$(B)/tools/obj/%.c.o: %.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -O2 -c $< -o $@

$(MKIMAGE): $(patsubst %,$(B)/tools/obj/%.o,$(MKIMAGE_SRCS))
	$(call msg,LINK,$@)
	$(Q)$(HOSTCC) -o $@ $^

# Rebuild the default appliance's manifest when CONFIG changes between runs: the file
# build/config.name changes (at parse time) only when CONFIG does.
$(shell mkdir -p $(B); [ "$$(cat $(B)/config.name 2>/dev/null)" = "$(CONFIG)" ] || echo "$(CONFIG)" > $(B)/config.name)

# A manifest from a config; the ELFs the config names become dependencies (the .d file).
define MKIMAGE_RULE
	$(call msg,MKIMAGE,$@)
	@mkdir -p $(dir $@)
	$(Q)$(MKIMAGE) --config $(1) --manifest $@ --deps $(@:.bin=.d)
endef
$(B)/manifest.bin: $(CONFIG) $(B)/config.name $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$(CONFIG))
# Boot-test images: build/test/<name>/ from tests/boot/<name>.conf.
$(B)/test/%/manifest.bin: tests/boot/%.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(B)/test/%/cmdline:
	@mkdir -p $(dir $@); : > $@
# Keep them: they are intermediate files of the image rules (and inputs of the corrupted images).
.PRECIOUS: $(B)/test/%/manifest.bin $(B)/test/%/cmdline $(B)/test/mkimage-bad-%/manifest.bin

# tests/boot/mkimage.sh: two apps from tests/boot/mkimage.conf, and three corrupted copies of
# its manifest (tests/boot/mkimage-corrupt) that the kernel must refuse cleanly.
MKIMAGE_BAD := magic blob segment
$(B)/test/mkimage-bad-%/manifest.bin: $(B)/test/mkimage/manifest.bin tests/boot/mkimage-corrupt
	$(call msg,CORRUPT,$@)
	@mkdir -p $(dir $@)
	$(Q)tests/boot/mkimage-corrupt $< $@ $*
$(B)/test/mkimage/univisor.iso $(B)/test/mkimage-bad-blob/univisor.iso $(B)/test/mkimage-bad-segment/univisor.iso: \
	ISO_FLAGS := --bios-only
BOOT_TEST_IMAGES += $(B)/test/mkimage/univisor.elf $(B)/test/mkimage/univisor.iso \
	$(patsubst %,$(B)/test/mkimage-bad-%/univisor.elf,$(MKIMAGE_BAD)) \
	$(B)/test/mkimage-bad-blob/univisor.iso $(B)/test/mkimage-bad-segment/univisor.iso $(B)/test/mkimage-bad-magic/cmdline

.PHONY: mkimage
mkimage: $(MKIMAGE) ## build the host tool build/tools/mkimage

# ---- Fuzzers (libFuzzer, clang): the config parser + manifest builder, and manifest_check + the ELF readers ----
FUZZ_TARGETS := config manifest
FUZZ_BINS := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_LIB_SRCS := $(filter-out tools/mkimage/main.c,$(MKIMAGE_SRCS)) tests/unit/elfgen.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) -I. -DUV_HOST -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME ?= 300

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRCS) $(wildcard tools/mkimage/*.h kernel/*.h include/abi/*.h)
	$(call msg,FUZZCC,$@)
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)
$(B)/fuzz/seeds: tests/fuzz/seeds.c $(FUZZ_LIB_SRCS)
	$(call msg,HOSTCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 $(WARN) -I. -DUV_HOST -o $@ $^

test-build: $(FUZZ_BINS) $(B)/fuzz/seeds $(MKIMAGE) $(B)/kernel.o $(B)/obj/kernel/test/selftest_none.c.o

.PHONY: fuzz
fuzz: $(FUZZ_BINS) $(B)/fuzz/seeds ## run each fuzzer for FUZZ_TIME seconds (default 300; `make test` runs them 20 s)
	$(Q)FUZZ_TIME=$(FUZZ_TIME) tests/host/fuzz.sh
