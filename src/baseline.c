/* baseline.c -- accepted findings (see baseline.h).  Entries are key lines
 * (the escaped fields joined by tabs); loading canonicalises them, so a
 * finding matches when its key is equal. */
#include "baseline.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADER "newslint-baseline 1"
#define CONTEXT_WORDS 2
#define CONTEXT_BYTES 60
#define TEXT_HEAD 100     /* a long span is kept as its head ... its tail */
#define TEXT_TAIL 40

typedef struct entry {
	char *key;
	size_t left;      /* uses left */
} entry;

struct nl_baseline {
	entry *v;
	size_t n, cap;
	int sorted;
	pthread_mutex_t lock;
};

/* ---- keys ------------------------------------------------------------------ */
static int ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static void esc(nl_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\\': nl_buf_puts(b, "\\\\"); break;
		case '\t': nl_buf_puts(b, "\\t"); break;
		case '\n': nl_buf_puts(b, "\\n"); break;
		case '\r': nl_buf_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char x[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], 0};
				nl_buf_puts(b, x);
			} else {
				nl_buf_putc(b, (char)c);
			}
		}
	}
}

/* s[0..n) with whitespace runs folded to one space, trimmed, escaped. */
static void esc_folded(nl_buf *b, const char *s, size_t n)
{
	nl_buf t = {0};
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		if (ws((unsigned char)s[i])) {
			space = t.len > 0;
			continue;
		}
		if (space)
			nl_buf_putc(&t, ' ');
		space = 0;
		nl_buf_putc(&t, s[i]);
	}
	esc(b, t.p ? t.p : "", t.len);
	nl_buf_free(&t);
}

static size_t cp_start(const char *s, size_t i, size_t lo)
{
	while (i > lo && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static int hws(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Start of the context before off: up to CONTEXT_WORDS words back on the
 * same line (a new line next to a finding, a paragraph in plain text, must
 * not change its key), at most CONTEXT_BYTES. */
static size_t ctx_before(const char *s, size_t off)
{
	size_t lo = off > CONTEXT_BYTES ? off - CONTEXT_BYTES : 0;
	size_t i = off;
	for (int w = 0; w < CONTEXT_WORDS; w++) {
		size_t j = i;
		while (j > lo && hws((unsigned char)s[j - 1]))
			j--;
		if (j == lo || s[j - 1] == '\n')
			break;
		while (j > lo && !ws((unsigned char)s[j - 1]))
			j--;
		i = j;
	}
	while (i < off && ws((unsigned char)s[i]))
		i++;
	while (i < off && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;    /* cut inside a character at the byte limit */
	return i;
}

static size_t ctx_after(const char *s, size_t len, size_t end)
{
	size_t hi = end + CONTEXT_BYTES < len ? end + CONTEXT_BYTES : len;
	size_t i = end;
	for (int w = 0; w < CONTEXT_WORDS; w++) {
		size_t j = i;
		while (j < hi && hws((unsigned char)s[j]))
			j++;
		if (j == hi || s[j] == '\n')
			break;
		while (j < hi && !ws((unsigned char)s[j]))
			j++;
		i = j;
	}
	if (i < len)
		i = cp_start(s, i, end);
	return i;
}

char *nl_baseline_key(const char *path, const char *text, size_t len, const nl_item *x)
{
	nl_buf b = {0};
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	if (path[0] == '#') {   /* the line would be a comment: escape it */
		nl_buf_puts(&b, "\\x23");
		path++;
	}
	esc(&b, path, strlen(path));
	nl_buf_putc(&b, '\t');
	esc(&b, x->rule->id, strlen(x->rule->id));
	nl_buf_putc(&b, '\t');
	size_t off = x->off <= len ? x->off : len;
	size_t end = (size_t)x->off + x->len <= len ? (size_t)x->off + x->len : len;
	if (text) {
		size_t a = ctx_before(text, off);
		esc_folded(&b, text + a, off - a);
		nl_buf_putc(&b, '\t');
		if (end - off > TEXT_HEAD + TEXT_TAIL + 8) {
			size_t h = cp_start(text, off + TEXT_HEAD, off);
			size_t t = cp_start(text, end - TEXT_TAIL, h);
			esc_folded(&b, text + off, h - off);
			nl_buf_printf(&b, " …(%zu bytes)… ", t - h);
			esc_folded(&b, text + t, end - t);
		} else {
			esc_folded(&b, text + off, end - off);
		}
		nl_buf_putc(&b, '\t');
		size_t z = ctx_after(text, len, end);
		esc_folded(&b, text + end, z - end);
	} else {
		nl_buf_puts(&b, "\t\t");
	}
	if (b.oom) {
		nl_buf_free(&b);
		return NULL;
	}
	return nl_buf_take(&b);
}

/* ---- the table ------------------------------------------------------------- */
nl_baseline *nl_baseline_new(void)
{
	nl_baseline *b = calloc(1, sizeof *b);
	if (b)
		pthread_mutex_init(&b->lock, NULL);
	return b;
}

void nl_baseline_free(nl_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].key);
	free(b->v);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static int push(nl_baseline *b, char *key)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		entry *v = realloc(b->v, cap * sizeof *v);
		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (entry){key, 1};
	b->sorted = 0;
	return 0;
}

static int cmp_entry(const void *x, const void *y)
{
	return strcmp(((const entry *)x)->key, ((const entry *)y)->key);
}

/* Sort and merge duplicates into counts. */
static void merge(nl_baseline *b)
{
	if (b->sorted)
		return;
	if (b->n > 1)
		qsort(b->v, b->n, sizeof *b->v, cmp_entry);
	size_t w = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (w && strcmp(b->v[w - 1].key, b->v[i].key) == 0) {
			b->v[w - 1].left += b->v[i].left;
			free(b->v[i].key);
		} else {
			b->v[w++] = b->v[i];
		}
	}
	b->n = w;
	b->sorted = 1;
}

size_t nl_baseline_count(const nl_baseline *b)
{
	size_t n = 0;
	for (size_t i = 0; b && i < b->n; i++)
		n += b->v[i].left;
	return n;
}

void nl_baseline_add(nl_baseline *b, const char *path, const char *text, size_t len,
                     const nl_item *x)
{
	char *key = nl_baseline_key(path, text, len, x);
	if (!key)
		return;
	pthread_mutex_lock(&b->lock);
	if (push(b, key) != 0)
		free(key);
	pthread_mutex_unlock(&b->lock);
}

int nl_baseline_consume(nl_baseline *b, const char *path, const char *text, size_t len,
                        const nl_item *x)
{
	char *key = nl_baseline_key(path, text, len, x);
	if (!key)
		return 0;
	int found = 0;
	pthread_mutex_lock(&b->lock);
	merge(b);
	entry probe = {key, 0};
	entry *e = b->n ? bsearch(&probe, b->v, b->n, sizeof *b->v, cmp_entry) : NULL;
	if (e && e->left > 0) {
		e->left--;
		found = 1;
	}
	pthread_mutex_unlock(&b->lock);
	free(key);
	return found;
}

size_t nl_baseline_filter(nl_baseline *b, const char *path, const char *text, size_t len,
                          nl_items *items)
{
	size_t w = 0, dropped = 0;
	for (size_t i = 0; i < items->n; i++) {
		if (nl_baseline_consume(b, path, text, len, &items->v[i])) {
			nl_item_free(&items->v[i]);
			dropped++;
		} else {
			items->v[w++] = items->v[i];
		}
	}
	items->n = w;
	return dropped;
}

/* ---- reading and writing ---------------------------------------------------- */
static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Unescape field [s, e) and escape it again canonically into out (a
 * leading '#' of the first field as nl_baseline_key writes it).  Returns
 * NULL or a description of the problem. */
static const char *canon(const char *s, const char *e, nl_buf *out, int first)
{
	nl_buf raw = {0};
	for (const char *p = s; p < e; p++) {
		if (*p != '\\') {
			nl_buf_putc(&raw, *p);
			continue;
		}
		if (++p >= e) {
			nl_buf_free(&raw);
			return "a backslash at the end of a field";
		}
		switch (*p) {
		case '\\': nl_buf_putc(&raw, '\\'); break;
		case 't': nl_buf_putc(&raw, '\t'); break;
		case 'n': nl_buf_putc(&raw, '\n'); break;
		case 'r': nl_buf_putc(&raw, '\r'); break;
		case 'x':
			if (e - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0) {
				nl_buf_free(&raw);
				return "\\x needs two hexadecimal digits";
			}
			nl_buf_putc(&raw, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 2;
			break;
		default:
			nl_buf_free(&raw);
			return "unknown escape (expected \\\\, \\t, \\n, \\r or \\xHH)";
		}
	}
	size_t k = 0;
	if (first && raw.len && raw.p[0] == '#') {
		nl_buf_puts(out, "\\x23");
		k = 1;
	}
	esc(out, raw.p ? raw.p + k : "", raw.len - k);
	nl_buf_free(&raw);
	return NULL;
}

nl_baseline *nl_baseline_load(const char *file)
{
	char *data = NULL;
	size_t len = 0;
	int e = nl_read_file(file, &data, &len);
	if (e) {
		nl_diag_error("--baseline %s: %s", file, nl_read_strerror(e));
		return NULL;
	}
	nl_baseline *b = nl_baseline_new();
	if (!b) {
		free(data);
		nl_diag_error("out of memory");
		return NULL;
	}
	const char *p = data, *end = data + len;
	unsigned lineno = 0;
	int header = 0;
	const char *err = NULL;
	char detail[128] = "";
	while (p < end && !err) {
		lineno++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (memchr(p, '\0', (size_t)(le - p))) {
			err = "a NUL byte (is this a text file?)";
			break;
		}
		if (!header) {
			if ((size_t)(le - p) != strlen(HEADER) || memcmp(p, HEADER, strlen(HEADER))) {
				if (le - p > 18 && !memcmp(p, "newslint-baseline ", 18)) {
					snprintf(detail, sizeof detail, "unsupported baseline version '%.*s' (this newslint reads version 1)",
					         (int)(le - p - 18 > 20 ? 20 : le - p - 18), p + 18);
					err = detail;
				} else {
					err = "not a newslint baseline (the first line must be '" HEADER "')";
				}
				break;
			}
			header = 1;
		} else if (le > p && *p != '#') {
			const char *f[6];
			int nf = 0;
			f[nf++] = p;
			for (const char *q = p; q < le; q++)
				if (*q == '\t') {
					if (nf == 5) {
						nf++;
						break;
					}
					f[nf++] = q + 1;
				}
			if (nf != 5) {
				snprintf(detail, sizeof detail, "expected 5 tab-separated fields "
				         "(path, rule, before, text, after), found %s%d", nf > 5 ? "more than " : "",
				         nf > 5 ? 5 : nf);
				err = detail;
				break;
			}
			/* (an empty path is one: --stdin-filename "" writes it) */
			nl_buf key = {0};
			for (int i = 0; i < 5 && !err; i++) {
				const char *fe = i < 4 ? f[i + 1] - 1 : le;
				if (i)
					nl_buf_putc(&key, '\t');
				err = canon(f[i], fe, &key, i == 0);
			}
			if (err || key.oom || push(b, nl_buf_take(&key)) != 0) {
				nl_buf_free(&key);
				if (!err)
					err = "out of memory";
				break;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (!err && !header) {
		err = "empty file, not a newslint baseline (the first line must be '" HEADER "')";
		lineno = 1;
	}
	free(data);
	if (err) {
		nl_diag_error("%s:%u: bad baseline: %s", file, lineno, err);
		nl_baseline_free(b);
		return NULL;
	}
	merge(b);
	return b;
}

int nl_baseline_save(nl_baseline *b, const char *file)
{
	pthread_mutex_lock(&b->lock);
	merge(b);
	nl_buf out = {0};
	nl_buf_puts(&out, HEADER "\n"
	            "# Accepted findings: newslint --baseline FILE reports only findings not listed here.\n"
	            "# One per line: path, rule, context before, covered text, context after (tab-separated,\n"
	            "# whitespace folded).  Regenerate with --write-baseline; delete lines to re-open findings.\n");
	for (size_t i = 0; i < b->n; i++)
		for (size_t k = 0; k < b->v[i].left; k++) {
			nl_buf_puts(&out, b->v[i].key);
			nl_buf_putc(&out, '\n');
		}
	pthread_mutex_unlock(&b->lock);
	if (out.oom) {
		nl_buf_free(&out);
		nl_diag_error("--write-baseline %s: out of memory", file);
		return -1;
	}
	size_t n = strlen(file) + 16;
	char *tmp = malloc(n);
	if (!tmp) {
		nl_buf_free(&out);
		nl_diag_error("--write-baseline %s: out of memory", file);
		return -1;
	}
	snprintf(tmp, n, "%s.tmp%ld", file, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int rc = 0;
	if (!f || fwrite(out.p, 1, out.len, f) != out.len || fflush(f) != 0) {
		nl_diag_error("--write-baseline %s: %s", file, strerror(errno));
		rc = -1;
	}
	if (f && fclose(f) != 0 && rc == 0) {
		nl_diag_error("--write-baseline %s: %s", file, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, file) != 0) {
		nl_diag_error("--write-baseline %s: %s", file, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	nl_buf_free(&out);
	return rc;
}
