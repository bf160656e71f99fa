/* test_loader.c -- dlopen + ABI check with fixture plugins: a good one, a
 * wrong ABI major, a missing descriptor symbol, a failing create(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "loader.h"
#include "util.h"
#include "harness.h"

static char dir[4096];
static const char *dirs[1] = {dir};

static int setup(void **st)
{
	(void)st;
	const char *b = getenv("NEWSLINT_TEST_BUILDDIR");
	snprintf(dir, sizeof dir, "%s/tests/fixtures/.libs", b ? b : ".");
	nlt_capture_start();
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	nlt_capture_stop();
	return 0;
}

static void test_symbol_name(void **st)
{
	(void)st;
	char b[64];
	nl_symbol_name("keyword-stuffing", b, sizeof b);
	assert_string_equal(b, "nl_plugin_keyword_stuffing");
}

static void test_good_plugin_loads_and_creates(void **st)
{
	(void)st;
	nl_loaded l;
	assert_int_equal(nl_load("fixture", dirs, 1, &l), 0);
	assert_string_equal(l.desc->name, "fixture");
	nl_pinst pi;
	assert_int_equal(nl_pinst_create(&pi, l.desc, l.path, NULL), 0);
	assert_int_equal(pi.n_rules, 3);
	assert_string_equal(pi.rules[0].id, "fixture.marker");
	assert_non_null(nl_pinst_rule(&pi, "marker"));
	assert_non_null(nl_pinst_rule(&pi, "fixture.quote"));
	assert_null(nl_pinst_rule(&pi, "other.quote"));
	nl_pinst_destroy(&pi);
	nl_unload(&l);
}

static void test_wrong_major_is_refused_with_the_fix(void **st)
{
	(void)st;
	nl_loaded l;
	assert_int_not_equal(nl_load("bad_major", dirs, 1, &l), 0);
	assert_non_null(strstr(nlt_said(), "bad_major.so: plugin ABI 2.0, this newslint speaks 1.x"));
	assert_non_null(strstr(nlt_said(), "rebuild the plugin"));
}

static void test_missing_symbol(void **st)
{
	(void)st;
	nl_loaded l;
	assert_int_not_equal(nl_load("no_symbol", dirs, 1, &l), 0);
	assert_non_null(strstr(nlt_said(), "does not export 'nl_plugin_no_symbol'"));
}

static void test_failing_create_is_reported(void **st)
{
	(void)st;
	nl_loaded l;
	assert_int_equal(nl_load("failing_create", dirs, 1, &l), 0);
	nl_pinst pi;
	assert_int_equal(nl_pinst_create(&pi, l.desc, l.path, NULL), NL_ECONFIG);
	assert_non_null(strstr(nlt_said(), "[failing_create] this plugin always refuses to start"));
	nl_pinst_destroy(&pi);
	nl_unload(&l);
}

static void test_not_found_lists_folders(void **st)
{
	(void)st;
	nl_loaded l;
	assert_int_not_equal(nl_load("nosuchplugin", dirs, 1, &l), 0);
	assert_non_null(strstr(nlt_said(), "plugin 'nosuchplugin' not found; searched:"));
	assert_non_null(strstr(nlt_said(), dir));
}

static int ok_create(const nl_host *h, const nl_config *c, void **s) { (void)h; (void)c; *s = NULL; return 0; }
static int ok_check(void *s, const nl_doc *d, nl_sink *k) { (void)s; (void)d; (void)k; return 0; }

static void test_newer_minor_refused_older_accepted(void **st)
{
	(void)st;
	nl_plugin d = {NL_PLUGIN_ABI, .name = "x", .create = ok_create, .check = ok_check};
	assert_int_equal(nl_abi_check(&d, "x.so", "x"), 0);
	d.abi_minor = NL_ABI_MINOR + 1;
	assert_int_equal(nl_abi_check(&d, "x.so", "x"), -1);
	assert_non_null(strstr(nlt_said(), "newer than this newslint's"));
	d.abi_minor = NL_ABI_MINOR;
	d.struct_size = 8;
	assert_int_equal(nl_abi_check(&d, "x.so", "x"), -1);
	assert_non_null(strstr(nlt_said(), "descriptor has size 8"));
}

static void test_name_must_match_file(void **st)
{
	(void)st;
	nl_plugin d = {NL_PLUGIN_ABI, .name = "y", .create = ok_create, .check = ok_check};
	assert_int_equal(nl_abi_check(&d, "x.so", "x"), -1);
	assert_non_null(strstr(nlt_said(), "calls itself 'y'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_symbol_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_plugin_loads_and_creates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_major_is_refused_with_the_fix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_symbol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_create_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found_lists_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_minor_refused_older_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_must_match_file, setup, teardown),
	};
	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
