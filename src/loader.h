/* loader.h -- find a plugin's shared object, dlopen it, and check its ABI
 * before any of its functions is called. */
#ifndef NL_LOADER_H
#define NL_LOADER_H
#include "newslint/plugin.h"

typedef struct nl_loaded {
	const nl_plugin *desc;
	void *handle;
	char *path;
} nl_loaded;

/* Check a descriptor against this host: 0, or -1 after reporting what is
 * wrong and what to do, naming path. */
int nl_abi_check(const nl_plugin *d, const char *path, const char *expect_name);

/* Load the plugin called name (or a path to a .so) from the first folder of
 * dirs that has <name>.so.  Returns 0, or a negative code after reporting. */
int nl_load(const char *name, const char *const *dirs, size_t ndirs, nl_loaded *out);
void nl_unload(nl_loaded *l);

/* The descriptor symbol for a plugin name: "keyword-stuffing" -> "nl_plugin_keyword_stuffing". */
void nl_symbol_name(const char *name, char *buf, size_t size);

/* Call fn for each "<name>.so" in dirs (first folder wins for a name). */
void nl_each_plugin_file(const char *const *dirs, size_t ndirs,
                         void (*fn)(void *ud, const char *name, const char *path), void *ud);
#endif
