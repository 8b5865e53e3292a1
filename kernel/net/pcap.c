/* kernel/net/pcap.c: the pcap writer on COM2 (the pcap file format: a global header, then a record header before each frame). */
#include "kernel/net/pcap.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"
#include "kernel/console/uart.h"
#include "kernel/dev/time.h"
#include "kernel/lib/kstring.h"
#include "kernel/net/net.h"
#include "include/abi/uv_errno.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u /* microsecond timestamps */
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4
#define PCAP_SNAPLEN 65535u
#define LINKTYPE_ETHERNET 1u

struct pcap_file_header {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};
struct pcap_record_header {
	uint32_t ts_sec, ts_usec, incl_len, orig_len;
};
_Static_assert(sizeof(struct pcap_file_header) == 24, "pcap file header");
_Static_assert(sizeof(struct pcap_record_header) == 16, "pcap record header");

#define UART_SPIN_MAX 1000000 /* polls of LSR before a missing UART is given up on */

static uint64_t frames;
static bool broken; /* COM2 did not take a write: capture stops (a torn stream is useless) */

/* Writes n bytes to the UART at base, waiting for its FIFO as needed; false after a
 * bounded wait (no UART there). */
static bool uart_write(uint16_t base, const void *p, uint64_t n)
{
	const uint8_t *b = p;
	while (n) {
		unsigned spins = 0;
		while (!uart_tx_empty(base))
			if (++spins > UART_SPIN_MAX)
				return false;
			else
				cpu_relax();
		for (unsigned k = 0; k < UART_FIFO && n; k++, n--)
			uart_put(base, *b++);
	}
	return true;
}

static void capture(const struct sw_port *p, const struct netbuf *b, bool out)
{
	(void)p, (void)out;
	if (broken)
		return;
	uint64_t ns = time_wall_ns();
	struct pcap_record_header h = { (uint32_t)(ns / 1000000000ull), (uint32_t)(ns % 1000000000ull / 1000),
					b->len, b->len };
	if (!uart_write(UART_COM2, &h, sizeof(h)) || !uart_write(UART_COM2, b->data, b->len)) {
		broken = true;
		return;
	}
	frames++;
}

static const char *captured;
static char captured_name[2 * UV_MANIFEST_NAME_MAX + 2];

int pcap_setup(const struct boot_info *bi)
{
	char *name = captured_name;
	if (!boot_cmdline_get(bi, "pcap", name, sizeof(captured_name)))
		return 0;
	struct sw_port *p = net_find_port(name);
	if (!p) {
		kprintf("pcap: no port or vNIC named '%s' (pcap=PORT or pcap=APP.VNIC); nothing captured\n", name);
		return -UV_ENOENT;
	}
	uart_init(UART_COM2);
	const struct pcap_file_header h = { PCAP_MAGIC_US, PCAP_VERSION_MAJOR, PCAP_VERSION_MINOR, 0, 0,
					    PCAP_SNAPLEN, LINKTYPE_ETHERNET };
	if (!uart_write(UART_COM2, &h, sizeof(h))) {
		kprintf("pcap: COM2 does not take output; nothing captured\n");
		return -UV_ENOENT;
	}
	p->capture = capture;
	captured = name;
	kprintf("pcap: capturing '%s' (both directions) on COM2\n", name);
	return 0;
}

void pcap_print(void)
{
	if (captured)
		kprintf("  pcap %s: %llu frames written%s\n", captured, (unsigned long long)frames,
			broken ? "; COM2 stopped taking output, capture ended" : "");
}
