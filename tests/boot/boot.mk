# tests/boot/boot.mk: the images the boot tests boot (build/test/<name>/), added to BOOT_TEST_IMAGES.

# kernel.sh: the test kernel without apps; the GRUB command line raises #UD at the end.
$(B)/test/kernel/manifest.bin:
	@mkdir -p $(dir $@); : > $@
$(B)/test/kernel/cmdline: tests/boot/boot.mk
	@mkdir -p $(dir $@); echo "hvtest fault=ud" > $@
$(B)/test/kernel/univisor.iso: ISO_FLAGS := --bios-only
BOOT_TEST_IMAGES += $(B)/test/kernel/univisor.elf $(B)/test/kernel/univisor.iso

# attack.sh: issue 4's image (tests/boot/attack.conf): hello + hostile apps.
BOOT_TEST_IMAGES += $(B)/test/attack/univisor.elf $(B)/test/attack/univisor.iso
$(B)/test/attack/univisor.iso: ISO_FLAGS := --bios-only

# console.sh: tests/boot/console.conf: a console flooder, two sleepers that time their wake-ups, a forger.
BOOT_TEST_IMAGES += $(B)/test/console/univisor.elf $(B)/test/console/univisor.iso
$(B)/test/console/univisor.iso: ISO_FLAGS := --bios-only

# sched.sh: issue 7's image (tests/boot/sched.conf): scheduling, sleeping, restarts.
BOOT_TEST_IMAGES += $(B)/test/sched/univisor.elf $(B)/test/sched/univisor.iso
$(B)/test/sched/cmdline: tests/boot/boot.mk
	@mkdir -p $(dir $@); echo "stats=200ms" > $@
$(B)/test/sched/univisor.iso: ISO_FLAGS := --bios-only

# regs.sh: register-file containment (tests/boot/regs.conf).
BOOT_TEST_IMAGES += $(B)/test/regs/univisor.elf $(B)/test/regs/univisor.iso
$(B)/test/regs/univisor.iso: ISO_FLAGS := --bios-only

# contain.sh: instructions and exit floods (tests/boot/contain.conf).
BOOT_TEST_IMAGES += $(B)/test/contain/univisor.elf $(B)/test/contain/univisor.iso
$(B)/test/contain/univisor.iso: ISO_FLAGS := --bios-only

# edges.sh: MSRs, own page tables, hypercall encodings, deadlines (tests/boot/edges.conf);
# the run ends at its time limit, with three apps asleep until (or beyond) the end of the clock;
# "bench" asks for the kernel's bench figures.
BOOT_TEST_IMAGES += $(B)/test/edges/univisor.elf $(B)/test/edges/univisor.iso
$(B)/test/edges/cmdline: tests/boot/boot.mk
	@mkdir -p $(dir $@); echo "runtime=3000ms bench" > $@
$(B)/test/edges/univisor.iso: ISO_FLAGS := --bios-only
