/* words.c -- a document's words as numbers (see words.h).
 *
 * The forms are found in an open-addressing table that belongs to the
 * thread and is reused from one document to the next: a slot counts only
 * when its stamp is the document's, so nothing is cleared, and the part of
 * the table a document uses (twice its forms, at most) stays in the CPU's
 * nearest caches.  A form of 1..7 bytes is its own slot key (its eighth
 * byte is 0); a longer one is found by a hash with the top bit set and
 * compared with its bytes.  An ASCII token of up to 16 bytes is folded
 * eight bytes at a time, without a copy. */
#include <stdlib.h>
#include <string.h>

#include "words.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LOW_BYTES(n) (~0ull << (64 - 8 * (n)))   /* the first n (1..7) bytes of a word */
#define WORDS_SWAR 0
#else
#define LOW_BYTES(n) (~0ull >> (64 - 8 * (n)))
#define WORDS_SWAR 1
#endif
#define TOP (1ull << 63)

typedef struct wslot {
	uint64_t key;      /* the form (1..7 bytes) or its hash | TOP */
	uint32_t stamp;    /* the document it belongs to */
	uint32_t id;       /* its number */
} wslot;

struct nl_words {
	wslot *slot;
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
	free(w->slot);
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
	free(w->base);
	free(w->index);
	free(w);
}

/* Keep the first n (0..16) bytes of k0, k1. */
static inline void trim16(uint64_t *k0, uint64_t *k1, size_t n)
{
	if (n < 8) {
		*k0 &= n ? LOW_BYTES(n) : 0;
		*k1 = 0;
	} else if (n == 8) {
		*k1 = 0;
	} else if (n < 16) {
		*k1 &= LOW_BYTES(n - 8);
	}
}

static inline uint64_t hash16(uint64_t k0, uint64_t k1, size_t n)
{
	uint64_t h = (k0 ^ (uint64_t)n) * 0xBF58476D1CE4E5B9ull;
	h ^= k1 * 0x94D049BB133111EBull;
	h ^= h >> 31;
	h *= 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

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

static inline size_t slot_of(uint64_t key, size_t mask)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (h >> 32)) & mask;
}

/* The slot key of a form of n bytes: k0, k1 its first 16 (zero-padded),
 * s its bytes (read when n > 16). */
static inline uint64_t key_of(uint64_t k0, uint64_t k1, const char *s, size_t n)
{
	if (n - 1 < 7)
		return k0;
	return (n <= 16 ? hash16(k0, k1, n) : hash_long(s, n)) | TOP;
}

/* The number of the form (key, k0, k1, s, n as key_of() takes them), or
 * UINT32_MAX with *at the free slot where it goes. */
static inline uint32_t find(const nl_words *w, const nl_doc_words *d, uint64_t key, uint64_t k0, uint64_t k1,
			    const char *s, size_t n, size_t *at)
{
	const size_t mask = w->cap - 1;
	for (size_t j = slot_of(key, mask);; j = (j + 1) & mask) {
		const wslot *e = &w->slot[j];
		if (e->stamp != w->gen) {
			*at = j;
			return UINT32_MAX;
		}
		if (e->key != key)
			continue;
		if (!(key & TOP))
			return e->id;
		const uint32_t id = e->id;
		if (d->off[id + 1] - d->off[id] - 1 != n)
			continue;
		const char *a = d->forms + d->off[id];
		if (n <= 16) {
			uint64_t a0, a1;
			memcpy(&a0, a, 8);
			memcpy(&a1, a + 8, 8);
			trim16(&a0, &a1, n);
			if (a0 == k0 && a1 == k1)
				return id;
		} else if (memcmp(a, s, n) == 0) {
			return id;
		}
	}
}

/* A new stamp: every slot free. */
static void restamp(nl_words *w)
{
	if (++w->gen == 0) {   /* after 4 G documents the stamps start over */
		for (size_t i = 0; i < w->alloc; i++)
			w->slot[i].stamp = 0;
		w->gen = 1;
	}
}

/* Use cap slots (a power of two), all free. */
static int use_slots(nl_words *w, size_t cap)
{
	if (cap > w->alloc) {
		wslot *t = realloc(w->slot, cap * sizeof *t);
		if (!t)
			return -1;
		memset(t + w->alloc, 0, (cap - w->alloc) * sizeof *t);
		w->slot = t;
		w->alloc = cap;
	}
	w->cap = cap;
	restamp(w);
	return 0;
}

/* The keys of form s[0..n). */
static inline void keys_of(const char *s, size_t n, uint64_t *key, uint64_t *k0, uint64_t *k1)
{
	char t[16] = { 0 };
	memcpy(t, s, n < 16 ? n : 16);
	memcpy(k0, t, 8);
	memcpy(k1, t + 8, 8);
	*key = key_of(*k0, *k1, s, n);
}

/* Twice the slots, d's forms put back. */
static int grow_slots(nl_words *w, const nl_doc_words *d)
{
	if (use_slots(w, w->cap * 2))
		return -1;
	for (uint32_t id = 0; id < d->n; id++) {
		const char *s = d->forms + d->off[id];
		size_t n = d->off[id + 1] - d->off[id] - 1, at = 0;
		uint64_t key, k0, k1;
		keys_of(s, n, &key, &k0, &k1);
		find(w, d, key, k0, k1, s, n, &at);
		w->slot[at] = (wslot){ key, w->gen, id };
	}
	return 0;
}

/* Room for one more form of n bytes: 0, or -1 when out of memory (*at
 * is its slot again when the table grew). */
static __attribute__((noinline)) int make_room(nl_words *w, nl_doc_words *d, uint64_t key, uint64_t k0, uint64_t k1,
					       const char *s, size_t n, size_t *at)
{
	if ((d->n + 1) * 2 > w->cap) {
		if (grow_slots(w, d))
			return -1;
		find(w, d, key, k0, k1, s, n, at);
	}
	if (d->n + 2 > d->cap) {
		size_t c = d->cap * 2;
		uint32_t *o = realloc(d->off, c * sizeof *o);
		if (o)
			d->off = o;
		uint32_t *b = realloc(d->base, c * sizeof *b);
		if (b)
			d->base = b;
		if (!o || !b)
			return -1;
		d->cap = c;
	}
	if (d->flen + n + 1 + 16 > d->fcap) {
		size_t c = d->fcap ? d->fcap * 2 : 4096;
		while (c < d->flen + n + 1 + 16)
			c *= 2;
		if (c > UINT32_MAX)
			return -1;
		char *f = realloc(d->forms, c);
		if (!f)
			return -1;
		d->forms = f;
		d->fcap = c;
	}
	return 0;
}

/* A possessive form ("ukraine's", "voters'") to strip once the tokens are
 * numbered; 0 or -1. */
static __attribute__((noinline)) int note_possessive(nl_words *w, uint32_t id)
{
	if (w->nposs == w->capposs) {
		size_t c = w->capposs ? w->capposs * 2 : 64;
		uint32_t *p = realloc(w->poss, c * sizeof *p);
		if (!p)
			return -1;
		w->poss = p;
		w->capposs = c;
	}
	w->poss[w->nposs++] = id;
	return 0;
}

/* Number the new form s[0..n) (keys as find() takes them), whose slot
 * would be at; UINT32_MAX when out of memory. */
static inline __attribute__((always_inline)) uint32_t add(nl_words *w, nl_doc_words *d, uint64_t key, uint64_t k0, uint64_t k1, const char *s,
			   size_t n, size_t at)
{
	if (((d->n + 1) * 2 > w->cap || d->n + 2 > d->cap || d->flen + n + 1 + 16 > d->fcap) &&
	    make_room(w, d, key, k0, k1, s, n, &at))
		return UINT32_MAX;
	char *a = d->forms + d->flen;
	if (n <= 16) {   /* the keys hold the bytes; 16 bytes of slack follow */
		memcpy(a, &k0, 8);
		memcpy(a + 8, &k1, 8);
	} else {
		memcpy(a, s, n);
	}
	a[n] = '\0';
	d->flen += n + 1;
	const uint32_t id = (uint32_t)d->n++;
	d->off[id + 1] = (uint32_t)d->flen;
	d->base[id] = NL_NO_WORD;
	w->slot[at] = (wslot){ key, w->gen, id };
	if (((n > 2 && a[n - 2] == '\'' && a[n - 1] == 's') || (n > 1 && a[n - 1] == '\'')) &&
	    note_possessive(w, id))
		return UINT32_MAX;
	return id;
}

/* The number of form s[0..n), added when new; UINT32_MAX: no memory. */
static __attribute__((noinline)) uint32_t intern(nl_words *w, nl_doc_words *d, const char *s, size_t n)
{
	uint64_t key, k0, k1;
	size_t at = 0;
	keys_of(s, n, &key, &k0, &k1);
	uint32_t id = find(w, d, key, k0, k1, s, n, &at);
	return id != UINT32_MAX ? id : add(w, d, key, k0, k1, s, n, at);
}

/* ASCII x (no byte with its high bit) folded as nl_fold folds ASCII: A-Z
 * to a-z, the rest kept. */
static inline uint64_t lower8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t up = (x + (0x80 - 'A') * ones) & ~(x + (0x80 - 'Z' - 1) * ones) & 0x8080808080808080ull;
	return x | up >> 2;   /* + 0x20 */
}

/* The number of token t's folded form, UINT32_MAX when out of memory. */
static inline uint32_t number_token(nl_words *w, nl_doc_words *d, const char *text, size_t text_len,
				    const nl_token *t)
{
	const char *s = text + t->off;
	const size_t n = t->len;
#if WORDS_SWAR
	if (n - 1 < 7 && text_len - t->off >= 8) {   /* most words: the key is the form */
		uint64_t k0;
		memcpy(&k0, s, 8);
		k0 &= LOW_BYTES(n);
		if (!(k0 & 0x8080808080808080ull)) {
			k0 = lower8(k0);
			const size_t mask = w->cap - 1;
			for (size_t j = slot_of(k0, mask);; j = (j + 1) & mask) {
				const wslot *e = &w->slot[j];
				if (e->stamp != w->gen)
					return add(w, d, k0, k0, 0, s, n, j);
				if (e->key == k0)
					return e->id;
			}
		}
	} else if (n - 1 < 16 && text_len - t->off >= 16) {
		uint64_t k0, k1;
		memcpy(&k0, s, 8);
		memcpy(&k1, s + 8, 8);
		trim16(&k0, &k1, n);
		if (!((k0 | k1) & 0x8080808080808080ull)) {
			k0 = lower8(k0);
			k1 = lower8(k1);
			/* (s, the unfolded bytes, is not read: n <= 16) */
			size_t at = 0;
			const uint64_t key = key_of(k0, k1, s, n);
			uint32_t id = find(w, d, key, k0, k1, s, n, &at);
			return id != UINT32_MAX ? id : add(w, d, key, k0, k1, s, n, at);
		}
	}
#endif
	size_t m = nl_fold(s, n, w->buf, w->bufcap);
	if (m + 1 > w->bufcap) {
		size_t c = w->bufcap ? w->bufcap : 256;
		while (c < m + 1)
			c *= 2;
		char *b = realloc(w->buf, c);
		if (!b)
			return UINT32_MAX;
		w->buf = b;
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
		size_t n = d->off[id + 1] - d->off[id] - 1;
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
	size_t cap = 256;
	while (cap < 2 * doc->n_tokens && cap < 16384)
		cap *= 2;
	if (!d || !(d->ids = malloc((doc->n_tokens ? doc->n_tokens : 1) * sizeof *d->ids)))
		goto oom;
	d->cap = cap / 2 + 2;
	d->fcap = 4096;   /* (never NULL, even with no words) */
	if (!(d->off = malloc(d->cap * sizeof *d->off)) || !(d->base = malloc(d->cap * sizeof *d->base)) ||
	    !(d->forms = malloc(d->fcap)) || use_slots(w, cap))
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
			uint64_t key, k0, k1;
			keys_of(d->forms + d->off[id], d->off[id + 1] - d->off[id] - 1, &key, &k0, &k1);
			size_t j = slot_of(key, cap - 1);
			while (t[j] != NL_NO_WORD)
				j = (j + 1) & (cap - 1);
			t[j] = id;
		}
		d->index = t;
		d->index_cap = cap;
	}
	uint64_t key, k0, k1;
	keys_of(s, n, &key, &k0, &k1);
	const size_t mask = d->index_cap - 1;
	for (size_t j = slot_of(key, mask); d->index[j] != NL_NO_WORD; j = (j + 1) & mask) {
		const uint32_t id = d->index[j];
		if (d->off[id + 1] - d->off[id] - 1 == n && memcmp(d->forms + d->off[id], s, n) == 0)
			return id;
	}
	return NL_NO_WORD;
}
