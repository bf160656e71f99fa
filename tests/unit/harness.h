/* harness.h -- a mock host for testing one plugin without the driver
 * (collectd's idea): build a document from a string with the core's real
 * tokenizer, create the plugin from an INI section given as text, run its
 * check, and look at the findings.  Link: the plugin's .c, tests/unit/harness.c
 * and libnewslint-core (doc, host, config). */
#ifndef NL_TEST_HARNESS_H
#define NL_TEST_HARNESS_H
#include <stddef.h>
#include <stdint.h>
#include "newslint/plugin.h"

typedef struct nlt_finding {
	const char *rule;          /* full id: "repetition.repeated-word" */
	int severity;              /* NL_SEV_INFO..NL_SEV_ERROR after policy */
	uint32_t off, len;
	unsigned line, column;     /* 1-based, code points */
	const char *message;
	const char *const *suggestions; size_t n_suggestions;
	const nl_span *related;   size_t n_related;
	const char *text;          /* copy of the span's text, NUL-terminated */
} nlt_finding;

typedef struct nlt_result {
	int create_status;         /* create()'s return (0 = ok) */
	int check_status;          /* check()'s return */
	size_t n;                  /* findings, sorted by offset */
	nlt_finding *findings;
	const char *errors;        /* everything reported on the error channel (config errors, warnings) */
} nlt_result;

/* Run plugin p on text with the INI section body ini (e.g. "window = 60\n";
 * NULL for none), format NL_FORMAT_TEXT or NL_FORMAT_MARKDOWN.  Never NULL. */
nlt_result *nlt_run(const nl_plugin *p, const char *ini, const char *text, int format);
void nlt_free(nlt_result *r);

/* Findings of one rule (full or short id): count, and the i-th one. */
size_t nlt_count(const nlt_result *r, const char *rule);
const nlt_finding *nlt_get(const nlt_result *r, const char *rule, size_t i);

/* Print the findings (for debugging a failing test). */
void nlt_dump(const nlt_result *r);

/* Capture the core's diagnostics (what would go to standard error) in
 * tests of core modules: start clears what was said before. */
void nlt_capture_start(void);
void nlt_capture_stop(void);
const char *nlt_said(void);          /* never NULL */
void nlt_said_clear(void);

/* Build only the document (to test the tokenizer); free with nlt_doc_free. */
nl_doc *nlt_doc(const char *text, int format);
void nlt_doc_free(nl_doc *d);
/* Copy of the text of a span as a NUL-terminated string in a static ring of
 * buffers (valid for the next 16 calls). */
const char *nlt_str(const nl_doc *d, uint32_t off, uint32_t len);

#endif
