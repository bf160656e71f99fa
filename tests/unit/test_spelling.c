/* test_spelling.c -- unit tests of the spelling plugin (cmocka + harness).
 * Most tests use the small dictionary in tests/data/spelling (tiny.aff/.dic)
 * so that they do not depend on an installed one; the en_US tests are
 * skipped when hunspell-en-us is not installed. */
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

extern const nl_plugin nl_plugin_spelling;

static char data_dir[1024];

static const char *srcdir(void)
{
	const char *s = getenv("NEWSLINT_TEST_SRCDIR");
	return s ? s : ".";
}

/* INI section using the tiny test dictionary, plus extra lines. */
static const char *tiny(const char *extra)
{
	static char buf[16384];   /* room for the longest extra (8,400 bytes) */
	snprintf(buf, sizeof buf, "aff = %s/tiny.aff\ndic = %s/tiny.dic\nnews_words = false\n%s",
		 data_dir, data_dir, extra ? extra : "");
	return buf;
}

static nlt_result *run_tiny(const char *extra, const char *text)
{
	nlt_result *r = nlt_run(&nl_plugin_spelling, tiny(extra), text, NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	return r;
}

static int has_suggestion(const nlt_finding *f, const char *s)
{
	for (size_t i = 0; i < f->n_suggestions; i++)
		if (strcmp(f->suggestions[i], s) == 0)
			return 1;
	return 0;
}

static int have_en_us(void)
{
	return access("/usr/share/hunspell/en_US.dic", R_OK) == 0 ||
	       access("/usr/share/myspell/dicts/en_US.dic", R_OK) == 0 ||
	       access("/usr/share/myspell/en_US.dic", R_OK) == 0;
}

/* ---- basic verdicts ---------------------------------------------------------- */

static void test_known_text_is_clean(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister said the plan was ready.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_typo_reported_with_suggestion(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister said the plan was raedy.\n");
	assert_int_equal(nlt_count(r, "spelling.unknown-word"), 1);
	const nlt_finding *f = nlt_get(r, "unknown-word", 0);
	assert_string_equal(f->text, "raedy");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_true(f->n_suggestions >= 1 && f->n_suggestions <= 3);
	assert_string_equal(f->suggestions[0], "ready");
	nlt_free(r);
}

static void test_suggestion_kinds(void **s)
{
	(void)s;
	/* dropped, doubled and replaced letters */
	nlt_result *r = run_tiny(NULL, "The minster said the plann was reday for the presidnt.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 4);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "minister"));
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 1), "plan"));
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 2), "ready"));
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 3), "president"));
	nlt_free(r);
}

static void test_max_suggestions_zero(void **s)
{
	(void)s;
	nlt_result *r = run_tiny("max_suggestions = 0\n", "The plan was raedy.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_int_equal(nlt_get(r, "unknown-word", 0)->n_suggestions, 0);
	nlt_free(r);
}

static void test_repeated_typo_every_occurrence(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The plan was raedy. The office was raedy.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 2);
	assert_string_equal(nlt_get(r, "unknown-word", 1)->suggestions[0], "ready");
	nlt_free(r);
}

/* ---- tokenisation edge cases ---------------------------------------------------- */

static void test_curly_quotes_next_to_words(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "She called it \xE2\x80\x9Cpainful\xE2\x80\x9D and "
				 "\xE2\x80\x98" "awful\xE2\x80\x99 today.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_curly_quote_typo_span_excludes_mark(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "She called it \xE2\x80\x98" "awfull\xE2\x80\x99 today.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_string_equal(nlt_get(r, "unknown-word", 0)->text, "awfull");
	nlt_free(r);
}

static void test_possessives(void **s)
{
	(void)s;
	/* ’s and 's on a known word; s' on a plural */
	nlt_result *r = run_tiny(NULL, "The minister\xE2\x80\x99s plan and the president's plan "
				 "and the leaders' vote.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_possessive_typo_span_is_base(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The plan is the minsiter\xE2\x80\x99s plan.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	const nlt_finding *f = nlt_get(r, "unknown-word", 0);
	assert_string_equal(f->text, "minsiter");
	assert_true(has_suggestion(f, "minister"));
	nlt_free(r);
}

static void test_hyphen_parts(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "It is a well-known plan and a well-knwon plan.\n");
	assert_int_equal(r->n, 1);
	const nlt_finding *f = nlt_get(r, "unknown-word", 0);
	assert_non_null(f);
	assert_string_equal(f->text, "knwon");
	assert_true(has_suggestion(f, "known"));
	nlt_free(r);
}

static void test_hyphen_prefix_part(void **s)
{
	(void)s;
	/* "re" and "co" are not words of the tiny dictionary: prefixes are skipped */
	nlt_result *r = run_tiny(NULL, "The minister will re-visit the co-leader today.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_urls_emails_handles_hashtags(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "See https://example.com/raedy and mail info@exmaple.org "
				 "or @raedyy and #raedy today.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	assert_int_equal(nlt_count(r, "unknown-name"), 0);
	nlt_free(r);
}

static void test_numbers_and_digits_skipped(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The plan has 42 votes and a b52 and 3rd vote.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_acronyms_skipped_by_default(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister said the XQZW plan was ready.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_acronyms_checked_when_asked(void **s)
{
	(void)s;
	nlt_result *r = run_tiny("check_acronyms = true\n", "The minister said the XQZW plan was ready.\n");
	assert_int_equal(r->n, 1);
	assert_string_equal(r->findings[0].text, "XQZW");
	nlt_free(r);
}

static void test_markdown_code_skipped(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(&nl_plugin_spelling, tiny(NULL),
				"The plan was ready with `raedy` and\n\n```\nxqzzy plann\n```\n", NL_FORMAT_MARKDOWN);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	nlt_free(r);
}

static void test_non_latin_script_skipped(void **s)
{
	(void)s;
	/* a Cyrillic word is not judged by a Latin-script dictionary */
	nlt_result *r = run_tiny(NULL, "The minister said \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 today.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}


static void test_contractions(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "They\xE2\x80\x99re here. The plan\xE2\x80\x99ll be ready "
				 "and the minister\xE2\x80\x99" "d visit.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_soft_hyphen_ignored(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minis\xC2\xADter said the plan was ready.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_hyphen_suffix_part(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The plan was minister-ized and city-esque.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	nlt_free(r);
}

static void test_name_before_name_at_sentence_start(void **s)
{
	(void)s;
	/* "Thw" alone is a slip of "The"; before a capitalised word it is
	 * taken as part of a name (Jeb Bush, not job) */
	nlt_result *r = run_tiny(NULL, "Thw minister said the plan was ready.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	nlt_free(r);
	r = run_tiny(NULL, "Thw Wahlberg said the plan was ready.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	nlt_free(r);
}

static void test_mojibake_fragments_skipped(void **s)
{
	(void)s;
	/* "Fran\xC3\xA7ois" decoded twice: its pieces are not the writer's spelling */
	nlt_result *r = run_tiny(NULL, "The minister met Fran\xC3\x83\xC2\xA7ois in the city.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	nlt_free(r);
}

/* ---- names ----------------------------------------------------------------------- */

static void test_name_inside_sentence_is_info(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister met Zelenskyy in the city.\n");
	assert_int_equal(r->n, 1);
	const nlt_finding *f = nlt_get(r, "spelling.unknown-name", 0);
	assert_non_null(f);
	assert_string_equal(f->text, "Zelenskyy");
	assert_int_equal(f->severity, NL_SEV_INFO);
	assert_int_equal(f->n_suggestions, 0);
	nlt_free(r);
}

static void test_name_reported_once_per_article(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister met Witkoff in the city. She told Witkoff about "
				 "the plan. Witkoff said the plan was ready.\n");
	assert_int_equal(nlt_count(r, "unknown-name"), 1);
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	assert_int_equal(nlt_get(r, "unknown-name", 0)->n_related, 2);
	nlt_free(r);
}

/* A name used 100 times (its item list outgrows the document's pool):
 * one finding, its other uses as related spans (at most 32), the count in
 * the message; and a second name after it keeps its own list. */
static void test_name_used_many_times(void **s)
{
	(void)s;
	char text[8192];
	size_t o = 0;
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "The minister met Witkoff. ");
	snprintf(text + o, sizeof text - o, "Then Quandrell spoke. Quandrell left.\n");
	nlt_result *r = run_tiny(NULL, text);
	assert_int_equal(nlt_count(r, "unknown-name"), 2);
	const nlt_finding *f = nlt_get(r, "unknown-name", 0);
	assert_string_equal(f->text, "Witkoff");
	assert_int_equal(f->n_related, 32);
	assert_non_null(strstr(f->message, "100 times"));
	f = nlt_get(r, "unknown-name", 1);
	assert_string_equal(f->text, "Quandrell");
	assert_int_equal(f->n_related, 1);
	nlt_free(r);
}

static void test_sentence_initial_name_is_not_a_typo(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "Witkoff said the plan was ready.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	assert_int_equal(nlt_count(r, "unknown-name"), 1);
	nlt_free(r);
}

static void test_sentence_initial_typo_is_a_word(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The plan was ready. Teh minister said so.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	const nlt_finding *f = nlt_get(r, "unknown-word", 0);
	assert_string_equal(f->text, "Teh");
	assert_true(has_suggestion(f, "The"));
	nlt_free(r);
}

static void test_mixed_case_name(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister met McQuorn in the city.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	assert_int_equal(nlt_count(r, "unknown-name"), 1);
	nlt_free(r);
}

/* ---- accept lists ------------------------------------------------------------------ */

static void test_wordlist_accepts_names(void **s)
{
	(void)s;
	char extra[4200];
	snprintf(extra, sizeof extra, "wordlist = %s/names.txt\n", data_dir);
	nlt_result *r = run_tiny(extra, "The minister met Zelenskyy in Kyiv\xE2\x80\x99s office.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_wordlist_full_name(void **s)
{
	(void)s;
	char extra[4200];
	snprintf(extra, sizeof extra, "wordlist = %s/names.txt\n", data_dir);
	nlt_result *r = run_tiny(extra, "The minister met Ursula von der Leyen in the city.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_several_wordlists(void **s)
{
	(void)s;
	char extra[8400];
	snprintf(extra, sizeof extra, "wordlist = %s/names.txt %s/personal.dic\n", data_dir, data_dir);
	/* personal.dic read as a plain list: its count line is harmless, /S dropped */
	nlt_result *r = run_tiny(extra, "The minister met Zelenskyy and Witkoff.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_missing_wordlist_is_config_error(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(&nl_plugin_spelling, tiny("wordlist = /nonexistent/names.txt\n"),
				"The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "/nonexistent/names.txt"));
	nlt_free(r);
}

static void test_personal_dic_with_flags(void **s)
{
	(void)s;
	char extra[4200];
	snprintf(extra, sizeof extra, "personal_dic = %s/personal.dic\n", data_dir);
	/* blorp/S: the affix flag of the main dictionary gives "blorps" too */
	nlt_result *r = run_tiny(extra, "The minister met Witkoff with the blorp and two blorps.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_personal_dic_not_a_dic(void **s)
{
	(void)s;
	char extra[4200];
	snprintf(extra, sizeof extra, "personal_dic = %s/notdic.dic\n", data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, tiny(extra), "The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "first line"));
	nlt_free(r);
}

/* ---- dictionary selection and errors --------------------------------------------------- */

static void test_dictionary_by_name_in_configured_path(void **s)
{
	(void)s;
	char ini[4200];
	snprintf(ini, sizeof ini, "dictionary = tiny\ndictionary_path = %s\nnews_words = false\n", data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, ini, "The plan was raedy.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	nlt_free(r);
}

static void test_dictionary_from_dicpath(void **s)
{
	(void)s;
	setenv("DICPATH", data_dir, 1);
	nlt_result *r = nlt_run(&nl_plugin_spelling, "dictionary = tiny\nnews_words = false\n",
				"The plan was ready.\n", NL_FORMAT_TEXT);
	unsetenv("DICPATH");
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_missing_dictionary_names_folders_and_package(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(&nl_plugin_spelling, "dictionary = xx_YY\ndictionary_path = /nowhere\n",
				"The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "xx_YY"));
	assert_non_null(strstr(r->errors, "/nowhere"));
	assert_non_null(strstr(r->errors, "/usr/share/hunspell"));
	assert_non_null(strstr(r->errors, "/usr/share/myspell"));
	assert_non_null(strstr(r->errors, "hunspell-xx-yy"));
	nlt_free(r);
}

static void test_dic_without_aff_derives_aff(void **s)
{
	(void)s;
	char ini[4200];
	snprintf(ini, sizeof ini, "dic = %s/tiny.dic\nnews_words = false\n", data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, ini, "The plan was ready.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static void test_unreadable_dic_is_config_error(void **s)
{
	(void)s;
	char ini[4200];
	snprintf(ini, sizeof ini, "aff = %s/tiny.aff\ndic = %s/nothere.dic\n", data_dir, data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, ini, "The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "nothere.dic"));
	nlt_free(r);
}

static void test_aff_without_dic_is_error(void **s)
{
	(void)s;
	char ini[4200];
	snprintf(ini, sizeof ini, "aff = %s/tiny.aff\n", data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, ini, "The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "dic"));
	nlt_free(r);
}

static void test_path_as_dictionary_name_is_error(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(&nl_plugin_spelling, "dictionary = /tmp/en_US\n", "The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(strstr(r->errors, "aff ="));
	nlt_free(r);
}

static void test_latin1_dictionary_converted(void **s)
{
	(void)s;
	char ini[4200];
	snprintf(ini, sizeof ini, "aff = %s/latin1.aff\ndic = %s/latin1.dic\nnews_words = false\n",
		 data_dir, data_dir);
	nlt_result *r = nlt_run(&nl_plugin_spelling, ini, "the caf\xC3\xA9 the na\xC3\xAFve the cafe\n",
				NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	const nlt_finding *f = nlt_get(r, "unknown-word", 0);
	assert_string_equal(f->text, "cafe");
	assert_true(has_suggestion(f, "caf\xC3\xA9"));
	nlt_free(r);
}

static void test_bad_key_values(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(&nl_plugin_spelling, tiny("max_suggestions = lots\n"), "The plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	nlt_free(r);
}

/* ---- name consistency ----------------------------------------------------------------- */

static void test_inconsistent_name(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL,
		"The minister met Zelenskyy in the city. She told Zelenskyy about the plan. "
		"Later Zelenskyy spoke again. The leaders said Zelensky was ready.\n");
	assert_int_equal(nlt_count(r, "spelling.inconsistent-name"), 1);
	const nlt_finding *f = nlt_get(r, "inconsistent-name", 0);
	assert_string_equal(f->text, "Zelensky");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_int_equal(f->n_suggestions, 1);
	assert_string_equal(f->suggestions[0], "Zelenskyy");
	assert_int_equal(f->n_related, 3);
	/* the names themselves are covered by that finding */
	assert_int_equal(nlt_count(r, "unknown-name"), 0);
	nlt_free(r);
}

/* name_consistency() orders the forms by first byte and length (a counting
 * sort, or qsort when a form has 256 code points or more): among many
 * names of every first letter and length, the pair is still found, both
 * ways. */
static void inconsistent_among_many(int long_form)
{
	char text[8192];
	size_t o = 0;
	static const char *const names[] = { "Quimby", "Abernathy", "Yarrow", "Moltke", "Zanzibarov", "Bexley",
		"Ottorino", "Zed", "Kittering", "Ulvaeus", "Dromedov", "Zelmanovich", "Fenwick", "Ashgrove",
		"Pomeroyle", "Zoltanski", "Hargreavesy", "Cuthbertson", "Nyquistov", "Zybrowska" };
	o += (size_t)snprintf(text + o, sizeof text - o, "The minister met Zelenskyy in the city. ");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "Then %s spoke. ", names[i]);
	o += (size_t)snprintf(text + o, sizeof text - o, "She told Zelenskyy about it. Later Zelenskyy left. ");
	if (long_form) {
		o += (size_t)snprintf(text + o, sizeof text - o, "The word ");
		for (int i = 0; i < 300; i++)
			text[o++] = (char)('a' + i % 26);
		o += (size_t)snprintf(text + o, sizeof text - o, " is long. ");
	}
	snprintf(text + o, sizeof text - o, "The leaders said Zelensky was ready.\n");
	nlt_result *r = run_tiny(NULL, text);
	assert_int_equal(nlt_count(r, "inconsistent-name"), 1);
	const nlt_finding *f = nlt_get(r, "inconsistent-name", 0);
	assert_string_equal(f->text, "Zelensky");
	assert_string_equal(f->suggestions[0], "Zelenskyy");
	nlt_free(r);
}

static void test_inconsistent_name_among_many(void **s)
{
	(void)s;
	inconsistent_among_many(0);
	inconsistent_among_many(1);
}

static void test_inconsistent_name_possessive(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL,
		"The minister met Kushner in the city. Kushner spoke. Kushner\xE2\x80\x99s plan was new. "
		"The office said Kushnir\xE2\x80\x99s trip was ready.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 1);
	const nlt_finding *f = nlt_get(r, "inconsistent-name", 0);
	assert_string_equal(f->text, "Kushnir");
	assert_string_equal(f->suggestions[0], "Kushner");
	nlt_free(r);
}

/* A name the dictionary (here a word list) knows is compared from six
 * letters on: Ursula/Ursola is caught, Leyen/Leyan is not.  (check_part()
 * keeps no item for a known form too short to be compared: this pins the
 * bound.) */
static void test_known_name_compared_from_six_letters(void **s)
{
	(void)s;
	char extra[4200];
	snprintf(extra, sizeof extra, "wordlist = %s/names.txt\n", data_dir);
	nlt_result *r = run_tiny(extra, "The minister met Ursula in the city. Ursula spoke. Later Ursola left.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 1);
	const nlt_finding *f = nlt_get(r, "inconsistent-name", 0);
	assert_string_equal(f->text, "Ursola");
	assert_string_equal(f->suggestions[0], "Ursula");
	nlt_free(r);
	r = run_tiny(extra, "The minister met Leyen in the city. Leyen spoke. Later Leyan left.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	assert_int_equal(nlt_count(r, "unknown-name"), 1);
	nlt_free(r);
}

static void test_plural_and_possessive_not_inconsistent(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL,
		"The minister met Obama in the city. Obama spoke. Obama said the plan was ready. "
		"The Obamas visited the house and Obama\xE2\x80\x99s family.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
}

static void test_equal_frequency_not_inconsistent(void **s)
{
	(void)s;
	/* two different people, each named once: no evidence of a misspelling */
	nlt_result *r = run_tiny(NULL, "The minister met Ivanka and Ivana in the city.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
}

static void test_different_first_letter_not_inconsistent(void **s)
{
	(void)s;
	nlt_result *r = run_tiny(NULL, "The minister met Varkov. Varkov spoke. Varkov left. "
				 "The office met Markov later.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
}

static void test_short_names_need_distance_one(void **s)
{
	(void)s;
	/* Olan/Oban: 1 edit, flagged; Olan/Olbun: 2 edits on a short name, not */
	nlt_result *r = run_tiny(NULL, "The minister met Olanx. Olanx spoke. Olanx left. Then Obanx spoke.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 1);
	nlt_free(r);
	r = run_tiny(NULL, "The minister met Olanx. Olanx spoke. Olanx left. Then Obunx spoke.\n");
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
}

static void test_frequent_rare_form_is_deliberate(void **s)
{
	(void)s;
	/* both forms used 3+ times: two names, not a slip (name_max_rare = 2) */
	const char *t = "The minister met Olanxe. Olanxe spoke. Olanxe left. Olanxe said so. Olanxe was "
			"ready. Olanxe spoke again. The office met Olanxa. Olanxa spoke. Olanxa left.\n";
	nlt_result *r = run_tiny(NULL, t);
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
	r = run_tiny("name_max_rare = 3\n", t);
	assert_int_equal(nlt_count(r, "inconsistent-name"), 3);
	nlt_free(r);
}

static void test_name_ratio_key(void **s)
{
	(void)s;
	const char *t = "The minister met Zelenskyy in the city. Zelenskyy spoke. Zelensky left.\n";
	nlt_result *r = run_tiny(NULL, t);
	assert_int_equal(nlt_count(r, "inconsistent-name"), 1);
	nlt_free(r);
	r = run_tiny("name_ratio = 3\n", t);
	assert_int_equal(nlt_count(r, "inconsistent-name"), 0);
	nlt_free(r);
}

/* ---- the installed en_US dictionary ------------------------------------------------------ */

static void test_en_us_default_and_news_words(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	nlt_result *r = nlt_run(&nl_plugin_spelling, NULL,
		"The maximalist demands of the lawmakers were reported in a livestream. "
		"The goverment said it was redy.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 2);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "government"));
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 1), "ready"));
	nlt_free(r);
	r = nlt_run(&nl_plugin_spelling, "news_words = false\n", "The maximalist demands.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	nlt_free(r);
}

static void test_en_us_hunspell_fallback(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	/* two edits away: no distance-1 candidate, Hunspell's suggest answers */
	nlt_result *r = nlt_run(&nl_plugin_spelling, "hunspell_suggest = true\n",
				"He was recieveing the plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "receiving"));
	nlt_free(r);
	/* off by default: it costs ~10 ms a word */
	r = nlt_run(&nl_plugin_spelling, NULL, "He was recieveing the plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_false(has_suggestion(nlt_get(r, "unknown-word", 0), "receiving"));
	nlt_free(r);
	/* no budget for this document: no suggestion from Hunspell */
	r = nlt_run(&nl_plugin_spelling, "hunspell_suggest = true\nhunspell_suggest_max = 0\n",
		    "He was recieveing the plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_get(r, "unknown-word", 0)->n_suggestions, 0);
	nlt_free(r);
}

static void test_en_gb_by_name(void **s)
{
	(void)s;
	if (!have_en_us() || (access("/usr/share/hunspell/en_GB.dic", R_OK) != 0 &&
			      access("/usr/share/myspell/dicts/en_GB.dic", R_OK) != 0))
		skip();
	nlt_result *r = nlt_run(&nl_plugin_spelling, "dictionary = en_GB\n", "The colour of the flag.\n",
				NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 0);
	nlt_free(r);
	r = nlt_run(&nl_plugin_spelling, "dictionary = en_US\n", "The colour of the flag.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "color"));
	nlt_free(r);
}

/* Closed compounds (compounds = true): a prefix or a word before a known
 * word is accepted unless a dictionary word is one edit away, and one that
 * differs only in the last letter (another inflection: overtaxed,
 * overtaxes, overtax for "overtaxer") does not count. */
static void test_closed_compounds(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	nlt_result *r = nlt_run(&nl_plugin_spelling, NULL,
		"A superwidget and an overtaxer met. They were mislading voters. "
		"It was overdramatised.\n", NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "unknown-word"), 2);
	assert_string_equal(nlt_get(r, "unknown-word", 0)->text, "mislading");
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "misleading"));
	assert_string_equal(nlt_get(r, "unknown-word", 1)->text, "overdramatised");
	nlt_free(r);
	/* compounds = false: every one of them is unknown */
	r = nlt_run(&nl_plugin_spelling, "compounds = false\n",
		    "A superwidget and an overtaxer met.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 2);
	nlt_free(r);
}

static void test_two_edit_common_word(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	nlt_result *r = nlt_run(&nl_plugin_spelling, NULL, "It was definately a seperate plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "unknown-word"), 2);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "definitely"));
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 1), "separate"));
	nlt_free(r);
}

/* The two-edit search is skipped when one edit gave max_suggestions
 * candidates that rank above any two-edit word: the suggestions are the
 * first max_suggestions of a longer list (where it runs for nearly every
 * word), word by word. */
static void test_suggestions_same_as_longer_list(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	const char *text = "The bown fox read thier wrod. She recieved it definately, a seperate plna "
			   "for the comittee; the goverment was tehre and the wether was awfull. "
			   "One sevice a yuear.\n";
	nlt_result *a = nlt_run(&nl_plugin_spelling, "max_suggestions = 3\n", text, NL_FORMAT_TEXT);
	nlt_result *b = nlt_run(&nl_plugin_spelling, "max_suggestions = 10\n", text, NL_FORMAT_TEXT);
	size_t n = nlt_count(a, "unknown-word"), full = 0;
	assert_true(n >= 10);
	assert_int_equal(nlt_count(b, "unknown-word"), n);
	for (size_t i = 0; i < n; i++) {
		const nlt_finding *fa = nlt_get(a, "unknown-word", i), *fb = nlt_get(b, "unknown-word", i);
		assert_string_equal(fa->text, fb->text);
		assert_true(fa->n_suggestions <= 3 && fa->n_suggestions <= fb->n_suggestions);
		full += fa->n_suggestions == 3;
		for (size_t k = 0; k < fa->n_suggestions; k++)
			assert_string_equal(fa->suggestions[k], fb->suggestions[k]);
	}
	assert_true(full >= 5);   /* words whose one-edit candidates fill the list */
	/* and words with fewer one-edit candidates get two-edit ones too:
	 * definately (none), sevice (service, device), yuear (year) */
	for (size_t i = 0; i < n; i++) {
		const nlt_finding *f = nlt_get(a, "unknown-word", i);
		if (!strcmp(f->text, "definately"))
			assert_true(has_suggestion(f, "definitely"));
		if (!strcmp(f->text, "sevice") || !strcmp(f->text, "yuear"))
			assert_int_equal(f->n_suggestions, 3);
	}
	nlt_free(a);
	nlt_free(b);
}

/* The first 8 two-edit queries of a run compare with every common word,
 * later ones use the deletion index: the same suggestions either way. */
static void test_two_edit_same_before_and_after_index(void **s)
{
	(void)s;
	if (!have_en_us())
		skip();
	const char *words[] = { "definately", "seperate" };
	nlt_result *a = nlt_run(&nl_plugin_spelling, NULL, "It was definately a seperate plan.\n",
				NL_FORMAT_TEXT);
	nlt_result *b = nlt_run(&nl_plugin_spelling, NULL,
		"The qwertz blorft zzkrin frobnic glarbo snorkt vlimpy trazzle wubbix plonkt. "
		"It was definately a seperate plan.\n", NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(a, "unknown-word"), 2);
	assert_true(nlt_count(b, "unknown-word") >= 12);
	for (size_t w = 0; w < 2; w++) {
		const nlt_finding *fa = NULL, *fb = NULL;
		for (size_t i = 0; i < nlt_count(a, "unknown-word"); i++)
			if (strstr(nlt_get(a, "unknown-word", i)->message, words[w]))
				fa = nlt_get(a, "unknown-word", i);
		for (size_t i = 0; i < nlt_count(b, "unknown-word"); i++)
			if (strstr(nlt_get(b, "unknown-word", i)->message, words[w]))
				fb = nlt_get(b, "unknown-word", i);
		assert_non_null(fa);
		assert_non_null(fb);
		assert_int_equal(fa->n_suggestions, fb->n_suggestions);
		for (size_t i = 0; i < fa->n_suggestions; i++)
			assert_string_equal(fa->suggestions[i], fb->suggestions[i]);
	}
	assert_true(has_suggestion(nlt_get(a, "unknown-word", 0), "definitely"));
	nlt_free(a);
	nlt_free(b);
}

/* The word-set cache goes to a folder of the test's own, never the
 * user's ~/.cache (removed at the end). */
static char cache_dir[] = "/tmp/newslint-spelling-test-XXXXXX";

/* ---- the word set ---------------------------------------------------------------------- */

static void assert_same_findings(const nlt_result *a, const nlt_result *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const nlt_finding *x = &a->findings[i], *y = &b->findings[i];
		assert_string_equal(x->rule, y->rule);
		assert_int_equal(x->off, y->off);
		assert_int_equal(x->len, y->len);
		assert_string_equal(x->message, y->message);
		assert_int_equal(x->n_suggestions, y->n_suggestions);
		for (size_t k = 0; k < x->n_suggestions; k++)
			assert_string_equal(x->suggestions[k], y->suggestions[k]);
		assert_int_equal(x->n_related, y->n_related);
	}
}

/* With the word set (the default) and with Hunspell for every word
 * (wordset = false): the same findings, suggestions included. */
static void test_wordset_same_findings_as_hunspell(void **s)
{
	(void)s;
	if (!have_en_us())
		return;
	static const char text[] =
		"The goverment said it was redy. Teh minister’s well-known plan was "
		"re-elected on the 21st, said Zelenskyy and Zelensky in Kyiv’s "
		"parliament. Mr. McQuorn’s NATO-backed ex-president spoke of the "
		"seperate, definately unhappyness of the recieveing cafe\u0301s. "
		"MCDONALD’S and CIA’S staff walked. Alot of peopel wrote teh emails.\n";
	const char *ini[] = { "", "wordlist = %s/names.txt\npersonal_dic = %s/personal.dic\n" };
	for (int k = 0; k < 2; k++) {
		char conf[2048], conf_off[2100];
		snprintf(conf, sizeof conf, ini[k], data_dir, data_dir);
		snprintf(conf_off, sizeof conf_off, "%swordset = false\n", conf);
		nlt_result *a = nlt_run(&nl_plugin_spelling, conf, text, NL_FORMAT_TEXT);
		nlt_result *b = nlt_run(&nl_plugin_spelling, conf_off, text, NL_FORMAT_TEXT);
		assert_int_equal(a->create_status, 0);
		assert_int_equal(b->create_status, 0);
		assert_true(a->n >= 8);
		assert_same_findings(a, b);
		nlt_free(a);
		nlt_free(b);
	}
}

static void test_wordset_cache_dir_key(void **s)
{
	(void)s;
	char dir[1200], conf[1400], cmd[1400];
	snprintf(dir, sizeof dir, "%s/from-ini", cache_dir);
	snprintf(conf, sizeof conf, "cache_dir = %s\n", dir);
	nlt_result *r = run_tiny(conf, "The minister said.\n");
	assert_int_equal(r->n, 0);
	nlt_free(r);
	snprintf(cmd, sizeof cmd, "ls %s/wordset-*.bin > /dev/null 2>&1", dir);
	assert_int_equal(system(cmd), 0);            /* made there */
	r = run_tiny(conf, "The minster said.\n");   /* and used again */
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	assert_true(has_suggestion(nlt_get(r, "unknown-word", 0), "minister"));
	nlt_free(r);
	/* no cache: still works */
	r = run_tiny("cache_dir = none\n", "The minster said.\n");
	assert_int_equal(nlt_count(r, "unknown-word"), 1);
	nlt_free(r);
}

static void remove_cache_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", cache_dir);
}

int main(void)
{
	snprintf(data_dir, sizeof data_dir, "%s/tests/data/spelling", srcdir());
	if (!mkdtemp(cache_dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("NEWSLINT_CACHE_DIR", cache_dir, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_text_is_clean),
		cmocka_unit_test(test_typo_reported_with_suggestion),
		cmocka_unit_test(test_suggestion_kinds),
		cmocka_unit_test(test_max_suggestions_zero),
		cmocka_unit_test(test_repeated_typo_every_occurrence),
		cmocka_unit_test(test_curly_quotes_next_to_words),
		cmocka_unit_test(test_curly_quote_typo_span_excludes_mark),
		cmocka_unit_test(test_possessives),
		cmocka_unit_test(test_possessive_typo_span_is_base),
		cmocka_unit_test(test_hyphen_parts),
		cmocka_unit_test(test_hyphen_prefix_part),
		cmocka_unit_test(test_urls_emails_handles_hashtags),
		cmocka_unit_test(test_numbers_and_digits_skipped),
		cmocka_unit_test(test_acronyms_skipped_by_default),
		cmocka_unit_test(test_acronyms_checked_when_asked),
		cmocka_unit_test(test_markdown_code_skipped),
		cmocka_unit_test(test_non_latin_script_skipped),
		cmocka_unit_test(test_contractions),
		cmocka_unit_test(test_soft_hyphen_ignored),
		cmocka_unit_test(test_hyphen_suffix_part),
		cmocka_unit_test(test_name_before_name_at_sentence_start),
		cmocka_unit_test(test_mojibake_fragments_skipped),
		cmocka_unit_test(test_name_inside_sentence_is_info),
		cmocka_unit_test(test_name_reported_once_per_article),
		cmocka_unit_test(test_name_used_many_times),
		cmocka_unit_test(test_sentence_initial_name_is_not_a_typo),
		cmocka_unit_test(test_sentence_initial_typo_is_a_word),
		cmocka_unit_test(test_mixed_case_name),
		cmocka_unit_test(test_wordlist_accepts_names),
		cmocka_unit_test(test_wordlist_full_name),
		cmocka_unit_test(test_several_wordlists),
		cmocka_unit_test(test_missing_wordlist_is_config_error),
		cmocka_unit_test(test_personal_dic_with_flags),
		cmocka_unit_test(test_personal_dic_not_a_dic),
		cmocka_unit_test(test_dictionary_by_name_in_configured_path),
		cmocka_unit_test(test_dictionary_from_dicpath),
		cmocka_unit_test(test_missing_dictionary_names_folders_and_package),
		cmocka_unit_test(test_dic_without_aff_derives_aff),
		cmocka_unit_test(test_unreadable_dic_is_config_error),
		cmocka_unit_test(test_aff_without_dic_is_error),
		cmocka_unit_test(test_path_as_dictionary_name_is_error),
		cmocka_unit_test(test_latin1_dictionary_converted),
		cmocka_unit_test(test_bad_key_values),
		cmocka_unit_test(test_inconsistent_name),
		cmocka_unit_test(test_inconsistent_name_among_many),
		cmocka_unit_test(test_inconsistent_name_possessive),
		cmocka_unit_test(test_known_name_compared_from_six_letters),
		cmocka_unit_test(test_plural_and_possessive_not_inconsistent),
		cmocka_unit_test(test_equal_frequency_not_inconsistent),
		cmocka_unit_test(test_different_first_letter_not_inconsistent),
		cmocka_unit_test(test_short_names_need_distance_one),
		cmocka_unit_test(test_frequent_rare_form_is_deliberate),
		cmocka_unit_test(test_name_ratio_key),
		cmocka_unit_test(test_en_us_default_and_news_words),
		cmocka_unit_test(test_en_us_hunspell_fallback),
		cmocka_unit_test(test_closed_compounds),
		cmocka_unit_test(test_two_edit_common_word),
		cmocka_unit_test(test_suggestions_same_as_longer_list),
		cmocka_unit_test(test_two_edit_same_before_and_after_index),
		cmocka_unit_test(test_en_gb_by_name),
		cmocka_unit_test(test_wordset_same_findings_as_hunspell),
		cmocka_unit_test(test_wordset_cache_dir_key),
	};
	int rc = cmocka_run_group_tests_name("spelling", tests, NULL, NULL);
	remove_cache_dir();
	return rc;
}
