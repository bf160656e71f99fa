/* spelling_wordset.h -- a Hunspell dictionary expanded into a set of word
 * forms, cached on disk and memory-mapped, that answers Hunspell_spell()
 * and Hunspell_stem() for most words without loading Hunspell.
 *
 * Every answer is Hunspell's (1.7) or "undecided": then the caller asks
 * Hunspell itself.  Only UTF-8 dictionaries whose .aff uses features the
 * expansion models are accepted (sw_open() says why not otherwise).
 */
#ifndef NEWSLINT_SPELLING_WORDSET_H
#define NEWSLINT_SPELLING_WORDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct sw_dict sw_dict;

enum { SW_UNKNOWN = 0, SW_KNOWN = 1, SW_UNDECIDED = -1 };

/* How sw_open() got the set. */
enum { SW_FROM_CACHE = 1, SW_BUILT_SAVED = 2, SW_BUILT = 3 };

/* The set of dictionary aff + dic: from the cache folder cache_dir (NULL or
 * "": no cache) when a valid file for these files (paths, sizes, mtimes) is
 * there, else (when build is set) built and saved there, atomically (a
 * failure to save is silent).  NULL when the dictionary cannot be modelled,
 * when it is not cached and build is 0, or on error; why (when not NULL)
 * gets the reason.  *how (when not NULL) gets SW_*, 0 for not cached. */
sw_dict *sw_open(const char *aff, const char *dic, const char *cache_dir, int build, int *how,
		 char *why, size_t why_size);

/* Before sw_seal(): an added word (Hunspell_add), then the personal
 * dictionaries (Hunspell_add_dic, with the .aff's flags), in that order.  0, or -1 (then the set
 * must not be used: the caller falls back to Hunspell). */
int sw_add_dic(sw_dict *d, const char *path);
int sw_add_word(sw_dict *d, const char *w, size_t n);

/* After the additions, before the first lookup (and before the set is
 * shared between threads): 0, or -1 when the set must not be used. */
int sw_seal(sw_dict *d);

/* Hunspell_spell(w): SW_KNOWN, SW_UNKNOWN or SW_UNDECIDED.  Thread-safe. */
int sw_spell(const sw_dict *d, const char *w, size_t n);

/* Hunspell_stem(w): calls fn for each stem (possibly twice); returns the
 * number of calls, or SW_UNDECIDED (then fn was not called). */
int sw_stems(const sw_dict *d, const char *w, size_t n,
	     void (*fn)(void *ud, const char *s, size_t len), void *ud);

/* The n-gram filter, for callers that build many candidates: when
 * sw_tri_usable(d), a string of ASCII lower-case letters and apostrophes
 * in which some byte b, with a before it and c after it (0 at either end),
 * has sw_tri(d, a, b, c) == 0 is SW_UNKNOWN; so is one holding a trigram
 * or 4-gram (0 at either end) that sw_grams_bad() reports. */
int sw_tri_usable(const sw_dict *d);
/* sw_spell() for the candidates of a suggestion search: the same answer,
 * with the n-gram filter first and the shortest way to the tables.  The
 * filter skips the n-grams wholly inside w[0..lo) (with the 0 before it) or
 * w[hi..n) (with the 0 after it): pass the parts a candidate keeps of a word
 * whose n-grams there sw_grams_bad() does not report, or 0 and n (or more)
 * to have them all looked at.  Either way the answer is sw_spell()'s: the
 * filter only spares table look-ups. */
int sw_spell_cand(const sw_dict *d, const char *w, size_t n, size_t lo, size_t hi);
/* sw_spell_cand() in two steps, so that a caller can ask for the memory of
 * several candidates' look-ups before it waits for the first:
 * sw_cand_first() applies the filter (SW_UNKNOWN: no word, nothing more to
 * do; else SW_UNDECIDED) and starts loading what the look-up will read;
 * sw_cand_last(), with the same w, n and the ticket, gives the answer. */
typedef struct sw_ticket {
	uint64_t h;
	int kind;
} sw_ticket;
int sw_cand_first(const sw_dict *d, const char *w, size_t n, size_t lo, size_t hi, sw_ticket *tk);
int sw_cand_last(const sw_dict *d, const char *w, size_t n, const sw_ticket *tk);
/* sw_cand_first() for a candidate the caller has passed through the filter
 * itself (sw_fits_at() said the letter it changed may be there): the same
 * ticket, without the filter's look-ups again. */
int sw_cand_checked(const sw_dict *d, const char *w, size_t n, sw_ticket *tk);
/* The bytes of letter cp (1 or 2, in out) when a word made of such letters
 * is one whose trigrams sw_spell_cand() judges (then one with a trigram
 * sw_tri() denies is no word); else 0. */
int sw_tri_letter(const sw_dict *d, uint32_t cp, unsigned char out[2]);
int sw_tri(const sw_dict *d, unsigned a, unsigned b, unsigned c);
/* The candidates w[0..i) x w[i + keep..n) (w: n bytes of ASCII lower-case
 * letters and apostrophes; keep 0 inserts x, 1 replaces w[i]) for every x
 * of a-z and the apostrophe, as a mask: bit x - 'a', bit 26 the
 * apostrophe, cleared when a trigram or 4-gram (0 at either end) that
 * holds x is one no form has.  Then, when sw_tri_usable(d), the candidate
 * is SW_UNKNOWN: sw_cand_first() with lo = i, hi = i + 1 would say so. */
#define SW_FITS_ALL 0x7FFFFFFu
uint32_t sw_fits_at(const sw_dict *d, const char *w, size_t n, size_t i, size_t keep);
/* May a form be w[0..i) x w[i + keep..n) for some character x (keep 0: x
 * inserted at i; keep 1: x in place of w[i])?  0 when none is: then each
 * such string is SW_UNKNOWN.  1 when one may be, and whenever the filter
 * cannot tell (a kept byte outside ASCII a-z and ', a word of over 60
 * bytes, no n-gram filter). */
int sw_place_open(const sw_dict *d, const char *w, size_t n, size_t i, size_t keep);
/* sw_place_open() at every place of w at once, its look-ups asked for
 * together: ins[i] for i = 0 .. n (keep 0), rep[i] for i = 0 .. n - 1
 * (keep 1). */
void sw_places_open(const sw_dict *d, const char *w, size_t n, unsigned char *ins, unsigned char *rep);
/* Where the n-grams of w (n bytes, each a letter sw_tri_letter() gives 1 or
 * 2 bytes for, sw_tri_usable(d)) that no form has lie, as indexes into w
 * (-1 the 0 before it, n the one after): *min_end the least last index of
 * such an n-gram, *max_start the greatest first index.  1 when there is
 * one; 0 when none or when it cannot tell (*min_end = n + 1, *max_start =
 * -2).  A candidate of up to n + 2 bytes that keeps w[0..i) and w[j..n) as
 * they are, its other letters such letters too, is SW_UNKNOWN when
 * i > *min_end or j <= *max_start. */
int sw_grams_bad(const sw_dict *d, const char *w, size_t n, long *min_end, long *max_start);

void sw_free(sw_dict *d);

/* The cache folder: $NEWSLINT_CACHE_DIR, else $XDG_CACHE_HOME/newslint,
 * else $HOME/.cache/newslint; 0, or -1 when none can be named. */
int sw_default_cache_dir(char *out, size_t size);

#endif
