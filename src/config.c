/* config.c -- INI files through inih.  inih hands values that live only for
 * the handler call, so everything is copied; its reader is ours so we know
 * the line of every key and can say "line too long" instead of letting inih
 * truncate the line silently. */
#include "config.h"
#include "util.h"

#include <ini.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NL_CONFIG_MAX (16 << 20)   /* bytes of one INI file */

/* Reader state: either a FILE or a string. */
typedef struct rd {
	FILE *f;
	const char *str;
	unsigned line;
	int too_long;          /* line number of the first over-long line */
	int nul;               /* line number of the first NUL byte (not a text file) */
	int err;               /* errno of a read error */
	int cont;              /* current line starts with white space */
	unsigned header;       /* line of the last [section] header */
	nl_settings *s;
	nl_config *last_sec;
	nl_cfg_entry *last;    /* last entry, for continuation lines */
	size_t last_len, last_cap;   /* its value's length and allocation (grown
	                                geometrically: 100,000 continuation lines
	                                must not be copied 100,000 times) */
	const char *file;
} rd;

static char *reader(char *str, int num, void *stream)
{
	rd *r = stream;
	size_t n = 0;
	if (r->too_long || r->nul)
		return NULL;
	int c = EOF;
	for (;;) {
		if (r->f) {
			c = fgetc(r->f);
			if (c == EOF && ferror(r->f) && !r->err)
				r->err = errno ? errno : EIO;
		}
		else
			c = *r->str ? (unsigned char)*r->str++ : EOF;
		if (c == EOF)
			break;
		if (c == '\0') {                  /* inih would cut the line there */
			r->nul = (int)r->line + 1;
			return NULL;
		}
		if ((int)n >= num - 2) {           /* no room for this byte, '\n' and NUL */
			if (c == '\n')
				break;
			r->too_long = (int)r->line + 1;
			return NULL;
		}
		str[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0 && c == EOF)
		return NULL;
	str[n] = '\0';
	r->line++;
	r->cont = n > 0 && (str[0] == ' ' || str[0] == '\t');
	size_t k = 0;
	while (k < n && (str[k] == ' ' || str[k] == '\t'))
		k++;
	if (k < n && str[k] == '[')
		r->header = r->line;
	return str;
}

static size_t name_hash(const char *name)
{
	size_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

/* Sections are looked up through a hash of their names: a hostile file of
   100,000 sections must not cost 100,000 squared comparisons. */
static size_t *index_slot(const nl_settings *s, const char *name)
{
	size_t mask = s->index_cap - 1, i = name_hash(name) & mask;
	while (s->index[i] && strcmp(s->sec[s->index[i] - 1]->name, name) != 0)
		i = (i + 1) & mask;
	return &s->index[i];
}

static int index_grow(nl_settings *s)
{
	size_t cap = s->index_cap ? s->index_cap * 2 : 16;
	size_t *v = calloc(cap, sizeof *v);
	if (!v)
		return -1;
	free(s->index);
	s->index = v;
	s->index_cap = cap;
	for (size_t k = 0; k < s->n; k++)
		*index_slot(s, s->sec[k]->name) = k + 1;
	return 0;
}

nl_config *nl_settings_section(nl_settings *s, const char *name, int create)
{
	if (s->index_cap) {
		size_t *slot = index_slot(s, name);
		if (*slot)
			return s->sec[*slot - 1];
	} else {
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->sec[i]->name, name) == 0)
				return s->sec[i];
	}
	if (!create)
		return NULL;
	if ((s->n + 1) * 2 > s->index_cap && index_grow(s) != 0)
		return NULL;
	nl_config **v = realloc(s->sec, (s->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	s->sec = v;
	nl_config *c = calloc(1, sizeof *c);
	if (!c || !(c->name = nl_strdup(name))) {
		free(c);
		return NULL;
	}
	c->file = s->file;
	c->root = s->root;
	s->sec[s->n++] = c;
	*index_slot(s, c->name) = s->n;
	return c;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	rd *r = user;
	nl_config *c = nl_settings_section(r->s, section, 1);
	if (!c)
		return 0;
	if (!name) {                /* with INI_CALL_HANDLER_ON_NEW_SECTION */
		if (!c->line)
			c->line = r->line;
		return 1;
	}
	if (!c->line)
		c->line = r->header ? r->header : r->line;
	/* A continuation line: inih calls the handler again with the same name. */
	if (r->cont && r->last && r->last_sec == c && strcmp(r->last->key, name) == 0) {
		size_t a = r->last_len, b = strlen(value);
		if (a + b + 2 > r->last_cap) {
			size_t cap = r->last_cap * 2 > a + b + 2 ? r->last_cap * 2 : a + b + 2;
			char *v = realloc(r->last->value, cap);
			if (!v)
				return 0;
			r->last->value = v;
			r->last_cap = cap;
		}
		char *v = r->last->value;
		v[a] = '\n';
		memcpy(v + a + 1, value, b + 1);
		r->last_len = a + 1 + b;
		return 1;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		nl_cfg_entry *e = realloc(c->e, cap * sizeof *e);
		if (!e)
			return 0;
		c->e = e;
		c->cap = cap;
	}
	nl_cfg_entry *e = &c->e[c->n];
	e->key = nl_strdup(name);
	e->value = nl_strdup(value);
	e->line = r->line;
	e->refused = 0;
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return 0;
	}
	c->n++;
	r->last = e;
	r->last_sec = c;
	r->last_len = strlen(e->value);
	r->last_cap = r->last_len + 1;
	return 1;
}

static int parse(nl_settings *s, rd *r)
{
	int rc = ini_parse_stream(reader, r, handler, r);
	const char *name = r->file ? r->file : "(configuration)";
	if (r->err) {
		nl_diag_error("%s: cannot read the configuration: %s", name,
		              r->err == EISDIR ? "it is a folder" : strerror(r->err));
		s->errors++;
		return NL_EIO;
	}
	if (r->nul) {
		nl_diag_error("%s:%d: a NUL byte: this is not a text file (an INI file is UTF-8 text)",
		              name, r->nul);
		s->errors++;
		return NL_ECONFIG;
	}
	if (r->too_long) {
		nl_diag_error("%s:%d: line too long (more than %d bytes): split the value over "
		              "indented continuation lines or move the list into a file",
		              name, r->too_long, INI_MAX_LINE - 2);
		s->errors++;
		return NL_ECONFIG;
	}
	if (rc > 0) {
		nl_diag_error("%s:%d: syntax error: expected '[section]', 'key = value' or a "
		              "'#'/';' comment", name, rc);
		s->errors++;
		return NL_ECONFIG;
	}
	if (rc < 0) {
		nl_diag_error("%s: out of memory while reading the configuration", name);
		return NL_ENOMEM;
	}
	return 0;
}

int nl_settings_load(nl_settings *s, const char *file, const char *origin)
{
	rd r = {0};
	s->file = nl_strdup(file);
	s->origin = origin;
	const char *slash = strrchr(file, '/');
	s->dir = slash ? nl_strndup(file, (size_t)(slash - file + (slash == file))) : nl_strdup(".");
	int fd = nl_open_read(file);
	r.f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!r.f) {
		if (fd >= 0)
			close(fd);
		int e = fd < 0 ? fd : -errno;
		nl_diag_error("%s: cannot read the configuration: %s", file,
		              e == NL_READ_EFIFO ? "it is a named pipe (FIFO), which could wait for a "
		                                   "writer forever; give a regular file (or -c /dev/stdin < FIFO)"
		              : e == -EISDIR ? "it is a folder" : nl_read_strerror(e));
		return NL_EIO;
	}
	struct stat st;
	if (fstat(fileno(r.f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > NL_CONFIG_MAX) {
		/* Every key is kept in memory: a hostile file must not exhaust it. */
		nl_diag_error("%s: the configuration is %lld bytes, over the %d MB a configuration "
		              "may have: move long lists into files", file, (long long)st.st_size,
		              NL_CONFIG_MAX >> 20);
		fclose(r.f);
		s->errors++;
		return NL_ECONFIG;
	}
	r.s = s;
	r.file = s->file;
	int rc = parse(s, &r);
	fclose(r.f);
	return rc;
}

int nl_settings_load_string(nl_settings *s, const char *name, const char *text)
{
	rd r = {0};
	s->file = name ? nl_strdup(name) : NULL;
	s->dir = nl_strdup(".");
	s->origin = "string";
	r.str = text;
	r.s = s;
	r.file = s->file;
	return parse(s, &r);
}

void nl_settings_free(nl_settings *s)
{
	for (size_t i = 0; i < s->n; i++) {
		nl_config *c = s->sec[i];
		for (size_t j = 0; j < c->n; j++) {
			free(c->e[j].key);
			free(c->e[j].value);
		}
		free(c->e);
		free(c->name);
		free(c);
	}
	free(s->sec);
	free(s->file);
	free(s->dir);
	free(s->root);
	free(s->index);
	memset(s, 0, sizeof *s);
}

int nl_settings_confine(nl_settings *s)
{
	free(s->root);
	s->root = realpath(s->dir ? s->dir : ".", NULL);
	if (!s->root) {
		nl_diag_error("%s: cannot resolve the folder of the configuration: %s",
		              s->file ? s->file : ".", strerror(errno));
		return NL_EIO;
	}
	for (size_t i = 0; i < s->n; i++)
		s->sec[i]->root = s->root;
	return 0;
}

/* Does a relative path climb above its starting folder with ".."? */
static int climbs_out(const char *rel)
{
	int depth = 0;
	for (const char *p = rel; *p;) {
		while (*p == '/')
			p++;
		const char *q = p;
		while (*q && *q != '/')
			q++;
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p = q;
	}
	return 0;
}

static int has_dotdot(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 1;
		p = strchr(p, '/');
		if (!p)
			return 0;
		p++;
	}
}

int nl_path_inside(const char *root, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real) {
		/* Judge a missing file by its deepest existing folder; what follows
		   that folder must not climb back with "..". */
		char *copy = nl_strdup(path);
		if (!copy)
			return 0;
		for (;;) {
			char *slash = strrchr(copy, '/');
			if (has_dotdot(slash ? slash + 1 : copy))
				break;
			if (!slash) {
				real = realpath(".", NULL);
				break;
			}
			if (slash == copy) {
				real = realpath("/", NULL);
				break;
			}
			*slash = '\0';
			if ((real = realpath(copy, NULL)) != NULL)
				break;
		}
		free(copy);
		if (!real)
			return 0;
	}
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	int in = strncmp(real, root, n) == 0 &&
	         (real[n] == '\0' || real[n] == '/' || (n == 1 && root[0] == '/'));
	free(real);
	return in;
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *nl_config_discover(const char *dir, const char **origin)
{
	char *d = realpath(dir && *dir ? dir : ".", NULL);
	nl_buf b = {0};
	while (d) {
		b.len = 0;
		nl_buf_printf(&b, "%s%s.newslint.ini", d, strcmp(d, "/") ? "/" : "");
		if (b.p && is_file(b.p)) {
			free(d);
			*origin = ".newslint.ini";
			return nl_buf_take(&b);
		}
		char *slash = strrchr(d, '/');
		if (!slash || strcmp(d, "/") == 0)
			break;
		if (slash == d)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(d);
	b.len = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		nl_buf_printf(&b, "%s/newslint/config.ini", xdg);
	else if (home && *home)
		nl_buf_printf(&b, "%s/.config/newslint/config.ini", home);
	if (b.p && is_file(b.p)) {
		*origin = "XDG";
		return nl_buf_take(&b);
	}
	nl_buf_free(&b);
	return NULL;
}

/* ---- accessors ---------------------------------------------------------- */
size_t nl_cfg_count(const nl_config *c) { return c ? c->n : 0; }
const char *nl_cfg_key(const nl_config *c, size_t i) { return c && i < c->n ? c->e[i].key : NULL; }
const char *nl_cfg_value(const nl_config *c, size_t i) { return c && i < c->n ? c->e[i].value : NULL; }

const nl_cfg_entry *nl_cfg_entry_of(const nl_config *c, const char *key)
{
	if (!c)
		return NULL;
	for (size_t i = c->n; i-- > 0;)
		if (strcmp(c->e[i].key, key) == 0)
			return &c->e[i];
	return NULL;
}

const char *nl_cfg_get(const nl_config *c, const char *key)
{
	const nl_cfg_entry *e = nl_cfg_entry_of(c, key);
	return e ? e->value : NULL;
}

static void where(nl_buf *b, const nl_config *c, const char *key)
{
	const nl_cfg_entry *e = key ? nl_cfg_entry_of(c, key) : NULL;
	unsigned line = e ? e->line : c->line;
	if (c->file && line)
		nl_buf_printf(b, "%s:%u: ", c->file, line);
	else if (c->file)
		nl_buf_printf(b, "%s: ", c->file);
	nl_buf_printf(b, "[%s] ", c->name);
	if (key)
		nl_buf_printf(b, "%s: ", key);
}

static void vreport(const nl_config *c, const char *key, int error, const char *fmt, va_list ap)
{
	const nl_cfg_entry *re = key ? nl_cfg_entry_of(c, key) : NULL;
	if (error && re && re->refused) {
		/* nl_cfg_path refused a path of this key and said why: the
		   plugin's own follow-up ("path too long", "cannot read") adds
		   nothing true. */
		((nl_config *)c)->errors++;
		return;
	}
	nl_buf b = {0};
	where(&b, c, key);
	nl_buf_puts(&b, error ? "" : "warning: ");
	nl_buf_vprintf(&b, fmt, ap);
	if (error) {
		nl_diag_error("%s", b.p ? b.p : "configuration error");
		((nl_config *)c)->errors++;
	} else {
		nl_diag("%s", b.p ? b.p : "configuration warning");
	}
	nl_buf_free(&b);
}

void nl_cfg_error(const nl_config *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, key, 1, fmt, ap);
	va_end(ap);
}

void nl_cfg_warn(const nl_config *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, key, 0, fmt, ap);
	va_end(ap);
}

int nl_cfg_int(const nl_config *c, const char *key, long dflt, long min, long max, long *out)
{
	const char *v = nl_cfg_get(c, key);
	*out = dflt;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*v || *end || errno || x < min || x > max) {
		nl_cfg_error(c, key, "expected a whole number from %ld to %ld, got '%s'", min, max, v);
		return NL_ECONFIG;
	}
	*out = x;
	return 0;
}

int nl_cfg_double(const nl_config *c, const char *key, double dflt, double min, double max, double *out)
{
	const char *v = nl_cfg_get(c, key);
	*out = dflt;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	while (*end == ' ' || *end == '\t' || *end == '%')
		end++;
	if (!*v || *end || errno || !(x >= min && x <= max)) {
		nl_cfg_error(c, key, "expected a number from %g to %g, got '%s'", min, max, v);
		return NL_ECONFIG;
	}
	*out = x;
	return 0;
}

int nl_cfg_bool(const nl_config *c, const char *key, int dflt, int *out)
{
	const char *v = nl_cfg_get(c, key);
	*out = dflt;
	if (!v)
		return 0;
	static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	nl_cfg_error(c, key, "expected true or false, got '%s'", v);
	return NL_ECONFIG;
}

const char nl_confined_hint[] =
	"a configuration found by discovery (not given with --config) may only name regular "
	"files inside its own folder, and plugins from the trusted plugin folders; pass "
	"--allow-project-plugins to trust this project";

/* For a folder: does one of its entries (one level down, where a plugin
   looks for the files it names, such as dictionaries) link outside root? */
static char *link_out_in_folder(const char *root, const char *dir, int *fifo)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char *out = NULL;
	struct dirent *e;
	nl_buf b = {0};
	while (!out && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		b.len = 0;
		nl_buf_printf(&b, "%s/%s", dir, e->d_name);
		struct stat st;
		if (b.p && lstat(b.p, &st) == 0 && S_ISLNK(st.st_mode) && !nl_path_inside(root, b.p))
			out = nl_strdup(e->d_name);
		else if (b.p && stat(b.p, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			*fifo = 1, out = nl_strdup(e->d_name);   /* a FIFO or device: opening it could block */
	}
	nl_buf_free(&b);
	closedir(d);
	return out;
}

/* Report a path of a confined configuration as refused, at the line of
   the entry that names it, and mark that entry. */
static void refuse_path(const nl_config *c, const char *path, const char *why)
{
	nl_cfg_entry *e = NULL;
	for (size_t i = c->n; i-- > 0 && !e;)
		if (strstr(c->e[i].value, path))
			e = &c->e[i];
	nl_buf b = {0};
	if (c->file && (e || c->line))
		nl_buf_printf(&b, "%s:%u: ", c->file, e ? e->line : c->line);
	else if (c->file)
		nl_buf_printf(&b, "%s: ", c->file);
	nl_buf_printf(&b, "[%s] ", c->name);
	if (e)
		nl_buf_printf(&b, "%s: ", e->key);
	nl_buf_printf(&b, "refused '%s': %s; %s", path, why, nl_confined_hint);
	nl_diag_error("%s", b.p ? b.p : "refused a path of the configuration");
	nl_buf_free(&b);
	((nl_config *)c)->errors++;
	if (e)
		e->refused = 1;
}

const char *nl_cfg_path(const nl_config *c, const char *path, char *buf, size_t size)
{
	int n;
	if (c && c->root) {
		if (path[0] == '/') {
			refuse_path(c, path, "an absolute path");
			return NULL;
		}
		if (climbs_out(path)) {
			refuse_path(c, path, "'..' leads out of the configuration's folder");
			return NULL;
		}
	}
	if (path[0] == '/' || !c || !c->file)
		n = snprintf(buf, size, "%s", path);
	else {
		const char *slash = strrchr(c->file, '/');
		if (!slash)
			n = snprintf(buf, size, "%s", path);
		else
			n = snprintf(buf, size, "%.*s/%s", (int)(slash - c->file), c->file, path);
	}
	if (n < 0 || (size_t)n >= size)
		return NULL;
	if (c && c->root && !nl_path_inside(c->root, buf)) {
		refuse_path(c, path, "a symbolic link leads out of the configuration's folder");
		return NULL;
	}
	struct stat st;
	if (c && c->root && stat(buf, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* a FIFO would block the plugin that opens it forever */
		refuse_path(c, path, "not a regular file");
		return NULL;
	}
	int fifo = 0;
	char *link = c && c->root ? link_out_in_folder(c->root, buf, &fifo) : NULL;
	if (link) {
		/* a folder (dictionary_path): the plugin opens its files itself */
		nl_buf why = {0};
		nl_buf_printf(&why, "its entry '%s' %s", link, fifo ? "is not a regular file"
		              : "is a symbolic link leading out of the configuration's folder");
		refuse_path(c, path, why.p ? why.p : "a symbolic link in it leads out");
		nl_buf_free(&why);
		free(link);
		return NULL;
	}
	return buf;
}

void nl_cfg_check_keys(const nl_config *c, const char *const *known)
{
	size_t nk = 0;
	while (known && known[nk])
		nk++;
	for (size_t i = 0; i < c->n; i++) {
		size_t k;
		for (k = 0; k < nk; k++)
			if (strcmp(c->e[i].key, known[k]) == 0)
				break;
		if (k < nk)
			continue;
		/* Only the line of this occurrence: report it directly. */
		const char *near = nl_nearest(c->e[i].key, known, nk);
		nl_buf b = {0};
		if (c->file)
			nl_buf_printf(&b, "%s:%u: ", c->file, c->e[i].line);
		nl_buf_printf(&b, "[%s] warning: unknown key '%s'", c->name, c->e[i].key);
		if (near)
			nl_buf_printf(&b, " (did you mean '%s'?)", near);
		else if (nk) {
			nl_buf_puts(&b, "; known keys:");
			for (k = 0; k < nk; k++)
				nl_buf_printf(&b, " %s", known[k]);
		}
		nl_diag("%s", b.p ? b.p : "unknown key");
		nl_buf_free(&b);
	}
}

int nl_parse_severity(const char *s, int allow_off)
{
	if (!s)
		return -1;
	if (strcasecmp(s, "info") == 0 || strcasecmp(s, "suggestion") == 0)
		return NL_SEV_INFO;
	if (strcasecmp(s, "warning") == 0 || strcasecmp(s, "warn") == 0)
		return NL_SEV_WARNING;
	if (strcasecmp(s, "error") == 0)
		return NL_SEV_ERROR;
	if (allow_off && (strcasecmp(s, "off") == 0 || strcasecmp(s, "false") == 0 ||
	                  strcasecmp(s, "none") == 0))
		return NL_SEV_OFF;
	return -1;
}
