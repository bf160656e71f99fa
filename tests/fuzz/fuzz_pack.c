/* fuzz_pack.c -- the packs plugin on an arbitrary rule pack.
 *
 * Rule packs are data a project can carry (issue 10: a discovered
 * configuration may load the project's packs), so the pack file is hostile
 * input: its INI, words, swaps, PCRE2 patterns (catastrophic ones included:
 * the match and depth limits must bound them) and messages.  The input is
 * the pack file up to the first 0xFF byte, then the text to check (a fixed
 * article when absent or not UTF-8).  The pack is written to a temporary
 * file, loaded through the real host as `packs = FILE`; when it loads, its
 * rules check the text as plain text and as Markdown, and the findings are
 * checked and rendered like fuzz_plugins does.  The same pack loaded with
 * prefilter = false (every rule tried at every position) must find the
 * same: an oracle for the prefilter of word rules (unless a rule gave up
 * at a limit, which the two runs may reach apart).  Packs that name other
 * files (words_file, ...) are skipped: they could name a FIFO or a device. */
#define _GNU_SOURCE
#include "fuzz.h"
#include "config.h"
#include "doc.h"
#include "host.h"
#include "report.h"
#include "util.h"
#include <string.h>
#include <unistd.h>

extern const nl_plugin nl_plugin_packs;

static char dir[64], file[96];
static int pack_utf8;   /* the pack file is UTF-8 */
static int gave_up;     /* a rule stopped at a limit in this input (its other matches unreported) */

/* The core's diagnostics, silenced; a rule that gives up at its match or
 * time limit says so here, and the two runs below may then differ. */
static void diag_count(void *ud, const char *line)
{
	(void)ud;
	if (strstr(line, "gave up"))
		gave_up = 1;
}

static void cleanup(void)
{
	unlink(file);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *src = getenv("NEWSLINT_TEST_SRCDIR");
	static char rules_dir[4096];
	snprintf(rules_dir, sizeof rules_dir, "%s/rules", src && *src ? src : NL_SRC_DIR);
	nl_host_set_rules_dir(rules_dir);
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/nlfuzz-XXXXXX", t && *t && strlen(t) < 40 ? t : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	snprintf(file, sizeof file, "%s/fuzz.ini", dir);
	atexit(cleanup);
	nlf_quiet_diagnostics();
	nl_diag_set_hook(diag_count, NULL);
	return 0;
}

static const char article[] =
	"Council Approves New Budget\n\n"
	"The council approved a groundbreaking budget on Tuesday, officials said. "
	"It is very unique, per cent of residents agree, towards a better town.\n\n"
	"“We are very excited,” the mayor said. The US and UK envoys attended.\n";

static void check_text(nl_pinst *pi, nl_pinst *plain, const char *text, size_t len, int format)
{
	nl_doc *d = NULL;
	if (nl_doc_build("fuzz.md", text, len, format, &d) != 0)
		return;
	nl_items items = {0};
	int rc = nl_pinst_check(pi, d, &items);
	NLF_CHECK(rc == 0 || rc == NL_EPLUGIN, "packs check returned %d", rc);
	nl_items_finish(&items, d);
	/* the same pack with prefilter = false tries every rule at every
	   position: it must find the same (an oracle for the prefilter; not
	   when a rule gave up at a limit, which the two may reach apart) */
	if (plain && rc == 0) {
		nl_items all = {0};
		int rc2 = nl_pinst_check(plain, d, &all);
		nl_items_finish(&all, d);
		if (rc2 == 0 && !gave_up) {
			NLF_CHECK(all.n == items.n, "prefilter: %zu findings, every position: %zu", items.n, all.n);
			for (size_t i = 0; i < items.n && i < all.n; i++)
				NLF_CHECK(items.v[i].off == all.v[i].off && items.v[i].len == all.v[i].len &&
				          !strcmp(items.v[i].rule->id, all.v[i].rule->id) &&
				          !strcmp(items.v[i].message, all.v[i].message),
				          "prefilter: finding %zu differs (%s at %u, %s at %u)", i, items.v[i].rule->id,
				          items.v[i].off, all.v[i].rule->id, all.v[i].off);
		}
		nl_items_free(&all);
	}
	for (size_t i = 0; i < items.n; i++) {
		const nl_item *x = &items.v[i];
		NLF_CHECK((uint64_t)x->off + x->len <= len, "span outside the text");
		NLF_CHECK(x->off >= len || ((unsigned char)text[x->off] & 0xC0) != 0x80,
		          "%s: span starts inside a character", x->rule->id);
		size_t e = (size_t)x->off + x->len;
		NLF_CHECK(e >= len || ((unsigned char)text[e] & 0xC0) != 0x80,
		          "%s: span ends inside a character", x->rule->id);
		size_t ml = strlen(x->message);
		if (pack_utf8)   /* quoting the text must not cut a character */
			NLF_CHECK(nlf_utf8_valid_prefix(x->message, ml) == ml,
			          "%s: message is not UTF-8: %s", x->rule->id, x->message);
	}
	const nl_rule *rules[64];
	size_t nr = pi->n_rules < 64 ? pi->n_rules : 64;
	for (size_t i = 0; i < nr; i++)
		rules[i] = &pi->rules[i];
	nl_file_result fr = {"fuzz.md", text, len, &items, NULL};
	nl_report_ctx ctx = {.rules = rules, .n_rules = nr, .tool_version = "fuzz"};
	nlf_check_reports(&ctx, &fr, 1, 0);
	nl_items_free(&items);
	nl_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		LLVMFuzzerInitialize(NULL, NULL);
	if (memmem(data, size, "_file", 5))
		return 0;
	const uint8_t *sep = memchr(data, 0xFF, size);
	size_t plen = sep ? (size_t)(sep - data) : size;
	FILE *f = fopen(file, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, plen, f);
	fclose(f);
	pack_utf8 = nlf_utf8_valid_prefix((const char *)data, plen) == plen;
	char *text = NULL;
	size_t tlen = 0;
	if (sep && size - plen - 1 > 0 && nl_utf8_check((const char *)sep + 1, size - plen - 1, NULL, 0) == 0) {
		tlen = size - plen - 1;
		text = malloc(tlen);
		if (!text)
			return 0;
		memcpy(text, sep + 1, tlen);
	} else {
		tlen = sizeof article - 1;
		text = malloc(tlen);
		if (!text)
			return 0;
		memcpy(text, article, tlen);
	}

	gave_up = 0;
	nl_settings s = {0}, s0 = {0};
	char ini[256], ini0[280];
	snprintf(ini, sizeof ini, "[packs]\npacks = %s\n", file);
	snprintf(ini0, sizeof ini0, "[packs]\npacks = %s\nprefilter = false\n", file);
	if (nl_settings_load_string(&s, "fuzz.ini", ini) == 0) {
		nl_pinst pi, p0;
		int rc = nl_pinst_create(&pi, &nl_plugin_packs, NULL, nl_settings_section(&s, "packs", 0));
		NLF_CHECK(rc == 0 || rc == NL_ECONFIG || rc == NL_ENOMEM || rc == NL_EIO,
		          "packs create returned %d", rc);
		int rc0 = rc == 0 && nl_settings_load_string(&s0, "fuzz0.ini", ini0) == 0
		          ? nl_pinst_create(&p0, &nl_plugin_packs, NULL, nl_settings_section(&s0, "packs", 0)) : -1;
		if (rc == 0) {
			check_text(&pi, rc0 == 0 ? &p0 : NULL, text, tlen, NL_FORMAT_TEXT);
			char *md = nlf_padded(text, tlen);   /* see nlf_padded */
			check_text(&pi, rc0 == 0 ? &p0 : NULL, md, tlen, NL_FORMAT_MARKDOWN);
			free(md);
		}
		if (rc0 == 0)
			nl_pinst_destroy(&p0);
		nl_pinst_destroy(&pi);
	}
	nl_settings_free(&s0);
	nl_settings_free(&s);
	free(text);
	return 0;
}
