/* report_sarif.c -- SARIF 2.1.0 (for GitHub code scanning and other SARIF
 * viewers): one run, tool.driver.rules from the rules of the run, one result
 * per finding.
 *
 * Columns and character offsets: the run declares columnKind
 * "unicodeCodePoints"; startColumn/endColumn are newslint's columns (code
 * points, a tab is one), charOffset/charLength count code points from the
 * start of the file (a UTF-8 byte order mark is not counted).  endColumn and
 * endLine point just past the span, as SARIF wants.
 *
 * Each file's part starts every result with a ',' (the driver drops the
 * separator of the first non-empty part). */
#include "report.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char *sarif_level(int sev)
{
	return sev == NL_SEV_ERROR ? "error" : sev == NL_SEV_WARNING ? "warning" : "note";
}

static void jstr(nl_buf *out, const char *s)
{
	nl_json_str(out, s, strlen(s));
}

/* The artifact URI of a path: relative to the working folder when it is
 * inside it, else a file:// URI; percent-encoded (RFC 3986: everything but
 * unreserved characters and '/'). */
static void uri_of(nl_buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	nl_buf u = {0};
	char cwd[PATH_MAX];
	const char *p = path;
	if (p[0] == '/') {
		size_t n;
		if (getcwd(cwd, sizeof cwd) && (n = strlen(cwd)) > 1 && !strncmp(p, cwd, n) && p[n] == '/') {
			p += n + 1;
		} else {
			nl_buf_puts(&u, "file://");
		}
	}
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			nl_buf_putc(&u, (char)c);
		} else {
			char e[4] = {'%', hex[c >> 4], hex[c & 15], 0};
			nl_buf_puts(&u, e);
		}
	}
	nl_json_str(out, u.p ? u.p : "", u.len);
	nl_buf_free(&u);
}

/* Code-point offsets, counted forward from the last position asked for. */
typedef struct cpos {
	const char *text;
	size_t len, byte, cp, start;
} cpos;

static size_t cp_at(cpos *c, size_t off)
{
	if (off > c->len)
		off = c->len;
	if (off < c->byte && c->byte - off > off - c->start) {
		c->byte = c->start;
		c->cp = 0;
	}
	/* back a little (a fix's region after its end, the next finding after
	   a related span): never recount from the start of a 50 MB line */
	for (; c->byte > off && c->byte > c->start; c->byte--)
		c->cp -= ((unsigned char)c->text[c->byte - 1] & 0xC0) != 0x80;
	for (; c->byte < off; c->byte++)
		c->cp += ((unsigned char)c->text[c->byte] & 0xC0) != 0x80;
	return c->cp;
}

static void region(nl_buf *out, cpos *cp, unsigned line, unsigned col, unsigned eline,
                   unsigned ecol, uint32_t off, uint32_t len)
{
	nl_buf_printf(out, "{\"startLine\": %u, \"startColumn\": %u, \"endLine\": %u, \"endColumn\": %u",
	              line ? line : 1, col ? col : 1, eline ? eline : 1, ecol ? ecol : 1);
	if (cp) {
		size_t a = cp_at(cp, off);
		size_t b = cp_at(cp, (size_t)off + len);
		nl_buf_printf(out, ", \"charOffset\": %zu, \"charLength\": %zu", a, b - a);
	}
	nl_buf_putc(out, '}');
}

static void begin(const nl_report_ctx *ctx, nl_buf *out)
{
	nl_buf_puts(out, "{\n  \"$schema\": \"" SCHEMA "\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
	            "      \"tool\": {\n        \"driver\": {\n          \"name\": \"newslint\",\n");
	nl_buf_puts(out, "          \"version\": ");
	jstr(out, ctx->tool_version ? ctx->tool_version : "");
	nl_buf_puts(out, ",\n          \"rules\": [");
	for (size_t i = 0; i < ctx->n_rules; i++) {
		const nl_rule *r = ctx->rules[i];
		const nl_rule_info *in = r->info;
		nl_buf_puts(out, i ? ",\n            {\"id\": " : "\n            {\"id\": ");
		jstr(out, r->id);
		nl_buf_puts(out, ", \"shortDescription\": {\"text\": ");
		jstr(out, in && in->summary ? in->summary : r->id);
		nl_buf_putc(out, '}');
		if (in && in->explanation) {
			nl_buf_puts(out, ", \"fullDescription\": {\"text\": ");
			jstr(out, in->explanation);
			nl_buf_puts(out, "}, \"help\": {\"text\": ");
			jstr(out, in->explanation);
			nl_buf_putc(out, '}');
		}
		int sev = r->severity;
		if (sev == NL_SEV_OFF)
			nl_buf_printf(out, ", \"defaultConfiguration\": {\"enabled\": false, \"level\": \"%s\"}}",
			              sarif_level(in ? (int)in->default_severity : NL_SEV_WARNING));
		else
			nl_buf_printf(out, ", \"defaultConfiguration\": {\"level\": \"%s\"}}", sarif_level(sev));
	}
	nl_buf_puts(out, ctx->n_rules ? "\n          ]\n" : "]\n");
	nl_buf_puts(out, "        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
	            "      \"results\": [");
}

static long rule_index(const nl_report_ctx *ctx, const nl_rule *r)
{
	for (size_t i = 0; i < ctx->n_rules; i++)
		if (ctx->rules[i] == r || strcmp(ctx->rules[i]->id, r->id) == 0)
			return (long)i;
	return -1;
}

static void file(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out)
{
	(void)first;
	if (fr->error || !fr->items)
		return;
	cpos c = {fr->text, fr->len, 0, 0, 0};
	if (fr->text && fr->len >= 3 && !memcmp(fr->text, "\xEF\xBB\xBF", 3))
		c.byte = c.start = 3;
	cpos *cp = fr->text ? &c : NULL;
	nl_buf loc = {0};       /* "artifactLocation": {...} of this file */
	nl_buf_puts(&loc, "\"artifactLocation\": {\"uri\": ");
	uri_of(&loc, fr->path);
	nl_buf_putc(&loc, '}');
	for (size_t i = 0; i < fr->items->n; i++) {
		const nl_item *x = &fr->items->v[i];
		nl_buf_puts(out, ",\n        {\"ruleId\": ");
		jstr(out, x->rule->id);
		long ri = rule_index(ctx, x->rule);
		if (ri >= 0)
			nl_buf_printf(out, ", \"ruleIndex\": %ld", ri);
		nl_buf_printf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", sarif_level(x->severity));
		jstr(out, x->message);
		nl_buf_puts(out, "},\n         \"locations\": [{\"physicalLocation\": {");
		nl_buf_add(out, loc.p, loc.len);
		nl_buf_puts(out, ", \"region\": ");
		region(out, cp, x->line, x->col, x->end_line, x->end_col, x->off, x->len);
		nl_buf_puts(out, "}}]");
		if (x->n_related) {
			nl_buf_puts(out, ",\n         \"relatedLocations\": [");
			for (size_t k = 0; k < x->n_related; k++) {
				const nl_span *s = &x->related[k];
				unsigned l = x->rel_line ? x->rel_line[k] : 0, co = x->rel_col ? x->rel_col[k] : 0;
				/* The end of a related span is not located by the core: a
				 * span within one line ends len code points further. */
				unsigned el = l, ec = co;
				if (fr->text && (size_t)s->off + s->len <= fr->len &&
				    !memchr(fr->text + s->off, '\n', s->len)) {
					for (uint32_t b = 0; b < s->len; b++)
						ec += ((unsigned char)fr->text[s->off + b] & 0xC0) != 0x80;
				}
				nl_buf_printf(out, "%s{\"id\": %zu, \"message\": {\"text\": \"related place\"}, "
				              "\"physicalLocation\": {", k ? ", " : "", k + 1);
				nl_buf_add(out, loc.p, loc.len);
				nl_buf_puts(out, ", \"region\": ");
				region(out, cp, l, co, el, ec, s->off, s->len);
				nl_buf_puts(out, "}}");
			}
			nl_buf_puts(out, "]");
		}
		if (x->n_sugg) {
			nl_buf_puts(out, ",\n         \"fixes\": [");
			for (size_t k = 0, n = 0; k < x->n_sugg; k++) {
				int dup = 0;   /* SARIF wants the fixes unique */
				for (size_t q = 0; q < k && !dup; q++)
					dup = strcmp(x->sugg[q], x->sugg[k]) == 0;
				if (dup)
					continue;
				nl_buf_puts(out, n++ ? ", " : "");
				nl_buf_puts(out, "{\"description\": {\"text\": ");
				nl_buf t = {0};
				nl_buf_printf(&t, "Replace with '%s'", x->sugg[k]);
				nl_json_str(out, t.p ? t.p : "", t.len);
				nl_buf_free(&t);
				nl_buf_puts(out, "}, \"artifactChanges\": [{");
				nl_buf_add(out, loc.p, loc.len);
				nl_buf_puts(out, ", \"replacements\": [{\"deletedRegion\": ");
				region(out, cp, x->line, x->col, x->end_line, x->end_col, x->off, x->len);
				nl_buf_puts(out, ", \"insertedContent\": {\"text\": ");
				jstr(out, x->sugg[k]);
				nl_buf_puts(out, "}}]}]}");
			}
			nl_buf_puts(out, "]");
		}
		nl_buf_putc(out, '}');
	}
	nl_buf_free(&loc);
}

static void end(const nl_report_ctx *ctx, nl_buf *out)
{
	nl_buf_puts(out, "\n      ],\n      \"invocations\": [\n        {\"executionSuccessful\": ");
	nl_buf_puts(out, ctx->n_errors ? "false" : "true");
	if (ctx->n_errors) {
		nl_buf_puts(out, ", \"toolExecutionNotifications\": [");
		for (size_t i = 0; i < ctx->n_errors; i++) {
			nl_buf_puts(out, i ? ",\n          " : "\n          ");
			nl_buf_puts(out, "{\"level\": \"error\", \"message\": {\"text\": ");
			jstr(out, ctx->errors[i].message);
			nl_buf_putc(out, '}');
			if (ctx->errors[i].path) {
				nl_buf_puts(out, ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
				uri_of(out, ctx->errors[i].path);
				nl_buf_puts(out, "}}}]");
			}
			nl_buf_putc(out, '}');
		}
		nl_buf_puts(out, "\n        ]");
	}
	nl_buf_puts(out, "}\n      ]\n    }\n  ]\n}\n");
}

const nl_formatter nl_format_sarif = {"sarif", begin, file, end};
