# tests/fuzz/fuzz.mk: libFuzzer targets for the guest-facing decoders: hv/svm/svm_guestwalk.c, hv/svm/svm_decode.c, kernel/hc/hypercall.c; and the switch (kernel/net/switch.c).
# The flags, the seeds tool and the config/manifest targets are in tools/mkimage/mkimage.mk;
# tests/host/fuzz.sh runs every build/fuzz/fuzz_* (bounded in `make test`, FUZZ_TIME in `make fuzz`).

FUZZ_GUEST_TARGETS := guestwalk svm_decode hypercall
FUZZ_GUEST_TARGETS += switch
FUZZ_GUEST_BINS := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_GUEST_TARGETS))
# The code under test plus the fakes around it (explicit rules: they win over fuzz_% in mkimage.mk).
FUZZ_SRCS_guestwalk := hv/svm/svm_guestwalk.c tests/fuzz/fake_translate.c
FUZZ_SRCS_svm_decode := hv/svm/svm_decode.c
FUZZ_SRCS_hypercall := kernel/hc/hypercall.c kernel/hc/net_calls.c kernel/app/guestmem.c kernel/arch/percpu.c \
	tests/fuzz/fake_hypercall.c tests/unit/fake_mm.c kernel/net/switch.c kernel/net/switch_print.c \
	kernel/dev/netbuf.c kernel/lib/format.c tests/unit/netgen.c tests/unit/fake_console.c
FUZZ_SRCS_hypercall += kernel/hc/chan_calls.c kernel/chan/chanq.c kernel/chan/chan_end.c
FUZZ_SRCS_hypercall += kernel/net/csum.c
FUZZ_SRCS_switch := kernel/net/switch.c kernel/net/csum.c kernel/net/switch_print.c kernel/dev/netbuf.c kernel/lib/format.c \
	tests/unit/netgen.c tests/unit/fake_mm.c tests/unit/fake_console.c
FUZZ_GUEST_HDRS := $(wildcard tests/fuzz/*.h hv/*.h hv/svm/*.h kernel/*.h kernel/lib/*.h include/abi/*.h)
FUZZ_GUEST_HDRS += $(wildcard kernel/net/*.h kernel/dev/netbuf.h tests/unit/netgen.h)
FUZZ_GUEST_HDRS += $(wildcard kernel/chan/*.h kernel/hc/*.h)

define FUZZ_GUEST_RULE
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRCS_$(1)) $$(FUZZ_GUEST_HDRS)
	$$(call msg,FUZZCC,$$@)
	@mkdir -p $$(dir $$@)
	$$(Q)clang $$(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^)
endef
$(foreach t,$(FUZZ_GUEST_TARGETS),$(eval $(call FUZZ_GUEST_RULE,$(t))))

test-build: $(FUZZ_GUEST_BINS) $(B)/fuzz/seeds_guest
fuzz: $(FUZZ_GUEST_BINS) $(B)/fuzz/seeds_guest

$(B)/fuzz/seeds_guest: tests/fuzz/seeds_guest.c $(wildcard include/abi/*.h)
	$(call msg,HOSTCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 $(WARN) -I. -o $@ $(filter %.c,$^)
