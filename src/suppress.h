/* suppress.h -- inline suppressions: directive lines in the text itself.
 *
 *   <!-- newslint-disable [RULE...] -->            from the next line on
 *   <!-- newslint-enable [RULE...] -->             from the next line on
 *   <!-- newslint-disable-next-line [RULE...] -->  the next non-blank line only
 *
 * A directive is a line holding only the comment (up to three spaces of
 * indentation, trailing space allowed), in plain text and in Markdown
 * (outside fenced code blocks).  RULE is a full rule id ("repetition.repeated-word")
 * or a plugin name (all its rules); several are separated by spaces or
 * commas; none means every rule.  The last directive that names a rule (or
 * its plugin, or all rules) decides.  Findings that start on a directive
 * line are always dropped (the comment is markup, not prose). */
#ifndef NL_SUPPRESS_H
#define NL_SUPPRESS_H
#include <stddef.h>
#include "host.h"

/* Drop (and free) the items of a document that its directives suppress.
 * items must be sorted by offset (nl_items_finish does that).  known_rule
 * says whether an id is a known rule or plugin name; unknown ones draw a
 * warning "path:line: warning: ..." on standard error (known_rule may be
 * NULL: everything is known).  Costs one memmem when the text holds no
 * "newslint-". */
void nl_suppress_apply(const char *path, const char *text, size_t len, nl_items *items,
                       int (*known_rule)(void *ud, const char *id), void *ud);
#endif
