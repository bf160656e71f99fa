/* attribution.c -- are claims and quotations attributed?
 *
 * Six rules (see the explanations below and docs/attribution.md):
 * vague-source, anonymous-source, unattributed-quote, scare-quote,
 * loaded-verb, unsourced-statistic.
 *
 * Everything is read from the core's document model.  The reporter's words
 * are the text with every quotation (marks included) and every markup tag
 * name / attribute name (<tweet, author=) blanked to spaces, byte for byte,
 * so offsets stay the same; every phrase list is matched over that "masked
 * text".  It is not copied whole: a check keeps the list of blanked
 * stretches and makes the masked bytes where they are read (see "the masked
 * text" below).  Text inside a quotation is the speaker's, never a cue and
 * never a finding of the rules that judge the reporter's wording.
 *
 * Speed: each scanned list has a prefilter derived from its patterns (the
 * possible first bytes of a match); all lists share one pass over the text,
 * where tables by the first 2 and 3 bytes say which lists may start at a
 * position, and try their pattern only there (see "start-position
 * prefilter").  Same matches as a plain search, by construction.  Codes run
 * in PCRE2's interpreter until they have been used enough to pay for the
 * JIT (see "lazy compiling"): a 5 KB article never waits for the JIT.
 *
 * The phrase lists are data (rules/attribution/, one .txt file per list): one PCRE2 pattern per
 * line, each list compiled once in create() into one alternation (UTF, UCP,
 * match and depth limits; JIT-compiled later, when hot).  The INI section can replace a list inline
 * (<list> = ...), from a file (<list>_file = ...), or add to it
 * (<list>_add = ...).  A bad pattern is reported with its file, line and
 * offset.
 *
 * Thread safety: the compiled patterns, the prefilter tables and the match
 * context in the state are read-only after create(); each check() makes its
 * own match data and match context copy, and each thread keeps one JIT
 * stack.  The only state written after create() is the lazy compiling's
 * (use counts, atomic; compiled codes, made under a mutex and published
 * with one atomic store).
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "newslint/plugin.h"
#include "wordkey.h"

/* ---- defaults (also quoted in the explanations) ------------------------- */
#define D_QUOTE_MIN_WORDS 4
#define D_SCARE_MAX_WORDS 3
#define D_INHERIT_PARAGRAPHS 3
#define D_NAMING_WINDOW 3
#define D_SAY_WINDOW 2
#define D_PARTIAL_WINDOW 20
#define D_STAT_LOOKBACK 2
#define D_MATCH_LIMIT 1000000
#define D_DEPTH_LIMIT 5000
#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- the phrase lists ---------------------------------------------------- */
enum {
	L_SAY, L_LOADED, L_LOADED_EXC, L_NAMING, L_NAMING_AS, L_GAP, L_TITLE_SMALL,
	L_AFTER, L_SRC_NOUN, L_SRC_MOD, L_ANON, L_VAGUE, L_STAT, L_STAT_SRC,
	N_LISTS
};

_Static_assert(N_LISTS <= 16, "a list is a bit of 16 in the prefilter's pair table");

/* how a list is compiled */
#define LF_WORDS    0x1u  /* wrap in word bounds */
#define LF_CASELESS 0x2u
#define LF_ANCHORED 0x4u  /* only ever matched at a given position */

typedef struct list_def {
	const char *key;   /* INI key stem: <key>, <key>_add, <key>_file */
	const char *file;  /* bundled file under rules/attribution/ */
	unsigned flags;
} list_def;

static const list_def LISTS[N_LISTS] = {
	[L_SAY] = {"speech_verbs", "speech-verbs.txt", LF_WORDS | LF_CASELESS},
	[L_LOADED] = {"loaded_verbs", "loaded-verbs.txt", LF_WORDS | LF_CASELESS},
	[L_LOADED_EXC] = {"loaded_exceptions", "loaded-exceptions.txt", LF_CASELESS | LF_ANCHORED},
	[L_NAMING] = {"naming_words", "naming-words.txt", LF_WORDS | LF_CASELESS},
	[L_NAMING_AS] = {"naming_as", "naming-as.txt", LF_WORDS | LF_CASELESS},
	[L_GAP] = {"gap_words", "gap-words.txt", LF_WORDS | LF_CASELESS | LF_ANCHORED},
	[L_TITLE_SMALL] = {"title_words", "title-words.txt", LF_WORDS | LF_CASELESS | LF_ANCHORED},
	[L_AFTER] = {"after_quote", "after-quote.txt", LF_ANCHORED},
	[L_SRC_NOUN] = {"source_nouns", "source-nouns.txt", LF_WORDS | LF_CASELESS},
	[L_SRC_MOD] = {"source_modifiers", "source-modifiers.txt", LF_WORDS | LF_CASELESS | LF_ANCHORED},
	[L_ANON] = {"anonymity", "anonymity.txt", LF_WORDS | LF_CASELESS},
	[L_VAGUE] = {"vague_sources", "vague-sources.txt", LF_WORDS | LF_CASELESS},
	[L_STAT] = {"statistics", "statistics.txt", LF_WORDS | LF_CASELESS},
	[L_STAT_SRC] = {"statistic_sources", "statistic-sources.txt", LF_WORDS | LF_CASELESS},
};

static const char *const CONFIG_KEYS[] = {
	"speech_verbs", "speech_verbs_add", "speech_verbs_file",
	"loaded_verbs", "loaded_verbs_add", "loaded_verbs_file",
	"loaded_exceptions", "loaded_exceptions_add", "loaded_exceptions_file",
	"naming_words", "naming_words_add", "naming_words_file",
	"naming_as", "naming_as_add", "naming_as_file",
	"gap_words", "gap_words_add", "gap_words_file",
	"title_words", "title_words_add", "title_words_file",
	"after_quote", "after_quote_add", "after_quote_file",
	"source_nouns", "source_nouns_add", "source_nouns_file",
	"source_modifiers", "source_modifiers_add", "source_modifiers_file",
	"anonymity", "anonymity_add", "anonymity_file",
	"vague_sources", "vague_sources_add", "vague_sources_file",
	"statistics", "statistics_add", "statistics_file",
	"statistic_sources", "statistic_sources_add", "statistic_sources_file",
	"quote_min_words", "scare_max_words", "inherit_paragraphs",
	"naming_window", "say_window", "partial_window", "statistic_lookback",
	"match_limit", "depth_limit",
	NULL
};

/* one entry of a list, with where it came from (for error messages) */
typedef struct entry {
	char *pat;
	char *origin;   /* "file" or "[attribution] key" */
	unsigned line;  /* 0 for an INI value */
} entry;

struct pfilt;

typedef struct plist {
	entry *e;
	size_t n, cap;
	pcre2_code *code;        /* LF_ANCHORED lists: compiled anchored */
	pcre2_code *acode;       /* scanned lists: compiled anchored, tried where the prefilter lets a match start */
	char *full;              /* scanned lists: the pattern text of the plain search (compiled when first needed) */
	uint32_t opts;           /* ... and its compile options */
	struct pfilt *pf;        /* scanned lists: where a match may start */
	char **pats;             /* its entries, expanded, until the filter is built */
} plist;

/* ---- lazy compiling ---------------------------------------------------------
 * Compiling the lists for the JIT cost ~15 ms at start, more than a 5 KB
 * article takes to check with the interpreter.  So create() compiles for
 * the interpreter only, and a code is JIT-compiled once it has been used
 * JIT_AFTER times over the run (all documents, all threads): then the JIT
 * pays for itself.  The JIT compiles a copy (pcre2_code_copy) that is
 * published with one atomic store, so threads matching the interpreted code
 * meanwhile never see it change.  The plain (unanchored) code of a scanned
 * list is only needed for the rare text the prefilter cannot serve: it is
 * compiled when first needed.  Matches are the same either way: where the
 * JIT fails (a limit) the interpreter answers, as it always did. */
#define JIT_AFTER 128u
#define USE_FLUSH 32u

enum { SLOT_MAIN, SLOT_PLAIN };   /* code slot of list id: 2 * id + SLOT_... */

/* A code is matched in two modes: complete (the subject is the text up to
 * its end) and partial (PCRE2_PARTIAL_HARD: a window that ends before the
 * text does).  The JIT compiles each mode separately, so each has its own
 * copy, made when that mode is hot: documents up to SCAN_WHOLE bytes are
 * scanned in one window and never need the partial mode's. */
enum { MODE_COMPLETE, MODE_PARTIAL };

typedef struct lcode {
	_Atomic(pcre2_code *) base;  /* for the interpreter */
	_Atomic(pcre2_code *) jit[2];   /* the JIT-compiled copy of each mode, once hot */
	atomic_uint uses[2];         /* matches run on base so far, by mode */
	atomic_int tried[2];         /* JIT compile of the mode attempted */
} lcode;

typedef struct lazy {
	pthread_mutex_t mu;          /* serialises compiling */
	int mu_ok;
	lcode lc[2 * N_LISTS];
	/* the prefilter, built by a thread of create()'s (build_filters) */
	pthread_t th;
	int th_started;
	pthread_mutex_t pf_mu;
	pthread_cond_t pf_cv;
	int pf_sync_ok;
	atomic_int pf_ready;         /* built (under pf_mu) */
	atomic_int pf_done;          /* ... and the thread joined: no more waiting */
	int pf_rc;
} lazy;

typedef struct state {
	const nl_host *host;
	plist lists[N_LISTS];
	pcre2_match_context *mctx;
	long quote_min_words, scare_max_words, inherit_paragraphs;
	long naming_window, say_window, stat_lookback, partial_window;
	uint8_t wordb[256];      /* ASCII characters of the word bounds' look-behind */
	unsigned char fold[256]; /* pf_fold() */
	size_t margin;           /* bytes before a position a match may look at */
	pthread_key_t jit_key;   /* one JIT stack per thread, kept across documents */
	int jit_key_ok;
	lazy *lz;                /* the codes, compiled for the JIT when hot (mutable) */
	uint32_t *pair;          /* by the 2 folded bytes at a position: the filtered lists (bit = id)
	                            whose main table says "may start" (low 16 bits) or "look at
	                            the longer strings" (high 16 bits) */
	unsigned pf_lists;       /* the lists with a usable prefilter (bit = id) */
	unsigned ws_lists;       /* ... of those, the ones with a white-space table */
	unsigned nonword_lists;  /* ... and the ones not word-bounded */
	uint32_t *tri;           /* by tri_slot() of the classes of the first 3 folded bytes: the
	                            lists with a string of 3+ bytes in their main table starting
	                            so (bit = id), and the lengths of those strings (bit 16 + n - 3);
	                            keys sharing a slot share its bits (16 KB: the default lists
	                            fill ~600 of its 4,096 slots) */
	unsigned char tcls[256]; /* tri_class() */
	uint16_t *quad;          /* by quad_key(): the lists with a string of 4+ bytes in their
	                            main table starting with the 4 folded bytes, or one of 3 bytes
	                            that are the 3 (32 KB) */
	uint8_t first_all[256];  /* the bytes that may start a match of any filtered list (raw bytes) */
} state;

/* ---- rules ---------------------------------------------------------------- */
static const nl_rule_info RULES[] = {
	{"vague-source", NL_SEV_WARNING,
	 "an unsupported attribution: \"experts say\", \"it is believed\", \"some officials said\"",
	 "Flags attributions that name nobody, in the reporter's own text (quotations are\n"
	 "skipped): \"critics/experts/analysts/studies say|suggest|show ...\", \"it is (widely)\n"
	 "believed/said/reported\", \"some/many/several officials ... said\", \"many/some/others\n"
	 "believe ...\" at a clause start, and the agentless \"is regarded/considered/seen as\".\n"
	 "AP: attribute every disputable fact; \"simply quoting 'a source' is not allowed\".\n"
	 "Not flagged when a capitalised name stands right before the phrase (a named outlet:\n"
	 "\"the Gallup poll shows\") or \"by/from/according to\" and a name follow.\n"
	 "Fix: name the source (\"Jane Roe, an economist at Acme Bank, said\") or cut the claim.\n"
	 "Keys: vague_sources(_add|_file) -- the patterns (rules/attribution/vague-sources.txt;\n"
	 "{say} in a pattern stands for the speech verbs).", NULL},
	{"anonymous-source", NL_SEV_INFO,
	 "an unnamed official or source is quoted without a reason for the anonymity",
	 "Flags \"(senior administration) officials/sources/aides/diplomats/spokesman/authorities\"\n"
	 "as the speaker (a speech verb within 6 words after them, or at most 3 words before\n"
	 "them: \"said a senior official\") with no name next to them, when the\n"
	 "paragraph does not explain the anonymity (\"on condition of anonymity\", \"not\n"
	 "authorized to speak\", \"declined to be named\"). AP, Reuters, BBC: anonymous\n"
	 "sources only when vital, and the reason is given.\n"
	 "Fix: name the source, or say why anonymity was granted.\n"
	 "Keys: source_nouns, source_modifiers, anonymity (each with _add/_file).", NULL},
	{"unattributed-quote", NL_SEV_WARNING,
	 "a quotation of several words with no speaker",
	 "Flags a quotation of quote_min_words (default " STR(D_QUOTE_MIN_WORDS) ") or more words that no\n"
	 "one is said to have said. A quotation has a speaker when: a naming word (titled,\n"
	 "slogan, sign reading ...) precedes it; a colon precedes it in its sentence (\"Roe said:\",\n"
	 "\"Roe:\"); a [Source] tag follows it; it is woven into the sentence in lower case (a\n"
	 "partial quotation of the sentence's subject); a speech verb is in its paragraph\n"
	 "(outside quotations); it is introduced with a comma (she shot back, \"...\"); \"...,\"\n"
	 "Name verb-ed/said/told/read follows it; the paragraph opens with quotations and one of\n"
	 "the inherit_paragraphs (default " STR(D_INHERIT_PARAGRAPHS) ") paragraphs before it has a speech verb or\n"
	 "ends with a colon; an earlier quotation of the paragraph has \"..., Name said\" (the\n"
	 "speaker goes on); or the next paragraph is a signature (\"- Jane Roe\").\n"
	 "A quotation running over several paragraphs is judged once, as a whole.\n"
	 "A quotation in title case is treated as a title or a name: it needs a speech verb\n"
	 "right before it or, when it opens its sentence, an attribution right after it.\n"
	 "Fix: attribute it in the same sentence (\"...,\" Jane Roe said), or introduce a title\n"
	 "as one (the show \"...\").\n"
	 "Keys: quote_min_words, inherit_paragraphs, naming_window, speech_verbs, loaded_verbs,\n"
	 "naming_words, after_quote, title_words (lists with _add/_file).", NULL},
	{"scare-quote", NL_SEV_INFO,
	 "quotation marks around one to three words with no speaker: scare quotes",
	 "Flags a quotation of 1 to scare_max_words (default " STR(D_SCARE_MAX_WORDS) ") words, single curly\n"
	 "quotes included, unless: a naming word (so-called, called, dubbed, termed, known as,\n"
	 "titled, a sign reading ...) stands within naming_window (default " STR(D_NAMING_WINDOW) ") words before it;\n"
	 "a speech verb stands within say_window (default " STR(D_SAY_WINDOW) ") words before it (not across \"on\",\n"
	 "\"the\" or a possessive: \"said on KVLY's 'Valley Today'\" is still flagged); it opens its\n"
	 "sentence and \"..., he said\" follows; \"Name:\" or \"X said:\" precedes it; it follows a\n"
	 "characterising \"as\" (\"dismissed it as 'absurd'\"); it is not in title case and a speech\n"
	 "verb is within partial_window (default " STR(D_PARTIAL_WINDOW) ") words in its sentence (a partial\n"
	 "quotation); or it opens a sentence after '\"...\" Roe said.' (the speaker goes on).\n"
	 "Scare quotes signal doubt or irony without saying whose words they are.\n"
	 "Fix: drop the marks, or say who used the words (as Jane Roe called it).\n"
	 "Keys: scare_max_words, naming_window, say_window, partial_window, naming_words,\n"
	 "naming_as, gap_words.", NULL},
	{"loaded-verb", NL_SEV_INFO,
	 "a loaded attribution verb (claimed, insisted, admitted, slammed ...) where \"said\" is neutral",
	 "Flags claim/insist/admit/concede/confess/contend/assert/reveal/boast/slam/blast ...\n"
	 "used as attribution (followed by \"that\", a pronoun, a quotation or punctuation, or\n"
	 "right after a quotation), and \"firmly/flatly/angrily/categorically denied/stated\".\n"
	 "\"claimed\" casts doubt, \"admitted\"/\"conceded\" imply guilt, \"insisted\", \"revealed\",\n"
	 "\"slammed\" editorialise. Non-speech senses (claimed responsibility, claimed 40 lives,\n"
	 "admitted to hospital), nouns (\"his claim that\") and passives (\"was revealed to\") are\n"
	 "skipped.\n"
	 "Fix: use \"said\", or keep the verb only when the reporting supports it.\n"
	 "Keys: loaded_verbs, loaded_exceptions (with _add/_file).", NULL},
	{"unsourced-statistic", NL_SEV_INFO,
	 "a percentage, share or majority with no source",
	 "Flags percentages, \"one in N\", \"a majority of voters\", \"most Americans\",\n"
	 "\"overwhelmingly\", \"public opinion\" in the reporter's text when neither the sentence\n"
	 "nor the statistic_lookback (default " STR(D_STAT_LOOKBACK) ") sentences before it have a source cue\n"
	 "(a speech verb, poll, survey, census, study, data, estimated, found ...; election\n"
	 "results and market figures -- vote, won, shares, rate ... -- count as public record).\n"
	 "Fix: say where the figure comes from (\"according to a Gallup poll released Monday\").\n"
	 "Keys: statistic_lookback, statistics, statistic_sources (with _add/_file).", NULL},
};
#define N_RULES (sizeof RULES / sizeof RULES[0])

/* ---- list loading ------------------------------------------------------------ */
static int list_push(plist *l, const char *pat, size_t n, const char *origin, unsigned line)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		entry *e = realloc(l->e, cap * sizeof *e);
		if (!e)
			return NL_ENOMEM;
		l->e = e;
		l->cap = cap;
	}
	entry *e = &l->e[l->n];
	e->pat = malloc(n + 1);
	e->origin = strdup(origin);
	if (!e->pat || !e->origin) {
		free(e->pat);
		free(e->origin);
		return NL_ENOMEM;
	}
	memcpy(e->pat, pat, n);
	e->pat[n] = 0;
	e->line = line;
	l->n++;
	return 0;
}

static void list_clear(plist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].pat);
		free(l->e[i].origin);
	}
	l->n = 0;
}

typedef struct read_ctx {
	plist *l;
	const char *path;
} read_ctx;

static int read_cb(void *ud, const char *entry_text, size_t len, unsigned line)
{
	read_ctx *c = ud;
	return list_push(c->l, entry_text, len, c->path, line);
}

/* The value of <key>/<key>_add: one pattern (it may hold '|' alternatives). */
static int push_value(plist *l, const char *key, const char *val)
{
	char origin[128];
	snprintf(origin, sizeof origin, "[attribution] %s", key);
	while (*val == ' ' || *val == '\t')
		val++;
	size_t n = strlen(val);
	while (n && (val[n - 1] == ' ' || val[n - 1] == '\t'))
		n--;
	if (!n)
		return 0;
	return list_push(l, val, n, origin, 0);
}

/* Expand {say} (speech + loaded verbs) in a pattern.  *map_at / *map_delta
 * record where the first placeholder was and how much longer the text got,
 * so an error offset can be mapped back (approximately, after the first). */
static char *expand(const char *pat, const char *say, size_t *first_at, size_t *delta)
{
	size_t sl = strlen(say), n = strlen(pat), k = 0;
	for (const char *p = strstr(pat, "{say}"); p; p = strstr(p + 5, "{say}"))
		k++;
	char *out = malloc(n + k * (sl + 4) + 1);
	if (!out)
		return NULL;
	*first_at = (size_t)-1;
	*delta = 0;
	char *o = out;
	for (const char *p = pat; *p;) {
		if (strncmp(p, "{say}", 5) == 0) {
			if (*first_at == (size_t)-1)
				*first_at = (size_t)(p - pat);
			*o++ = '(';
			*o++ = '?';
			*o++ = ':';
			memcpy(o, say, sl);
			o += sl;
			*o++ = ')';
			*delta += sl + 4 - 5;
			p += 5;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

static uint32_t compile_opts(unsigned flags)
{
	uint32_t o = PCRE2_UTF | PCRE2_UCP;
	if (flags & LF_CASELESS)
		o |= PCRE2_CASELESS;
	return o;
}

/* Compile one entry alone to find and report a bad pattern.  Returns 0 if it
 * compiles, NL_ECONFIG after reporting. */
static int check_entry(state *st, const nl_config *cfg, const list_def *d, const entry *e, const char *say)
{
	size_t first_at, delta;
	char *x = expand(e->pat, say ? say : "x", &first_at, &delta);
	if (!x)
		return NL_ENOMEM;
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)x, PCRE2_ZERO_TERMINATED, compile_opts(d->flags), &err, &off, NULL);
	free(x);
	if (c) {
		pcre2_code_free(c);
		return 0;
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(err, msg, sizeof msg);
	if (first_at != (size_t)-1 && off > first_at)
		off = off > first_at + delta ? off - delta : first_at;
	if (e->line)
		st->host->cfg_error(cfg, NULL, "%s:%u: bad pattern in %s at offset %zu: %s: %s",
		                    e->origin, e->line, d->key, (size_t)off, (const char *)msg, e->pat);
	else
		st->host->cfg_error(cfg, strchr(e->origin, ' ') + 1, "bad pattern at offset %zu: %s: %s",
		                    (size_t)off, (const char *)msg, e->pat);
	return NL_ECONFIG;
}

/* Join a list's entries into one alternation text. */
static char *join(const plist *l)
{
	size_t n = 1;
	for (size_t i = 0; i < l->n; i++)
		n += strlen(l->e[i].pat) + 5;
	char *s = malloc(n);
	if (!s)
		return NULL;
	char *o = s;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			*o++ = '|';
		o += sprintf(o, "(?:%s)", l->e[i].pat);
	}
	*o = 0;
	return s;
}

/* ---- start-position prefilter ----------------------------------------------
 * A scan asks PCRE2 for the leftmost match of a whole list.  Trying a big
 * alternation at every word start is what costs: most positions cannot start
 * a match at all.  For each scanned list we derive, from the patterns
 * themselves, the possible first (up to 8) bytes of a match; the scan then
 * runs the (JIT, compile-time anchored) pattern only where those bytes occur.
 * The derivation is conservative (every byte set is a superset), so the
 * matches are exactly those of the plain scan: trying start positions in
 * order, skipping only positions where no match can start, is what an
 * unanchored search does.  Anything the small parser does not understand
 * makes the list "unfiltered" (the plain scan is used).  Caseless ASCII
 * letters match two non-ASCII characters (U+017F for s, U+212A for k): a
 * document holding either is scanned without filters. */
#define PF_MAXN 8
#define PF_HBITS 18
#define PF_MAXEXP 256

typedef struct bset {
	uint64_t w[4];           /* bit ch & 63 of w[ch >> 6]: byte ch */
} bset;

static void bs_add(bset *s, unsigned ch)
{
	s->w[ch >> 6] |= (uint64_t)1 << (ch & 63);
}

static int bs_has(const bset *s, unsigned ch)
{
	return (int)((s->w[ch >> 6] >> (ch & 63)) & 1);
}

typedef struct ptab {
	int any;                 /* every position is a candidate */
	int used;
	uint8_t first[256];      /* first bytes of all the strings */
	uint8_t u1[256];
	uint64_t b2[65536 / 64];
	uint64_t l3[65536 / 64];   /* first 2 bytes of the strings of 3 .. PF_MAXN bytes */
	uint64_t pre3[(1u << PF_HBITS) / 64]; /* hashed: first 3 bytes of the longer strings (HBIT) */
	uint64_t tn[(1u << PF_HBITS) / 64];   /* hashed: the strings of 3 .. PF_MAXN bytes (TN_*) */
	uint32_t *tri;           /* main tables: the state's tri (first 3 bytes, all lists) */
	uint16_t lbit;           /* ... and this list's bit in it */
	const unsigned char *tcls; /* ... and the classes of its key (the state's) */
	uint16_t *quad;          /* ... and the state's quad */
} ptab;

typedef struct pfilt {
	int usable;
	int word;                /* a match starts after no ASCII word char */
	ptab main;               /* bytes at the start */
	ptab *ws;                /* bytes after a leading run of white space (made when needed) */
} pfilt;

/* 32-bit hash of the first n (3 .. 8) bytes of x (byte k in bits 8k .. 8k+7) */
static inline unsigned pf_hash(uint64_t x, int n)
{
	if (n < 8)
		x &= ((uint64_t)1 << (8 * n)) - 1;
	return (unsigned)(((x + (uint64_t)n) * 0x9E3779B97F4A7C15ull) >> 32);
}

/* A table of one bit a hash (pre3): its top PF_HBITS bits. */
#define HBIT(h) ((h) >> (32 - PF_HBITS))
/* tn, a Bloom filter of three bits a string in one 64-bit word (the word:
 * the hash's top bits; the bits: its lowest eighteen).  With one bit, a
 * table a few per cent full passed "the r" of "the right" for the
 * statistics list (its "the  majority" strings are 8 bytes): each length
 * of 3 .. 8 tried was another few per cent of false candidates, each a
 * PCRE2 call; three bits make that about the cube of the fill, for the
 * same one memory read. */
static inline uint64_t tn_bits(unsigned h)
{
	return (uint64_t)1 << (h & 63) | (uint64_t)1 << ((h >> 6) & 63) | (uint64_t)1 << ((h >> 12) & 63);
}
#define TN_WORD(h) ((h) >> (32 - PF_HBITS + 6))
#define TN_HAS(a, h) (((a)[TN_WORD(h)] & tn_bits(h)) == tn_bits(h))
#define TN_SET(a, h) ((a)[TN_WORD(h)] |= tn_bits(h))

/* hash of the n (3 .. 8) bytes at p (p has 8 readable bytes) */
static unsigned hn(const unsigned char *p, int n)
{
	uint64_t x = 0;
	for (int k = 0; k < 8; k++)
		x |= (uint64_t)p[k] << (8 * k);
	return pf_hash(x, n);
}

#define BIT(a, i) (((a)[(i) >> 6] >> ((i) & 63)) & 1)
#define SETBIT(a, i) ((a)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))

/* The tables hold folded bytes (ASCII letters in lower case, ASCII white
 * space as a space, every ASCII digit as 0): a folded string is a weaker
 * condition than the bytes it stands for, so still a necessary one, and
 * far fewer strings ("\d+%" is a few strings 0%, 00%, 000% ... instead of
 * every digit pair: a year or a sum no longer sends its list to PCRE2). */
static unsigned char pf_fold(unsigned ch)
{
	return wk_fold1(ch);
}

/* The hashes of the 3 .. PF_MAXN bytes at one position, made once for all
 * the lists and only as far as needed. */
typedef struct phash {
	uint64_t x;              /* the 8 bytes */
	int done;                /* hashes made: h[3 .. done] */
	unsigned h[PF_MAXN + 1];
} phash;

static inline unsigned ph_get(phash *ph, int n)
{
	while (ph->done < n) {
		int k = ++ph->done;
		ph->h[k] = pf_hash(ph->x, k);
	}
	return ph->h[n];
}

/* The 8 bytes at p (readable), folded as pf_fold() folds a byte. */
static inline void ph_init(phash *ph, const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
#if WK_BIG_ENDIAN
	x = __builtin_bswap64(x);   /* byte k in bits 8k .. 8k+7, as hn() makes it */
#endif
	ph->x = wk_fold8(x);
	ph->done = 2;
}

/* ph_init() with every hash made at once (the scan: most positions that
 * get this far try several lengths, for several lists). */
static inline void ph_init_all(phash *ph, const unsigned char *p)
{
	ph_init(ph, p);
	const uint64_t x = ph->x;
	for (int n = 3; n <= PF_MAXN; n++)
		ph->h[n] = pf_hash(x, n);
	ph->done = PF_MAXN;
}

/* May a string of 3 .. PF_MAXN bytes of table t start at the position of ph? */
static inline int pt_deep(const ptab *t, phash *ph)
{
	if (!BIT(t->pre3, HBIT(ph_get(ph, 3))))
		return 0;
	for (int n = 3; n <= PF_MAXN; n++)
		if (TN_HAS(t->tn, ph_get(ph, n)))
			return 1;
	return 0;
}

/* ... knowing that a string of t starts with the first 3 bytes and that
 * such strings (of any list) have the lengths lens (bit n - 3) (tri) */
static inline int pt_tn(const ptab *t, phash *ph, unsigned lens)
{
	for (unsigned m = lens & ((1u << (PF_MAXN - 2)) - 1); m; m &= m - 1)
		if (TN_HAS(t->tn, ph_get(ph, 3 + __builtin_ctz(m))))
			return 1;
	return 0;
}

/* May a string of table t start at p (8 readable bytes; b0 b1: its first
 * two folded)?  The bytes are hashed only when the 1- and 2-byte tables
 * cannot tell. */
static inline int pt_cand_h(const ptab *t, unsigned b0, unsigned b1, const unsigned char *p)
{
	if (!t->first[b0])
		return 0;
	if (t->u1[b0] || BIT(t->b2, b0 << 8 | b1))
		return 1;
	phash ph;
	ph_init(&ph, p);
	return pt_deep(t, &ph);
}


/* the regex, parsed just enough */
enum { RN_SET, RN_EPS, RN_STOP, RN_GROUP };
typedef struct rnode rnode;
typedef struct ritem {
	rnode *n;
	int min, max;            /* max -1: unbounded */
} ritem;
typedef struct rseq {
	ritem *it;
	size_t n, cap;
} rseq;
struct rnode {
	int kind;
	int term;                /* SET: may match a multi-byte character: stop after it */
	bset set;
	rseq *alt;
	size_t nalt;
	rnode *next_alloc;
};

typedef struct rparse {
	const char *p, *end;
	int caseless;
	int fail;
	rnode *nodes;            /* every node, to free */
} rparse;

static rnode *rn_new(rparse *r, int kind)
{
	rnode *n = calloc(1, sizeof *n);
	if (!n) {
		r->fail = 1;
		return NULL;
	}
	n->kind = kind;
	n->next_alloc = r->nodes;
	r->nodes = n;
	return n;
}

static void rn_free_all(rparse *r)
{
	for (rnode *n = r->nodes, *nx; n; n = nx) {
		nx = n->next_alloc;
		for (size_t i = 0; i < n->nalt; i++)
			free(n->alt[i].it);
		free(n->alt);
		free(n);
	}
}

static void set_leads(bset *s)
{
	for (unsigned ch = 0xC2; ch <= 0xF4; ch++)
		bs_add(s, ch);
}

static void set_char(rparse *r, bset *s, unsigned ch, int *term)
{
	if (ch < 0x80) {
		bs_add(s, ch);
		if (r->caseless && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
			bs_add(s, ch ^ 0x20);
	} else {
		/* a non-ASCII character (or its other case) */
		set_leads(s);
		if (r->caseless) {
			bs_add(s, 's'), bs_add(s, 'S'), bs_add(s, 'k'), bs_add(s, 'K');
		}
		*term = 1;
	}
}

static void set_range(bset *s, unsigned a, unsigned b)
{
	for (unsigned ch = a; ch <= b; ch++)
		bs_add(s, ch);
}

/* \d \s \w \h \v \p{..} (UCP: also non-ASCII) into s; 0 if not such a class */
static int set_escape_class(rparse *r, char e, bset *s, int *term)
{
	switch (e) {
	case 'd': set_range(s, '0', '9'); break;
	case 's': set_range(s, 9, 13); bs_add(s, ' '); break;
	case 'h': bs_add(s, 9); bs_add(s, ' '); break;
	case 'v': set_range(s, 10, 13); break;
	case 'w': set_range(s, '0', '9'); set_range(s, 'a', 'z'); set_range(s, 'A', 'Z'); bs_add(s, '_'); break;
	case 'p':
		/* \p{..}: any ASCII character or any non-ASCII one (a superset) */
		if (r->p < r->end && *r->p == '{') {
			const char *q = memchr(r->p, '}', (size_t)(r->end - r->p));
			if (!q) {
				r->fail = 1;
				return 1;
			}
			r->p = q + 1;
		} else if (r->p < r->end) {
			r->p++;
		}
		set_range(s, 0, 0x7F);
		break;
	default:
		return 0;
	}
	set_leads(s);
	*term = 1;
	return 1;
}

static unsigned hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? (unsigned)(ch - '0') : (unsigned)((ch | 0x20) - 'a' + 10);
}

/* \x{hhhh} or \xhh after the x; returns the code point */
static unsigned parse_hex(rparse *r)
{
	unsigned v = 0;
	if (r->p < r->end && *r->p == '{') {
		r->p++;
		while (r->p < r->end && *r->p != '}')
			v = v * 16 + hexval(*r->p++);
		if (r->p < r->end)
			r->p++;
		else
			r->fail = 1;
	} else {
		for (int i = 0; i < 2 && r->p < r->end && strchr("0123456789abcdefABCDEF", *r->p); i++)
			v = v * 16 + hexval(*r->p++);
	}
	return v;
}

/* One UTF-8 character of the pattern as a literal */
static void literal_utf8(rparse *r, rnode *n)
{
	unsigned char ch = (unsigned char)*r->p;
	size_t k = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
	r->p += k <= (size_t)(r->end - r->p) ? k : (size_t)(r->end - r->p);
	set_char(r, &n->set, ch < 0x80 ? ch : 0x80, &n->term);
}

static rnode *parse_class(rparse *r)
{
	rnode *n = rn_new(r, RN_SET);
	if (!n)
		return NULL;
	if (r->p < r->end && *r->p == '^') {
		n->kind = RN_STOP;   /* a negated class: almost anything */
		while (r->p < r->end && *r->p != ']') {
			if (*r->p == '\\')
				r->p++;
			r->p++;
		}
		if (r->p >= r->end)
			r->fail = 1;
		else
			r->p++;
		return n;
	}
	int first = 1;
	while (r->p < r->end && (*r->p != ']' || first)) {
		first = 0;
		unsigned lo;
		if (*r->p == '[') {
			r->fail = 1;   /* [:alpha:] and friends */
			return n;
		}
		if (*r->p == '\\') {
			r->p++;
			if (r->p >= r->end) {
				r->fail = 1;
				return n;
			}
			char e = *r->p++;
			if (set_escape_class(r, e, &n->set, &n->term))
				continue;
			if (e == 'x')
				lo = parse_hex(r);
			else if (e == 'n')
				lo = '\n';
			else if (e == 't')
				lo = '\t';
			else if (e == 'r')
				lo = '\r';
			else if (e == 'f')
				lo = '\f';
			else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
				r->fail = 1;
				return n;
			} else
				lo = (unsigned char)e;
		} else if ((unsigned char)*r->p >= 0x80) {
			literal_utf8(r, n);
			continue;
		} else {
			lo = (unsigned char)*r->p++;
		}
		if (r->p + 1 < r->end && *r->p == '-' && r->p[1] != ']') {
			r->p++;
			unsigned hi;
			if (*r->p == '\\') {
				r->p++;
				char e = r->p < r->end ? *r->p++ : 0;
				if (e == 'x')
					hi = parse_hex(r);
				else if (e && !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')))
					hi = (unsigned char)e;
				else {
					r->fail = 1;
					return n;
				}
			} else if ((unsigned char)*r->p >= 0x80) {
				hi = 0x80;
				literal_utf8(r, n);
			} else {
				hi = (unsigned char)*r->p++;
			}
			if (hi >= 0x80 || lo >= 0x80) {
				/* a range reaching past ASCII */
				if (lo < 0x80)
					for (unsigned ch = lo; ch < 0x80; ch++)
						set_char(r, &n->set, ch, &n->term);
				set_char(r, &n->set, 0x80, &n->term);
			} else {
				for (unsigned ch = lo; ch <= hi; ch++)
					set_char(r, &n->set, ch, &n->term);
			}
		} else {
			set_char(r, &n->set, lo, &n->term);
		}
	}
	if (r->p >= r->end)
		r->fail = 1;
	else
		r->p++;
	return n;
}

static rnode *parse_alt(rparse *r, int depth);

static int seq_push(rparse *r, rseq *s, rnode *n, int min, int max)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		ritem *v = realloc(s->it, cap * sizeof *v);
		if (!v) {
			r->fail = 1;
			return -1;
		}
		s->it = v;
		s->cap = cap;
	}
	s->it[s->n++] = (ritem){n, min, max};
	return 0;
}

/* a quantifier after an atom: sets min/max, 0 if none */
static int parse_quant(rparse *r, int *min, int *max)
{
	if (r->p >= r->end)
		return 0;
	char ch = *r->p;
	if (ch == '?' || ch == '*' || ch == '+') {
		r->p++;
		*min = ch == '+' ? 1 : 0;
		*max = ch == '?' ? 1 : -1;
	} else if (ch == '{') {
		const char *q = r->p + 1;
		int a = 0, b, digits = 0;
		while (q < r->end && *q >= '0' && *q <= '9')
			a = a * 10 + (*q++ - '0'), digits++;
		if (!digits || q >= r->end)
			return 0;
		if (*q == '}') {
			b = a;
		} else if (*q == ',') {
			q++;
			if (q < r->end && *q == '}') {
				b = -1;
			} else {
				b = 0;
				int d2 = 0;
				while (q < r->end && *q >= '0' && *q <= '9')
					b = b * 10 + (*q++ - '0'), d2++;
				if (!d2 || q >= r->end || *q != '}')
					return 0;
			}
		} else {
			return 0;
		}
		r->p = q + 1;
		*min = a > PF_MAXN ? PF_MAXN : a;   /* more reps never matter for PF_MAXN bytes */
		*max = b;
	} else {
		return 0;
	}
	if (r->p < r->end && (*r->p == '?' || *r->p == '+'))
		r->p++;   /* lazy / possessive: same strings */
	return 1;
}

static rnode *parse_atom(rparse *r, int depth)
{
	char ch = *r->p++;
	rnode *n;
	switch (ch) {
	case '(':
		if (r->p < r->end && *r->p == '?') {
			r->p++;
			if (r->p >= r->end) {
				r->fail = 1;
				return NULL;
			}
			char k = *r->p;
			int assert_ = 0;
			if (k == ':' || k == '>' || k == '|') {
				r->p++;
			} else if (k == '=' || k == '!') {
				r->p++;
				assert_ = 1;
			} else if (k == '<' && r->p + 1 < r->end && (r->p[1] == '=' || r->p[1] == '!')) {
				r->p += 2;
				assert_ = 1;
			} else if (k == '#') {
				while (r->p < r->end && *r->p != ')')
					r->p++;
				if (r->p >= r->end)
					r->fail = 1;
				else
					r->p++;
				return rn_new(r, RN_EPS);
			} else {
				r->fail = 1;   /* options, named groups, recursion, conditions */
				return NULL;
			}
			n = parse_alt(r, depth + 1);
			if (!n || r->p >= r->end || *r->p != ')') {
				r->fail = 1;
				return NULL;
			}
			r->p++;
			if (assert_) {
				n = rn_new(r, RN_EPS);
			}
			return n;
		}
		n = parse_alt(r, depth + 1);
		if (!n || r->p >= r->end || *r->p != ')') {
			r->fail = 1;
			return NULL;
		}
		r->p++;
		return n;
	case '[':
		return parse_class(r);
	case '.':
		return rn_new(r, RN_STOP);
	case '^':
	case '$':
		return rn_new(r, RN_EPS);
	case '*':
	case '+':
	case '?':
	case ')':
		r->fail = 1;
		return NULL;
	case '\\': {
		if (r->p >= r->end) {
			r->fail = 1;
			return NULL;
		}
		char e = *r->p++;
		n = rn_new(r, RN_SET);
		if (!n)
			return NULL;
		if (set_escape_class(r, e, &n->set, &n->term))
			return n;
		switch (e) {
		case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
			n->kind = RN_EPS;
			return n;
		case 'D': case 'S': case 'W': case 'H': case 'V': case 'P': case 'X': case 'R': case 'N': case 'C':
			n->kind = RN_STOP;
			if (e == 'P' && r->p < r->end && *r->p == '{') {
				const char *q = memchr(r->p, '}', (size_t)(r->end - r->p));
				r->p = q ? q + 1 : r->end;
			} else if (e == 'P' && r->p < r->end) {
				r->p++;
			}
			return n;
		case 'x':
			set_char(r, &n->set, parse_hex(r), &n->term);
			return n;
		case 'n': set_char(r, &n->set, '\n', &n->term); return n;
		case 't': set_char(r, &n->set, '\t', &n->term); return n;
		case 'r': set_char(r, &n->set, '\r', &n->term); return n;
		case 'f': set_char(r, &n->set, '\f', &n->term); return n;
		case 'e': set_char(r, &n->set, 0x1B, &n->term); return n;
		case 'a': set_char(r, &n->set, 0x07, &n->term); return n;
		default:
			if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
				r->fail = 1;   /* back references, \K, \Q, \g ... */
				return NULL;
			}
			set_char(r, &n->set, (unsigned char)e, &n->term);
			return n;
		}
	}
	default:
		r->p--;
		n = rn_new(r, RN_SET);
		if (n)
			literal_utf8(r, n);
		return n;
	}
}

static rnode *parse_alt(rparse *r, int depth)
{
	if (depth > 100) {
		r->fail = 1;
		return NULL;
	}
	rnode *g = rn_new(r, RN_GROUP);
	if (!g)
		return NULL;
	for (;;) {
		rseq *v = realloc(g->alt, (g->nalt + 1) * sizeof *v);
		if (!v) {
			r->fail = 1;
			return NULL;
		}
		g->alt = v;
		rseq *s = &g->alt[g->nalt++];
		memset(s, 0, sizeof *s);
		while (r->p < r->end && *r->p != '|' && *r->p != ')' && !r->fail) {
			rnode *a = parse_atom(r, depth);
			if (!a || r->fail)
				return NULL;
			int min = 1, max = 1;
			/* a '{' that is no quantifier stays for the next atom (a literal) */
			parse_quant(r, &min, &max);
			if (a->kind == RN_EPS)
				min = max = 1;   /* an assertion repeated is still zero-width */
			if (seq_push(r, s, a, min, max))
				return NULL;
		}
		if (r->fail)
			return NULL;
		if (r->p < r->end && *r->p == '|') {
			r->p++;
			continue;
		}
		return g;
	}
}

/* enumerate the possible first bytes */
typedef struct pseq {
	int n, ws;
	bset s[PF_MAXN];
} pseq;

typedef struct frame {
	const rseq *s;
	size_t i;
	int mn, mx;
	const struct frame *up;
} frame;

/* The sequences a list has emitted (so that one met again, on another path
 * or in another pattern, is not enumerated again): each sequence is its
 * table, its length and the ids of its folded sets, compared exactly. */
typedef struct pkey {
	uint16_t id[PF_MAXN];
	uint8_t n, ws;
} pkey;

typedef struct pseen {
	bset *sets;              /* the distinct folded sets */
	size_t nsets, capsets;
	uint32_t *sidx;          /* open addressing: set id + 1 */
	size_t sidx_cap;
	pkey *keys;
	size_t nkeys, capkeys;
	uint32_t *kidx;          /* open addressing: key index + 1 */
	size_t kidx_cap;
	int fail;
} pseen;

typedef struct pfb {
	pfilt *f;
	long steps;
	int fail;
	pseen *seen;
} pfb;

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static uint64_t bs_hash(const bset *s)
{
	uint64_t h = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < 4; i++)
		h = mix64(h ^ s->w[i]) + (uint64_t)i;
	return h;
}

/* grow an open-addressing index of ids (+1) whose hashes hf() gives */
static int idx_grow(uint32_t **idx, size_t *cap, size_t n, uint64_t (*hf)(const pseen *, uint32_t), const pseen *ps)
{
	if (2 * (n + 1) <= *cap)
		return 0;
	size_t nc = *cap ? 2 * *cap : 256;
	uint32_t *x = calloc(nc, sizeof *x);
	if (!x)
		return -1;
	for (size_t i = 0; i < *cap; i++) {
		if (!(*idx)[i])
			continue;
		size_t j = (size_t)hf(ps, (*idx)[i] - 1) & (nc - 1);
		while (x[j])
			j = (j + 1) & (nc - 1);
		x[j] = (*idx)[i];
	}
	free(*idx);
	*idx = x;
	*cap = nc;
	return 0;
}

static uint64_t set_hf(const pseen *ps, uint32_t id)
{
	return bs_hash(&ps->sets[id]);
}

static uint64_t key_hash(const pkey *k)
{
	uint64_t h = mix64(((uint64_t)k->n << 8 | k->ws) + 0x9E3779B97F4A7C15ull);
	for (int i = 0; i < k->n; i++)
		h = mix64(h ^ k->id[i]) + (uint64_t)i;
	return h;
}

static uint64_t key_hf(const pseen *ps, uint32_t id)
{
	return key_hash(&ps->keys[id]);
}

/* the id of folded set s (interned); -1 when out of memory */
static long set_id(pseen *ps, const bset *s)
{
	if (idx_grow(&ps->sidx, &ps->sidx_cap, ps->nsets, set_hf, ps))
		return -1;
	size_t j = (size_t)bs_hash(s) & (ps->sidx_cap - 1);
	for (; ps->sidx[j]; j = (j + 1) & (ps->sidx_cap - 1))
		if (memcmp(&ps->sets[ps->sidx[j] - 1], s, sizeof *s) == 0)
			return (long)ps->sidx[j] - 1;
	if (ps->nsets == ps->capsets) {
		size_t nc = ps->capsets ? 2 * ps->capsets : 64;
		bset *v = nc <= 65535 ? realloc(ps->sets, nc * sizeof *v) : NULL;
		if (!v)
			return -1;
		ps->sets = v;
		ps->capsets = nc;
	}
	ps->sets[ps->nsets] = *s;
	ps->sidx[j] = (uint32_t)++ps->nsets;
	return (long)ps->nsets - 1;
}

/* Has key k been seen before?  Records it if not.  -1: out of memory. */
static int key_seen(pseen *ps, const pkey *k)
{
	if (idx_grow(&ps->kidx, &ps->kidx_cap, ps->nkeys, key_hf, ps))
		return -1;
	size_t j = (size_t)key_hash(k) & (ps->kidx_cap - 1);
	for (; ps->kidx[j]; j = (j + 1) & (ps->kidx_cap - 1))
		if (memcmp(&ps->keys[ps->kidx[j] - 1], k, sizeof *k) == 0)
			return 1;
	if (ps->nkeys == ps->capkeys) {
		size_t nc = ps->capkeys ? 2 * ps->capkeys : 256;
		pkey *v = realloc(ps->keys, nc * sizeof *v);
		if (!v)
			return -1;
		ps->keys = v;
		ps->capkeys = nc;
	}
	ps->keys[ps->nkeys] = *k;
	ps->kidx[j] = (uint32_t)++ps->nkeys;
	return 0;
}

static void pseen_free(pseen *ps)
{
	free(ps->sets);
	free(ps->sidx);
	free(ps->keys);
	free(ps->kidx);
}

/* pf_fold() applied to every byte of s (ASCII upper case to lower case,
 * ASCII white space to a space), word by word */
static void bs_fold(const bset *s, bset *f)
{
	uint64_t w0 = s->w[0], w1 = s->w[1];
	const uint64_t up = w1 & 0x07FFFFFEull;        /* 'A' .. 'Z' */
	w1 = (w1 & ~up) | (up << 32);                  /* 'a' .. 'z' */
	if (w0 & 0x3E00ull)                            /* \t .. \r */
		w0 = (w0 & ~0x3E00ull) | ((uint64_t)1 << 32);
	if (w0 & 0x03FF000000000000ull)                /* '0' .. '9' */
		w0 = (w0 & ~0x03FF000000000000ull) | ((uint64_t)1 << '0');
	f->w[0] = w0;
	f->w[1] = w1;
	f->w[2] = s->w[2];
	f->w[3] = s->w[3];
}

/* Is the ASCII part of s white space only (and not empty)? *has_ws: any
 * white space in s. */
static int ws_only(const bset *s, int *has_ws)
{
	const uint64_t wsm = 0x3E00ull | (uint64_t)1 << 32;   /* \t .. \r, space */
	int ws = (s->w[0] & wsm) != 0, other = ((s->w[0] & ~wsm) | s->w[1]) != 0;
	*has_ws = ws;
	return ws && !other;
}

/* The class of a folded byte in tri's key: every letter its own, digits
 * (folded to 0), space, - ' . , each their own, the rest shared (a shared
 * class is a weaker condition, so still a necessary one). */
static unsigned tri_class(unsigned ch)
{
	if (ch >= 'a' && ch <= 'z')
		return 1 + ch - 'a';
	switch (ch) {
	case '0': return 27;
	case ' ': return 28;
	case '-': return 29;
	case '\'': return 30;
	case '.': return 31;
	case ',': return 32;
	default: return 33 + ch % 31;
	}
}

#define TRI_KEY(cls, a, b, d) ((unsigned)(cls)[a] << 12 | (unsigned)(cls)[b] << 6 | (cls)[d])

/* The state's tri, by TRI_KEY hashed to TRI_BITS bits.  It is read at
 * every position a scan tries: indexed by the 18-bit key itself it was a
 * 1 MB table of which text reached lines all over (a CPU cache miss at
 * most positions); hashed, it stays in the nearest caches.  A slot shared
 * by two keys has both their bits: a superset, which the later steps
 * (the 4th byte, the hashed strings, the pattern itself) narrow down. */
#define TRI_BITS 12
static inline unsigned tri_slot(unsigned key)
{
	return (key * 0x9E3779B1u) >> (32 - TRI_BITS);
}

/* The state's quad, by 4 folded bytes (d: 256 for a string of 3). */
#define QUAD_BITS 14
static inline unsigned quad_key(unsigned a, unsigned b, unsigned c, unsigned d)
{
	uint64_t x = (uint64_t)a << 32 | (uint64_t)b << 24 | (uint64_t)c << 16 | d;
	return (unsigned)((x * 0x9E3779B97F4A7C15ull) >> (64 - QUAD_BITS));
}

/* the strings of the sets: byte k on, q holding the first k */
static void emit_rest(ptab *t, unsigned char (*mem)[256], const size_t *cnt, int n, unsigned char *q, int k)
{
	if (k == n) {
		if (n == 2) {
			SETBIT(t->b2, (unsigned)q[0] << 8 | q[1]);
		} else {
			SETBIT(t->l3, (unsigned)q[0] << 8 | q[1]);
			if (t->tri) {
				t->tri[tri_slot(TRI_KEY(t->tcls, q[0], q[1], q[2]))] |= t->lbit | 1u << (16 + n - 3);
				t->quad[quad_key(q[0], q[1], q[2], n == 3 ? 256 : q[3])] |= t->lbit;
			}
			if (!t->tri)   /* the white-space tables: pt_cand_h() probes the first 3 bytes */
				SETBIT(t->pre3, HBIT(hn(q, 3)));
			TN_SET(t->tn, hn(q, n));
		}
		return;
	}
	for (size_t i = 0; i < cnt[k]; i++) {
		q[k] = mem[k][i];
		emit_rest(t, mem, cnt, n, q, k + 1);
	}
}

static void emit(pfb *b, const pseq *cur)
{
	if (cur->ws && !b->f->ws && !(b->f->ws = calloc(1, sizeof *b->f->ws))) {
		b->fail = 1;
		return;
	}
	ptab *t = cur->ws ? b->f->ws : &b->f->main;
	t->used = 1;
	int n = cur->n;
	size_t cnt[PF_MAXN];
	unsigned char mem[PF_MAXN][256];
	bset fs[PF_MAXN];
	for (int k = 0; k < n; k++) {
		bs_fold(&cur->s[k], &fs[k]);
		size_t m = 0;
		for (unsigned i = 0; i < 4; i++)
			for (uint64_t x = fs[k].w[i]; x; x &= x - 1)
				mem[k][m++] = (unsigned char)(i * 64 + (unsigned)__builtin_ctzll(x));
		cnt[k] = m;
	}
	/* too many strings: fewer bytes (still a necessary condition) */
	while (n > 1) {
		size_t prod = 1;
		for (int k = 0; k < n && prod <= PF_MAXEXP; k++)
			prod *= cnt[k] ? cnt[k] : 1;
		if (prod <= PF_MAXEXP)
			break;
		n--;
	}
	if (n == 0) {
		t->any = 1;
		return;
	}
	if (b->seen && !b->seen->fail) {
		/* the same (folded, cut) sequence again: nothing new to add */
		pkey key;
		memset(&key, 0, sizeof key);
		key.n = (uint8_t)n;
		key.ws = (uint8_t)(cur->ws != 0);
		int seen = 0;
		for (int k = 0; k < n && !b->seen->fail; k++) {
			long id = set_id(b->seen, &fs[k]);
			if (id < 0)
				b->seen->fail = 1;
			else
				key.id[k] = (uint16_t)id;
		}
		if (!b->seen->fail && (seen = key_seen(b->seen, &key)) < 0)
			b->seen->fail = 1;   /* no memory: enumerate everything */
		if (seen == 1)
			return;
	}
	for (size_t i = 0; i < cnt[0]; i++) {
		unsigned char q[8] = {0};
		q[0] = mem[0][i];
		t->first[q[0]] = 1;
		if (n == 1)
			t->u1[q[0]] = 1;
		else
			emit_rest(t, mem, cnt, n, q, 1);
	}
}

/* The walk keeps one sequence (*cur) and leaves it as it found it: a
 * byte set pushed for a call is popped after it. */
static void walk(pfb *b, const frame *f, pseq *cur, int depth);

static void atom(pfb *b, const rnode *n, const frame *k, pseq *cur, int depth)
{
	switch (n->kind) {
	case RN_EPS:
		walk(b, k, cur, depth + 1);
		return;
	case RN_STOP:
		emit(b, cur);
		return;
	case RN_SET:
		if (n->term) {
			/* a multi-byte character: its lead byte, then nothing known;
			 * an ASCII one: one byte, and the bytes after it line up */
			bset hi, lo;
			memset(&hi, 0, sizeof hi);
			memset(&lo, 0, sizeof lo);
			lo.w[0] = n->set.w[0];
			lo.w[1] = n->set.w[1];
			hi.w[2] = n->set.w[2];
			hi.w[3] = n->set.w[3];
			int nhi = (hi.w[2] | hi.w[3]) != 0, nlo = (lo.w[0] | lo.w[1]) != 0;
			if (nhi) {
				cur->s[cur->n++] = hi;
				emit(b, cur);
				cur->n--;
			}
			if (nlo) {
				cur->s[cur->n++] = lo;
				walk(b, k, cur, depth + 1);
				cur->n--;
			}
			return;
		}
		cur->s[cur->n++] = n->set;
		walk(b, k, cur, depth + 1);
		cur->n--;
		return;
	default:
		for (size_t i = 0; i < n->nalt; i++) {
			const rseq *s = &n->alt[i];
			frame nf = {s, 0, s->n ? s->it[0].min : 0, s->n ? s->it[0].max : 0, k};
			walk(b, &nf, cur, depth + 1);
		}
		return;
	}
}

static void walk(pfb *b, const frame *f, pseq *cur, int depth)
{
	if (b->fail)
		return;
	if (++b->steps > 2000000) {
		b->fail = 1;
		return;
	}
	if (depth > 400 || cur->n == PF_MAXN || !f) {
		emit(b, cur);   /* a shorter prefix is still a necessary condition */
		return;
	}
	if (f->i >= f->s->n) {
		walk(b, f->up, cur, depth + 1);
		return;
	}
	const ritem *it = &f->s->it[f->i];
	const size_t ni = f->i + 1;
	frame next = {f->s, ni, ni < f->s->n ? f->s->it[ni].min : 0, ni < f->s->n ? f->s->it[ni].max : 0, f->up};
	if (cur->n == 0 && it->n->kind == RN_SET) {
		int has_ws;
		if (ws_only(&it->n->set, &has_ws)) {
			/* leading white space: every repetition is absorbed into the
			 * run of white space before the rest */
			if (f->mn <= 0)
				walk(b, &next, cur, depth + 1);
			if (f->mx != 0 && !cur->ws && it->n->term) {
				/* a non-ASCII space opens the match: its lead byte */
				pseq l = *cur;
				memset(&l.s[0], 0, sizeof l.s[0]);
				for (unsigned ch = 0x80; ch < 256; ch++)
					if (bs_has(&it->n->set, ch))
						bs_add(&l.s[0], ch);
				l.n = 1;
				emit(b, &l);
			}
			if (f->mx != 0) {
				const int ws = cur->ws;
				cur->ws = 1;
				walk(b, &next, cur, depth + 1);
				cur->ws = ws;
			}
			return;
		}
		if (has_ws && cur->ws) {
			/* white space, partly: after a run, anything may start */
			emit(b, cur);
			return;
		}
	}
	if (f->mn <= 0)
		walk(b, &next, cur, depth + 1);
	if (f->mx != 0) {
		frame rest = {f->s, f->i, f->mn > 0 ? f->mn - 1 : 0, f->mx > 0 ? f->mx - 1 : -1, f->up};
		atom(b, it->n, &rest, cur, depth + 1);
	}
}

/* add the raw bytes that may start a match of filter f to first[] */
static void pf_first(const pfilt *f, uint8_t *first)
{
	for (unsigned ch = 0; ch < 256; ch++)
		first[ch] |= (uint8_t)(f->main.first[pf_fold(ch)] | (f->ws && (ch == ' ' || (ch >= 9 && ch <= 13))));
}

/* Build the filter of one list from its (expanded) entries. */
static void pf_build(pfilt *f, const char *const *pats, size_t n, unsigned flags, uint32_t *tri,
                     const unsigned char *tcls, uint16_t *quad, int id)
{
	memset(f, 0, sizeof *f);
	f->main.tri = tri;
	f->main.quad = quad;
	f->main.tcls = tcls;
	f->main.lbit = (uint16_t)(1u << id);
	f->word = (flags & LF_WORDS) != 0;
	pseen seen;
	memset(&seen, 0, sizeof seen);
	for (size_t i = 0; i < n; i++) {
		rparse r = {pats[i], pats[i] + strlen(pats[i]), (flags & LF_CASELESS) != 0, 0, NULL};
		rnode *g = parse_alt(&r, 0);
		int ok = g && !r.fail && r.p == r.end;
		if (ok) {
			pfb b = {f, 0, 0, &seen};
			pseq cur;
			memset(&cur, 0, sizeof cur);
			atom(&b, g, NULL, &cur, 0);
			ok = !b.fail;
		}
		rn_free_all(&r);
		if (!ok) {
			pseen_free(&seen);
			return;   /* usable stays 0 */
		}
	}
	pseen_free(&seen);
	f->usable = !f->main.any;
}

static int compile_list(state *st, const nl_config *cfg, int id, const char *say)
{
	const list_def *d = &LISTS[id];
	plist *l = &st->lists[id];
	if (!l->n)
		return 0;   /* an empty list never matches */
	char *alt = join(l);
	if (!alt)
		return NL_ENOMEM;
	size_t first_at, delta;
	char *x = expand(alt, say ? say : "x", &first_at, &delta);
	free(alt);
	if (!x)
		return NL_ENOMEM;
	const char *pre = (d->flags & LF_WORDS) ? "(?<![\\p{L}\\p{N}_'\\x{2019}-])(?:" : "(?:";
	const char *post = (d->flags & LF_WORDS) ? ")(?![\\p{L}\\p{N}_])" : ")";
	size_t n = strlen(pre) + strlen(x) + strlen(post) + 1;
	char *full = malloc(n);
	if (!full) {
		free(x);
		return NL_ENOMEM;
	}
	snprintf(full, n, "%s%s%s", pre, x, post);
	free(x);
	int err;
	PCRE2_SIZE off;
	/* a list only ever matched at a given position is compiled anchored:
	 * the JIT then runs it (PCRE2_ANCHORED at match time would not) */
	uint32_t opts = compile_opts(d->flags) | ((d->flags & LF_ANCHORED) ? PCRE2_ANCHORED : 0);
	if (d->flags & LF_ANCHORED)
		l->code = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
	else
		l->acode = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED, opts | PCRE2_ANCHORED, &err, &off, NULL);
	if (l->acode) {
		/* the plain code: the same text, unanchored, compiled when needed */
		l->full = full;
		l->opts = opts;
		full = NULL;
		l->pf = calloc(1, sizeof *l->pf);
		char **pats = calloc(l->n, sizeof *pats);
		int ok = l->pf && pats && l->acode;
		for (size_t i = 0; ok && i < l->n; i++) {
			size_t fa, dl;
			pats[i] = expand(l->e[i].pat, say ? say : "x", &fa, &dl);
			ok = pats[i] != NULL;
		}
		if (ok) {
			l->pats = pats;      /* built by build_filters() */
			pats = NULL;
		} else if (l->pf) {
			l->pf->usable = 0;
		}
		for (size_t i = 0; pats && i < l->n; i++)
			free(pats[i]);
		free(pats);
		if (!l->pf)
			return NL_ENOMEM;
	}
	free(full);
	if (!l->code && !l->acode) {
		/* find the culprit: compile each entry alone */
		for (size_t i = 0; i < l->n; i++) {
			int rc = check_entry(st, cfg, d, &l->e[i], say);
			if (rc)
				return rc;
		}
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		st->host->cfg_error(cfg, NULL, "list %s does not compile as one alternation: %s", d->key, (const char *)msg);
		return NL_ECONFIG;
	}
	atomic_init(&st->lz->lc[2 * id + SLOT_MAIN].base, l->code ? l->code : l->acode);
	return 0;
}

static int load_list(state *st, const nl_config *cfg, int id)
{
	const nl_host *h = st->host;
	const list_def *d = &LISTS[id];
	plist *l = &st->lists[id];
	char key[64], path[4096];
	int rc;

	snprintf(key, sizeof key, "%s_file", d->key);
	const char *file = h->cfg_get(cfg, key);
	const char *inl = h->cfg_get(cfg, d->key);
	if (file && inl) {
		h->cfg_error(cfg, key, "give either %s or %s, not both", d->key, key);
		return NL_ECONFIG;
	}
	if (inl) {
		rc = push_value(l, d->key, inl);
		if (rc)
			return rc;
	} else {
		if (file) {
			if (!h->cfg_path(cfg, file, path, sizeof path)) {
				h->cfg_error(cfg, key, "path too long");
				return NL_ECONFIG;
			}
		} else if ((size_t)snprintf(path, sizeof path, "%s/attribution/%s", h->rules_dir(), d->file) >= sizeof path) {
			h->cfg_error(cfg, NULL, "rules folder path too long");
			return NL_ECONFIG;
		}
		read_ctx c = {l, path};
		rc = h->read_list(path, read_cb, &c);
		if (rc == NL_EIO) {
			if (file)
				h->cfg_error(cfg, key, "cannot read '%s'", path);
			return NL_ECONFIG;
		}
		if (rc)
			return rc;
	}
	snprintf(key, sizeof key, "%s_add", d->key);
	/* every _add line counts: walk all keys, not only the last value */
	size_t nk = h->cfg_count(cfg);
	for (size_t i = 0; i < nk; i++) {
		if (strcmp(h->cfg_key(cfg, i), key) == 0) {
			rc = push_value(l, key, h->cfg_value(cfg, i));
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ASCII characters of the word bounds' look-behind [\p{L}\p{N}_'\x{2019}-] */
static int ascii_word(unsigned ch)
{
	return ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '\'' || ch == '-';
}

static int ascii_ws(unsigned ch)
{
	return ch == ' ' || (ch >= 9 && ch <= 13);
}

static void jit_stack_free(void *js)
{
	pcre2_jit_stack_free(js);
}

static void destroy(void *vst)
{
	state *st = vst;
	if (!st)
		return;
	if (st->lz && st->lz->th_started && !atomic_load(&st->lz->pf_done))
		pthread_join(st->lz->th, NULL);
	for (int i = 0; i < N_LISTS; i++) {
		for (size_t k = 0; st->lists[i].pats && k < st->lists[i].n; k++)
			free(st->lists[i].pats[k]);
		free(st->lists[i].pats);
		list_clear(&st->lists[i]);
		free(st->lists[i].e);
		pcre2_code_free(st->lists[i].code);
		pcre2_code_free(st->lists[i].acode);
		free(st->lists[i].full);
		if (st->lists[i].pf)
			free(st->lists[i].pf->ws);
		free(st->lists[i].pf);
	}
	if (st->jit_key_ok) {
		/* worker threads are joined (their destructors ran); this thread's
		   stack is freed here */
		pcre2_jit_stack *js = pthread_getspecific(st->jit_key);
		if (js)
			pcre2_jit_stack_free(js);
		pthread_key_delete(st->jit_key);
	}
	if (st->lz) {
		for (int i = 0; i < 2 * N_LISTS; i++) {
			lcode *lc = &st->lz->lc[i];
			pcre2_code_free(atomic_load(&lc->jit[0]));
			pcre2_code_free(atomic_load(&lc->jit[1]));
			if (i % 2 == SLOT_PLAIN)
				pcre2_code_free(atomic_load(&lc->base));   /* the others are the lists' */
		}
		if (st->lz->mu_ok)
			pthread_mutex_destroy(&st->lz->mu);
		if (st->lz->pf_sync_ok) {
			pthread_mutex_destroy(&st->lz->pf_mu);
			pthread_cond_destroy(&st->lz->pf_cv);
		}
		free(st->lz);
	}
	pcre2_match_context_free(st->mctx);
	free(st->pair);
	free(st->tri);
	free(st->quad);
	free(st);
}

/* The prefilter tables: each scanned list's (pf_build), then the table
 * of all lists by the first two bytes.  ~4 ms of CPU for the built-in
 * lists, so create() leaves it to a thread (filters_thread) and check()
 * waits for it (filters_wait): meanwhile the core reads and tokenizes the
 * article and runs the plugins before this one.  The tables are the same
 * either way. */
static int build_filters(state *st)
{
	for (int i = 0; i < N_LISTS; i++) {
		plist *l = &st->lists[i];
		if (!l->pats)
			continue;
		pf_build(l->pf, (const char *const *)l->pats, l->n, LISTS[i].flags, st->tri, st->tcls, st->quad, i);
		for (size_t k = 0; k < l->n; k++)
			free(l->pats[k]);
		free(l->pats);
		l->pats = NULL;
	}
	if (!(st->pair = calloc(65536, sizeof *st->pair)))
		return NL_ENOMEM;
	for (int i = 0; i < N_LISTS; i++) {
		const pfilt *f = st->lists[i].pf;
		if (!f || !f->usable)
			continue;
		const uint32_t sure = 1u << i, deep = 1u << (16 + i);
		st->pf_lists |= 1u << i;
		pf_first(f, st->first_all);
		if (f->ws)
			st->ws_lists |= 1u << i;
		if (!f->word)
			st->nonword_lists |= 1u << i;
		const ptab *t = &f->main;
		for (unsigned b0 = 0; b0 < 256; b0++)
			if (t->u1[b0])
				for (unsigned b1 = 0; b1 < 256; b1++)
					st->pair[b0 << 8 | b1] |= sure;
		for (unsigned w = 0; w < 65536 / 64; w++) {
			for (uint64_t x = t->b2[w]; x; x &= x - 1)
				st->pair[w * 64 + (unsigned)__builtin_ctzll(x)] |= sure;
			for (uint64_t x = t->l3[w]; x; x &= x - 1)
				st->pair[w * 64 + (unsigned)__builtin_ctzll(x)] |= deep;
		}
	}
	return 0;
}

static void *filters_thread(void *arg)
{
	state *st = arg;
	int rc = build_filters(st);
	pthread_mutex_lock(&st->lz->pf_mu);
	st->lz->pf_rc = rc;
	atomic_store(&st->lz->pf_ready, 1);
	pthread_cond_broadcast(&st->lz->pf_cv);
	pthread_mutex_unlock(&st->lz->pf_mu);
	return NULL;
}

/* 0 once the prefilter is built, or its error.  The first caller to see
 * it built joins the thread. */
static int filters_wait(const state *st)
{
	lazy *lz = st->lz;
	if (!atomic_load(&lz->pf_done)) {
		pthread_mutex_lock(&lz->pf_mu);
		while (!atomic_load(&lz->pf_ready))
			pthread_cond_wait(&lz->pf_cv, &lz->pf_mu);
		if (lz->th_started && !atomic_load(&lz->pf_done))
			pthread_join(lz->th, NULL);
		atomic_store(&lz->pf_done, 1);
		pthread_mutex_unlock(&lz->pf_mu);
	}
	return lz->pf_rc;
}

static int create(const nl_host *host, const nl_config *cfg, void **out)
{
	state *st = calloc(1, sizeof *st);
	if (!st)
		return NL_ENOMEM;
	st->host = host;
	if (!(st->lz = calloc(1, sizeof *st->lz))) {
		free(st);
		return NL_ENOMEM;
	}
	for (int i = 0; i < 2 * N_LISTS; i++) {
		atomic_init(&st->lz->lc[i].base, NULL);
		for (int m = 0; m < 2; m++) {
			atomic_init(&st->lz->lc[i].jit[m], NULL);
			atomic_init(&st->lz->lc[i].uses[m], 0);
			atomic_init(&st->lz->lc[i].tried[m], 0);
		}
	}
	st->lz->mu_ok = pthread_mutex_init(&st->lz->mu, NULL) == 0;
	for (unsigned ch = 0; ch < 256; ch++)
		st->tcls[ch] = (unsigned char)tri_class(ch);
	if (!(st->tri = calloc(1u << TRI_BITS, sizeof *st->tri)) || !(st->quad = calloc(1u << QUAD_BITS, sizeof *st->quad))) {
		destroy(st);
		return NL_ENOMEM;
	}
	int rc = 0;
	long ml, dl;
	if ((rc = host->cfg_int(cfg, "quote_min_words", D_QUOTE_MIN_WORDS, 1, 1000, &st->quote_min_words)) ||
	    (rc = host->cfg_int(cfg, "scare_max_words", D_SCARE_MAX_WORDS, 0, 50, &st->scare_max_words)) ||
	    (rc = host->cfg_int(cfg, "inherit_paragraphs", D_INHERIT_PARAGRAPHS, 0, 50, &st->inherit_paragraphs)) ||
	    (rc = host->cfg_int(cfg, "naming_window", D_NAMING_WINDOW, 0, 20, &st->naming_window)) ||
	    (rc = host->cfg_int(cfg, "say_window", D_SAY_WINDOW, 0, 20, &st->say_window)) ||
	    (rc = host->cfg_int(cfg, "partial_window", D_PARTIAL_WINDOW, 0, 200, &st->partial_window)) ||
	    (rc = host->cfg_int(cfg, "statistic_lookback", D_STAT_LOOKBACK, 0, 20, &st->stat_lookback)) ||
	    (rc = host->cfg_int(cfg, "match_limit", D_MATCH_LIMIT, 1000, 100000000, &ml)) ||
	    (rc = host->cfg_int(cfg, "depth_limit", D_DEPTH_LIMIT, 100, 10000000, &dl)))
		goto fail;
	if (st->scare_max_words >= st->quote_min_words) {
		host->cfg_error(cfg, "scare_max_words", "must be below quote_min_words (%ld)", st->quote_min_words);
		rc = NL_ECONFIG;
		goto fail;
	}
	for (int i = 0; i < N_LISTS; i++)
		if ((rc = load_list(st, cfg, i)))
			goto fail;
	/* {say}: the speech and loaded verbs as one alternation */
	plist both = {0};
	for (int k = 0; k < 2 && !rc; k++) {
		const plist *l = &st->lists[k == 0 ? L_SAY : L_LOADED];
		for (size_t i = 0; i < l->n && !rc; i++)
			rc = list_push(&both, l->e[i].pat, strlen(l->e[i].pat), l->e[i].origin, l->e[i].line);
	}
	char *say = rc ? NULL : join(&both);
	list_clear(&both);
	free(both.e);
	if (!rc && !say)
		rc = NL_ENOMEM;
	for (int i = 0; i < N_LISTS && !rc; i++)
		rc = compile_list(st, cfg, i, say && *say ? say : "(?!)");
	free(say);
	if (rc)
		goto fail;
	st->mctx = pcre2_match_context_create(NULL);
	st->jit_key_ok = pthread_key_create(&st->jit_key, jit_stack_free) == 0;
	if (!st->mctx || !st->lz->mu_ok) {
		rc = NL_ENOMEM;
		goto fail;
	}
	for (unsigned ch = 0; ch < 256; ch++) {
		st->wordb[ch] = (uint8_t)ascii_word(ch);
		st->fold[ch] = pf_fold(ch);
	}
	/* the longest look-behind of all the lists (in characters: 4 bytes each) */
	st->margin = 64;
	for (int i = 0; i < N_LISTS; i++) {
		uint32_t lb = 0;
		const pcre2_code *lc = st->lists[i].code ? st->lists[i].code : st->lists[i].acode;
		if (lc && pcre2_pattern_info(lc, PCRE2_INFO_MAXLOOKBEHIND, &lb) == 0 &&
		    4 * (size_t)lb + 16 > st->margin)
			st->margin = 4 * (size_t)lb + 16;
	}
	pcre2_set_match_limit(st->mctx, (uint32_t)ml);
	pcre2_set_depth_limit(st->mctx, (uint32_t)dl);
	/* the prefilter: on a thread of its own, while the core reads the
	 * article and runs the other plugins (check() waits for it) */
	lazy *lz = st->lz;
	if (pthread_mutex_init(&lz->pf_mu, NULL) == 0) {
		if (pthread_cond_init(&lz->pf_cv, NULL) == 0)
			lz->pf_sync_ok = 1;
		else
			pthread_mutex_destroy(&lz->pf_mu);
	}
	if (lz->pf_sync_ok && pthread_create(&lz->th, NULL, filters_thread, st) == 0) {
		lz->th_started = 1;
	} else {
		if ((rc = build_filters(st)))
			goto fail;
		atomic_store(&lz->pf_ready, 1);
		atomic_store(&lz->pf_done, 1);
	}
	*out = st;
	return 0;
fail:
	destroy(st);
	return rc;
}

/* ---- per-check context ------------------------------------------------------- */
typedef struct span {
	uint32_t a, b;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

typedef struct ctx {
	const state *st;
	const nl_doc *doc;
	nl_sink *sink;
	spans mask;              /* the masked stretches (quotations, markup names), in order */
	size_t len;
	size_t margin;           /* bytes a match may look back */
	char *wbuf;              /* the masked text of the scan's current stretch */
	char *xbuf;              /* the masked text around one match (grows) */
	size_t xcap;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	int jit_on;              /* the JIT stack is assigned to mctx */
	unsigned pend[2 * N_LISTS][2];  /* uses of each code and mode not yet added to its lcode */
	size_t chunk;            /* the scan's stretch: the whole text up to SCAN_WHOLE bytes */
	spans say, naming, naming_as, src, anon, vague, stat, stat_src, loaded;
	uint64_t *cb[3];         /* content tokens (a reporter's word): bit per token, per 64, per 4096 */
	size_t cbn[3];           /* words in each level */
	uint32_t q_first_end;    /* the quotation judged: end of the first quotation of its paragraph before it */
	int q_after_before;      /* ... an earlier one of its paragraph has "..., Name said" */
	int oom;
	int filters_ok;          /* no U+017F / U+212A in the text (see the prefilter) */
} ctx;

/* The thread's JIT stack, made once per thread, assigned to this check's
 * match context before the first JIT-compiled code runs.  Returns 0 if
 * there is none (the JIT code then uses PCRE2's small default stack, and a
 * pattern that needs more falls back to the interpreter). */
static void jit_stack_on(ctx *c)
{
	const state *st = c->st;
	c->jit_on = 1;
	c->jit = st->jit_key_ok ? pthread_getspecific(st->jit_key) : NULL;
	if (!c->jit) {
		c->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
		if (c->jit && st->jit_key_ok && pthread_setspecific(st->jit_key, c->jit) != 0) {
			pcre2_jit_stack_free(c->jit);
			c->jit = NULL;
		}
	}
	if (c->jit)
		pcre2_jit_stack_assign(c->mctx, NULL, c->jit);
}

/* JIT-compile a copy of lc's code for mode m (once, whoever gets here first). */
static void jit_now(lazy *lz, lcode *lc, int m)
{
	pthread_mutex_lock(&lz->mu);
	if (!atomic_load_explicit(&lc->tried[m], memory_order_relaxed)) {
		pcre2_code *base = atomic_load_explicit(&lc->base, memory_order_relaxed);
		pcre2_code *j = base ? pcre2_code_copy(base) : NULL;
		if (j && pcre2_jit_compile(j, m == MODE_PARTIAL ? PCRE2_JIT_PARTIAL_HARD : PCRE2_JIT_COMPLETE) != 0) {
			pcre2_code_free(j);   /* no JIT here: stay with the interpreter */
			j = NULL;
		}
		if (j)
			atomic_store_explicit(&lc->jit[m], j, memory_order_release);
		atomic_store_explicit(&lc->tried[m], 1, memory_order_release);
	}
	pthread_mutex_unlock(&lz->mu);
}

/* The plain (unanchored) code of scanned list id, compiled when first needed. */
static pcre2_code *plain_now(const state *st, int id)
{
	lcode *lc = &st->lz->lc[2 * id + SLOT_PLAIN];
	pthread_mutex_lock(&st->lz->mu);
	pcre2_code *b = atomic_load_explicit(&lc->base, memory_order_relaxed);
	if (!b && st->lists[id].full) {
		int err;
		PCRE2_SIZE off;
		b = pcre2_compile((PCRE2_SPTR)st->lists[id].full, PCRE2_ZERO_TERMINATED, st->lists[id].opts, &err, &off, NULL);
		if (b)
			atomic_store_explicit(&lc->base, b, memory_order_release);
	}
	pthread_mutex_unlock(&st->lz->mu);
	return b;
}

/* The code to match list id with (slot SLOT_MAIN: the anchored code;
 * SLOT_PLAIN: the plain one) in mode m (MODE_PARTIAL: with
 * PCRE2_PARTIAL_HARD), counting the use; NULL if there is none. */
static const pcre2_code *code_for(ctx *c, int id, int slot, int m)
{
	const int k = 2 * id + slot;
	lcode *lc = &c->st->lz->lc[k];
	pcre2_code *j = atomic_load_explicit(&lc->jit[m], memory_order_acquire);
	if (j) {
		if (!c->jit_on)
			jit_stack_on(c);
		return j;
	}
	pcre2_code *b = atomic_load_explicit(&lc->base, memory_order_acquire);
	if (!b) {
		if (slot != SLOT_PLAIN)
			return NULL;
		if (!(b = plain_now(c->st, id))) {
			if (c->st->lists[id].full)
				c->oom = 1;   /* it compiled in create(): no memory */
			return NULL;
		}
	}
	/* the run's uses so far: added up every USE_FLUSH uses (and at the
	 * end of a check), read at a check's first use, so that a code used
	 * less than USE_FLUSH times in each document is JIT-compiled too */
	const unsigned p = ++c->pend[k][m];
	if (p >= USE_FLUSH || p == 1) {
		unsigned n;
		if (p >= USE_FLUSH) {
			n = atomic_fetch_add_explicit(&lc->uses[m], p, memory_order_relaxed) + p;
			c->pend[k][m] = 0;
		} else {
			n = atomic_load_explicit(&lc->uses[m], memory_order_relaxed);
		}
		if (n >= JIT_AFTER && !atomic_load_explicit(&lc->tried[m], memory_order_acquire)) {
			jit_now(c->st->lz, lc, m);
			if ((j = atomic_load_explicit(&lc->jit[m], memory_order_acquire))) {
				if (!c->jit_on)
					jit_stack_on(c);
				return j;
			}
		}
	}
	return b;
}

/* pcre2_match() of a code from code_for() at start (<= len) of s, with
 * options o (PCRE2_NO_UTF_CHECK, maybe PCRE2_PARTIAL_HARD): a JIT-compiled
 * code goes straight to pcre2_jit_match(), where pcre2_match() would send
 * it after checks these arguments always pass (300,000 calls on the
 * benchmark archive); any other code (pcre2_jit_match() says so), to
 * pcre2_match(). */
static int rmatch(const ctx *c, const pcre2_code *code, const char *s, size_t len, size_t start, uint32_t o)
{
	int rc = pcre2_jit_match(code, (PCRE2_SPTR)s, len, start, o, c->md, c->mctx);
	if (rc != PCRE2_ERROR_JIT_BADOPTION)
		return rc;
	return pcre2_match(code, (PCRE2_SPTR)s, len, start, o, c->md, c->mctx);
}

static void spans_push(ctx *c, spans *s, uint32_t a, uint32_t b)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		span *v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			c->oom = 1;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (span){a, b};
}

/* ---- the masked text ----------------------------------------------------------
 * The reporter's words: the text with every quotation (marks included) and
 * every markup tag / attribute name blanked to spaces (new lines kept),
 * byte for byte.  It is never stored whole: c->mask lists the blanked
 * stretches, and the bytes are made where they are read. */

/* index of the first masked stretch ending after pos */
static size_t mask_lb(const ctx *c, size_t pos)
{
	size_t lo = 0, hi = c->mask.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->mask.v[mid].b <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int masked(const ctx *c, size_t pos)
{
	size_t i = mask_lb(c, pos);
	return i < c->mask.n && c->mask.v[i].a <= pos;
}

/* the masked byte at pos */
static char mch(const ctx *c, size_t pos)
{
	char ch = c->doc->text[pos];
	return masked(c, pos) && ch != '\n' ? ' ' : ch;
}

/* the masked bytes of [a, b) into dst */
static void mfill(const ctx *c, size_t a, size_t b, char *dst)
{
	if (b <= a)
		return;
	memcpy(dst, c->doc->text + a, b - a);
	for (size_t i = mask_lb(c, a); i < c->mask.n && c->mask.v[i].a < b; i++) {
		size_t s = c->mask.v[i].a > a ? c->mask.v[i].a : a;
		size_t e = c->mask.v[i].b < b ? c->mask.v[i].b : b;
		for (size_t k = s; k < e; k++)
			if (dst[k - a] != '\n')
				dst[k - a] = ' ';
	}
}

/* a continuation byte of a UTF-8 character in the masked text? */
static int mcont(const ctx *c, size_t pos)
{
	return ((unsigned char)c->doc->text[pos] & 0xC0) == 0x80 && !masked(c, pos);
}

/* a character boundary of the masked text at or before pos */
static size_t mstart(const ctx *c, size_t pos)
{
	while (pos > 0 && mcont(c, pos))
		pos--;
	return pos;
}

/* ... at or after pos (up to end) */
static size_t mend(const ctx *c, size_t pos, size_t end)
{
	while (pos < end && mcont(c, pos))
		pos++;
	return pos;
}

static int xreserve(ctx *c, size_t n)
{
	if (n <= c->xcap)
		return 0;
	size_t cap = c->xcap ? c->xcap : 4096;
	while (cap < n)
		cap *= 2;
	char *x = realloc(c->xbuf, cap);
	if (!x) {
		c->oom = 1;
		return -1;
	}
	c->xbuf = x;
	c->xcap = cap;
	return 0;
}

/* pcre2_match over the masked text as if [0, end) were the subject: on a
 * window from a little before pos (the patterns' look-behind) that grows
 * while PCRE2 reports it reached the window's end (PCRE2_PARTIAL_HARD).
 * The match is returned in *ms / *me. */
static int wmatch(ctx *c, int id, int slot, size_t pos, size_t end, uint32_t opts, size_t *ms, size_t *me)
{
	size_t w0 = mstart(c, pos > c->margin ? pos - c->margin : 0);
	size_t span = 512;
	for (;;) {
		size_t w1 = end - pos > span ? mend(c, pos + span, end) : end;
		if (xreserve(c, w1 - w0 + 1))
			return PCRE2_ERROR_NOMEMORY;
		mfill(c, w0, w1, c->xbuf);
		uint32_t o = opts | PCRE2_NO_UTF_CHECK | (w1 < end ? PCRE2_PARTIAL_HARD : 0);
		const pcre2_code *code = code_for(c, id, slot, w1 < end ? MODE_PARTIAL : MODE_COMPLETE);
		if (!code)
			return PCRE2_ERROR_NOMATCH;
		int rc = (o & PCRE2_NO_JIT) ? pcre2_match(code, (PCRE2_SPTR)c->xbuf, w1 - w0, pos - w0, o, c->md, c->mctx)
		                            : rmatch(c, code, c->xbuf, w1 - w0, pos - w0, o);
		if (rc == PCRE2_ERROR_PARTIAL && w1 < end) {
			span *= 4;
			continue;
		}
		if (rc >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
			*ms = ov[0] + w0;
			*me = ov[1] + w0;
		}
		return rc;
	}
}

/* Match list id at exactly position pos of subject (anchored), the subject
 * ending at end; returns the end of the match or 0. */
static size_t match_in(ctx *c, const char *subject, int id, size_t pos, size_t end)
{
	if (pos >= end)
		return 0;
	const pcre2_code *code = code_for(c, id, SLOT_MAIN, MODE_COMPLETE);
	if (!code)
		return 0;
	/* the code is compiled anchored; should the JIT give up (its own
	 * limits), the interpreter answers as it always did */
	int rc = rmatch(c, code, subject, end, pos, PCRE2_NO_UTF_CHECK);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
		rc = pcre2_match(code, (PCRE2_SPTR)subject, end, pos, PCRE2_NO_JIT | PCRE2_NO_UTF_CHECK, c->md, c->mctx);
	if (rc <= 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	return ov[1] > pos ? ov[1] : 0;
}

/* ... in the masked text (the reporter's words) */
static size_t match_at(ctx *c, int id, size_t pos, size_t end)
{
	if (pos >= end || !(c->st->lists[id].code || c->st->lists[id].acode))
		return 0;
	size_t ms, me;
	int rc = wmatch(c, id, SLOT_MAIN, pos, end, 0, &ms, &me);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_NOMEMORY)
		rc = wmatch(c, id, SLOT_MAIN, pos, end, PCRE2_NO_JIT, &ms, &me);
	if (rc <= 0)
		return 0;
	return me > pos ? me : 0;
}

/* The first match from pos on in the masked text (unanchored), window by
 * window: no match starting in a window (PCRE2 did not reach its end)
 * sends the search on to the next one. */
static int search_from(ctx *c, int id, size_t pos, size_t *ms, size_t *me)
{
	const size_t len = c->len;
	size_t span = 65536;
	while (pos < len) {
		size_t w0 = mstart(c, pos > c->margin ? pos - c->margin : 0);
		size_t w1 = len - pos > span ? mend(c, pos + span, len) : len;
		if (xreserve(c, w1 - w0 + 1))
			return PCRE2_ERROR_NOMEMORY;
		mfill(c, w0, w1, c->xbuf);
		uint32_t o = PCRE2_NO_UTF_CHECK | (w1 < len ? PCRE2_PARTIAL_HARD : 0);
		const pcre2_code *code = code_for(c, id, SLOT_PLAIN, w1 < len ? MODE_PARTIAL : MODE_COMPLETE);
		if (!code)
			return PCRE2_ERROR_NOMATCH;
		int rc = rmatch(c, code, c->xbuf, w1 - w0, pos - w0, o);
		if (rc == PCRE2_ERROR_PARTIAL && w1 < len) {
			span *= 4;   /* a match may go on past the window */
			continue;
		}
		if (rc == PCRE2_ERROR_NOMATCH && w1 < len) {
			pos = w1;
			span = 65536;
			continue;
		}
		if (rc >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
			*ms = ov[0] + w0;
			*me = ov[1] + w0;
		}
		return rc;
	}
	return PCRE2_ERROR_NOMATCH;
}

/* One step of the plain scan: the first match from pos on.  Returns where
 * to go on, or SIZE_MAX when done. */
static size_t scan_step(ctx *c, int id, size_t pos, spans *out, int *limits)
{
	size_t ms, me;
	int rc = search_from(c, id, pos, &ms, &me);
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_NOMEMORY)
		return SIZE_MAX;
	if (rc < 0) {
		/* a match or depth limit (a pattern gone wild on this text):
		 * skip one character and go on, but give up after a few */
		if (++*limits > 32)
			return SIZE_MAX;
		pos++;
	} else {
		if (me > ms)
			spans_push(c, out, (uint32_t)ms, (uint32_t)me);
		pos = me > pos ? me : pos + 1;
	}
	return mend(c, pos, c->len);
}

/* All matches of list id in the masked text, in order (the plain scan). */
static void scan(ctx *c, int id, spans *out)
{
	const plist *l = &c->st->lists[id];
	if (!l->acode)
		return;
	size_t pos = 0;
	int limits = 0;
	while (pos < c->len && !c->oom)
		pos = scan_step(c, id, pos, out, &limits);
}

/* A high bit in every byte of the 8 (byte i of x: bits 8i .. 8i+7) that
 * is no word byte of the look-behind (ascii_word()), none in the others. */
static inline uint64_t nonword8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, hi = 0x8080808080808080ull, lo7 = 0x7F7F7F7F7F7F7F7Full;
	const uint64_t v = x & lo7;   /* the bytes without their high bit: no carries below */
#define GE(y, c) (((y) + (0x80 - (c)) * ones) & hi)
#define LE(y, c) (~((y) + (0x7F - (c)) * ones) & hi)
#define EQ(y, c) (~((((y) ^ (c) * ones) + lo7) | ((y) ^ (c) * ones)) & hi)
	const uint64_t y = v | 0x2020202020202020ull;
	const uint64_t word = ((GE(y, 'a') & LE(y, 'z')) | (GE(v, '0') & LE(v, '9')) |
	                       EQ(v, '_') | EQ(v, '\'') | EQ(v, '-')) & ~x;
#undef GE
#undef LE
#undef EQ
	return ~word & hi;
}

/* The positions base .. base + 63 (below end) with no word byte before
 * them (or that are the start of the text), where a word-bounded match may
 * start: bit i for base + i.  wb[i - w0] is the byte at i, readable for
 * w0 <= i < readable; inside, eight nonword8() whose high bits a multiply
 * gathers, near the window's ends a byte at a time. */
static inline uint64_t start_bits(const unsigned char *wb, size_t w0, size_t readable, size_t base, size_t end,
				  const uint8_t *wordb)
{
	const size_t n = end - base < 64 ? end - base : 64;
	uint64_t bits = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (base > w0 && base + 63 <= readable) {
		for (int k = 0; k < 8; k++) {
			uint64_t x;
			memcpy(&x, wb + (base + 8 * (size_t)k - 1 - w0), 8);   /* the bytes before base + 8k .. */
			bits |= ((nonword8(x) >> 7) * 0x0102040810204080ull >> 56) << (8 * k);
		}
		return n < 64 ? bits & (((uint64_t)1 << n) - 1) : bits;
	}
#endif
	for (size_t i = 0; i < n; i++) {
		const size_t p = base + i;
		if (p == 0 || !wordb[wb[p - 1 - w0]])
			bits |= (uint64_t)1 << i;
	}
	return bits;
}

#define SCAN_CHUNK 65536
#define SCAN_WHOLE (4u << 20)   /* a text up to this size is scanned in one window */
#define SCAN_TAIL 4096

/* Several lists at once: one pass over the text for all the filtered ones
 * (each keeps its own position, as its own scan would), the others plainly.
 * The pass goes chunk by chunk over the masked text; a match that needs
 * more than the chunk's window is redone on a bigger one (wmatch). */
static void scan_all(ctx *c, const int *ids, spans *const *outs, size_t k)
{
	const state *st = c->st;
	const size_t len = c->len;
	const uint8_t *wordb = st->wordb;
	const unsigned char *fold = st->fold;
	const uint32_t *pair = st->pair;
	/* by list id: where its scan is, its output, its limit count */
	size_t pos[N_LISTS];
	spans *out[N_LISTS];
	int limits[N_LISTS];
	unsigned am = 0;         /* the lists of this pass (bit = id) */
	for (size_t i = 0; i < k; i++) {
		const int id = ids[i];
		const plist *l = &st->lists[id];
		if (!l->acode)
			continue;
		if (!((st->pf_lists >> id) & 1) || !c->filters_ok) {
			scan(c, id, outs[i]);
			continue;
		}
		pos[id] = 0;
		out[id] = outs[i];
		limits[id] = 0;
		am |= 1u << id;
	}
	/* bytes that may start a match of any of the lists, and whether all
	 * of them start only after a non-word character */
	uint8_t firstv[256];
	const uint8_t *first = st->first_all;   /* every list wanted: made once, in create() */
	int all_word = (am & st->nonword_lists) == 0;
	if (am != st->pf_lists) {
		memset(firstv, 0, sizeof firstv);
		for (unsigned m = am; m; m &= m - 1)
			pf_first(st->lists[__builtin_ctz(m)].pf, firstv);
		first = firstv;
	}
	for (size_t c0 = 0; c0 < len && am && !c->oom;) {
		size_t c1 = len - c0 > c->chunk ? mend(c, c0 + c->chunk, len) : len;
		size_t w0 = mstart(c, c0 > c->margin ? c0 - c->margin : 0);
		size_t w1 = len - c1 > SCAN_TAIL ? mend(c, c1 + SCAN_TAIL, len) : len;
		mfill(c, w0, w1, c->wbuf);
		memset(c->wbuf + (w1 - w0), 0, PF_MAXN);
		const unsigned char *wb = (const unsigned char *)c->wbuf;   /* wb[p - w0]: the byte at p */
#define M(p) wb[(p) - w0]
		const uint32_t popt = PCRE2_NO_UTF_CHECK | (w1 < len ? PCRE2_PARTIAL_HARD : 0);
		size_t runend = 0;
		/* the positions to try, in order: every one, or (all_word) only
		 * those after a non-word byte, 64 at a time (start_bits()) */
		uint64_t sbits = 0;
		size_t sbase = c0, snext = c0;
		for (;;) {
			size_t p;
			if (all_word) {
				while (!sbits) {
					if (snext >= c1 || !am || c->oom)
						goto chunk_done;
					sbase = snext;
					sbits = start_bits(wb, w0, w1 + PF_MAXN, sbase, c1, wordb);
					snext = sbase + 64;
				}
				p = sbase + (size_t)__builtin_ctzll(sbits);
				sbits &= sbits - 1;
			} else {
				if (snext >= c1 || !am || c->oom)
					break;
				p = snext++;
			}
			unsigned ch = M(p);
			if (!first[ch])
				continue;
			/* with all_word, start_bits() gave a position with no word byte before it */
			const int inword = !all_word && p > 0 && wordb[M(p - 1)];
			const unsigned b0 = fold[ch], b1 = fold[M(p + 1)];
			/* the lists whose main table may let a match start here, and
			 * those with a white-space table when a white space is here */
			const uint32_t e = pair[b0 << 8 | b1];
			/* the longer strings, all lists at once: their first 3 bytes
			 * (and the lengths of such strings), then their 4th byte (or
			 * their end); only the lists pair[] sends on keep their bits.
			 * Looked up at every position, without branches: whether
			 * pair[] sends on is a coin toss the CPU mispredicts, and the
			 * tables are small and hot. */
			const unsigned b2 = fold[M(p + 2)];
			const uint32_t tv = st->tri[tri_slot(TRI_KEY(st->tcls, b0, b1, b2))];
			const uint32_t deep = e >> 16 & tv & ((uint32_t)st->quad[quad_key(b0, b1, b2, fold[M(p + 3)])] |
			                                      st->quad[quad_key(b0, b1, b2, 256)]);
			unsigned may = (e | deep) & am;
			if (ascii_ws(ch))
				may |= st->ws_lists & am;
			if (inword)
				may &= st->nonword_lists;
			if (!may)
				continue;
			phash ph;
			ph.done = -1;   /* made when first needed */
			for (; may; may &= may - 1) {
				const int id = __builtin_ctz(may);
				if (pos[id] > p)
					continue;
				const plist *l = &st->lists[id];
				const pfilt *f = l->pf;
				const ptab *t = &f->main, *w = f->ws;
				/* pt_cand_h(t, ...) with the first two bytes looked up in pair */
				int cand = (e >> id) & 1;
				if (!cand && ((deep >> id) & 1)) {
					if (ph.done < 0)
						ph_init_all(&ph, wb + (p - w0));
					cand = pt_tn(t, &ph, tv >> 16);
				}
				if (!cand && w && ascii_ws(ch)) {
					if (w->any) {
						cand = 1;
					} else {
						if (runend <= p) {
							runend = p;
							while (runend < w1 && ascii_ws(M(runend)))
								runend++;
						}
						if (runend < w1) {
							unsigned d = M(runend);
							cand = d >= 0x80 || pt_cand_h(w, fold[d], fold[M(runend + 1)],
										      wb + (runend - w0));
						} else {
							cand = w1 < len;   /* the run goes on past the window */
						}
					}
				}
				if (!cand)
					continue;
				size_t ms = 0, me = 0;
				const pcre2_code *code = code_for(c, id, SLOT_MAIN, w1 < len ? MODE_PARTIAL : MODE_COMPLETE);
				int rc = rmatch(c, code, c->wbuf, w1 - w0, p - w0, popt);
				if (rc >= 0) {
					PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
					ms = ov[0] + w0;
					me = ov[1] + w0;
				} else if (rc == PCRE2_ERROR_PARTIAL) {
					rc = wmatch(c, id, SLOT_MAIN, p, len, 0, &ms, &me);
				}
				if (rc == PCRE2_ERROR_NOMATCH) {
					pos[id] = p + 1;
					continue;
				}
				if (rc < 0) {
					/* a limit: this step as the plain scan takes it */
					pos[id] = scan_step(c, id, pos[id], out[id], &limits[id]);
				} else {
					if (me > ms)
						spans_push(c, out[id], (uint32_t)ms, (uint32_t)me);
					pos[id] = me > pos[id] ? me : pos[id] + 1;
					pos[id] = mend(c, pos[id], len);
				}
				if (pos[id] == SIZE_MAX || pos[id] >= len)
					am &= ~(1u << id);   /* this list is done */
			}
		}
chunk_done:
		c0 = c1;
#undef M
	}
}

/* index of the first span with a >= pos */
static size_t lower_bound(const spans *s, uint32_t pos)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->v[mid].a < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is there a span starting in [a, b)? */
static int any_in(const spans *s, uint32_t a, uint32_t b)
{
	size_t i = lower_bound(s, a);
	return i < s->n && s->v[i].a < b;
}

/* ---- token helpers ----------------------------------------------------------- */
static int is_wordish(const nl_token *t)
{
	return t->kind == NL_TOK_WORD || t->kind == NL_TOK_NUMBER;
}

/* index of the first token with off >= pos */
static size_t tok_at(const nl_doc *d, uint32_t pos)
{
	size_t lo = 0, hi = d->n_tokens;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->tokens[mid].off < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* index of the sentence holding pos (the last one starting at or before it) */
static size_t sent_at(const nl_doc *d, uint32_t pos)
{
	size_t lo = 0, hi = d->n_sentences;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->sentences[mid].off <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/* Reporter's word tokens (outside quotations) in [a, b), counted up to
 * max + 1 (callers only compare with small windows; this keeps a huge
 * sentence linear). */
static size_t words_upto(const nl_doc *d, uint32_t a, uint32_t b, size_t max)
{
	size_t n = 0;
	for (size_t i = tok_at(d, a); i < d->n_tokens && d->tokens[i].off < b; i++)
		if (is_wordish(&d->tokens[i]) && !(d->tokens[i].flags & NL_TF_IN_QUOTE))
			if (++n > max)
				break;
	return n;
}

/* Does a span of s end within `window` reporter's words before pos (and
 * after lo)?  With gap_check, the words between must not be gap words nor
 * possessives ("said on KVLY's" is not "said"). With only_articles, the words
 * between may only be a/an/the. */
static int ends_before(ctx *c, const spans *s, uint32_t lo, uint32_t pos, long window, int gap_check, int only_articles)
{
	size_t i = lower_bound(s, pos);
	while (i > 0) {
		const span *sp = &s->v[--i];
		if (sp->b > pos)
			continue;
		if (sp->a < lo)
			return 0;
		const nl_doc *d = c->doc;
		size_t n = 0;
		int bad = 0;
		for (size_t k = tok_at(d, sp->b); k < d->n_tokens && d->tokens[k].off < pos; k++) {
			const nl_token *t = &d->tokens[k];
			if (!is_wordish(t) || (t->flags & NL_TF_IN_QUOTE))
				continue;
			if (++n > (size_t)window)
				return 0;
			if (gap_check) {
				size_t e = match_at(c, L_GAP, t->off, t->off + t->len);
				if (e == t->off + t->len)
					bad = 1;
				if (t->flags & NL_TF_APOSTROPHE) {
					const char *w = c->doc->text + t->off;
					size_t L = t->len;
					if ((L >= 2 && w[L - 2] == '\'' && (w[L - 1] == 's' || w[L - 1] == 'S')) ||
					    (L >= 4 && memcmp(w + L - 4, "\xE2\x80\x99s", 4) == 0))
						bad = 1;
				}
			}
			if (only_articles) {
				char f[8];
				size_t fl = c->st->host->fold(d->text + t->off, t->len, f, sizeof f);
				if (!((fl == 1 && f[0] == 'a') || (fl == 2 && !memcmp(f, "an", 2)) || (fl == 3 && !memcmp(f, "the", 3))))
					bad = 1;
			}
		}
		return n <= (size_t)window && !bad;
	}
	return 0;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Last non-space byte of the masked text in [a, b), or 0 (a masked
 * stretch is all space: skipped at once). */
static char last_char(const ctx *c, uint32_t a, uint32_t b)
{
	while (b > a) {
		size_t i = mask_lb(c, b - 1);
		if (i < c->mask.n && c->mask.v[i].a <= b - 1) {
			b = c->mask.v[i].a > a ? c->mask.v[i].a : a;
			continue;
		}
		char ch = c->doc->text[b - 1];
		if (!is_space(ch))
			return ch;
		b--;
	}
	return 0;
}

/* The highest set bit at or below i in level lv of the content bitset, or
 * SIZE_MAX: a few words per level (the levels above say which words of the
 * level below are not empty). */
static size_t cb_prev(const ctx *c, int lv, size_t i)
{
	const uint64_t *v = c->cb[lv];
	size_t w = i >> 6;
	uint64_t x = v[w] & (((i & 63) == 63) ? ~(uint64_t)0 : (((uint64_t)1 << ((i & 63) + 1)) - 1));
	if (x)
		return (w << 6) + 63 - (size_t)__builtin_clzll(x);
	if (w == 0)
		return SIZE_MAX;
	size_t pw;
	if (lv == 2) {
		pw = w;
		while (pw > 0 && !v[pw - 1])
			pw--;
		if (pw == 0)
			return SIZE_MAX;
		pw--;
	} else {
		pw = cb_prev(c, lv + 1, w - 1);   /* the last non-empty word before w */
		if (pw == SIZE_MAX)
			return SIZE_MAX;
	}
	return (pw << 6) + 63 - (size_t)__builtin_clzll(v[pw]);
}

/* Any of the reporter's words (a token whose masked text has a letter or a
 * digit) starting in [a, b)?  The last such token before b, through the
 * content bitset (a bit per token instead of an offset per token). */
static int has_content(const ctx *c, uint32_t a, uint32_t b)
{
	size_t k = tok_at(c->doc, b);
	if (k == 0 || b <= a)
		return 0;
	size_t j = cb_prev(c, 0, k - 1);
	return j != SIZE_MAX && c->doc->tokens[j].off >= a;
}

/* A byte of one of the reporter's words: a letter, a digit, any non-ASCII. */
static inline int content_byte(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || ch >= 0x80;
}

static int content_token(const ctx *c, const nl_token *t, size_t *mi)
{
	/* tokens come in order: the masked stretches are walked along */
	if (*mi > 0 && *mi <= c->mask.n && (*mi == c->mask.n || c->mask.v[*mi].a > t->off) &&
	    c->mask.v[*mi - 1].b > t->off)
		*mi = mask_lb(c, t->off);   /* out of order: look it up */
	while (*mi < c->mask.n && c->mask.v[*mi].b <= t->off)
		(*mi)++;
	size_t j = *mi;
	/* most tokens: a word's first byte, not masked */
	if ((j == c->mask.n || c->mask.v[j].a > t->off) && t->off < c->len &&
	    content_byte((unsigned char)c->doc->text[t->off]))
		return 1;
	for (uint32_t i = t->off; i < t->off + t->len && i < c->len; i++) {
		while (j < c->mask.n && c->mask.v[j].b <= i)
			j++;
		char mc = c->doc->text[i];
		if (j < c->mask.n && c->mask.v[j].a <= i && mc != '\n')
			mc = ' ';
		unsigned char ch = (unsigned char)mc;
		if (content_byte(ch))
			return 1;
	}
	return 0;
}

/* End of the reporter's sentence that goes on after pos: the first . ! ?
 * followed by white space (or the paragraph end). */
static uint32_t clause_end(const ctx *c, uint32_t pos, uint32_t pend)
{
	uint32_t stop = pend - pos > 400 ? pos + 400 : pend;   /* a clause is short */
	char m[402];
	uint32_t fe = stop + 1 < pend ? stop + 1 : pend;
	mfill(c, pos, fe, m);
	for (uint32_t i = pos; i < stop; i++) {
		char ch = m[i - pos];
		if ((ch == '.' || ch == '!' || ch == '?') && (i + 1 >= pend || is_space(m[i + 1 - pos])))
			return i + 1;
	}
	return stop;
}

/* ---- quotations ---------------------------------------------------------------- */
typedef struct qinfo {
	const nl_quote *q;
	const nl_paragraph *p;
	uint32_t pend;           /* paragraph end */
	uint32_t sstart;         /* start of the sentence holding the opening mark */
	uint32_t qend;           /* after the closing mark */
	uint32_t aend;           /* end of the clause after the quotation */
	size_t words;            /* white-space separated words inside */
	int heading;
	int pstart;              /* the paragraph opens with it */
	int embedded;            /* reporter's words before it in its sentence */
	int title;               /* title case: a title or a name */
	int lower;               /* first letter lower case */
	int allcap;              /* every word capitalised (small words aside) */
	int has_letters;
	int trail_attr;          /* ends with , ? ! (inside or right after the mark) */
} qinfo;

static size_t count_words(const char *s, size_t n)
{
	size_t w = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_space(s[i]) || (unsigned char)s[i] == 0xA0 || ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
			in = 0;
		} else if (!in) {
			in = 1;
			w++;
		}
	}
	return w;
}

static void quote_info(ctx *c, const nl_quote *q, qinfo *qi)
{
	const nl_doc *d = c->doc;
	memset(qi, 0, sizeof *qi);
	qi->q = q;
	qi->p = &d->paragraphs[q->paragraph];
	qi->pend = qi->p->off + qi->p->len;
	qi->qend = q->off + q->len;
	if (qi->qend > qi->pend)
		qi->qend = qi->pend;
	qi->heading = (qi->p->flags & (NL_PF_HEADING | NL_PF_TITLE)) != 0;
	const nl_sentence *s = &d->sentences[sent_at(d, q->off)];
	qi->sstart = (s->off <= q->off && s->off >= qi->p->off) ? s->off : qi->p->off;
	qi->aend = clause_end(c, qi->qend, qi->pend);
	qi->words = count_words(d->text + q->inner_off, q->inner_len);
	/* only quotations (or nothing) before it in the paragraph: the
	 * paragraph opens with quotations */
	qi->pstart = !has_content(c, qi->p->off, q->off);
	qi->embedded = !qi->pstart && has_content(c, qi->sstart, q->off);
	/* case of the words inside */
	size_t nw = 0, ncap = 0, nsmall_lower = 0;
	int first_cap = -1;
	int small_only = 1;   /* every lower-case word so far a small title word */
	for (uint32_t k = q->first_token; k < q->first_token + q->n_tokens && k < d->n_tokens; k++) {
		const nl_token *t = &d->tokens[k];
		if (t->kind != NL_TOK_WORD)
			continue;
		uint32_t cp;
		c->st->host->utf8_next(d->text + t->off, t->len, &cp);
		if (!c->st->host->is_alpha(cp))
			continue;
		int cap = c->st->host->is_upper(cp);
		if (first_cap < 0)
			first_cap = cap;
		nw++;
		if (cap)
			ncap++;
		else if (!small_only)
			;   /* not all capitalised already: no need to ask (a PCRE2 call a word) */
		else if (match_in(c, d->text, L_TITLE_SMALL, t->off, t->off + t->len) == t->off + t->len)
			nsmall_lower++;
		else
			small_only = 0;
	}
	qi->has_letters = nw > 0;
	qi->lower = first_cap == 0;
	qi->allcap = nw > 0 && ncap + nsmall_lower == nw;
	qi->title = qi->allcap && first_cap == 1 && !qi->heading;
	/* trailing , ? ! */
	const char *in = d->text + q->inner_off;
	size_t n = q->inner_len;
	while (n && is_space(in[n - 1]))
		n--;
	char lastc = n ? in[n - 1] : 0;
	qi->trail_attr = lastc == ',' || lastc == '?' || lastc == '!' ||
	                 (qi->qend < qi->pend && d->text[qi->qend] == ',');
}

/* "..., he said" right after the quotation.  A title woven into the
 * sentence ("on KVLY's 'Valley Today,' Roe said") is not what the
 * following verb reports: only a title that opens its sentence counts. */
static int attribution_after(ctx *c, const qinfo *qi)
{
	if (!qi->trail_attr)
		return 0;
	if (qi->allcap && qi->embedded)
		return 0;
	return match_at(c, L_AFTER, qi->qend, qi->aend) != 0;
}

/* a [Source] tag right after it */
static int source_tag_after(const ctx *c, const qinfo *qi)
{
	uint32_t i = qi->qend;
	while (i < qi->pend) {
		size_t s = mask_lb(c, i);
		if (s < c->mask.n && c->mask.v[s].a <= i) {
			i = c->mask.v[s].b;   /* masked: spaces */
			continue;
		}
		if (!is_space(c->doc->text[i]))
			break;
		i++;
	}
	if (i >= qi->pend || mch(c, i) != '[')
		return 0;
	char m[82];
	uint32_t e = i + 82 < qi->pend ? i + 82 : qi->pend;
	mfill(c, i, e, m);
	for (uint32_t k = i + 1; k < e; k++) {
		if (m[k - i] == ']')
			return k > i + 1;
		if (m[k - i] == '\n')
			return 0;
	}
	return 0;
}

static int say_in(const ctx *c, uint32_t a, uint32_t b)
{
	return any_in(&c->say, a, b);
}

/* A speech verb right before pos: no word and at most a few bytes of
 * punctuation between ("said, \"...\"", "declared \"...\""). */
static int say_adjacent(ctx *c, uint32_t lo, uint32_t pos)
{
	size_t i = lower_bound(&c->say, pos);
	while (i > 0) {
		const span *sp = &c->say.v[--i];
		if (sp->b > pos)
			continue;
		if (sp->a < lo)
			return 0;
		return pos - sp->b <= 6 && words_upto(c->doc, sp->b, pos, 0) == 0;
	}
	return 0;
}

/* Does the speaker of a quotation that opens paragraph pi come from the
 * paragraphs before it (a speech verb there, or a closing colon), going back
 * over paragraphs that hold nothing but quotations? */
static int inherited(const ctx *c, size_t pi)
{
	const nl_doc *d = c->doc;
	for (long k = 1; k <= c->st->inherit_paragraphs && (size_t)k <= pi; k++) {
		const nl_paragraph *p = &d->paragraphs[pi - (size_t)k];
		uint32_t a = p->off, b = p->off + p->len;
		if (say_in(c, a, b))
			return 1;
		if (last_char(c, a, b) == ':')
			return 1;
		if (has_content(c, a, b))
			return 0;
	}
	return 0;
}

/* Earlier in the paragraph a quotation and a speech verb after it: a
 * quotation opening a later sentence continues the same speaker. */
static int continues_speech(ctx *c, const qinfo *qi)
{
	uint32_t first_end = c->q_first_end;
	return first_end != UINT32_MAX && first_end <= qi->q->off && say_in(c, first_end, qi->q->off);
}

/* Any colon before a long quotation in its sentence: "The statement:
 * '...'", "Roe said: '...'" -- a long quotation after a colon is introduced. */
static int colon_before(const ctx *c, const qinfo *qi)
{
	uint32_t a = qi->q->off - qi->sstart > 600 ? qi->q->off - 600 : qi->sstart;
	if (qi->q->off <= a)
		return 0;
	char m[601];
	mfill(c, a, qi->q->off, m);
	return memchr(m, ':', qi->q->off - a) != NULL;
}

/* "Name: '...'" or "X said: '...'": a colon before the quotation in its
 * sentence, right after a capitalised word or after a speech verb. */
static int colon_speaker(ctx *c, const qinfo *qi)
{
	const nl_doc *d = c->doc;
	uint32_t a = qi->q->off - qi->sstart > 300 ? qi->q->off - 300 : qi->sstart;
	char m[301];
	mfill(c, a, qi->q->off, m);
	for (uint32_t i = a; i < qi->q->off; i++) {
		if (m[i - a] != ':')
			continue;
		if (say_in(c, qi->sstart, i))
			return 1;
		size_t k = tok_at(d, i);
		if (k > 0) {
			const nl_token *t = &d->tokens[k - 1];
			if (t->kind == NL_TOK_WORD && (t->flags & (NL_TF_CAPITALIZED | NL_TF_ALLCAPS)) &&
			    !(t->flags & NL_TF_IN_QUOTE) && t->off + t->len == i)
				return 1;
		}
	}
	return 0;
}

/* A speech verb in the quotation's sentence within `window` reporter's
 * words of it (before or after). */
static int say_near(ctx *c, const qinfo *qi, long window)
{
	/* the nearest speech verb before it ... */
	size_t i = lower_bound(&c->say, qi->q->off);
	while (i > 0) {
		const span *sp = &c->say.v[--i];
		if (sp->a < qi->sstart)
			break;
		if (sp->b <= qi->q->off) {
			if (words_upto(c->doc, sp->b, qi->q->off, (size_t)window) <= (size_t)window)
				return 1;
			break;
		}
	}
	/* ... and the nearest after it, in the clause */
	i = lower_bound(&c->say, qi->qend);
	if (i < c->say.n && c->say.v[i].a < qi->aend &&
	    words_upto(c->doc, qi->qend, c->say.v[i].a, (size_t)window) <= (size_t)window)
		return 1;
	return 0;
}

/* An earlier quotation of the paragraph with "..., Name verb-ed" after it:
 * a later quotation opening a sentence continues that speaker. */
static int long_continues(ctx *c, const qinfo *qi)
{
	(void)qi;
	return c->q_after_before;
}

/* The next paragraph is a signature: "- Jane Roe." / "— Jane Roe, tweeting". */
static int dash_signature(const ctx *c, uint32_t pi)
{
	const nl_doc *d = c->doc;
	if (pi + 1 >= d->n_paragraphs)
		return 0;
	const nl_paragraph *p = &d->paragraphs[pi + 1];
	const unsigned char *s = (const unsigned char *)d->text + p->off;
	size_t n = p->len, i = 0;
	if (n >= 1 && (s[0] == '-' || s[0] == '~'))
		i = 1;
	else if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94))
		i = 3;   /* en or em dash */
	else
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	uint32_t cp;
	if (i >= n)
		return 0;
	c->st->host->utf8_next((const char *)s + i, n - i, &cp);
	return c->st->host->is_upper(cp) && p->len < 120;
}

/* Is this (long) quotation attributed?  0 if not, else the number of the
 * test that found the speaker (handy when tuning). */
static int long_attributed(ctx *c, const qinfo *qi)
{
	const nl_quote *q = qi->q;
	if (ends_before(c, &c->naming, qi->sstart, q->off, c->st->naming_window, 0, 0))
		return 1;
	if (colon_before(c, qi))
		return 2;
	if (source_tag_after(c, qi))
		return 3;
	if (qi->title) {
		/* a title or a name: only a speech verb right before it, or an
		 * attribution right after it, makes it someone's words */
		if (say_adjacent(c, qi->sstart, q->off))
			return 4;
		return attribution_after(c, qi);
	}
	if (qi->lower && qi->embedded)
		return 5;   /* a partial quotation woven into the sentence: its subject speaks */
	if (say_in(c, qi->p->off, qi->pend))
		return 6;
	if (!qi->lower && last_char(c, qi->sstart, q->off) == ',')
		return 7;   /* introduced: she shot back, "..." */
	if (attribution_after(c, qi))
		return 8;
	if (qi->pstart && inherited(c, q->paragraph))
		return 9;
	if (!qi->embedded && long_continues(c, qi))
		return 10;
	if (dash_signature(c, q->paragraph))
		return 11;
	return 0;
}

/* Is this short quotation something other than a scare quote?  0 if not,
 * else the number of the test that explained it. */
static int short_explained(ctx *c, const qinfo *qi)
{
	const nl_quote *q = qi->q;
	const state *st = c->st;
	if (ends_before(c, &c->naming, qi->sstart, q->off, st->naming_window, 0, 0))
		return 1;
	if (ends_before(c, &c->say, qi->sstart, q->off, st->say_window, 1, 0))
		return 2;
	/* "...," he said: for a short quotation only when it opens its sentence
	 * (woven into a sentence, the comma after it is the sentence's own) */
	if (!qi->embedded && attribution_after(c, qi))
		return 3;
	if (colon_speaker(c, qi))
		return 4;
	if (ends_before(c, &c->naming_as, qi->sstart, q->off, 1, 0, 1))
		return 5;
	if (qi->has_letters && !qi->allcap && say_near(c, qi, st->partial_window))
		return 6;
	/* the speaker goes on: '"...," Roe said. "Never."' */
	if (!qi->embedded && !qi->pstart && continues_speech(c, qi))
		return 7;   /* a partial quotation in a sentence with a speaker */
	return 0;
}

static void report(ctx *c, const char *rule, uint32_t off, uint32_t len, const char *msg,
                   const nl_span *related, size_t n_related)
{
	nl_finding f = {0};
	f.rule = rule;
	f.off = off;
	f.len = len;
	f.message = msg;
	f.related = related;
	f.n_related = n_related;
	f.severity = NL_SEV_DEFAULT;
	c->st->host->report(c->sink, &f);
}

/* A short excerpt of doc text for a message: at most max bytes, cut on a
 * character boundary, with "..." when cut. */
static void excerpt(const char *s, size_t n, char *out, size_t max)
{
	size_t k = n;
	if (k > max) {
		k = max;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	size_t j = 0;
	for (size_t i = 0; i < k; i++)
		out[j++] = (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') ? ' ' : s[i];
	if (k < n) {
		memcpy(out + j, "...", 3);
		j += 3;
	}
	out[j] = 0;
}

static void check_quotes(ctx *c, int want_long, int want_short)
{
	const nl_doc *d = c->doc;
	const state *st = c->st;
	char msg[600], ex[200];
	/* along the quotations of a paragraph: the end of its first one, and
	 * whether one so far has "..., Name said" after it */
	uint32_t cur = UINT32_MAX, first_end = UINT32_MAX;
	int seen = 0;
	for (size_t i = 0; i < d->n_quotes && !c->oom; i++) {
		const nl_quote *q = &d->quotes[i];
		if (q->paragraph != cur) {
			cur = q->paragraph;
			first_end = UINT32_MAX;
			seen = 0;
		}
		c->q_first_end = first_end;
		c->q_after_before = seen;
		qinfo qi;
		if (!(q->flags & NL_QF_NESTED) && q->paragraph < d->n_paragraphs) {
			if (first_end == UINT32_MAX)
				first_end = q->off + q->len;
			quote_info(c, q, &qi);
			if (attribution_after(c, &qi))
				seen = 1;
		}
		if (q->flags & (NL_QF_NESTED | NL_QF_CONTINUED))
			continue;
		if (q->paragraph >= d->n_paragraphs || !q->inner_len)
			continue;
		/* a stray opening mark (no closing mark, not re-opened in the next
		 * paragraph) is a typo, not a quotation without a speaker */
		if ((q->flags & NL_QF_UNCLOSED) && !(q->flags & NL_QF_CONTINUES))
			continue;
		/* qi: made above (not nested, in a paragraph) */
		/* a quotation over several paragraphs: gather its parts */
		size_t words = qi.words, last = i;
		nl_span rel[16];
		size_t n_rel = 0;
		if (q->flags & NL_QF_CONTINUES) {
			for (size_t k = i + 1; k < d->n_quotes; k++) {
				const nl_quote *r = &d->quotes[k];
				if (r->flags & NL_QF_NESTED)
					continue;
				if (!(r->flags & NL_QF_CONTINUED))
					break;
				words += count_words(d->text + r->inner_off, r->inner_len);
				if (n_rel < 16)
					rel[n_rel++] = (nl_span){r->off, r->len};
				last = k;
				if (!(r->flags & NL_QF_CONTINUES))
					break;
			}
		}
		if (words == 0)
			continue;
		if (words >= (size_t)st->quote_min_words) {
			if (!want_long)
				continue;
			int ok = long_attributed(c, &qi);
			/* a later part of a long quotation may carry the attribution */
			for (size_t k = i + 1; !ok && k <= last; k++) {
				const nl_quote *r = &d->quotes[k];
				if (r->flags & NL_QF_NESTED)
					continue;
				const nl_paragraph *p = &d->paragraphs[r->paragraph];
				if (say_in(c, p->off, p->off + p->len))
					ok = 1;
				else if (k == last) {
					qinfo ri;
					quote_info(c, r, &ri);
					ok = attribution_after(c, &ri);
				}
			}
			if (ok)
				continue;
			excerpt(d->text + q->inner_off, q->inner_len, ex, 60);
			if (qi.title)
				snprintf(msg, sizeof msg,
				         "quotation \"%s\" has no speaker: if these are someone's words, say who said them "
				         "(\"...,\" Jane Roe said); if it is a title or a name, introduce it as one "
				         "(the show/book/slogan \"...\")", ex);
			else
				snprintf(msg, sizeof msg,
				         "quotation of %zu words \"%s\" has no speaker in this paragraph or the one before: "
				         "attribute it in the same sentence (\"...,\" Jane Roe said, or Roe said: \"...\")",
				         words, ex);
			report(c, "unattributed-quote", q->off, q->len, msg, n_rel ? rel : NULL, n_rel);
		} else if (words <= (size_t)st->scare_max_words) {
			if (!want_short)
				continue;
			if (short_explained(c, &qi))
				continue;
			excerpt(d->text + q->inner_off, q->inner_len, ex, 60);
			snprintf(msg, sizeof msg,
			         "\"%s\" in quotation marks with no speaker or naming word reads as a scare quote "
			         "(doubt or irony): drop the marks, or say whose word it is "
			         "(what Jane Roe called \"%s\")", ex, ex);
			report(c, "scare-quote", q->off, q->len, msg, NULL, 0);
		}
	}
}

/* ---- reporter's-text rules ------------------------------------------------------- */

/* Capitalised word right before pos (not the first of its sentence): a named
 * outlet or institution ("the Gallup poll shows"). */
static int named_before(const ctx *c, uint32_t pos)
{
	const nl_doc *d = c->doc;
	size_t k = tok_at(d, pos);
	if (k == 0)
		return 0;
	const nl_token *t = &d->tokens[k - 1];
	if (t->kind != NL_TOK_WORD || (t->flags & NL_TF_IN_QUOTE))
		return 0;
	for (uint32_t i = t->off + t->len; i < pos; i++)
		if (!is_space(d->text[i]))
			return 0;
	return (t->flags & (NL_TF_CAPITALIZED | NL_TF_ALLCAPS)) && !(t->flags & NL_TF_SENT_START);
}

/* "by/from/according to" + a capitalised word within 4 words after pos */
static int named_after(const ctx *c, uint32_t pos, uint32_t end)
{
	const nl_doc *d = c->doc;
	size_t k = tok_at(d, pos);
	int words = 0;
	for (; k < d->n_tokens && d->tokens[k].off < end && words < 5; k++) {
		const nl_token *t = &d->tokens[k];
		if (t->kind != NL_TOK_WORD)
			continue;
		words++;
		char f[16];
		size_t fl = c->st->host->fold(d->text + t->off, t->len, f, sizeof f);
		int intro = (fl == 2 && !memcmp(f, "by", 2)) || (fl == 4 && !memcmp(f, "from", 4));
		if (fl == 9 && !memcmp(f, "according", 9)) {
			intro = 1;
			k++;   /* skip "to" */
		}
		if (intro) {
			for (size_t j = k + 1; j < d->n_tokens && j < k + 3; j++) {
				const nl_token *u = &d->tokens[j];
				if (u->kind != NL_TOK_WORD)
					continue;
				if (u->flags & (NL_TF_CAPITALIZED | NL_TF_ALLCAPS))
					return 1;
				char g[8];
				size_t gl = c->st->host->fold(d->text + u->off, u->len, g, sizeof g);
				if (!(gl == 3 && !memcmp(g, "the", 3)) && !(gl == 1 && g[0] == 'a'))
					break;
			}
		}
	}
	return 0;
}

static int in_heading(const nl_doc *d, uint32_t pos)
{
	const nl_sentence *s = &d->sentences[sent_at(d, pos)];
	if (s->paragraph >= d->n_paragraphs)
		return 0;
	return (d->paragraphs[s->paragraph].flags & (NL_PF_HEADING | NL_PF_TITLE)) != 0;
}

static void check_vague(ctx *c)
{
	const nl_doc *d = c->doc;
	char msg[400], ex[120];
	size_t last_sent = (size_t)-1;
	for (size_t i = 0; i < c->vague.n; i++) {
		span v = c->vague.v[i];
		/* the match may start with punctuation or space (clause-start patterns) */
		for (char ch; v.a < v.b && (is_space(ch = mch(c, v.a)) || ch == ',' || ch == ';' || ch == ':');)
			v.a++;
		size_t si = sent_at(d, v.a);
		if (si == last_sent)
			continue;
		const nl_sentence *s = &d->sentences[si];
		uint32_t send = s->off + s->len;
		if (named_before(c, v.a) || named_after(c, v.b, send > v.b ? send : v.b))
			continue;
		last_sent = si;
		excerpt(d->text + v.a, v.b - v.a, ex, 80);
		snprintf(msg, sizeof msg,
		         "vague source: \"%s\" does not tell the reader who; name the source "
		         "(\"Jane Roe, an economist at Acme Bank, said\") or cut the claim", ex);
		report(c, "vague-source", v.a, v.b - v.a, msg, NULL, 0);
	}
}

/* A name right after the source phrase ("spokesman Josh Earnest", ", Jane
 * Roe,"): two capitalised words, or one after a comma. */
static int name_follows(const ctx *c, uint32_t pos, uint32_t end)
{
	const nl_doc *d = c->doc;
	size_t k = tok_at(d, pos);
	int comma = 0;
	if (k < d->n_tokens && d->tokens[k].kind == NL_TOK_PUNCT && d->tokens[k].len == 1 && d->text[d->tokens[k].off] == ',') {
		comma = 1;
		k++;
	}
	if (k >= d->n_tokens || d->tokens[k].off >= end)
		return 0;
	const nl_token *t = &d->tokens[k];
	if (t->kind != NL_TOK_WORD || !(t->flags & NL_TF_CAPITALIZED) || (t->flags & NL_TF_IN_QUOTE))
		return 0;
	if (comma)
		return 1;
	if (k + 1 < d->n_tokens) {
		const nl_token *u = &d->tokens[k + 1];
		if (u->kind == NL_TOK_WORD && (u->flags & NL_TF_CAPITALIZED) && u->off < end)
			return 1;
	}
	return 0;
}

/* Is the source phrase [a, b) the speaker: a speech verb within 6 words
 * after it ("officials familiar with the talks said") or at most three words before it
 * ("said a senior official", "according to officials")? */
static int source_speaks(const ctx *c, uint32_t a, uint32_t b, uint32_t sa, uint32_t sb)
{
	size_t i = lower_bound(&c->say, b);
	if (i < c->say.n && c->say.v[i].a < sb && words_upto(c->doc, b, c->say.v[i].a, 6) <= 6)
		return 1;
	i = lower_bound(&c->say, a);
	while (i > 0) {
		const span *sp = &c->say.v[--i];
		if (sp->a < sa)
			break;
		if (sp->b <= a)
			return words_upto(c->doc, sp->b, a, 3) <= 3;
	}
	return 0;
}

/* Extend a source-noun match to the left over modifiers (senior, White House,
 * Kremlin ...). */
static uint32_t extend_modifiers(ctx *c, uint32_t a, uint32_t floor)
{
	const nl_doc *d = c->doc;
	size_t k = tok_at(d, a);
	uint32_t best = a;
	for (int steps = 0; k > 0 && steps < 4; steps++) {
		const nl_token *t = &d->tokens[k - 1];
		if (t->off < floor || !is_wordish(t) || (t->flags & NL_TF_IN_QUOTE))
			break;
		/* try one- and two-word modifiers ending at this token */
		uint32_t start = t->off;
		int ok = match_at(c, L_SRC_MOD, start, best) != 0 && match_at(c, L_SRC_MOD, start, best) >= t->off + t->len;
		if (!ok && k >= 2) {
			const nl_token *u = &d->tokens[k - 2];
			if (u->off >= floor && is_wordish(u) && match_at(c, L_SRC_MOD, u->off, best) >= t->off + t->len) {
				start = u->off;
				ok = 1;
				k--;
			}
		}
		if (!ok)
			break;
		best = start;
		k--;
	}
	return best;
}

static void check_anonymous(ctx *c)
{
	const nl_doc *d = c->doc;
	char msg[400], ex[120];
	size_t last_sent = (size_t)-1;
	for (size_t i = 0; i < c->src.n; i++) {
		span v = c->src.v[i];
		size_t si = sent_at(d, v.a);
		if (si == last_sent)
			continue;
		const nl_sentence *s = &d->sentences[si];
		uint32_t send = s->off + s->len;
		if (in_heading(d, v.a))
			continue;
		uint32_t a0 = extend_modifiers(c, v.a, s->off);
		if (!source_speaks(c, a0, v.b, s->off, send))
			continue;
		if (name_follows(c, v.b, send))
			continue;
		/* an explanation of the anonymity in the paragraph */
		const nl_paragraph *p = &d->paragraphs[s->paragraph < d->n_paragraphs ? s->paragraph : 0];
		if (any_in(&c->anon, p->off, p->off + p->len))
			continue;
		uint32_t a = extend_modifiers(c, v.a, s->off);
		/* apposition: "Jane Roe, a senior adviser, said" */
		size_t k = tok_at(d, a);
		if (k >= 2 && d->tokens[k - 1].kind == NL_TOK_PUNCT && d->text[d->tokens[k - 1].off] == ',' &&
		    d->tokens[k - 2].kind == NL_TOK_WORD && (d->tokens[k - 2].flags & NL_TF_CAPITALIZED) &&
		    !(d->tokens[k - 2].flags & NL_TF_IN_QUOTE))
			continue;
		last_sent = si;
		excerpt(d->text + a, v.b - a, ex, 80);
		snprintf(msg, sizeof msg,
		         "anonymous source: \"%s\" names no one and no reason is given; name the source, "
		         "or say why anonymity was granted (\"spoke on condition of anonymity because ...\")", ex);
		report(c, "anonymous-source", a, v.b - a, msg, NULL, 0);
	}
}

/* Is the loaded verb at [a, b) used as attribution? */
static int attribution_use(const ctx *c, uint32_t a, uint32_t b)
{
	const nl_doc *d = c->doc;
	size_t k = tok_at(d, b);
	size_t self = tok_at(d, a);
	/* a capitalised verb inside a sentence is a name or a title ("Roe Revealed", a book) */
	if (self < d->n_tokens && (d->tokens[self].flags & NL_TF_CAPITALIZED) && !(d->tokens[self].flags & NL_TF_SENT_START))
		return 0;
	/* the noun ("his claim that") or the passive ("was revealed to be") */
	if (self > 0) {
		const nl_token *p = &d->tokens[self - 1];
		if (p->kind == NL_TOK_WORD) {
			char f[16];
			size_t fl = c->st->host->fold(d->text + p->off, p->len, f, sizeof f);
			static const char *const PREV[] = {"a", "an", "the", "his", "her", "their", "its", "our", "my", "your",
			                                   "this", "these", "those", "any", "no", "such", "false", "recent", "new",
			                                   "is", "was", "were", "are", "be", "been", "being", "later", "whose", NULL};
			for (int i = 0; PREV[i]; i++)
				if (fl == strlen(PREV[i]) && !memcmp(f, PREV[i], fl))
					return 0;
			if (fl >= 2 && fl < sizeof f && f[fl - 2] == '\'' && f[fl - 1] == 's')
				return 0;
		}
	}
	/* right after a quotation: "...," he claimed / "...," claimed Roe */
	size_t j = tok_at(d, a);
	for (int back = 0; j > 0 && back < 5; back++) {
		const nl_token *t = &d->tokens[--j];
		if (t->flags & NL_TF_QUOTE_MARK)
			return 1;
		if (t->kind == NL_TOK_PUNCT && (d->text[t->off] == '.' || d->text[t->off] == ';'))
			break;
	}
	if (k >= d->n_tokens)
		return 1;
	const nl_token *t = &d->tokens[k];
	if (t->flags & NL_TF_QUOTE_MARK)
		return 1;
	if (t->kind == NL_TOK_PUNCT)
		return d->text[t->off] == ',' || d->text[t->off] == '.' || d->text[t->off] == ':' ||
		       d->text[t->off] == ';';
	if (t->kind != NL_TOK_WORD)
		return 0;
	char f[16];
	size_t fl = c->st->host->fold(d->text + t->off, t->len, f, sizeof f);
	static const char *const NEXT[] = {"that", "he", "she", "they", "it", "we", "i", "there", "this",
	                                   "to", "his", "her", "their", "on", "in", "repeatedly", "again", NULL};
	for (int i = 0; NEXT[i]; i++)
		if (fl == strlen(NEXT[i]) && !memcmp(f, NEXT[i], fl))
			return 1;
	/* "claimed Jane Roe" after a quotation is covered above; "slammed Roe
	 * as" / "blasted the plan": an object, the verb still characterises */
	return 0;
}

static void check_loaded(ctx *c)
{
	const nl_doc *d = c->doc;
	char msg[400], ex[80];
	size_t last_sent = (size_t)-1;
	for (size_t i = 0; i < c->loaded.n; i++) {
		span v = c->loaded.v[i];
		size_t si = sent_at(d, v.a);
		if (si == last_sent || in_heading(d, v.a))
			continue;
		if (match_at(c, L_LOADED_EXC, v.a, c->len))
			continue;
		/* the adverb forms (flatly denied) are always attribution */
		int adverb = 0;
		for (uint32_t k = v.a; k < v.b && !adverb; k++)
			adverb = mch(c, k) == ' ';
		if (!adverb && !attribution_use(c, v.a, v.b))
			continue;
		last_sent = si;
		excerpt(d->text + v.a, v.b - v.a, ex, 60);
		snprintf(msg, sizeof msg,
		         "loaded attribution verb \"%s\" takes sides (doubt, guilt or drama); "
		         "\"said\" is neutral: write \"said\" unless the reporting supports \"%s\"", ex, ex);
		report(c, "loaded-verb", v.a, v.b - v.a, msg, NULL, 0);
	}
}

static void check_statistics(ctx *c)
{
	const nl_doc *d = c->doc;
	char msg[400], ex[80];
	size_t last_sent = (size_t)-1;
	for (size_t i = 0; i < c->stat.n; i++) {
		span v = c->stat.v[i];
		size_t si = sent_at(d, v.a);
		if (si == last_sent || in_heading(d, v.a))
			continue;
		const nl_sentence *s = &d->sentences[si];
		size_t from = si >= (size_t)c->st->stat_lookback ? si - (size_t)c->st->stat_lookback : 0;
		uint32_t a = d->sentences[from].off, b = s->off + s->len;
		if (say_in(c, a, b) || any_in(&c->stat_src, a, b))
			continue;
		/* a source cue may also follow the sentence's end by a quotation's
		 * close ("..." the poll found) */
		last_sent = si;
		excerpt(d->text + v.a, v.b - v.a, ex, 60);
		snprintf(msg, sizeof msg,
		         "statistic \"%s\" has no source in this sentence or the one before: say where it comes from "
		         "(\"according to a Gallup poll released Monday\")", ex);
		report(c, "unsourced-statistic", v.a, v.b - v.a, msg, NULL, 0);
	}
}

static int cmp_span(const void *x, const void *y)
{
	const span *a = x, *b = y;
	return a->a < b->a ? -1 : a->a > b->a;
}

static int ascii_letter(char ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/* The masked stretches: every quotation (marks included), and the markup
 * tag and attribute names (<tweet, author=) outside them -- found as a pass
 * over the text with the quotations blanked would find them: they are not
 * the reporter's words. */
static void build_mask(ctx *c)
{
	const nl_doc *d = c->doc;
	const char *t = d->text;
	const size_t n = c->len;
	spans q = {0}, mk = {0};
	int sorted = 1;
	for (size_t i = 0; i < d->n_quotes; i++) {
		const nl_quote *x = &d->quotes[i];
		if (x->off >= n)
			continue;
		size_t e = (size_t)x->off + x->len;
		if (e > n)
			e = n;
		if (e <= x->off)
			continue;
		if (q.n && x->off < q.v[q.n - 1].a)
			sorted = 0;
		spans_push(c, &q, x->off, (uint32_t)e);
	}
	if (!sorted)
		qsort(q.v, q.n, sizeof *q.v, cmp_span);
	size_t w = 0;
	for (size_t i = 0; i < q.n; i++) {
		if (w && q.v[i].a <= q.v[w - 1].b) {
			if (q.v[i].b > q.v[w - 1].b)
				q.v[w - 1].b = q.v[i].b;
		} else {
			q.v[w++] = q.v[i];
		}
	}
	q.n = w;
	c->mask = q;   /* for mch(): the quotations only, so far */
	size_t qi = 0;
	for (size_t i = 0; i < n && !c->oom; i++) {
		/* only a '<' or a '=' does anything: on to the next one */
		while (i < n && t[i] != '<' && t[i] != '=') {
			if (n - i >= 8) {
				uint64_t x8, lt, eq;
				memcpy(&x8, t + i, 8);
				lt = x8 ^ 0x3C3C3C3C3C3C3C3Cull;
				eq = x8 ^ 0x3D3D3D3D3D3D3D3Dull;
				if (!(((lt - 0x0101010101010101ull) & ~lt) & 0x8080808080808080ull) &&
				    !(((eq - 0x0101010101010101ull) & ~eq) & 0x8080808080808080ull)) {
					i += 8;
					continue;
				}
			}
			i++;
		}
		if (i >= n)
			break;
		while (qi < q.n && q.v[qi].b <= i)
			qi++;
		if (qi < q.n && q.v[qi].a <= i) {
			i = q.v[qi].b - 1;   /* blanked: neither '<' nor '=' */
			continue;
		}
		if (t[i] == '<') {
			size_t j = i + 1;
			if (j < n && mch(c, j) == '/')
				j++;
			size_t k = j;
			for (char ch; k < n && (ascii_letter(ch = mch(c, k)) || ch == '-' || (k > j && ch >= '0' && ch <= '9'));)
				k++;
			char e = k < n ? mch(c, k) : 0;
			if (k > j && (k >= n || e == ' ' || e == '>' || e == '/' || e == '\n')) {
				spans_push(c, &mk, (uint32_t)i, (uint32_t)k);
				i = k - 1;
			}
		} else if (t[i] == '=' && i > 0) {
			/* back over letters; an earlier blanked name is spaces */
			size_t k = i;
			for (char ch; k > 0;) {
				if (mk.n && k - 1 < mk.v[mk.n - 1].b && k - 1 >= mk.v[mk.n - 1].a)
					ch = ' ';
				else
					ch = mch(c, k - 1);
				if (!(ascii_letter(ch) || ch == '-' || ch == '_'))
					break;
				k--;
			}
			char before = ' ';
			if (k > 0)
				before = (mk.n && k - 1 < mk.v[mk.n - 1].b && k - 1 >= mk.v[mk.n - 1].a) ? ' ' : mch(c, k - 1);
			if (k < i && (k == 0 || is_space(before)))
				spans_push(c, &mk, (uint32_t)k, (uint32_t)(i + 1));
		}
	}
	/* both lists in order, and apart (markup names are outside quotations) */
	spans all = {0};
	for (size_t a = 0, b = 0; (a < q.n || b < mk.n) && !c->oom;) {
		if (b >= mk.n || (a < q.n && q.v[a].a <= mk.v[b].a))
			spans_push(c, &all, q.v[a].a, q.v[a].b), a++;
		else
			spans_push(c, &all, mk.v[b].a, mk.v[b].b), b++;
	}
	free(q.v);
	free(mk.v);
	c->mask = all;
}

/* Is s valid UTF-8 as PCRE2 means it (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF)?  What PCRE2's own check said when
 * asked with a pattern that matches nothing, at a fraction of the cost. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while ((i = wk_skip_ascii8(s, i, n)) < n) {
		const unsigned ch = s[i];
		if (ch < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned lo = 0x80, hi = 0xBF;   /* the second byte's range */
		if (ch >= 0xC2 && ch <= 0xDF)
			k = 1;
		else if (ch >= 0xE0 && ch <= 0xEF)
			k = 2, lo = ch == 0xE0 ? 0xA0 : 0x80, hi = ch == 0xED ? 0x9F : 0xBF;
		else if (ch >= 0xF0 && ch <= 0xF4)
			k = 3, lo = ch == 0xF0 ? 0x90 : 0x80, hi = ch == 0xF4 ? 0x8F : 0xBF;
		else
			return 0;
		if (n - i <= k || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t j = 2; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k + 1;
	}
	return 1;
}

static int check(void *vst, const nl_doc *doc, nl_sink *sink)
{
	const state *st = vst;
	const nl_host *h = st->host;
	int want_vague = h->rule_enabled(sink, "vague-source");
	int want_anon = h->rule_enabled(sink, "anonymous-source");
	int want_long = h->rule_enabled(sink, "unattributed-quote");
	int want_short = h->rule_enabled(sink, "scare-quote");
	int want_loaded = h->rule_enabled(sink, "loaded-verb");
	int want_stat = h->rule_enabled(sink, "unsourced-statistic");
	if (!(want_vague || want_anon || want_long || want_short || want_loaded || want_stat))
		return 0;
	int frc = filters_wait(st);
	if (frc)
		return frc;
	if (!doc->text_len || !doc->n_sentences || !doc->n_paragraphs)
		return 0;

	ctx c = {0};
	c.st = st;
	c.doc = doc;
	c.sink = sink;
	c.len = doc->text_len;
	c.margin = st->margin;
	/* + PF_MAXN: the prefilter reads up to 8 bytes past a position */
	/* a text up to SCAN_WHOLE bytes is scanned in one window (no match
	 * ever reaches a window's end before the text's: no partial matching),
	 * a longer one 64 KB at a time */
	c.chunk = c.len <= SCAN_WHOLE ? c.len : SCAN_CHUNK;
	/* (an article's few KB: a buffer of 64 KB or more cost malloc a
	 * consolidation of its free lists, every document) */
	c.wbuf = malloc(c.chunk + SCAN_TAIL + c.margin + 16 + PF_MAXN);
	c.md = pcre2_match_data_create(64, NULL);
	c.mctx = pcre2_match_context_copy(st->mctx);
	/* A JIT stack per thread, made once, when a JIT-compiled code first
	   runs (jit_stack_on): creating and freeing 512 KB per document cost
	   an mmap/munmap pair each, which under -j 2 interrupts the other core. */
	int rc = 0;
	if (!c.wbuf || !c.md || !c.mctx) {
		rc = NL_ENOMEM;
		goto out;
	}
	/* caseless s and k also match U+017F and U+212A: the prefilter only
	 * knows ASCII letters, so a text holding either is scanned plainly */
	c.filters_ok = !wk_has_long_s_kelvin((const unsigned char *)doc->text, c.len);
	build_mask(&c);
	if (c.oom) {
		rc = NL_ENOMEM;
		goto out;
	}
	/* the core hands valid UTF-8; check the masked text once anyway (stretch
	 * by stretch, cut between characters) so NO_UTF_CHECK is safe */
	for (size_t c0 = 0; c0 < c.len;) {
		size_t c1 = c.len - c0 > SCAN_CHUNK ? mend(&c, c0 + SCAN_CHUNK, c.len) : c.len;
		mfill(&c, c0, c1, c.wbuf);
		if (!utf8_ok((const unsigned char *)c.wbuf, c1 - c0))
			goto out;   /* not UTF-8: nothing to say (the core reports it) */
		c0 = c1;
	}
	{
		/* every wanted list in one pass over the text */
		int ids[N_LISTS];
		spans *outs[N_LISTS];
		spans ld = {0};
		size_t k = 0;
		ids[k] = L_SAY, outs[k++] = &c.say;
		ids[k] = L_LOADED, outs[k++] = &ld;
		if (want_long || want_short) {
			ids[k] = L_NAMING, outs[k++] = &c.naming;
			ids[k] = L_NAMING_AS, outs[k++] = &c.naming_as;
		}
		if (want_anon) {
			ids[k] = L_SRC_NOUN, outs[k++] = &c.src;
			ids[k] = L_ANON, outs[k++] = &c.anon;
		}
		if (want_vague)
			ids[k] = L_VAGUE, outs[k++] = &c.vague;
		if (want_stat) {
			ids[k] = L_STAT, outs[k++] = &c.stat;
			ids[k] = L_STAT_SRC, outs[k++] = &c.stat_src;
		}
		scan_all(&c, ids, outs, k);
		/* loaded verbs are SAY cues too: merge them in, keep the order */
		c.loaded = ld;
		if (ld.n && !c.oom) {
			spans all = {0};
			size_t i = 0, j = 0;
			while ((i < c.say.n || j < ld.n) && !c.oom) {
				if (j >= ld.n || (i < c.say.n && c.say.v[i].a <= ld.v[j].a))
					spans_push(&c, &all, c.say.v[i].a, c.say.v[i].b), i++;
				else
					spans_push(&c, &all, ld.v[j].a, ld.v[j].b), j++;
			}
			free(c.say.v);
			c.say = all;
		}
	}
	if (!c.oom && (want_long || want_short)) {
		c.cbn[0] = doc->n_tokens / 64 + 1;
		c.cbn[1] = c.cbn[0] / 64 + 1;
		c.cbn[2] = c.cbn[1] / 64 + 1;
		for (int lv = 0; lv < 3; lv++)
			if (!(c.cb[lv] = calloc(c.cbn[lv], sizeof *c.cb[lv])))
				c.oom = 1;
		size_t mi = 0;   /* the first masked stretch not before the token */
		const nl_token *tk = doc->tokens;
		const unsigned char *tx = (const unsigned char *)doc->text;
		for (size_t k = 0; !c.oom && k < doc->n_tokens; k++) {
			const uint32_t off = tk[k].off, end = off + tk[k].len;
			while (mi < c.mask.n && c.mask.v[mi].b <= off)
				mi++;
			int content = 0;
			if ((mi == c.mask.n || c.mask.v[mi].a >= end) && end <= c.len) {
				/* no byte of it masked (most tokens): content_token() */
				for (uint32_t i = off; i < end && !content; i++)
					content = content_byte(tx[i]);
			} else {
				content = content_token(&c, &tk[k], &mi);
			}
			if (content)
				c.cb[0][k >> 6] |= (uint64_t)1 << (k & 63);
		}
		/* a bit per 64 tokens with content, and per 4096 */
		for (size_t w = 0; w < c.cbn[0]; w++)
			if (c.cb[0][w])
				c.cb[1][w >> 6] |= (uint64_t)1 << (w & 63);
		for (size_t w = 0; w < c.cbn[1]; w++)
			if (c.cb[1][w])
				c.cb[2][w >> 6] |= (uint64_t)1 << (w & 63);
	}
	if (c.oom) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (want_long || want_short)
		check_quotes(&c, want_long, want_short);
	if (want_vague)
		check_vague(&c);
	if (want_anon)
		check_anonymous(&c);
	if (want_loaded)
		check_loaded(&c);
	if (want_stat)
		check_statistics(&c);
	if (c.oom)
		rc = NL_ENOMEM;
out:
	for (int k = 0; k < 2 * N_LISTS; k++)
		for (int m = 0; m < 2; m++)
			if (c.pend[k][m])
				atomic_fetch_add_explicit(&st->lz->lc[k].uses[m], c.pend[k][m], memory_order_relaxed);
	free(c.mask.v);
	free(c.wbuf);
	free(c.xbuf);
	free(c.say.v);
	free(c.loaded.v);
	free(c.naming.v);
	free(c.naming_as.v);
	free(c.src.v);
	free(c.anon.v);
	free(c.vague.v);
	free(c.stat.v);
	free(c.stat_src.v);
	for (int lv = 0; lv < 3; lv++)
		free(c.cb[lv]);
	pcre2_match_data_free(c.md);
	pcre2_match_context_free(c.mctx);
	if (!st->jit_key_ok)
		pcre2_jit_stack_free(c.jit);
	return rc;
}

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_attribution = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = "attribution",
	.version = "1.0.0",
	.summary = "unsourced claims, vague and anonymous sources, quotations without a speaker",
	.rules = RULES,
	.n_rules = N_RULES,
	.config_keys = CONFIG_KEYS,
	.create = create,
	.check = check,
	.destroy = destroy,
	.dynamic_rules = NULL,
};
