# tests/attack/attack.mk: the hostile test apps: freestanding, no libos; each tests/attack/<name>/ -> build/apps/<name>.elf.
ATTACK_APPS := $(patsubst tests/attack/%/,%,$(sort $(dir $(wildcard tests/attack/*/*.c tests/attack/*/*.S))))
ATTACK_CFLAGS := -std=gnu11 -O1 -g $(WARN) -ffreestanding -nostdinc -isystem $(GCC_INC) -I. -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-mno-red-zone
ATTACK_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 -Wl,-z,separate-code \
	-Wl,-Ttext-segment=0x200000 -Wl,--build-id=none -Wl,-z,noexecstack

define ATTACK_APP
$(B)/apps/$(1).elf: $(wildcard tests/attack/$(1)/*.c tests/attack/$(1)/*.S) $(wildcard tests/attack/*.h) tests/apps/yield_asm.h $(wildcard include/abi/*.h)
	$$(call msg,APP,$$@)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(ATTACK_CFLAGS) $$(ATTACK_LDFLAGS) -o $$@ $$(filter %.c %.S,$$^)
endef
$(foreach a,$(ATTACK_APPS),$(eval $(call ATTACK_APP,$(a))))
ATTACK_ELFS := $(patsubst %,$(B)/apps/%.elf,$(ATTACK_APPS))
APP_ELFS += $(ATTACK_ELFS)
