/* walk.c -- folder arguments and file lists (see walk.h). */
#include "walk.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const nl_walk_default_include[] = {"*.txt", "*.md", "*.markdown", NULL};

int nl_is_dir(const char *path)
{
	struct stat st;
	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int glob_match(const char *glob, const char *rel)
{
	if (strchr(glob, '/'))
		return fnmatch(glob, rel, FNM_PATHNAME | FNM_PERIOD) == 0;
	const char *name = strrchr(rel, '/');
	name = name ? name + 1 : rel;
	return fnmatch(glob, name, FNM_PERIOD) == 0;
}

static int excluded(const nl_walk_opts *wo, const char *rel)
{
	for (size_t i = 0; wo && i < wo->n_exclude; i++)
		if (glob_match(wo->exclude[i], rel))
			return 1;
	return 0;
}

int nl_walk_match(const nl_walk_opts *wo, const char *rel)
{
	int inc = 0;
	if (wo && wo->n_include) {
		for (size_t i = 0; !inc && i < wo->n_include; i++)
			inc = glob_match(wo->include[i], rel);
	} else {
		for (size_t i = 0; !inc && nl_walk_default_include[i]; i++)
			inc = glob_match(nl_walk_default_include[i], rel);
	}
	return inc && !excluded(wo, rel);
}

/* ---- folders visited: a set of (device, inode) --------------------------- */
typedef struct visited {
	struct { dev_t dev; ino_t ino; int used; } *v;
	size_t n, cap;
} visited;

static size_t hash_di(dev_t d, ino_t i)
{
	uint64_t h = ((uint64_t)d * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)i * 0xC2B2AE3D27D4EB4Full);
	return (size_t)(h ^ (h >> 29));
}

/* 1 if newly added, 0 if already there, -1 out of memory. */
static int visit(visited *s, dev_t dev, ino_t ino)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		visited t = {calloc(cap, sizeof *t.v), 0, cap};
		if (!t.v) {
			nl_oom();
			return -1;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].used) {
				size_t h = hash_di(s->v[i].dev, s->v[i].ino) & (cap - 1);
				while (t.v[h].used)
					h = (h + 1) & (cap - 1);
				t.v[h] = s->v[i];
				t.n++;
			}
		free(s->v);
		*s = t;
	}
	size_t h = hash_di(dev, ino) & (s->cap - 1);
	while (s->v[h].used) {
		if (s->v[h].dev == dev && s->v[h].ino == ino)
			return 0;
		h = (h + 1) & (s->cap - 1);
	}
	s->v[h].dev = dev;
	s->v[h].ino = ino;
	s->v[h].used = 1;
	s->n++;
	return 1;
}

/* ---- the walk --------------------------------------------------------------- */
typedef struct walker {
	const nl_walk_opts *wo;
	int (*fn)(void *, const char *);
	void *ud;
	visited seen;
	nl_buf path;       /* root + "/" + rel, rebuilt as we go */
	size_t rel_at;     /* where rel starts in path */
} walker;

/* A name read from a folder, after one byte holding its d_type (a regular
   file needs no stat: one path lookup less per file). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static int walk_dir(walker *w)
{
	DIR *d = opendir(w->path.len ? w->path.p : ".");
	if (!d) {
		nl_diag_error("%s: cannot read folder: %s", w->path.len ? w->path.p : ".", strerror(errno));
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;    /* hidden, . and .. */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **v = realloc(names, cap * sizeof *v);
			if (!v) {
				nl_oom();    /* an error: the folder is not linted whole */
				break;
			}
			names = v;
		}
		size_t nlen = strlen(de->d_name);
		if (!(names[n] = malloc(nlen + 2))) {
			nl_oom();
			break;
		}
		names[n][0] = (char)de->d_type;
		memcpy(names[n] + 1, de->d_name, nlen + 1);
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	size_t base = w->path.len;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		w->path.len = base;
		if (base && w->path.p[base - 1] != '/')
			nl_buf_putc(&w->path, '/');
		nl_buf_puts(&w->path, names[i] + 1);
		if (w->path.oom)
			break;
		const char *rel = w->path.p + w->rel_at;
		if (names[i][0] == (char)DT_REG) {
			if (nl_walk_match(w->wo, rel))
				rc = w->fn(w->ud, w->path.p);
			continue;
		}
		struct stat st;
		if (stat(w->path.p, &st) != 0)
			continue;    /* a dangling symbolic link, or gone meanwhile */
		if (S_ISDIR(st.st_mode)) {
			if (excluded(w->wo, rel))
				continue;
			int v = visit(&w->seen, st.st_dev, st.st_ino);
			if (v == 1)
				rc = walk_dir(w);
			else if (v < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode) && nl_walk_match(w->wo, rel)) {
			rc = w->fn(w->ud, w->path.p);
		}
	}
	w->path.len = base;
	if (w->path.p)
		w->path.p[base] = '\0';
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int nl_walk(const char *root, const nl_walk_opts *wo, int (*fn)(void *ud, const char *path),
            void *ud)
{
	walker w = {.wo = wo, .fn = fn, .ud = ud};
	struct stat st;
	if (stat(root, &st) != 0) {
		nl_diag_error("%s: %s", root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		nl_diag_error("%s: not a folder", root);
		return -1;
	}
	visit(&w.seen, st.st_dev, st.st_ino);
	if (root[0] == '/' && root[strspn(root, "/")] == '\0') {
		nl_buf_putc(&w.path, '/');
		w.rel_at = 1;
	} else if (strcmp(root, ".") && strcmp(root, "./")) {
		size_t n = strlen(root);
		while (n > 1 && root[n - 1] == '/')
			n--;
		nl_buf_add(&w.path, root, n);
		nl_buf_putc(&w.path, '/');
		w.rel_at = w.path.len;
		w.path.len--;      /* walk_dir adds the '/' */
	}
	if (w.path.oom) {      /* reported by nl_buf */
		nl_buf_free(&w.path);
		free(w.seen.v);
		return -1;
	}
	int rc = walk_dir(&w);
	nl_buf_free(&w.path);
	free(w.seen.v);
	return rc;
}

int nl_read_file_list(const char *file, int (*fn)(void *ud, const char *path), void *ud)
{
	char *data = NULL;
	size_t len = 0;
	int e = nl_read_file(file, &data, &len);
	if (e) {
		nl_diag_error("--files-from %s: %s", strcmp(file, "-") ? file : "standard input",
		              nl_read_strerror(e));
		return -1;
	}
	int rc = 0;
	char *p = data, *end = data + len;
	while (p < end && !rc) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le > p) {
			char *path = nl_strndup(p, (size_t)(le - p));
			if (!path) {
				rc = -1;
				break;
			}
			rc = fn(ud, path);
			free(path);
		}
		p = nl ? nl + 1 : end;
	}
	free(data);
	return rc;
}
