# tests/boot/boot.mk: the images the boot tests boot: build/test/<name>/ for every tests/boot/<name>.conf, by pattern rules.
#
# build/test/<name>/ holds manifest.bin (mkimage on the config), cmdline (tests/boot/<name>.cmdline,
# one line, or empty without one), univisor.elf (kernel/kernel.mk: the test kernel with that
# payload) and univisor.iso (GRUB, BIOS only). Adding a boot test adds nothing here
# (tests/boot/README.md). Two kinds of image have no config: the test kernel alone (kernel.sh:
# an empty manifest) and corrupted copies of mkimage.conf's manifest (mkimage.sh).

MKIMAGE_BAD := magic blob segment net ip6
BOOT_TEST_NAMES := $(patsubst tests/boot/%.conf,%,$(wildcard tests/boot/*.conf)) kernel \
	$(patsubst %,mkimage-bad-%,$(MKIMAGE_BAD))
BOOT_TEST_IMAGES := $(foreach n,$(BOOT_TEST_NAMES),$(B)/test/$(n)/univisor.elf $(B)/test/$(n)/univisor.iso)

# The manifest from the config; the ELFs the config names become dependencies (the .d file).
$(B)/test/%/manifest.bin: tests/boot/%.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(B)/test/kernel/manifest.bin:
	@mkdir -p $(dir $@); : > $@; echo both > $(dir $@)hv
$(B)/test/mkimage-bad-%/manifest.bin: $(B)/test/mkimage/manifest.bin tests/boot/mkimage-corrupt
	$(call msg,CORRUPT,$@)
	@mkdir -p $(dir $@)
	$(Q)tests/boot/mkimage-corrupt $< $@ $* && echo both > $(dir $@)hv

# The command line, rewritten only when tests/boot/<name>.cmdline changes (or appears, or goes).
$(B)/test/%/cmdline: FORCE
	@mkdir -p $(dir $@); f=tests/boot/$*.cmdline; l=; \
	if [ -f $$f ]; then \
		[ "$$(wc -l < $$f)" -le 1 ] || { echo "$$f: the kernel command line must be one line" >&2; exit 1; }; \
		l=$$(cat $$f); \
	fi; \
	printf '%s\n' "$$l" | cmp -s - $@ || printf '%s\n' "$$l" > $@

$(B)/test/%/univisor.iso: ISO_FLAGS := --bios-only

# libc.sh also boots its image under UEFI (OVMF): an ISO with GRUB for both firmwares.
$(B)/test/%/univisor-uefi.iso: $(B)/test/%/univisor.elf $(B)/test/%/cmdline tools/mkiso.sh
	$(call msg,ISO,$@)
	$(Q)tools/mkiso.sh $< $@ "$$(cat $(dir $@)cmdline)" --uefi
BOOT_TEST_IMAGES += $(B)/test/libc/univisor-uefi.iso

# Intermediate files of the image rules (and inputs of the corrupted images): kept.
.PRECIOUS: $(B)/test/%/manifest.bin $(B)/test/%/cmdline $(B)/test/mkimage-bad-%/manifest.bin
