/* doc.h -- the core's document model: text -> tokens, sentences, paragraphs,
 * headings, quotations (all byte spans into the unmodified buffer). */
#ifndef NL_DOC_H
#define NL_DOC_H
#include <stddef.h>
#include "newslint/plugin.h"

/* Build the document model of text[0..len) (not necessarily NUL-terminated;
 * the buffer must outlive the document).  format is NL_FORMAT_TEXT or
 * NL_FORMAT_MARKDOWN.  The input must already be valid UTF-8 (see
 * nl_utf8_check).  Returns 0 and *out, NL_ENOMEM, or NL_EINVAL (out is NULL, or
 * the input is over 4 GB minus 256 bytes). */
int nl_doc_build(const char *path, const char *text, size_t len, int format, nl_doc **out);
void nl_doc_free(nl_doc *doc);

/* words.c: the document takes w, its word numbers (freed with it; NULL:
 * none), and gives them back. */
typedef struct nl_doc_words nl_doc_words;
void nl_doc_set_words(nl_doc *doc, nl_doc_words *w);
nl_doc_words *nl_doc_get_words(const nl_doc *doc);

/* Check that text is UTF-8 (a BOM is fine).  Returns 0, or -1 with a
 * message such as "invalid UTF-8 at line 3, column 7 (byte 45): ..." or
 * "looks like UTF-16 (byte order mark FF FE): convert it with iconv -f UTF-16 -t UTF-8". */
int nl_utf8_check(const char *text, size_t len, char *err, size_t errsize);

/* Shared Unicode helpers (also exported to plugins through nl_host). */
size_t nl_utf8_next(const char *s, size_t n, uint32_t *cp);
uint32_t nl_lower(uint32_t cp);
int nl_is_alpha(uint32_t cp);
int nl_is_upper(uint32_t cp);
size_t nl_fold(const char *s, size_t n, char *out, size_t size);

#endif
