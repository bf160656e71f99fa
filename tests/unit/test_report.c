/* test_report.c -- the text and JSON formats on hand-made findings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "harness.h"
#include "host.h"
#include "doc.h"

static nl_rule_info info = {"repeated-word", NL_SEV_WARNING, "Repeated word", NULL, NULL};
static nl_rule rule = {.id = "repetition.repeated-word", .info = &info, .severity = NL_SEV_WARNING};

static nl_item item(uint32_t off, uint32_t len, unsigned line, unsigned col, const char *msg)
{
	nl_item x;
	memset(&x, 0, sizeof x);
	x.rule = &rule;
	x.severity = NL_SEV_WARNING;
	x.off = off;
	x.len = len;
	x.line = line;
	x.col = col;
	x.end_line = line;
	x.end_col = col + len;
	x.message = (char *)msg;
	return x;
}

static void test_json_escapes(void **st)
{
	(void)st;
	nl_buf b = {0};
	const char *s = "say \"hi\"\\\n\t\x01 “ok”";
	nl_json_str(&b, s, strlen(s));
	assert_string_equal(b.p, "\"say \\\"hi\\\"\\\\\\n\\t\\u0001 “ok”\"");
	nl_buf_free(&b);
}

static void test_json_shape(void **st)
{
	(void)st;
	const char *text = "the the cat\n";
	nl_item v[1] = {item(0, 7, 1, 1, "Repeated word 'the'")};
	char *sg[] = {"the"};
	nl_span rel[] = {{4, 3}};
	unsigned rl[] = {1}, rc[] = {5};
	v[0].sugg = sg;
	v[0].n_sugg = 1;
	v[0].related = rel;
	v[0].n_related = 1;
	v[0].rel_line = rl;
	v[0].rel_col = rc;
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, strlen(text), &items, NULL};
	nl_error_entry errs[] = {{"missing.txt", "No such file or directory"}};
	nl_report_ctx ctx = {.errors = errs, .n_errors = 1};
	nl_buf b = {0};
	nl_format_json.begin(&ctx, &b);
	nl_format_json.file(&ctx, &fr, 1, &b);
	nl_format_json.end(&ctx, &b);
	assert_string_equal(b.p,
		"{\"version\": 1,\n \"files\": [\n  {\"path\": \"a.txt\", \"findings\": [\n"
		"    {\"rule\": \"repetition.repeated-word\", \"severity\": \"warning\", \"line\": 1, "
		"\"column\": 1, \"end_line\": 1, \"end_column\": 8, \"offset\": 0, \"length\": 7, "
		"\"message\": \"Repeated word 'the'\", \"suggestions\": [\"the\"], \"related\": "
		"[{\"line\": 1, \"column\": 5, \"offset\": 4, \"length\": 3}]}\n  ]}\n ],\n"
		" \"errors\": [\n  {\"path\": \"missing.txt\", \"message\": \"No such file or directory\"}\n ]}\n");
	nl_buf_free(&b);
}

static void test_text_line_and_caret(void **st)
{
	(void)st;
	const char *text = "He said the the cat\n";
	nl_item v[1] = {item(8, 7, 1, 9, "Repeated word 'the'")};
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, strlen(text), &items, NULL};
	nl_report_ctx ctx = {0};
	nl_buf b = {0};
	nl_format_text.file(&ctx, &fr, 1, &b);
	assert_string_equal(b.p,
		"a.txt:1:9: warning: Repeated word 'the' [repetition.repeated-word]\n"
		"     1 | He said the the cat\n"
		"       |         ^~~~~~~\n");
	nl_buf_free(&b);
}

/* The excerpt's line number right-aligned in six columns, a longer one
 * whole (then the bar moves right); a related place as path:line:column. */
static void test_text_line_numbers_and_notes(void **st)
{
	(void)st;
	const size_t nl = 1234566;   /* the word on line 1,234,567 */
	char *text = malloc(nl + 32);
	assert_non_null(text);
	memset(text, '\n', nl);
	strcpy(text + nl, "the the cat\n");
	nl_item v[1] = {item((uint32_t)nl, 7, 1234567, 1, "Repeated word 'the'")};
	nl_span rel[] = {{(uint32_t)nl + 4, 3}};
	unsigned rl[] = {1234567}, rc[] = {5};
	v[0].related = rel;
	v[0].n_related = 1;
	v[0].rel_line = rl;
	v[0].rel_col = rc;
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, strlen(text), &items, NULL};
	nl_report_ctx ctx = {0};
	nl_buf b = {0};
	nl_format_text.file(&ctx, &fr, 1, &b);
	assert_string_equal(b.p,
		"a.txt:1234567:1: warning: Repeated word 'the' [repetition.repeated-word]\n"
		"1234567 | the the cat\n"
		"       | ^~~~~~~\n"
		"a.txt:1234567:5: note: also here\n");
	nl_buf_free(&b);
	/* line 42: four spaces before it */
	strcpy(text, "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nthe the\n");
	v[0] = item(41, 7, 42, 1, "Repeated word 'the'");
	fr.len = strlen(text);
	nl_format_text.file(&ctx, &fr, 1, &b);
	assert_non_null(strstr(b.p, "\n    42 | the the\n       | ^~~~~~~\n"));
	nl_buf_free(&b);
	free(text);
}

static void test_text_long_line_is_windowed(void **st)
{
	(void)st;
	char text[2100];
	memset(text, 'x', 2000);
	memcpy(text + 1000, " the the ", 9);
	text[2000] = '\0';
	nl_item v[1] = {item(1001, 7, 1, 1002, "Repeated word 'the'")};
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, 2000, &items, NULL};
	nl_report_ctx ctx = {0};
	nl_buf b = {0};
	nl_format_text.file(&ctx, &fr, 1, &b);
	/* the excerpt is a window: cut marks on both sides, under 130 columns */
	char *l2 = strchr(b.p, '\n') + 1;
	char *l3 = strchr(l2, '\n');
	assert_true(l3 - l2 < 130 + 6);
	assert_non_null(strstr(l2, "…xxx"));
	assert_non_null(strstr(l2, "the the"));
	char *caret = strchr(l3, '^');
	char *same = strstr(l2, "the the");
	/* the caret sits under the span (… is 3 bytes but one column) */
	assert_int_equal((caret - (l3 + 1)), (same - l2) - 2);
	nl_buf_free(&b);
}

static void test_color_codes_only_when_asked(void **st)
{
	(void)st;
	const char *text = "the the\n";
	nl_item v[1] = {item(0, 7, 1, 1, "Repeated word 'the'")};
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, strlen(text), &items, NULL};
	nl_report_ctx ctx = {.color = 1};
	nl_buf b = {0};
	nl_format_text.file(&ctx, &fr, 1, &b);
	assert_non_null(strstr(b.p, "\033["));
	nl_buf_free(&b);
	ctx.color = 0;
	nl_format_text.file(&ctx, &fr, 1, &b);
	assert_null(strstr(b.p, "\033["));
	nl_buf_free(&b);
}

static void test_formatter_lookup(void **st)
{
	(void)st;
	assert_ptr_equal(nl_formatter_find("json"), &nl_format_json);
	assert_ptr_equal(nl_formatter_find("text"), &nl_format_text);
	assert_null(nl_formatter_find("yaml"));
}

/* A plugin that reports spans starting and ending inside UTF-8 sequences:
   the host widens them to whole characters (and keeps an insertion point
   an insertion point). */
static const nl_host *mid_host;
static int mid_create(const nl_host *h, const nl_config *c, void **st)
{
	(void)c;
	mid_host = h;
	*st = NULL;
	return 0;
}
static int mid_check(void *st, const nl_doc *d, nl_sink *sink)
{
	(void)st;
	(void)d;
	/* text "a\xc3\xa9b\xe2\x80\x99c": e-acute at 1..3, U+2019 at 4..7 */
	nl_finding f = {.rule = "mid", .off = 2, .len = 3, .message = "m"};
	mid_host->report(sink, &f);
	nl_finding g = {.rule = "mid", .off = 5, .len = 0, .message = "z"};
	return mid_host->report(sink, &g);
}
static const nl_rule_info mid_rules[] = {{"mid", NL_SEV_WARNING, "mid", NULL, NULL}};
static const nl_plugin mid_plugin = {NL_PLUGIN_ABI, .name = "mid", .rules = mid_rules, .n_rules = 1,
                                     .create = mid_create, .check = mid_check};

static void test_spans_widened_to_whole_characters(void **state)
{
	(void)state;
	nlt_result *r = nlt_run(&mid_plugin, "", "a\xc3\xa9" "b\xe2\x80\x99" "c\n", NL_FORMAT_TEXT);
	assert_int_equal(r->check_status, 0);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->findings[0].off, 1);    /* from inside e-acute to its start */
	assert_int_equal(r->findings[0].len, 6);    /* to the end of U+2019 */
	assert_string_equal(r->findings[0].text, "\xc3\xa9" "b\xe2\x80\x99");
	assert_int_equal(r->findings[1].off, 4);
	assert_int_equal(r->findings[1].len, 0);
	nlt_free(r);
}

/* yields_to (nl_items_finish): a finding inside a span of a finding of the
 * rule it yields to (its own span or a related one) is dropped; nothing
 * yields to itself; a finding that yields may be yielded to (a chain). */
static nl_rule_info yi_target = {"target", NL_SEV_WARNING, "t", NULL, NULL};
static nl_rule_info yi_yield = {"yield", NL_SEV_INFO, "y", NULL, "p.target"};
static nl_rule_info yi_self = {"self", NL_SEV_INFO, "s", NULL, "p.self"};
static nl_rule r_target = {.id = "p.target", .info = &yi_target, .severity = NL_SEV_WARNING};
static nl_rule r_yield = {.id = "p.yield", .info = &yi_yield, .severity = NL_SEV_INFO};
static nl_rule r_self = {.id = "p.self", .info = &yi_self, .severity = NL_SEV_INFO};

static nl_item yitem(nl_rule *r, uint32_t off, uint32_t len, const char *msg)
{
	nl_item x;
	memset(&x, 0, sizeof x);
	x.rule = r;
	x.severity = r->severity;
	x.off = off;
	x.len = len;
	x.message = strdup(msg);
	return x;
}

static void test_yields_to_drops_covered_findings(void **st)
{
	(void)st;
	/*                  0     6    11    17    23      31   36 */
	const char *text = "Alpha Beta Gamma Delta Epsilon Zeta Eta\n";
	nl_doc *d = NULL;
	assert_int_equal(nl_doc_build("a.txt", text, strlen(text), NL_FORMAT_TEXT, &d), 0);
	nl_item *v = calloc(8, sizeof *v);
	size_t n = 0;
	v[n] = yitem(&r_target, 6, 4, "T");           /* Beta, and Delta .. Zeta */
	v[n].related = malloc(sizeof *v[n].related);
	v[n].related[0] = (nl_span){17, 18};
	v[n++].n_related = 1;
	v[n++] = yitem(&r_yield, 6, 4, "Y in T");       /* dropped: T's own span */
	v[n++] = yitem(&r_yield, 31, 4, "Y in related"); /* dropped: 14 bytes into T's related span */
	v[n++] = yitem(&r_yield, 11, 5, "Y apart");      /* kept */
	v[n++] = yitem(&r_yield, 0, 10, "Y over T");     /* kept: wider than T */
	v[n++] = yitem(&r_self, 31, 8, "S alone");       /* kept: not dropped by itself */
	v[n++] = yitem(&r_self, 36, 3, "S inside S");    /* dropped: inside the other S */
	nl_items items = {v, n, 8};
	nl_items_finish(&items, d);
	const char *want[] = {"Y over T", "T", "Y apart", "S alone"};
	assert_int_equal(items.n, 4);
	for (size_t i = 0; i < items.n; i++)
		assert_string_equal(items.v[i].message, want[i]);
	nl_items_free(&items);
	nl_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_text_line_and_caret),
		cmocka_unit_test(test_text_line_numbers_and_notes),
		cmocka_unit_test(test_text_long_line_is_windowed),
		cmocka_unit_test(test_color_codes_only_when_asked),
		cmocka_unit_test(test_formatter_lookup),
		cmocka_unit_test(test_spans_widened_to_whole_characters),
		cmocka_unit_test(test_yields_to_drops_covered_findings),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
