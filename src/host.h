/* host.h -- the host side of the plugin ABI: the function table, plugin
 * instances and their rules, and the findings they report. */
#ifndef NL_HOST_H
#define NL_HOST_H
#include <pthread.h>
#include <stddef.h>
#include "newslint/plugin.h"
#include "config.h"

typedef struct nl_pinst nl_pinst;

typedef struct nl_rule {
	char *id;                  /* full id "<plugin>.<rule>" */
	const nl_rule_info *info;
	nl_pinst *plugin;
	int severity;              /* effective severity, NL_SEV_OFF when disabled */
	int overridden;            /* severity set by config / command line */
} nl_rule;

struct nl_pinst {
	const nl_plugin *desc;
	char *path;                /* where it was loaded from */
	void *handle;              /* dlopen handle (NULL for built-in) */
	void *state;
	int created;
	nl_rule *rules;
	size_t n_rules;
	nl_rule **by_id;           /* the rules sorted by id (built by nl_pinst_create), or NULL */
	pthread_mutex_t lock;      /* serialises check() of a plugin that is not thread-safe */
	int failed_checks;
};

typedef struct nl_item {
	const nl_rule *rule;
	int severity;
	uint32_t off, len;
	char *message;
	char **sugg;
	size_t n_sugg;
	nl_span *related;
	size_t n_related;
	unsigned line, col, end_line, end_col;   /* filled by nl_items_locate */
	unsigned *rel_line, *rel_col;            /* per related span */
} nl_item;

typedef struct nl_items {
	nl_item *v;
	size_t n, cap;
} nl_items;

const nl_host *nl_host_table(void);
void nl_host_set_rules_dir(const char *dir);
const char *nl_host_rules_dir(void);

/* Create a plugin instance: check nothing (the loader checked the ABI),
 * call create() with cfg (may be NULL: an empty section), and collect its
 * static and dynamic rules with their default severities.  Returns 0 or a
 * negative NL_E* code (reported). */
int nl_pinst_create(nl_pinst *pi, const nl_plugin *desc, const char *path, nl_config *cfg);
void nl_pinst_destroy(nl_pinst *pi);
nl_rule *nl_pinst_rule(nl_pinst *pi, const char *id);

/* Run one plugin over a document, appending to items.  Returns check()'s status. */
int nl_pinst_check(nl_pinst *pi, const nl_doc *doc, nl_items *items);

/* After all plugins ran on a document: drop findings of rules that yield to
 * another rule's spans, sort by offset (stable, then rule id), compute line
 * and column. */
void nl_items_finish(nl_items *items, const nl_doc *doc);
void nl_items_free(nl_items *items);
void nl_item_free(nl_item *x);   /* frees what x owns, not x */

#endif
