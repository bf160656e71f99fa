/* test_trust.c -- a configuration found by discovery is confined (issue 10):
 * paths it names must stay in its folder tree (no absolute path, no '..' or
 * symbolic link leading out, no folder holding such a link), and a refusal
 * names file:line, why and how to opt in, once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"
#include "harness.h"

static char top[PATH_MAX];     /* real path of a fresh folder: proj/ and outside/ in it */

static void put(const char *rel, const char *text)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/%s", top, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/%s", top, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **st)
{
	(void)st;
	char tmpl[] = "/tmp/nltrustXXXXXX";
	if (!mkdtemp(tmpl) || !realpath(tmpl, top))
		return -1;
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/proj", top);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/proj/lists", top);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/outside", top);
	mkdir(p, 0755);
	nlt_capture_start();
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	nlt_capture_stop();
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* Load proj/.newslint.ini with text, confined; its [x] section. */
static nl_config *load(nl_settings *s, const char *text)
{
	put("proj/.newslint.ini", text);
	char ini[PATH_MAX + 64];
	snprintf(ini, sizeof ini, "%s/proj/.newslint.ini", top);
	memset(s, 0, sizeof *s);
	assert_int_equal(nl_settings_load(s, ini, ".newslint.ini"), 0);
	assert_int_equal(nl_settings_confine(s), 0);
	nl_config *c = nl_settings_section(s, "x", 0);
	assert_non_null(c);
	return c;
}

static void test_inside_paths_resolve_from_the_ini(void **st)
{
	(void)st;
	nl_settings s;
	put("proj/lists/words.txt", "w\n");
	nl_config *c = load(&s, "[x]\nwords = lists/words.txt\nnew = lists/not-yet.txt\n");
	char buf[PATH_MAX + 64], want[PATH_MAX + 64];
	snprintf(want, sizeof want, "%s/proj/lists/words.txt", top);
	assert_string_equal(nl_cfg_path(c, "lists/words.txt", buf, sizeof buf), want);
	assert_non_null(nl_cfg_path(c, "lists/../lists/words.txt", buf, sizeof buf));
	assert_non_null(nl_cfg_path(c, "lists/not-yet.txt", buf, sizeof buf));
	assert_int_equal(c->errors, 0);
	assert_string_equal(nlt_said(), "");
	nl_settings_free(&s);
}

static void test_absolute_path_is_refused_at_its_line(void **st)
{
	(void)st;
	nl_settings s;
	nl_config *c = load(&s, "[x]\na = 1\nwords = /etc/hostname\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "/etc/hostname", buf, sizeof buf));
	assert_int_equal(c->errors, 1);
	assert_non_null(strstr(nlt_said(), "proj/.newslint.ini:3: [x] words: refused '/etc/hostname': an absolute path"));
	assert_non_null(strstr(nlt_said(), "--allow-project-plugins"));
	nl_settings_free(&s);
}

static void test_dotdot_out_is_refused(void **st)
{
	(void)st;
	nl_settings s;
	put("outside/secret.txt", "s\n");
	nl_config *c = load(&s, "[x]\nwords = lists/../../outside/secret.txt\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "lists/../../outside/secret.txt", buf, sizeof buf));
	assert_non_null(strstr(nlt_said(), ":2: [x] words: refused 'lists/../../outside/secret.txt': '..' leads out"));
	nl_settings_free(&s);
}

static void test_symlink_out_is_refused_even_for_a_missing_file(void **st)
{
	(void)st;
	nl_settings s;
	put("outside/secret.txt", "s\n");
	link_to("../outside", "proj/out");
	nl_config *c = load(&s, "[x]\na = out/secret.txt\nb = out/nothing/here.txt\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "out/secret.txt", buf, sizeof buf));
	assert_null(nl_cfg_path(c, "out/nothing/here.txt", buf, sizeof buf));
	assert_int_equal(c->errors, 2);
	assert_non_null(strstr(nlt_said(), ":2: [x] a: refused 'out/secret.txt': a symbolic link leads out"));
	assert_non_null(strstr(nlt_said(), ":3: [x] b: refused"));
	nl_settings_free(&s);
}

static void test_folder_with_a_link_out_is_refused(void **st)
{
	(void)st;
	nl_settings s;
	put("outside/en_US.dic", "1\nword\n");
	link_to("../../outside/en_US.dic", "proj/lists/en_US.dic");
	nl_config *c = load(&s, "[x]\ndictionary_path = lists\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "lists", buf, sizeof buf));
	assert_non_null(strstr(nlt_said(), "[x] dictionary_path: refused 'lists': its entry 'en_US.dic' is a symbolic link leading out"));
	nl_settings_free(&s);
}

static void test_fifo_is_refused_and_so_is_its_folder(void **st)
{
	(void)st;
	nl_settings s;
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/proj/lists/pipe.txt", top);
	assert_int_equal(mkfifo(p, 0600), 0);
	nl_config *c = load(&s, "[x]\nwords = lists/pipe.txt\ndictionary_path = lists\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "lists/pipe.txt", buf, sizeof buf));
	assert_null(nl_cfg_path(c, "lists", buf, sizeof buf));
	assert_non_null(strstr(nlt_said(), ":2: [x] words: refused 'lists/pipe.txt': not a regular file"));
	assert_non_null(strstr(nlt_said(), ":3: [x] dictionary_path: refused 'lists': its entry 'pipe.txt'"));
	nl_settings_free(&s);
}

static void test_link_inside_is_fine(void **st)
{
	(void)st;
	nl_settings s;
	put("proj/lists/words.txt", "w\n");
	link_to("lists/words.txt", "proj/words.txt");
	nl_config *c = load(&s, "[x]\nwords = words.txt\n");
	char buf[PATH_MAX];
	assert_non_null(nl_cfg_path(c, "words.txt", buf, sizeof buf));
	assert_non_null(nl_cfg_path(c, ".", buf, sizeof buf));
	assert_int_equal(c->errors, 0);
	nl_settings_free(&s);
}

static void test_followup_error_on_a_refused_key_is_counted_not_repeated(void **st)
{
	(void)st;
	nl_settings s;
	nl_config *c = load(&s, "[x]\nwords = /etc/hostname\nother = 1\n");
	char buf[PATH_MAX];
	assert_null(nl_cfg_path(c, "/etc/hostname", buf, sizeof buf));
	nl_cfg_error(c, "words", "path too long");     /* what plugins say after a NULL */
	nl_cfg_error(c, "other", "a real error");
	assert_int_equal(c->errors, 3);
	assert_null(strstr(nlt_said(), "path too long"));
	assert_non_null(strstr(nlt_said(), "a real error"));
	nl_settings_free(&s);
}

static void test_unconfined_config_is_not_checked(void **st)
{
	(void)st;
	put("proj/.newslint.ini", "[x]\nwords = /etc/hostname\n");
	char ini[PATH_MAX + 64];
	snprintf(ini, sizeof ini, "%s/proj/.newslint.ini", top);
	nl_settings s = {0};
	assert_int_equal(nl_settings_load(&s, ini, "--config"), 0);
	nl_config *c = nl_settings_section(&s, "x", 0);
	char buf[PATH_MAX];
	assert_string_equal(nl_cfg_path(c, "/etc/hostname", buf, sizeof buf), "/etc/hostname");
	assert_string_equal(nl_cfg_path(c, "../outside/x", buf, sizeof buf) ? "ok" : "refused", "ok");
	assert_int_equal(c->errors, 0);
	nl_settings_free(&s);
}

static void test_path_inside(void **st)
{
	(void)st;
	char p[PATH_MAX + 64], root[PATH_MAX + 64];
	snprintf(root, sizeof root, "%s/proj", top);
	snprintf(p, sizeof p, "%s/proj/a/b/c.txt", top);
	assert_true(nl_path_inside(root, p));                 /* missing, below root */
	snprintf(p, sizeof p, "%s/proj/a/../../outside/x", top);
	assert_false(nl_path_inside(root, p));                /* missing, '..' after the missing part */
	snprintf(p, sizeof p, "%s/project-two/x", top);
	assert_false(nl_path_inside(root, p));                /* a prefix of the name is not inside */
	assert_true(nl_path_inside(root, root));
	assert_true(nl_path_inside("/", p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inside_paths_resolve_from_the_ini, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_path_is_refused_at_its_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_out_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_out_is_refused_even_for_a_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_with_a_link_out_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_is_refused_and_so_is_its_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_inside_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_followup_error_on_a_refused_key_is_counted_not_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unconfined_config_is_not_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_inside, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
