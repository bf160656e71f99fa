/* keyword-stuffing.c -- find the 2-4-word phrase an article over-uses
 * (in every paragraph, the title and every subheading) without being told
 * which phrase it is; optionally give Yoast-compatible numbers for a
 * declared keyphrase.  Detector and defaults: docs/keyword-stuffing.md.
 *
 * Cost is linear in the text: words are interned to ids, n-grams are 64-bit
 * hashes of word ids, a sketch of 4-bit saturating counters (one byte per
 * word of text) counts every n-gram approximately (never under), and only
 * the n-grams of the title and those the sketch has seen often enough to
 * matter get an exact entry: on long texts that is a handful. */
#include "newslint/plugin.h"
#include "wordkey.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KS_MAXN 4          /* longest phrase, in words */
#define KS_MAXKP 16        /* content words in a declared keyphrase */
#define KS_WORDBUF 256     /* folded word buffer */
#define KS_NONE UINT32_MAX
#define KS_RELATED_MAX 4096 /* related spans kept per finding */
#ifndef KS_SCRATCH_KEEP
#define KS_SCRATCH_KEEP (4u << 20) /* a thread keeps at most this much scratch between checks */
#endif
#ifndef KS_EXACT_VISITS
#define KS_EXACT_VISITS 16384 /* up to here n-grams are counted exactly without a sketch */
#endif
#ifndef KS_ONEPASS_TOKENS
#define KS_ONEPASS_TOKENS (1u << 22) /* up to here word ids are kept while interning */
#endif

/* ---- hashing -------------------------------------------------------------- */
static uint64_t mix64(uint64_t x)
{
	/* splitmix64 finaliser */
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* String hash for the word tables, eight bytes at a time.  Word ids are
 * given in order of first use, so this hash changes no id and no finding. */
static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
		h ^= h >> 29;
	}
	if (n) {
		uint64_t w = 0;
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
	}
	return mix64(h);
}

static uint64_t gram_start(uint32_t id) { return mix64((uint64_t)id + 1); }
static uint64_t gram_next(uint64_t h, uint32_t id)
{
	return mix64(h * 0x9E3779B97F4A7C15ull + (uint64_t)id + 0x632BE59BD9B4E019ull);
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

/* ---- a set of strings (function words) and the per-check vocabulary ------ */
typedef struct strtab {
	uint64_t *hash;     /* 0 = empty slot */
	uint32_t *id;       /* slot -> id */
	size_t cap, n;
	char *arena; size_t arena_len, arena_cap;
	uint32_t *off;      /* id -> offset into arena */
	uint16_t *len;      /* id -> length */
	uint8_t *func;      /* id -> is a function word */
	size_t ids_cap;
} strtab;

static void strtab_free(strtab *t)
{
	free(t->hash); free(t->id); free(t->arena); free(t->off); free(t->len); free(t->func);
	memset(t, 0, sizeof *t);
}

static int strtab_grow(strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	uint64_t *h = calloc(cap, sizeof *h);
	uint32_t *id = malloc(cap * sizeof *id);
	if (!h || !id) {
		free(h); free(id);
		return NL_ENOMEM;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->hash[i])
			continue;
		size_t j = t->hash[i] & (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = t->hash[i];
		id[j] = t->id[i];
	}
	free(t->hash); free(t->id);
	t->hash = h; t->id = id; t->cap = cap;
	return 0;
}

/* Find s; with add, insert it.  Returns the id, KS_NONE when absent, or
 * KS_NONE - 1 when out of memory. */
static uint32_t strtab_get_h(strtab *t, const char *s, size_t n, uint64_t h, int add);

static uint32_t strtab_get(strtab *t, const char *s, size_t n, int add)
{
	if (n > 0xFFFF)
		n = 0xFFFF;
	return strtab_get_h(t, s, n, hash_bytes(s, n) | 1, add);
}

/* As strtab_get, with h = hash_bytes(s, n) | 1 computed by the caller. */
static uint32_t strtab_get_h(strtab *t, const char *s, size_t n, uint64_t h, int add)
{
	if (t->cap) {
		size_t j = h & (t->cap - 1);
		while (t->hash[j]) {
			if (t->hash[j] == h) {
				uint32_t id = t->id[j];
				if (t->len[id] == n && memcmp(t->arena + t->off[id], s, n) == 0)
					return id;
			}
			j = (j + 1) & (t->cap - 1);
		}
	}
	if (!add)
		return KS_NONE;
	if ((t->n + 1) * 10 > t->cap * 7 && strtab_grow(t) < 0)
		return KS_NONE - 1;
	if (t->n == t->ids_cap) {
		size_t c = t->ids_cap ? t->ids_cap * 2 : 1024;
		uint32_t *off = realloc(t->off, c * sizeof *off);
		if (off) t->off = off;
		uint16_t *len = realloc(t->len, c * sizeof *len);
		if (len) t->len = len;
		uint8_t *func = realloc(t->func, c);
		if (func) t->func = func;
		if (!off || !len || !func)
			return KS_NONE - 1;
		t->ids_cap = c;
	}
	if (t->arena_len + n + 1 > t->arena_cap) {
		size_t c = t->arena_cap ? t->arena_cap * 2 : 8192;
		while (c < t->arena_len + n + 1)
			c *= 2;
		char *a = realloc(t->arena, c);
		if (!a)
			return KS_NONE - 1;
		t->arena = a; t->arena_cap = c;
	}
	uint32_t id = (uint32_t)t->n++;
	memcpy(t->arena + t->arena_len, s, n);
	t->arena[t->arena_len + n] = '\0';
	t->off[id] = (uint32_t)t->arena_len;
	t->len[id] = (uint16_t)n;
	t->func[id] = 0;
	t->arena_len += n + 1;
	size_t j = h & (t->cap - 1);
	while (t->hash[j])
		j = (j + 1) & (t->cap - 1);
	t->hash[j] = h;
	t->id[j] = id;
	return id;
}

/* ---- configuration ---------------------------------------------------------- */
typedef struct ks_params {
	long min_words, min_count, heading_min_subheadings, heading_count;
	long error_count, warning_count, bolted_count, heading_error_count;
	long name_count, keyphrase_min_words, title_max_words, deck_max_words;
	double absorb_share, error_coverage, warning_coverage, bolted_coverage, bolted_share;
	double heading_share, heading_error_coverage;
	double name_share, name_coverage, name_heading_coverage;
} ks_params;

typedef struct ks_state {
	const nl_host *host;
	ks_params p;
	strtab func;                 /* function words */
	wk_set fset;                 /* those of <= 16 bytes, keyed as the vocabulary */
	char *kp_text;               /* declared keyphrase as written, or NULL */
	char *kp_words[KS_MAXKP];    /* its folded content words */
	size_t kp_n;
	pthread_key_t cache_key;     /* each thread's kcache, kept across documents */
	int cache_key_ok;
} ks_state;

/* Fold a word the way every rule here compares words: host fold (lower case,
 * ' for U+2019), then strip a possessive 's (Ukraine's -> ukraine) or a
 * plural possessive's lone apostrophe (voters' -> voters). */
static size_t ks_fold(const nl_host *host, const char *s, size_t n, char *out)
{
	size_t m = host->fold(s, n, out, KS_WORDBUF);
	if (m > KS_WORDBUF - 1)
		m = KS_WORDBUF - 1;
	if (m > 2 && out[m - 2] == '\'' && out[m - 1] == 's')
		m -= 2;
	else if (m > 1 && out[m - 1] == '\'')
		m -= 1;
	out[m] = '\0';
	return m;
}

/* ks_fold with the common case (ASCII, shorter than the buffer) done here:
 * host->fold only lower-cases A-Z in ASCII. */
static size_t ks_fold_fast(const nl_host *host, const char *s, size_t n, char *out)
{
	if (n >= KS_WORDBUF)
		return ks_fold(host, s, n, out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80)
			return ks_fold(host, s, n, out);
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	size_t m = n;
	if (m > 2 && out[m - 2] == '\'' && out[m - 1] == 's')
		m -= 2;
	else if (m > 1 && out[m - 1] == '\'')
		m -= 1;
	out[m] = '\0';
	return m;
}

/* ---- the vocabulary of one check, in a thread's scratch ---------------------
 * Each document numbers its words 0, 1, 2... in order of first use (the
 * n-gram hashes are made of those numbers).  A word is found by its folded
 * bytes: a folded word of <= 16 bytes is its own key (two 64-bit words,
 * zero-padded), compared without memcmp; an ASCII token of <= 16 bytes is
 * folded eight bytes at a time.  The table and the other buffers belong to
 * the thread and are reused by its next check: a slot is valid only when
 * its stamp is the check's generation, so nothing is cleared. */
typedef wk_vent vent;

typedef struct kcache {
	vent *vt; size_t vt_alloc;              /* slots allocated */
	uint32_t gen;
	char *arena; size_t arena_cap;          /* folded words, NUL-terminated */
	uint32_t *voff; uint32_t *vlen; uint8_t *vfunc; uint32_t *wc;  /* per word id */
	size_t v_cap;                           /* of voff, vlen and vfunc */
	size_t wc_cap;                          /* of wc (>= v_cap; the host's numbers may need more) */
	uint16_t *wid16; size_t wid16_cap;      /* token -> word id */
	uint8_t *okw; size_t okw_cap;
} kcache;

static void kc_free_fields(kcache *kc)
{
	free(kc->vt); free(kc->arena); free(kc->voff); free(kc->vlen); free(kc->vfunc);
	free(kc->wc); free(kc->wid16); free(kc->okw);
}

/* Bytes a thread's scratch holds. */
static size_t kc_bytes(const kcache *kc)
{
	return kc->vt_alloc * sizeof *kc->vt + kc->arena_cap +
	       kc->v_cap * (2 * sizeof(uint32_t) + 1) + kc->wc_cap * sizeof *kc->wc +
	       kc->wid16_cap * sizeof *kc->wid16 + kc->okw_cap;
}

static void kc_free(void *p)
{
	kcache *kc = p;
	if (!kc)
		return;
	kc_free_fields(kc);
	free(kc);
}

/* The calling thread's scratch (made on first use), or NULL. */
static kcache *kc_get(const ks_state *st)
{
	if (!st->cache_key_ok)
		return NULL;
	kcache *kc = pthread_getspecific(st->cache_key);
	if (kc)
		return kc;
	kc = calloc(1, sizeof *kc);
	if (kc && pthread_setspecific(st->cache_key, kc) != 0) {
		free(kc);
		kc = NULL;
	}
	return kc;
}

/* Grow a scratch array to hold n elements of size sz (contents kept). */
static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	return wk_grow(pp, cap, n, sz, 256) ? NL_ENOMEM : 0;
}

/* Byte i (0..7) of a word loaded with memcpy. */
static inline unsigned byte_at(uint64_t w, unsigned i)
{
	return WK_BIG_ENDIAN ? (unsigned)(w >> (56 - 8 * i)) & 0xFF : (unsigned)(w >> (8 * i)) & 0xFF;
}

/* Is byte c among the eight bytes of w? */
static inline int has_byte(uint64_t w, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t v = w ^ (ones * c);
	return ((v - ones) & ~v & high) != 0;
}

/* Is folded word w[0..m) with key k0, k1 a function word? */
static int is_func(const ks_state *st, uint64_t k0, uint64_t k1, size_t m, const char *w)
{
	if (m > 16)
		return strtab_get((strtab *)&st->func, w, m, 0) != KS_NONE;
	return wk_set_has(&st->fset, w, m, k0, k1);
}

/* The keyed set of the function words of <= 16 bytes. */
static int build_fkeys(ks_state *st)
{
	if (wk_set_init(&st->fset, st->func.n))
		return NL_ENOMEM;
	for (size_t id = 0; id < st->func.n; id++) {
		size_t m = st->func.len[id];
		if (m && m <= 16)
			wk_set_add(&st->fset, st->func.arena + st->func.off[id], m);
	}
	return 0;
}

static void kc_reset_stamps(kcache *kc)
{
	for (size_t i = 0; i < kc->vt_alloc; i++)
		kc->vt[i].stamp = 0;
}

static int add_func_word(void *ud, const char *entry, size_t len, unsigned line)
{
	(void)line;
	ks_state *st = ud;
	char buf[KS_WORDBUF];
	size_t m = ks_fold(st->host, entry, len, buf);
	if (!m)
		return 0;
	uint32_t id = strtab_get(&st->func, buf, m, 1);
	return id >= KS_NONE - 1 ? NL_ENOMEM : 0;
}

static const char *const ks_keys[] = {
	"function_words", "min_words", "min_count", "absorb_share",
	"error_coverage", "error_count", "warning_coverage", "warning_count",
	"bolted_coverage", "bolted_count", "bolted_share",
	"heading_share", "heading_min_subheadings", "heading_count",
	"heading_error_coverage", "heading_error_count",
	"name_share", "name_coverage", "name_count", "name_heading_coverage",
	"keyphrase", "keyphrase_min_words", "title_max_words", "deck_max_words", NULL
};

static void ks_destroy(void *state)
{
	ks_state *st = state;
	if (!st)
		return;
	if (st->cache_key_ok) {
		/* worker threads are joined (their destructors ran); this
		   thread's cache is freed here */
		kc_free(pthread_getspecific(st->cache_key));
		pthread_key_delete(st->cache_key);
	}
	strtab_free(&st->func);
	wk_set_free(&st->fset);
	free(st->kp_text);
	for (size_t i = 0; i < st->kp_n; i++)
		free(st->kp_words[i]);
	free(st);
}

static int ks_create(const nl_host *host, const nl_config *cfg, void **state)
{
	ks_state *st = calloc(1, sizeof *st);
	if (!st)
		return NL_ENOMEM;
	st->host = host;
	st->cache_key_ok = pthread_key_create(&st->cache_key, kc_free) == 0;
	ks_params *p = &st->p;
	int rc = 0;
#define GETI(k, d, lo, hi) if (!rc) rc = host->cfg_int(cfg, #k, d, lo, hi, &p->k)
#define GETD(k, d, lo, hi) if (!rc) rc = host->cfg_double(cfg, #k, d, lo, hi, &p->k)
	GETI(min_words, 100, 0, 100000000);
	GETI(min_count, 3, 2, 1000000);
	GETD(absorb_share, 0.8, 0.0, 1.0);
	GETD(error_coverage, 6.0, 0.0, 100.0);
	GETI(error_count, 8, 1, 1000000);
	GETD(warning_coverage, 4.0, 0.0, 100.0);
	GETI(warning_count, 6, 1, 1000000);
	GETD(bolted_coverage, 3.5, 0.0, 100.0);
	GETI(bolted_count, 3, 1, 1000000);
	GETD(bolted_share, 0.5, 0.0, 1.0);
	GETD(heading_share, 0.6, 0.0, 1.0);
	GETI(heading_min_subheadings, 2, 1, 1000000);
	GETI(heading_count, 3, 1, 1000000);
	GETD(heading_error_coverage, 3.5, 0.0, 100.0);
	GETI(heading_error_count, 6, 1, 1000000);
	GETD(name_share, 0.8, 0.0, 1.0);
	GETD(name_coverage, 8.0, 0.0, 100.0);
	GETI(name_count, 8, 1, 1000000);
	GETD(name_heading_coverage, 4.0, 0.0, 100.0);
	GETI(keyphrase_min_words, 100, 0, 100000000);
	GETI(title_max_words, 40, 0, 100000);
	GETI(deck_max_words, 60, 0, 100000);
#undef GETI
#undef GETD
	if (rc)
		goto fail;

	/* function words */
	char path[4096];
	const char *fw = host->cfg_get(cfg, "function_words");
	if (fw) {
		if (!host->cfg_path(cfg, fw, path, sizeof path)) {
			host->cfg_error(cfg, "function_words", "path too long");
			rc = NL_ECONFIG;
			goto fail;
		}
	} else if ((size_t)snprintf(path, sizeof path, "%s/keyword-stuffing/function-words.txt",
	                            host->rules_dir()) >= sizeof path) {
		host->warn("keyword-stuffing", "rules folder path too long");
		rc = NL_EIO;
		goto fail;
	}
	rc = host->read_list(path, add_func_word, st);
	if (!rc)
		rc = build_fkeys(st);
	if (rc)
		goto fail;

	/* declared keyphrase: split on anything but letters, digits, ' - . */
	const char *kp = host->cfg_get(cfg, "keyphrase");
	if (kp) {
		st->kp_text = strdup(kp);
		if (!st->kp_text) {
			rc = NL_ENOMEM;
			goto fail;
		}
		size_t n = strlen(kp), i = 0;
		while (i < n) {
			size_t j = i;
			while (j < n) {
				uint32_t cp;
				size_t k = host->utf8_next(kp + j, n - j, &cp);
				if (!(host->is_alpha(cp) || (cp >= '0' && cp <= '9') || cp == '\'' ||
				      cp == 0x2019 || cp == '-' || cp == '.'))
					break;
				j += k;
			}
			if (j > i) {
				char buf[KS_WORDBUF];
				size_t m = ks_fold(host, kp + i, j - i, buf);
				while (m && buf[m - 1] == '.') /* "talks." */
					buf[--m] = '\0';
				if (m && strtab_get(&st->func, buf, m, 0) == KS_NONE) {
					if (st->kp_n == KS_MAXKP) {
						host->cfg_error(cfg, "keyphrase", "more than %d content words", KS_MAXKP);
						rc = NL_ECONFIG;
						goto fail;
					}
					st->kp_words[st->kp_n] = strdup(buf);
					if (!st->kp_words[st->kp_n]) {
						rc = NL_ENOMEM;
						goto fail;
					}
					st->kp_n++;
				}
				i = j;
			} else {
				uint32_t cp;
				i += host->utf8_next(kp + i, n - i, &cp);
			}
		}
		if (!st->kp_n) {
			host->cfg_error(cfg, "keyphrase", "'%s' has no content word (only function words)", kp);
			rc = NL_ECONFIG;
			goto fail;
		}
	}
	*state = st;
	return 0;
fail:
	ks_destroy(st);
	return rc < 0 ? rc : NL_ECONFIG;
}

/* ---- per-check scratch ------------------------------------------------------ */
/* 16 bytes per distinct n-gram the sketch lets through */
typedef struct entry {
	uint64_t h;          /* 0 = empty */
	uint32_t count;      /* occurrences; ENTRY_TITLE bit: one is in the title */
	uint32_t aux;        /* while counting: token after the last counted
	                        occurrence (no overlap); then candidate index + 1, or 0 */
} entry;
#define ENTRY_TITLE 0x80000000u

typedef struct cand {
	uint32_t first_tok, n;
	uint32_t c, body, cap, fin;
	uint32_t subheads, paras, last_para, last_end;
	uint8_t title, absorbed, name, verdict;  /* verdict: 0, or rule index + 1 */
	nl_severity sev;
	uint32_t rep;        /* index into the reported phrases' occurrence lists */
} cand;

typedef struct occs { nl_span *v; size_t n, cap; } occs;

enum { OKW_FREQ = 1, OKW_TITLE = 2, OKW_FUNC = 4 /* a function word */,
       OKW_KEEP = 8 /* frequent, in the title or in the keyphrase */ };
enum { MODE_TITLE, MODE_SKETCH, MODE_COUNT, MODE_STATS, MODE_COLLECT };
#define KS_TITLE_GRAMS 512

typedef struct ks_run {
	const ks_state *st;
	const nl_doc *doc;
	kcache *kc;           /* the thread's scratch */
	int numbered;         /* the host numbered the words (NL_DOC_HAS_WORDS): a word's id
	                         is its number (possessive stripped: word_base), its text
	                         the document's word_forms; nothing is interned, and
	                         kc->voff, vlen and vfunc are not used (whether a word is
	                         a function word is asked only of those a rule can see:
	                         word_func()) */
	uint32_t nv;          /* ids 0..nv-1: the host's word numbers, or words of this
	                         document interned in order of first use */
	size_t vt_cap;        /* slots of kc->vt this check uses (a power of 2) */
	size_t alen;          /* bytes of kc->arena used */
	uint16_t *wid16;      /* token -> word id, 0xFFFF for a non-word, while ids fit */
	uint32_t *wid32;      /* token -> word id, KS_NONE for a non-word, once they do not */
	uint8_t *code8;       /* or token -> index into kept, 0 for a non-word or a word
	                         no rule looks at, when there are <= 254 of those */
	size_t n_kept;        /* words marked OKW_KEEP */
	uint8_t *okw;         /* word id -> OKW_FREQ: seen often enough to be in a phrase
	                         that matters; OKW_TITLE: in the title */
	uint8_t *sketch; size_t sketch_mask;  /* 4-bit counters; mask over counters */
	unsigned sketch_min;                  /* admit to the exact table from here */
	uint64_t title_bits[64];              /* 4 Kbit filter of the title's n-grams */
	size_t n_title_h;
	int title_all;                        /* too many: admit by min_count alone */
	entry *tab; size_t tab_cap, tab_n;
	cand *cands; size_t n_cands;
	occs *occ; size_t n_occ;
	size_t words, subheadings, body_paras;
	uint32_t title_para;      /* the title's paragraph, or KS_NONE */
	uint32_t title_end;       /* one past its last paragraph (the deck, if any) */
	int oom;
	/* from here on not cleared per check: written before they are read */
	uint64_t title_h[KS_TITLE_GRAMS];
	uint32_t kept[256];       /* code -> word id */
	uint64_t candbits[1024];  /* 64 Kbit filter of candidate hashes: skips most
	                             table probes in the later passes (fits in L1);
	                             cleared when the first candidate is found */
} ks_run;

/* The folded text and length of word id. */
static inline const char *v_str(const ks_run *r, uint32_t id)
{
	if (r->numbered)
		return r->doc->word_forms + r->doc->word_form_off[id];
	return r->kc->arena + r->kc->voff[id];
}


/* Double the slots of this check's word table. */
static int vt_grow(ks_run *r)
{
	return wk_vt_grow(&r->kc->vt, &r->kc->vt_alloc, &r->vt_cap, r->kc->gen) ? NL_ENOMEM : 0;
}

/* Room for one more word id in the per-id arrays: 0, or -1 (too many, or
 * out of memory). */
static inline int id_room(ks_run *r)
{
	kcache *kc = r->kc;
	if (r->nv >= KS_NONE - 2)
		return -1;
	if (r->nv == kc->v_cap) {
		size_t c = kc->v_cap ? kc->v_cap * 2 : 1024;
		uint32_t *off = realloc(kc->voff, c * sizeof *off);
		if (off) kc->voff = off;
		uint32_t *len = realloc(kc->vlen, c * sizeof *len);
		if (len) kc->vlen = len;
		uint8_t *func = realloc(kc->vfunc, c);
		if (func) kc->vfunc = func;
		if (!off || !len || !func || grow(&kc->wc, &kc->wc_cap, c, sizeof *kc->wc))
			return -1;
		kc->v_cap = c;
	}
	return 0;
}

/* The id of the folded word with key k0, k1 and length m (buf: its bytes,
 * or NULL when m <= 16: the key holds them).  With add, a new word gets the
 * next id.  KS_NONE when absent, KS_NONE - 1 when out of memory (the probe:
 * wk_vt_find). */
static uint32_t vt_get_slow(ks_run *r, uint64_t k0, uint64_t k1, size_t m, const char *buf, int add)
{
	kcache *kc = r->kc;
	const uint32_t gen = kc->gen;
	uint64_t key;
	size_t mask = r->vt_cap - 1, j = 0;
	uint32_t found = wk_vt_find(kc->vt, mask, gen, k0, k1, m, buf, kc->arena, kc->voff, kc->vlen, &key, &j);
	if (found != UINT32_MAX)
		return found;
	if (!add)
		return KS_NONE;
	if ((r->nv + 1) * 2 > r->vt_cap) {
		if (vt_grow(r) < 0)
			return KS_NONE - 1;
		mask = r->vt_cap - 1;
		j = wk_slot(key, mask);
		while (kc->vt[j].stamp == gen)
			j = (j + 1) & mask;
	}
	if (id_room(r))
		return KS_NONE - 1;
	if (grow(&kc->arena, &kc->arena_cap, r->alen + m + 1 + 16, 1) || r->alen + m + 1 > UINT32_MAX)
		return KS_NONE - 1;
	char *w = kc->arena + r->alen;
	if (buf) {
		memcpy(w, buf, m);
	} else {   /* the key's bytes past m are 0; the arena has 16 bytes of slack */
		memcpy(w, &k0, 8);
		memcpy(w + 8, &k1, 8);
	}
	w[m] = '\0';
	uint32_t id = r->nv++;
	kc->voff[id] = (uint32_t)r->alen;
	kc->vlen[id] = (uint32_t)m;
	kc->vfunc[id] = is_func(r->st, k0, k1, m, w);
	kc->wc[id] = 0;
	r->alen += m + 1;
	kc->vt[j] = (vent){ .key = key, .stamp = gen, .id = id };
	return id;
}

/* vt_get_slow with the common case (a word of 1..7 bytes already seen) here. */
static inline __attribute__((always_inline)) uint32_t vt_get(ks_run *r, uint64_t k0, uint64_t k1, size_t m, const char *buf, int add)
{
	uint32_t id = wk_vt_short(r->kc->vt, r->vt_cap - 1, r->kc->gen, k0, m);
	return id != UINT32_MAX ? id : vt_get_slow(r, k0, k1, m, buf, add);
}

/* The key of folded word buf[0..m). */
static inline void word_key(const char *buf, size_t m, uint64_t *k0, uint64_t *k1)
{
	if (m <= 16) {
		wk_key16(buf, m, k0, k1);
	} else {
		*k0 = hash_bytes(buf, m);
		*k1 = 0;
	}
}

/* Is the host's word number w a function word?  Asked only of the words a
 * rule can look at (frequent ones, the title's): see OKW_FUNC. */
static int word_func(const ks_run *r, uint32_t w)
{
	const nl_doc *d = r->doc;
	const uint32_t m = d->word_form_off[w + 1] - d->word_form_off[w] - 1;
	const char *s = d->word_forms + d->word_form_off[w];
	uint64_t k0 = 0, k1 = 0;
	if (m <= 16)
		wk_key_at(s, m, 16, &k0, &k1);   /* 16 bytes may be read after a form's NUL */
	return is_func(r->st, k0, k1, m, s);
}

/* The id of word token tok, folded as ks_fold does (with add, numbered
 * when new): KS_NONE when it folds to nothing (or is absent), KS_NONE - 1
 * when out of memory. */
static inline __attribute__((always_inline)) uint32_t tok_id(ks_run *r, const nl_token *tok, int add)
{
	const nl_doc *d = r->doc;
	if (r->numbered) {   /* the host's number, possessive stripped */
		uint32_t w = d->word_ids[tok - d->tokens];
		if (d->word_base[w] != NL_NO_WORD)
			w = d->word_base[w];
		return w;
	}
	size_t n = tok->len;
	uint64_t k0, k1;
	if (n - 1 < 16) {
		wk_key_at(d->text + tok->off, n, d->text_len - tok->off, &k0, &k1);
		if (!((k0 | k1) & 0x8080808080808080ull)) {
			/* ASCII: host->fold lower-cases A-Z only */
			k0 = wk_lower8(k0);
			k1 = wk_lower8(k1);
			size_t m = n;
			if (has_byte(k0, '\'') | has_byte(k1, '\'')) { /* a possessive to strip? */
				unsigned last = n > 8 ? byte_at(k1, (unsigned)n - 9) : byte_at(k0, (unsigned)n - 1);
				unsigned prev = n > 9 ? byte_at(k1, (unsigned)n - 10) :
				                n > 1 ? byte_at(k0, (unsigned)n - 2) : 0;
				if (m > 2 && prev == '\'' && last == 's')
					m -= 2;
				else if (m > 1 && last == '\'')
					m -= 1;
				if (m != n)
					wk_trim(&k0, &k1, m);
			}
			return vt_get(r, k0, k1, m, NULL, add);
		}
	}
	char buf[KS_WORDBUF];
	size_t m = ks_fold_fast(r->st->host, d->text + tok->off, n, buf);
	if (!m)
		return KS_NONE;
	word_key(buf, m, &k0, &k1);
	return vt_get(r, k0, k1, m, buf, add);
}

/* The id of folded word s[0..n), or KS_NONE when the document does not
 * have it. */
static uint32_t v_find(ks_run *r, const char *s, size_t n)
{
	if (r->numbered) {   /* a word no token counted (one only in markup) is absent */
		uint32_t w = r->st->host->word_find(r->doc, s, n);
		return w == NL_NO_WORD || !r->kc->wc[w] ? KS_NONE : w;
	}
	uint64_t k0, k1;
	word_key(s, n, &k0, &k1);
	return vt_get(r, k0, k1, n, s, 0);
}

/* Word ids per token: two bytes each while the vocabulary has fewer than
 * 65535 words (always, in practice), four bytes after. */
static inline uint32_t wid(const ks_run *r, size_t t)
{
	if (r->code8) {
		return r->kept[r->code8[t]];   /* kept[0]: KS_NONE */
	}
	if (r->wid32)
		return r->wid32[t];
	uint16_t v = r->wid16[t];
	return v == 0xFFFF ? KS_NONE : v;
}

static inline void set_wid(ks_run *r, size_t t, uint32_t id)
{
	if (r->wid32)
		r->wid32[t] = id;
	else
		r->wid16[t] = id == KS_NONE ? 0xFFFF : (uint16_t)id;
}

/* Switch to four-byte ids; tokens [0, upto) are set. */
static int widen(ks_run *r, size_t upto)
{
	size_t n = r->doc->n_tokens ? r->doc->n_tokens : 1;
	uint32_t *w = malloc(n * sizeof *w);
	if (!w)
		return NL_ENOMEM;
	for (size_t t = 0; t < upto; t++)
		w[t] = r->wid16[t] == 0xFFFF ? KS_NONE : r->wid16[t];
	if (r->wid16 != r->kc->wid16)
		free(r->wid16);
	r->wid16 = NULL;
	r->wid32 = w;
	return 0;
}

static entry *tab_find(ks_run *r, uint64_t h)
{
	if (!r->tab_cap)
		return NULL;
	size_t j = h & (r->tab_cap - 1);
	while (r->tab[j].h) {
		if (r->tab[j].h == h)
			return &r->tab[j];
		j = (j + 1) & (r->tab_cap - 1);
	}
	return NULL;
}

static entry *tab_add(ks_run *r, uint64_t h)
{
	if ((r->tab_n + 1) * 10 > r->tab_cap * 7) {
		/* small to start with (an article has a few dozen entries); the
		   slot order only orders candidates, and so the reports, which
		   the host sorts */
		size_t cap = r->tab_cap ? r->tab_cap * 2 : 256;
		entry *t = calloc(cap, sizeof *t);
		if (!t) {
			r->oom = 1;
			return NULL;
		}
		for (size_t i = 0; i < r->tab_cap; i++) {
			if (!r->tab[i].h)
				continue;
			size_t j = r->tab[i].h & (cap - 1);
			while (t[j].h)
				j = (j + 1) & (cap - 1);
			t[j] = r->tab[i];
		}
		free(r->tab);
		r->tab = t;
		r->tab_cap = cap;
	}
	size_t j = h & (r->tab_cap - 1);
	while (r->tab[j].h) {
		if (r->tab[j].h == h)
			return &r->tab[j];
		j = (j + 1) & (r->tab_cap - 1);
	}
	r->tab[j].h = h;
	r->tab_n++;
	return &r->tab[j];
}

static size_t markup_tag_at(const nl_doc *d, size_t t);

/* markup_tag_at, with the common case (no one-character mark before the
 * word) here. */
static inline size_t markup_tag(const nl_doc *d, size_t t)
{
	if (t == 0 || d->tokens[t - 1].len != 1)
		return 0;
	return markup_tag_at(d, t);
}

/* Markup left in a plain-text article (embedded posts: <tweet pic="" ...>,
 * </tweet>) is not prose: when word token t directly follows '<' or '</',
 * return the number of tokens up to and including the closing '>' (at most
 * 64 tokens ahead), else 0. */
static int is_mark(const nl_doc *d, size_t t, char c)
{
	const nl_token *x = &d->tokens[t];
	return (x->kind == NL_TOK_PUNCT || x->kind == NL_TOK_SYMBOL) && x->len == 1 && d->text[x->off] == c;
}

static size_t markup_tag_at(const nl_doc *d, size_t t)
{
	if (t == 0)
		return 0;
	size_t o = t - 1;  /* the '<' */
	if (is_mark(d, o, '/') && o > 0)
		o--;
	if (!is_mark(d, o, '<'))
		return 0;
	for (size_t k = o + 1; k <= t; k++)  /* "<tweet", "</tweet": no spaces */
		if (d->tokens[k - 1].off + d->tokens[k - 1].len != d->tokens[k].off)
			return 0;
	for (size_t k = t + 1; k < d->n_tokens && k < t + 64; k++) {
		if (is_mark(d, k, '>'))
			return k - t + 1;
		if (is_mark(d, k, '<'))
			return 0;
	}
	return 0;
}

enum { ROLE_BODY, ROLE_TITLE, ROLE_SUB };

static int para_role(const ks_run *r, size_t pi)
{
	if (pi >= r->title_para && pi < r->title_end)
		return ROLE_TITLE;
	const nl_paragraph *para = &r->doc->paragraphs[pi];
	if (para->flags & (NL_PF_HEADING | NL_PF_TITLE))
		return ROLE_SUB;
	return ROLE_BODY;
}

static size_t para_words(const nl_doc *d, size_t pi)
{
	size_t words = 0;
	const nl_paragraph *p = &d->paragraphs[pi];
	for (uint32_t t = p->first_token; t < p->first_token + p->n_tokens && t < d->n_tokens; t++)
		words += d->tokens[t].kind == NL_TOK_WORD;
	return words;
}

/* The title: the paragraph the core marks.  When it marks none, a short
 * first paragraph is the headline (a headline wrapped onto a second line,
 * or a headline with its deck, "Headline;\ndeck", is not one line). */
static uint32_t find_title(const nl_doc *d, long max_words)
{
	for (size_t pi = 0; pi < d->n_paragraphs; pi++)
		if (d->paragraphs[pi].flags & NL_PF_TITLE)
			return (uint32_t)pi;
	if (!d->n_paragraphs || (d->paragraphs[0].flags & NL_PF_HEADING) ||
	    d->paragraphs[0].n_sentences > 2)
		return KS_NONE;
	return para_words(d, 0) <= (size_t)max_words ? 0 : KS_NONE;
}

/* A deck (standfirst) printed on the line right under the headline, with
 * no blank line between them, belongs to the title block: "Headline;\n
 * deck".  Returns one past the title block. */
static uint32_t find_title_end(const nl_doc *d, uint32_t title, long max_words)
{
	if (title == KS_NONE)
		return KS_NONE;
	size_t next = (size_t)title + 1;
	if (d->format != NL_FORMAT_TEXT || next >= d->n_paragraphs ||
	    (d->paragraphs[next].flags & (NL_PF_HEADING | NL_PF_TITLE)))
		return title + 1;
	const nl_paragraph *a = &d->paragraphs[title], *b = &d->paragraphs[next];
	unsigned newlines = 0;
	for (uint32_t o = a->off + a->len; o < b->off && o < d->text_len; o++) {
		char c = d->text[o];
		if (c == '\n')
			newlines++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return title + 1;
	}
	if (newlines != 1 || para_words(d, next) > (size_t)max_words)
		return title + 1;
	return (uint32_t)next + 1;
}

static int is_capitalised(const nl_token *t)
{
	if (t->flags & NL_TF_ALLCAPS)
		return 1;
	return (t->flags & NL_TF_CAPITALIZED) && !(t->flags & NL_TF_SENT_START);
}

/* One occurrence of the n-gram tokens [i, i+n) with hash h, in paragraph pi,
 * ending its sentence (fin) or not. */
static void visit(ks_run *r, int mode, uint64_t h, uint32_t i, uint32_t n, uint32_t pi, int fin,
                  int ok)
{
	size_t slot = (size_t)h & r->sketch_mask;
	unsigned shift = (unsigned)(slot & 1) * 4;
	if (mode == MODE_TITLE) {
		if (para_role(r, pi) != ROLE_TITLE)
			return;
		if (r->n_title_h == KS_TITLE_GRAMS) {
			r->title_all = 1;
			return;
		}
		r->title_h[r->n_title_h++] = h;
		r->title_bits[(h >> 52) & 63] |= 1ull << ((h >> 46) & 63);
		return;
	}
	if (mode == MODE_SKETCH) {
		if (!ok)
			return;
		uint8_t *c = &r->sketch[slot >> 1];
		if (((*c >> shift) & 15) < 15)
			*c = (uint8_t)(*c + (1u << shift));
		return;
	}
	if (mode == MODE_COUNT) {
		if (!ok || (r->sketch && ((r->sketch[slot >> 1] >> shift) & 15) < r->sketch_min)) {
			/* not frequent enough to matter: unless it is in the title */
			if (!(r->title_bits[(h >> 52) & 63] & (1ull << ((h >> 46) & 63))))
				return;
			size_t k = 0;
			while (k < r->n_title_h && r->title_h[k] != h)
				k++;
			if (k == r->n_title_h)
				return;
		}
		entry *e = tab_add(r, h);
		if (!e || i < e->aux)
			return;
		e->count++;
		e->aux = i + n;
		if (pi >= r->title_para && pi < r->title_end)
			e->count |= ENTRY_TITLE;
		return;
	}
	uint32_t bit = (uint32_t)(h >> 48);
	if (!(r->candbits[bit >> 6] & (1ull << (bit & 63))))
		return;
	entry *e = tab_find(r, h);
	if (!e || !e->aux)
		return;
	cand *c = &r->cands[e->aux - 1];
	if (i < c->last_end)
		return;
	c->last_end = i + n;
	if (mode == MODE_COLLECT) {
		if (!c->verdict)
			return;
		occs *o = &r->occ[c->rep];
		if (o->n == o->cap) {
			size_t cap = o->cap ? o->cap * 2 : 16;
			nl_span *v = realloc(o->v, cap * sizeof *v);
			if (!v) {
				r->oom = 1;
				return;
			}
			o->v = v;
			o->cap = cap;
		}
		const nl_token *a = &r->doc->tokens[i], *b = &r->doc->tokens[i + n - 1];
		o->v[o->n].off = a->off;
		o->v[o->n].len = b->off + b->len - a->off;
		o->n++;
		return;
	}
	/* MODE_STATS */
	if (!c->c++) {
		c->first_tok = i;
		c->n = n;
	}
	int role = para_role(r, pi);
	if (c->last_para != pi + 1) {
		c->last_para = pi + 1;
		if (role == ROLE_TITLE)
			c->title = 1;
		else if (role == ROLE_SUB)
			c->subheads++;
		else
			c->paras++;
	}
	if (role != ROLE_BODY)
		return;
	c->body++;
	c->fin += fin != 0;
	unsigned content = 0, caps = 0;
	for (uint32_t k = i; k < i + n; k++) {
		if (r->okw[wid(r, k)] & OKW_FUNC)
			continue;
		content++;
		caps += is_capitalised(&r->doc->tokens[k]);
	}
	if (2 * caps >= content)
		c->cap++;
}

/* Walk every 2..4-word n-gram inside one sentence whose first and last words
 * are not function words; runs of words break at any non-word token. */
static void scan(ks_run *r, int mode)
{
	const nl_doc *d = r->doc;
	size_t p0 = 0, p1 = d->n_paragraphs;
	if (mode == MODE_TITLE) {
		if (r->title_para == KS_NONE)
			return;
		p0 = r->title_para;
		p1 = r->title_end;
	}
	for (size_t pi = p0; pi < p1 && !r->oom; pi++) {
		const nl_paragraph *para = &d->paragraphs[pi];
		size_t ns = para->n_sentences ? para->n_sentences : 1;
		for (size_t si = 0; si < ns; si++) {
			uint32_t a, b;
			if (para->n_sentences) {
				const nl_sentence *s = &d->sentences[para->first_sentence + si];
				a = s->first_token;
				b = s->first_token + s->n_tokens;
			} else {
				a = para->first_token;
				b = para->first_token + para->n_tokens;
			}
			if (b > d->n_tokens)
				b = (uint32_t)d->n_tokens;
			/* the last word of the sentence: only punctuation after it */
			uint32_t lastw = KS_NONE;
			if (mode == MODE_STATS) { /* the only pass that asks */
				lastw = b;
				while (lastw > a && d->tokens[lastw - 1].kind == NL_TOK_PUNCT)
					lastw--;
				lastw = lastw > a ? lastw - 1 : KS_NONE;
			}
			if (mode == MODE_TITLE)
				for (uint32_t i = a; i < b; i++) {
					const uint32_t w = wid(r, i);
					if (w == KS_NONE)
						continue;
					if (r->numbered && !(r->okw[w] & (OKW_FREQ | OKW_TITLE)) && word_func(r, w))
						r->okw[w] |= OKW_FUNC;   /* not asked yet */
					r->okw[w] |= OKW_TITLE;
				}
			for (uint32_t i = a; i < b; i++) {
				uint32_t w = wid(r, i);
				if (w == KS_NONE)
					continue;
				/* every n-gram that can count has all its words frequent
				   (OKW_FREQ) or all of them in the title (OKW_TITLE) */
				unsigned f = r->okw[w];
				if ((f & OKW_FUNC) || !(f &= OKW_FREQ | OKW_TITLE))
					continue;
				uint64_t h = gram_start(w);
				for (uint32_t n = 2; n <= KS_MAXN && i + n <= b; n++) {
					uint32_t j = i + n - 1, wj = wid(r, j);
					if (wj == KS_NONE)
						break;
					unsigned fj = r->okw[wj];
					f &= fj;
					if (!f)
						break;
					h = gram_next(h, wj);
					if (fj & OKW_FUNC)
						continue;
					visit(r, mode, h, i, n, (uint32_t)pi, j == lastw, f & OKW_FREQ);
				}
			}
		}
	}
}

static uint64_t window_hash(const ks_run *r, uint32_t i, uint32_t n)
{
	uint64_t h = gram_start(wid(r, i));
	for (uint32_t k = 1; k < n; k++)
		h = gram_next(h, wid(r, i + k));
	return h;
}

/* The phrase of candidate c as folded words joined by spaces. */
static void phrase_text(const ks_run *r, const cand *c, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (uint32_t k = 0; k < c->n; k++) {
		const char *w = v_str(r, wid(r, c->first_tok + k));
		int m = snprintf(out + o, size - o, "%s%s", k ? " " : "", w);
		if (m < 0 || (size_t)m >= size - o)
			break;
		o += (size_t)m;
	}
}

enum { R_OVERUSED, R_HEADING, R_KEYPHRASE };

static int report_phrase(const ks_run *r, nl_sink *sink, const cand *c)
{
	const occs *o = &r->occ[c->rep];
	const nl_host *host = r->st->host;
	char phrase[512], msg[1400];
	phrase_text(r, c, phrase, sizeof phrase);
	double cov = 100.0 * c->c * c->n / (double)r->words;
	double per1000 = 1000.0 * c->c / (double)r->words;
	char heads[64];
	snprintf(heads, sizeof heads, "%u of %zu subheading%s", c->subheads, r->subheadings,
	         r->subheadings == 1 ? "" : "s");
	if (c->verdict == R_OVERUSED + 1)
		snprintf(msg, sizeof msg,
		         "\"%s\" reads as keyword-stuffed: %u times in %zu words (%.1f per 1000 words, "
		         "%.1f %% of the text), %s the title, in %s, in %u of %zu paragraphs%s",
		         phrase, c->c, r->words, per1000, cov, c->title ? "in" : "not in", heads,
		         c->paras, r->body_paras, c->name ? " (name-like: higher thresholds)" : "");
	else
		snprintf(msg, sizeof msg,
		         "\"%s\" reads as keyword-stuffed in the headings: in the title and in %s "
		         "(%u times in %zu words, %.1f %% of the text, in %u of %zu paragraphs)",
		         phrase, heads, c->c, r->words, cov, c->paras, r->body_paras);
	if (!o->n)
		return 0;
	size_t n_rel = o->n - 1;
	if (n_rel > KS_RELATED_MAX)
		n_rel = KS_RELATED_MAX;
	nl_finding f = {
		.rule = c->verdict == R_OVERUSED + 1 ? "overused-phrase" : "heading-stuffing",
		.off = o->v[0].off, .len = o->v[0].len, .message = msg,
		.related = n_rel ? o->v + 1 : NULL, .n_related = n_rel,
		.severity = c->sev,
	};
	return host->report(sink, &f);
}

/* Decide what candidate c deserves (0: nothing). */
static int judge(const ks_run *r, cand *c)
{
	const ks_params *p = &r->st->p;
	double cov = 100.0 * c->c * c->n / (double)r->words;
	int heading_heavy = c->title && r->subheadings >= (size_t)p->heading_min_subheadings &&
	                    c->subheads > p->heading_share * (double)r->subheadings;
	int heading_many = c->title && c->subheads >= (uint32_t)p->heading_count;
	c->name = c->body > 0 && c->cap >= p->name_share * c->body;
	if (c->name) {
		if ((cov >= p->name_coverage && c->c >= (uint32_t)p->name_count) ||
		    ((heading_heavy || heading_many) && cov >= p->name_heading_coverage)) {
			c->sev = NL_SEV_WARNING;
			return R_OVERUSED + 1;
		}
		return 0;
	}
	if ((cov >= p->error_coverage && c->c >= (uint32_t)p->error_count) ||
	    (heading_heavy && cov >= p->heading_error_coverage && c->c >= (uint32_t)p->heading_error_count)) {
		c->sev = NL_SEV_ERROR;
		return R_OVERUSED + 1;
	}
	if ((cov >= p->warning_coverage && c->c >= (uint32_t)p->warning_count) ||
	    (cov >= p->bolted_coverage && c->body >= (uint32_t)p->bolted_count &&
	     c->fin >= p->bolted_share * c->body)) {
		c->sev = NL_SEV_WARNING;
		return R_OVERUSED + 1;
	}
	if (heading_heavy || heading_many) {
		c->sev = NL_SEV_WARNING;
		return R_HEADING + 1;
	}
	return 0;
}

/* Yoast-compatible numbers for the declared keyphrase. */
static int check_keyphrase(ks_run *r, nl_sink *sink)
{
	const ks_state *st = r->st;
	const ks_params *p = &st->p;
	const nl_doc *d = r->doc;
	const nl_host *host = st->host;
	if (r->words < (size_t)p->keyphrase_min_words || !host->rule_enabled(sink, "keyphrase-density"))
		return 0;
	uint32_t kid[KS_MAXKP];
	for (size_t k = 0; k < st->kp_n; k++)
		kid[k] = v_find(r, st->kp_words[k], strlen(st->kp_words[k]));
	size_t count = 0, heads_with = 0, heads = 0;
	uint32_t first_off = KS_NONE, first_len = 0;
	for (size_t pi = 0; pi < d->n_paragraphs; pi++) {
		const nl_paragraph *para = &d->paragraphs[pi];
		if (para_role(r, pi) == ROLE_SUB) {
			/* subheading: > 50 % of the content words present */
			unsigned seen = 0;
			for (size_t k = 0; k < st->kp_n; k++) {
				if (kid[k] == KS_NONE)
					continue;
				for (uint32_t t = para->first_token; t < para->first_token + para->n_tokens; t++)
					if (wid(r, t) == kid[k]) {
						seen++;
						break;
					}
			}
			heads++;
			heads_with += 2 * seen > st->kp_n;
		}
		size_t ns = para->n_sentences;
		for (size_t si = 0; si < ns; si++) {
			const nl_sentence *s = &d->sentences[para->first_sentence + si];
			size_t occ = SIZE_MAX;
			uint32_t at = KS_NONE, at_len = 0;
			for (size_t k = 0; k < st->kp_n && occ; k++) {
				size_t m = 0;
				if (kid[k] != KS_NONE)
					for (uint32_t t = s->first_token; t < s->first_token + s->n_tokens; t++)
						if (wid(r, t) == kid[k]) {
							if (!m && at == KS_NONE) {
								at = d->tokens[t].off;
								at_len = d->tokens[t].len;
							}
							m++;
						}
				if (m < occ)
					occ = m;
			}
			if (occ && occ != SIZE_MAX) {
				count += occ;
				if (first_off == KS_NONE) {
					first_off = at;
					first_len = at_len;
				}
			}
		}
	}
	double factor = 0.7 + st->kp_n / 3.0;
	double density = 100.0 * count / (double)r->words;
	double weighted = density * factor;
	/* ceil and floor of non-negative values, without libm */
	double lo_d = 0.5 * r->words / (100.0 * factor), hi_d = 3.0 * r->words / (100.0 * factor);
	long lo = (long)lo_d, hi = (long)hi_d;
	if ((double)lo < lo_d)
		lo++;
	if (lo < 1)
		lo = 1;
	char msg[1024];
	int rc = 0;
	uint32_t off = first_off != KS_NONE ? first_off : 0;
	uint32_t len = first_off != KS_NONE ? first_len : 0;
	if (first_off == KS_NONE && d->n_paragraphs) {
		off = d->paragraphs[0].off;
		len = 0;
	}
	const char *verdict = NULL;
	if (weighted > 4.0)
		verdict = "far over the recommended maximum; reads as keyword-stuffed";
	else if (weighted > 3.0)
		verdict = "over the recommended maximum";
	else if (weighted < 0.5)
		verdict = "under the recommended minimum";
	if (verdict) {
		snprintf(msg, sizeof msg,
		         "keyphrase \"%s\" occurs %zu times in %zu words: density %.2f %% (weighted %.2f), "
		         "%s; recommended %ld to %ld times",
		         st->kp_text, count, r->words, density, weighted, verdict, lo, hi);
		nl_finding f = { .rule = "keyphrase-density", .off = off, .len = len, .message = msg,
		                 .severity = NL_SEV_DEFAULT };
		rc = host->report(sink, &f);
		if (rc)
			return rc;
	}
	if (heads > 1 && heads_with * 4 > heads * 3) {
		snprintf(msg, sizeof msg,
		         "keyphrase \"%s\" is in %zu of %zu subheadings (over 75 %%): over-optimised, "
		         "reads as keyword-stuffed; recommended 30 %% to 75 %% of subheadings",
		         st->kp_text, heads_with, heads);
		nl_finding f = { .rule = "keyphrase-density", .off = off, .len = len, .message = msg,
		                 .severity = NL_SEV_DEFAULT };
		rc = host->report(sink, &f);
	} else if (heads > 1 && heads_with * 10 < heads * 3) {
		snprintf(msg, sizeof msg,
		         "keyphrase \"%s\" is in %zu of %zu subheadings: recommended 30 %% to 75 %% of subheadings",
		         st->kp_text, heads_with, heads);
		nl_finding f = { .rule = "keyphrase-density", .off = off, .len = len, .message = msg,
		                 .severity = NL_SEV_DEFAULT };
		rc = host->report(sink, &f);
	}
	return rc;
}

static void run_free(ks_run *r)
{
	if (r->wid16 != r->kc->wid16)
		free(r->wid16);
	free(r->wid32);
	free(r->code8);
	free(r->sketch);
	free(r->tab);
	for (size_t i = 0; i < r->n_occ; i++)
		free(r->occ[i].v);
	free(r->occ);
	free(r->cands);
}

static void keep_id(ks_run *r, uint32_t id)
{
	if (id < r->nv && !(r->okw[id] & OKW_KEEP)) {
		r->okw[id] |= OKW_KEEP;
		r->n_kept++;
	}
}

static void keep_word(ks_run *r, const char *s, size_t n)
{
	char buf[KS_WORDBUF];
	size_t m = ks_fold_fast(r->st->host, s, n, buf);
	if (m)
		keep_id(r, v_find(r, buf, m));
}

/* Mark the words pass 2 must keep: the frequent ones, every word of the
 * title block (a superset of the title's n-grams' words) and the keyphrase's. */
static int mark_kept(ks_run *r)
{
	const nl_doc *d = r->doc;
	for (size_t w = 0; w < r->nv; w++)
		if (r->okw[w] & OKW_FREQ) {
			r->okw[w] |= OKW_KEEP;
			r->n_kept++;
		}
	for (size_t k = 0; k < r->st->kp_n; k++) /* looked up as check_keyphrase does */
		keep_id(r, v_find(r, r->st->kp_words[k], strlen(r->st->kp_words[k])));
	if (r->title_para == KS_NONE)
		return 0;
	for (size_t pi = r->title_para; pi < r->title_end && pi < d->n_paragraphs; pi++) {
		const nl_paragraph *para = &d->paragraphs[pi];
		for (size_t si = 0; si <= para->n_sentences; si++) {
			uint32_t a, b;
			if (si < para->n_sentences) {
				const nl_sentence *s = &d->sentences[para->first_sentence + si];
				a = s->first_token;
				b = s->first_token + s->n_tokens;
			} else {
				a = para->first_token;
				b = para->first_token + para->n_tokens;
			}
			for (size_t t = a; t < b && t < d->n_tokens; t++)
				if (d->tokens[t].kind == NL_TOK_WORD)
					keep_word(r, d->text + d->tokens[t].off, d->tokens[t].len);
		}
	}
	return 0;
}

/* Pass 2 with <= 254 kept words: a one-byte code per token (every word no
 * rule looks at reads as a non-word). */
static int ids_small(ks_run *r)
{
	const nl_doc *d = r->doc;
	uint8_t *code_of = calloc(r->nv ? r->nv : 1, 1);
	r->code8 = malloc(d->n_tokens ? d->n_tokens : 1);
	if (!code_of || !r->code8) {
		free(code_of);
		return NL_ENOMEM;
	}
	uint32_t code = 0;
	r->kept[0] = KS_NONE;   /* code 0: a token no rule looks at */
	for (uint32_t w = 0; w < r->nv; w++) {
		if (!(r->okw[w] & OKW_KEEP))
			continue;
		r->kept[++code] = w;
		code_of[w] = (uint8_t)code;
	}
	for (size_t t = 0; t < d->n_tokens; t++) {
		const nl_token *tok = &d->tokens[t];
		r->code8[t] = 0;
		if (tok->kind != NL_TOK_WORD)
			continue;
		size_t skip = markup_tag(d, t);
		if (skip) {
			for (size_t k = t; k < t + skip; k++)
				r->code8[k] = 0;
			t += skip - 1;
			continue;
		}
		uint32_t id = tok_id(r, tok, 0);
		if (id == KS_NONE - 1) {
			free(code_of);
			return NL_ENOMEM;
		}
		if (id < r->nv)
			r->code8[t] = code_of[id];
	}
	free(code_of);
	return 0;
}

/* Pass 2 with more kept words: every word's id, two bytes a token while
 * they fit. */
static int ids_full(ks_run *r)
{
	const nl_doc *d = r->doc;
	r->wid16 = malloc((d->n_tokens ? d->n_tokens : 1) * sizeof *r->wid16);
	if (!r->wid16)
		return NL_ENOMEM;
	for (size_t t = 0; t < d->n_tokens; t++) {
		const nl_token *tok = &d->tokens[t];
		set_wid(r, t, KS_NONE);
		if (tok->kind != NL_TOK_WORD)
			continue;
		size_t skip = markup_tag(d, t);
		if (skip) {
			for (size_t k = t; k < t + skip; k++)
				set_wid(r, k, KS_NONE);
			t += skip - 1;
			continue;
		}
		uint32_t id = tok_id(r, tok, 0);
		if (id == KS_NONE - 1)
			return NL_ENOMEM;
		if (id == KS_NONE)
			continue;
		if (id >= 0xFFFF && !r->wid32 && widen(r, t))
			return NL_ENOMEM;
		set_wid(r, t, id);
	}
	return 0;
}

static int ks_check(void *state, const nl_doc *d, nl_sink *sink)
{
	const ks_state *st = state;
	const nl_host *host = st->host;
	const ks_params *p = &st->p;
	int want_phrase = host->rule_enabled(sink, "overused-phrase") ||
	                  host->rule_enabled(sink, "heading-stuffing");
	int want_kp = st->kp_n && host->rule_enabled(sink, "keyphrase-density");
	if (!want_phrase && !want_kp)
		return 0;
	if (d->n_tokens >= KS_NONE - 2)
		return 0; /* 4 G tokens: beyond what 32-bit spans can hold anyway */

	kcache own = {0}, *kc = kc_get(st);
	if (!kc)
		kc = &own; /* no thread key: scratch for this check alone */
	if (++kc->gen == 0) { /* after 4 G checks: stamps start over */
		kc_reset_stamps(kc);
		kc->gen = 1;
	}
	ks_run run;
	memset(&run, 0, offsetof(ks_run, title_h)); /* the arrays after it need no clearing */
	run.st = st;
	run.doc = d;
	run.kc = kc;
	ks_run *r = &run;
	int rc = 0;
	/* the host's word numbers, unless a form is one ks_fold() cuts */
	if (NL_DOC_HAS_WORDS(d)) {
		r->numbered = 1;
		for (size_t w = 0; w < d->n_word_ids && r->numbered; w++)
			r->numbered = d->word_form_off[w + 1] - d->word_form_off[w] - 1 < KS_WORDBUF - 1;
		if (r->numbered) {   /* ids are the numbers: counts for all of them */
			if (d->n_word_ids >= KS_NONE - 2 ||
			    grow(&kc->wc, &kc->wc_cap, d->n_word_ids ? d->n_word_ids : 1, sizeof *kc->wc))
				goto oom;
			memset(kc->wc, 0, d->n_word_ids * sizeof *kc->wc);
			r->nv = (uint32_t)d->n_word_ids;
		}
	}
	/* the word table: as many slots as tokens (so at most half full: it
	   grows at that), for a long text a start */
	r->vt_cap = pow2_at_least(d->n_tokens < 16384 ? d->n_tokens : 16384);
	if (r->vt_cap < 256)
		r->vt_cap = 256;
	if (!r->numbered && kc->vt_alloc < r->vt_cap) {
		free(kc->vt);
		kc->vt = calloc(r->vt_cap, sizeof *kc->vt);
		kc->vt_alloc = kc->vt ? r->vt_cap : 0;
		if (!kc->vt)
			goto oom;
	}
	r->title_para = find_title(d, p->title_max_words);
	r->title_end = find_title_end(d, r->title_para, p->deck_max_words);
	for (size_t pi = 0; pi < d->n_paragraphs; pi++) {
		int role = para_role(r, pi);
		r->subheadings += role == ROLE_SUB;
		r->body_paras += role == ROLE_BODY;
	}

	/* pass 1: intern and count the words (function words keep their
	   flag).  Up to KS_ONEPASS_TOKENS tokens the ids are kept here, two
	   bytes a token; a longer text gets them in a second pass, one byte a
	   token (see ids_small). */
	int onepass = d->n_tokens <= KS_ONEPASS_TOKENS;
	if (onepass) {
		if (grow(&kc->wid16, &kc->wid16_cap, d->n_tokens ? d->n_tokens : 1, sizeof *kc->wid16))
			goto oom;
		r->wid16 = kc->wid16;
	}
	if (onepass && r->numbered && r->nv < 0xFFFF) {
		/* the usual case, the same as the loop below: a word's id is
		   its number (every word token has one, no other token does)
		   and fits in two bytes */
		const uint32_t *ids = d->word_ids, *base = d->word_base;
		uint16_t *w16 = r->wid16;
		uint32_t *wc = kc->wc;
		size_t words = 0;
		for (size_t t = 0; t < d->n_tokens; t++) {
			uint32_t w = ids[t];
			w16[t] = 0xFFFF;
			if (w == NL_NO_WORD)
				continue;
			/* a tag opens after a one-byte token, which has no number */
			if (t > 0 && ids[t - 1] == NL_NO_WORD) {
				size_t skip = markup_tag(d, t);
				if (skip) {
					for (size_t k = t; k < t + skip; k++)
						w16[k] = 0xFFFF;
					t += skip - 1;
					continue;
				}
			}
			if (base[w] != NL_NO_WORD)
				w = base[w];
			wc[w]++;
			words++;
			w16[t] = (uint16_t)w;
		}
		r->words = words;
	} else {
		for (size_t t = 0; t < d->n_tokens; t++) {
			const nl_token *tok = &d->tokens[t];
			if (onepass)
				set_wid(r, t, KS_NONE);
			if (tok->kind != NL_TOK_WORD)
				continue;
			size_t skip = markup_tag(d, t);
			if (skip) {
				if (onepass)
					for (size_t k = t; k < t + skip; k++)
						set_wid(r, k, KS_NONE);
				t += skip - 1;
				continue;
			}
			uint32_t id = tok_id(r, tok, 1);
			if (id == KS_NONE)
				continue;
			if (id == KS_NONE - 1)
				goto oom;
			kc->wc[id]++;
			r->words++;
			if (onepass) {
				if (id >= 0xFFFF && !r->wid32 && widen(r, t))
					goto oom;
				set_wid(r, t, id);
			}
		}
	}
	if (!r->words)
		goto done;

	/* Candidates: seen >= min_count times, and either in the title (heading
	   rules) or able to reach the lowest coverage any rule asks for, even as
	   a 4-word phrase (min_c occurrences).  A phrase that absorbs another has
	   at least its coverage (absorb_share >= 0.75), so absorbers pass this
	   filter too.  On long texts min_c is large and almost nothing passes. */
	double min_cov = p->error_coverage;
	const double covs[] = { p->warning_coverage, p->bolted_coverage, p->heading_error_coverage,
	                        p->name_coverage, p->name_heading_coverage };
	for (size_t k = 0; k < sizeof covs / sizeof covs[0]; k++)
		if (covs[k] < min_cov)
			min_cov = covs[k];
	double min_c = min_cov * (double)r->words / (100.0 * KS_MAXN);
	double adm = min_c > (double)p->min_count ? min_c : (double)p->min_count;
	/* every word of a phrase that matters occurs >= adm times: an exact,
	   cache-friendly first filter (on a 10 MB text only a few dozen words
	   qualify, so the sketch below is rarely touched) */
	if (grow(&kc->okw, &kc->okw_cap, r->nv, 1))
		goto oom;
	r->okw = kc->okw;
	size_t okocc = 0; /* uses of frequent content words: n-gram starts that can count */
	const uint32_t *wc = kc->wc;
	for (size_t w = 0; w < r->nv; w++) {
		/* OKW_FUNC: known for every word, or (numbered) asked of the
		   frequent ones here and of the title's as they are marked */
		uint8_t f = wc[w] >= adm ? OKW_FREQ : 0;
		if (r->numbered ? f && word_func(r, (uint32_t)w) : kc->vfunc[w])
			f |= OKW_FUNC;
		r->okw[w] = f;
		if (f == OKW_FREQ)
			okocc += wc[w];
	}

	/* pass 2 (long texts): word ids per token, one byte each when the
	   words any rule can look at (frequent ones, the title's, the
	   keyphrase's) are few: every other word reads as a non-word, which is
	   what it is to every rule here */
	if (!onepass) {
		if (mark_kept(r) < 0)
			goto oom;
		if (r->n_kept <= 254) {
			if (ids_small(r) < 0)
				goto oom;
		} else if (ids_full(r) < 0) {
			goto oom;
		}
	}

	if (want_kp) {
		rc = check_keyphrase(r, sink);
		if (rc)
			goto done;
	}
	if (!want_phrase || r->words < (size_t)p->min_words)
		goto done;

	scan(r, MODE_TITLE);
	/* counters: 2 per n-gram the sketch can see (at most KS_MAXN - 1 per
	   start), never more than 2 per word.  The sketch only filters what
	   gets an exact count (it never counts under), so its size changes no
	   finding. */
	size_t sk = pow2_at_least(2 * r->words);
	if (sk > pow2_at_least(2 * (KS_MAXN - 1) * okocc))
		sk = pow2_at_least(2 * (KS_MAXN - 1) * okocc);
	/* Few n-grams to see (an article): every one that can count gets an
	   exact entry at once, no sketch pass.  The same candidates come out
	   (the sketch lets through every n-gram frequent enough to matter). */
	if ((KS_MAXN - 1) * okocc > KS_EXACT_VISITS) {
		/* only long texts get here: allocated for this check, freed
		   as soon as the exact counts are in */
		r->sketch = calloc(sk / 2, 1);
		if (!r->sketch)
			goto oom;
		r->sketch_mask = sk - 1;
		r->sketch_min = adm >= 15.0 ? 15u : (unsigned)adm;  /* floor: never above the true need */
		if (r->title_all && r->sketch_min > (unsigned)p->min_count)
			r->sketch_min = p->min_count < 15 ? (unsigned)p->min_count : 15u;
		scan(r, MODE_SKETCH);
	}
	/* 2: exact counts for the n-grams that can matter */
	scan(r, MODE_COUNT);
	if (r->oom)
		goto oom;
	free(r->sketch);
	r->sketch = NULL;
	size_t nc = 0;
	if (r->tab_n)
		memset(r->candbits, 0, sizeof r->candbits);
	for (size_t i = 0; i < r->tab_cap; i++) {
		entry *e = &r->tab[i];
		uint32_t c = e->count & ~ENTRY_TITLE;
		e->aux = 0;
		if (e->h && c >= (uint32_t)p->min_count && ((e->count & ENTRY_TITLE) || c >= min_c)) {
			e->aux = (uint32_t)++nc;
			uint32_t bit = (uint32_t)(e->h >> 48);
			r->candbits[bit >> 6] |= 1ull << (bit & 63);
		}
	}
	if (!nc)
		goto done;
	r->cands = calloc(nc, sizeof *r->cands);
	if (!r->cands)
		goto oom;
	r->n_cands = nc;
	/* 3: per candidate: title, subheadings, paragraphs, capitals, sentence ends */
	scan(r, MODE_STATS);

	/* a longer phrase absorbs a shorter one it covers (>= absorb_share of
	   its occurrences), unless only the shorter one is in the title */
	for (size_t ci = 0; ci < r->n_cands; ci++) {
		cand *L = &r->cands[ci];
		for (uint32_t m = 2; m < L->n; m++)
			for (uint32_t o = 0; o + m <= L->n; o++) {
				uint32_t a = L->first_tok + o;
				if ((r->okw[wid(r, a)] | r->okw[wid(r, a + m - 1)]) & OKW_FUNC)
					continue;
				entry *e = tab_find(r, window_hash(r, a, m));
				if (!e || !e->aux)
					continue;
				cand *S = &r->cands[e->aux - 1];
				if (L->c >= p->absorb_share * S->c && (!S->title || L->title))
					S->absorbed = 1;
			}
	}
	size_t n_report = 0;
	for (size_t ci = 0; ci < r->n_cands; ci++) {
		cand *c = &r->cands[ci];
		c->last_end = 0;
		if (c->absorbed)
			continue;
		int v = judge(r, c);
		if (v == R_OVERUSED + 1 && !host->rule_enabled(sink, "overused-phrase"))
			v = 0;
		if (v == R_HEADING + 1 && !host->rule_enabled(sink, "heading-stuffing"))
			v = 0;
		c->verdict = (uint8_t)v;
		if (v)
			c->rep = (uint32_t)n_report++;
	}
	if (!n_report)
		goto done;
	r->occ = calloc(n_report, sizeof *r->occ);
	if (!r->occ)
		goto oom;
	r->n_occ = n_report;
	/* 4: the occurrences of the phrases reported */
	scan(r, MODE_COLLECT);
	if (r->oom)
		goto oom;
	for (size_t ci = 0; ci < r->n_cands && !rc; ci++)
		if (r->cands[ci].verdict)
			rc = report_phrase(r, sink, &r->cands[ci]);
done:
	run_free(r);
	if (kc == &own || kc_bytes(kc) > KS_SCRATCH_KEEP) {
		/* a long text's buffers are not kept: they would add to the
		   peak while the other plugins check it */
		uint32_t gen = kc->gen;
		kc_free_fields(kc);
		memset(kc, 0, sizeof *kc);
		kc->gen = gen;
	}
	return rc;
oom:
	rc = NL_ENOMEM;
	goto done;
}

/* ---- descriptor ------------------------------------------------------------- */
static const nl_rule_info ks_rules[] = {
	{ "overused-phrase", NL_SEV_WARNING,
	  "a 2-4-word phrase takes far more of the text than real news shows",
	  "A phrase found automatically (no keyphrase needed): a contiguous 2-4-word\n"
	  "n-gram inside one sentence, first and last word not function words\n"
	  "(rules/keyword-stuffing/function-words.txt), words folded to lower case\n"
	  "with a possessive 's stripped, counted without overlap; a longer phrase\n"
	  "absorbs a shorter one when it covers >= absorb_share (0.8) of its\n"
	  "occurrences.  coverage = 100 * count * words-in-phrase / words-in-text.\n"
	  "Only texts of >= min_words (100) words; phrases seen >= min_count (3) times.\n"
	  "error:   coverage >= error_coverage (6) and count >= error_count (8); or\n"
	  "         coverage >= heading_error_coverage (3.5), count >= heading_error_count (6),\n"
	  "         in the title and in > heading_share (0.6) of >= heading_min_subheadings (2)\n"
	  "         subheadings.\n"
	  "warning: coverage >= warning_coverage (4) and count >= warning_count (6); or\n"
	  "         bolted on: coverage >= bolted_coverage (3.5), >= bolted_count (3) body\n"
	  "         occurrences and >= bolted_share (0.5) of them ending their sentence.\n"
	  "Name-like phrases (>= name_share (0.8) of body occurrences with at least half\n"
	  "their content words capitalised mid-sentence) recur legitimately: only a\n"
	  "warning at coverage >= name_coverage (8) and count >= name_count (8), or in the\n"
	  "title and the subheadings (as above) with coverage >= name_heading_coverage (4).\n"
	  "Words inside markup tags left in plain text (<tweet pic=\"\" ...>) are skipped.\n"
	  "The finding sits on the first occurrence; all others are related locations.\n"
	  "Fix: use the phrase where it carries meaning, vary or drop the rest.",
	  NULL },
	{ "heading-stuffing", NL_SEV_WARNING,
	  "the same phrase in the title and in (nearly) every subheading",
	  "A found phrase (see overused-phrase) that is in the title and in more than\n"
	  "heading_share (0.6) of the subheadings when there are at least\n"
	  "heading_min_subheadings (2), or in the title and in >= heading_count (3)\n"
	  "subheadings, while its share of the body is not high enough for\n"
	  "overused-phrase.  Name-like phrases are judged by overused-phrase only.\n"
	  "The title is the paragraph the core marks as title, with a deck of <=\n"
	  "deck_max_words (60) words printed on the very next line (no blank line\n"
	  "between); else a first paragraph of <= title_max_words (40) words and <= 2\n"
	  "sentences.\n"
	  "Fix: let subheadings say what the section adds.",
	  NULL },
	{ "keyphrase-density", NL_SEV_WARNING,
	  "the declared keyphrase is used too often or too rarely (Yoast-compatible)",
	  "Only with `keyphrase = ...` in [keyword-stuffing] and texts of >=\n"
	  "keyphrase_min_words (100) words.  As Yoast SEO: function words of the\n"
	  "keyphrase are dropped; an occurrence is all its n content words in one\n"
	  "sentence, in any order; density = occurrences / words * 100, weighted by\n"
	  "0.7 + n/3: < 0.5 too few, > 3 too many, > 4 far too many.  The message gives\n"
	  "the recommended count range.  Subheadings: 30-75 % of them should hold more\n"
	  "than half of the content words; over 75 % (with > 1 subheading) is\n"
	  "over-optimised.",
	  NULL },
};

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_keyword_stuffing = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE | NL_PLUGIN_WORD_NUMBERS,
	.name = "keyword-stuffing",
	.version = "1.0.0",
	.summary = "finds the phrase an article repeats to rank (keyword stuffing), no keyphrase needed",
	.rules = ks_rules,
	.n_rules = sizeof ks_rules / sizeof ks_rules[0],
	.config_keys = ks_keys,
	.create = ks_create,
	.check = ks_check,
	.destroy = ks_destroy,
	.dynamic_rules = NULL,
};
