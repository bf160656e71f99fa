/* test_walk.c -- folder walking (globs, hidden folders, symbolic link loops,
 * sorted output) and file lists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"
#include "util.h"

static char root[64];
static nl_buf got, diag;

static void capture(void *ud, const char *line)
{
	(void)ud;
	nl_buf_puts(&diag, line);
	nl_buf_putc(&diag, '\n');
}

static void touch(const char *rel)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("text\n", f);
	fclose(f);
}

static void mkd(const char *rel)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **st)
{
	(void)st;
	strcpy(root, "/tmp/nl-walk-XXXXXX");
	assert_non_null(mkdtemp(root));
	nl_buf_free(&got);
	nl_buf_free(&diag);
	nl_diag_set_hook(capture, NULL);
	mkd("news");
	mkd("news/2024");
	mkd(".git");
	mkd("drafts");
	touch("b.md");
	touch("a.txt");
	touch("notes.markdown");
	touch("image.png");
	touch(".hidden.md");
	touch(".git/c.md");
	touch("news/z.txt");
	touch("news/2024/m.md");
	touch("drafts/d.md");
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	nl_diag_set_hook(NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	nl_buf_free(&got);
	nl_buf_free(&diag);
	return system(cmd) == 0 ? 0 : -1;
}

/* Record paths relative to root. */
static int collect(void *ud, const char *path)
{
	(void)ud;
	size_t n = strlen(root);
	if (!strncmp(path, root, n) && path[n] == '/')
		path += n + 1;
	nl_buf_puts(&got, path);
	nl_buf_putc(&got, ' ');
	return 0;
}

static const char *walked(const nl_walk_opts *wo)
{
	nl_buf_free(&got);
	assert_int_equal(nl_walk(root, wo, collect, NULL), 0);
	return got.p ? got.p : "";
}

static void test_default_globs_sorted_hidden_skipped(void **st)
{
	(void)st;
	assert_string_equal(walked(NULL), "a.txt b.md drafts/d.md news/2024/m.md news/z.txt notes.markdown ");
}

static void test_include_and_exclude(void **st)
{
	(void)st;
	const char *inc[] = {"*.md"};
	const char *exc[] = {"drafts"};
	nl_walk_opts wo = {inc, 1, exc, 1};
	assert_string_equal(walked(&wo), "b.md news/2024/m.md ");
	const char *exc2[] = {"news/*.txt", "2024"};
	nl_walk_opts wo2 = {NULL, 0, exc2, 2};
	assert_string_equal(walked(&wo2), "a.txt b.md drafts/d.md notes.markdown ");
}

static void test_glob_with_slash_matches_relative_path(void **st)
{
	(void)st;
	const char *inc[] = {"news/*"};
	nl_walk_opts wo = {inc, 1, NULL, 0};
	assert_string_equal(walked(&wo), "news/z.txt ");
}

static void test_symlink_loop_is_safe(void **st)
{
	(void)st;
	char p[256];
	snprintf(p, sizeof p, "%s/news/2024/loop", root);
	assert_int_equal(symlink("../..", p), 0);
	snprintf(p, sizeof p, "%s/dangling.md", root);
	assert_int_equal(symlink("nowhere.md", p), 0);
	/* every file once: the loop leads back to folders already walked */
	assert_string_equal(walked(NULL), "a.txt b.md drafts/d.md news/2024/m.md news/z.txt notes.markdown ");
	assert_string_equal(diag.p ? diag.p : "", "");
}

static void test_root_dot_gives_bare_paths(void **st)
{
	(void)st;
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(root), 0);
	nl_buf_free(&got);
	assert_int_equal(nl_walk(".", NULL, collect, NULL), 0);
	assert_string_equal(got.p, "a.txt b.md drafts/d.md news/2024/m.md news/z.txt notes.markdown ");
	nl_buf_free(&got);
	assert_int_equal(nl_walk("news/", NULL, collect, NULL), 0);
	assert_string_equal(got.p, "news/2024/m.md news/z.txt ");
	assert_int_equal(chdir(cwd), 0);
}

static void test_missing_root_is_an_error(void **st)
{
	(void)st;
	assert_int_equal(nl_walk("/nonexistent/folder", NULL, collect, NULL), -1);
	assert_non_null(strstr(diag.p, "/nonexistent/folder: No such file or directory"));
	assert_false(nl_is_dir("/nonexistent/folder"));
	assert_true(nl_is_dir(root));
	assert_false(nl_is_dir("-"));
}

static void test_file_list(void **st)
{
	(void)st;
	char p[256];
	snprintf(p, sizeof p, "%s/list", root);
	FILE *f = fopen(p, "w");
	fputs("one.txt\r\n\n# not a comment.md\nsp ace.md", f);
	fclose(f);
	nl_buf_free(&got);
	assert_int_equal(nl_read_file_list(p, collect, NULL), 0);
	assert_string_equal(got.p, "one.txt # not a comment.md sp ace.md ");
	assert_int_equal(nl_read_file_list("/nonexistent/list", collect, NULL), -1);
	assert_non_null(strstr(diag.p, "--files-from /nonexistent/list: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_globs_sorted_hidden_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_and_exclude, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glob_with_slash_matches_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_loop_is_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_dot_gives_bare_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_root_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_list, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
