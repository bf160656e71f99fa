/* abi_fixture.h -- body of the ABI compatibility fixture plugins.  Each
 * tests/kit/abi_*.c overrides NL_ABI_MAJOR / NL_ABI_MINOR after including
 * <newslint/plugin.h> (as if built against another version of the header),
 * defines FIXTURE (the plugin's name) and includes this file.  The plugin
 * reports one finding, "loaded", on the first word of the document.  With
 * FIXTURE_MUST_NOT_RUN its create() aborts: the host must refuse it before
 * calling any of its code. */
#include <stdlib.h>

#define FX_CAT2(a, b) a##b
#define FX_CAT(a, b) FX_CAT2(a, b)
#define FX_STR2(a) #a
#define FX_STR(a) FX_STR2(a)

static int fx_create(const nl_host *host, const nl_config *cfg, void **state)
{
	(void)cfg;
#ifdef FIXTURE_MUST_NOT_RUN
	(void)host;
	(void)state;
	abort();
#else
	*state = (void *)host;
	return 0;
#endif
}

static int fx_check(void *state, const nl_doc *doc, nl_sink *sink)
{
	const nl_host *host = state;
	for (size_t i = 0; i < doc->n_tokens; i++) {
		const nl_token *t = &doc->tokens[i];
		if (t->kind != NL_TOK_WORD)
			continue;
		nl_finding f = {
			.rule = "loaded", .off = t->off, .len = t->len,
			.message = FX_STR(FIXTURE) " is loaded",
			.severity = NL_SEV_DEFAULT,
		};
		return host->report(sink, &f);
	}
	return 0;
}

static void fx_destroy(void *state) { (void)state; }

static const nl_rule_info fx_rules[] = {
	{ .id = "loaded", .default_severity = NL_SEV_WARNING,
	  .summary = "fixture: says that the plugin was loaded",
	  .explanation = "A test fixture of newslint's ABI compatibility tests." },
};

const nl_plugin FX_CAT(nl_plugin_, FIXTURE) = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = FX_STR(FIXTURE),
	.version = "0.0.1",
	.summary = "ABI compatibility test fixture",
	.rules = fx_rules,
	.n_rules = 1,
	.create = fx_create,
	.check = fx_check,
	.destroy = fx_destroy,
};
