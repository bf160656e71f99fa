/* driver.c -- one run of newslint: find the configuration of each file,
 * load and create the plugins it names (once per configuration), lint the
 * files (on several threads with -j), and print the reports in input order. */
#include "driver.h"
#include "config.h"
#include "doc.h"
#include "host.h"
#include "loader.h"
#include "report.h"
#include "util.h"
#include "suppress.h"   /* issue 8: inline suppressions */
#include "baseline.h"   /* issue 8: --baseline, --write-baseline */
#include "walk.h"       /* issue 8: folder arguments, --files-from */
#include "words.h"      /* issue 9: word numbers for the plugins */

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const default_plugins[] = {
	"keyword-stuffing", "repetition", "spelling", "attribution",
};

static const char *const newslint_keys[] = {
	"plugins", "plugin_path", "min_severity", "fail_on", "include", "exclude", NULL,
};

int nl_strv_add(nl_strv *s, const char *str)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof *v);
	if (!v) {
		nl_oom();
		return -1;
	}
	s->v = v;
	if (!(s->v[s->n] = nl_strdup(str)))
		return -1;
	s->n++;
	return 0;
}

void nl_strv_free(nl_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Split a list value on commas, spaces and newlines. */
static void split_list(const char *v, nl_strv *out)
{
	const char *p = v;
	while (p && *p) {
		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		const char *q = p;
		while (*q && *q != ',' && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
			q++;
		if (q > p) {
			char *w = nl_strndup(p, (size_t)(q - p));
			if (w) {
				nl_strv_add(out, w);
				free(w);
			}
		}
		p = q;
	}
}

/* ---- profiles: one configuration and the plugins it created ------------- */
typedef struct profile {
	char *file;                /* configuration file, NULL for built-in defaults */
	nl_settings settings;
	nl_loaded *loaded;
	nl_pinst *pinst;
	size_t n;
	int min_sev, fail_on;
	int broken;                /* configuration errors: files using it are not linted */
	int numbers;               /* a plugin reads the word numbers (NL_PLUGIN_WORD_NUMBERS) */
	int confined;              /* found by discovery and not trusted: see nl_settings_confine */
	nl_strv dirs;              /* plugin folders, in search order */
} profile;

typedef struct run {
	const nl_opts *o;
	profile **prof;
	size_t n_prof;
	char *default_plugin_dir;
	int status2;               /* something went wrong: exit 2 */
	pthread_mutex_t lock;
	char *memo_dir;            /* the folder profile_for looked up last, */
	profile *memo_prof;        /* and its profile: one discovery a folder */
} run;

static char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return realpath(buf, NULL);
}

/* The fresh binary in the build tree uses the fresh plugins and rules there;
 * an installed one uses $(pkglibdir) and $(pkgdatadir)/rules. */
static void locate_defaults(run *r)
{
	char *me = self_dir();
	char *bd = realpath(NL_BUILD_DIR, NULL);
	if (me && bd && strcmp(me, bd) == 0) {
		r->default_plugin_dir = nl_strdup(NL_BUILD_DIR "/plugins/.libs");
		nl_host_set_rules_dir(NL_SRC_DIR "/rules");
	} else {
		r->default_plugin_dir = nl_strdup(NL_PKGLIBDIR);
		nl_host_set_rules_dir(NL_PKGDATADIR "/rules");
	}
	const char *rd = getenv("NEWSLINT_RULES_DIR");
	if (rd && *rd)
		nl_host_set_rules_dir(rd);
	free(me);
	free(bd);
}

static void plugin_dirs(run *r, profile *p)
{
	for (size_t i = 0; i < r->o->plugin_path.n; i++)
		nl_strv_add(&p->dirs, r->o->plugin_path.v[i]);
	const char *env = getenv("NEWSLINT_PLUGIN_PATH");
	if (env && *env) {
		char *copy = nl_strdup(env), *save = NULL;
		for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save))
			nl_strv_add(&p->dirs, t);
		free(copy);
	}
	nl_config *ns = nl_settings_section(&p->settings, "newslint", 0);
	const char *pp = nl_cfg_get(ns, "plugin_path");
	if (pp && p->confined) {
		/* A project's own folder of shared objects is code it would run. */
		const nl_cfg_entry *e = nl_cfg_entry_of(ns, "plugin_path");
		nl_diag_error("%s:%u: [newslint] plugin_path: refused (plugins are looked for in the "
		              "other folders only): %s", p->file, e ? e->line : 0, nl_confined_hint);
		r->status2 = 1;
	} else if (pp) {
		nl_strv v = {0};
		split_list(pp, &v);
		for (size_t i = 0; i < v.n; i++) {
			char buf[PATH_MAX];
			const char *x = nl_cfg_path(ns, v.v[i], buf, sizeof buf);
			if (x)
				nl_strv_add(&p->dirs, x);
		}
		nl_strv_free(&v);
	}
	nl_strv_add(&p->dirs, r->default_plugin_dir);
}

/* A set of strings it does not own, hashed: de-duplicating n rule ids
   costs n, not n squared. */
typedef struct strset {
	const char **v;
	size_t n, cap;             /* cap: a power of two, or 0 */
} strset;

static size_t str_hash(const char *k)
{
	size_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

/* 1: added, 0: already there, -1: out of memory (the caller adds it anyway). */
static int strset_add(strset *s, const char *k)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		const char **v = calloc(cap, sizeof *v);
		if (!v)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i]) {
				size_t j = str_hash(s->v[i]) & (cap - 1);
				while (v[j])
					j = (j + 1) & (cap - 1);
				v[j] = s->v[i];
			}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	size_t j = str_hash(k) & (s->cap - 1);
	while (s->v[j]) {
		if (strcmp(s->v[j], k) == 0)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->v[j] = k;
	s->n++;
	return 1;
}

static int has(const nl_strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 1;
	return 0;
}

/* Which plugins, in which order: [newslint] plugins (or the default four),
 * plus --enable PLUGIN, minus --disable PLUGIN. */
static void plugin_list(run *r, profile *p, nl_strv *out)
{
	nl_config *ns = nl_settings_section(&p->settings, "newslint", 0);
	const char *v = nl_cfg_get(ns, "plugins");
	if (v) {
		split_list(v, out);
		/* A plugin named by its path in a project's configuration would be
		   the project's own code: only names, looked up in trusted folders. */
		size_t w = 0;
		for (size_t i = 0; i < out->n; i++) {
			if (p->confined && strchr(out->v[i], '/')) {
				const nl_cfg_entry *e = nl_cfg_entry_of(ns, "plugins");
				nl_diag_error("%s:%u: [newslint] plugins: refused '%s' (a path, not a plugin "
				              "name): %s", p->file, e ? e->line : 0, out->v[i], nl_confined_hint);
				r->status2 = 1;
				free(out->v[i]);
				continue;
			}
			char buf[PATH_MAX];
			const char *x;
			if (strchr(out->v[i], '/') && out->v[i][0] != '/' &&
			    (x = nl_cfg_path(ns, out->v[i], buf, sizeof buf)) != NULL) {
				/* like every path in a configuration: from its folder */
				char *copy = nl_strdup(x);
				if (copy) {
					free(out->v[i]);
					out->v[i] = copy;
				}
			}
			out->v[w++] = out->v[i];
		}
		out->n = w;
	} else
		for (size_t i = 0; i < sizeof default_plugins / sizeof *default_plugins; i++)
			nl_strv_add(out, default_plugins[i]);
	for (size_t i = 0; i < r->o->enable.n; i++) {
		const char *e = r->o->enable.v[i];
		if (!strchr(e, '.') && !has(out, e))
			nl_strv_add(out, e);
	}
	/* --disable removes, unless the same name is also --enable'd (so
	   "--disable a --disable b --enable b" runs b alone); duplicates go. */
	size_t w = 0;
	for (size_t i = 0; i < out->n; i++) {
		int dup = 0;
		for (size_t k = 0; k < w && !dup; k++)
			dup = strcmp(out->v[k], out->v[i]) == 0;
		if (dup || (has(&r->o->disable, out->v[i]) && !has(&r->o->enable, out->v[i]))) {
			free(out->v[i]);
			continue;
		}
		out->v[w++] = out->v[i];
	}
	out->n = w;
}

static nl_rule *find_rule(profile *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < p->pinst[i].n_rules; k++)
			if (strcmp(p->pinst[i].rules[k].id, id) == 0)
				return &p->pinst[i].rules[k];
	return NULL;
}

static void rule_ids(profile *p, nl_strv *out)
{
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < p->pinst[i].n_rules; k++)
			nl_strv_add(out, p->pinst[i].rules[k].id);
}

/* [rules] and --enable/--disable RULE: severity policy. */
static int apply_rule_policy(run *r, profile *p)
{
	int rc = 0;
	nl_config *rs = nl_settings_section(&p->settings, "rules", 0);
	for (size_t i = 0; rs && i < rs->n; i++) {
		nl_cfg_entry *e = &rs->e[i];
		nl_rule *rule = find_rule(p, e->key);
		if (!rule) {
			nl_strv ids = {0};
			rule_ids(p, &ids);
			const char *near = nl_nearest(e->key, (const char *const *)ids.v, ids.n);
			nl_diag("%s:%u: [rules] warning: unknown rule '%s'%s%s%s", p->file ? p->file : "",
			        e->line, e->key, near ? " (did you mean '" : "", near ? near : "",
			        near ? "'?)" : "");
			nl_strv_free(&ids);
			continue;
		}
		int sev = nl_parse_severity(e->value, 1);
		if (sev == -1) {
			nl_cfg_error(rs, e->key, "expected off, info, warning or error, got '%s'", e->value);
			rc = NL_ECONFIG;
			continue;
		}
		rule->severity = sev;
		rule->overridden = 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		const nl_strv *s = pass ? &r->o->disable : &r->o->enable;
		for (size_t i = 0; i < s->n; i++) {
			if (!strchr(s->v[i], '.'))
				continue;
			nl_rule *rule = find_rule(p, s->v[i]);
			if (!rule) {
				nl_diag("warning: --%s %s: no such rule (see --list-rules)",
				        pass ? "disable" : "enable", s->v[i]);
				continue;
			}
			if (pass) {
				rule->severity = NL_SEV_OFF;
			} else if (rule->severity == NL_SEV_OFF) {
				rule->severity = rule->info->default_severity;
				rule->overridden = 0;
			}
		}
	}
	return rc;
}

static int severity_key(nl_config *ns, const char *key, int dflt, int allow_never)
{
	const char *v = nl_cfg_get(ns, key);
	if (!v)
		return dflt;
	if (allow_never && strcasecmp(v, "never") == 0)
		return NL_FAIL_NEVER;
	int s = nl_parse_severity(v, 0);
	if (s < 0) {
		nl_cfg_error(ns, key, "expected info, warning or error%s, got '%s'",
		             allow_never ? " or never" : "", v);
		return -2;
	}
	return s;
}

/* Is a discovered configuration file in its folder once symbolic links are
   resolved?  (A link to any file would have it parsed, and its keys and
   values quoted in messages.) */
static int config_inside_its_folder(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir = slash ? nl_strndup(file, (size_t)(slash - file + (slash == file))) : nl_strdup(".");
	char *real = dir ? realpath(dir, NULL) : NULL;
	int in = real && nl_path_inside(real, file);
	free(dir);
	free(real);
	return in;
}

static profile *profile_open(run *r, const char *file, const char *origin)
{
	for (size_t i = 0; i < r->n_prof; i++) {
		const char *f = r->prof[i]->file;
		if ((!f && !file) || (f && file && strcmp(f, file) == 0))
			return r->prof[i];
	}
	profile *p = calloc(1, sizeof *p);
	/* (v, when it is there, is r->prof now: never freed here) */
	profile **v = p ? realloc(r->prof, (r->n_prof + 1) * sizeof *v) : NULL;
	if (!p || !v) {
		nl_oom();
		free(p);
		return NULL;
	}
	r->prof = v;
	r->prof[r->n_prof++] = p;
	p->file = file ? nl_strdup(file) : NULL;
	unsigned errs = nl_diag_errors();
	if (file) {
		/* Trust: a file the user named (--config) or their own (XDG) is
		   trusted; one found next to the files is the project's. */
		p->confined = strcmp(origin, ".newslint.ini") == 0 && !r->o->allow_project_plugins;
		if (p->confined && !config_inside_its_folder(file)) {
			nl_diag_error("%s: refused: it is a symbolic link to a file outside its folder; %s",
			              file, nl_confined_hint);
			p->broken = 1;
			p->settings.origin = origin;
		} else if (nl_settings_load(&p->settings, file, origin) != 0) {
			p->broken = 1;
		}
		if (p->confined && nl_settings_confine(&p->settings) != 0)
			p->broken = 1;
	} else {
		p->settings.origin = "built-in";
	}
	/* Unknown sections: a plugin section, [newslint] or [rules]. */
	nl_config *ns = nl_settings_section(&p->settings, "newslint", 0);
	if (ns)
		nl_cfg_check_keys(ns, newslint_keys);
	p->min_sev = r->o->min_sev >= 0 ? r->o->min_sev : severity_key(ns, "min_severity", NL_SEV_INFO, 0);
	p->fail_on = r->o->fail_on >= 0 ? r->o->fail_on : severity_key(ns, "fail_on", NL_SEV_WARNING, 1);
	if (p->min_sev < 0 || p->fail_on < 0)
		p->broken = 1;
	plugin_dirs(r, p);
	nl_strv names = {0};
	plugin_list(r, p, &names);
	p->loaded = calloc(names.n + 1, sizeof *p->loaded);
	p->pinst = calloc(names.n + 1, sizeof *p->pinst);
	if (!p->loaded || !p->pinst)
		nl_oom();
	for (size_t i = 0; p->loaded && p->pinst && i < names.n; i++) {
		nl_loaded l;
		if (nl_load(names.v[i], (const char *const *)p->dirs.v, p->dirs.n, &l) != 0) {
			const nl_cfg_entry *e = nl_cfg_entry_of(ns, "plugins");
			if (e && p->file)
				nl_diag("%s:%u: [newslint] plugins: '%s' could not be loaded (see above); "
				        "the other plugins still run", p->file, e->line, names.v[i]);
			r->status2 = 1;
			continue;
		}
		nl_config *cfg = nl_settings_section(&p->settings, l.desc->name, 0);
		/* No section: an empty one that still names the file (and the line
		   that enabled the plugin) in the plugin's errors, and carries the
		   confinement of a discovered configuration. */
		const nl_cfg_entry *pe = nl_cfg_entry_of(ns, "plugins");
		nl_config empty = {.name = (char *)l.desc->name, .file = p->settings.file,
		                   .root = p->settings.root, .line = pe ? pe->line : 0};
		if (nl_pinst_create(&p->pinst[p->n], l.desc, l.path, cfg ? cfg : &empty) != 0) {
			nl_pinst_destroy(&p->pinst[p->n]);
			nl_unload(&l);
			r->status2 = 1;
			continue;
		}
		p->loaded[p->n] = l;
		p->n++;
		if (l.desc->flags & NL_PLUGIN_WORD_NUMBERS)
			p->numbers = 1;
	}
	/* Sections nobody claims. */
	for (size_t i = 0; i < p->settings.n; i++) {
		nl_config *c = p->settings.sec[i];
		if (!strcmp(c->name, "newslint") || !strcmp(c->name, "rules"))
			continue;
		int known = 0;
		for (size_t k = 0; k < p->n && !known; k++)
			known = strcmp(p->pinst[k].desc->name, c->name) == 0;
		for (size_t k = 0; k < names.n && !known; k++)
			known = strcmp(names.v[k], c->name) == 0;
		if (!known) {
			nl_strv cands = {0};
			nl_strv_add(&cands, "newslint");
			nl_strv_add(&cands, "rules");
			for (size_t k = 0; k < sizeof default_plugins / sizeof *default_plugins; k++)
				nl_strv_add(&cands, default_plugins[k]);
			for (size_t k = 0; k < names.n; k++)
				nl_strv_add(&cands, names.v[k]);
			const char *near = nl_nearest(c->name, (const char *const *)cands.v, cands.n);
			nl_diag("%s:%u: warning: section [%s] is not used by any loaded plugin%s%s%s",
			        p->file ? p->file : "", c->line, c->name, near ? " (did you mean [" : "",
			        near ? near : "", near ? "]?)" : "");
			nl_strv_free(&cands);
		}
	}
	nl_strv_free(&names);
	if (apply_rule_policy(r, p) != 0)
		p->broken = 1;
	if (nl_diag_errors() != errs && p->file)
		p->broken = p->broken || p->settings.errors;
	return p;
}

static void profile_free(profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		nl_pinst_destroy(&p->pinst[i]);
		nl_unload(&p->loaded[i]);
	}
	free(p->pinst);
	free(p->loaded);
	nl_settings_free(&p->settings);
	nl_strv_free(&p->dirs);
	free(p->file);
	free(p);
}

/* The profile for a file: --config, else discovery from the file's folder. */
static profile *profile_for(run *r, const char *path)
{
	if (r->o->config)
		return profile_open(r, r->o->config, "--config");
	char *dir;
	if (strcmp(path, "-") == 0)
		path = r->o->stdin_filename ? r->o->stdin_filename : "./-";
	const char *slash = strrchr(path, '/');
	dir = slash ? nl_strndup(path, (size_t)(slash - path + (slash == path))) : nl_strdup(".");
	/* The files of one folder come one after the other: discovery (a
	   realpath and a stat for each folder up to /) runs once a folder. */
	if (dir && r->memo_dir && r->memo_prof && strcmp(dir, r->memo_dir) == 0) {
		free(dir);
		return r->memo_prof;
	}
	const char *origin = "built-in";
	char *file = nl_config_discover(dir, &origin);
	profile *p = profile_open(r, file, origin);
	free(file);
	free(r->memo_dir);
	r->memo_dir = p ? dir : NULL;
	r->memo_prof = p;
	if (!p)
		free(dir);
	return p;
}

/* ---- linting files ---------------------------------------------------------- */
typedef struct job {
	const char *arg;           /* as given */
	const char *shown;         /* as shown in reports */
	profile *prof;
	nl_buf out;                /* rendered report part */
	char *error;               /* file-level error message */
	size_t count[3];           /* findings per severity (after --min-severity) */
	size_t accepted;           /* issue 8: dropped by --baseline */
	int fail;                  /* a finding at or above fail_on */
	char *plugin_error;        /* a plugin failed on this file: the others' findings are kept */
	int done;
} job;

#define LINT_BATCH 32                 /* files linted plugin by plugin together ... */
#define LINT_BATCH_BYTES (256u << 10) /* ... unless their texts reach this */

typedef struct pool {
	run *r;
	job *jobs;
	size_t n, next;
	size_t printed, window;    /* workers stay within window files of the printing */
	const nl_formatter *fmt;
	nl_report_ctx *ctx;
	nl_baseline *baseline, *write_baseline;   /* issue 8 */
	pthread_mutex_t lock;
	pthread_cond_t cond;
} pool;

static int detect_format(const run *r, const char *shown)
{
	if (r->o->input_format)
		return r->o->input_format;
	const char *dot = strrchr(shown, '.');
	if (dot && (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown") ||
	            !strcasecmp(dot, ".mdown") || !strcasecmp(dot, ".mkd")))
		return NL_FORMAT_MARKDOWN;
	return NL_FORMAT_TEXT;
}

/* issue 8: is id a rule, a plugin or a rule pack of the profile?  (for
 * newslint-disable directives) */
static int known_rule(void *ud, const char *id)
{
	profile *p = ud;
	size_t n = strlen(id);
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->pinst[i].desc->name, id) == 0)
			return 1;
		for (size_t k = 0; k < p->pinst[i].n_rules; k++) {
			const char *r = p->pinst[i].rules[k].id;
			if (strncmp(r, id, n) == 0 && (r[n] == '\0' || r[n] == '.'))
				return 1;
		}
	}
	return 0;
}

/* A file between the stages of lint_batch(). */
typedef struct stage {
	char *text;
	size_t len;
	nl_doc *doc;
	nl_items items;
} stage;

/* Read and build job j's document; 0 when there is none to check (j->error
 * says why, or the profile is broken). */
static int lint_open(pool *pl, job *j, stage *s)
{
	run *r = pl->r;
	char err[512];
	memset(s, 0, sizeof *s);
	if (j->prof->broken) {
		j->error = nl_strdup("not linted: its configuration has errors (see above)");
		return 0;
	}
	int e = nl_read_file(j->arg, &s->text, &s->len);
	if (e) {
		j->error = nl_strdup(e == -EISDIR && strcmp(j->arg, "-") ? "is a folder that could not be walked"
		                                   : nl_read_strerror(e));
		return 0;
	}
	if (nl_utf8_check(s->text, s->len, err, sizeof err) != 0) {
		j->error = nl_strdup(err);
		return 0;
	}
	if (nl_doc_build(j->shown, s->text, s->len, detect_format(r, j->shown), &s->doc) != 0) {
		j->error = nl_strdup("out of memory (or input over 4 GB)");
		return 0;
	}
	return 1;
}

/* Plugin i of job j's profile on its document. */
static void lint_plugin(job *j, stage *s, size_t i)
{
	profile *p = j->prof;
	int rc = nl_pinst_check(&p->pinst[i], s->doc, &s->items);
	if (rc != 0 && !j->plugin_error) {
		nl_buf b = {0};
		nl_buf_printf(&b, "plugin %s failed (status %d); the other plugins' findings are kept",
		              p->pinst[i].desc->name, rc);
		j->plugin_error = nl_buf_take(&b);
	}
}

/* Job j's findings, once every plugin has checked it: into its report part. */
static void lint_close(pool *pl, job *j, stage *s)
{
	profile *p = j->prof;
	nl_items items = s->items;
	const char *text = s->text;
	size_t len = s->len;
	nl_items_finish(&items, s->doc);
	nl_suppress_apply(j->shown, text, len, &items, known_rule, p);   /* issue 8 */
	size_t w = 0;
	for (size_t i = 0; i < items.n; i++) {
		nl_item *x = &items.v[i];
		if (x->severity < p->min_sev) {
			nl_item_free(x);
			continue;
		}
		items.v[w++] = *x;
	}
	items.n = w;
	/* issue 8: record for --write-baseline, then drop what --baseline accepts */
	for (size_t i = 0; pl->write_baseline && i < items.n; i++)
		nl_baseline_add(pl->write_baseline, j->shown, text, len, &items.v[i]);
	if (pl->baseline)
		j->accepted = nl_baseline_filter(pl->baseline, j->shown, text, len, &items);
	w = 0;
	for (size_t i = 0; i < items.n; i++) {
		nl_item *x = &items.v[i];
		j->count[x->severity]++;
		if (p->fail_on != NL_FAIL_NEVER && x->severity >= p->fail_on)
			j->fail = 1;
		items.v[w++] = *x;
	}
	items.n = w;
	nl_file_result fr = {j->shown, text, len, &items, NULL};
	/* ~400 bytes a finding in the text report (6.9 MB for 18,853 on the
	   benchmark's archive): one allocation instead of doubling from 64 */
	if (items.n)
		nl_buf_reserve(&j->out, items.n < 4096 ? items.n * 400 : 4096 * 400);
	pl->fmt->file(pl->ctx, &fr, 0, &j->out);
	s->items = items;
}

static void lint_free(stage *s)
{
	nl_items_free(&s->items);
	nl_doc_free(s->doc);
	free(s->text);
}

/* Lint jobs js[0 .. n) (n <= LINT_BATCH), which share one profile, or the
 * first of them whose texts reach LINT_BATCH_BYTES: each plugin checks
 * every document of the batch before the next plugin starts, so that its
 * tables are still in the CPU's caches for the next document.  Returns how
 * many were linted (at least one). */
static size_t lint_batch(pool *pl, nl_words *words, job **js, size_t n)
{
	stage st[LINT_BATCH];
	int ok[LINT_BATCH];
	size_t bytes = 0, m = 0;
	if (!js[0]->prof->numbers)
		words = NULL;   /* no plugin of the profile reads word numbers */
	while (m < n && (m == 0 || bytes < LINT_BATCH_BYTES)) {
		ok[m] = lint_open(pl, js[m], &st[m]);
		if (ok[m] && words)
			nl_words_number(words, st[m].doc);   /* no memory: the plugins fold */
		bytes += st[m].len;
		m++;
	}
	n = m;
	profile *p = js[0]->prof;
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < n; k++)
			if (ok[k])
				lint_plugin(js[k], &st[k], i);
	for (size_t k = 0; k < n; k++) {
		if (ok[k])
			lint_close(pl, js[k], &st[k]);
		lint_free(&st[k]);
	}
	return n;
}

/* The jobs from i on that lint_batch() may take together: up to LINT_BATCH
 * not yet taken, of job i's profile. */
static size_t batch_of(pool *pl, size_t i, job **b)
{
	size_t nb = 0;
	for (size_t k = i; k < pl->n && nb < LINT_BATCH && pl->jobs[k].prof == pl->jobs[i].prof; k++)
		b[nb++] = &pl->jobs[k];
	return nb;
}

/* The table that numbers a thread's documents' words (ABI 1.1), or NULL
 * for none: NEWSLINT_WORD_NUMBERS=0 leaves every document without numbers
 * (the plugins then fold each token themselves), to compare the two. */
static nl_words *words_for_thread(void)
{
	const char *e = getenv("NEWSLINT_WORD_NUMBERS");
	return e && !strcmp(e, "0") ? NULL : nl_words_new();
}

static void *worker(void *arg)
{
	pool *pl = arg;
	nl_words *words = words_for_thread();   /* NULL: no numbers, the plugins fold */
	for (;;) {
		pthread_mutex_lock(&pl->lock);
		/* Rendered reports wait in memory until printed in order: a bounded
		   look-ahead keeps memory flat however far the printing lags. */
		while (pl->next < pl->n && pl->next >= pl->printed + pl->window)
			pthread_cond_wait(&pl->cond, &pl->lock);
		if (pl->next >= pl->n) {
			pthread_mutex_unlock(&pl->lock);
			nl_words_free(words);
			return NULL;
		}
		/* a batch of the next files, within the window */
		job *b[LINT_BATCH];
		size_t nb = batch_of(pl, pl->next, b);
		while (nb > 1 && pl->next + nb > pl->printed + pl->window)
			nb--;
		pl->next += nb;
		pthread_mutex_unlock(&pl->lock);
		for (size_t k = 0; k < nb;) {
			size_t m = lint_batch(pl, words, b + k, nb - k);
			pthread_mutex_lock(&pl->lock);
			for (size_t q = k; q < k + m; q++)
				b[q]->done = 1;
			pthread_cond_broadcast(&pl->cond);
			pthread_mutex_unlock(&pl->lock);
			k += m;
		}
	}
}

/* ---- listing and explaining ----------------------------------------------- */
static void list_plugin_cb(void *ud, const char *name, const char *path)
{
	(void)ud;
	(void)name;
	nl_loaded l;
	if (nl_load(path, NULL, 0, &l) != 0) {
		printf("%-20s (cannot load: see above)  %s\n", name, path);
		return;
	}
	printf("%-20s %-8s %s\n%-20s %-8s %s\n", l.desc->name, l.desc->version ? l.desc->version : "",
	       l.desc->summary ? l.desc->summary : "", "", "", l.path);
	nl_unload(&l);
}

static int do_list(run *r)
{
	const char *first = r->o->files.n ? r->o->files.v[0] : "./-";
	profile *p = profile_for(r, first);
	if (!p)
		return 2;
	if (r->o->list_plugins) {
		printf("Plugins found (first folder wins):\n");
		nl_each_plugin_file((const char *const *)p->dirs.v, p->dirs.n, list_plugin_cb, NULL);
		printf("\nEnabled for %s: ", p->file ? p->file : "the built-in configuration");
		for (size_t i = 0; i < p->n; i++)
			printf("%s%s", i ? ", " : "", p->pinst[i].desc->name);
		printf("\n");
	}
	if (r->o->list_rules) {
		for (size_t i = 0; i < p->n; i++)
			for (size_t k = 0; k < p->pinst[i].n_rules; k++) {
				nl_rule *ru = &p->pinst[i].rules[k];
				const char *def = nl_severity_name(ru->info->default_severity);
				const char *now = nl_severity_name(ru->severity);
				printf("%-40s %-8s%s%s%s %s\n", ru->id, now, strcmp(def, now) ? " (default " : "",
				       strcmp(def, now) ? def : "", strcmp(def, now) ? ")" : "", ru->info->summary);
			}
	}
	if (r->o->explain) {
		nl_rule *ru = find_rule(p, r->o->explain);
		if (!ru) {
			nl_strv ids = {0};
			rule_ids(p, &ids);
			const char *near = nl_nearest(r->o->explain, (const char *const *)ids.v, ids.n);
			nl_diag_error("--explain: no rule '%s' among the enabled plugins%s%s%s (see --list-rules)",
			              r->o->explain, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			nl_strv_free(&ids);
			return 2;
		}
		printf("%s\n  plugin: %s %s\n  default severity: %s; in this configuration: %s\n\n%s\n",
		       ru->id, ru->plugin->desc->name, ru->plugin->desc->version ? ru->plugin->desc->version : "",
		       nl_severity_name(ru->info->default_severity),
		       nl_severity_name(ru->severity), ru->info->summary);
		if (ru->info->explanation)
			printf("\n%s\n", ru->info->explanation);
		if (ru->info->yields_to)
			printf("\nNot reported where %s already reports the same text.\n", ru->info->yields_to);
	}
	if (r->o->print_config) {
		printf("# configuration: %s (%s)\n", p->file ? p->file : "built-in defaults",
		       p->settings.origin ? p->settings.origin : "built-in");
		if (p->confined)
			printf("# trust: found by discovery, so confined: files only below %s, plugins only "
			       "from the folders below (--allow-project-plugins lifts this)\n",
			       p->settings.root ? p->settings.root : "its folder");
		else if (p->settings.origin && !strcmp(p->settings.origin, ".newslint.ini"))
			printf("# trust: found by discovery, trusted (--allow-project-plugins)\n");
		printf("# plugin folders:");
		for (size_t i = 0; i < p->dirs.n; i++)
			printf(" %s", p->dirs.v[i]);
		printf("\n# rules folder: %s\n", nl_host_rules_dir());
		printf("[newslint]\nplugins = ");
		for (size_t i = 0; i < p->n; i++)
			printf("%s%s", i ? ", " : "", p->pinst[i].desc->name);
		printf("\nmin_severity = %s\nfail_on = %s\n", nl_severity_name(p->min_sev),
		       p->fail_on == NL_FAIL_NEVER ? "never" : nl_severity_name(p->fail_on));
		{   /* issue 8: the globs a folder argument is searched with */
			nl_config *ns = nl_settings_section(&p->settings, "newslint", 0);
			const char *inc = nl_cfg_get(ns, "include"), *exc = nl_cfg_get(ns, "exclude");
			printf("include = ");
			if (inc)
				printf("%s", inc);
			for (size_t i = 0; !inc && nl_walk_default_include[i]; i++)
				printf("%s%s", i ? ", " : "", nl_walk_default_include[i]);
			printf("\nexclude = %s\n", exc ? exc : "");
		}
		printf("\n[rules]\n");
		for (size_t i = 0; i < p->n; i++)
			for (size_t k = 0; k < p->pinst[i].n_rules; k++)
				printf("%s = %s\n", p->pinst[i].rules[k].id,
				       nl_severity_name(p->pinst[i].rules[k].severity));
		for (size_t i = 0; i < p->settings.n; i++) {
			nl_config *c = p->settings.sec[i];
			if (!strcmp(c->name, "newslint") || !strcmp(c->name, "rules"))
				continue;
			printf("\n[%s]\n", c->name);
			for (size_t k = 0; k < c->n; k++)
				printf("%s = %s    ; line %u\n", c->e[k].key, c->e[k].value, c->e[k].line);
		}
	}
	return r->status2 || nl_diag_errors() ? 2 : 0;
}

/* ---- issue 8: folder arguments and --files-from ------------------------------ */
typedef struct expand {
	run *r;
	nl_strv *out;
} expand;

static int add_file(void *ud, const char *path)
{
	expand *e = ud;
	return nl_strv_add(e->out, path);
}

/* A file is taken as is; a folder is walked with the include/exclude globs
 * of the configuration found from that folder. */
static int add_arg(void *ud, const char *arg)
{
	expand *e = ud;
	if (!nl_is_dir(arg))
		return nl_strv_add(e->out, arg);
	nl_buf probe = {0};
	nl_buf_printf(&probe, "%s/x", arg);
	profile *p = probe.p ? profile_for(e->r, probe.p) : NULL;
	nl_buf_free(&probe);
	nl_config *ns = p ? nl_settings_section(&p->settings, "newslint", 0) : NULL;
	nl_strv inc = {0}, exc = {0};
	split_list(ns ? nl_cfg_get(ns, "include") : NULL, &inc);
	split_list(ns ? nl_cfg_get(ns, "exclude") : NULL, &exc);
	nl_walk_opts wo = {(const char *const *)inc.v, inc.n, (const char *const *)exc.v, exc.n};
	size_t before = e->out->n;
	if (nl_walk(arg, &wo, add_file, e) < 0)
		e->r->status2 = 1;
	else if (e->out->n == before)
		nl_diag("warning: %s: no files to lint in this folder (include = %s)", arg,
		        inc.n ? nl_cfg_get(ns, "include") : "*.txt, *.md, *.markdown");
	nl_strv_free(&inc);
	nl_strv_free(&exc);
	return 0;
}

/* issue 8: " (N more accepted by the baseline)" for the summary line */
static const char *accepted_note(const nl_baseline *b, size_t n)
{
	static char buf[64];
	if (!b)
		return "";
	snprintf(buf, sizeof buf, " (%zu more accepted by the baseline)", n);
	return buf;
}

/* ---- the run ------------------------------------------------------------------- */
int nl_run(const nl_opts *o)
{
	run r = {.o = o};
	pthread_mutex_init(&r.lock, NULL);
	locate_defaults(&r);
	int status = 0;
	nl_strv files = {0};   /* issue 8: the arguments, folders walked, plus --files-from */
	if (o->list_plugins || o->list_rules || o->explain || o->print_config) {
		status = do_list(&r);
		goto done;
	}
	const nl_formatter *fmt = nl_formatter_find(o->format ? o->format : "text");
	pool pl = {.r = &r, .fmt = fmt};
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.cond, NULL);
	/* issue 8: expand folders and --files-from; load the baselines */
	expand ex = {&r, &files};
	for (size_t i = 0; i < o->files.n; i++)
		add_arg(&ex, o->files.v[i]);
	if (o->files_from && nl_read_file_list(o->files_from, add_arg, &ex) != 0) {
		status = 2;
		goto done;
	}
	if (!o->files.n && !o->files_from)
		nl_strv_add(&files, "-");
	if (o->baseline && !(pl.baseline = nl_baseline_load(o->baseline))) {
		status = 2;
		goto done;
	}
	if (o->write_baseline && !(pl.write_baseline = nl_baseline_new())) {
		nl_diag_error("out of memory");
		status = 2;
		goto done;
	}
	size_t nfiles = files.n;
	pl.jobs = calloc(nfiles ? nfiles : 1, sizeof *pl.jobs);
	pl.n = nfiles;
	if (!pl.jobs) {
		nl_diag_error("out of memory");
		status = 2;
		goto done;
	}
	for (size_t i = 0; i < nfiles; i++) {
		job *j = &pl.jobs[i];
		j->arg = files.v[i];
		j->shown = strcmp(j->arg, "-") ? j->arg : (o->stdin_filename ? o->stdin_filename : "-");
		j->prof = profile_for(&r, j->arg);
		if (!j->prof) {
			nl_diag_error("out of memory");
			status = 2;
			goto done;
		}
	}
	/* Rules of the run, for formats that describe them (SARIF). */
	const nl_rule **rules = NULL;
	size_t n_rules = 0;
	strset seen_ids = {0};     /* a pack may declare thousands of rules */
	for (size_t i = 0; i < r.n_prof; i++)
		for (size_t k = 0; k < r.prof[i]->n; k++)
			for (size_t q = 0; q < r.prof[i]->pinst[k].n_rules; q++) {
				nl_rule *ru = &r.prof[i]->pinst[k].rules[q];
				if (strset_add(&seen_ids, ru->id) == 0)
					continue;
				const nl_rule **v = realloc(rules, (n_rules + 1) * sizeof *v);
				if (v) {
					rules = v;
					rules[n_rules++] = ru;
				} else {
					nl_oom();
				}
			}
	free(seen_ids.v);
	nl_error_entry *errors = NULL;
	size_t n_errors = 0;
	int color = o->color;
	if (color < 0) {
		const char *term = getenv("TERM");
		color = isatty(1) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
	}
	nl_report_ctx ctx = {.color = color, .quiet = o->quiet, .rules = (const nl_rule *const *)rules,
	                     .n_rules = n_rules, .tool_version = PACKAGE_VERSION};
	pl.ctx = &ctx;
	nl_buf out = {0};
	fmt->begin(&ctx, &out);
	fwrite(out.p ? out.p : "", 1, out.len, stdout);
	out.len = 0;
	int jobs = o->jobs > 0 ? o->jobs : 1;
	if ((size_t)jobs > nfiles)
		jobs = (int)nfiles;
	pthread_t *th = NULL;
	int started = 0;
	pl.window = 2 * LINT_BATCH * (size_t)jobs + 32;
	if (jobs > 1) {
		th = calloc((size_t)jobs, sizeof *th);
		for (int t = 0; th && t < jobs; t++)
			if (pthread_create(&th[t], NULL, worker, &pl) == 0)
				started++;
	}
	size_t total[3] = {0}, linted = 0, accepted = 0;
	int fail = 0, first = 1;
	nl_words *words = started ? NULL : words_for_thread();   /* -j 1: this thread's word numbers */
	for (size_t i = 0; i < nfiles; i++) {
		job *j = &pl.jobs[i];
		if (started) {
			pthread_mutex_lock(&pl.lock);
			while (!j->done)
				pthread_cond_wait(&pl.cond, &pl.lock);
			pthread_mutex_unlock(&pl.lock);
		} else if (!j->done) {
			job *b[LINT_BATCH];
			size_t nb = batch_of(&pl, i, b);
			for (size_t k = 0; k < nb;) {
				size_t m = lint_batch(&pl, words, b + k, nb - k);
				for (size_t q = k; q < k + m; q++)
					b[q]->done = 1;
				k += m;
			}
		}
		const char *msg = j->error ? j->error : j->plugin_error;
		if (msg) {
			nl_diag_error("%s: %s", j->shown, msg);
			nl_error_entry *v = realloc(errors, (n_errors + 1) * sizeof *v);
			if (v) {
				errors = v;
				errors[n_errors].path = nl_strdup(j->shown);
				errors[n_errors].message = nl_strdup(msg);
				n_errors++;
			}
			status = 2;
		}
		if (!j->error) {
			/* Parts are rendered as if not first; the first drops its separator. */
			const char *s = j->out.p ? j->out.p : "";
			size_t n = j->out.len;
			if (first && n && s[0] == ',')
				s++, n--;
			fwrite(s, 1, n, stdout);
			if (n)
				first = 0;   /* issue 8: an empty part (SARIF, no findings) keeps the next one first */
			linted++;
			for (int s2 = 0; s2 < 3; s2++)
				total[s2] += j->count[s2];
			accepted += j->accepted;   /* issue 8 */
			fail |= j->fail;
		}
		nl_buf_free(&j->out);
		free(j->error);
		free(j->plugin_error);
		j->error = j->plugin_error = NULL;
		if (started) {
			pthread_mutex_lock(&pl.lock);
			pl.printed = i + 1;
			pthread_cond_broadcast(&pl.cond);
			pthread_mutex_unlock(&pl.lock);
		}
	}
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	free(th);
	nl_words_free(words);
	ctx.errors = errors;
	ctx.n_errors = n_errors;
	fmt->end(&ctx, &out);
	fwrite(out.p ? out.p : "", 1, out.len, stdout);
	nl_buf_free(&out);
	fflush(stdout);
	if (!o->quiet && fmt == &nl_format_text)
		fprintf(stderr, "%zu file%s linted: %zu error%s, %zu warning%s, %zu info%s\n", linted,
		        linted == 1 ? "" : "s", total[2], total[2] == 1 ? "" : "s", total[1],
		        total[1] == 1 ? "" : "s", total[0], accepted_note(pl.baseline, accepted));
	/* issue 8: --write-baseline: the findings are accepted once written */
	if (pl.write_baseline && nl_baseline_save(pl.write_baseline, o->write_baseline) == 0) {
		if (!o->quiet)
			fprintf(stderr, "newslint: wrote %zu finding%s to the baseline %s\n",
			        nl_baseline_count(pl.write_baseline),
			        nl_baseline_count(pl.write_baseline) == 1 ? "" : "s", o->write_baseline);
		fail = 0;
	}
	nl_baseline_free(pl.baseline);
	nl_baseline_free(pl.write_baseline);
	if (r.status2 || nl_diag_errors())
		status = 2;
	if (status == 0 && fail)
		status = 1;
	for (size_t i = 0; i < n_errors; i++) {
		free(errors[i].path);
		free(errors[i].message);
	}
	free(errors);
	free(rules);
	free(pl.jobs);
	pthread_mutex_destroy(&pl.lock);
	pthread_cond_destroy(&pl.cond);
#ifndef __SANITIZE_ADDRESS__
	/* The run is over and everything is written: the operating system takes
	   the memory back faster than the plugins can free it (Hunspell's own
	   clean-up alone is ~10 ms, a third of a one-article run).  Leak checks
	   (ASan builds, or NEWSLINT_FULL_CLEANUP=1 under valgrind) free it all. */
	if (!getenv("NEWSLINT_FULL_CLEANUP")) {
		fflush(stderr);
		return status;
	}
#endif
done:
	nl_strv_free(&files);
	for (size_t i = 0; i < r.n_prof; i++)
		profile_free(r.prof[i]);
	free(r.prof);
	free(r.memo_dir);
	free(r.default_plugin_dir);
	pthread_mutex_destroy(&r.lock);
	return status;
}
