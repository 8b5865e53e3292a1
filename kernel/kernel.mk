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
KERNEL_APP_SRCS := kernel/app/appliance.c kernel/app/app.c kernel/app/bench.c kernel/app/manifest.c \
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

# All of root mode (kernel + hv), linked into one relocatable object the images are made
# from: kernel.o with both backends, kernel-vmx.o and kernel-svm.o with one (an image's
# `hv = vmx | svm`: the other vendor's code is not in it; hv/hv.c says so on such a CPU).
ROOT_COMMON_OBJS = $(patsubst %,$(B)/obj/%.o,$(KERNEL_SRCS) $(HV_COMMON_SRCS))
ROOT_OBJS = $(ROOT_COMMON_OBJS) $(patsubst %,$(B)/obj/%.o,$(HV_VMX_SRCS) $(HV_SVM_SRCS))
$(B)/obj/kernel/main.c.o: KCFLAGS += -DUV_VERSION='"$(UV_VERSION)"'

$(B)/kernel.o: $(ROOT_OBJS)
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $^
$(B)/kernel-vmx.o: $(ROOT_COMMON_OBJS) $(patsubst %,$(B)/obj/%.o,$(HV_VMX_SRCS))
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $^
$(B)/kernel-svm.o: $(ROOT_COMMON_OBJS) $(patsubst %,$(B)/obj/%.o,$(HV_SVM_SRCS))
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $^
KERNEL_OBJS := $(B)/kernel.o $(B)/kernel-vmx.o $(B)/kernel-svm.o

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

# An image: the kernel object its config's hv names (the word the manifest's rule wrote to
# hv next to it) + self-test hooks + payload.o of its directory, linked at 1 MiB.
define IMAGE_LINK
	$(call msg,LD,$@)
	$(Q)hv=$$(cat $(dir $@)hv 2>/dev/null) || { echo "$(dir $@)hv is missing (a manifest made without" \
		"mkimage --hv-file): remove $(dir $@)manifest.bin and make again" >&2; exit 1; }; \
	case $$hv in both) k=$(B)/kernel.o;; vmx|svm) k=$(B)/kernel-$$hv.o;; *) echo "$(dir $@)hv: bad hv '$$hv'" >&2; exit 1;; esac; \
	$(LD) $(KLDFLAGS) -T link/kernel.ld -o $@ $$k $(1) $(dir $@)payload.o
endef
$(B)/univisor.elf: $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o $(B)/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)

# Test kernels: the kernel object the image's hv picks, with the self-tests linked in.
SELFTEST_OBJS := $(patsubst %,$(B)/obj/%.o,kernel/test/selftest.c kernel/test/selftest_hv.c kernel/test/selftest_guest.S \
	kernel/test/selftest_net.c)
SELFTEST_OBJS += $(B)/obj/kernel/test/selftest_virtio.c.o
.SECONDARY: $(SELFTEST_OBJS)
$(B)/test/%/univisor.elf: $(KERNEL_OBJS) $(SELFTEST_OBJS) $(B)/test/%/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(SELFTEST_OBJS))

# A GRUB ISO around an ELF: <dir>/univisor.iso from <dir>/univisor.elf and <dir>/cmdline.
%/univisor.iso: %/univisor.elf %/cmdline tools/mkiso.sh
	$(call msg,ISO,$@)
	$(Q)tools/mkiso.sh $< $@ "$$(cat $(dir $@)cmdline)" $(ISO_FLAGS)
