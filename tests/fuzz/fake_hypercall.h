/* tests/fuzz/fake_hypercall.h: what the fakes behind kernel/hc/hypercall.c record, and the values they return. */
#ifndef TESTS_FUZZ_FAKE_HYPERCALL_H
#define TESTS_FUZZ_FAKE_HYPERCALL_H

#include <stdint.h>
#include "include/abi/uv_hypercall.h"

struct fake_hc {
	/* Set by the harness before each call. */
	uint64_t now_ns;   /* app_now_ns */
	uint64_t time_ns;  /* time_ns */
	uint64_t wall_ns;  /* time_wall_ns */
	uint8_t random_seed;
	/* Recorded by the fakes. */
	unsigned set_rax_calls;
	uint64_t rax;
	const struct hv_vcpu *rax_vcpu;
	unsigned console_calls;
	uint64_t console_len;
	char console[UV_CONSOLE_WRITE_MAX];
	unsigned random_calls;
	uint64_t random_len;
	uint8_t random[UV_RANDOM_MAX]; /* what random_bytes produced (its first UV_RANDOM_MAX bytes) */
};
extern struct fake_hc fake_hc;

/* Clears what the fakes recorded (not the values they return). */
void fake_hc_reset(void);

/* The fuzzed app's network: a switch with one internal segment; app 0 (the fuzzed one) has
 * vNIC 0 (granted) and 1 (not granted), app 1 has vNIC 2 (a peer that can send it frames). */
struct sw;
struct sw *fake_net_switch(void);
struct sw_port *fake_net_vnic(unsigned manifest_vnic);

#endif
