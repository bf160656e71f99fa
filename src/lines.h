/* lines.h -- byte offset -> 1-based line and column (code points, a tab is
 * one, CR of a CRLF is not counted).  The only place columns are computed. */
#ifndef NL_LINES_H
#define NL_LINES_H
#include <stddef.h>
#include <stdint.h>

typedef struct nl_lines {
	const char *text;
	size_t len;
	uint32_t *start;   /* byte offset where each line begins */
	size_t n;
} nl_lines;

int nl_lines_init(nl_lines *l, const char *text, size_t len);
void nl_lines_free(nl_lines *l);
/* Position of byte offset off: 1-based line and column.  An offset inside a
 * multi-byte character counts as that character. */
void nl_lines_pos(const nl_lines *l, uint32_t off, unsigned *line, unsigned *col);
/* Many positions at once, in time linear in the text: q[i].off must be
 * sorted ascending; fills q[i].line and q[i].col. */
typedef struct nl_lines_query {
	uint32_t off;
	unsigned *line, *col;
} nl_lines_query;
void nl_lines_locate(const nl_lines *l, nl_lines_query *q, size_t n);
/* Byte range of line (1-based) without its line ending. */
void nl_lines_range(const nl_lines *l, unsigned line, uint32_t *begin, uint32_t *end);
#endif
