/* tests/unit/test_e1000_ring.c: the e1000 driver's ring arithmetic and its judgement of receive descriptors the device wrote back. */
#include "tests/unit/unit.h"
#include "kernel/dev/e1000.h"
#include "kernel/dev/netbuf.h"

TEST(ring_next_wraps)
{
	CHECK_EQ(e1000_ring_next(0, E1000_RX_RING), 1);
	CHECK_EQ(e1000_ring_next(E1000_RX_RING - 2, E1000_RX_RING), E1000_RX_RING - 1);
	CHECK_EQ(e1000_ring_next(E1000_RX_RING - 1, E1000_RX_RING), 0);
	CHECK_EQ(e1000_ring_next(7, 8), 0);
}

TEST(ring_used_and_tx_room)
{
	unsigned n = E1000_TX_RING;
	CHECK_EQ(e1000_ring_used(0, 0, n), 0);
	CHECK_EQ(e1000_tx_room(0, 0, n), n - 1);           /* empty: one slot always stays free */
	CHECK_EQ(e1000_ring_used(5, 9, n), 4);
	CHECK_EQ(e1000_ring_used(n - 2, 3, n), 5);         /* across the wrap */
	CHECK_EQ(e1000_tx_room(n - 2, 3, n), n - 1 - 5);
	CHECK_EQ(e1000_tx_room(4, 3, n), 0);               /* tail right behind clean: full */
	CHECK_EQ(e1000_tx_room(0, n - 1, n), 0);
	/* Filling from empty: room falls by one per frame and reaches 0 after n - 1 frames. */
	unsigned clean = 17, tail = 17, sent = 0;
	while (e1000_tx_room(clean, tail, n) && sent < 2 * n) {
		tail = e1000_ring_next(tail, n);
		sent++;
	}
	CHECK_EQ(sent, n - 1);
	CHECK(tail != clean);
	/* Reclaiming all of them empties it again. */
	while (clean != tail)
		clean = e1000_ring_next(clean, n);
	CHECK_EQ(e1000_tx_room(clean, tail, n), n - 1);
}

static enum e1000_rx_verdict judge(uint8_t status, uint8_t errors, uint16_t length, bool *pieces, uint16_t *len)
{
	return e1000_rx_judge(status, errors, length, pieces, len);
}

TEST(rx_judge_frames)
{
	bool pieces = false;
	uint16_t len = 0;
	const uint8_t done = E1000_RXD_DD | E1000_RXD_EOP;
	CHECK_EQ(judge(0, 0, 60, &pieces, &len), E1000_RX_NONE); /* not done: nothing read */
	CHECK_EQ(judge(E1000_RXD_EOP, 0, 60, &pieces, &len), E1000_RX_NONE);
	CHECK_EQ(judge(done, 0, 60, &pieces, &len), E1000_RX_FRAME);
	CHECK_EQ(len, 60);
	CHECK_EQ(judge(done, 0, 14, &pieces, &len), E1000_RX_FRAME);
	CHECK_EQ(judge(done, 0, NETBUF_FRAME_MAX, &pieces, &len), E1000_RX_FRAME);
	CHECK_EQ(len, NETBUF_FRAME_MAX);
	/* Status bits that are not errors (checksum results, VLAN) do not matter. */
	CHECK_EQ(judge(done | 0xfc, 0x60, 100, &pieces, &len), E1000_RX_FRAME);
	CHECK(!pieces);
}

TEST(rx_judge_bad_lengths_and_errors)
{
	bool pieces = false;
	uint16_t len = 1234;
	const uint8_t done = E1000_RXD_DD | E1000_RXD_EOP;
	CHECK_EQ(judge(done, 0, 13, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(judge(done, 0, 0, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(judge(done, 0, NETBUF_FRAME_MAX + 1, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(judge(done, 0, 2048, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(judge(done, 0, 0xffff, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(len, 1234); /* untouched when bad */
	/* Each frame error bit alone (CE, SE, SEQ, CXE, RXE) drops the frame. */
	const uint8_t errs[] = { 1u << 0, 1u << 1, 1u << 2, 1u << 4, 1u << 7 };
	for (unsigned i = 0; i < sizeof(errs); i++)
		CHECK_EQ(judge(done, errs[i], 64, &pieces, &len), E1000_RX_BAD);
	CHECK(!pieces);
}

TEST(rx_judge_frame_in_pieces)
{
	bool pieces = false;
	uint16_t len = 0;
	const uint8_t done = E1000_RXD_DD | E1000_RXD_EOP;
	/* Two pieces without EOP, then the last with EOP: all three dropped, then normal again. */
	CHECK_EQ(judge(E1000_RXD_DD, 0, 2048, &pieces, &len), E1000_RX_BAD);
	CHECK(pieces);
	CHECK_EQ(judge(E1000_RXD_DD, 0, 2048, &pieces, &len), E1000_RX_BAD);
	CHECK_EQ(judge(done, 0, 100, &pieces, &len), E1000_RX_BAD);
	CHECK(!pieces);
	CHECK_EQ(judge(done, 0, 100, &pieces, &len), E1000_RX_FRAME);
	CHECK_EQ(len, 100);
	/* A descriptor not done yet leaves the state as it was. */
	pieces = true;
	CHECK_EQ(judge(0, 0, 100, &pieces, &len), E1000_RX_NONE);
	CHECK(pieces);
}
