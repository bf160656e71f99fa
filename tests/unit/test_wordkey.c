/* test_wordkey.c -- the word-key helpers of src/wordkey.h against
 * byte-by-byte answers: every byte value at every position of words of 1..20
 * bytes, followed by letters, by non-letters, or by the end of what may be
 * read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wordkey.h"

static int az_ref(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

static void all_az_matches_bytes(void **state)
{
	(void)state;
	char buf[64];
	long tried = 0, yes = 0;
	for (size_t n = 1; n <= 20; n++) {
		for (size_t at = 0; at < n; at++) {
			for (unsigned b = 1; b < 256; b++) {
				for (int how = 0; how < 3; how++) {
					/* after the word: letters, non-letters, or the end
					 * of the readable bytes */
					memset(buf, how == 1 ? '!' : 'q', sizeof buf);
					memset(buf, 'q', n);
					buf[at] = (char)b;
					size_t avail = how == 2 ? n : sizeof buf;
					int want = az_ref(buf, n);
					assert_int_equal(wk_all_az(buf, n, avail), want);
					tried++;
					yes += want;
				}
			}
		}
	}
	/* a non-letter just past the word must not count */
	memcpy(buf, "abcdefgh1", 9);
	assert_int_equal(wk_all_az(buf, 8, sizeof buf), 1);
	memcpy(buf, "abcdefghijklmnop\xC3", 17);
	assert_int_equal(wk_all_az(buf, 16, sizeof buf), 1);
	assert_int_equal(wk_all_az(buf, 17, sizeof buf), 0);
	assert_true(tried > 100000 && yes > 1000);
}

static void az8_marks_letters(void **state)
{
	(void)state;
	for (unsigned b = 0; b < 256; b++) {
		uint64_t w = 0x6161616161616161ull;   /* "aaaaaaaa" */
		unsigned char *p = (unsigned char *)&w;
		p[3] = (unsigned char)b;
		uint64_t m = wk_az8(w);
		unsigned char *q = (unsigned char *)&m;
		for (int i = 0; i < 8; i++)
			assert_int_equal(q[i] == 0x80, i == 3 ? (b >= 'a' && b <= 'z') : 1);
	}
}

/* wk_fold8() against the byte-by-byte fold (wk_fold1, what attribution's
 * fold table holds), every byte value at every position, beside bytes of
 * each kind. */
static void fold8_matches_bytes(void **state)
{
	(void)state;
	assert_int_equal(wk_fold1('A'), 'a');
	assert_int_equal(wk_fold1('Z'), 'z');
	assert_int_equal(wk_fold1('z'), 'z');
	assert_int_equal(wk_fold1('7'), '0');
	assert_int_equal(wk_fold1('\t'), ' ');
	assert_int_equal(wk_fold1('\r'), ' ');
	assert_int_equal(wk_fold1('@'), '@');
	assert_int_equal(wk_fold1('['), '[');
	assert_int_equal(wk_fold1(0xC3), 0xC3);
	static const unsigned char around[] = { 'Q', 'z', '7', '\t', 0x00, 0x80, 0xC3, 0xFF, '@', '[' };
	long tried = 0;
	for (size_t a = 0; a < sizeof around; a++) {
		for (int at = 0; at < 8; at++) {
			for (unsigned b = 0; b < 256; b++) {
				unsigned char in[8], want[8], got[8];
				for (int i = 0; i < 8; i++)
					in[i] = (unsigned char)(i == at ? b : around[(a + (size_t)i) % sizeof around]);
				for (int i = 0; i < 8; i++)
					want[i] = wk_fold1(in[i]);
				uint64_t w;
				memcpy(&w, in, 8);
				w = wk_fold8(w);
				memcpy(got, &w, 8);
				assert_memory_equal(got, want, 8);
				tried++;
			}
		}
	}
	assert_int_equal(tried, (long)sizeof around * 8 * 256);
}

/* wk_has_long_s_kelvin(): U+017F (C5 BF) and U+212A (E2 84 AA) at every
 * offset of a text longer than the 8-byte skip, next to other non-ASCII
 * letters; a sequence cut by the text's end, or another character with the
 * same first byte, is neither. */
static void long_s_kelvin_found_anywhere(void **st)
{
	(void)st;
	static const char *const marks[] = { "\xC5\xBF", "\xE2\x84\xAA" };
	for (int m = 0; m < 2; m++) {
		const size_t ml = strlen(marks[m]);
		for (size_t at = 0; at <= 24; at++) {
			char t[64];
			memset(t, 'a', sizeof t);
			memcpy(t, "\xC3\xA9", 2);           /* an é first: the skip starts off its path */
			memcpy(t + 2 + at, marks[m], ml);
			const size_t n = 2 + at + ml + (at % 3);
			assert_int_equal(wk_has_long_s_kelvin((const unsigned char *)t, n), 1);
			assert_int_equal(wk_has_long_s_kelvin((const unsigned char *)t, 2 + at + ml - 1), 0);
		}
	}
	const char *others = "caf\xC3\xA9 \xC5\xBE \xE2\x84\xA2 \xE2\x80\x99 plain ascii text here";
	assert_int_equal(wk_has_long_s_kelvin((const unsigned char *)others, strlen(others)), 0);
}

/* wk_skip_ascii8(): it stops at the block holding the first non-ASCII
 * byte (at most 7 bytes before it, never past it) or where fewer than 8
 * bytes are left, from any start. */
static void skip_ascii8_stops_at_the_block(void **st)
{
	(void)st;
	unsigned char t[40];
	for (size_t at = 0; at <= sizeof t; at++) {   /* at == sizeof t: all ASCII */
		memset(t, 'x', sizeof t);
		if (at < sizeof t)
			t[at] = 0xC3;
		for (size_t i = 0; i <= sizeof t; i++) {
			size_t r = wk_skip_ascii8(t, i, sizeof t);
			assert_true(r >= i && (r - i) % 8 == 0);
			if (at >= i && at < sizeof t && sizeof t - i >= 8 + (at - i) / 8 * 8)
				assert_int_equal(r, i + (at - i) / 8 * 8);   /* its block */
			else
				assert_true(sizeof t - r < 8);                /* no such byte ahead: to the tail */
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_az_matches_bytes),
		cmocka_unit_test(az8_marks_letters),
		cmocka_unit_test(fold8_matches_bytes),
		cmocka_unit_test(long_s_kelvin_found_anywhere),
		cmocka_unit_test(skip_ascii8_stops_at_the_block),
	};
	return cmocka_run_group_tests_name("wordkey", tests, NULL, NULL);
}
