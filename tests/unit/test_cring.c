/* tests/unit/test_cring.c: the console ring: exact per-owner counts through wrap-around, each app's share, the kernel's reserve. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/lib/cring.h"

static struct cring r;

TEST(empty_ring_rooms)
{
	memset(&r, 0, sizeof(r)); /* an empty ring */
	CHECK_EQ(cring_used(&r), 0);
	CHECK_EQ(cring_room(&r, CRING_KERNEL), CRING_SIZE);
	for (unsigned o = 1; o < CRING_OWNERS; o++)
		CHECK_EQ(cring_room(&r, o), CRING_SHARE);
}

TEST(share_is_per_app)
{
	static char buf[CRING_SHARE];
	memset(buf, 'x', sizeof(buf));
	memset(&r, 0, sizeof(r)); /* an empty ring */
	CHECK_EQ(cring_put(&r, 1, buf, 1000), 1000);
	CHECK_EQ(r.pending[1], 1000);
	CHECK_EQ(cring_room(&r, 1), CRING_SHARE - 1000);
	CHECK_EQ(cring_room(&r, 2), CRING_SHARE);
	CHECK_EQ(cring_room(&r, CRING_KERNEL), CRING_SIZE - 1000);
	CHECK_EQ(cring_put(&r, 1, buf, CRING_SHARE - 1000), CRING_SHARE - 1000);
	CHECK_EQ(cring_room(&r, 1), 0);
	CHECK_EQ(cring_room(&r, 2), CRING_SHARE);
	/* Sending one byte gives one byte of room back, to its owner only. */
	cring_pop(&r);
	CHECK_EQ(cring_room(&r, 1), 1);
	CHECK_EQ(r.pending[1], CRING_SHARE - 1);
}

TEST(apps_cannot_use_the_kernel_reserve)
{
	static char buf[CRING_SHARE];
	memset(buf, 'y', sizeof(buf));
	memset(&r, 0, sizeof(r)); /* an empty ring */
	for (unsigned o = 1; o <= CRING_APPS; o++)
		CHECK_EQ(cring_put(&r, o, buf, CRING_SHARE), CRING_SHARE);
	CHECK_EQ(r.apps_pending, CRING_APPS * CRING_SHARE);
	for (unsigned o = 1; o <= CRING_APPS; o++)
		CHECK_EQ(cring_room(&r, o), 0);
	CHECK_EQ(cring_room(&r, CRING_KERNEL), CRING_RESERVE);
	CHECK(CRING_RESERVE >= 16 * 1024);
	/* An app over its share (its last line at its end is queued regardless) takes
	 * room from the other apps, never from the kernel's reserve. */
	memset(&r, 0, sizeof(r)); /* an empty ring */
	for (unsigned o = 1; o <= CRING_APPS; o++)
		CHECK_EQ(cring_put(&r, o, buf, CRING_SHARE - (o == CRING_APPS ? 300 : 0)), CRING_SHARE - (o == CRING_APPS ? 300 : 0));
	CHECK_EQ(cring_room(&r, CRING_APPS), 300);
	CHECK_EQ(cring_put(&r, 1, buf, 300), 300); /* app 1 forced past its share */
	CHECK_EQ(r.apps_pending, CRING_SIZE - CRING_RESERVE);
	CHECK_EQ(cring_room(&r, CRING_APPS), 0);   /* its share has room, the apps' part not */
	CHECK_EQ(cring_room(&r, CRING_KERNEL), CRING_RESERVE);
}

TEST(kernel_output_can_fill_what_apps_left)
{
	static char buf[CRING_SIZE];
	memset(buf, 'k', sizeof(buf));
	memset(&r, 0, sizeof(r)); /* an empty ring */
	CHECK_EQ(cring_put(&r, CRING_KERNEL, buf, CRING_SIZE - 100), CRING_SIZE - 100);
	CHECK_EQ(cring_room(&r, 3), 100);           /* only what is physically free */
	CHECK_EQ(cring_room(&r, CRING_KERNEL), 100);
	CHECK_EQ(cring_put(&r, CRING_KERNEL, buf, 500), 100); /* never more than fits */
	CHECK_EQ(cring_used(&r), CRING_SIZE);
	CHECK_EQ(cring_room(&r, 3), 0);
	CHECK_EQ(r.apps_pending, 0);
	CHECK_EQ(r.pending[CRING_KERNEL], CRING_SIZE);
}

/* Random puts and pops by random owners over many wrap-arounds, against a model that
 * remembers each byte's owner and value: the bytes come out in order, every count exact. */
TEST(counts_exact_through_wraparound)
{
	static uint8_t model_owner[4 * CRING_SIZE];
	static char model_byte[4 * CRING_SIZE], buf[3000];
	uint64_t mh = 0, mt = 0, count[CRING_OWNERS] = { 0 };
	memset(&r, 0, sizeof(r)); /* an empty ring */
	srand(7);
	for (int step = 0; step < 20000; step++) {
		if (rand() % 2) {
			unsigned o = (unsigned)rand() % CRING_OWNERS;
			size_t n = (size_t)rand() % sizeof(buf);
			for (size_t i = 0; i < n; i++)
				buf[i] = (char)(step * 31 + (int)i);
			size_t room = CRING_SIZE - (mh - mt), k = cring_put(&r, o, buf, n);
			CHECK_EQ(k, n < room ? n : room);
			for (size_t i = 0; i < k; i++) {
				model_owner[mh % sizeof(model_owner)] = (uint8_t)o;
				model_byte[mh % sizeof(model_byte)] = buf[i];
				mh++;
			}
			count[o] += k;
		} else {
			int n = rand() % 4000;
			for (int i = 0; i < n && mt < mh; i++) {
				CHECK_EQ(cring_peek(&r), model_byte[mt % sizeof(model_byte)]);
				cring_pop(&r);
				count[model_owner[mt % sizeof(model_owner)]]--;
				mt++;
			}
		}
		uint64_t apps = 0;
		for (unsigned o = 0; o < CRING_OWNERS; o++) {
			CHECK_EQ(r.pending[o], count[o]);
			apps += o ? count[o] : 0;
		}
		CHECK_EQ(r.apps_pending, apps);
		CHECK_EQ(cring_used(&r), mh - mt);
	}
	CHECK(mh > 8 * CRING_SIZE); /* it did wrap, many times */
}
