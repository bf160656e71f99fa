/* suppress.c -- inline suppressions (see suppress.h).  The directives are
 * collected in one pass over the lines (only when the text mentions
 * "newslint-" at all), then the sorted findings are walked once. */
#include "suppress.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum { D_DISABLE, D_ENABLE, D_NEXT };

typedef struct name { uint32_t off, len; } name;

typedef struct directive {
	int kind;
	uint32_t line_off, line_end;     /* the directive line, without its line ending */
	uint32_t tgt_off, tgt_end;       /* D_NEXT: the next non-blank line */
	name *names;                     /* none: every rule */
	size_t n_names;
	int inert;                       /* named only unknown rules: does nothing */
} directive;

typedef struct dlist {
	directive *v;
	size_t n, cap;
	int oom;
} dlist;

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Does rule id match directive name nm (the rule itself, or a prefix of it
 * ending at a '.': its plugin or rule pack)? */
static int name_matches(const char *text, name nm, const char *id)
{
	size_t n = strlen(id);
	if (nm.len > n || memcmp(text + nm.off, id, nm.len) != 0)
		return 0;
	return nm.len == n || id[nm.len] == '.';
}

static void name_copy(const char *text, name nm, char *buf, size_t size)
{
	size_t n = nm.len < size - 1 ? nm.len : size - 1;
	memcpy(buf, text + nm.off, n);
	buf[n] = '\0';
}

/* Parse the line [b, e) as a directive; 1 if it is one. */
static int parse_line(const char *path, const char *text, uint32_t b, uint32_t e, unsigned lineno,
                      int (*known)(void *, const char *), void *ud, directive *d)
{
	const char *s = text + b, *end = text + e;
	if (b == 0 && end - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (s < end && is_space(*s))
		s++;
	while (end > s && (is_space(end[-1]) || end[-1] == '\r'))
		end--;
	if (end - s < 7 || memcmp(s, "<!--", 4) != 0 || memcmp(end - 3, "-->", 3) != 0)
		return 0;
	s += 4;
	end -= 3;
	while (s < end && (is_space(*s)))
		s++;
	static const struct { const char *kw; int kind; } kws[] = {
		{"newslint-disable-next-line", D_NEXT},
		{"newslint-disable", D_DISABLE},
		{"newslint-enable", D_ENABLE},
	};
	int kind = -1;
	for (size_t i = 0; i < sizeof kws / sizeof *kws; i++) {
		size_t n = strlen(kws[i].kw);
		if ((size_t)(end - s) >= n && !memcmp(s, kws[i].kw, n) &&
		    (s + n == end || is_space(s[n]) || s[n] == ',')) {
			kind = kws[i].kind;
			s += n;
			break;
		}
	}
	if (kind < 0) {
		/* Looks like a directive but is not one: say so, a typo here silently
		 * suppresses nothing. */
		const char *q = s;
		while (q < end && !is_space(*q))
			q++;
		if (end - s >= 9 && !memcmp(s, "newslint-", 9))
			nl_diag("%s:%u: warning: unknown directive '%.*s' (expected newslint-disable, "
			        "newslint-enable or newslint-disable-next-line)", path, lineno,
			        (int)(q - s), s);
		return 0;
	}
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->line_off = b;
	d->line_end = e;
	int named = 0;
	while (s < end) {
		while (s < end && (is_space(*s) || *s == ','))
			s++;
		if (s >= end)
			break;
		const char *q = s;
		while (q < end && !is_space(*q) && *q != ',')
			q++;
		if (q - s == 2 && s[0] == '-' && s[1] == '-')
			break;    /* "-- reason": the rest is a comment */
		name nm = {(uint32_t)(s - text), (uint32_t)(q - s)};
		named = 1;
		char buf[256];
		name_copy(text, nm, buf, sizeof buf);
		if (known && !known(ud, buf)) {
			nl_diag("%s:%u: warning: unknown rule or plugin '%s' in %s directive (see --list-rules)",
			        path, lineno, buf, kind == D_NEXT ? "newslint-disable-next-line" :
			        kind == D_DISABLE ? "newslint-disable" : "newslint-enable");
		} else {
			name *v = realloc(d->names, (d->n_names + 1) * sizeof *v);
			if (v) {
				d->names = v;
				d->names[d->n_names++] = nm;
			}
		}
		s = q;
	}
	if (named && !d->n_names)
		d->inert = 1;    /* every name was unknown: do nothing rather than everything */
	return 1;
}

/* Fence state for Markdown code blocks: ``` or ~~~ (3 or more). */
static int fence_line(const char *s, const char *end, char *fch, size_t *flen)
{
	int ind = 0;
	while (s < end && *s == ' ' && ind < 4)
		s++, ind++;
	if (ind > 3 || s >= end || (*s != '`' && *s != '~'))
		return 0;
	char c = *s;
	size_t n = 0;
	while (s + n < end && s[n] == c)
		n++;
	if (n < 3)
		return 0;
	if (!*fch) {
		*fch = c;
		*flen = n;
		return 1;
	}
	if (c == *fch && n >= *flen) {
		const char *r = s + n;
		while (r < end && (is_space(*r) || *r == '\r'))
			r++;
		if (r == end) {
			*fch = 0;
			return 1;
		}
	}
	return 0;
}

/* Does s[0..n) hold "newslint-"?  (memmem() on every file was 1.4
 * instructions a byte; '-' is rare in prose, and memchr() finds it at a
 * fraction of that.) */
static int has_marker(const char *s, size_t n)
{
	for (size_t i = 8; i < n;) {
		const char *d = memchr(s + i, '-', n - i);
		if (!d)
			return 0;
		if (memcmp(d - 8, "newslint", 8) == 0)
			return 1;
		i = (size_t)(d - s) + 1;
	}
	return 0;
}

static void collect(const char *path, const char *text, size_t len,
                    int (*known)(void *, const char *), void *ud, dlist *dl)
{
	char fch = 0;
	size_t flen = 0;
	unsigned lineno = 0;
	uint32_t b = 0;
	while (b < len || (b == len && lineno == 0)) {
		lineno++;
		const char *nl = memchr(text + b, '\n', len - b);
		uint32_t e = nl ? (uint32_t)(nl - text) : (uint32_t)len;
		int was_fenced = fch != 0;
		if (fence_line(text + b, text + e, &fch, &flen) || was_fenced) {
			/* in (or opening/closing) a code block */
		} else if (e - b >= 20 && has_marker(text + b, e - b)) {
			directive d;
			if (parse_line(path, text, b, e, lineno, known, ud, &d)) {
				if (dl->n == dl->cap) {
					size_t cap = dl->cap ? dl->cap * 2 : 8;
					directive *v = realloc(dl->v, cap * sizeof *v);
					if (!v) {
						free(d.names);
						dl->oom = 1;
						return;
					}
					dl->v = v;
					dl->cap = cap;
				}
				dl->v[dl->n++] = d;
			}
		}
		if (!nl)
			break;
		b = e + 1;
	}
	/* Targets of disable-next-line: the next line holding something other
	 * than blanks (a directive line is skipped too, so that several
	 * next-line directives can be stacked). */
	for (size_t i = 0; i < dl->n; i++) {
		directive *d = &dl->v[i];
		if (d->kind != D_NEXT)
			continue;
		d->tgt_off = d->tgt_end = (uint32_t)len;
		uint32_t p = d->line_end < len ? d->line_end + 1 : (uint32_t)len;
		size_t k = i + 1;
		while (p < len) {
			const char *nl = memchr(text + p, '\n', len - p);
			uint32_t e = nl ? (uint32_t)(nl - text) : (uint32_t)len;
			while (k < dl->n && dl->v[k].line_off < p)
				k++;
			int blank = 1;
			for (uint32_t q = p; q < e && blank; q++)
				blank = is_space(text[q]) || text[q] == '\r';
			int is_directive = k < dl->n && dl->v[k].line_off == p;
			if (!blank && !is_directive) {
				d->tgt_off = p;
				d->tgt_end = e;
				break;
			}
			p = nl ? e + 1 : (uint32_t)len;
		}
	}
}

/* Enable/disable state: a base for all rules and named overrides; the most
 * recent matching setting wins. */
typedef struct setting { name nm; int off; unsigned seq; } setting;

typedef struct state {
	int all_off;
	setting *v;
	size_t n, cap;
	unsigned seq;
} state;

static void state_apply(state *st, const char *text, const directive *d)
{
	int off = d->kind == D_DISABLE;
	if (d->inert)
		return;
	st->seq++;
	if (!d->n_names) {
		st->all_off = off;
		st->n = 0;
		return;
	}
	for (size_t i = 0; i < d->n_names; i++) {
		size_t k;
		for (k = 0; k < st->n; k++)
			if (st->v[k].nm.len == d->names[i].len &&
			    !memcmp(text + st->v[k].nm.off, text + d->names[i].off, d->names[i].len))
				break;
		if (k == st->n) {
			if (st->n == st->cap) {
				size_t cap = st->cap ? st->cap * 2 : 8;
				setting *v = realloc(st->v, cap * sizeof *v);
				if (!v)
					continue;
				st->v = v;
				st->cap = cap;
			}
			st->n++;
		}
		st->v[k] = (setting){d->names[i], off, st->seq};
	}
}

static int state_off(const state *st, const char *text, const char *id)
{
	int off = st->all_off;
	unsigned best = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].seq > best && name_matches(text, st->v[i].nm, id)) {
			best = st->v[i].seq;
			off = st->v[i].off;
		}
	return off;
}

static int next_line_off(const directive *d, const char *text, const char *id)
{
	if (d->inert)
		return 0;
	if (!d->n_names)
		return 1;
	for (size_t i = 0; i < d->n_names; i++)
		if (name_matches(text, d->names[i], id))
			return 1;
	return 0;
}

void nl_suppress_apply(const char *path, const char *text, size_t len, nl_items *items,
                       int (*known_rule)(void *ud, const char *id), void *ud)
{
	if (!text || len < 20 || !has_marker(text, len))
		return;
	dlist dl = {0};
	collect(path ? path : "-", text, len, known_rule, ud, &dl);
	if (!dl.n) {
		free(dl.v);
		return;
	}
	/* next-line directives, in order of their targets */
	directive **next = malloc(dl.n * sizeof *next);
	size_t n_next = 0;
	for (size_t i = 0; next && i < dl.n; i++)
		if (dl.v[i].kind == D_NEXT)
			next[n_next++] = &dl.v[i];
	state st = {0};
	size_t di = 0, ni = 0, w = 0;
	for (size_t i = 0; items && i < items->n; i++) {
		nl_item *x = &items->v[i];
		const char *id = x->rule->id;
		int drop = 0;
		while (di < dl.n && dl.v[di].line_off <= x->off) {
			if (dl.v[di].kind != D_NEXT)
				state_apply(&st, text, &dl.v[di]);
			di++;
		}
		/* on a directive line itself */
		if (di > 0 && x->off <= dl.v[di - 1].line_end)
			drop = 1;
		if (!drop)
			drop = state_off(&st, text, id);
		while (ni < n_next && next[ni]->tgt_end < x->off)
			ni++;
		for (size_t k = ni; !drop && k < n_next && next[k]->tgt_off <= x->off; k++)
			if (x->off <= next[k]->tgt_end && x->off < len)
				drop = next_line_off(next[k], text, id);
		if (drop)
			nl_item_free(x);
		else
			items->v[w++] = *x;
	}
	if (items)
		items->n = w;
	for (size_t i = 0; i < dl.n; i++)
		free(dl.v[i].names);
	free(dl.v);
	free(next);
	free(st.v);
}
