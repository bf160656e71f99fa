/* test_spelling_wordset.c -- the spelling plugin's word set against
 * Hunspell itself: every word it decides must get Hunspell's verdict (and
 * Hunspell's stems), on en_US and on a small dictionary written here that
 * uses the affix features the set models; plus the cache (reuse, stale,
 * damaged, unwritable).
 *
 * Differential run over a word file (not part of make check):
 *     NEWSLINT_WORDSET_DIFF=words.txt tests/unit/test_spelling_wordset
 * (one word a line; en_US, or NEWSLINT_WORDSET_AFF / _DIC) prints the
 * number of words, undecided words and disagreements, and fails on one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include <hunspell.h>

#include "../../plugins/spelling_wordset.h"

static char tmp[] = "/tmp/newslint-wordset-test-XXXXXX";
static const char *en_aff = "/usr/share/hunspell/en_US.aff", *en_dic = "/usr/share/hunspell/en_US.dic";

static const char *srcdir(void)
{
	const char *s = getenv("NEWSLINT_TEST_SRCDIR");
	return s ? s : ".";
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *path_in(const char *dir, const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

/* ---- comparing with Hunspell ------------------------------------------------------ */

typedef struct tally {
	long words, undecided, disagree, stem_checked, stem_disagree;
} tally;

struct acc {
	char s[4096];
};

static void acc_add(void *ud, const char *s, size_t n)
{
	struct acc *a = ud;
	size_t l = strlen(a->s);
	if (l + n + 2 < sizeof a->s) {
		memcpy(a->s + l, s, n);
		a->s[l + n] = '|';
		a->s[l + n + 1] = 0;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a|b|a|" -> "a|b|" (sorted, unique) */
static void normalise(char *s)
{
	char *v[256], copy[4096];
	int n = 0;
	snprintf(copy, sizeof copy, "%s", s);
	for (char *t = strtok(copy, "|"); t && n < 256; t = strtok(NULL, "|"))
		v[n++] = t;
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	s[0] = 0;
	for (int i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]) != 0) {
			strcat(s, v[i]);
			strcat(s, "|");
		}
}

static void compare(sw_dict *d, Hunhandle *h, const char *w, tally *t, int verbose)
{
	size_t n = strlen(w);
	int v = sw_spell(d, w, n), hv = Hunspell_spell(h, w) != 0;
	t->words++;
	if (v == SW_UNDECIDED) {
		t->undecided++;
	} else if (v != hv) {
		t->disagree++;
		if (verbose)
			print_message("# disagree: '%s' set %d, Hunspell %d\n", w, v, hv);
	}
	if (!hv)
		return;
	struct acc a = { "" };
	if (sw_stems(d, w, n, acc_add, &a) == SW_UNDECIDED)
		return;
	struct acc b = { "" };
	char **list = NULL;
	int ns = Hunspell_stem(h, &list, w);
	for (int i = 0; i < ns; i++)
		acc_add(&b, list[i], strlen(list[i]));
	if (list)
		Hunspell_free_list(h, &list, ns);
	normalise(a.s);
	normalise(b.s);
	t->stem_checked++;
	if (strcmp(a.s, b.s) != 0) {
		t->stem_disagree++;
		if (verbose)
			print_message("# stems of '%s': set %s, Hunspell %s\n", w, a.s, b.s);
	}
}

/* Each word as given, lower-cased, upper-cased (ASCII), capitalised, with
 * a trailing dot. */
static void compare_variants(sw_dict *d, Hunhandle *h, const char *w, tally *t)
{
	char b[512];
	size_t n = strlen(w);
	if (n + 3 > sizeof b)
		return;
	compare(d, h, w, t, 1);
	for (int k = 0; k < 4; k++) {
		for (size_t i = 0; i <= n; i++) {
			char c = w[i];
			if (k == 0 && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if ((k == 1 || (k == 2 && i == 0)) && c >= 'a' && c <= 'z')
				c = (char)(c - 32);
			if (k == 2 && i > 0 && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			b[i] = c;
		}
		if (k == 3) {
			memcpy(b, w, n);
			b[n] = '.';
			b[n + 1] = 0;
		}
		compare(d, h, b, t, 1);
	}
}

static const char *const en_words[] = {
	/* affixes */
	"walk", "walks", "walked", "walking", "walker", "walkers", "unwalked", "rewalk",
	"happy", "unhappy", "happiness", "unhappiness", "happily", "unhappily", "happyness",
	"try", "tried", "tries", "trying", "tryed", "reelect", "reelected", "reelection",
	"preexisting", "nonexistent", "misspell", "misspelled", "mispell", "definately",
	"government", "goverment", "governments", "governmental", "ungovernable",
	"kiss", "kisses", "kissed", "fly", "flies", "flys", "flying", "flier",
	/* case */
	"NASA", "Nasa", "nasa", "NASA's", "CIA", "CIA's", "CIA'S", "Cia's", "CD", "CDs", "CDS",
	"Cd", "McDonald", "MCDONALD", "Mcdonald", "mcdonald", "McDonald's", "MCDONALD'S",
	"MacDonald", "Macdonald", "MACDONALD", "MACDONALD'S", "iPod", "IPOD", "Ipod", "ipod",
	"Clinton", "Clintons", "clinton", "CLINTON", "Obama's", "OBAMA'S", "obama's",
	"Paris", "PARIS", "paris", "The", "THE", "tHE", "ThE",
	/* ordinals and numbers */
	"21st", "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "101st", "21th", "22nd",
	"1,000", "1.5", "3-4", "12.5", "2020", "90s", "1990s", "'90s", "-5", "5-", "1..2",
	/* dots */
	"etc.", "etc", "e.g.", "i.e.", "U.S.", "U.S", "Mr.", "Mr", "Dr.", "St.", "Jan.",
	"a.m.", "p.m.", "walk..", "...", ".", "Ph.D", "Ph.D.",
	/* apostrophes */
	"don't", "don\xE2\x80\x99t", "DON'T", "Don't", "can't", "won't", "isn't", "it's",
	"its", "'tis", "y'all", "o'clock", "O'Neill", "O'NEILL", "o'neill", "Sant'Elia",
	"SANT'ELIA", "rock'n'roll", "walk'", "'walk", "walk's", "walk\xE2\x80\x99s",
	"students'", "boss's",
	/* hyphens */
	"well-known", "Well-Known", "WELL-KNOWN", "self-made", "e-mail", "email", "co-operate",
	"re-elect", "-known", "known-", "a--b", "x-ray", "X-ray", "X-RAY", "mother-in-law",
	"walk-kiss-fly-try", "a-b-c-d-e-f-g-h-i-j-k-l", "well\xE2\x80\x91known",
	"well\xE2\x80\x93known", "post-war", "Post-War",
	/* accents and other scripts */
	"caf\xC3\xA9", "Caf\xC3\xA9", "CAF\xC3\x89", "cafe", "r\xC3\xA9sum\xC3\xA9",
	"R\xC3\x89SUM\xC3\x89", "na\xC3\xAFve", "Zo\xC3\xAB", "S\xC3\xA3o", "Krak\xC3\xB3w",
	"\xC5\x81\xC3\xB3\x64\xC5\xBA", "stra\xC3\x9F\x65", "Garc\xC3\xAD\x61", "Garci\xCC\x81\x61",
	"\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "\xCE\xB1\xCE\xB2",
	/* spelling variants, rude words (NOSUGGEST: still words) */
	"colour", "color", "honour", "judgement", "judgment", "bullshit", "asshole",
	/* odd input */
	" walk", "  walk", "walk ", "", "a", "A", "I", "i", "x", "zzz", "qwrtp",
};

static void test_en_us_word_list(void **s)
{
	(void)s;
	if (access(en_aff, R_OK) != 0 || access(en_dic, R_OK) != 0) {
		print_message("# hunspell-en-us not installed: nothing to compare\n");
		return;      /* (cmocka's skip() reads as a failure to the TAP driver) */
	}
	int how = 0;
	sw_dict *d = sw_open(en_aff, en_dic, tmp, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(sw_seal(d), 0);
	Hunhandle *h = Hunspell_create(en_aff, en_dic);
	assert_non_null(h);
	tally t = { 0 };
	for (size_t i = 0; i < sizeof en_words / sizeof en_words[0]; i++)
		compare_variants(d, h, en_words[i], &t);
	print_message("# en_US: %ld words, %ld undecided, %ld disagree; stems of %ld, %ld disagree\n",
		      t.words, t.undecided, t.disagree, t.stem_checked, t.stem_disagree);
	assert_int_equal(t.disagree, 0);
	assert_int_equal(t.stem_disagree, 0);
	assert_true(t.undecided * 5 < t.words);   /* the digits, mostly */
	assert_true(t.stem_checked > 50);
	/* the ones the plugin relies on are decided */
	assert_int_equal(sw_spell(d, "walked", 6), SW_KNOWN);
	assert_int_equal(sw_spell(d, "CIA'S", 5), SW_KNOWN);
	assert_int_equal(sw_spell(d, "goverment", 9), SW_UNKNOWN);
	assert_int_equal(sw_spell(d, "well-known", 10), SW_KNOWN);
	assert_int_equal(sw_spell(d, "21st", 4), SW_UNDECIDED);   /* compound rules: Hunspell's */
	Hunspell_destroy(h);
	sw_free(d);
}

/* The en_US word set, built (no cache) and sealed; NULL when the machine
 * has no en_US dictionary. */
static sw_dict *open_en(void)
{
	if (access(en_aff, R_OK) != 0 || access(en_dic, R_OK) != 0)
		return NULL;
	int how = 0;
	sw_dict *d = sw_open(en_aff, en_dic, tmp, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(sw_seal(d), 0);
	return d;
}

/* sw_spell_cand(), the suggestion search's shortcut, gives sw_spell()'s
 * answer on every one-edit neighbour of the word list (lower case, with
 * accented letters and apostrophes: the candidates the plugin makes). */
static void test_candidates_same_answer(void **s)
{
	(void)s;
	sw_dict *d = open_en();
	if (!d)
		return;
	static const char *const letters[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
		"l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "'",
		"\xC3\xA9", "\xC3\xB6", "\xC3\xB1", "\xC3\x89", "A", "-" };
	const size_t nl = sizeof letters / sizeof letters[0];
	long tried = 0, known = 0, disagree = 0;
	char c[600];
	/* the same candidates in two steps, 16 begun before the first ends (as
	 * the plugin's queue does): each ticket still gives sw_spell()'s answer */
	static struct { char c[600]; size_t m; sw_ticket tk; } ring[16];
	size_t rh = 0, rl = 0;
	long queued = 0, qdisagree = 0;
#define RING_POP()                                                                         \
	do {                                                                               \
		int a_ = sw_cand_last(d, ring[rh].c, ring[rh].m, &ring[rh].tk);             \
		if (a_ != sw_spell(d, ring[rh].c, ring[rh].m)) {                           \
			qdisagree++;                                                       \
			print_message("# '%s': queued candidate %d\n", ring[rh].c, a_);   \
		}                                                                          \
		rh = (rh + 1) % 16;                                                        \
		rl--;                                                                      \
	} while (0)
	for (size_t wi = 0; wi < sizeof en_words / sizeof en_words[0]; wi++) {
		char w[256];
		size_t n = strlen(en_words[wi]);
		if (n + 8 > sizeof w)
			continue;
		for (size_t i = 0; i <= n; i++)
			w[i] = (char)(en_words[wi][i] >= 'A' && en_words[wi][i] <= 'Z' ? en_words[wi][i] + 32
										   : en_words[wi][i]);
		for (size_t i = 0; i <= n; i++) {
			for (int kind = 0; kind < 4; kind++) {
				for (size_t L = 0; L < (kind < 2 ? nl : 1); L++) {
					size_t m = 0, ll = strlen(letters[L]);
					if (kind == 0) {          /* insert before byte i */
						memcpy(c, w, i);
						memcpy(c + i, letters[L], ll);
						memcpy(c + i + ll, w + i, n - i);
						m = n + ll;
					} else if (kind == 1) {   /* replace byte i */
						if (i == n)
							continue;
						memcpy(c, w, i);
						memcpy(c + i, letters[L], ll);
						memcpy(c + i + ll, w + i + 1, n - i - 1);
						m = n - 1 + ll;
					} else if (kind == 2) {   /* delete byte i */
						if (i == n)
							continue;
						memcpy(c, w, i);
						memcpy(c + i, w + i + 1, n - i - 1);
						m = n - 1;
					} else {                  /* swap bytes i, i+1 */
						if (i + 1 >= n)
							continue;
						memcpy(c, w, n);
						c[i] = w[i + 1];
						c[i + 1] = w[i];
						m = n;
					}
					c[m] = 0;
					int a = sw_spell_cand(d, c, m, 0, m), b = sw_spell(d, c, m);
					tried++;
					known += b == SW_KNOWN;
					if (a != b) {
						disagree++;
						print_message("# '%s': candidate %d, sw_spell %d\n", c, a, b);
					}
					sw_ticket tk;
					if (sw_cand_first(d, c, m, 0, m, &tk) == SW_UNKNOWN) {
						qdisagree += b != SW_UNKNOWN;
						continue;
					}
					if (rl == 16)
						RING_POP();
					size_t at = (rh + rl++) % 16;
					memcpy(ring[at].c, c, m + 1);
					ring[at].m = m;
					ring[at].tk = tk;
					queued++;
				}
			}
		}
	}
	while (rl)
		RING_POP();
#undef RING_POP
	print_message("# %ld candidates, %ld words among them, %ld disagree; %ld queued, %ld disagree\n",
		      tried, known, disagree, queued, qdisagree);
	assert_int_equal(disagree, 0);
	assert_int_equal(qdisagree, 0);
	assert_true(queued > known);
	assert_true(tried > 50000 && known > 100);
	unsigned char b[2];
	assert_int_equal(sw_tri_letter(d, 'a', b), 1);
	assert_int_equal(b[0], 'a');
	assert_int_equal(sw_tri_letter(d, 0xE9, b), 2);     /* é */
	assert_int_equal(b[0], 0xC3);
	assert_int_equal(b[1], 0xA9);
	assert_int_equal(sw_tri_letter(d, 'A', b), 0);
	assert_int_equal(sw_tri_letter(d, 0xC9, b), 0);     /* É */
	assert_int_equal(sw_tri_letter(d, '-', b), 0);
	assert_int_equal(sw_tri_letter(d, 0x4E2D, b), 0);   /* three bytes */
	sw_free(d);
}

/* ---- a dictionary of our own, with the features the set models ------------------------ */

static const char custom_aff[] =
	"SET UTF-8\n"
	"TRY esianrtolcdugmphbyfvkwzxjq\n"
	"FORBIDDENWORD !\n"
	"NEEDAFFIX ~\n"
	"ONLYINCOMPOUND &\n"
	"ICONV 1\n"
	"ICONV \xE2\x80\x99 '\n"
	"BREAK 3\n"
	"BREAK -\n"
	"BREAK ^-\n"
	"BREAK \xE2\x80\x93\n"
	"PFX U Y 2\n"
	"PFX U 0 un .\n"
	"PFX U 0 in [^aeiou]\n"
	"PFX R Y 1\n"
	"PFX R 0 re .\n"
	"PFX E N 1\n"
	"PFX E e a e\n"
	"SFX D Y 4\n"
	"SFX D 0 d e\n"
	"SFX D y ied [^aeiou]y\n"
	"SFX D 0 ed [^ey]\n"
	"SFX D 0 ed [aeiou]y\n"
	"SFX G Y 2\n"
	"SFX G e ing e\n"
	"SFX G 0 ing [^e]\n"
	"SFX S Y 4\n"
	"SFX S y ies [^aeiou]y\n"
	"SFX S 0 s [aeiou]y\n"
	"SFX S 0 es [sxzh]\n"
	"SFX S 0 s [^sxzhy]\n"
	"SFX M Y 1\n"
	"SFX M 0 's .\n"
	"SFX N N 1\n"
	"SFX N y iness y\n"
	"SFX T Y 1\n"
	"SFX T 0 \xC3\xA9 [^\xC3\xA9]\n";

static const char custom_dic[] =
	"24\n"
	"walk/DGSMRU\n"
	"happy/UN\n"
	"try/DSG\n"
	"kiss/SMD\n"
	"fly/SG\n"
	"McQuorn/M\n"
	"NATO/M\n"
	"nato\n"
	"CIA/M\n"
	"Cia\n"
	"iPod/S\n"
	"caf\xC3\xA9/S\n"
	"cr\xC3\xAAte\n"
	"bad/!\n"
	"worse/~S\n"
	"ab/&S\n"
	"elect/RDGS\n"
	"eat/SE\n"
	"well\n"
	"known\n"
	"x\n"
	"abc/T\n"
	"Zo\xC3\xAB\n"
	"make/GRU\n";

static const char *const custom_words[] = {
	"walk", "walks", "walked", "walking", "walk's", "unwalk", "unwalked", "inwalk", "rewalk",
	"rewalked", "rewalking", "unwalking", "walkings", "walkeds", "walk\xE2\x80\x99s",
	"happy", "unhappy", "happiness", "unhappiness", "inhappy", "happys",
	"try", "tried", "tries", "trying", "tryed", "kiss", "kisses", "kissed", "kiss's",
	"fly", "flies", "flys", "flying", "flyed",
	"McQuorn", "McQuorn's", "Mcquorn", "MCQUORN", "MCQUORN'S", "mcquorn",
	"NATO", "NATO's", "Nato", "nato", "Nato's", "NATO'S", "CIA", "CIA's", "Cia", "Cia's",
	"CIA'S", "cia", "iPod", "iPods", "Ipod", "IPOD", "IPODS",
	"caf\xC3\xA9", "caf\xC3\xA9s", "Caf\xC3\xA9", "CAF\xC3\x89", "CAF\xC3\x89S", "cr\xC3\xAAte",
	"CR\xC3\x8ATE", "bad", "Bad", "BAD", "worse", "worses", "ab", "abs", "elect", "reelect",
	"reelected", "electing", "re-elect", "eat", "eats", "aat", "aats", "reeat",
	"well", "known", "well-known", "well\xE2\x80\x93known", "-known", "known-", "x", "x-x",
	"abc", "abc\xC3\xA9", "Zo\xC3\xAB", "ZO\xC3\x8B", "zo\xC3\xAB", "make", "making",
	"remaking", "unmaking", "unmake", "maked", "walk-kiss-fly",
	"a-b-c-d-e-f-g-h-i-j-k", "well-known-walk", "-", "--", "walk.", "walk..", "x.",
};

/* Edits of s (n bytes) with the letters a-z and ': calls fn with the edit
 * and the part of s it keeps, s[0..i) and s[j..n). */
static void each_edit(const char *s, size_t n, void (*fn)(void *, const char *, size_t, size_t, size_t),
		      void *ud)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz'";
	char c[300];
	for (size_t i = 0; i <= n; i++) {
		for (size_t L = 0; L < sizeof abc - 1; L++) {
			memcpy(c, s, i);
			c[i] = abc[L];
			memcpy(c + i + 1, s + i, n - i);
			fn(ud, c, n + 1, i, i);                  /* insert before i */
			if (i < n && abc[L] != s[i]) {
				memcpy(c, s, n);
				c[i] = abc[L];
				fn(ud, c, n, i, i + 1);          /* replace i */
			}
		}
		if (i < n && n > 1) {
			memcpy(c, s, i);
			memcpy(c + i, s + i + 1, n - i - 1);
			fn(ud, c, n - 1, i, i + 1);              /* delete i */
		}
		if (i + 1 < n) {
			memcpy(c, s, n);
			c[i] = s[i + 1];
			c[i + 1] = s[i];
			fn(ud, c, n, i, i + 2);                  /* swap i, i + 1 */
		}
	}
}

struct pruned {
	const sw_dict *d;
	size_t n;                /* the misspelling's length */
	long min_end, max_start;
	long edits, dropped, wrong;
};

static void check_pruned(void *ud, const char *c, size_t m, size_t i, size_t j)
{
	struct pruned *p = ud;
	p->edits++;
	if ((long)i > p->min_end || (long)j <= p->max_start) {
		p->dropped++;
		if (sw_spell(p->d, c, m) != SW_UNKNOWN) {
			p->wrong++;
			print_message("# '%.*s' dropped but not unknown\n", (int)m, c);
		}
	} else {
		/* kept: the filter may skip the n-grams of the parts kept */
		size_t hi = m - (p->n - j);
		if (sw_spell_cand(p->d, c, m, i, hi) != sw_spell(p->d, c, m)) {
			p->wrong++;
			print_message("# '%.*s' [%zu, %zu): not sw_spell()'s answer\n", (int)m, c, i, hi);
		}
	}
}

struct misspell {
	const sw_dict *d;
	struct pruned *p;
	long n;
};

static void check_misspelling(void *ud, const char *c, size_t m, size_t i, size_t j)
{
	(void)i;
	(void)j;
	struct misspell *x = ud;
	if (m < 3 || sw_spell(x->d, c, m) != SW_UNKNOWN || x->n++ % 7)
		return;
	/* some misspelling of a word: every edit of it that sw_grams_bad()
	 * rules out must be no word (among them the word itself) */
	sw_grams_bad(x->d, c, m, &x->p->min_end, &x->p->max_start);
	x->p->n = m;
	each_edit(c, m, check_pruned, x->p);
}

/* sw_grams_bad(): an edit of a misspelling that keeps one of its n-grams no
 * form has is no word, as the suggestion search assumes when it skips
 * such edits. */
static void test_grams_bad_prunes_no_word(void **s)
{
	(void)s;
	sw_dict *d = open_en();
	if (!d)
		return;
	assert_int_equal(sw_tri_usable(d), 1);
	long lo, hi;
	assert_int_equal(sw_grams_bad(d, "house", 5, &lo, &hi), 0);
	assert_int_equal(lo, 6);
	assert_int_equal(hi, -2);
	assert_int_equal(sw_grams_bad(d, "hxqzuse", 7, &lo, &hi), 1);
	assert_true(lo >= 1 && lo <= 4 && hi >= 0 && hi <= 3);
	struct pruned p = { d, 0, 0, 0, 0, 0, 0 };
	struct misspell x = { d, &p, 0 };
	for (size_t wi = 0; wi < sizeof en_words / sizeof en_words[0]; wi++) {
		char w[256];
		size_t n = strlen(en_words[wi]), k;
		if (n + 8 > sizeof w)
			continue;
		for (k = 0; k < n && en_words[wi][k] >= 'a' && en_words[wi][k] <= 'z'; k++)
			w[k] = en_words[wi][k];
		if (k == n)
			each_edit(w, n, check_misspelling, &x);
	}
	print_message("# %ld edits of misspellings, %ld dropped, %ld of them wrongly\n", p.edits, p.dropped,
		      p.wrong);
	assert_int_equal(p.wrong, 0);
	assert_true(p.edits > 100000 && p.dropped > p.edits / 10);
	sw_free(d);
}

/* sw_fits_at(): for every word of the list and every misspelling one
 * letter away, at every place, inserted or replacing, each of a-z and the
 * apostrophe: its bit is sw_cand_first()'s verdict on the whole candidate
 * with lo = i, hi = i + 1, and a cleared bit is a candidate sw_spell()
 * does not know (the suggestion search skips those unspliced); a set bit's
 * candidate, looked up with sw_cand_checked(), gets sw_spell()'s answer. */
static void test_fits_at_same_as_filter(void **s)
{
	(void)s;
	sw_dict *d = open_en();
	if (!d)
		return;
	long tried = 0, cleared = 0, wrong = 0;
	for (size_t wi = 0; wi < sizeof en_words / sizeof en_words[0]; wi++) {
		char w0[64];
		size_t n = strlen(en_words[wi]), k;
		if (n + 2 > sizeof w0)
			continue;
		for (k = 0; k < n && ((en_words[wi][k] >= 'a' && en_words[wi][k] <= 'z') || en_words[wi][k] == '\''); k++)
			w0[k] = en_words[wi][k];
		if (k < n)
			continue;
		for (int variant = 0; variant < 2; variant++) {
			char w[64];
			memcpy(w, w0, n);
			if (variant)   /* a misspelling: its middle letter shifted */
				w[n / 2] = (char)(w[n / 2] == '\'' ? 'q' : 'a' + (w[n / 2] - 'a' + 7) % 26);
			for (size_t keep = 0; keep < 2; keep++) {
				for (size_t i = 0; i + keep <= n; i++) {
					uint32_t fit = sw_fits_at(d, w, n, i, keep);
					for (uint32_t b = 0; b < 27; b++) {
						char c[72];
						memcpy(c, w, i);
						c[i] = b < 26 ? (char)('a' + b) : '\'';
						memcpy(c + i + 1, w + i + keep, n - i - keep);
						size_t m = n - keep + 1;
						c[m] = 0;
						sw_ticket tk;
						int pass = sw_cand_first(d, c, m, i, i + 1, &tk) != SW_UNKNOWN;
						int bit = (fit >> b) & 1;
						tried++;
						if (bit != pass || (!bit && sw_spell(d, c, m) != SW_UNKNOWN)) {
							wrong++;
							print_message("# '%s' (at %zu): fits %d, filter %d\n", c, i, bit, pass);
						}
						/* a candidate it lets through: sw_cand_checked()'s
						 * ticket gives sw_spell()'s answer */
						if (bit && (sw_cand_checked(d, c, m, &tk) == SW_UNKNOWN ||
							    sw_cand_last(d, c, m, &tk) != sw_spell(d, c, m))) {
							wrong++;
							print_message("# '%s': checked ticket not sw_spell()'s\n", c);
						}
						cleared += !bit;
					}
				}
			}
		}
	}
	print_message("# %ld candidates, %ld ruled out, %ld wrongly\n", tried, cleared, wrong);
	assert_int_equal(wrong, 0);
	assert_true(tried > 50000 && cleared > tried / 2);
	sw_free(d);
}

/* sw_place_open(): a place it closes (no character inserted there, or put
 * in place of the byte there, makes a form) is one where each letter the
 * suggestion search tries -- a-z, the apostrophe, accented ones -- makes no
 * word; every place a word of the list itself comes from (the word with
 * that letter dropped, or with it replaced) is open; and it closes most
 * places, or the search would gain nothing. */
static int test_place_closed_ok(const sw_dict *d, const char *w, size_t n, size_t i, size_t keep)
{
	static const char *const letters[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
		"s", "t", "u", "v", "w", "x", "y", "z", "'", "\xc3\xa9", "\xc3\xb1", "\xc3\xbc", "\xc3\xa7",
	};
	int ok = 1;
	for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++) {
		char c[80];
		size_t xl = strlen(letters[k]);
		memcpy(c, w, i);
		memcpy(c + i, letters[k], xl);
		memcpy(c + i + xl, w + i + keep, n - i - keep);
		size_t m = n - keep + xl;
		c[m] = 0;
		if (sw_spell(d, c, m) != SW_UNKNOWN) {
			ok = 0;
			print_message("# '%s': a place closed (at %zu of '%.*s') but a word\n", c, i, (int)n, w);
		}
	}
	return ok;
}

struct place_tally {
	long places, closed, wrong, words;
};

/* test_place_open() on one word of a-z and ' (0 < n < 62). */
static void place_check_word(const sw_dict *d, const char *w0, size_t n, struct place_tally *t)
{
	if (sw_spell(d, w0, n) == SW_KNOWN) {   /* a form: its own places are open */
		t->words++;
		for (size_t i = 0; i < n; i++) {
			char v[64];
			memcpy(v, w0, i);
			memcpy(v + i, w0 + i + 1, n - i - 1);
			if (!sw_place_open(d, w0, n, i, 1) || (n > 1 && !sw_place_open(d, v, n - 1, i, 0))) {
				t->wrong++;
				print_message("# '%.*s': its place %zu closed\n", (int)n, w0, i);
			}
		}
	}
	for (int variant = 0; variant < 2; variant++) {
		char w[64];
		memcpy(w, w0, n);
		if (variant)   /* a misspelling: its middle letter shifted */
			w[n / 2] = (char)(w[n / 2] == '\'' ? 'q' : 'a' + (w[n / 2] - 'a' + 7) % 26);
		unsigned char open[2][66];   /* sw_places_open(): the same answers */
		sw_places_open(d, w, n, open[0], open[1]);
		for (size_t keep = 0; keep < 2; keep++)
			for (size_t i = 0; i + keep <= n; i++) {
				t->places++;
				if (open[keep][i] != sw_place_open(d, w, n, i, keep)) {
					t->wrong++;
					print_message("# '%.*s': sw_places_open() differs at %zu\n", (int)n, w, i);
				}
				if (sw_place_open(d, w, n, i, keep))
					continue;
				t->closed++;
				t->wrong += !test_place_closed_ok(d, w, n, i, keep);
			}
	}
}

static void test_place_open(void **s)
{
	(void)s;
	sw_dict *d = open_en();
	if (!d)
		return;
	struct place_tally t = { 0 };
	for (size_t wi = 0; wi < sizeof en_words / sizeof en_words[0]; wi++) {
		size_t n = strlen(en_words[wi]);
		if (n > 0 && n < 62 && strspn(en_words[wi], "abcdefghijklmnopqrstuvwxyz'") == n)
			place_check_word(d, en_words[wi], n, &t);
	}
	/* and every 25th lower-case stem of the .dic */
	FILE *f = fopen(en_dic, "r");
	assert_non_null(f);
	char line[256];
	for (long k = 0; fgets(line, sizeof line, f); k++) {
		size_t n = strcspn(line, "/\r\n");
		if (k % 25 == 0 && n > 0 && n < 62 && strspn(line, "abcdefghijklmnopqrstuvwxyz'") >= n)
			place_check_word(d, line, n, &t);
	}
	fclose(f);
	long places = t.places, closed = t.closed, wrong = t.wrong, words = t.words;
	print_message("# %ld words, %ld places, %ld closed, %ld wrongly\n", words, places, closed, wrong);
	assert_int_equal(wrong, 0);
	assert_true(words > 1000 && places > 20000 && closed > places / 2);
	/* a place the filter cannot judge: open */
	assert_int_equal(sw_place_open(d, "ho-use", 6, 0, 1), 1);
	sw_free(d);

	/* words added to the set (the overlay, merged into the filter):
	 * their places open, an accented letter's too */
	d = sw_open(en_aff, en_dic, NULL, 1, NULL, NULL, 0);
	assert_non_null(d);
	assert_int_equal(sw_place_open(d, "zorbe", 5, 4, 1), 1);   /* not sealed yet: no filter */
	assert_int_equal(sw_add_word(d, "zorb\xc3\xa9", 6), 0);
	assert_int_equal(sw_add_word(d, "blorpish", 8), 0);
	assert_int_equal(sw_seal(d), 0);
	assert_int_equal(sw_spell(d, "zorb\xc3\xa9", 6), SW_KNOWN);
	assert_int_equal(sw_place_open(d, "zorbe", 5, 4, 1), 1);   /* zorbé: é for e */
	assert_int_equal(sw_place_open(d, "zorb", 4, 4, 0), 1);    /* é added */
	assert_int_equal(sw_place_open(d, "blorpsh", 7, 5, 0), 1);
	assert_int_equal(sw_place_open(d, "blorqish", 8, 4, 1), 1);
	assert_int_equal(sw_place_open(d, "blorqish", 8, 3, 1), 0);   /* "blo?qish": no form */
	assert_int_equal(sw_place_open(d, "zqrbe", 5, 4, 1), 0);
	unsigned char ins[8], rep[8];   /* the overlay through sw_places_open() too */
	sw_places_open(d, "zorbe", 5, ins, rep);
	assert_int_equal(rep[4], 1);
	sw_places_open(d, "zorb", 4, ins, rep);
	assert_int_equal(ins[4], 1);
	sw_places_open(d, "zqrbe", 5, ins, rep);
	assert_int_equal(rep[4], 0);
	sw_free(d);
}

static void test_custom_dictionary(void **s)
{
	(void)s;
	char *aff = strdup(path_in(tmp, "custom.aff")), *dic = strdup(path_in(tmp, "custom.dic"));
	write_file(aff, custom_aff);
	write_file(dic, custom_dic);
	sw_dict *d = sw_open(aff, dic, NULL, 1, NULL, NULL, 0);
	assert_non_null(d);
	assert_int_equal(sw_seal(d), 0);
	Hunhandle *h = Hunspell_create(aff, dic);
	assert_non_null(h);
	tally t = { 0 };
	for (size_t i = 0; i < sizeof custom_words / sizeof custom_words[0]; i++)
		compare_variants(d, h, custom_words[i], &t);
	print_message("# custom: %ld words, %ld undecided, %ld disagree; stems of %ld, %ld disagree\n",
		      t.words, t.undecided, t.disagree, t.stem_checked, t.stem_disagree);
	assert_int_equal(t.disagree, 0);
	assert_int_equal(t.stem_disagree, 0);
	assert_true(t.undecided * 4 < t.words);
	/* forbidden: Hunspell's verdict, never the set's */
	assert_int_equal(sw_spell(d, "bad", 3), SW_UNDECIDED);
	assert_int_equal(sw_spell(d, "unwalked", 8), SW_KNOWN);    /* cross product */
	assert_int_equal(sw_spell(d, "inwalk", 6), SW_KNOWN);      /* condition [^aeiou] met */
	assert_int_equal(sw_spell(d, "unkiss", 6), SW_UNKNOWN);    /* no such flag */
	assert_int_equal(sw_spell(d, "worse", 5), SW_UNKNOWN);     /* NEEDAFFIX */
	assert_int_equal(sw_spell(d, "worses", 6), SW_KNOWN);
	assert_int_equal(sw_spell(d, "aat", 3), SW_KNOWN);         /* prefix with strip */
	assert_int_equal(sw_spell(d, "MCQUORN'S", 9), SW_KNOWN);   /* hidden capitalised word */
	assert_int_equal(sw_spell(d, "Mcquorn", 7), SW_UNKNOWN);
	Hunspell_destroy(h);
	sw_free(d);
	free(aff);
	free(dic);
}

/* Added words (Hunspell_add) and a personal dictionary with the .aff's flags. */
static void test_added_words_and_personal_dic(void **s)
{
	(void)s;
	char *aff = strdup(path_in(tmp, "custom2.aff")), *dic = strdup(path_in(tmp, "custom2.dic"));
	char *pdic = strdup(path_in(tmp, "personal2.dic"));
	write_file(aff, custom_aff);
	write_file(dic, custom_dic);
	write_file(pdic, "5\nblorp/S\nwalk/M\nZelenskyy/M\nkyiv\nglorp/DU\n");
	static const char *const added[] = { "Witkoff", "McQuorn", "Mcquorn", "DeSantis", "kyiv", "Cia" };
	sw_dict *d = sw_open(aff, dic, NULL, 1, NULL, NULL, 0);
	assert_non_null(d);
	Hunhandle *h = Hunspell_create(aff, dic);
	assert_non_null(h);
	for (size_t i = 0; i < sizeof added / sizeof added[0]; i++) {
		assert_int_equal(sw_add_word(d, added[i], strlen(added[i])), 0);
	}
	assert_int_equal(sw_add_dic(d, pdic), 0);
	Hunspell_add_dic(h, pdic);
	for (size_t i = 0; i < sizeof added / sizeof added[0]; i++)
		Hunspell_add(h, added[i]);
	assert_int_equal(sw_seal(d), 0);
	static const char *const words[] = {
		"Witkoff", "WITKOFF", "witkoff", "Witkoff's", "McQuorn", "MCQUORN", "Mcquorn", "McQuorn's",
		"DeSantis", "DESANTIS", "Desantis", "desantis", "kyiv", "Kyiv", "KYIV", "blorp", "blorps",
		"Blorps", "walk", "walks", "walk's", "Zelenskyy", "Zelenskyy's", "ZELENSKYY'S",
		"zelenskyy", "glorp", "glorped", "unglorped", "Cia", "CIA", "Cia's", "CIA'S",
	};
	tally t = { 0 };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		compare_variants(d, h, words[i], &t);
	print_message("# added + personal: %ld words, %ld undecided, %ld disagree\n", t.words,
		      t.undecided, t.disagree);
	assert_int_equal(t.disagree, 0);
	assert_int_equal(t.stem_disagree, 0);
	assert_true(t.undecided * 2 < t.words);
	Hunspell_destroy(h);
	sw_free(d);
	free(aff);
	free(dic);
	free(pdic);
}

/* ---- the cache ---------------------------------------------------------------------------- */

static void set_mtime(const char *path, long sec)
{
	struct timeval tv[2] = { { sec, 0 }, { sec, 0 } };
	assert_int_equal(utimes(path, tv), 0);
}

static void test_cache(void **s)
{
	(void)s;
	char dir[1024], cache[1040], aff[1040], dic[1040];   /* dir + a name: never cut */
	snprintf(dir, sizeof dir, "%s/cache-test", tmp);
	snprintf(cache, sizeof cache, "%s/cache", dir);
	mkdir(dir, 0700);
	snprintf(aff, sizeof aff, "%s/tiny.aff", dir);
	snprintf(dic, sizeof dic, "%s/tiny.dic", dir);
	write_file(aff, custom_aff);
	write_file(dic, custom_dic);
	set_mtime(dic, 1000000000);
	int how = -1;
	/* not there, not built */
	assert_null(sw_open(aff, dic, cache, 0, &how, NULL, 0));
	assert_int_equal(how, 0);
	/* built and saved (the folder is made) */
	sw_dict *d = sw_open(aff, dic, cache, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT_SAVED);
	sw_free(d);
	/* then read from the cache */
	d = sw_open(aff, dic, cache, 0, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_FROM_CACHE);
	assert_int_equal(sw_seal(d), 0);
	assert_int_equal(sw_spell(d, "walked", 6), SW_KNOWN);
	sw_free(d);
	/* the file's name */
	char cmd[2048], file[1200];
	snprintf(cmd, sizeof cmd, "ls %s/wordset-*.bin", cache);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(file, sizeof file, p));
	pclose(p);
	file[strcspn(file, "\n")] = 0;
	/* damaged: one byte changed -> rebuilt */
	FILE *f = fopen(file, "r+b");
	assert_non_null(f);
	fseek(f, -100, SEEK_END);
	int c = fgetc(f);
	fseek(f, -100, SEEK_END);
	fputc(c ^ 0x55, f);
	fclose(f);
	d = sw_open(aff, dic, cache, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT_SAVED);
	sw_free(d);
	/* truncated, and a file that is not a word set at all -> rebuilt */
	assert_int_equal(truncate(file, 1000), 0);
	d = sw_open(aff, dic, cache, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT_SAVED);
	sw_free(d);
	write_file(file, "not a word set\n");
	d = sw_open(aff, dic, cache, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT_SAVED);
	sw_free(d);
	/* the dictionary changes (new mtime): another key, the new words */
	write_file(dic, "2\nwalk/S\nglorp\n");
	set_mtime(dic, 1000000100);
	d = sw_open(aff, dic, cache, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT_SAVED);
	assert_int_equal(sw_seal(d), 0);
	assert_int_equal(sw_spell(d, "glorp", 5), SW_KNOWN);
	assert_int_equal(sw_spell(d, "kiss", 4), SW_UNKNOWN);
	sw_free(d);
	/* and the set of the old dictionary is gone: one file */
	snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", cache);
	assert_int_equal(system(cmd), 0);
	/* a cache folder that cannot be made (below a file): built, not saved */
	char bad[1200];
	snprintf(bad, sizeof bad, "%s/sub", aff);
	d = sw_open(aff, dic, bad, 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT);
	sw_free(d);
	/* no cache folder at all */
	d = sw_open(aff, dic, "", 1, &how, NULL, 0);
	assert_non_null(d);
	assert_int_equal(how, SW_BUILT);
	sw_free(d);
}

static void test_cache_dir_from_environment(void **s)
{
	(void)s;
	char out[4096];
	char *saved[3];
	const char *names[3] = { "NEWSLINT_CACHE_DIR", "XDG_CACHE_HOME", "HOME" };
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		saved[i] = v ? strdup(v) : NULL;
		unsetenv(names[i]);
	}
	assert_int_equal(sw_default_cache_dir(out, sizeof out), -1);   /* HOME unset: no cache */
	setenv("HOME", "/home/x", 1);
	assert_int_equal(sw_default_cache_dir(out, sizeof out), 0);
	assert_string_equal(out, "/home/x/.cache/newslint");
	setenv("XDG_CACHE_HOME", "/var/cache/x", 1);
	assert_int_equal(sw_default_cache_dir(out, sizeof out), 0);
	assert_string_equal(out, "/var/cache/x/newslint");
	setenv("NEWSLINT_CACHE_DIR", "/tmp/nl", 1);
	assert_int_equal(sw_default_cache_dir(out, sizeof out), 0);
	assert_string_equal(out, "/tmp/nl");
	for (int i = 0; i < 3; i++) {
		if (saved[i])
			setenv(names[i], saved[i], 1);
		else
			unsetenv(names[i]);
		free(saved[i]);
	}
}

static void test_unsupported_dictionaries(void **s)
{
	(void)s;
	char *aff = strdup(path_in(tmp, "cpd.aff")), *dic = strdup(path_in(tmp, "cpd.dic"));
	char why[200] = "";
	write_file(dic, "2\nfoo/X\nbar/X\n");
	write_file(aff, "SET UTF-8\nCOMPOUNDFLAG X\n");
	assert_null(sw_open(aff, dic, NULL, 1, NULL, why, sizeof why));
	assert_non_null(strstr(why, "COMPOUNDFLAG"));
	write_file(aff, "SET UTF-8\nFLAG long\n");
	assert_null(sw_open(aff, dic, NULL, 1, NULL, why, sizeof why));
	write_file(aff, "SET UTF-8\nSFX A Y 1\nSFX A 0 s/B .\n");   /* two-level affixes */
	assert_null(sw_open(aff, dic, NULL, 1, NULL, why, sizeof why));
	/* compound rules on words without digits */
	write_file(aff, "SET UTF-8\nCOMPOUNDRULE 1\nCOMPOUNDRULE XX\n");
	assert_null(sw_open(aff, dic, NULL, 1, NULL, why, sizeof why));
	/* not UTF-8: the plugin converts words for Hunspell */
	char latin[1024], latin_dic[1024];
	snprintf(latin, sizeof latin, "%s/tests/data/spelling/latin1.aff", srcdir());
	snprintf(latin_dic, sizeof latin_dic, "%s/tests/data/spelling/latin1.dic", srcdir());
	assert_null(sw_open(latin, latin_dic, NULL, 1, NULL, why, sizeof why));
	free(aff);
	free(dic);
}

/* The differential run over a word file (skipped in make check). */
static void test_differential_file(void **s)
{
	(void)s;
	const char *file = getenv("NEWSLINT_WORDSET_DIFF");
	if (!file || !*file)
		return;      /* only when asked */
	const char *aff = getenv("NEWSLINT_WORDSET_AFF"), *dic = getenv("NEWSLINT_WORDSET_DIC");
	if (!aff || !dic) {
		aff = en_aff;
		dic = en_dic;
	}
	sw_dict *d = sw_open(aff, dic, tmp, 1, NULL, NULL, 0);
	assert_non_null(d);
	assert_int_equal(sw_seal(d), 0);
	Hunhandle *h = Hunspell_create(aff, dic);
	assert_non_null(h);
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	char line[4096];
	tally t = { 0 };
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		compare(d, h, line, &t, 1);
	}
	fclose(f);
	print_message("# %s: %ld words, %ld undecided, %ld disagree; stems of %ld, %ld disagree\n",
		      file, t.words, t.undecided, t.disagree, t.stem_checked, t.stem_disagree);
	assert_int_equal(t.disagree, 0);
	assert_int_equal(t.stem_disagree, 0);
	Hunspell_destroy(h);
	sw_free(d);
}

int main(void)
{
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_en_us_word_list),
		cmocka_unit_test(test_candidates_same_answer),
		cmocka_unit_test(test_grams_bad_prunes_no_word),
		cmocka_unit_test(test_fits_at_same_as_filter),
		cmocka_unit_test(test_place_open),
		cmocka_unit_test(test_custom_dictionary),
		cmocka_unit_test(test_added_words_and_personal_dic),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_dir_from_environment),
		cmocka_unit_test(test_unsupported_dictionaries),
		cmocka_unit_test(test_differential_file),
	};
	int rc = cmocka_run_group_tests_name("spelling_wordset", tests, NULL, NULL);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	return rc;
}
