/* doc.c -- the document model: text -> tokens, sentences, paragraphs
 * (headings and the title included) and quotations, all as byte spans into
 * the unmodified input buffer.  One tokenizer for every plugin.
 *
 * How it works, in order:
 *  1. Blocks.  Plain text: lines are split with memchr; if the document has
 *     a blank line between two non-blank lines, blank lines separate
 *     paragraphs and single newlines are soft wraps (except inside a block
 *     whose lines are too long to be hard-wrapped (> 120 bytes), and at list
 *     bullets, which start a list-item paragraph); otherwise every line is a
 *     paragraph (unless the text looks hard-wrapped: then newlines are soft
 *     and indented lines start paragraphs).  Markdown: md4c's callbacks give
 *     the prose runs of each block (code, HTML, link URLs, image alt text
 *     and markup are never tokenized).
 *  2. Tokens of one paragraph (a single pass over its bytes, ASCII fast path).
 *  3. Headings: Markdown from md4c (the first block if it is a heading,
 *     else the first '#' heading, is the title; a file without any takes a
 *     short unpunctuated first line).  Plain text by shape (plain_heading()):
 *     the first line is the title when it has <= 25 words (40 in Title Case)
 *     and is not two short sentences ("We came. We saw."); "Headline;\nDeck"
 *     at the top splits, the deck never being a heading; a subheading is a
 *     one-line paragraph of <= 12 words, capitalised, without final
 *     . ! ? : ; , (closing quotes and brackets looked through), not a quote,
 *     bracket, bullet or numbered item, not the last paragraph; "## Title"
 *     lines count too.  Runs of 3+ such lines are a list, not headings.
 *  4. Quotations (a stack per paragraph; an unclosed quotation is settled
 *     when the next paragraph is seen: re-opened there -> CONTINUES/
 *     CONTINUED, otherwise UNCLOSED).
 *  5. Sentences (terminal punctuation + space + capital/quote, abbreviation
 *     and initial aware; never across paragraphs).
 *
 * Decisions worth knowing (plugins rely on them):
 *  - A word starts with a letter and may contain digits ("COVID-19", "G7"),
 *    inner apostrophes ' ’ (and a misused ‘) between letters, inner hyphens
 *    followed by a letter or digit, and dotted abbreviations of 1-2 letter
 *    segments keep their periods, the final one included ("U.S.", "a.m.",
 *    "Ph.D.", "U.S.-led").  "Mr." is the word "Mr" plus a "." token.
 *  - A number starts with a digit, or with a currency sign directly before a
 *    digit ("$5", "€3.5m" are ONE number token); it keeps inner . , : / between
 *    digits, letter suffixes ("2nd", "1990s"), a final '%', inner hyphens
 *    ("10-year-old", "2015-16") and apostrophes ("1990's").
 *  - Punctuation is one character per token, except "..." / ". . ." / "…"
 *    (ellipsis), "--" runs and "—" runs (dash), and runs of 3+ of one mark
 *    ("***", "!!!"; "##").  Quotes and brackets are always single.
 *  - URLs: http(s)://, ftp://, www., and bare domains with a common TLD
 *    written in lower case ("breitbart.com"); trailing .,;:!?' and unbalanced
 *    ) ] are not part of a URL.  E-mail addresses, @handles, #hashtags (need
 *    a letter: "#2" is '#' + number).
 *  - A CONTINUES quotation is not UNCLOSED (re-opening the next paragraph is
 *    the AP convention, not an error); UNCLOSED means really unclosed.
 *  - Paragraphs without any token (a Markdown paragraph holding only code)
 *    are dropped, and so are paragraphs of marks only ("* * *", "———",
 *    section breaks) with their tokens; a paragraph's span runs from its
 *    first to its last token.
 *  - Every token belongs to exactly one sentence; a sentence never ends
 *    before it holds a word ("1." of a numbered line does not end one).
 *  - SENT_START marks the first word (or number) of each sentence, and also
 *    a capitalised first word inside a quotation (He said, “We won.”): its
 *    capital is explained by its position, not by being a name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <md4c.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "doc.h"
#include "words.h"

/* ---- growable arrays ------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elsz)
{
	size_t nc;
	void *np;
	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	if (nc > SIZE_MAX / elsz)
		return NL_ENOMEM;
	np = realloc(*p, nc * elsz);
	if (!np)
		return NL_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

typedef struct doc_impl {
	nl_doc pub;                 /* first: nl_doc_free casts back */
	char *path_copy;
	nl_token *tok;     size_t ntok, captok;
	nl_sentence *sent; size_t nsent, capsent;
	nl_paragraph *par; size_t npar, cappar;
	nl_quote *q;       size_t nq, capq;
	nl_doc_words *words;        /* word numbers (words.c), or NULL */
} doc_impl;

#define RUN_ENTITY 0x10000u      /* private run flag: a Markdown entity */
#define ROLE_OPEN  1
#define ROLE_CLOSE 2
#define QSTACK 16

enum { QT_DSTRAIGHT = 1, QT_DCURLY, QT_SSTRAIGHT, QT_SCURLY, QT_GUILL, QT_LOW9, QT_SLOW9 };

typedef struct builder {
	doc_impl *d;
	const unsigned char *s;     /* the text */
	uint32_t len;
	int format;
	uint32_t last_end;          /* end of the last token (LINE_START) */
	uint32_t run_flags;         /* flags given to tokens of the current run */
	uint8_t *role;  size_t caprole;  /* per-token scratch of one paragraph */
	uint64_t *scand; size_t capscand; /* bit per token: may end a sentence (emit) */
	size_t nwords;
	size_t nqcand;              /* punctuation tokens since the last paragraph that
	                               may be quotation marks (quote_first) */
	int have_title;
	/* unclosed quotations of the previous paragraph, outermost first */
	uint32_t pend[QSTACK];
	uint8_t pend_type;
	int npend;
	/* a run of consecutive plain-text subheadings (demoted at 3) */
	size_t sub_run, sub_run_start;
	int deck_next;              /* the next paragraph is the deck under the headline */
	size_t cl_from, cl_at;      /* single_has_closer: no candidate in [cl_from, cl_at) */
	/* Markdown state */
	struct run { uint32_t off, end, flags; } *runs;
	size_t nruns, capruns;
	int md_para_open;
	uint16_t md_pflags, md_level;
	int md_quote, md_li, md_img, md_link;
	int md_fallback_title;      /* paragraph 0 is a title by shape, not by '#' */
	size_t md_first_h1;         /* index+1 of the first level-1 heading */
	int err;
} builder;

/* ---- character classes ------------------------------------------------ */

enum { A_SPACE = 1, A_LETTER, A_DIGIT, A_PUNCT, A_SYMBOL };

/* Classes of the ASCII bytes (a constant table: nl_doc_build runs on
 * several threads at once). */
#define SP A_SPACE
#define LE A_LETTER
#define DI A_DIGIT
#define PU A_PUNCT
#define SY A_SYMBOL
static const unsigned char aclass[128] = {
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, PU, PU, PU, SY, PU, PU, PU,
	PU, PU, PU, SY, PU, PU, PU, PU,
	DI, DI, DI, DI, DI, DI, DI, DI,
	DI, DI, PU, PU, SY, SY, SY, PU,
	PU, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, PU, PU, PU, SY, PU,
	SY, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, LE, LE, LE, LE, LE,
	LE, LE, LE, PU, SY, PU, SY, SP,
};
#undef SP
#undef LE
#undef DI
#undef PU
#undef SY

static inline uint32_t dec(const unsigned char *s, uint32_t i, uint32_t end, uint32_t *cp)
{
	if (s[i] < 0x80) {
		*cp = s[i];
		return 1;
	}
	return (uint32_t)nl_utf8_next((const char *)s + i, end - i, cp);
}

static int is_space_cp(uint32_t cp)
{
	if (cp < 0x80)
		return aclass[cp] == A_SPACE;
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

/* Combining marks and joiners: they continue whatever precedes them. */
static int is_mark_cp(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
	       (cp >= 0x0591 && cp <= 0x05C7 && cp != 0x05BE && cp != 0x05C0 && cp != 0x05C3 && cp != 0x05C6) ||
	       (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
	       (cp >= 0x06D6 && cp <= 0x06DC) || (cp >= 0x06DF && cp <= 0x06E4) ||
	       (cp >= 0x06E7 && cp <= 0x06E8) || (cp >= 0x06EA && cp <= 0x06ED) ||
	       (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x00AD || cp == 0x200C || cp == 0x200D ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static int is_punct_cp(uint32_t cp)
{
	if (cp < 0x80)
		return aclass[cp] == A_PUNCT;
	return cp == 0xA1 || cp == 0xA7 || cp == 0xAB || cp == 0xB6 || cp == 0xB7 || cp == 0xBB ||
	       cp == 0xBF || cp == 0x37E || cp == 0x387 || (cp >= 0x055A && cp <= 0x055F) ||
	       cp == 0x0589 || cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 || cp == 0x05C6 ||
	       cp == 0x05F3 || cp == 0x05F4 || cp == 0x060C || cp == 0x061B || cp == 0x061F ||
	       cp == 0x06D4 || cp == 0x0964 || cp == 0x0965 ||
	       (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
	       (cp >= 0x2E00 && cp <= 0x2E4F) || (cp >= 0x3001 && cp <= 0x3003) ||
	       (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) ||
	       (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF01 && cp <= 0xFF0F && cp != 0xFF04 && cp != 0xFF0B) ||
	       cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF1F || cp == 0xFF20 ||
	       (cp >= 0xFF3B && cp <= 0xFF3D) || cp == 0xFF3F || cp == 0xFF5B || cp == 0xFF5D ||
	       (cp >= 0xFF5F && cp <= 0xFF65);
}

static int is_currency_cp(uint32_t cp)
{
	return cp == '$' || (cp >= 0xA2 && cp <= 0xA5) || (cp >= 0x20A0 && cp <= 0x20CF);
}

static int is_quote_cp(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x201C ||
	       cp == 0x201D || cp == 0x201E || cp == 0x201A || cp == 0xAB || cp == 0xBB;
}

static inline int ascii_alpha(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline int ascii_alnum(unsigned c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* Is the code point at i a letter (or digit when digits is set)? */
static int letter_at(const unsigned char *s, uint32_t i, uint32_t end, int digits)
{
	uint32_t cp;
	if (i >= end)
		return 0;
	if (s[i] < 0x80)
		return ascii_alpha(s[i]) || (digits && s[i] >= '0' && s[i] <= '9');
	dec(s, i, end, &cp);
	return nl_is_alpha(cp);
}

/* ---- token output ------------------------------------------------------ */

/* First bytes of punctuation that may be a quotation mark: " ' and the lead
   bytes of the curly marks (E2) and guillemets (C2). */
static const unsigned char quote_first[256] = { ['"'] = 1, ['\''] = 1, [0xE2] = 1, [0xC2] = 1 };
/* First bytes of punctuation is_terminal() may accept: . ! ? and the lead
   bytes of U+2026 U+203D (E2), U+3002 (E3), U+FF01 U+FF1F (EF). */
static const unsigned char term_first[256] = {
	['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* The sentence-end candidates bitmap covers every token slot. */
static int scand_fit(builder *b)
{
	size_t need = (b->d->captok + 63) / 64;
	uint64_t *v;
	if (need <= b->capscand)
		return 0;
	v = realloc(b->scand, need * sizeof *v);
	if (!v)
		return b->err = NL_ENOMEM;
	b->scand = v;
	b->capscand = need;
	return 0;
}

static int emit_long(builder *b, uint32_t off, uint32_t len, unsigned kind, unsigned flags);

/* cand: 1 or 0 when the caller knows whether the token may end a
   sentence, -1 to work it out here. */
static inline __attribute__((always_inline))
int emit_c(builder *b, uint32_t off, uint32_t len, unsigned kind, unsigned flags, int cand)
{
	doc_impl *d = b->d;
	nl_token *t;
	if (len > 0xFFFFu)
		return emit_long(b, off, len, kind, flags);
	if (d->ntok == d->captok && (grow((void **)&d->tok, &d->captok, d->ntok + 1, sizeof *d->tok) ||
	                             scand_fit(b)))
		return b->err = NL_ENOMEM;
	if (d->ntok == 0)
		flags |= NL_TF_LINE_START;
	else if (off <= b->last_end) {
		/* adjacent (never before: tokens come in order) */
	} else if (off - b->last_end < 16) {
		uint32_t i;
		for (i = b->last_end; i < off; i++)
			if (b->s[i] == '\n') {
				flags |= NL_TF_LINE_START;
				break;
			}
	} else if (memchr(b->s + b->last_end, '\n', off - b->last_end)) {
		flags |= NL_TF_LINE_START;
	}
	{   /* may this token end a sentence?  (sentence_pass visits only these;
	       a superset: it checks them again, so the bits of tokens dropped
	       with a paragraph of marks may stay) */
		size_t i = d->ntok;
		if (cand < 0)
			cand = kind == NL_TOK_PUNCT ? term_first[b->s[off]]
			     : kind == NL_TOK_WORD ? (len >= 2 && b->s[off + len - 1] == '.') : 0;
		if ((i & 63) == 0)
			b->scand[i >> 6] = 0;
		if (cand)
			b->scand[i >> 6] |= 1ull << (i & 63);
	}
	t = &d->tok[d->ntok++];
	t->off = off;
	t->len = (uint16_t)len;
	t->kind = kind & 0xFu;
	t->flags = (flags | (b->run_flags & 0xFFFFu)) & 0xFFFu;
	b->last_end = off + len;
	if (kind == NL_TOK_WORD)
		b->nwords++;
	else if (kind == NL_TOK_PUNCT)
		b->nqcand += quote_first[b->s[off]];
	return 0;
}

static inline __attribute__((always_inline))
int emit(builder *b, uint32_t off, uint32_t len, unsigned kind, unsigned flags)
{
	return emit_c(b, off, len, kind, flags, -1);
}

/* nl_token.len has 16 bits: a longer run (garbage, a giant URL) becomes
   several tokens, cut at character boundaries. */
static __attribute__((noinline))
int emit_long(builder *b, uint32_t off, uint32_t len, unsigned kind, unsigned flags)
{
	while (len > 0) {
		uint32_t cut = len > 0xFFFFu ? 0xFFFFu : len;
		while (cut < len && cut > 1 && (b->s[off + cut] & 0xC0) == 0x80)
			cut--;
		int rc = emit(b, off, cut, kind, flags);
		if (rc)
			return rc;
		off += cut;
		len -= cut;
		flags &= ~(unsigned)(NL_TF_SENT_START | NL_TF_CAPITALIZED | NL_TF_LINE_START);
	}
	return 0;
}

/* ---- URLs, e-mail ------------------------------------------------------ */

static const char *const tlds[] = {
	"com", "org", "net", "gov", "edu", "mil", "int", "info", "biz", "io", "co", "uk",
	"us", "ca", "au", "de", "fr", "eu", "ru", "ua", "tv", "ly", "me", "news", "app",
	"dev", "ai", "ch", "nl", "it", "es", "pl", "in", "cn", "jp", "nz", "ie", "be", NULL
};

static int is_tld(const unsigned char *p, uint32_t n)
{
	size_t i;
	uint32_t k;
	for (k = 0; k < n; k++)
		if (p[k] < 'a' || p[k] > 'z')
			return 0;       /* lower-case letters only: "it.It" is not a domain */
	for (i = 0; tlds[i]; i++)
		if (strlen(tlds[i]) == n && !memcmp(tlds[i], p, n))
			return 1;
	return 0;
}

/* End of a URL whose body starts at q (after the scheme or host). */
static uint32_t url_tail(const unsigned char *s, uint32_t q, uint32_t end)
{
	int paren = 0, brack = 0;
	uint32_t start = q;
	while (q < end) {
		uint32_t cp, k = dec(s, q, end, &cp);
		if (cp < 0x80) {
			if (aclass[cp] == A_SPACE || strchr("<>\"`{}|\\^", (int)cp))
				break;
			if (cp == '(')
				paren++;
			else if (cp == ')')
				paren--;
			else if (cp == '[')
				brack++;
			else if (cp == ']')
				brack--;
		} else if (is_space_cp(cp) || cp == 0x201C || cp == 0x201D || cp == 0x2018 ||
		           cp == 0x2019 || cp == 0xAB || cp == 0xBB || cp == 0x2026 ||
		           cp == 0x2014 || cp == 0x2013) {
			break;
		}
		q += k;
	}
	/* trailing sentence punctuation is not part of the URL */
	while (q > start) {
		unsigned c = s[q - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
		    c == '\'' || c == '*' || c == '_') {
			q--;
		} else if (c == ')' && paren < 0) {
			paren++;
			q--;
		} else if (c == ']' && brack < 0) {
			brack++;
			q--;
		} else {
			break;
		}
	}
	return q;
}

/* Host labels from p ("example.com", "www.example.co.uk"); returns the end
 * of the host if it has >= 2 labels and ends in a known TLD, else 0. */
static uint32_t domain_end(const unsigned char *s, uint32_t p, uint32_t end, int need_tld)
{
	uint32_t q = p, last = p, lastlen = 0, labels = 0;
	for (;;) {
		uint32_t ls = q;
		while (q < end && (ascii_alnum(s[q]) || s[q] == '-'))
			q++;
		if (q == ls)
			return 0;
		labels++;
		last = ls;
		lastlen = q - ls;
		if (q + 1 < end && s[q] == '.' && ascii_alnum(s[q + 1]))
			q++;
		else
			break;
	}
	if (labels < 2 || lastlen < 2)
		return 0;
	if (q < end && (s[q] >= 0x80 || s[q] == '@' || s[q] == '_'))
		return 0;
	if (need_tld && !is_tld(s + last, lastlen))
		return 0;
	{
		uint32_t k;
		for (k = 0; k < lastlen; k++)
			if (!ascii_alpha(s[last + k]))
				return 0;
	}
	return q;
}

/* An e-mail address starting at p, or 0. */
static uint32_t email_end(const unsigned char *s, uint32_t p, uint32_t end)
{
	uint32_t q = p;
	while (q < end && q - p < 128 && (ascii_alnum(s[q]) || strchr("._%+-", s[q])) && s[q])
		q++;
	if (q == p || q >= end || s[q] != '@' || s[p] == '.' || s[q - 1] == '.')
		return 0;
	return domain_end(s, q + 1, end, 0);
}

#define ci_prefix(s, p, end, lit) ci_prefix_n(s, p, end, lit, sizeof lit - 1)
static int ci_prefix_n(const unsigned char *s, uint32_t p, uint32_t end, const char *pre, size_t n)
{
	size_t i;
	if (end - p < n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned c = s[p + i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (unsigned char)pre[i])
			return 0;
	}
	return 1;
}

/* ---- the tokenizer of one run --------------------------------------------- */

/* Four bytes as a little-endian word, as memcpy reads them. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define U32LE(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#else
#define U32LE(a, b, c, d) ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))
#endif

/* End of the run of lower-case ASCII letters from r (16 bytes at a time
   where the run's end is that far: words average five letters, and a
   byte loop mispredicts its exit once a word). */
static inline uint32_t lower_run(const unsigned char *s, uint32_t r, uint32_t end)
{
#ifdef __SSE2__
	while (r + 16 <= end) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + r));
		/* 'a'..'z' -> -128..-103 (signed); every other byte is >= -102 */
		__m128i t = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 'a')));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(t, _mm_set1_epi8(-102)));
		if (m != 0xFFFFu)
			return r + (uint32_t)__builtin_ctz(~m);
		r += 16;
	}
#endif
	while (r < end && (unsigned)(s[r] - 'a') < 26u)
		r++;
	return r;
}

/* Bytes after which a word of ASCII letters can only end (scan_word's fast
   path): 1 always, 2 (':') only before a space or the end. */
static const unsigned char word_stop[128] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['!'] = 1, ['"'] = 1, [')'] = 1,
	[','] = 1, [';'] = 1, ['?'] = 1, [':'] = 2,
};

/* A word of one ASCII letter and lower-case ones up to a separator that
   cannot continue a word, URL or e-mail: its end, else 0. */
static inline uint32_t simple_word(const unsigned char *s, uint32_t p, uint32_t end)
{
	uint32_t r = lower_run(s, p + 1, end);
	unsigned c;
	if (r >= end)
		return r;
	c = s[r];
	if (c >= 0x80 || !word_stop[c])
		return 0;
	if (word_stop[c] == 2 && r + 1 < end && s[r + 1] != ' ')
		return 0;
	return r;
}

/* A word from p (a letter there).  Returns its end; sets *kind and *flags. */
static uint32_t scan_word(builder *b, uint32_t p, uint32_t end, unsigned *kind, unsigned *flags)
{
	const unsigned char *s = b->s;
	uint32_t q = p;
	unsigned fl = 0;
	int nlet = 0, nup = 0, first = 1;
	int seg = 0, nseg = 1, dot_ok = 1, ascii_host = 1, last_dot = 0;
	*kind = NL_TOK_WORD;
	/* (tokenize has taken the simple words, simple_word(), already) */
	while (q < end) {
		unsigned c = s[q];
		if (c - 'a' < 26u) {
			/* the common case: a run of lower-case ASCII letters */
			uint32_t r = lower_run(s, q + 1, end);
			nlet += (int)(r - q);
			seg += (int)(r - q);
			first = 0;
			last_dot = 0;
			q = r;
			continue;
		}
		if (c < 0x80) {
			unsigned k = aclass[c];
			if (k == A_LETTER) {
				nlet++;
				if (c <= 'Z') {
					nup++;
					if (first)
						fl |= NL_TF_CAPITALIZED;
				}
				first = 0;
				seg++;
				last_dot = 0;
				q++;
				continue;
			}
			if (k == A_DIGIT) {
				fl |= NL_TF_HAS_DIGIT;
				dot_ok = 0;
				last_dot = 0;
				q++;
				continue;
			}
			if (c == '\'') {
				if (!last_dot && letter_at(s, q + 1, end, 0)) {
					fl |= NL_TF_APOSTROPHE;
					dot_ok = 0;
					ascii_host = 0;
					q++;
					continue;
				}
				break;
			}
			if (c == '-') {
				if (letter_at(s, q + 1, end, 1)) {
					fl |= NL_TF_HYPHENATED;
					dot_ok = 0;
					last_dot = 0;
					q++;
					continue;
				}
				break;
			}
			if (c == '.' && !last_dot) {
				/* dotted abbreviation: U.S., a.m., Ph.D. */
				if (dot_ok && seg >= 1 && seg <= 2) {
					uint32_t n = 0;
					while (q + 1 + n < end && n < 3 && ascii_alpha(s[q + 1 + n]))
						n++;
					if (n >= 1 && n <= 2 && (q + 1 + n >= end || (!ascii_alnum(s[q + 1 + n]) && s[q + 1 + n] < 0x80))) {
						nseg++;
						seg = 0;
						q++;
						last_dot = 1;
						continue;
					}
					if (nseg >= 2 && !letter_at(s, q + 1, end, 1)) {
						/* the final period belongs to the abbreviation */
						q++;
						last_dot = 1;
						if (q + 1 < end && s[q] == '-' && letter_at(s, q + 1, end, 0))
							continue;
						break;
					}
				}
				/* bare domain: breitbart.com, www-less */
				if (ascii_host && q + 2 < end && ascii_alpha(s[q + 1])) {
					uint32_t e = domain_end(s, p, end, 1);
					if (e) {
						if (e < end && s[e] == '/')
							e = url_tail(s, e, end);
						*kind = NL_TOK_URL;
						*flags = fl & NL_TF_CAPITALIZED;
						return e;
					}
				}
			}
			if (c == '@' || ((c == '.' || c == '_' || c == '+' || c == '%') &&
			                 q + 1 < end && (ascii_alnum(s[q + 1]) || s[q + 1] == '@'))) {
				uint32_t e = email_end(s, p, end);
				if (e) {
					*kind = NL_TOK_EMAIL;
					*flags = 0;
					return e;
				}
			}
			break;
		} else {
			uint32_t cp, k = dec(s, q, end, &cp);
			ascii_host = 0;
			if (nl_is_alpha(cp)) {
				nlet++;
				if (nl_is_upper(cp)) {
					nup++;
					if (first)
						fl |= NL_TF_CAPITALIZED;
				}
				first = 0;
				seg++;
				last_dot = 0;
				fl |= NL_TF_NONASCII;
				q += k;
				continue;
			}
			if (is_mark_cp(cp)) {
				fl |= NL_TF_NONASCII;
				q += k;
				continue;
			}
			if ((cp == 0x2019 || cp == 0x2018) && !last_dot && letter_at(s, q + k, end, 0)) {
				fl |= NL_TF_APOSTROPHE | NL_TF_NONASCII;
				dot_ok = 0;
				q += k;
				continue;
			}
			if ((cp == 0x2010 || cp == 0x2011) && letter_at(s, q + k, end, 1)) {
				fl |= NL_TF_HYPHENATED | NL_TF_NONASCII;
				dot_ok = 0;
				q += k;
				continue;
			}
			break;
		}
	}
	if (nup >= 2 && nup == nlet)
		fl |= NL_TF_ALLCAPS;
	*flags = fl;
	return q;
}

/* A number from p (a digit, or a currency sign before a digit). */
static uint32_t scan_number(builder *b, uint32_t p, uint32_t end, unsigned *flags)
{
	const unsigned char *s = b->s;
	uint32_t q = p, cp;
	unsigned fl = NL_TF_HAS_DIGIT;
	if (s[q] >= 0x80)
		fl |= NL_TF_NONASCII;
	q += dec(s, q, end, &cp);           /* the digit or the currency sign */
	while (q < end) {
		unsigned c = s[q];
		if (c < 0x80) {
			if ((c >= '0' && c <= '9') || ascii_alpha(c)) {
				q++;
				continue;
			}
			if ((c == '.' || c == ',' || c == ':' || c == '/') && q + 1 < end &&
			    s[q + 1] >= '0' && s[q + 1] <= '9') {
				q += 2;
				continue;
			}
			if (c == '%') {
				q++;
				break;
			}
			if (c == '-' && letter_at(s, q + 1, end, 1)) {
				fl |= NL_TF_HYPHENATED;
				q++;
				continue;
			}
			if (c == '\'' && letter_at(s, q + 1, end, 0)) {
				fl |= NL_TF_APOSTROPHE;
				q++;
				continue;
			}
			break;
		} else {
			uint32_t k = dec(s, q, end, &cp);
			if (nl_is_alpha(cp) || is_mark_cp(cp)) {
				fl |= NL_TF_NONASCII;
				q += k;
				continue;
			}
			if ((cp == 0x2019) && letter_at(s, q + k, end, 0)) {
				fl |= NL_TF_APOSTROPHE | NL_TF_NONASCII;
				q += k;
				continue;
			}
			if ((cp == 0x2010 || cp == 0x2011) && letter_at(s, q + k, end, 1)) {
				fl |= NL_TF_HYPHENATED | NL_TF_NONASCII;
				q += k;
				continue;
			}
			break;
		}
	}
	*flags = fl;
	return q;
}

/* NL_TF_NONASCII if s[p..q) holds a byte >= 0x80 (URLs may). */
static unsigned nonascii(const unsigned char *s, uint32_t p, uint32_t q)
{
	for (; p < q; p++)
		if (s[p] >= 0x80)
			return NL_TF_NONASCII;
	return 0;
}

/* Tokenize text[off, end). */
static int tokenize(builder *b, uint32_t off, uint32_t end)
{
	const unsigned char *s = b->s;
	uint32_t p = off;
	while (p < end) {
		unsigned c = s[p];
		unsigned kind, fl = 0;
		uint32_t q, cp, k;
		if (c < 0x80) {
			unsigned cls = aclass[c];
			if (cls == A_SPACE) {
				p++;
				continue;
			}
			if (cls == A_LETTER) {
				/* "http" "www." "ftp:" in any case (a necessary condition
				   for the tests below, four bytes at once) */
				uint32_t w4 = 0;
				if (p + 4 <= end) {
					memcpy(&w4, s + p, 4);
					w4 |= 0x20202020u;
				}
				if (p + 4 > end || w4 == U32LE('h', 't', 't', 'p') || w4 == U32LE('w', 'w', 'w', '.') ||
				    w4 == U32LE('f', 't', 'p', ':')) {
					if ((c | 0x20) == 'h' && (ci_prefix(s, p, end, "http://") || ci_prefix(s, p, end, "https://"))) {
						q = url_tail(s, p + (s[p + 4] == ':' ? 7 : 8), end);
						if (emit(b, p, q - p, NL_TOK_URL, nonascii(s, p, q)))
							return b->err;
						p = q;
						continue;
					}
					if (((c | 0x20) == 'w' && ci_prefix(s, p, end, "www.") && p + 4 < end && ascii_alnum(s[p + 4])) ||
					    ((c | 0x20) == 'f' && ci_prefix(s, p, end, "ftp://"))) {
						q = url_tail(s, p + 4, end);
						if (emit(b, p, q - p, NL_TOK_URL, nonascii(s, p, q)))
							return b->err;
						p = q;
						continue;
					}
				}
				if ((q = simple_word(s, p, end)) != 0) {   /* most words */
					if (emit_c(b, p, q - p, NL_TOK_WORD, c <= 'Z' ? NL_TF_CAPITALIZED : 0, 0))
						return b->err;
					p = q < end && s[q] == ' ' ? q + 1 : q;   /* the usual space */
					continue;
				}
				q = scan_word(b, p, end, &kind, &fl);
				if (kind == NL_TOK_URL || kind == NL_TOK_EMAIL)
					fl |= nonascii(s, p, q);
				if (emit(b, p, q - p, kind, fl))
					return b->err;
				p = q;
				continue;
			}
			if (cls == A_DIGIT) {
				q = scan_number(b, p, end, &fl);
				if (emit(b, p, q - p, NL_TOK_NUMBER, fl))
					return b->err;
				p = q;
				continue;
			}
			switch (c) {
			case '$':
				if (p + 1 < end && s[p + 1] >= '0' && s[p + 1] <= '9') {
					q = scan_number(b, p, end, &fl);
					if (emit(b, p, q - p, NL_TOK_NUMBER, fl))
						return b->err;
					p = q;
					continue;
				}
				break;
			case '@':
				if (p + 1 < end && (ascii_alnum(s[p + 1]) || s[p + 1] == '_')) {
					q = p + 1;
					while (q < end && (ascii_alnum(s[q]) || s[q] == '_'))
						q++;
					if (emit(b, p, q - p, NL_TOK_HANDLE, 0))
						return b->err;
					p = q;
					continue;
				}
				break;
			case '#': {
				int letters = 0;
				q = p + 1;
				while (q < end) {
					k = dec(s, q, end, &cp);
					if (nl_is_alpha(cp))
						letters = 1;
					else if (!(cp >= '0' && cp <= '9') && cp != '_' && !is_mark_cp(cp))
						break;
					q += k;
				}
				if (letters) {
					unsigned f2 = 0;
					uint32_t i;
					for (i = p; i < q; i++)
						if (s[i] >= 0x80)
							f2 = NL_TF_NONASCII;
					if (emit(b, p, q - p, NL_TOK_HASHTAG, f2))
						return b->err;
					p = q;
					continue;
				}
				break;
			}
			case '.':
				q = p;
				while (q < end && s[q] == '.')
					q++;
				if (q - p == 1 && p + 4 < end && s[p + 1] == ' ' && s[p + 2] == '.' &&
				    s[p + 3] == ' ' && s[p + 4] == '.') {
					q = p + 5;             /* ". . ." */
					if (q + 1 < end && s[q] == ' ' && s[q + 1] == '.')
						q += 2;
				}
				if (emit(b, p, q - p, NL_TOK_PUNCT, 0))
					return b->err;
				p = q;
				continue;
			case '-':
				q = p;
				while (q < end && s[q] == '-')
					q++;
				if (emit(b, p, q - p, NL_TOK_PUNCT, 0))
					return b->err;
				p = q;
				continue;
			}
			/* a run of one mark ("***", "===", "!!!") is one token; never
			   for quotes and brackets, which pair one by one */
			q = p + 1;
			if (p + 1 < end && s[p + 1] == c && (c == '#' || (p + 2 < end && s[p + 2] == c)) &&
			    !strchr("\"'()[]{}<>", (int)c))
				while (q < end && s[q] == c)
					q++;
			/* ''two apostrophes'' are one double quotation mark */
			if (c == '\'' && p + 1 < end && s[p + 1] == '\'' && (p + 2 >= end || s[p + 2] != '\''))
				q = p + 2;
			if (emit(b, p, q - p, cls == A_SYMBOL ? NL_TOK_SYMBOL : NL_TOK_PUNCT, 0))
				return b->err;
			p = q;
			continue;
		}
		/* non-ASCII */
		k = dec(s, p, end, &cp);
		if (is_space_cp(cp)) {
			p += k;
			continue;
		}
		if (nl_is_alpha(cp)) {
			q = scan_word(b, p, end, &kind, &fl);
			if (emit(b, p, q - p, kind, fl | NL_TF_NONASCII))
				return b->err;
			p = q;
			continue;
		}
		if (is_currency_cp(cp) && p + k < end && s[p + k] >= '0' && s[p + k] <= '9') {
			q = scan_number(b, p, end, &fl);
			if (emit(b, p, q - p, NL_TOK_NUMBER, fl))
				return b->err;
			p = q;
			continue;
		}
		if (is_mark_cp(cp)) {
			/* a stray mark: glue it to the token right before it */
			if (b->d->ntok && b->last_end == p && b->d->tok[b->d->ntok - 1].off >= off) {
				b->d->tok[b->d->ntok - 1].len += k;
				b->d->tok[b->d->ntok - 1].flags |= NL_TF_NONASCII;
				b->last_end = p + k;
				p += k;
				continue;
			}
			if (emit(b, p, k, NL_TOK_SYMBOL, NL_TF_NONASCII))
				return b->err;
			p += k;
			continue;
		}
		if (cp == 0x2014 || cp == 0x2015) {     /* em dash runs */
			q = p + k;
			while (q + 3 <= end && s[q] == 0xE2 && s[q + 1] == 0x80 && (s[q + 2] == 0x94 || s[q + 2] == 0x95))
				q += 3;
			if (emit(b, p, q - p, NL_TOK_PUNCT, NL_TF_NONASCII))
				return b->err;
			p = q;
			continue;
		}
		if (is_punct_cp(cp)) {
			if (emit(b, p, k, NL_TOK_PUNCT, NL_TF_NONASCII))
				return b->err;
			p += k;
			continue;
		}
		/* a symbol: keep an emoji sequence (modifiers, ZWJ) together */
		q = p + k;
		while (q < end) {
			uint32_t c2, k2 = dec(s, q, end, &c2);
			if (c2 == 0x200D && q + k2 < end) {
				uint32_t c3, k3 = dec(s, q + k2, end, &c3);
				if (c3 >= 0x2000 && !nl_is_alpha(c3) && !is_punct_cp(c3) && !is_space_cp(c3)) {
					q += k2 + k3;
					continue;
				}
				break;
			}
			if (!is_mark_cp(c2))
				break;
			q += k2;
		}
		if (emit(b, p, q - p, NL_TOK_SYMBOL, NL_TF_NONASCII))
			return b->err;
		p = q;
	}
	return 0;
}

/* A Markdown entity (&amp; &rsquo; &#8217;): one token, no word joining. */
static int tokenize_entity(builder *b, uint32_t off, uint32_t end)
{
	static const char *const punct[] = { "&mdash;", "&ndash;", "&hellip;", "&rsquo;", "&lsquo;",
		"&ldquo;", "&rdquo;", "&quot;", "&amp;", "&apos;", NULL };
	size_t i, n = end - off;
	if ((n == 6 && !memcmp(b->s + off, "&nbsp;", 6)) || n == 0)
		return 0;
	for (i = 0; punct[i]; i++)
		if (strlen(punct[i]) == n && !memcmp(punct[i], b->s + off, n))
			return emit(b, off, (uint32_t)n, NL_TOK_PUNCT, 0);
	return emit(b, off, (uint32_t)n, NL_TOK_SYMBOL, 0);
}

/* ---- small token helpers ------------------------------------------------ */

static uint32_t tok_cp(const builder *b, const nl_token *t)
{
	uint32_t cp;
	dec(b->s, t->off, t->off + t->len, &cp);
	return cp;
}

static int tok_is(const builder *b, const nl_token *t, const char *str)
{
	size_t n = strlen(str);
	return t->len == n && !memcmp(b->s + t->off, str, n);
}

/* A NULL-terminated word list indexed by first byte (filled once, before
   main, by wordsets_init): a lookup compares only the entries that start
   with the token's first byte. */
typedef struct wordset {
	const char *const *v;
	uint8_t len[256];           /* of v[i], capped at 255 */
	uint8_t order[256];         /* entry indexes grouped by first byte */
	uint8_t start[256], cnt[256];
} wordset;

static void wordset_init(wordset *ws)
{
	size_t n = 0, i, k = 0;
	unsigned c;
	while (ws->v[n] && n < 255)
		n++;
	for (i = 0; i < n; i++) {
		size_t l = strlen(ws->v[i]);
		ws->len[i] = (uint8_t)(l > 255 ? 255 : l);
	}
	/* a counting sort by first byte, entries of one byte in list order */
	for (i = 0; i < n; i++)
		ws->cnt[(unsigned char)ws->v[i][0]]++;
	for (c = 0; c < 256; c++) {
		ws->start[c] = (uint8_t)k;
		k += ws->cnt[c];
	}
	{
		uint8_t fill[256];
		memcpy(fill, ws->start, sizeof fill);
		for (i = 0; i < n; i++)
			ws->order[fill[(unsigned char)ws->v[i][0]]++] = (uint8_t)i;
	}
}

/* Is p[0..n) an entry of ws? */
static int ws_has(const wordset *ws, const unsigned char *p, size_t n)
{
	unsigned k, e;
	if (n == 0 || n > 255)
		return 0;
	for (k = ws->start[p[0]], e = k + ws->cnt[p[0]]; k < e; k++) {
		unsigned i = ws->order[k];
		if (ws->len[i] == n && !memcmp(ws->v[i], p, n))
			return 1;
	}
	return 0;
}

static int tok_in(const builder *b, const nl_token *t, const wordset *ws)
{
	if (t->len > 8)
		return 0;
	return ws_has(ws, b->s + t->off, t->len);
}

static int is_closer_cp(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x2019 || cp == ')' || cp == ']' ||
	       cp == 0xBB || cp == '}';
}

static int is_terminal(const builder *b, const nl_token *t)
{
	uint32_t cp;
	if (t->kind == NL_TOK_WORD)
		return t->len > 1 && b->s[t->off + t->len - 1] == '.';   /* "U.S." */
	if (t->kind != NL_TOK_PUNCT)
		return 0;
	if (b->s[t->off] < 0x80)
		return b->s[t->off] == '.' || b->s[t->off] == '!' || b->s[t->off] == '?';
	cp = tok_cp(b, t);
	return cp == 0x2026 || cp == 0x203D ||
	       cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

/* ---- headings in plain text ------------------------------------------------ */

static int is_bullet_cp(uint32_t cp)
{
	return cp == '-' || cp == '*' || cp == '+' || cp == 0x2022 || cp == 0x2013 || cp == 0x2014 ||
	       cp == 0xB7 || cp == 0x25AA || cp == 0x25CF || cp == 0x25E6 || cp == 0x2043;
}

/* Last token ignoring closing quotes and brackets: is it sentence punctuation? */
static int ends_punctuated(const builder *b, const nl_token *t, size_t n)
{
	while (n > 0) {
		const nl_token *l = &t[n - 1];
		uint32_t cp;
		if (l->kind == NL_TOK_WORD)
			return b->s[l->off + l->len - 1] == '.';
		if (l->kind != NL_TOK_PUNCT)
			return 0;
		cp = tok_cp(b, l);
		if (is_closer_cp(cp)) {
			n--;
			continue;
		}
		return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == ',' ||
		       cp == 0x2026;
	}
	return 0;
}

static int inner_sentence_end(const builder *b, size_t ft, size_t nt);

/* Plain text: 0 = body, 1 = title, 2 = subheading.  single_line: the
 * paragraph is one line; is_last: nothing follows it. */
static int plain_heading(builder *b, size_t ft, size_t nt, int single_line, int is_last, int first)
{
	const nl_token *t = &b->d->tok[ft];
	size_t i, words = 0, realwords = 0;
	uint32_t cp0;
	if (!single_line || is_last || nt == 0)
		return 0;
	/* stop counting words past the largest limit that can apply below: 40
	   for the title, 25 for a "## Section" line, 12 for any other */
	size_t limit = first ? 40u : (t[0].kind == NL_TOK_PUNCT && b->s[t[0].off] == '#') ? 25u : 12u;
	for (i = 0; i < nt && words <= limit; i++) {
		if (t[i].kind == NL_TOK_WORD) {
			words++;
			realwords++;
		} else if (t[i].kind == NL_TOK_NUMBER) {
			words++;
		}
	}
	if (!realwords)
		return 0;
	cp0 = tok_cp(b, &t[0]);
	/* "## Section" in a plain-text file: the writer marked it */
	if (cp0 == '#' && t[0].kind == NL_TOK_PUNCT && t[0].len <= 6 && nt > 1 &&
	    t[1].off > t[0].off + t[0].len && words <= 25)
		return first ? 1 : 2;
	if (t[0].kind == NL_TOK_PUNCT && is_bullet_cp(cp0))
		return 0;
	if (t[0].kind == NL_TOK_NUMBER && nt > 1 && t[1].kind == NL_TOK_PUNCT &&
	    (tok_is(b, &t[1], ".") || tok_is(b, &t[1], ")")) && t[1].off == t[0].off + t[0].len)
		return 0;           /* "1. item" */
	if (first) {
		if (words > 40)
			return 0;       /* too long for any headline (the test below) */
		/* a headline may quote, but it closes what it opens */
		if (t[0].kind == NL_TOK_PUNCT && is_quote_cp(cp0)) {
			size_t marks = 0;
			for (i = 0; i < nt; i++)
				if (t[i].kind == NL_TOK_PUNCT && is_quote_cp(tok_cp(b, &t[i])))
					marks++;
			if (marks < 2)
				return 0;
		}
		/* two short sentences ("We came. We saw.") open an article, they
		   are no headline -- unless written in title case; longer ones
		   are ("Where does the council go now? A vote decides it.") */
		size_t longw = 0, caps = 0;
		int title_case;
		for (i = 0; i < nt; i++)
			if (t[i].kind == NL_TOK_WORD && t[i].len >= 4) {
				longw++;
				if (t[i].flags & NL_TF_CAPITALIZED)
					caps++;
			}
		title_case = longw >= 2 && caps * 10 >= longw * 7;
		/* a headline in Title Case may run long */
		if (words > (title_case ? 40u : 25u))
			return 0;
		if (words < 6 && !title_case && inner_sentence_end(b, ft, nt))
			return 0;
		return 1;
	}
	if (words > 12 || ends_punctuated(b, t, nt))
		return 0;
	if (t[0].kind == NL_TOK_PUNCT)
		return 0;           /* quote, bracket, dash */
	if (t[0].kind == NL_TOK_WORD && !(t[0].flags & NL_TF_CAPITALIZED))
		return 0;
	if (t[0].kind != NL_TOK_WORD && t[0].kind != NL_TOK_NUMBER)
		return 0;
	return 2;
}

/* ---- quotations -------------------------------------------------------------- */

enum { CL_START, CL_SPACE, CL_OPEN, CL_ALNUM, CL_PUNCT, CL_END };

static int cp_class(uint32_t cp)
{
	if (is_space_cp(cp))
		return CL_SPACE;
	if (cp == '(' || cp == '[' || cp == '{' || cp == '/' || cp == '-' || cp == 0x2013 ||
	    cp == 0x2014 || cp == 0x2015 || cp == 0x201C || cp == 0x2018 || cp == 0xAB ||
	    cp == 0x201E || cp == 0x201A || cp == '<')
		return CL_OPEN;
	if (cp < 0x80 ? ascii_alnum(cp) : (nl_is_alpha(cp) || is_mark_cp(cp)))
		return CL_ALNUM;
	return CL_PUNCT;
}

static int markup_byte(unsigned c)
{
	return c == '*' || c == '_' || c == '~';
}

static int prev_class(const builder *b, uint32_t off)
{
	const unsigned char *s = b->s;
	uint32_t i = off, cp;
	while (i > 0 && markup_byte(s[i - 1]))
		i--;
	if (i == 0)
		return CL_START;
	i--;
	while (i > 0 && (s[i] & 0xC0) == 0x80 && off - i < 4)
		i--;
	dec(s, i, b->len, &cp);
	if (cp == 0xFEFF)
		return CL_START;
	return cp_class(cp);
}

static int next_class(const builder *b, uint32_t off)
{
	const unsigned char *s = b->s;
	uint32_t cp;
	while (off < b->len && markup_byte(s[off]))
		off++;
	if (off >= b->len)
		return CL_END;
	dec(s, off, b->len, &cp);
	return cp_class(cp);
}

typedef struct qopen { uint32_t qi; uint8_t type; } qopen;

static int new_quote(builder *b, size_t ti, size_t pidx, int type, int nested, int continued)
{
	doc_impl *d = b->d;
	nl_token *t = &d->tok[ti];
	nl_quote *q;
	if (grow((void **)&d->q, &d->capq, d->nq + 1, sizeof *d->q))
		return b->err = NL_ENOMEM;
	q = &d->q[d->nq++];
	memset(q, 0, sizeof *q);
	q->off = t->off;
	q->inner_off = t->off + t->len;
	q->first_token = (uint32_t)(ti + 1);
	q->paragraph = (uint32_t)pidx;
	if (type == QT_DCURLY || type == QT_SCURLY || type == QT_GUILL || type == QT_LOW9 || type == QT_SLOW9)
		q->flags |= NL_QF_CURLY;
	if (type == QT_SCURLY || type == QT_SSTRAIGHT || type == QT_SLOW9)
		q->flags |= NL_QF_SINGLE;
	if (nested)
		q->flags |= NL_QF_NESTED;
	if (continued)
		q->flags |= NL_QF_CONTINUED;
	t->flags |= NL_TF_QUOTE_MARK;
	return 0;
}

/* Close quote qi: the closing mark is token ci (or none: it ends with token
 * last, inclusive, when ci == SIZE_MAX). */
static void close_quote(builder *b, uint32_t qi, size_t ci, size_t last, uint32_t flags)
{
	doc_impl *d = b->d;
	nl_quote *q = &d->q[qi];
	size_t i, words = 0, endtok;
	if (ci != SIZE_MAX) {
		nl_token *c = &d->tok[ci];
		q->len = c->off + c->len - q->off;
		q->inner_len = c->off - q->inner_off;
		endtok = ci;                          /* exclusive */
	} else {
		nl_token *l = &d->tok[last];
		uint32_t e = l->off + l->len;
		q->len = e - q->off;
		q->inner_len = e > q->inner_off ? e - q->inner_off : 0;
		endtok = last + 1;
	}
	q->n_tokens = endtok > q->first_token ? (uint32_t)(endtok - q->first_token) : 0;
	for (i = q->first_token; i < endtok; i++)   /* bounded by the paragraph */
		if (d->tok[i].kind == NL_TOK_WORD)
			words++;
	q->n_words = (uint32_t)words;
	q->flags |= flags;
}

static int is_double(int type)
{
	return type == QT_DSTRAIGHT || type == QT_DCURLY || type == QT_GUILL || type == QT_LOW9;
}

/* Settle the previous paragraph's unclosed quotations.  Returns 1 when the
 * paragraph starting at token ft re-opens (continues) them. */
static int settle_pending(builder *b, size_t ft, size_t nt, int heading)
{
	doc_impl *d = b->d;
	int cont = 0, i;
	if (!b->npend)
		return 0;
	if (!heading && nt > 0 && d->tok[ft].kind == NL_TOK_PUNCT) {
		uint32_t cp = tok_cp(b, &d->tok[ft]);
		int t = b->pend_type;
		if (next_class(b, d->tok[ft].off + d->tok[ft].len) != CL_SPACE &&
		    ((is_double(t) && (cp == 0x201C || cp == '"' || cp == 0x201E || cp == 0xAB)) ||
		     (!is_double(t) && (cp == 0x2018 || cp == '\''))))
			cont = 1;
	}
	for (i = 0; i < b->npend; i++)
		d->q[b->pend[i]].flags |= (i == 0 && cont) ? NL_QF_CONTINUES : NL_QF_UNCLOSED;
	b->npend = 0;
	return cont;
}

static const char *const elisions[] = {
	"em", "bout", "til", "cause", "n", "tis", "twas", "round", "cuz", "nuff", "scuse", NULL
};
static wordset ws_elisions = {.v = elisions};

/* Does the single opening mark at token i (' or ‘) have a closing partner
 * (' or ’ after a word, not before a letter) later in the paragraph?  Else
 * it is an elision: '90s, ‘em. */
static int single_has_closer(builder *b, size_t i, size_t end)
{
	doc_impl *d = b->d;
	size_t j, lim = i + 200 < end ? i + 200 : end;
	uint32_t nxt;
	dec(b->s, d->tok[i].off + d->tok[i].len, b->len, &nxt);
	if (nxt >= '0' && nxt <= '9')
		return 0;                   /* '90s, ‘16 */
	if (i + 1 < end && d->tok[i + 1].off == d->tok[i].off + d->tok[i].len &&
	    tok_in(b, &d->tok[i + 1], &ws_elisions))
		return 0;                   /* 'em, ‘bout */
	/* tokens [cl_from, cl_at) were scanned before and hold nothing: skip
	   them, so a paragraph of many opening marks stays linear */
	j = i + 1;
	if (b->cl_at && j >= b->cl_from && j < b->cl_at)
		j = b->cl_at;
	for (; j < lim; j++) {
		nl_token *t = &d->tok[j];
		if (t->kind == NL_TOK_PUNCT && (t->len == 1 || t->len == 3)) {
			uint32_t cp = tok_cp(b, t);
			if (cp == '\'' || cp == 0x2019 || cp == 0x2018) {
				int pc = prev_class(b, t->off), nc = next_class(b, t->off + t->len);
				if ((pc == CL_ALNUM || pc == CL_PUNCT) && nc != CL_ALNUM) {
					b->cl_from = i + 1;
					b->cl_at = j;
					return 1;
				}
			}
			if (cp == '"' || cp == 0x201D) {
				b->cl_from = i + 1;
				b->cl_at = j;
				return 0;   /* do not pair across a double mark */
			}
		}
	}
	b->cl_from = i + 1;
	b->cl_at = lim;
	return 0;
}

static int quote_pass(builder *b, size_t ft, size_t nt, size_t pidx, int heading, size_t qcand)
{
	doc_impl *d = b->d;
	qopen st[QSTACK];
	int depth = 0, k, qstart = 0;
	size_t i, end = ft + nt;
	int cont = settle_pending(b, ft, nt, heading);
	b->cl_at = 0;                   /* single_has_closer's memo is per paragraph */
	memset(b->role, 0, nt);
	if (!qcand)
		return 0;                   /* no mark: nothing opens, nothing is inside */
	for (i = ft; i < end; i++) {
		nl_token *t = &d->tok[i];
		uint32_t cp;
		int pc, nc, open_pos, close_pos, want_open = 0, close_at = -1, type = 0;
		/* one well-predicted branch a token: only punctuation starting
		   with " ' or the lead byte of a curly quote or guillemet goes on */
		if (!((t->kind == NL_TOK_PUNCT) & quote_first[b->s[t->off]]) ||
		    !is_quote_cp(cp = tok_cp(b, t))) {
			if (depth > 0)
				t->flags |= NL_TF_IN_QUOTE;
			/* a quoted sentence starts here: He said, “We won.” */
			if (qstart && t->kind == NL_TOK_WORD && (t->flags & NL_TF_CAPITALIZED))
				t->flags |= NL_TF_SENT_START;
			qstart = 0;
			continue;
		}
		/* ''two apostrophes'' stand for a double quotation mark in some
		   house styles (and in text converted from old typesetting) */
		if (cp == '\'' && t->len == 2 && b->s[t->off + 1] == '\'')
			cp = '"';
		pc = prev_class(b, t->off);
		nc = next_class(b, t->off + t->len);
		open_pos = (pc == CL_START || pc == CL_SPACE || pc == CL_OPEN) && nc != CL_SPACE && nc != CL_END;
		close_pos = (pc == CL_ALNUM || pc == CL_PUNCT) && nc != CL_ALNUM;
		switch (cp) {
		case 0x201C:                      /* “ */
			if (depth && st[depth - 1].type == QT_LOW9) {
				close_at = depth - 1;     /* „German“ */
				break;
			}
			if (!open_pos)              /* a misused “ closing: “word“ */
				for (k = depth - 1; k >= 0; k--)
					if (is_double(st[k].type)) {
						close_at = k;
						break;
					}
			if (close_at < 0) {
				want_open = 1;
				type = QT_DCURLY;
			}
			break;
		case 0x201E:                      /* „ */
			want_open = 1;
			type = QT_LOW9;
			break;
		case 0x201A:                      /* ‚ */
			if (open_pos) {
				want_open = 1;
				type = QT_SLOW9;
			}
			break;
		case 0xAB:                        /* « */
			want_open = 1;
			type = QT_GUILL;
			break;
		case 0xBB:                        /* » */
			for (k = depth - 1; k >= 0; k--)
				if (st[k].type == QT_GUILL) {
					close_at = k;
					break;
				}
			break;
		case 0x201D:                      /* ” */
			for (k = depth - 1; k >= 0; k--)
				if (is_double(st[k].type)) {
					close_at = k;
					break;
				}
			if (close_at < 0 && open_pos && !close_pos) {
				want_open = 1;            /* a misused ” opening */
				type = QT_DCURLY;
			}
			break;
		case '"': {
			int have = -1, anyd = -1;
			for (k = depth - 1; k >= 0; k--)
				if (st[k].type == QT_DSTRAIGHT) {
					have = k;
					break;
				}
			for (k = depth - 1; k >= 0; k--)
				if (is_double(st[k].type)) {
					anyd = k;   /* “mixed marks" are common in copy */
					break;
				}
			if (open_pos && !close_pos) {
				if (have >= 0) {
					/* an opening mark while one is open: the first was
					   never closed */
					while (depth > have) {
						depth--;
						close_quote(b, st[depth].qi, SIZE_MAX, i - 1, NL_QF_UNCLOSED);
					}
				}
				want_open = 1;
				type = QT_DSTRAIGHT;
			} else if (close_pos && !open_pos) {
				close_at = anyd;
			} else if (anyd >= 0) {
				close_at = anyd;
			} else if (!(pc == CL_ALNUM && nc == CL_ALNUM)) {
				want_open = nc != CL_END && nc != CL_SPACE;
				type = QT_DSTRAIGHT;
			}
			break;
		}
		case 0x2018:                      /* ‘ */
			if (open_pos) {
				/* ‘90s, ‘em, ‘bout: an elision unless something closes it */
				if (single_has_closer(b, i, end)) {
					want_open = 1;
					type = QT_SCURLY;
				}
			} else if (close_pos) {
				for (k = depth - 1; k >= 0; k--)
					if (st[k].type == QT_SCURLY) {
						close_at = k;
						break;
					}
			}
			break;
		case 0x2019:                      /* ’ */
			if (pc != CL_SPACE && pc != CL_START)
				for (k = depth - 1; k >= 0; k--) {
					if (st[k].type == QT_SCURLY || st[k].type == QT_SLOW9 || st[k].type == QT_SSTRAIGHT) {
						close_at = k;
						break;
					}
					if (is_double(st[k].type))
						break;   /* never close across a double quotation */
				}
			break;
		case '\'':
			if (close_pos && !open_pos) {
				for (k = depth - 1; k >= 0; k--) {
					if (st[k].type == QT_SSTRAIGHT || st[k].type == QT_SCURLY) {
						close_at = k;
						break;
					}
					if (is_double(st[k].type))
						break;
				}
			} else if (open_pos && nc == CL_ALNUM && single_has_closer(b, i, end)) {
				want_open = 1;
				type = QT_SSTRAIGHT;
			}
			break;
		}
		if (close_at >= 0) {
			while (depth > close_at + 1) {   /* inner ones never closed */
				depth--;
				close_quote(b, st[depth].qi, SIZE_MAX, i - 1, NL_QF_UNCLOSED);
			}
			depth--;
			close_quote(b, st[depth].qi, i, 0, 0);
			t->flags |= NL_TF_QUOTE_MARK;
			b->role[i - ft] = ROLE_CLOSE;
			if (depth > 0)
				t->flags |= NL_TF_IN_QUOTE;
		} else if (want_open && depth < QSTACK) {
			if (depth > 0)
				t->flags |= NL_TF_IN_QUOTE;
			if (new_quote(b, i, pidx, type, depth > 0, cont && i == ft && depth == 0))
				return b->err;
			st[depth].qi = (uint32_t)(d->nq - 1);
			st[depth].type = (uint8_t)type;
			depth++;
			b->role[i - ft] = ROLE_OPEN;
			qstart = 1;
			continue;
		} else if (depth > 0) {
			t->flags |= NL_TF_IN_QUOTE;
		}
		qstart = 0;
	}
	/* still open at the end of the paragraph */
	if (depth > 0) {
		for (k = 0; k < depth; k++)
			close_quote(b, st[k].qi, SIZE_MAX, end - 1, heading ? NL_QF_UNCLOSED : 0);
		if (!heading) {
			for (k = 0; k < depth; k++)
				b->pend[k] = st[k].qi;
			b->npend = depth;
			b->pend_type = st[0].type;
		}
	}
	return 0;
}

/* ---- sentences ---------------------------------------------------------------- */

/* Abbreviations after which a period never ends a sentence. */
static const char *const abbr_never[] = {
	"Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "Sen", "Sens", "Rep", "Reps",
	"Gov", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt", "St",
	"Ste", "Rev", "Fr", "Hon", "Pres", "Supt", "Atty", "Mt", "Ft", "vs", "v", "cf",
	"approx", "Gens", "Brig", "Insp", "Det", "Sec", "Amb",
	"e.g.", "i.e.", "E.g.", "I.e.", "viz", "pp",
	NULL
};
/* Abbreviations that may end a sentence: only when a typical sentence
 * opener follows ("... Inc. The company"). */
static const char *const abbr_maybe[] = {
	"Inc", "Co", "Corp", "Ltd", "Bros", "etc", "Jr", "Sr", "al", "Jan", "Feb", "Mar", "Apr", "Jun",
	"Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Ave", "Blvd", "Rd",
	"Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan",
	"Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla",
	"Ore", "Pa", "Tenn", "Vt", "Va", "Wash", "Wis", "Wyo", "Gov't", NULL
};
/* Abbreviations that never end a sentence before a number ("No. 5"). */
static const char *const abbr_num[] = {
	"No", "Nos", "no", "Vol", "vol", "Fig", "fig", "p", "pp", "Art", "art", "Ch", "ch",
	"Sec", "sec", "Nr", NULL
};
static const char *const starters[] = {
	"The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
	"Those", "There", "Here", "His", "Her", "Its", "Their", "Our", "My", "Your", "But",
	"And", "Or", "So", "Yet", "In", "On", "At", "For", "As", "If", "When", "While", "After",
	"Before", "Since", "Although", "Though", "Because", "Now", "Then", "Still", "However",
	"Meanwhile", "Also", "Some", "Many", "Most", "All", "Not", "What", "Who", "Why", "How",
	"Where", "Last", "Earlier", "Later", "Today", "Yesterday", "Despite", "During", "With",
	"By", "From", "To", "One", "Asked", "According", "Both", "Each", "Such", "Other",
	"Another", "No", "Once", "Even", "Only", "Instead", "Over", "Under", NULL
};

static wordset ws_abbr_never = {.v = abbr_never}, ws_abbr_maybe = {.v = abbr_maybe},
	ws_abbr_num = {.v = abbr_num}, ws_starters = {.v = starters};

__attribute__((constructor)) static void wordsets_init(void)
{
	wordset_init(&ws_elisions);
	wordset_init(&ws_abbr_never);
	wordset_init(&ws_abbr_maybe);
	wordset_init(&ws_abbr_num);
	wordset_init(&ws_starters);
}

enum { AB_NONE, AB_MAYBE, AB_NEVER };

static int abbrev_kind(const builder *b, size_t i, size_t ft, size_t next)
{
	const nl_token *t = &b->d->tok[i];
	if (t->kind == NL_TOK_WORD) {       /* a dotted word: "U.S." "a.m." "e.g." */
		if (tok_in(b, t, &ws_abbr_never))
			return AB_NEVER;
		return AB_MAYBE;
	}
	/* a "." token: look at the word glued before it */
	if (i > ft) {
		const nl_token *w = t - 1;
		if (w->kind == NL_TOK_WORD && w->off + w->len == t->off) {
			if (tok_in(b, w, &ws_abbr_never))
				return AB_NEVER;
			if (tok_in(b, w, &ws_abbr_maybe))
				return AB_MAYBE;
			if (b->d->tok[next].kind == NL_TOK_NUMBER && tok_in(b, w, &ws_abbr_num))
				return AB_NEVER;
			if (w->len == 1 && b->s[w->off] >= 'A' && b->s[w->off] <= 'Z')
				return AB_MAYBE;   /* an initial: John F. Kennedy */
			if (w->flags & NL_TF_NONASCII) {
				uint32_t cp;
				size_t k = nl_utf8_next((const char *)b->s + w->off, w->len, &cp);
				if (k == w->len && nl_is_upper(cp))
					return AB_MAYBE;
			}
		}
	}
	return AB_NONE;
}

static int sentence_opener(const builder *b, size_t j, size_t end)
{
	const nl_token *n = &b->d->tok[j];
	uint32_t cp;
	if (n->kind == NL_TOK_WORD)
		return (n->flags & NL_TF_CAPITALIZED) != 0;
	if (n->kind == NL_TOK_NUMBER)
		return 1;           /* "... in 2015. 2016 was ..." */
	if (n->kind != NL_TOK_PUNCT && n->kind != NL_TOK_SYMBOL)
		return 0;
	cp = tok_cp(b, n);
	if (n->kind == NL_TOK_PUNCT &&
	    (cp == 0x201C || cp == 0x2018 || cp == '"' || cp == '\'' || cp == 0xAB || cp == 0x201E))
		return 1;
	if (n->kind == NL_TOK_PUNCT && (cp == '(' || cp == '[') && j + 1 < end &&
	    (b->d->tok[j + 1].flags & NL_TF_CAPITALIZED))
		return 1;
	/* a bullet at the start of a line: "... done.\n~ The next item" */
	if ((n->flags & NL_TF_LINE_START) && (is_bullet_cp(cp) || cp == '~') && j + 1 < end &&
	    (b->d->tok[j + 1].flags & NL_TF_CAPITALIZED))
		return 1;
	return 0;
}

/* Would the sentence splitter end a sentence before the last token?  (Used
 * for titles, before the quotation pass has run.) */
static int inner_sentence_end(const builder *b, size_t ft, size_t nt)
{
	const nl_token *t = b->d->tok;
	size_t i, j, end = ft + nt;
	for (i = ft; i + 1 < end; i++) {
		int ab;
		if (!is_terminal(b, &t[i]))
			continue;
		for (j = i + 1; j < end && t[j].off == t[j - 1].off + t[j - 1].len &&
		     t[j].kind == NL_TOK_PUNCT && (is_terminal(b, &t[j]) || is_closer_cp(tok_cp(b, &t[j]))); j++)
			;
		if (j >= end || t[j].off == t[j - 1].off + t[j - 1].len)
			continue;
		if (!(t[j].kind == NL_TOK_WORD && (t[j].flags & NL_TF_CAPITALIZED)))
			continue;
		ab = AB_NONE;
		if ((t[i].kind == NL_TOK_PUNCT && b->s[t[i].off] == '.' && t[i].len == 1) || t[i].kind == NL_TOK_WORD)
			ab = abbrev_kind(b, i, ft, j);
		if (ab == AB_NONE || (ab == AB_MAYBE && tok_in(b, &t[j], &ws_starters)))
			return 1;
	}
	return 0;
}

static int add_sentence(builder *b, size_t first, size_t last, size_t pidx)
{
	doc_impl *d = b->d;
	nl_sentence *se;
	size_t i;
	if (grow((void **)&d->sent, &d->capsent, d->nsent + 1, sizeof *d->sent))
		return b->err = NL_ENOMEM;
	se = &d->sent[d->nsent++];
	se->off = d->tok[first].off;
	se->len = d->tok[last].off + d->tok[last].len - se->off;
	se->first_token = (uint32_t)first;
	se->n_tokens = (uint32_t)(last - first + 1);
	se->paragraph = (uint32_t)pidx;
	for (i = first; i <= last; i++)
		if (d->tok[i].kind != NL_TOK_PUNCT && d->tok[i].kind != NL_TOK_SYMBOL) {
			d->tok[i].flags |= NL_TF_SENT_START;
			break;
		}
	return 0;
}

static inline size_t next_scand(const builder *b, size_t i, size_t end)
{
	while (i < end) {
		uint64_t w = b->scand[i >> 6] >> (i & 63);
		if (w) {
			i += (size_t)__builtin_ctzll(w);
			return i < end ? i : end;
		}
		i = (i | 63) + 1;
	}
	return end;
}

static int sentence_pass(builder *b, size_t ft, size_t nt, size_t pidx)
{
	doc_impl *d = b->d;
	size_t i, end = ft + nt, first = ft, wscan = ft;
	int has_word = 0;
	/* only the tokens emit() marked as possible ends are visited */
	for (i = next_scand(b, ft, end); i < end; i = next_scand(b, i + 1, end)) {
		nl_token *t = &d->tok[i];
		size_t j, last;
		int ab;
		/* has_word: is there a word among the tokens [first, i]?  (looked
		   for from wscan on, each token at most once a sentence) */
		for (; !has_word && wscan <= i; wscan++)
			has_word = d->tok[wscan].kind == NL_TOK_WORD;
		if (t->kind == NL_TOK_WORD) {
			if (b->s[t->off + t->len - 1] != '.' || t->len < 2)
				continue;
		} else if (t->kind != NL_TOK_PUNCT) {
			continue;
		}
		if (!is_terminal(b, t))
			continue;
		/* absorb more terminal marks and glued closing quotes/brackets */
		last = i;
		for (j = i + 1; j < end; j++) {
			nl_token *n = &d->tok[j];
			nl_token *l = &d->tok[last];
			if (n->off != l->off + l->len || n->kind != NL_TOK_PUNCT)
				break;
			if (b->role[j - ft] == ROLE_OPEN)
				break;
			if (!is_terminal(b, n) && !is_closer_cp(tok_cp(b, n)))
				break;
			last = j;
		}
		if (j >= end || !has_word) {
			i = last;
			continue;           /* the paragraph ends the sentence */
		}
		{
			nl_token *n = &d->tok[j];
			nl_token *l = &d->tok[last];
			if (n->off == l->off + l->len || !sentence_opener(b, j, end)) {
				i = last;
				continue;
			}
		}
		ab = AB_NONE;
		if ((t->kind == NL_TOK_PUNCT && b->s[t->off] == '.' && t->len == 1) || t->kind == NL_TOK_WORD)
			ab = abbrev_kind(b, i, ft, j);
		if (ab == AB_NEVER ||
		    (ab == AB_MAYBE && !(d->tok[j].kind == NL_TOK_WORD && tok_in(b, &d->tok[j], &ws_starters)))) {
			i = last;
			continue;
		}
		if (add_sentence(b, first, last, pidx))
			return b->err;
		first = last + 1;
		has_word = 0;
		wscan = first;
		i = last;
	}
	for (; !has_word && wscan < end; wscan++)
		has_word = d->tok[wscan].kind == NL_TOK_WORD;
	if (first < end) {
		/* a tail without words joins the sentence before it */
		if (!has_word && d->nsent > 0 && first > ft && d->sent[d->nsent - 1].paragraph == pidx) {
			nl_sentence *se = &d->sent[d->nsent - 1];
			se->n_tokens = (uint32_t)(end - se->first_token);
			se->len = d->tok[end - 1].off + d->tok[end - 1].len - se->off;
		} else if (add_sentence(b, first, end - 1, pidx)) {
			return b->err;
		}
	}
	return 0;
}

/* ---- paragraphs ------------------------------------------------------------------ */

/* heading_mode: 0 = flags/level are final (Markdown), 1 = plain text
 * (decide by shape), 2 = Markdown first paragraph that may be a title. */
static int finish_paragraph(builder *b, size_t ft, uint16_t flags, uint16_t level,
                            int heading_mode, int single_line, int is_last)
{
	doc_impl *d = b->d;
	size_t nt = d->ntok - ft, pidx, i, qcand = b->nqcand;
	nl_paragraph *p;
	int heading, deck = b->deck_next;
	b->deck_next = 0;
	b->nqcand = 0;
	if (nt == 0)
		return 0;
	/* a paragraph of marks only ("* * *", "———") separates sections: it is
	   not prose, so it leaves no tokens, sentence or paragraph */
	for (i = ft; i < d->ntok; i++)
		if (d->tok[i].kind != NL_TOK_PUNCT && d->tok[i].kind != NL_TOK_SYMBOL)
			break;
	if (i == d->ntok) {
		d->ntok = ft;
		b->last_end = ft ? d->tok[ft - 1].off + d->tok[ft - 1].len : b->last_end;
		return 0;
	}
	if (heading_mode) {
		int h = plain_heading(b, ft, nt, single_line, is_last, d->npar == 0 && !b->have_title);
		if (heading_mode == 2 && h == 1 && ends_punctuated(b, &d->tok[ft], nt))
			h = 0;          /* Markdown: only an unpunctuated first line */
		if (heading_mode == 2 && h == 2)
			h = 0;
		if (deck && h == 2)
			h = 0;
		if (h == 1) {
			flags |= NL_PF_TITLE | NL_PF_HEADING;
			level = 1;
			b->have_title = 1;
			if (heading_mode == 2)
				b->md_fallback_title = 1;
		} else if (h == 2) {
			flags |= NL_PF_HEADING;
			level = 2;
		}
	} else if (flags & NL_PF_HEADING) {
		if (!b->have_title && (d->npar == 0 || level == 1)) {
			flags |= NL_PF_TITLE;
			b->have_title = 1;
		}
		if (level == 1 && !b->md_first_h1)
			b->md_first_h1 = d->npar + 1;
	}
	heading = (flags & NL_PF_HEADING) != 0;
	if (heading)
		for (i = ft; i < d->ntok; i++)
			d->tok[i].flags |= NL_TF_IN_HEADING;
	if (grow((void **)&d->par, &d->cappar, d->npar + 1, sizeof *d->par) ||
	    grow((void **)&b->role, &b->caprole, nt, 1))
		return b->err = NL_ENOMEM;
	pidx = d->npar++;
	p = &d->par[pidx];
	p->off = d->tok[ft].off;
	p->len = d->tok[d->ntok - 1].off + d->tok[d->ntok - 1].len - p->off;
	p->first_token = (uint32_t)ft;
	p->n_tokens = (uint32_t)nt;
	p->flags = flags;
	p->level = heading ? level : 0;
	if (quote_pass(b, ft, nt, pidx, heading, qcand))
		return b->err;
	p = &d->par[pidx];
	p->first_sentence = (uint32_t)d->nsent;
	if (sentence_pass(b, ft, nt, pidx))
		return b->err;
	p->n_sentences = (uint32_t)(d->nsent - p->first_sentence);
	/* Three or more plain subheadings in a row are a list of short lines
	   (names, items), not headings; two may be a deck and a heading. */
	if (heading_mode == 1) {
		int sub = heading && !(flags & NL_PF_TITLE);
		if (!sub) {
			b->sub_run = 0;
		} else {
			if (!b->sub_run)
				b->sub_run_start = pidx;
			if (++b->sub_run >= 3) {
				size_t k;
				for (k = b->sub_run_start; k <= pidx; k++) {
					nl_paragraph *pp = &d->par[k];
					if ((pp->flags & NL_PF_HEADING) && !(pp->flags & NL_PF_TITLE)) {
						size_t m;
						pp->flags &= (uint16_t)~NL_PF_HEADING;
						pp->level = 0;
						for (m = pp->first_token; m < pp->first_token + pp->n_tokens; m++)
							d->tok[m].flags &= (uint16_t)~NL_TF_IN_HEADING;
					}
				}
			}
		}
	}
	return 0;
}

static int tokenize_para(builder *b, uint32_t off, uint32_t end, uint16_t flags, int single_line, int is_last)
{
	size_t ft = b->d->ntok;
	if (tokenize(b, off, end))
		return b->err;
	return finish_paragraph(b, ft, flags, 0, 1, single_line, is_last);
}

/* ---- plain text ------------------------------------------------------------------- */

typedef struct line { uint32_t s, e; uint8_t blank, bullet, indent; } line;

static int line_blank(const unsigned char *s, uint32_t a, uint32_t e)
{
	while (a < e) {
		unsigned c = s[a];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0) {
			a++;
		} else if (c == 0xC2 && a + 1 < e && s[a + 1] == 0xA0) {
			a += 2;
		} else if (c == 0xEF && a + 2 < e && s[a + 1] == 0xBB && s[a + 2] == 0xBF) {
			a += 3;
		} else if (c == 0xE3 && a + 2 < e && s[a + 1] == 0x80 && s[a + 2] == 0x80) {
			a += 3;
		} else {
			return 0;
		}
	}
	return 1;
}

/* A line holding only an HTML comment, such as a newslint-disable directive:
   in plain text it is markup, not prose (and not a paragraph of its own). */
static int line_comment(const unsigned char *s, uint32_t a, uint32_t e)
{
	while (a < e && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e - a < 7 || memcmp(s + a, "<!--", 4) != 0 || memcmp(s + e - 3, "-->", 3) != 0)
		return 0;
	for (uint32_t k = a + 4; k + 3 < e; k++)   /* one comment, nothing after it */
		if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>')
			return 0;
	return 1;
}

/* A list bullet at the start of a line: "- ", "* ", "• ", "1. ", "2) " */
static int line_bullet(const unsigned char *s, uint32_t a, uint32_t e)
{
	uint32_t cp, k;
	while (a < e && (s[a] == ' ' || s[a] == '\t'))
		a++;
	if (a >= e)
		return 0;
	if (s[a] >= '0' && s[a] <= '9') {
		uint32_t q = a;
		while (q < e && q - a < 3 && s[q] >= '0' && s[q] <= '9')
			q++;
		return q + 1 < e && (s[q] == '.' || s[q] == ')') && s[q + 1] == ' ';
	}
	k = dec(s, a, e, &cp);
	if (!is_bullet_cp(cp) || cp == 0x2014)
		return 0;
	return a + k < e && (s[a + k] == ' ' || s[a + k] == '\t');
}

static const char *const glue_words[] = {
	"the", "a", "an", "to", "of", "and", "or", "in", "on", "at", "for", "with", "by", "from",
	"that", "as", "is", "was", "are", "were", "his", "her", "their", "its", "our", "but",
	"not", "than", "into", "about", "over", "under", "after", "before", "this", "these",
	"those", "be", "been", "has", "have", "had", "will", "would", "could", "should", "can",
	"may", "might", "who", "which", "whose", "when", "while", "if", "said", "says", NULL
};
static wordset ws_glue = {.v = glue_words};

__attribute__((constructor)) static void glue_init(void)
{
	wordset_init(&ws_glue);
}

/* In one-paragraph-per-line text: is the newline between lines a and c
 * only a wrap (a ends with a comma, a hyphen or a word like "the"; or a
 * has no final punctuation and c goes on in lower case)? */
static int soft_break(const unsigned char *s, const line *a, const line *c)
{
	uint32_t e = a->e, w, q;
	unsigned last;
	uint32_t cp;
	if (c->bullet)
		return 0;
	while (e > a->s && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e == a->s)
		return 0;
	last = s[e - 1];
	if (last == ',' || (last == '-' && !(e - a->s >= 2 && s[e - 2] == '-')) || last == '(')
		return 1;
	if (last >= 0x80) {
		uint32_t k = e - 1;
		while (k > a->s && (s[k] & 0xC0) == 0x80)
			k--;
		dec(s, k, e, &cp);
		if (!nl_is_alpha(cp))
			return 0;          /* ” ’ … — and the like end a paragraph */
		last = 'x';
	}
	if ((last >= 'a' && last <= 'z')) {
		size_t n;
		for (w = e; w > a->s && ascii_alpha(s[w - 1]); w--)
			;
		n = e - w;
		if ((w == a->s || !ascii_alnum(s[w - 1])) && ws_has(&ws_glue, s + w, n))
			return 1;
	}
	if (last == '.' || last == '!' || last == '?' || last == ':' || last == ';' || last == '"' ||
	    last == '\'' || last == ')')
		return 0;
	for (q = c->s; q < c->e && (s[q] == ' ' || s[q] == '\t'); q++)
		;
	if (q >= c->e)
		return 0;
	dec(s, q, c->e, &cp);
	return nl_is_alpha(cp) && !nl_is_upper(cp);
}

/* The first line of a block is a headline written above its deck: it ends
 * with ';' (as news archives export them), or it has no final punctuation
 * and is in title case. */
static int headline_line(const unsigned char *s, const line *l)
{
	uint32_t e = l->e, q;
	size_t words = 0, longw = 0, caps = 0;
	while (e > l->s && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e == l->s || l->bullet)
		return 0;
	for (q = l->s; q < e;) {
		uint32_t w = q;
		while (q < e && s[q] != ' ' && s[q] != '\t')
			q++;
		if (q > w) {
			words++;
			if (q - w >= 4) {
				longw++;
				if (s[w] >= 'A' && s[w] <= 'Z')
					caps++;
			}
		}
		while (q < e && (s[q] == ' ' || s[q] == '\t'))
			q++;
	}
	if (words > 25 || words < 2)
		return 0;
	if (s[e - 1] == ';')
		return 1;
	if (strchr(".,:!?-\"')", s[e - 1]) || s[e - 1] >= 0x80)
		return 0;
	return longw >= 2 && caps * 10 >= longw * 7;
}

static int build_plain(builder *b, uint32_t start)
{
	const unsigned char *s = b->s;
	uint32_t len = b->len, pos = start, content_end = start;
	line *L = NULL;
	size_t nl = 0, cap = 0, i;
	int has_blank = 0, seen_content = 0, pending_blank = 0, soft_all = 0, rc = 0;
	size_t cont_breaks = 0, breaks = 0, indented = 0, maxlen = 0;
	/* 1. lines */
	while (pos < len) {
		const unsigned char *nlp = memchr(s + pos, '\n', len - pos);
		uint32_t e = nlp ? (uint32_t)(nlp - s) : len, te = e;
		line *l;
		if (te > pos && s[te - 1] == '\r')
			te--;
		if (te > pos && s[pos] != '\n' && line_comment(s, pos, te)) {
			pos = nlp ? e + 1 : len;
			if (!nlp)
				break;
			continue;
		}
		if (nl > 0 && L[nl - 1].blank && line_blank(s, pos, te)) {
			/* runs of blank lines are one separator (a file of newlines
			   must not cost 12 bytes a line) */
			pos = nlp ? e + 1 : len;
			if (!nlp)
				break;
			continue;
		}
		if (grow((void **)&L, &cap, nl + 1, sizeof *L)) {
			free(L);
			return b->err = NL_ENOMEM;
		}
		l = &L[nl++];
		l->s = pos;
		l->e = te;
		l->blank = (uint8_t)line_blank(s, pos, te);
		l->bullet = l->blank ? 0 : (uint8_t)line_bullet(s, pos, te);
		l->indent = !l->blank && (s[pos] == ' ' || s[pos] == '\t');
		if (!l->blank) {
			if (pending_blank && seen_content)
				has_blank = 1;
			seen_content = 1;
			pending_blank = 0;
			content_end = te;
			if (te - pos > maxlen)
				maxlen = te - pos;
			if (l->indent)
				indented++;
		} else {
			pending_blank = 1;
		}
		pos = nlp ? e + 1 : len;
		if (!nlp)
			break;
	}
	/* 2. no blank lines: one paragraph per line, unless hard-wrapped prose */
	if (!has_blank) {
		for (i = 0; i + 1 < nl; i++) {
			if (L[i].blank || L[i + 1].blank)
				continue;
			breaks++;
			if (soft_break(s, &L[i], &L[i + 1]))
				cont_breaks++;
		}
		/* mostly wraps and short lines: hard-wrapped prose without blank
		   lines; paragraphs then start at indented lines and bullets */
		if (breaks >= 2 && cont_breaks * 10 >= breaks * 6 && maxlen <= 100)
			soft_all = 1;
	}
	/* 3. paragraphs */
	i = 0;
	while (i < nl && !rc) {
		size_t j;
		if (L[i].blank) {
			i++;
			continue;
		}
		/* a block of non-blank lines [i, j) */
		for (j = i; j < nl && !L[j].blank; j++)
			;
		{
			size_t k, longest = 0, a;
			int split_lines = !has_blank && !soft_all;
			for (k = i; k + 1 < j; k++)
				if (L[k].e - L[k].s > longest)
					longest = L[k].e - L[k].s;
			if (j - i > 1 && longest > 120)
				split_lines = 1;
			a = i;
			if (!split_lines && j - i > 1 && b->d->npar == 0 && headline_line(s, &L[i])) {
				/* "Headline;\nDeck sentence." at the top: the title stands alone */
				rc = tokenize_para(b, L[i].s, L[i].e, 0, 1, 0);
				a = i + 1;
				b->deck_next = 1;   /* the deck is part of the title block */
			}
			while (a < j && !rc) {
				size_t z = a + 1;
				if (!split_lines)
					while (z < j && !L[z].bullet &&
					       !(soft_all && L[z].indent && indented < (nl * 3) / 4))
						z++;
				else
					while (z < j && soft_break(s, &L[z - 1], &L[z]))
						z++;
				rc = tokenize_para(b, L[a].s, L[z - 1].e, L[a].bullet ? NL_PF_LIST_ITEM : 0,
				                   z == a + 1, L[z - 1].e >= content_end);
				a = z;
			}
		}
		i = j;
	}
	free(L);
	return rc;
}

/* ---- Markdown ----------------------------------------------------------------------- */

static int md_flush(builder *b)
{
	size_t i, ft = b->d->ntok;
	int mode = 0, single = 1;
	if (!b->md_para_open && !b->nruns)
		return 0;
	for (i = 0; i < b->nruns; i++) {
		b->run_flags = b->runs[i].flags;
		if (b->runs[i].flags & RUN_ENTITY) {
			b->run_flags &= ~RUN_ENTITY;
			if (tokenize_entity(b, b->runs[i].off, b->runs[i].end))
				return b->err;
		} else if (tokenize(b, b->runs[i].off, b->runs[i].end)) {
			return b->err;
		}
	}
	b->run_flags = 0;
	if (b->d->ntok > ft) {
		uint32_t a = b->d->tok[ft].off, e = b->d->tok[b->d->ntok - 1].off;
		single = memchr(b->s + a, '\n', e - a) == NULL;
	}
	if (!(b->md_pflags & (NL_PF_HEADING | NL_PF_LIST_ITEM | NL_PF_BLOCKQUOTE)) &&
	    b->d->npar == 0 && !b->have_title)
		mode = 2;
	b->nruns = 0;
	b->md_para_open = 0;
	if (finish_paragraph(b, ft, b->md_pflags, b->md_level, mode, single, 0))
		return b->err;
	return 0;
}

static void md_open(builder *b, uint16_t flags, uint16_t level)
{
	b->md_para_open = 1;
	b->md_pflags = flags | (b->md_li ? NL_PF_LIST_ITEM : 0) | (b->md_quote ? NL_PF_BLOCKQUOTE : 0);
	b->md_level = level;
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	builder *b = ud;
	if (md_flush(b))
		return 1;
	switch (type) {
	case MD_BLOCK_QUOTE:
		b->md_quote++;
		break;
	case MD_BLOCK_LI:
		b->md_li++;
		md_open(b, 0, 0);         /* tight lists send text without a P */
		break;
	case MD_BLOCK_H:
		md_open(b, NL_PF_HEADING, (uint16_t)((MD_BLOCK_H_DETAIL *)detail)->level);
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		md_open(b, 0, 0);
		break;
	default:
		break;
	}
	return 0;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	builder *b = ud;
	(void)detail;
	if (md_flush(b))
		return 1;
	if (type == MD_BLOCK_QUOTE)
		b->md_quote--;
	else if (type == MD_BLOCK_LI)
		b->md_li--;
	return 0;
}

static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	builder *b = ud;
	(void)detail;
	if (type == MD_SPAN_A || type == MD_SPAN_WIKILINK)
		b->md_link++;
	else if (type == MD_SPAN_IMG)
		b->md_img++;
	return 0;
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	builder *b = ud;
	(void)detail;
	if (type == MD_SPAN_A || type == MD_SPAN_WIKILINK)
		b->md_link--;
	else if (type == MD_SPAN_IMG)
		b->md_img--;
	return 0;
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *txt, MD_SIZE size, void *ud)
{
	builder *b = ud;
	const unsigned char *p = (const unsigned char *)txt;
	uint32_t off, fl;
	if (type != MD_TEXT_NORMAL && type != MD_TEXT_ENTITY)
		return 0;                 /* code, HTML, breaks, NUL, math */
	if (b->md_img || size == 0)
		return 0;                 /* image alt text is not prose */
	if (p < b->s || p + size > b->s + b->len)
		return 0;                 /* not in the buffer (never expected) */
	off = (uint32_t)(p - b->s);
	fl = (b->md_link ? NL_TF_IN_LINK : 0) | (type == MD_TEXT_ENTITY ? RUN_ENTITY : 0);
	if (!b->md_para_open && !b->nruns)
		md_open(b, 0, 0);
	if (b->nruns && !(fl & RUN_ENTITY) && b->runs[b->nruns - 1].end == off &&
	    b->runs[b->nruns - 1].flags == fl) {
		b->runs[b->nruns - 1].end = off + size;
		return 0;
	}
	if (grow((void **)&b->runs, &b->capruns, b->nruns + 1, sizeof *b->runs)) {
		b->err = NL_ENOMEM;
		return 1;
	}
	b->runs[b->nruns].off = off;
	b->runs[b->nruns].end = off + size;
	b->runs[b->nruns].flags = fl;
	b->nruns++;
	return 0;
}

/* YAML (---) or TOML (+++) front matter at the very top: skipped. */
static uint32_t front_matter_end(const unsigned char *s, uint32_t start, uint32_t len)
{
	uint32_t p = start, q;
	char fence;
	if (len - start < 4 || !((s[p] == '-' && s[p + 1] == '-' && s[p + 2] == '-') ||
	                         (s[p] == '+' && s[p + 1] == '+' && s[p + 2] == '+')))
		return start;
	fence = (char)s[p];
	q = p + 3;
	while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r'))
		q++;
	if (q >= len || s[q] != '\n')
		return start;
	p = q + 1;
	while (p < len) {
		const unsigned char *nlp = memchr(s + p, '\n', len - p);
		uint32_t e = nlp ? (uint32_t)(nlp - s) : len, te = e;
		while (te > p && (s[te - 1] == '\r' || s[te - 1] == ' ' || s[te - 1] == '\t'))
			te--;
		if (te - p == 3 && ((s[p] == (unsigned char)fence && s[p + 1] == (unsigned char)fence &&
		                     s[p + 2] == (unsigned char)fence) ||
		                    (fence == '-' && s[p] == '.' && s[p + 1] == '.' && s[p + 2] == '.')))
			return nlp ? e + 1 : len;
		p = nlp ? e + 1 : len;
	}
	return start;
}

static int build_markdown(builder *b, uint32_t start)
{
	MD_PARSER parser;
	uint32_t from = front_matter_end(b->s, start, b->len);
	int r;
	memset(&parser, 0, sizeof parser);
	parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
	parser.enter_block = md_enter_block;
	parser.leave_block = md_leave_block;
	parser.enter_span = md_enter_span;
	parser.leave_span = md_leave_span;
	parser.text = md_text;
	/* md4c 0.4.8 reads a byte or two past the end of a text whose last
	   line (without a newline) is inside an unclosed HTML comment; the
	   caller promises only len bytes, so such a text is parsed from a copy
	   with two NUL bytes after it (offsets are the same in both). */
	const unsigned char *orig = b->s;
	unsigned char *pad = NULL;
	if (b->len > from && b->s[b->len - 1] != '\n') {
		pad = malloc((size_t)b->len + 2);
		if (!pad)
			return NL_ENOMEM;
		memcpy(pad, b->s, b->len);
		pad[b->len] = pad[b->len + 1] = 0;
		b->s = pad;
	}
	r = md_parse((const MD_CHAR *)b->s + from, b->len - from, &parser, b);
	b->s = orig;
	free(pad);
	if (!b->err && md_flush(b))
		return b->err;
	if (b->err)
		return b->err;
	/* The short first line taken as the title of a file without '#'
	   yields to a real level-1 heading further down. */
	if (b->md_fallback_title && b->md_first_h1 && b->d->npar &&
	    (b->d->par[0].flags & NL_PF_TITLE)) {
		nl_paragraph *p0 = &b->d->par[0], *h = &b->d->par[b->md_first_h1 - 1];
		size_t m;
		p0->flags &= (uint16_t)~(NL_PF_TITLE | NL_PF_HEADING);
		p0->level = 0;
		for (m = p0->first_token; m < p0->first_token + p0->n_tokens; m++)
			b->d->tok[m].flags &= (uint16_t)~NL_TF_IN_HEADING;
		h->flags |= NL_PF_TITLE;
	}
	return r ? NL_ENOMEM : 0;
}

/* ---- public --------------------------------------------------------------------------- */

void nl_doc_free(nl_doc *doc)
{
	doc_impl *d = (doc_impl *)doc;
	if (!d)
		return;
	free(d->tok);
	free(d->sent);
	free(d->par);
	free(d->q);
	nl_doc_words_free(d->words);
	free(d->path_copy);
	free(d);
}

void nl_doc_set_words(nl_doc *doc, nl_doc_words *w)
{
	doc_impl *d = (doc_impl *)doc;
	nl_doc_words_free(d->words);
	d->words = w;
	d->pub.word_ids = w ? w->ids : NULL;
	d->pub.n_word_ids = w ? w->n : 0;
	d->pub.word_forms = w ? w->forms : NULL;
	d->pub.word_form_off = w ? w->off : NULL;
	d->pub.word_base = w ? w->base : NULL;
}

nl_doc_words *nl_doc_get_words(const nl_doc *doc)
{
	return doc && doc->word_ids ? ((const doc_impl *)doc)->words : NULL;
}

int nl_doc_build(const char *path, const char *text, size_t len, int format, nl_doc **out)
{
	builder b;
	doc_impl *d;
	uint32_t start = 0;
	int rc;
	if (!out)
		return NL_EINVAL;
	*out = NULL;
	/* offsets are uint32_t; the margin keeps every "p + k < end" look-ahead
	   free of wrap-around */
	if ((!text && len) || len > (size_t)UINT32_MAX - 256)
		return NL_EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return NL_ENOMEM;
	if (path && !(d->path_copy = strdup(path))) {
		free(d);
		return NL_ENOMEM;
	}
	memset(&b, 0, sizeof b);
	b.d = d;
	b.s = (const unsigned char *)(text ? text : "");
	b.len = (uint32_t)len;
	b.format = format;
	/* a rough first guess at the sizes saves most reallocations */
	if (grow((void **)&d->tok, &d->captok, (len < (64u << 20) ? len : (64u << 20)) / 5 + 16, sizeof *d->tok) ||
	    grow((void **)&d->sent, &d->capsent, len / 100 + 4, sizeof *d->sent) ||
	    grow((void **)&d->par, &d->cappar, len / 400 + 4, sizeof *d->par) ||
	    grow((void **)&d->q, &d->capq, len / 1000 + 4, sizeof *d->q) || scand_fit(&b)) {
		nl_doc_free(&d->pub);
		return NL_ENOMEM;
	}
	if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
	    (unsigned char)text[2] == 0xBF)
		start = 3;
	b.last_end = start;
	if (format == NL_FORMAT_MARKDOWN)
		rc = build_markdown(&b, start);
	else
		rc = build_plain(&b, start);
	if (!rc && b.npend) {               /* unclosed at the end of the text */
		int k;
		for (k = 0; k < b.npend; k++)
			d->q[b.pend[k]].flags |= NL_QF_UNCLOSED;
	}
	free(b.role);
	free(b.scand);
	free(b.runs);
	if (rc) {
		nl_doc_free(&d->pub);
		return rc;
	}
	d->pub.struct_size = sizeof(nl_doc);
	d->pub.path = d->path_copy ? d->path_copy : "-";
	d->pub.text = text ? text : "";
	d->pub.text_len = len;
	d->pub.format = format;
	d->pub.tokens = d->tok;
	d->pub.n_tokens = d->ntok;
	d->pub.sentences = d->sent;
	d->pub.n_sentences = d->nsent;
	d->pub.paragraphs = d->par;
	d->pub.n_paragraphs = d->npar;
	d->pub.quotes = d->q;
	d->pub.n_quotes = d->nq;
	d->pub.n_words = b.nwords;
	*out = &d->pub;
	return 0;
}
