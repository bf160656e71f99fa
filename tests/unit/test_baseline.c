/* test_baseline.c -- keys, matching, counting duplicates, the file format
 * and its errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "util.h"
#include "harness.h"

static nl_rule_info info = {"marker", NL_SEV_WARNING, "test", NULL, NULL};
static nl_rule rm = {.id = "fixture.marker", .info = &info, .severity = NL_SEV_WARNING};
static nl_rule rq = {.id = "fixture.quote", .info = &info, .severity = NL_SEV_WARNING};

static char tmpdir[64];

static int setup(void **st)
{
	(void)st;
	nlt_capture_start();
	strcpy(tmpdir, "/tmp/nl-baseline-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	nlt_capture_stop();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A finding of rule r on the first occurrence of word (after skip bytes). */
static nl_item find(const char *text, const char *word, size_t skip, nl_rule *r)
{
	nl_item x;
	memset(&x, 0, sizeof x);
	const char *p = strstr(text + skip, word);
	assert_non_null(p);
	x.rule = r;
	x.severity = r->severity;
	x.off = (uint32_t)(p - text);
	x.len = (uint32_t)strlen(word);
	x.message = nl_strdup("m");
	return x;
}

static char *path_in(const char *name)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
	return buf;
}

static void write_file(const char *name, const char *data)
{
	FILE *f = fopen(path_in(name), "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void test_key_has_rule_text_and_context(void **st)
{
	(void)st;
	const char *t = "The council said on\nTuesday   it would TODO check the date.\n";
	nl_item x = find(t, "TODO", 0, &rm);
	char *k = nl_baseline_key("./a.txt", t, strlen(t), &x);
	assert_string_equal(k, "a.txt\tfixture.marker\tit would\tTODO\tcheck the");
	free(k);
	nl_item_free(&x);
}

static void test_context_stops_at_paragraph_break(void **st)
{
	(void)st;
	const char *t = "First paragraph.\n\nTODO starts\n\nthe next.";
	nl_item x = find(t, "starts", 0, &rm);
	char *k = nl_baseline_key("a.txt", t, strlen(t), &x);
	assert_string_equal(k, "a.txt\tfixture.marker\tTODO\tstarts\t");
	free(k);
	nl_item_free(&x);
}

static void test_new_line_next_to_finding_keeps_key(void **st)
{
	(void)st;
	/* plain text: each line is a paragraph; adding one must not re-open findings */
	const char *a = "Title\nB TODO.\n", *b = "Title\nNew line.\nB TODO.\nC TODO.\n";
	nl_item x = find(a, "TODO", 0, &rm), y = find(b, "TODO", 0, &rm);
	char *ka = nl_baseline_key("a.txt", a, strlen(a), &x), *kb = nl_baseline_key("a.txt", b, strlen(b), &y);
	assert_string_equal(ka, "a.txt\tfixture.marker\tB\tTODO\t.");
	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
	nl_item_free(&x);
	nl_item_free(&y);
}

static void test_whitespace_folded_and_escapes(void **st)
{
	(void)st;
	const char *t = "a\tb “quoted\n  text” c\\d";
	nl_item x = find(t, "“quoted\n  text”", 0, &rq);
	char *k = nl_baseline_key("dir/we\tird.txt", t, strlen(t), &x);
	assert_string_equal(k, "dir/we\\tird.txt\tfixture.quote\ta b\t“quoted text”\tc\\\\d");
	free(k);
	nl_item_free(&x);
}

static void test_long_span_shortened(void **st)
{
	(void)st;
	char t[1000];
	memset(t, 'a', sizeof t - 1);
	t[sizeof t - 1] = '\0';
	nl_item x;
	memset(&x, 0, sizeof x);
	x.rule = &rm;
	x.off = 0;
	x.len = 999;
	char *k = nl_baseline_key("a.txt", t, strlen(t), &x);
	assert_true(strlen(k) < 250);
	assert_non_null(strstr(k, "…(859 bytes)…"));
	free(k);
}

static void test_consume_counts_duplicates(void **st)
{
	(void)st;
	const char *t = "TODO here.\n\nTODO here.\n\nTODO here.\n";
	nl_baseline *w = nl_baseline_new();
	nl_item a = find(t, "TODO", 0, &rm), b = find(t, "TODO", 5, &rm), c = find(t, "TODO", 15, &rm);
	nl_baseline_add(w, "a.txt", t, strlen(t), &a);
	nl_baseline_add(w, "a.txt", t, strlen(t), &b);
	assert_int_equal(nl_baseline_count(w), 2);
	assert_true(nl_baseline_consume(w, "a.txt", t, strlen(t), &a));
	assert_true(nl_baseline_consume(w, "a.txt", t, strlen(t), &c));
	assert_false(nl_baseline_consume(w, "a.txt", t, strlen(t), &b));   /* only two were accepted */
	nl_baseline_free(w);
	nl_item_free(&a);
	nl_item_free(&b);
	nl_item_free(&c);
}

static void test_match_survives_other_edits(void **st)
{
	(void)st;
	const char *before = "Intro.\n\nThe vote TODO was delayed.\n";
	const char *after = "A new first paragraph.\n\nIntro, longer.\n\nThe vote TODO was delayed.\n";
	nl_baseline *w = nl_baseline_new();
	nl_item a = find(before, "TODO", 0, &rm), b = find(after, "TODO", 0, &rm);
	nl_baseline_add(w, "a.txt", before, strlen(before), &a);
	assert_false(nl_baseline_consume(w, "b.txt", after, strlen(after), &b));   /* other file */
	assert_false(nl_baseline_consume(w, "a.txt", after, strlen(after), &(nl_item){.rule = &rq, .off = b.off, .len = 4}));
	assert_true(nl_baseline_consume(w, "./a.txt", after, strlen(after), &b));
	nl_baseline_free(w);
	nl_item_free(&a);
	nl_item_free(&b);
}

static void test_save_load_round_trip_sorted(void **st)
{
	(void)st;
	const char *t = "zeta TODO one.\n\nalpha TODO two.\n\nalpha TODO two.\n";
	nl_baseline *w = nl_baseline_new();
	nl_item a = find(t, "TODO", 0, &rm), b = find(t, "TODO", 10, &rm), c = find(t, "TODO", 25, &rm);
	nl_baseline_add(w, "a.txt", t, strlen(t), &a);
	nl_baseline_add(w, "a.txt", t, strlen(t), &b);
	nl_baseline_add(w, "a.txt", t, strlen(t), &c);
	assert_int_equal(nl_baseline_save(w, path_in("b.txt")), 0);
	nl_baseline_free(w);
	char *data;
	size_t len;
	assert_int_equal(nl_read_file(path_in("b.txt"), &data, &len), 0);
	char *raw = data;
	data = nl_strndup(raw, len);   /* nl_read_file does not NUL-terminate */
	free(raw);
	const char *body = strstr(data, "\na.txt");
	assert_non_null(body);
	assert_string_equal(body + 1, "a.txt\tfixture.marker\talpha\tTODO\ttwo.\n"
	                               "a.txt\tfixture.marker\talpha\tTODO\ttwo.\n"
	                               "a.txt\tfixture.marker\tzeta\tTODO\tone.\n");
	assert_memory_equal(data, "newslint-baseline 1\n", 20);
	free(data);
	nl_baseline *r = nl_baseline_load(path_in("b.txt"));
	assert_non_null(r);
	assert_int_equal(nl_baseline_count(r), 3);
	nl_items items = {calloc(3, sizeof(nl_item)), 3, 3};
	items.v[0] = a;
	items.v[1] = b;
	items.v[2] = c;
	assert_int_equal(nl_baseline_filter(r, "a.txt", t, strlen(t), &items), 3);
	assert_int_equal(items.n, 0);
	nl_items_free(&items);
	nl_baseline_free(r);
	assert_string_equal(nlt_said(), "");
}

static void test_load_accepts_comments_blank_lines_crlf(void **st)
{
	(void)st;
	write_file("c.txt", "newslint-baseline 1\r\n# note\r\n\r\na.txt\tr.x\t\tTODO\t\r\n");
	nl_baseline *r = nl_baseline_load(path_in("c.txt"));
	assert_non_null(r);
	assert_int_equal(nl_baseline_count(r), 1);
	nl_baseline_free(r);
}

/* An empty path (--stdin-filename "") or rule field is what the writer
 * wrote: it loads (it used to be refused, so the file written could not be
 * read back). */
static void test_load_accepts_empty_path_and_rule(void **st)
{
	(void)st;
	write_file("e.txt", "newslint-baseline 1\n\tr\tb\tt\ta\na.txt\t\tb\tt\ta\n");
	nl_baseline *r = nl_baseline_load(path_in("e.txt"));
	assert_non_null(r);
	assert_int_equal(nl_baseline_count(r), 2);
	nl_baseline_free(r);
}

static void expect_error(const char *data, const char *msg)
{
	write_file("bad.txt", data);
	nlt_said_clear();
	assert_null(nl_baseline_load(path_in("bad.txt")));
	if (!strstr(nlt_said(), msg))
		fail_msg("expected '%s' in: %s", msg, nlt_said());
}

static void test_load_errors_name_file_and_line(void **st)
{
	(void)st;
	expect_error("", "bad.txt:1: bad baseline: empty file");
	expect_error("{\"json\": 1}\n", "bad.txt:1: bad baseline: not a newslint baseline");
	expect_error("newslint-baseline 7\n", "bad.txt:1: bad baseline: unsupported baseline version '7'");
	expect_error("newslint-baseline 1\n# ok\na.txt\tr\tb\n", "bad.txt:3: bad baseline: expected 5 tab-separated fields");
	expect_error("newslint-baseline 1\na\tr\tb\tt\ta\textra\n", "bad.txt:2: bad baseline: expected 5 tab-separated fields");
	expect_error("newslint-baseline 1\na\tr\tb\tt\\q\ta\n", "bad.txt:2: bad baseline: unknown escape");
	expect_error("newslint-baseline 1\na\tr\tb\tt\\x4\ta\n", "bad.txt:2: bad baseline: \\x needs two hexadecimal digits");
	nlt_said_clear();
	assert_null(nl_baseline_load(path_in("missing.txt")));
	assert_non_null(strstr(nlt_said(), "--baseline"));
	assert_non_null(strstr(nlt_said(), "missing.txt: No such file or directory"));
}

static void test_save_error_names_file(void **st)
{
	(void)st;
	nl_baseline *w = nl_baseline_new();
	assert_int_equal(nl_baseline_save(w, "/nonexistent-folder/b.txt"), -1);
	assert_non_null(strstr(nlt_said(), "--write-baseline /nonexistent-folder/b.txt"));
	nl_baseline_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_has_rule_text_and_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_stops_at_paragraph_break, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_line_next_to_finding_keeps_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whitespace_folded_and_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_span_shortened, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consume_counts_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_survives_other_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_load_round_trip_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_accepts_comments_blank_lines_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_accepts_empty_path_and_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors_name_file_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_error_names_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
