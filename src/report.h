/* report.h -- output formats.  Each format renders one file's findings into
 * a buffer (so files linted on several threads print in input order), plus
 * an opening and a closing part. */
#ifndef NL_REPORT_H
#define NL_REPORT_H
#include <stddef.h>
#include "host.h"
#include "util.h"

typedef struct nl_file_result {
	const char *path;          /* as shown in reports */
	const char *text;          /* the input (for excerpts), may be NULL */
	size_t len;
	const nl_items *items;     /* sorted, located, filtered by --min-severity */
	const char *error;         /* non-NULL: the file could not be linted */
} nl_file_result;

typedef struct nl_error_entry {
	char *path, *message;
} nl_error_entry;

typedef struct nl_report_ctx {
	int color;                 /* ANSI colours in text output */
	int quiet;
	const nl_rule *const *rules;  /* every rule of the run (for SARIF's driver.rules) */
	size_t n_rules;
	const nl_error_entry *errors; /* collected errors, for the closing part */
	size_t n_errors;
	const char *tool_version;
} nl_report_ctx;

typedef struct nl_formatter {
	const char *name;
	void (*begin)(const nl_report_ctx *ctx, nl_buf *out);
	void (*file)(const nl_report_ctx *ctx, const nl_file_result *fr, int first, nl_buf *out);
	void (*end)(const nl_report_ctx *ctx, nl_buf *out);
} nl_formatter;

/* The formatter called name, or NULL. */
const nl_formatter *nl_formatter_find(const char *name);
/* "text, json, ..." for help and errors. */
const char *nl_formatter_names(void);

extern const nl_formatter nl_format_text, nl_format_json;
/* report_sarif.c, report_github.c, report_checkstyle.c */
extern const nl_formatter nl_format_sarif, nl_format_github, nl_format_checkstyle;

/* Helpers shared by the formats. */
const char *nl_severity_name(int sev);
void nl_json_str(nl_buf *b, const char *s, size_t n);  /* "..." with JSON escapes */
#endif
