/* test_repetition.c -- unit tests of the repetition plugin (texts written for
 * the project). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"

extern const nl_plugin nl_plugin_repetition;
#define P (&nl_plugin_repetition)
#define TXT NL_FORMAT_TEXT
#define MD NL_FORMAT_MARKDOWN

static nlt_result *run(const char *ini, const char *text, int fmt)
{
	nlt_result *r = nlt_run(P, ini, text, fmt);
	assert_non_null(r);
	if (r->create_status != 0)
		fprintf(stderr, "create failed: %s\n", r->errors ? r->errors : "");
	return r;
}

static size_t count(const char *ini, const char *text, int fmt, const char *rule)
{
	nlt_result *r = run(ini, text, fmt);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	size_t n = nlt_count(r, rule);
	nlt_free(r);
	return n;
}

static int create_fails(const char *ini)
{
	nlt_result *r = nlt_run(P, ini, "Nothing here.\n", TXT);
	int st = r->create_status;
	if (st == 0)
		nlt_dump(r);
	nlt_free(r);
	return st < 0;
}

#define W "repeated-word"
#define PH "repeated-phrase"
#define OP "sentence-openings"
#define OV "overused-word"

/* ---- repeated-word ---- */

static void word_simple(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, "The mayor opened the the new bridge on Monday.\n", TXT);
	assert_int_equal(nlt_count(r, W), 1);
	const nlt_finding *f = nlt_get(r, W, 0);
	assert_string_equal(f->rule, "repetition.repeated-word");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_string_equal(f->text, "the the");
	assert_non_null(strstr(f->message, "\"the\""));
	assert_int_equal(f->n_suggestions, 1);
	assert_string_equal(f->suggestions[0], "the");
	nlt_free(r);
}

static void word_across_line_break_mixed_case(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, "The council voted to approve the\nThe budget after a long debate.\n", TXT);
	assert_int_equal(nlt_count(r, W), 1);
	assert_string_equal(nlt_get(r, W, 0)->text, "the\nThe");
	assert_string_equal(nlt_get(r, W, 0)->suggestions[0], "the");
	nlt_free(r);
}

static void word_sentence_start_mixed_case(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "The the council met late.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "She went to to the market and then home.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "She went to the market   \t the market.\n", TXT, W), 0);
}

static void word_extra_spaces(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "Officials said it it was over.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "Officials said it   it was over.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "Officials said it\u00a0it was over.\n", TXT, W), 1);     /* no-break space */
	assert_int_equal(count(NULL, "Officials said that the\r\nthe vote was over.\r\n", TXT, W), 1); /* CRLF */
}

static void word_blank_line_breaks(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "The mayor spoke first and\n\nand then the council voted on the plan.\n", TXT, W),
	                 0);
}

static void word_punctuation_breaks(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "She knew that, that much was clear to everyone.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "It was long, long ago in a quiet town.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "The plan failed. Failed again, the mayor said.\n", TXT, W), 0);
}

static void word_exceptions(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "By noon the crowd had had enough of the speeches.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "The children waved bye bye to the visiting team.\n", TXT, W), 0);
	/* "that that" legitimate after a verb of saying, a slip before a subject */
	assert_int_equal(count(NULL, "The minister denied that that was the reason for the delay.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "The minister said that that the delay was over.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "The order that that restores the rules was signed.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "Officials said that that nobody had called.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "It was clear, that that plan would fail.\n", TXT, W), 0);
	/* a legitimate double is written in one case: "that That" mid-sentence is a slip */
	assert_int_equal(count(NULL, "The minister denied that\nThat was the reason for the delay.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "That that was the reason surprised nobody.\n", TXT, W), 0);
}

static void word_names(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "She grew up in Walla Walla and later moved east.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "Walla Walla is a small city in the state.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "A fan of Duran Duran since the eighties, he sang.\n", TXT, W), 0);
	/* a function word is no name, even capitalised */
	assert_int_equal(count(NULL, "He found The The on an old record.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "The The council met on Friday.\n", TXT, W), 1);
	/* a common word next to the same word as a name */
	assert_int_equal(count(NULL, "Rivals hoped to trump Trump on the issue.\n", TXT, W), 0);
	/* an acronym next to a word */
	assert_int_equal(count(NULL, "Talks between us US officials resumed.\n", TXT, W), 0);
	/* a word glued to a larger name */
	assert_int_equal(count(NULL, "She held a senior role at AT&T for a decade.\n", TXT, W), 0);
}

static void word_markdown_code(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "Type the `the` command and wait for the prompt.\n", MD, W), 0);
	assert_int_equal(count(NULL, "Type `cat` the the file name and wait.\n", MD, W), 1);
	assert_int_equal(count(NULL, "Run this:\n\n```\nthe the\n```\n\nThen wait for the prompt.\n", MD, W), 0);
	assert_int_equal(count(NULL, "Type the `x` the file name and wait.\n", MD, W), 0);
	/* emphasis does not hide a double */
	assert_int_equal(count(NULL, "The mayor opened *the* the bridge.\n", MD, W), 1);
}

static void word_quotations(void **s)
{
	(void)s;
	/* a typo inside a quotation is still a typo */
	assert_int_equal(count(NULL, "\u201cWe saw the the car leave,\u201d she said.\n", TXT, W), 1);
	assert_int_equal(count(NULL, "\"We saw the the car leave,\" she said.\n", TXT, W), 1);
	/* reduplication in speech is what the speaker said */
	assert_int_equal(count(NULL, "\u201cIt was very very good,\u201d she said.\n", TXT, W), 0);
	assert_int_equal(count(NULL, "The result was very very good for the party.\n", TXT, W), 1);
}

static void word_run_of_three(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, "They walked to the the the river bank.\n", TXT);
	assert_int_equal(nlt_count(r, W), 1);
	assert_string_equal(nlt_get(r, W, 0)->text, "the the the");
	assert_int_equal(nlt_count(r, PH), 0);
	nlt_free(r);
}

static void word_ini_allow(void **s)
{
	(void)s;
	const char *t = "The crowd went murmur murmur as the judge spoke.\n";
	assert_int_equal(count(NULL, t, TXT, W), 1);
	assert_int_equal(count("allow = murmur murmur, zoom\n", t, TXT, W), 0);
	assert_int_equal(count("allow = murmur\n", t, TXT, W), 0);
	assert_int_equal(count("allow = zoom zoom\n", t, TXT, W), 1);
}

static void word_ini_exceptions_file(void **s)
{
	(void)s;
	char path[] = "/tmp/nlt-repetition-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *data = "# newsroom doubles\nmurmur murmur\nvery very | in quotes\n";
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
	char ini[256];
	snprintf(ini, sizeof ini, "exceptions = %s\n", path);
	assert_int_equal(count(ini, "The crowd went murmur murmur as the judge spoke.\n", TXT, W), 0);
	/* default list off: "had had" is reported again */
	char ini2[300];
	snprintf(ini2, sizeof ini2, "default_exceptions = false\nexceptions = %s\n", path);
	assert_int_equal(count(ini2, "By noon the crowd had had enough.\n", TXT, W), 1);
	unlink(path);
}

static void word_ini_bad_values(void **s)
{
	(void)s;
	assert_true(create_fails("allow = foo bar\n"));
	assert_true(create_fails("exceptions = /nonexistent/newslint/doubles.txt\n"));
	assert_true(create_fails("default_exceptions = maybe\n"));
	/* an unknown condition in an exceptions file */
	char path[] = "/tmp/nlt-repetition-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *data = "murmur murmur | sometimes\n";
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
	char ini[256];
	snprintf(ini, sizeof ini, "exceptions = %s\n", path);
	assert_true(create_fails(ini));
	unlink(path);
}

/* ---- repeated-phrase ---- */

static void phrase_simple(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, "The talks resumed in the in the morning after a pause.\n", TXT);
	assert_int_equal(nlt_count(r, PH), 1);
	const nlt_finding *f = nlt_get(r, PH, 0);
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_string_equal(f->text, "in the in the");
	assert_non_null(strstr(f->message, "\"in the\""));
	assert_string_equal(f->suggestions[0], "in the");
	assert_int_equal(nlt_count(r, W), 0);
	nlt_free(r);
}

/* a phrase that wraps: the message is one line, the suggestion keeps the
 * text as written */
static void phrase_wrapped_message_one_line(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, "It was hard\nwork hard\r\nwork, she said.\n", TXT);
	assert_int_equal(nlt_count(r, PH), 1);
	const nlt_finding *f = nlt_get(r, PH, 0);
	assert_string_equal(f->message, "repeated phrase \"hard work\"");
	assert_string_equal(f->suggestions[0], "hard\nwork");
	nlt_free(r);
}

static void phrase_four_words_and_keys(void **s)
{
	(void)s;
	const char *t = "They met at the end of at the end of the week.\n";
	assert_int_equal(count(NULL, t, TXT, PH), 1);
	assert_int_equal(count("phrase_max_words = 3\n", t, TXT, PH), 0);
	assert_int_equal(count(NULL, "They met at the end of the week, at the end of the week.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "She said in the\nIn the morning it rained.\n", TXT, PH), 1);
	assert_true(create_fails("phrase_min_words = 1\n"));
	assert_true(create_fails("phrase_min_words = 3\nphrase_max_words = 2\n"));
	assert_true(create_fails("phrase_max_words = many\n"));
}

static void phrase_names_and_exceptions(void **s)
{
	(void)s;
	/* repetition on purpose: a phrase that starts or ends with a connector */
	assert_int_equal(count(NULL, "He lost the vote over and over and over again.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "It was lie after lie after lie, she said.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "The staff met from time to time to plan the week.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "The band sang New York New York at the close.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "There were forms, fees and so on and so on.\n", TXT, PH), 0);
	assert_int_equal(count(NULL, "Type the `in the` in the box.\n", MD, PH), 0);
}

/* ---- sentence-openings ---- */

static void openings_run(void **s)
{
	(void)s;
	const char *t = "He came in. He sat down. He ordered tea. She left early.\n";
	nlt_result *r = run(NULL, t, TXT);
	assert_int_equal(nlt_count(r, OP), 1);
	const nlt_finding *f = nlt_get(r, OP, 0);
	assert_int_equal(f->severity, NL_SEV_INFO);
	assert_string_equal(f->text, "He came in.");
	assert_int_equal(f->n_related, 2);
	assert_non_null(strstr(f->message, "\"He\""));
	nlt_free(r);
	assert_int_equal(count("openings_min = 4\n", t, TXT, OP), 0);
	assert_true(create_fails("openings_min = 1\n"));
}

static void openings_quotes_and_case(void **s)
{
	(void)s;
	assert_int_equal(count(NULL, "Then it rained. Then, slowly, it cleared. THEN it stopped.\n", TXT, OP), 1);
	/* a sentence opening inside a quotation is the speaker's: it breaks the run */
	assert_int_equal(count(NULL, "He came in. \u201cHe is here,\u201d she said. He sat down. He left.\n", TXT, OP), 0);
	assert_int_equal(count(NULL, "He came in. He sat down. He left. \u201cHe is here,\u201d she said.\n", TXT, OP), 1);
	assert_int_equal(count(NULL, "He came in. She sat down. He ordered tea. She left.\n", TXT, OP), 0);
}

static void openings_two_runs_across_paragraphs(void **s)
{
	(void)s;
	const char *t = "We came. We saw.\n\nWe won. They lost.\n\nIt rained. It poured. It stopped.\n";
	assert_int_equal(count(NULL, t, TXT, OP), 2);
}

static void openings_headings_skipped(void **s)
{
	(void)s;
	const char *t = "# He who waits\n\nHe came in. He sat down. She left.\n";
	assert_int_equal(count(NULL, t, MD, OP), 0);
}

/* ---- overused-word ---- */

static const char *tariff_text =
	"The tariff rose in March. Farmers said the tariff hurt exports, and the tariff "
	"made seed dearer. By summer the tariff had doubled, and a second tariff followed.\n";

static void overused_simple(void **s)
{
	(void)s;
	nlt_result *r = run(NULL, tariff_text, TXT);
	assert_int_equal(nlt_count(r, OV), 1);
	const nlt_finding *f = nlt_get(r, OV, 0);
	assert_int_equal(f->severity, NL_SEV_INFO);
	assert_string_equal(f->text, "tariff");
	assert_int_equal(f->n_related, 4);
	assert_non_null(strstr(f->message, "\"tariff\""));
	nlt_free(r);
}

static void overused_keys(void **s)
{
	(void)s;
	assert_int_equal(count("overused_min = 6\n", tariff_text, TXT, OV), 0);
	assert_int_equal(count("overused_window = 10\n", tariff_text, TXT, OV), 0);
	assert_int_equal(count("overused_min_letters = 7\n", tariff_text, TXT, OV), 0);
	assert_true(create_fails("overused_min = 1\n"));
	assert_true(create_fails("overused_window = lots\n"));
	assert_true(create_fails("overused_min = 50\noverused_window = 20\n"));
}

static void overused_stop_words_and_names(void **s)
{
	(void)s;
	const char *names = "Reyes spoke first. Later Reyes said that Reyes would run, and aides "
	                    "to Reyes agreed that Reyes should.\n";
	assert_int_equal(count(NULL, names, TXT, OV), 0);
	/* "would" is a stop word */
	const char *stop = "It would rain, it would stop, it would rain again and it would stop again, "
	                   "so it would seem.\n";
	assert_int_equal(count(NULL, stop, TXT, OV), 0);
	char path[] = "/tmp/nlt-repetition-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "tariff\n", 7), 7);
	close(fd);
	char ini[256];
	snprintf(ini, sizeof ini, "stop_words = %s\n", path);
	assert_int_equal(count(ini, tariff_text, TXT, OV), 0);
	unlink(path);
}

static void overused_quotes_and_code_not_counted(void **s)
{
	(void)s;
	const char *q = "The tariff rose. \u201cA tariff, a tariff, a tariff,\u201d she said. Then the tariff fell.\n";
	assert_int_equal(count(NULL, q, TXT, OV), 0);
	const char *md = "The tariff rose. Run `tariff tariff tariff` now. Then the tariff fell.\n";
	assert_int_equal(count(NULL, md, MD, OV), 0);
}

static void overused_yields_to_keyword_stuffing(void **s)
{
	(void)s;
	const nl_rule_info *ri = NULL;
	for (size_t i = 0; i < P->n_rules; i++)
		if (strcmp(P->rules[i].id, "overused-word") == 0)
			ri = &P->rules[i];
	assert_non_null(ri);
	assert_non_null(ri->yields_to);
	assert_string_equal(ri->yields_to, "keyword-stuffing.overused-phrase");
}

/* ---- the word table's key paths (1..7 bytes, 8..16, longer, non-ASCII) ---- */

static void word_double_every_key_length(void **s)
{
	(void)s;
	/* 3 bytes, 12 bytes, 20 bytes (the longer words are found by hash
	   and compared byte for byte) */
	nlt_result *r = run(NULL,
	                    "The mayor signed the the plan. Officials praised the reconstruct "
	                    "reconstruct schedule. The internationalising internationalising "
	                    "firm won.\n", TXT);
	assert_int_equal(nlt_count(r, W), 3);
	assert_string_equal(nlt_get(r, W, 1)->text, "reconstruct reconstruct");
	assert_string_equal(nlt_get(r, W, 2)->text, "internationalising internationalising");
	nlt_free(r);
	/* same first 16 bytes, different words: no double */
	assert_int_equal(count(NULL, "They studied internationalisation internationalisations today.\n",
	                       TXT, W), 0);
	assert_int_equal(count(NULL, "The reconstructing reconstructions began.\n", TXT, W), 0);
}

static void word_double_curly_and_straight_apostrophe(void **s)
{
	(void)s;
	/* U+2019 folds to ': the non-ASCII spelling meets the ASCII one */
	nlt_result *r = run(NULL, "Residents said they don\u2019t don't want the new road.\n", TXT);
	assert_int_equal(nlt_count(r, W), 1);
	nlt_free(r);
	/* and case folds across both paths */
	assert_int_equal(count(NULL, "The caf\u00e9 CAF\u00c9 opened late.\n", TXT, W), 0); /* acronym next to a word */
	assert_int_equal(count(NULL, "We met at the caf\u00e9 caf\u00c9 near the station.\n", TXT, W), 1);
}

static void overused_possessive_in_both_spellings(void **s)
{
	(void)s;
	/* Ukraine's (ASCII), Ukraine\u2019s (non-ASCII) and Ukraine count as one
	   word; lower-case so that it is no name */
	nlt_result *r = run(NULL,
	                    "The railway grew. Its railway\u2019s staff said the railway's fares and "
	                    "the railway timetable changed, so the railway board met.\n", TXT);
	assert_int_equal(nlt_count(r, OV), 1);
	assert_int_equal(nlt_get(r, OV, 0)->n_related, 4);
	nlt_free(r);
}

static void clean_text_no_findings(void **s)
{
	(void)s;
	const char *t = "Rain fell on the city overnight.\n\nCrews cleared the roads by dawn, and schools "
	                "opened on time. The mayor thanked the workers.\n";
	nlt_result *r = run(NULL, t, TXT);
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(word_simple),
		cmocka_unit_test(word_across_line_break_mixed_case),
		cmocka_unit_test(word_sentence_start_mixed_case),
		cmocka_unit_test(word_extra_spaces),
		cmocka_unit_test(word_blank_line_breaks),
		cmocka_unit_test(word_punctuation_breaks),
		cmocka_unit_test(word_exceptions),
		cmocka_unit_test(word_names),
		cmocka_unit_test(word_markdown_code),
		cmocka_unit_test(word_quotations),
		cmocka_unit_test(word_run_of_three),
		cmocka_unit_test(word_ini_allow),
		cmocka_unit_test(word_ini_exceptions_file),
		cmocka_unit_test(word_ini_bad_values),
		cmocka_unit_test(phrase_simple),
		cmocka_unit_test(phrase_wrapped_message_one_line),
		cmocka_unit_test(phrase_four_words_and_keys),
		cmocka_unit_test(phrase_names_and_exceptions),
		cmocka_unit_test(openings_run),
		cmocka_unit_test(openings_quotes_and_case),
		cmocka_unit_test(openings_two_runs_across_paragraphs),
		cmocka_unit_test(openings_headings_skipped),
		cmocka_unit_test(overused_simple),
		cmocka_unit_test(overused_keys),
		cmocka_unit_test(overused_stop_words_and_names),
		cmocka_unit_test(overused_quotes_and_code_not_counted),
		cmocka_unit_test(overused_yields_to_keyword_stuffing),
		cmocka_unit_test(word_double_every_key_length),
		cmocka_unit_test(word_double_curly_and_straight_apostrophe),
		cmocka_unit_test(overused_possessive_in_both_spellings),
		cmocka_unit_test(clean_text_no_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
