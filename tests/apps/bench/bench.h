/* tests/apps/bench/bench.h: what the bench app and its peer agree on: how many times they yield to each other. */
#ifndef TESTS_APPS_BENCH_H
#define TESTS_APPS_BENCH_H

#define BENCH_SWITCH_WARMUP 10 /* round trips before measuring (the peer's first run starts it) */
#define BENCH_SWITCH_ITER 1000 /* measured round trips */
/* The peer yields exactly this often, then exits: once per round trip of the bench app. */
#define BENCH_SWITCH_YIELDS (BENCH_SWITCH_WARMUP + BENCH_SWITCH_ITER)
/* Then the channel round trip: the bench app sends a BENCH_CHAN_MSG-byte request on channel
 * handle 0 (breq) and waits for the peer's reply of the same size on handle 1 (brep), in one
 * chan_sendrecv; the peer answers and waits for the next request in one too. A zero-length
 * request ends it and the peer exits. */
#define BENCH_CHAN_MSG 64
#define BENCH_CHAN_WARMUP 10
#define BENCH_CHAN_ITER 1000

#endif
