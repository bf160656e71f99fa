/* exclaim.c -- a worked example of a newslint plugin, built out of tree
 * against the installed <newslint/plugin.h> (see Makefile and README.md).
 *
 * Rule exclaim.exclamation: an exclamation mark in the reporter's own words
 * (outside quotations) reads as opinion.  One finding per sentence, on the
 * first mark; further marks in that sentence go along as related spans.
 * INI section [exclaim]: headings = false (also check headings and the title). */
#include <newslint/plugin.h>
#include <stdlib.h>

typedef struct state {
	const nl_host *host;  /* valid until destroy() */
	int headings;
} state;

static const nl_rule_info rules[] = {
	{ .id = "exclamation", .default_severity = NL_SEV_WARNING,
	  .summary = "exclamation mark in the reporter's own words",
	  .explanation = "News copy states facts: an exclamation mark outside a quotation reads as "
	                 "opinion. Quotations are left alone; further marks in the same sentence "
	                 "are shown as related locations.\n"
	                 "Keys: headings = false (also check headings and the title)." },
};
static const char *const keys[] = { "headings", NULL };

static int create(const nl_host *host, const nl_config *cfg, void **out)
{
	state *s = calloc(1, sizeof *s);
	if (!s)
		return NL_ENOMEM;
	s->host = host;
	if (host->cfg_bool(cfg, "headings", 0, &s->headings) != 0) {  /* already reported */
		free(s);
		return NL_ECONFIG;
	}
	*out = s;
	return NL_OK;
}

static int check(void *st, const nl_doc *doc, nl_sink *sink)
{
	const state *s = st;      /* read-only here: check() may run on several threads */
	for (size_t i = 0; i < doc->n_sentences; i++) {
		const nl_sentence *sen = &doc->sentences[i];
		const nl_token *first = NULL;
		nl_span more[16];
		size_t n_more = 0;
		for (size_t k = sen->first_token; k < sen->first_token + sen->n_tokens; k++) {
			const nl_token *t = &doc->tokens[k];
			if (t->kind != NL_TOK_PUNCT || doc->text[t->off] != '!' || (t->flags & NL_TF_IN_QUOTE))
				continue;
			if ((t->flags & NL_TF_IN_HEADING) && !s->headings)
				continue;
			if (!first)
				first = t;
			else if (n_more < 16)
				more[n_more++] = (nl_span){ t->off, t->len };
		}
		if (!first)
			continue;
		const char *fix[] = { "." };
		nl_finding f = {
			.rule = "exclamation", .off = first->off, .len = first->len,
			.message = "exclamation mark in the reporter's own words",
			.suggestions = fix, .n_suggestions = 1,
			.related = more, .n_related = n_more,   /* copied by the host */
			.severity = NL_SEV_DEFAULT,
		};
		int rc = s->host->report(sink, &f);
		if (rc == NL_ENOMEM)
			return rc;
	}
	return NL_OK;
}

static void destroy(void *st) { free(st); }

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_exclaim = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = "exclaim",
	.version = "1.0.0",
	.summary = "example: exclamation marks outside quotations",
	.rules = rules, .n_rules = sizeof rules / sizeof rules[0],
	.config_keys = keys,
	.create = create, .check = check, .destroy = destroy,
};
