/* kernel/net/ether.h: Ethernet frame facts the switch and the net calls share: header layout, sizes, address bits. */
#ifndef KERNEL_NET_ETHER_H
#define KERNEL_NET_ETHER_H

#include <stdbool.h>
#include <stdint.h>

/* A frame as the switch sees it: no preamble, no FCS (the NICs strip and add it). */
#define ETH_ALEN 6          /* bytes of a MAC address */
#define ETH_DST_OFF 0       /* destination address (IEEE 802.3 3.1.1, 3.2.4) */
#define ETH_SRC_OFF 6       /* source address */
#define ETH_TYPE_OFF 12     /* length/type, big-endian; the TPID when a tag follows */
#define ETH_HLEN 14         /* the header: two addresses and the length/type */
/* IEEE 802.3 4.4.2: minFrameSize 512 bits = 64 bytes with the 4-byte FCS. */
#define ETH_ZLEN 60
/* IEEE 802.3 4.4.2 maxBasicFrameSize 1518 and 3.5 the 1522-byte Q-tagged frame, both with
 * the FCS: 1500 bytes of data after the header, 4 more for an 802.1Q tag. */
#define ETH_FRAME_MAX 1514
#define ETH_VLAN_HLEN 4
#define ETH_FRAME_MAX_TAGGED (ETH_FRAME_MAX + ETH_VLAN_HLEN)
#define ETH_P_8021Q 0x8100u /* the C-VLAN tag's TPID (IEEE 802.1Q 9.5) */

/* IEEE 802-2014 8.2: bit 0 of the first byte (the I/G bit) marks a group (multicast or
 * broadcast) address. */
#define ETH_GROUP_BIT 0x01u

static inline bool eth_is_group(const uint8_t *mac) { return mac[0] & ETH_GROUP_BIT; }

static inline bool eth_is_zero(const uint8_t *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/* The 16-bit big-endian length/type field of the frame at f (ETH_HLEN bytes at least). */
static inline uint16_t eth_type(const uint8_t *f)
{
	return (uint16_t)(f[ETH_TYPE_OFF] << 8 | f[ETH_TYPE_OFF + 1]);
}

#endif
