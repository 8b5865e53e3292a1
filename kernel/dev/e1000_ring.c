/* kernel/dev/e1000_ring.c: the e1000 driver's pure checks of what the device writes back: receive descriptors judged before any use. */
#include "kernel/dev/e1000.h"
#include "kernel/dev/netbuf.h"

enum e1000_rx_verdict e1000_rx_judge(uint8_t status, uint8_t errors, uint16_t length, bool *in_pieces, uint16_t *len)
{
	if (!(status & E1000_RXD_DD))
		return E1000_RX_NONE;
	if (!(status & E1000_RXD_EOP)) {
		/* Bigger than a buffer (not possible with LPE off, so the device is wrong): the
		 * pieces up to and including the one with EOP go. */
		*in_pieces = true;
		return E1000_RX_BAD;
	}
	if (*in_pieces) {
		*in_pieces = false;
		return E1000_RX_BAD;
	}
	if (errors & E1000_RXE_FRAME)
		return E1000_RX_BAD;
	if (length < E1000_MIN_FRAME || length > NETBUF_FRAME_MAX)
		return E1000_RX_BAD;
	*len = length;
	return E1000_RX_FRAME;
}
