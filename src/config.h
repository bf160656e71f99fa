/* config.h -- INI configuration (parsed with inih): sections of key/value
 * entries that remember their line, for errors that name file and line. */
#ifndef NL_CONFIG_H
#define NL_CONFIG_H
#include <stddef.h>
#include "newslint/plugin.h"

typedef struct nl_cfg_entry {
	char *key, *value;
	unsigned line;
	int refused;           /* a path in it was refused (see nl_cfg_path): later
	                          errors about the key are counted, not repeated */
} nl_cfg_entry;

struct nl_config {
	char *name;            /* section name */
	const char *file;      /* INI file (owned by the settings) or NULL */
	const char *root;      /* confined (a discovered configuration): the real
	                          path of its folder, which paths may not leave; NULL: trusted */
	unsigned line;         /* line of the [section] header (0: none) */
	nl_cfg_entry *e;
	size_t n, cap;
	unsigned errors;       /* errors reported against this section */
};

typedef struct nl_settings {
	char *file;            /* the INI file, or NULL for built-in defaults */
	char *dir;             /* its folder, for relative paths */
	const char *origin;    /* how it was found: "--config", ".newslint.ini", "XDG", "built-in" */
	char *root;            /* set by nl_settings_confine (see nl_config.root) */
	size_t *index;         /* hash of section names: 1 + position in sec, 0 empty */
	size_t index_cap;      /* a power of two, or 0 */
	nl_config **sec;
	size_t n;
	unsigned errors;       /* syntax errors */
} nl_settings;

/* Parse an INI file into s (zeroed by the caller).  Errors are reported
 * with file and line; returns 0 or NL_ECONFIG / NL_EIO. */
int nl_settings_load(nl_settings *s, const char *file, const char *origin);
/* Parse INI text held in memory; name is used in messages (may be NULL). */
int nl_settings_load_string(nl_settings *s, const char *name, const char *text);
void nl_settings_free(nl_settings *s);
/* Confine a configuration that newslint found by itself (a project's
 * .newslint.ini): every path it names, through nl_cfg_path, must stay inside
 * its folder tree (no absolute path, no '..' or symbolic link leading out).
 * Returns 0, or NL_EIO when the folder cannot be resolved (reported). */
int nl_settings_confine(nl_settings *s);
/* Is path (absolute or relative to the working folder) inside the real
 * folder root once symbolic links are resolved?  A path that does not exist
 * is judged by its deepest existing folder.  root must be a real path. */
int nl_path_inside(const char *root, const char *path);
/* The section called name, or NULL; with create, an empty one is added. */
nl_config *nl_settings_section(nl_settings *s, const char *name, int create);

/* Find the configuration for a file in folder dir: the nearest .newslint.ini
 * from dir up to the root, else $XDG_CONFIG_HOME/newslint/config.ini (or
 * ~/.config/...).  Returns a malloc'd path and sets *origin, or NULL. */
char *nl_config_discover(const char *dir, const char **origin);

/* Accessors behind the host table (see plugin.h). */
size_t nl_cfg_count(const nl_config *c);
const char *nl_cfg_key(const nl_config *c, size_t i);
const char *nl_cfg_value(const nl_config *c, size_t i);
const char *nl_cfg_get(const nl_config *c, const char *key);
const nl_cfg_entry *nl_cfg_entry_of(const nl_config *c, const char *key);
int nl_cfg_int(const nl_config *c, const char *key, long dflt, long min, long max, long *out);
int nl_cfg_double(const nl_config *c, const char *key, double dflt, double min, double max, double *out);
int nl_cfg_bool(const nl_config *c, const char *key, int dflt, int *out);
void nl_cfg_error(const nl_config *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nl_cfg_warn(const nl_config *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A path named in the configuration: absolute stays, relative is taken from
 * the INI file's folder.  NULL when too long, or (reported at the key's line,
 * as an error of the section) when c is confined and the path leads out. */
const char *nl_cfg_path(const nl_config *c, const char *path, char *buf, size_t size);
/* The message for a refused path or plugin of a confined configuration:
 * "why; how to trust it" (no file, no line). */
extern const char nl_confined_hint[];
/* Warn about keys of c not in known (NULL-terminated), suggesting the nearest. */
void nl_cfg_check_keys(const nl_config *c, const char *const *known);

/* Parse a severity name: "info", "warning", "error" (and "off" -> -2 when allow_off). */
int nl_parse_severity(const char *s, int allow_off);
#define NL_SEV_OFF (-2)
#endif
