# tools/mkimage/mkimage.mk: the host tool mkimage, the manifests it writes from configs, and its tests and fuzzers.

MKIMAGE_SRCS := tools/mkimage/main.c tools/mkimage/config.c tools/mkimage/words.c tools/mkimage/build.c \
	tools/mkimage/elfsym.c kernel/manifest.c kernel/elf.c kernel/lib/format.c
MKIMAGE := $(B)/tools/mkimage
# The pure parts are unit-tested (tests/unit/test_mkimage*.c, test_manifest.c) with sanitizers.
UNIT_EXTRA_SRCS += $(filter-out tools/mkimage/main.c kernel/elf.c kernel/lib/format.c,$(MKIMAGE_SRCS))

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

.PHONY: mkimage
mkimage: $(MKIMAGE) ## build the host tool build/tools/mkimage
