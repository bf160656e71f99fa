/* loader.c -- dlopen + ABI check (WeeChat-style: look at the version
 * fields of the descriptor before calling anything in it). */
#include "loader.h"
#include "util.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void nl_symbol_name(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "nl_plugin_%s", name);
	for (char *p = buf + 10; *p; p++)
		if (*p == '-' || *p == '.')
			*p = '_';
}

int nl_abi_check(const nl_plugin *d, const char *path, const char *expect_name)
{
	if (d->abi_major != NL_ABI_MAJOR) {
		nl_diag_error("%s: plugin ABI %u.%u, this newslint speaks %u.x (up to %u.%u): "
		              "rebuild the plugin against the installed <newslint/plugin.h>%s",
		              path, d->abi_major, d->abi_minor, NL_ABI_MAJOR, NL_ABI_MAJOR, NL_ABI_MINOR,
		              d->abi_major > NL_ABI_MAJOR ? " of this version, or upgrade newslint" : "");
		return -1;
	}
	if (d->abi_minor > NL_ABI_MINOR) {
		nl_diag_error("%s: plugin ABI %u.%u is newer than this newslint's %u.%u: "
		              "upgrade newslint, or rebuild the plugin against this newslint's header",
		              path, d->abi_major, d->abi_minor, NL_ABI_MAJOR, NL_ABI_MINOR);
		return -1;
	}
	/* A plugin built against an older minor has a shorter descriptor: fields
	   appended since then are treated as absent by the host (none yet). */
	if (d->struct_size < offsetof(nl_plugin, dynamic_rules) + sizeof(void *) || d->struct_size > 1u << 16) {
		nl_diag_error("%s: plugin descriptor has size %u, expected %zu for ABI %u.%u: "
		              "rebuild the plugin against the installed <newslint/plugin.h>",
		              path, d->struct_size, sizeof(nl_plugin), NL_ABI_MAJOR, NL_ABI_MINOR);
		return -1;
	}
	if (!d->name || !d->check || !d->create) {
		nl_diag_error("%s: plugin descriptor lacks %s", path,
		              !d->name ? "a name" : !d->check ? "a check function" : "a create function");
		return -1;
	}
	if (expect_name && strcmp(d->name, expect_name) != 0) {
		nl_diag_error("%s: plugin calls itself '%s' but its file is named for '%s': "
		              "rename one of them", path, d->name, expect_name);
		return -1;
	}
	for (size_t i = 0; i < d->n_rules; i++)
		if (!d->rules || !d->rules[i].id || !d->rules[i].summary) {
			nl_diag_error("%s: rule %zu of plugin %s has no id or summary", path, i, d->name);
			return -1;
		}
	return 0;
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int nl_load(const char *name, const char *const *dirs, size_t ndirs, nl_loaded *out)
{
	char path[4096], sym[300], base[256];
	memset(out, 0, sizeof *out);
	path[0] = '\0';
	if (strchr(name, '/')) {
		snprintf(path, sizeof path, "%s", name);
		const char *b = strrchr(name, '/') + 1;
		snprintf(base, sizeof base, "%s", b);
		char *dot = strstr(base, ".so");
		if (dot)
			*dot = '\0';
	} else {
		snprintf(base, sizeof base, "%s", name);
		for (size_t i = 0; i < ndirs; i++) {
			snprintf(path, sizeof path, "%s/%s.so", dirs[i], name);
			if (is_file(path))
				break;
			path[0] = '\0';
		}
	}
	if (!path[0] || !is_file(path)) {
		nl_buf b = {0};
		nl_buf_printf(&b, "plugin '%s' not found; searched:", name);
		for (size_t i = 0; i < ndirs; i++)
			nl_buf_printf(&b, " %s", dirs[i]);
		if (!ndirs)
			nl_buf_puts(&b, " (no folders)");
		nl_buf_puts(&b, " (add a folder with --plugin-path or NEWSLINT_PLUGIN_PATH)");
		nl_diag_error("%s", b.p ? b.p : "plugin not found");
		nl_buf_free(&b);
		return NL_EPLUGIN;
	}
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		nl_diag_error("%s: cannot load plugin: %s", path, dlerror());
		return NL_EPLUGIN;
	}
	nl_symbol_name(base, sym, sizeof sym);
	const nl_plugin *d = dlsym(h, sym);
	if (!d) {
		nl_diag_error("%s: not a newslint plugin: it does not export '%s' "
		              "(a plugin named %s must define 'const nl_plugin %s')", path, sym, base, sym);
		dlclose(h);
		return NL_EPLUGIN;
	}
	if (nl_abi_check(d, path, base) != 0) {
		dlclose(h);
		return NL_EPLUGIN;
	}
	out->desc = d;
	out->handle = h;
	out->path = nl_strdup(path);
	return 0;
}

void nl_unload(nl_loaded *l)
{
	/* Under AddressSanitizer, keep the objects mapped so leak reports can
	   name plugin functions. */
	if (l->handle && !getenv("NEWSLINT_NO_DLCLOSE"))
		dlclose(l->handle);
	free(l->path);
	memset(l, 0, sizeof *l);
}

void nl_each_plugin_file(const char *const *dirs, size_t ndirs,
                         void (*fn)(void *ud, const char *name, const char *path), void *ud)
{
	char **seen = NULL;
	size_t nseen = 0;
	for (size_t i = 0; i < ndirs; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d)
			continue;
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;
		while ((e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l < 4 || strcmp(e->d_name + l - 3, ".so") != 0 || e->d_name[0] == '.')
				continue;
			char **v = realloc(names, (n + 1) * sizeof *v);
			if (!v) {
				nl_oom();
				break;
			}
			names = v;
			if (!(names[n] = nl_strndup(e->d_name, l - 3)))
				break;
			n++;
		}
		closedir(d);
		for (size_t a = 1; a < n; a++)   /* sort: stable listing */
			for (size_t b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
				char *t = names[b];
				names[b] = names[b - 1];
				names[b - 1] = t;
			}
		for (size_t k = 0; k < n; k++) {
			int dup = 0;
			for (size_t s = 0; s < nseen && !dup; s++)
				dup = strcmp(seen[s], names[k]) == 0;
			if (dup) {
				free(names[k]);
				continue;
			}
			char path[4096];
			snprintf(path, sizeof path, "%s/%s.so", dirs[i], names[k]);
			fn(ud, names[k], path);
			char **v = realloc(seen, (nseen + 1) * sizeof *v);
			if (!v) {
				nl_oom();
				free(names[k]);
				continue;
			}
			seen = v;
			seen[nseen++] = names[k];
		}
		free(names);
	}
	for (size_t s = 0; s < nseen; s++)
		free(seen[s]);
	free(seen);
}
