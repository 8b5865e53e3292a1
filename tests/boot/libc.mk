# tests/boot/libc.mk: the libc boot test's image (build/test/libc/ from tests/boot/libc.conf; mkimage's rules build it).
ifneq ($(wildcard tools/mkimage/mkimage.mk),)
$(B)/test/libc/univisor.iso: ISO_FLAGS := --bios-only
BOOT_TEST_IMAGES += $(B)/test/libc/univisor.elf $(B)/test/libc/univisor.iso
endif
