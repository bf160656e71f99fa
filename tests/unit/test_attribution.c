/* test_attribution.c -- unit tests of the attribution plugin (all texts
 * written for the project; names and places are invented). */
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

extern const nl_plugin nl_plugin_attribution;
#define P (&nl_plugin_attribution)
#define TXT NL_FORMAT_TEXT

#define VAGUE "vague-source"
#define ANON "anonymous-source"
#define UQ "unattributed-quote"
#define SQ "scare-quote"
#define LOADED "loaded-verb"
#define STAT "unsourced-statistic"

/* Title line first, as in an article: the body starts after a blank line. */
#define HEAD "Council weighs new budget\n\n"

static size_t count_ini(const char *ini, const char *text, const char *rule, int dump_if_found)
{
	nlt_result *r = nlt_run(P, ini, text, TXT);
	assert_non_null(r);
	if (r->create_status != 0)
		fprintf(stderr, "create failed: %s\n", r->errors ? r->errors : "");
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	size_t n = nlt_count(r, rule);
	if ((n != 0) == dump_if_found)
		nlt_dump(r);
	nlt_free(r);
	return n;
}

/* count, printing the findings when some were found (helps a failing
 * negative test) */
static size_t count(const char *text, const char *rule)
{
	return count_ini(NULL, text, rule, 1);
}

/* count, printing the findings when none was found (for positive tests) */
static size_t count_pos(const char *text, const char *rule)
{
	return count_ini(NULL, text, rule, 0);
}

/* the text of the first finding of rule */
static void first_text(const char *text, const char *rule, char *out, size_t n)
{
	nlt_result *r = nlt_run(P, NULL, text, TXT);
	assert_int_equal(r->create_status, 0);
	const nlt_finding *f = nlt_get(r, rule, 0);
	assert_non_null(f);
	snprintf(out, n, "%s", f->text);
	nlt_free(r);
}

/* ---- vague-source ---- */

static void vague_experts_say(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Experts say the bridge will need repairs within a decade.\n", VAGUE), 1);
}

/* The scan finds where a phrase may start 64 positions at a time (with 64
 * bytes after them; the text's end, a byte at a time): a vague source
 * after every length of prose (words, digits, an apostrophe, a
 * hyphen, punctuation, a non-ASCII letter) is found, at its place. */
static void vague_found_after_any_length_of_text(void **s)
{
	(void)s;
	static const char filler[] =
		"The council met on Tuesday; the mayor's aide-de-camp spoke for 42 minutes "
		"about roads, parks (and bins) in Zürich's old town, then left_early. ";
	for (size_t k = 0; k < sizeof filler; k++) {
		if (((unsigned char)filler[k] & 0xC0) == 0x80)
			continue;   /* not inside a character */
		char text[400];
		snprintf(text, sizeof text, "%s%.*s. Experts say the bridge will need repairs. It opened in "
			 "1931 and has carried cars and trams over the river since then.\n", HEAD, (int)k, filler);
		nlt_result *r = nlt_run(P, NULL, text, TXT);
		assert_non_null(r);
		assert_int_equal(r->check_status, 0);
		if (nlt_count(r, VAGUE) != 1) {
			fprintf(stderr, "after %zu bytes: %s", k, text);
			nlt_dump(r);
		}
		assert_int_equal(nlt_count(r, VAGUE), 1);
		const nlt_finding *f = nlt_get(r, VAGUE, 0);
		assert_int_equal(f->off, (uint32_t)(strstr(text, "Experts") - text));
		nlt_free(r);
	}
}

static void vague_it_is_believed(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "It is widely believed that the mayor will not run again.\n", VAGUE), 1);
}

static void vague_some_officials(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Some city officials privately said the plan was too costly.\n", VAGUE), 1);
}

static void vague_regarded_as(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The depot is widely regarded as the worst in the region.\n", VAGUE), 1);
}

static void vague_named_outlet_before_poll(void **s)
{
	(void)s;
	/* a named outlet right before "polls show" */
	assert_int_equal(count(HEAD "Recent Harborview polls show the mayor ahead by six points.\n", VAGUE), 0);
	assert_int_equal(count_pos(HEAD "Recent polls show the mayor ahead by six points.\n", VAGUE), 1);
}

static void vague_named_after(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Studies show the scheme works, according to Northfield University.\n", VAGUE), 0);
}

static void vague_inside_quote_skipped(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"Experts say we are wrong, but they never visit,\" Dana Pell said.\n", VAGUE), 0);
}

static void vague_one_per_sentence(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Critics say it is believed that analysts say nothing.\n", VAGUE), 1);
}

/* ---- anonymous-source ---- */

static void anon_officials_said(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Senior city officials said the tunnel would close in May.\n", ANON), 1);
}

static void anon_condition_of_anonymity(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Two officials said the tunnel would close in May. They spoke on condition of "
	                       "anonymity because the plan has not been announced.\n", ANON), 0);
}

static void anon_not_authorized(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "A senior aide said the vote was delayed, speaking because he was not "
	                       "authorized to discuss it in public.\n", ANON), 0);
}

static void anon_named_spokesman(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "City spokesman Rafael Ortiz said the tunnel would close in May.\n", ANON), 0);
	assert_int_equal(count(HEAD "Mira Kastell, a spokeswoman for the council, said the vote was delayed.\n", ANON), 0);
}

static void anon_not_the_speaker(void **s)
{
	(void)s;
	/* the officials are not who speaks here */
	assert_int_equal(count(HEAD "Brandt said she had written to state officials about the tunnel last year.\n", ANON), 0);
	assert_int_equal(count_pos(HEAD "The tunnel will close in May, said a senior transport official.\n", ANON), 1);
}

static void anon_no_say(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Officials closed the tunnel in May.\n", ANON), 0);
}

/* ---- unattributed-quote ---- */

static void uq_plain(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The council met on Tuesday.\n\n"
	                           "\"We will fix every road in this town before winter comes.\"\n", UQ), 1);
}

static void uq_he_said_after(void **s)
{
	(void)s;
	/* quotation followed by ", he said" */
	assert_int_equal(count(HEAD "\"We will fix every road in this town before winter,\" he said.\n", UQ), 0);
	assert_int_equal(count(HEAD "\xE2\x80\x9CWe will fix every road in this town before winter,\xE2\x80\x9D "
	                       "said Mayor Lena Brandt.\n", UQ), 0);
}

static void uq_name_colon(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Lena Brandt: \"We will fix every road in this town before winter.\"\n", UQ), 0);
}

static void uq_say_in_paragraph(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "The mayor spoke for an hour. \"We will fix every road in this town before winter.\" "
	                       "She said the money was there.\n", UQ), 0);
}

static void uq_inherits_previous_paragraph(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"The roads come first,\" Mayor Lena Brandt said on Tuesday.\n\n"
	                       "\"We will fix every road in this town before winter comes.\"\n", UQ), 0);
	/* the previous paragraph has no speech verb: no speaker to inherit */
	assert_int_equal(count_pos(HEAD "The council met on Tuesday in the old hall.\n\n"
	                           "\"We will fix every road in this town before winter comes.\"\n", UQ), 1);
}

/* A paragraph of nothing but a quotation holds none of the reporter's
 * words (the words inside the quotation do not count as such): the
 * speaker is looked for in the paragraph before it, and further back. */
static void uq_inherits_over_quotation_only_paragraph(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"The roads come first,\" Mayor Lena Brandt said on Tuesday.\n\n"
	                       "\xE2\x80\x9CWe will fix every road in this town before winter comes\xE2\x80\x9D.\n\n"
	                       "\xE2\x80\x9CThen we will start on the bridges, one by one\xE2\x80\x9D.\n", UQ), 0);
	/* a paragraph of the reporter's between them: the speaker is not taken over it */
	assert_int_equal(count_pos(HEAD "\"The roads come first,\" Mayor Lena Brandt said on Tuesday.\n\n"
	                           "The council met again in the old hall.\n\n"
	                           "\xE2\x80\x9CThen we will start on the bridges, one by one\xE2\x80\x9D.\n", UQ), 1);
}

static void uq_multi_paragraph(void **s)
{
	(void)s;
	/* one quotation over two paragraphs: the first re-opens without closing */
	assert_int_equal(count(HEAD "Mayor Lena Brandt said:\n\n"
	                       "\xE2\x80\x9CWe will fix every road in this town before winter comes.\n\n"
	                       "\xE2\x80\x9C" "And then we will start on the bridges, one by one.\xE2\x80\x9D\n", UQ), 0);
	assert_int_equal(count_pos(HEAD "The council met on Tuesday in the old hall.\n\n"
	                           "\xE2\x80\x9CWe will fix every road in this town before winter comes.\n\n"
	                           "\xE2\x80\x9C" "And then we will start on the bridges, one by one.\xE2\x80\x9D\n", UQ), 1);
}

static void uq_introduced_with_comma(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Asked about the delay, Brandt shot back, \"Nobody on this council wants it.\"\n", UQ), 0);
}

static void uq_partial_lower_case(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Brandt called the delay \"a failure of every single one of us\" at the meeting.\n", UQ), 0);
}

static void uq_title_case(void **s)
{
	(void)s;
	/* a title in quotation marks with no speaker */
	assert_int_equal(count_pos(HEAD "Brandt appeared on the radio show \"Morning With The Valley Folks\" on Monday.\n", UQ), 1);
	/* ... introduced as a title */
	assert_int_equal(count(HEAD "Brandt wrote a book titled \"Roads And Bridges Of The Valley\" last year.\n", UQ), 0);
	/* small words in lower case still make a title (the message says to
	 * introduce it as one); a lower-case word that is not one does not
	 * (the small-word test stops at the first word that fails it) */
	static const struct { const char *quote; int title; } cases[] = {
		{ "Morning with the Valley Folks", 1 },
		{ "Roads and Bridges of the Valley", 1 },
		{ "Morning with the valley folks", 0 },
		{ "Roads and bridges of the Valley", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, HEAD "Brandt appeared on the radio show \"%s\" on Monday.\n",
			 cases[i].quote);
		nlt_result *r = nlt_run(P, NULL, text, TXT);
		assert_non_null(r);
		const nlt_finding *f = nlt_get(r, UQ, 0);
		if (!f)
			nlt_dump(r);
		assert_non_null(f);
		assert_int_equal(strstr(f->message, "a title or a name") != NULL, cases[i].title);
		nlt_free(r);
	}
}

static void uq_speaker_goes_on(void **s)
{
	(void)s;
	/* "..., she added." then a second quotation in the same paragraph */
	assert_int_equal(count(HEAD "\"The roads come first,\" the mayor added. \"Then the bridges, and then the parks.\"\n", UQ), 0);
}

static void uq_it_read(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"Vote for the roads on Tuesday, not the parks,\" the sign read.\n", UQ), 0);
}

static void uq_dash_signature(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"The roads come first and the bridges come next.\"\n\n- Lena Brandt, mayor.\n", UQ), 0);
}

static void uq_short_is_not_long(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "The plan is \"dead on arrival\" now.\n", UQ), 0);
}

/* ---- scare-quote ---- */

static void sq_plain(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The council's \"reform\" will cost the town millions.\n", SQ), 1);
}

static void sq_single_curly(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The council\xE2\x80\x99s \xE2\x80\x98reform\xE2\x80\x99 will cost the town millions.\n", SQ), 1);
}

static void sq_so_called(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "The so-called \"reform\" will cost the town millions.\n", SQ), 0);
	assert_int_equal(count(HEAD "Residents dubbed it the \"pothole tax\" within a week.\n", SQ), 0);
}

static void sq_he_said(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"Absolutely not,\" he said.\n", SQ), 0);
	assert_int_equal(count(HEAD "Brandt said \"never\" when asked.\n", SQ), 0);
}

static void sq_partial_with_speaker(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "The plan was a \"disaster,\" Brandt told reporters on Friday.\n", SQ), 0);
	assert_int_equal(count(HEAD "Brandt dismissed the report as \"absurd\" on Friday.\n", SQ), 0);
}

static void sq_title_on_show(void **s)
{
	(void)s;
	/* a speech verb, then "on" and the show's name: the show is not the speaker's words */
	assert_int_equal(count_pos(HEAD "\"We are ready,\" Brandt said on \"Valley Today\" last week.\n", SQ), 1);
}

static void sq_span_is_quote(void **s)
{
	(void)s;
	char t[64];
	first_text(HEAD "The council's \"reform\" will cost the town millions.\n", SQ, t, sizeof t);
	assert_string_equal(t, "\"reform\"");
}

static void sq_speaker_goes_on(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"Can we pay for it?\" Brandt said. \"Not yet.\"\n", SQ), 0);
}

static void sq_headline_name_colon(void **s)
{
	(void)s;
	assert_int_equal(count("Brandt: Budget Plan Is \xE2\x80\x98Not Ready\xE2\x80\x99\n\nThe mayor spoke on Monday.\n", SQ), 0);
	/* a colon that does not follow a name or a speech verb explains nothing */
	assert_int_equal(count_pos(HEAD "The plan has one flaw: the \"reform\" costs too much.\n", SQ), 1);
}

static void sq_title_embedded_then_verb(void **s)
{
	(void)s;
	/* the verb after a title woven into the sentence is not the title's speaker */
	assert_int_equal(count_pos(HEAD "Speaking on \"Valley Today,\" Brandt admitted that the plan was late.\n", SQ), 1);
}

/* ---- loaded-verb ---- */

static void loaded_claimed_that(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Brandt claimed that the budget was balanced.\n", LOADED), 1);
	assert_int_equal(count_pos(HEAD "\"The budget is balanced,\" Brandt insisted.\n", LOADED), 1);
}

static void loaded_claimed_responsibility(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "A little-known group claimed responsibility for the fire.\n", LOADED), 0);
	assert_int_equal(count(HEAD "The storm claimed 40 lives along the coast.\n", LOADED), 0);
	assert_int_equal(count(HEAD "Two workers were admitted to the hospital on Monday.\n", LOADED), 0);
}

static void loaded_flatly_denied(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The treasurer flatly denied the report on Monday.\n", LOADED), 1);
}

static void loaded_noun_and_passive(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Brandt repeated her claim that the budget was balanced.\n", LOADED), 0);
	assert_int_equal(count(HEAD "The memo was later revealed to be a forgery.\n", LOADED), 0);
}

static void loaded_said_is_neutral(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Brandt said that the budget was balanced.\n", LOADED), 0);
}

static void loaded_inside_quote(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "\"They claimed that we lied about the budget,\" Brandt said.\n", LOADED), 0);
}

/* ---- unsourced-statistic ---- */

static void stat_percent(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The town has grown fast. About 62 percent of residents now rent.\n", STAT), 1);
}

static void stat_with_poll(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "A county survey was released on Monday. About 62 percent of residents now rent.\n", STAT), 0);
	assert_int_equal(count(HEAD "About 62 percent of residents now rent, the council said.\n", STAT), 0);
}

static void stat_most_voters(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The levy is dead. Most voters simply do not want it.\n", STAT), 1);
}

/* ---- configuration ---- */

static void cfg_add_speech_verb(void **s)
{
	(void)s;
	const char *t = HEAD "The council met on Tuesday.\n\n\"We will fix every road in this town before winter,\" "
	                "the mayor hollered.\n";
	/* "hollered" ends in -ed after "the mayor": the after-quote pattern knows it */
	assert_int_equal(count_ini(NULL, t, UQ, 1), 0);
	const char *t2 = HEAD "The council met on Tuesday.\n\n\"We will fix every road in this town before winter.\" "
	                 "Brandt hollered it twice.\n";
	assert_int_equal(count_ini(NULL, t2, UQ, 0), 1);
	assert_int_equal(count_ini("speech_verbs_add = holler|hollers|hollered\n", t2, UQ, 1), 0);
}

static void cfg_replace_list(void **s)
{
	(void)s;
	/* replacing the naming words with one word: "so-called" no longer excuses */
	assert_int_equal(count_ini("naming_words = dubbed\n",
	                           HEAD "The so-called \"reform\" will cost the town millions.\n", SQ, 0), 1);
}

static void cfg_bad_pattern(void **s)
{
	(void)s;
	nlt_result *r = nlt_run(P, "speech_verbs_add = said(\n", "Nothing here.\n", TXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(r->errors);
	assert_non_null(strstr(r->errors, "speech_verbs_add"));
	assert_non_null(strstr(r->errors, "offset"));
	nlt_free(r);
}

static void cfg_bad_pattern_in_file(void **s)
{
	(void)s;
	char path[] = "/tmp/nl-attr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *body = "# test list\nsaid\nwrote[\n";
	assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	char ini[128];
	snprintf(ini, sizeof ini, "speech_verbs_file = %s\n", path);
	nlt_result *r = nlt_run(P, ini, "Nothing here.\n", TXT);
	unlink(path);
	assert_int_equal(r->create_status, NL_ECONFIG);
	assert_non_null(r->errors);
	char want[64];
	snprintf(want, sizeof want, "%s:3:", path);
	if (!strstr(r->errors, want))
		fprintf(stderr, "errors: %s\n", r->errors);
	assert_non_null(strstr(r->errors, want));
	assert_non_null(strstr(r->errors, "offset"));
	nlt_free(r);
}

static void cfg_thresholds(void **s)
{
	(void)s;
	const char *t = HEAD "The council met on Tuesday.\n\n\"We will fix every road in this town before winter comes.\"\n";
	assert_int_equal(count_ini("quote_min_words = 20\nscare_max_words = 3\n", t, UQ, 1), 0);
	nlt_result *r = nlt_run(P, "scare_max_words = 5\nquote_min_words = 4\n", t, TXT);
	assert_int_equal(r->create_status, NL_ECONFIG);
	nlt_free(r);
}

static void cfg_pattern_cannot_hang(void **s)
{
	(void)s;
	/* a catastrophic pattern is stopped by the match limit, the check goes on */
	char text[600];
	memcpy(text, HEAD, strlen(HEAD));
	size_t n = strlen(HEAD);
	memset(text + n, 'a', 400);
	n += 400;
	memcpy(text + n, "c \"reform\" is here.\n", 21);
	text[n + 21] = 0;
	nlt_result *r = nlt_run(P, "speech_verbs_add = (?:a+)+b\nmatch_limit = 10000\n", text, TXT);
	assert_int_equal(r->create_status, 0);
	assert_int_equal(r->check_status, 0);
	assert_int_equal(nlt_count(r, SQ), 1);
	nlt_free(r);
}

static void cfg_empty_list(void **s)
{
	(void)s;
	/* an emptied list never matches: every short quotation is a scare quote */
	assert_int_equal(count_ini("naming_words =\nspeech_verbs =\nloaded_verbs =\n",
	                           HEAD "The so-called \"reform\" will cost the town millions.\n", SQ, 0), 1);
}

static void empty_and_odd_input(void **s)
{
	(void)s;
	assert_int_equal(count("", UQ), 0);
	assert_int_equal(count("\"\"\n", SQ), 0);
	assert_int_equal(count(HEAD "\"Unclosed quotation that runs on and on to the end\n", SQ), 0);
	/* a stray opening mark is not a quotation without a speaker */
	assert_int_equal(count(HEAD "The council met on Tuesday and \"voted to close the old depot for good.\n", UQ), 0);
	assert_int_equal(count(HEAD "<tweet author=\"someone\" date=\"2020\">A post</tweet>\n", VAGUE), 0);
}

/* ---- the speed paths give the same findings ---- */

/* One paragraph n times: its patterns are used far more than JIT_AFTER
 * times, so the later copies are matched by the JIT-compiled codes and the
 * earlier ones by the interpreter. */
static char *repeat(const char *para, size_t n)
{
	size_t k = strlen(para), m = strlen(HEAD);
	char *t = malloc(m + n * k + 1);
	assert_non_null(t);
	memcpy(t, HEAD, m);
	for (size_t i = 0; i < n; i++)
		memcpy(t + m + i * k, para, k);
	t[m + n * k] = 0;
	return t;
}

static void speed_jit_midway_same_findings(void **s)
{
	(void)s;
	const char *para = "Experts say the depot will close. The mayor said it would not. "
	                   "About 62 percent of residents now rent. Officials said the plan is \"a scandal\".\n\n";
	char *one = repeat(para, 1), *many = repeat(para, 700);
	nlt_result *r1 = nlt_run(P, NULL, one, TXT), *rn = nlt_run(P, NULL, many, TXT);
	assert_int_equal(rn->check_status, 0);
	assert_true(r1->n > 0);
	assert_int_equal(rn->n, 700 * r1->n);
	for (size_t i = 0; i < rn->n; i++)   /* every copy: the same rules in the same order */
		assert_string_equal(rn->findings[i].rule, r1->findings[i % r1->n].rule);
	nlt_free(r1);
	nlt_free(rn);
	free(one);
	free(many);
}

/* The prefilter folds digits: any number before "percent" is a candidate,
 * a number without one is not a statistic. */
static void speed_digits_folded(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "The town has grown fast. In 2016, 7 percent of residents rented.\n", STAT), 1);
	assert_int_equal(count_pos(HEAD "The town has grown fast. In 2016, 93.25% of residents rented.\n", STAT), 1);
	assert_int_equal(count(HEAD "The town has grown fast. In 2016, 1,200 residents rented 340 homes.\n", STAT), 0);
}

/* The prefilter's 4-byte table: strings of 3 bytes and longer ones that
 * share their first 3 are all still found, and a 4th byte no string has
 * sends nothing to PCRE2 that would match. */
static void speed_fourth_byte(void **s)
{
	(void)s;
	const char *add = "vague_sources_add = zek|zekmid sources say|zekba insiders\n";
	assert_int_equal(count_ini(add, HEAD "A zek told the council.\n", VAGUE, 0), 1);
	assert_int_equal(count_ini(add, HEAD "Zekmid sources say the depot will close.\n", VAGUE, 0), 1);
	assert_int_equal(count_ini(add, HEAD "Zekba insiders doubt the plan.\n", VAGUE, 0), 1);
	assert_int_equal(count_ini(add, HEAD "The zekmids fell in value.\n", VAGUE, 1), 0);
	assert_int_equal(count_ini(add, HEAD "The zeks grazed.\n", VAGUE, 1), 0);
}

/* A text holding U+017F (long s) or U+212A (Kelvin sign) is scanned without
 * the prefilter: the same findings. */
static void speed_unfiltered_text(void **s)
{
	(void)s;
	assert_int_equal(count_pos(HEAD "Experts say the depot will close. It costs 3 \xC5\xBF.\n", VAGUE), 1);
	assert_int_equal(count_pos(HEAD "Experts say the depot will close at 300 \xE2\x84\xAA.\n", VAGUE), 1);
	assert_int_equal(count(HEAD "The depot will close at 300 \xE2\x84\xAA.\n", VAGUE), 0);
}

/* Text that is not UTF-8 gets no findings (and no crash). */
static void speed_not_utf8(void **s)
{
	(void)s;
	assert_int_equal(count(HEAD "Experts say the depot \xC0\xAF will close.\n", VAGUE), 0);
	assert_int_equal(count(HEAD "Experts say the depot \xED\xA0\x80 will close.\n", VAGUE), 0);
	assert_int_equal(count(HEAD "Experts say the depot will close \xF4\x90\x80\x80\n", VAGUE), 0);
	assert_int_equal(count_pos(HEAD "Experts say the depot will close \xF4\x8F\xBF\xBF\n", VAGUE), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vague_experts_say),
		cmocka_unit_test(vague_found_after_any_length_of_text),
		cmocka_unit_test(vague_it_is_believed),
		cmocka_unit_test(vague_some_officials),
		cmocka_unit_test(vague_regarded_as),
		cmocka_unit_test(vague_named_outlet_before_poll),
		cmocka_unit_test(vague_named_after),
		cmocka_unit_test(vague_inside_quote_skipped),
		cmocka_unit_test(vague_one_per_sentence),
		cmocka_unit_test(anon_officials_said),
		cmocka_unit_test(anon_condition_of_anonymity),
		cmocka_unit_test(anon_not_authorized),
		cmocka_unit_test(anon_named_spokesman),
		cmocka_unit_test(anon_not_the_speaker),
		cmocka_unit_test(anon_no_say),
		cmocka_unit_test(uq_plain),
		cmocka_unit_test(uq_he_said_after),
		cmocka_unit_test(uq_name_colon),
		cmocka_unit_test(uq_say_in_paragraph),
		cmocka_unit_test(uq_inherits_previous_paragraph),
		cmocka_unit_test(uq_inherits_over_quotation_only_paragraph),
		cmocka_unit_test(uq_multi_paragraph),
		cmocka_unit_test(uq_introduced_with_comma),
		cmocka_unit_test(uq_partial_lower_case),
		cmocka_unit_test(uq_title_case),
		cmocka_unit_test(uq_speaker_goes_on),
		cmocka_unit_test(uq_it_read),
		cmocka_unit_test(uq_dash_signature),
		cmocka_unit_test(uq_short_is_not_long),
		cmocka_unit_test(sq_plain),
		cmocka_unit_test(sq_single_curly),
		cmocka_unit_test(sq_so_called),
		cmocka_unit_test(sq_he_said),
		cmocka_unit_test(sq_partial_with_speaker),
		cmocka_unit_test(sq_title_on_show),
		cmocka_unit_test(sq_span_is_quote),
		cmocka_unit_test(sq_speaker_goes_on),
		cmocka_unit_test(sq_headline_name_colon),
		cmocka_unit_test(sq_title_embedded_then_verb),
		cmocka_unit_test(loaded_claimed_that),
		cmocka_unit_test(loaded_claimed_responsibility),
		cmocka_unit_test(loaded_flatly_denied),
		cmocka_unit_test(loaded_noun_and_passive),
		cmocka_unit_test(loaded_said_is_neutral),
		cmocka_unit_test(loaded_inside_quote),
		cmocka_unit_test(stat_percent),
		cmocka_unit_test(stat_with_poll),
		cmocka_unit_test(stat_most_voters),
		cmocka_unit_test(cfg_add_speech_verb),
		cmocka_unit_test(cfg_replace_list),
		cmocka_unit_test(cfg_bad_pattern),
		cmocka_unit_test(cfg_bad_pattern_in_file),
		cmocka_unit_test(cfg_thresholds),
		cmocka_unit_test(cfg_pattern_cannot_hang),
		cmocka_unit_test(cfg_empty_list),
		cmocka_unit_test(empty_and_odd_input),
		cmocka_unit_test(speed_jit_midway_same_findings),
		cmocka_unit_test(speed_digits_folded),
		cmocka_unit_test(speed_fourth_byte),
		cmocka_unit_test(speed_unfiltered_text),
		cmocka_unit_test(speed_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
