/* fuzz_report.c -- the output formats on fuzzed text with fuzzed findings.
 *
 * Input: one flag byte, the text up to the first 0xFF byte (a byte UTF-8
 * never holds), then what drives the findings: a path, rule ids and
 * explanations (rule packs take them from the user's INI), and findings with
 * spans, messages, suggestions and related spans, all from the bytes, and
 * errors for the closing part.  Strings may be any bytes (file names are).
 * The findings are finished by the core (yields, sort, line and column)
 * against the text's document, like the driver does, then rendered in every
 * format and checked (report_check.c): json and sarif must parse, checkstyle
 * must be well-formed XML, whatever the bytes.  Last, a baseline written
 * with the findings must load and accept every one of them (baseline.c). */
#include "fuzz.h"
#include "doc.h"
#include "host.h"
#include "report.h"
#include "baseline.h"
#include <string.h>
#include <unistd.h>

/* A folder for the baseline round trip, removed at exit. */
static char bl_dir[64], bl_file[96];

static void bl_cleanup(void)
{
	unlink(bl_file);
	rmdir(bl_dir);
}

static const char *baseline_file(void)
{
	if (!bl_dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(bl_dir, sizeof bl_dir, "%s/nlfuzz-XXXXXX", t && *t && strlen(t) < 40 ? t : "/tmp");
		if (!mkdtemp(bl_dir)) {
			perror(bl_dir);
			abort();
		}
		snprintf(bl_file, sizeof bl_file, "%s/baseline", bl_dir);
		atexit(bl_cleanup);
	}
	return bl_file;
}

/* --write-baseline then --baseline accepts every finding, whatever the
 * path, rule ids and text (escapes in the file round-trip). */
static void baseline_round_trip(const char *path, const char *text, size_t len, nl_items *items)
{
	nl_baseline *w = nl_baseline_new();
	if (!w)
		return;
	for (size_t i = 0; i < items->n; i++)
		nl_baseline_add(w, path, text, len, &items->v[i]);
	NLF_CHECK(nl_baseline_count(w) == items->n, "%zu findings, %zu baseline entries", items->n,
	          nl_baseline_count(w));
	const char *f = baseline_file();
	int rc = nl_baseline_save(w, f);
	nl_baseline_free(w);
	NLF_CHECK(rc == 0, "the baseline cannot be written");
	nl_baseline *b = nl_baseline_load(f);
	NLF_CHECK(b, "a baseline just written does not load");
	size_t n = items->n, acc = nl_baseline_filter(b, path, text, len, items);
	NLF_CHECK(acc == n && items->n == 0, "the baseline accepts %zu of %zu findings", acc, n);
	nl_baseline_free(b);
}

typedef struct rd {
	const uint8_t *p;
	size_t n;
} rd;

static unsigned byte(rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static unsigned u16(rd *r)
{
	unsigned a = byte(r);
	return a | byte(r) << 8;
}

/* A string of up to 63 bytes (a NUL ends it early, as in C). */
static char *str(rd *r, int *utf8)
{
	size_t l = byte(r) & 63;
	if (l > r->n)
		l = r->n;
	char *s = malloc(l + 1);
	if (!s)
		abort();
	memcpy(s, r->p, l);
	s[l] = '\0';
	r->p += l;
	r->n -= l;
	size_t k = strlen(s);
	if (nlf_utf8_valid_prefix(s, k) != k)
		*utf8 = 0;
	return s;
}

#define NR 4

/* Widen a span to whole characters: plugins report spans on character
 * boundaries (fuzz_plugins checks the real ones), and the text excerpt
 * relies on it. */
static void snap(const char *t, size_t n, uint32_t *off, uint32_t *len)
{
	size_t a = *off, e = (size_t)*off + *len;
	while (a > 0 && a < n && ((unsigned char)t[a] & 0xC0) == 0x80)
		a--;
	while (e < n && ((unsigned char)t[e] & 0xC0) == 0x80)
		e++;
	*off = (uint32_t)a;
	*len = (uint32_t)(e - a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	nlf_quiet_diagnostics();
	unsigned flags = data[0];
	const uint8_t *sep = memchr(data + 1, 0xFF, size - 1);
	size_t tlen = sep ? (size_t)(sep - data - 1) : size - 1;
	/* Markdown from a padded copy (see nlf_padded) */
	char *text = flags & 1 ? nlf_padded((const char *)data + 1, tlen) : malloc(tlen ? tlen : 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, tlen);
	rd r = {sep ? sep + 1 : data + size, sep ? size - (size_t)(sep + 1 - data) : 0};
	int utf8 = 1;

	/* rules: ids, summaries and explanations from the input */
	nl_rule_info info[NR];
	nl_rule rule[NR];
	const nl_rule *rp[NR];
	char *owned[3 * NR];
	size_t no = 0;
	for (int i = 0; i < NR; i++) {
		memset(&info[i], 0, sizeof info[i]);
		memset(&rule[i], 0, sizeof rule[i]);
		owned[no++] = rule[i].id = str(&r, &utf8);
		if (!rule[i].id[0]) {   /* ids are never empty */
			free(rule[i].id);
			owned[no - 1] = rule[i].id = strdup(i ? "p.r" : "p.q");
			rule[i].id[2] += (char)i;
		}
		owned[no++] = (char *)(info[i].summary = str(&r, &utf8));
		owned[no++] = (char *)(info[i].explanation = str(&r, &utf8));
		if (!info[i].explanation[0])
			info[i].explanation = NULL;
		info[i].id = rule[i].id;
		info[i].default_severity = (nl_severity)(i % 3);
		rule[i].info = &info[i];
		rule[i].severity = i == 3 ? NL_SEV_OFF : i % 3;
		rp[i] = &rule[i];
	}
	info[1].yields_to = rule[0].id;   /* exercises the core's yields */
	char *path = str(&r, &utf8);
	if (!path[0]) {
		free(path);
		path = strdup(flags & 8 ? "/abs/dir/file name.md" : "./a b/%c.txt");
	}

	int text_ok = nl_utf8_check(text, tlen, NULL, 0) == 0;
	nl_doc *d = NULL;
	nl_items items = {0};
	if (text_ok && nl_doc_build(path, text, tlen, flags & 1 ? NL_FORMAT_MARKDOWN : NL_FORMAT_TEXT, &d) == 0) {
		size_t nf = byte(&r) % 24;
		for (size_t f = 0; f < nf && r.n; f++) {
			nl_item x;
			memset(&x, 0, sizeof x);
			x.rule = &rule[byte(&r) % NR];
			x.severity = (int)(byte(&r) % 3);
			x.off = (uint32_t)(u16(&r) % (tlen + 1));
			x.len = (uint32_t)(u16(&r) % (tlen - x.off + 1));
			snap(text, tlen, &x.off, &x.len);
			x.message = str(&r, &utf8);
			size_t ns = byte(&r) % 4, nr = byte(&r) % 4;
			if (ns) {
				x.sugg = calloc(ns, sizeof *x.sugg);
				for (; x.sugg && x.n_sugg < ns; x.n_sugg++)
					x.sugg[x.n_sugg] = str(&r, &utf8);
			}
			if (nr) {
				x.related = calloc(nr, sizeof *x.related);
				for (; x.related && x.n_related < nr; x.n_related++) {
					x.related[x.n_related].off = (uint32_t)(u16(&r) % (tlen + 1));
					x.related[x.n_related].len =
						(uint32_t)(u16(&r) % (tlen - x.related[x.n_related].off + 1));
					snap(text, tlen, &x.related[x.n_related].off, &x.related[x.n_related].len);
				}
			}
			nl_item *v = realloc(items.v, (items.n + 1) * sizeof *v);
			if (!v) {
				nl_item_free(&x);
				break;
			}
			items.v = v;
			items.v[items.n++] = x;
		}
		nl_items_finish(&items, d);
	}

	/* errors for the closing part */
	nl_error_entry errs[3];
	size_t ne = (flags >> 4) & 3;
	for (size_t i = 0; i < ne; i++) {
		errs[i].path = str(&r, &utf8);
		errs[i].message = str(&r, &utf8);
		if (!errs[i].message[0]) {
			free(errs[i].message);
			errs[i].message = strdup("cannot read");
		}
	}
	nl_file_result files[2] = {
		{path, text, tlen, &items, text_ok && d ? NULL : "invalid UTF-8"},
		{"empty.txt", "", 0, NULL, NULL},
	};
	if (flags & 4) {   /* the empty file first: SARIF's first part is empty */
		nl_file_result t = files[0];
		files[0] = files[1];
		files[1] = t;
	}
	nl_report_ctx ctx = {.color = !!(flags & 2), .quiet = !!(flags & 64), .rules = rp,
	                     .n_rules = flags & 128 ? NR - 1 : NR, .errors = errs, .n_errors = ne,
	                     .tool_version = "0.1.0"};
	nlf_check_reports(&ctx, files, 2, utf8);
	if (d)
		baseline_round_trip(path, text, tlen, &items);

	for (size_t i = 0; i < ne; i++) {
		free(errs[i].path);
		free(errs[i].message);
	}
	nl_items_free(&items);
	nl_doc_free(d);
	free(path);
	for (size_t i = 0; i < no; i++)
		free(owned[i]);
	free(text);
	return 0;
}
