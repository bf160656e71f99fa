/* harness.c -- the mock host for plugin unit tests (see harness.h). */
#include "harness.h"
#include "config.h"
#include "doc.h"
#include "host.h"
#include "util.h"
#include "words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	nlt_result pub;
	nl_buf errors;
	nl_items items;
	char **texts;
} result;

static void capture(void *ud, const char *line)
{
	nl_buf *b = ud;
	nl_buf_puts(b, line);
	nl_buf_putc(b, '\n');
}

/* Are two finished item lists the same findings (all but line:column,
 * which follow from the spans)? */
static int same_items(const nl_items *a, const nl_items *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const nl_item *x = &a->v[i], *y = &b->v[i];
		if (x->rule != y->rule || x->severity != y->severity || x->off != y->off || x->len != y->len ||
		    strcmp(x->message, y->message) != 0 || x->n_sugg != y->n_sugg || x->n_related != y->n_related)
			return 0;
		for (size_t k = 0; k < x->n_sugg; k++)
			if (strcmp(x->sugg[k], y->sugg[k]) != 0)
				return 0;
		for (size_t k = 0; k < x->n_related; k++)
			if (x->related[k].off != y->related[k].off || x->related[k].len != y->related[k].len)
				return 0;
	}
	return 1;
}

static void dump_items(const char *what, const nl_items *it)
{
	fprintf(stderr, "%s: %zu findings\n", what, it->n);
	for (size_t i = 0; i < it->n; i++)
		fprintf(stderr, "  %s %u+%u %s\n", it->v[i].rule->id, it->v[i].off, it->v[i].len, it->v[i].message);
}

/* Every check runs twice, on the document with the core's word numbers
 * (as the driver gives it) and without (as a 1.0 host, or a document too
 * large to number, gives it): a plugin must find the same either way. */
static void check_without_numbers(nl_pinst *pi, const char *text, size_t len, int format, const nl_items *with,
				  int status)
{
	nl_doc *d = NULL;
	if (nl_doc_build("test.txt", text, len, format, &d) != 0)
		return;
	nl_items items = {0};
	nl_buf quiet = {0};
	nl_diag_set_hook(capture, &quiet);   /* its warnings were said the first time */
	int rc = nl_pinst_check(pi, d, &items);
	nl_items_finish(&items, d);
	if (rc != status || !same_items(with, &items)) {
		fprintf(stderr, "harness: %s finds differently without word numbers (status %d, %d)\n",
			pi->desc->name, status, rc);
		dump_items("with numbers", with);
		dump_items("without", &items);
		abort();
	}
	nl_items_free(&items);
	nl_buf_free(&quiet);
	nl_doc_free(d);
}

static void set_rules_dir(void)
{
	const char *src = getenv("NEWSLINT_TEST_SRCDIR");
	static char buf[4096];
	if (src) {
		snprintf(buf, sizeof buf, "%s/rules", src);
		nl_host_set_rules_dir(buf);
	}
}

nlt_result *nlt_run(const nl_plugin *p, const char *ini, const char *text, int format)
{
	result *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	set_rules_dir();
	nl_diag_set_hook(capture, &r->errors);
	nl_settings s = {0};
	nl_buf src = {0};
	nl_buf_printf(&src, "[%s]\n%s\n", p->name, ini ? ini : "");
	nl_config *cfg = NULL;
	if (nl_settings_load_string(&s, "test.ini", src.p) == 0)
		cfg = nl_settings_section(&s, p->name, 1);
	nl_buf_free(&src);
	nl_pinst pi;
	r->pub.create_status = cfg ? nl_pinst_create(&pi, p, NULL, cfg) : NL_ECONFIG;
	if (cfg && r->pub.create_status != 0)
		nl_pinst_destroy(&pi);
	if (r->pub.create_status == 0) {
		nl_doc *d = NULL;
		size_t len = strlen(text);
		static nl_words *words;   /* the driver's per-thread table */
		if (!words)
			words = nl_words_new();
		if (nl_doc_build("test.txt", text, len, format, &d) == 0) {
			nl_words_number(words, d);   /* no memory: no numbers */
			r->pub.check_status = nl_pinst_check(&pi, d, &r->items);
			nl_items_finish(&r->items, d);
			nl_diag_set_hook(NULL, NULL);
			check_without_numbers(&pi, text, len, format, &r->items, r->pub.check_status);
			nl_diag_set_hook(capture, &r->errors);
			r->pub.n = r->items.n;
			r->pub.findings = calloc(r->items.n + 1, sizeof *r->pub.findings);
			r->texts = calloc(r->items.n + 1, sizeof *r->texts);
			for (size_t i = 0; i < r->items.n; i++) {
				nl_item *x = &r->items.v[i];
				nlt_finding *f = &r->pub.findings[i];
				f->rule = x->rule->id;
				f->severity = x->severity;
				f->off = x->off;
				f->len = x->len;
				f->line = x->line;
				f->column = x->col;
				f->message = x->message;
				f->suggestions = (const char *const *)x->sugg;
				f->n_suggestions = x->n_sugg;
				f->related = x->related;
				f->n_related = x->n_related;
				f->text = r->texts[i] = nl_strndup(text + x->off, x->len);
			}
			nl_doc_free(d);
		} else {
			r->pub.check_status = NL_ENOMEM;
		}
		/* rule ids live in the plugin instance: keep copies */
		for (size_t i = 0; i < r->pub.n; i++)
			r->pub.findings[i].rule = nl_strdup(r->pub.findings[i].rule);
		nl_pinst_destroy(&pi);
	}
	nl_settings_free(&s);
	nl_diag_set_hook(NULL, NULL);
	r->pub.errors = r->errors.p ? r->errors.p : "";
	return &r->pub;
}

void nlt_free(nlt_result *pub)
{
	result *r = (result *)pub;
	if (!r)
		return;
	for (size_t i = 0; i < pub->n; i++) {
		free((char *)pub->findings[i].rule);
		free(r->texts[i]);
	}
	free(r->texts);
	free(pub->findings);
	/* items point at rules freed with the instance: free the rest by hand */
	for (size_t i = 0; i < r->items.n; i++)
		r->items.v[i].rule = NULL;
	for (size_t i = 0; i < r->items.n; i++) {
		nl_item *x = &r->items.v[i];
		free(x->message);
		for (size_t k = 0; k < x->n_sugg; k++)
			free(x->sugg[k]);
		free(x->sugg);
		free(x->related);
		free(x->rel_line);
		free(x->rel_col);
	}
	free(r->items.v);
	nl_buf_free(&r->errors);
	free(r);
}

static int rule_is(const nlt_finding *f, const char *rule)
{
	if (strcmp(f->rule, rule) == 0)
		return 1;
	const char *dot = strchr(f->rule, '.');
	return dot && !strchr(rule, '.') && strcmp(dot + 1, rule) == 0;
}

size_t nlt_count(const nlt_result *r, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += !rule || rule_is(&r->findings[i], rule);
	return n;
}

const nlt_finding *nlt_get(const nlt_result *r, const char *rule, size_t k)
{
	for (size_t i = 0; i < r->n; i++)
		if (!rule || rule_is(&r->findings[i], rule)) {
			if (k-- == 0)
				return &r->findings[i];
		}
	return NULL;
}

void nlt_dump(const nlt_result *r)
{
	fprintf(stderr, "create %d check %d, %zu findings\n", r->create_status, r->check_status, r->n);
	for (size_t i = 0; i < r->n; i++) {
		const nlt_finding *f = &r->findings[i];
		fprintf(stderr, "  %u:%u %s [%s] \"%s\": %s", f->line, f->column,
		        f->severity == 2 ? "error" : f->severity == 1 ? "warning" : "info",
		        f->rule, f->text, f->message);
		for (size_t k = 0; k < f->n_suggestions; k++)
			fprintf(stderr, "%s%s", k ? ", " : " -> ", f->suggestions[k]);
		if (f->n_related)
			fprintf(stderr, " (+%zu related)", f->n_related);
		fputc('\n', stderr);
	}
	if (r->errors && *r->errors)
		fprintf(stderr, "errors:\n%s", r->errors);
}

static nl_buf said_buf;

void nlt_capture_start(void)
{
	nl_buf_free(&said_buf);
	nl_diag_set_hook(capture, &said_buf);
}

void nlt_capture_stop(void)
{
	nl_diag_set_hook(NULL, NULL);
	nl_buf_free(&said_buf);
}

const char *nlt_said(void) { return said_buf.p ? said_buf.p : ""; }
void nlt_said_clear(void) { nl_buf_free(&said_buf); }

nl_doc *nlt_doc(const char *text, int format)
{
	nl_doc *d = NULL;
	if (nl_doc_build("test.txt", text, strlen(text), format, &d) != 0)
		return NULL;
	return d;
}

void nlt_doc_free(nl_doc *d) { nl_doc_free(d); }

const char *nlt_str(const nl_doc *d, uint32_t off, uint32_t len)
{
	static char ring[16][512];
	static unsigned k;
	char *b = ring[k++ % 16];
	if (len > 511)
		len = 511;
	memcpy(b, d->text + off, len);
	b[len] = '\0';
	return b;
}
