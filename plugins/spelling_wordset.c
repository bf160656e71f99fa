/* spelling_wordset.c -- a Hunspell dictionary as a memory-mapped set of
 * word forms (see spelling_wordset.h).
 *
 * Build: every stem of the .dic, with every suffix, prefix and cross
 * product its flags allow (Hunspell's one-level affixes, conditions,
 * strip strings), plus the hidden capitalised forms Hunspell adds for
 * mixed-case and flagged all-caps stems.  Each form keeps how it came
 * (directly / through an affix; normal / only in upper case / doubtful)
 * and its stems (for Hunspell_stem).  The set is written once per
 * dictionary into the cache folder, keyed by the paths, sizes and mtimes
 * of both files and the format version, atomically (temporary file and
 * rename), with a checksum; a file that does not match is rebuilt.
 *
 * Lookup: sw_spell() follows Hunspell 1.7's spell() step by step (input
 * conversion, trailing dots, capitalisation type, numbers, the case
 * variants it tries, the recursive break at BREAK patterns) with a lookup
 * in the set where Hunspell calls checkword().  Whatever the set cannot
 * answer for certain (a character whose case mapping is not in the table
 * below, a word with a digit when the dictionary compounds, a forbidden or
 * only-in-compound form, a form reachable two ways with different
 * outcomes) is SW_UNDECIDED: the caller asks Hunspell.  Dictionaries with
 * features the expansion does not model (two-level affixes, compound
 * flags, KEEPCASE, IGNORE, CHECKSHARPS, FLAG long/num, AF aliases, ...)
 * get no set at all.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1     /* memmem */
#endif
#include "spelling_wordset.h"
#include "wordkey.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SW_FORMAT 6
#define TRI_BITS (1u << 19)       /* the trigram filter: 64 KB */
#define TRI_BYTES (TRI_BITS / 8)
#define QUAD_BITS (1u << 21)      /* the 4-gram filter after it: 256 KB */
#define GRAM_BYTES (TRI_BYTES + QUAD_BITS / 8)
#define PLACE_BYTES (1u << 20)    /* the dictionary's one-edit place filter, after its arena: 1 MB */
#define SW_MAXBYTES 240            /* longer words: undecided */
#define SW_MAXCP 120

/* bits of a form */
enum {
	B_DOK = 1,      /* a dictionary entry as it is */
	B_DUP = 2,      /* an entry only for all-caps input (Hunspell's hidden capitalised word) */
	B_AOK = 4,      /* an affixed form of an entry */
	B_AUP = 8,      /* an affixed form of a hidden entry */
	B_BAD = 16,     /* forbidden, only-in-compound or shadowed: ask Hunspell */
	B_STEM = 32,    /* a stem string of this dictionary */
	B_HSTEM = 64,   /* a hidden capitalised stem */
};

/* ---- hashing ------------------------------------------------------------- */

static uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001B3ull;
	}
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93ull;
	return h ^ (h >> 29);
}

/* ---- build-time table ------------------------------------------------------ */

typedef struct bent {
	uint32_t h, soff, roots, out;
	uint16_t len;
	uint8_t bits;
} bent;

typedef struct rlink {
	uint32_t ent, next;
} rlink;

typedef struct btab {
	bent *e;
	size_t n, cap;
	uint32_t *slot;           /* entry index + 1 */
	size_t scap;
	char *s;
	size_t slen, scap_s;
	rlink *rl;
	size_t nrl, caprl;
	int oom;
} btab;

static void btab_free(btab *t)
{
	free(t->e);
	free(t->slot);
	free(t->s);
	free(t->rl);
	memset(t, 0, sizeof *t);
}

static int btab_grow(btab *t)
{
	size_t nc = t->scap ? t->scap * 2 : 4096;
	uint32_t *ns = calloc(nc, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t k = t->e[i].h & (nc - 1);
		while (ns[k])
			k = (k + 1) & (nc - 1);
		ns[k] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->scap = nc;
	return 0;
}

/* Room for about n entries without growing. */
static void btab_reserve(btab *t, size_t n)
{
	if (n > (1u << 26))
		return;
	while (t->scap < n * 2)
		if (btab_grow(t) < 0)
			return;
	if (t->cap < n) {
		bent *ne = realloc(t->e, n * sizeof *ne);
		if (ne) {
			t->e = ne;
			t->cap = n;
		}
	}
	if (t->scap_s < n * 9) {
		char *ns = realloc(t->s, n * 9);
		if (ns) {
			t->s = ns;
			t->scap_s = n * 9;
		}
	}
}

/* The entry of w, created (bits 0) when absent; -1 on error. */
static long btab_get(btab *t, const char *w, size_t n)
{
	if (n > 255 || t->oom)
		return -1;
	if ((t->n + 1) * 2 > t->scap && btab_grow(t) < 0)
		goto oom;
	uint64_t h64 = hash64(w, n);
	uint32_t h = (uint32_t)h64;
	size_t k = h & (t->scap - 1);
	for (; t->slot[k]; k = (k + 1) & (t->scap - 1)) {
		bent *e = &t->e[t->slot[k] - 1];
		if (e->h == h && e->len == n && memcmp(t->s + e->soff, w, n) == 0)
			return (long)t->slot[k] - 1;
	}
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 4096;
		bent *ne = realloc(t->e, c * sizeof *ne);
		if (!ne)
			goto oom;
		t->e = ne;
		t->cap = c;
	}
	if (t->slen + n > t->scap_s) {
		size_t c = t->scap_s ? t->scap_s * 2 : 65536;
		while (c < t->slen + n)
			c *= 2;
		char *ns = realloc(t->s, c);
		if (!ns)
			goto oom;
		t->s = ns;
		t->scap_s = c;
	}
	memcpy(t->s + t->slen, w, n);
	bent *e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	e->h = h;
	e->soff = (uint32_t)t->slen;
	e->len = (uint16_t)n;
	t->slen += n;
	t->slot[k] = (uint32_t)t->n + 1;
	return (long)t->n++;
oom:
	t->oom = 1;
	return -1;
}

static void btab_root(btab *t, long ent, long root)
{
	if (ent < 0 || root < 0)
		return;
	for (uint32_t r = t->e[ent].roots; r; r = t->rl[r - 1].next)
		if (t->rl[r - 1].ent == (uint32_t)root)
			return;
	if (t->nrl == t->caprl) {
		size_t c = t->caprl ? t->caprl * 2 : 4096;
		rlink *n = realloc(t->rl, c * sizeof *n);
		if (!n) {
			t->oom = 1;
			return;
		}
		t->rl = n;
		t->caprl = c;
	}
	t->rl[t->nrl].ent = (uint32_t)root;
	t->rl[t->nrl].next = t->e[ent].roots;
	t->e[ent].roots = (uint32_t)++t->nrl;
}

/* ---- the serialised table (the cache file's body, or the overlay) --------------
 * slots: nslots pairs (hash, arena offset + 1); a Bloom filter of nslots * 2
 * bytes (most unknown strings are turned away there, in the L2 cache, not
 * by a probe of the 2 MB slot array); arena: entries at 4-byte
 * aligned offsets: bits, len, nroots (u16), roots (u32 arena offsets), bytes. */

typedef struct wtab {
	const uint32_t *slot;
	const uint64_t *bloom;    /* nslots * 16 bits, 3 a form; NULL: none */
	const uint64_t *tri;      /* the trigram filter */
	uint32_t nslots;
	const unsigned char *arena;
	uint32_t alen;
	const uint64_t *place;    /* the one-edit place filter (place_add()); NULL: none */
	size_t place_words;       /* its size, a power of two */
} wtab;

static size_t ent_size(size_t len, size_t nroots)
{
	return (4 + 4 * nroots + len + 3) & ~(size_t)3;
}

/* A blocked Bloom filter: the three bits of a string lie in one 64-byte
 * block (one cache miss a probe).  mask: bits - 1. */
/* The 64-byte block of Bloom filter b (mask: its bits - 1) that hash h
 * sets and probes. */
static inline const uint64_t *bloom_block(const uint64_t *b, uint32_t mask, uint64_t h)
{
	uint64_t x = h * 0x9E3779B97F4A7C15ull;
	return b + (((uint32_t)(x >> 32) & (mask >> 9)) << 3);
}

static void bloom_set(uint64_t *b, uint32_t mask, uint64_t h)
{
	uint64_t x = h * 0x9E3779B97F4A7C15ull;
	uint64_t *blk = (uint64_t *)bloom_block(b, mask, h);
	for (int i = 0; i < 3; i++) {
		uint32_t bit = (uint32_t)(x >> (9 * i)) & 511;
		blk[bit >> 6] |= 1ull << (bit & 63);
	}
}

static int bloom_has(const uint64_t *b, uint32_t mask, uint64_t h)
{
	uint64_t x = h * 0x9E3779B97F4A7C15ull;
	const uint64_t *blk = bloom_block(b, mask, h);
	for (int i = 0; i < 3; i++) {
		uint32_t bit = (uint32_t)(x >> (9 * i)) & 511;
		if (!(blk[bit >> 6] & (1ull << (bit & 63))))
			return 0;
	}
	return 1;
}

/* The n-gram filter: a bit for every byte trigram of every form (with a
 * 0 byte before and after it), then one for every byte 4-gram the same way.
 * A string with an n-gram no form has is no form: most suggestion
 * candidates are turned away by a few probes of these 64 + 256 KB instead
 * of a hash and a Bloom probe (the trigrams alone let through some 350
 * candidates for each word that gets suggestions, almost all no word). */
static uint32_t tri_bit(unsigned a, unsigned b, unsigned c)
{
	uint32_t x = (a << 16) | (b << 8) | c;
	return (uint32_t)((x * 0x9E3779B1u) >> 13);   /* 19 bits */
}

static uint32_t quad_bit(unsigned a, unsigned b, unsigned c, unsigned d)
{
	uint32_t x = (a << 24) | (b << 16) | (c << 8) | d;
	return (uint32_t)((x * 0x9E3779B1u) >> 11);   /* 21 bits */
}

/* The one-edit place filter: for every form that is ASCII lower-case
 * letters and apostrophes but for at most one character, and every
 * character of it that leaves only those, the key of the form without
 * that character and of where it was (place_key()), in a Bloom filter of
 * three bits in one 64-bit word.  A suggestion search that puts each of its
 * letters at one place of such a word (inserted, or replacing the byte
 * there) makes only strings of that kind: when the key of the word without
 * that place is not in the filter, none of them is a form
 * (sw_place_open()), and the place's candidates are spared their filter and
 * look-ups all at once.  Over the archive of the benchmark fewer than 1 in
 * 200 such candidates was a word. */
#define PLACE_WORDS (PLACE_BYTES / 8)   /* the dictionary's; added words get fewer */
#define PLACE_MAXN 64             /* longer forms and words: not in the filter, always open */

static inline int place_byte(unsigned c)
{
	return (c >= 'a' && c <= 'z') || c == '\'';
}

/* The key of u[0..i) u[i + cut..n) at place i: its bytes, its length and
 * i, hashed. */
static uint64_t place_key(const unsigned char *u, size_t n, size_t i, size_t cut)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(n - cut) << 32) ^ (uint64_t)i;
	for (size_t k = 0; k < n; k++)
		if (k - i >= cut)   /* (k < i wraps round: kept) */
			h = (h ^ u[k]) * 0x100000001B3ull;
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93ull;
	return h ^ (h >> 29);
}

static inline uint64_t place_bits(uint64_t h)
{
	return 1ull << (h & 63) | 1ull << ((h >> 6) & 63) | 1ull << ((h >> 12) & 63);
}

static inline size_t place_word(uint64_t h, size_t words)
{
	return (size_t)(h >> 40) & (words - 1);
}

/* The length of the UTF-8 character whose lead byte is c (1 for a byte
 * that leads none: it is cut alone). */
static inline size_t place_clen(unsigned c)
{
	return c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 1) : c >= 0xC2 ? 2 : 1;
}

static void place_add(uint64_t *pl, size_t words, const char *w, size_t n)
{
	const unsigned char *u = (const unsigned char *)w;
	if (n == 0 || n > PLACE_MAXN)
		return;
	size_t odd = 0;   /* bytes outside a-z and ' */
	for (size_t k = 0; k < n; k++)
		odd += !place_byte(u[k]);
	for (size_t i = 0, cl; i < n; i += cl) {
		cl = place_clen(u[i]) <= n - i ? place_clen(u[i]) : 1;
		size_t in = 0;
		for (size_t k = i; k < i + cl; k++)
			in += !place_byte(u[k]);
		if (in == odd) {   /* the rest is a-z and ' */
			uint64_t h = place_key(u, n, i, cl);
			pl[place_word(h, words)] |= place_bits(h);
		}
	}
}

static void grams_add(uint64_t *t, const char *w, size_t n)
{
	const unsigned char *u = (const unsigned char *)w;
	uint64_t *q = t + TRI_BYTES / 8;
	unsigned a = 0, b = 0, z = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned c = i < n ? u[i] : 0;
		if (i > 0 || n == 0) {
			uint32_t bit = tri_bit(a, b, c);
			t[bit >> 6] |= 1ull << (bit & 63);
		}
		if (i > 1) {
			uint32_t bit = quad_bit(z, a, b, c);
			q[bit >> 6] |= 1ull << (bit & 63);
		}
		z = a;
		a = b;
		b = c;
	}
}

/* grams_walk()'s step at an n-gram the filter lacks, ending at i and
 * starting back bytes before: 1 to stop the walk. */
static inline int gram_lacking(long bad[2], size_t i, int back)
{
	if (!bad)
		return 1;       /* stop here */
	if ((long)i < bad[0])
		bad[0] = (long)i;
	if ((long)i - back > bad[1])
		bad[1] = (long)i - back;
	return 0;
}

/* The one walk over the n-grams of w (the string 0 w 0; at step i the
 * trigram covers w[i - 2 .. i], the 4-gram w[i - 3 .. i], w[-1] and w[n]
 * being the 0s), those not wholly in w[0..lo) or w[hi..n).  1 when the
 * filter has them all.  Without bad, it stops at the first it lacks;
 * with, it goes on and leaves in bad[0] the least last index and in bad[1]
 * the greatest first index of those (n + 1 and -2 when none). */
static inline int grams_walk(const uint64_t *t, const char *w, size_t n, size_t lo, size_t hi,
			      long bad[2])
{
	if (hi > n)
		hi = n;
	if (lo > hi)
		lo = hi;
	const unsigned char *u = (const unsigned char *)w;
	const uint64_t *q = t + TRI_BYTES / 8;
	size_t i = lo, last = hi + 2 < n ? hi + 2 : n;
	unsigned b = i >= 1 ? u[i - 1] : 0, a = i >= 2 ? u[i - 2] : 0, z = i >= 3 ? u[i - 3] : 0;
	if (bad) {
		bad[0] = (long)n + 1;
		bad[1] = -2;
	}
	for (; i <= last; i++) {
		unsigned c = i < n ? u[i] : 0;
		if (i > 0 && i <= hi + 1) {
			uint32_t bit = tri_bit(a, b, c);
			if (!(t[bit >> 6] & (1ull << (bit & 63))) && gram_lacking(bad, i, 2))
				return 0;
		}
		if (i > 1) {
			uint32_t bit = quad_bit(z, a, b, c);
			if (!(q[bit >> 6] & (1ull << (bit & 63))) && gram_lacking(bad, i, 3))
				return 0;
		}
		z = a;
		a = b;
		b = c;
	}
	return !bad || bad[1] == -2;
}

static int grams_ok(const uint64_t *t, const char *w, size_t n)
{
	return grams_walk(t, w, n, 0, n, NULL);
}

/* Where a table's place filter starts: after its arena, 8-aligned. */
static size_t place_off(size_t nslots, size_t alen)
{
	return (nslots * 10 + GRAM_BYTES + alen + 7) & ~(size_t)7;
}

/* Serialise t into a malloc'ed blob (slots, Bloom filter, n-gram filters,
 * arena, place filter of place_words 64-bit words). */
static unsigned char *btab_serialise(btab *t, size_t place_words, uint32_t *nslots_out, uint32_t *alen_out,
				     size_t *size_out)
{
	size_t nslots = 1024;
	while (nslots < t->n + t->n / 2)    /* at most 2/3 full */
		nslots *= 2;
	size_t alen = 0;
	for (size_t i = 0; i < t->n; i++) {
		size_t nr = 0;
		for (uint32_t r = t->e[i].roots; r; r = t->rl[r - 1].next)
			nr++;
		if (nr > 65535)
			return NULL;
		t->e[i].out = (uint32_t)alen;
		alen += ent_size(t->e[i].len, nr);
		if (alen > UINT32_MAX - 16)
			return NULL;
	}
	size_t size = place_off(nslots, alen) + place_words * 8;
	unsigned char *blob = calloc(1, size ? size : 1);
	if (!blob)
		return NULL;
	uint32_t *slot = (uint32_t *)blob;
	uint64_t *bloom = (uint64_t *)(blob + nslots * 8);
	uint64_t *tri = (uint64_t *)(blob + nslots * 10);
	unsigned char *arena = blob + nslots * 10 + GRAM_BYTES;
	uint64_t *place = (uint64_t *)(blob + place_off(nslots, alen));
	for (size_t i = 0; i < t->n; i++) {
		bent *e = &t->e[i];
		unsigned char *p = arena + e->out;
		size_t nr = 0;
		for (uint32_t r = e->roots; r; r = t->rl[r - 1].next) {
			uint32_t off = t->e[t->rl[r - 1].ent].out;
			memcpy(p + 4 + 4 * nr, &off, 4);
			nr++;
		}
		p[0] = e->bits;
		p[1] = (unsigned char)e->len;
		uint16_t nr16 = (uint16_t)nr;
		memcpy(p + 2, &nr16, 2);
		memcpy(p + 4 + 4 * nr, t->s + e->soff, e->len);
		bloom_set(bloom, (uint32_t)(nslots * 16 - 1), hash64(t->s + e->soff, e->len));
		grams_add(tri, t->s + e->soff, e->len);
		place_add(place, place_words, t->s + e->soff, e->len);
		size_t k = e->h & (nslots - 1);
		while (slot[2 * k + 1])
			k = (k + 1) & (nslots - 1);
		slot[2 * k] = e->h;
		slot[2 * k + 1] = e->out + 1;
	}
	*nslots_out = (uint32_t)nslots;
	*alen_out = (uint32_t)alen;
	*size_out = size;
	return blob;
}

/* The entry of w in t: its arena offset, or -1.  Bounds are checked (the
 * file may be damaged in ways the checksum missed). */
static long wtab_find(const wtab *t, const char *w, size_t n, uint64_t h64)
{
	if (!t->nslots)
		return -1;
	if (t->bloom && !bloom_has(t->bloom, t->nslots * 16 - 1, h64))
		return -1;
	uint32_t h = (uint32_t)h64;
	uint32_t mask = t->nslots - 1;
	for (uint32_t k = h & mask, probes = 0; probes < t->nslots; k = (k + 1) & mask, probes++) {
		uint32_t off = t->slot[2 * k + 1];
		if (!off)
			return -1;
		if (t->slot[2 * k] != h)
			continue;
		off--;
		if ((uint64_t)off + 4 > t->alen)
			return -2;
		const unsigned char *p = t->arena + off;
		uint16_t nr;
		memcpy(&nr, p + 2, 2);
		if ((uint64_t)off + 4 + 4ull * nr + p[1] > t->alen)
			return -2;
		if (p[1] == n && memcmp(p + 4 + 4 * nr, w, n) == 0)
			return (long)off;
	}
	return -1;
}

/* ---- the .aff ------------------------------------------------------------------- */

typedef struct cond {
	uint8_t n;            /* elements */
	struct { uint8_t neg, any, nc; uint32_t c[24]; } el[8];
	uint8_t bad;          /* too complex: the affix is not modelled */
} cond;

typedef struct affent {
	unsigned char flag, pfx, cross;
	char strip[32], add[32];
	uint8_t sl, al;
	cond c;
} affent;

typedef struct affinfo {
	affent *a;
	size_t n, cap;
	char why[160];        /* non-empty: not modelled */
	int compound_digits;  /* COMPOUNDRULE: only digit stems carry its flags */
	unsigned char cpd_flag[256];   /* flags used in COMPOUNDRULE */
	int fullstrip;
	unsigned char needaffix, onlyincompound, forbidden;
	char iconv_from[16][16], iconv_to[16][16];
	int n_iconv;
	char brk[16][16];
	int n_brk;
	int brk_set;
} affinfo;

static size_t u8dec(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0 && n >= 2 && (u[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
		return *cp >= 0x80 ? 2 : 0;
	}
	if ((u[0] & 0xF0) == 0xE0 && n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	if ((u[0] & 0xF8) == 0xF0 && n >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
	    (u[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
		      ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
		return *cp >= 0x10000 ? 4 : 0;
	}
	return 0;
}

static size_t u8enc(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static void parse_cond(const char *s, cond *c)
{
	memset(c, 0, sizeof *c);
	if (strcmp(s, ".") == 0)
		return;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		if (c->n == 8) {
			c->bad = 1;
			return;
		}
		uint32_t cp;
		if (s[i] == '[') {
			i++;
			if (s[i] == '^') {
				c->el[c->n].neg = 1;
				i++;
			}
			while (i < n && s[i] != ']') {
				size_t k = u8dec(s + i, n - i, &cp);
				if (!k || c->el[c->n].nc == 24) {
					c->bad = 1;
					return;
				}
				c->el[c->n].c[c->el[c->n].nc++] = cp;
				i += k;
			}
			if (i >= n) {
				c->bad = 1;
				return;
			}
			i++;
		} else if (s[i] == '.') {
			c->el[c->n].any = 1;
			i++;
		} else if (s[i] == ']') {
			c->bad = 1;
			return;
		} else {
			size_t k = u8dec(s + i, n - i, &cp);
			if (!k) {
				c->bad = 1;
				return;
			}
			c->el[c->n].c[0] = cp;
			c->el[c->n].nc = 1;
			i += k;
		}
		c->n++;
	}
}

static int el_match(const cond *c, int i, uint32_t cp)
{
	if (c->el[i].any)
		return 1;
	int in = 0;
	for (int k = 0; k < c->el[i].nc; k++)
		if (c->el[i].c[k] == cp) {
			in = 1;
			break;
		}
	return c->el[i].neg ? !in : in;
}

/* The condition on the first (prefix) or last (suffix) characters of s. */
static int cond_ok(const cond *c, const uint32_t *cp, size_t ncp, int pfx)
{
	if (c->n > ncp)
		return 0;
	for (int i = 0; i < c->n; i++) {
		uint32_t ch = pfx ? cp[i] : cp[ncp - c->n + i];
		if (!el_match(c, i, ch))
			return 0;
	}
	return 1;
}

static void aff_unsupported(affinfo *ai, const char *what)
{
	if (!ai->why[0])
		snprintf(ai->why, sizeof ai->why, "%s", what);
}

/* A new zeroed entry for flag (NULL, and the set given up, when out of memory). */
static affent *aff_push(affinfo *ai, unsigned flag, int pfx, int cross)
{
	if (ai->n == ai->cap) {
		size_t c = ai->cap ? ai->cap * 2 : 256;
		affent *na = realloc(ai->a, c * sizeof *na);
		if (!na) {
			aff_unsupported(ai, "out of memory");
			return NULL;
		}
		ai->a = na;
		ai->cap = c;
	}
	affent *e = &ai->a[ai->n++];
	memset(e, 0, sizeof *e);
	e->flag = (unsigned char)flag;
	e->pfx = (unsigned char)pfx;
	e->cross = (unsigned char)cross;
	return e;
}

/* Words of a line (space/tab separated), at most max. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;
	while (*p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			*p++ = 0;
		if (!*p)
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
	}
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			*p = 0;
		p++;
	}
	return n;
}

static int parse_aff(const char *path, affinfo *ai)
{
	memset(ai, 0, sizeof *ai);
	FILE *f = fopen(path, "rb");
	if (!f) {
		aff_unsupported(ai, "cannot read the .aff");
		return -1;
	}
	char line[8192];
	int first = 1, enc_ok = 0;
	char rules[16][64];
	int n_rules = 0, cpd_count = 0;
	while (fgets(line, sizeof line, f)) {
		char *l = line;
		if (first && memcmp(l, "\xEF\xBB\xBF", 3) == 0)
			l += 3;
		first = 0;
		char *w[8];
		int nw = split(l, w, 8);
		if (!nw)
			continue;
		const char *k = w[0];
		if (strcmp(k, "SET") == 0) {
			enc_ok = nw > 1 && (strcmp(w[1], "UTF-8") == 0 || strcmp(w[1], "utf-8") == 0);
		} else if (strcmp(k, "FLAG") == 0) {
			aff_unsupported(ai, "FLAG long/num/UTF-8");
		} else if (strcmp(k, "AF") == 0 || strcmp(k, "COMPLEXPREFIXES") == 0 ||
			   strcmp(k, "COMPOUNDFLAG") == 0 || strcmp(k, "COMPOUNDBEGIN") == 0 ||
			   strcmp(k, "COMPOUNDMIDDLE") == 0 || strcmp(k, "COMPOUNDEND") == 0 ||
			   strcmp(k, "COMPOUNDLAST") == 0 || strcmp(k, "COMPOUNDPERMITFLAG") == 0 ||
			   strcmp(k, "CIRCUMFIX") == 0 || strcmp(k, "PSEUDOROOT") == 0 ||
			   strcmp(k, "KEEPCASE") == 0 || strcmp(k, "FORCEUCASE") == 0 ||
			   strcmp(k, "WARN") == 0 || strcmp(k, "CHECKSHARPS") == 0 ||
			   strcmp(k, "IGNORE") == 0 || strcmp(k, "SUBSTANDARD") == 0 ||
			   strcmp(k, "LEMMA_PRESENT") == 0 || strcmp(k, "COMPOUNDWORDMAX") == 0 ||
			   strcmp(k, "COMPOUNDSYLLABLE") == 0 || strcmp(k, "SYLLABLENUM") == 0 ||
			   strcmp(k, "COMPOUNDROOT") == 0) {
			aff_unsupported(ai, k);
		} else if (strcmp(k, "LANG") == 0) {
			if (nw > 1 && (strncmp(w[1], "tr", 2) == 0 || strncmp(w[1], "az", 2) == 0 ||
				       strncmp(w[1], "crh", 3) == 0 || strncmp(w[1], "hu", 2) == 0))
				aff_unsupported(ai, "LANG with special case rules");
		} else if (strcmp(k, "FULLSTRIP") == 0) {
			ai->fullstrip = 1;
		} else if (strcmp(k, "NEEDAFFIX") == 0 && nw > 1) {
			if (strlen(w[1]) != 1)
				aff_unsupported(ai, "NEEDAFFIX flag");
			ai->needaffix = (unsigned char)w[1][0];
		} else if (strcmp(k, "ONLYINCOMPOUND") == 0 && nw > 1) {
			if (strlen(w[1]) != 1)
				aff_unsupported(ai, "ONLYINCOMPOUND flag");
			ai->onlyincompound = (unsigned char)w[1][0];
		} else if (strcmp(k, "FORBIDDENWORD") == 0 && nw > 1) {
			if (strlen(w[1]) != 1)
				aff_unsupported(ai, "FORBIDDENWORD flag");
			ai->forbidden = (unsigned char)w[1][0];
		} else if (strcmp(k, "COMPOUNDRULE") == 0) {
			if (!cpd_count) {
				cpd_count = 1;     /* the count line */
				continue;
			}
			if (nw > 1) {
				if (n_rules < 16)
					snprintf(rules[n_rules++], sizeof rules[0], "%s", w[1]);
				else
					aff_unsupported(ai, "COMPOUNDRULE");
			}
			for (const char *p = nw > 1 ? w[1] : ""; *p; p++)
				if (*p == '(' || *p == ')' || (unsigned char)*p > 127)
					aff_unsupported(ai, "COMPOUNDRULE with long flags");
		} else if (strcmp(k, "ICONV") == 0) {
			if (nw == 2)
				continue;          /* the count */
			if (nw < 3 || ai->n_iconv == 16 || strlen(w[1]) >= 16 || strlen(w[2]) >= 16 ||
			    strchr(w[1], '_') || strchr(w[2], '_'))
				aff_unsupported(ai, "ICONV");
			else {
				strcpy(ai->iconv_from[ai->n_iconv], w[1]);
				strcpy(ai->iconv_to[ai->n_iconv], w[2]);
				ai->n_iconv++;
			}
		} else if (strcmp(k, "BREAK") == 0) {
			if (!ai->brk_set) {
				ai->brk_set = 1;   /* the count line */
				continue;
			}
			if (nw < 2 || ai->n_brk == 16 || strlen(w[1]) >= 16)
				aff_unsupported(ai, "BREAK");
			else
				strcpy(ai->brk[ai->n_brk++], w[1]);
		} else if ((strcmp(k, "SFX") == 0 || strcmp(k, "PFX") == 0) && nw >= 4) {
			int pfx = k[0] == 'P';
			if (strlen(w[1]) != 1) {
				aff_unsupported(ai, "multi-character affix flag");
				continue;
			}
			unsigned char flag = (unsigned char)w[1][0];
			if (nw == 4 && (strcmp(w[2], "Y") == 0 || strcmp(w[2], "N") == 0) &&
			    strspn(w[3], "0123456789") == strlen(w[3])) {
				/* header: flag, cross product, count; remember the cross flag */
				int cross = w[2][0] == 'Y';
				/* a header applies to the lines below it: store as a marker */
				affent *e = aff_push(ai, flag, pfx, cross);
				if (!e)
					continue;
				e->sl = 255;       /* marker: header */
				continue;
			}
			if (nw < 4)
				continue;
			const char *strip = w[2], *add = w[3], *cnd = nw >= 5 ? w[4] : ".";
			char addb[64];
			snprintf(addb, sizeof addb, "%s", add);
			if (strchr(addb, '/')) {
				aff_unsupported(ai, "two-level affixes (continuation classes)");
				continue;
			}
			if (strcmp(strip, "0") == 0)
				strip = "";
			if (strcmp(addb, "0") == 0)
				addb[0] = 0;
			if (strlen(strip) >= 32 || strlen(addb) >= 32) {
				aff_unsupported(ai, "long affix");
				continue;
			}
			/* the cross flag of the latest header of this flag */
			int cross = -1;
			for (size_t i = ai->n; i-- > 0;)
				if (ai->a[i].sl == 255 && ai->a[i].flag == flag && ai->a[i].pfx == pfx) {
					cross = ai->a[i].cross;
					break;
				}
			if (cross < 0) {
				aff_unsupported(ai, "affix line without header");
				continue;
			}
			affent *e = aff_push(ai, flag, pfx, cross);
			if (!e)
				continue;
			strcpy(e->strip, strip);
			strcpy(e->add, addb);
			e->sl = (uint8_t)strlen(strip);
			e->al = (uint8_t)strlen(addb);
			parse_cond(cnd, &e->c);
			if (e->c.bad)
				aff_unsupported(ai, "affix condition");
		}
	}
	fclose(f);
	if (!enc_ok)
		aff_unsupported(ai, "not a UTF-8 dictionary");
	if (!ai->brk_set) {          /* Hunspell's default break patterns */
		strcpy(ai->brk[0], "-");
		strcpy(ai->brk[1], "^-");
		strcpy(ai->brk[2], "-$");
		ai->n_brk = 3;
	}
	/* the flags of the compound rules (checked against the stems later) */
	for (int i = 0; i < n_rules; i++)
		for (const char *p = rules[i]; *p; p++)
			if (*p != '*' && *p != '?')
				ai->cpd_flag[(unsigned char)*p] = 1;
	ai->compound_digits = n_rules > 0;
	/* drop the header markers */
	size_t o = 0;
	for (size_t i = 0; i < ai->n; i++)
		if (ai->a[i].sl != 255)
			ai->a[o++] = ai->a[i];
	ai->n = o;
	return ai->why[0] ? -1 : 0;
}

/* ---- case, as Hunspell's tables have it (a conservative subset) --------------------
 * 1: known (lower/upper set), 0: a character whose mapping we do not
 * trust to equal Hunspell's: the word is undecided. */
static int case_of(uint32_t c, uint32_t *lo, uint32_t *up)
{
	if (c < 0x80) {
		*lo = c >= 'A' && c <= 'Z' ? c + 32 : c;
		*up = c >= 'a' && c <= 'z' ? c - 32 : c;
		return 1;
	}
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {
		*lo = c + 32;
		*up = c;
		return 1;
	}
	if (c >= 0xE0 && c <= 0xFE && c != 0xF7) {
		*lo = c;
		*up = c - 32;
		return 1;
	}
	/* caseless: multiplication and division signs, C1 controls and Latin-1
	 * symbols (not the micro sign and the ordinal indicators), general
	 * punctuation (non-breaking hyphen, dashes, zero-width characters),
	 * currency signs, combining marks (not U+0345, which has a capital) */
	if (c == 0xD7 || c == 0xF7 || (c >= 0x80 && c <= 0xBF && c != 0xB5 && c != 0xAA && c != 0xBA) ||
	    (c >= 0x2000 && c <= 0x206F) || (c >= 0x20A0 && c <= 0x20CF) ||
	    (c >= 0x300 && c <= 0x36F && c != 0x345)) {       /* combining marks */
		*lo = *up = c;
		return 1;
	}
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
		*up = c & ~1u;
		*lo = c | 1u;
		return 1;
	}
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
		*up = (c & 1u) ? c : c - 1;
		*lo = (c & 1u) ? c + 1 : c;
		return 1;
	}
	return 0;
}

enum { NOCAP, INITCAP, ALLCAP, HUHCAP, HUHINITCAP };

/* ---- the dictionary ----------------------------------------------------------------- */

struct sw_dict {
	wtab main, over;
	void *map;               /* the mmap'ed file, or NULL */
	size_t map_size;
	unsigned char *heap;     /* a set built in memory (no cache) */
	unsigned char *over_blob;
	affinfo ai;
	btab ob;                 /* the overlay while it is built */
	/* personal dictionaries' stems, expanded at seal time */
	char **pd_words;
	size_t n_pd, cap_pd;
	int sealed, broken;
	int hidden_killed;       /* an added word replaced a hidden one: those are undecided */
	int fast_ok;             /* no ICONV pattern starts with an ASCII byte */
	const uint64_t *tri;     /* trigram filter of both tables */
	uint64_t *tri_heap;      /* their union, when there is an overlay */
	unsigned char iconv_byte[256]; /* first bytes of the ICONV patterns */
	unsigned char brk_byte[256];   /* bytes of the break patterns */
	unsigned char dom_byte[256];   /* for tri_domain(), set by sw_seal(): 1 a-z, 2 ', 4 a byte of
	                                  a two-byte letter (then the full checks), 0 a byte it
	                                  refuses; none a break byte */
	int dom_ok;              /* sealed, not broken, fast_ok and a trigram filter: the n-gram filter
	                            applies (tri_domain, sw_tri_letter, sw_tri_usable, sw_grams_bad) */
	int dom_az;              /* no a-z is a break byte: eight a-z bytes are dom_byte 1 (wk_az8) */
};

typedef struct stemrec {
	const char *w;
	size_t n;
	const char *flags;
	size_t nf;
	int hidden;
} stemrec;

static int has_flag(const char *f, size_t nf, unsigned char fl)
{
	return fl && memchr(f, fl, nf) != NULL;
}

/* Expand one stem into t.  shadowed: its affixed forms are doubtful. */
static void expand(btab *t, const affinfo *ai, const stemrec *s, int shadowed)
{
	int bad = has_flag(s->flags, s->nf, ai->onlyincompound) || has_flag(s->flags, s->nf, ai->forbidden);
	long se = btab_get(t, s->w, s->n);
	if (se < 0)
		return;
	t->e[se].bits |= s->hidden ? B_HSTEM : B_STEM;
	if (has_flag(s->flags, s->nf, ai->forbidden))
		t->e[se].bits |= B_BAD;
	else if (!has_flag(s->flags, s->nf, ai->needaffix) && !has_flag(s->flags, s->nf, ai->onlyincompound))
		t->e[se].bits |= s->hidden ? B_DUP : B_DOK;
	if (!s->nf)
		return;
	uint64_t fm[4] = { 0, 0, 0, 0 };     /* the stem's flags */
	for (size_t i = 0; i < s->nf; i++)
		fm[(unsigned char)s->flags[i] >> 6] |= 1ull << ((unsigned char)s->flags[i] & 63);
#define HAS(f) ((fm[(f) >> 6] >> ((f) & 63)) & 1)
	uint8_t abits = bad || shadowed ? B_BAD : s->hidden ? B_AUP : B_AOK;
	uint32_t cp[SW_MAXCP + 40], cp2[SW_MAXCP + 80];
	size_t ncp = 0;
	for (size_t i = 0; i < s->n && ncp < SW_MAXCP;) {
		size_t k = u8dec(s->w + i, s->n - i, &cp[ncp]);
		if (!k)
			return;
		i += k;
		ncp++;
	}
	char form[512], form2[600];
	for (size_t i = 0; i < ai->n; i++) {
		const affent *a = &ai->a[i];
		if (a->pfx || !HAS(a->flag))
			continue;
		/* suffix: the stem ends with strip, keeps a byte, meets the condition */
		if (s->n < a->sl || (s->n == a->sl && !ai->fullstrip) ||
		    memcmp(s->w + s->n - a->sl, a->strip, a->sl) != 0 || !cond_ok(&a->c, cp, ncp, 0))
			continue;
		size_t m = s->n - a->sl;
		memcpy(form, s->w, m);
		memcpy(form + m, a->add, a->al);
		size_t fl = m + a->al;
		if (!fl)
			continue;
		long fe = btab_get(t, form, fl);
		if (fe < 0)
			continue;
		t->e[fe].bits |= abits;
		btab_root(t, fe, se);
		if (!a->cross)
			continue;
		/* cross products: a prefix on the suffixed form */
		size_t ncp2 = 0;
		for (size_t k = 0; k < fl && ncp2 < SW_MAXCP + 40;) {
			size_t q = u8dec(form + k, fl - k, &cp2[ncp2]);
			if (!q)
				break;
			k += q;
			ncp2++;
		}
		for (size_t j = 0; j < ai->n; j++) {
			const affent *p = &ai->a[j];
			if (!p->pfx || !p->cross || !HAS(p->flag))
				continue;
			if (fl < p->sl || (fl == p->sl && !ai->fullstrip) || memcmp(form, p->strip, p->sl) != 0 ||
			    !cond_ok(&p->c, cp2, ncp2, 1))
				continue;
			memcpy(form2, p->add, p->al);
			memcpy(form2 + p->al, form + p->sl, fl - p->sl);
			size_t f2 = p->al + fl - p->sl;
			if (!f2)
				continue;
			long ce = btab_get(t, form2, f2);
			if (ce < 0)
				continue;
			t->e[ce].bits |= abits;
			btab_root(t, ce, se);
		}
	}
	for (size_t i = 0; i < ai->n; i++) {
		const affent *a = &ai->a[i];
		if (!a->pfx || !HAS(a->flag))
			continue;
		if (s->n < a->sl || (s->n == a->sl && !ai->fullstrip) || memcmp(s->w, a->strip, a->sl) != 0 ||
		    !cond_ok(&a->c, cp, ncp, 1))
			continue;
		memcpy(form, a->add, a->al);
		memcpy(form + a->al, s->w + a->sl, s->n - a->sl);
		size_t fl = a->al + s->n - a->sl;
		if (!fl)
			continue;
		long fe = btab_get(t, form, fl);
		if (fe < 0)
			continue;
		t->e[fe].bits |= abits;
		btab_root(t, fe, se);
	}
}

/* Capitalisation type of code points, Hunspell's get_captype_utf8; -1 when
 * a character's case is not in our table. */
static int captype(const uint32_t *cp, size_t n)
{
	size_t ncap = 0, nneutral = 0;
	int firstcap = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t lo, up;
		if (!case_of(cp[i], &lo, &up))
			return -1;
		if (lo != cp[i])
			ncap++;
		if (up == lo)
			nneutral++;
	}
	if (ncap) {
		uint32_t lo, up;
		case_of(cp[0], &lo, &up);
		firstcap = lo != cp[0];
	}
	if (ncap == 0)
		return NOCAP;
	if (ncap == 1 && firstcap)
		return INITCAP;
	if (ncap == n || ncap + nneutral == n)
		return ALLCAP;
	if (ncap > 1 && firstcap)
		return HUHINITCAP;
	return HUHCAP;
}

/* The hidden capitalised word Hunspell adds for a stem (HashMgr::
 * add_hidden_capitalized_word): mixed case, or all caps with flags. */
static int hidden_form(const char *w, size_t n, size_t nflags, int forbidden, char *out, size_t *outn)
{
	uint32_t cp[SW_MAXCP];
	size_t ncp = 0;
	for (size_t i = 0; i < n;) {
		if (ncp == SW_MAXCP)
			return 0;
		size_t k = u8dec(w + i, n - i, &cp[ncp]);
		if (!k)
			return 0;
		i += k;
		ncp++;
	}
	int ct = captype(cp, ncp);
	if (ct < 0)
		return -1;
	if (!((ct == HUHCAP || ct == HUHINITCAP || (ct == ALLCAP && nflags)) && !(nflags && forbidden)))
		return 0;
	size_t o = 0;
	for (size_t i = 0; i < ncp; i++) {
		uint32_t lo, up;
		case_of(cp[i], &lo, &up);
		o += u8enc(out + o, i == 0 ? up : lo);
	}
	*outn = o;
	return 1;
}

/* Is w a stem (normal or hidden) in the overlay so far? */
static int btab_has_stem(const btab *t, const char *w, size_t n, int bits)
{
	if (!t->scap)
		return 0;
	uint32_t h = (uint32_t)hash64(w, n);
	for (size_t k = h & (t->scap - 1); t->slot[k]; k = (k + 1) & (t->scap - 1)) {
		const bent *e = &t->e[t->slot[k] - 1];
		if (e->h == h && e->len == n && memcmp(t->s + e->soff, w, n) == 0)
			return (e->bits & bits) != 0;
	}
	return 0;
}

static int wtab_bits(const wtab *t, const char *w, size_t n)
{
	long o = wtab_find(t, w, n, hash64(w, n));
	return o >= 0 ? t->arena[o] : o == -2 ? -1 : 0;
}

typedef struct pend {
	uint32_t w, n, f, nf;     /* offsets into the line store */
	int hidden;
} pend;

/* Parse a .dic and expand it into t.  main / prev (personal dictionaries
 * only): the main set and the overlay so far, whose stems shadow this
 * dictionary's for affixed forms (Hunspell takes a stem's entries from the
 * first dictionary that has the string).
 * Hidden capitalised words follow Hunspell's HashMgr::add_word(): only the
 * first per string, and none where a normal entry of the same string is
 * in the dictionary (it replaces or drops the hidden one). */
static int load_dic(btab *t, const affinfo *ai, const char *path, const wtab *main, const btab *prev,
		    int check_cpd, int *cpd_ok)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char line[8192];
	int first = 1, rc = 0;
	char *store = NULL;
	size_t slen = 0, scap = 0;
	pend *pv = NULL;
	size_t np = 0, cp = 0;
	btab seen = { 0 };        /* this dictionary's stems: bit 1 normal, 2 hidden */
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		if (n && line[n - 1] != '\n' && !feof(f)) {
			rc = -2;               /* a line longer than the buffer: not modelled */
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (first) {
			first = 0;
			long cnt = strtol(line, NULL, 10);
			if (!prev && cnt > 0 && cnt < 10000000)
				btab_reserve(t, (size_t)cnt * 4);   /* ~4 forms a stem */
			continue;              /* the count */
		}
		if (!n)
			continue;
		/* morphological fields: after a tab, or after a space before "xx:" */
		size_t end = n;
		char *tab = strchr(line, '\t');
		if (tab)
			end = (size_t)(tab - line);
		for (size_t i = 3; i < end; i++)
			if (line[i] == ':' && (line[i - 3] == ' ' || line[i - 3] == '\t')) {
				size_t e2 = i - 3;
				while (e2 > 0 && (line[e2 - 1] == ' ' || line[e2 - 1] == '\t'))
					e2--;
				end = e2;
				break;
			}
		if (memchr(line, ' ', end) || memchr(line, '\\', end)) {
			rc = -2;               /* spaces, escapes: not modelled */
			break;
		}
		line[end] = 0;
		char *slash = end > 1 ? strchr(line + 1, '/') : NULL;
		size_t wn = slash ? (size_t)(slash - line) : end, nf = slash ? strlen(slash + 1) : 0;
		if (!wn || wn > 255)
			continue;
		if (check_cpd && nf) {
			for (size_t i = 0; i < nf; i++)
				if (ai->cpd_flag[(unsigned char)slash[1 + i]]) {
					int digit = 0;
					for (size_t k = 0; k < wn; k++)
						digit |= line[k] >= '0' && line[k] <= '9';
					if (!digit)
						*cpd_ok = 0;
				}
		}
		char hid[512];
		size_t hn = 0;
		int hf = hidden_form(line, wn, nf, slash && has_flag(slash + 1, nf, ai->forbidden), hid, &hn);
		if (hf < 0)
			hf = 0;   /* a case we cannot map: such words are undecided anyway */
		for (int k = 0; k <= hf; k++) {
			const char *w = k ? hid : line;
			size_t ln = k ? hn : wn;
			if (slen + ln + nf > scap) {
				size_t c = scap ? scap * 2 : 1 << 20;
				while (c < slen + ln + nf)
					c *= 2;
				char *ns = realloc(store, c);
				if (!ns) {
					rc = -1;
					break;
				}
				store = ns;
				scap = c;
			}
			if (np == cp) {
				size_t c = cp ? cp * 2 : 65536;
				pend *nv = realloc(pv, c * sizeof *nv);
				if (!nv) {
					rc = -1;
					break;
				}
				pv = nv;
				cp = c;
			}
			pend *p = &pv[np++];
			p->w = (uint32_t)slen;
			p->n = (uint32_t)ln;
			memcpy(store + slen, w, ln);
			slen += ln;
			p->f = (uint32_t)slen;
			p->nf = (uint32_t)nf;
			memcpy(store + slen, slash ? slash + 1 : "", nf);
			slen += nf;
			p->hidden = k;
			long e = btab_get(&seen, w, ln);
			if (e < 0) {
				rc = -1;
				break;
			}
			if (k && (seen.e[e].bits & 2))
				p->hidden = 2;     /* not the first hidden word of this string */
			seen.e[e].bits |= k ? 2 : 1;
		}
		if (rc)
			break;
	}
	fclose(f);
	for (size_t i = 0; !rc && i < np; i++) {
		pend *p = &pv[i];
		const char *w = store + p->w;
		if (p->hidden == 2)
			continue;
		if (p->hidden) {
			long e = btab_get(&seen, w, p->n);
			if (e < 0 || (seen.e[e].bits & 1))
				continue;          /* a normal entry of the same string */
		}
		int shadowed = 0;
		if (main && p->nf) {
			int b = wtab_bits(main, w, p->n);
			if (b < 0 || (b & (B_STEM | B_HSTEM)))
				shadowed = 1;
		}
		if (prev && p->nf && btab_has_stem(prev, w, p->n, B_STEM | B_HSTEM | 128))
			shadowed = 1;
		stemrec s = { w, p->n, store + p->f, p->nf, p->hidden };
		expand(t, ai, &s, shadowed);
		if (t->oom)
			rc = -1;
	}
	/* this dictionary's stems now shadow later ones */
	if (prev && !rc)
		for (size_t i = 0; i < np; i++) {
			long e = btab_get(t, store + pv[i].w, pv[i].n);
			if (e >= 0)
				t->e[e].bits |= 128;
		}
	btab_free(&seen);
	free(store);
	free(pv);
	return rc ? rc : t->oom ? -1 : 0;
}

/* ---- the cache file ------------------------------------------------------------------- */

typedef struct sw_hdr {
	char magic[8];
	uint32_t version, hdr_size;
	uint64_t key;
	uint32_t nslots, alen;
	uint64_t sum, file_size;
} sw_hdr;

static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t a = 0x243F6A8885A308D3ull, b = 0x13198A2E03707344ull;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		memcpy(&y, p + i + 8, 8);
		a = (a ^ x) * 0x9E3779B97F4A7C15ull;
		b = (b + y) ^ (b >> 31);
		a ^= a >> 27;
	}
	for (; i < n; i++)
		a = (a ^ p[i]) * 0x100000001B3ull;
	return a ^ (b * 0xD6E8FEB86659FD93ull);
}

static uint64_t file_key(const char *aff, const char *dic)
{
	struct stat sa, sd;
	if (stat(aff, &sa) != 0 || stat(dic, &sd) != 0)
		return 0;
	char buf[8192 + 256];
	int n = snprintf(buf, sizeof buf, "v%d|%s|%lld|%lld.%ld|%s|%lld|%lld.%ld", SW_FORMAT, aff,
			 (long long)sa.st_size, (long long)sa.st_mtim.tv_sec, (long)sa.st_mtim.tv_nsec, dic,
			 (long long)sd.st_size, (long long)sd.st_mtim.tv_sec, (long)sd.st_mtim.tv_nsec);
	if (n <= 0 || (size_t)n >= sizeof buf)
		return 0;
	uint64_t k = hash64(buf, (size_t)n);
	return k ? k : 1;
}

int sw_default_cache_dir(char *out, size_t size)
{
	const char *e = getenv("NEWSLINT_CACHE_DIR");
	int n;
	if (e && *e)
		n = snprintf(out, size, "%s", e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e == '/')
		n = snprintf(out, size, "%s/newslint", e);
	else if ((e = getenv("HOME")) && *e == '/')
		n = snprintf(out, size, "%s/.cache/newslint", e);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

static int open_cached(sw_dict *d, const char *path, uint64_t key)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat s;
	if (fstat(fd, &s) != 0 || (size_t)s.st_size < sizeof(sw_hdr)) {
		close(fd);
		return -1;
	}
	void *m = mmap(NULL, (size_t)s.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	const sw_hdr *h = m;
	size_t body = (size_t)s.st_size - sizeof *h;
	if (memcmp(h->magic, "NLWSET\0\1", 8) != 0 || h->version != SW_FORMAT || h->hdr_size != sizeof *h ||
	    h->key != key || h->file_size != (uint64_t)s.st_size || !h->nslots ||
	    (h->nslots & (h->nslots - 1)) || h->nslots < 1024 ||
	    (uint64_t)place_off(h->nslots, h->alen) + PLACE_BYTES != body ||
	    checksum((const unsigned char *)m + sizeof *h, body) != h->sum) {
		munmap(m, (size_t)s.st_size);
		return -1;
	}
	d->map = m;
	d->map_size = (size_t)s.st_size;
	d->main.slot = (const uint32_t *)((const unsigned char *)m + sizeof *h);
	d->main.nslots = h->nslots;
	d->main.bloom = (const uint64_t *)((const unsigned char *)m + sizeof *h + (size_t)h->nslots * 8);
	d->main.tri = (const uint64_t *)((const unsigned char *)m + sizeof *h + (size_t)h->nslots * 10);
	d->main.arena = (const unsigned char *)m + sizeof *h + (size_t)h->nslots * 10 + GRAM_BYTES;
	d->main.alen = h->alen;
	d->main.place = (const uint64_t *)((const unsigned char *)m + sizeof *h + place_off(h->nslots, h->alen));
	d->main.place_words = PLACE_WORDS;
	return 0;
}

static int mkdirs(const char *dir)
{
	char p[4096];
	if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int save_cached(const char *dir, const char *path, const sw_hdr *h, const unsigned char *body,
		       size_t blen)
{
	if (mkdirs(dir) != 0)
		return -1;
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		return -1;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	int ok = write(fd, h, sizeof *h) == (ssize_t)sizeof *h;
	for (size_t o = 0; ok && o < blen;) {
		ssize_t w = write(fd, body + o, blen - o);
		if (w <= 0)
			ok = 0;
		else
			o += (size_t)w;
	}
	fchmod(fd, 0644);
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* After a new set for the same files was saved as keep: the older sets of
 * those files (their dictionary has changed since), and temporary files
 * more than an hour old (a writer that died). */
static void remove_stale(const char *dir, const char *prefix, const char *keep)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	size_t pl = strlen(prefix);
	const char *keep_name = strrchr(keep, '/') ? strrchr(keep, '/') + 1 : keep;
	struct dirent *de;
	time_t now = time(NULL);
	while ((de = readdir(dp)) != NULL) {
		const char *nm = de->d_name;
		size_t nl = strlen(nm);
		if (strncmp(nm, prefix, pl) != 0 || strcmp(nm, keep_name) == 0)
			continue;
		char p[4400];
		if (snprintf(p, sizeof p, "%s/%s", dir, nm) >= (int)sizeof p)
			continue;
		if (nl > 4 && strcmp(nm + nl - 4, ".bin") == 0) {
			unlink(p);
			continue;
		}
		struct stat sb;
		if (strstr(nm, ".bin.") && stat(p, &sb) == 0 && now - sb.st_mtime > 3600)
			unlink(p);
	}
	closedir(dp);
}

/* ---- open / build ------------------------------------------------------------------------- */

sw_dict *sw_open(const char *aff, const char *dic, const char *cache_dir, int build, int *how,
		 char *why, size_t why_size)
{
	sw_dict *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	if (parse_aff(aff, &d->ai) != 0) {
		if (why)
			snprintf(why, why_size, "%s", d->ai.why);
		goto fail;
	}
	uint64_t key = file_key(aff, dic);
	char path[4200] = "", prefix[64] = "";
	if (cache_dir && *cache_dir && key) {
		/* wordset-P-K.bin: P from the two paths alone, K from their
		 * sizes and mtimes too; a new K replaces the files of older ones */
		char both[8200];
		int bn = snprintf(both, sizeof both, "%s|%s", aff, dic);
		uint32_t ph = (uint32_t)hash64(both, bn > 0 && (size_t)bn < sizeof both ? (size_t)bn : 0);
		snprintf(prefix, sizeof prefix, "wordset-%08x-", (unsigned)ph);
		snprintf(path, sizeof path, "%s/%s%016llx.bin", cache_dir, prefix, (unsigned long long)key);
		if (open_cached(d, path, key) == 0) {
			if (how)
				*how = SW_FROM_CACHE;
			return d;
		}
	}
	if (!build) {
		if (why)
			snprintf(why, why_size, "not in the cache");
		if (how)
			*how = 0;
		goto fail;
	}
	btab t = { 0 };
	int cpd_ok = 1;
	int rc = load_dic(&t, &d->ai, dic, NULL, NULL, d->ai.compound_digits, &cpd_ok);
	if (rc != 0 || !cpd_ok) {
		if (why)
			snprintf(why, why_size, "%s", rc == -2 ? "dictionary lines not modelled" :
				 rc ? "cannot read the dictionary" : "compound rules on words without digits");
		btab_free(&t);
		goto fail;
	}
	uint32_t nslots, alen;
	size_t blen;
	unsigned char *body = btab_serialise(&t, PLACE_WORDS, &nslots, &alen, &blen);
	btab_free(&t);
	if (!body) {
		if (why)
			snprintf(why, why_size, "out of memory");
		goto fail;
	}
	d->heap = body;
	d->main.slot = (const uint32_t *)body;
	d->main.nslots = nslots;
	d->main.bloom = (const uint64_t *)(body + (size_t)nslots * 8);
	d->main.tri = (const uint64_t *)(body + (size_t)nslots * 10);
	d->main.arena = body + (size_t)nslots * 10 + GRAM_BYTES;
	d->main.alen = alen;
	d->main.place = (const uint64_t *)(body + place_off(nslots, alen));
	d->main.place_words = PLACE_WORDS;
	int saved = 0;
	if (path[0]) {
		sw_hdr h;
		memset(&h, 0, sizeof h);
		memcpy(h.magic, "NLWSET\0\1", 8);
		h.version = SW_FORMAT;
		h.hdr_size = sizeof h;
		h.key = key;
		h.nslots = nslots;
		h.alen = alen;
		h.sum = checksum(body, blen);
		h.file_size = sizeof h + blen;
		saved = save_cached(cache_dir, path, &h, body, blen) == 0;
		if (saved)
			remove_stale(cache_dir, prefix, path);
	}
	if (how)
		*how = saved ? SW_BUILT_SAVED : SW_BUILT;
	return d;
fail:
	sw_free(d);
	return NULL;
}

int sw_add_dic(sw_dict *d, const char *path)
{
	if (d->sealed)
		return -1;
	/* expanded at once into the overlay: shadowing needs the order */
	int cpd_ok = 1;
	int rc = load_dic(&d->ob, &d->ai, path, &d->main, &d->ob, d->ai.compound_digits, &cpd_ok);
	if (rc != 0 || !cpd_ok) {
		d->broken = 1;
		return -1;
	}
	return 0;
}

int sw_add_word(sw_dict *d, const char *w, size_t n)
{
	if (d->sealed || !n || n > 255)
		return -1;
	/* Hunspell_add puts the word in the main dictionary's table: a normal
	 * word replaces a hidden capitalised one of the same string */
	int mb = wtab_bits(&d->main, w, n);
	if (mb < 0) {
		d->broken = 1;
		return -1;
	}
	if ((mb & B_HSTEM) || btab_has_stem(&d->ob, w, n, B_HSTEM))
		d->hidden_killed = 1;
	stemrec s = { w, n, "", 0, 0 };
	expand(&d->ob, &d->ai, &s, 0);
	char hid[512];
	size_t hn;
	if (hidden_form(w, n, 0, 0, hid, &hn) > 0) {
		/* and its own hidden word is dropped where the string exists */
		int hb = wtab_bits(&d->main, hid, hn);
		if (hb >= 0 && !(hb & (B_STEM | B_HSTEM)) && !btab_has_stem(&d->ob, hid, hn, B_STEM | B_HSTEM)) {
			stemrec hs = { hid, hn, "", 0, 1 };
			expand(&d->ob, &d->ai, &hs, 0);
		}
	}
	if (d->ob.oom) {
		d->broken = 1;
		return -1;
	}
	return 0;
}

int sw_seal(sw_dict *d)
{
	if (d->sealed)
		return d->broken ? -1 : 0;
	d->sealed = 1;
	d->fast_ok = 1;
	for (int k = 0; k < d->ai.n_iconv; k++) {
		if ((unsigned char)d->ai.iconv_from[k][0] < 0x80)
			d->fast_ok = 0;
		d->iconv_byte[(unsigned char)d->ai.iconv_from[k][0]] = 1;
	}
	for (int k = 0; k < d->ai.n_brk; k++)
		for (const char *p = d->ai.brk[k]; *p; p++)
			d->brk_byte[(unsigned char)*p] = 1;
	for (unsigned c = 0; c < 256; c++)
		if (!d->brk_byte[c])
			d->dom_byte[c] = (unsigned char)((c >= 'a' && c <= 'z') ? 1 : c == '\'' ? 2 :
			                                 (c >= 0x80 && c <= 0xDF) ? 4 : 0);
	if (d->broken)
		return -1;
	if (d->ob.n) {
		uint32_t ns, al;
		size_t bl;
		/* ~16 bits of place filter a byte of the added forms (a few
		   per cent of it set), up to the dictionary's size */
		size_t pw = 64, bytes = 0;
		for (size_t i = 0; i < d->ob.n; i++)
			bytes += d->ob.e[i].len;
		while (pw < bytes / 4 && pw < PLACE_WORDS)
			pw *= 2;
		d->over_blob = btab_serialise(&d->ob, pw, &ns, &al, &bl);
		if (!d->over_blob) {
			d->broken = 1;
			return -1;
		}
		d->over.slot = (const uint32_t *)d->over_blob;
		d->over.nslots = ns;
		d->over.bloom = (const uint64_t *)(d->over_blob + (size_t)ns * 8);
		d->over.tri = (const uint64_t *)(d->over_blob + (size_t)ns * 10);
		d->over.arena = d->over_blob + (size_t)ns * 10 + GRAM_BYTES;
		d->over.alen = al;
		d->over.place = (const uint64_t *)(d->over_blob + place_off(ns, al));
		d->over.place_words = pw;
	}
	btab_free(&d->ob);
	d->tri = d->main.tri;
	if (d->over.nslots && d->main.tri) {
		d->tri_heap = malloc(GRAM_BYTES);
		if (!d->tri_heap) {
			d->tri = NULL;
		} else {
			for (size_t i = 0; i < GRAM_BYTES / 8; i++)
				d->tri_heap[i] = d->main.tri[i] | d->over.tri[i];
			d->tri = d->tri_heap;
		}
	}
	d->dom_ok = d->fast_ok && d->tri;
	d->dom_az = 1;
	for (unsigned c = 'a'; c <= 'z'; c++)
		d->dom_az &= d->dom_byte[c] == 1;
	return 0;
}

void sw_free(sw_dict *d)
{
	if (!d)
		return;
	if (d->map)
		munmap(d->map, d->map_size);
	free(d->heap);
	free(d->over_blob);
	free(d->tri_heap);
	btab_free(&d->ob);
	free(d->ai.a);
	free(d);
}

/* ---- lookups -------------------------------------------------------------------------------- */

typedef struct hit {
	int bits;                 /* merged over both tables */
	long off[2];              /* entry in main / overlay, or -1 */
} hit;

static int find2_h(const sw_dict *d, const char *w, size_t n, uint64_t h, hit *r)
{
	r->bits = 0;
	r->off[0] = wtab_find(&d->main, w, n, h);
	r->off[1] = wtab_find(&d->over, w, n, h);
	if (r->off[0] == -2 || r->off[1] == -2)
		return -1;
	if (r->off[0] >= 0)
		r->bits |= d->main.arena[r->off[0]];
	if (r->off[1] >= 0)
		r->bits |= d->over.arena[r->off[1]];
	return 0;
}

static int find2(const sw_dict *d, const char *w, size_t n, hit *r)
{
	return find2_h(d, w, n, hash64(w, n), r);
}

static int checkword_tables(const sw_dict *d, const char *w, size_t n, int initcap);
static int checkword_bits(const sw_dict *d, const hit *r, int initcap);

/* Hunspell's checkword(): 1 found, 0 not, -1 undecided. */
static int checkword(const sw_dict *d, const char *w, size_t n, int initcap)
{
	if (!n)
		return 0;
	if (d->tri && !grams_ok(d->tri, w, n))
		return 0;             /* an n-gram no form has */
	return checkword_tables(d, w, n, initcap);
}

/* checkword() once the n-gram filter has passed w */
static int checkword_tables(const sw_dict *d, const char *w, size_t n, int initcap)
{
	hit r;
	if (find2(d, w, n, &r) < 0)
		return -1;
	return checkword_bits(d, &r, initcap);
}

/* checkword_tables() once the tables have been read into r */
static int checkword_bits(const sw_dict *d, const hit *r, int initcap)
{
	const int bits = r->bits;
	if ((bits & B_BAD) || (d->hidden_killed && (bits & (B_DUP | B_AUP))))
		return -1;
	if (bits & B_DOK)
		return 1;
	if ((bits & B_DUP) && !initcap)
		return 1;
	if ((bits & B_AOK) && (bits & B_AUP))
		return initcap ? -1 : 1;
	if (bits & B_AOK)
		return 1;
	if (bits & B_AUP)
		return initcap ? 0 : 1;
	return 0;
}

typedef struct stk {
	const char *w[24];
	size_t n[24];
	int depth;
} stk;

static int spell_rec(const sw_dict *d, const char *w, size_t n, stk *s);

/* ICONV: at each position the longest matching pattern is replaced. */
static size_t iconv_apply(const affinfo *ai, const char *w, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		int best = -1;
		size_t bl = 0;
		for (int k = 0; k < ai->n_iconv; k++) {
			size_t pl = strlen(ai->iconv_from[k]);
			if (pl && pl <= n - i && pl > bl && memcmp(w + i, ai->iconv_from[k], pl) == 0) {
				best = k;
				bl = pl;
			}
		}
		if (best >= 0) {
			size_t tl = strlen(ai->iconv_to[best]);
			if (o + tl >= cap)
				return (size_t)-1;
			memcpy(out + o, ai->iconv_to[best], tl);
			o += tl;
			i += bl;
		} else {
			if (o + 1 >= cap)
				return (size_t)-1;
			out[o++] = w[i++];
		}
	}
	out[o] = 0;
	return o;
}

static size_t encode_cps(const uint32_t *cp, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += u8enc(out + o, cp[i]);
	out[o] = 0;
	return o;
}

static void cps_lower(uint32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t lo, up;
		if (case_of(cp[i], &lo, &up))
			cp[i] = lo;
	}
}

static void cps_initcap(uint32_t *cp, size_t n)
{
	uint32_t lo, up;
	if (n && case_of(cp[0], &lo, &up))
		cp[0] = up;
}

#define TRY_CW(x)                                   \
	do {                                        \
		int r_ = (x);                       \
		if (r_ < 0)                         \
			return SW_UNDECIDED;        \
		if (r_ > 0)                         \
			return SW_KNOWN;            \
	} while (0)

/* Hunspell's case variants for scw (cleaned, abbv trailing dots);
 * SW_KNOWN when one is found, else SW_UNKNOWN with scw/cp left as Hunspell
 * leaves them for the break step. */
static int spell_cases(const sw_dict *d, char *scw, size_t *wl, uint32_t *cp, size_t nc, int ct, size_t abbv)
{
	char buf[SW_MAXBYTES * 2 + 8];
	switch (ct) {
	case HUHCAP:
	case HUHINITCAP:
	case NOCAP:
		TRY_CW(checkword(d, scw, *wl, 0));
		if (abbv) {
			memcpy(buf, scw, *wl);
			buf[*wl] = '.';
			TRY_CW(checkword(d, buf, *wl + 1, 0));
		}
		return SW_UNKNOWN;
	case ALLCAP: {
		TRY_CW(checkword(d, scw, *wl, 0));
		if (abbv) {
			memcpy(buf, scw, *wl);
			buf[*wl] = '.';
			TRY_CW(checkword(d, buf, *wl + 1, 0));
		}
		char *ap = memchr(scw, '\'', *wl);
		if (ap) {
			size_t apos = (size_t)(ap - scw);
			cps_lower(cp, nc);
			*wl = encode_cps(cp, nc, scw);
			if (apos < *wl - 1) {
				/* the code point after the apostrophe */
				size_t ci = 0, b = 0;
				while (ci < nc && b <= apos) {
					char tmp[4];
					b += u8enc(tmp, cp[ci]);
					ci++;
				}
				cps_initcap(cp + ci, nc - ci);
				*wl = encode_cps(cp, nc, scw);
				TRY_CW(checkword(d, scw, *wl, 0));
				cps_initcap(cp, nc);
				*wl = encode_cps(cp, nc, scw);
				TRY_CW(checkword(d, scw, *wl, 0));
			}
		}
	}
		/* fall through */
	case INITCAP: {
		if (ct == ALLCAP) {
			cps_lower(cp, nc);
			cps_initcap(cp, nc);
			*wl = encode_cps(cp, nc, scw);
		}
		TRY_CW(checkword(d, scw, *wl, ct == INITCAP));
		cps_lower(cp, nc);
		size_t ul = encode_cps(cp, nc, buf);
		cps_initcap(cp, nc);
		*wl = encode_cps(cp, nc, scw);
		TRY_CW(checkword(d, buf, ul, 0));
		if (abbv) {
			buf[ul] = '.';
			TRY_CW(checkword(d, buf, ul + 1, 0));
			memcpy(buf, scw, *wl);
			buf[*wl] = '.';
			TRY_CW(checkword(d, buf, *wl + 1, ct == INITCAP));
			return SW_UNKNOWN;   /* Hunspell breaks out here: no KEEPCASE */
		}
		return SW_UNKNOWN;
	}
	}
	return SW_UNDECIDED;
}

static int spell_int(const sw_dict *d, const char *word, size_t n, stk *s)
{
	if (n >= SW_MAXBYTES)
		return SW_UNDECIDED;
	/* the common case, ASCII letters (and apostrophes) that neither ICONV
	 * nor a break pattern touches: straight to the case variants */
	if (n && d->fast_ok) {
		uint32_t cp[SW_MAXBYTES];
		size_t i = 0, nc = 0;
		int other = 0;           /* anything but ASCII lower case */
		while (i < n) {
			unsigned char c = (unsigned char)word[i];
			if (c < 0x80) {
				if (c >= 'a' && c <= 'z' && !d->brk_byte[c]) {
					cp[nc++] = c;
					i++;
					continue;
				}
				if (!((c >= 'A' && c <= 'Z') || c == '\'') || d->brk_byte[c])
					break;
				other = 1;
				cp[nc++] = c;
				i++;
				continue;
			}
			other = 1;
			/* a two-byte letter (é, ñ, ł ...) */
			unsigned char c2 = i + 1 < n ? (unsigned char)word[i + 1] : 0;
			if (c < 0xC2 || c > 0xDF || (c2 & 0xC0) != 0x80 || d->iconv_byte[c] || d->brk_byte[c] ||
			    d->brk_byte[c2])
				break;
			uint32_t x = ((uint32_t)(c & 0x1F) << 6) | (c2 & 0x3F), lo, up;
			if (!case_of(x, &lo, &up) || lo == up)
				break;
			cp[nc++] = x;
			i += 2;
		}
		if (i == n) {
			if (!other) {        /* NOCAP: one lookup of the word itself */
				int r = checkword(d, word, n, 0);
				return r < 0 ? SW_UNDECIDED : r ? SW_KNOWN : SW_UNKNOWN;
			}
			char scw[SW_MAXBYTES + 8];
			memcpy(scw, word, n);
			scw[n] = 0;
			size_t wl = n;
			return spell_cases(d, scw, &wl, cp, nc, captype(cp, nc), 0);
		}
	}
	char conv[SW_MAXBYTES * 2 + 8];
	const char *w = word;
	if (d->ai.n_iconv) {
		size_t cn = iconv_apply(&d->ai, word, n, conv, sizeof conv);
		if (cn == (size_t)-1 || cn >= SW_MAXBYTES)
			return SW_UNDECIDED;
		w = conv;
		n = cn;
	}
	/* cleanword2: leading blanks, trailing dots */
	size_t q = 0;
	while (q < n && w[q] == ' ')
		q++;
	size_t nl = n - q, abbv = 0;
	while (nl > 0 && w[q + nl - 1] == '.') {
		nl--;
		abbv++;
	}
	if (nl == 0)
		return SW_KNOWN;
	char scw[SW_MAXBYTES * 2 + 8];
	memcpy(scw, w + q, nl);
	scw[nl] = 0;
	if (memchr(scw, 0, nl))
		return SW_UNDECIDED;
	uint32_t cp[SW_MAXBYTES + 8];
	size_t nc = 0;
	for (size_t i = 0; i < nl;) {
		size_t k = u8dec(scw + i, nl - i, &cp[nc]);
		if (!k || cp[nc] > 0xFFFF)
			return SW_UNDECIDED;
		i += k;
		nc++;
	}
	int ct = captype(cp, nc);
	if (ct < 0)
		return SW_UNDECIDED;
	/* numbers with dots, dashes and commas */
	{
		enum { NBEGIN, NNUM, NSEP } ns = NBEGIN;
		size_t i;
		for (i = 0; i < nl; i++) {
			char c = scw[i];
			if (c >= '0' && c <= '9')
				ns = NNUM;
			else if (c == ',' || c == '.' || c == '-') {
				if (ns == NSEP || i == 0)
					break;
				ns = NSEP;
			} else
				break;
		}
		if (i == nl && ns == NNUM)
			return SW_KNOWN;
	}
	if (d->ai.compound_digits)
		for (size_t i = 0; i < nl; i++)
			if (scw[i] >= '0' && scw[i] <= '9')
				return SW_UNDECIDED;
	size_t wl = nl;
	int v = spell_cases(d, scw, &wl, cp, nc, ct, abbv);
	if (v != SW_UNKNOWN)
		return v;
	/* recursive breaking at break points */
	if (!d->ai.n_brk)
		return SW_UNKNOWN;
	int nbr = 0;
	for (int j = 0; j < d->ai.n_brk; j++) {
		const char *b = d->ai.brk[j];
		size_t bl = strlen(b);
		for (size_t pos = 0; bl && pos + bl <= wl;) {
			char *f = memmem(scw + pos, wl - pos, b, bl);
			if (!f)
				break;
			nbr++;
			pos = (size_t)(f - scw) + bl;
		}
	}
	if (nbr >= 10)
		return SW_UNKNOWN;
	for (int j = 0; j < d->ai.n_brk; j++) {
		const char *b = d->ai.brk[j];
		size_t plen = strlen(b);
		if (plen == 1 || plen > wl)
			continue;
		if (b[0] == '^' && memcmp(scw, b + 1, plen - 1) == 0) {
			int r = spell_rec(d, scw + plen - 1, wl - plen + 1, s);
			if (r)
				return r;
		}
		if (b[plen - 1] == '$' && memcmp(scw + wl - plen + 1, b, plen - 1) == 0) {
			int r = spell_rec(d, scw, wl - plen + 1, s);
			if (r)
				return r;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int j = 0; j < d->ai.n_brk; j++) {
			const char *b = d->ai.brk[j];
			size_t plen = strlen(b);
			char *f = plen <= wl ? memmem(scw, wl, b, plen) : NULL;
			if (!f)
				continue;
			size_t found = (size_t)(f - scw);
			if (!(found > 0 && found + plen < wl))
				continue;
			if (pass == 0 && found + 1 < wl) {
				char *f2 = memmem(scw + found + 1, wl - found - 1, b, plen);
				if (f2 && (size_t)(f2 - scw) + plen < wl)
					found = (size_t)(f2 - scw);
			}
			int r = spell_rec(d, scw + found + plen, wl - found - plen, s);
			if (r < 0)
				return r;
			if (!r)
				continue;
			r = spell_rec(d, scw, found, s);
			if (r)
				return r;
		}
	}
	return SW_UNKNOWN;
}

static int spell_rec(const sw_dict *d, const char *w, size_t n, stk *s)
{
	for (int i = 0; i < s->depth; i++)
		if (s->n[i] == n && memcmp(s->w[i], w, n) == 0)
			return SW_UNKNOWN;
	if (s->depth == 24)
		return SW_UNDECIDED;
	s->w[s->depth] = w;
	s->n[s->depth] = n;
	s->depth++;
	int r = spell_int(d, w, n, s);
	s->depth--;
	return r;
}

int sw_tri_letter(const sw_dict *d, uint32_t cp, unsigned char out[2])
{
	if (!d->dom_ok)
		return 0;
	if (cp < 0x80) {
		if (!((cp >= 'a' && cp <= 'z') || cp == '\'') || d->brk_byte[cp])
			return 0;
		out[0] = (unsigned char)cp;
		return 1;
	}
	uint32_t lo, up;
	if (cp < 0x80 || cp > 0x7FF || !case_of(cp, &lo, &up) || lo == up || lo != cp)
		return 0;
	unsigned char c = (unsigned char)(0xC0 | (cp >> 6)), c2 = (unsigned char)(0x80 | (cp & 0x3F));
	if (c < 0xC2 || d->iconv_byte[c] || d->brk_byte[c] || d->brk_byte[c2])
		return 0;
	out[0] = c;
	out[1] = c2;
	return 2;
}

/* Is w a word spell_int() takes by its fast path with no capital: 1 all
 * ASCII lower-case letters (straight to checkword()), 2 also apostrophes
 * or two-byte lower-case letters (to spell_cases() as NOCAP, which tries
 * checkword() on w alone); 0 anything else.  Either way w reaches
 * checkword() unchanged, and grams_ok() decides first. */
static int tri_domain(const sw_dict *d, const char *w, size_t n)
{
	if (!d->dom_ok || !n || n >= SW_MAXBYTES)
		return 0;
	/* most candidates: a-z and apostrophes, eight a-z bytes at a time,
	 * then one table look-up a byte */
	unsigned all = 0;
	size_t i = 0;
	for (; d->dom_az && n - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, w + i, 8);
		if (wk_az8(x) != 0x8080808080808080ull)
			break;
		all = 1;
	}
	for (; i < n; i++) {
		unsigned k = d->dom_byte[(unsigned char)w[i]];
		if (!k)
			return 0;
		all |= k;
	}
	if (all < 4)
		return all == 1 ? 1 : 2;
	int kind = 1;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)w[i];
		if (c < 0x80) {
			if (!((c >= 'a' && c <= 'z') || c == '\'') || d->brk_byte[c])
				return 0;
			if (c == '\'')
				kind = 2;
			i++;
			continue;
		}
		unsigned char c2 = i + 1 < n ? (unsigned char)w[i + 1] : 0;
		if (c < 0xC2 || c > 0xDF || (c2 & 0xC0) != 0x80 || d->iconv_byte[c] || d->brk_byte[c] ||
		    d->brk_byte[c2])
			return 0;
		uint32_t x = ((uint32_t)(c & 0x1F) << 6) | (c2 & 0x3F), lo, up;
		if (!case_of(x, &lo, &up) || lo == up || lo != x)
			return 0;
		kind = 2;
		i += 2;
	}
	return kind;
}

/* sw_cand_first() past its filter: the ticket of w (kind: tri_domain()). */
static int cand_ticket(const sw_dict *d, const char *w, size_t n, int kind, sw_ticket *tk)
{
	tk->kind = kind;
	tk->h = 0;
	if (kind == 1) {            /* spell_int()'s NOCAP case, its filter passed */
		tk->h = hash64(w, n);
		/* the Bloom blocks find2() reads first (one cache line each), and
		 * the first slot it reads when the block lets the word through */
		const wtab *t[2] = { &d->main, &d->over };
		for (int i = 0; i < 2; i++) {
			if (!t[i]->nslots)
				continue;
			if (t[i]->bloom)
				__builtin_prefetch(bloom_block(t[i]->bloom, t[i]->nslots * 16 - 1, tk->h));
			__builtin_prefetch(&t[i]->slot[2 * ((uint32_t)tk->h & (t[i]->nslots - 1))]);
		}
	}
	return SW_UNDECIDED;
}

int sw_cand_first(const sw_dict *d, const char *w, size_t n, size_t lo, size_t hi, sw_ticket *tk)
{
	int kind = tri_domain(d, w, n);
	if (kind && !grams_walk(d->tri, w, n, lo, hi, NULL))
		return SW_UNKNOWN;
	return cand_ticket(d, w, n, kind, tk);
}

int sw_cand_checked(const sw_dict *d, const char *w, size_t n, sw_ticket *tk)
{
	return cand_ticket(d, w, n, tri_domain(d, w, n), tk);
}

int sw_cand_last(const sw_dict *d, const char *w, size_t n, const sw_ticket *tk)
{
	if (tk->kind == 1) {
		hit r;
		int v = find2_h(d, w, n, tk->h, &r) < 0 ? -1 : checkword_bits(d, &r, 0);
		return v < 0 ? SW_UNDECIDED : v ? SW_KNOWN : SW_UNKNOWN;
	}
	return sw_spell(d, w, n);
}

int sw_spell_cand(const sw_dict *d, const char *w, size_t n, size_t lo, size_t hi)
{
	sw_ticket tk;
	if (sw_cand_first(d, w, n, lo, hi, &tk) == SW_UNKNOWN)
		return SW_UNKNOWN;
	return sw_cand_last(d, w, n, &tk);
}

int sw_spell(const sw_dict *d, const char *w, size_t n)
{
	if (!d->sealed || d->broken)
		return SW_UNDECIDED;
	stk s;
	s.depth = 0;
	return spell_rec(d, w, n, &s);
}

int sw_stems(const sw_dict *d, const char *word, size_t n, void (*fn)(void *, const char *, size_t), void *ud)
{
	if (!d->sealed || d->broken || n >= SW_MAXBYTES)
		return SW_UNDECIDED;
	char conv[SW_MAXBYTES * 2 + 8];
	const char *w = word;
	if (d->ai.n_iconv) {
		size_t cn = iconv_apply(&d->ai, word, n, conv, sizeof conv);
		if (cn == (size_t)-1 || cn >= SW_MAXBYTES)
			return SW_UNDECIDED;
		w = conv;
		n = cn;
	}
	if (!n || w[0] == ' ' || w[n - 1] == '.' || memchr(w, 0, n))
		return SW_UNDECIDED;
	uint32_t cp[SW_MAXBYTES + 8];
	size_t nc = 0;
	int digit = 0;
	for (size_t i = 0; i < n;) {
		size_t k = u8dec(w + i, n - i, &cp[nc]);
		if (!k || cp[nc] > 0xFFFF)
			return SW_UNDECIDED;
		digit |= cp[nc] >= '0' && cp[nc] <= '9';
		i += k;
		nc++;
	}
	if (captype(cp, nc) != NOCAP || (digit && d->ai.compound_digits))
		return SW_UNDECIDED;
	hit r;
	if (find2(d, w, n, &r) < 0 || (r.bits & B_BAD) ||
	    (d->hidden_killed && (r.bits & (B_DUP | B_AUP))))
		return SW_UNDECIDED;
	int count = 0;
	if (r.bits & (B_DOK | B_DUP)) {
		fn(ud, w, n);
		count++;
	}
	for (int t = 0; t < 2; t++) {
		if (r.off[t] < 0)
			continue;
		const wtab *tb = t ? &d->over : &d->main;
		const unsigned char *p = tb->arena + r.off[t];
		uint16_t nr;
		memcpy(&nr, p + 2, 2);
		for (uint16_t i = 0; i < nr; i++) {
			uint32_t ro;
			memcpy(&ro, p + 4 + 4 * i, 4);
			if ((uint64_t)ro + 4 > tb->alen)
				return SW_UNDECIDED;
			const unsigned char *q = tb->arena + ro;
			uint16_t nr2;
			memcpy(&nr2, q + 2, 2);
			if ((uint64_t)ro + 4 + 4ull * nr2 + q[1] > tb->alen)
				return SW_UNDECIDED;
			fn(ud, (const char *)q + 4 + 4 * nr2, q[1]);
			count++;
		}
	}
	return count;
}

int sw_tri_usable(const sw_dict *d)
{
	return d->dom_ok && d->dom_az && !d->brk_byte['\''];
}

int sw_grams_bad(const sw_dict *d, const char *w, size_t n, long *min_end, long *max_start)
{
	long bad[2] = { (long)n + 1, -2 };
	if (d->dom_ok && n + 2 < SW_MAXBYTES)
		grams_walk(d->tri, w, n, 0, n, bad);
	*min_end = bad[0];
	*max_start = bad[1];
	return bad[1] > -2;
}

static inline int has_gram(const uint64_t *t, uint32_t bit)
{
	return (t[bit >> 6] >> (bit & 63)) & 1;
}

/* The n-grams of the candidate c (m = n - keep + 1 bytes, x at c[i]) that
 * hold x, as grams_walk() with lo = i, hi = i + 1 sees them: those within
 * c[-1] .. c[m], both 0.  Their other bytes are fixed; only x varies. */
uint32_t sw_fits_at(const sw_dict *d, const char *w, size_t n, size_t i, size_t keep)
{
	if (!d->dom_ok || i + keep > n)
		return SW_FITS_ALL;
	const unsigned char *u = (const unsigned char *)w;
	const uint64_t *t = d->tri, *q = d->tri + TRI_BYTES / 8;
	const size_t m = n - keep + 1, r = i + keep;   /* c[i + 1 + k] = w[r + k] */
	const uint32_t p1 = i >= 1 ? u[i - 1] : 0, p2 = i >= 2 ? u[i - 2] : 0, p3 = i >= 3 ? u[i - 3] : 0;
	const uint32_t r1 = r < n ? u[r] : 0, r2 = r + 1 < n ? u[r + 1] : 0, r3 = r + 2 < n ? u[r + 2] : 0;
	const int left1 = i >= 1, left2 = i >= 2, right2 = i + 2 <= m, right3 = i + 3 <= m;
	/* stage by stage, each over the letters still in: the look-ups of a
	 * stage do not wait for each other (most miss the nearest cache), where
	 * a letter's own chain of tests would make each wait for the last */
#define LETTER(k) ((k) < 26 ? 'a' + (k) : '\'')
#define STAGE(cond, test) \
	if (cond) { \
		uint32_t in_ = 0; \
		for (uint32_t b_ = fit; b_; b_ &= b_ - 1) { \
			const uint32_t k = (uint32_t)__builtin_ctz(b_), x = LETTER(k); \
			in_ |= (uint32_t)(test) << k; \
		} \
		fit &= in_; \
	}
	uint32_t fit = 0;
	for (uint32_t k = 0; k < 27; k++)
		fit |= (uint32_t)has_gram(t, tri_bit(p1, LETTER(k), r1)) << k;
	STAGE(left1, has_gram(t, tri_bit(p2, p1, x)) & has_gram(q, quad_bit(p2, p1, x, r1)))
	STAGE(right2, has_gram(t, tri_bit(x, r1, r2)) & has_gram(q, quad_bit(p1, x, r1, r2)))
	STAGE(left2, has_gram(q, quad_bit(p3, p2, p1, x)))
	STAGE(right3, has_gram(q, quad_bit(x, r1, r2, r3)))
#undef STAGE
#undef LETTER
	return fit;
}

/* Is key h in the place filter of the dictionary or of the added words? */
static int place_in(const sw_dict *d, uint64_t h)
{
	const uint64_t b = place_bits(h);
	const wtab *t[2] = { &d->main, &d->over };
	for (int k = 0; k < 2; k++)
		if (t[k]->place && (t[k]->place[place_word(h, t[k]->place_words)] & b) == b)
			return 1;
	return 0;
}

int sw_place_open(const sw_dict *d, const char *w, size_t n, size_t i, size_t keep)
{
	const unsigned char *u = (const unsigned char *)w;
	if (!d->dom_ok || keep > 1 || i + keep > n || n - keep + 4 > PLACE_MAXN)
		return 1;
	for (size_t k = 0; k < n; k++)
		if (k - i >= keep && !place_byte(u[k]))
			return 1;   /* a kept byte no form of the filter has */
	return place_in(d, place_key(u, n, i, keep));
}

void sw_places_open(const sw_dict *d, const char *w, size_t n, unsigned char *ins, unsigned char *rep)
{
	const unsigned char *u = (const unsigned char *)w;
	int judged = d->dom_ok && n + 4 <= PLACE_MAXN;
	for (size_t k = 0; judged && k < n; k++)
		judged = place_byte(u[k]);
	if (!judged) {   /* sw_place_open() place by place: it tells what it can */
		for (size_t i = 0; i <= n; i++)
			ins[i] = (unsigned char)sw_place_open(d, w, n, i, 0);
		for (size_t i = 0; i < n; i++)
			rep[i] = (unsigned char)sw_place_open(d, w, n, i, 1);
		return;
	}
	/* every key first, their words asked for; then the answers (the
	 * look-ups do not wait for each other) */
	uint64_t h[2 * PLACE_MAXN + 1];
	for (size_t i = 0; i <= n; i++) {
		h[i] = place_key(u, n, i, 0);
		__builtin_prefetch(&d->main.place[place_word(h[i], d->main.place_words)]);
	}
	for (size_t i = 0; i < n; i++) {
		h[n + 1 + i] = place_key(u, n, i, 1);
		__builtin_prefetch(&d->main.place[place_word(h[n + 1 + i], d->main.place_words)]);
	}
	for (size_t j = 0; j < 2 * n + 1; j++) {
		const int open = place_in(d, h[j]);
		if (j <= n)
			ins[j] = (unsigned char)open;
		else
			rep[j - n - 1] = (unsigned char)open;
	}
}

int sw_tri(const sw_dict *d, unsigned a, unsigned b, unsigned c)
{
	uint32_t bit = tri_bit(a, b, c);
	return (d->tri[bit >> 6] >> (bit & 63)) & 1;
}
