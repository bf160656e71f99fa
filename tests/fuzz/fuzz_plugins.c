/* fuzz_plugins.c -- every plugin through the core on arbitrary bytes.
 *
 * The four editorial plugins (repetition, keyword-stuffing, spelling,
 * attribution) and packs are linked in statically and created once through
 * the real host (src/host.c), twice: with their default configuration (packs
 * with its default pack), and with every option that adds work on (both
 * shipped packs, Hunspell suggestions, acronyms, a keyphrase) and thresholds
 * low enough for short inputs.  Each input the driver would accept
 * (nl_utf8_check) is built as plain text for the first set and as Markdown
 * for the second, every plugin checks it, the findings are
 * finished (yields, sort, line and column) and checked: spans inside the
 * text on character boundaries, messages and suggestions UTF-8, positions
 * sane, also after the inline suppressions (src/suppress.c).  Then they
 * are rendered in every output format (report_check.c).  The document is
 * checked with the core's word numbers (ABI 1.1), as the driver gives it,
 * and again without (as for a document too large to number): the plugins
 * must find exactly the same. */
#include "fuzz.h"
#include "config.h"
#include "doc.h"
#include "host.h"
#include "report.h"
#include "suppress.h"
#include "words.h"
#include <string.h>

extern const nl_plugin nl_plugin_repetition, nl_plugin_keyword_stuffing, nl_plugin_spelling,
	nl_plugin_attribution, nl_plugin_packs;

static const nl_plugin *const plugins[] = {
	&nl_plugin_repetition, &nl_plugin_keyword_stuffing, &nl_plugin_spelling,
	&nl_plugin_attribution, &nl_plugin_packs,
};
#define NP (sizeof plugins / sizeof *plugins)

/* Two sets of instances: the defaults (plain text inputs), and one with
 * every option that adds work switched on and the thresholds low enough for
 * short inputs (Markdown inputs). */
typedef struct set {
	nl_settings settings;
	nl_pinst pinst[NP];
	const nl_rule **rules;
	size_t n_rules;
} set;
static set sets[2];
static int started;

static const char *const busy_ini =
	"[keyword-stuffing]\nmin_words = 5\nmin_count = 2\nkeyphrase = cheap flights\n"
	"keyphrase_min_words = 5\n"
	"[spelling]\ncheck_acronyms = yes\nhunspell_suggest = yes\nmax_suggestions = 5\n"
	"[packs]\npacks = puffery, house\n"
	"[repetition]\nphrase_min_words = 2\nopenings_min = 2\noverused_min = 2\n"
	"[attribution]\nquote_min_words = 2\nscare_max_words = 1\n";

static void start_set(set *st, const char *ini, const char *rules_dir)
{
	if (nl_settings_load_string(&st->settings, "fuzz.ini", ini) != 0)
		abort();
	for (size_t i = 0; i < NP; i++) {
		nl_config *cfg = nl_settings_section(&st->settings, plugins[i]->name, 0);
		int ok = nl_pinst_create(&st->pinst[i], plugins[i], NULL, cfg) == 0;
		if (!ok && plugins[i] == &nl_plugin_spelling) {
			/* no en_US dictionary installed: the test suite's tiny one */
			nl_pinst_destroy(&st->pinst[i]);
			cfg = nl_settings_section(&st->settings, "spelling", 1);
			static char aff[4200], dic[4200];
			snprintf(aff, sizeof aff, "%s/../tests/data/spelling/tiny.aff", rules_dir);
			snprintf(dic, sizeof dic, "%s/../tests/data/spelling/tiny.dic", rules_dir);
			nl_cfg_entry *e = realloc(cfg->e, (cfg->n + 2) * sizeof *e);
			if (!e)
				abort();
			cfg->e = e;
			cfg->cap = cfg->n + 2;
			e[cfg->n++] = (nl_cfg_entry){.key = strdup("aff"), .value = strdup(aff), .line = 1};
			e[cfg->n++] = (nl_cfg_entry){.key = strdup("dic"), .value = strdup(dic), .line = 1};
			ok = nl_pinst_create(&st->pinst[i], plugins[i], NULL, cfg) == 0;
		}
		if (!ok) {
			fprintf(stderr, "fuzz_plugins: plugin %s does not start\n", plugins[i]->name);
			abort();
		}
		for (size_t k = 0; k < st->pinst[i].n_rules; k++) {
			const nl_rule **v = realloc(st->rules, (st->n_rules + 1) * sizeof *v);
			if (!v)
				abort();
			st->rules = v;
			st->rules[st->n_rules++] = &st->pinst[i].rules[k];
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *src = getenv("NEWSLINT_TEST_SRCDIR");
	static char rules_dir[4096];
	snprintf(rules_dir, sizeof rules_dir, "%s/rules", src && *src ? src : NL_SRC_DIR);
	nl_host_set_rules_dir(rules_dir);
	start_set(&sets[0], "", rules_dir);
	start_set(&sets[1], busy_ini, rules_dir);
	started = 1;
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

/* The findings of every plugin of st on text, with the core's word numbers
 * or without; NULL when the document cannot be built. */
static nl_doc *check_all(set *st, const char *text, size_t len, int format, int numbers, nl_items *items)
{
	static nl_words *words;
	nl_doc *d = NULL;
	if (!words)
		words = nl_words_new();
	if (nl_doc_build("fuzz.md", text, len, format, &d) != 0)
		return NULL;
	if (numbers)
		NLF_CHECK(nl_words_number(words, d) == 0 && (NL_DOC_HAS_WORDS(d) || d->n_tokens > NL_WORDS_MAX_TOKENS),
		          "the words were not numbered");
	for (size_t i = 0; i < NP; i++) {
		int rc = nl_pinst_check(&st->pinst[i], d, items);
		NLF_CHECK(rc == 0, "plugin %s check returned %d", plugins[i]->name, rc);
	}
	nl_items_finish(items, d);
	return d;
}

/* The same findings, with and without word numbers? */
static void check_same(const nl_items *a, const nl_items *b)
{
	NLF_CHECK(a->n == b->n, "%zu findings with word numbers, %zu without", a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const nl_item *x = &a->v[i], *y = &b->v[i];
		NLF_CHECK(x->rule == y->rule && x->off == y->off && x->len == y->len && x->severity == y->severity &&
		          !strcmp(x->message, y->message) && x->n_sugg == y->n_sugg && x->n_related == y->n_related,
		          "finding %zu differs without word numbers: %s at %u (%s) / %s at %u (%s)", i, x->rule->id,
		          x->off, x->message, y->rule->id, y->off, y->message);
		for (size_t k = 0; k < x->n_sugg; k++)
			NLF_CHECK(!strcmp(x->sugg[k], y->sugg[k]), "%s: suggestion %zu differs without word numbers",
			          x->rule->id, k);
		for (size_t k = 0; k < x->n_related; k++)
			NLF_CHECK(x->related[k].off == y->related[k].off && x->related[k].len == y->related[k].len,
			          "%s: related span %zu differs without word numbers", x->rule->id, k);
	}
}

static void run(set *st, const char *text, size_t len, int format)
{
	nl_items items = {0}, plain = {0};
	nl_doc *d = check_all(st, text, len, format, 1, &items);
	if (!d)
		return;
	nl_doc *d2 = check_all(st, text, len, format, 0, &plain);
	if (d2)
		check_same(&items, &plain);
	nl_items_free(&plain);
	nl_doc_free(d2);
	/* the driver's next step: inline <!-- newslint-disable --> directives */
	nl_suppress_apply("fuzz.md", text, len, &items, NULL, NULL);
	check_items(d, &items);
	nl_file_result fr = {"fuzz.md", text, len, &items, NULL};
	nl_report_ctx ctx = {.rules = st->rules, .n_rules = st->n_rules, .tool_version = "fuzz"};
	nlf_check_reports(&ctx, &fr, 1, 1);
	nl_items_free(&items);
	nl_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!started)
		LLVMFuzzerInitialize(NULL, NULL);
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	if (nl_utf8_check(text, size, NULL, 0) == 0) {
		run(&sets[0], text, size, NL_FORMAT_TEXT);
		char *md = nlf_padded(text, size);   /* see nlf_padded */
		run(&sets[1], md, size, NL_FORMAT_MARKDOWN);
		free(md);
	}
	free(text);
	return 0;
}
