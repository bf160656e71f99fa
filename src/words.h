/* words.h -- a document's words as numbers (ABI 1.1, nl_doc.word_ids):
 * each distinct folded form (nl_fold) of its WORD tokens is numbered in
 * order of first use, once, by the core, so that the plugins compare and
 * index words by number instead of each folding and hashing every token. */
#ifndef NL_WORDS_H
#define NL_WORDS_H
#include <stddef.h>
#include <stdint.h>
#include "newslint/plugin.h"
#include "doc.h"

/* A document with more tokens than this is not numbered (its plugins fold
 * the words themselves): four bytes a token would add to the peak memory
 * of a very large file more than they save. */
#define NL_WORDS_MAX_TOKENS (4u << 20)

/* the numbers of one document (it owns them: nl_doc_set_words) */
struct nl_doc_words {
	uint32_t *ids;           /* per token */
	size_t n;                /* forms */
	char *forms;             /* each followed by a NUL; 16 readable bytes after each form's start */
	size_t flen, fcap;
	uint32_t *off;           /* n + 1 */
	uint32_t *len;           /* n: each form's length (wk_vt_find reads it) */
	uint32_t *base;          /* n: the possessive's stripped form, or NL_NO_WORD */
	size_t cap;              /* of off, len and base */
	uint32_t *index;         /* word_find()'s table (made on its first call), or NULL */
	size_t index_cap;
};
void nl_doc_words_free(nl_doc_words *w);

/* A thread's table for numbering, reused from one document to the next. */
typedef struct nl_words nl_words;
nl_words *nl_words_new(void);
void nl_words_free(nl_words *w);

/* Number the WORD tokens of doc (from nl_doc_build) with the thread's
 * table w.  0, or NL_ENOMEM (the document then has no numbers, which is
 * not an error: its plugins fold).  A document of more than
 * NL_WORDS_MAX_TOKENS tokens, or a NULL w, is left without numbers. */
int nl_words_number(nl_words *w, nl_doc *doc);

/* The number of folded form s[0..n) in doc, or NL_NO_WORD (the host's
 * word_find). */
uint32_t nl_words_find(const nl_doc *doc, const char *s, size_t n);

#endif
