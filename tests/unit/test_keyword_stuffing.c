/* test_keyword_stuffing.c -- the keyword-stuffing plugin on articles
 * written for these tests (fictional news, no real copy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

extern const nl_plugin nl_plugin_keyword_stuffing;
#define P (&nl_plugin_keyword_stuffing)

/* "bridge repairs" 11 times: title, and every paragraph (twice in three). */
static const char *STUFFED =
	"Bridge repairs close the east road until spring\n"
	"\n"
	"The county will start bridge repairs on Monday, and drivers who use the east road "
	"should plan another route. Officials expect the work to last until April.\n"
	"\n"
	"Council members voted last week to fund the bridge repairs after an inspection found "
	"rust under the deck. The vote was close, and two members asked for a second opinion "
	"before any money is spent on bridge repairs.\n"
	"\n"
	"Residents near the river say the bridge repairs will add ten minutes to every school "
	"run. A local baker worries that fewer customers will stop by while the bridge repairs "
	"go on.\n"
	"\n"
	"The engineering firm that won the contract has done bridge repairs in three nearby "
	"towns. Its manager promised that crews would work at night when traffic is light.\n"
	"\n"
	"Cyclists will still be able to cross on a narrow path beside the bridge repairs, "
	"according to the plan. Buses will take a detour through the market square.\n"
	"\n"
	"Anyone with questions about the bridge repairs can call the county office or attend "
	"a meeting at the library on Thursday evening. More updates on the bridge repairs will "
	"be posted online.\n"
	"\n"
	"For now, the county asks drivers to be patient while the bridge repairs continue "
	"through the winter.\n";

/* Ordinary local news: nothing repeated beyond what the story needs. */
static const char *CLEAN =
	"Library extends opening hours for exam season\n"
	"\n"
	"The central library will stay open until ten at night from next Monday, giving "
	"students a quiet place to revise before the summer exams. The change runs for six "
	"weeks and costs the town about four thousand pounds.\n"
	"\n"
	"Staff proposed the idea after a survey showed that many pupils had nowhere calm to "
	"study at home. Two volunteers from the reading club offered to help at the front desk "
	"during the late shifts.\n"
	"\n"
	"Parents welcomed the decision. One mother said her son shares a bedroom with two "
	"younger brothers and struggles to concentrate in the evenings.\n"
	"\n"
	"The head librarian hopes the trial will show whether longer hours are worth keeping "
	"all year. She plans to count visitors each night and publish the figures in July.\n"
	"\n"
	"Coffee will not be sold after six, but water is free, and the reading room on the "
	"first floor will be reserved for silent work.\n";

/* A profile: the subject's full name recurs, as it does in real profiles. */
static const char *PROFILE =
	"Maria Okafor takes the helm at the harbour trust\n"
	"\n"
	"Maria Okafor grew up two streets from the docks, and on Tuesday she became the first "
	"local woman to chair the harbour trust. Friends describe Maria Okafor as patient, blunt "
	"and very hard to rush.\n"
	"\n"
	"Before the appointment, Maria Okafor spent twelve years running a boatyard that builds "
	"small fishing vessels. The yard survived two floods and a fire under her care.\n"
	"\n"
	"Trustees chose Maria Okafor over three other candidates after a long interview in "
	"which she argued that the quay needs new lighting and a safer slipway. Several members "
	"said her plan was the most practical one they heard.\n"
	"\n"
	"Colleagues at the boatyard say Maria Okafor never raised her voice, even when orders "
	"were late. One apprentice remembers her teaching him to splice rope on his first day.\n"
	"\n"
	"The trust faces a difficult year. Repairs to the old sea wall are overdue, and a grant "
	"from the regional fund runs out in autumn. Maria Okafor says she will publish the "
	"accounts every quarter so residents can follow the money.\n"
	"\n"
	"Asked what she will miss about the yard, Maria Okafor laughed and said the smell of "
	"fresh varnish. Her first public meeting as chair is set for the end of the month.\n";

/* Title and every subheading carry "ferry fares"; the body hardly does. */
static const char *HEADINGS_MD =
	"# Harbour ferry fares rise in March\n"
	"\n"
	"The harbour company will charge more for crossings from the first of March, the "
	"third increase in two years. A single adult ticket goes up by forty pence.\n"
	"\n"
	"## Why ferry fares went up\n"
	"\n"
	"The company blames fuel prices and the cost of a new engine for its older boat. "
	"Managers say the service still loses money in winter.\n"
	"\n"
	"## How ferry fares compare\n"
	"\n"
	"Tickets remain cheaper than the bus route around the bay, which takes an hour "
	"longer. Regular commuters can buy a monthly pass at a discount.\n"
	"\n"
	"## When ferry fares change next\n"
	"\n"
	"No further rise is planned this year, according to the board, although it will "
	"review prices again after the summer timetable ends.\n";

/* The same in plain text, the shape the evaluation injects: short lines
 * without final punctuation are subheadings. */
static const char *HEADINGS_TXT =
	"Harbour board meets as ferry fares loom\n"
	"\n"
	"What the ferry fares mean for commuters\n"
	"\n"
	"The harbour company will charge more for crossings from the first of March, the "
	"third increase in two years. A single adult ticket goes up by forty pence.\n"
	"\n"
	"The company blames fuel prices and the cost of a new engine for its older boat. "
	"Managers say the service still loses money in winter.\n"
	"\n"
	"Tickets remain cheaper than the bus route around the bay, which takes an hour "
	"longer. Regular commuters can buy a monthly pass at a discount.\n"
	"\n"
	"What the ferry fares mean for families\n"
	"\n"
	"No further rise is planned this year, according to the board, although it will "
	"review prices again after the summer timetable ends.\n"
	"\n"
	"Parents of school children may apply for a reduced rate at the ticket office on "
	"the quay, which opens at seven each morning.\n"
	"\n"
	"The island council says it will ask for a subsidy if the number of passengers falls "
	"during the spring.\n"
	"\n"
	"What the ferry fares mean for tourists\n"
	"\n"
	"Day visitors will pay the full price, but hotels on the island plan to include "
	"crossings in weekend packages.\n";

/* Far under the minimum length, however often the phrase repeats. */
static const char *SHORT =
	"Bridge repairs begin\n"
	"\n"
	"Bridge repairs start today. The bridge repairs close one lane. Drivers should expect "
	"bridge repairs to slow traffic, and the bridge repairs will last a week.\n";

static const nlt_finding *only(const nlt_result *r, const char *rule)
{
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	if (r->n != 1)
		nlt_dump(r);
	assert_int_equal(r->n, 1);
	assert_int_equal(nlt_count(r, rule), 1);
	return nlt_get(r, rule, 0);
}

static void no_findings(const char *ini, const char *text, int format)
{
	nlt_result *r = nlt_run(P, ini, text, format);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	if (r->n)
		nlt_dump(r);
	assert_int_equal(r->n, 0);
	nlt_free(r);
}

static size_t count_words(const char *text, int format)
{
	nl_doc *d = nlt_doc(text, format);
	assert_non_null(d);
	size_t n = d->n_words;
	nlt_doc_free(d);
	return n;
}

static void test_stuffed_one_error_with_numbers(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, NULL, STUFFED, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.overused-phrase");
	assert_int_equal(f->severity, NL_SEV_ERROR);
	/* first occurrence (in the title), the ten others related */
	assert_string_equal(f->text, "Bridge repairs");
	assert_int_equal(f->off, 0);
	assert_int_equal(f->n_related, 10);
	for (size_t i = 0; i < f->n_related; i++) {
		const char *t = STUFFED + f->related[i].off;
		assert_int_equal(f->related[i].len, strlen("bridge repairs"));
		assert_memory_equal(t, "bridge repairs", f->related[i].len);
	}
	size_t words = count_words(STUFFED, NL_FORMAT_TEXT);
	char want[256];
	snprintf(want, sizeof want, "\"bridge repairs\" reads as keyword-stuffed: 11 times in %zu words "
	         "(%.1f per 1000 words, %.1f %% of the text), in the title, in 0 of 0 subheadings, "
	         "in 7 of 7 paragraphs", words, 11000.0 / words, 2200.0 / words);
	assert_string_equal(f->message, want);
	assert_null(strstr(f->message, "spam"));
	nlt_free(r);
}

static void test_clean_article_none(void **s)
{
	(void)s;
	no_findings(NULL, CLEAN, NL_FORMAT_TEXT);
}

static void test_name_profile_none_at_defaults(void **s)
{
	(void)s;
	/* 8 x "Maria Okafor" is well over the 4 % coverage that flags other phrases */
	size_t words = count_words(PROFILE, NL_FORMAT_TEXT);
	assert_true(100.0 * 8 * 2 / words >= 4.0);
	no_findings(NULL, PROFILE, NL_FORMAT_TEXT);
}

static void test_name_profile_flagged_at_lower_name_threshold(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "name_coverage = 4\nname_count = 6\n", PROFILE, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.overused-phrase");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_non_null(strstr(f->message, "\"maria okafor\""));
	assert_non_null(strstr(f->message, "name-like"));
	nlt_free(r);
}

static void test_heading_stuffing_markdown(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, NULL, HEADINGS_MD, NL_FORMAT_MARKDOWN);
	const nlt_finding *f = only(r, "keyword-stuffing.heading-stuffing");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_non_null(strstr(f->message, "\"ferry fares\""));
	assert_non_null(strstr(f->message, "in 3 of 3 subheadings"));
	assert_int_equal(f->n_related, 3);
	nlt_free(r);
}

static void test_heading_stuffing_plain_text(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, NULL, HEADINGS_TXT, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.heading-stuffing");
	assert_non_null(strstr(f->message, "\"ferry fares\""));
	assert_non_null(strstr(f->message, "in 3 of 3 subheadings"));
	nlt_free(r);
}

static void test_heading_share_is_a_key(void **s)
{
	(void)s;
	no_findings("heading_share = 1\nheading_count = 10\n", HEADINGS_MD, NL_FORMAT_MARKDOWN);
}

static void test_declared_keyphrase_far_over(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "keyphrase = the bridge repairs\n", STUFFED, NL_FORMAT_TEXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "keyword-stuffing.overused-phrase"), 1);
	assert_int_equal(nlt_count(r, "keyword-stuffing.keyphrase-density"), 1);
	const nlt_finding *f = nlt_get(r, "keyword-stuffing.keyphrase-density", 0);
	size_t words = count_words(STUFFED, NL_FORMAT_TEXT);
	double factor = 0.7 + 2 / 3.0;
	char want[400];
	/* "the" is a function word: dropped, n = 2 content words */
	snprintf(want, sizeof want, "keyphrase \"the bridge repairs\" occurs 11 times in %zu words: "
	         "density %.2f %% (weighted %.2f), far over the recommended maximum; reads as "
	         "keyword-stuffed; recommended %ld to %ld times",
	         words, 1100.0 / words, 1100.0 / words * factor,
	         (long)(0.5 * words / (100 * factor) + 0.999999), (long)(3.0 * words / (100 * factor)));
	assert_string_equal(f->message, want);
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_string_equal(f->text, "Bridge");
	nlt_free(r);
}

static void test_declared_keyphrase_any_order_and_too_few(void **s)
{
	(void)s;
	/* "hours ... opening" never share a sentence in that order, but any order counts */
	nlt_result *r = nlt_run(P, "keyphrase = opening hours\n", CLEAN, NL_FORMAT_TEXT);
	assert_int_equal(r->n, 0); /* 1 occurrence in ~190 words: weighted ~0.7, fine */
	nlt_free(r);
	r = nlt_run(P, "keyphrase = ferry timetable\n", CLEAN, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.keyphrase-density");
	assert_non_null(strstr(f->message, "occurs 0 times"));
	assert_non_null(strstr(f->message, "under the recommended minimum"));
	nlt_free(r);
}

static void test_declared_keyphrase_subheadings(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "keyphrase = ferry fares\n", HEADINGS_MD, NL_FORMAT_MARKDOWN);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(nlt_count(r, "keyword-stuffing.heading-stuffing"), 1);
	size_t n = nlt_count(r, "keyword-stuffing.keyphrase-density");
	int over = 0;
	for (size_t i = 0; i < n; i++)
		over |= strstr(nlt_get(r, "keyword-stuffing.keyphrase-density", i)->message,
		               "in 3 of 3 subheadings (over 75 %)") != NULL;
	assert_true(over);
	nlt_free(r);
}

static void test_keyphrase_of_function_words_is_a_config_error(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "keyphrase = of the\n", CLEAN, NL_FORMAT_TEXT);
	assert_int_not_equal(r->create_status, 0);
	assert_non_null(strstr(r->errors, "keyphrase"));
	nlt_free(r);
}

static void test_short_text_below_minimum(void **s)
{
	(void)s;
	assert_true(count_words(SHORT, NL_FORMAT_TEXT) < 100);
	no_findings(NULL, SHORT, NL_FORMAT_TEXT);
	no_findings("keyphrase = bridge repairs\n", SHORT, NL_FORMAT_TEXT);
}

static void test_min_words_is_a_key(void **s)
{
	(void)s;
	no_findings("min_words = 1000\n", STUFFED, NL_FORMAT_TEXT);
	nlt_result *r = nlt_run(P, "min_words = 10\nwarning_count = 4\n", SHORT, NL_FORMAT_TEXT);
	assert_int_equal(nlt_count(r, "keyword-stuffing.overused-phrase"), 1);
	nlt_free(r);
}

static void test_bad_threshold_is_a_config_error(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "warning_coverage = lots\n", CLEAN, NL_FORMAT_TEXT);
	assert_int_not_equal(r->create_status, 0);
	assert_non_null(strstr(r->errors, "warning_coverage"));
	nlt_free(r);
}

/* A phrase bolted onto sentence ends (" amid <phrase>.") at a modest share. */
static void test_bolted_on_phrase_warning(void **s)
{
	(void)s;
	char text[4096];
	snprintf(text, sizeof text, "%s",
	         "Council debates the new parking rules\n\n"
	         "The council met on Tuesday to discuss parking in the old town amid budget cuts. "
	         "Shop owners filled the public gallery and several of them spoke.\n\n"
	         "A baker said customers cannot find a space before nine. A florist asked for "
	         "short stays to be free, while a cafe owner wanted longer limits on budget cuts.\n\n"
	         "Officers proposed a trial of new signs and a reduced fee after six. The leader "
	         "of the council said a decision would come next month over budget cuts.\n\n"
	         "Residents of the narrow lanes near the church want permits for their streets, "
	         "and a petition with three hundred names was handed in. Traffic wardens will "
	         "count empty bays each morning during the trial.\n\n"
	         "Local bus operators were not invited, although their routes pass the busiest "
	         "car parks, and one driver wrote to the council asking for a seat at the table.\n\n"
	         "The meeting ended after two hours with no vote.\n");
	size_t words = count_words(text, NL_FORMAT_TEXT);
	/* 3 uses: under the 6 uses of the plain warning, over the 3.5 % bolted bar */
	assert_true(100.0 * 3 * 2 / words >= 3.5);
	assert_true(100.0 * 3 * 2 / words < 6.0);
	nlt_result *r = nlt_run(P, NULL, text, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.overused-phrase");
	assert_int_equal(f->severity, NL_SEV_WARNING);
	assert_non_null(strstr(f->message, "\"budget cuts\" reads as keyword-stuffed: 3 times"));
	assert_int_equal(f->n_related, 2);
	nlt_free(r);
	/* bolted_share is a key: require every use to end its sentence, then 4 uses */
	no_findings("bolted_count = 4\n", text, NL_FORMAT_TEXT);
}

static void test_repeated_word_runs_count_without_overlap(void **s)
{
	(void)s;
	/* "very very very" style runs must not inflate counts: "rain rain" x 1 per run */
	char text[8192] = "";
	strcat(text, "Weather report for the coast\n\n");
	for (int i = 0; i < 8; i++)
		strcat(text, "Forecasters promise rain rain rain along the shore today, and the ferry "
		             "crews will check their boats twice before leaving the harbour.\n\n");
	nlt_result *r = nlt_run(P, NULL, text, NL_FORMAT_TEXT);
	assert_int_equal(r->check_status, 0);
	for (size_t i = 0; i < r->n; i++)
		if (strstr(r->findings[i].message, "\"rain rain\""))
			assert_non_null(strstr(r->findings[i].message, "8 times"));
	nlt_free(r);
}

/* A headline with its deck on the next line ("Headline;\ndeck", no blank
 * line between) is the title block; deck_max_words bounds the deck. */
static void test_two_line_headline_is_the_title(void **s)
{
	(void)s;
	char text[4096];
	const char *body = strchr(HEADINGS_TXT, '\n'); /* drop the one-line title */
	snprintf(text, sizeof text, "Harbour board meets on Tuesday;\nferry fares loom over the vote%s", body);
	nlt_result *r = nlt_run(P, NULL, text, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.heading-stuffing");
	assert_non_null(strstr(f->message, "in the title and in 3 of 3 subheadings"));
	nlt_free(r);
	no_findings("deck_max_words = 0\n", text, NL_FORMAT_TEXT);
}

/* Title + 3 subheadings with the phrase, among 5 subheadings: heading_count. */
static void test_heading_count_despite_other_subheadings(void **s)
{
	(void)s;
	char text[4096];
	snprintf(text, sizeof text, "%s\n## Timetable\n\nBoats leave every hour from six.\n\n"
	         "## Parking\n\nThe car park by the quay is free after seven.\n", HEADINGS_MD);
	nlt_result *r = nlt_run(P, NULL, text, NL_FORMAT_MARKDOWN);
	const nlt_finding *f = only(r, "keyword-stuffing.heading-stuffing");
	assert_non_null(strstr(f->message, "in 3 of 5 subheadings"));
	nlt_free(r);
	no_findings("heading_count = 4\n", text, NL_FORMAT_MARKDOWN);
}

/* Markup left in plain text (embedded posts) is not prose. */
static void test_markup_tags_are_not_phrases(void **s)
{
	(void)s;
	static const char *notes[] = { "Great news for students", "Finally some quiet",
		"Will the cafe stay open", "My daughter will love this", "About time",
		"Who pays for the heating", "Nice idea", "See you there" };
	char text[8192];
	size_t o = (size_t)snprintf(text, sizeof text, "%s", CLEAN);
	for (int i = 0; i < 8; i++)
		o += (size_t)snprintf(text + o, sizeof text - o,
		                      "\n<post pic=\"\" author=\"reader%d\" post_id=\"%d\">%s.</post>.\n",
		                      i, 1000 + i, notes[i]);
	no_findings(NULL, text, NL_FORMAT_TEXT);
}

/* The stuffed article of the domain note: a 3-word phrase in the title, in
 * every subheading and in every paragraph: exactly one error, on the whole
 * phrase (its 2-word parts are absorbed), no separate heading finding. */
static const char *STUFFED3_MD =
	"# Northport harbour tunnel: everything about the Northport harbour tunnel\n"
	"\n"
	"The Northport harbour tunnel will open next year, and the Northport harbour tunnel "
	"is already changing how people plan their commute.\n"
	"\n"
	"## Why the Northport harbour tunnel matters\n"
	"\n"
	"Ferries carry fewer cars every winter. Supporters say the Northport harbour tunnel "
	"will cut the trip across the bay to six minutes.\n"
	"\n"
	"## Who pays for the Northport harbour tunnel\n"
	"\n"
	"The city borrowed most of the money. Tolls on the Northport harbour tunnel will repay "
	"the loan over thirty years, according to the finance office.\n"
	"\n"
	"## How the Northport harbour tunnel was built\n"
	"\n"
	"Engineers sank twelve concrete sections into a trench on the sea floor. Divers joined "
	"the sections of the Northport harbour tunnel one by one through the summer.\n"
	"\n"
	"## What the Northport harbour tunnel means for you\n"
	"\n"
	"Drivers should expect a toll of three pounds. Cyclists may not use the Northport "
	"harbour tunnel, but a shuttle bus will take bicycles across for free.\n"
	"\n"
	"Residents can visit the Northport harbour tunnel on an open day in May, when the "
	"builders will offer guided walks before the first cars arrive.\n";

static void test_stuffed_three_word_phrase_one_error(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, NULL, STUFFED3_MD, NL_FORMAT_MARKDOWN);
	const nlt_finding *f = only(r, "keyword-stuffing.overused-phrase");
	assert_int_equal(f->severity, NL_SEV_ERROR);
	assert_non_null(strstr(f->message, "\"northport harbour tunnel\" reads as keyword-stuffed: 13 times"));
	assert_non_null(strstr(f->message, "in the title, in 4 of 4 subheadings, in 6 of 6 paragraphs"));
	assert_int_equal(f->n_related, 12);
	nlt_free(r);
}

/* STUFFED with its phrase replaced, occurrence by occurrence, by the
 * spellings given (cycled); the caller frees the text. */
static char *respell(const char *const *spellings, size_t n)
{
	size_t cap = strlen(STUFFED) * 3 + 1, o = 0, k = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	for (const char *p = STUFFED; *p;) {
		if (strncmp(p, "bridge repairs", 14) == 0 || strncmp(p, "Bridge repairs", 14) == 0) {
			const char *w = spellings[k++ % n];
			memcpy(out + o, w, strlen(w));
			o += strlen(w);
			p += 14;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

/* The same phrase found through every path of the word table: words of
 * 8..16 bytes and of more than 16, ASCII and not, possessives with a
 * straight or a curly apostrophe, any case. */
static void test_phrase_spelled_every_way_is_one_phrase(void **s)
{
	(void)s;
	static const char *const sp[] = {
		"Telecommunications infrastructure",
		"telecommunications infrastructure",
		"telecommunications's infrastructure",
		"telecommunications\u2019s infrastructure",
		"Telecommunications Infrastructure's",
		"telecommunications infrastructure\u2019s",
	};
	char *text = respell(sp, sizeof sp / sizeof sp[0]);
	nlt_result *r = nlt_run(P, NULL, text, NL_FORMAT_TEXT);
	const nlt_finding *f = only(r, "keyword-stuffing.overused-phrase");
	assert_int_equal(f->off, 0);
	assert_int_equal(f->n_related, 10);
	assert_non_null(strstr(f->message, "\"telecommunications infrastructure\" reads as "
	                                   "keyword-stuffed: 11 times"));
	nlt_free(r);
	free(text);
	/* two different long words sharing their first 16 bytes are two words */
	static const char *const mixed[] = {
		"internationalisation plans", "internationalisations plans",
	};
	text = respell(mixed, 2);
	r = nlt_run(P, NULL, text, NL_FORMAT_TEXT);
	for (size_t i = 0; i < r->n; i++)
		assert_null(strstr(r->findings[i].message, "11 times"));
	nlt_free(r);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stuffed_one_error_with_numbers),
		cmocka_unit_test(test_clean_article_none),
		cmocka_unit_test(test_name_profile_none_at_defaults),
		cmocka_unit_test(test_name_profile_flagged_at_lower_name_threshold),
		cmocka_unit_test(test_heading_stuffing_markdown),
		cmocka_unit_test(test_heading_stuffing_plain_text),
		cmocka_unit_test(test_heading_share_is_a_key),
		cmocka_unit_test(test_declared_keyphrase_far_over),
		cmocka_unit_test(test_declared_keyphrase_any_order_and_too_few),
		cmocka_unit_test(test_declared_keyphrase_subheadings),
		cmocka_unit_test(test_keyphrase_of_function_words_is_a_config_error),
		cmocka_unit_test(test_short_text_below_minimum),
		cmocka_unit_test(test_min_words_is_a_key),
		cmocka_unit_test(test_bad_threshold_is_a_config_error),
		cmocka_unit_test(test_bolted_on_phrase_warning),
		cmocka_unit_test(test_repeated_word_runs_count_without_overlap),
		cmocka_unit_test(test_two_line_headline_is_the_title),
		cmocka_unit_test(test_heading_count_despite_other_subheadings),
		cmocka_unit_test(test_markup_tags_are_not_phrases),
		cmocka_unit_test(test_stuffed_three_word_phrase_one_error),
		cmocka_unit_test(test_phrase_spelled_every_way_is_one_phrase),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
