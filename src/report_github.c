/* report_github.c -- GitHub Actions workflow commands, one per finding:
 *   ::warning file=PATH,line=L,endLine=L,col=C,endColumn=C,title=RULE::MESSAGE
 * info -> ::notice, error -> ::error.  Escaped as the Actions runner wants:
 * in the message % CR LF become %25 %0D %0A; in properties also : and ,
 * become %3A and %2C.  Columns are given only for a span within one line
 * (GitHub ignores them otherwise); endColumn is the span's last column. */
#include "report.h"
#include <string.h>

static void esc(nl_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': nl_buf_puts(out, "%25"); break;
		case '\r': nl_buf_puts(out, "%0D"); break;
		case '\n': nl_buf_puts(out, "%0A"); break;
		case ':': nl_buf_puts(out, property ? "%3A" : ":"); break;
		case ',': nl_buf_puts(out, property ? "%2C" : ","); break;
		default: nl_buf_putc(out, *s);
		}
	}
}

static const char *command(int sev)
{
	return sev == NL_SEV_ERROR ? "error" : sev == NL_SEV_WARNING ? "warning" : "notice";
}

static void begin(const nl_report_ctx *ctx, nl_buf *out) { (void)ctx; (void)out; }

static void file(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out)
{
	(void)ctx;
	(void)first;
	if (fr->error || !fr->items)
		return;
	for (size_t i = 0; i < fr->items->n; i++) {
		const nl_item *x = &fr->items->v[i];
		nl_buf_printf(out, "::%s file=", command(x->severity));
		esc(out, fr->path, 1);
		nl_buf_printf(out, ",line=%u,endLine=%u", x->line, x->end_line >= x->line ? x->end_line : x->line);
		if (x->end_line == x->line) {
			unsigned ec = x->end_col > x->col ? x->end_col - 1 : x->col;
			nl_buf_printf(out, ",col=%u,endColumn=%u", x->col, ec);
		}
		nl_buf_puts(out, ",title=");
		esc(out, x->rule->id, 1);
		nl_buf_puts(out, "::");
		esc(out, x->message, 0);
		if (x->n_sugg) {
			esc(out, " (suggestion: ", 0);
			for (size_t k = 0; k < x->n_sugg; k++) {
				if (k)
					nl_buf_puts(out, ", ");
				esc(out, x->sugg[k], 0);
			}
			nl_buf_putc(out, ')');
		}
		nl_buf_putc(out, '\n');
	}
}

static void end(const nl_report_ctx *ctx, nl_buf *out)
{
	for (size_t i = 0; i < ctx->n_errors; i++) {
		nl_buf_puts(out, "::error");
		if (ctx->errors[i].path) {
			nl_buf_puts(out, " file=");
			esc(out, ctx->errors[i].path, 1);
			nl_buf_puts(out, ",title=newslint");
		} else {
			nl_buf_puts(out, " title=newslint");
		}
		nl_buf_puts(out, "::");
		esc(out, ctx->errors[i].message, 0);
		nl_buf_putc(out, '\n');
	}
}

const nl_formatter nl_format_github = {"github", begin, file, end};
