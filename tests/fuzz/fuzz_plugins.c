/* fuzz_plugins.c -- every plugin through the core on arbitrary bytes.
 *
 * The four editorial plugins (repetition, keyword-stuffing, spelling,
 * attribution) and packs with its default pack are linked in statically and
 * created once, with their default configuration, through the real host
 * (src/host.c).  Each input the driver would accept (nl_utf8_check) is built
 * as plain text and as Markdown, every plugin checks it, the findings are
 * finished (yields, sort, line and column) and checked: spans inside the
 * text on character boundaries, messages and suggestions UTF-8, positions
 * sane, also after the inline suppressions (src/suppress.c).  Then they
 * are rendered in every output format (report_check.c). */
#include "fuzz.h"
#include "config.h"
#include "doc.h"
#include "host.h"
#include "report.h"
#include "suppress.h"
#include <string.h>

extern const nl_plugin nl_plugin_repetition, nl_plugin_keyword_stuffing, nl_plugin_spelling,
	nl_plugin_attribution, nl_plugin_packs;

static const nl_plugin *const plugins[] = {
	&nl_plugin_repetition, &nl_plugin_keyword_stuffing, &nl_plugin_spelling,
	&nl_plugin_attribution, &nl_plugin_packs,
};
#define NP (sizeof plugins / sizeof *plugins)
static nl_pinst pinst[NP];
static int created[NP];
static nl_settings settings;
static const nl_rule **rules;
static size_t n_rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *src = getenv("NEWSLINT_TEST_SRCDIR");
	static char rules_dir[4096];
	if (src && *src) {
		snprintf(rules_dir, sizeof rules_dir, "%s/rules", src);
		nl_host_set_rules_dir(rules_dir);
	}
	for (size_t i = 0; i < NP; i++) {
		created[i] = nl_pinst_create(&pinst[i], plugins[i], NULL, NULL) == 0;
		if (!created[i] && plugins[i] == &nl_plugin_spelling) {
			/* no en_US dictionary installed: the test suite's tiny one */
			nl_pinst_destroy(&pinst[i]);
			char ini[9000];
			const char *dir = rules_dir[0] ? rules_dir : NL_SRC_DIR "/rules";
			snprintf(ini, sizeof ini, "[spelling]\naff = %s/../tests/data/spelling/tiny.aff\n"
			         "dic = %s/../tests/data/spelling/tiny.dic\n", dir, dir);
			if (nl_settings_load_string(&settings, "fuzz.ini", ini) == 0)
				created[i] = nl_pinst_create(&pinst[i], plugins[i], NULL,
				                             nl_settings_section(&settings, "spelling", 0)) == 0;
		}
		if (!created[i]) {
			fprintf(stderr, "fuzz_plugins: plugin %s does not start\n", plugins[i]->name);
			abort();
		}
		for (size_t k = 0; k < pinst[i].n_rules; k++) {
			const nl_rule **v = realloc(rules, (n_rules + 1) * sizeof *v);
			if (!v)
				abort();
			rules = v;
			rules[n_rules++] = &pinst[i].rules[k];
		}
	}
	nlf_quiet_diagnostics();   /* after start-up: a plugin that cannot start says why */
	return 0;
}

static int utf8_str(const char *s)
{
	size_t n = strlen(s);
	return nlf_utf8_valid_prefix(s, n) == n;
}

static int boundary(const char *t, size_t len, size_t off)
{
	return off >= len || ((unsigned char)t[off] & 0xC0) != 0x80;
}

static void check_items(const nl_doc *d, const nl_items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		const nl_item *x = &it->v[i];
		NLF_CHECK(x->rule && x->rule->id && x->rule->info, "finding %zu without a rule", i);
		const char *id = x->rule->id;
		NLF_CHECK(x->severity >= NL_SEV_INFO && x->severity <= NL_SEV_ERROR, "%s: severity %d",
		          id, x->severity);
		NLF_CHECK((uint64_t)x->off + x->len <= d->text_len, "%s: span %u+%u outside %zu bytes",
		          id, x->off, x->len, d->text_len);
		NLF_CHECK(boundary(d->text, d->text_len, x->off) &&
		          boundary(d->text, d->text_len, (size_t)x->off + x->len),
		          "%s: span %u+%u cuts a character", id, x->off, x->len);
		NLF_CHECK(x->message && x->message[0], "%s: no message", id);
		NLF_CHECK(utf8_str(x->message), "%s: message is not UTF-8: %s", id, x->message);
		NLF_CHECK(!strchr(x->message, '\n'), "%s: message holds a newline: %s", id, x->message);
		for (size_t k = 0; k < x->n_sugg; k++)
			NLF_CHECK(x->sugg[k] && utf8_str(x->sugg[k]), "%s: suggestion %zu not UTF-8", id, k);
		for (size_t k = 0; k < x->n_related; k++) {
			NLF_CHECK((uint64_t)x->related[k].off + x->related[k].len <= d->text_len,
			          "%s: related span outside the text", id);
			NLF_CHECK(boundary(d->text, d->text_len, x->related[k].off) &&
			          boundary(d->text, d->text_len, (size_t)x->related[k].off + x->related[k].len),
			          "%s: related span %u+%u cuts a character", id, x->related[k].off,
			          x->related[k].len);
		}
		NLF_CHECK(x->line >= 1 && x->col >= 1 && x->end_line >= x->line,
		          "%s: position %u:%u-%u:%u", id, x->line, x->col, x->end_line, x->end_col);
		NLF_CHECK(x->end_line > x->line || x->end_col >= x->col, "%s: ends before it starts", id);
		if (i)
			NLF_CHECK(it->v[i - 1].off <= x->off, "findings not sorted");
	}
}

static void run(const char *text, size_t len, int format)
{
	nl_doc *d = NULL;
	if (nl_doc_build("fuzz.md", text, len, format, &d) != 0)
		return;
	nl_items items = {0};
	for (size_t i = 0; i < NP; i++) {
		int rc = nl_pinst_check(&pinst[i], d, &items);
		NLF_CHECK(rc == 0, "plugin %s check returned %d", plugins[i]->name, rc);
	}
	nl_items_finish(&items, d);
	/* the driver's next step: inline <!-- newslint-disable --> directives */
	nl_suppress_apply("fuzz.md", text, len, &items, NULL, NULL);
	check_items(d, &items);
	nl_file_result fr = {"fuzz.md", text, len, &items, NULL};
	nl_report_ctx ctx = {.rules = rules, .n_rules = n_rules, .tool_version = "fuzz"};
	nlf_check_reports(&ctx, &fr, 1, 1);
	nl_items_free(&items);
	nl_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!n_rules)
		LLVMFuzzerInitialize(NULL, NULL);
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	if (nl_utf8_check(text, size, NULL, 0) == 0) {
		run(text, size, NL_FORMAT_TEXT);
		run(text, size, NL_FORMAT_MARKDOWN);
	}
	free(text);
	return 0;
}
