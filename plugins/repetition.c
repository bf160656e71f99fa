/* repetition.c -- repeated words and phrases, repeated sentence openings and
 * over-used words.
 *
 * Everything is read from the core's document model: words are NL_TOK_WORD
 * tokens compared through host->fold(), and two words are "next to each
 * other" only when the bytes between them are white space (line breaks
 * included, a blank line not).  Punctuation, a code span the core dropped, or
 * a paragraph break between them therefore breaks a double.
 *
 * Data (rules/repetition/): exceptions.txt lists legitimate doubles, with
 * optional context conditions; stop-words.txt lists the function words that
 * overused-word never counts.  Both can be extended from the INI section.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newslint/plugin.h"

/* ---- defaults (also quoted in the explanations) ------------------------- */
#define D_PHRASE_MIN 2
#define D_PHRASE_MAX 4
#define D_OPENINGS_MIN 3
#define D_OVERUSED_MIN 5
#define D_OVERUSED_WINDOW 80
#define D_OVERUSED_LETTERS 4
#define STR_(x) #x
#define STR(x) STR_(x)

#define MAXWORD 256 /* folded words longer than this are never compared */

/* ---- a small string hash map --------------------------------------------- */
typedef struct strmap {
	char **keys;
	void **vals;
	size_t cap, n;
} strmap;

static uint64_t sm_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void **sm_find(const strmap *m, const char *k, size_t n, int *found)
{
	*found = 0;
	if (!m->cap)
		return NULL;
	size_t i = (size_t)sm_hash(k, n) & (m->cap - 1);
	for (;;) {
		if (!m->keys[i])
			return &m->vals[i];
		if (strlen(m->keys[i]) == n && memcmp(m->keys[i], k, n) == 0) {
			*found = 1;
			return &m->vals[i];
		}
		i = (i + 1) & (m->cap - 1);
	}
}

static void *sm_get(const strmap *m, const char *k, size_t n)
{
	int found;
	void **v = sm_find(m, k, n, &found);
	return found ? *v : NULL;
}

static int sm_has(const strmap *m, const char *k, size_t n)
{
	int found;
	sm_find(m, k, n, &found);
	return found;
}

static int sm_grow(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = calloc(cap, sizeof *keys);
	void **vals = calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return NL_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = (size_t)sm_hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Returns the value slot for k (inserted with NULL if new), or NULL on ENOMEM. */
static void **sm_slot(strmap *m, const char *k, size_t n)
{
	int found;
	if ((m->n + 1) * 2 > m->cap && sm_grow(m))
		return NULL;
	void **v = sm_find(m, k, n, &found);
	if (found)
		return v;
	size_t i = (size_t)(v - m->vals);
	char *key = malloc(n + 1);
	if (!key)
		return NULL;
	memcpy(key, k, n);
	key[n] = '\0';
	m->keys[i] = key;
	m->vals[i] = NULL;
	m->n++;
	return v;
}

static int sm_add(strmap *m, const char *k, size_t n)
{
	void **v = sm_slot(m, k, n);
	if (!v)
		return NL_ENOMEM;
	*v = (void *)1;
	return 0;
}

static void sm_free(strmap *m, void (*freeval)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			free(m->keys[i]);
			if (freeval)
				freeval(m->vals[i]);
		}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- state ------------------------------------------------------------- */

/* One way a double can be legitimate.  All given conditions must hold. */
typedef struct alt {
	struct alt *next;
	int quotes_only;     /* only inside a quotation */
	int has_after;       /* the token before the double must be in `after` */
	int has_not_before;  /* the token after the double must not be in `not_before` */
	strmap after, not_before;
} alt;

typedef struct state {
	const nl_host *host;
	strmap exceptions; /* folded unit ("had", "and so on") -> alt list */
	strmap stop;       /* folded stop words */
	long phrase_min, phrase_max, openings_min;
	long over_min, over_window, over_letters;
} state;

static void alt_free(void *p)
{
	alt *a = p;
	while (a) {
		alt *n = a->next;
		sm_free(&a->after, NULL);
		sm_free(&a->not_before, NULL);
		free(a);
		a = n;
	}
}

/* ---- reading the data --------------------------------------------------- */

/* Fold s[0..n) into out; returns length, or 0 when it does not fit. */
static size_t fold(const nl_host *h, const char *s, size_t n, char *out, size_t size)
{
	size_t k = h->fold(s, n, out, size);
	return k < size ? k : 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Split s into space-separated words, folded; returns count (max nmax), -1 if a word is too long. */
static int split_words(const nl_host *h, const char *s, size_t n, char words[][MAXWORD], int nmax)
{
	int k = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		size_t a = i;
		while (i < n && !is_space(s[i]))
			i++;
		if (i > a) {
			if (k == nmax)
				return nmax + 1;
			if (!fold(h, s + a, i - a, words[k], MAXWORD))
				return -1;
			k++;
		}
	}
	return k;
}

/* The repeated unit of an exception entry: "had had" -> "had", "bye" -> "bye",
 * "and so on and so on" -> "and so on".  Returns 0, or -1 when the entry is not
 * something said twice. */
static int unit_of(const nl_host *h, const char *s, size_t n, char *out, size_t size)
{
	char w[16][MAXWORD];
	int k = split_words(h, s, n, w, 16);
	if (k <= 0 || k > 16)
		return -1;
	int half = k;
	if (k % 2 == 0) {
		half = k / 2;
		for (int i = 0; i < half; i++)
			if (strcmp(w[i], w[i + half]) != 0) {
				half = k;
				break;
			}
	}
	if (half == k && k > 1)
		return -1; /* "foo bar": not a repetition */
	size_t o = 0;
	for (int i = 0; i < half; i++) {
		size_t l = strlen(w[i]);
		if (o + l + 2 > size)
			return -1;
		if (i)
			out[o++] = ' ';
		memcpy(out + o, w[i], l);
		o += l;
	}
	out[o] = '\0';
	return 0;
}

typedef struct loadctx {
	state *st;
	const char *path;  /* file being read (for messages and @file) */
	const nl_config *cfg;
	strmap *target;    /* for plain word lists */
	int err;
} loadctx;

static int add_word_cb(void *ud, const char *e, size_t len, unsigned line)
{
	loadctx *c = ud;
	char w[MAXWORD];
	(void)line;
	size_t k = fold(c->st->host, e, len, w, sizeof w);
	if (!k)
		return 0;
	if (sm_add(c->target, w, k))
		return c->err = NL_ENOMEM;
	return 0;
}

static int read_words(state *st, const char *path, strmap *target)
{
	loadctx c = {.st = st, .path = path, .target = target};
	int rc = st->host->read_list(path, add_word_cb, &c);
	return c.err ? c.err : rc;
}

/* Add the items of a condition ("said think @file.txt , <start>") to m. */
static int add_items(loadctx *c, const char *s, size_t n, strmap *m, unsigned line)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		size_t a = i;
		while (i < n && !is_space(s[i]))
			i++;
		if (i == a)
			continue;
		if (s[a] == '@') {
			char path[4096];
			const char *slash = c->path ? strrchr(c->path, '/') : NULL;
			size_t dl = slash ? (size_t)(slash - c->path) + 1 : 0;
			if (dl + (i - a - 1) + 1 > sizeof path) {
				c->st->host->warn("repetition", "%s:%u: path too long", c->path, line);
				return c->err = NL_ECONFIG;
			}
			memcpy(path, c->path, dl);
			memcpy(path + dl, s + a + 1, i - a - 1);
			path[dl + (i - a - 1)] = '\0';
			int rc = read_words(c->st, path, m);
			if (rc)
				return c->err = rc;
		} else if (s[a] == '<') {
			if (sm_add(m, s + a, i - a))
				return c->err = NL_ENOMEM;
		} else {
			char w[MAXWORD];
			size_t k = fold(c->st->host, s + a, i - a, w, sizeof w);
			if (k && sm_add(m, w, k))
				return c->err = NL_ENOMEM;
		}
	}
	return 0;
}

static int add_exception(loadctx *c, const char *e, size_t len, unsigned line)
{
	const nl_host *h = c->st->host;
	const char *bar = memchr(e, '|', len);
	size_t head = bar ? (size_t)(bar - e) : len;
	char unit[MAXWORD];
	if (unit_of(h, e, head, unit, sizeof unit)) {
		if (c->cfg && !c->path)
			h->cfg_error(c->cfg, "allow", "'%.*s' is not a word or phrase said twice", (int)head, e);
		else
			h->warn("repetition", "%s:%u: '%.*s' is not a word or phrase said twice", c->path, line,
			        (int)head, e);
		return c->err = NL_ECONFIG;
	}
	alt *a = calloc(1, sizeof *a);
	if (!a)
		return c->err = NL_ENOMEM;
	void **slot = sm_slot(&c->st->exceptions, unit, strlen(unit));
	if (!slot) {
		free(a);
		return c->err = NL_ENOMEM;
	}
	a->next = *slot;
	*slot = a;
	while (bar) {
		const char *s = bar + 1;
		bar = memchr(s, '|', len - (size_t)(s - e));
		size_t n = bar ? (size_t)(bar - s) : len - (size_t)(s - e);
		while (n && is_space(*s))
			s++, n--;
		while (n && is_space(s[n - 1]))
			n--;
		if (n == 9 && memcmp(s, "in quotes", 9) == 0) {
			a->quotes_only = 1;
		} else if (n >= 6 && memcmp(s, "after:", 6) == 0) {
			a->has_after = 1;
			if (add_items(c, s + 6, n - 6, &a->after, line))
				return c->err;
		} else if (n >= 11 && memcmp(s, "not before:", 11) == 0) {
			a->has_not_before = 1;
			if (add_items(c, s + 11, n - 11, &a->not_before, line))
				return c->err;
		} else {
			h->warn("repetition", "%s:%u: unknown condition '%.*s' (expected 'in quotes', "
			        "'after: ...' or 'not before: ...')", c->path ? c->path : "allow", line, (int)n, s);
			return c->err = NL_ECONFIG;
		}
	}
	return 0;
}

static int exception_cb(void *ud, const char *e, size_t len, unsigned line)
{
	return add_exception(ud, e, len, line);
}

static int read_exceptions(state *st, const char *path)
{
	loadctx c = {.st = st, .path = path};
	int rc = st->host->read_list(path, exception_cb, &c);
	return c.err ? c.err : rc;
}

/* "allow = bye bye, so so" : comma-separated doubles (or single words). */
static int add_allow(state *st, const nl_config *cfg, const char *v)
{
	loadctx c = {.st = st, .cfg = cfg};
	while (*v) {
		const char *comma = strchr(v, ',');
		size_t n = comma ? (size_t)(comma - v) : strlen(v);
		size_t a = 0;
		while (a < n && is_space(v[a]))
			a++;
		if (a < n) {
			char unit[MAXWORD];
			if (unit_of(st->host, v + a, n - a, unit, sizeof unit)) {
				st->host->cfg_error(cfg, "allow", "'%.*s' is not a word or phrase said twice "
				                    "(write 'bye bye' or 'bye', separate entries with commas)",
				                    (int)(n - a), v + a);
				return NL_ECONFIG;
			}
			if (add_exception(&c, v + a, n - a, 0))
				return c.err;
		}
		v += n + (comma ? 1 : 0);
	}
	return 0;
}

/* ---- create / destroy ---------------------------------------------------- */

static void destroy(void *p)
{
	state *st = p;
	if (!st)
		return;
	sm_free(&st->exceptions, alt_free);
	sm_free(&st->stop, NULL);
	free(st);
}

static int bundled(const nl_host *h, const char *file, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/repetition/%s", h->rules_dir(), file);
	return n < 0 || (size_t)n >= size ? NL_EIO : 0;
}

static int create(const nl_host *h, const nl_config *cfg, void **out)
{
	state *st = calloc(1, sizeof *st);
	if (!st)
		return NL_ENOMEM;
	st->host = h;
	int rc = 0, dflt_exc = 1, dflt_stop = 1;
	char path[4096];

	if ((rc = h->cfg_int(cfg, "phrase_min_words", D_PHRASE_MIN, 2, 8, &st->phrase_min)) ||
	    (rc = h->cfg_int(cfg, "phrase_max_words", D_PHRASE_MAX, 2, 8, &st->phrase_max)) ||
	    (rc = h->cfg_int(cfg, "openings_min", D_OPENINGS_MIN, 2, 100, &st->openings_min)) ||
	    (rc = h->cfg_int(cfg, "overused_min", D_OVERUSED_MIN, 2, 1000, &st->over_min)) ||
	    (rc = h->cfg_int(cfg, "overused_window", D_OVERUSED_WINDOW, 2, 100000, &st->over_window)) ||
	    (rc = h->cfg_int(cfg, "overused_min_letters", D_OVERUSED_LETTERS, 1, 50, &st->over_letters)) ||
	    (rc = h->cfg_bool(cfg, "default_exceptions", 1, &dflt_exc)) ||
	    (rc = h->cfg_bool(cfg, "default_stop_words", 1, &dflt_stop)))
		goto fail;
	if (st->phrase_max < st->phrase_min) {
		h->cfg_error(cfg, "phrase_max_words", "must be at least phrase_min_words (%ld)", st->phrase_min);
		rc = NL_ECONFIG;
		goto fail;
	}
	if (st->over_window < st->over_min) {
		h->cfg_error(cfg, "overused_window", "must be at least overused_min (%ld)", st->over_min);
		rc = NL_ECONFIG;
		goto fail;
	}
	if (dflt_exc) {
		if ((rc = bundled(h, "exceptions.txt", path, sizeof path)) || (rc = read_exceptions(st, path)))
			goto fail;
	}
	if (dflt_stop) {
		if ((rc = bundled(h, "stop-words.txt", path, sizeof path)) || (rc = read_words(st, path, &st->stop)))
			goto fail;
	}
	/* Keys that may be given several times: go through all of them. */
	for (size_t i = 0, n = h->cfg_count(cfg); i < n; i++) {
		const char *k = h->cfg_key(cfg, i), *v = h->cfg_value(cfg, i);
		if (!k || !v)
			continue;
		int is_exc = strcmp(k, "exceptions") == 0, is_stop = strcmp(k, "stop_words") == 0;
		if (is_exc || is_stop) {
			if (!*v) {
				h->cfg_error(cfg, k, "expected a file name");
				rc = NL_ECONFIG;
				goto fail;
			}
			if (!h->cfg_path(cfg, v, path, sizeof path)) {
				h->cfg_error(cfg, k, "path too long");
				rc = NL_ECONFIG;
				goto fail;
			}
			rc = is_exc ? read_exceptions(st, path) : read_words(st, path, &st->stop);
			if (rc)
				goto fail;
		} else if (strcmp(k, "allow") == 0) {
			if ((rc = add_allow(st, cfg, v)))
				goto fail;
		}
	}
	*out = st;
	return 0;
fail:
	destroy(st);
	return rc ? rc : NL_ECONFIG;
}

/* ---- helpers on the document --------------------------------------------- */

typedef struct ctx {
	const state *st;
	const nl_host *h;
	const nl_doc *doc;
	nl_sink *sink;
} ctx;

static size_t tok_fold(const ctx *c, const nl_token *t, char *out, size_t size)
{
	return fold(c->h, c->doc->text + t->off, t->len, out, size);
}

/* Is the text between two tokens only white space, with at most one line
 * break (a blank line ends a paragraph)?  In Markdown, emphasis markers and a
 * blockquote's '>' are also allowed: "*the* the" still reads "the the". */
static int gap_is_space(const nl_doc *d, uint32_t a, uint32_t b)
{
	int nl = 0;
	const unsigned char *s = (const unsigned char *)d->text;
	for (uint32_t i = a; i < b; i++) {
		unsigned char ch = s[i];
		if (ch == '\n') {
			if (++nl > 1)
				return 0;
		} else if (ch == ' ' || ch == '\t' || ch == '\r') {
			continue;
		} else if (ch == 0xC2 && i + 1 < b && s[i + 1] == 0xA0) { /* no-break space */
			i++;
		} else if (ch == 0xE2 && i + 2 < b && s[i + 1] == 0x80 &&
		           (s[i + 2] == 0xAF || (s[i + 2] >= 0x80 && s[i + 2] <= 0x8A))) { /* U+2000..200A, 202F */
			i += 2;
		} else if (d->format == NL_FORMAT_MARKDOWN && (ch == '*' || ch == '_' || ch == '~' || ch == '>')) {
			continue;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Is the token glued to a neighbour by a character that makes it part of a
 * larger name ("at AT&T", "and/and", "C++")? */
static int glued(const nl_doc *d, size_t i, int side)
{
	const nl_token *t = &d->tokens[i];
	if (side < 0) {
		if (i == 0 || d->tokens[i - 1].off + d->tokens[i - 1].len != t->off)
			return 0;
		t = &d->tokens[i - 1];
	} else {
		if (i + 1 >= d->n_tokens || t->off + t->len != d->tokens[i + 1].off)
			return 0;
		t = &d->tokens[i + 1];
	}
	if (t->kind != NL_TOK_PUNCT && t->kind != NL_TOK_SYMBOL)
		return t->kind != NL_TOK_WORD; /* a number or handle glued on */
	char ch = d->text[t->off];
	return ch == '&' || ch == '/' || ch == '+' || ch == '@' || ch == '=' || ch == '_' || ch == '\\';
}

static int emit(const ctx *c, const char *rule, uint32_t off, uint32_t len, const char *msg,
                const char *sugg, const nl_span *rel, size_t nrel)
{
	const char *s[1] = {sugg};
	nl_finding f = {
		.rule = rule, .off = off, .len = len, .message = msg,
		.suggestions = sugg ? s : NULL, .n_suggestions = sugg ? 1 : 0,
		.related = rel, .n_related = nrel, .severity = NL_SEV_DEFAULT,
	};
	return c->h->report(c->sink, &f);
}

/* Does the token at index i (or the sentence start) match an item set? */
static int tok_in(const ctx *c, const strmap *m, size_t i, int exists)
{
	const nl_doc *d = c->doc;
	if (!exists)
		return 0;
	const nl_token *t = &d->tokens[i];
	char w[MAXWORD];
	if (t->kind == NL_TOK_WORD) {
		size_t k = tok_fold(c, t, w, sizeof w);
		if (k && sm_has(m, w, k))
			return 1;
		if ((t->flags & NL_TF_CAPITALIZED) && !(t->flags & NL_TF_SENT_START) && sm_has(m, "<capitalized>", 13))
			return 1;
		return 0;
	}
	if (t->kind == NL_TOK_NUMBER)
		return sm_has(m, "<number>", 8);
	return sm_has(m, d->text + t->off, t->len);
}

/* Is the double of unit (tokens [i, i+2n) ) a listed exception here? */
static int excepted(const ctx *c, const char *unit, size_t i, size_t n, size_t pfirst, size_t pend)
{
	const alt *a = sm_get(&c->st->exceptions, unit, strlen(unit));
	const nl_doc *d = c->doc;
	const nl_token *first = &d->tokens[i];
	/* "that That" mid-sentence is a slip, whatever the list says: a
	   legitimate double is written in one case ("That that" at a start). */
	const nl_token *second = &d->tokens[i + n];
	if (a && !(first->flags & NL_TF_CAPITALIZED) && (second->flags & NL_TF_CAPITALIZED))
		return 0;
	for (; a; a = a->next) {
		if (a->quotes_only && !(first->flags & NL_TF_IN_QUOTE))
			continue;
		if (a->has_after) {
			int ok = (first->flags & NL_TF_SENT_START) && sm_has(&a->after, "<start>", 7);
			if (!ok)
				ok = tok_in(c, &a->after, i - 1, i > pfirst);
			if (!ok)
				continue;
		}
		if (a->has_not_before && tok_in(c, &a->not_before, i + 2 * n, i + 2 * n < pend))
			continue;
		return 1;
	}
	return 0;
}

static int is_cap(const nl_token *t) { return (t->flags & NL_TF_CAPITALIZED) && !(t->flags & NL_TF_ALLCAPS); }

/* ---- repeated-word ------------------------------------------------------- */

static int check_words(const ctx *c, size_t pfirst, size_t pend, unsigned char *used)
{
	const nl_doc *d = c->doc;
	const state *st = c->st;
	char a[MAXWORD], b[MAXWORD], msg[MAXWORD + 64];
	for (size_t i = pfirst; i + 1 < pend; i++) {
		const nl_token *x = &d->tokens[i], *y = &d->tokens[i + 1];
		if (x->kind != NL_TOK_WORD || y->kind != NL_TOK_WORD)
			continue;
		if (!gap_is_space(d, x->off + x->len, y->off))
			continue;
		size_t ka = tok_fold(c, x, a, sizeof a), kb = tok_fold(c, y, b, sizeof b);
		if (!ka || ka != kb || memcmp(a, b, ka) != 0)
			continue;
		if (glued(d, i, -1) || glued(d, i + 1, +1))
			continue;
		/* NATO nato / US us: an acronym next to a word */
		if (((x->flags ^ y->flags) & NL_TF_ALLCAPS))
			continue;
		int stop = sm_has(&st->stop, a, ka);
		/* Names: "Walla Walla", "Duran Duran"; at a sentence start only if
		   not a function word ("The the" is a typo, "Bora Bora is" is not). */
		if (is_cap(x) && is_cap(y) && (!(x->flags & NL_TF_SENT_START) || !stop))
			continue;
		/* "to trump Trump": a common word followed by the same word as a name. */
		if (!(x->flags & NL_TF_CAPITALIZED) && is_cap(y) && !(y->flags & NL_TF_SENT_START) && !stop)
			continue;
		if (excepted(c, a, i, 1, pfirst, pend))
			continue;
		/* a run "the the the": one finding for the whole run */
		size_t j = i + 1;
		while (j + 1 < pend && d->tokens[j + 1].kind == NL_TOK_WORD &&
		       gap_is_space(d, d->tokens[j].off + d->tokens[j].len, d->tokens[j + 1].off)) {
			char w[MAXWORD];
			size_t kw = tok_fold(c, &d->tokens[j + 1], w, sizeof w);
			if (kw != ka || memcmp(w, a, ka) != 0)
				break;
			j++;
		}
		if (glued(d, j, +1))
			continue;
		char word[MAXWORD];
		size_t wl = x->len < sizeof word ? x->len : sizeof word - 1;
		memcpy(word, d->text + x->off, wl);
		word[wl] = '\0';
		snprintf(msg, sizeof msg, "repeated word \"%s\"", word);
		const nl_token *last = &d->tokens[j];
		int rc = emit(c, "repeated-word", x->off, last->off + last->len - x->off, msg, word, NULL, 0);
		if (rc)
			return rc;
		for (size_t k = i; k <= j; k++)
			used[k - pfirst] = 1;
		i = j;
	}
	return 0;
}

/* ---- repeated-phrase ----------------------------------------------------- */

/* Fold tokens [i, i+n) and join them with spaces into out; 0 if not all
   plain words separated by white space. */
static size_t phrase_key(const ctx *c, size_t i, size_t n, char *out, size_t size)
{
	const nl_doc *d = c->doc;
	size_t o = 0;
	for (size_t k = i; k < i + n; k++) {
		const nl_token *t = &d->tokens[k];
		if (t->kind != NL_TOK_WORD)
			return 0;
		if (k > i && !gap_is_space(d, d->tokens[k - 1].off + d->tokens[k - 1].len, t->off))
			return 0;
		if (o + 2 >= size)
			return 0;
		if (k > i)
			out[o++] = ' ';
		size_t w = tok_fold(c, t, out + o, size - o);
		if (!w)
			return 0;
		o += w;
	}
	return o;
}

static int is_connector(const ctx *c, const nl_token *t)
{
	static const char *const conn[] = {"and", "or", "nor", "after", "upon", "by", NULL};
	char w[16];
	size_t k = tok_fold(c, t, w, sizeof w);
	for (size_t i = 0; k && conn[i]; i++)
		if (strcmp(w, conn[i]) == 0)
			return 1;
	return 0;
}

static int check_phrases(const ctx *c, size_t pfirst, size_t pend, const unsigned char *used)
{
	const nl_doc *d = c->doc;
	const state *st = c->st;
	char p1[1024], p2[1024], msg[1200], sugg[1024];
	for (size_t i = pfirst; i < pend; i++) {
		for (size_t n = (size_t)st->phrase_min; n <= (size_t)st->phrase_max; n++) {
			if (i + 2 * n > pend)
				break;
			size_t k1 = phrase_key(c, i, n, p1, sizeof p1);
			if (!k1)
				break;
			size_t k2 = phrase_key(c, i + n, n, p2, sizeof p2);
			if (!k2 || k1 != k2 || memcmp(p1, p2, k1) != 0)
				continue;
			const nl_token *a = &d->tokens[i + n - 1], *b = &d->tokens[i + n];
			if (!gap_is_space(d, a->off + a->len, b->off))
				continue;
			/* all one word ("ha ha ha ha"), or overlapping a repeated word: that rule's */
			int skip = 0, allcap = 1;
			for (size_t k = i; k < i + 2 * n; k++) {
				if (used[k - pfirst])
					skip = 1;
				if (!is_cap(&d->tokens[k]))
					allcap = 0;
			}
			if (skip || glued(d, i, -1) || glued(d, i + 2 * n - 1, +1))
				continue;
			/* "New York New York": a name said twice */
			if (allcap)
				continue;
			/* "over and over and over", "lie after lie after lie": a phrase
			   that starts or ends with a connector, repeated on purpose */
			if (is_connector(c, a) || is_connector(c, &d->tokens[i]))
				continue;
			if (excepted(c, p1, i, n, pfirst, pend))
				continue;
			const nl_token *f = &d->tokens[i], *l = &d->tokens[i + 2 * n - 1];
			size_t sl = a->off + a->len - f->off;
			if (sl >= sizeof sugg)
				continue;
			memcpy(sugg, d->text + f->off, sl);
			sugg[sl] = '\0';
			snprintf(msg, sizeof msg, "repeated phrase \"%s\"", sugg);
			int rc = emit(c, "repeated-phrase", f->off, l->off + l->len - f->off, msg, sugg, NULL, 0);
			if (rc)
				return rc;
			i += 2 * n - 1;
			break;
		}
	}
	return 0;
}

/* ---- sentence-openings --------------------------------------------------- */

static int in_heading(const nl_doc *d, const nl_sentence *s)
{
	return s->paragraph < d->n_paragraphs &&
	       (d->paragraphs[s->paragraph].flags & (NL_PF_HEADING | NL_PF_TITLE));
}

/* The sentence's first word, skipping leading punctuation (quote marks, dashes). */
static const nl_token *opener(const nl_doc *d, const nl_sentence *s)
{
	for (uint32_t k = s->first_token; k < s->first_token + s->n_tokens && k < d->n_tokens; k++) {
		const nl_token *t = &d->tokens[k];
		if (t->kind == NL_TOK_PUNCT)
			continue;
		return t->kind == NL_TOK_WORD ? t : NULL;
	}
	return NULL;
}

static int report_openings(const ctx *c, const size_t *run, size_t n, const char *word)
{
	const nl_doc *d = c->doc;
	nl_span *rel = malloc((n - 1) * sizeof *rel);
	if (!rel)
		return NL_ENOMEM;
	for (size_t k = 1; k < n; k++) {
		rel[k - 1].off = d->sentences[run[k]].off;
		rel[k - 1].len = d->sentences[run[k]].len;
	}
	char msg[MAXWORD + 80];
	snprintf(msg, sizeof msg, "%zu consecutive sentences start with \"%s\"", n, word);
	const nl_sentence *s = &d->sentences[run[0]];
	int rc = emit(c, "sentence-openings", s->off, s->len, msg, NULL, rel, n - 1);
	free(rel);
	return rc;
}

static int check_openings(const ctx *c)
{
	const nl_doc *d = c->doc;
	size_t *run = malloc((d->n_sentences + 1) * sizeof *run);
	if (!run)
		return NL_ENOMEM;
	size_t n = 0;
	char key[MAXWORD], cur[MAXWORD], word[MAXWORD];
	size_t kc = 0;
	int rc = 0;
	for (size_t i = 0; i <= d->n_sentences && !rc; i++) {
		size_t k = 0;
		const nl_token *t = NULL;
		if (i < d->n_sentences) {
			const nl_sentence *s = &d->sentences[i];
			if (in_heading(d, s))
				continue; /* headings are not sentences here */
			t = opener(d, s);
			/* a sentence that opens inside a quotation is the speaker's, not
			   the writer's: it breaks the run */
			if (t && !(t->flags & NL_TF_IN_QUOTE))
				k = tok_fold(c, t, key, sizeof key);
		}
		if (k && n && k == kc && memcmp(key, cur, k) == 0) {
			run[n++] = i;
			continue;
		}
		if (n >= (size_t)c->st->openings_min)
			rc = report_openings(c, run, n, word);
		n = 0;
		if (k) {
			memcpy(cur, key, k);
			kc = k;
			size_t wl = t->len < sizeof word ? t->len : sizeof word - 1;
			memcpy(word, d->text + t->off, wl);
			word[wl] = '\0';
			run[n++] = i;
		}
	}
	free(run);
	return rc;
}

/* ---- overused-word ------------------------------------------------------- */

typedef struct occ {
	uint32_t pos;    /* index among the document's words */
	uint32_t tok;    /* token index */
} occ;

typedef struct wstat {
	occ *v;
	size_t n, cap;
	size_t cap_mid, low_mid; /* uses not at a sentence start: capitalised, lower-case */
	uint32_t first_tok;
} wstat;

static void wstat_free(void *p)
{
	wstat *w = p;
	if (w) {
		free(w->v);
		free(w);
	}
}

static int letters(const nl_host *h, const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += h->utf8_next(s + i, n - i, &cp);
		k += h->is_alpha(cp) != 0;
	}
	return k;
}

static int cmp_first(const void *a, const void *b)
{
	const wstat *x = *(wstat *const *)a, *y = *(wstat *const *)b;
	return x->first_tok < y->first_tok ? -1 : x->first_tok > y->first_tok;
}

static int report_overused(const ctx *c, const wstat *w, size_t i, size_t j)
{
	const nl_doc *d = c->doc;
	const nl_token *t = &d->tokens[w->v[i].tok];
	nl_span *rel = malloc((j - i) * sizeof *rel + 1);
	if (!rel)
		return NL_ENOMEM;
	for (size_t k = i + 1; k <= j; k++) {
		rel[k - i - 1].off = d->tokens[w->v[k].tok].off;
		rel[k - i - 1].len = d->tokens[w->v[k].tok].len;
	}
	char word[MAXWORD], msg[MAXWORD + 100];
	size_t wl = t->len < sizeof word ? t->len : sizeof word - 1;
	memcpy(word, d->text + t->off, wl);
	word[wl] = '\0';
	snprintf(msg, sizeof msg, "\"%s\" used %zu times in %u words", word, j - i + 1,
	         (unsigned)(w->v[j].pos - w->v[i].pos + 1));
	int rc = emit(c, "overused-word", t->off, t->len, msg, NULL, rel, j - i);
	free(rel);
	return rc;
}

static int check_overused(const ctx *c)
{
	const nl_doc *d = c->doc;
	const state *st = c->st;
	const nl_host *h = c->h;
	strmap m = {0};
	int rc = 0;
	uint32_t pos = 0;
	char w[MAXWORD];
	for (size_t i = 0; i < d->n_tokens; i++) {
		const nl_token *t = &d->tokens[i];
		if (t->kind != NL_TOK_WORD)
			continue;
		uint32_t p = pos++;
		if (t->flags & (NL_TF_HAS_DIGIT | NL_TF_ALLCAPS))
			continue;
		/* a unit after a number ("45 percent", "3 million", "5 points"):
		   poll and budget stories cannot say it another way */
		if (i > 0 && d->tokens[i - 1].kind == NL_TOK_NUMBER)
			continue;
		size_t k = tok_fold(c, t, w, sizeof w);
		if (!k)
			continue;
		/* possessive: Ukraine's counts as Ukraine */
		if (k > 2 && w[k - 2] == '\'' && w[k - 1] == 's')
			k -= 2;
		w[k] = '\0';
		if (sm_has(&st->stop, w, k) || letters(h, w, k) < st->over_letters)
			continue;
		void **slot = sm_slot(&m, w, k);
		if (!slot) {
			rc = NL_ENOMEM;
			goto out;
		}
		wstat *ws = *slot;
		if (!ws) {
			ws = *slot = calloc(1, sizeof *ws);
			if (!ws) {
				rc = NL_ENOMEM;
				goto out;
			}
			ws->first_tok = (uint32_t)i;
		}
		if (!(t->flags & NL_TF_SENT_START)) {
			if (t->flags & NL_TF_CAPITALIZED)
				ws->cap_mid++;
			else
				ws->low_mid++;
		}
		/* Quoted speech and headings are counted as uses (for the name test)
		   but are not the writer's prose to vary. */
		if (t->flags & (NL_TF_IN_QUOTE | NL_TF_IN_HEADING))
			continue;
		if (ws->n == ws->cap) {
			size_t cap = ws->cap ? ws->cap * 2 : 8;
			occ *v = realloc(ws->v, cap * sizeof *v);
			if (!v) {
				rc = NL_ENOMEM;
				goto out;
			}
			ws->v = v;
			ws->cap = cap;
		}
		ws->v[ws->n++] = (occ){p, (uint32_t)i};
	}
	/* Report in document order. */
	wstat **list = malloc((m.n + 1) * sizeof *list);
	if (!list) {
		rc = NL_ENOMEM;
		goto out;
	}
	size_t nl = 0;
	for (size_t i = 0; i < m.cap; i++)
		if (m.keys[i])
			list[nl++] = m.vals[i];
	qsort(list, nl, sizeof *list, cmp_first);
	size_t N = (size_t)st->over_min;
	uint32_t W = (uint32_t)st->over_window;
	for (size_t q = 0; q < nl && !rc; q++) {
		wstat *ws = list[q];
		/* capitalised in most of its uses that are not at a sentence start: a name */
		if (ws->n < N || ws->cap_mid > ws->low_mid)
			continue;
		for (size_t i = 0; i + N <= ws->n && !rc;) {
			if (ws->v[i + N - 1].pos - ws->v[i].pos >= W) {
				i++;
				continue;
			}
			/* extend the cluster while each N consecutive uses still fit in W words */
			size_t j = i + N - 1;
			while (j + 1 < ws->n && ws->v[j + 1].pos - ws->v[j + 2 - N].pos < W)
				j++;
			rc = report_overused(c, ws, i, j);
			i = j + 1;
		}
	}
	free(list);
out:
	sm_free(&m, wstat_free);
	return rc;
}

/* ---- check ---------------------------------------------------------------- */

static int check(void *p, const nl_doc *d, nl_sink *sink)
{
	const state *st = p;
	ctx c = {st, st->host, d, sink};
	int rc = 0;
	int want_w = st->host->rule_enabled(sink, "repeated-word");
	int want_p = st->host->rule_enabled(sink, "repeated-phrase");
	size_t maxp = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++)
		if (d->paragraphs[i].n_tokens > maxp)
			maxp = d->paragraphs[i].n_tokens;
	unsigned char *used = calloc(maxp + 1, 1);
	if (!used)
		return NL_ENOMEM;
	for (size_t i = 0; i < d->n_paragraphs && !rc && (want_w || want_p); i++) {
		const nl_paragraph *pa = &d->paragraphs[i];
		size_t a = pa->first_token, b = a + pa->n_tokens;
		if (b > d->n_tokens)
			b = d->n_tokens;
		memset(used, 0, maxp + 1);
		if (want_w)
			rc = check_words(&c, a, b, used);
		if (!rc && want_p)
			rc = check_phrases(&c, a, b, used);
	}
	free(used);
	if (!rc && st->host->rule_enabled(sink, "sentence-openings"))
		rc = check_openings(&c);
	if (!rc && st->host->rule_enabled(sink, "overused-word"))
		rc = check_overused(&c);
	return rc;
}

/* ---- descriptor ------------------------------------------------------------ */

static const nl_rule_info rules[] = {
	{"repeated-word", NL_SEV_WARNING, "the same word twice in a row (\"the the\")",
	 "The same word twice in a row, compared case-insensitively, across a line break and\n"
	 "extra spaces (\"the\\nThe\"): almost always a slip made while editing.  The fix is the\n"
	 "single word.  Text inside quotations is checked too: a typo is a typo.\n"
	 "Not reported:\n"
	 "- legitimate doubles listed in rules/repetition/exceptions.txt (\"had had\", \"bye bye\";\n"
	 "  \"that that\" only after a verb of saying or thinking, a comma or a dash, and not\n"
	 "  before a subject: \"said that that the plan\" is reported);\n"
	 "- doubles of speech inside quotations (\"very very\", \"really really\");\n"
	 "- names: both words capitalised, not at a sentence start (\"Walla Walla\"), or at a\n"
	 "  sentence start when the word is not a stop word (\"Bora Bora is\" but not \"The The\");\n"
	 "- a word followed by the same word as a name (\"to trump Trump\"), an acronym next to\n"
	 "  a word (\"us US\");\n"
	 "- words with punctuation, a blank line or Markdown code between them (\"that, that\").\n"
	 "Keys: exceptions = FILE (more doubles, same format; relative to the INI file;\n"
	 "repeatable), allow = bye bye, so so (comma-separated), default_exceptions = true.",
	 NULL},
	{"repeated-phrase", NL_SEV_WARNING, "a 2-4-word phrase repeated back to back (\"in the in the\")",
	 "A phrase of phrase_min_words to phrase_max_words words said twice back to back, with\n"
	 "only white space between (\"in the in the\"): a slip made while editing.  The fix is\n"
	 "the single phrase.  Not reported: names said twice (every word capitalised), a phrase\n"
	 "starting or ending with and/or/nor/after/upon/by (\"over and over and over\", \"lie after\n"
	 "lie after lie\": repetition on purpose), phrases listed in the exceptions (\"and so on\n"
	 "and so on\", \"from time to time to\").\n"
	 "Keys: phrase_min_words = " STR(D_PHRASE_MIN) ", phrase_max_words = " STR(D_PHRASE_MAX) " (2..8).",
	 NULL},
	{"sentence-openings", NL_SEV_INFO, "three or more consecutive sentences start with the same word",
	 "openings_min or more consecutive sentences that start with the same word (compared\n"
	 "case-insensitively; leading quotation marks and dashes skipped) read like a list.\n"
	 "Reported once per run, on its first sentence, with the other sentences as related\n"
	 "spans.  Headings and the title are skipped (they are not sentences here); a sentence\n"
	 "that opens inside a quotation is the speaker's, not the writer's, and breaks the run.\n"
	 "Keys: openings_min = " STR(D_OPENINGS_MIN) " (2..100).",
	 NULL},
	{"overused-word", NL_SEV_INFO, "a content word used many times in a short stretch of text",
	 "A content word used at least overused_min times within any overused_window words\n"
	 "(calibrated on real news to about 0.15 findings per 1000 words).  Not counted: stop\n"
	 "words (rules/repetition/stop-words.txt), words of fewer than overused_min_letters\n"
	 "letters, names (capitalised in most of their uses not at a sentence start), acronyms,\n"
	 "words with digits, a unit after a number (\"45 percent\"), and uses inside quotations\n"
	 "or headings.  A possessive counts as its word.  Reported once per cluster, on its first\n"
	 "use, the other uses related.  Not reported again inside a phrase that\n"
	 "keyword-stuffing.overused-phrase reports.\n"
	 "Keys: overused_min = " STR(D_OVERUSED_MIN) ", overused_window = " STR(D_OVERUSED_WINDOW)
	 ", overused_min_letters = " STR(D_OVERUSED_LETTERS) ",\n"
	 "stop_words = FILE (more stop words; relative to the INI file; repeatable),\n"
	 "default_stop_words = true.",
	 "keyword-stuffing.overused-phrase"},
};

static const char *const config_keys[] = {
	"exceptions", "allow", "default_exceptions", "stop_words", "default_stop_words",
	"phrase_min_words", "phrase_max_words", "openings_min",
	"overused_min", "overused_window", "overused_min_letters", NULL,
};

const nl_plugin nl_plugin_repetition = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = "repetition",
	.version = "1.0.0",
	.summary = "repeated words and phrases, repeated sentence openings, over-used words",
	.rules = rules,
	.n_rules = sizeof rules / sizeof rules[0],
	.config_keys = config_keys,
	.create = create,
	.check = check,
	.destroy = destroy,
};
