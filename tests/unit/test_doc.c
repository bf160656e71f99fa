/* test_doc.c -- unit tests of the document model (src/doc.c) and the
 * Unicode helpers (src/unicode.c).  All texts are written for the project. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"

#define TXT NL_FORMAT_TEXT
#define MD NL_FORMAT_MARKDOWN

/* ---- helpers ------------------------------------------------------------ */

static nl_doc *build(const char *text, int fmt)
{
	nl_doc *d = NULL;
	assert_int_equal(nl_doc_build("test.txt", text, strlen(text), fmt, &d), 0);
	assert_non_null(d);
	return d;
}

/* NUL-terminated copy of a span (ring of buffers). */
static const char *str(const nl_doc *d, uint32_t off, uint32_t len)
{
	static char ring[8][512];
	static int k;
	char *b = ring[k++ & 7];
	if (len > 511)
		len = 511;
	memcpy(b, d->text + off, len);
	b[len] = '\0';
	return b;
}

static const char *tok(const nl_doc *d, size_t i)
{
	assert_true(i < d->n_tokens);
	return str(d, d->tokens[i].off, d->tokens[i].len);
}

/* Index of the first token whose text is s, or -1. */
static long find(const nl_doc *d, const char *s)
{
	size_t i;
	for (i = 0; i < d->n_tokens; i++)
		if (d->tokens[i].len == strlen(s) && !memcmp(d->text + d->tokens[i].off, s, strlen(s)))
			return (long)i;
	return -1;
}

static const nl_token *T(const nl_doc *d, const char *s)
{
	long i = find(d, s);
	if (i < 0)
		fail_msg("no token '%s'", s);
	return &d->tokens[i];
}

static const char *sent(const nl_doc *d, size_t i)
{
	assert_true(i < d->n_sentences);
	return str(d, d->sentences[i].off, d->sentences[i].len);
}

static const char *para(const nl_doc *d, size_t i)
{
	assert_true(i < d->n_paragraphs);
	return str(d, d->paragraphs[i].off, d->paragraphs[i].len);
}

static const char *quote(const nl_doc *d, size_t i)
{
	assert_true(i < d->n_quotes);
	return str(d, d->quotes[i].off, d->quotes[i].len);
}

static const char *inner(const nl_doc *d, size_t i)
{
	assert_true(i < d->n_quotes);
	return str(d, d->quotes[i].inner_off, d->quotes[i].inner_len);
}

/* ---- tokens ---------------------------------------------------------------- */

static void test_empty_input(void **state)
{
	nl_doc *d = NULL;
	(void)state;
	assert_int_equal(nl_doc_build("e", "", 0, TXT, &d), 0);
	assert_int_equal(d->n_tokens, 0);
	assert_int_equal(d->n_paragraphs, 0);
	assert_int_equal(d->n_sentences, 0);
	assert_int_equal(d->n_words, 0);
	nl_doc_free(d);
	assert_int_equal(nl_doc_build("e", "", 0, MD, &d), 0);
	assert_int_equal(d->n_tokens, 0);
	nl_doc_free(d);
	d = build("  \n\n\t\n", TXT);
	assert_int_equal(d->n_tokens, 0);
	assert_int_equal(d->n_paragraphs, 0);
	nl_doc_free(d);
}

static void test_words_and_word_count(void **state)
{
	nl_doc *d = build("The mayor spoke, and the crowd cheered.", TXT);
	(void)state;
	assert_int_equal(d->n_tokens, 9);
	assert_int_equal(d->n_words, 7);
	assert_string_equal(tok(d, 2), "spoke");
	assert_int_equal(d->tokens[2].kind, NL_TOK_WORD);
	assert_string_equal(tok(d, 3), ",");
	assert_int_equal(d->tokens[3].kind, NL_TOK_PUNCT);
	assert_int_equal(d->tokens[8].kind, NL_TOK_PUNCT);
	nl_doc_free(d);
}

static void test_apostrophes_inside_words(void **state)
{
	nl_doc *d = build("Norway\xE2\x80\x99s fjords don't freeze; the farmers\xE2\x80\x99 co-op can\xE2\x80\x99t wait.", TXT);
	(void)state;
	assert_int_equal(T(d, "Norway\xE2\x80\x99s")->kind, NL_TOK_WORD);
	assert_true(T(d, "Norway\xE2\x80\x99s")->flags & NL_TF_APOSTROPHE);
	assert_true(T(d, "Norway\xE2\x80\x99s")->flags & NL_TF_NONASCII);
	assert_true(T(d, "don't")->flags & NL_TF_APOSTROPHE);
	assert_true(T(d, "can\xE2\x80\x99t")->flags & NL_TF_APOSTROPHE);
	/* a final apostrophe is not part of the word */
	assert_int_equal(T(d, "farmers")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "\xE2\x80\x99")->kind, NL_TOK_PUNCT);
	nl_doc_free(d);
}

static void test_hyphenated_words(void **state)
{
	nl_doc *d = build("A well-known, long-term plan -- or not - for F-16 jets.", TXT);
	(void)state;
	assert_true(T(d, "well-known")->flags & NL_TF_HYPHENATED);
	assert_true(T(d, "long-term")->flags & NL_TF_HYPHENATED);
	assert_true(T(d, "F-16")->flags & NL_TF_HYPHENATED);
	assert_true(T(d, "F-16")->flags & NL_TF_HAS_DIGIT);
	assert_int_equal(T(d, "F-16")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "--")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "-")->kind, NL_TOK_PUNCT);
	nl_doc_free(d);
}

static void test_dotted_abbreviations(void **state)
{
	nl_doc *d = build("The U.S. team met at 9 a.m. with a Ph.D. student, e.g. Ana, on U.S.-led talks.", TXT);
	(void)state;
	assert_int_equal(T(d, "U.S.")->kind, NL_TOK_WORD);
	assert_true(T(d, "U.S.")->flags & NL_TF_ALLCAPS);
	assert_int_equal(T(d, "a.m.")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "Ph.D.")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "e.g.")->kind, NL_TOK_WORD);
	assert_true(T(d, "U.S.-led")->flags & NL_TF_HYPHENATED);
	/* a title keeps its period as a separate token */
	nl_doc_free(d);
	d = build("Mr. Lee", TXT);
	assert_string_equal(tok(d, 0), "Mr");
	assert_string_equal(tok(d, 1), ".");
	nl_doc_free(d);
}

static void test_urls(void **state)
{
	nl_doc *d = build("See https://example.org/a/b?x=1. Or www.example.com, or (http://ex.net/p_(q)) and news.example.com/today!", TXT);
	(void)state;
	assert_int_equal(T(d, "https://example.org/a/b?x=1")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "www.example.com")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "http://ex.net/p_(q)")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "news.example.com/today")->kind, NL_TOK_URL);
	assert_int_equal(find(d, "example"), -1);
	nl_doc_free(d);
	/* a missing space after a period is not a domain */
	d = build("It ended.Then it began.", TXT);
	assert_int_equal(T(d, "ended")->kind, NL_TOK_WORD);
	nl_doc_free(d);
}

static void test_emails(void **state)
{
	nl_doc *d = build("Write to first.last+news@mail.example.co.uk or desk@paper.org.", TXT);
	(void)state;
	assert_int_equal(T(d, "first.last+news@mail.example.co.uk")->kind, NL_TOK_EMAIL);
	assert_int_equal(T(d, "desk@paper.org")->kind, NL_TOK_EMAIL);
	assert_int_equal(d->n_words, 3);
	nl_doc_free(d);
}

static void test_handles_and_hashtags(void **state)
{
	nl_doc *d = build("Ask @city_desk about #ElectionDay and #2024vote, not #2.", TXT);
	(void)state;
	assert_int_equal(T(d, "@city_desk")->kind, NL_TOK_HANDLE);
	assert_int_equal(T(d, "#ElectionDay")->kind, NL_TOK_HASHTAG);
	assert_int_equal(T(d, "#2024vote")->kind, NL_TOK_HASHTAG);
	assert_int_equal(T(d, "#")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "2")->kind, NL_TOK_NUMBER);
	nl_doc_free(d);
}

static void test_numbers(void **state)
{
	nl_doc *d = build("Costs: 42, 3.5, 1,000, 10%, 2nd, $5, \xE2\x82\xAC" "20, 9/11, 1990s, 10-year-old, 10:30.", TXT);
	const char *nums[] = { "42", "3.5", "1,000", "10%", "2nd", "$5", "\xE2\x82\xAC" "20", "9/11",
	                       "1990s", "10-year-old", "10:30" };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		assert_int_equal(T(d, nums[i])->kind, NL_TOK_NUMBER);
		assert_true(T(d, nums[i])->flags & NL_TF_HAS_DIGIT);
	}
	assert_int_equal(d->n_words, 1);
	nl_doc_free(d);
}

static void test_ellipsis_and_dashes(void **state)
{
	nl_doc *d = build("Wait... then \xE2\x80\xA6 and . . . then\xE2\x80\x94" "after \xE2\x80\x94\xE2\x80\x94 and 5\xE2\x80\x93" "6 or -- this.", TXT);
	(void)state;
	assert_int_equal(T(d, "...")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "\xE2\x80\xA6")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, ". . .")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "\xE2\x80\x94")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "\xE2\x80\x94\xE2\x80\x94")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "\xE2\x80\x93")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "--")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "then")->kind, NL_TOK_WORD);
	nl_doc_free(d);
}

static void test_case_flags(void **state)
{
	nl_doc *d = build("NATO and the UN asked I, Ann and \xC3\x89mile about iPhone \xD0\x9C\xD0\x98\xD0\xA0 sales.", TXT);
	(void)state;
	assert_true(T(d, "NATO")->flags & NL_TF_ALLCAPS);
	assert_true(T(d, "NATO")->flags & NL_TF_CAPITALIZED);
	assert_true(T(d, "UN")->flags & NL_TF_ALLCAPS);
	assert_false(T(d, "I")->flags & NL_TF_ALLCAPS);
	assert_true(T(d, "I")->flags & NL_TF_CAPITALIZED);
	assert_false(T(d, "Ann")->flags & NL_TF_ALLCAPS);
	assert_true(T(d, "\xC3\x89mile")->flags & NL_TF_CAPITALIZED);
	assert_false(T(d, "iPhone")->flags & NL_TF_CAPITALIZED);
	assert_true(T(d, "\xD0\x9C\xD0\x98\xD0\xA0")->flags & NL_TF_ALLCAPS);
	assert_false(T(d, "sales")->flags & (NL_TF_CAPITALIZED | NL_TF_ALLCAPS));
	nl_doc_free(d);
}

static void test_digit_and_nonascii_flags(void **state)
{
	nl_doc *d = build("COVID-19 hit the caf\xC3\xA9 and G7 talks.", TXT);
	(void)state;
	assert_int_equal(T(d, "COVID-19")->kind, NL_TOK_WORD);
	assert_true(T(d, "COVID-19")->flags & NL_TF_HAS_DIGIT);
	assert_true(T(d, "G7")->flags & NL_TF_HAS_DIGIT);
	assert_true(T(d, "caf\xC3\xA9")->flags & NL_TF_NONASCII);
	assert_false(T(d, "hit")->flags & (NL_TF_NONASCII | NL_TF_HAS_DIGIT));
	nl_doc_free(d);
}

static void test_line_start_flag(void **state)
{
	nl_doc *d = build("First line here\nsecond line\n\n  Third one", TXT);
	(void)state;
	assert_true(T(d, "First")->flags & NL_TF_LINE_START);
	assert_false(T(d, "line")->flags & NL_TF_LINE_START);
	assert_true(T(d, "second")->flags & NL_TF_LINE_START);
	assert_true(T(d, "Third")->flags & NL_TF_LINE_START);
	nl_doc_free(d);
}

static void test_symbols_and_emoji(void **state)
{
	nl_doc *d = build("Prices rose \xF0\x9F\x93\x88 by 5 + 3 \xC2\xA9 today.", TXT);
	(void)state;
	assert_int_equal(T(d, "\xF0\x9F\x93\x88")->kind, NL_TOK_SYMBOL);
	assert_int_equal(T(d, "+")->kind, NL_TOK_SYMBOL);
	assert_int_equal(T(d, "\xC2\xA9")->kind, NL_TOK_SYMBOL);
	assert_int_equal(d->n_words, 4);
	nl_doc_free(d);
}

/* ---- sentences ----------------------------------------------------------------- */

static void test_sentences_basic(void **state)
{
	nl_doc *d = build("The vote passed. Critics objected! Why now? Nobody knows.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 4);
	assert_string_equal(sent(d, 0), "The vote passed.");
	assert_string_equal(sent(d, 1), "Critics objected!");
	assert_string_equal(sent(d, 2), "Why now?");
	assert_string_equal(sent(d, 3), "Nobody knows.");
	assert_int_equal(d->sentences[1].first_token, 4);
	assert_int_equal(d->sentences[1].n_tokens, 3);
	nl_doc_free(d);
}

static void test_sentence_titles_abbreviations(void **state)
{
	nl_doc *d = build("Mr. Lee met Dr. Park and Sen. Ruiz on Jan. 5 at St. Mark's. Then they left.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 2);
	assert_string_equal(sent(d, 1), "Then they left.");
	nl_doc_free(d);
}

static void test_sentence_us_abbreviation(void **state)
{
	nl_doc *d = build("The U.S. Senate voted at 10 a.m. Tuesday. It moved to the U.S. The House did not.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 3);
	assert_string_equal(sent(d, 0), "The U.S. Senate voted at 10 a.m. Tuesday.");
	assert_string_equal(sent(d, 1), "It moved to the U.S.");
	nl_doc_free(d);
}

static void test_sentence_initials(void **state)
{
	nl_doc *d = build("John F. Kennedy and H. G. Wells were named. Others were not.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 2);
	assert_string_equal(sent(d, 0), "John F. Kennedy and H. G. Wells were named.");
	nl_doc_free(d);
}

static void test_sentence_decimals(void **state)
{
	nl_doc *d = build("Growth was 3.5 percent in 2015. Prices rose 1.2 points.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 2);
	assert_string_equal(sent(d, 0), "Growth was 3.5 percent in 2015.");
	nl_doc_free(d);
}

static void test_sentence_ellipsis(void **state)
{
	nl_doc *d = build("He paused \xE2\x80\xA6 and then spoke... slowly. I waited... Nothing came.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 3);
	assert_string_equal(sent(d, 0), "He paused \xE2\x80\xA6 and then spoke... slowly.");
	assert_string_equal(sent(d, 1), "I waited...");
	nl_doc_free(d);
}

static void test_sentence_closing_quote_after_period(void **state)
{
	nl_doc *d = build("She said, \xE2\x80\x9CIt is done.\xE2\x80\x9D He nodded. \"We won!\" they shouted. (It rained.) Then it stopped.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 5);
	assert_string_equal(sent(d, 0), "She said, \xE2\x80\x9CIt is done.\xE2\x80\x9D");
	assert_string_equal(sent(d, 1), "He nodded.");
	assert_string_equal(sent(d, 2), "\"We won!\" they shouted.");
	assert_string_equal(sent(d, 3), "(It rained.)");
	nl_doc_free(d);
}

static void test_sentence_lowercase_after_mark(void **state)
{
	nl_doc *d = build("\xE2\x80\x9CWhy?\xE2\x80\x9D she asked. \xE2\x80\x9CStop!\xE2\x80\x9D he said.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 2);
	nl_doc_free(d);
}

static void test_sentence_never_crosses_paragraph(void **state)
{
	nl_doc *d = build("First paragraph has no end\n\nsecond paragraph continues it.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	assert_int_equal(d->n_sentences, 2);
	assert_int_equal(d->sentences[0].paragraph, 0);
	assert_int_equal(d->sentences[1].paragraph, 1);
	assert_int_equal(d->paragraphs[1].first_sentence, 1);
	assert_int_equal(d->paragraphs[1].n_sentences, 1);
	nl_doc_free(d);
}

static void test_sentence_start_flag(void **state)
{
	nl_doc *d = build("Rain fell. \xE2\x80\x9CWe stayed,\xE2\x80\x9D she said. 2015 was dry.", TXT);
	(void)state;
	assert_int_equal(d->n_sentences, 3);
	assert_true(T(d, "Rain")->flags & NL_TF_SENT_START);
	assert_true(T(d, "We")->flags & NL_TF_SENT_START);
	assert_false(T(d, "she")->flags & NL_TF_SENT_START);
	assert_true(T(d, "2015")->flags & NL_TF_SENT_START);
	nl_doc_free(d);
	/* a quoted sentence inside a sentence: its first word is a start too */
	d = build("The mayor said, \xE2\x80\x9CParks come first,\xE2\x80\x9D and called it \xE2\x80\x9C" "a plan.\xE2\x80\x9D", TXT);
	assert_int_equal(d->n_sentences, 1);
	assert_true(T(d, "Parks")->flags & NL_TF_SENT_START);
	assert_false(T(d, "a")->flags & NL_TF_SENT_START);
	nl_doc_free(d);
}

static void test_every_token_in_exactly_one_sentence(void **state)
{
	const char *text =
		"Headline Without A Dot\n\n"
		"1. First item. Mr. X said \xE2\x80\x9Cno\xE2\x80\xA6\xE2\x80\x9D and left!? Then U.S. officials\n"
		"wrote e-mails to a@b.org at 5 p.m. E.g. this one.\n\n"
		"\xE2\x80\x9C" "An open quote\n\n\xE2\x80\x9C continues here.\xE2\x80\x9D ...\n";
	nl_doc *d = build(text, TXT);
	size_t s, i, next = 0, words = 0;
	(void)state;
	for (s = 0; s < d->n_sentences; s++) {
		const nl_sentence *se = &d->sentences[s];
		const nl_paragraph *p = &d->paragraphs[se->paragraph];
		assert_int_equal(se->first_token, next);
		assert_true(se->n_tokens > 0);
		next += se->n_tokens;
		assert_true(se->first_token >= p->first_token);
		assert_true(se->first_token + se->n_tokens <= p->first_token + p->n_tokens);
		for (i = se->first_token; i < se->first_token + se->n_tokens; i++)
			if (d->tokens[i].kind == NL_TOK_WORD)
				words++;
	}
	assert_int_equal(next, d->n_tokens);
	assert_int_equal(words, d->n_words);
	nl_doc_free(d);
}

/* ---- paragraphs and headings (plain text) ------------------------------------------ */

static void test_paragraphs_hard_wrapped(void **state)
{
	nl_doc *d = build("The council met on Monday and\ndiscussed the budget at length.\n\n"
	                  "A second paragraph begins\nhere and ends here.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	assert_string_equal(para(d, 0), "The council met on Monday and\ndiscussed the budget at length.");
	assert_int_equal(d->n_sentences, 2);
	assert_int_equal(d->paragraphs[1].first_token, 12);
	nl_doc_free(d);
}

static void test_paragraphs_one_per_line(void **state)
{
	nl_doc *d = build("Storm Hits Coast\nThe storm reached the coast on Monday night.\n"
	                  "Officials said roads were closed.\nSchools will reopen on Friday.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_string_equal(para(d, 2), "Officials said roads were closed.");
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	nl_doc_free(d);
}

static void test_paragraphs_blank_lines_one_line_each(void **state)
{
	nl_doc *a = build("Storm Hits Coast\nThe storm came at night.\nRoads closed early.\n", TXT);
	nl_doc *b = build("Storm Hits Coast\n\nThe storm came at night.\n\nRoads closed early.\n", TXT);
	size_t i;
	(void)state;
	assert_int_equal(a->n_paragraphs, b->n_paragraphs);
	for (i = 0; i < a->n_paragraphs; i++) {
		assert_int_equal(a->paragraphs[i].flags, b->paragraphs[i].flags);
		assert_int_equal(a->paragraphs[i].n_tokens, b->paragraphs[i].n_tokens);
	}
	nl_doc_free(a);
	nl_doc_free(b);
}

static void test_paragraphs_long_lines_in_block(void **state)
{
	/* blank-line document, but one block holds unwrapped long lines */
	char text[2048];
	snprintf(text, sizeof text, "Title Line\n\n%s\n%s\n\nLast one.\n",
	         "This line is far too long to come from hard wrapping, it goes on and on about the council, the budget, the roads and the schools of the town.",
	         "A second long line follows directly without a blank line, and it is its own paragraph as the CMS exported it, with no wrapping at all.");
	nl_doc *d = build(text, TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	nl_doc_free(d);
}

static void test_paragraphs_one_per_line_soft_wraps(void **state)
{
	/* no blank lines, but a line ending in "the", a comma, or followed by
	   a lower-case line is wrapped, not a paragraph end */
	nl_doc *d = build("The council voted to approve the\nThe budget after a long debate.\n"
	                  "Members argued about roads,\nschools and parks.\nThe mayor said it was fair\n"
	                  "and overdue.\nA final vote comes in May.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_string_equal(para(d, 0), "The council voted to approve the\nThe budget after a long debate.");
	assert_string_equal(para(d, 2), "The mayor said it was fair\nand overdue.");
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

static void test_paragraphs_wrapped_without_blank_lines(void **state)
{
	nl_doc *d = build("The council met on Monday and\ndiscussed the budget at length\nbefore the vote was taken.\n"
	                  "  A second paragraph begins\nhere and it goes on for\na while longer.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	assert_int_equal(d->n_sentences, 2);
	assert_string_equal(para(d, 1), "A second paragraph begins\nhere and it goes on for\na while longer.");
	nl_doc_free(d);
}

static void test_two_apostrophes_quote(void **state)
{
	/* ''...'' is a double quotation in some house styles */
	nl_doc *d = build("He said ''It was very very good,'' she said. Rock 'n' roll isn't.\n", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 1);
	assert_int_equal(d->quotes[0].n_words, 5);
	assert_string_equal(str(d, d->quotes[0].inner_off, d->quotes[0].inner_len), "It was very very good,");
	nl_doc_free(d);
}

static void test_very_long_word_is_split(void **state)
{
	/* nl_token.len has 16 bits: a 70,000-letter run becomes two tokens
	   that together cover it exactly */
	size_t n = 70000;
	char *t = malloc(n + 32);
	(void)state;
	memcpy(t, "Start ", 6);
	memset(t + 6, 'a', n);
	strcpy(t + 6 + n, " end.\n");
	nl_doc *d = build(t, TXT);
	assert_int_equal(d->n_tokens, 5);
	assert_int_equal(d->tokens[1].off, 6);
	assert_int_equal(d->tokens[1].len, 0xFFFF);
	assert_int_equal(d->tokens[2].off, 6 + 0xFFFF);
	assert_int_equal(d->tokens[1].len + d->tokens[2].len, n);
	assert_int_equal(sizeof(nl_token), 8);
	nl_doc_free(d);
	free(t);
}

static void test_plain_comment_lines_are_not_prose(void **state)
{
	/* a directive line is markup: not the title, not glued to a paragraph */
	nl_doc *d = build("<!-- newslint-disable-next-line -->\nCouncil passes budget\n\n"
	                  "<!-- newslint-disable repetition -->\nThe council voted on Monday.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_string_equal(para(d, 0), "Council passes budget");
	assert_string_equal(para(d, 1), "The council voted on Monday.");
	for (size_t i = 0; i < d->n_tokens; i++)
		assert_false(d->text[d->tokens[i].off] == '<');
	nl_doc_free(d);
	/* a comment followed by prose on the same line stays prose */
	d = build("Title here\n\n<!-- note --> The vote was close.\n", TXT);
	assert_int_equal(d->n_paragraphs, 2);
	nl_doc_free(d);
}

static void test_plain_title_single_sentence(void **state)
{
	nl_doc *d = build("We came. We saw.\n\nWe won. They lost.\n", TXT);
	(void)state;
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	nl_doc_free(d);
	d = build("Mr. Smith Goes to Town.\n\nHe went by train.\n", TXT);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	nl_doc_free(d);
}

static void test_plain_headline_and_deck(void **state)
{
	/* archives export "Headline;\nDeck sentence." as one block */
	nl_doc *d = build("Council passes budget;\nVote ends a long fight over roads.\n\nThe council voted on Monday.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 3);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_string_equal(para(d, 0), "Council passes budget;");
	assert_false(d->paragraphs[1].flags & NL_PF_HEADING);
	nl_doc_free(d);
	/* the deck is never a subheading, even without final punctuation */
	d = build("Council passes budget;\nA long fight over roads ends\n\nThe council voted on Monday.\n", TXT);
	assert_int_equal(d->n_paragraphs, 3);
	assert_false(d->paragraphs[1].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

static void test_plain_bullet_line_opens_sentence(void **state)
{
	nl_doc *d = build("Items: the roads are fixed.\n~ The parks open in May.\n~ Fares fall.\n\nDone here.\n", TXT);
	(void)state;
	assert_int_equal(d->paragraphs[0].n_sentences, 3);
	nl_doc_free(d);
}

static void test_plain_marked_headings_and_separators(void **state)
{
	nl_doc *d = build("# Budget Day\n\nThe vote is at noon.\n\n* * *\n\n## What next\n\nMore talks.\n\n=====\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_true(d->paragraphs[2].flags & NL_PF_HEADING);
	assert_int_equal(d->paragraphs[2].level, 2);
	assert_int_equal(find(d, "*"), -1);
	assert_int_equal(find(d, "====="), -1);
	assert_int_equal(T(d, "##")->kind, NL_TOK_PUNCT);
	nl_doc_free(d);
	d = build("Wow!!! Really?\n", TXT);
	assert_int_equal(T(d, "!!!")->kind, NL_TOK_PUNCT);
	assert_int_equal(d->n_sentences, 2);
	nl_doc_free(d);
}

static void test_plain_heading_runs(void **state)
{
	/* two short lines in a row may be a deck and a heading; three are a list */
	nl_doc *d = build("Budget Day\n\nThe Money Section\n\nWhere It Goes\n\nThe council spends most on roads.\n\n"
	                  "Anna Berg, 52\n\nTom Lund, 61\n\nEva Holm, 47\n\nAll three were named on Monday.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 8);
	assert_true(d->paragraphs[1].flags & NL_PF_HEADING);
	assert_true(d->paragraphs[2].flags & NL_PF_HEADING);
	assert_false(d->paragraphs[4].flags & NL_PF_HEADING);
	assert_false(d->paragraphs[5].flags & NL_PF_HEADING);
	assert_false(d->paragraphs[6].flags & NL_PF_HEADING);
	assert_false(T(d, "Tom")->flags & NL_TF_IN_HEADING);
	nl_doc_free(d);
}

static void test_plain_long_title_case_headline(void **state)
{
	nl_doc *d = build("Mayor Wins Second Term After Long Night of Counting, Promises Parks, Buses, Housing and "
	                  "Cheaper Fares to Voters Who Stood in Line for Hours in the Rain on Tuesday\n\nThe mayor won.\n", TXT);
	(void)state;
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	nl_doc_free(d);
}

static void test_plain_title(void **state)
{
	nl_doc *d = build("City Council Approves New Budget\n\nThe council approved the budget on Monday.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	assert_int_equal(d->paragraphs[0].flags, NL_PF_TITLE | NL_PF_HEADING);
	assert_int_equal(d->paragraphs[0].level, 1);
	assert_true(T(d, "Budget")->flags & NL_TF_IN_HEADING);
	assert_false(T(d, "budget")->flags & NL_TF_IN_HEADING);
	assert_int_equal(d->paragraphs[1].flags, 0);
	assert_int_equal(d->paragraphs[1].level, 0);
	nl_doc_free(d);
}

static void test_plain_title_with_punctuation(void **state)
{
	nl_doc *d = build("Will the bridge open on time?\n\nEngineers are not sure.\n", TXT);
	(void)state;
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	nl_doc_free(d);
	d = build("Mayor wins second term, promises new parks.\n\nThe mayor won by a wide margin on Tuesday night.\n", TXT);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_false(d->paragraphs[1].flags & NL_PF_HEADING);
	nl_doc_free(d);
	/* a long first paragraph is not a title */
	d = build("The mayor won a second term on Tuesday night after a campaign that focused on parks, "
	          "housing, public transport and the cost of living in the city and its suburbs.\n\nMore text.\n", TXT);
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

static void test_plain_subheading(void **state)
{
	nl_doc *d = build("Budget Vote Today\n\nThe council meets at noon.\n\nWhat Comes Next\n\n"
	                  "A final vote is due in May.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_int_equal(d->paragraphs[2].flags, NL_PF_HEADING);
	assert_int_equal(d->paragraphs[2].level, 2);
	assert_false(d->paragraphs[1].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

static void test_plain_not_headings(void **state)
{
	nl_doc *d = build("Budget Vote Today\n\nThe council meets at noon.\n\n"
	                  "It said this:\n\n\xE2\x80\x9CWe will vote soon\xE2\x80\x9D\n\n"
	                  "(Reporting by Ann Lee.)\n\nlowercase short line\n\nA final vote is due in May.\n\nThe End\n", TXT);
	size_t i;
	(void)state;
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	for (i = 1; i < d->n_paragraphs; i++)
		assert_false(d->paragraphs[i].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

static void test_plain_list_items(void **state)
{
	nl_doc *d = build("The plan has three parts:\n- new roads\n- more buses\n* cheaper fares\n\nThat is all.\n", TXT);
	(void)state;
	assert_int_equal(d->n_paragraphs, 5);
	assert_false(d->paragraphs[0].flags & NL_PF_LIST_ITEM);
	assert_true(d->paragraphs[1].flags & NL_PF_LIST_ITEM);
	assert_true(d->paragraphs[3].flags & NL_PF_LIST_ITEM);
	assert_false(d->paragraphs[1].flags & NL_PF_HEADING);
	nl_doc_free(d);
}

/* ---- Markdown ------------------------------------------------------------------------- */

static void test_md_atx_headings_and_title(void **state)
{
	nl_doc *d = build("# Budget Passes\n\nThe council voted.\n\n## What Next ##\n\nMore votes.\n", MD);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_int_equal(d->paragraphs[0].flags, NL_PF_HEADING | NL_PF_TITLE);
	assert_int_equal(d->paragraphs[0].level, 1);
	assert_string_equal(para(d, 0), "Budget Passes");
	assert_int_equal(d->paragraphs[2].flags, NL_PF_HEADING);
	assert_int_equal(d->paragraphs[2].level, 2);
	assert_string_equal(para(d, 2), "What Next");
	assert_int_equal(find(d, "#"), -1);
	nl_doc_free(d);
}

static void test_md_setext_headings(void **state)
{
	nl_doc *d = build("Budget Passes\n=============\n\nThe council voted.\n\nNext Steps\n----------\n\nMore.\n", MD);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_int_equal(d->paragraphs[0].level, 1);
	assert_int_equal(d->paragraphs[2].level, 2);
	assert_int_equal(find(d, "="), -1);
	assert_int_equal(find(d, "-"), -1);
	nl_doc_free(d);
}

static void test_md_code_span_skipped(void **state)
{
	nl_doc *d = build("Run `make check` before you commit.\n", MD);
	(void)state;
	assert_int_equal(find(d, "make"), -1);
	assert_int_equal(find(d, "check"), -1);
	assert_int_equal(d->n_words, 4);
	nl_doc_free(d);
}

static void test_md_code_blocks_skipped(void **state)
{
	nl_doc *d = build("Before the code.\n\n```\nint teh = 1;\n```\n\n    indented codde here\n\nAfter it.\n", MD);
	(void)state;
	assert_int_equal(find(d, "teh"), -1);
	assert_int_equal(find(d, "codde"), -1);
	assert_int_equal(d->n_paragraphs, 2);
	assert_int_equal(d->n_words, 5);
	nl_doc_free(d);
}

static void test_md_link_url_not_prose(void **state)
{
	nl_doc *d = build("Read [the full report](https://example.org/rpt) and ![a chart](c.png) today.\n", MD);
	(void)state;
	assert_int_equal(find(d, "https://example.org/rpt"), -1);
	assert_int_equal(find(d, "example"), -1);
	assert_int_equal(find(d, "chart"), -1);
	assert_true(T(d, "report")->flags & NL_TF_IN_LINK);
	assert_true(T(d, "full")->flags & NL_TF_IN_LINK);
	assert_false(T(d, "today")->flags & NL_TF_IN_LINK);
	assert_int_equal(d->n_words, 6);
	nl_doc_free(d);
}

static void test_md_emphasis_markers_not_words(void **state)
{
	nl_doc *d = build("This is **very** _important_ news.\n", MD);
	(void)state;
	assert_int_equal(d->n_tokens, 6);
	assert_int_equal(find(d, "*"), -1);
	assert_int_equal(find(d, "_"), -1);
	assert_string_equal(tok(d, 2), "very");
	assert_string_equal(tok(d, 3), "important");
	nl_doc_free(d);
}

static void test_md_html_skipped(void **state)
{
	nl_doc *d = build("<!-- draft note: fix teh lede -->\n\nThe lede <span>is</span> fine.\n\n<div>\nhidden block\n</div>\n", MD);
	(void)state;
	assert_int_equal(find(d, "teh"), -1);
	assert_int_equal(find(d, "span"), -1);
	assert_int_equal(find(d, "hidden"), -1);
	assert_int_equal(d->n_words, 4);
	nl_doc_free(d);
}

static void test_md_front_matter_skipped(void **state)
{
	nl_doc *d = build("---\ntitle: Draft\ntags: [a, b]\n---\n# Real Title\n\nBody text.\n", MD);
	(void)state;
	assert_int_equal(find(d, "Draft"), -1);
	assert_int_equal(d->n_paragraphs, 2);
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_string_equal(para(d, 0), "Real Title");
	nl_doc_free(d);
}

static void test_md_lists_and_blockquotes(void **state)
{
	nl_doc *d = build("Intro line here.\n\n- first item\n- second item\n\n> A quoted paragraph.\n", MD);
	(void)state;
	assert_int_equal(d->n_paragraphs, 4);
	assert_true(d->paragraphs[1].flags & NL_PF_LIST_ITEM);
	assert_true(d->paragraphs[2].flags & NL_PF_LIST_ITEM);
	assert_string_equal(para(d, 2), "second item");
	assert_true(d->paragraphs[3].flags & NL_PF_BLOCKQUOTE);
	assert_false(d->paragraphs[0].flags & (NL_PF_LIST_ITEM | NL_PF_BLOCKQUOTE));
	nl_doc_free(d);
}

static void test_md_entities_and_tables(void **state)
{
	nl_doc *d = build("Salt &amp; pepper &mdash; cheap.\n\n| Town | Votes |\n|---|---|\n| Ely | 40 |\n", MD);
	(void)state;
	assert_int_equal(T(d, "&amp;")->kind, NL_TOK_PUNCT);
	assert_int_equal(T(d, "&mdash;")->kind, NL_TOK_PUNCT);
	assert_int_equal(find(d, "amp"), -1);
	assert_int_equal(find(d, "|"), -1);
	assert_int_equal(T(d, "Ely")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "40")->kind, NL_TOK_NUMBER);
	nl_doc_free(d);
}

static void test_md_nested_and_loose_lists(void **state)
{
	nl_doc *d = build("- outer item\n  - inner item\n- last item\n\n1. loose one\n\n2. loose two\n", MD);
	size_t i;
	(void)state;
	assert_int_equal(d->n_paragraphs, 5);
	for (i = 0; i < d->n_paragraphs; i++)
		assert_true(d->paragraphs[i].flags & NL_PF_LIST_ITEM);
	assert_string_equal(para(d, 1), "inner item");
	assert_string_equal(para(d, 4), "loose two");
	nl_doc_free(d);
}

static void test_md_title_without_headings(void **state)
{
	/* a Markdown file without '#': an unpunctuated short first line is the title */
	nl_doc *d = build("Budget Passes After Long Night\n\nThe council voted at dawn.\n", MD);
	(void)state;
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	nl_doc_free(d);
	d = build("The council voted at dawn.\n\nIt was close.\n", MD);
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	nl_doc_free(d);
	/* ... but a real '# ' heading further down is the title */
	d = build("Draft Two For Review\n\n# Budget Passes\n\nThe council voted.\n", MD);
	assert_false(d->paragraphs[0].flags & (NL_PF_TITLE | NL_PF_HEADING));
	assert_false(T(d, "Draft")->flags & NL_TF_IN_HEADING);
	assert_true(d->paragraphs[1].flags & NL_PF_TITLE);
	nl_doc_free(d);
}

static void test_md_invariants(void **state)
{
	const char *text = "---\na: b\n---\n# T\n\n> \"Q *one*\n> two\n\n- [link **x**](u) `c`\n\n"
	                   "Para &amp; \xE2\x80\x9Cq\n\n<div>\nh\n</div>\n\n    code\n\nEnd.\n";
	nl_doc *d = build(text, MD);
	size_t i, s, next = 0;
	(void)state;
	for (i = 1; i < d->n_tokens; i++)
		assert_true(d->tokens[i].off >= d->tokens[i - 1].off + d->tokens[i - 1].len);
	for (s = 0; s < d->n_sentences; s++) {
		assert_int_equal(d->sentences[s].first_token, next);
		next += d->sentences[s].n_tokens;
	}
	assert_int_equal(next, d->n_tokens);
	for (i = 0; i < d->n_quotes; i++)
		assert_true(d->quotes[i].off + d->quotes[i].len <= d->text_len);
	assert_int_equal(find(d, "code"), -1);
	assert_int_equal(find(d, "h"), -1);
	nl_doc_free(d);
}

static void test_md_title_not_first_block(void **state)
{
	nl_doc *d = build("Some intro text that is a sentence.\n\n# The Headline\n\n## A Section\n\nBody.\n", MD);
	(void)state;
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	assert_true(d->paragraphs[1].flags & NL_PF_TITLE);
	assert_false(d->paragraphs[2].flags & NL_PF_TITLE);
	nl_doc_free(d);
}

/* ---- quotations ---------------------------------------------------------------------- */

static void test_quote_straight(void **state)
{
	nl_doc *d = build("He said \"we will build it\" and left. The word \"fine\" was used.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 2);
	assert_string_equal(quote(d, 0), "\"we will build it\"");
	assert_string_equal(inner(d, 0), "we will build it");
	assert_int_equal(d->quotes[0].n_words, 4);
	assert_int_equal(d->quotes[0].n_tokens, 4);
	assert_int_equal(d->quotes[0].flags, 0);
	assert_string_equal(tok(d, d->quotes[0].first_token), "we");
	assert_true(d->tokens[d->quotes[0].first_token - 1].flags & NL_TF_QUOTE_MARK);
	assert_string_equal(inner(d, 1), "fine");
	nl_doc_free(d);
}

static void test_quote_curly(void **state)
{
	nl_doc *d = build("\xE2\x80\x9CWe are ready,\xE2\x80\x9D the chief said.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 1);
	assert_int_equal(d->quotes[0].flags, NL_QF_CURLY);
	assert_string_equal(inner(d, 0), "We are ready,");
	assert_int_equal(d->quotes[0].n_words, 3);
	assert_int_equal(d->quotes[0].paragraph, 0);
	nl_doc_free(d);
}

static void test_quote_single_curly_vs_apostrophe(void **state)
{
	nl_doc *d = build("Kyiv\xE2\x80\x99s officials called it \xE2\x80\x98painful\xE2\x80\x99 and the workers\xE2\x80\x99 union agreed.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 1);
	assert_int_equal(d->quotes[0].flags, NL_QF_CURLY | NL_QF_SINGLE);
	assert_string_equal(inner(d, 0), "painful");
	assert_false(T(d, "union")->flags & NL_TF_IN_QUOTE);
	assert_true(T(d, "Kyiv\xE2\x80\x99s")->flags & NL_TF_APOSTROPHE);
	nl_doc_free(d);
}

static void test_quote_nested(void **state)
{
	nl_doc *d = build("\xE2\x80\x9CHe told me \xE2\x80\x98never again\xE2\x80\x99 twice,\xE2\x80\x9D she said. "
	                  "\"They call it 'the plan' now,\" he said.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 4);
	assert_false(d->quotes[0].flags & NL_QF_NESTED);
	assert_true(d->quotes[1].flags & NL_QF_NESTED);
	assert_string_equal(inner(d, 1), "never again");
	assert_int_equal(d->quotes[0].n_words, 6);
	assert_string_equal(inner(d, 3), "the plan");
	assert_true(d->quotes[3].flags & NL_QF_NESTED);
	assert_true(d->quotes[3].flags & NL_QF_SINGLE);
	nl_doc_free(d);
}

static void test_quote_multi_paragraph(void **state)
{
	nl_doc *d = build("The coach spoke after the game on Sunday evening, as he always does.\n\n"
	                  "\xE2\x80\x9CWe began in spring.\n\n"
	                  "\xE2\x80\x9C" "By summer we were done,\xE2\x80\x9D she said.\n", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 2);
	assert_true(d->quotes[0].flags & NL_QF_CONTINUES);
	assert_false(d->quotes[0].flags & NL_QF_UNCLOSED);
	assert_true(d->quotes[1].flags & NL_QF_CONTINUED);
	assert_false(d->quotes[1].flags & NL_QF_CONTINUES);
	assert_int_equal(d->quotes[0].paragraph, 1);
	assert_int_equal(d->quotes[1].paragraph, 2);
	assert_string_equal(inner(d, 0), "We began in spring.");
	assert_string_equal(inner(d, 1), "By summer we were done,");
	nl_doc_free(d);
	/* a first line that opens a quotation it never closes is no title */
	d = build("\xE2\x80\x9CWe began in spring.\n\n\xE2\x80\x9C" "By summer we were done,\xE2\x80\x9D she said.\n", TXT);
	assert_false(d->paragraphs[0].flags & NL_PF_HEADING);
	assert_true(d->quotes[0].flags & NL_QF_CONTINUES);
	nl_doc_free(d);
}

static void test_quote_unclosed(void **state)
{
	nl_doc *d = build("He said \xE2\x80\x9Cwe are ready and left.\n\nNext paragraph here.\n", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 1);
	assert_true(d->quotes[0].flags & NL_QF_UNCLOSED);
	assert_false(d->quotes[0].flags & NL_QF_CONTINUES);
	assert_string_equal(inner(d, 0), "we are ready and left.");
	assert_true(T(d, "left")->flags & NL_TF_IN_QUOTE);
	assert_false(T(d, "Next")->flags & NL_TF_IN_QUOTE);
	nl_doc_free(d);
	/* unclosed at the very end of the text */
	d = build("Last words: \"so long", TXT);
	assert_int_equal(d->n_quotes, 1);
	assert_true(d->quotes[0].flags & NL_QF_UNCLOSED);
	nl_doc_free(d);
}

static void test_quote_never_crosses_heading(void **state)
{
	nl_doc *d = build("# Title\n\n\xE2\x80\x9COpen here\n\n## \xE2\x80\x9CQuoted Heading\xE2\x80\x9D\n\nBody.\n", MD);
	(void)state;
	assert_int_equal(d->n_quotes, 2);
	assert_true(d->quotes[0].flags & NL_QF_UNCLOSED);
	assert_false(d->quotes[0].flags & NL_QF_CONTINUES);
	assert_false(d->quotes[1].flags & NL_QF_CONTINUED);
	nl_doc_free(d);
}

static void test_quote_mixed_marks(void **state)
{
	/* copy often opens curly and closes straight, or repeats the opener */
	nl_doc *d = build("They called it \xE2\x80\x9Chighly unusual\" and \xE2\x80\x9C" "absurd\xE2\x80\x9C in a note.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 2);
	assert_string_equal(inner(d, 0), "highly unusual");
	assert_string_equal(inner(d, 1), "absurd");
	assert_false(d->quotes[0].flags & NL_QF_UNCLOSED);
	assert_false(d->quotes[1].flags & NL_QF_UNCLOSED);
	assert_false(T(d, "note")->flags & NL_TF_IN_QUOTE);
	nl_doc_free(d);
}

static void test_quote_elisions_are_not_quotes(void **state)
{
	nl_doc *d = build("Back in the \xE2\x80\x98" "90s we sang rock \xE2\x80\x98n\xE2\x80\x99 roll and told \xE2\x80\x98" "em all.", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 0);
	nl_doc_free(d);
	d = build("The \'90s were loud, said the drivers\' union.", TXT);
	assert_int_equal(d->n_quotes, 0);
	nl_doc_free(d);
}

static void test_quote_marks_and_in_quote_flags(void **state)
{
	nl_doc *d = build("A \xE2\x80\x9C" "big\xE2\x80\x9D day.", TXT);
	(void)state;
	assert_true(T(d, "\xE2\x80\x9C")->flags & NL_TF_QUOTE_MARK);
	assert_true(T(d, "\xE2\x80\x9D")->flags & NL_TF_QUOTE_MARK);
	assert_false(T(d, "\xE2\x80\x9C")->flags & NL_TF_IN_QUOTE);
	assert_true(T(d, "big")->flags & NL_TF_IN_QUOTE);
	assert_false(T(d, "day")->flags & NL_TF_IN_QUOTE);
	assert_false(T(d, "A")->flags & NL_TF_IN_QUOTE);
	nl_doc_free(d);
}

static void test_quote_straight_unbalanced_reopens(void **state)
{
	/* the first quotation is never closed; the second opens cleanly */
	nl_doc *d = build("\"I am here, he said. \"We will stay.\"", TXT);
	(void)state;
	assert_int_equal(d->n_quotes, 2);
	assert_true(d->quotes[0].flags & NL_QF_UNCLOSED);
	assert_string_equal(inner(d, 1), "We will stay.");
	nl_doc_free(d);
}

/* ---- input shapes ---------------------------------------------------------------------- */

static void test_crlf(void **state)
{
	nl_doc *d = build("Title Here\r\n\r\nFirst line\r\ncontinues here.\r\n", TXT);
	size_t i;
	(void)state;
	assert_int_equal(d->n_paragraphs, 2);
	for (i = 0; i < d->n_tokens; i++)
		assert_null(memchr(d->text + d->tokens[i].off, '\r', d->tokens[i].len));
	assert_string_equal(para(d, 0), "Title Here");
	assert_true(d->paragraphs[0].flags & NL_PF_TITLE);
	assert_true(T(d, "continues")->flags & NL_TF_LINE_START);
	nl_doc_free(d);
}

static void test_bom(void **state)
{
	nl_doc *d = build("\xEF\xBB\xBFHello world.", TXT);
	(void)state;
	assert_int_equal(d->n_tokens, 3);
	assert_int_equal(d->tokens[0].off, 3);
	assert_string_equal(tok(d, 0), "Hello");
	assert_int_equal(d->paragraphs[0].off, 3);
	nl_doc_free(d);
	d = build("\xEF\xBB\xBF# Head\n\nText.\n", MD);
	assert_true(d->paragraphs[0].flags & NL_PF_HEADING);
	assert_true(d->tokens[0].off >= 3);
	nl_doc_free(d);
}

static void test_tabs_nul_and_no_final_newline(void **state)
{
	static const char text[] = "One\ttwo\0three four";
	nl_doc *d = NULL;
	(void)state;
	assert_int_equal(nl_doc_build("t", text, sizeof text - 1, TXT, &d), 0);
	assert_int_equal(d->n_words, 4);
	assert_int_equal(d->n_paragraphs, 1);
	assert_string_equal(tok(d, 3), "four");
	nl_doc_free(d);
}

static void test_very_long_line(void **state)
{
	size_t n = 2u << 20, i;
	char *text = malloc(n + 1);
	nl_doc *d = NULL;
	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i += 8)
		memcpy(text + i, "word is ", 8);
	text[n] = '\0';
	assert_int_equal(nl_doc_build("t", text, n, TXT, &d), 0);
	assert_int_equal(d->n_words, n / 4);
	assert_int_equal(d->n_paragraphs, 1);
	nl_doc_free(d);
	free(text);
}

static void test_too_large_rejected(void **state)
{
	nl_doc *d = (nl_doc *)1;
	(void)state;
	if (sizeof(size_t) > 4) {
		/* rejected before the buffer is read */
		assert_int_equal(nl_doc_build("t", "x", (size_t)UINT32_MAX + 10u, TXT, &d), NL_EINVAL);
		assert_null(d);
	}
}

/* ---- UTF-8 check ------------------------------------------------------------------- */

static void test_utf8_valid_and_bom(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(nl_utf8_check("plain caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D", 17, err, sizeof err), 0);
	assert_int_equal(nl_utf8_check("\xEF\xBB\xBFok", 5, err, sizeof err), 0);
	assert_int_equal(nl_utf8_check("", 0, err, sizeof err), 0);
}

static void test_utf8_invalid_position(void **state)
{
	char err[256];
	const char *text = "line one\nab\xE9" "cd\n";   /* Latin-1 e-acute */
	(void)state;
	assert_int_equal(nl_utf8_check(text, strlen(text), err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2, column 3"));
	assert_non_null(strstr(err, "byte offset 11"));
	assert_non_null(strstr(err, "iconv"));
	/* a truncated sequence at the end */
	assert_int_equal(nl_utf8_check("ok \xE2\x80", 5, err, sizeof err), -1);
	assert_non_null(strstr(err, "column 4"));
	/* an overlong encoding and a surrogate */
	assert_int_equal(nl_utf8_check("\xC0\xAF", 2, err, sizeof err), -1);
	assert_int_equal(nl_utf8_check("\xED\xA0\x80", 3, err, sizeof err), -1);
}

static void test_utf8_utf16_bom(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(nl_utf8_check("\xFF\xFEH\0i\0", 6, err, sizeof err), -1);
	assert_non_null(strstr(err, "UTF-16"));
	assert_non_null(strstr(err, "FF FE"));
	assert_non_null(strstr(err, "iconv -f UTF-16 -t UTF-8"));
	assert_int_equal(nl_utf8_check("\xFE\xFF\0H\0i", 6, err, sizeof err), -1);
	assert_non_null(strstr(err, "FE FF"));
}

static void test_utf8_utf16_without_bom(void **state)
{
	char err[256];
	static const char text[] = "H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0";
	(void)state;
	assert_int_equal(nl_utf8_check(text, sizeof text - 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "UTF-16"));
	assert_non_null(strstr(err, "iconv"));
	/* one stray NUL is not UTF-16, but it is not text either: refused, with
	   where it is */
	assert_int_equal(nl_utf8_check("a longer text\0 with one NUL", 27, err, sizeof err), -1);
	assert_null(strstr(err, "UTF-16"));
	assert_non_null(strstr(err, "NUL byte at line 1, column 14"));
}

/* A binary file (many NULs, not every other byte) is not taken for UTF-16. */
static void test_utf8_binary_not_utf16(void **state)
{
	char err[256];
	static const char bin[] = "\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\0\0\0\0\0\0\0\0";
	(void)state;
	assert_int_equal(nl_utf8_check(bin, sizeof bin - 1, err, sizeof err), -1);
	assert_null(strstr(err, "UTF-16"));
	assert_non_null(strstr(err, "is not text: NUL byte at line 1, column 8"));
}

/* The line and column of an error count CRLF, LF and a lone CR as line
 * ends, and a BOM as no column. */
static void test_utf8_error_position(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(nl_utf8_check("ab\r\ncd\ref\ngh\x80", 13, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 4, column 3 (byte offset 12)"));
	assert_int_equal(nl_utf8_check("\xEF\xBB\xBF" "\xC3\xA9t\xC3\xA9 \xC0\xAF", 11, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 1, column 5 (byte offset 9): byte 0xC0 starts an overlong"));
	/* a sequence cut off by the end of the file */
	assert_int_equal(nl_utf8_check("ok \xE2\x80", 5, err, sizeof err), -1);
	assert_non_null(strstr(err, "truncated"));
	/* an encoded surrogate */
	assert_int_equal(nl_utf8_check("\xED\xA0\x80", 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "surrogate"));
}

/* ---- Unicode helpers ------------------------------------------------------------------ */

static void test_utf8_utf32_bom(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(nl_utf8_check("\xFF\xFE\0\0H\0\0\0", 8, err, sizeof err), -1);
	assert_non_null(strstr(err, "UTF-32"));
}

static void test_utf8_next(void **state)
{
	uint32_t cp;
	(void)state;
	assert_int_equal(nl_utf8_next("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(nl_utf8_next("\xE2\x80\x99x", 4, &cp), 3);
	assert_int_equal(cp, 0x2019);
	assert_int_equal(nl_utf8_next("\xF0\x9F\x93\x88", 4, &cp), 4);
	assert_int_equal(cp, 0x1F4C8);
	assert_int_equal(nl_utf8_next("\xE9t", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(nl_utf8_next("\xE2\x80", 2, &cp), 1);   /* truncated */
	assert_int_equal(cp, 0xFFFD);
}

static void test_lower_and_upper(void **state)
{
	(void)state;
	assert_int_equal(nl_lower('Q'), 'q');
	assert_int_equal(nl_lower(0xC9), 0xE9);      /* É */
	assert_int_equal(nl_lower(0xD7), 0xD7);      /* × */
	assert_int_equal(nl_lower(0x0141), 0x0142);  /* Ł */
	assert_int_equal(nl_lower(0x0178), 0xFF);    /* Ÿ */
	assert_int_equal(nl_lower(0x0186), 0x0254);  /* Ɔ */
	assert_int_equal(nl_lower(0x03A3), 0x03C3);  /* Σ */
	assert_int_equal(nl_lower(0x0386), 0x03AC);  /* Ά */
	assert_int_equal(nl_lower(0x0416), 0x0436);  /* Ж */
	assert_int_equal(nl_lower(0x0407), 0x0457);  /* Ї */
	assert_int_equal(nl_lower(0x0490), 0x0491);  /* Ґ */
	assert_int_equal(nl_lower(0x1E9E), 0xDF);    /* ẞ */
	assert_true(nl_is_upper('Z'));
	assert_false(nl_is_upper('z'));
	assert_true(nl_is_upper(0x0416));
	assert_false(nl_is_upper(0x0436));
	assert_false(nl_is_upper(0x4E2D));           /* 中 */
}

static void test_is_alpha(void **state)
{
	const uint32_t yes[] = { 'a', 'Z', 0xE9, 0x0142, 0x01C6, 0x03B1, 0x0436, 0x05D0, 0x0627,
	                         0x0915, 0x0E01, 0x3042, 0x4E2D, 0xAC00, 0x1EA0 };
	const uint32_t no[] = { '1', '-', ' ', 0xD7, 0x2019, 0x2014, 0x20AC, 0x1F4C8, 0x3002 };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_true(nl_is_alpha(yes[i]));
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(nl_is_alpha(no[i]));
}

static void test_fold(void **state)
{
	char out[64];
	(void)state;
	assert_int_equal(nl_fold("Ukraine\xE2\x80\x99s", 11, out, sizeof out), 9);
	assert_string_equal(out, "ukraine's");
	assert_int_equal(nl_fold("\xC3\x89MILE \xD0\x96", 9, out, sizeof out), 9);
	assert_string_equal(out, "\xC3\xA9mile \xD0\xB6");
	/* truncation: the needed length is returned, whole code points written */
	assert_int_equal(nl_fold("ABCDEF", 6, out, 4), 6);
	assert_string_equal(out, "abc");
	assert_int_equal(nl_fold("\xC3\x89\xC3\x89", 4, out, 4), 4);
	assert_string_equal(out, "\xC3\xA9");
	/* a bad byte is kept */
	assert_int_equal(nl_fold("A\xFF", 2, out, sizeof out), 2);
	assert_int_equal((unsigned char)out[1], 0xFF);
	assert_int_equal(nl_fold("abc", 3, NULL, 0), 3);
}

/* ---- fast paths (issue 9): same model as the slow paths ----------------- */

/* Runs of lower-case letters are measured 16 bytes at a time: words longer
   than 16 letters, at the end of the text, and before each separator. */
static void test_long_words_and_separators(void **state)
{
	(void)state;
	nl_doc *d = build("Supercalifragilisticexpialidocious, abcdefghijklmnopqrstuvwxyz: "
	                  "antidisestablishmentarianism; floccinaucinihilipilification", TXT);
	assert_int_equal(d->n_tokens, 7);
	assert_string_equal(tok(d, 0), "Supercalifragilisticexpialidocious");
	assert_true(d->tokens[0].flags & NL_TF_CAPITALIZED);
	assert_string_equal(tok(d, 2), "abcdefghijklmnopqrstuvwxyz");
	assert_string_equal(tok(d, 3), ":");
	assert_string_equal(tok(d, 6), "floccinaucinihilipilification");
	assert_int_equal(d->tokens[6].off + d->tokens[6].len, d->text_len);
	assert_int_equal(d->n_words, 4);
	nl_doc_free(d);
	/* a colon glued to what follows is not a separator of the fast path */
	d = build("abcdefghijklmnopqrstuvwxyzabc:def and more", TXT);
	assert_string_equal(tok(d, 0), "abcdefghijklmnopqrstuvwxyzabc");
	assert_string_equal(tok(d, 1), ":");
	assert_string_equal(tok(d, 2), "def");
	nl_doc_free(d);
}

/* The URL prefixes are tested in any case; words that merely start so are
   words. */
static void test_url_prefixes_any_case(void **state)
{
	(void)state;
	nl_doc *d = build("See HTTP://Example.com/x and Www.example.org or FTP://host.net/f "
	                  "while httpd, wwwizard and ftpd stay words.", TXT);
	assert_int_equal(T(d, "HTTP://Example.com/x")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "Www.example.org")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "FTP://host.net/f")->kind, NL_TOK_URL);
	assert_int_equal(T(d, "httpd")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "wwwizard")->kind, NL_TOK_WORD);
	assert_int_equal(T(d, "ftpd")->kind, NL_TOK_WORD);
	nl_doc_free(d);
}

/* Sentence ends are found through a bitmap of 64 tokens a word: sentences
   that cross those words, and a paragraph of marks dropped before them. */
static void test_sentences_across_many_tokens(void **state)
{
	(void)state;
	char text[4096];
	size_t n = 0, i;
	n += (size_t)snprintf(text + n, sizeof text - n, "* * *\n\n");
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s", i ? " word" : "Word");
	n += (size_t)snprintf(text + n, sizeof text - n, ". Then");
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, " more");
	n += (size_t)snprintf(text + n, sizeof text - n, "! Last one.\n\nA second paragraph ends here.\n");
	nl_doc *d = build(text, TXT);
	assert_int_equal(d->n_paragraphs, 2);
	assert_int_equal(d->n_sentences, 4);
	assert_int_equal(d->sentences[0].n_tokens, 71);     /* 70 words and '.' */
	assert_int_equal(d->sentences[1].n_tokens, 62);     /* Then, 60 words, '!' */
	assert_int_equal(d->sentences[2].n_tokens, 3);
	assert_int_equal(d->sentences[3].paragraph, 1);
	assert_true(d->tokens[d->sentences[1].first_token].flags & NL_TF_SENT_START);
	nl_doc_free(d);
}

/* One paragraph a line: a line ending with a glue word ("the") goes on in
   the next line; one ending with a name does not. */
static void test_glue_word_line_breaks(void **state)
{
	(void)state;
	nl_doc *d = build("He walked down to the\nMarket Street at noon.\nShe stayed at home.\n", TXT);
	assert_int_equal(d->n_paragraphs, 2);
	nl_doc_free(d);
	d = build("He walked down to Rome\nMarket Street at noon.\nShe stayed at home.\n", TXT);
	assert_int_equal(d->n_paragraphs, 3);
	nl_doc_free(d);
}

/* The UTF-8 check reads 32 and 16 ASCII bytes at a time: a bad byte or a
   NUL right after such a block is still found at its place. */
static void test_utf8_error_after_ascii_blocks(void **state)
{
	(void)state;
	char err[256], text[128];
	memset(text, 'a', sizeof text);
	text[40] = (char)0xFF;
	assert_int_equal(nl_utf8_check(text, 100, err, sizeof err), -1);
	assert_non_null(strstr(err, "column 41 (byte offset 40)"));
	text[40] = 'a';
	text[77] = '\0';
	assert_int_equal(nl_utf8_check(text, 100, err, sizeof err), -1);
	assert_non_null(strstr(err, "NUL byte at line 1, column 78"));
	text[77] = 'a';
	memcpy(text + 50, "\xE2\x80\x9C", 3);
	assert_int_equal(nl_utf8_check(text, 100, err, sizeof err), 0);
}

/* nl_doc_build reads only len bytes: a Markdown text ending inside an
   unclosed HTML comment, with no final newline, in a buffer of exactly its
   size (md4c 0.4.8 reads past such an end; ASan and valgrind see it). */
static void test_markdown_reads_only_len_bytes(void **state)
{
	(void)state;
	static const char src[] = "0<!--5\n3";
	size_t n = sizeof src - 1;
	char *buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, src, n);
	nl_doc *d = NULL;
	assert_int_equal(nl_doc_build("c.md", buf, n, MD, &d), 0);
	assert_non_null(d);
	nl_doc_free(d);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_words_and_word_count),
		cmocka_unit_test(test_apostrophes_inside_words),
		cmocka_unit_test(test_hyphenated_words),
		cmocka_unit_test(test_dotted_abbreviations),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_handles_and_hashtags),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_ellipsis_and_dashes),
		cmocka_unit_test(test_case_flags),
		cmocka_unit_test(test_digit_and_nonascii_flags),
		cmocka_unit_test(test_line_start_flag),
		cmocka_unit_test(test_symbols_and_emoji),
		cmocka_unit_test(test_sentences_basic),
		cmocka_unit_test(test_sentence_titles_abbreviations),
		cmocka_unit_test(test_sentence_us_abbreviation),
		cmocka_unit_test(test_sentence_initials),
		cmocka_unit_test(test_sentence_decimals),
		cmocka_unit_test(test_sentence_ellipsis),
		cmocka_unit_test(test_sentence_closing_quote_after_period),
		cmocka_unit_test(test_sentence_lowercase_after_mark),
		cmocka_unit_test(test_sentence_never_crosses_paragraph),
		cmocka_unit_test(test_sentence_start_flag),
		cmocka_unit_test(test_every_token_in_exactly_one_sentence),
		cmocka_unit_test(test_paragraphs_hard_wrapped),
		cmocka_unit_test(test_paragraphs_one_per_line),
		cmocka_unit_test(test_paragraphs_blank_lines_one_line_each),
		cmocka_unit_test(test_paragraphs_long_lines_in_block),
		cmocka_unit_test(test_paragraphs_one_per_line_soft_wraps),
		cmocka_unit_test(test_paragraphs_wrapped_without_blank_lines),
		cmocka_unit_test(test_two_apostrophes_quote),
		cmocka_unit_test(test_very_long_word_is_split),
		cmocka_unit_test(test_plain_comment_lines_are_not_prose),
		cmocka_unit_test(test_plain_title_single_sentence),
		cmocka_unit_test(test_plain_headline_and_deck),
		cmocka_unit_test(test_plain_bullet_line_opens_sentence),
		cmocka_unit_test(test_plain_marked_headings_and_separators),
		cmocka_unit_test(test_plain_heading_runs),
		cmocka_unit_test(test_plain_long_title_case_headline),
		cmocka_unit_test(test_plain_title),
		cmocka_unit_test(test_plain_title_with_punctuation),
		cmocka_unit_test(test_plain_subheading),
		cmocka_unit_test(test_plain_not_headings),
		cmocka_unit_test(test_plain_list_items),
		cmocka_unit_test(test_md_atx_headings_and_title),
		cmocka_unit_test(test_md_setext_headings),
		cmocka_unit_test(test_md_code_span_skipped),
		cmocka_unit_test(test_md_code_blocks_skipped),
		cmocka_unit_test(test_md_link_url_not_prose),
		cmocka_unit_test(test_md_emphasis_markers_not_words),
		cmocka_unit_test(test_md_html_skipped),
		cmocka_unit_test(test_md_front_matter_skipped),
		cmocka_unit_test(test_md_lists_and_blockquotes),
		cmocka_unit_test(test_md_title_not_first_block),
		cmocka_unit_test(test_md_entities_and_tables),
		cmocka_unit_test(test_md_nested_and_loose_lists),
		cmocka_unit_test(test_md_title_without_headings),
		cmocka_unit_test(test_md_invariants),
		cmocka_unit_test(test_quote_straight),
		cmocka_unit_test(test_quote_curly),
		cmocka_unit_test(test_quote_single_curly_vs_apostrophe),
		cmocka_unit_test(test_quote_nested),
		cmocka_unit_test(test_quote_multi_paragraph),
		cmocka_unit_test(test_quote_unclosed),
		cmocka_unit_test(test_quote_never_crosses_heading),
		cmocka_unit_test(test_quote_mixed_marks),
		cmocka_unit_test(test_quote_elisions_are_not_quotes),
		cmocka_unit_test(test_quote_marks_and_in_quote_flags),
		cmocka_unit_test(test_quote_straight_unbalanced_reopens),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_tabs_nul_and_no_final_newline),
		cmocka_unit_test(test_very_long_line),
		cmocka_unit_test(test_too_large_rejected),
		cmocka_unit_test(test_utf8_valid_and_bom),
		cmocka_unit_test(test_utf8_invalid_position),
		cmocka_unit_test(test_utf8_utf16_bom),
		cmocka_unit_test(test_utf8_utf16_without_bom),
		cmocka_unit_test(test_utf8_binary_not_utf16),
		cmocka_unit_test(test_utf8_error_position),
		cmocka_unit_test(test_utf8_utf32_bom),
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_lower_and_upper),
		cmocka_unit_test(test_is_alpha),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_long_words_and_separators),
		cmocka_unit_test(test_url_prefixes_any_case),
		cmocka_unit_test(test_sentences_across_many_tokens),
		cmocka_unit_test(test_glue_word_line_breaks),
		cmocka_unit_test(test_utf8_error_after_ascii_blocks),
		cmocka_unit_test(test_markdown_reads_only_len_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
