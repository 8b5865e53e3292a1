# kernel/kernel.mk: the root-mode kernel's sources, the relocatable kernel.o, and the images built from it.

KERNEL_SRCS := \
	kernel/boot/entry.S kernel/boot/bootinfo.c kernel/main.c kernel/console.c kernel/power.c \
	kernel/lib/string.c kernel/lib/format.c kernel/lib/calendar.c kernel/pmm.c kernel/pt.c \
	kernel/mm.c kernel/paging.c kernel/trap.c kernel/isr.S kernel/lapic.c kernel/time.c \
	kernel/appliance.c kernel/elf.c kernel/manifest.c kernel/guestmem.c kernel/guest.c kernel/app.c \
	kernel/hypercall.c kernel/report.c kernel/sched.c kernel/cpuid.c kernel/random.c kernel/stats.c \
	kernel/exit_policy.c kernel/mce.c
# The console's pure parts: an app's lines, the UTF-8 filter, the ring with its shares.
KERNEL_SRCS += kernel/console_line.c kernel/lib/utf8.c kernel/lib/cring.c

# All of root mode (kernel + hv), linked into one relocatable object the images are made from.
ROOT_OBJS = $(patsubst %,$(B)/obj/%.o,$(KERNEL_SRCS) $(HV_SRCS))
$(B)/obj/kernel/main.c.o: KCFLAGS += -DUV_VERSION='"$(UV_VERSION)"'

$(B)/kernel.o: $(ROOT_OBJS)
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $^

# The payload section: the manifest mkimage wrote (empty: an image without apps).
# build/<dir>/payload.o from build/<dir>/manifest.bin.
define PAYLOAD_RULE
	@printf '\t.section .uv_payload, "a"\n\t.balign 16\n\t.incbin "%s"\n\t.section .note.GNU-stack, "", @progbits\n' $< > $(@:.o=.S)
	$(Q)$(CC) -c $(@:.o=.S) -o $@
endef
$(B)/payload.o: $(B)/manifest.bin
	$(PAYLOAD_RULE)
$(B)/%/payload.o: $(B)/%/manifest.bin
	$(PAYLOAD_RULE)

# An image: kernel.o + self-test hooks + payload.o of its directory, linked at 1 MiB.
define IMAGE_LINK
	$(call msg,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -T link/kernel.ld -o $@ $(B)/kernel.o $(1) $(dir $@)payload.o
endef
$(B)/univisor.elf: $(B)/kernel.o $(B)/obj/kernel/selftest_none.c.o $(B)/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/selftest_none.c.o)

# Test kernels: the same kernel.o with the self-tests linked in.
SELFTEST_OBJS := $(patsubst %,$(B)/obj/%.o,kernel/selftest.c kernel/selftest_hv.c kernel/selftest_guest.S)
.SECONDARY: $(SELFTEST_OBJS)
$(B)/test/%/univisor.elf: $(B)/kernel.o $(SELFTEST_OBJS) $(B)/test/%/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(SELFTEST_OBJS))

# A GRUB ISO around an ELF: <dir>/univisor.iso from <dir>/univisor.elf and <dir>/cmdline.
%/univisor.iso: %/univisor.elf %/cmdline tools/mkiso.sh
	$(call msg,ISO,$@)
	$(Q)tools/mkiso.sh $< $@ "$$(cat $(dir $@)cmdline)" $(ISO_FLAGS)
