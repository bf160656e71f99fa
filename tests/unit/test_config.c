/* test_config.c -- INI loading, errors with file and line, typed values,
 * unknown keys, and the line:column computation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "lines.h"
#include "util.h"
#include "harness.h"

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

static void test_sections_keys_lines(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "a.ini",
		"# comment\n[newslint]\nplugins = spelling, repetition\n\n[spelling]\ndictionary = en_GB\n"), 0);
	nl_config *c = nl_settings_section(&s, "spelling", 0);
	assert_non_null(c);
	assert_string_equal(nl_cfg_get(c, "dictionary"), "en_GB");
	assert_int_equal(nl_cfg_entry_of(c, "dictionary")->line, 6);
	assert_int_equal(c->line, 5);
	assert_string_equal(nl_cfg_get(nl_settings_section(&s, "newslint", 0), "plugins"),
	                    "spelling, repetition");
	assert_null(nl_settings_section(&s, "attribution", 0));
	nl_settings_free(&s);
}

static void test_continuation_lines_join(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "a.ini",
		"[packs]\nwords = alpha\n  beta\n  gamma\nother = x\n"), 0);
	nl_config *c = nl_settings_section(&s, "packs", 0);
	assert_string_equal(nl_cfg_get(c, "words"), "alpha\nbeta\ngamma");
	assert_string_equal(nl_cfg_get(c, "other"), "x");
	nl_settings_free(&s);
}

static void test_last_value_wins(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "a.ini", "[x]\nk = 1\nk = 2\n"), 0);
	assert_string_equal(nl_cfg_get(nl_settings_section(&s, "x", 0), "k"), "2");
	nl_settings_free(&s);
}

static void test_syntax_error_names_line(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "bad.ini", "[x]\nk = 1\nthis line is wrong\n"),
	                 NL_ECONFIG);
	assert_non_null(strstr(nlt_said(), "bad.ini:3: syntax error"));
	nl_settings_free(&s);
}

static void test_line_too_long_is_said(void **st)
{
	(void)st;
	char text[600];
	int n = snprintf(text, sizeof text, "[x]\nshort = 1\nwords = ");
	memset(text + n, 'a', 300);
	strcpy(text + n + 300, "\n");
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "long.ini", text), NL_ECONFIG);
	assert_non_null(strstr(nlt_said(), "long.ini:3: line too long"));
	nl_settings_free(&s);
}

static void test_missing_file(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load(&s, "/nonexistent/newslint.ini", "--config"), NL_EIO);
	assert_non_null(strstr(nlt_said(), "/nonexistent/newslint.ini: cannot read"));
	nl_settings_free(&s);
}

static void test_typed_getters(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "t.ini",
		"[p]\nn = 12\nbad = twelve\nbig = 99\nf = 2.5\nb = yes\nnb = maybe\n"), 0);
	nl_config *c = nl_settings_section(&s, "p", 0);
	long v;
	double d;
	int b;
	assert_int_equal(nl_cfg_int(c, "n", 1, 0, 50, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(nl_cfg_int(c, "absent", 7, 0, 50, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(nl_cfg_int(c, "bad", 1, 0, 50, &v), NL_ECONFIG);
	assert_non_null(strstr(nlt_said(), "t.ini:3: [p] bad: expected a whole number from 0 to 50, got 'twelve'"));
	assert_int_equal(nl_cfg_int(c, "big", 1, 0, 50, &v), NL_ECONFIG);
	assert_int_equal(nl_cfg_double(c, "f", 0, 0, 10, &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(nl_cfg_bool(c, "b", 0, &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(nl_cfg_bool(c, "nb", 0, &b), NL_ECONFIG);
	assert_non_null(strstr(nlt_said(), "t.ini:7: [p] nb: expected true or false"));
	assert_int_equal(c->errors, 3);
	nl_settings_free(&s);
}

static void test_unknown_key_suggests_nearest(void **st)
{
	(void)st;
	static const char *const known[] = {"dictionary", "wordlist", NULL};
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "k.ini", "[spelling]\n\ndictonary = en_US\n"), 0);
	nl_cfg_check_keys(nl_settings_section(&s, "spelling", 0), known);
	assert_non_null(strstr(nlt_said(), "k.ini:3: [spelling] warning: unknown key 'dictonary' (did you mean 'dictionary'?)"));
	nl_settings_free(&s);
}

static void test_relative_paths_follow_the_ini(void **st)
{
	(void)st;
	nl_settings s = {0};
	assert_int_equal(nl_settings_load_string(&s, "/srv/news/.newslint.ini", "[spelling]\nx = 1\n"), 0);
	nl_config *c = nl_settings_section(&s, "spelling", 0);
	char buf[256];
	assert_string_equal(nl_cfg_path(c, "names.txt", buf, sizeof buf), "/srv/news/names.txt");
	assert_string_equal(nl_cfg_path(c, "/etc/x.txt", buf, sizeof buf), "/etc/x.txt");
	nl_settings_free(&s);
}

static void test_discovery_walks_up(void **st)
{
	(void)st;
	char tmpl[] = "/tmp/nlcfgXXXXXX";
	char *root = mkdtemp(tmpl);
	assert_non_null(root);
	char sub[300], ini[300], deep[300];
	snprintf(sub, sizeof sub, "%s/a", root);
	snprintf(deep, sizeof deep, "%s/a/b", root);
	snprintf(ini, sizeof ini, "%s/.newslint.ini", root);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(mkdir(deep, 0700), 0);
	FILE *f = fopen(ini, "w");
	fputs("[newslint]\n", f);
	fclose(f);
	const char *origin = NULL;
	char *found = nl_config_discover(deep, &origin);
	assert_non_null(found);
	char *real = realpath(ini, NULL);
	assert_string_equal(found, real);
	assert_string_equal(origin, ".newslint.ini");
	free(found);
	free(real);
	unlink(ini);
	rmdir(deep);
	rmdir(sub);
	rmdir(root);
}

static void test_severity_names(void **st)
{
	(void)st;
	assert_int_equal(nl_parse_severity("info", 0), NL_SEV_INFO);
	assert_int_equal(nl_parse_severity("WARNING", 0), NL_SEV_WARNING);
	assert_int_equal(nl_parse_severity("error", 0), NL_SEV_ERROR);
	assert_int_equal(nl_parse_severity("off", 1), NL_SEV_OFF);
	assert_int_equal(nl_parse_severity("off", 0), -1);
	assert_int_equal(nl_parse_severity("loud", 1), -1);
}

static void test_columns_count_code_points(void **st)
{
	(void)st;
	const char *t = "Kyiv’s mayor\n\tsaid “no”\r\nend";
	nl_lines l;
	assert_int_equal(nl_lines_init(&l, t, strlen(t)), 0);
	unsigned line, col;
	const char *m = strstr(t, "mayor");
	nl_lines_pos(&l, (uint32_t)(m - t), &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 8);       /* K y i v ’ s space = 7 code points */
	const char *no = strstr(t, "no");
	nl_lines_pos(&l, (uint32_t)(no - t), &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 8);       /* tab counts as one */
	const char *end = strstr(t, "end");
	nl_lines_pos(&l, (uint32_t)(end - t), &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	uint32_t b, e;
	nl_lines_range(&l, 2, &b, &e);
	assert_int_equal(e - b, strlen("\tsaid “no”"));   /* CR not included */
	nl_lines_free(&l);
}

static void test_batch_locate_matches_single(void **st)
{
	(void)st;
	const char *t = "\xEF\xBB\xBFOne “two” three\r\nKyiv’s\tmayor said\n\nend of the text";
	size_t n = strlen(t);
	nl_lines l;
	assert_int_equal(nl_lines_init(&l, t, n), 0);
	unsigned line[64], col[64];
	nl_lines_query q[64];
	size_t k = 0;
	for (uint32_t off = 0; off <= n && k < 64; off += 1 + off % 3, k++)
		q[k] = (nl_lines_query){off, &line[k], &col[k]};
	nl_lines_locate(&l, q, k);
	for (size_t i = 0; i < k; i++) {
		unsigned l1, c1;
		nl_lines_pos(&l, q[i].off, &l1, &c1);
		assert_int_equal(line[i], l1);
		assert_int_equal(col[i], c1);
	}
	nl_lines_free(&l);
}

/* Columns as the byte-at-a-time rule counts them: code points from the
 * line's start, a CR before a LF not counted (the reference the eight-byte
 * counting must equal). */
static unsigned ref_col(const char *t, size_t n, size_t off)
{
	size_t b = off;
	while (b > 0 && t[b - 1] != '\n')
		b--;
	unsigned c = 1;
	for (; b < off; b++) {
		unsigned char ch = (unsigned char)t[b];
		if ((ch & 0xC0) != 0x80 && !(ch == '\r' && b + 1 < n && t[b + 1] == '\n'))
			c++;
	}
	return c;
}

/* Lines of several lengths built from ASCII, two- and three-byte
 * characters, tabs and CRLF ends: every offset's column equals the
 * reference, one by one and in a batch. */
static void test_columns_match_bytewise_count(void **st)
{
	(void)st;
	static const char *const piece[] = {"a", "é", "“", "\t", "Kyiv", "\r\n", "\n", "—x", " "};
	unsigned seed = 7;
	for (int round = 0; round < 200; round++) {
		char t[400];
		size_t n = 0;
		int parts = 1 + round % 40;
		for (int k = 0; k < parts; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = piece[(seed >> 16) % (sizeof piece / sizeof piece[0])];
			memcpy(t + n, p, strlen(p));
			n += strlen(p);
		}
		t[n] = '\0';
		nl_lines l;
		assert_int_equal(nl_lines_init(&l, t, n), 0);
		unsigned line[400], col[400];
		nl_lines_query q[400];
		for (size_t off = 0; off <= n; off++) {
			unsigned l1, c1;
			nl_lines_pos(&l, (uint32_t)off, &l1, &c1);
			assert_int_equal(c1, ref_col(t, n, off));
			q[off] = (nl_lines_query){(uint32_t)off, &line[off], &col[off]};
		}
		nl_lines_locate(&l, q, n + 1);
		for (size_t off = 0; off <= n; off++)
			assert_int_equal(col[off], ref_col(t, n, off));
		nl_lines_free(&l);
	}
}

/* nl_utf8_count and nl_plain_span against one byte at a time: every byte
 * value at every position of a 19-byte run of ASCII, and of 'é's. */
static void test_utf8_count_and_plain_span(void **st)
{
	(void)st;
	for (int fill = 0; fill < 2; fill++) {
		for (size_t pos = 0; pos < 19; pos++) {
			for (unsigned v = 0; v < 256; v++) {
				unsigned char b[19];
				for (size_t i = 0; i < sizeof b; i++)
					b[i] = fill ? (i % 2 ? 0xA9 : 0xC3) : (unsigned char)('a' + i);
				b[pos] = (unsigned char)v;
				for (size_t n = pos; n <= sizeof b; n += 5) {
					size_t cps = 0, plain = n;
					for (size_t i = 0; i < n; i++)
						cps += (b[i] & 0xC0) != 0x80;
					for (size_t i = 0; i < n; i++)
						if (b[i] < 0x20 || b[i] == 0x7F || b[i] == 0xC2) {
							plain = i;
							break;
						}
					assert_int_equal(nl_utf8_count((const char *)b, n), cps);
					assert_int_equal(nl_plain_span((const char *)b, n), plain);
				}
			}
		}
	}
}

static void test_bom_is_not_a_column(void **st)
{
	(void)st;
	const char *t = "\xEF\xBB\xBFHello";
	nl_lines l;
	assert_int_equal(nl_lines_init(&l, t, strlen(t)), 0);
	unsigned line, col;
	nl_lines_pos(&l, 3, &line, &col);
	assert_int_equal(col, 1);
	nl_lines_free(&l);
}

/* issue 10: a lone CR (old Mac line ends) ends a line like LF and CRLF. */
static void test_lone_cr_ends_a_line(void **st)
{
	(void)st;
	const char *t = "ab\rcd\r\nef\ngh\r";
	nl_lines l;
	assert_int_equal(nl_lines_init(&l, t, strlen(t)), 0);
	assert_int_equal(l.n, 5);
	unsigned line, col;
	uint32_t b, e;
	nl_lines_pos(&l, 4, &line, &col);    /* d */
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	nl_lines_pos(&l, 11, &line, &col);   /* h */
	assert_int_equal(line, 4);
	assert_int_equal(col, 2);
	nl_lines_range(&l, 1, &b, &e);
	assert_int_equal(b, 0);
	assert_int_equal(e, 2);
	nl_lines_range(&l, 2, &b, &e);
	assert_int_equal(b, 3);
	assert_int_equal(e, 5);
	nl_lines_free(&l);
}

/* issue 10: nl_read_file turns a lone CR into LF (same offsets), keeps CRLF,
 * NUL-terminates, and refuses a FIFO without waiting for a writer. */
static void test_read_file_hostile(void **st)
{
	(void)st;
	char dir[] = "/tmp/newslint-read.XXXXXX", path[64], fifo[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/cr.txt", dir);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("a\rb\r\nc\r", 1, 7, f);
	fclose(f);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(nl_read_file(path, &data, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "a\nb\r\nc\n", 8);   /* the NUL too */
	free(data);
	assert_int_equal(nl_read_file(dir, &data, &len), -EISDIR);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(nl_read_file(fifo, &data, &len), NL_READ_EFIFO);
	assert_non_null(strstr(nl_read_strerror(NL_READ_EFIFO), "named pipe"));
	assert_int_equal(nl_read_file("/dev/zero", &data, &len), NL_READ_EDEVICE);
	snprintf(path, sizeof path, "%s/missing.txt", dir);
	assert_int_equal(nl_read_file(path, &data, &len), -ENOENT);
	unlink(fifo);
	snprintf(path, sizeof path, "%s/cr.txt", dir);
	unlink(path);
	rmdir(dir);
}

static void test_edit_distance(void **st)
{
	(void)st;
	assert_int_equal(nl_edit_distance("dictonary", "dictionary", 3), 1);
	assert_int_equal(nl_edit_distance("abc", "xyz", 1), 2);   /* capped at max+1 */
	const char *c[] = {"plugins", "plugin_path", "fail_on"};
	assert_string_equal(nl_nearest("plugin", c, 3), "plugins");
	assert_null(nl_nearest("zzzzzz", c, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sections_keys_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continuation_lines_join, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_value_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error_names_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long_is_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_getters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_suggests_nearest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths_follow_the_ini, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discovery_walks_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_severity_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns_count_code_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_is_not_a_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_locate_matches_single, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns_match_bytewise_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_count_and_plain_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_distance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lone_cr_ends_a_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_hostile, setup, teardown),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
