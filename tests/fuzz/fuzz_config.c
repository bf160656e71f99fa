/* fuzz_config.c -- the configuration loader on arbitrary INI bytes.
 *
 * The bytes are parsed twice, from memory (nl_settings_load_string, up to
 * the first NUL) and from a file (nl_settings_load, every byte), and must
 * give the same sections and entries when they hold no NUL.  Then every
 * accessor the host table hands to plugins runs on every entry: the typed
 * getters, paths, the unknown-key check, severities.  Lines must lie in the
 * input; diagnostics are swallowed (checked to be non-empty). */
#include "fuzz.h"
#include "config.h"
#include <limits.h>
#include <string.h>
#include <unistd.h>

static char tmp_path[64];
static int tmp_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	nlf_quiet_diagnostics();
	const char *dir = getenv("TMPDIR");
	snprintf(tmp_path, sizeof tmp_path, "%s/nlfuzz-config-XXXXXX.ini",
	         dir && *dir && strlen(dir) < 32 ? dir : "/tmp");
	tmp_fd = mkstemps(tmp_path, 4);
	if (tmp_fd < 0) {
		perror(tmp_path);
		abort();
	}
	unlink(tmp_path);   /* read back through /proc/self/fd, nothing left behind */
	snprintf(tmp_path, sizeof tmp_path, "/proc/self/fd/%d", tmp_fd);
	return 0;
}

static const char *const known[] = {"plugins", "severity", "fail_on", "format", "packs",
	"window", "threshold", "dictionary", NULL};

static void exercise(nl_settings *s, size_t lines)
{
	for (size_t i = 0; i < s->n; i++) {
		nl_config *c = s->sec[i];
		NLF_CHECK(c && c->name, "section %zu without a name", i);
		NLF_CHECK(nl_settings_section(s, c->name, 0) == c, "section '%s' not found by name", c->name);
		NLF_CHECK(c->line <= lines + 1, "section line %u of %zu", c->line, lines);
		NLF_CHECK(nl_cfg_count(c) == c->n, "count");
		for (size_t k = 0; k < c->n; k++) {
			const char *key = nl_cfg_key(c, k), *val = nl_cfg_value(c, k);
			NLF_CHECK(key && val, "entry %zu of [%s] without key or value", k, c->name);
			NLF_CHECK(c->e[k].line >= 1 && c->e[k].line <= lines + 1, "entry line %u of %zu",
			          c->e[k].line, lines);
			const nl_cfg_entry *e = nl_cfg_entry_of(c, key);
			NLF_CHECK(e && strcmp(e->key, key) == 0, "entry_of('%s')", key);
			const char *got = nl_cfg_get(c, key);
			NLF_CHECK(got && e->value == got, "get('%s') is not the entry's value", key);
			long l;
			double d;
			int b;
			int rc = nl_cfg_int(c, key, 7, LONG_MIN, LONG_MAX, &l);
			NLF_CHECK(rc == 0 || rc == NL_ECONFIG, "cfg_int returned %d", rc);
			rc = nl_cfg_int(c, key, 7, -5, 5, &l);
			NLF_CHECK(rc == NL_ECONFIG || (l >= -5 && l <= 5), "cfg_int gave %ld outside -5..5", l);
			rc = nl_cfg_double(c, key, 0.5, 0.0, 1.0, &d);
			NLF_CHECK(rc == NL_ECONFIG || (d >= 0.0 && d <= 1.0), "cfg_double gave %g outside 0..1", d);
			rc = nl_cfg_bool(c, key, 1, &b);
			NLF_CHECK(rc == NL_ECONFIG || b == 0 || b == 1, "cfg_bool gave %d", b);
			char small[16], big[4096];
			memset(small, 0x55, sizeof small);
			const char *p = nl_cfg_path(c, val, small, 12);
			NLF_CHECK(small[12] == 0x55, "cfg_path wrote past its buffer");
			NLF_CHECK(!p || (p == small && strlen(small) < 12), "cfg_path result");
			p = nl_cfg_path(c, val, big, sizeof big);
			NLF_CHECK(!p || strlen(big) < sizeof big, "cfg_path result");
			int sev = nl_parse_severity(val, 1);
			NLF_CHECK(sev == NL_SEV_OFF || sev == -1 || (sev >= NL_SEV_INFO && sev <= NL_SEV_ERROR),
			          "severity %d", sev);
		}
		nl_cfg_check_keys(c, known);
		nl_cfg_warn(c, c->n ? c->e[0].key : NULL, "fuzz %s", "warning");
	}
}

static void same(const nl_settings *a, const nl_settings *b)
{
	NLF_CHECK(a->n == b->n, "string parse: %zu sections, file parse: %zu", a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const nl_config *x = a->sec[i], *y = b->sec[i];
		NLF_CHECK(strcmp(x->name, y->name) == 0 && x->n == y->n && x->line == y->line,
		          "section %zu differs between string and file", i);
		for (size_t k = 0; k < x->n; k++)
			NLF_CHECK(strcmp(x->e[k].key, y->e[k].key) == 0 &&
			          strcmp(x->e[k].value, y->e[k].value) == 0 && x->e[k].line == y->e[k].line,
			          "entry %zu of [%s] differs between string and file", k, x->name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (tmp_fd < 0)
		LLVMFuzzerInitialize(NULL, NULL);
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	nl_settings a = {0}, b = {0};
	int ra = nl_settings_load_string(&a, "fuzz.ini", text);
	NLF_CHECK(ra == 0 || ra == NL_ECONFIG || ra == NL_ENOMEM, "load_string returned %d", ra);

	int rb = NL_EIO;
	if (ftruncate(tmp_fd, 0) == 0 && pwrite(tmp_fd, data, size, 0) == (ssize_t)size) {
		rb = nl_settings_load(&b, tmp_path, "fuzz");
		NLF_CHECK(rb == 0 || rb == NL_ECONFIG || rb == NL_ENOMEM, "load returned %d", rb);
		if (!memchr(data, '\0', size) && ra != NL_ENOMEM && rb != NL_ENOMEM) {
			NLF_CHECK(ra == rb, "load_string %d, load %d", ra, rb);
			if (ra == 0)
				same(&a, &b);
		}
	}
	if (ra == 0)
		exercise(&a, lines);
	if (rb == 0)
		exercise(&b, lines);
	nl_config *made = nl_settings_section(&a, "fuzz-new", 1);
	NLF_CHECK(!made || nl_settings_section(&a, "fuzz-new", 0) == made, "created section not found");
	nl_settings_free(&a);
	nl_settings_free(&b);
	free(text);
	return 0;
}
