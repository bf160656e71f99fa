/* report_checkstyle.c -- checkstyle XML (reviewdog -f=checkstyle, Jenkins
 * warnings-ng, ...): one <file> per file linted, one <error> per finding with
 * line, column, severity (info|warning|error), message and source (the rule
 * id).  Files that could not be linted are listed at the end with an error
 * from source "newslint".  Attribute values are escaped; characters XML 1.0
 * cannot hold become U+FFFD. */
#include "report.h"
#include "doc.h"
#include <string.h>

static void xml_attr(nl_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': nl_buf_puts(out, "&amp;"); break;
		case '<': nl_buf_puts(out, "&lt;"); break;
		case '>': nl_buf_puts(out, "&gt;"); break;
		case '"': nl_buf_puts(out, "&quot;"); break;
		case '\'': nl_buf_puts(out, "&apos;"); break;
		case '\n': nl_buf_puts(out, "&#10;"); break;
		case '\r': nl_buf_puts(out, "&#13;"); break;
		case '\t': nl_buf_puts(out, "&#9;"); break;
		default:
			if (c < 0x20) {
				nl_buf_puts(out, "\xEF\xBF\xBD");
			} else if (c < 0x80) {
				nl_buf_putc(out, (char)c);
			} else {
				/* invalid UTF-8 (a file name in Latin-1), U+FFFE and
				   U+FFFF are not XML characters */
				uint32_t cp;
				size_t k = nl_utf8_next(s, strnlen(s, 4), &cp);
				if (cp == 0xFFFD || cp == 0xFFFE || cp == 0xFFFF)
					nl_buf_puts(out, "\xEF\xBF\xBD");
				else
					nl_buf_add(out, s, k);
				s += k - 1;
			}
		}
	}
}

static void begin(const nl_report_ctx *ctx, nl_buf *out)
{
	(void)ctx;
	nl_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
}

static void file(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out)
{
	(void)ctx;
	(void)first;
	if (fr->error)
		return;
	nl_buf_puts(out, "  <file name=\"");
	xml_attr(out, fr->path);
	nl_buf_puts(out, "\">\n");
	for (size_t i = 0; fr->items && i < fr->items->n; i++) {
		const nl_item *x = &fr->items->v[i];
		nl_buf_printf(out, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"",
		              x->line, x->col, nl_severity_name(x->severity));
		xml_attr(out, x->message);
		if (x->n_sugg) {
			xml_attr(out, " (suggestion: ");
			for (size_t k = 0; k < x->n_sugg; k++) {
				if (k)
					xml_attr(out, ", ");
				xml_attr(out, x->sugg[k]);
			}
			xml_attr(out, ")");
		}
		nl_buf_puts(out, "\" source=\"");
		xml_attr(out, x->rule->id);
		nl_buf_puts(out, "\"/>\n");
	}
	nl_buf_puts(out, "  </file>\n");
}

static void end(const nl_report_ctx *ctx, nl_buf *out)
{
	for (size_t i = 0; i < ctx->n_errors; i++) {
		nl_buf_puts(out, "  <file name=\"");
		xml_attr(out, ctx->errors[i].path ? ctx->errors[i].path : "");
		nl_buf_puts(out, "\">\n    <error severity=\"error\" message=\"");
		xml_attr(out, ctx->errors[i].message);
		nl_buf_puts(out, "\" source=\"newslint\"/>\n  </file>\n");
	}
	nl_buf_puts(out, "</checkstyle>\n");
}

const nl_formatter nl_format_checkstyle = {"checkstyle", begin, file, end};
