/* report_text.c -- the default, human-readable report:
 *   path:line:column: severity: message [rule-id]
 * then the line with the span underlined (a window of it when the line is
 * long: paragraphs are often one long line), suggestions and related places. */
#include "report.h"
#include "doc.h"
#include "lines.h"
#include <stdint.h>
#include <string.h>

#define WINDOW 100     /* code points of context shown around a span */

static const char *sev_color(int sev)
{
	return sev == NL_SEV_ERROR ? "\033[1;31m" : sev == NL_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
}

static size_t cp_count(const char *s, size_t n)
{
	return nl_utf8_count(s, n);
}

/* Text from the draft (or a file name) as shown on a terminal: control
 * characters (ESC sequences could retitle the window, hide lines or worse)
 * become their visible Unicode pictures, one code point each so that the
 * caret stays aligned; a tab is a space; C1 controls become U+FFFD. */
static void put_safe(nl_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = nl_plain_span(s + i, n - i);   /* shown as it is */
		nl_buf_add(out, s + i, k);
		if ((i += k) == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c == 0xC2) {          /* a C1 control, or a character such as U+00A0 */
			if (i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F) {
				nl_buf_puts(out, "\xEF\xBF\xBD");
				i += 2;
			} else {
				nl_buf_add(out, s + i, 1);
				i++;
			}
		} else if (c == '\t') {
			nl_buf_putc(out, ' ');
			i++;
		} else {
			char pic[3] = {(char)0xE2, (char)0x90, (char)(c == 0x7F ? 0xA1 : 0x80 + c)};
			nl_buf_add(out, pic, 3);   /* U+2400 + c, U+2421 for DEL */
			i++;
		}
	}
}

static void put_safe_str(nl_buf *out, const char *s)
{
	put_safe(out, s, strlen(s));
}

/* v in decimal, right-aligned in width columns (printf's "%*u") */
static void put_uint_w(nl_buf *out, unsigned v, size_t width)
{
	size_t digits = 1;
	for (unsigned t = v; t >= 10; t /= 10)
		digits++;
	if (digits < width)
		nl_buf_fill(out, ' ', width - digits);
	nl_buf_uint(out, v);
}

/* Eight bytes from p, all ASCII? */
static inline int ascii8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return !(x & 0x8080808080808080ull);
}

/* Move back/forward by k code points from byte i, staying within [lo, hi)
 * (i on a character boundary of valid UTF-8; i may be below lo: a span in
 * a BOM, before the first line's start).  Eight ASCII bytes are eight code
 * points: skipped at once, as the excerpt's 50-odd code points each side
 * mostly are. */
static size_t back_cp(const char *s, size_t i, size_t lo, size_t k)
{
	while (k >= 8 && i >= lo + 8 && ascii8(s + i - 8))
		i -= 8, k -= 8;
	while (i > lo && k > 0) {
		i--;
		while (i > lo && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		k--;
	}
	return i;
}

static size_t fwd_cp(const char *s, size_t i, size_t hi, size_t k)
{
	while (k >= 8 && i + 8 <= hi && ascii8(s + i))
		i += 8, k -= 8;
	while (i < hi && k > 0) {
		i++;
		while (i < hi && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static void excerpt(const nl_report_ctx *ctx, const nl_file_result *fr, const nl_lines *li,
                    const nl_item *x, nl_buf *out)
{
	uint32_t lb, le;
	nl_lines_range(li, x->line, &lb, &le);
	size_t s = x->off, e = (size_t)x->off + x->len;
	if (e > le)
		e = le;   /* a span over several lines: underline its first line */
	if (s > le)
		return;
	size_t span_cp = cp_count(fr->text + s, e - s);
	size_t side = span_cp >= WINDOW ? 10 : (WINDOW - span_cp) / 2;
	/* Room one side does not use goes to the other (counted only near the
	   ends: paragraphs can be one very long line). */
	size_t a0 = back_cp(fr->text, s, lb, side), b0 = fwd_cp(fr->text, e, le, side);
	size_t left = a0 == lb ? cp_count(fr->text + lb, s - lb) : side;
	size_t right = b0 == le ? cp_count(fr->text + e, le - e) : side;
	size_t lside = side, rside = side;
	if (left < side)
		rside += side - left;
	if (right < side)
		lside += side - right;
	size_t a = back_cp(fr->text, s, lb, lside), b = fwd_cp(fr->text, e, le, rside);
	if (span_cp >= WINDOW)
		e = fwd_cp(fr->text, s, le, WINDOW), b = e;
	put_uint_w(out, x->line, 6);
	nl_buf_add(out, " | ", 3);
	if (a > lb)
		nl_buf_puts(out, "…");
	put_safe(out, fr->text + a, b - a);   /* one code point per code point: the caret stays aligned */
	if (b < le)
		nl_buf_puts(out, "…");
	nl_buf_puts(out, "\n       | ");
	nl_buf_fill(out, ' ', cp_count(fr->text + a, s - a) + (a > lb));
	if (ctx->color)
		nl_buf_puts(out, sev_color(x->severity));
	size_t n = cp_count(fr->text + s, e - s);
	nl_buf_putc(out, '^');
	if (n > 1)
		nl_buf_fill(out, '~', n - 1);
	if (ctx->color)
		nl_buf_puts(out, "\033[0m");
	nl_buf_putc(out, '\n');
}

static void begin(const nl_report_ctx *ctx, nl_buf *out) { (void)ctx; (void)out; }

static void file(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out)
{
	(void)first;
	if (fr->error || !fr->items || !fr->items->n)
		return;
	nl_lines li;
	int have_lines = fr->text && nl_lines_init(&li, fr->text, fr->len) == 0;
	for (size_t i = 0; i < fr->items->n; i++) {
		const nl_item *x = &fr->items->v[i];
		nl_buf_puts(out, ctx->color ? "\033[1m" : "");
		put_safe_str(out, fr->path);
		if (ctx->color)
			nl_buf_printf(out, ":%u:%u:\033[0m %s%s:\033[0m ", x->line, x->col,
			              sev_color(x->severity), nl_severity_name(x->severity));
		else {
			nl_buf_putc(out, ':');
			nl_buf_uint(out, x->line);
			nl_buf_putc(out, ':');
			nl_buf_uint(out, x->col);
			nl_buf_puts(out, ": ");
			nl_buf_puts(out, nl_severity_name(x->severity));
			nl_buf_puts(out, ": ");
		}
		put_safe_str(out, x->message);
		nl_buf_puts(out, ctx->color ? " \033[2m[" : " [");
		nl_buf_puts(out, x->rule->id);
		nl_buf_puts(out, ctx->color ? "]\033[0m\n" : "]\n");
		if (have_lines)
			excerpt(ctx, fr, &li, x, out);
		if (x->n_sugg) {
			nl_buf_puts(out, "       = suggestion: ");
			for (size_t k = 0; k < x->n_sugg; k++) {
				nl_buf_puts(out, k ? ", " : "");
				put_safe_str(out, x->sugg[k]);
			}
			nl_buf_putc(out, '\n');
		}
		size_t shown = x->n_related < 3 ? x->n_related : 3;
		for (size_t k = 0; k < shown && x->rel_line; k++) {
			put_safe_str(out, fr->path);
			nl_buf_putc(out, ':');
			nl_buf_uint(out, x->rel_line[k]);
			nl_buf_putc(out, ':');
			nl_buf_uint(out, x->rel_col[k]);
			nl_buf_puts(out, ": note: also here\n");
		}
		if (x->n_related > shown)
			nl_buf_printf(out, "       = note: and %zu more\n", x->n_related - shown);
	}
	if (have_lines)
		nl_lines_free(&li);
}

static void end(const nl_report_ctx *ctx, nl_buf *out) { (void)ctx; (void)out; }

const nl_formatter nl_format_text = {"text", begin, file, end};
