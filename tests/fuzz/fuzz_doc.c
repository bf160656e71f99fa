/* fuzz_doc.c -- the document model on arbitrary bytes.
 *
 * The bytes go through nl_utf8_check as the driver does; what it accepts is
 * built as plain text and as Markdown, and the model is checked against
 * what doc.h and plugin.h promise: every span inside the text and on UTF-8
 * boundaries (never inside a BOM), tokens sorted and non-overlapping,
 * sentences and paragraphs covering the tokens in order, quotations inside
 * their paragraph with their tokens between the marks, counts consistent.
 * The Unicode helpers plugins get (utf8_next, fold) are checked on the way,
 * and the word numbers (src/words.c): a word token's form is its fold, the
 * same form has the same number, numbers in order of first use, a
 * possessive's base is its form stripped, word_find finds every form. */
#include "fuzz.h"
#include "doc.h"
#include "host.h"
#include "words.h"
#include <stdlib.h>
#include <string.h>

static int cont(const char *t, size_t len, size_t off)
{
	return off < len && ((unsigned char)t[off] & 0xC0) == 0x80;
}

static void check_span(const nl_doc *d, size_t bom, uint64_t off, uint64_t len, const char *what, size_t i)
{
	NLF_CHECK(off + len <= d->text_len, "%s %zu: %llu+%llu beyond %zu bytes", what, i,
	          (unsigned long long)off, (unsigned long long)len, d->text_len);
	NLF_CHECK(off >= bom || len == 0, "%s %zu starts inside the BOM", what, i);
	NLF_CHECK(!cont(d->text, d->text_len, off), "%s %zu starts inside a character (byte %llu)",
	          what, i, (unsigned long long)off);
	NLF_CHECK(!cont(d->text, d->text_len, off + len), "%s %zu ends inside a character (byte %llu)",
	          what, i, (unsigned long long)(off + len));
}

static void check_tokens(const nl_doc *d, size_t bom)
{
	size_t words = 0;
	for (size_t i = 0; i < d->n_tokens; i++) {
		const nl_token *t = &d->tokens[i];
		check_span(d, bom, t->off, t->len, "token", i);
		NLF_CHECK(t->len > 0, "token %zu is empty", i);
		NLF_CHECK(t->kind >= NL_TOK_WORD && t->kind <= NL_TOK_SYMBOL, "token %zu kind %u", i, t->kind);
		if (i)
			NLF_CHECK((uint64_t)d->tokens[i - 1].off + d->tokens[i - 1].len <= t->off,
			          "token %zu (%u+%u) overlaps or precedes token %zu (%u)", i - 1,
			          d->tokens[i - 1].off, d->tokens[i - 1].len, i, t->off);
		int nonascii = 0;
		for (size_t k = 0; k < t->len; k++)
			nonascii |= (unsigned char)d->text[t->off + k] >= 0x80;
		NLF_CHECK(!!(t->flags & NL_TF_NONASCII) == nonascii, "token %zu NONASCII flag wrong", i);
		if (t->flags & NL_TF_QUOTE_MARK)
			NLF_CHECK(t->kind == NL_TOK_PUNCT, "token %zu: a quote mark that is not PUNCT", i);
		words += t->kind == NL_TOK_WORD;
	}
	NLF_CHECK(d->n_words == words, "n_words %zu but %zu word tokens", d->n_words, words);
}

static void check_paragraphs(const nl_doc *d, size_t bom)
{
	size_t ntok = 0, nsent = 0, titles = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++) {
		const nl_paragraph *p = &d->paragraphs[i];
		check_span(d, bom, p->off, p->len, "paragraph", i);
		NLF_CHECK(p->n_tokens > 0, "paragraph %zu has no token", i);
		NLF_CHECK(p->first_token == ntok, "paragraph %zu starts at token %u, expected %zu", i,
		          p->first_token, ntok);
		ntok += p->n_tokens;
		NLF_CHECK(ntok <= d->n_tokens, "paragraph %zu runs past the tokens", i);
		const nl_token *a = &d->tokens[p->first_token], *z = &d->tokens[ntok - 1];
		NLF_CHECK(p->off == a->off && (uint64_t)p->off + p->len == (uint64_t)z->off + z->len,
		          "paragraph %zu span %u+%u is not its tokens' %u..%u", i, p->off, p->len,
		          a->off, z->off + z->len);
		NLF_CHECK(p->first_sentence == nsent, "paragraph %zu starts at sentence %u, expected %zu",
		          i, p->first_sentence, nsent);
		nsent += p->n_sentences;
		NLF_CHECK(nsent <= d->n_sentences, "paragraph %zu runs past the sentences", i);
		NLF_CHECK((p->flags & ~0xFu) == 0, "paragraph %zu flags %#x", i, p->flags);
		if (p->flags & NL_PF_HEADING)
			NLF_CHECK(p->level >= 1 && p->level <= 6, "heading %zu level %u", i, p->level);
		else
			NLF_CHECK(p->level == 0, "paragraph %zu (not a heading) level %u", i, p->level);
		titles += !!(p->flags & NL_PF_TITLE);
	}
	NLF_CHECK(ntok == d->n_tokens, "paragraphs hold %zu of %zu tokens", ntok, d->n_tokens);
	NLF_CHECK(nsent == d->n_sentences, "paragraphs hold %zu of %zu sentences", nsent, d->n_sentences);
	NLF_CHECK(titles <= 1, "%zu titles", titles);
}

static void check_sentences(const nl_doc *d, size_t bom)
{
	size_t ntok = 0;
	for (size_t i = 0; i < d->n_sentences; i++) {
		const nl_sentence *s = &d->sentences[i];
		check_span(d, bom, s->off, s->len, "sentence", i);
		NLF_CHECK(s->n_tokens > 0, "sentence %zu has no token", i);
		NLF_CHECK(s->first_token == ntok, "sentence %zu starts at token %u, expected %zu", i,
		          s->first_token, ntok);
		ntok += s->n_tokens;
		NLF_CHECK(ntok <= d->n_tokens, "sentence %zu runs past the tokens", i);
		const nl_token *a = &d->tokens[s->first_token], *z = &d->tokens[ntok - 1];
		NLF_CHECK(s->off == a->off && (uint64_t)s->off + s->len == (uint64_t)z->off + z->len,
		          "sentence %zu span is not its tokens'", i);
		NLF_CHECK(s->paragraph < d->n_paragraphs, "sentence %zu paragraph %u of %zu", i,
		          s->paragraph, d->n_paragraphs);
		const nl_paragraph *p = &d->paragraphs[s->paragraph];
		NLF_CHECK(i >= p->first_sentence && i < (size_t)p->first_sentence + p->n_sentences,
		          "sentence %zu is not among its paragraph %u's sentences", i, s->paragraph);
		NLF_CHECK(s->first_token >= p->first_token &&
		          ntok <= (size_t)p->first_token + p->n_tokens,
		          "sentence %zu tokens outside its paragraph %u", i, s->paragraph);
	}
	NLF_CHECK(ntok == d->n_tokens, "sentences hold %zu of %zu tokens", ntok, d->n_tokens);
}

static void check_quotes(const nl_doc *d, size_t bom)
{
	for (size_t i = 0; i < d->n_quotes; i++) {
		const nl_quote *q = &d->quotes[i];
		check_span(d, bom, q->off, q->len, "quote", i);
		check_span(d, bom, q->inner_off, q->inner_len, "quote inner", i);
		NLF_CHECK(q->inner_off >= q->off &&
		          (uint64_t)q->inner_off + q->inner_len <= (uint64_t)q->off + q->len,
		          "quote %zu inner %u+%u outside %u+%u", i, q->inner_off, q->inner_len, q->off, q->len);
		if (i)
			NLF_CHECK(d->quotes[i - 1].off <= q->off, "quotes %zu and %zu out of order", i - 1, i);
		NLF_CHECK((uint64_t)q->first_token + q->n_tokens <= d->n_tokens,
		          "quote %zu tokens past the end", i);
		size_t words = 0;
		for (size_t k = q->first_token; k < (size_t)q->first_token + q->n_tokens; k++) {
			const nl_token *t = &d->tokens[k];
			NLF_CHECK(t->off >= q->inner_off &&
			          (uint64_t)t->off + t->len <= (uint64_t)q->inner_off + q->inner_len,
			          "quote %zu token %zu (%u+%u) not between the marks (%u+%u)", i, k, t->off,
			          t->len, q->inner_off, q->inner_len);
			words += t->kind == NL_TOK_WORD;
		}
		NLF_CHECK(q->n_words == words, "quote %zu n_words %u, %zu word tokens", i, q->n_words, words);
		NLF_CHECK(q->paragraph < d->n_paragraphs, "quote %zu paragraph %u of %zu", i,
		          q->paragraph, d->n_paragraphs);
		const nl_paragraph *p = &d->paragraphs[q->paragraph];
		NLF_CHECK(q->off >= p->off && q->off < (uint64_t)p->off + p->len,
		          "quote %zu opens at %u, outside its paragraph %u (%u+%u)", i, q->off,
		          q->paragraph, p->off, p->len);
		NLF_CHECK((q->flags & ~0x3Fu) == 0, "quote %zu flags %#x", i, q->flags);
		NLF_CHECK(!((q->flags & NL_QF_UNCLOSED) && (q->flags & NL_QF_CONTINUES)),
		          "quote %zu both UNCLOSED and CONTINUES", i);
	}
}

/* The helpers plugins use: utf8_next always advances within the buffer;
 * fold never writes past its buffer and says how much it needs. */
static void check_helpers(const nl_doc *d)
{
	size_t i = 0, steps = 0;
	while (i < d->text_len && steps++ < 4096) {
		uint32_t cp;
		size_t k = nl_utf8_next(d->text + i, d->text_len - i, &cp);
		NLF_CHECK(k >= 1 && k <= 4 && k <= d->text_len - i, "utf8_next returned %zu", k);
		NLF_CHECK(cp <= 0x10FFFF, "utf8_next gave U+%X", cp);
		(void)nl_is_alpha(cp);
		(void)nl_is_upper(cp);
		NLF_CHECK(nl_lower(cp) <= 0x10FFFF, "lower(U+%X) out of range", cp);
		i += k;
	}
	for (size_t t = 0; t < d->n_tokens && t < 256; t++) {
		const nl_token *tk = &d->tokens[t];
		char small[8], big[4 * 65536 + 16];
		memset(small, 0x55, sizeof small);
		size_t need = nl_fold(d->text + tk->off, tk->len, small, 6);
		NLF_CHECK(small[6] == 0x55 && small[7] == 0x55, "fold wrote past its buffer");
		size_t need2 = nl_fold(d->text + tk->off, tk->len, big, sizeof big);
		NLF_CHECK(need == need2, "fold needs %zu then %zu", need, need2);
		NLF_CHECK(need2 < sizeof big && big[need2] == '\0' && strlen(big) <= need2,
		          "fold result not terminated");
		NLF_CHECK(strlen(small) <= 5, "fold result not terminated in a small buffer");
	}
}

static void check_words(nl_doc *d)
{
	static nl_words *w;
	if (!w)
		w = nl_words_new();
	int rc = nl_words_number(w, d);
	if (rc == NL_ENOMEM)
		return;
	NLF_CHECK(rc == 0, "nl_words_number returned %d", rc);
	if (d->n_tokens > NL_WORDS_MAX_TOKENS) {
		NLF_CHECK(!NL_DOC_HAS_WORDS(d), "a document too large was numbered");
		return;
	}
	NLF_CHECK(NL_DOC_HAS_WORDS(d), "no word numbers");
	const size_t n = d->n_word_ids;
	uint32_t next = 0;   /* numbers come in order of first use */
	char *f = NULL;
	size_t fcap = 0;
	for (size_t i = 0; i < d->n_tokens; i++) {
		const nl_token *t = &d->tokens[i];
		const uint32_t id = d->word_ids[i];
		if (t->kind != NL_TOK_WORD) {
			NLF_CHECK(id == NL_NO_WORD, "token %zu (no word) has number %u", i, id);
			continue;
		}
		NLF_CHECK(id < n && id <= next, "token %zu: number %u of %zu (next %u)", i, id, n, next);
		if (id == next)
			next++;
		size_t m = nl_fold(d->text + t->off, t->len, NULL, 0);
		if (m + 1 > fcap) {
			fcap = m + 1;
			f = realloc(f, fcap);
			NLF_CHECK(f != NULL, "out of memory");
		}
		nl_fold(d->text + t->off, t->len, f, fcap);
		const char *form = d->word_forms + d->word_form_off[id];
		NLF_CHECK(d->word_form_off[id + 1] - d->word_form_off[id] - 1 == m && memcmp(form, f, m) == 0,
		          "token %zu: its form is not its fold", i);
	}
	free(f);
	for (uint32_t id = 0; id < n; id++) {
		const char *form = d->word_forms + d->word_form_off[id];
		const size_t fl = d->word_form_off[id + 1] - d->word_form_off[id] - 1;
		NLF_CHECK(form[fl] == '\0', "form %u not NUL-terminated", id);
		NLF_CHECK(nl_host_table()->word_find(d, form, fl) == id || memchr(form, 0, fl),
		          "word_find misses form %u", id);
		const uint32_t b = d->word_base[id];
		const size_t strip = fl > 2 && form[fl - 2] == '\'' && form[fl - 1] == 's' ? 2 :
		                     fl > 1 && form[fl - 1] == '\'' ? 1 : 0;
		NLF_CHECK((b == NL_NO_WORD) == (strip == 0), "form %u: base %u, strip %zu", id, b, strip);
		if (b != NL_NO_WORD)
			NLF_CHECK(b < n && d->word_form_off[b + 1] - d->word_form_off[b] - 1 == fl - strip &&
			          memcmp(d->word_forms + d->word_form_off[b], form, fl - strip) == 0,
			          "form %u: base %u is not its stripped form", id, b);
	}
	for (uint32_t a = 0; a < n && a < 64; a++)   /* distinct forms, distinct numbers */
		for (uint32_t b = a + 1; b < n && b < 64; b++) {
			const size_t la = d->word_form_off[a + 1] - d->word_form_off[a] - 1;
			const size_t lb = d->word_form_off[b + 1] - d->word_form_off[b] - 1;
			NLF_CHECK(la != lb || memcmp(d->word_forms + d->word_form_off[a], d->word_forms + d->word_form_off[b], la),
			          "forms %u and %u are the same", a, b);
		}
}

static void build_and_check(const char *text, size_t len, int format)
{
	nl_doc *d = NULL;
	int rc = nl_doc_build("fuzz.txt", text, len, format, &d);
	if (rc == NL_ENOMEM)
		return;
	NLF_CHECK(rc == 0 && d, "nl_doc_build returned %d", rc);
	NLF_CHECK(d->struct_size == sizeof(nl_doc), "struct_size %zu", d->struct_size);
	NLF_CHECK(d->text == text && d->text_len == len, "text not the input");
	NLF_CHECK(d->format == format, "format %d", d->format);
	NLF_CHECK(d->path && strcmp(d->path, "fuzz.txt") == 0, "path");
	size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	check_tokens(d, bom);
	check_paragraphs(d, bom);
	check_sentences(d, bom);
	check_quotes(d, bom);
	check_helpers(d);
	check_words(d);
	nl_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes: ASan sees any read past the end */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	char err[256];
	memset(err, 0x55, sizeof err);
	int ok = nl_utf8_check(text, size, err, sizeof err) == 0;
	if (ok) {
		/* what the driver accepts must really be UTF-8: the reports copy it */
		NLF_CHECK(nlf_utf8_valid_prefix(text, size) == size,
		          "nl_utf8_check accepted invalid UTF-8 at byte %zu",
		          nlf_utf8_valid_prefix(text, size));
		build_and_check(text, size, NL_FORMAT_TEXT);
		char *md = nlf_padded(text, size);   /* see nlf_padded */
		build_and_check(md, size, NL_FORMAT_MARKDOWN);
		free(md);
	} else {
		NLF_CHECK(memchr(err, '\0', sizeof err) && err[0], "no error message");
	}
	free(text);
	return 0;
}
