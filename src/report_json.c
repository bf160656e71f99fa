/* report_json.c -- the JSON report (shape fixed by the issue: tests and
 * scripts depend on it). */
#include "report.h"
#include <string.h>

static void begin(const nl_report_ctx *ctx, nl_buf *out)
{
	(void)ctx;
	nl_buf_puts(out, "{\"version\": 1,\n \"files\": [");
}

static void file(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out)
{
	(void)ctx;
	if (fr->error)
		return;    /* listed under "errors" */
	nl_buf_puts(out, first ? "\n  {\"path\": " : ",\n  {\"path\": ");
	nl_json_str(out, fr->path, strlen(fr->path));
	nl_buf_puts(out, ", \"findings\": [");
	const nl_items *it = fr->items;
	for (size_t i = 0; it && i < it->n; i++) {
		const nl_item *x = &it->v[i];
		nl_buf_puts(out, i ? ",\n    " : "\n    ");
		nl_buf_puts(out, "{\"rule\": ");
		nl_json_str(out, x->rule->id, strlen(x->rule->id));
		nl_buf_printf(out, ", \"severity\": \"%s\", \"line\": %u, \"column\": %u, "
		              "\"end_line\": %u, \"end_column\": %u, \"offset\": %u, \"length\": %u, "
		              "\"message\": ", nl_severity_name(x->severity), x->line, x->col,
		              x->end_line, x->end_col, x->off, x->len);
		nl_json_str(out, x->message, strlen(x->message));
		nl_buf_puts(out, ", \"suggestions\": [");
		for (size_t k = 0; k < x->n_sugg; k++) {
			if (k)
				nl_buf_puts(out, ", ");
			nl_json_str(out, x->sugg[k], strlen(x->sugg[k]));
		}
		nl_buf_puts(out, "], \"related\": [");
		for (size_t k = 0; k < x->n_related; k++)
			nl_buf_printf(out, "%s{\"line\": %u, \"column\": %u, \"offset\": %u, \"length\": %u}",
			              k ? ", " : "", x->rel_line ? x->rel_line[k] : 0,
			              x->rel_col ? x->rel_col[k] : 0, x->related[k].off, x->related[k].len);
		nl_buf_puts(out, "]}");
	}
	nl_buf_puts(out, it && it->n ? "\n  ]}" : "]}");
}

static void end(const nl_report_ctx *ctx, nl_buf *out)
{
	nl_buf_puts(out, "\n ],\n \"errors\": [");
	for (size_t i = 0; i < ctx->n_errors; i++) {
		nl_buf_puts(out, i ? ",\n  {\"path\": " : "\n  {\"path\": ");
		const char *p = ctx->errors[i].path ? ctx->errors[i].path : "";
		nl_json_str(out, p, strlen(p));
		nl_buf_puts(out, ", \"message\": ");
		nl_json_str(out, ctx->errors[i].message, strlen(ctx->errors[i].message));
		nl_buf_putc(out, '}');
	}
	nl_buf_puts(out, ctx->n_errors ? "\n ]}\n" : "]}\n");
}

const nl_formatter nl_format_json = {"json", begin, file, end};
