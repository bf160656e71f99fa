/* wordkey.h -- folded words of up to 16 bytes as two 64-bit keys, and a
 * small set of such words (stop words, function words) and the slots of a
 * thread's stamped word table (wk_vent, wk_vt_find, wk_vt_grow), shared by
 * the core's word numbers (words.c) and the repetition and keyword-stuffing
 * plugins' own tables; and wk_all_az(), spelling's.  Plugins cannot link
 * the core or each other, so everything here is static inline (and not
 * installed: it is no part of the plugin ABI).
 *
 * A word of n <= 16 bytes is its own key: its bytes in k0 (the first 8) and
 * k1 (the rest), zero-padded, compared together with n.  A word of up to 8
 * bytes is k0 alone (never 0 for n >= 1), so a set of those needs no length.
 */
#ifndef NEWSLINT_WORDKEY_H
#define NEWSLINT_WORDKEY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WK_BIG_ENDIAN 1
#define WK_LOW_BYTES(n) (~0ull << (64 - 8 * (n)))  /* the first n bytes of a word */
#else
#define WK_BIG_ENDIAN 0
#define WK_LOW_BYTES(n) (~0ull >> (64 - 8 * (n)))
#endif

/* Grow array *pp (of *cap elements of size sz, contents kept) to hold n,
 * doubling from first (a power of two).  0, or -1 without memory. */
static inline int wk_grow(void *pp, size_t *cap, size_t n, size_t sz, size_t first)
{
	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : first;
	while (c < n)
		c *= 2;
	void *v = realloc(*(void **)pp, c * sz);
	if (!v)
		return -1;
	*(void **)pp = v;
	*cap = c;
	return 0;
}

/* Keep the first n (0..16) bytes of k0, k1. */
static inline void wk_trim(uint64_t *k0, uint64_t *k1, size_t n)
{
	if (n < 8) {
		*k0 &= n ? WK_LOW_BYTES(n) : 0;
		*k1 = 0;
	} else if (n == 8) {
		*k1 = 0;
	} else if (n < 16) {
		*k1 &= WK_LOW_BYTES(n - 8);
	}
}

/* The key of folded word s[0..n), n <= 16. */
static inline void wk_key16(const char *s, size_t n, uint64_t *k0, uint64_t *k1)
{
	char tmp[16] = {0};
	memcpy(tmp, s, n);
	memcpy(k0, tmp, 8);
	memcpy(k1, tmp + 8, 8);
}

/* wk_key16() of s[0..n), n <= 16, of which avail bytes may be read: with
 * 16 readable, two loads and masks (no bytes copied through the stack,
 * whose loads would have to wait for them). */
static inline void wk_key_at(const char *s, size_t n, size_t avail, uint64_t *k0, uint64_t *k1)
{
	if (avail >= 16) {
		memcpy(k0, s, 8);
		memcpy(k1, s + 8, 8);
		wk_trim(k0, k1, n);
	} else {
		wk_key16(s, n, k0, k1);
	}
}

/* A-Z to a-z in the eight ASCII bytes of w. */
static inline uint64_t wk_lower8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t ge_a = w + (0x80 - 'A') * ones;      /* high bit: byte >= 'A' */
	uint64_t gt_z = w + (0x80 - 'Z' - 1) * ones;  /* high bit: byte > 'Z' */
	return w | ((ge_a & ~gt_z & high) >> 2);
}

/* A byte folded as attribution's prefilter folds it: A-Z to a-z, 0-9 to
 * '0', \t .. \r to a space, every other byte as it is. */
static inline unsigned char wk_fold1(unsigned ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return (unsigned char)(ch | 0x20);
	if (ch >= 9 && ch <= 13)
		return ' ';
	if (ch >= '0' && ch <= '9')
		return '0';
	return (unsigned char)ch;
}

/* wk_fold1() of each of the eight bytes of w (any byte order). */
static inline uint64_t wk_fold8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	const uint64_t v = w & ~high, ascii = ~w & high;   /* no carry from byte to byte */
#define WK_IN(lo, hi) ((v + (0x80 - (lo)) * ones) & ~(v + (0x80 - (hi) - 1) * ones) & ascii)
	const uint64_t up = WK_IN('A', 'Z'), dig = WK_IN('0', '9'), ws = WK_IN(9, 13);
#undef WK_IN
	const uint64_t md = (dig >> 7) * 0xFF, mw = (ws >> 7) * 0xFF;   /* whole bytes */
	w |= up >> 2;                                                   /* + 0x20 */
	return (w & ~(md | mw)) | (md & ('0' * ones)) | (mw & (' ' * ones));
}

/* The bytes of w that are a-z, as their high bits (any byte order). */
static inline uint64_t wk_az8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	const uint64_t v = w & ~high;                      /* no carry from byte to byte */
	const uint64_t ge_a = v + (0x80 - 'a') * ones;     /* high bit: v >= 'a' */
	const uint64_t gt_z = v + (0x80 - 'z' - 1) * ones; /* high bit: v > 'z' */
	return ge_a & ~gt_z & ~w & high;
}

/* Is every byte of s[0..n), n >= 1, a-z?  avail: bytes readable from s
 * (with 16, a word of up to 16 bytes is two loads). */
static inline int wk_all_az(const char *s, size_t n, size_t avail)
{
	if (n <= 16 && avail >= 16) {
		uint64_t k0, k1;
		memcpy(&k0, s, 8);
		memcpy(&k1, s + 8, 8);
		const uint64_t high = 0x8080808080808080ull;
		const uint64_t m0 = n >= 8 ? high : high & WK_LOW_BYTES(n);
		const uint64_t m1 = n <= 8 ? 0 : n == 16 ? high : high & WK_LOW_BYTES(n - 8);
		return (wk_az8(k0) & m0) == m0 && (wk_az8(k1) & m1) == m1;
	}
	size_t i = 0;
	while (i < n && s[i] >= 'a' && s[i] <= 'z')
		i++;
	return i == n;
}

/* Hash of a key of n bytes. */
static inline uint64_t wk_hash(uint64_t k0, uint64_t k1, size_t n)
{
	uint64_t h = (k0 ^ (uint64_t)n) * 0xBF58476D1CE4E5B9ull;
	h ^= k1 * 0x94D049BB133111EBull;
	h ^= h >> 31;
	h *= 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

/* Slot of a key of up to 8 bytes in a table of mask + 1 slots. */
static inline size_t wk_slot(uint64_t key, size_t mask)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (h >> 32)) & mask;
}

/* A slot of a thread's word table, kept from one check to the next: valid
 * only when stamp is the check's generation, so nothing is cleared. */
typedef struct wk_vent {
	uint64_t key;         /* a word of 1..7 bytes: its bytes; else a hash, top bit set */
	uint32_t stamp;       /* generation of the check that filled the slot */
	uint32_t id;          /* the document's word id */
} wk_vent;

/* The probe of a word table (repetition's and keyword-stuffing's): the id
 * of the folded word with key k0, k1 (wk_key16) of n bytes (w: its bytes,
 * needed when n > 16) in table vt of mask + 1 slots at generation gen,
 * the words of the ids being arena + voff[id] (with 16 readable bytes
 * after each) of vlen[id] bytes.  Else UINT32_MAX, with *key the word's
 * slot key and *slot the free slot where it goes.  A word of 1..7 bytes is
 * its own slot key (its eighth byte is 0); a longer one is found by a hash
 * with the top bit set and compared with its bytes. */
static inline uint32_t wk_vt_find(const wk_vent *vt, size_t mask, uint32_t gen, uint64_t k0, uint64_t k1,
				  size_t n, const char *w, const char *arena, const uint32_t *voff,
				  const uint32_t *vlen, uint64_t *key, size_t *slot)
{
	int exact = n - 1 < 7 && !(k0 >> 63);
	*key = exact ? k0 : wk_hash(k0, k1, n) | 1ull << 63;
	size_t j = wk_slot(*key, mask);
	for (;; j = (j + 1) & mask) {
		const wk_vent *e = &vt[j];
		if (e->stamp != gen)
			break;
		if (e->key != *key)
			continue;
		if (exact)
			return e->id;
		if (vlen[e->id] != n)
			continue;
		const char *a = arena + voff[e->id];
		if (n <= 16) {   /* compare the keys */
			uint64_t a0, a1;
			memcpy(&a0, a, 8);
			memcpy(&a1, a + 8, 8);
			wk_trim(&a0, &a1, n);
			if (a0 == k0 && a1 == k1)
				return e->id;
		} else if (memcmp(a, w, n) == 0) {
			return e->id;
		}
	}
	*slot = j;
	return UINT32_MAX;
}

/* wk_vt_find()'s common case, inlined where a word is looked up: a word of
 * 1..7 bytes already in the table.  UINT32_MAX: ask wk_vt_find(). */
static inline __attribute__((always_inline)) uint32_t wk_vt_short(const wk_vent *vt, size_t mask, uint32_t gen,
								   uint64_t k0, size_t n)
{
	if (n - 1 < 7 && !(k0 >> 63)) {
		for (size_t j = wk_slot(k0, mask);; j = (j + 1) & mask) {
			const wk_vent *e = &vt[j];
			if (e->stamp != gen)
				break;
			if (e->key == k0)
				return e->id;
		}
	}
	return UINT32_MAX;
}

/* Double the slots a check uses (*cap, of *alloc allocated) of table *vt,
 * keeping the entries of generation gen.  0, or -1 without memory. */
static inline int wk_vt_grow(wk_vent **vt, size_t *alloc, size_t *cap, uint32_t gen)
{
	size_t nc = *cap * 2, na = nc > *alloc ? nc : *alloc;
	wk_vent *v = calloc(na, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < *cap; i++) {
		const wk_vent *e = &(*vt)[i];
		if (e->stamp != gen)
			continue;
		size_t j = wk_slot(e->key, nc - 1);
		while (v[j].stamp == gen)
			j = (j + 1) & (nc - 1);
		v[j] = *e;
	}
	free(*vt);
	*vt = v;
	*alloc = na;
	*cap = nc;
	return 0;
}

/* 12-bit signature of a word (length, first and last byte): a cheap
   "certainly not in the set" before any probe. */
static inline unsigned wk_sig(const char *w, size_t n)
{
	return ((unsigned)n * 977u + (unsigned char)w[0] * 31u + (unsigned char)w[n - 1]) & 4095u;
}

/* A set of words of 1..16 bytes. */
typedef struct wk_set {
	struct wk_key { uint64_t k0, k1; uint32_t len, pad; } *keys; /* 1..16 bytes */
	size_t keys_cap;
	uint64_t *shorts; size_t shorts_cap;   /* 1..8 bytes: k0 alone, 0 = empty */
	uint64_t sig[64];                      /* a bit per wk_sig of a member */
} wk_set;

/* Room for n words (open addressing, at most a quarter/half full). */
static inline int wk_set_init(wk_set *s, size_t n)
{
	memset(s, 0, sizeof *s);
	size_t cap = 16, scap = 16;
	while (cap < 4 * n)
		cap *= 2;
	while (scap < 2 * n)
		scap *= 2;
	s->keys = calloc(cap, sizeof *s->keys);
	s->shorts = calloc(scap, sizeof *s->shorts);
	if (!s->keys || !s->shorts) {
		free(s->keys);
		free(s->shorts);
		memset(s, 0, sizeof *s);
		return -1;
	}
	s->keys_cap = cap;
	s->shorts_cap = scap;
	return 0;
}

static inline void wk_set_free(wk_set *s)
{
	free(s->keys);
	free(s->shorts);
	memset(s, 0, sizeof *s);
}

/* Add folded word w[0..n), 1 <= n <= 16, to a set made for enough words. */
static inline void wk_set_add(wk_set *s, const char *w, size_t n)
{
	uint64_t k0, k1;
	wk_key16(w, n, &k0, &k1);
	if (n <= 8) {
		size_t j = wk_slot(k0, s->shorts_cap - 1);
		while (s->shorts[j])
			j = (j + 1) & (s->shorts_cap - 1);
		s->shorts[j] = k0;
	}
	size_t j = wk_hash(k0, k1, n) & (s->keys_cap - 1);
	while (s->keys[j].len)
		j = (j + 1) & (s->keys_cap - 1);
	s->keys[j] = (struct wk_key){ .k0 = k0, .k1 = k1, .len = (uint32_t)n };
	unsigned sig = wk_sig(w, n);
	s->sig[sig >> 6] |= 1ull << (sig & 63);
}

/* Could folded word w[0..n), 1 <= n <= 16, be in the set?  (0: surely not.) */
static inline int wk_set_maybe(const wk_set *s, const char *w, size_t n)
{
	unsigned sig = wk_sig(w, n);
	return (s->sig[sig >> 6] & (1ull << (sig & 63))) != 0;
}

/* Is folded word w[0..n), 1 <= n <= 16, with key k0, k1, in the set? */
static inline int wk_set_has(const wk_set *s, const char *w, size_t n, uint64_t k0, uint64_t k1)
{
	if (!wk_set_maybe(s, w, n))
		return 0;
	if (n <= 8) {
		size_t mask = s->shorts_cap - 1;
		for (size_t j = wk_slot(k0, mask); s->shorts[j]; j = (j + 1) & mask)
			if (s->shorts[j] == k0)
				return 1;
		return 0;
	}
	size_t mask = s->keys_cap - 1;
	for (size_t j = wk_hash(k0, k1, n) & mask; s->keys[j].len; j = (j + 1) & mask)
		if (s->keys[j].k0 == k0 && s->keys[j].k1 == k1 && s->keys[j].len == n)
			return 1;
	return 0;
}

/* Past the whole 8-byte blocks of ASCII from s[i] on (s: n bytes): the
 * first index from i whose block holds a byte >= 0x80, or that has fewer
 * than 8 bytes left.  The byte there may itself be ASCII. */
static inline size_t wk_skip_ascii8(const unsigned char *s, size_t i, size_t n)
{
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	return i;
}

/* Does s[0..n) hold U+017F or U+212A?  A caseless PCRE2 s or k also
 * matches them (LATIN SMALL LETTER LONG S, KELVIN SIGN): a prefilter that
 * knows only ASCII letters must step aside for such a text.  ASCII runs
 * are skipped eight bytes at a time. */
static inline int wk_has_long_s_kelvin(const unsigned char *s, size_t n)
{
	for (size_t i = 0; (i = wk_skip_ascii8(s, i, n)) + 1 < n; i++) {
		if (s[i] == 0xC5 && s[i + 1] == 0xBF)
			return 1;
		if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x84 && s[i + 2] == 0xAA)
			return 1;
	}
	return 0;
}

#endif
