/* test_suppress.c -- newslint-disable / -enable / -disable-next-line
 * directives on hand-made findings: every word "X" is a finding of rule
 * a.x, every "Y" of a.y, every "Z" of b.z. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "util.h"
#include "harness.h"

static nl_rule_info info = {"x", NL_SEV_WARNING, "test", NULL, NULL};
static nl_rule rx = {.id = "a.x", .info = &info, .severity = NL_SEV_WARNING};
static nl_rule ry = {.id = "a.y", .info = &info, .severity = NL_SEV_WARNING};
static nl_rule rz = {.id = "b.z", .info = &info, .severity = NL_SEV_WARNING};

static int setup(void **st)
{
	(void)st;
	nlt_capture_start();
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	nlt_capture_stop();
	return 0;
}

static int known(void *ud, const char *id)
{
	(void)ud;
	return !strcmp(id, "a") || !strcmp(id, "b") || !strcmp(id, "a.x") || !strcmp(id, "a.y") ||
	       !strcmp(id, "b.z");
}

/* Apply the directives of text to its X/Y/Z findings; returns what is left
 * as "rule@line rule@line ..." (static buffer). */
static const char *run(const char *text)
{
	static char out[512];
	nl_items items = {0};
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		int word = (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n') &&
		           (i + 1 == len || text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\r' || text[i + 1] == '.');
		if (!word || (c != 'X' && c != 'Y' && c != 'Z'))
			continue;
		if (items.n == items.cap) {
			items.cap = items.cap ? items.cap * 2 : 8;
			items.v = realloc(items.v, items.cap * sizeof *items.v);
		}
		nl_item *x = &items.v[items.n++];
		memset(x, 0, sizeof *x);
		x->rule = c == 'X' ? &rx : c == 'Y' ? &ry : &rz;
		x->severity = NL_SEV_WARNING;
		x->off = (uint32_t)i;
		x->len = 1;
		x->message = nl_strdup("m");
		x->line = 1;
		for (size_t k = 0; k < i; k++)
			x->line += text[k] == '\n';
	}
	nl_suppress_apply("t.md", text, len, &items, known, NULL);
	out[0] = '\0';
	for (size_t i = 0; i < items.n; i++) {
		char one[32];
		snprintf(one, sizeof one, "%s%s@%u", i ? " " : "", items.v[i].rule->id, items.v[i].line);
		strcat(out, one);
	}
	nl_items_free(&items);
	return out;
}

static void test_no_directive_keeps_all(void **st)
{
	(void)st;
	assert_string_equal(run("X Y\nZ\nnothing about newslint here X\n"), "a.x@1 a.y@1 b.z@2 a.x@3");
	assert_string_equal(nlt_said(), "");
}

static void test_next_line_all_rules(void **st)
{
	(void)st;
	assert_string_equal(run("X\n<!-- newslint-disable-next-line -->\nX Y Z\nX\n"), "a.x@1 a.x@4");
}

static void test_next_line_one_rule(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable-next-line a.x -->\nX Y Z\nX\n"), "a.y@2 b.z@2 a.x@3");
}

static void test_next_line_skips_blank_lines(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable-next-line a.x -->\n\n  \nX Y\nX\n"), "a.y@4 a.x@5");
}

static void test_next_line_stacked(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable-next-line a.x -->\n"
	                        "<!-- newslint-disable-next-line a.y -->\nX Y Z\n"), "b.z@3");
}

static void test_disable_enable_region(void **st)
{
	(void)st;
	assert_string_equal(run("X\n<!-- newslint-disable -->\nX Y\nZ\n<!-- newslint-enable -->\nX\n"),
	                    "a.x@1 a.x@6");
}

static void test_disable_to_end_of_file(void **st)
{
	(void)st;
	assert_string_equal(run("X\n<!-- newslint-disable a.y -->\nX Y\nY\n"), "a.x@1 a.x@3");
}

static void test_plugin_name_covers_its_rules(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable a -->\nX Y Z\n"), "b.z@2");
}

static void test_enable_one_after_disable_all(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable -->\n<!-- newslint-enable a.y -->\nX Y Z\n"
	                        "<!-- newslint-disable a -->\nY\n"), "a.y@3");
}

static void test_several_names_commas_and_reason(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable-next-line a.x, b.z -- names checked by the desk -->\nX Y Z\n"),
	                    "a.y@2");
}

static void test_unknown_rule_warns_and_does_nothing(void **st)
{
	(void)st;
	assert_string_equal(run("one\n<!-- newslint-disable-next-line a.nope -->\nX\n"), "a.x@3");
	assert_non_null(strstr(nlt_said(), "t.md:2: warning: unknown rule or plugin 'a.nope'"));
}

static void test_unknown_and_known_rule(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disable-next-line a.nope a.x -->\nX Y\n"), "a.y@2");
	assert_non_null(strstr(nlt_said(), "t.md:1: warning: unknown rule or plugin 'a.nope'"));
}

static void test_misspelt_directive_warns(void **st)
{
	(void)st;
	assert_string_equal(run("<!-- newslint-disabel a.x -->\nX\n"), "a.x@2");
	assert_non_null(strstr(nlt_said(), "t.md:1: warning: unknown directive 'newslint-disabel'"));
}

static void test_directive_must_be_alone_on_its_line(void **st)
{
	(void)st;
	assert_string_equal(run("text <!-- newslint-disable --> more\nX\n"), "a.x@2");
}

static void test_directive_in_code_block_ignored(void **st)
{
	(void)st;
	assert_string_equal(run("```\n<!-- newslint-disable -->\n```\nX\n~~~~\n<!-- newslint-disable -->\n~~~~\nY\n"),
	                    "a.x@4 a.y@8");
}

static void test_findings_on_directive_line_dropped(void **st)
{
	(void)st;
	/* the comment itself is markup: a finding inside it never counts */
	assert_string_equal(run("<!-- newslint-enable X -->\nX\n"), "a.x@2");
}

static void test_crlf_and_indentation(void **st)
{
	(void)st;
	assert_string_equal(run("X\r\n  <!-- newslint-disable-next-line a.x -->  \r\nX Y\r\nX\r\n"),
	                    "a.x@1 a.y@3 a.x@4");
}

static void test_last_line_without_newline(void **st)
{
	(void)st;
	assert_string_equal(run("Y\n<!-- newslint-disable-next-line -->\nX"), "a.y@1");
}

/* the quick look for "newslint-" over the file: hyphens before it (on the
 * lines above and in the directive's own comment marks) do not hide it */
static void test_directive_after_hyphens(void **st)
{
	(void)st;
	assert_string_equal(run("X\nwell-known -- re-run - x-\n<!-- newslint-disable-next-line a.x -->\nX Y\n"),
	                    "a.x@1 a.y@4");
	assert_string_equal(run("<!--newslint-disable-next-line a.x-->\nX Y\n"), "a.y@2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_directive_keeps_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_line_all_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_line_one_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_line_skips_blank_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_line_stacked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_enable_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_to_end_of_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plugin_name_covers_its_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_one_after_disable_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_names_commas_and_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_rule_warns_and_does_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_known_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misspelt_directive_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directive_must_be_alone_on_its_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directive_in_code_block_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_on_directive_line_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crlf_and_indentation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_line_without_newline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directive_after_hyphens, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
