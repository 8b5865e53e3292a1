# tools/bench/bench.mk: `make bench` (exact instruction counts on every path, Debian's Linux beside them) and `make bench-check`.

BENCH := $(B)/bench

# ---- The Linux baseline: a static /init (glibc) in a reproducible initramfs ----
# /init carries apps/httpd, built for Linux from the same sources (its main() renamed), for
# the HTTP figure: init forks it and times keep-alive GETs over the loopback.
HTTPD_LINUX_SRCS := apps/httpd/http.c apps/httpd/files.c apps/httpd/files.S
$(BENCH)/linux/httpd_main.o: apps/httpd/main.c apps/httpd/http.h apps/httpd/files.h
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 $(WARN) -Dmain=httpd_main -c -o $@ $<
$(BENCH)/linux/init: tools/bench/linux/init.c tools/bench/measure.h tools/bench/linux/fwbridge.c tools/bench/linux/fwbridge.h \
		tools/bench/linux/wrkserve.c tools/bench/linux/wrkserve.h \
		tools/bench/fwflow.h tools/bench/http_client.h $(BENCH)/linux/httpd_main.o $(HTTPD_LINUX_SRCS) \
		$(wildcard apps/httpd/www/*)
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -s -Wl,-e,bench_entry -Wl,--build-id=none -o $@ \
		tools/bench/linux/init.c tools/bench/linux/fwbridge.c tools/bench/linux/wrkserve.c $(BENCH)/linux/httpd_main.o \
		$(HTTPD_LINUX_SRCS)

$(BENCH)/linux/initramfs.cpio: $(BENCH)/linux/init tools/bench/linux/mkinitramfs.py
	$(call msg,CPIO,$@)
	$(Q)python3 tools/bench/linux/mkinitramfs.py $< $@
# The firewall bench's: the same /init with Debian's e1000.ko beside it (tools/deps/linux.sh).
$(BENCH)/linux/initramfs-fw.cpio: $(BENCH)/linux/init tools/bench/linux/mkinitramfs.py tools/deps/linux.sh
	$(call msg,CPIO,$@)
	$(Q)python3 tools/bench/linux/mkinitramfs.py $< $@ "$$(tools/deps/linux.sh)/e1000.ko"

# ---- Firmware stubs: their first instruction reads the TSC (the firmware/loader share) ----
$(BENCH)/fwstub/%.o: tools/bench/fwstub/%.S tools/bench/fwstub/body.S
	$(call msg,AS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c -o $@ $<
$(BENCH)/fwstub/pvh.elf: $(BENCH)/fwstub/pvh.o link/kernel.ld
	$(call msg,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -T link/kernel.ld -o $@ $<
$(BENCH)/fwstub/bzimage: $(BENCH)/fwstub/bzimage.o
	$(call msg,OBJCOPY,$@)
	$(Q)objcopy -O binary -j .text $< $@
$(BENCH)/fwstub/pvh.iso: $(BENCH)/fwstub/pvh.elf tools/mkiso.sh
	$(call msg,ISO,$@)
	$(Q)tools/mkiso.sh $< $@ "" --bios-only

BENCH_INPUTS := $(BENCH)/linux/initramfs.cpio $(BENCH)/linux/initramfs-fw.cpio $(BENCH)/fwstub/pvh.elf $(BENCH)/fwstub/pvh.iso \
	$(BENCH)/fwstub/bzimage $(B)/kernel.o

# ---- The bench appliance: tools/bench/bench.conf (tests/apps/bench and bench-peer) ----
$(BENCH)/image/manifest.bin: tools/bench/bench.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(BENCH)/image/cmdline: tools/bench/bench.mk
	@mkdir -p $(dir $@); echo bench > $@
$(BENCH)/image/univisor.elf: $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o $(BENCH)/image/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)
$(BENCH)/image/univisor.iso: ISO_FLAGS := --bios-only
BENCH_INPUTS += $(BENCH)/image/univisor.elf $(BENCH)/image/univisor.iso

# ---- The firewall bench appliance: tools/bench/fw.conf (QEMU only: its NICs are wired by QEMU hubs) ----
$(BENCH)/fwimage/manifest.bin: tools/bench/fw.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(BENCH)/fwimage/cmdline: tools/bench/bench.mk
	@mkdir -p $(dir $@); echo bench > $@
$(BENCH)/fwimage/univisor.elf: $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o $(BENCH)/fwimage/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)
BENCH_INPUTS += $(BENCH)/fwimage/univisor.elf $(BENCH)/fwimage/cmdline

# ---- The HTTP figure's appliance: tools/bench/bench-http.conf (apps/httpd and tests/apps/bench-http) ----
$(BENCH)/http/manifest.bin: tools/bench/bench-http.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(BENCH)/http/cmdline: tools/bench/bench.mk
	@mkdir -p $(dir $@); : > $@
$(BENCH)/http/univisor.elf: $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o $(BENCH)/http/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)
$(BENCH)/http/univisor.iso: ISO_FLAGS := --bios-only
BENCH_INPUTS += $(BENCH)/http/univisor.elf $(BENCH)/http/univisor.iso

# ---- The wrk appliance: tools/bench/wrk.conf (apps/httpd alone on an e1000 uplink, for the host's wrk) ----
$(BENCH)/wrk/manifest.bin: tools/bench/wrk.conf $(MKIMAGE) $(APP_ELFS)
	$(call MKIMAGE_RULE,$<)
$(BENCH)/wrk/cmdline: tools/bench/bench.mk
	@mkdir -p $(dir $@); : > $@
$(BENCH)/wrk/univisor.elf: $(KERNEL_OBJS) $(B)/obj/kernel/test/selftest_none.c.o $(BENCH)/wrk/payload.o link/kernel.ld
	$(call IMAGE_LINK,$(B)/obj/kernel/test/selftest_none.c.o)
BENCH_INPUTS += $(BENCH)/wrk/univisor.elf

.PHONY: bench bench-check bench-baseline
bench: deps ## boot the bench appliance and Debian's Linux on every path; build/bench/results.json + table
	$(Q)tools/deps/linux.sh >/dev/null
	$(Q)$(MAKE) --no-print-directory $(BENCH_INPUTS)
	$(Q)tools/bench/bench.sh

# results.json is rebuilt only when an input changed (bench-check reuses a fresh one).
$(BENCH)/results.json: $(BENCH_INPUTS) tools/bench/bench.sh tools/bench/lib.sh tools/bench/results.py tools/bench/wrk.sh
	$(Q)tools/deps/linux.sh >/dev/null
	$(Q)tools/bench/bench.sh

bench-check: deps $(BENCH)/results.json ## fail if a figure is >10% worse than bench/baseline.json
	$(Q)python3 tools/bench/results.py check --results $(BENCH)/results.json --baseline bench/baseline.json

bench-baseline: $(BENCH)/results.json ## copy the latest results to bench/baseline.json (commit it, saying why)
	$(Q)cp $< bench/baseline.json
	@echo "bench/baseline.json updated from revision $$(python3 -c 'import json; print(json.load(open("$<"))["revision"])')"
