# kernel/kernel.mk: the root-mode kernel's sources, the relocatable kernel.o, and the images built from it.

# Sources by layer, bottom up (kernel/README.md; tests/host/layers.sh keeps the order): each
# folder may include its own headers and those of the layers below it, never above.
KERNEL_LIB_SRCS := kernel/lib/string.c kernel/lib/format.c kernel/lib/calendar.c kernel/lib/utf8.c kernel/lib/cring.c
KERNEL_ARCH_SRCS := kernel/arch/trap.c kernel/arch/isr.S kernel/arch/mce.c kernel/arch/percpu.c kernel/arch/exc.c
KERNEL_CONSOLE_SRCS := kernel/console/console.c kernel/console/power.c kernel/console/uart.c
KERNEL_BOOT_SRCS := kernel/boot/entry.S kernel/boot/bootinfo.c
KERNEL_MM_SRCS := kernel/mm/pmm.c kernel/mm/pt.c kernel/mm/mm.c kernel/mm/paging.c
KERNEL_DEV_SRCS := kernel/dev/lapic.c kernel/dev/time.c kernel/dev/random.c kernel/dev/pci.c kernel/dev/netbuf.c kernel/dev/irq.c kernel/dev/nic.c
KERNEL_DEV_SRCS += kernel/dev/acpi.c kernel/dev/madt.c kernel/dev/ioapic.c kernel/dev/irq_intx.c kernel/dev/e1000.c kernel/dev/e1000_ring.c
KERNEL_DEV_SRCS += kernel/dev/virtq.c kernel/dev/virtio_pci_cap.c kernel/dev/virtio_pci.c kernel/dev/virtio_net.c
# (hv/ sits here: hv/hv.mk)
KERNEL_APP_SRCS := kernel/app/appliance.c kernel/app/app.c kernel/app/bench.c kernel/app/elf.c kernel/app/manifest.c \
	kernel/app/guestmem.c kernel/app/guest.c kernel/app/console_line.c kernel/app/exit_policy.c \
	kernel/app/cpuid.c kernel/app/report.c kernel/app/stats.c
KERNEL_APP_SRCS += kernel/app/manifest_net.c
KERNEL_APP_SRCS += kernel/app/manifest_chan.c
KERNEL_SCHED_SRCS := kernel/sched/sched.c
KERNEL_HC_SRCS := kernel/hc/hypercall.c kernel/hc/net_calls.c
KERNEL_NET_SRCS := kernel/net/switch.c kernel/net/switch_print.c kernel/net/net.c kernel/net/pcap.c kernel/net/csum.c
KERNEL_SRCS := $(KERNEL_LIB_SRCS) $(KERNEL_ARCH_SRCS) $(KERNEL_CONSOLE_SRCS) $(KERNEL_BOOT_SRCS) $(KERNEL_MM_SRCS) \
	$(KERNEL_DEV_SRCS) $(KERNEL_APP_SRCS) $(KERNEL_SCHED_SRCS) $(KERNEL_HC_SRCS) kernel/main.c
KERNEL_SRCS += $(KERNEL_NET_SRCS)
KERNEL_SRCS += kernel/chan/chanq.c kernel/chan/chan.c kernel/chan/chan_end.c kernel/hc/chan_calls.c

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
$(B)/univisor.elf: $(B)/kernel.o $(B)/obj/kernel/test/selftest_none.c.o $(B)/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)

# Test kernels: the same kernel.o with the self-tests linked in.
SELFTEST_OBJS := $(patsubst %,$(B)/obj/%.o,kernel/test/selftest.c kernel/test/selftest_hv.c kernel/test/selftest_guest.S \
	kernel/test/selftest_net.c)
SELFTEST_OBJS += $(B)/obj/kernel/test/selftest_virtio.c.o
.SECONDARY: $(SELFTEST_OBJS)
$(B)/test/%/univisor.elf: $(B)/kernel.o $(SELFTEST_OBJS) $(B)/test/%/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(SELFTEST_OBJS))

# A GRUB ISO around an ELF: <dir>/univisor.iso from <dir>/univisor.elf and <dir>/cmdline.
%/univisor.iso: %/univisor.elf %/cmdline tools/mkiso.sh
	$(call msg,ISO,$@)
	$(Q)tools/mkiso.sh $< $@ "$$(cat $(dir $@)cmdline)" $(ISO_FLAGS)
