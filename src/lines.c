/* lines.c -- line index and code-point columns. */
#include "lines.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

int nl_lines_init(nl_lines *l, const char *text, size_t len)
{
	size_t cap = 64;
	l->text = text;
	l->len = len;
	l->n = 1;
	l->start = malloc(cap * sizeof *l->start);
	if (!l->start) {
		nl_oom();
		return -1;
	}
	l->start[0] = 0;
	/* Skip a UTF-8 BOM: it is not a column. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		l->start[0] = 3;
	const char *p = text, *end = text + len;
	/* LF and CRLF end a line; so does a lone CR (old Mac files; nl_read_file
	   already turns those into LF, other callers may not). */
	int lone_cr = 0;
	for (const char *c = memchr(text, '\r', len); c && !lone_cr;
	     c = memchr(c + 1, '\r', (size_t)(end - c - 1)))
		lone_cr = c + 1 == end || c[1] != '\n';
	for (;;) {
		if (lone_cr) {
			while (p < end && *p != '\n' && !(*p == '\r' && (p + 1 == end || p[1] != '\n')))
				p++;
			if (p == end)
				break;
		} else if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			break;
		}
		p++;
		if (l->n == cap) {
			cap *= 2;
			uint32_t *s = realloc(l->start, cap * sizeof *s);
			if (!s) {
				nl_oom();
				return -1;
			}
			l->start = s;
		}
		l->start[l->n++] = (uint32_t)(p - text);
	}
	return 0;
}

void nl_lines_free(nl_lines *l)
{
	free(l->start);
	l->start = NULL;
}

static size_t line_of(const nl_lines *l, uint32_t off)
{
	size_t lo = 0, hi = l->n;   /* last line whose start <= off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Columns bytes [a, b) of the text take (b <= len): its code points but a
 * CR that a LF follows. */
static unsigned cols(const nl_lines *l, size_t a, size_t b)
{
	if (b <= a)
		return 0;
	const char *t = l->text, *end = t + b;
	size_t c = nl_utf8_count(t + a, b - a);
	for (const char *r = memchr(t + a, '\r', b - a); r; r = memchr(r + 1, '\r', (size_t)(end - r - 1)))
		c -= r + 1 < t + l->len && r[1] == '\n';
	return (unsigned)c;
}

void nl_lines_pos(const nl_lines *l, uint32_t off, unsigned *line, unsigned *col)
{
	if (off > l->len)
		off = (uint32_t)l->len;
	size_t i = line_of(l, off);
	*line = (unsigned)i + 1;
	*col = 1 + cols(l, l->start[i], off);
}

void nl_lines_locate(const nl_lines *l, nl_lines_query *q, size_t n)
{
	size_t li = 0;            /* current line index */
	uint32_t at = l->start[0]; /* byte we have counted up to */
	unsigned c = 1;           /* column at byte 'at' */
	for (size_t k = 0; k < n; k++) {
		uint32_t off = q[k].off > l->len ? (uint32_t)l->len : q[k].off;
		if (off < at || (li + 1 < l->n && off >= l->start[li + 1])) {
			li = line_of(l, off);
			at = l->start[li];
			c = 1;
		}
		if (off < at) {   /* inside the BOM: column 1, nothing counted */
			*q[k].line = (unsigned)li + 1;
			*q[k].col = 1;
			continue;
		}
		if (at < off) {
			c += cols(l, at, off);
			at = off;
		}
		*q[k].line = (unsigned)li + 1;
		*q[k].col = c;
	}
}

void nl_lines_range(const nl_lines *l, unsigned line, uint32_t *begin, uint32_t *end)
{
	if (line < 1)
		line = 1;
	if (line > l->n)
		line = (unsigned)l->n;
	uint32_t b = l->start[line - 1];
	uint32_t e = line < l->n ? l->start[line] : (uint32_t)l->len;
	if (e > b && l->text[e - 1] == '\n')
		e--;
	if (e > b && l->text[e - 1] == '\r')
		e--;
	*begin = b;
	*end = e < b ? b : e;
}
