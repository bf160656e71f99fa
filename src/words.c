/* words.c -- a document's words as numbers (see words.h).
 *
 * The forms are found in an open-addressing table that belongs to the
 * thread and is reused from one document to the next: a slot counts only
 * when its stamp is the document's, so nothing is cleared, and the part of
 * the table a document uses (twice its forms, at most) stays in the CPU's
 * nearest caches.  It is the plugins' word table (wordkey.h: wk_vent,
 * wk_vt_find): a form of 1..7 bytes is its own slot key, a longer one is
 * found by a hash with the top bit set and compared with its bytes.  An
 * ASCII token of up to 16 bytes is folded eight bytes at a time. */
#include <stdlib.h>
#include <string.h>

#include "wordkey.h"
#include "words.h"

struct nl_words {
	wk_vent *vt;             /* the table (wordkey.h), as the plugins' own */
	size_t alloc;            /* slots allocated */
	size_t cap;              /* slots the document uses (a power of two) */
	uint32_t gen;            /* the stamp of the document being numbered */
	char *buf;               /* a token folded by nl_fold */
	size_t bufcap;
	uint32_t *poss;          /* forms with a possessive ending, to strip */
	size_t nposs, capposs;
};

nl_words *nl_words_new(void)
{
	return calloc(1, sizeof(nl_words));
}

void nl_words_free(nl_words *w)
{
	if (!w)
		return;
	free(w->vt);
	free(w->buf);
	free(w->poss);
	free(w);
}

void nl_doc_words_free(nl_doc_words *w)
{
	if (!w)
		return;
	free(w->ids);
	free(w->forms);
	free(w->off);
	free(w->len);
	free(w->base);
	free(w->index);
	free(w);
}

/* hash of a form of more than 16 bytes (its k0 for wk_vt_find) */
static uint64_t hash_long(const char *s, size_t n)
{
	uint64_t h = 0x243F6A8885A308D3ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		h = (h ^ x) * 0x9E3779B97F4A7C15ull;
		h ^= h >> 29;
	}
	uint64_t x = 0;
	memcpy(&x, s + i, n - i);
	h = (h ^ x) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 32);
}

/* The keys of form s[0..n) as wk_vt_find() takes them: its bytes, or for
 * a longer form its hash and 0. */
static inline void keys_of(const char *s, size_t n, uint64_t *k0, uint64_t *k1)
{
	if (n <= 16) {
		wk_key16(s, n, k0, k1);
	} else {
		*k0 = hash_long(s, n);
		*k1 = 0;
	}
}

/* Room for one more form of n bytes (the table, the per-number arrays, the
 * forms): 0, or -1 when out of memory. */
static __attribute__((noinline)) int make_room(nl_words *w, nl_doc_words *d, size_t n)
{
	if ((d->n + 1) * 2 > w->cap && wk_vt_grow(&w->vt, &w->alloc, &w->cap, w->gen))
		return -1;
	size_t c = d->cap;
	if (wk_grow(&d->off, &c, d->n + 2, sizeof *d->off, 256) ||
	    (c = d->cap, wk_grow(&d->len, &c, d->n + 2, sizeof *d->len, 256)) ||
	    (c = d->cap, wk_grow(&d->base, &c, d->n + 2, sizeof *d->base, 256)))
		return -1;
	d->cap = c;
	if (d->flen + n + 1 + 16 > UINT32_MAX || wk_grow(&d->forms, &d->fcap, d->flen + n + 1 + 16, 1, 4096))
		return -1;
	return 0;
}

/* A possessive form ("ukraine's", "voters'") to strip once the tokens are
 * numbered; 0 or -1. */
static __attribute__((noinline)) int note_possessive(nl_words *w, uint32_t id)
{
	if (wk_grow(&w->poss, &w->capposs, w->nposs + 1, sizeof *w->poss, 64))
		return -1;
	w->poss[w->nposs++] = id;
	return 0;
}

/* Number the new form s[0..n) (keys k0, k1 as wk_vt_find() takes them; key
 * and slot as it returned them); UINT32_MAX when out of memory.  A form of
 * up to 16 bytes is copied from its keys (s is not read). */
static inline __attribute__((always_inline)) uint32_t add(nl_words *w, nl_doc_words *d, uint64_t key, uint64_t k0,
							  uint64_t k1, const char *s, size_t n, size_t slot)
{
	if ((d->n + 1) * 2 > w->cap || d->n + 2 > d->cap || d->flen + n + 1 + 16 > d->fcap) {
		const size_t cap = w->cap;
		if (make_room(w, d, n))
			return UINT32_MAX;
		if (w->cap != cap) {   /* the table grew: the form's free slot in it */
			slot = wk_slot(key, w->cap - 1);
			while (w->vt[slot].stamp == w->gen)
				slot = (slot + 1) & (w->cap - 1);
		}
	}
	char *a = d->forms + d->flen;
	if (n <= 16) {   /* 16 bytes of slack follow */
		memcpy(a, &k0, 8);
		memcpy(a + 8, &k1, 8);
	} else {
		memcpy(a, s, n);
	}
	a[n] = '\0';
	const uint32_t id = (uint32_t)d->n++;
	d->off[id] = (uint32_t)d->flen;
	d->len[id] = (uint32_t)n;
	d->flen += n + 1;
	d->off[id + 1] = (uint32_t)d->flen;
	d->base[id] = NL_NO_WORD;
	w->vt[slot] = (wk_vent){ .key = key, .stamp = w->gen, .id = id };
	if (((n > 2 && a[n - 2] == '\'' && a[n - 1] == 's') || (n > 1 && a[n - 1] == '\'')) &&
	    note_possessive(w, id))
		return UINT32_MAX;
	return id;
}

/* The number of the form s[0..n) with keys k0, k1, added when new;
 * UINT32_MAX when out of memory. */
static inline __attribute__((always_inline)) uint32_t number(nl_words *w, nl_doc_words *d, const char *s, size_t n,
							     uint64_t k0, uint64_t k1)
{
	uint64_t key;
	size_t slot = 0;
	uint32_t id = wk_vt_find(w->vt, w->cap - 1, w->gen, k0, k1, n, s, d->forms, d->off, d->len, &key, &slot);
	return id != UINT32_MAX ? id : add(w, d, key, k0, k1, s, n, slot);
}

static __attribute__((noinline)) uint32_t intern(nl_words *w, nl_doc_words *d, const char *s, size_t n)
{
	uint64_t k0, k1;
	keys_of(s, n, &k0, &k1);
	return number(w, d, s, n, k0, k1);
}

/* The number of token t's folded form, UINT32_MAX when out of memory.  An
 * ASCII word of up to 16 bytes is folded here, eight bytes at a time (as
 * nl_fold folds ASCII: A-Z only), without a copy. */
static inline uint32_t number_token(nl_words *w, nl_doc_words *d, const char *text, size_t text_len,
				    const nl_token *t)
{
	const char *s = text + t->off;
	const size_t n = t->len;
	if (!WK_BIG_ENDIAN && n - 1 < 7 && text_len - t->off >= 8) {   /* most words */
		uint64_t k0;
		memcpy(&k0, s, 8);
		k0 &= WK_LOW_BYTES(n);
		if (!(k0 & 0x8080808080808080ull)) {
			k0 = wk_lower8(k0);
			uint32_t id = wk_vt_short(w->vt, w->cap - 1, w->gen, k0, n);
			return id != UINT32_MAX ? id : number(w, d, s, n, k0, 0);   /* (s is not read) */
		}
	} else if (!WK_BIG_ENDIAN && n - 1 < 16) {
		uint64_t k0, k1;
		wk_key_at(s, n, text_len - t->off, &k0, &k1);
		if (!((k0 | k1) & 0x8080808080808080ull))
			return number(w, d, s, n, wk_lower8(k0), wk_lower8(k1));   /* (s is not read) */
	}
	size_t m = nl_fold(s, n, w->buf, w->bufcap);
	if (m + 1 > w->bufcap) {
		size_t c = w->bufcap;
		if (wk_grow(&w->buf, &c, m + 1, 1, 256))
			return UINT32_MAX;
		w->bufcap = c;
		m = nl_fold(s, n, w->buf, w->bufcap);
	}
	return intern(w, d, w->buf, m);
}

/* The stripped forms of the possessives (word_base), numbered when new
 * (and stripped in turn); 0 or -1. */
static int number_bases(nl_words *w, nl_doc_words *d)
{
	char b[256], *big = NULL;
	for (size_t i = 0; i < w->nposs; i++) {   /* nposs grows with new stripped possessives */
		const uint32_t id = w->poss[i];
		const char *s = d->forms + d->off[id];
		size_t n = d->len[id];
		size_t m = s[n - 1] == 's' ? n - 2 : n - 1;
		char *t = b;
		if (m > sizeof b) {   /* the forms may move while it is numbered */
			char *nb = realloc(big, m);
			if (!nb) {
				free(big);
				return -1;
			}
			t = big = nb;
		}
		memcpy(t, s, m);
		uint32_t base = intern(w, d, t, m);
		if (base == UINT32_MAX) {
			free(big);
			return -1;
		}
		d->base[id] = base;
	}
	free(big);
	return 0;
}

int nl_words_number(nl_words *w, nl_doc *doc)
{
	if (!w || !doc || doc->n_tokens > NL_WORDS_MAX_TOKENS)
		return 0;
	nl_doc_words *d = calloc(1, sizeof *d);
	if (!d || !(d->ids = malloc((doc->n_tokens ? doc->n_tokens : 1) * sizeof *d->ids)))
		goto oom;
	/* the table: twice the tokens (at most half full: it grows at that),
	 * for a long text a start; a new stamp frees every slot */
	w->cap = 256;
	while (w->cap < 2 * doc->n_tokens && w->cap < 16384)
		w->cap *= 2;
	if (w->alloc < w->cap) {
		free(w->vt);
		w->alloc = 0;
		if (!(w->vt = calloc(w->cap, sizeof *w->vt)))
			goto oom;
		w->alloc = w->cap;
	}
	if (++w->gen == 0) {   /* after 4 G documents the stamps start over */
		for (size_t i = 0; i < w->alloc; i++)
			w->vt[i].stamp = 0;
		w->gen = 1;
	}
	if (make_room(w, d, 0))   /* off[0] and forms: never NULL, even with no words */
		goto oom;
	d->off[0] = 0;
	w->nposs = 0;
	for (size_t i = 0; i < doc->n_tokens; i++) {
		const nl_token *t = &doc->tokens[i];
		uint32_t id = NL_NO_WORD;
		if (t->kind == NL_TOK_WORD &&
		    (id = number_token(w, d, doc->text, doc->text_len, t)) == UINT32_MAX)
			goto oom;
		d->ids[i] = id;
	}
	if (number_bases(w, d))
		goto oom;
	nl_doc_set_words(doc, d);
	return 0;
oom:
	nl_doc_words_free(d);
	return NL_ENOMEM;
}

uint32_t nl_words_find(const nl_doc *doc, const char *s, size_t n)
{
	nl_doc_words *d = nl_doc_get_words(doc);
	if (!d || !n || !s || memchr(s, 0, n))
		return NL_NO_WORD;   /* no form is empty or holds a NUL */
	if (!d->index) {   /* the first look-up in this document: make its table */
		size_t cap = 16;
		while (cap < 2 * d->n)
			cap *= 2;
		uint32_t *t = malloc(cap * sizeof *t);
		if (!t)
			return NL_NO_WORD;
		for (size_t i = 0; i < cap; i++)
			t[i] = NL_NO_WORD;
		for (uint32_t id = 0; id < d->n; id++) {
			size_t j = wk_slot(hash_long(d->forms + d->off[id], d->len[id]), cap - 1);
			while (t[j] != NL_NO_WORD)
				j = (j + 1) & (cap - 1);
			t[j] = id;
		}
		d->index = t;
		d->index_cap = cap;
	}
	const size_t mask = d->index_cap - 1;
	for (size_t j = wk_slot(hash_long(s, n), mask); d->index[j] != NL_NO_WORD; j = (j + 1) & mask) {
		const uint32_t id = d->index[j];
		if (d->len[id] == n && memcmp(d->forms + d->off[id], s, n) == 0)
			return id;
	}
	return NL_NO_WORD;
}
