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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newslint/plugin.h"
#include "wordkey.h"

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
	wk_set stopset;            /* those of 1..16 bytes, keyed as the vocabulary */
	pthread_key_t scratch_key; /* each thread's scratch, kept across documents */
	int scratch_key_ok;
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

static void scratch_free(void *p);
static int build_stopk(state *st);

static void destroy(void *p)
{
	state *st = p;
	if (!st)
		return;
	if (st->scratch_key_ok) {
		/* worker threads are joined (their destructors ran); this
		   thread's scratch is freed here */
		scratch_free(pthread_getspecific(st->scratch_key));
		pthread_key_delete(st->scratch_key);
	}
	sm_free(&st->exceptions, alt_free);
	sm_free(&st->stop, NULL);
	wk_set_free(&st->stopset);
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
	if ((rc = build_stopk(st)))
		goto fail;
	st->scratch_key_ok = pthread_key_create(&st->scratch_key, scratch_free) == 0;
	*out = st;
	return 0;
fail:
	destroy(st);
	return rc ? rc : NL_ECONFIG;
}

/* ---- per-check vocabulary -------------------------------------------------
 * Each word of the document has a small integer id: the core's word number
 * (NL_DOC_HAS_WORDS), or else the plugin folds it (ASCII here, anything
 * else through host->fold) and interns it: the rules below compare ids.
 * Memory is proportional to the number of distinct words, plus a window of
 * ids for the paragraph being checked. */

#define NOID UINT32_MAX
#ifndef CHUNK
#define CHUNK 32768  /* token ids held at once (a longer paragraph is walked in chunks) */
#endif
#ifndef SCRATCH_KEEP
#define SCRATCH_KEEP (4u << 20) /* a thread keeps at most this much scratch between checks */
#endif
#define LOOKAHEAD 32 /* ids kept past the chunk: a phrase double spans <= 16 tokens */

enum { VF_STOP_KNOWN = 1, VF_STOP = 2, VF_OKEY_KNOWN = 4 };

/* overused-word state of one key (a folded word, possessive stripped) */
typedef struct ostat {
	uint32_t cap_mid, low_mid;  /* uses not at a sentence start: capitalised, lower-case */
	uint32_t first_tok;         /* first use + 1; 0 = not seen */
	uint32_t last;              /* position of the last counted use, or NOID */
	uint32_t floor;             /* a new cluster starts after this position (last one's end + 1) */
	uint32_t open;              /* index + 1 of the cluster being extended, or 0 */
	uint32_t gen;               /* the check it belongs to (older: all 0) */
	uint8_t ok;                 /* with word numbers, whether the key is a word to count
	                               (okey_pass()): 0 not asked yet, 1 yes, 2 no */
} ostat;

typedef struct occ {
	uint32_t pos;    /* index among the document's words */
	uint32_t tok;    /* token index */
} occ;

typedef struct cluster {
	uint32_t key;
	size_t n, cap;
	occ *v;
} cluster;

typedef struct ringslot {
	uint32_t prev;   /* position of the key's previous counted use, or NOID */
	uint32_t tok;
} ringslot;

typedef wk_vent vent;   /* a word-table slot (see v_get) */

/* A thread's scratch, kept from one check to the next (a check borrows the
 * buffers and gives them back): nothing is allocated or cleared per
 * document but what grows. */
typedef struct scratch {
	vent *vt; size_t vt_alloc;
	uint32_t gen;
	uint32_t *voff, *vlen, *okey; uint8_t *vflags; ostat *os; size_t vcap;
	char *arena; size_t acap;
	char *big; size_t big_cap;
	uint32_t *ids; size_t ids_cap;
	unsigned char *hit; size_t hit_cap;
	unsigned char *used; size_t used_cap;
	ringslot *ring; size_t ring_cap;
} scratch;

static void scratch_free_fields(scratch *s)
{
	free(s->vt); free(s->voff); free(s->vlen); free(s->okey); free(s->vflags); free(s->os);
	free(s->arena); free(s->big); free(s->ids); free(s->hit); free(s->used); free(s->ring);
}

/* Bytes a thread's scratch holds. */
static size_t scratch_bytes(const scratch *s)
{
	return s->vt_alloc * sizeof *s->vt +
	       s->vcap * (3 * sizeof(uint32_t) + 1 + sizeof(ostat)) + s->acap + s->big_cap +
	       s->ids_cap * sizeof *s->ids + s->hit_cap + s->used_cap + s->ring_cap * sizeof *s->ring;
}

static void scratch_free(void *p)
{
	if (!p)
		return;
	scratch_free_fields(p);
	free(p);
}

typedef struct ctx {
	const state *st;
	const nl_host *h;
	const nl_doc *doc;
	nl_sink *sink;
	/* the host's word numbers are the ids (NL_DOC_HAS_WORDS): voff/arena
	   are the document's word_form_off/word_forms (the scratch's own kept
	   in own_voff/own_arena), vlen, vflags, okey and os indexed by number;
	   nothing is interned */
	int numbered;
	uint32_t *own_voff;
	char *own_arena;
	/* vocabulary */
	vent *vt; size_t vt_cap, vt_alloc;     /* slots used by this check, allocated */
	uint32_t gen;
	uint32_t *voff, *vlen, *okey;          /* per id */
	uint8_t *vflags;
	ostat *os;
	size_t nv, vcap;
	char *arena; size_t alen, acap;
	char *big; size_t big_cap;             /* fold buffer for very long words */
	/* ids of tokens [fbase, fbase + fn) */
	uint32_t *ids; size_t ids_cap, fbase, fn;
	/* per token of the ids at hand: HIT_WORD, HIT_PHRASE when that rule
	   must look at it (the ids say it may start a double, or cannot tell) */
	unsigned char *hit; size_t hit_cap;
	unsigned char *used; size_t used_cap;
	/* overused-word */
	int want_o;
	uint32_t pos;                          /* words seen */
	ringslot *ring; size_t ring_cap;       /* >= overused_window slots */
	uint32_t ring_mask;                    /* slots used - 1 (a power of 2) */
	cluster *cl; size_t ncl, clcap;
	int oom;
} ctx;

/* Borrow the thread's scratch, and give it back. */
static void ctx_borrow(ctx *c, scratch *s)
{
	c->vt = s->vt; c->vt_alloc = s->vt_alloc; c->gen = s->gen;
	c->voff = s->voff; c->vlen = s->vlen; c->okey = s->okey; c->vflags = s->vflags; c->os = s->os;
	c->vcap = s->vcap;
	c->arena = s->arena; c->acap = s->acap;
	c->big = s->big; c->big_cap = s->big_cap;
	c->ids = s->ids; c->ids_cap = s->ids_cap;
	c->hit = s->hit; c->hit_cap = s->hit_cap;
	c->used = s->used; c->used_cap = s->used_cap;
	c->ring = s->ring; c->ring_cap = s->ring_cap;
}

static void ctx_give_back(ctx *c, scratch *s)
{
	s->vt = c->vt; s->vt_alloc = c->vt_alloc; s->gen = c->gen;
	s->voff = c->voff; s->vlen = c->vlen; s->okey = c->okey; s->vflags = c->vflags; s->os = c->os;
	s->vcap = c->vcap;
	s->arena = c->arena; s->acap = c->acap;
	s->big = c->big; s->big_cap = c->big_cap;
	s->ids = c->ids; s->ids_cap = c->ids_cap;
	s->hit = c->hit; s->hit_cap = c->hit_cap;
	s->used = c->used; s->used_cap = c->used_cap;
	s->ring = c->ring; s->ring_cap = c->ring_cap;
	for (size_t i = 0; i < c->ncl; i++)
		free(c->cl[i].v);
	free(c->cl);
}

static size_t pow2_ge(size_t n)
{
	size_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/* Grow a scratch array to hold n elements of size sz (contents kept). */
static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	return wk_grow(pp, cap, n, sz, 64) ? NL_ENOMEM : 0;
}

static int v_grow_ids(ctx *c)
{
	size_t cap = c->vcap ? c->vcap * 2 : 1024;
	uint32_t *b = realloc(c->voff, cap * sizeof *b);
	if (b) c->voff = b;
	uint32_t *l = realloc(c->vlen, cap * sizeof *l);
	if (l) c->vlen = l;
	uint32_t *k = realloc(c->okey, cap * sizeof *k);
	if (k) c->okey = k;
	uint8_t *f = realloc(c->vflags, cap);
	if (f) c->vflags = f;
	ostat *o = realloc(c->os, cap * sizeof *o);
	if (o) {   /* new stats belong to no check (os_at) */
		memset(o + c->vcap, 0, (cap - c->vcap) * sizeof *o);
		c->os = o;
	}
	if (!b || !l || !k || !f || !o)
		return NL_ENOMEM;
	c->vcap = cap;
	return 0;
}

static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ n;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The key of folded word w[0..n). */
static inline void key_of(const char *w, size_t n, uint64_t *k0, uint64_t *k1)
{
	if (n > 16) {
		*k0 = str_hash(w, n);
		*k1 = 0;
		return;
	}
	wk_key16(w, n, k0, k1);
}

/* Double the slots this check uses. */
static int vt_grow(ctx *c)
{
	return wk_vt_grow(&c->vt, &c->vt_alloc, &c->vt_cap, c->gen) ? NL_ENOMEM : 0;
}

/* The id of the folded word with key k0, k1 and length n (w: its bytes, or
 * NULL when n <= 16: the key holds them), inserted when new (wk_vt_find). */
static uint32_t v_get_slow(ctx *c, uint64_t k0, uint64_t k1, size_t n, const char *w)
{
	const uint32_t gen = c->gen;
	uint64_t key;
	size_t mask = c->vt_cap - 1, j = 0;
	uint32_t found = wk_vt_find(c->vt, mask, gen, k0, k1, n, w, c->arena, c->voff, c->vlen, &key, &j);
	if (found != UINT32_MAX)
		return found;
	if ((c->nv + 1) * 2 > c->vt_cap) {
		if (vt_grow(c) < 0) {
			c->oom = 1;
			return NOID;
		}
		mask = c->vt_cap - 1;
		j = wk_slot(key, mask);
		while (c->vt[j].stamp == gen)
			j = (j + 1) & mask;
	}
	if ((c->nv == c->vcap && v_grow_ids(c)) || c->nv >= NOID - 1 || c->alen + n + 1 > UINT32_MAX ||
	    grow(&c->arena, &c->acap, c->alen + n + 1 + 16, 1)) {
		c->oom = 1;
		return NOID;
	}
	char *a = c->arena + c->alen;
	if (w) {
		memcpy(a, w, n);
	} else {   /* the key's bytes past n are 0; the arena has 16 bytes of slack */
		memcpy(a, &k0, 8);
		memcpy(a + 8, &k1, 8);
	}
	a[n] = '\0';
	uint32_t id = (uint32_t)c->nv++;
	c->voff[id] = (uint32_t)c->alen;
	c->alen += n + 1;
	c->vlen[id] = (uint32_t)n;
	c->vflags[id] = 0;
	c->okey[id] = NOID;
	memset(&c->os[id], 0, sizeof c->os[id]);
	c->vt[j] = (vent){ .key = key, .stamp = gen, .id = id };
	return id;
}

/* v_get with the common case (a word of 1..7 bytes already seen) here. */
static inline __attribute__((always_inline)) uint32_t v_get(ctx *c, uint64_t k0, uint64_t k1, size_t n, const char *w)
{
	uint32_t id = wk_vt_short(c->vt, c->vt_cap - 1, c->gen, k0, n);
	return id != UINT32_MAX ? id : v_get_slow(c, k0, k1, n, w);
}

static uint32_t v_intern(ctx *c, const char *w, size_t n)
{
	uint64_t k0, k1;
	key_of(w, n, &k0, &k1);
	return v_get(c, k0, k1, n, w);
}

static const char *v_str(const ctx *c, uint32_t id) { return c->arena + c->voff[id]; }

/* The overuse stats of key, as of this check. */
static inline ostat *os_at(ctx *c, uint32_t key)
{
	ostat *o = &c->os[key];
	if (o->gen != c->gen)
		*o = (ostat){ .gen = c->gen };
	return o;
}

static uint32_t word_id_slow(ctx *c, const char *s, size_t n);

/* Fold s[0..n) (n bytes of the document's text) exactly as host->fold and
 * intern it. */
static inline __attribute__((always_inline)) uint32_t word_id(ctx *c, const char *s, size_t n)
{
	if (n - 1 < 16) {
		uint64_t k0, k1;
		size_t off = (size_t)(s - c->doc->text);
		wk_key_at(s, n, c->doc->text_len - off, &k0, &k1);
		if (!((k0 | k1) & 0x8080808080808080ull)) /* ASCII: host->fold lower-cases A-Z only */
			return v_get(c, wk_lower8(k0), wk_lower8(k1), n, NULL);
	}
	return word_id_slow(c, s, n);
}

static uint32_t word_id_slow(ctx *c, const char *s, size_t n)
{
	char buf[MAXWORD];
	size_t k = c->h->fold(s, n, buf, sizeof buf);
	if (k < sizeof buf)
		return v_intern(c, buf, k);
	if (k + 1 > c->big_cap) {
		char *b = realloc(c->big, k + 1);
		if (!b) {
			c->oom = 1;
			return NOID;
		}
		c->big = b;
		c->big_cap = k + 1;
	}
	k = c->h->fold(s, n, c->big, c->big_cap);
	return v_intern(c, c->big, k);
}

/* Is folded word w[0..n) a stop word? */
static int is_stop(const state *st, const char *w, size_t n)
{
	if (n > 16 || !n || !st->stopset.keys_cap)
		return sm_has(&st->stop, w, n);
	if (!wk_set_maybe(&st->stopset, w, n))
		return 0;
	uint64_t k0, k1;
	wk_key16(w, n, &k0, &k1);
	return wk_set_has(&st->stopset, w, n, k0, k1);
}

/* The keyed set of the stop words of 1..16 bytes. */
static int build_stopk(state *st)
{
	if (wk_set_init(&st->stopset, st->stop.n))
		return NL_ENOMEM;
	for (size_t i = 0; i < st->stop.cap; i++) {
		const char *w = st->stop.keys[i];
		size_t n = w ? strlen(w) : 0;
		if (n && n <= 16)
			wk_set_add(&st->stopset, w, n);
	}
	return 0;
}

/* The id of token k (NOID for anything but a word). */
static uint32_t tok_id_slow(ctx *c, size_t k)
{
	const nl_token *t = &c->doc->tokens[k];
	if (t->kind != NL_TOK_WORD)
		return NOID;
	if (c->numbered)
		return c->doc->word_ids[k];
	return word_id(c, c->doc->text + t->off, t->len);
}

static inline uint32_t id_at(ctx *c, size_t k)
{
	size_t r = k - c->fbase;
	if (r < c->fn)
		return c->ids[r];
	return tok_id_slow(c, k);
}

static int v_stop(ctx *c, uint32_t id)
{
	if (!(c->vflags[id] & VF_STOP_KNOWN)) {
		c->vflags[id] |= VF_STOP_KNOWN;
		if (is_stop(c->st, v_str(c, id), c->vlen[id]))
			c->vflags[id] |= VF_STOP;
	}
	return (c->vflags[id] & VF_STOP) != 0;
}


/* ---- helpers on the document --------------------------------------------- */


static size_t tok_fold(const ctx *c, const nl_token *t, char *out, size_t size)
{
	return fold(c->h, c->doc->text + t->off, t->len, out, size);
}

/* A span of text as one message line: each run of spaces, tabs and line
 * breaks (a phrase may wrap) becomes one space. */
static void one_line(char *out, const char *s)
{
	size_t j = 0;
	for (size_t i = 0; s[i]; i++) {
		int sp = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
		if (!sp)
			out[j++] = s[i];
		else if (j && out[j - 1] != ' ')
			out[j++] = ' ';
	}
	out[j] = '\0';
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

#define USED(u, k) ((u)[(k) >> 3] & (1u << ((k) & 7)))
#define HIT_WORD 1u
#define HIT_PHRASE 2u

/* The first position in [i, e) of the ids at hand (c->fbase <= i) whose
 * hit byte has bit, or e. */
static size_t next_hit(const ctx *c, size_t i, size_t e, unsigned bit)
{
	const unsigned char *h = c->hit - c->fbase;
	const uint64_t m = 0x0101010101010101ull * bit;
	while (i + 8 <= e) {
		uint64_t w;
		memcpy(&w, h + i, 8);
		if (w & m)
			break;
		i += 8;
	}
	while (i < e && !(h[i] & bit))
		i++;
	return i;
}

/* Word doubles starting at *wi .. stop-1 of the paragraph [pfirst, pend). */
static int check_words(ctx *c, size_t pfirst, size_t pend, size_t *wi, size_t stop, unsigned char *used)
{
	const nl_doc *d = c->doc;
	char msg[MAXWORD + 64];
	size_t i = *wi;
	for (; i + 1 < pend && i < stop; i++) {
		/* the common case from the ids at hand: not a double (a non-word's
		   id is NOID); skip to the next position that may start one */
		if (i >= c->fbase && i < c->fbase + c->fn && !(c->hit[i - c->fbase] & HIT_WORD)) {
			size_t e = c->fbase + c->fn;
			if (e > stop)
				e = stop;
			i = next_hit(c, i, e, HIT_WORD) - 1;
			continue;
		}
		const nl_token *x = &d->tokens[i], *y = &d->tokens[i + 1];
		if (x->kind != NL_TOK_WORD || y->kind != NL_TOK_WORD)
			continue;
		uint32_t ia = id_at(c, i);
		if (ia == NOID || ia != id_at(c, i + 1) || c->vlen[ia] >= MAXWORD)
			continue;
		if (!gap_is_space(d, x->off + x->len, y->off))
			continue;
		if (glued(d, i, -1) || glued(d, i + 1, +1))
			continue;
		/* NATO nato / US us: an acronym next to a word */
		if (((x->flags ^ y->flags) & NL_TF_ALLCAPS))
			continue;
		int stop_w = v_stop(c, ia);
		/* Names: "Walla Walla", "Duran Duran"; at a sentence start only if
		   not a function word ("The the" is a typo, "Bora Bora is" is not). */
		if (is_cap(x) && is_cap(y) && (!(x->flags & NL_TF_SENT_START) || !stop_w))
			continue;
		/* "to trump Trump": a common word followed by the same word as a name. */
		if (!(x->flags & NL_TF_CAPITALIZED) && is_cap(y) && !(y->flags & NL_TF_SENT_START) && !stop_w)
			continue;
		if (excepted(c, v_str(c, ia), i, 1, pfirst, pend))
			continue;
		/* a run "the the the": one finding for the whole run */
		size_t j = i + 1;
		while (j + 1 < pend && d->tokens[j + 1].kind == NL_TOK_WORD &&
		       gap_is_space(d, d->tokens[j].off + d->tokens[j].len, d->tokens[j + 1].off) &&
		       id_at(c, j + 1) == ia)
			j++;
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
			used[(k - pfirst) >> 3] |= (unsigned char)(1u << ((k - pfirst) & 7));
		i = j;
	}
	*wi = i;
	return 0;
}

/* ---- repeated-phrase ----------------------------------------------------- */

#define PHRASE_BUF 1024

/* Would the folded tokens [i, i+n) joined with spaces make a phrase key
   (all plain words separated by white space, fitting in PHRASE_BUF)? */
static int phrase_ok(ctx *c, size_t i, size_t n)
{
	const nl_doc *d = c->doc;
	size_t o = 0;
	for (size_t k = i; k < i + n; k++) {
		const nl_token *t = &d->tokens[k];
		if (t->kind != NL_TOK_WORD)
			return 0;
		if (k > i && !gap_is_space(d, d->tokens[k - 1].off + d->tokens[k - 1].len, t->off))
			return 0;
		if (o + 2 >= PHRASE_BUF)
			return 0;
		if (k > i)
			o++;
		uint32_t id = id_at(c, k);
		if (id == NOID || c->vlen[id] >= PHRASE_BUF - o)
			return 0;
		o += c->vlen[id];
	}
	return 1;
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

/* Phrase doubles starting at *pi .. stop-1 of the paragraph [pfirst, pend). */
static int check_phrases(ctx *c, size_t pfirst, size_t pend, size_t *pi, size_t stop,
                         const unsigned char *used)
{
	const nl_doc *d = c->doc;
	const state *st = c->st;
	char p1[PHRASE_BUF], msg[1200], sugg[1024];
	size_t i = *pi;
	const size_t lo = c->fbase, hi = c->fbase + c->fn;
	for (; i < pend && i < stop; i++) {
		/* the common case from the ids at hand: no phrase length whose
		   first words are equal; skip to the next position that may start
		   a double */
		if (i >= lo && i < hi && !(c->hit[i - lo] & HIT_PHRASE)) {
			size_t e = hi < stop ? hi : stop;
			i = next_hit(c, i, e, HIT_PHRASE) - 1;
			continue;
		}
		if (d->tokens[i].kind != NL_TOK_WORD)
			continue;
		for (size_t n = (size_t)st->phrase_min; n <= (size_t)st->phrase_max; n++) {
			if (i + 2 * n > pend)
				break;
			/* the common case from the ids at hand: the first words differ */
			if (i >= c->fbase && i + n < c->fbase + c->fn &&
			    c->ids[i - c->fbase] != c->ids[i + n - c->fbase])
				continue;
			/* the two halves are equal when their ids are (a longer word
			   than the key buffer holds fails phrase_ok on both) */
			size_t k = 0;
			while (k < n && d->tokens[i + n + k].kind == NL_TOK_WORD && id_at(c, i + k) == id_at(c, i + n + k))
				k++;
			if (k < n)
				continue;
			if (!phrase_ok(c, i, n))
				break;
			if (!phrase_ok(c, i + n, n))
				continue;
			const nl_token *a = &d->tokens[i + n - 1], *b = &d->tokens[i + n];
			if (!gap_is_space(d, a->off + a->len, b->off))
				continue;
			/* all one word ("ha ha ha ha"), or overlapping a repeated word: that rule's */
			int skip = 0, allcap = 1;
			for (size_t q = i; q < i + 2 * n; q++) {
				if (USED(used, q - pfirst))
					skip = 1;
				if (!is_cap(&d->tokens[q]))
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
			size_t o = 0;
			for (size_t q = i; q < i + n; q++) {
				uint32_t id = id_at(c, q);
				if (q > i)
					p1[o++] = ' ';
				memcpy(p1 + o, v_str(c, id), c->vlen[id]);
				o += c->vlen[id];
			}
			p1[o] = '\0';
			if (excepted(c, p1, i, n, pfirst, pend))
				continue;
			const nl_token *f = &d->tokens[i], *l = &d->tokens[i + 2 * n - 1];
			size_t sl = a->off + a->len - f->off;
			if (sl >= sizeof sugg)
				continue;
			memcpy(sugg, d->text + f->off, sl);
			sugg[sl] = '\0';
			char shown[sizeof sugg];
			one_line(shown, sugg);
			snprintf(msg, sizeof msg, "repeated phrase \"%s\"", shown);
			int rc = emit(c, "repeated-phrase", f->off, l->off + l->len - f->off, msg, sugg, NULL, 0);
			if (rc)
				return rc;
			i += 2 * n - 1;
			break;
		}
	}
	*pi = i;
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

static int check_openings(ctx *c)
{
	const nl_doc *d = c->doc;
	size_t *run = NULL, run_cap = 0;
	size_t n = 0;
	char word[MAXWORD];
	uint32_t cur = NOID;
	int rc = 0;
	for (size_t i = 0; i <= d->n_sentences && !rc; i++) {
		uint32_t key = NOID;
		const nl_token *t = NULL;
		if (i < d->n_sentences) {
			const nl_sentence *s = &d->sentences[i];
			if (in_heading(d, s))
				continue; /* headings are not sentences here */
			t = opener(d, s);
			/* a sentence that opens inside a quotation is the speaker's, not
			   the writer's: it breaks the run */
			if (t && !(t->flags & NL_TF_IN_QUOTE)) {
				key = tok_id_slow(c, (size_t)(t - d->tokens));
				if (key != NOID && c->vlen[key] >= MAXWORD)
					key = NOID;
			}
		}
		if (n == run_cap) {
			size_t cap = run_cap ? run_cap * 2 : 64;
			size_t *v = realloc(run, cap * sizeof *v);
			if (!v) {
				rc = NL_ENOMEM;
				break;
			}
			run = v;
			run_cap = cap;
		}
		if (key != NOID && n && key == cur) {
			run[n++] = i;
			continue;
		}
		if (n >= (size_t)c->st->openings_min)
			rc = report_openings(c, run, n, word);
		n = 0;
		if (key != NOID) {
			cur = key;
			size_t wl = t->len < sizeof word ? t->len : sizeof word - 1;
			memcpy(word, d->text + t->off, wl);
			word[wl] = '\0';
			run[n++] = i;
		}
	}
	free(run);
	return rc ? rc : c->oom ? NL_ENOMEM : 0;
}

/* ---- overused-word ------------------------------------------------------- */

static int letters(const nl_host *h, const char *s, size_t n)
{
	int k = 0;
	size_t a = 0;
	for (; a < n && (unsigned char)s[a] < 0x80; a++) /* ASCII: as host->is_alpha */
		k += ((unsigned char)s[a] | 0x20) >= 'a' && ((unsigned char)s[a] | 0x20) <= 'z';
	if (a == n)
		return k;
	k = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += h->utf8_next(s + i, n - i, &cp);
		k += h->is_alpha(cp) != 0;
	}
	return k;
}

/* Has s[0..n) at least need letters (letters(), counting no further)? */
static int has_letters(const nl_host *h, const char *s, size_t n, int need)
{
	int k = 0;
	size_t a = 0;
	for (; a < n && (unsigned char)s[a] < 0x80; a++) { /* ASCII: as host->is_alpha */
		k += ((unsigned char)s[a] | 0x20) >= 'a' && ((unsigned char)s[a] | 0x20) <= 'z';
		if (k >= need)
			return 1;
	}
	if (a == n)
		return k >= need;
	return letters(h, s, n) >= need;
}

/* The key word id counts under (possessive stripped), or NOID when it is
   never counted (stop word, too few letters, too long). */
/* w[0..k) without a possessive 's (Ukraine's counts as Ukraine): its length. */
static inline size_t unpossessed(const char *w, size_t k)
{
	return k > 2 && w[k - 2] == '\'' && w[k - 1] == 's' ? k - 2 : k;
}

static uint32_t okey_of(ctx *c, uint32_t id)
{
	if (c->vflags[id] & VF_OKEY_KNOWN)
		return c->okey[id];
	uint32_t key = NOID;
	size_t k = c->vlen[id];
	if (k < MAXWORD) {
		const char *w = v_str(c, id);
		k = unpossessed(w, k);
		/* a letter takes at least a byte: fewer bytes, fewer letters */
		if (k >= (size_t)c->st->over_letters && !is_stop(c->st, w, k) &&
		    has_letters(c->h, w, k, (int)c->st->over_letters)) {
			if (k == c->vlen[id]) {
				key = id;
			} else if (c->numbered) {
				key = c->doc->word_base[id];   /* the stripped form's number */
			} else {
				char buf[MAXWORD]; /* interning may move the arena */
				memcpy(buf, w, k);
				key = v_intern(c, buf, k);
			}
		}
	}
	if (c->oom)
		return NOID;
	c->vflags[id] |= VF_OKEY_KNOWN;
	c->okey[id] = key;
	return key;
}

/* With word numbers: okey_of() but for the question whether the key is a
 * word to count (not a stop word, enough letters), which okey_pass() asks
 * at the key's second use: most words of an article are used once, and a
 * single use never makes a cluster (overused_min >= 2). */
static uint32_t okey_lazy(ctx *c, uint32_t id)
{
	uint32_t key = NOID;
	size_t k = c->vlen[id];
	if (k < MAXWORD) {
		const size_t m = unpossessed(v_str(c, id), k);
		if (m >= (size_t)c->st->over_letters)
			key = m < k ? c->doc->word_base[id] : id;   /* the stripped form's number */
	}
	c->vflags[id] |= VF_OKEY_KNOWN;
	c->okey[id] = key;
	return key;
}

/* Is key (from okey_lazy(), for word id) a word to count?  Yes at its first
 * use (asked at the second); then as okey_of() would answer, for every id
 * with this key (their forms, possessive stripped, are the key's). */
static inline int okey_pass(ctx *c, uint32_t id, uint32_t key)
{
	ostat *o = os_at(c, key);
	if (o->ok)
		return o->ok == 1;
	if (!o->first_tok)
		return 1;
	const char *w = v_str(c, id);
	const size_t k = unpossessed(w, c->vlen[id]);
	o->ok = !is_stop(c->st, w, k) && has_letters(c->h, w, k, (int)c->st->over_letters) ? 1 : 2;
	return o->ok == 1;
}

static int cl_push(ctx *c, cluster *cl, uint32_t pos, uint32_t tok)
{
	if (cl->n == cl->cap) {
		size_t cap = cl->cap ? cl->cap * 2 : 8;
		occ *v = realloc(cl->v, cap * sizeof *v);
		if (!v)
			return c->oom = 1;
		cl->v = v;
		cl->cap = cap;
	}
	cl->v[cl->n++] = (occ){pos, tok};
	return 0;
}

/* Count word token i (its id, or NOID to fold it here).  A cluster is a run
 * of uses in which every overused_min consecutive ones fit in
 * overused_window words; only the last overused_window words are needed to
 * find them, so the state is one ring of that many slots plus a few numbers
 * per distinct word. */
static void over_use(ctx *c, size_t i, const nl_token *t, uint32_t key, uint32_t p);

static inline void over_feed(ctx *c, size_t i, uint32_t id)
{
	const nl_doc *d = c->doc;
	const nl_token *t = &d->tokens[i];
	if (t->kind != NL_TOK_WORD)
		return;
	uint32_t p = c->pos++;
	if (t->flags & (NL_TF_HAS_DIGIT | NL_TF_ALLCAPS))
		return;
	/* a unit after a number ("45 percent", "3 million", "5 points"):
	   poll and budget stories cannot say it another way */
	if (i > 0 && d->tokens[i - 1].kind == NL_TOK_NUMBER)
		return;
	if (id == NOID && (id = tok_id_slow(c, i)) == NOID)
		return;
	uint32_t key = c->vflags[id] & VF_OKEY_KNOWN ? c->okey[id] : c->numbered ? okey_lazy(c, id) : okey_of(c, id);
	if (key == NOID || (c->numbered && !okey_pass(c, id, key)))
		return;
	over_use(c, i, t, key, p);
}

/* One counted use of key: token i, word position p. */
static void over_use(ctx *c, size_t i, const nl_token *t, uint32_t key, uint32_t p)
{
	ostat *o = os_at(c, key);
	if (!o->first_tok) {
		o->first_tok = (uint32_t)i + 1;
		o->last = NOID;
	}
	if (!(t->flags & NL_TF_SENT_START)) {
		if (t->flags & NL_TF_CAPITALIZED)
			o->cap_mid++;
		else
			o->low_mid++;
	}
	/* Quoted speech and headings are counted as uses (for the name test)
	   but are not the writer's prose to vary. */
	if (t->flags & (NL_TF_IN_QUOTE | NL_TF_IN_HEADING))
		return;
	/* the ring has R >= W slots (a power of 2): position q's slot is not
	   reused before position q + R, and only positions less than W back
	   are read */
	uint32_t W = (uint32_t)c->st->over_window, N = (uint32_t)c->st->over_min, R1 = c->ring_mask;
	ringslot *slot = &c->ring[p & R1];
	slot->prev = o->last;
	slot->tok = (uint32_t)i;
	o->last = p;
	/* do the last N uses (this one included, none in a finished cluster)
	   fit in W words? */
	uint32_t k = 1, q = slot->prev;
	while (k < N && q != NOID && q >= o->floor && p - q < W) {
		if (++k < N)
			q = c->ring[q & R1].prev;
	}
	if (k == N) {
		if (o->open) {
			cl_push(c, &c->cl[o->open - 1], p, (uint32_t)i);
			return;
		}
		if (c->ncl == c->clcap) {
			size_t cap = c->clcap ? c->clcap * 2 : 64;
			cluster *v = realloc(c->cl, cap * sizeof *v);
			if (!v) {
				c->oom = 1;
				return;
			}
			c->cl = v;
			c->clcap = cap;
		}
		cluster *cl = &c->cl[c->ncl++];
		memset(cl, 0, sizeof *cl);
		cl->key = key;
		o->open = (uint32_t)c->ncl;
		/* the N uses, oldest first */
		occ tmp[16], *u = N <= 16 ? tmp : malloc(N * sizeof *u);
		if (!u) {
			c->oom = 1;
			return;
		}
		q = p;
		for (uint32_t m = N; m-- > 0;) {
			u[m] = (occ){q, c->ring[q & R1].tok};
			q = c->ring[q & R1].prev;
		}
		for (uint32_t m = 0; m < N; m++)
			cl_push(c, cl, u[m].pos, u[m].tok);
		if (u != tmp)
			free(u);
	} else if (o->open) {
		cluster *cl = &c->cl[o->open - 1];
		o->floor = cl->v[cl->n - 1].pos + 1;
		o->open = 0;
	}
}

static int report_overused(const ctx *c, const cluster *cl)
{
	const nl_doc *d = c->doc;
	const nl_token *t = &d->tokens[cl->v[0].tok];
	size_t nrel = cl->n - 1;
	nl_span *rel = malloc(nrel * sizeof *rel + 1);
	if (!rel)
		return NL_ENOMEM;
	for (size_t k = 1; k < cl->n; k++) {
		rel[k - 1].off = d->tokens[cl->v[k].tok].off;
		rel[k - 1].len = d->tokens[cl->v[k].tok].len;
	}
	char word[MAXWORD], msg[MAXWORD + 100];
	size_t wl = t->len < sizeof word ? t->len : sizeof word - 1;
	memcpy(word, d->text + t->off, wl);
	word[wl] = '\0';
	snprintf(msg, sizeof msg, "\"%s\" used %zu times in %u words", word, cl->n,
	         (unsigned)(cl->v[cl->n - 1].pos - cl->v[0].pos + 1));
	int rc = emit(c, "overused-word", t->off, t->len, msg, NULL, rel, nrel);
	free(rel);
	return rc;
}

typedef struct clref {
	uint32_t first_tok, start;
	const cluster *cl;
} clref;

static int cmp_clref(const void *a, const void *b)
{
	const clref *x = a, *y = b;
	if (x->first_tok != y->first_tok)
		return x->first_tok < y->first_tok ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Report the clusters of words that are not names, in document order of
   the word's first use. */
static int report_clusters(ctx *c)
{
	clref *v = malloc((c->ncl + 1) * sizeof *v);
	if (!v)
		return NL_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < c->ncl; i++) {
		const ostat *o = &c->os[c->cl[i].key];
		/* capitalised in most of its uses that are not at a sentence start: a name */
		if (o->cap_mid > o->low_mid)
			continue;
		v[n++] = (clref){o->first_tok, c->cl[i].v[0].pos, &c->cl[i]};
	}
	qsort(v, n, sizeof *v, cmp_clref);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = report_overused(c, v[i].cl);
	free(v);
	return rc;
}

/* ---- check ---------------------------------------------------------------- */

/* Have c use the host's word numbers of d as its ids: the per-id arrays
 * cover them, and the forms are the document's. */
static int use_numbers(ctx *c, const nl_doc *d)
{
	const size_t n = d->n_word_ids;
	while (c->vcap < n)
		if (v_grow_ids(c))
			return NL_ENOMEM;
	const uint32_t *off = d->word_form_off;
	for (size_t i = 0; i < n; i++)
		c->vlen[i] = off[i + 1] - off[i] - 1;
	if (n)
		memset(c->vflags, 0, n);
	c->numbered = 1;
	c->own_voff = c->voff;
	c->own_arena = c->arena;
	c->arena = (char *)d->word_forms;   /* read only */
	c->voff = (uint32_t *)d->word_form_off;
	return 0;
}

/* Ids of tokens [a, b) into c->ids, and what they say into c->hit. */
static void fill_ids(ctx *c, size_t a, size_t b)
{
	const nl_doc *d = c->doc;
	c->fn = 0;
	c->fbase = a;
	if (c->numbered) {
		memcpy(c->ids, d->word_ids + a, (b - a) * sizeof *c->ids);   /* NOID == NL_NO_WORD */
	} else {
		for (size_t k = a; k < b; k++) {
			const nl_token *t = &d->tokens[k];
			c->ids[k - a] = t->kind == NL_TOK_WORD ? word_id(c, d->text + t->off, t->len) : NOID;
		}
	}
	size_t fn = b - a, pmin = (size_t)c->st->phrase_min, pmax = (size_t)c->st->phrase_max;
	const uint32_t *ids = c->ids;
	for (size_t k = 0; k < fn; k++) {
		uint32_t x = ids[k];
		unsigned h = 0;
		if (x == NOID) {   /* not a word: neither rule starts at it */
			c->hit[k] = 0;
			continue;
		}
		if (k + 1 >= fn || x == ids[k + 1])
			h |= HIT_WORD;
		if (k + pmax >= fn) {
			h |= HIT_PHRASE;
		} else {
			for (size_t n = pmin; n <= pmax; n++)
				if (ids[k + n] == x) {
					h |= HIT_PHRASE;
					break;
				}
		}
		c->hit[k] = (unsigned char)h;
	}
	c->fn = fn;
}

static int check(void *p, const nl_doc *d, nl_sink *sink)
{
	const state *st = p;
	ctx c = {.st = st, .h = st->host, .doc = d, .sink = sink};
	int rc = 0;
	scratch own = {0}, *sc = st->scratch_key_ok ? pthread_getspecific(st->scratch_key) : NULL;
	if (!sc && st->scratch_key_ok) {
		sc = calloc(1, sizeof *sc);
		if (sc && pthread_setspecific(st->scratch_key, sc) != 0) {
			free(sc);
			sc = NULL;
		}
	}
	if (!sc)
		sc = &own; /* no thread key: scratch for this check alone */
	ctx_borrow(&c, sc);
	if (++c.gen == 0) { /* after 4 G checks: stamps start over */
		for (size_t i = 0; i < c.vt_alloc; i++)
			c.vt[i].stamp = 0;
		for (size_t i = 0; i < c.vcap; i++)
			c.os[i].gen = 0;
		c.gen = 1;
	}
	if (NL_DOC_HAS_WORDS(d) && use_numbers(&c, d)) {
		rc = NL_ENOMEM;
		goto out;
	}
	/* the word table: as many slots as tokens (so at most half full: it
	   grows at that), for a long text a start */
	c.vt_cap = 256;
	while (c.vt_cap < d->n_tokens && c.vt_cap < 16384)
		c.vt_cap *= 2;
	if (!c.numbered && c.vt_alloc < c.vt_cap) {
		free(c.vt);
		c.vt = calloc(c.vt_cap, sizeof *c.vt);
		c.vt_alloc = c.vt ? c.vt_cap : 0;
		if (!c.vt) {
			rc = NL_ENOMEM;
			goto out;
		}
	}
	int want_w = st->host->rule_enabled(sink, "repeated-word");
	int want_p = st->host->rule_enabled(sink, "repeated-phrase");
	int want_s = st->host->rule_enabled(sink, "sentence-openings");
	c.want_o = st->host->rule_enabled(sink, "overused-word");
	size_t maxp = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++)
		if (d->paragraphs[i].n_tokens > maxp)
			maxp = d->paragraphs[i].n_tokens;
	if (maxp > d->n_tokens)
		maxp = d->n_tokens;
	if (grow(&c.used, &c.used_cap, maxp / 8 + 1, 1) ||
	    grow(&c.ids, &c.ids_cap, (maxp < CHUNK ? maxp : CHUNK) + LOOKAHEAD + 1, sizeof *c.ids) ||
	    grow(&c.hit, &c.hit_cap, (maxp < CHUNK ? maxp : CHUNK) + LOOKAHEAD + 1, 1) ||
	    (c.want_o && grow(&c.ring, &c.ring_cap, pow2_ge((size_t)st->over_window), sizeof *c.ring))) {
		rc = NL_ENOMEM;
		goto out;
	}
	unsigned char *used = c.used;
	c.ring_mask = (uint32_t)pow2_ge((size_t)st->over_window) - 1;
	size_t cursor = 0; /* tokens before it have been counted for overused-word */
	size_t span = 2 * (size_t)st->phrase_max;
	for (size_t i = 0; i < d->n_paragraphs && !rc && (want_w || want_p || c.want_o); i++) {
		const nl_paragraph *pa = &d->paragraphs[i];
		size_t a = pa->first_token, b = a + pa->n_tokens;
		if (b > d->n_tokens)
			b = d->n_tokens;
		if (c.want_o)
			for (; cursor < a; cursor++)
				over_feed(&c, cursor, NOID);
		if (a >= b)
			continue;
		memset(used, 0, (b - a) / 8 + 1);
		size_t wi = a, pi = a;
		for (size_t base = a; base < b && !rc;) {
			size_t cend = b - base > CHUNK ? base + CHUNK : b;
			fill_ids(&c, base, cend + LOOKAHEAD < b ? cend + LOOKAHEAD : b);
			if (c.want_o) {
				for (size_t k = cursor > base ? cursor : base; k < cend; k++)
					over_feed(&c, k, c.ids[k - base]);
				if (cursor < cend)
					cursor = cend;
			}
			if (want_w)
				rc = check_words(&c, a, b, &wi, cend, used);
			/* a phrase double may only be judged once every word double
			   it could overlap is known */
			size_t pstop = cend == b ? b : cend > a + span ? cend - span : a;
			if (!rc && want_p)
				rc = check_phrases(&c, a, b, &pi, pstop, used);
			base = cend;
		}
		c.fn = 0;
	}
	if (!rc && c.want_o)
		for (; cursor < d->n_tokens; cursor++)
			over_feed(&c, cursor, NOID);
	if (!rc && c.oom)
		rc = NL_ENOMEM;
	if (!rc && want_s)
		rc = check_openings(&c);
	if (!rc && c.want_o)
		rc = report_clusters(&c);
out:
	if (c.numbered) {   /* the scratch's own forms back */
		c.voff = c.own_voff;
		c.arena = c.own_arena;
	}
	ctx_give_back(&c, sc);
	if (sc == &own || scratch_bytes(sc) > SCRATCH_KEEP) {
		/* a long text's buffers are not kept: they would add to the
		   peak while the other plugins check it */
		uint32_t gen = sc->gen;
		scratch_free_fields(sc);
		memset(sc, 0, sizeof *sc);
		sc->gen = gen;
	}
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

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_repetition = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE | NL_PLUGIN_WORD_NUMBERS,
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
