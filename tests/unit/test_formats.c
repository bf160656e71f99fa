/* test_formats.c -- the sarif, github and checkstyle formats on hand-made
 * findings: escaping, URIs, levels, code-point offsets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

static nl_rule_info info_w = {"marker", NL_SEV_WARNING, "A marker", "Explains \"it\".", NULL};
static nl_rule_info info_i = {"quote", NL_SEV_INFO, "A quote", NULL, NULL};
static nl_rule rule_w = {.id = "p.marker", .info = &info_w, .severity = NL_SEV_WARNING};
static nl_rule rule_i = {.id = "p.quote", .info = &info_i, .severity = NL_SEV_OFF};

static nl_item item(const nl_rule *r, int sev, uint32_t off, uint32_t len, unsigned line,
                    unsigned col, unsigned eline, unsigned ecol, const char *msg)
{
	nl_item x;
	memset(&x, 0, sizeof x);
	x.rule = r;
	x.severity = sev;
	x.off = off;
	x.len = len;
	x.line = line;
	x.col = col;
	x.end_line = eline;
	x.end_col = ecol;
	x.message = (char *)msg;
	return x;
}

static char *render(const nl_formatter *f, const nl_report_ctx *ctx, const nl_file_result *fr)
{
	nl_buf b = {0};
	f->begin(ctx, &b);
	if (fr)
		f->file(ctx, fr, 0, &b);
	f->end(ctx, &b);
	return nl_buf_take(&b);
}

static void test_github_escapes_and_levels(void **st)
{
	(void)st;
	const char *text = "ab 100% done\r\nnext line\n";
	nl_item v[3] = {
		item(&rule_w, NL_SEV_WARNING, 3, 4, 1, 4, 1, 8, "50% off,\r\nreally: yes"),
		item(&rule_i, NL_SEV_INFO, 0, 20, 1, 1, 2, 6, "spans two lines"),
		item(&rule_w, NL_SEV_ERROR, 0, 1, 1, 1, 1, 2, "e"),
	};
	char *sg[] = {"a%b"};
	v[0].sugg = sg;
	v[0].n_sugg = 1;
	nl_items items = {v, 3, 3};
	nl_file_result fr = {"dir/a,b:c%.md", text, strlen(text), &items, NULL};
	nl_error_entry errs[] = {{"x:y.txt", "No such file\nor folder"}};
	nl_report_ctx ctx = {.errors = errs, .n_errors = 1};
	char *s = render(&nl_format_github, &ctx, &fr);
	assert_string_equal(s,
		"::warning file=dir/a%2Cb%3Ac%25.md,line=1,endLine=1,col=4,endColumn=7,title=p.marker::"
		"50%25 off,%0D%0Areally: yes (suggestion: a%25b)\n"
		"::notice file=dir/a%2Cb%3Ac%25.md,line=1,endLine=2,title=p.quote::spans two lines\n"
		"::error file=dir/a%2Cb%3Ac%25.md,line=1,endLine=1,col=1,endColumn=1,title=p.marker::e\n"
		"::error file=x%3Ay.txt,title=newslint::No such file%0Aor folder\n");
	free(s);
}

static void test_checkstyle_escapes(void **st)
{
	(void)st;
	nl_item v[1] = {item(&rule_w, NL_SEV_INFO, 0, 1, 2, 3, 2, 4, "a <b> & \"c\" 'd'\n\x01z")};
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"R&D.txt", "x", 1, &items, NULL};
	nl_report_ctx ctx = {0};
	char *s = render(&nl_format_checkstyle, &ctx, &fr);
	assert_string_equal(s,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
		"  <file name=\"R&amp;D.txt\">\n"
		"    <error line=\"2\" column=\"3\" severity=\"info\" message=\"a &lt;b&gt; &amp; "
		"&quot;c&quot; &apos;d&apos;&#10;\xEF\xBF\xBDz\" source=\"p.marker\"/>\n"
		"  </file>\n</checkstyle>\n");
	free(s);
}

static void test_sarif_uri_encoding(void **st)
{
	(void)st;
	char cwd[PATH_MAX], abs_in[PATH_MAX + 16];
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(abs_in, sizeof abs_in, "%s/in side.md", cwd);
	const char *paths[] = {"./news/a b#é?.md", abs_in, "/elsewhere-xyz/c:d.md"};
	const char *want[] = {"\"uri\": \"news/a%20b%23%C3%A9%3F.md\"", "\"uri\": \"in%20side.md\"",
	                      "\"uri\": \"file:///elsewhere-xyz/c%3Ad.md\""};
	for (int i = 0; i < 3; i++) {
		nl_item v[1] = {item(&rule_w, NL_SEV_WARNING, 0, 1, 1, 1, 1, 2, "m")};
		nl_items items = {v, 1, 1};
		nl_file_result fr = {paths[i], "x", 1, &items, NULL};
		const nl_rule *rules[] = {&rule_w};
		nl_report_ctx ctx = {.rules = rules, .n_rules = 1};
		char *s = render(&nl_format_sarif, &ctx, &fr);
		if (!strstr(s, want[i]))
			fail_msg("%s: expected %s in\n%s", paths[i], want[i], s);
		free(s);
	}
}

static void test_sarif_offsets_levels_rules(void **st)
{
	(void)st;
	/* BOM, then "é” " (3 code points, 6 bytes) before the span at byte 9 */
	const char *text = "\xEF\xBB\xBF\xC3\xA9\xE2\x80\x9D TODO\n";
	nl_item v[1] = {item(&rule_i, NL_SEV_INFO, 9, 4, 1, 4, 1, 8, "m")};
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", text, strlen(text), &items, NULL};
	const nl_rule *rules[] = {&rule_w, &rule_i};
	nl_report_ctx ctx = {.rules = rules, .n_rules = 2, .tool_version = "9.9"};
	char *s = render(&nl_format_sarif, &ctx, &fr);
	assert_non_null(strstr(s, "\"charOffset\": 3, \"charLength\": 4"));
	assert_non_null(strstr(s, "\"ruleId\": \"p.quote\", \"ruleIndex\": 1, \"level\": \"note\""));
	assert_non_null(strstr(s, "\"fullDescription\": {\"text\": \"Explains \\\"it\\\".\"}"));
	assert_non_null(strstr(s, "\"defaultConfiguration\": {\"enabled\": false, \"level\": \"note\"}"));
	assert_non_null(strstr(s, "\"version\": \"9.9\""));
	assert_non_null(strstr(s, "\"columnKind\": \"unicodeCodePoints\""));
	assert_non_null(strstr(s, "{\"executionSuccessful\": true}"));
	free(s);
}

static void test_sarif_fixes_unique(void **st)
{
	(void)st;
	nl_item v[1] = {item(&rule_w, NL_SEV_WARNING, 0, 1, 1, 1, 1, 2, "m")};
	char *sg[] = {"a", "b", "a"};
	v[0].sugg = sg;
	v[0].n_sugg = 3;
	nl_items items = {v, 1, 1};
	nl_file_result fr = {"a.txt", "x", 1, &items, NULL};
	nl_report_ctx ctx = {0};
	char *s = render(&nl_format_sarif, &ctx, &fr);
	int n = 0;
	for (const char *p = s; (p = strstr(p, "Replace with")); p++)
		n++;
	assert_int_equal(n, 2);   /* result.fixes is uniqueItems in the schema */
	free(s);
}

static void test_sarif_empty_part_for_no_findings(void **st)
{
	(void)st;
	nl_items items = {NULL, 0, 0};
	nl_file_result fr = {"a.txt", "", 0, &items, NULL};
	nl_report_ctx ctx = {0};
	nl_buf b = {0};
	nl_format_sarif.file(&ctx, &fr, 0, &b);
	assert_int_equal(b.len, 0);   /* the driver relies on it: no separator to drop */
	nl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_escapes_and_levels),
		cmocka_unit_test(test_checkstyle_escapes),
		cmocka_unit_test(test_sarif_uri_encoding),
		cmocka_unit_test(test_sarif_offsets_levels_rules),
		cmocka_unit_test(test_sarif_fixes_unique),
		cmocka_unit_test(test_sarif_empty_part_for_no_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
