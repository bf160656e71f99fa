/* spelling.c -- the spelling plugin: Hunspell with news-aware handling of
 * names, and a check that one article spells a name one way.
 *
 * Rules (ids fixed by issue 4):
 *   spelling.unknown-word      lower-case (or sentence-initial) unknown word,
 *                              up to 3 suggestions
 *   spelling.unknown-name      capitalised unknown word inside a sentence
 *   spelling.inconsistent-name one name spelled two ways in one article
 *
 * Speed (issue 9): create() checks the configuration and reads the word
 * lists, then maps the dictionary's word set from the cache (see
 * spelling_wordset.h: every form the .dic and .aff allow, answered as
 * Hunspell_spell would); Hunspell itself is loaded only for a word the set
 * cannot decide (a digit, an unusual character) or a dictionary it cannot
 * model.  Without a cached set, a thread it starts builds the set (or
 * loads Hunspell) while the core goes on, joined by the first check; the
 * suggestion prefilter (without a set) is built on first use.  Every distinct word
 * form gets its verdict once per run from a cache shared by all threads
 * (sharded, one mutex per shard, so two threads rarely meet); suggestions are
 * edit-distance-1 candidates checked against the speller (~0.5 ms a word),
 * computed only for reported words, once per distinct word, and Hunspell's own
 * suggest (6-31 ms) runs only when no candidate at distance 1 exists.
 * Hunspell objects are not thread-safe: a thread borrows one from a small
 * pool for each call (candidate generation and the prefilter run outside);
 * a second copy of the dictionary is loaded only when two threads want one
 * at the same moment, up to speller_threads copies.
 */
#include "newslint/plugin.h"
#include "spelling_wordset.h"
#include "wordkey.h"

#include <hunspell.h>

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- rules ---------------------------------------------------------------- */

enum { R_WORD, R_NAME, R_INCONS };

static const nl_rule_info sp_rules[] = {
	{ "unknown-word", NL_SEV_WARNING,
	  "a lower-case (or sentence-initial) word the dictionary does not know",
	  "A word that is neither in the Hunspell dictionary nor in an accept list.\n"
	  "Lower-case words, and capitalised words at the start of a sentence or in a\n"
	  "heading that look like a slip of a common word (Teh), are reported here with\n"
	  "up to max_suggestions replacements: words one edit away (swapped, dropped,\n"
	  "doubled or replaced letter) that the dictionary knows, common words first,\n"
	  "plus common words two edits away (definately -> definitely).\n"
	  "Not checked: URLs, e-mail addresses, @handles, #hashtags, numbers and words\n"
	  "with digits, ALL-CAPS words, Markdown code. Closed compounds of known words\n"
	  "(flashpoint) and prefixed words (reframed, midafternoon) are accepted.\n"
	  "Fix: correct the word, or add it to a word list (wordlist = FILE ...) or a\n"
	  "Hunspell personal dictionary (personal_dic = FILE.dic).\n"
	  "Keys (defaults): dictionary = en_US, dictionary_path (a folder searched after\n"
	  "DICPATH's, before the system's), aff / dic (explicit files), wordlist, personal_dic,\n"
	  "news_words = true (bundled list of news words en_US lacks), compounds = true,\n"
	  "check_acronyms = false, max_suggestions = 3, hunspell_suggest = false (Hunspell's\n"
	  "own suggest when nothing cheaper matches: ~10 ms a word), hunspell_suggest_max = 2\n"
	  "(such calls per document), speller_threads = 2 (most copies of the dictionary\n"
	  "loaded for threads that check at the same time), wordset = true (answer words\n"
	  "from a precompiled word set, loading Hunspell only for words it cannot decide),\n"
	  "cache_dir (where the word set is kept; default $NEWSLINT_CACHE_DIR, else\n"
	  "$XDG_CACHE_HOME/newslint, else ~/.cache/newslint; none = no cache).",
	  NULL },
	{ "unknown-name", NL_SEV_INFO,
	  "a capitalised word inside a sentence that the dictionary does not know (probably a name)",
	  "Capitalised words inside a sentence that the dictionary does not know are\n"
	  "nearly always names of people and places. They are shown once per article\n"
	  "(the other occurrences as related spans) at severity info, so an editor can\n"
	  "check them without failing CI. No suggestions: a speller's guesses for a\n"
	  "name are noise.\n"
	  "Fix: check the spelling against a reliable source, then add the name to the\n"
	  "newsroom's word list (wordlist = names.txt next to .newslint.ini).",
	  "spelling.inconsistent-name" },
	{ "inconsistent-name", NL_SEV_WARNING,
	  "the same name spelled two ways in one article (Zelenskyy / Zelensky)",
	  "Two capitalised forms in one article with the same first letter and a small\n"
	  "edit distance, where the rarer form is not in the dictionary and the other\n"
	  "is either much more frequent (name_ratio times) or a name the dictionary\n"
	  "knows. Reported on each occurrence of the rarer form, with the other form's\n"
	  "occurrences as related spans and the frequent form as the suggestion.\n"
	  "Not taken for misspellings: plurals, possessives and demonyms (Obama/Obamas,\n"
	  "Kenya/Kenyan), pet forms of a known name (Mike/Mikey), capitalised common\n"
	  "words (Press, School), a form used more than name_max_rare times, and run-\n"
	  "together words. A name the dictionary knows is often one letter from another\n"
	  "real name, so against such a name only 1 edit counts, on 6+ letters.\n"
	  "Keys (defaults): name_distance = 2 (names shorter than 6 letters allow 1),\n"
	  "name_min_length = 4, name_ratio = 2, name_max_rare = 2.",
	  NULL },
};

static const char *const sp_keys[] = {
	"dictionary", "dictionary_path", "aff", "dic", "wordlist", "personal_dic",
	"news_words", "check_acronyms", "max_suggestions", "hunspell_suggest", "hunspell_suggest_max",
	"name_distance", "name_min_length", "name_ratio", "name_max_rare",
	"compounds", "speller_threads", "wordset", "cache_dir",
	NULL
};

/* ---- state ----------------------------------------------------------------- */

#define NSHARDS 64
#define CACHE_MAX 400000    /* distinct forms kept (~30 MB); past this, verdicts are recomputed */
#define MAX_WORD 128        /* bytes; longer "words" are not checked */
#define MAX_SUGG 10
#ifndef DEL_BRUTE
#define DEL_BRUTE 8         /* two-edit queries answered without the deletion index */
#endif

typedef struct sp_entry {
	uint64_t hash;
	unsigned char known;      /* 1: dictionary knows it */
	unsigned char sugg_done;  /* suggestions computed */
	unsigned char n_sugg;
	unsigned char near_common;/* a lower-case word 1 edit away exists (set with sugg) */
	char **sugg;
	char **fb;                /* Hunspell's suggestions, when asked */
	unsigned char n_fb, fb_done;
	unsigned char slip_done, slip; /* is_slip() answer */
	uint32_t len;
	char word[];
} sp_entry;

typedef struct sp_slot {
	uint64_t hash;
	sp_entry *e;              /* NULL: empty */
} sp_slot;

typedef struct sp_shard {
	_Alignas(64) pthread_mutex_t lock;   /* a cache line each: no false sharing */
	sp_slot *b;               /* open addressing: a probe reads the entry only on a hash match */
	size_t nb, n;
} sp_shard;

enum { SC_LATIN = 1, SC_GREEK = 2, SC_CYRILLIC = 4, SC_OTHER = 8 };

/* Known words over 16 bytes, kept by a thread across its documents (a
 * cheaper probe than the set's: one table, the string inline in an arena
 * that stays small); see kn_lookup().  The shorter ones: KSH_SLOTS. */
#define KC_MAX 300000
typedef struct kcache {
	/* words over 16 bytes (the shorter ones are in sp_state's ksh):
	 * hash and place in the arena s */
	struct { uint64_t h; uint32_t off, len; } *slot;
	size_t cap, n;
	char *s;
	size_t slen, scap;
	struct kcache *next;     /* all of a state's, for destroy() */
} kcache;

static void kc_free(kcache *c)
{
	free(c->slot);
	free(c->s);
}

/* Known words of up to 16 bytes, shared by the threads: the word itself,
 * NUL-padded, is the slot (k[0] == 0: empty; a document holds no NUL byte,
 * the core refuses one), so a probe reads one cache line and no string.
 * Insert-only and fixed in size: a lookup takes no lock (an entry's second
 * half is stored before its first, which is published with release);
 * insertions take ksh_lock and stop at half full. */
#define KSH_SLOTS (1u << 17)

/* name_consistency() compares forms of up to NAME_MAX_LETTERS letters, and
 * a name the dictionary knows only from KNOWN_NAME_MIN: a famous name is
 * often one letter from another real one (Fiorina/Florida). */
#define NAME_MAX_LETTERS 30
#define KNOWN_NAME_MIN 6

/* The table: 2 MB of zero pages, one huge page where the kernel has them
 * (lookups land anywhere in it: with 4 KB pages most would also miss the
 * TLB).  65,536 words at most: the archive of the benchmark has 52,000
 * distinct lower-case words; past that, a word takes the longer way. */
static uint64_t (*ksh_alloc(void))[2]
{
	const size_t size = KSH_SLOTS * 16, huge = 2u << 20;
	char *p = mmap(NULL, size + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* keep the 2 MB-aligned part inside */
	size_t head = (huge - (uintptr_t)p % huge) % huge;
	if (head)
		munmap(p, head);
	if (huge - head)
		munmap(p + head + size, huge - head);
	p += head;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return (uint64_t (*)[2])(void *)p;
}

typedef struct sp_state {
	const nl_host *host;
	sw_dict *ws;                  /* the dictionary's word set: answers most lookups without Hunspell */
	pthread_key_t kc_key;         /* each thread's kcache */
	int kc_key_ok;
	pthread_mutex_t kc_lock;
	kcache *kc_all;
	uint64_t (*ksh)[2];           /* see KSH_SLOTS; NULL without memory */
	size_t ksh_n;                 /* under ksh_lock */
	pthread_mutex_t ksh_lock;
	int ws_try;                   /* the word set is wanted (built by init_th when not cached) */
	int ws_how;                   /* SW_FROM_CACHE, SW_BUILT_SAVED, SW_BUILT; 0 none */
	char cache_dir[4096];         /* "" = no cache */
	Hunhandle *hs;                /* the first speller (create-time work) */
	pthread_mutex_t hs_lock;      /* guards the pool below */
	pthread_cond_t hs_cond;
	struct sp_hs *free_hs, *all_hs;
	long n_hs, max_hs;
	char aff_path[4096], dic_path[4096];
	char **added;                 /* words given to Hunspell_add, for later copies */
	size_t n_added, cap_added;
	char **pdics;                 /* personal dictionaries, likewise */
	size_t n_pdics;
	iconv_t to_dic, from_dic;     /* (iconv_t)-1 when the dictionary is UTF-8 */
	int check_acronyms, hunspell_suggest;
	long max_sugg, name_distance, name_min_len, name_max_rare;
	double name_ratio;
	unsigned scripts;             /* scripts of the dictionary's TRY letters */
	uint32_t letters[96];         /* lower-case letters tried for edits */
	/* prefilter for suggestion candidates: the .dic stems and the .aff
	 * affix strings, so that most of the ~600 candidates of a word are
	 * rejected by a hash lookup instead of a 10 us Hunspell_spell call */
	struct strset {
		struct strslot { uint32_t h, off; } *slot;  /* hash, arena offset + 1 (0 = empty) */
		size_t cap, n;
		char *arena;           /* the strings, NUL-terminated, back to back */
		size_t alen, acap;
		uint64_t bloom[16384]; /* 3 bits a string in 128 KB (L2): ~1 % of misses get past it */
	} stems;
	struct affix { char strip[16], add[16]; unsigned char sl, al, pfx; } *aff;
	size_t n_aff;
	/* the affixes maybe_word() must try for a word, by the word's last byte
	 * (suffixes) and first byte (prefixes): those whose added string ends
	 * (starts) with it, then those that add nothing */
	uint16_t *sfx_list, *pfx_list;
	uint32_t sfx_at[257], pfx_at[257];
	pthread_t init_th;            /* loads the dictionary while the host goes on */
	int init_started, init_joined, init_warned;
	pthread_cond_t init_cond;     /* init_done was set */
	int init_ready;               /* atomic: a check has passed init_wait() */
	int init_done;                /* atomic: the speller is loaded (init_th may still build the prefilter) */
	int init_rc;                  /* its result: 0, or a negative NL_E* code */
	char init_err[512];           /* what went wrong, said once */
	pthread_mutex_t init_lock;
	char enc[64];                 /* the .aff's SET, as Hunspell will report it */
	int stems_wanted;             /* build the prefilter (UTF-8 dictionary) */
	int stems_built;              /* atomic: the prefilter is ready (lazy) */
	pthread_mutex_t stems_lock;
	struct del_ent *del;          /* deletion index of the common words (lazy) */
	size_t del_cap;
	int del_built;
	long del_queries;             /* atomic: two-edit queries so far */
	pthread_mutex_t del_lock;
	pthread_t del_th;             /* builds the index beside the checks (del_main) */
	long del_unknown;             /* atomic: unknown words of 4..20 bytes so far */
	int del_th_state;             /* atomic: 0 not started, 1 started, 2 none */
	int del_th_done;              /* atomic: del_main returns (del_lock released) */
	int del_th_joined;            /* under del_join_lock */
	pthread_mutex_t del_join_lock;
	long fb_per_doc;              /* Hunspell suggest calls allowed per document */
	char **common;                /* common words (ranking), open addressing */
	unsigned char *common_ok;     /* per slot: the dictionary knows it */
	uint32_t *common_h;           /* per slot: the word's hash (probes skip the strings) */
	size_t common_cap, common_n;
	int compounds;                /* accept prefix+word and word+word compounds */
	size_t n_letters;
	sp_shard shard[NSHARDS];
	_Alignas(64) size_t cache_n;  /* distinct forms cached (atomic), on its own line */
	char pad_[64 - sizeof(size_t)];
} sp_state;

/* ---- small helpers ---------------------------------------------------------- */

/* Hash of s[0..n) for this process's tables (never stored): eight bytes
 * a step, the last step's bytes zero-padded, the length mixed in. */
static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		h = (h ^ x) * 0xBF58476D1CE4E5B9ull;
		h ^= h >> 31;
	}
	if (i < n) {
		unsigned char t[8] = {0};
		for (size_t k = 0; i + k < n; k++)
			t[k] = (unsigned char)s[i + k];
		uint64_t x;
		memcpy(&x, t, 8);
		h = (h ^ x) * 0x94D049BB133111EBull;
	}
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93ull;
	return h ^ (h >> 29);
}

static int common_has(const sp_state *st, const char *w, size_t n)
{
	if (!st->common_cap)
		return 0;
	uint64_t h = hash_bytes(w, n);
	size_t k = h & (st->common_cap - 1);
	while (st->common[k]) {
		if (st->common_h[k] == (uint32_t)h && strlen(st->common[k]) == n &&
		    memcmp(st->common[k], w, n) == 0)
			return 1;
		k = (k + 1) & (st->common_cap - 1);
	}
	return 0;
}

static int spell(sp_state *st, const char *w, size_t n);

/* A common word the dictionary knows: its verdict needs neither the shared
 * cache nor its locks (about half the distinct words of an article).  Each
 * common word is asked of the speller the first time it is met (0 not yet,
 * 1 known, 2 not known), not all ~2,400 at start-up. */
static int common_known(sp_state *st, const char *w, size_t n)
{
	if (!st->common_ok)
		return 0;
	uint64_t h = hash_bytes(w, n);
	size_t k = h & (st->common_cap - 1);
	while (st->common[k]) {
		if (st->common_h[k] == (uint32_t)h && strncmp(st->common[k], w, n) == 0 &&
		    st->common[k][n] == 0) {
			unsigned char v = __atomic_load_n(&st->common_ok[k], __ATOMIC_RELAXED);
			if (!v) {
				v = spell(st, st->common[k], n) == 1 ? 1 : 2;
				__atomic_store_n(&st->common_ok[k], v, __ATOMIC_RELAXED);
			}
			return v == 1;
		}
		k = (k + 1) & (st->common_cap - 1);
	}
	return 0;
}

static int common_add(sp_state *st, const char *w, size_t n)
{
	if (!st->common_cap) {
		st->common = calloc(4096, sizeof *st->common);
		st->common_h = calloc(4096, sizeof *st->common_h);
		if (!st->common || !st->common_h)
			return -1;
		st->common_cap = 4096;
	}
	if (common_has(st, w, n))
		return 0;
	if ((st->common_n + 1) * 2 > st->common_cap) {
		size_t cap = st->common_cap * 2;
		char **t = calloc(cap, sizeof *t);
		uint32_t *th = calloc(cap, sizeof *th);
		if (!t || !th) {
			free(t);
			free(th);
			return -1;
		}
		for (size_t i = 0; i < st->common_cap; i++) {
			if (!st->common[i])
				continue;
			size_t k = hash_bytes(st->common[i], strlen(st->common[i])) & (cap - 1);
			while (t[k])
				k = (k + 1) & (cap - 1);
			t[k] = st->common[i];
			th[k] = st->common_h[i];
		}
		free(st->common);
		free(st->common_h);
		st->common = t;
		st->common_h = th;
		st->common_cap = cap;
	}
	uint64_t h = hash_bytes(w, n);
	size_t k = h & (st->common_cap - 1);
	while (st->common[k])
		k = (k + 1) & (st->common_cap - 1);
	st->common_h[k] = (uint32_t)h;
	st->common[k] = strndup(w, n);
	if (!st->common[k])
		return -1;
	st->common_n++;
	return 0;
}

/* A set of strings in one arena, with the hash kept in the slot so that
 * a probe rarely touches the strings (the dictionary's ~50k stems). */
typedef struct strset strset;

#define BLOOM_BITS (16384u * 64u)
static uint32_t bloom_bit(uint64_t h, int i)
{
	/* three 20-bit slices of a remixed hash (the low 32 bits also pick the slot) */
	h *= 0x9E3779B97F4A7C15ull;
	return (uint32_t)(h >> (4 + 20 * i)) & (BLOOM_BITS - 1);
}

static int bloom_has(const strset *ss, uint64_t h)
{
	for (int i = 0; i < 3; i++) {
		uint32_t b = bloom_bit(h, i);
		if (!(ss->bloom[b >> 6] & (1ull << (b & 63))))
			return 0;
	}
	return 1;
}

static int set_has(const strset *ss, const char *w, size_t n)
{
	if (!ss->cap)
		return 0;
	uint64_t h64 = hash_bytes(w, n);
	uint32_t h = (uint32_t)h64;
	if (!bloom_has(ss, h64))
		return 0;
	for (size_t k = h & (ss->cap - 1); ss->slot[k].off; k = (k + 1) & (ss->cap - 1)) {
		if (ss->slot[k].h != h)
			continue;
		const char *x = ss->arena + ss->slot[k].off - 1;
		if (memcmp(x, w, n) == 0 && x[n] == 0)
			return 1;
	}
	return 0;
}

static int set_rehash(strset *ss, size_t nc)
{
	struct strslot *t = calloc(nc, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < ss->cap; i++) {
		if (!ss->slot[i].off)
			continue;
		size_t k = ss->slot[i].h & (nc - 1);
		while (t[k].off)
			k = (k + 1) & (nc - 1);
		t[k] = ss->slot[i];
	}
	free(ss->slot);
	ss->slot = t;
	ss->cap = nc;
	return 0;
}

/* Adds w (hash h64 = hash_bytes(w, n)) unless it is there. */
static int set_add_h(strset *ss, const char *w, size_t n, uint64_t h64)
{
	if ((ss->n + 1) * 4 > ss->cap * 3 && set_rehash(ss, ss->cap ? ss->cap * 2 : 1024) < 0)
		return -1;
	uint32_t h = (uint32_t)h64;
	size_t k = h & (ss->cap - 1);
	for (; ss->slot[k].off; k = (k + 1) & (ss->cap - 1)) {
		if (ss->slot[k].h != h)
			continue;
		const char *x = ss->arena + ss->slot[k].off - 1;
		if (memcmp(x, w, n) == 0 && x[n] == 0)
			return 0;
	}
	if (ss->alen + n + 1 > ss->acap) {
		size_t na = ss->acap ? ss->acap * 2 : 65536;
		while (na < ss->alen + n + 1)
			na *= 2;
		if (na > UINT32_MAX - 1)
			return -1;
		char *a = realloc(ss->arena, na);
		if (!a)
			return -1;
		ss->arena = a;
		ss->acap = na;
	}
	memcpy(ss->arena + ss->alen, w, n);
	ss->arena[ss->alen + n] = 0;
	ss->slot[k].h = h;
	ss->slot[k].off = (uint32_t)ss->alen + 1;
	for (int i = 0; i < 3; i++) {
		uint32_t b = bloom_bit(h64, i);
		ss->bloom[b >> 6] |= 1ull << (b & 63);
	}
	ss->alen += n + 1;
	ss->n++;
	return 0;
}

static int set_add(strset *ss, const char *w, size_t n)
{
	return set_add_h(ss, w, n, hash_bytes(w, n));
}

static void set_free(strset *ss)
{
	free(ss->slot);
	free(ss->arena);
	memset(ss, 0, sizeof *ss);
}

static void build_stems(sp_state *st);

/* Could w be a word of the dictionary?  0 means certainly not (no stem,
 * no stem + affix); 1 means ask Hunspell.  Without a prefilter, 1.
 * The prefilter is built on first use (most articles never need it). */
static int maybe_word(const sp_state *cst, const char *w, size_t n)
{
	sp_state *st = (sp_state *)cst;
	if (st->ws)
		return 1;          /* the word set answers exactly, and as fast */
	if (!__atomic_load_n(&st->stems_built, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&st->stems_lock);
		if (!st->stems_built)
			build_stems(st);
		pthread_mutex_unlock(&st->stems_lock);
	}
	if (!st->stems.cap)
		return 1;
	if (set_has(&st->stems, w, n))
		return 1;
	char b[MAX_WORD * 4 + 40];
	if (n > MAX_WORD * 4)
		return 1;
	unsigned char last = n ? (unsigned char)w[n - 1] : 0, first = n ? (unsigned char)w[0] : 0;
	for (uint32_t li = st->sfx_at[last]; li < st->sfx_at[last + 1]; li++) {
		const struct affix *a = &st->aff[st->sfx_list[li]];
		if (a->al > n)
			continue;
		if (memcmp(w + n - a->al, a->add, a->al) != 0)
			continue;
		size_t m = n - a->al;
		memcpy(b, w, m);
		memcpy(b + m, a->strip, a->sl);
		if (set_has(&st->stems, b, m + a->sl))
			return 1;
		/* prefix + suffix (re...ing): the prefix lies in b's first m
		 * bytes, which are w's */
		for (uint32_t lj = st->pfx_at[first]; lj < st->pfx_at[first + 1]; lj++) {
			const struct affix *p = &st->aff[st->pfx_list[lj]];
			if (p->al > m || memcmp(b, p->add, p->al) != 0)
				continue;
			char c[MAX_WORD * 4 + 40];
			size_t r = m + a->sl - p->al;
			memcpy(c, p->strip, p->sl);
			memcpy(c + p->sl, b + p->al, r);
			if (set_has(&st->stems, c, p->sl + r))
				return 1;
		}
	}
	for (uint32_t li = st->pfx_at[first]; li < st->pfx_at[first + 1]; li++) {
		const struct affix *a = &st->aff[st->pfx_list[li]];
		if (a->al > n)
			continue;
		if (memcmp(w, a->add, a->al) != 0)
			continue;
		memcpy(b, a->strip, a->sl);
		memcpy(b + a->sl, w + a->al, n - a->al);
		if (set_has(&st->stems, b, a->sl + n - a->al))
			return 1;
	}
	return 0;
}

static unsigned script_of(uint32_t cp)
{
	if (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF))
		return SC_LATIN;
	if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF))
		return SC_GREEK;
	if (cp >= 0x400 && cp <= 0x52F)
		return SC_CYRILLIC;
	return SC_OTHER;
}

static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Upper case of a lower-case letter, for re-capitalising suggestions:
 * ASCII, Latin-1, Greek and basic Cyrillic (the host offers lower() only). */
static uint32_t upper_cp(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return cp - 32;
	if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
		return cp - 32;
	if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2)
		return cp - 32;
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 80;
	return cp;
}

/* Decode UTF-8 into code points; returns the count (at most max). */
static size_t decode(const nl_host *h, const char *s, size_t n, uint32_t *cp, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max;) {
		uint32_t c;
		i += h->utf8_next(s + i, n - i, &c);
		cp[k++] = c;
	}
	return k;
}

static size_t encode(const uint32_t *cp, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (cp[i] < 0x80)
			out[o++] = (char)cp[i];
		else
			o += utf8_put(out + o, cp[i]);
	}
	out[o] = 0;
	return o;
}

/* ---- the speller ------------------------------------------------------------ */

/* One Hunspell object with its converters: used by one thread at a time. */
typedef struct sp_hs {
	Hunhandle *hs;
	iconv_t to_dic, from_dic;     /* (iconv_t)-1 when the dictionary is UTF-8 */
	struct sp_hs *next_free, *next_all;
} sp_hs;

/* Convert UTF-8 into the dictionary's encoding; 0 on success. */
static int to_dic_cd(iconv_t cd, const char *w, size_t n, char *out, size_t size)
{
	if (cd == (iconv_t)-1) {
		if (n + 1 > size)
			return -1;
		memcpy(out, w, n);
		out[n] = 0;
		return 0;
	}
	char *in = (char *)w, *o = out;
	size_t inl = n, outl = size - 1;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &in, &inl, &o, &outl) == (size_t)-1)
		return -1;
	*o = 0;
	return 0;
}

/* 1 known, 0 unknown, -1 cannot be represented in the dictionary's encoding. */
static int spell_h(sp_hs *h, const char *w, size_t n)
{
	char buf[MAX_WORD * 4 + 8];
	if (to_dic_cd(h->to_dic, w, n, buf, sizeof buf) != 0)
		return -1;
	return Hunspell_spell(h->hs, buf) != 0;
}

static void hs_free(sp_hs *h)
{
	if (h->hs)
		Hunspell_destroy(h->hs);
	if (h->to_dic != (iconv_t)-1)
		iconv_close(h->to_dic);
	if (h->from_dic != (iconv_t)-1)
		iconv_close(h->from_dic);
	free(h);
}

/* Another copy of the speller: the dictionary, the personal dictionaries
 * and every added word, as create() set up the first one. */
static sp_hs *hs_new(sp_state *st)
{
	sp_hs *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->to_dic = h->from_dic = (iconv_t)-1;
	h->hs = Hunspell_create(st->aff_path, st->dic_path);
	if (!h->hs)
		goto fail;
	if (st->to_dic != (iconv_t)-1) {
		const char *enc = Hunspell_get_dic_encoding(h->hs);
		h->to_dic = iconv_open(enc, "UTF-8");
		h->from_dic = iconv_open("UTF-8", enc);
		if (h->to_dic == (iconv_t)-1 || h->from_dic == (iconv_t)-1)
			goto fail;
	}
	for (size_t i = 0; i < st->n_pdics; i++)
		Hunspell_add_dic(h->hs, st->pdics[i]);
	for (size_t i = 0; i < st->n_added; i++) {
		char buf[MAX_WORD * 4 + 8];
		if (to_dic_cd(h->to_dic, st->added[i], strlen(st->added[i]), buf, sizeof buf) == 0)
			Hunspell_add(h->hs, buf);
	}
	return h;
fail:
	hs_free(h);
	return NULL;
}

/* Borrow a speller: a free one, else a new copy (up to max_hs), else wait. */
static sp_hs *hs_get(sp_state *st)
{
	pthread_mutex_lock(&st->hs_lock);
	for (;;) {
		if (st->free_hs) {
			sp_hs *h = st->free_hs;
			st->free_hs = h->next_free;
			pthread_mutex_unlock(&st->hs_lock);
			return h;
		}
		if (st->n_hs < st->max_hs) {
			st->n_hs++;
			pthread_mutex_unlock(&st->hs_lock);
			sp_hs *h = hs_new(st);
			pthread_mutex_lock(&st->hs_lock);
			if (h) {
				h->next_all = st->all_hs;
				st->all_hs = h;
				pthread_mutex_unlock(&st->hs_lock);
				return h;
			}
			st->max_hs = --st->n_hs;    /* no memory for more: make do */
			continue;
		}
		pthread_cond_wait(&st->hs_cond, &st->hs_lock);
	}
}

static void hs_put(sp_state *st, sp_hs *h)
{
	pthread_mutex_lock(&st->hs_lock);
	h->next_free = st->free_hs;
	st->free_hs = h;
	pthread_cond_signal(&st->hs_cond);
	pthread_mutex_unlock(&st->hs_lock);
}

static int spell(sp_state *st, const char *w, size_t n)
{
	if (st->ws) {
		int v = sw_spell(st->ws, w, n);
		if (v != SW_UNDECIDED)
			return v;
#ifdef SPELLING_TRACE_UNDECIDED     /* a debugging aid: which words reach Hunspell */
		fprintf(stderr, "spelling: undecided: %.*s\n", (int)n, w);
#endif
	}
	sp_hs *h = hs_get(st);
	int v = spell_h(h, w, n);
	hs_put(st, h);
	return v;
}

static int remember(char ***v, size_t *n, size_t *cap, const char *w, size_t len)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		char **t = realloc(*v, c * sizeof *t);
		if (!t)
			return -1;
		*v = t;
		*cap = c;
	}
	char *d = strndup(w, len);
	if (!d)
		return -1;
	(*v)[(*n)++] = d;
	return 0;
}

/* An accepted word: kept for the speller(s), added when they load. */
static int add_word_locked(sp_state *st, const char *w, size_t n)
{
	char buf[MAX_WORD * 4 + 8];
	if (n == 0 || n > MAX_WORD || to_dic_cd(st->to_dic, w, n, buf, sizeof buf) != 0)
		return -1;
	return remember(&st->added, &st->n_added, &st->cap_added, w, n);
}

/* Room for about n more strings without growing (the growth is what
 * costs: every slot moved again). */
static int set_reserve(strset *ss, size_t n)
{
	size_t want = ss->n + n, cap = ss->cap ? ss->cap : 1024;
	while ((want + 1) * 4 > cap * 3)   /* up to 3/4 full: the Bloom filter stops most misses */
		cap *= 2;
	if (cap != ss->cap && set_rehash(ss, cap) < 0)
		return -1;
	if (ss->alen + n * 10 > ss->acap) {        /* ~10 bytes a stem */
		size_t na = ss->alen + n * 10;
		char *a = realloc(ss->arena, na);
		if (!a)
			return -1;
		ss->arena = a;
		ss->acap = na;
	}
	return 0;
}

/* Stems of a .dic file (first line: count; then word[/flags][\tmorph]).
 * Read 64 KB at a time; lines are cut as a 1024-byte fgets() buffer
 * would cut them (a longer line goes on as another "line"). */
static int load_stems(sp_state *st, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	enum { CHUNK = 65536, BATCH = 16 };
	char *buf = malloc(CHUNK + 1024);
	if (!buf) {
		fclose(f);
		return -1;
	}
	/* stems go in by batches: hash a batch, prefetch its slots, insert
	 * (the table is ~1 MB: each insert is otherwise a cache miss) */
	struct { const char *w; size_t n; uint64_t h; } q[BATCH];
	size_t nq = 0, have = 0, p = 0;
	int rc = 0, first = 1, eof = 0;
	for (;;) {
		/* the next fgets() chunk: up to and including '\n', at most 1023
		 * bytes; a NUL byte ends our scan of it, as it ends the string */
		const char *nl = memchr(buf + p, '\n', have - p);
		size_t end = nl ? (size_t)(nl - buf) + 1 : have;
		if (end - p > 1023)
			end = p + 1023;
		int complete = nl || end - p == 1023 || (eof && end > p);
		if (!complete || nq == BATCH) {
			/* flush the batch (its words point into buf), then refill */
			if (nq) {
				if ((st->stems.n + nq + 1) * 4 > st->stems.cap * 3 &&
				    set_rehash(&st->stems, st->stems.cap ? st->stems.cap * 2 : 1024) < 0) {
					rc = -1;
					break;
				}
				for (size_t i = 0; i < nq; i++)
					__builtin_prefetch(&st->stems.slot[(uint32_t)q[i].h & (st->stems.cap - 1)], 1);
				for (size_t i = 0; i < nq && rc == 0; i++)
					if (set_add_h(&st->stems, q[i].w, q[i].n, q[i].h) < 0)
						rc = -1;
				nq = 0;
				if (rc)
					break;
			}
			if (!complete) {
				if (eof)
					break;
				memmove(buf, buf + p, have - p);
				have -= p;
				p = 0;
				size_t r = fread(buf + have, 1, CHUNK + 1024 - have, f);
				have += r;
				if (r == 0)
					eof = 1;
			}
			continue;
		}
		const char *line = buf + p;
		size_t ll = end - p;
		p = end;
		if (first) {
			first = 0;
			/* the count line sizes the table (a hint only) */
			char num[32];
			size_t k = ll < sizeof num - 1 ? ll : sizeof num - 1;
			memcpy(num, line, k);
			num[k] = 0;
			long hint = strtol(num, NULL, 10);
			if (hint > 0 && hint < 10000000 && set_reserve(&st->stems, (size_t)hint) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		size_t n = 0;
		while (n < ll && line[n] && line[n] != '/' && line[n] != '\t' && line[n] != '\n' &&
		       line[n] != '\r' && line[n] != ' ')
			n++;
		if (n && n <= MAX_WORD * 4) {
			q[nq].w = line;
			q[nq].n = n;
			q[nq].h = hash_bytes(line, n);
			nq++;
		}
	}
	free(buf);
	fclose(f);
	return rc;
}

/* Affix strings of an .aff file: "SFX flag strip add cond" lines. */
static void load_affixes(sp_state *st, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		int pfx = strncmp(line, "PFX", 3) == 0;
		if (!pfx && strncmp(line, "SFX", 3) != 0)
			continue;
		char flag[64], strip[64], add[64], cond[256];
		if (sscanf(line + 3, "%63s %63s %63s %255s", flag, strip, add, cond) != 4)
			continue;          /* a header line: SFX flag Y count */
		char *slash = strchr(add, '/');
		if (slash)
			*slash = 0;
		if (strcmp(strip, "0") == 0)
			strip[0] = 0;
		if (strcmp(add, "0") == 0)
			add[0] = 0;
		if (strlen(strip) >= 16 || strlen(add) >= 16)
			continue;
		size_t i;
		for (i = 0; i < st->n_aff; i++)
			if (st->aff[i].pfx == pfx && strcmp(st->aff[i].strip, strip) == 0 &&
			    strcmp(st->aff[i].add, add) == 0)
				break;
		if (i < st->n_aff)
			continue;
		struct affix *v = realloc(st->aff, (st->n_aff + 1) * sizeof *v);
		if (!v)
			break;
		st->aff = v;
		struct affix *a = &st->aff[st->n_aff++];
		memset(a, 0, sizeof *a);
		strcpy(a->strip, strip);
		strcpy(a->add, add);
		a->sl = (unsigned char)strlen(strip);
		a->al = (unsigned char)strlen(add);
		a->pfx = (unsigned char)pfx;
	}
	fclose(f);
}

/* The prefilter, on first use: the .dic stems, then (as create() once
 * did, only when the .dic gave some) the personal dictionaries' stems and
 * the added words; the affix strings, indexed by first/last byte.  Called
 * under stems_lock. */
static void build_stems(sp_state *st)
{
	if (st->stems_wanted) {
		if (load_stems(st, st->dic_path) < 0) {
			st->host->warn("spelling", "out of memory reading %s: suggestions are slower", st->dic_path);
			set_free(&st->stems);
		}
		if (st->stems.cap) {
			int bad = 0;
			for (size_t i = 0; i < st->n_pdics && !bad; i++)
				bad = load_stems(st, st->pdics[i]) < 0;
			for (size_t i = 0; i < st->n_added && !bad; i++)
				bad = set_add(&st->stems, st->added[i], strlen(st->added[i])) < 0;
			if (bad)
				set_free(&st->stems);  /* no prefilter: slower, same answers */
		}
		load_affixes(st, st->aff_path);
	}
	if (st->n_aff > 65535)
		set_free(&st->stems);          /* no prefilter: same answers, slower */
	/* the affix lists by key byte */
	size_t ns = 0, np = 0, es = 0, ep = 0;
	for (size_t i = 0; i < st->n_aff; i++) {
		if (st->aff[i].pfx)
			np++, ep += !st->aff[i].al;
		else
			ns++, es += !st->aff[i].al;
	}
	/* every key byte's list ends with the affixes that add nothing */
	st->sfx_list = malloc((ns + 256 * es + 1) * sizeof *st->sfx_list);
	st->pfx_list = malloc((np + 256 * ep + 1) * sizeof *st->pfx_list);
	if (!st->sfx_list || !st->pfx_list) {
		set_free(&st->stems);          /* maybe_word() answers 1 */
		memset(st->sfx_at, 0, sizeof st->sfx_at);
		memset(st->pfx_at, 0, sizeof st->pfx_at);
	} else {
		uint32_t ks = 0, kp = 0;
		for (unsigned c = 0; c < 256; c++) {
			st->sfx_at[c] = ks;
			st->pfx_at[c] = kp;
			for (size_t i = 0; i < st->n_aff; i++) {
				const struct affix *a = &st->aff[i];
				if (!a->al)
					continue;
				if (!a->pfx && (unsigned char)a->add[a->al - 1] == c)
					st->sfx_list[ks++] = (uint16_t)i;
				if (a->pfx && (unsigned char)a->add[0] == c)
					st->pfx_list[kp++] = (uint16_t)i;
			}
			for (size_t i = 0; i < st->n_aff; i++) {
				const struct affix *a = &st->aff[i];
				if (a->al)
					continue;
				if (!a->pfx)
					st->sfx_list[ks++] = (uint16_t)i;
				else
					st->pfx_list[kp++] = (uint16_t)i;
			}
		}
		st->sfx_at[256] = ks;
		st->pfx_at[256] = kp;
	}
	__atomic_store_n(&st->stems_built, 1, __ATOMIC_RELEASE);
}

/* Closed compounds the dictionary lacks but English makes freely: a common
 * prefix before a known word (reframed, midafternoon, supermajority) or two
 * known words of 5+ letters (flashpoint, roundtable). */
static int compound_ok(sp_state *st, const char *w, size_t n)
{
	static const struct { const char *p; unsigned min_rest; } pre[] = {
		{ "re", 5 }, { "un", 5 }, { "non", 4 }, { "over", 4 }, { "under", 4 },
		{ "mid", 4 }, { "multi", 4 }, { "counter", 4 }, { "anti", 4 }, { "pre", 5 },
		{ "post", 4 }, { "super", 4 }, { "inter", 5 }, { "mis", 5 }, { "out", 4 },
		{ "semi", 4 }, { "sub", 5 }, { "cyber", 4 }, { "hyper", 4 }, { "mega", 4 },
		{ "micro", 4 }, { "co", 5 }, { "self", 4 }, { "ultra", 4 }, { "pro", 5 },
		{ "geo", 5 }, { "tele", 4 }, { "bio", 5 }, { "eco", 5 }, { "neo", 5 },
	};
	if (n < 7 || n > MAX_WORD)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return 0;                 /* ASCII lower case after the first letter */
	char low[MAX_WORD + 1];
	memcpy(low, w, n);
	low[n] = 0;
	if (low[0] >= 'A' && low[0] <= 'Z')
		low[0] = (char)(low[0] + 32);
	if (low[0] < 'a' || low[0] > 'z')
		return 0;
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		size_t pl = strlen(pre[i].p);
		if (n >= pl + pre[i].min_rest && memcmp(low, pre[i].p, pl) == 0 &&
		    maybe_word(st, low + pl, n - pl) && spell(st, low + pl, n - pl) == 1)
			return 1;
	}
	for (size_t i = 5; i + 5 <= n; i++) {
		char a[MAX_WORD + 1];
		memcpy(a, low, i);
		a[i] = 0;
		if (maybe_word(st, a, i) && maybe_word(st, low + i, n - i) &&
		    spell(st, a, i) == 1 && spell(st, low + i, n - i) == 1)
			return 1;
	}
	return 0;
}

/* ---- the verdict cache -------------------------------------------------------- */

static sp_entry *cache_find(sp_shard *sh, uint64_t h, const char *w, size_t n)
{
	if (!sh->nb)
		return NULL;
	for (size_t k = (h >> 6) & (sh->nb - 1); sh->b[k].e; k = (k + 1) & (sh->nb - 1)) {
		sp_entry *e = sh->b[k].e;
		if (sh->b[k].hash == h && e->len == n && memcmp(e->word, w, n) == 0)
			return e;
	}
	return NULL;
}

static void cache_grow(sp_shard *sh)
{
	size_t nb = sh->nb ? sh->nb * 2 : 256;
	sp_slot *b = calloc(nb, sizeof *b);
	if (!b)
		return;
	for (size_t i = 0; i < sh->nb; i++) {
		if (!sh->b[i].e)
			continue;
		size_t k = (sh->b[i].hash >> 6) & (nb - 1);
		while (b[k].e)
			k = (k + 1) & (nb - 1);
		b[k] = sh->b[i];
	}
	free(sh->b);
	sh->b = b;
	sh->nb = nb;
}

/* The cached entry of word w (exact form), creating it with its verdict.
 * Returns NULL only when memory is short or the cache is full; *known is
 * always set (1 when the word cannot be checked in this dictionary). */
static int near_word(sp_state *st, const char *w, size_t n);

static void del_start(sp_state *st);

static sp_entry *lookup(sp_state *st, const char *w, size_t n, int *known)
{
	uint64_t h = hash_bytes(w, n);
	sp_shard *sh = &st->shard[h & (NSHARDS - 1)];
	pthread_mutex_lock(&sh->lock);
	sp_entry *e = cache_find(sh, h, w, n);
	pthread_mutex_unlock(&sh->lock);
	if (e) {
		*known = e->known;
		return e;
	}
	int v = spell(st, w, n);
	if (v == 0 && st->compounds && st->to_dic == (iconv_t)-1 && compound_ok(st, w, n))
		v = !near_word(st, w, n);
	*known = v != 0;
	if (!*known && n >= 4 && n <= 20 &&
	    __atomic_add_fetch(&st->del_unknown, 1, __ATOMIC_RELAXED) == DEL_BRUTE)
		del_start(st);   /* suggestions may soon want the two-edit index */
	if (__atomic_load_n(&st->cache_n, __ATOMIC_RELAXED) >= CACHE_MAX)
		return NULL;
	sp_entry *ne = calloc(1, sizeof *ne + n + 1);
	if (!ne)
		return NULL;
	ne->hash = h;
	ne->len = (uint32_t)n;
	ne->known = (unsigned char)*known;
	memcpy(ne->word, w, n);
	pthread_mutex_lock(&sh->lock);
	e = cache_find(sh, h, w, n);
	if (e) {                           /* another thread was quicker */
		free(ne);
	} else {
		if ((sh->n + 1) * 2 > sh->nb)
			cache_grow(sh);
		if ((sh->n + 1) * 2 > sh->nb) {   /* no memory to grow */
			pthread_mutex_unlock(&sh->lock);
			free(ne);
			return NULL;
		}
		size_t k = (h >> 6) & (sh->nb - 1);
		while (sh->b[k].e)
			k = (k + 1) & (sh->nb - 1);
		sh->b[k].hash = h;
		sh->b[k].e = ne;
		sh->n++;
		__atomic_add_fetch(&st->cache_n, 1, __ATOMIC_RELAXED);
		e = ne;
	}
	pthread_mutex_unlock(&sh->lock);
	return e;
}

/* ---- suggestions ---------------------------------------------------------------- */

/* QWERTY neighbours: a replaced letter next to the intended one is the
 * commonest slip after a swap or a doubled letter. */
static const char *const kbd[26] = {
	"qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb",
	"ujko", "huikmn", "jiolm", "kop", "njk", "bhjm", "iklp", "ol",
	"wa", "edft", "awedxz", "rfgy", "yhji", "cfgb", "qase", "zsdc",
	"tghu", "asx"
};

static int is_vowel(uint32_t c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int kbd_adjacent(uint32_t a, uint32_t b)
{
	if (a < 'a' || a > 'z' || b < 'a' || b > 'z')
		return 0;
	return strchr(kbd[a - 'a'], (int)b) != NULL;
}

/* Same letter but for an accent (e/é): a cheap "replacement". */
static int accent_pair(uint32_t a, uint32_t b)
{
	static const char *const base = "aaaaeeeeiiiioooouuuunc";
	static const uint32_t acc[] = { 0xE0, 0xE1, 0xE2, 0xE4, 0xE8, 0xE9, 0xEA, 0xEB,
		0xEC, 0xED, 0xEE, 0xEF, 0xF2, 0xF3, 0xF4, 0xF6, 0xF9, 0xFA, 0xFB, 0xFC, 0xF1, 0xE7 };
	if ((a < 0xE0 || a > 0xFC) && (b < 0xE0 || b > 0xFC))
		return 0;   /* neither is one of acc[]: most calls (two plain letters) */
	for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
		if ((a == acc[i] && b == (uint32_t)base[i]) || (b == acc[i] && a == (uint32_t)base[i]))
			return 1;
	return 0;
}

typedef struct cand {
	char *w;
	double score;   /* lower is better */
} cand;

typedef struct cands {
	cand *v;
	size_t n, cap;
} cands;

static void cands_add(cands *c, const char *w, double score)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].w, w) == 0) {
			if (score < c->v[i].score)
				c->v[i].score = score;
			return;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		cand *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return;
		c->v = v;
		c->cap = cap;
	}
	char *d = strdup(w);
	if (!d)
		return;
	c->v[c->n].w = d;
	c->v[c->n].score = score;
	c->n++;
}

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return strcmp(x->w, y->w);
}

struct stem_common {
	const sp_state *st;
	int common;
};

static void stem_is_common(void *ud, const char *s, size_t n)
{
	struct stem_common *sc = ud;
	if (!sc->common)
		sc->common = common_has(sc->st, s, n);
}

/* The candidates of one edits1() call between their filter and the rest
 * of their trial: the word set's look-ups of CQ candidates are asked for
 * before the first is waited for (sw_cand_first/sw_cand_last).  Trials end
 * in the order they began, so the candidates are the same, in the same
 * order, as when each is tried at once. */
#define CQ 16
typedef struct cq_ent {
	char buf[MAX_WORD * 4 + 8];  /* the candidate, lower case, NUL-terminated */
	size_t bl;
	double score;
	int ticketed;                /* tk holds sw_cand_first()'s ticket */
	sw_ticket tk;
} cq_ent;

typedef struct cqueue {
	sp_state *st;
	cands *c;
	int cap;                     /* re-capitalise */
	int *any_common;
	size_t head, len;
	cq_ent e[CQ];
} cqueue;

/* The rest of a candidate's trial. */
static void cq_finish(cqueue *q, cq_ent *x)
{
	sp_state *st = q->st;
	char *buf = x->buf;
	const size_t bl0 = x->bl;
	double score = x->score;
	int v = x->ticketed ? sw_cand_last(st->ws, buf, bl0, &x->tk) : SW_UNDECIDED;
	if (v == SW_UNKNOWN)
		return;
	if (v == SW_UNDECIDED && (!maybe_word(st, buf, bl0) || spell(st, buf, bl0) != 1))
		return;
	/* a common word (or an inflection of one) first: news prose is mostly
	 * common words, and edit-1 neighbours are mostly rare ones */
	size_t bl = strlen(buf);
	int common = common_has(st, buf, bl);
	if (!common && st->common_cap && st->to_dic == (iconv_t)-1) {
		struct stem_common sc = { st, 0 };
		if (!st->ws || sw_stems(st->ws, buf, bl, stem_is_common, &sc) == SW_UNDECIDED) {
#ifdef SPELLING_TRACE_UNDECIDED
			if (st->ws)
				fprintf(stderr, "spelling: stems undecided: %s\n", buf);
#endif
			sp_hs *h = hs_get(st);
			char **stems = NULL;
			int ns = Hunspell_stem(h->hs, &stems, buf);
			for (int i = 0; i < ns && !sc.common; i++)
				sc.common = common_has(st, stems[i], strlen(stems[i]));
			if (stems)
				Hunspell_free_list(h->hs, &stems, ns);
			hs_put(st, h);
		}
		common = sc.common;
	}
	/* for a capitalised word at a sentence start: is it a slip of a common
	 * word (Teh -> The) rather than a name (Comey -> come)?  Only the
	 * telling slips count: a swap, a doubled letter, an accent; or a
	 * near-key or vowel slip of a common word. */
	if (q->any_common && (score <= 1.2 || (common && score <= 1.7)))
		*q->any_common = 1;
	if (common)
		score -= 0.9;
	if (q->cap) {   /* its first letter in upper case */
		uint32_t c0;
		size_t k = st->host->utf8_next(buf, bl, &c0);
		char up[4];
		size_t m = utf8_put(up, upper_cp(c0));
		memmove(buf + m, buf + k, bl - k + 1);
		memcpy(buf, up, m);
	}
	cands_add(q->c, buf, score);
}

/* Ends every trial begun. */
static void cq_flush(cqueue *q)
{
	for (; q->len; q->len--, q->head = (q->head + 1) % CQ)
		cq_finish(q, &q->e[q->head]);
}

/* The buffer of the next trial (the oldest trial is ended first when all
 * CQ are under way): the caller writes the candidate there, lower case,
 * NUL-terminated, then calls cq_push(). */
static char *cq_slot(cqueue *q)
{
	if (q->len == CQ) {
		cq_finish(q, &q->e[q->head]);
		q->head = (q->head + 1) % CQ;
		q->len--;
	}
	return q->e[(q->head + q->len) % CQ].buf;
}

/* Begin the trial of the candidate of bl bytes written at cq_slot().  lo,
 * hi: the bytes it does not keep from the misspelling, for sw_cand_first()
 * (0 and SIZE_MAX: not known); checked: sw_fits_at() has passed them (the
 * filter need not look again). */
static void cq_push(cqueue *q, size_t bl, double score, size_t lo, size_t hi, int checked)
{
	if (bl == 0)
		return;
	sp_state *st = q->st;
	cq_ent *x = &q->e[(q->head + q->len) % CQ];
	x->bl = bl;
	x->ticketed = st->ws != NULL;
	if (st->ws && (checked ? sw_cand_checked(st->ws, x->buf, x->bl, &x->tk)
			       : sw_cand_first(st->ws, x->buf, x->bl, lo, hi, &x->tk)) == SW_UNKNOWN)
		return;
	x->score = score;
	q->len++;
}

/* out = w[0..a) mid[0..ml) w[b..wl), NUL-terminated: an edit of the word
 * of wl bytes w; its length.  mid (ml <= 8) has 8 readable bytes; w and
 * out, MAX_WORD * 4 + 8.  A word of up to 32 bytes is copied in three
 * fixed-size moves, each overwriting what the one before wrote past its
 * part (no call to memcpy for a few bytes). */
static size_t splice(char *out, const char *w, size_t wl, size_t a, size_t b, const char *mid, size_t ml)
{
	if (wl <= 32) {
		memcpy(out, w, 32);
		memcpy(out + a, mid, 8);
		memcpy(out + a + ml, w + b, 32);
	} else {
		memcpy(out, w, a);
		memcpy(out + a, mid, ml);
		memcpy(out + a + ml, w + b, wl - b);
	}
	out[a + ml + wl - b] = 0;
	return a + ml + wl - b;
}

/* May the three letters a b c (0: an end of the word) stand together in a
 * form of the word set?  Only for ASCII letters; anything else: maybe. */
static int tri_may(const sp_state *st, uint32_t a, uint32_t b, uint32_t c)
{
	if (a >= 0x80 || b >= 0x80 || c >= 0x80)
		return 1;
	return sw_tri(st->ws, a, b, c);
}

/* May letter ch stand between the ASCII letters before and after (0: an
 * end of the word)?  An ASCII letter: tri_may().  A two-byte letter whose
 * bytes b (n of them, sw_tri_letter()) the filter can judge: both trigrams
 * centred on its bytes must be some form's.  Anything else: maybe. */
static int letter_fits(const sp_state *st, uint32_t ch, int n, const unsigned char *b, uint32_t before,
		       uint32_t after)
{
	if (ch < 0x80)
		return tri_may(st, before, ch, after);
	if (n == 2)
		return sw_tri(st->ws, before, b[0], b[1]) && sw_tri(st->ws, b[0], b[1], after);
	return 1;
}

/* Letter ch's bit in sw_fits_at()'s mask; 0 for a letter not there. */
static inline uint32_t az_bit(uint32_t ch)
{
	return ch >= 'a' && ch <= 'z' ? 1u << (ch - 'a') : ch == '\'' ? 1u << 26 : 0;
}

/* Edit-distance-1 candidates of w (lower-cased if cap), scored by the kind
 * of slip. */
static void edits1(sp_state *st, const uint32_t *w, size_t n, int cap, int plain, cands *c, int *any)
{
	uint32_t t[MAX_WORD + 2];
	cqueue q;
	q.st = st;
	q.c = c;
	q.cap = cap;
	q.any_common = any;
	q.head = q.len = 0;
	/* the word set's trigram filter, applicable when every letter of w is
	 * ASCII lower case (or an apostrophe): a candidate whose new letter
	 * does not fit between its neighbours is no word (try_cand would find
	 * that out, slower) */
	int tri = st->ws && sw_tri_usable(st->ws);
	for (size_t i = 0; tri && i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '\''))
			tri = 0;
	/* the letters' bytes, for letter_fits() */
	unsigned char lbytes[sizeof st->letters / sizeof st->letters[0]][2];
	int lnb[sizeof st->letters / sizeof st->letters[0]];
	for (size_t L = 0; tri && L < st->n_letters; L++)
		lnb[L] = sw_tri_letter(st->ws, st->letters[L], lbytes[L]);
	/* the letters the n-gram filter cannot judge: at a place
	 * sw_place_open() closes, only these are tried (a candidate any other
	 * letter makes there is no form; the filter assumes so too) */
	uint8_t loose[sizeof st->letters / sizeof st->letters[0]];
	size_t nloose = 0;
	for (size_t L = 0; tri && L < st->n_letters; L++)
		if (!az_bit(st->letters[L]) && !lnb[L])
			loose[nloose++] = (uint8_t)L;
	unsigned char ins_open[MAX_WORD + 2], rep_open[MAX_WORD + 2];
	/* where w's own n-grams that no form has lie: a candidate that keeps
	 * one of them is no word (dead(i, j): keeps w[0..i) and w[j..n)) */
	long min_end = (long)n + 1, max_start = -2;
	if (tri) {
		char wb[MAX_WORD + 2];
		for (size_t i = 0; i < n; i++)
			wb[i] = (char)w[i];
		sw_grams_bad(st->ws, wb, n, &min_end, &max_start);
	}
#define dead(i, j) ((long)(i) > min_end || (long)(j) <= max_start)
	/* the part of a candidate it does not keep from w, in bytes (w is
	 * ASCII when tri): the n-grams outside it are w's and pass the filter */
#define LO(i) (tri ? (size_t)(i) : 0)
#define HI(j) (tri ? (size_t)(j) : SIZE_MAX)
	const double first = 1.5;   /* slips in the first letter are rarer */
	/* a name typed in lower case: "clinton" -> "Clinton" */
	if (!cap && !plain && n > 1) {
		char buf[MAX_WORD * 4 + 8];
		memcpy(t, w, n * sizeof *w);
		t[0] = upper_cp(t[0]);
		if (t[0] != w[0]) {
			encode(t, n, buf);
			if (spell(st, buf, strlen(buf)) == 1)
				cands_add(c, buf, 1.4);
		}
	}
	/* the candidates are written as bytes: w's (wu, cp i at wu[off[i]]),
	 * spliced with the letters' (lu[L] of ll[L] bytes) */
	char wu[MAX_WORD * 4 + 8], lu[sizeof st->letters / sizeof st->letters[0]][8];
	static const char none[8];
	size_t off[MAX_WORD + 3], ll[sizeof st->letters / sizeof st->letters[0]];
	off[0] = 0;
	for (size_t i = 0; i < n; i++)
		off[i + 1] = off[i] + utf8_put(wu + off[i], w[i]);
	const size_t wl = off[n];
	for (size_t L = 0; L < st->n_letters; L++)
		ll[L] = utf8_put(lu[L], st->letters[L]);
	if (tri)   /* (w is ASCII: byte places are letter places) */
		sw_places_open(st->ws, wu, wl, ins_open, rep_open);
	/* swaps */
	for (size_t i = 0; i + 1 < n; i++) {
		if (w[i] == w[i + 1] || dead(i, i + 2))
			continue;
		char mid[8];
		size_t a = off[i + 2] - off[i + 1], b = off[i + 1] - off[i];
		memcpy(mid, wu + off[i + 1], a);
		memcpy(mid + a, wu + off[i], b);
		size_t bl = splice(cq_slot(&q), wu, wl, off[i], off[i + 2], mid, a + b);
		cq_push(&q, bl, 1.0 + (i == 0 ? first : 0), LO(i), HI(i + 2), 0);
	}
	/* deletions: the typo has an extra letter */
	for (size_t i = 0; i < n && n > 1; i++) {
		if (i > 0 && w[i] == w[i - 1])
			continue;     /* same string as deleting i-1 */
		if (dead(i, i + 1))
			continue;
		int doubled = (i + 1 < n && w[i] == w[i + 1]);
		double s = doubled ? 1.2 : 2.0;
		if (!doubled && i > 0 && i + 1 < n && (kbd_adjacent(w[i], w[i - 1]) || kbd_adjacent(w[i], w[i + 1])))
			s = 1.8;
		size_t bl = splice(cq_slot(&q), wu, wl, off[i], off[i + 1], none, 0);
		cq_push(&q, bl, s + (i == 0 ? first : 0), LO(i), HI(i), 0);
	}
	/* insertions: the typo dropped a letter */
	if (n + 1 <= MAX_WORD) {
		for (size_t i = 0; i <= n; i++) {
			uint32_t before = i > 0 ? w[i - 1] : 0, after = i < n ? w[i] : 0;
			/* (in tri mode w is ASCII: wu[i] is w[i]); a place no form
			 * has a letter inserted at: only the other letters */
			const int open = !tri || ins_open[i];
			uint32_t fit = tri && open ? sw_fits_at(st->ws, wu, wl, i, 0) : 0;
			for (size_t k = 0, nk = open ? st->n_letters : nloose; k < nk; k++) {
				const size_t L = open ? k : loose[k];
				uint32_t ch = st->letters[L];
				if (i > 0 && w[i - 1] == ch)
					continue;  /* same as inserting after: counted once */
				if (tri && !(az_bit(ch) ? (fit & az_bit(ch)) != 0 : letter_fits(st, ch, lnb[L], lbytes[L], before, after)))
					continue;  /* no dictionary form has these letters together */
				if (tri && lnb[L] && dead(i, i))
					continue;
				int doubled = (i < n && w[i] == ch);
				double s = doubled ? 1.2 : 2.0;
				if (ch == '\'')
					s = 1.6;
				size_t bl = splice(cq_slot(&q), wu, wl, off[i], off[i], lu[L], ll[L]);
				cq_push(&q, bl, s + (i == 0 ? first : 0), LO(i),
					HI(i + (ch < 0x80 ? 1 : ch < 0x800 ? 2 : 4)), tri && az_bit(ch));
			}
		}
	}
	/* replacements */
	for (size_t i = 0; i < n; i++) {
		uint32_t before = i > 0 ? w[i - 1] : 0, after = i + 1 < n ? w[i + 1] : 0;
		const int open = !tri || rep_open[i];
		uint32_t fit = tri && open ? sw_fits_at(st->ws, wu, wl, i, 1) : 0;
		for (size_t k = 0, nk = open ? st->n_letters : nloose; k < nk; k++) {
			const size_t L = open ? k : loose[k];
			uint32_t ch = st->letters[L];
			if (ch == w[i] || ch == '\'')
				continue;
			if (tri && !(az_bit(ch) ? (fit & az_bit(ch)) != 0 : letter_fits(st, ch, lnb[L], lbytes[L], before, after)))
				continue;
			if (tri && lnb[L] && dead(i, i + 1))
				continue;
			double s = 2.5;
			if (accent_pair(ch, w[i]))
				s = 1.0;
			else if (kbd_adjacent(ch, w[i]))
				s = 1.6;
			else if (is_vowel(ch) && is_vowel(w[i]))
				s = 1.7;
			size_t bl = splice(cq_slot(&q), wu, wl, off[i], off[i + 1], lu[L], ll[L]);
			cq_push(&q, bl, s + (i == 0 ? first : 0), LO(i),
				HI(i + (ch < 0x80 ? 1 : ch < 0x800 ? 2 : 4)), tri && az_bit(ch));
		}
	}
#undef dead
#undef LO
#undef HI
	cq_flush(&q);
	/* a missing space: "alot" -> "a lot" (both halves real words) */
	for (size_t i = 2; i + 2 <= n && !plain; i++) {
		char a[MAX_WORD * 4 + 8], b[MAX_WORD * 4 + 8];
		encode(w, i, a);
		encode(w + i, n - i, b);
		if (maybe_word(st, a, strlen(a)) && maybe_word(st, b, strlen(b)) &&
		    spell(st, a, strlen(a)) == 1 && spell(st, b, strlen(b)) == 1) {
			char both[MAX_WORD * 8 + 16];
			memcpy(t, w, n * sizeof *w);
			if (cap)
				t[0] = upper_cp(t[0]);
			encode(t, i, a);
			snprintf(both, sizeof both, "%s %s", a, b);
			cands_add(c, both, 3.0);
		}
	}
}

static int osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int max);

/* The score of a two-edit common word (1.5 more when its first letter
 * differs): below it, only one-edit candidates. */
#define EDIT2_SCORE 2.6

/* Two-edit candidates among the common words (definately -> definitely),
 * through an index of their deletion neighbourhoods (SymSpell's idea):
 * two strings within 2 edits share a string reachable by <= 2 deletions
 * from each.  Built under del_lock by a thread started once the run has
 * DEL_BRUTE unknown words (del_main), or on first use when there is none. */
typedef struct del_ent {
	uint32_t h;
	uint32_t id;    /* word index + 1; 0 = empty slot */
} del_ent;

static void del_insert(sp_state *st, uint32_t h, uint32_t id)
{
	size_t k = h & (st->del_cap - 1);
	while (st->del[k].id)
		k = (k + 1) & (st->del_cap - 1);
	st->del[k].h = h;
	st->del[k].id = id;
}

/* Calls fn for w and every string 1 or 2 deletions from it. */
static void deletes2(const char *w, size_t n, void (*fn)(void *, const char *, size_t), void *ud)
{
	char b[MAX_WORD + 1];
	fn(ud, w, n);
	for (size_t i = 0; i < n; i++) {
		if (i && w[i] == w[i - 1])
			continue;
		memcpy(b, w, i);
		memcpy(b + i, w + i + 1, n - i - 1);
		fn(ud, b, n - 1);
		for (size_t j = i; j + 1 < n; j++) {
			char c[MAX_WORD + 1];
			if (j > i && b[j] == b[j - 1])
				continue;
			memcpy(c, b, j);
			memcpy(c + j, b + j + 1, n - 2 - j);
			fn(ud, c, n - 2);
		}
	}
}

typedef struct del_build { sp_state *st; uint32_t id; size_t count; } del_build;

static void del_count_fn(void *ud, const char *w, size_t n)
{
	(void)w;
	(void)n;
	((del_build *)ud)->count++;
}

static void del_add_fn(void *ud, const char *w, size_t n)
{
	del_build *b = ud;
	del_insert(b->st, (uint32_t)hash_bytes(w, n), b->id);
}

static void build_del_index(sp_state *st)
{
	del_build b = { st, 0, 0 };
	for (size_t i = 0; i < st->common_cap; i++) {
		const char *w = st->common[i];
		if (w && strlen(w) >= 4 && strlen(w) <= 20)
			deletes2(w, strlen(w), del_count_fn, &b);
	}
	size_t cap = 1024;
	while (cap < b.count * 2)
		cap *= 2;
	st->del = calloc(cap, sizeof *st->del);
	if (!st->del) {
		__atomic_store_n(&st->del_built, 1, __ATOMIC_RELEASE);
		return;
	}
	st->del_cap = cap;
	for (size_t i = 0; i < st->common_cap; i++) {
		const char *w = st->common[i];
		if (!w || strlen(w) < 4 || strlen(w) > 20)
			continue;
		b.id = (uint32_t)i + 1;
		deletes2(w, strlen(w), del_add_fn, &b);
	}
	__atomic_store_n(&st->del_built, 1, __ATOMIC_RELEASE);
}

/* The index, built beside the checks: ~5 ms of CPU and 1,000 page faults
 * that a 1 MB article would otherwise wait for in its first two-edit query
 * (its suggestions come after all its words are checked).  A query
 * meanwhile waits on del_lock (after the first DEL_BRUTE, which compare
 * with every common word instead). */
static void *del_main(void *arg)
{
	sp_state *st = arg;
	pthread_mutex_lock(&st->del_lock);
	if (!st->del_built)
		build_del_index(st);
	pthread_mutex_unlock(&st->del_lock);
	__atomic_store_n(&st->del_th_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Join del_main() once it is done (wait: also when it is not). */
static void del_join(sp_state *st, int wait)
{
	if (__atomic_load_n(&st->del_th_state, __ATOMIC_ACQUIRE) != 1 ||
	    (!wait && !__atomic_load_n(&st->del_th_done, __ATOMIC_ACQUIRE)))
		return;
	pthread_mutex_lock(&st->del_join_lock);
	if (!st->del_th_joined) {
		pthread_join(st->del_th, NULL);
		st->del_th_joined = 1;
	}
	pthread_mutex_unlock(&st->del_join_lock);
}

/* Start del_main() (once) when suggestions may want the index: at the
 * run's DEL_BRUTE-th unknown word (the first DEL_BRUTE queries do without;
 * an article with fewer unknown words costs no thread). */
static void del_start(sp_state *st)
{
	int z = 0;
	if (st->max_sugg <= 0 || !st->common_cap || __atomic_load_n(&st->del_th_state, __ATOMIC_RELAXED) ||
	    !__atomic_compare_exchange_n(&st->del_th_state, &z, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	if (pthread_create(&st->del_th, NULL, del_main, st) != 0)
		__atomic_store_n(&st->del_th_state, 2, __ATOMIC_RELEASE);
}

typedef struct del_query {
	sp_state *st;
	const char *w;
	size_t n;
	int cap;
	cands *c;
} del_query;

/* The hashes of a word's deletion neighbourhood (deletes2), each slot of
 * the index asked for as it is made: the index is megabytes, and a probe
 * waiting for each slot in turn was most of a query's time. */
#define DEL_HMAX (1 + 20 + 20 * 19 / 2)   /* the strings of a word of 20 letters */
typedef struct del_hashes {
	const sp_state *st;
	uint32_t h[DEL_HMAX];
	size_t n;
} del_hashes;

static void del_hash_fn(void *ud, const char *k, size_t kn)
{
	del_hashes *d = ud;
	uint32_t h = (uint32_t)hash_bytes(k, kn);
	__builtin_prefetch(&d->st->del[h & (d->st->del_cap - 1)]);
	if (d->n < DEL_HMAX)
		d->h[d->n++] = h;
}

/* The common words in the index's slots for hash h that are 2 edits from
 * the query's word: its candidates. */
static void del_probe(del_query *q, uint32_t h)
{
	sp_state *st = q->st;
	for (size_t i = h & (st->del_cap - 1); st->del[i].id; i = (i + 1) & (st->del_cap - 1)) {
		if (st->del[i].h != h)
			continue;
		const char *cw = st->common[st->del[i].id - 1];
		size_t cn = strlen(cw);
		uint32_t a[MAX_WORD + 2], b[MAX_WORD + 2];
		for (size_t j = 0; j < q->n; j++)
			a[j] = (unsigned char)q->w[j];
		for (size_t j = 0; j < cn; j++)
			b[j] = (unsigned char)cw[j];
		int d = osa(a, q->n, b, cn, 2);
		if (d != 2)
			continue;          /* 1 edit: edits1 has it, ranked by kind */
		char out[MAX_WORD + 1];
		memcpy(out, cw, cn + 1);
		if (q->cap && out[0] >= 'a' && out[0] <= 'z')
			out[0] = (char)(out[0] - 32);
		cands_add(q->c, out, EDIT2_SCORE + (cw[0] != q->w[0] ? 1.5 : 0));
	}
}

static void edits2_common(sp_state *st, const uint32_t *cp, size_t n, int cap, cands *c)
{
	if (n < 4 || n > 20 || !st->common_cap)
		return;
	char w[MAX_WORD + 1];
	for (size_t i = 0; i < n; i++) {
		if (cp[i] < 'a' || cp[i] > 'z')
			return;             /* the index holds ASCII words */
		w[i] = (char)cp[i];
	}
	w[n] = 0;
	if (!__atomic_load_n(&st->del_built, __ATOMIC_ACQUIRE) &&
	    __atomic_add_fetch(&st->del_queries, 1, __ATOMIC_RELAXED) <= DEL_BRUTE) {
		/* the first few queries of a run compare with every common word:
		 * the same words as the index finds (two strings within 2 edits
		 * share a string <= 2 deletions from each), without its ~2 ms */
		uint32_t a[MAX_WORD + 2], b[MAX_WORD + 2];
		for (size_t j = 0; j < n; j++)
			a[j] = (unsigned char)w[j];
		for (size_t i = 0; i < st->common_cap; i++) {
			const char *cw = st->common[i];
			if (!cw)
				continue;
			size_t cn = strlen(cw);
			if (cn < 4 || cn > 20 || cn + 2 < n || n + 2 < cn)
				continue;
			for (size_t j = 0; j < cn; j++)
				b[j] = (unsigned char)cw[j];
			if (osa(a, n, b, cn, 2) != 2)
				continue;
			char out[MAX_WORD + 1];
			memcpy(out, cw, cn + 1);
			if (cap && out[0] >= 'a' && out[0] <= 'z')
				out[0] = (char)(out[0] - 32);
			cands_add(c, out, EDIT2_SCORE + (cw[0] != w[0] ? 1.5 : 0));
		}
		return;
	}
	if (!__atomic_load_n(&st->del_built, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&st->del_lock);
		if (!st->del_built)
			build_del_index(st);
		pthread_mutex_unlock(&st->del_lock);
	}
	if (!st->del_cap)
		return;
	del_query q = { st, w, n, cap, c };
	del_hashes dh;
	dh.st = st;
	dh.n = 0;
	deletes2(w, n, del_hash_fn, &dh);   /* n <= 20: at most DEL_HMAX strings */
	for (size_t i = 0; i < dh.n; i++)
		del_probe(&q, dh.h[i]);
}

/* Hunspell's own suggestions (milliseconds a word). */
static void hunspell_suggest_h(sp_hs *h, const char *w, size_t n, cands *c)
{
	char buf[MAX_WORD * 4 + 8];
	char **list = NULL;
	if (to_dic_cd(h->to_dic, w, n, buf, sizeof buf) != 0)
		return;
	int m = Hunspell_suggest(h->hs, &list, buf);
	for (int i = 0; i < m; i++) {
		char conv[MAX_WORD * 8 + 16];
		const char *s = list[i];
		if (h->from_dic != (iconv_t)-1) {
			char *in = list[i], *o = conv;
			size_t inl = strlen(list[i]), outl = sizeof conv - 1;
			iconv(h->from_dic, NULL, NULL, NULL, NULL);
			if (iconv(h->from_dic, &in, &inl, &o, &outl) == (size_t)-1)
				continue;
			*o = 0;
			s = conv;
		}
		cands_add(c, s, 10.0 + i);
	}
	if (list)
		Hunspell_free_list(h->hs, &list, m);
}

/* The best max_sugg candidates as a malloc'ed array; frees the rest. */
static char **take_best(sp_state *st, cands *c, size_t *n_out)
{
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, cand_cmp);
	size_t keep = c->n < (size_t)st->max_sugg ? c->n : (size_t)st->max_sugg;
	char **s = keep ? calloc(keep, sizeof *s) : NULL;
	if (!s)
		keep = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (i < keep)
			s[i] = c->v[i].w;
		else
			free(c->v[i].w);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
	*n_out = keep;
	return s;
}

static void free_list(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

/* Is w one edit from a dictionary word?  A compound the speller does not
 * know (compound_locked) is accepted only if not: "mislading" is mis +
 * lading, but first of all misleading with a dropped letter.  Call with
 * nothing. */
static int near_word(sp_state *st, const char *w, size_t n)
{
	uint32_t cp[MAX_WORD + 2] = {0};   /* (gcc cannot see that decode() fills what edits1() reads) */
	size_t k = decode(st->host, w, n, cp, MAX_WORD);
	for (size_t i = 0; i < k; i++)
		cp[i] = st->host->lower(cp[i]);
	cands c = { 0 };
	edits1(st, cp, k, 0, 1, &c, NULL);
	char low[MAX_WORD * 4 + 8];
	size_t ln = encode(cp, k, low);
	int near = 0;
	for (size_t i = 0; i < c.n; i++) {
		/* a neighbour differing only in the last letter is another
		 * inflection of the same compound (fundraised/fundraiser) */
		size_t p = 0;
		while (low[p] && c.v[i].w[p] == low[p])
			p++;
		if (p + 1 < ln)
			near = 1;
		free(c.v[i].w);
	}
	free(c.v);
	return near;
}

/* Is a capitalised word at a sentence start a slip of a common word (Teh)
 * rather than a name (Comey)?  Yes when one telling edit away there is a
 * dictionary word: a swap, a doubled or undoubled letter, an accent; or a
 * common word by a near-key, vowel or apostrophe slip.  The first letter is
 * left alone.  The same test as edits1's, on ~12 candidates a letter
 * instead of ~60. */
static int is_slip_cp(sp_state *st, const uint32_t *w, size_t n)
{
	uint32_t t[MAX_WORD + 2];
	char buf[MAX_WORD * 4 + 8];
#define SLIP_TRY(len, common_only) do { \
		size_t bl_ = encode(t, (len), buf); \
		if (common_has(st, buf, bl_)) \
			return 1; \
		if (!(common_only) && maybe_word(st, buf, bl_) && spell(st, buf, bl_) == 1) \
			return 1; \
	} while (0)
	for (size_t i = 1; i + 1 < n; i++) {          /* swaps */
		if (w[i] == w[i + 1])
			continue;
		memcpy(t, w, n * sizeof *w);
		t[i] = w[i + 1];
		t[i + 1] = w[i];
		SLIP_TRY(n, 0);
	}
	for (size_t i = 1; i < n; i++) {              /* undouble */
		if (w[i] != w[i - 1])
			continue;
		memcpy(t, w, i * sizeof *w);
		memcpy(t + i, w + i + 1, (n - i - 1) * sizeof *w);
		SLIP_TRY(n - 1, 0);
	}
	for (size_t i = 1; i < n && n < MAX_WORD; i++) {  /* double */
		memcpy(t, w, i * sizeof *w);
		t[i] = w[i];
		memcpy(t + i + 1, w + i, (n - i) * sizeof *w);
		SLIP_TRY(n + 1, 0);
		t[i] = '\'';                               /* a dropped apostrophe */
		SLIP_TRY(n + 1, 1);
	}
	for (size_t i = 1; i < n; i++) {              /* replacements */
		for (size_t L = 0; L < st->n_letters; L++) {
			uint32_t ch = st->letters[L];
			if (ch == w[i])
				continue;
			int acc = accent_pair(ch, w[i]);
			if (!acc && !kbd_adjacent(ch, w[i]) && !(is_vowel(ch) && is_vowel(w[i])))
				continue;
			memcpy(t, w, n * sizeof *w);
			t[i] = ch;
			SLIP_TRY(n, !acc);
		}
	}
#undef SLIP_TRY
	return 0;
}

static int is_slip(sp_state *st, sp_entry *e, const char *w, size_t n)
{
	sp_shard *sh = e ? &st->shard[e->hash & (NSHARDS - 1)] : NULL;
	if (e) {
		pthread_mutex_lock(&sh->lock);
		int done = e->slip_done, v = e->slip;
		pthread_mutex_unlock(&sh->lock);
		if (done)
			return v;
	}
	uint32_t cp[MAX_WORD + 2];
	size_t k = decode(st->host, w, n, cp, MAX_WORD);
	for (size_t i = 0; i < k; i++)
		cp[i] = st->host->lower(cp[i]);
	int v = is_slip_cp(st, cp, k);
	if (e) {
		pthread_mutex_lock(&sh->lock);
		e->slip = (unsigned char)v;
		e->slip_done = 1;
		pthread_mutex_unlock(&sh->lock);
	}
	return v;
}

/* Suggestions for an unknown word, computed once per distinct word and kept
 * in its cache entry e (when e is NULL, *owned says the caller frees).
 * budget: how many more words of this document may use Hunspell's slow
 * suggest when the fast candidates find nothing; counted the same whether
 * or not the answer is cached, so that the output does not depend on the
 * order in which threads met the word. */
static void suggest(sp_state *st, sp_entry *e, const char *w, size_t n, int cap, int *budget,
		    char ***out, size_t *n_out, int *near_common, int *owned)
{
	sp_shard *sh = e ? &st->shard[e->hash & (NSHARDS - 1)] : NULL;
	char **s = NULL;
	size_t ns = 0;
	int near = 0, done = 0;
	*owned = 0;
	if (e) {
		pthread_mutex_lock(&sh->lock);
		done = e->sugg_done;
		if (done) {
			s = e->sugg;
			ns = e->n_sugg;
			near = e->near_common;
		}
		pthread_mutex_unlock(&sh->lock);
	}
	if (!done) {
		uint32_t cp[MAX_WORD + 2];
		size_t k = decode(st->host, w, n, cp, MAX_WORD);
		for (size_t i = 0; i < k; i++)
			cp[i] = st->host->lower(cp[i]);
		cands c = { 0 };
		edits1(st, cp, k, cap, 0, &c, &near);
		/* the two-edit common words score EDIT2_SCORE or more: when one
		 * edit gave max_sugg candidates that score less, none of them
		 * could be among the best (take_best()), and their search
		 * (~46 index probes a word) is skipped */
		size_t better = 0;
		for (size_t i = 0; i < c.n; i++)
			better += c.v[i].score < EDIT2_SCORE;
		if (better < (size_t)st->max_sugg)
			edits2_common(st, cp, k, cap, &c);
		s = take_best(st, &c, &ns);
		if (e) {
			pthread_mutex_lock(&sh->lock);
			if (!e->sugg_done) {
				e->sugg = s;
				e->n_sugg = (unsigned char)ns;
				e->near_common = (unsigned char)near;
				e->sugg_done = 1;
			} else {
				free_list(s, ns);
				s = e->sugg;
				ns = e->n_sugg;
				near = e->near_common;
			}
			pthread_mutex_unlock(&sh->lock);
		} else {
			*owned = 1;
		}
	}
	if (near_common)
		*near_common = near;
	/* Hunspell's suggest only for a lower-case word that will be reported
	 * and that nothing cheaper matched: a capitalised word with no close
	 * common word is taken for a name, which gets no suggestions */
	if (ns == 0 && !cap && st->hunspell_suggest && st->max_sugg > 0 && budget && *budget > 0) {
		(*budget)--;
		int fb_done = 0;
		if (e) {
			pthread_mutex_lock(&sh->lock);
			fb_done = e->fb_done;
			pthread_mutex_unlock(&sh->lock);
		}
		if (fb_done) {
			s = e->fb;
			ns = e->n_fb;
		} else {
			cands c = { 0 };
			sp_hs *h = hs_get(st);
			hunspell_suggest_h(h, w, n, &c);
			hs_put(st, h);
			char **f = take_best(st, &c, &ns);
			if (*owned)
				free_list(s, 0);
			if (e) {
				pthread_mutex_lock(&sh->lock);
				if (!e->fb_done) {
					e->fb = f;
					e->n_fb = (unsigned char)ns;
					e->fb_done = 1;
				} else {
					free_list(f, ns);
				}
				f = e->fb;
				ns = e->n_fb;
				pthread_mutex_unlock(&sh->lock);
			} else {
				*owned = 1;
			}
			s = f;
		}
	}
	*out = s;
	*n_out = ns;
}

/* ---- create / destroy ------------------------------------------------------------ */

static int file_readable(const char *p)
{
	return access(p, R_OK) == 0;
}

typedef struct add_ctx {
	sp_state *st;
	const char *path;
	size_t added;
} add_ctx;

static int add_entry(void *ud, const char *entry, size_t len, unsigned line)
{
	add_ctx *a = ud;
	(void)line;
	/* one entry per line; a "/flags" part (a .dic habit) is ignored here */
	const char *slash = memchr(entry, '/', len);
	if (slash)
		len = (size_t)(slash - entry);
	while (len && (entry[len - 1] == ' ' || entry[len - 1] == '\t'))
		len--;
	/* a full name ("Ursula von der Leyen"): each word is accepted */
	const char *sp = memchr(entry, ' ', len);
	if (sp) {
		size_t first = (size_t)(sp - entry);
		add_entry(ud, entry, first, line);
		while (first < len && entry[first] == ' ')
			first++;
		return add_entry(ud, entry + first, len - first, line);
	}
	if (!len || len > MAX_WORD)
		return 0;
	char w[MAX_WORD + 1];
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		/* ’ and ‘ are stored as ' like the text is checked */
		if (i + 2 < len && (unsigned char)entry[i] == 0xE2 && (unsigned char)entry[i + 1] == 0x80 &&
		    ((unsigned char)entry[i + 2] == 0x99 || (unsigned char)entry[i + 2] == 0x98)) {
			w[o++] = '\'';
			i += 2;
		} else {
			w[o++] = entry[i];
		}
	}
	if (add_word_locked(a->st, w, o) == 0)
		a->added++;
	return 0;
}

static int add_common(void *ud, const char *entry, size_t len, unsigned line)
{
	(void)line;
	return common_add(ud, entry, len) < 0 ? NL_ENOMEM : 0;
}

static void sp_destroy(void *state)
{
	sp_state *st = state;
	if (!st)
		return;
	if (st->init_started && !st->init_joined) {
		pthread_join(st->init_th, NULL);
		st->init_joined = 1;
	}
	del_join(st, 1);
	for (size_t i = 0; i < st->common_cap; i++)
		free(st->common[i]);
	free(st->common);
	free(st->common_h);
	free(st->common_ok);
	set_free(&st->stems);
	sw_free(st->ws);
	for (kcache *c = st->kc_all, *nx; c; c = nx) {
		nx = c->next;
		kc_free(c);
		free(c);
	}
	if (st->kc_key_ok)
		pthread_key_delete(st->kc_key);
	pthread_mutex_destroy(&st->kc_lock);
	if (st->ksh)
		munmap(st->ksh, KSH_SLOTS * sizeof *st->ksh);
	pthread_mutex_destroy(&st->ksh_lock);
	free(st->aff);
	free(st->del);
	for (int i = 0; i < NSHARDS; i++) {
		sp_shard *sh = &st->shard[i];
		for (size_t k = 0; k < sh->nb; k++) {
			sp_entry *e = sh->b[k].e;
			if (e) {
				for (size_t j = 0; j < e->n_sugg; j++)
					free(e->sugg[j]);
				free(e->sugg);
				for (size_t j = 0; j < e->n_fb; j++)
					free(e->fb[j]);
				free(e->fb);
				free(e);
			}
		}
		free(sh->b);
		pthread_mutex_destroy(&sh->lock);
	}
	/* the first speller is in the pool once create() succeeded */
	int main_pooled = 0;
	for (sp_hs *h = st->all_hs, *nx; h; h = nx) {
		nx = h->next_all;
		main_pooled |= h->hs == st->hs;
		hs_free(h);
	}
	if (!main_pooled) {
		if (st->hs)
			Hunspell_destroy(st->hs);
		if (st->to_dic != (iconv_t)-1)
			iconv_close(st->to_dic);
		if (st->from_dic != (iconv_t)-1)
			iconv_close(st->from_dic);
	}
	for (size_t i = 0; i < st->n_added; i++)
		free(st->added[i]);
	free(st->added);
	for (size_t i = 0; i < st->n_pdics; i++)
		free(st->pdics[i]);
	free(st->pdics);
	pthread_cond_destroy(&st->hs_cond);
	pthread_mutex_destroy(&st->hs_lock);
	pthread_mutex_destroy(&st->del_lock);
	pthread_mutex_destroy(&st->del_join_lock);
	pthread_mutex_destroy(&st->stems_lock);
	pthread_mutex_destroy(&st->init_lock);
	pthread_cond_destroy(&st->init_cond);
	free(st->sfx_list);
	free(st->pfx_list);
	free(st);
}

/* The Debian package that ships a dictionary: en_US -> hunspell-en-us. */
static void package_of(const char *name, char *out, size_t size)
{
	size_t o = (size_t)snprintf(out, size, "hunspell-");
	for (const char *p = name; *p && o + 1 < size; p++)
		out[o++] = *p == '_' ? '-' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	out[o] = 0;
}

/* Look for NAME.aff/NAME.dic; fills aff/dic and returns 0, or reports the
 * folders searched and returns NL_ECONFIG. */
static int find_dictionary(const nl_host *h, const nl_config *cfg, const char *name,
			   char *aff, char *dic, size_t size)
{
	char dirs[16][1024];
	size_t nd = 0;
	const char *env = getenv("DICPATH");
	if (env && *env) {
		const char *p = env;
		while (*p && nd < 8) {
			const char *colon = strchr(p, ':');
			size_t n = colon ? (size_t)(colon - p) : strlen(p);
			if (n && n < sizeof dirs[0]) {
				memcpy(dirs[nd], p, n);
				dirs[nd++][n] = 0;
			}
			p += n + (colon ? 1 : 0);
		}
	}
	const char *cp = h->cfg_get(cfg, "dictionary_path");
	if (cp && *cp) {
		if (!h->cfg_path(cfg, cp, dirs[nd], sizeof dirs[0])) {
			h->cfg_error(cfg, "dictionary_path", "path too long");
			return NL_ECONFIG;
		}
		nd++;
	}
	static const char *const sys[] = { "/usr/share/hunspell", "/usr/share/myspell/dicts",
		"/usr/share/myspell", "/usr/local/share/hunspell" };
	for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
		snprintf(dirs[nd++], sizeof dirs[0], "%s", sys[i]);
	/* en-US is taken for en_US */
	char nm[256];
	snprintf(nm, sizeof nm, "%s", name);
	for (char *q = nm; *q; q++)
		if (*q == '-')
			*q = '_';
	for (size_t i = 0; i < nd; i++) {
		if (snprintf(aff, size, "%s/%s.aff", dirs[i], nm) >= (int)size ||
		    snprintf(dic, size, "%s/%s.dic", dirs[i], nm) >= (int)size)
			continue;
		if (file_readable(aff) && file_readable(dic))
			return 0;
	}
	char list[8192];
	size_t o = 0;
	list[0] = 0;
	for (size_t i = 0; i < nd && o < sizeof list; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", dirs[i]);
	char pkg[300];
	package_of(nm, pkg, sizeof pkg);
	h->cfg_error(cfg, h->cfg_get(cfg, "dictionary") ? "dictionary" : NULL,
		     "Hunspell dictionary '%s' not found (looked for %s.aff and %s.dic in %s); "
		     "install it (Debian/Ubuntu: apt-get install %s; apt-cache search hunspell lists "
		     "the others), or set dictionary_path = FOLDER, or aff = FILE and dic = FILE",
		     nm, nm, nm, list, pkg);
	return NL_ECONFIG;
}

/* Letters for edits and the scripts the dictionary covers, from its TRY line. */
static void read_try(sp_state *st, const char *aff_path)
{
	for (uint32_t c = 'a'; c <= 'z'; c++)
		st->letters[st->n_letters++] = c;
	st->letters[st->n_letters++] = '\'';
	st->scripts = SC_LATIN;
	FILE *f = fopen(aff_path, "rb");
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "TRY", 3) != 0 || (line[3] != ' ' && line[3] != '\t'))
			continue;
		char *s = line + 4;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = strcspn(s, " \t\r\n");
		char u8[8192];
		const char *src = s;
		size_t srclen = n;
		if (st->from_dic != (iconv_t)-1) {
			char *in = s, *o = u8;
			size_t inl = n, outl = sizeof u8 - 1;
			if (iconv(st->from_dic, &in, &inl, &o, &outl) == (size_t)-1)
				break;
			*o = 0;
			src = u8;
			srclen = (size_t)(o - u8);
		}
		unsigned scripts = 0;
		for (size_t i = 0; i < srclen;) {
			uint32_t c;
			i += st->host->utf8_next(src + i, srclen - i, &c);
			if (!st->host->is_alpha(c))
				continue;
			scripts |= script_of(c);
			c = st->host->lower(c);
			size_t k;
			for (k = 0; k < st->n_letters; k++)
				if (st->letters[k] == c)
					break;
			if (k == st->n_letters && st->n_letters < sizeof st->letters / sizeof st->letters[0])
				st->letters[st->n_letters++] = c;
		}
		if (scripts)
			st->scripts = scripts;
		/* a dictionary for another script: a-z are no use for its edits */
		if (!(scripts & SC_LATIN) && scripts) {
			size_t k = 0;
			for (size_t i = 0; i < st->n_letters; i++)
				if (st->letters[i] > 0x7F || st->letters[i] == '\'')
					st->letters[k++] = st->letters[i];
			st->n_letters = k;
		}
		break;
	}
	fclose(f);
}

/* Calls fn for every whitespace-separated path in every value of key. */
static int each_path(const nl_host *h, const nl_config *cfg, const char *key,
		     int (*fn)(sp_state *, const nl_config *, const char *key, const char *path), sp_state *st)
{
	size_t n = h->cfg_count(cfg);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(h->cfg_key(cfg, i), key) != 0)
			continue;
		const char *v = h->cfg_value(cfg, i);
		while (v && *v) {
			while (*v == ' ' || *v == '\t' || *v == ',')
				v++;
			size_t len = strcspn(v, " \t,");
			if (!len)
				break;
			char rel[4096], abs[4096];
			if (len >= sizeof rel || !h->cfg_path(cfg, (snprintf(rel, sizeof rel, "%.*s", (int)len, v), rel),
							   abs, sizeof abs)) {
				h->cfg_error(cfg, key, "path too long");
				return NL_ECONFIG;
			}
			int rc = fn(st, cfg, key, abs);
			if (rc)
				return rc;
			v += len;
		}
	}
	return 0;
}

static int load_wordlist(sp_state *st, const nl_config *cfg, const char *key, const char *path)
{
	if (!file_readable(path)) {
		st->host->cfg_error(cfg, key, "cannot read word list '%s': %s", path, strerror(errno));
		return NL_ECONFIG;
	}
	add_ctx a = { st, path, 0 };
	int rc = st->host->read_list(path, add_entry, &a);
	return rc < 0 ? NL_ECONFIG : 0;
}

static int load_personal(sp_state *st, const nl_config *cfg, const char *key, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		st->host->cfg_error(cfg, key, "cannot read personal dictionary '%s': %s", path, strerror(errno));
		return NL_ECONFIG;
	}
	char line[256];
	int ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	char *end = NULL;
	if (ok) {
		long cnt = strtol(line, &end, 10);
		ok = end != line && cnt >= 0;
		while (ok && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
			end++;
		ok = ok && *end == 0;
	}
	if (!ok) {
		st->host->cfg_error(cfg, key, "'%s' is not a Hunspell .dic file: its first line must be "
				    "the number of words (use wordlist = for a plain list)", path);
		return NL_ECONFIG;
	}
	size_t cap = st->n_pdics;
	if (remember(&st->pdics, &st->n_pdics, &cap, path, strlen(path)) < 0)
		return NL_ENOMEM;
	return 0;
}

/* The encoding Hunspell reports for an .aff (Hunspell_get_dic_encoding):
 * the value of its SET line (a UTF-8 BOM before the first line ignored),
 * else ISO8859-1.  init_main() checks the two agree. */
static void aff_encoding(const char *path, char *out, size_t size)
{
	snprintf(out, size, "ISO8859-1");
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	char line[4096];
	int first = 1;
	while (fgets(line, sizeof line, f)) {
		char *l = line;
		if (first && memcmp(l, "\xEF\xBB\xBF", 3) == 0)
			l += 3;
		first = 0;
		if (strncmp(l, "SET", 3) != 0)
			continue;
		l += strcspn(l, " \t\r\n");     /* the keyword (Hunspell takes SETx too) */
		l += strspn(l, " \t");
		size_t n = strcspn(l, " \t\r\n");
		if (n && n < size) {
			memcpy(out, l, n);
			out[n] = 0;
		}
		break;
	}
	fclose(f);
}

/* The work create() leaves to init_th: Hunspell_create, the personal
 * dictionaries, the accepted words, which common words the dictionary
 * knows, the first speller of the pool.  Sets init_rc / init_err. */
static void init_work(sp_state *st);

static void *init_main(void *arg)
{
	sp_state *st = arg;
	init_work(st);
	pthread_mutex_lock(&st->init_lock);
	__atomic_store_n(&st->init_done, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&st->init_cond);
	pthread_mutex_unlock(&st->init_lock);
	/* then the suggestion prefilter, unless a check already built it: with
	 * the other plugins still starting, it is usually ready before the
	 * first check wants it */
	if (st->stems_wanted && !st->ws && !st->init_rc && !__atomic_load_n(&st->stems_built, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&st->stems_lock);
		if (!st->stems_built)
			build_stems(st);
		pthread_mutex_unlock(&st->stems_lock);
	}
	return NULL;
}

/* The word set d, with the accepted words and personal dictionaries
 * Hunspell would get, becomes st->ws; 0, or -1 (d freed: use Hunspell). */
static int ws_finish(sp_state *st, sw_dict *d)
{
	int bad = 0;
	for (size_t i = 0; i < st->n_added && !bad; i++)
		bad = sw_add_word(d, st->added[i], strlen(st->added[i])) != 0;
	for (size_t i = 0; i < st->n_pdics && !bad; i++)
		bad = sw_add_dic(d, st->pdics[i]) != 0;
	if (bad || sw_seal(d) != 0) {
		sw_free(d);
		st->ws_try = 0;
		return -1;
	}
	st->ws = d;
	return 0;
}

static void init_work(sp_state *st)
{
	if (st->ws_try && !st->ws) {
		/* not in the cache: build the word set (and cache it) */
		int how = 0;
		sw_dict *d = sw_open(st->aff_path, st->dic_path, st->cache_dir, 1, &how, NULL, 0);
		if (d && ws_finish(st, d) == 0)
			st->ws_how = how;
		else
			st->ws_try = 0;
	}
	if (st->ws) {
		/* Hunspell is loaded only if a word needs it (hs_get) */
		if (st->common_cap)
			st->common_ok = calloc(st->common_cap, 1);
		return;
	}
	st->hs = Hunspell_create(st->aff_path, st->dic_path);
	if (!st->hs) {
		st->init_rc = NL_ENOMEM;
		snprintf(st->init_err, sizeof st->init_err, "Hunspell could not load %.400s", st->dic_path);
		return;
	}
	const char *enc = Hunspell_get_dic_encoding(st->hs);
	if (!enc || strcmp(enc, st->enc) != 0) {
		st->init_rc = NL_ECONFIG;
		snprintf(st->init_err, sizeof st->init_err, "Hunspell reads the encoding of %.300s as '%s', "
			 "not '%s' (its SET line)", st->aff_path, enc ? enc : "", st->enc);
		return;
	}
	for (size_t i = 0; i < st->n_pdics; i++) {
		if (Hunspell_add_dic(st->hs, st->pdics[i]) != 0) {
			st->init_rc = NL_ECONFIG;
			snprintf(st->init_err, sizeof st->init_err,
				 "Hunspell could not load personal dictionary '%.400s'", st->pdics[i]);
			return;
		}
	}
	for (size_t i = 0; i < st->n_added; i++) {
		char buf[MAX_WORD * 4 + 8];
		if (to_dic_cd(st->to_dic, st->added[i], strlen(st->added[i]), buf, sizeof buf) == 0)
			Hunspell_add(st->hs, buf);
	}
	if (st->common_cap)
		st->common_ok = calloc(st->common_cap, 1);   /* filled by common_known() */
	/* the first speller opens the pool */
	sp_hs *h0 = calloc(1, sizeof *h0);
	if (!h0) {
		st->init_rc = NL_ENOMEM;
		snprintf(st->init_err, sizeof st->init_err, "out of memory");
		return;
	}
	h0->hs = st->hs;
	h0->to_dic = st->to_dic;
	h0->from_dic = st->from_dic;
	h0->next_all = NULL;
	st->all_hs = st->free_hs = h0;
	st->n_hs = 1;
	return;
}

/* Wait for init_th (the first check of a run waits; the others pass).
 * Returns its result. */
static int init_wait(sp_state *st)
{
	if (!__atomic_load_n(&st->init_ready, __ATOMIC_ACQUIRE)) {
		/* Rather than wait idle, build the suggestion prefilter now: most
		 * articles need it (an unknown lower-case word of 7+ letters, a
		 * capitalised one at a sentence start) */
		if (st->stems_wanted && !st->ws_try && !__atomic_load_n(&st->init_done, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&st->stems_built, __ATOMIC_ACQUIRE)) {
			pthread_mutex_lock(&st->stems_lock);
			if (!st->stems_built)
				build_stems(st);
			pthread_mutex_unlock(&st->stems_lock);
		}
		pthread_mutex_lock(&st->init_lock);
		while (!st->init_done)
			pthread_cond_wait(&st->init_cond, &st->init_lock);
		if (!st->init_warned) {
			st->init_warned = 1;
			if (st->init_rc)
				st->host->warn("spelling", "%s", st->init_err);
		}
		/* with a word set the thread ends once it is done: join it here
		 * (a run may exit without destroy()) */
		int join = st->ws && st->init_started && !st->init_joined;
		if (join)
			st->init_joined = 1;
		pthread_mutex_unlock(&st->init_lock);
		if (join)
			pthread_join(st->init_th, NULL);
		__atomic_store_n(&st->init_ready, 1, __ATOMIC_RELEASE);
	}
	return st->init_rc;
}

static int sp_create(const nl_host *h, const nl_config *cfg, void **out)
{
	/* 64-byte aligned: the shards and the counter have cache lines of their own */
	size_t size = (sizeof(sp_state) + 63) & ~(size_t)63;
	sp_state *st = aligned_alloc(64, size);
	if (!st)
		return NL_ENOMEM;
	memset(st, 0, size);
	st->host = h;
	st->to_dic = st->from_dic = (iconv_t)-1;
	pthread_mutex_init(&st->hs_lock, NULL);
	pthread_cond_init(&st->hs_cond, NULL);
	pthread_mutex_init(&st->del_lock, NULL);
	pthread_mutex_init(&st->del_join_lock, NULL);
	pthread_mutex_init(&st->stems_lock, NULL);
	pthread_mutex_init(&st->init_lock, NULL);
	pthread_cond_init(&st->init_cond, NULL);
	pthread_mutex_init(&st->kc_lock, NULL);
	st->kc_key_ok = pthread_key_create(&st->kc_key, NULL) == 0;
	pthread_mutex_init(&st->ksh_lock, NULL);
	st->ksh = ksh_alloc();
	for (int i = 0; i < NSHARDS; i++)
		pthread_mutex_init(&st->shard[i].lock, NULL);
	int rc = NL_ECONFIG, news = 1, wordset = 1;
	if (h->cfg_bool(cfg, "check_acronyms", 0, &st->check_acronyms) ||
	    h->cfg_bool(cfg, "wordset", 1, &wordset) ||
	    h->cfg_bool(cfg, "hunspell_suggest", 0, &st->hunspell_suggest) ||
	    h->cfg_bool(cfg, "news_words", 1, &news) ||
	    h->cfg_bool(cfg, "compounds", 1, &st->compounds) ||
	    h->cfg_int(cfg, "speller_threads", 2, 1, 64, &st->max_hs) ||
	    h->cfg_int(cfg, "max_suggestions", 3, 0, MAX_SUGG, &st->max_sugg) ||
	    h->cfg_int(cfg, "hunspell_suggest_max", 2, 0, 1000000, &st->fb_per_doc) ||
	    h->cfg_int(cfg, "name_distance", 2, 0, 3, &st->name_distance) ||
	    h->cfg_int(cfg, "name_min_length", 4, 2, 40, &st->name_min_len) ||
	    h->cfg_int(cfg, "name_max_rare", 2, 1, 1000, &st->name_max_rare) ||
	    h->cfg_double(cfg, "name_ratio", 2.0, 1.0, 1000.0, &st->name_ratio))
		goto fail;

	char aff[4096], dic[4096];
	const char *a = h->cfg_get(cfg, "aff"), *d = h->cfg_get(cfg, "dic");
	if ((a && *a) || (d && *d)) {
		if (!d || !*d) {
			h->cfg_error(cfg, "aff", "aff is set but dic is not: give both, or dictionary = NAME");
			goto fail;
		}
		if (!h->cfg_path(cfg, d, dic, sizeof dic)) {
			h->cfg_error(cfg, "dic", "path too long");
			goto fail;
		}
		if (a && *a) {
			if (!h->cfg_path(cfg, a, aff, sizeof aff)) {
				h->cfg_error(cfg, "aff", "path too long");
				goto fail;
			}
		} else {          /* x.dic -> x.aff, resolved (and confined) like a key */
			char rel[4096];
			size_t n = strlen(d);
			if (snprintf(rel, sizeof rel, "%.*s.aff",
			             (int)(n > 4 && strcmp(d + n - 4, ".dic") == 0 ? n - 4 : n), d) >= (int)sizeof rel ||
			    !h->cfg_path(cfg, rel, aff, sizeof aff)) {
				/* NULL: too long, or refused by the trust rules, which
				   already said why (then say nothing more) */
				char probe[4096];
				if (!h->cfg_path(cfg, "x", probe, sizeof probe) ||
				    strlen(probe) + strlen(rel) >= sizeof aff)
					h->cfg_error(cfg, "dic", "the .aff path derived from it is too long");
				goto fail;
			}
		}
		if (!file_readable(aff) || !file_readable(dic)) {
			int bad_aff = !file_readable(aff);
			h->cfg_error(cfg, bad_aff ? (a && *a ? "aff" : "dic") : "dic",
				     "cannot read Hunspell %s file '%s': %s", bad_aff ? "affix" : "dictionary",
				     bad_aff ? aff : dic, strerror(errno));
			goto fail;
		}
	} else {
		const char *name = h->cfg_get(cfg, "dictionary");
		if (!name || !*name)
			name = "en_US";
		if (strchr(name, '/')) {
			h->cfg_error(cfg, "dictionary", "'%s' is a path: use aff = and dic = for files, "
				     "dictionary = NAME (en_US, en_GB, ...) for installed dictionaries", name);
			goto fail;
		}
		if (find_dictionary(h, cfg, name, aff, dic, sizeof aff) != 0)
			goto fail;
	}
	snprintf(st->aff_path, sizeof st->aff_path, "%s", aff);
	snprintf(st->dic_path, sizeof st->dic_path, "%s", dic);
	/* Hunspell_create (~20 ms for en_US) runs in init_th, started at the
	 * end; what can fail for the user is checked here: the files, the
	 * encoding (read from the .aff as Hunspell reads it), the lists */
	aff_encoding(aff, st->enc, sizeof st->enc);
	const char *enc = st->enc;
	if (enc && *enc && strcasecmp(enc, "UTF-8") != 0 && strcasecmp(enc, "UTF8") != 0) {
		st->to_dic = iconv_open(enc, "UTF-8");
		st->from_dic = iconv_open("UTF-8", enc);
		if (st->to_dic == (iconv_t)-1 || st->from_dic == (iconv_t)-1) {
			h->cfg_error(cfg, NULL, "dictionary %s is in encoding %s, which iconv cannot convert", dic, enc);
			goto fail;
		}
	}
	read_try(st, aff);
	/* the suggestion prefilter (stems, affixes) is built on first use */
	st->stems_wanted = st->to_dic == (iconv_t)-1;

	if (news) {
		char p[4096];
		snprintf(p, sizeof p, "%s/spelling/news-words.txt", h->rules_dir());
		if (file_readable(p)) {
			add_ctx ac = { st, p, 0 };
			if (h->read_list(p, add_entry, &ac) < 0)
				goto fail;
		} else {
			h->warn("spelling", "bundled word list %s not found: news words are not accepted", p);
		}
	}
	{
		char p[4096];
		snprintf(p, sizeof p, "%s/spelling/common-words.txt", h->rules_dir());
		if (file_readable(p) && h->read_list(p, add_common, st) < 0)
			goto fail;
	}
	if ((rc = each_path(h, cfg, "wordlist", load_wordlist, st)) != 0 ||
	    (rc = each_path(h, cfg, "personal_dic", load_personal, st)) != 0)
		goto fail;
	/* the word set (see spelling_wordset.h): from the cache when it is
	 * there (~1 ms), else built by init_th; Hunspell is then loaded only
	 * for the words the set cannot decide */
	const char *cd = h->cfg_get(cfg, "cache_dir");
	if (cd) {
		if (*cd && strcmp(cd, "none") != 0 && !h->cfg_path(cfg, cd, st->cache_dir, sizeof st->cache_dir)) {
			h->cfg_error(cfg, "cache_dir", "path too long");
			rc = NL_ECONFIG;
			goto fail;
		}
	} else if (sw_default_cache_dir(st->cache_dir, sizeof st->cache_dir) != 0) {
		st->cache_dir[0] = 0;
	}
	st->ws_try = wordset && st->to_dic == (iconv_t)-1;
	if (st->ws_try) {
		int how = 0;
		sw_dict *d = sw_open(aff, dic, st->cache_dir, 0, &how, NULL, 0);
		if (d && ws_finish(st, d) == 0) {
			st->ws_how = how;
			init_work(st);          /* no Hunspell to load: nothing left for a thread */
			st->init_done = 1;
			*out = st;
			return 0;
		}
	}
	if (pthread_create(&st->init_th, NULL, init_main, st) == 0) {
		st->init_started = 1;
	} else {                          /* no thread: load here */
		init_work(st);
		st->init_done = 1;
	}
	*out = st;
	return 0;
fail:
	sp_destroy(st);
	return rc ? rc : NL_ECONFIG;
}

/* ---- per-document work ------------------------------------------------------------ */

enum { CL_LOWER = 1, CL_CAP, CL_MIXED };

typedef struct sp_item {
	uint32_t off, len;       /* span of the checked part (possessive excluded) */
	sp_entry *e;
	int form;                /* index into forms, or -1 */
	unsigned char cls;
	unsigned char known;
	unsigned char ambiguous; /* sentence start or heading: capital says nothing */
	unsigned char report;    /* 0 none, else R_* + 1 */
} sp_item;

typedef struct sp_form {
	uint32_t item0;          /* first item of the form */
	uint32_t count, count_inner;
	uint32_t ncp;            /* length in code points */
	uint64_t hash;
	uint32_t soff;           /* normalised form (' for ’), NUL-terminated: at fs + soff (FS) */
	uint32_t n;
	unsigned char known;
	unsigned char cls;
	unsigned char proper;    /* 0 not computed, 1 known only capitalised, 2 also lower case */
	unsigned char uppers;    /* upper-case letters (capped at 255) */
	int incons;              /* reported as a misspelling of form incons-1 */
	uint32_t *items;         /* up to IPOOL_MAX: in the document's item pool (ipool_get); more: malloc */
	size_t n_items, cap_items;
} sp_form;

/* The forms' short item lists come from blocks that live as long as the
 * document (a malloc and a free per form was 1 % of a run); a list that
 * grows takes a new piece twice the size, and past IPOOL_MAX items its own
 * memory (the pieces it leaves behind stay small). */
#define IPOOL_MAX 64
typedef struct iblock {
	struct iblock *next;
	size_t cap, used;
	uint32_t v[];
} iblock;

typedef struct sp_doc {
	sp_state *st;
	const nl_doc *doc;
	nl_sink *sink;
	sp_item *it;
	size_t n_it, cap_it;
	sp_form *f;
	size_t n_f, cap_f;
	char *fs; size_t fs_len, fs_cap;   /* the forms' strings */
	int32_t *fh;             /* open addressing: form index + 1 */
	size_t fh_cap;
	int want_word, want_name, want_incons;
	int budget;              /* Hunspell suggest calls left for this document */
	struct { uint64_t h; sp_entry *e; } *lc;   /* this document's verdicts: */
	size_t lc_cap, lc_n;     /* spares the shared cache (and its locks) */
	struct kcache *kc;       /* known words over 16 bytes (this thread's; the */
	struct kcache kc_own;    /* document's when there is no thread cache) */
	iblock *ipool;           /* the forms' item lists, newest block first */
	int failed;
} sp_doc;

static inline size_t ksh_slot(const uint64_t k[2])
{
	uint64_t h = (k[0] ^ (k[1] * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
	return (size_t)(h >> 32) & (KSH_SLOTS - 1);
}

/* ksh_has() from slot i = ksh_slot(k) on */
static int ksh_has_at(const sp_state *st, const uint64_t k[2], size_t i)
{
	for (;; i = (i + 1) & (KSH_SLOTS - 1)) {
		uint64_t a = __atomic_load_n(&st->ksh[i][0], __ATOMIC_ACQUIRE);
		if (!a)
			return 0;
		if (a == k[0] && __atomic_load_n(&st->ksh[i][1], __ATOMIC_RELAXED) == k[1])
			return 1;
	}
}

static int ksh_has(const sp_state *st, const uint64_t k[2])
{
	return ksh_has_at(st, k, ksh_slot(k));
}

static void ksh_add(sp_state *st, const uint64_t k[2])
{
	pthread_mutex_lock(&st->ksh_lock);
	if (st->ksh_n < KSH_SLOTS / 2) {
		size_t i = ksh_slot(k);
		uint64_t a;
		while ((a = st->ksh[i][0]) && !(a == k[0] && st->ksh[i][1] == k[1]))
			i = (i + 1) & (KSH_SLOTS - 1);
		if (!a) {
			__atomic_store_n(&st->ksh[i][1], k[1], __ATOMIC_RELAXED);
			__atomic_store_n(&st->ksh[i][0], k[0], __ATOMIC_RELEASE);
			st->ksh_n++;
		}
	}
	pthread_mutex_unlock(&st->ksh_lock);
}

/* Is w (n bytes) a word known to be known?  h: hash_bytes(w, n), used for
 * words over 16 bytes (this thread's kcache); avail: bytes readable from w
 * (n or more). */
static int kc_has(const sp_doc *D, const char *w, size_t n, uint64_t h, size_t avail)
{
	if (n <= 16 && D->st->ksh) {
		uint64_t k[2];
		if (!n)
			return 0;
		wk_key_at(w, n, avail, &k[0], &k[1]);
		return ksh_has(D->st, k);
	}
	const kcache *c = D->kc;
	if (c->cap)
		for (size_t k = h & (c->cap - 1); c->slot[k].len; k = (k + 1) & (c->cap - 1))
			if (c->slot[k].h == h && c->slot[k].len == n && memcmp(c->s + c->slot[k].off, w, n) == 0)
				return 1;
	return 0;
}

/* Records known word w (not recorded); a full table or no memory only
 * means no entry. */
static void kc_add(sp_doc *D, const char *w, size_t n, uint64_t h)
{
	if (!n)
		return;
	if (n <= 16 && D->st->ksh) {
		uint64_t k[2];
		wk_key_at(w, n, n, &k[0], &k[1]);
		ksh_add(D->st, k);
		return;
	}
	kcache *c = D->kc;
	if (c->n >= KC_MAX)
		return;
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		__typeof__(c->slot) t = calloc(cap, sizeof *t);
		if (!t)
			return;
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->slot[i].len)
				continue;
			size_t k = c->slot[i].h & (cap - 1);
			while (t[k].len)
				k = (k + 1) & (cap - 1);
			t[k] = c->slot[i];
		}
		free(c->slot);
		c->slot = t;
		c->cap = cap;
	}
	if (c->slen + n > c->scap) {
		size_t sc = c->scap ? c->scap * 2 : 16384;
		while (sc < c->slen + n)
			sc *= 2;
		char *ns = realloc(c->s, sc);
		if (!ns)
			return;
		c->s = ns;
		c->scap = sc;
	}
	memcpy(c->s + c->slen, w, n);
	size_t k = h & (c->cap - 1);
	while (c->slot[k].len)
		k = (k + 1) & (c->cap - 1);
	c->slot[k].h = h;
	c->slot[k].off = (uint32_t)c->slen;
	c->slot[k].len = (uint32_t)n;
	c->slen += n;
	c->n++;
}

/* A word the word set knows needs no entry in the shared cache (entries
 * hold what an unknown word needs: suggestions, slips): it goes to the
 * known-word tables (kc_has/kc_add).  1 when w is known that way. */
static int kn_lookup(sp_doc *D, const char *w, size_t n, uint64_t h, int *known)
{
	if (kc_has(D, w, n, h, n)) {
		*known = 1;
		return 1;
	}
	if (sw_spell(D->st->ws, w, n) != SW_KNOWN)
		return 0;
	*known = 1;
	kc_add(D, w, n, h);
	return 1;
}

/* This thread's cache of known words (created on its first document), or
 * the document's own. */
static kcache *kc_get(sp_state *st, sp_doc *D)
{
	if (!st->kc_key_ok)
		return &D->kc_own;
	kcache *c = pthread_getspecific(st->kc_key);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c || pthread_setspecific(st->kc_key, c) != 0) {
		free(c);
		return &D->kc_own;
	}
	pthread_mutex_lock(&st->kc_lock);
	c->next = st->kc_all;
	st->kc_all = c;
	pthread_mutex_unlock(&st->kc_lock);
	return c;
}

/* lookup() through a small per-document table: an article repeats its
 * words, and this table stays in the CPU cache where the shared one
 * does not. */
static sp_entry *lookup_doc(sp_doc *D, const char *w, size_t n, int *known)
{
	if (common_known(D->st, w, n)) {
		*known = 1;
		return NULL;
	}
	uint64_t h = hash_bytes(w, n);
	if (D->lc_cap) {
		for (size_t k = h & (D->lc_cap - 1); D->lc[k].e; k = (k + 1) & (D->lc_cap - 1)) {
			sp_entry *e = D->lc[k].e;
			if (D->lc[k].h == h && e->len == n && memcmp(e->word, w, n) == 0) {
				*known = e->known;
				return e;
			}
		}
	}
	if (D->st->ws && kn_lookup(D, w, n, h, known))
		return NULL;
	sp_entry *e = lookup(D->st, w, n, known);
	if (!e)
		return NULL;
	if ((D->lc_n + 1) * 2 > D->lc_cap) {
		/* 32 slots (512 bytes) to start: the words a document asks the
		   shared cache about are a few dozen at most (a first table of
		   8 KB, cleared, was 22 M instructions over the archive) */
		size_t cap = D->lc_cap ? D->lc_cap * 2 : 32;
		__typeof__(D->lc) t = calloc(cap, sizeof *t);
		if (!t)
			return e;
		for (size_t i = 0; i < D->lc_cap; i++) {
			if (!D->lc[i].e)
				continue;
			size_t k = D->lc[i].h & (cap - 1);
			while (t[k].e)
				k = (k + 1) & (cap - 1);
			t[k] = D->lc[i];
		}
		free(D->lc);
		D->lc = t;
		D->lc_cap = cap;
	}
	size_t k = h & (D->lc_cap - 1);
	while (D->lc[k].e)
		k = (k + 1) & (D->lc_cap - 1);
	D->lc[k].h = h;
	D->lc[k].e = e;
	D->lc_n++;
	return e;
}

static int push_item(sp_doc *D, const sp_item *x)
{
	if (D->n_it == D->cap_it) {
		size_t cap = D->cap_it ? D->cap_it * 2 : 256;
		sp_item *v = realloc(D->it, cap * sizeof *v);
		if (!v)
			return -1;
		D->it = v;
		D->cap_it = cap;
	}
	D->it[D->n_it++] = *x;
	return 0;
}

#define FS(D, f) ((D)->fs + (f)->soff)   /* a form's string */

static int form_index(sp_doc *D, const char *w, size_t n)
{
	if (D->n_f * 2 >= D->fh_cap) {
		size_t cap = D->fh_cap ? D->fh_cap * 2 : 256;
		int32_t *t = calloc(cap, sizeof *t);
		if (!t)
			return -1;
		for (size_t i = 0; i < D->n_f; i++) {
			size_t k = D->f[i].hash & (cap - 1);
			while (t[k])
				k = (k + 1) & (cap - 1);
			t[k] = (int32_t)i + 1;
		}
		free(D->fh);
		D->fh = t;
		D->fh_cap = cap;
	}
	uint64_t h = hash_bytes(w, n);
	size_t k = h & (D->fh_cap - 1);
	while (D->fh[k]) {
		sp_form *f = &D->f[D->fh[k] - 1];
		if (f->hash == h && f->n == n && memcmp(D->fs + f->soff, w, n) == 0)
			return D->fh[k] - 1;
		k = (k + 1) & (D->fh_cap - 1);
	}
	if (D->n_f == D->cap_f) {
		size_t cap = D->cap_f ? D->cap_f * 2 : 64;
		sp_form *v = realloc(D->f, cap * sizeof *v);
		if (!v)
			return -1;
		D->f = v;
		D->cap_f = cap;
	}
	if (D->fs_len + n + 1 > D->fs_cap) {   /* one buffer for the forms' strings */
		size_t cap = D->fs_cap ? D->fs_cap * 2 : 4096;
		while (cap < D->fs_len + n + 1)
			cap *= 2;
		char *b = realloc(D->fs, cap);
		if (!b)
			return -1;
		D->fs = b;
		D->fs_cap = cap;
	}
	sp_form *f = &D->f[D->n_f];
	memset(f, 0, sizeof *f);
	f->soff = (uint32_t)D->fs_len;
	memcpy(D->fs + D->fs_len, w, n);
	D->fs[D->fs_len + n] = 0;
	D->fs_len += n + 1;
	f->n = (uint32_t)n;
	f->hash = h;
	f->item0 = (uint32_t)(D->n_it - 1);   /* the item being added */
	D->fh[k] = (int32_t)D->n_f + 1;
	return (int)D->n_f++;
}

/* Room for n items from the document's pool, or NULL. */
static uint32_t *ipool_get(sp_doc *D, size_t n)
{
	iblock *b = D->ipool;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 4096 ? n : 4096;
		if (!(b = malloc(sizeof *b + cap * sizeof b->v[0])))
			return NULL;
		b->next = D->ipool;
		b->cap = cap;
		b->used = 0;
		D->ipool = b;
	}
	uint32_t *v = b->v + b->used;
	b->used += n;
	return v;
}

static void ipool_free(sp_doc *D)
{
	for (iblock *b = D->ipool, *nb; b; b = nb) {
		nb = b->next;
		free(b);
	}
	D->ipool = NULL;
}

static int form_add_item(sp_doc *D, sp_form *f, uint32_t i)
{
	if (f->n_items == f->cap_items) {
		size_t cap = f->cap_items ? f->cap_items * 2 : 4;
		uint32_t *v;
		if (cap <= IPOOL_MAX) {
			v = ipool_get(D, cap);
		} else {
			v = f->cap_items > IPOOL_MAX ? realloc(f->items, cap * sizeof *v) : malloc(cap * sizeof *v);
			if (v && f->cap_items <= IPOOL_MAX)
				memcpy(v, f->items, f->n_items * sizeof *v);
		}
		if (!v)
			return -1;
		if (f->n_items && cap <= IPOOL_MAX)
			memcpy(v, f->items, f->n_items * sizeof *v);
		f->items = v;
		f->cap_items = cap;
	}
	f->items[f->n_items++] = i;
	return 0;
}

/* Common hyphen prefixes that the dictionary does not know alone. */
static int is_prefix_part(const char *w, size_t n)
{
	static const char *const pre[] = { "re", "co", "pre", "non", "ex", "anti", "mid", "post",
		"multi", "pro", "semi", "sub", "self", "cross", "counter", "inter", "ultra", "vice",
		"quasi", "neo", "bi", "tri", "un", "de", "mis", "geo", "socio", "euro", "trans",
		"mega", "micro", "macro", "mini", "pan", "pseudo", "intra", "hyper", "cyber", "e",
		"x", "t", "u", "uber", "über", "nano", "o", NULL };
	char low[16];
	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
	low[n] = 0;
	for (int i = 0; pre[i]; i++)
		if (strcmp(pre[i], low) == 0)
			return 1;
	return 0;
}

/* May a known form of ncp letters be one side of a name_consistency()
 * pair?  check_part() keeps no item for one that may not. */
static int known_form_compared(const sp_state *st, size_t ncp)
{
	return ncp >= KNOWN_NAME_MIN && ncp >= (size_t)st->name_min_len && ncp <= NAME_MAX_LETTERS;
}

/* Check one part of a word token.  w/n: the part, normalised (' for ’);
 * off/len: its span in the text; map: normalised byte -> text offset. */
static int check_part(sp_doc *D, const char *w, size_t n, const uint32_t *map, size_t p0,
		      int ambiguous, int whole_known)
{
	sp_state *st = D->st;
	const nl_host *h = st->host;
	/* possessive: check and report the base */
	size_t bn = n;
	if (n > 2 && w[n - 2] == '\'' && (w[n - 1] == 's' || w[n - 1] == 'S'))
		bn = n - 2;
	else if (n > 2 && w[n - 1] == '\'' && (w[n - 2] == 's' || w[n - 2] == 'S'))
		bn = n - 1;
	/* contractions: what're, everything'll, who'd (Hunspell lists few) */
	else if (n > 3 && w[n - 3] == '\'' && ((w[n - 2] == 'l' && w[n - 1] == 'l') ||
		 (w[n - 2] == 'r' && w[n - 1] == 'e') || (w[n - 2] == 'v' && w[n - 1] == 'e')))
		bn = n - 3;
	else if (n > 2 && w[n - 2] == '\'' && (w[n - 1] == 'd' || w[n - 1] == 'm'))
		bn = n - 2;
	/* letters, scripts, case (ASCII: what host->is_alpha and is_upper say
	 * of it, without decoding) */
	size_t letters = 0, uppers = 0;
	int first_upper = 0, ascii = 1;
	for (size_t i = 0; i < bn && ascii; i++)
		ascii = (unsigned char)w[i] < 0x80;
	if (ascii) {
		for (size_t i = 0; i < bn; i++) {
			unsigned c = (unsigned char)w[i];
			if ((c | 0x20) - 'a' < 26u) {
				if (!(SC_LATIN & st->scripts))
					return 0;
				letters++;
				if (c <= 'Z') {
					uppers++;
					if (letters == 1)
						first_upper = 1;
				}
			}
		}
	} else {
		uint32_t cp[MAX_WORD + 2];
		size_t k = decode(h, w, bn, cp, MAX_WORD);
		for (size_t i = 0; i < k; i++) {
			if (h->is_alpha(cp[i])) {
				if (!(script_of(cp[i]) & st->scripts))
					return 0;       /* a script this dictionary does not cover */
				letters++;
				if (h->is_upper(cp[i])) {
					uppers++;
					if (letters == 1)
						first_upper = 1;
				}
			}
		}
	}
	if (letters < 2)
		return 0;                       /* initials, single letters */
	if (uppers == letters && !st->check_acronyms)
		return 0;                       /* NATO, part of CIA-backed */
	int cls = !uppers ? CL_LOWER : (first_upper && uppers == 1) ? CL_CAP :
		  (uppers == letters) ? CL_CAP : CL_MIXED;
	if (cls == CL_LOWER && !(D->want_word))
		return 0;
	if (cls != CL_LOWER && !D->want_name && !D->want_incons && !(ambiguous && D->want_word))
		return 0;
	sp_item x = { 0 };
	x.off = map[p0];
	x.len = map[p0 + bn] - map[p0];
	x.cls = (unsigned char)cls;
	x.ambiguous = (unsigned char)ambiguous;
	x.form = -1;
	if (memchr(w, '.', bn)) {
		/* abbreviations and initials (e.g., Ph.D): known or not reported */
		return 0;
	}
	int known = 1;
	if (whole_known) {
		known = 1;
	} else {
		x.e = lookup_doc(D, w, bn, &known);
		if (!known && bn != n) {        /* Hunspell may know the whole (its affixes) */
			int k2;
			lookup_doc(D, w, n, &k2);
			known = k2;
		}
		/* the plural of a known name: the Clintons, the Kennedys */
		if (!known && cls == CL_CAP && bn == n && bn > 3 && w[bn - 1] == 's' && w[bn - 2] != 's' &&
		    uppers == 1) {
			int k3;
			lookup_doc(D, w, bn - 1, &k3);
			known = k3;
		}
	}
	x.known = (unsigned char)known;
	if (known && cls == CL_LOWER)
		return 0;
	if (known && !D->want_incons)
		return 0;
	/* a known form that name_consistency() never compares needs no item
	 * (known items are reported nowhere else): "The", "After" at sentence
	 * starts, most capitalised words (bn: its letters, being ASCII) */
	if (known && ascii && !known_form_compared(st, bn))
		return 0;
	if (push_item(D, &x) < 0)
		return -1;
	if (cls != CL_LOWER) {
		int fi = form_index(D, w, bn);
		if (fi < 0)
			return -1;
		sp_form *f = &D->f[fi];
		D->it[D->n_it - 1].form = fi;
		if (!f->count) {
			f->known = (unsigned char)known;
			f->cls = (unsigned char)cls;
			f->uppers = (unsigned char)(uppers > 255 ? 255 : uppers);
			uint32_t tmp[MAX_WORD + 2];
			f->ncp = ascii ? (uint32_t)(bn < MAX_WORD ? bn : MAX_WORD)
			               : (uint32_t)decode(h, w, bn, tmp, MAX_WORD);
		}
		f->count++;
		if (!ambiguous)
			f->count_inner++;
		if (form_add_item(D, f, (uint32_t)(D->n_it - 1)) < 0)
			return -1;
	}
	return 0;
}

/* Is the word glued to a Latin-1 symbol from mis-decoded text?
 * ("FranÃ§ois" tokenizes into pieces like "ois": not the writer's spelling.) */
static int not_prose(const nl_doc *doc, const nl_token *t)
{
	const unsigned char *x = (const unsigned char *)doc->text;
	size_t a = t->off, b = (size_t)t->off + t->len;
	/* U+0080..U+00BF is C2 80..C2 BF; Ã/Â (C3 83, C3 82) start most mojibake */
	if (a >= 2 && x[a - 2] == 0xC2 && x[a - 1] >= 0x80 && x[a - 1] <= 0xBF && x[a - 1] != 0xA0 &&
	    x[a - 1] != 0xAB && x[a - 1] != 0xBB)
		return 1;
	if (b + 1 < doc->text_len && x[b] == 0xC2 && x[b + 1] >= 0x80 && x[b + 1] <= 0xBF &&
	    x[b + 1] != 0xA0 && x[b + 1] != 0xAB && x[b + 1] != 0xBB)
		return 1;
	if (!(t->flags & NL_TF_NONASCII))
		return 0;   /* no C3 byte in it */
	for (size_t i = a; i + 1 < b; i++)
		if (x[i] == 0xC3 && (x[i + 1] == 0x83 || x[i + 1] == 0x82) && i + 2 < b && x[i + 2] >= 0xC2)
			return 1;
	return 0;
}

/* Suffixes written after a hyphen: Giuliani-ized, Trump-esque. */
static int is_suffix_part(const char *w, size_t n)
{
	static const char *const suf[] = { "ized", "ised", "izing", "ising", "ize", "ise", "ing",
		"ers", "er", "ism", "isms", "ist", "ists", "ite", "ites", "ish", "esque", "ness",
		"ology", "ization", "ed", "s", "ian", "ians", "ista", "istas", "mania", "gate", NULL };
	for (int i = 0; suf[i]; i++)
		if (strlen(suf[i]) == n && memcmp(suf[i], w, n) == 0)
			return 1;
	return 0;
}

/* Is word token t made of 2 or more ASCII lower-case letters (the kind
 * check_token()'s fast path and known_first() answer)?  Its flags first,
 * then its bytes. */
static inline __attribute__((always_inline)) int az_word(const nl_doc *doc, const nl_token *t)
{
	return t->len >= 2 &&
	       !(t->flags & (NL_TF_CAPITALIZED | NL_TF_NONASCII | NL_TF_APOSTROPHE | NL_TF_HYPHENATED)) &&
	       wk_all_az(doc->text + t->off, t->len, doc->text_len - t->off);
}

/* Is word token t a capital and ASCII lower-case letters, too short for
 * name_consistency() to compare when the dictionary knows it ("The",
 * "After", "Trump")?  Then, known, check_part() keeps no item of it. */
static inline int cap_short_word(const sp_state *st, const nl_doc *doc, const nl_token *t)
{
	const unsigned char *s = (const unsigned char *)doc->text + t->off;
	return t->len >= 2 && t->len <= 16 && !known_form_compared(st, t->len) &&
	       (t->flags & (NL_TF_CAPITALIZED | NL_TF_NONASCII | NL_TF_APOSTROPHE | NL_TF_HYPHENATED |
	                    NL_TF_ALLCAPS)) == NL_TF_CAPITALIZED &&
	       (unsigned)(s[0] - 'A') < 26u && wk_all_az(doc->text + t->off + 1, t->len - 1, doc->text_len - t->off - 1);
}

/* Is the word s[0..n) (ASCII letters) known, asked of this thread's known
 * words and, failing them, of lookup_doc()?  A known word joins the
 * known words.  (The hash is for the per-thread table: longer words, or
 * all when the shared one could not be mapped.) */
static int known_fast(sp_doc *D, const char *s, size_t n, size_t avail)
{
	uint64_t hh = n > 16 || !D->st->ksh ? hash_bytes(s, n) : 0;
	if (kc_has(D, s, n, hh, avail))
		return 1;
	int known;
	lookup_doc(D, s, n, &known);
	if (!known)
		return 0;
	if (!kc_has(D, s, n, hh, avail))   /* lookup_doc() may have added it */
		kc_add(D, s, n, hh);
	return 1;
}

static int check_token(sp_doc *D, const nl_token *t, const nl_token *next)
{
	sp_state *st = D->st;
	const char *s = D->doc->text + t->off;
	if (t->len > MAX_WORD)
		return 0;
	if (not_prose(D->doc, t))
		return 0;
	if (t->flags & NL_TF_HAS_DIGIT)
		return 0;
	if ((t->flags & NL_TF_ALLCAPS) && !st->check_acronyms)
		return 0;
	/* the common case, a word of ASCII lower-case letters that is known:
	 * what check_part() would find (class lower case, no item), with one
	 * hash and one probe of this thread's known words.  Known common words
	 * join that cache here (lookup_doc() answers them from the common
	 * list, which costs a probe more). */
	const size_t avail = D->doc->text_len - t->off;
	if (D->st->ws) {
		if (az_word(D->doc, t)) {
			if (!D->want_word || known_fast(D, s, t->len, avail))
				return 0;
		} else if (cap_short_word(st, D->doc, t)) {
			/* known: check_part() would return 0 too (class capitalised,
			 * no item); found the same way as the lower-case words */
			if (known_fast(D, s, t->len, avail))
				return 0;
		}
	}
	/* normalise ’ ‘ to ', keeping a map back to text offsets */
	char w[MAX_WORD + 1];
	uint32_t map[MAX_WORD + 2];
	size_t n = 0;
	for (size_t i = 0; i < t->len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xE2 && i + 2 < t->len && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
			map[n] = t->off + (uint32_t)i;
			w[n++] = '\'';
			i += 3;
		} else if ((c == 0xC2 && i + 1 < t->len && (unsigned char)s[i + 1] == 0xAD) ||
			   (c == 0xE2 && i + 2 < t->len && (unsigned char)s[i + 1] == 0x80 &&
			    (unsigned char)s[i + 2] >= 0x8B && (unsigned char)s[i + 2] <= 0x8D) ||
			   (c == 0xE2 && i + 2 < t->len && (unsigned char)s[i + 1] == 0x81 &&
			    (unsigned char)s[i + 2] == 0xA0)) {
			/* soft hyphen, zero-width space/joiners, word joiner: invisible */
			i += c == 0xC2 ? 2 : 3;
		} else {
			map[n] = t->off + (uint32_t)i;
			w[n++] = (char)c;
			i++;
		}
	}
	map[n] = t->off + t->len;
	w[n] = 0;
	/* a trailing period belongs to an abbreviation (Mr.) or to the sentence */
	size_t end = n;
	while (end && w[end - 1] == '.')
		end--;
	int ambiguous = (t->flags & (NL_TF_SENT_START | NL_TF_IN_HEADING)) != 0;
	/* "Jeb Bush said": a capitalised word before another one inside the
	 * sentence is part of a name, wherever it stands */
	if (ambiguous && !(t->flags & NL_TF_IN_HEADING) && next && next->kind == NL_TOK_WORD &&
	    (next->flags & NL_TF_CAPITALIZED) && !(next->flags & (NL_TF_SENT_START | NL_TF_ALLCAPS)))
		ambiguous = 0;
	if (!memchr(w, '-', end)) {
		if (end != n) {
			/* "Mr." / "etc.": Hunspell knows the dotted form, try it first */
			int known;
			lookup_doc(D, w, n, &known);
			if (known)
				return 0;
		}
		return check_part(D, w, end, map, 0, ambiguous, 0);
	}
	/* a hyphenated compound: the whole first (Hunspell knows well-known),
	 * then part by part */
	int whole;
	lookup_doc(D, w, end, &whole);
	size_t p = 0;
	int idx = 0;
	while (p <= end) {
		size_t q = p;
		while (q < end && w[q] != '-')
			q++;
		if (q > p && !(whole == 0 && q < end && is_prefix_part(w + p, q - p)) &&
		    !(whole == 0 && p > 0 && is_suffix_part(w + p, q - p))) {
			char part[MAX_WORD + 1];
			memcpy(part, w + p, q - p);
			part[q - p] = 0;
			if (check_part(D, part, q - p, map, p, ambiguous && idx == 0, whole) < 0)
				return -1;
		}
		idx++;
		p = q + 1;
	}
	return 0;
}

/* ---- reporting ----------------------------------------------------------------- */

static void quote_word(const char *s, size_t n, char *out, size_t size)
{
	snprintf(out, size, "\xE2\x80\x98%.*s\xE2\x80\x99", (int)n, s);
}

static void report(sp_doc *D, int rule, uint32_t off, uint32_t len, const char *msg,
		   char **sugg, size_t n_sugg, const nl_span *rel, size_t n_rel)
{
	nl_finding f = { 0 };
	f.rule = sp_rules[rule].id;
	f.off = off;
	f.len = len;
	f.message = msg;
	f.suggestions = (const char *const *)sugg;
	f.n_suggestions = n_sugg;
	f.related = rel;
	f.n_related = n_rel;
	f.severity = NL_SEV_DEFAULT;
	D->st->host->report(D->sink, &f);
}

/* Optimal string alignment distance of code points, or max+1 when larger. */
static int osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int max)
{
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	int d[MAX_WORD + 2][MAX_WORD + 2];
	if (n > MAX_WORD || m > MAX_WORD)
		return max + 1;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int best = max + 1;
		for (size_t j = 1; j <= m; j++) {
			int c = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return d[n][m];
}

/* Is the longer form the shorter plus a plural or derivation ending? */
static int derived(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int a_known)
{
	/* Mike/Mikey, Bill/Billie: a pet form of a known name (but Zelensky/
	 * Zelenskyy, both unknown, is a spelling variant) */
	if (a_known && m > n && m - n <= 2 && (b[m - 1] == 'y' || b[m - 1] == 'e')) {
		size_t i;
		for (i = 0; i < n && a[i] == b[i]; i++)
			;
		if (i == n)
			return 1;
	}
	if (n > m) {
		const uint32_t *t = a;
		a = b;
		b = t;
		size_t k = n;
		n = m;
		m = k;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	static const char *const suf[] = { "s", "es", "n", "an", "ian", "i", "ese", "a", "ns", "ans",
		"is", "ite", "ites", "ic", NULL };
	for (int s = 0; suf[s]; s++) {
		size_t L = strlen(suf[s]);
		if (m - n != L)
			continue;
		size_t i;
		for (i = 0; i < L; i++)
			if (b[n + i] != (uint32_t)suf[s][i])
				break;
		if (i == L)
			return 1;
	}
	return 0;
}

/* Forms ordered by first byte, then length: the candidates for one form are
 * a short run of this order, so a 50 MB file is not quadratic in its names. */
static int u64_order(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort v[0..n), distinct keys made as name_consistency() makes them (the
 * form's index in the low 32 bits, in order): by the first byte and the
 * length, two stable counting passes, when every length is below 256 (an
 * article's forms); else qsort. */
static void sort_keys(uint64_t *v, size_t n)
{
	uint64_t *t = n > 1 ? malloc(n * sizeof *t) : NULL;
	int small = t != NULL;
	for (size_t i = 0; small && i < n; i++)
		small = ((v[i] >> 32) & 0xFFFFFF) < 256;
	if (!small) {
		free(t);
		qsort(v, n, sizeof *v, u64_order);
		return;
	}
	for (int shift = 32; shift <= 56; shift += 24) {   /* the length, then the first byte */
		size_t cnt[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			cnt[((v[i] >> shift) & 0xFF) + 1]++;
		for (int b = 0; b < 256; b++)
			cnt[b + 1] += cnt[b];
		for (size_t i = 0; i < n; i++)
			t[cnt[(v[i] >> shift) & 0xFF]++] = v[i];
		memcpy(v, t, n * sizeof *v);
	}
	free(t);
}

static void name_consistency(sp_doc *D)
{
	sp_state *st = D->st;
	const nl_host *h = st->host;
	const char *text = D->doc->text;
	if (!D->n_f)
		return;
	/* sort keys: first byte, length in code points, form index */
	uint64_t *ord = malloc(D->n_f * sizeof *ord);
	if (!ord)
		return;
	for (size_t i = 0; i < D->n_f; i++)
		ord[i] = ((uint64_t)(unsigned char)FS(D, &D->f[i])[0] << 56) |
			 ((uint64_t)(D->f[i].ncp & 0xFFFFFF) << 32) | (uint32_t)i;
	sort_keys(ord, D->n_f);
	/* each form's letters as a 64-bit set: an edit adds or drops at most
	 * one letter of the set each way, so two forms whose sets differ in
	 * more than 2 * maxd bits are more than maxd edits apart (most pairs;
	 * osa() is the slow test) */
	uint64_t *lset = malloc(D->n_f * sizeof *lset);
	if (!lset) {
		free(ord);
		return;
	}
	for (size_t i = 0; i < D->n_f; i++) {
		uint32_t cp[MAX_WORD + 2];
		size_t k = decode(h, FS(D, &D->f[i]), D->f[i].n, cp, MAX_WORD);
		uint64_t m = 0;
		for (size_t j = 0; j < k; j++)
			m |= 1ull << ((cp[j] * 0x9E3779B1u) >> 26);
		lset[i] = m;
	}
	/* rare unknown forms (B) against more frequent or known forms (A) with
	 * the same first letter and a length within 2 */
	for (size_t bi = 0; bi < D->n_f; bi++) {
		sp_form *B = &D->f[bi];
		if (B->known || B->count > (uint32_t)st->name_max_rare || B->ncp < (uint32_t)st->name_min_len ||
		    B->ncp > NAME_MAX_LETTERS || (B->uppers > 2 && B->uppers < B->ncp))
			continue;       /* run-together words (LikeReplyShare) are not names */
		uint32_t bcp[MAX_WORD + 2];
		size_t bn = decode(h, FS(D, B), B->n, bcp, MAX_WORD);
		int best = -1;
		double best_score = 0;
		/* first form with B's first byte and length >= B's - 2 */
		size_t lo = 0, hi = D->n_f;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const sp_form *M = &D->f[(uint32_t)ord[mid]];
			if ((unsigned char)FS(D, M)[0] < (unsigned char)FS(D, B)[0] ||
			    ((unsigned char)FS(D, M)[0] == (unsigned char)FS(D, B)[0] && M->ncp + 2 < B->ncp))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t oi = lo; oi < D->n_f; oi++) {
			size_t ai = (uint32_t)ord[oi];
			sp_form *A = &D->f[ai];
			if (FS(D, A)[0] != FS(D, B)[0] || A->ncp > B->ncp + 2)
				break;
			if (ai == bi || A->ncp < (uint32_t)st->name_min_len || A->ncp > NAME_MAX_LETTERS)
				continue;
			if (A->known && !known_form_compared(st, A->ncp))
				continue;   /* (maxd below would be 0 too) */
			if (A->ncp + 2 < B->ncp || B->ncp + 2 < A->ncp)
				continue;
			if (FS(D, A)[0] != FS(D, B)[0])
				continue;
			size_t minlen = A->ncp < bn ? A->ncp : bn;
			/* a famous name the dictionary knows is often one letter from
			 * another real name (Fiorina/Florida): only 1 edit, 6+ letters */
			int maxd = A->known ? (minlen >= KNOWN_NAME_MIN ? 1 : 0) :
				   minlen >= 6 ? (int)st->name_distance : (st->name_distance ? 1 : 0);
			if (maxd == 0 || __builtin_popcountll(lset[ai] ^ lset[bi]) > 2 * maxd)
				continue;
			if (A->count < st->name_ratio * B->count && !(A->known && A->count >= B->count))
				continue;
			if (A->known) {
				/* only a name the dictionary knows (Obama), not a capitalised
				 * common word (Press, School, About) */
				if (!A->count_inner)
					continue;
				if (!A->proper) {
					uint32_t lc[MAX_WORD + 2];
					char lw[MAX_WORD * 4 + 8];
					size_t k = decode(h, FS(D, A), A->n, lc, MAX_WORD);
					for (size_t i = 0; i < k; i++)
						lc[i] = h->lower(lc[i]);
					size_t ln = encode(lc, k, lw);
					int lk;
					lookup(st, lw, ln, &lk);
					A->proper = lk ? 2 : 1;
				}
				if (A->proper != 1)
					continue;
			}
			uint32_t acp[MAX_WORD + 2];
			size_t an = decode(h, FS(D, A), A->n, acp, MAX_WORD);
			int dist = osa(acp, an, bcp, bn, maxd);
			if (dist > maxd || dist == 0)
				continue;
			if (derived(acp, an, bcp, bn, A->known))
				continue;
			double score = A->count * 4.0 + (A->known ? 2 : 0) - dist;
			if (best < 0 || score > best_score) {
				best = (int)ai;
				best_score = score;
			}
		}
		if (best >= 0)
			B->incons = best + 1;
	}
	free(lset);
	free(ord);
	for (size_t bi = 0; bi < D->n_f; bi++) {
		sp_form *B = &D->f[bi];
		if (!B->incons)
			continue;
		sp_form *A = &D->f[B->incons - 1];
		const sp_item *ax = &D->it[A->item0];
		const sp_item *bx = &D->it[B->item0];
		size_t nrel = A->n_items < 32 ? A->n_items : 32;
		nl_span rel[32];
		for (size_t i = 0; i < nrel; i++) {
			rel[i].off = D->it[A->items[i]].off;
			rel[i].len = D->it[A->items[i]].len;
		}
		char qa[300], qb[300], msg[1100];
		quote_word(text + ax->off, ax->len, qa, sizeof qa);
		quote_word(text + bx->off, bx->len, qb, sizeof qb);
		if (A->known && A->count < st->name_ratio * B->count)
			snprintf(msg, sizeof msg, "%s is spelled %s elsewhere in this article, "
				 "and only %s is in the dictionary", qb, qa, qa);
		else
			snprintf(msg, sizeof msg, "%s is spelled %s elsewhere in this article (%u time%s)",
				 qb, qa, A->count, A->count == 1 ? "" : "s");
		char sug[MAX_WORD + 1];
		snprintf(sug, sizeof sug, "%.*s", (int)ax->len, text + ax->off);
		char *sv[1] = { sug };
		for (size_t i = 0; i < B->n_items; i++) {
			const sp_item *x = &D->it[B->items[i]];
			report(D, R_INCONS, x->off, x->len, msg, sv, 1, rel, nrel);
		}
	}
}

static void report_words_and_names(sp_doc *D)
{
	sp_state *st = D->st;
	const char *text = D->doc->text;
	/* names: once per form, at its first occurrence */
	if (D->want_name) {
		for (size_t fi = 0; fi < D->n_f; fi++) {
			sp_form *F = &D->f[fi];
			if (F->known)
				continue;
			/* a form never seen inside a sentence may be a misspelt common
			 * word: decided below, per occurrence */
			if (!F->count_inner)
				continue;
			const sp_item *x0 = &D->it[F->items[0]];
			size_t nrel = F->n_items - 1 < 32 ? F->n_items - 1 : 32;
			nl_span rel[32];
			for (size_t i = 0; i < nrel; i++) {
				rel[i].off = D->it[F->items[i + 1]].off;
				rel[i].len = D->it[F->items[i + 1]].len;
			}
			char q[300], msg[600];
			quote_word(text + x0->off, x0->len, q, sizeof q);
			if (F->n_items > 1)
				snprintf(msg, sizeof msg, "%s is not in the dictionary (a name? %zu times in this "
					 "article; add it to a word list if it is right)", q, F->n_items);
			else
				snprintf(msg, sizeof msg, "%s is not in the dictionary (a name? add it to a "
					 "word list if it is right)", q);
			report(D, R_NAME, x0->off, x0->len, msg, NULL, 0, rel, nrel);
		}
	}
	for (size_t i = 0; i < D->n_it; i++) {
		sp_item *x = &D->it[i];
		if (x->known)
			continue;
		const char *w = text + x->off;
		/* the span is in text form (’); the cache is keyed by the normalised
		 * form, held by the entry */
		const char *key = x->e ? x->e->word : w;
		size_t keyn = x->e ? x->e->len : x->len;
		if (x->cls == CL_LOWER) {
			if (!D->want_word)
				continue;
			char **s = NULL;
			size_t ns = 0;
			int owned = 0;
			if (st->max_sugg > 0)
				suggest(st, x->e, key, keyn, 0, &D->budget, &s, &ns, NULL, &owned);
			char q[300], msg[600];
			quote_word(w, x->len, q, sizeof q);
			snprintf(msg, sizeof msg, "%s is not in the dictionary", q);
			report(D, R_WORD, x->off, x->len, msg, s, ns, NULL, 0);
			if (owned)
				free_list(s, ns);
			continue;
		}
		/* a capitalised unknown form seen only at sentence starts or in
		 * headings: a misspelt common word if one is an edit away */
		if (x->form < 0)
			continue;
		sp_form *F = &D->f[x->form];
		if (F->count_inner || F->known)
			continue;
		if (x->cls != CL_CAP) {
			continue;
		}
		char **s = NULL;
		size_t ns = 0;
		int common = 0, owned = 0;
		if (D->want_word) {
			common = is_slip(st, x->e, key, keyn);
			if (common && st->max_sugg > 0)
				suggest(st, x->e, key, keyn, 1, NULL, &s, &ns, NULL, &owned);
		}
		char q[300], msg[600];
		quote_word(w, x->len, q, sizeof q);
		if (common && D->want_word && !F->incons) {
			snprintf(msg, sizeof msg, "%s is not in the dictionary", q);
			report(D, R_WORD, x->off, x->len, msg, s, ns, NULL, 0);
		} else if (D->want_name && F->items[0] == i) {
			size_t nrel = F->n_items - 1 < 32 ? F->n_items - 1 : 32;
			nl_span rel[32];
			for (size_t k = 0; k < nrel; k++) {
				rel[k].off = D->it[F->items[k + 1]].off;
				rel[k].len = D->it[F->items[k + 1]].len;
			}
			snprintf(msg, sizeof msg, "%s is not in the dictionary (a name? add it to a "
				 "word list if it is right)", q);
			report(D, R_NAME, x->off, x->len, msg, NULL, 0, rel, nrel);
		}
		if (owned)
			free_list(s, ns);
	}
}

/* Bit i of kb (nw words): token i is a word of 2 to 16 ASCII lower-case
 * letters that the shared known-word table holds, i.e. check_token()'s
 * fast path would return 0 on its first probe.  A word not (yet) there
 * takes check_token()'s way, which gives the same answer later. */
static void known_first(sp_doc *D, uint64_t *kb, size_t nw)
{
	const nl_doc *doc = D->doc;
	sp_state *st = D->st;
	memset(kb, 0, nw * sizeof *kb);
	enum { BATCH = 128 };
	uint64_t key[BATCH][2];
	uint32_t at[BATCH], slot[BATCH];
	size_t i = 0;
	while (i < doc->n_tokens) {
		/* a batch of keys, their slots asked for as they are made ... */
		size_t m = 0;
		for (; i < doc->n_tokens && m < BATCH; i++) {
			const nl_token *t = &doc->tokens[i];
			if (t->kind != NL_TOK_WORD || t->len > 16 || !az_word(doc, t))
				continue;
			wk_key_at(doc->text + t->off, t->len, doc->text_len - t->off, &key[m][0], &key[m][1]);
			slot[m] = (uint32_t)ksh_slot(key[m]);
			__builtin_prefetch(&st->ksh[slot[m]]);
			at[m++] = (uint32_t)i;
		}
		/* ... then looked up */
		uint32_t miss[BATCH];
		size_t nm = 0;
		for (size_t j = 0; j < m; j++) {
			if (ksh_has_at(st, key[j], slot[j]))
				kb[at[j] >> 6] |= (uint64_t)1 << (at[j] & 63);
			else
				miss[nm++] = at[j];
		}
		/* A word not there yet (its first use in this run, mostly) is
		 * looked up in the word set here, all of the batch's asked for
		 * before any answer is read: one by one, in check_token(), each
		 * look-up waited for the memory of the last.  A known one joins
		 * the table (as kn_lookup() would add it); anything else is left
		 * to check_token(), which gives the same answer. */
		sw_ticket tk[BATCH];
		unsigned char ask[BATCH];
		for (size_t k = 0; k < nm; k++) {
			const nl_token *t = &doc->tokens[miss[k]];
			ask[k] = sw_cand_first(st->ws, doc->text + t->off, t->len, 0, SIZE_MAX, &tk[k]) != SW_UNKNOWN;
		}
		for (size_t k = 0; k < nm; k++) {
			const nl_token *t = &doc->tokens[miss[k]];
			if (ask[k] && sw_cand_last(st->ws, doc->text + t->off, t->len, &tk[k]) == SW_KNOWN) {
				kb[miss[k] >> 6] |= (uint64_t)1 << (miss[k] & 63);
				kc_add(D, doc->text + t->off, t->len, 0);
			}
		}
	}
}

static int sp_check(void *state, const nl_doc *doc, nl_sink *sink)
{
	sp_state *st = state;
	const nl_host *h = st->host;
	sp_doc D = { 0 };
	D.st = st;
	D.doc = doc;
	D.sink = sink;
	D.budget = (int)(st->fb_per_doc > 1000000 ? 1000000 : st->fb_per_doc);
	D.want_word = h->rule_enabled(sink, sp_rules[R_WORD].id) > 0;
	D.want_name = h->rule_enabled(sink, sp_rules[R_NAME].id) > 0;
	D.want_incons = h->rule_enabled(sink, sp_rules[R_INCONS].id) > 0;
	D.kc = kc_get(st, &D);
	int rc = 0;
	if (!D.want_word && !D.want_name && !D.want_incons)
		return 0;
	if ((rc = init_wait(st)) != 0)
		return rc;
	del_join(st, 0);   /* a run may end without destroy(): not a thread left */
	/* the known lower-case words, all looked up first: lookups that do
	 * not wait for each other (most miss the CPU's nearer caches) */
	uint64_t kbits_own[64], *kbits = kbits_own;
	if (D.want_word && st->ws && st->ksh) {
		size_t nw = (doc->n_tokens + 63) / 64;
		if (nw > 64 && !(kbits = calloc(nw, sizeof *kbits)))
			kbits = NULL;   /* no memory: each token the longer way */
		if (kbits)
			known_first(&D, kbits, nw);
	} else {
		kbits = NULL;
	}
	for (size_t i = 0; i < doc->n_tokens; i++) {
		const nl_token *t = &doc->tokens[i];
		if (t->kind != NL_TOK_WORD)
			continue;
		if (kbits && (kbits[i >> 6] >> (i & 63)) & 1)
			continue;   /* known: check_token() would return 0 */
		const nl_token *next = i + 1 < doc->n_tokens ? &doc->tokens[i + 1] : NULL;
		if (check_token(&D, t, next) < 0) {
			rc = NL_ENOMEM;
			goto out;
		}
	}
	if (D.want_incons)
		name_consistency(&D);
	report_words_and_names(&D);
	del_join(st, 0);
out:
	if (kbits != kbits_own)
		free(kbits);
	for (size_t i = 0; i < D.n_f; i++)
		if (D.f[i].cap_items > IPOOL_MAX)
			free(D.f[i].items);
	ipool_free(&D);
	free(D.f);
	free(D.fs);
	free(D.fh);
	free(D.it);
	free(D.lc);
	kc_free(&D.kc_own);
	return rc;
}

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_spelling = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = "spelling",
	.version = "1.0.0",
	.summary = "Hunspell spelling with news-aware names and a name-consistency check",
	.rules = sp_rules,
	.n_rules = sizeof sp_rules / sizeof sp_rules[0],
	.config_keys = sp_keys,
	.create = sp_create,
	.check = sp_check,
	.destroy = sp_destroy,
};
