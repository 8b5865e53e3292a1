# tests/tests.mk: host unit tests (sanitizers) and the `make test` entry point (tests/run).


include tests/boot/boot.mk
include tests/fuzz/fuzz.mk

# Pure logic from the kernel and hv, built for the host with ASan+UBSan.
UNIT_UNDER_TEST := kernel/mm/pmm.c kernel/mm/pt.c kernel/lib/format.c kernel/lib/calendar.c \
	kernel/boot/bootinfo.c kernel/app/cpuid.c kernel/dev/random.c kernel/app/guestmem.c kernel/arch/mce.c \
	$(HV_HOST_SRCS) $(UNIT_EXTRA_SRCS)
UNIT_UNDER_TEST += kernel/lib/utf8.c kernel/lib/cring.c kernel/app/console_line.c
UNIT_UNDER_TEST += apps/firewall/parse.c apps/firewall/rules.c apps/firewall/conntrack.c apps/firewall/filter.c apps/firewall/options.c apps/firewall/report.c apps/firewall/bridge.c
UNIT_UNDER_TEST += kernel/net/switch.c kernel/net/switch_print.c kernel/dev/netbuf.c
UNIT_UNDER_TEST += kernel/dev/acpi.c kernel/dev/e1000_ring.c
UNIT_UNDER_TEST += kernel/dev/virtq.c kernel/dev/virtio_pci_cap.c
UNIT_UNDER_TEST += kernel/chan/chanq.c kernel/chan/chan_end.c
UNIT_UNDER_TEST += apps/vault/request.c
UNIT_UNDER_TEST += apps/httpd/http.c libos/net/inet4.c
UNIT_UNDER_TEST += apps/signer/sreq.c
UNIT_UNDER_TEST += libos/net/inet6.c tools/mkimage/config_ip6.c
UNIT_UNDER_TEST += libos/net/chksum.c
UNIT_UNDER_TEST += libos/net/timer_math.c
UNIT_UNDER_TEST += kernel/net/csum.c libos/net/csum_mark.c libos/memchr.c libos/memmem.c
UNIT_UNDER_TEST += libos/strcmp.c
UNIT_SRCS := $(wildcard tests/unit/*.c)
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_OBJS = $(patsubst %,$(B)/host/%.o,$(sort $(UNIT_UNDER_TEST)) $(UNIT_SRCS)) # sort: a file listed twice links once
$(UNIT_OBJS): HOST_EXTRA_CFLAGS += $(HOST_SAN)

$(B)/tests/unit: $(UNIT_OBJS)
	$(call msg,LINK,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_SAN) -o $@ $^

# Everything the boot tests boot: BOOT_TEST_IMAGES (tests/boot/boot.mk).
.PHONY: test test-build unit
unit: $(B)/tests/unit ## run the host unit tests only
	$(Q)$(B)/tests/unit

test-build: $(B)/tests/unit $(BOOT_TEST_IMAGES)

test: deps ## run every test: host unit tests and boot tests on PATHS (default: all four)
	$(Q)$(MAKE) --no-print-directory test-build
	$(Q)tests/run $(PATHS)
