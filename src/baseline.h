/* baseline.h -- accepted findings: --write-baseline FILE records the
 * findings of a run, --baseline FILE reports only the ones not in it.
 *
 * A finding is identified by its file (as shown, without a leading "./"),
 * its rule, the text it covers and a little context (up to two words on
 * each side, within its line), whitespace folded: not by its line, so
 * editing another paragraph does not bring accepted findings back.  Two
 * identical findings in one file need two entries.
 *
 * The file is line-oriented text, sorted, one finding per line:
 *
 *   newslint-baseline 1
 *   # comments and blank lines are ignored
 *   PATH<TAB>RULE<TAB>BEFORE<TAB>TEXT<TAB>AFTER
 *
 * with \\ \t \n \r and \xHH escapes in the fields. */
#ifndef NL_BASELINE_H
#define NL_BASELINE_H
#include <stddef.h>
#include "host.h"

typedef struct nl_baseline nl_baseline;

/* Read a baseline; NULL after an error naming the file (and line). */
nl_baseline *nl_baseline_load(const char *file);
/* An empty baseline to record findings into (nl_baseline_add). */
nl_baseline *nl_baseline_new(void);
void nl_baseline_free(nl_baseline *b);

/* The key line of a finding (malloc'd, without newline), or NULL. */
char *nl_baseline_key(const char *path, const char *text, size_t len, const nl_item *x);

/* Is the finding in the baseline?  If so, use up one entry and return 1.
 * Thread-safe. */
int nl_baseline_consume(nl_baseline *b, const char *path, const char *text, size_t len,
                        const nl_item *x);
/* Drop (and free) the items found in the baseline; returns how many. */
size_t nl_baseline_filter(nl_baseline *b, const char *path, const char *text, size_t len,
                          nl_items *items);
/* Record a finding.  Thread-safe. */
void nl_baseline_add(nl_baseline *b, const char *path, const char *text, size_t len,
                     const nl_item *x);
/* Entries recorded / still unused. */
size_t nl_baseline_count(const nl_baseline *b);
/* Write the entries, sorted, to file (atomically: a temporary file renamed).
 * Returns 0, or -1 after an error naming the file. */
int nl_baseline_save(nl_baseline *b, const char *file);
#endif
