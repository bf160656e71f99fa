/* test_words.c -- unit tests of the document's word numbers (src/words.c,
 * ABI 1.1 nl_doc.word_ids).  All texts are written for the project. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"
#include "host.h"
#include "words.h"

static nl_words *W;

static nl_doc *numbered(const char *text, size_t len)
{
	nl_doc *d = NULL;
	assert_int_equal(nl_doc_build("test.txt", text, len, NL_FORMAT_TEXT, &d), 0);
	assert_int_equal(nl_words_number(W, d), 0);
	assert_true(NL_DOC_HAS_WORDS(d));
	return d;
}

static nl_doc *numbered_s(const char *text)
{
	return numbered(text, strlen(text));
}

/* The number of the i-th token whose text is s (its bytes), failing when
 * there is none. */
static uint32_t id_of(const nl_doc *d, const char *s, int nth)
{
	for (size_t i = 0; i < d->n_tokens; i++)
		if (d->tokens[i].len == strlen(s) && !memcmp(d->text + d->tokens[i].off, s, strlen(s)) && nth-- == 0)
			return d->word_ids[i];
	fail_msg("no token '%s'", s);
	return NL_NO_WORD;
}

/* Form number id, NUL-terminated in place; its length must agree.  The 16
 * bytes after its NUL are read: the ABI lets a plugin read them (a fault
 * under the ASan and valgrind runs of this suite if they are not there). */
static const char *form(const nl_doc *d, uint32_t id)
{
	assert_true(id < d->n_word_ids);
	const char *f = d->word_forms + d->word_form_off[id];
	const size_t n = d->word_form_off[id + 1] - d->word_form_off[id] - 1;
	assert_int_equal(strlen(f), n);
	volatile unsigned char after = 0;
	for (size_t k = 1; k <= 16; k++)
		after ^= (unsigned char)f[n + k];
	(void)after;
	return f;
}

static void test_same_form_same_number(void **s)
{
	(void)s;
	nl_doc *d = numbered_s("The cat saw the CAT, and THE Cat ran.\n");
	uint32_t the = id_of(d, "The", 0), cat = id_of(d, "cat", 0);
	assert_int_equal(the, 0);   /* in order of first use */
	assert_int_equal(cat, 1);
	assert_int_equal(id_of(d, "saw", 0), 2);
	assert_int_equal(id_of(d, "the", 0), the);
	assert_int_equal(id_of(d, "THE", 0), the);
	assert_int_equal(id_of(d, "CAT", 0), cat);
	assert_int_equal(id_of(d, "Cat", 0), cat);
	assert_string_equal(form(d, the), "the");
	assert_string_equal(form(d, cat), "cat");
	assert_int_equal(d->n_word_ids, 5);   /* the cat saw and ran */
	for (size_t i = 0; i < d->n_tokens; i++)   /* punctuation has none */
		assert_true((d->tokens[i].kind == NL_TOK_WORD) == (d->word_ids[i] != NL_NO_WORD));
	nl_doc_free(d);
}

static void test_fold_as_host_fold(void **s)
{
	(void)s;
	/* every length from 1 to 40 bytes, ASCII and not, and at the very end
	 * of the text (fewer than 16 bytes readable after the word) */
	char text[4096], word[64], upper[64];
	for (int n = 1; n <= 40; n++) {
		for (int i = 0; i < n; i++) {
			word[i] = (char)('a' + (i * 7 + n) % 26);
			upper[i] = (char)(word[i] - 32);
		}
		word[n] = upper[n] = '\0';
		for (int accent = 0; accent < 2; accent++) {
			size_t o = 0;
			o += (size_t)snprintf(text + o, sizeof text - o, "%s%s one %s%s two ", accent ? "\xC3\x89" : "",
					      word, accent ? "\xC3\xA9" : "", upper);
			o += (size_t)snprintf(text + o, sizeof text - o, "%s%s", accent ? "\xC3\x89" : "", upper);
			nl_doc *d = numbered(text, o);
			uint32_t a = d->word_ids[0];
			char folded[256];
			size_t fn = nl_fold(d->text + d->tokens[0].off, d->tokens[0].len, folded, sizeof folded);
			assert_string_equal(form(d, a), folded);
			assert_int_equal(strlen(form(d, a)), fn);
			/* the same word in three spellings of case: one number */
			assert_int_equal(d->n_tokens, 5);
			assert_int_equal(d->word_ids[2], a);
			assert_int_equal(d->word_ids[4], a);
			assert_int_not_equal(d->word_ids[1], a);
			nl_doc_free(d);
		}
	}
}

static void test_curly_apostrophe_is_straight(void **s)
{
	(void)s;
	nl_doc *d = numbered_s("It\xE2\x80\x99s here and it's there.\n");
	assert_int_equal(id_of(d, "It\xE2\x80\x99s", 0), id_of(d, "it's", 0));
	assert_string_equal(form(d, id_of(d, "it's", 0)), "it's");
	nl_doc_free(d);
}

static void test_possessive_base(void **s)
{
	(void)s;
	/* (a final ' is no part of a token: "voters'" is voters and ') */
	nl_doc *d = numbered_s("Ukraine's army and the voters' choice; Kyiv's mayor met Kyiv. "
			       "James's's odd. The 's alone.\n");
	uint32_t uk = id_of(d, "Ukraine's", 0);
	uint32_t kyivs = id_of(d, "Kyiv's", 0), kyiv = id_of(d, "Kyiv", 0);
	/* a stripped form no token has gets a number of its own */
	assert_int_not_equal(d->word_base[uk], NL_NO_WORD);
	assert_string_equal(form(d, d->word_base[uk]), "ukraine");
	assert_int_equal(d->word_base[id_of(d, "voters", 0)], NL_NO_WORD);
	assert_int_equal(d->word_base[kyivs], kyiv);   /* ... and one a token has, that one */
	assert_int_equal(d->word_base[kyiv], NL_NO_WORD);
	for (size_t i = 0; i < d->n_tokens; i++)
		assert_true(d->word_ids[i] == NL_NO_WORD || d->word_ids[i] != d->word_base[uk]);
	/* stripped once per number: james's's -> james's -> james */
	uint32_t j2 = id_of(d, "James's's", 0);
	assert_string_equal(form(d, d->word_base[j2]), "james's");
	assert_string_equal(form(d, d->word_base[d->word_base[j2]]), "james");
	nl_doc_free(d);
}

static void test_find(void **s)
{
	(void)s;
	nl_doc *d = numbered_s("The Internationalization of Ukraine's army.\n");
	const nl_host *h = nl_host_table();
	assert_int_equal(h->word_find(d, "the", 3), id_of(d, "The", 0));
	assert_int_equal(h->word_find(d, "internationalization", 20), id_of(d, "Internationalization", 0));
	assert_int_equal(h->word_find(d, "ukraine", 7), d->word_base[id_of(d, "Ukraine's", 0)]);
	assert_int_equal(h->word_find(d, "The", 3), NL_NO_WORD);   /* forms are folded */
	assert_int_equal(h->word_find(d, "navy", 4), NL_NO_WORD);
	assert_int_equal(h->word_find(d, "th", 2), NL_NO_WORD);
	assert_int_equal(h->word_find(d, "", 0), NL_NO_WORD);
	assert_int_equal(h->word_find(d, "the\0", 4), NL_NO_WORD);
	nl_doc_free(d);
	/* a document without numbers has none to find */
	assert_int_equal(nl_doc_build("t", "the end\n", 8, NL_FORMAT_TEXT, &d), 0);
	assert_false(NL_DOC_HAS_WORDS(d));
	assert_int_equal(h->word_find(d, "the", 3), NL_NO_WORD);
	nl_doc_free(d);
}

static void test_many_forms(void **s)
{
	(void)s;
	/* 30,000 forms (the thread's table grows within the document), each
	   twice, of 5 to 19 bytes */
	size_t cap = 30000 * 2 * 24, o = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 30000; i++) {
			int pad = i % 15;
			o += (size_t)snprintf(text + o, cap - o, "%c%c%c%c%.*s ", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26, 'a' + i / 17576 % 26,
					      pad, "qqqqqqqqqqqqqqq");
		}
	nl_doc *d = numbered(text, o);
	assert_int_equal(d->n_word_ids, 30000);
	for (size_t i = 0; i < 30000; i++) {
		assert_int_equal(d->word_ids[i], i);
		assert_int_equal(d->word_ids[30000 + i], i);
		form(d, (uint32_t)i);   /* the last one too: 16 bytes after its NUL */
	}
	nl_doc_free(d);
	/* the next document starts with an empty table */
	d = numbered_s("aaaa zzzz aaaa\n");
	assert_int_equal(d->n_word_ids, 2);
	assert_int_equal(d->word_ids[2], 0);
	nl_doc_free(d);
	free(text);
}

static int setup(void **s)
{
	(void)s;
	W = nl_words_new();
	return W ? 0 : -1;
}

static int teardown(void **s)
{
	(void)s;
	nl_words_free(W);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_form_same_number),
		cmocka_unit_test(test_fold_as_host_fold),
		cmocka_unit_test(test_curly_apostrophe_is_straight),
		cmocka_unit_test(test_possessive_base),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_many_forms),
	};
	return cmocka_run_group_tests_name("words", tests, setup, teardown);
}
