/* apps/vault/vault_proto.h: the vault's request and reply messages on its channels (shared with its clients). */
#ifndef VAULT_PROTO_H
#define VAULT_PROTO_H

#include <stdint.h>

/*
 * A request (one channel message): the header, then len bytes of message to sign
 * (VAULT_OP_SIGN), or nothing (VAULT_OP_PUBKEY, len 0).
 * A reply (one message on the reply channel): the header with the request's id and a
 * status, then len bytes: for VAULT_OK the 64-byte Ed25519 signature (RFC 8032 5.1) or the
 * 32-byte public key (RFC 8032 5.1.5), else nothing. Integers little-endian. The vault
 * answers every request it can read, in order; a public-key request takes no token of the
 * rate limit (it costs no secret-key work).
 */
#define VAULT_OP_SIGN 1u
#define VAULT_OP_PUBKEY 2u
#define VAULT_MSG_MAX 1024u /* the longest message the vault signs */
#define VAULT_SIG_BYTES 64u
#define VAULT_PK_BYTES 32u

enum vault_status {
	VAULT_OK = 0,
	VAULT_MALFORMED = 1,    /* shorter than the header, unknown op, len not the rest's length, a public-key request with a body */
	VAULT_TOO_LONG = 2,     /* len > VAULT_MSG_MAX */
	VAULT_RATE_LIMITED = 3, /* over the rate the vault's args allow */
};

struct vault_hdr {
	uint32_t id;   /* chosen by the client, echoed in the reply */
	uint8_t op;    /* request: VAULT_OP_SIGN; reply: enum vault_status */
	uint8_t reserved;
	uint16_t len;  /* bytes after the header */
};
_Static_assert(sizeof(struct vault_hdr) == 8, "vault header layout");

#endif
