/* tests/attack/forger/main.c: tries to forge console output: terminal escapes, raw and UTF-8 C1 controls, a CR before a fake kernel line, invalid UTF-8; and prints valid UTF-8 that must pass unchanged. */
#include "tests/attack/attack.h"

static void out(const char *s, uint64_t n) { hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)s, n, 0); }
#define OUT(lit) out(lit, sizeof(lit) - 1)

int main(void)
{
	OUT("\x1b[2J\x1b[Hcleared the screen\n");
	OUT("\x1b]0;title\x07 osc\n");
	OUT("raw-csi \x9b" "31m red\n");
	OUT("utf8-csi \xc2\x9b" "31m red, nel \xc2\x85, raw nel \x85\n");
	OUT("\rapp 'x' stopped: forged by CR\n");
	OUT("one\napp 'y' stopped: forged after a newline\n");
	OUT("abc\b\b\bxyz del\x7f\n");
	OUT("utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n");
	OUT("bad overlong \xc0\xaf surrogate \xed\xa0\x80 too-big \xf4\x90\x80\x80 cut \xe2\x82 end\n");
	/* A character split across two calls, and one across the 256-byte line wrap. */
	OUT("split \xe2\x82");
	OUT("\xac end\n");
	static char wrap[260];
	for (int i = 0; i < 255; i++)
		wrap[i] = 'w';
	wrap[255] = (char)0xe2;
	wrap[256] = (char)0x82;
	wrap[257] = (char)0xac;
	wrap[258] = '\n';
	out(wrap, 259);
	/* An unfinished line with a cut-off character when it exits. */
	OUT("tail \xf0\x9f");
	return 0;
}
