/* packs.c -- rule packs: house-style and editorial rules written as INI files
 * (no C).  One pack file = one [pack] section naming the pack plus one
 * section per rule; see docs/rule-packs.md for the format.
 *
 * Each rule compiles ALL its words and patterns into ONE PCRE2 regex (words
 * go through a prefix trie, so a 2,000-word list costs about what a short one
 * does), JIT-compiled, run with match and depth limits so a catastrophic
 * pattern cannot hang a run.  Matches count only where they lie on word
 * tokens of prose as the core's tokenizer sees them: Markdown code has no
 * tokens, and the token flags say what is quoted or a heading.
 *
 * Thread-safety: everything in the state is read-only after create(); the
 * compiled regexes are shared (PCRE2 allows that), match data, match context
 * and JIT stack are per check() call. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <ini.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "newslint/plugin.h"
#include "wordkey.h"

#define PK "packs"
#define DEFAULT_PACKS "puffery"
#define DEFAULT_MATCH_LIMIT 1000000L
#define DEFAULT_DEPTH_LIMIT 100000L
#define DEFAULT_TIME_LIMIT 2.0  /* CPU seconds per rule and document, plus as much per MB */
#define MAX_RELATED 100
#define MAX_PACK_BYTES (16L << 20)
#define MAX_SHOWN 80          /* bytes of matched text quoted in a message */

/* ---- small helpers -------------------------------------------------------- */

typedef struct sb {
	char *p;
	size_t n, cap;
	int oom;
} sb;

static void sb_add(sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_puts(sb *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sb_add(b, tmp, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, (size_t)n);
	free(big);
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static int ascii_alnum(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Trim white space in place; returns the trimmed length, *s moved. */
static size_t trim(const char **s, size_t n)
{
	while (n && is_space((unsigned char)**s)) {
		(*s)++;
		n--;
	}
	while (n && is_space((unsigned char)(*s)[n - 1]))
		n--;
	return n;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
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
	return -1;
}

static int parse_severity(const char *v)
{
	if (strcasecmp(v, "info") == 0)
		return NL_SEV_INFO;
	if (strcasecmp(v, "warning") == 0)
		return NL_SEV_WARNING;
	if (strcasecmp(v, "error") == 0)
		return NL_SEV_ERROR;
	return -2;
}

static const char *severity_name(int s)
{
	return s == NL_SEV_ERROR ? "error" : s == NL_SEV_WARNING ? "warning" : "info";
}

/* A kebab-case name: pack and rule names become rule ids. */
static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* ---- the model ------------------------------------------------------------ */

enum kind { K_EXISTENCE, K_SUBSTITUTION, K_OCCURRENCE, K_CONSISTENCY };
static const char *const kind_names[] = { "existence", "substitution", "occurrence", "consistency" };

enum scope { SC_DOCUMENT, SC_PARAGRAPH, SC_SENTENCE };
static const char *const scope_names[] = { "document", "paragraph", "sentence" };

/* Message argument slots; "%s" takes them in the kind's order (see fmt_order). */
enum { A_MATCH, A_SUGG, A_COUNT, A_LIMIT, A_SCOPE, A_N };

typedef struct entry {
	char *text;           /* word/phrase or pattern, as written */
	char *repl;           /* substitution: house form (NULL: the rule's suggestion) */
	unsigned line;        /* line in its file */
	unsigned src;         /* index into state->files */
	unsigned char pattern;/* 1: a PCRE2 pattern, 0: a literal word or phrase */
	unsigned char group;  /* consistency: 0 = either, 1 = or */
} entry;

typedef struct rule {
	char *name;           /* section name */
	char *id;             /* "<pack>.<rule>" */
	unsigned pack;        /* index into state->packs */
	unsigned line;        /* line of the [section] header */
	int kind;             /* enum kind; -1 unset */
	int severity;         /* -2 unset */
	int ignorecase, whole_word, skip_quotes, skip_headings; /* -1 unset */
	long max, min;        /* -1 unset */
	int scope;            /* -1 unset */
	unsigned max_line, min_line;
	char *message, *summary, *explain, *suggestion, *yields_to;
	entry *e;
	size_t n, cap;
	char **repls;         /* substitution: distinct house forms; the regex MARK is the index */
	size_t n_repls;
	pcre2_code *re;
	pcre2_code *are;      /* re anchored, with pf: tried only where a match may start */
	struct pfilter *pf;   /* a rule of words only: the beginnings a match may have; NULL:
	                         every position is tried (see pf_of_trie) */
	int bad;              /* had an error while reading: not finished */
	char *explanation;    /* generated for --explain */
	char *gen_summary;
} rule;

typedef struct pack {
	char *name, *path, *description;
	int severity, ignorecase, whole_word, skip_quotes, skip_headings;
} pack;

typedef struct state {
	const nl_host *host;
	pack *packs;
	size_t n_packs;
	rule *rules;
	size_t n_rules, cap_rules;
	nl_rule_info *info;
	char **files;         /* pack and list files named in errors */
	size_t n_files;
	long match_limit, depth_limit;
	double time_limit;    /* 0: none */
	int prefilter;        /* rules of words tried only where a match may begin (pfilter) */
	pthread_key_t js_key; /* each thread's JIT stack, kept across its documents */
	int js_key_ok;
	size_t *rule_index;   /* hash of (pack, rule name): 1 + index into rules, 0 empty */
	size_t rule_index_cap;/* a power of two, or 0 */
} state;

static void rule_free(rule *r)
{
	free(r->name);
	free(r->id);
	free(r->message);
	free(r->summary);
	free(r->explain);
	free(r->suggestion);
	free(r->yields_to);
	for (size_t i = 0; i < r->n; i++) {
		free(r->e[i].text);
		free(r->e[i].repl);
	}
	free(r->e);
	for (size_t i = 0; i < r->n_repls; i++)
		free(r->repls[i]);
	free(r->repls);
	if (r->re)
		pcre2_code_free(r->re);
	if (r->are)
		pcre2_code_free(r->are);
	free(r->pf);
	free(r->explanation);
	free(r->gen_summary);
}

static void js_free(void *js)
{
	pcre2_jit_stack_free(js);
}

static void destroy(void *st)
{
	state *s = st;
	if (!s)
		return;
	if (s->js_key_ok) {
		/* worker threads are joined (their destructors ran): this one's */
		pcre2_jit_stack_free(pthread_getspecific(s->js_key));
		pthread_key_delete(s->js_key);
	}
	for (size_t i = 0; i < s->n_rules; i++)
		rule_free(&s->rules[i]);
	free(s->rules);
	free(s->rule_index);
	for (size_t i = 0; i < s->n_packs; i++) {
		free(s->packs[i].name);
		free(s->packs[i].path);
		free(s->packs[i].description);
	}
	free(s->packs);
	free(s->info);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s);
}

static int add_file(state *s, const char *path, unsigned *idx)
{
	char **v = realloc(s->files, (s->n_files + 1) * sizeof *v);
	if (!v)
		return NL_ENOMEM;
	s->files = v;
	if (!(v[s->n_files] = xstrdup(path)))
		return NL_ENOMEM;
	*idx = (unsigned)s->n_files++;
	return 0;
}

/* ---- reading a pack file ---------------------------------------------------
 * inih is driven through our own reader, which counts lines (so every key's
 * line is known: Debian's inih has no INI_HANDLER_LINENO), notices
 * continuation lines, section headers, and lines too long for inih's buffer
 * (which inih would otherwise truncate and misreport). */

typedef struct parse_ctx {
	state *s;
	FILE *f;
	const char *path;     /* as shown in errors */
	unsigned file_idx;
	unsigned pack;        /* index of the pack being read */
	unsigned line;        /* line of the text inih is working on */
	unsigned section_line;/* line of the latest [section] header */
	unsigned too_long;    /* first over-long line */
	int cont;             /* current line is a continuation */
	int errors;
	int oom;
	rule *cur;            /* rule of the current section (NULL: a duplicate) */
	unsigned cur_section_line;
	char cur_name[256];
	char last_key[64];    /* key of the last handled line (continuations) */
} parse_ctx;

static void perr(parse_ctx *c, unsigned line, const char *section, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void perr(parse_ctx *c, unsigned line, const char *section, const char *fmt, ...)
{
	sb b = {0};
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (section)
		sb_printf(&b, "%s:%u: [%s] %s", c->path, line, section, tmp);
	else
		sb_printf(&b, "%s:%u: %s", c->path, line, tmp);
	c->s->host->warn(PK, "%s", b.p ? b.p : tmp);
	free(b.p);
	c->errors++;
}

static char *reader(char *str, int num, void *stream)
{
	parse_ctx *c = stream;
	size_t n = 0;
	int ch = EOF;
	for (;;) {
		ch = fgetc(c->f);
		if (ch == EOF)
			break;
		if ((int)n >= num - 2) {        /* no room for this byte, '\n' and NUL */
			if (ch == '\n')
				break;
			if (!c->too_long)
				c->too_long = c->line + 1;
			while (ch != EOF && ch != '\n')   /* drop the rest of the line */
				ch = fgetc(c->f);
			break;
		}
		str[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (n == 0 && ch == EOF)
		return NULL;
	str[n] = '\0';
	c->line++;
	c->cont = n > 0 && (str[0] == ' ' || str[0] == '\t');
	const char *p = str;
	while (*p == ' ' || *p == '\t')
		p++;
	/* A UTF-8 BOM may precede the first header. */
	if (c->line == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	if (*p == '[' && !c->cont) {   /* an indented "[" continues a value */
		c->section_line = c->line;
		c->last_key[0] = '\0';
	}
	return str;
}

/* Rules are found by (pack, name) through a hash: a pack of 20,000 rules
   must not cost 20,000 squared comparisons while it is read. */
static size_t rule_hash(unsigned pack, const char *name)
{
	size_t h = 1469598103934665603u ^ pack;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static size_t *rule_slot(const state *s, unsigned pack, const char *name)
{
	size_t mask = s->rule_index_cap - 1, i = rule_hash(pack, name) & mask;
	for (; s->rule_index[i]; i = (i + 1) & mask) {
		const rule *r = &s->rules[s->rule_index[i] - 1];
		if (r->pack == pack && strcmp(r->name, name) == 0)
			break;
	}
	return &s->rule_index[i];
}

static int index_rule(state *s, size_t k)
{
	if ((s->n_rules + 1) * 2 > s->rule_index_cap) {
		size_t cap = s->rule_index_cap ? s->rule_index_cap * 2 : 64;
		size_t *v = calloc(cap, sizeof *v);
		if (!v)
			return NL_ENOMEM;
		free(s->rule_index);
		s->rule_index = v;
		s->rule_index_cap = cap;
		for (size_t i = 0; i < s->n_rules; i++)
			if (i != k)
				*rule_slot(s, s->rules[i].pack, s->rules[i].name) = i + 1;
	}
	*rule_slot(s, s->rules[k].pack, s->rules[k].name) = k + 1;
	return 0;
}

static rule *find_rule(state *s, unsigned pack, const char *name)
{
	if (!s->rule_index_cap)
		return NULL;
	size_t k = *rule_slot(s, pack, name);
	return k ? &s->rules[k - 1] : NULL;
}

static rule *new_rule(parse_ctx *c, const char *name)
{
	state *s = c->s;
	if (s->n_rules == s->cap_rules) {
		size_t cap = s->cap_rules ? s->cap_rules * 2 : 16;
		rule *v = realloc(s->rules, cap * sizeof *v);
		if (!v)
			return NULL;
		s->rules = v;
		s->cap_rules = cap;
	}
	rule *r = &s->rules[s->n_rules];
	memset(r, 0, sizeof *r);
	r->kind = -1;
	r->severity = -2;
	r->ignorecase = r->whole_word = r->skip_quotes = r->skip_headings = -1;
	r->max = r->min = -1;
	r->scope = -1;
	r->pack = c->pack;
	r->line = c->section_line;
	if (!(r->name = xstrdup(name)))
		return NULL;
	s->n_rules++;
	if (index_rule(s, s->n_rules - 1))
		return NULL;
	return r;
}

static int add_entry(rule *r, const char *text, size_t n, const char *repl, size_t rn,
                     unsigned line, unsigned src, int pattern, int group)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		entry *v = realloc(r->e, cap * sizeof *v);
		if (!v)
			return NL_ENOMEM;
		r->e = v;
		r->cap = cap;
	}
	entry *e = &r->e[r->n];
	memset(e, 0, sizeof *e);
	e->text = xstrndup(text, n);
	e->repl = repl ? xstrndup(repl, rn) : NULL;
	if (!e->text || (repl && !e->repl)) {
		free(e->text);
		free(e->repl);
		return NL_ENOMEM;
	}
	e->line = line;
	e->src = src;
	e->pattern = (unsigned char)pattern;
	e->group = (unsigned char)group;
	r->n++;
	return 0;
}

/* Words: comma-separated (and one line per continuation line). */
static int add_words(rule *r, const char *v, unsigned line, unsigned src, int group)
{
	while (*v) {
		const char *comma = strchr(v, ',');
		size_t n = comma ? (size_t)(comma - v) : strlen(v);
		const char *w = v;
		size_t wn = trim(&w, n);
		if (wn && add_entry(r, w, wn, NULL, 0, line, src, 0, group))
			return NL_ENOMEM;
		v += n;
		if (*v == ',')
			v++;
	}
	return 0;
}

/* "wrong => right" or "wrong, other wrong => right".  Returns 0, NL_ENOMEM,
 * or NL_EINVAL for a malformed entry. */
static int add_swap(rule *r, const char *v, unsigned line, unsigned src)
{
	const char *arrow = strstr(v, "=>");
	if (!arrow)
		return NL_EINVAL;
	const char *rp = arrow + 2;
	size_t rn = trim(&rp, strlen(rp));
	if (!rn)
		return NL_EINVAL;
	size_t before = r->n;
	const char *p = v;
	while (p < arrow) {
		const char *comma = memchr(p, ',', (size_t)(arrow - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(arrow - p);
		const char *w = p;
		size_t wn = trim(&w, n);
		if (wn && add_entry(r, w, wn, rp, rn, line, src, 0, 0))
			return NL_ENOMEM;
		p += n;
		if (p < arrow && *p == ',')
			p++;
	}
	return r->n > before ? 0 : NL_EINVAL;
}

/* Word-list files (host->read_list): one entry per line. */
typedef struct list_ctx {
	rule *r;
	unsigned src;
	int what;             /* 0 words, 1 patterns, 2 swaps */
	int group;
	int bad;              /* first malformed line (swaps) */
} list_ctx;

static int list_entry(void *ud, const char *entry_text, size_t len, unsigned line)
{
	list_ctx *l = ud;
	if (l->what == 2) {
		char *tmp = xstrndup(entry_text, len);
		if (!tmp)
			return NL_ENOMEM;
		int rc = add_swap(l->r, tmp, line, l->src);
		free(tmp);
		if (rc == NL_EINVAL) {
			if (!l->bad)
				l->bad = (int)line;
			return 0;
		}
		return rc;
	}
	return add_entry(l->r, entry_text, len, NULL, 0, line, l->src, l->what == 1, l->group);
}

static int read_list_key(parse_ctx *c, rule *r, const char *key, const char *value, int what, int group)
{
	state *s = c->s;
	char dir[4096], path[4096];
	const char *slash = strrchr(c->path, '/');
	if (value[0] == '/' || !slash)
		snprintf(path, sizeof path, "%s", value);
	else {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - c->path), c->path);
		if (snprintf(path, sizeof path, "%s/%s", dir, value) >= (int)sizeof path) {
			perr(c, c->line, r->name, "%s: path too long", key);
			return 0;
		}
	}
	list_ctx l = { .r = r, .what = what, .group = group };
	if (add_file(s, path, &l.src))
		return NL_ENOMEM;
	int rc = s->host->read_list(path, list_entry, &l);
	if (rc == NL_ENOMEM)
		return rc;
	if (rc < 0) {
		/* read_list has named the file; say where it was asked for. */
		perr(c, c->line, r->name, "%s: cannot read '%s'", key, path);
		return 0;
	}
	if (l.bad)
		perr(c, c->line, r->name, "%s: %s:%d: expected 'wrong => right'", key, path, l.bad);
	return 0;
}

static int set_str(char **dst, const char *v, int append)
{
	if (append && *dst) {
		size_t a = strlen(*dst), b = strlen(v);
		char *p = realloc(*dst, a + b + 2);
		if (!p)
			return NL_ENOMEM;
		p[a] = ' ';
		memcpy(p + a + 1, v, b + 1);
		*dst = p;
		return 0;
	}
	char *p = xstrdup(v);
	if (!p)
		return NL_ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

static int bool_key(parse_ctx *c, const char *section, const char *key, const char *v, int *out)
{
	if (parse_bool(v, out)) {
		perr(c, c->line, section, "%s: expected true or false, got '%s'", key, v);
		return 0;
	}
	return 1;
}

static int pack_key(parse_ctx *c, const char *name, const char *value)
{
	pack *p = &c->s->packs[c->pack];
	int b;
	if (strcmp(name, "name") == 0) {
		if (!valid_name(value)) {
			perr(c, c->line, "pack", "name: '%s' is not a valid pack name (use a-z, 0-9, '-')", value);
			return 1;
		}
		return set_str(&p->name, value, 0) ? 0 : 1;
	}
	if (strcmp(name, "description") == 0)
		return set_str(&p->description, value, c->cont) ? 0 : 1;
	if (strcmp(name, "severity") == 0) {
		int sv = parse_severity(value);
		if (sv == -2)
			perr(c, c->line, "pack", "severity: expected info, warning or error, got '%s'", value);
		else
			p->severity = sv;
		return 1;
	}
	int *dst = strcmp(name, "ignorecase") == 0 ? &p->ignorecase
	         : strcmp(name, "whole_word") == 0 ? &p->whole_word
	         : strcmp(name, "skip_quotes") == 0 ? &p->skip_quotes
	         : strcmp(name, "skip_headings") == 0 ? &p->skip_headings : NULL;
	if (dst) {
		if (bool_key(c, "pack", name, value, &b))
			*dst = b;
		return 1;
	}
	perr(c, c->line, "pack", "unknown key '%s' (known: name, description, severity, ignorecase, "
	     "whole_word, skip_quotes, skip_headings)", name);
	return 1;
}

static int rule_key(parse_ctx *c, rule *r, const char *name, const char *value)
{
	int b;
	int cont = c->cont && strcmp(c->last_key, name) == 0;
	const char *sec = r->name;
	if (strcmp(name, "kind") == 0) {
		for (int k = 0; k < 4; k++)
			if (strcasecmp(value, kind_names[k]) == 0) {
				r->kind = k;
				return 1;
			}
		perr(c, c->line, sec, "kind: expected existence, substitution, occurrence or consistency, got '%s'", value);
		return 1;
	}
	if (strcmp(name, "severity") == 0) {
		int sv = parse_severity(value);
		if (sv == -2)
			perr(c, c->line, sec, "severity: expected info, warning or error, got '%s'", value);
		else
			r->severity = sv;
		return 1;
	}
	if (strcmp(name, "message") == 0)
		return set_str(&r->message, value, cont) ? 0 : 1;
	if (strcmp(name, "summary") == 0)
		return set_str(&r->summary, value, cont) ? 0 : 1;
	if (strcmp(name, "explain") == 0)
		return set_str(&r->explain, value, cont) ? 0 : 1;
	if (strcmp(name, "suggestion") == 0)
		return set_str(&r->suggestion, value, 0) ? 0 : 1;
	if (strcmp(name, "yields_to") == 0)
		return set_str(&r->yields_to, value, 0) ? 0 : 1;
	if (strcmp(name, "words") == 0 || strcmp(name, "either") == 0 || strcmp(name, "or") == 0)
		return add_words(r, value, c->line, c->file_idx, name[0] == 'o') ? 0 : 1;
	if (strcmp(name, "patterns") == 0 || strcmp(name, "pattern") == 0) {
		/* one pattern per line: a pattern may contain commas */
		if (*value && add_entry(r, value, strlen(value), NULL, 0, c->line, c->file_idx, 1, 0))
			return 0;
		return 1;
	}
	if (strcmp(name, "swap") == 0) {
		if (!*value)
			return 1;
		int rc = add_swap(r, value, c->line, c->file_idx);
		if (rc == NL_ENOMEM)
			return 0;
		if (rc)
			perr(c, c->line, sec, "swap: expected 'wrong => right', got '%s'", value);
		return 1;
	}
	if (strcmp(name, "words_file") == 0)
		return read_list_key(c, r, name, value, 0, 0) ? 0 : 1;
	if (strcmp(name, "patterns_file") == 0)
		return read_list_key(c, r, name, value, 1, 0) ? 0 : 1;
	if (strcmp(name, "swaps_file") == 0)
		return read_list_key(c, r, name, value, 2, 0) ? 0 : 1;
	if (strcmp(name, "max") == 0 || strcmp(name, "min") == 0) {
		char *end;
		errno = 0;
		long x = strtol(value, &end, 10);
		if (errno || end == value || *end || x < 0 || x > 1000000) {
			perr(c, c->line, sec, "%s: expected a whole number from 0 to 1000000, got '%s'", name, value);
			return 1;
		}
		if (name[1] == 'a') {
			r->max = x;
			r->max_line = c->line;
		} else {
			r->min = x;
			r->min_line = c->line;
		}
		return 1;
	}
	if (strcmp(name, "scope") == 0) {
		for (int k = 0; k < 3; k++)
			if (strcasecmp(value, scope_names[k]) == 0) {
				r->scope = k;
				return 1;
			}
		perr(c, c->line, sec, "scope: expected document, paragraph or sentence, got '%s'", value);
		return 1;
	}
	int *dst = strcmp(name, "ignorecase") == 0 ? &r->ignorecase
	         : strcmp(name, "whole_word") == 0 ? &r->whole_word
	         : strcmp(name, "skip_quotes") == 0 ? &r->skip_quotes
	         : strcmp(name, "skip_headings") == 0 ? &r->skip_headings : NULL;
	if (dst) {
		if (bool_key(c, sec, name, value, &b))
			*dst = b;
		return 1;
	}
	perr(c, c->line, sec, "unknown key '%s' (see docs/rule-packs.md: kind, severity, message, words, "
	     "words_file, patterns, patterns_file, swap, swaps_file, suggestion, either, or, max, min, "
	     "scope, ignorecase, whole_word, skip_quotes, skip_headings, summary, explain, yields_to)", name);
	return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	parse_ctx *c = user;
	if (!name)                      /* section header callback (newer inih) */
		return 1;
	int ok;
	if (!*section) {
		perr(c, c->line, NULL, "'%s' before the first [section]", name);
		return 1;
	}
	if (strcmp(section, "pack") == 0) {
		ok = pack_key(c, name, value);
	} else {
		if (c->cur_section_line != c->section_line || strcmp(c->cur_name, section) != 0) {
			snprintf(c->cur_name, sizeof c->cur_name, "%s", section);
			rule *old = find_rule(c->s, c->pack, section);
			if (old) {
				perr(c, c->section_line, section, "rule defined twice (first at line %u)", old->line);
				c->cur = NULL;
				c->cur_section_line = c->section_line;
				snprintf(c->last_key, sizeof c->last_key, "%s", name);
				return 1;
			}
			if (!valid_name(section))
				perr(c, c->section_line, section, "'%s' is not a valid rule name (use a-z, 0-9, '-')", section);
			if (!(c->cur = new_rule(c, section))) {
				c->oom = 1;
				return 0;
			}
			c->cur_section_line = c->section_line;
		}
		int before = c->errors;
		ok = c->cur ? rule_key(c, c->cur, name, value) : 1;
		if (c->cur && c->errors > before)
			c->cur->bad = 1;   /* no follow-up errors ("missing kind") for it */
	}
	snprintf(c->last_key, sizeof c->last_key, "%s", name);
	if (!ok)
		c->oom = 1;
	return ok;
}

/* ---- compiling a rule ------------------------------------------------------
 * Literal words go into a prefix trie, emitted as nested alternations
 * (notably|noted -> not(?:ably|ed)): PCRE2 then walks each start position
 * once per distinct prefix instead of once per word.  Children come before
 * the "word ends here" branch, so the longest entry is tried first. */

typedef struct tnode {
	char ch[4];
	unsigned char chlen;
	int mark;             /* -1: no entry ends here */
	struct tnode *kids;
	size_t nk, ck;
} tnode;

static void trie_free(tnode *t)
{
	for (size_t i = 0; i < t->nk; i++)
		trie_free(&t->kids[i]);
	free(t->kids);
}

static int trie_add(tnode *t, const char *key, size_t n, int mark, const nl_host *h)
{
	while (n) {
		uint32_t cp;
		size_t l = h->utf8_next(key, n, &cp);
		if (l > 4 || l > n)
			l = 1;
		size_t i;
		for (i = 0; i < t->nk; i++)
			if (t->kids[i].chlen == l && memcmp(t->kids[i].ch, key, l) == 0)
				break;
		if (i == t->nk) {
			if (t->nk == t->ck) {
				size_t ck = t->ck ? t->ck * 2 : 4;
				tnode *v = realloc(t->kids, ck * sizeof *v);
				if (!v)
					return NL_ENOMEM;
				t->kids = v;
				t->ck = ck;
			}
			tnode *k = &t->kids[t->nk++];
			memset(k, 0, sizeof *k);
			memcpy(k->ch, key, l);
			k->chlen = (unsigned char)l;
			k->mark = -1;
		}
		t = &t->kids[i];
		key += l;
		n -= l;
	}
	if (t->mark < 0)
		t->mark = mark;  /* a duplicate keeps its first meaning */
	return 0;
}

static void emit_char(sb *b, const tnode *k)
{
	unsigned char c = (unsigned char)k->ch[0];
	if (k->chlen == 1 && c == ' ')
		sb_puts(b, "\\s+");          /* a phrase may be wrapped over lines */
	else if (k->chlen == 1 && c == '\'')
		sb_puts(b, "['\xE2\x80\x99]");  /* straight or curly apostrophe */
	else if (k->chlen == 1 && !ascii_alnum(c)) {
		if (c < 0x20 || c == 0x7F)
			sb_printf(b, "\\x{%x}", c);
		else {
			char esc[2] = { '\\', (char)c };
			sb_add(b, esc, 2);
		}
	} else
		sb_add(b, k->ch, k->chlen);
}

static void emit_trie(sb *b, const tnode *t, int marks)
{
	size_t nopt = t->nk + (t->mark >= 0);
	if (nopt == 0)
		return;
	int group = nopt > 1;
	if (group)
		sb_puts(b, "(?:");
	for (size_t i = 0; i < t->nk; i++) {
		if (i)
			sb_puts(b, "|");
		emit_char(b, &t->kids[i]);
		emit_trie(b, &t->kids[i], marks);
	}
	if (t->mark >= 0) {
		if (t->nk)
			sb_puts(b, "|");
		if (marks)
			sb_printf(b, "(*MARK:%d)", t->mark);
	}
	if (group)
		sb_puts(b, ")");
}

/* The trie key of a word: white space collapsed to one space, curly
 * apostrophes straightened, folded to lower case when the rule ignores case. */
static char *word_key(const nl_host *h, const char *w, int ignorecase, size_t *outn)
{
	sb b = {0};
	const char *p = w;
	size_t n = trim(&p, strlen(w));
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (is_space(c)) {
			space = 1;
			continue;
		}
		if (space) {
			sb_add(&b, " ", 1);
			space = 0;
		}
		if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x80 &&
		    ((unsigned char)p[i + 2] == 0x99 || (unsigned char)p[i + 2] == 0x98)) {
			sb_add(&b, "'", 1);
			i += 2;
			continue;
		}
		sb_add(&b, (const char *)&p[i], 1);
	}
	if (b.oom || !b.p) {
		free(b.p);
		return NULL;
	}
	if (!ignorecase) {
		*outn = b.n;
		return b.p;
	}
	size_t size = b.n * 3 + 16;          /* folding may grow a few letters */
	char *f = malloc(size);
	if (!f) {
		free(b.p);
		return NULL;
	}
	*outn = h->fold(b.p, b.n, f, size);
	free(b.p);
	if (*outn >= size)
		*outn = size - 1;
	return f;
}

static int repl_index(rule *r, const char *repl)
{
	for (size_t i = 0; i < r->n_repls; i++)
		if (strcmp(r->repls[i], repl) == 0)
			return (int)i;
	char **v = realloc(r->repls, (r->n_repls + 1) * sizeof *v);
	if (!v)
		return NL_ENOMEM;
	r->repls = v;
	if (!(v[r->n_repls] = xstrdup(repl)))
		return NL_ENOMEM;
	return (int)r->n_repls++;
}

static int entry_mark(rule *r, const entry *e)
{
	if (r->kind == K_SUBSTITUTION)
		return repl_index(r, e->repl ? e->repl : r->suggestion);
	if (r->kind == K_CONSISTENCY)
		return (int)(e - r->e);   /* the entry: its group, and its counterpart */
	return 0;
}

static uint32_t compile_flags(const rule *r)
{
	return PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C | (r->ignorecase ? PCRE2_CASELESS : 0);
}

/* The prefilter of a rule of words only.  A word's "beginning" is its
 * first 4 bytes, or fewer when it is shorter or when a character that is
 * not an ASCII letter or digit comes sooner (a space matches \s+, an
 * apostrophe ' or U+2019: bytes the filter does not try to know).  Every
 * match begins with some word's beginning.  Two stages: the first two
 * bytes (a beginning of one byte lets any second through), then the
 * beginning itself, hashed with its length into a bit table.  The bytes
 * are the trie's, folded when the rule ignores case (the text's are folded
 * the same way before the look-ups). */
#define PF_HBITS 16
typedef struct pfilter {
	uint64_t two[65536 / 64];          /* bit b0 << 8 | b1 */
	uint64_t begin[(1u << PF_HBITS) / 64]; /* bit pf_hash(beginning, length) */
	unsigned lens;                     /* bit n - 1: some beginning is n bytes */
	int by_first;                      /* a rule with patterns: only the first byte, in first */
	uint64_t first[4];                 /* (PCRE2's own start bitmap, pf_of_regex) */
} pfilter;

/* x: the beginning's bytes, the first in the low byte; n: 1 .. 4 */
static inline unsigned pf_hash(uint32_t x, unsigned n)
{
	return (unsigned)((((uint64_t)n << 32 | x) * 0x9E3779B97F4A7C15ull) >> (64 - PF_HBITS));
}

static void pf_add(pfilter *pf, uint32_t x, unsigned n)
{
	const unsigned h = pf_hash(x, n);
	pf->begin[h >> 6] |= 1ull << (h & 63);
	pf->lens |= 1u << (n - 1);
	if (n == 1)
		memset(&pf->two[(x & 0xFF) << 2], 0xFF, 4 * sizeof pf->two[0]);   /* any second byte */
}

/* The beginnings below trie node t, whose n (< 4) bytes, x, lead to it.  A
 * space (\s+ in the pattern) ends a beginning as one byte: the text's
 * white space and every byte of a longer character are looked up as one
 * (pf_fold); an apostrophe or a letter of more bytes ends it before. */
static int pf_holds(const tnode *k)   /* a character a beginning holds */
{
	const unsigned b = (unsigned char)k->ch[0];
	return k->chlen == 1 && (ascii_alnum(b) || b == ' ');
}

static void pf_walk(pfilter *pf, const tnode *t, uint32_t x, unsigned n)
{
	int stop = n == 4 || t->mark >= 0;
	for (size_t i = 0; i < t->nk && !stop; i++)
		stop = !pf_holds(&t->kids[i]);
	if (stop)
		pf_add(pf, x, n);
	if (n == 4)
		return;
	for (size_t i = 0; i < t->nk; i++) {
		const unsigned b = (unsigned char)t->kids[i].ch[0];
		if (!pf_holds(&t->kids[i]))
			continue;
		const uint32_t y = x | (uint32_t)b << (8 * n);
		if (n == 1) {
			const unsigned two = (x & 0xFF) << 8 | b;
			pf->two[two >> 6] |= 1ull << (two & 63);
		}
		if (b == ' ')
			pf_add(pf, y, n + 1);
		else
			pf_walk(pf, &t->kids[i], y, n + 1);
	}
}

/* NULL when a first character is not an ASCII letter or digit, or without
 * memory: then the rule is tried at every position, as before. */
static pfilter *pf_of_trie(const tnode *root)
{
	for (size_t i = 0; i < root->nk; i++)
		if (root->kids[i].chlen != 1 || !ascii_alnum((unsigned char)root->kids[i].ch[0]))
			return NULL;
	pfilter *pf = root->nk ? calloc(1, sizeof *pf) : NULL;
	for (size_t i = 0; pf && i < root->nk; i++)
		pf_walk(pf, &root->kids[i], (unsigned char)root->kids[i].ch[0], 1);
	return pf;
}

/* The prefilter of a rule with patterns, matching whole words: the bytes
 * PCRE2 says a match may start with (its start bitmap, or its one first
 * code unit and that letter's other case), when all are ASCII letters or
 * digits (then a match starts only at a word start); else NULL.  A
 * caseless k or s also starts a match at U+212A or U+017F: the bitmap
 * then holds a byte that is no letter, or the text is searched the old
 * way (wstarts.ks). */
static pfilter *pf_of_regex(const pcre2_code *re)
{
	uint32_t type = 0, unit = 0;
	uint8_t set[32] = { 0 };
	const uint8_t *bm = NULL;
	if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return NULL;
	if (type == 1) {
		if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit) != 0 || !ascii_alnum(unit) ||
		    (unit | 0x20) == 'k' || (unit | 0x20) == 's')
			return NULL;   /* (caseless, k and s have a third case) */
		set[unit >> 3] |= (uint8_t)(1u << (unit & 7));
		if ((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z') {
			const unsigned other = unit ^ 0x20;
			set[other >> 3] |= (uint8_t)(1u << (other & 7));
		}
	} else if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bm) == 0 && bm) {
		memcpy(set, bm, sizeof set);
	} else {
		return NULL;
	}
	int any = 0;
	for (unsigned b = 0; b < 256; b++) {
		if (!((set[b >> 3] >> (b & 7)) & 1))
			continue;
		if (!ascii_alnum(b))
			return NULL;
		any = 1;
	}
	pfilter *pf = any ? calloc(1, sizeof *pf) : NULL;
	if (pf) {
		pf->by_first = 1;
		for (unsigned b = 0; b < 256; b++)
			if ((set[b >> 3] >> (b & 7)) & 1)
				pf->first[b >> 6] |= 1ull << (b & 63);
	}
	return pf;
}

/* The 4 bytes x of the text as the beginnings hold them: ASCII white space
 * and every byte of a longer character a space (a space in a word is \s+,
 * which also matches U+00A0 and the like; no word's beginning has such a
 * character elsewhere); A-Z to a-z when the rule ignores case. */
static inline uint32_t pf_fold(uint32_t x, int ignorecase)
{
	const uint32_t v = x & 0x7F7F7F7Fu, high = x & 0x80808080u;
	const uint32_t ws = (v + 0x77777777u) & ~(v + 0x72727272u) & ~x & 0x80808080u;   /* 9 .. 13 */
	const uint32_t m = ((high | ws) >> 7) * 0xFFu;
	x = (x & ~m) | (0x20202020u & m);
	if (ignorecase) {
		const uint32_t up = (v + 0x3F3F3F3Fu) & ~(v + 0x25252525u) & ~high & 0x80808080u;   /* A .. Z */
		x |= up >> 2;
	}
	return x;
}

/* May a match of a rule with prefilter pf begin with the 4 bytes x (the
 * first in the low byte; 0 past the text's end; pf_fold()ed)? */
static inline int pf_may(const pfilter *pf, uint32_t x)
{
	if (pf->by_first)
		return (pf->first[(x & 0xFF) >> 6] >> (x & 63)) & 1;
	const unsigned two = (x & 0xFF) << 8 | (x >> 8 & 0xFF);
	if (!((pf->two[two >> 6] >> (two & 63)) & 1))
		return 0;
	for (unsigned m = pf->lens; m; m &= m - 1) {
		const unsigned n = (unsigned)__builtin_ctz(m) + 1;
		const unsigned h = pf_hash(n == 4 ? x : x & ((1u << (8 * n)) - 1), n);
		if ((pf->begin[h >> 6] >> (h & 63)) & 1)
			return 1;
	}
	return 0;
}

static int compile_rule(parse_ctx *c, rule *r)
{
	const nl_host *h = c->s->host;
	int marks = r->kind == K_SUBSTITUTION || r->kind == K_CONSISTENCY;
	uint32_t flags = compile_flags(r);
	tnode root = { .mark = -1 };
	sb pat = {0};
	int rc = 0, n_words = 0, bad = 0;
	size_t npat = 0;

	/* Patterns one by one first: an error then names the pattern, its line
	   and the offset inside it (not inside the combined alternation). */
	for (size_t i = 0; i < r->n; i++) {
		entry *e = &r->e[i];
		if (!e->pattern)
			continue;
		npat++;
		int err;
		PCRE2_SIZE off;
		pcre2_code *one = pcre2_compile((PCRE2_SPTR)e->text, PCRE2_ZERO_TERMINATED, flags, &err, &off, NULL);
		if (!one) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			const char *file = c->s->files[e->src];
			c->s->host->warn(PK, "%s:%u: [%s] pattern %zu: %s at offset %zu", file, e->line, r->name,
			                 npat, (const char *)msg, (size_t)off);
			c->errors++;
			bad = 1;
			continue;
		}
		pcre2_code_free(one);
	}
	if (bad)
		return 0;

	for (size_t i = 0; i < r->n; i++) {
		entry *e = &r->e[i];
		if (e->pattern)
			continue;
		int mark = entry_mark(r, e);
		size_t kn;
		char *key = mark < 0 ? NULL : word_key(h, e->text, r->ignorecase, &kn);
		if (!key || trie_add(&root, key, kn, mark, h)) {
			free(key);
			rc = NL_ENOMEM;
			goto out;
		}
		free(key);
		n_words++;
	}
	if (r->whole_word)
		sb_puts(&pat, "(?<![\\p{L}\\p{N}_])");
	/* (?| resets capture numbers in each branch, so a pattern's \1 means its own group 1. */
	sb_puts(&pat, "(?|");
	int alt = 0;
	if (n_words) {
		sb_puts(&pat, "(?:");
		emit_trie(&pat, &root, marks);
		sb_puts(&pat, ")");
		alt = 1;
	}
	for (size_t i = 0; i < r->n; i++) {
		entry *e = &r->e[i];
		if (!e->pattern)
			continue;
		int mark = entry_mark(r, e);
		if (mark < 0) {
			rc = NL_ENOMEM;
			goto out;
		}
		if (alt++)
			sb_puts(&pat, "|");
		sb_printf(&pat, "(?:%s)", e->text);
		if (marks)
			sb_printf(&pat, "(*MARK:%d)", mark);
	}
	sb_puts(&pat, ")");
	if (r->whole_word)
		sb_puts(&pat, "(?![\\p{L}\\p{N}_])");
	if (pat.oom) {
		rc = NL_ENOMEM;
		goto out;
	}
	{
		int err;
		PCRE2_SIZE off;
		r->re = pcre2_compile((PCRE2_SPTR)pat.p, pat.n, flags, &err, &off, NULL);
		if (!r->re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			perr(c, r->line, r->name, "the %zu entries do not compile together: %s "
			     "(split the rule into smaller ones)", r->n, (const char *)msg);
			goto out;
		}
		pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);   /* no JIT: the interpreter still works */
		/* a rule of words, each a whole word: tried only at the word starts
		   whose first bytes may begin one (pfilter; the JIT does not take
		   PCRE2_ANCHORED at match time: a second code compiled anchored) */
		if (c->s->prefilter && r->whole_word &&
		    (r->pf = npat ? pf_of_regex(r->re) : n_words ? pf_of_trie(&root) : NULL) != NULL) {
			r->are = pcre2_compile((PCRE2_SPTR)pat.p, pat.n, flags | PCRE2_ANCHORED, &err, &off, NULL);
			if (r->are)
				pcre2_jit_compile(r->are, PCRE2_JIT_COMPLETE);
			else {
				free(r->pf);
				r->pf = NULL;
			}
		}
	}
out:
	trie_free(&root);
	free(pat.p);
	return rc;
}

/* ---- messages ------------------------------------------------------------- */

static const int fmt_order[4][A_N] = {
	[K_EXISTENCE] = { A_MATCH, -1 },
	[K_SUBSTITUTION] = { A_MATCH, A_SUGG, -1 },
	[K_OCCURRENCE] = { A_MATCH, A_COUNT, A_SCOPE, A_LIMIT, -1 },
	[K_CONSISTENCY] = { A_MATCH, A_SUGG, -1 },
};

static const char *const default_message[4] = {
	[K_EXISTENCE] = "avoid '{match}'",
	[K_SUBSTITUTION] = "house style is '{suggestion}', not '{match}'",
	[K_OCCURRENCE] = NULL,
	[K_CONSISTENCY] = "'{match}' here but '{other}' elsewhere in the article: use one form",
};

/* Check a message: "%s" at most as many times as the kind has arguments,
 * "%%" for a percent sign, nothing else after '%'. */
static int check_message(parse_ctx *c, rule *r)
{
	if (!r->message)
		return 0;
	int n = 0, max = 0;
	while (max < A_N && fmt_order[r->kind][max] >= 0)
		max++;
	for (const char *p = r->message; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (p[1] != 's') {
			perr(c, r->line, r->name, "message: only %%s (and %%%% for a percent sign) may follow '%%'");
			return -1;
		}
		if (++n > max) {
			perr(c, r->line, r->name, "message: %d '%%s' placeholders, but a%s %s rule has only %d",
			     n, r->kind == K_EXISTENCE || r->kind == K_OCCURRENCE ? "n" : "", kind_names[r->kind], max);
			return -1;
		}
		p++;
	}
	return 0;
}

static void format_message(sb *b, const rule *r, const char *fmt, const char *const args[A_N])
{
	int seq = 0;
	static const struct { const char *name; int slot; } named[] = {
		{ "{match}", A_MATCH }, { "{suggestion}", A_SUGG }, { "{other}", A_SUGG },
		{ "{count}", A_COUNT }, { "{limit}", A_LIMIT }, { "{scope}", A_SCOPE },
	};
	for (const char *p = fmt; *p;) {
		if (p[0] == '%' && p[1] == '%') {
			sb_add(b, "%", 1);
			p += 2;
			continue;
		}
		if (p[0] == '%' && p[1] == 's') {
			int slot = seq < A_N ? fmt_order[r->kind][seq] : -1;
			seq++;
			if (slot >= 0 && args[slot])
				sb_puts(b, args[slot]);
			p += 2;
			continue;
		}
		if (p[0] == '{') {
			size_t k;
			for (k = 0; k < sizeof named / sizeof named[0]; k++) {
				size_t l = strlen(named[k].name);
				if (strncmp(p, named[k].name, l) == 0) {
					if (args[named[k].slot])
						sb_puts(b, args[named[k].slot]);
					p += l;
					break;
				}
			}
			if (k < sizeof named / sizeof named[0])
				continue;
		}
		sb_add(b, p, 1);
		p++;
	}
}

/* ---- explanation for --explain ---------------------------------------------- */

static void list_entries(sb *b, const rule *r, int group, size_t max_shown)
{
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < r->n; i++) {
		const entry *e = &r->e[i];
		if (r->kind == K_CONSISTENCY && e->group != group)
			continue;
		total++;
		if (shown >= max_shown)
			continue;
		sb_puts(b, shown ? ", " : "");
		if (e->pattern)
			sb_printf(b, "/%s/", e->text);
		else
			sb_printf(b, "'%s'", e->text);
		if (r->kind == K_SUBSTITUTION)
			sb_printf(b, " -> '%s'", e->repl ? e->repl : r->suggestion ? r->suggestion : "?");
		shown++;
	}
	if (total > shown)
		sb_printf(b, " ... and %zu more", total - shown);
}

static int build_texts(state *s, rule *r)
{
	const pack *p = &s->packs[r->pack];
	sb b = {0};
	if (r->explain)
		sb_printf(&b, "%s\n\n", r->explain);
	sb_printf(&b, "A rule of the '%s' rule pack (%s, section [%s], line %u)", p->name, p->path, r->name, r->line);
	if (p->description)
		sb_printf(&b, ": %s", p->description);
	sb_puts(&b, ".\n\n");
	switch (r->kind) {
	case K_EXISTENCE:
		sb_puts(&b, "Kind: existence. Flags every occurrence of: ");
		list_entries(&b, r, 0, 40);
		break;
	case K_SUBSTITUTION:
		sb_puts(&b, "Kind: substitution. Flags the wrong form and suggests the house form: ");
		list_entries(&b, r, 0, 40);
		break;
	case K_OCCURRENCE:
		sb_puts(&b, "Kind: occurrence. Counts ");
		list_entries(&b, r, 0, 40);
		sb_printf(&b, " per %s", scope_names[r->scope]);
		if (r->max >= 0)
			sb_printf(&b, "; flags a %s with more than %ld (at the first one too many)", scope_names[r->scope], r->max);
		if (r->min >= 0)
			sb_printf(&b, "; flags a %s with fewer than %ld", scope_names[r->scope], r->min);
		break;
	case K_CONSISTENCY:
		sb_puts(&b, "Kind: consistency. One article should use one form, not both: either ");
		list_entries(&b, r, 0, 20);
		sb_puts(&b, " or ");
		list_entries(&b, r, 1, 20);
		sb_puts(&b, ". The form used more often (on a tie, the one used first) is taken as the "
		            "article's choice; each use of the other form is flagged");
		break;
	}
	sb_puts(&b, ".\n\nMessage: ");
	if (r->message)
		sb_puts(&b, r->message);
	else if (r->kind == K_OCCURRENCE)
		sb_puts(&b, "(default)");
	else
		sb_puts(&b, default_message[r->kind]);
	sb_printf(&b, "\nMatching: %s, %s, %s, %s.\n",
	          r->ignorecase ? "case-insensitive" : "case-sensitive",
	          r->whole_word ? "whole words only" : "also inside words",
	          r->skip_quotes ? "skips quotations" : "also inside quotations",
	          r->skip_headings ? "skips headings and the title" : "also in headings");
	sb_printf(&b, "Default severity: %s (change it with [rules] %s = off|info|warning|error).\n"
	          "Packs are chosen in the [packs] section: packs = %s ... (default: %s).",
	          severity_name(r->severity), r->id, p->name, DEFAULT_PACKS);
	if (b.oom) {
		free(b.p);
		return NL_ENOMEM;
	}
	r->explanation = b.p;
	if (!r->summary) {
		sb m = {0};
		sb_printf(&m, "%s: ", kind_names[r->kind]);
		if (r->kind == K_CONSISTENCY) {
			list_entries(&m, r, 0, 3);
			sb_puts(&m, " vs ");
			list_entries(&m, r, 1, 3);
		} else
			list_entries(&m, r, 0, 4);
		if (m.oom) {
			free(m.p);
			return NL_ENOMEM;
		}
		r->gen_summary = m.p;
	}
	return 0;
}

/* ---- finishing a pack --------------------------------------------------------- */

static int finish_rule(parse_ctx *c, rule *r)
{
	const pack *p = &c->s->packs[r->pack];
	const char *sec = r->name;
	if (r->kind < 0) {
		perr(c, r->line, sec, "missing 'kind' (existence, substitution, occurrence or consistency)");
		return 0;
	}
	if (r->severity == -2)
		r->severity = p->severity;
	if (r->ignorecase < 0)
		r->ignorecase = p->ignorecase;
	if (r->whole_word < 0)
		r->whole_word = p->whole_word;
	if (r->skip_quotes < 0)
		r->skip_quotes = p->skip_quotes;
	if (r->skip_headings < 0)
		r->skip_headings = p->skip_headings;
	if (r->scope < 0)
		r->scope = SC_DOCUMENT;
	size_t n_or = 0;
	for (size_t i = 0; i < r->n; i++)
		n_or += r->e[i].group;
	if (!r->n) {
		perr(c, r->line, sec, r->kind == K_CONSISTENCY ? "needs 'either' and 'or' word lists"
		     : r->kind == K_SUBSTITUTION ? "needs 'swap = wrong => right' entries (or words/patterns and a suggestion)"
		     : "needs 'words', 'patterns', 'words_file' or 'patterns_file'");
		return 0;
	}
	if (r->kind == K_CONSISTENCY && (n_or == 0 || n_or == r->n)) {
		perr(c, r->line, sec, "a consistency rule needs both 'either' and 'or'");
		return 0;
	}
	if (r->kind == K_SUBSTITUTION && !r->suggestion)
		for (size_t i = 0; i < r->n; i++)
			if (!r->e[i].repl) {
				perr(c, r->e[i].line, sec, "'%s' has no house form: use 'swap = %s => ...' or set 'suggestion'",
				     r->e[i].text, r->e[i].text);
				return 0;
			}
	if (r->kind == K_OCCURRENCE && r->max < 0 && r->min < 0) {
		perr(c, r->line, sec, "an occurrence rule needs 'max' or 'min'");
		return 0;
	}
	if (r->kind != K_OCCURRENCE && (r->max >= 0 || r->min >= 0 )) {
		perr(c, r->max >= 0 ? r->max_line : r->min_line, sec, "'max'/'min' only apply to kind = occurrence");
		return 0;
	}
	if (check_message(c, r))
		return 0;
	sb id = {0};
	sb_printf(&id, "%s.%s", p->name, r->name);
	if (id.oom)
		return NL_ENOMEM;
	r->id = id.p;
	int rc = compile_rule(c, r);
	if (rc)
		return rc;
	if (!r->re)
		return 0;
	return build_texts(c->s, r);
}

static int pack_name_from_path(const char *path, char **out)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	*out = xstrndup(base, n);
	if (!*out)
		return NL_ENOMEM;
	for (char *q = *out; *q; q++) {
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
		else if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'))
			*q = '-';
	}
	return 0;
}

/* Load one pack file.  Returns 0 (errors counted in *errors) or NL_ENOMEM. */
static int load_pack(state *s, const nl_config *cfg, const char *path, int *errors)
{
	pack *v = realloc(s->packs, (s->n_packs + 1) * sizeof *v);
	if (!v)
		return NL_ENOMEM;
	s->packs = v;
	pack *p = &s->packs[s->n_packs];
	memset(p, 0, sizeof *p);
	p->severity = NL_SEV_WARNING;
	p->ignorecase = 1;
	p->whole_word = 1;
	p->skip_quotes = 0;
	p->skip_headings = 0;
	if (!(p->path = xstrdup(path)))
		return NL_ENOMEM;
	s->n_packs++;

	parse_ctx c = { .s = s, .path = path, .pack = (unsigned)(s->n_packs - 1) };
	if (add_file(s, path, &c.file_idx))
		return NL_ENOMEM;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a folder, or a FIFO whose open would wait for a writer forever */
		s->host->cfg_error(cfg, "packs", "%s: not a regular file", path);
		(*errors)++;
		return 0;
	}
	c.f = fopen(path, "r");
	if (!c.f) {
		/* at the line of the configuration that names it */
		s->host->cfg_error(cfg, "packs", "cannot read the rule pack %s: %s", path, strerror(errno));
		(*errors)++;
		return 0;
	}
	if (fstat(fileno(c.f), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > MAX_PACK_BYTES)) {
		/* more than any house style needs: refused before reading (every
		   entry is kept in memory) */
		s->host->cfg_error(cfg, "packs", "%s: %s", path, S_ISREG(st.st_mode)
		                   ? "the rule pack is over 16 MB: put long lists in words_file files"
		                   : "not a regular file");
		fclose(c.f);
		(*errors)++;
		return 0;
	}
	size_t first_rule = s->n_rules;
	int rc = ini_parse_stream(reader, &c, handler, &c);
	fclose(c.f);
	if (c.oom || rc < 0)
		return NL_ENOMEM;
	if (c.too_long)
		perr(&c, c.too_long, NULL, "line too long (more than %d bytes): continue the list on indented "
		     "lines or move it into a file named by words_file", INI_MAX_LINE - 2);
	else if (rc > 0)
		perr(&c, (unsigned)rc, NULL, "syntax error: expected '[section]', 'key = value' or a '#'/';' comment");
	p = &s->packs[c.pack];
	if (!p->name && pack_name_from_path(path, &p->name))
		return NL_ENOMEM;
	for (size_t i = 0; i < c.pack; i++)
		if (strcmp(s->packs[i].name, p->name) == 0) {
			perr(&c, 1, "pack", "pack '%s' is loaded twice (also from %s)", p->name, s->packs[i].path);
			break;
		}
	if (first_rule == s->n_rules && !c.errors)
		perr(&c, c.line ? c.line : 1, NULL, "no rules in this pack");
	for (size_t i = first_rule; i < s->n_rules; i++) {
		if (s->rules[i].bad)
			continue;
		rc = finish_rule(&c, &s->rules[i]);
		if (rc)
			return rc;
	}
	*errors += c.errors;
	return 0;
}

/* ---- the plugin --------------------------------------------------------------- */

static const char *const config_keys[] = { "packs", "match_limit", "depth_limit", "time_limit", "prefilter", NULL };

static int create(const nl_host *host, const nl_config *cfg, void **out)
{
	state *s = calloc(1, sizeof *s);
	if (!s)
		return NL_ENOMEM;
	s->host = host;
	s->js_key_ok = pthread_key_create(&s->js_key, js_free) == 0;
	int rc = 0, errors = 0;
	if (host->cfg_int(cfg, "match_limit", DEFAULT_MATCH_LIMIT, 1000, 1000000000L, &s->match_limit) ||
	    host->cfg_int(cfg, "depth_limit", DEFAULT_DEPTH_LIMIT, 100, 1000000000L, &s->depth_limit) ||
	    host->cfg_double(cfg, "time_limit", DEFAULT_TIME_LIMIT, 0, 86400, &s->time_limit) ||
	    host->cfg_bool(cfg, "prefilter", 1, &s->prefilter)) {
		rc = NL_ECONFIG;
		goto fail;
	}
	const char *list = host->cfg_get(cfg, "packs");
	if (!list)
		list = DEFAULT_PACKS;
	for (const char *p = list; *p;) {
		while (*p && (is_space((unsigned char)*p) || *p == ','))
			p++;
		size_t n = 0;
		while (p[n] && !is_space((unsigned char)p[n]) && p[n] != ',')
			n++;
		if (!n)
			break;
		char name[1024], path[4096];
		if (n >= sizeof name) {
			host->cfg_error(cfg, "packs", "pack name too long");
			rc = NL_ECONFIG;
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		const char *resolved;
		if (strchr(name, '/')) {
			resolved = host->cfg_path(cfg, name, path, sizeof path);
		} else {
			int ext = n > 4 && strcmp(name + n - 4, ".ini") == 0;
			int w = snprintf(path, sizeof path, "%s/packs/%s%s", host->rules_dir(), name, ext ? "" : ".ini");
			resolved = w > 0 && (size_t)w < sizeof path ? path : NULL;
		}
		if (!resolved) {
			host->cfg_error(cfg, "packs", "path of '%s' too long", name);
			rc = NL_ECONFIG;
			goto fail;
		}
		rc = load_pack(s, cfg, resolved, &errors);
		if (rc)
			goto fail;
	}
	if (errors) {
		rc = NL_ECONFIG;
		goto fail;
	}
	/* Rule ids are unique: packs have distinct names, rules distinct sections. */
	if (s->n_rules) {
		s->info = calloc(s->n_rules, sizeof *s->info);
		if (!s->info) {
			rc = NL_ENOMEM;
			goto fail;
		}
		for (size_t i = 0; i < s->n_rules; i++) {
			rule *r = &s->rules[i];
			s->info[i] = (nl_rule_info){
				.id = r->id,
				.default_severity = (nl_severity)r->severity,
				.summary = r->summary ? r->summary : r->gen_summary,
				.explanation = r->explanation,
				.yields_to = r->yields_to,
			};
		}
	}
	*out = s;
	return 0;
fail:
	if (rc == NL_ENOMEM)
		host->warn(PK, "out of memory while loading rule packs");
	destroy(s);
	return rc;
}

static const nl_rule_info *dynamic_rules(void *st, size_t *n)
{
	state *s = st;
	*n = s ? s->n_rules : 0;
	return s ? s->info : NULL;
}

/* ---- checking ------------------------------------------------------------------ */

typedef struct match {
	uint32_t off, len;
	int mark;
	uint32_t tok;         /* first token */
} match;

typedef struct mvec {
	match *v;
	size_t n, cap;
} mvec;

/* Index of the first token that ends after pos. */
static size_t tok_at(const nl_doc *d, uint32_t pos)
{
	size_t lo = 0, hi = d->n_tokens;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->tokens[mid].off + d->tokens[mid].len <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the paragraph holding token ti (paragraphs are in order). */
static size_t para_of_tok(const nl_doc *d, size_t ti)
{
	size_t lo = 0, hi = d->n_paragraphs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->paragraphs[mid].first_token + d->paragraphs[mid].n_tokens <= ti)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t sent_of_tok(const nl_doc *d, size_t ti)
{
	size_t lo = 0, hi = d->n_sentences;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->sentences[mid].first_token + d->sentences[mid].n_tokens <= ti)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does the part of a token after a whole-word match still belong to the
 * same word form?  Possessives and an abbreviation's period do. */
static int word_tail(const char *t, size_t n)
{
	if (n == 0)
		return 1;
	if (n == 1 && (t[0] == '\'' || t[0] == '.'))
		return 1;
	if (n == 2 && t[0] == '\'' && (t[1] == 's' || t[1] == 'S'))
		return 1;
	if (n == 3 && memcmp(t, "\xE2\x80\x99", 3) == 0)
		return 1;
	if (n == 4 && memcmp(t, "\xE2\x80\x99", 3) == 0 && (t[3] == 's' || t[3] == 'S'))
		return 1;
	return 0;
}

/* Is the gap between two tokens only white space (incl. no-break space)? */
static int blank_gap(const char *t, uint32_t a, uint32_t b)
{
	for (uint32_t i = a; i < b; i++) {
		unsigned char c = (unsigned char)t[i];
		if (is_space(c))
			continue;
		if (c == 0xC2 && i + 1 < b && (unsigned char)t[i + 1] == 0xA0) {
			i++;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Only matches on word tokens of prose count: not in code (no tokens), URLs,
 * e-mail addresses, handles, hashtags; not quoted/heading text when the rule
 * says so.  Sets *first to the first token. */
static int accept(const nl_doc *d, const rule *r, uint32_t s, uint32_t e, size_t *first)
{
	size_t i = tok_at(d, s);
	if (i >= d->n_tokens || d->tokens[i].off > s)
		return 0;
	if (r->whole_word && d->tokens[i].off != s)
		return 0;               /* "iconic" inside "non-iconic" */
	uint32_t pos = s;
	int words = 0;
	size_t j;
	for (j = i; j < d->n_tokens && d->tokens[j].off < e; j++) {
		const nl_token *t = &d->tokens[j];
		if (t->off > pos && !blank_gap(d->text, pos, t->off))
			return 0;
		switch (t->kind) {
		case NL_TOK_URL: case NL_TOK_EMAIL: case NL_TOK_HANDLE: case NL_TOK_HASHTAG:
			return 0;
		case NL_TOK_WORD:
		case NL_TOK_NUMBER:       /* "10am" is one number token */
			words++;
			break;
		default:
			break;
		}
		if (r->skip_quotes && (t->flags & NL_TF_IN_QUOTE))
			return 0;
		if (r->skip_headings && (t->flags & NL_TF_IN_HEADING))
			return 0;
		pos = t->off + t->len;
	}
	if (!words)
		return 0;
	if (e > pos && !blank_gap(d->text, pos, e))
		return 0;
	if (r->whole_word && e < pos && !word_tail(d->text + e, pos - e))
		return 0;                /* "iconic" in "iconic-looking" */
	if (r->skip_quotes && d->n_paragraphs) {
		size_t pi = para_of_tok(d, i);
		if (pi < d->n_paragraphs && (d->paragraphs[pi].flags & NL_PF_BLOCKQUOTE))
			return 0;
	}
	if (r->skip_headings && d->n_paragraphs) {
		size_t pi = para_of_tok(d, i);
		if (pi < d->n_paragraphs && (d->paragraphs[pi].flags & (NL_PF_HEADING | NL_PF_TITLE)))
			return 0;
	}
	*first = i;
	return 1;
}

static int mvec_push(mvec *m, match x)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		match *v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return NL_ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = x;
	return 0;
}

/* The matched text for a message: white space collapsed, at most MAX_SHOWN bytes. */
static void shown_text(const nl_doc *d, uint32_t off, uint32_t len, char *out, size_t size)
{
	size_t o = 0;
	int space = 0;
	uint32_t i;
	for (i = 0; i < len && o + 2 < size && o < MAX_SHOWN; i++) {
		unsigned char c = (unsigned char)d->text[off + i];
		if (is_space(c)) {
			space = 1;
			continue;
		}
		if (space && o)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)c;
	}
	/* cut short inside a UTF-8 sequence: drop its first bytes too */
	if (i < len && ((unsigned char)d->text[off + i] & 0xC0) == 0x80) {
		while (o && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			o--;
		if (o)
			o--;
	}
	out[o] = '\0';
}

/* The house form with the matched text's leading capital ("Per cent" -> "Percent"). */
static void cased(const rule *r, const char *matched, const char *repl, char *out, size_t size)
{
	snprintf(out, size, "%s", repl);
	if (!r->ignorecase)
		return;
	if (matched[0] >= 'A' && matched[0] <= 'Z' && out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	else if (matched[0] >= 'a' && matched[0] <= 'z' && out[0] >= 'A' && out[0] <= 'Z' &&
	         !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)(out[0] - 'A' + 'a');
}

static int report(const state *s, nl_sink *sink, const rule *r, uint32_t off, uint32_t len,
                  const char *fmt, const char *const args[A_N], const char *sugg,
                  const nl_span *related, size_t n_related)
{
	sb msg = {0};
	format_message(&msg, r, fmt, args);
	if (msg.oom)
		return NL_ENOMEM;
	nl_finding f = {
		.rule = r->id,
		.off = off,
		.len = len,
		.message = msg.p ? msg.p : "",
		.suggestions = sugg ? &sugg : NULL,
		.n_suggestions = sugg ? 1 : 0,
		.related = related,
		.n_related = n_related,
		.severity = NL_SEV_DEFAULT,
	};
	int rc = s->host->report(sink, &f);
	free(msg.p);
	return rc == NL_ENOMEM ? rc : 0;
}

static int run_existence(const state *s, const nl_doc *d, nl_sink *sink, const rule *r, const mvec *m)
{
	const char *fmt = r->message ? r->message : default_message[r->kind];
	for (size_t i = 0; i < m->n; i++) {
		char txt[MAX_SHOWN + 8], sug[512];
		shown_text(d, m->v[i].off, m->v[i].len, txt, sizeof txt);
		const char *args[A_N] = { [A_MATCH] = txt };
		const char *sp = NULL;
		if (r->kind == K_SUBSTITUTION) {
			if (m->v[i].mark < 0 || (size_t)m->v[i].mark >= r->n_repls)
				continue;
			cased(r, txt, r->repls[m->v[i].mark], sug, sizeof sug);
			if (strlen(sug) == m->v[i].len && memcmp(sug, d->text + m->v[i].off, m->v[i].len) == 0)
				continue;        /* already the house form */
			args[A_SUGG] = sp = sug;
		}
		int rc = report(s, sink, r, m->v[i].off, m->v[i].len, fmt, args, sp, NULL, 0);
		if (rc)
			return rc;
	}
	return 0;
}

static size_t scope_of(const nl_doc *d, const rule *r, size_t tok)
{
	if (r->scope == SC_PARAGRAPH)
		return para_of_tok(d, tok);
	if (r->scope == SC_SENTENCE)
		return sent_of_tok(d, tok);
	return 0;
}

static int run_occurrence(const state *s, const nl_doc *d, nl_sink *sink, const rule *r, const mvec *m)
{
	char cnt[32], lim[32], txt[MAX_SHOWN + 8];
	const char *args[A_N] = { [A_COUNT] = cnt, [A_LIMIT] = lim, [A_SCOPE] = scope_names[r->scope] };
	if (r->max >= 0) {
		const char *fmt = r->message ? r->message
			: "'{match}' used {count} times in this {scope} (at most {limit})";
		nl_span rel[MAX_RELATED];
		for (size_t i = 0; i < m->n;) {
			size_t sc = scope_of(d, r, m->v[i].tok), j = i;
			while (j < m->n && scope_of(d, r, m->v[j].tok) == sc)
				j++;
			if ((long)(j - i) > r->max) {
				const match *at = &m->v[i + (size_t)r->max];
				size_t nr = 0;
				for (size_t k = i; k < j && nr < MAX_RELATED; k++)
					if (&m->v[k] != at)
						rel[nr++] = (nl_span){ m->v[k].off, m->v[k].len };
				snprintf(cnt, sizeof cnt, "%zu", j - i);
				snprintf(lim, sizeof lim, "%ld", r->max);
				shown_text(d, at->off, at->len, txt, sizeof txt);
				args[A_MATCH] = txt;
				int rc = report(s, sink, r, at->off, at->len, fmt, args, NULL, rel, nr);
				if (rc)
					return rc;
			}
			i = j;
		}
	}
	if (r->min > 0) {
		const char *fmt = r->message ? r->message
			: "'{match}' used {count} times in this {scope} (at least {limit} expected)";
		snprintf(lim, sizeof lim, "%ld", r->min);
		snprintf(txt, sizeof txt, "%s", r->e[0].text);
		args[A_MATCH] = txt;
		if (r->scope == SC_DOCUMENT) {
			size_t t;
			for (t = 0; t < d->n_tokens && d->tokens[t].kind != NL_TOK_WORD; t++)
				;
			if (t < d->n_tokens && (long)m->n < r->min) {
				snprintf(cnt, sizeof cnt, "%zu", m->n);
				return report(s, sink, r, d->tokens[t].off, d->tokens[t].len, fmt, args, NULL, NULL, 0);
			}
			return 0;
		}
		size_t n_sc = r->scope == SC_PARAGRAPH ? d->n_paragraphs : d->n_sentences;
		size_t k = 0;
		for (size_t sc = 0; sc < n_sc; sc++) {
			uint32_t off, len, ft, nt;
			if (r->scope == SC_PARAGRAPH) {
				const nl_paragraph *p = &d->paragraphs[sc];
				off = p->off, len = p->len, ft = p->first_token, nt = p->n_tokens;
				if (r->skip_headings && (p->flags & (NL_PF_HEADING | NL_PF_TITLE)))
					nt = 0;
				if (r->skip_quotes && (p->flags & NL_PF_BLOCKQUOTE))
					nt = 0;
			} else {
				const nl_sentence *q = &d->sentences[sc];
				off = q->off, len = q->len, ft = q->first_token, nt = q->n_tokens;
				if (nt && r->skip_headings && (d->tokens[ft].flags & NL_TF_IN_HEADING))
					nt = 0;
			}
			size_t c = 0;
			while (k < m->n && m->v[k].tok < ft + nt) {
				if (m->v[k].tok >= ft)
					c++;
				k++;
			}
			int has_word = 0;
			for (uint32_t t = ft; t < ft + nt && !has_word; t++)
				has_word = d->tokens[t].kind == NL_TOK_WORD;
			if (!has_word || (long)c >= r->min || !len)
				continue;
			snprintf(cnt, sizeof cnt, "%zu", c);
			int rc = report(s, sink, r, off, len, fmt, args, NULL, NULL, 0);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int group_of(const rule *r, int mark)
{
	return mark >= 0 && (size_t)mark < r->n ? r->e[mark].group : 0;
}

/* When both groups list the same number of words, entry i of one group
 * corresponds to entry i of the other ("e-mails" <-> "emails"). */
static const char *counterpart(const rule *r, int mark)
{
	if (mark < 0 || (size_t)mark >= r->n || r->e[mark].pattern)
		return NULL;
	int g = r->e[mark].group;
	size_t pos = 0, cnt[2] = { 0, 0 };
	for (size_t i = 0; i < r->n; i++) {
		if (r->e[i].pattern)
			continue;
		if (i < (size_t)mark && r->e[i].group == g)
			pos++;
		cnt[r->e[i].group]++;
	}
	if (cnt[0] != cnt[1])
		return NULL;
	for (size_t i = 0, k = 0; i < r->n; i++)
		if (!r->e[i].pattern && r->e[i].group != g && k++ == pos)
			return r->e[i].text;
	return NULL;
}

static int run_consistency(const state *s, const nl_doc *d, nl_sink *sink, const rule *r, const mvec *m)
{
	size_t count[2] = { 0, 0 }, first[2] = { SIZE_MAX, SIZE_MAX };
	for (size_t i = 0; i < m->n; i++) {
		int g = group_of(r, m->v[i].mark);
		if (first[g] == SIZE_MAX)
			first[g] = i;
		count[g]++;
	}
	if (!count[0] || !count[1])
		return 0;
	int keep = count[0] > count[1] ? 0 : count[1] > count[0] ? 1 : first[0] < first[1] ? 0 : 1;
	const match *ref = &m->v[first[keep]];
	char other[MAX_SHOWN + 8], txt[MAX_SHOWN + 8], sug[MAX_SHOWN + 8];
	shown_text(d, ref->off, ref->len, other, sizeof other);
	const char *fmt = r->message ? r->message : default_message[K_CONSISTENCY];
	nl_span rel = { ref->off, ref->len };
	for (size_t i = 0; i < m->n; i++) {
		if (group_of(r, m->v[i].mark) == keep)
			continue;
		shown_text(d, m->v[i].off, m->v[i].len, txt, sizeof txt);
		const char *cp = counterpart(r, m->v[i].mark);
		cased(r, txt, cp ? cp : other, sug, sizeof sug);
		const char *args[A_N] = { [A_MATCH] = txt, [A_SUGG] = other };
		int rc = report(s, sink, r, m->v[i].off, m->v[i].len, fmt, args, sug, &rel, 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* CPU time this thread has used, in seconds. */
static double thread_cpu(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
		return 0;
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A document's word starts, for the rules with a prefilter: every ASCII
 * letter or digit with no ASCII letter, digit or '_' before it (a byte of
 * a longer character before it may be a letter: kept).  Made at the first
 * such rule; 8 bytes a start (about 1.4 bytes a byte of prose), so a
 * document over PF_MAX_TEXT is searched the old way instead. */
#define PF_MAX_TEXT (16u << 20)
typedef struct wstarts {
	int made, off;        /* off: no prefilter for this document */
	int ks;               /* the text holds U+017F or U+212A, which a caseless s or k matches */
	uint32_t *pos;
	uint32_t *fx;         /* the 4 bytes there, pf_fold()ed for a rule that ignores case */
	size_t n;
} wstarts;

/* The 4 bytes of text at p, the first in the low byte, 0 past the end. */
static inline uint32_t four_at(const unsigned char *t, size_t len, size_t p)
{
	uint32_t x = 0;
	if (p + 4 <= len)
		return (uint32_t)t[p] | (uint32_t)t[p + 1] << 8 | (uint32_t)t[p + 2] << 16 | (uint32_t)t[p + 3] << 24;
	for (size_t j = 0; p + j < len; j++)
		x |= (uint32_t)t[p + j] << (8 * j);
	return x;
}

static void wstarts_make(wstarts *w, const char *text, size_t len)
{
	w->made = 1;
	size_t cap = len / 8 + 16;
	if (len > PF_MAX_TEXT || !(w->pos = malloc(cap * sizeof *w->pos)) || !(w->fx = malloc(cap * sizeof *w->fx))) {
		w->off = 1;
		return;
	}
	const unsigned char *t = (const unsigned char *)text;
	int prev_word = 0;
	for (size_t p = 0; p < len; p++) {
		const unsigned c = t[p];
		const int alnum = ascii_alnum(c);
		if (alnum && !prev_word) {
			if (w->n == cap) {
				uint32_t *np = realloc(w->pos, 2 * cap * sizeof *np);
				if (np)
					w->pos = np;
				uint32_t *nx = np ? realloc(w->fx, 2 * cap * sizeof *nx) : NULL;
				if (!nx) {
					w->off = 1;
					return;
				}
				w->fx = nx;
				cap *= 2;
			}
			w->pos[w->n] = (uint32_t)p;
			w->fx[w->n++] = pf_fold(four_at(t, len, p), 1);
		}
		prev_word = alnum || c == '_';
	}
	w->ks = wk_has_long_s_kelvin(t, len);
}

/* The first word start at or after start (from *k on) whose first bytes
 * may begin a match of r; its position, or SIZE_MAX. */
static size_t next_start(const rule *r, const wstarts *w, const char *text, size_t len, size_t *k,
			 size_t start)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = *k;
	while (i < w->n && w->pos[i] < start)
		i++;
	if (r->ignorecase) {
		while (i < w->n && !pf_may(r->pf, w->fx[i]))
			i++;
	} else {
		while (i < w->n && !pf_may(r->pf, pf_fold(four_at(t, len, w->pos[i]), 0)))
			i++;
	}
	*k = i;
	return i < w->n ? w->pos[i] : SIZE_MAX;
}

static int run_rule(const state *s, const nl_doc *d, nl_sink *sink, const rule *r,
                    pcre2_match_context *mc, mvec *m, wstarts *ws)
{
	/* match_limit bounds one match attempt; a pattern whose attempts each
	   cost nearly that much, and whose matches are then rejected (off the
	   prose), starts thousands of them: the time limit bounds the sum. */
	double t0 = -1;             /* taken at the 64th attempt: most rules never get there */
	double budget = s->time_limit * (1.0 + (double)d->text_len / 1e6);
	unsigned attempts = 0;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->re, NULL);
	if (!md)
		return NL_ENOMEM;
	m->n = 0;
	PCRE2_SIZE start = 0, len = d->text_len;
	uint32_t opts = 0;          /* the first call checks the UTF-8, later ones need not */
	int rc = 0;
	/* the prefilter: no match starts where it says none can (a caseless
	   rule's s and k also match two characters of more bytes: a text with
	   either is searched everywhere) */
	int pf = r->pf && r->are;
	if (pf && !ws->made)
		wstarts_make(ws, d->text, d->text_len);
	if (pf && (ws->off || ((r->ignorecase || r->pf->by_first) && ws->ks)))
		pf = 0;   /* (a pattern may turn case off inside: (?i)) */
	size_t k = 0;               /* next_start()'s place in ws */
	while (start <= len) {
		if (s->time_limit > 0 && (++attempts & 63) == 0 && t0 < 0)
			t0 = thread_cpu();
		else if (s->time_limit > 0 && (attempts & 63) == 0 && thread_cpu() - t0 > budget) {
			s->host->warn(PK, "%s: rule %s (%s:%u) gave up at byte %zu after %.1f s of CPU "
			              "time; its other matches in this file are not reported (the pattern "
			              "backtracks too much: rewrite nested repeats such as (a+)+; see "
			              "time_limit in docs/rule-packs.md)",
			              d->path ? d->path : "-", r->id, s->packs[r->pack].path, r->line,
			              (size_t)start, budget);
			break;
		}
		PCRE2_SIZE at = start;
		if (pf && (at = next_start(r, ws, d->text, len, &k, start)) == SIZE_MAX)
			break;
		int n = pcre2_match(pf ? r->are : r->re, (PCRE2_SPTR)d->text, len, at, opts, md, mc);
		opts = PCRE2_NO_UTF_CHECK;
		if (n == PCRE2_ERROR_NOMATCH && pf) {
			start = at + 1;     /* at is an ASCII byte: at + 1 starts a character */
			continue;
		}
		if (n == PCRE2_ERROR_NOMATCH)
			break;
		if (n < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(n, msg, sizeof msg);
			/* Bounded and reported: this rule stops for this file, the
			   other rules and plugins go on. */
			s->host->warn(PK, "%s: rule %s (%s:%u) gave up at byte %zu: %s; its other matches "
			              "in this file are not reported (the pattern backtracks too much: rewrite "
			              "nested repeats such as (a+)+; see match_limit in docs/rule-packs.md)",
			              d->path ? d->path : "-", r->id, s->packs[r->pack].path, r->line,
			              (size_t)start, (const char *)msg);
			break;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		PCRE2_SIZE ms = ov[0], me = ov[1];
		size_t tok;
		if (me > ms && me <= len && accept(d, r, (uint32_t)ms, (uint32_t)me, &tok)) {
			PCRE2_SPTR mark = pcre2_get_mark(md);
			match x = { (uint32_t)ms, (uint32_t)(me - ms), mark ? atoi((const char *)mark) : 0, (uint32_t)tok };
			if ((rc = mvec_push(m, x)))
				break;
			start = me;
			continue;
		}
		/* rejected (or empty): try again one character further on */
		if (ms >= len)
			break;
		start = ms + 1;
		while (start < len && ((unsigned char)d->text[start] & 0xC0) == 0x80)
			start++;
	}
	pcre2_match_data_free(md);
	if (rc || (!m->n && !(r->kind == K_OCCURRENCE && r->min > 0)))
		return rc;
	switch (r->kind) {
	case K_EXISTENCE:
	case K_SUBSTITUTION:
		return run_existence(s, d, sink, r, m);
	case K_OCCURRENCE:
		return run_occurrence(s, d, sink, r, m);
	default:
		return run_consistency(s, d, sink, r, m);
	}
}

static int check(void *st, const nl_doc *doc, nl_sink *sink)
{
	const state *s = st;
	if (!s->n_rules || !doc->text_len || !doc->n_tokens)
		return 0;
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (!mc)
		return NL_ENOMEM;
	pcre2_set_match_limit(mc, (uint32_t)s->match_limit);
	pcre2_set_depth_limit(mc, (uint32_t)s->depth_limit);
	/* Our own JIT stack, one per thread (a thread checks one document at
	   a time), made at its first document: not an mmap and munmap a
	   document. */
	pcre2_jit_stack *js = s->js_key_ok ? pthread_getspecific(s->js_key) : NULL;
	int js_own = 0;
	if (!js && (js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL)) != NULL &&
	    (!s->js_key_ok || pthread_setspecific(s->js_key, js) != 0))
		js_own = 1;   /* no key: this check's alone */
	if (js)
		pcre2_jit_stack_assign(mc, NULL, js);
	mvec m = {0};
	wstarts ws = {0};
	int rc = 0;
	for (size_t i = 0; i < s->n_rules && !rc; i++) {
		const rule *r = &s->rules[i];
		if (!s->host->rule_enabled(sink, r->id))
			continue;
		rc = run_rule(s, doc, sink, r, mc, &m, &ws);
	}
	free(ws.pos);
	free(ws.fx);
	free(m.v);
	if (js_own)
		pcre2_jit_stack_free(js);
	pcre2_match_context_free(mc);
	return rc;
}

NL_PLUGIN_EXPORT const nl_plugin nl_plugin_packs = {
	NL_PLUGIN_ABI,
	.flags = NL_PLUGIN_THREADSAFE,
	.name = "packs",
	.version = "1.0.0",
	.summary = "rule packs: house-style and editorial rules written as INI files (rules/packs/*.ini)",
	.rules = NULL,
	.n_rules = 0,
	.config_keys = config_keys,
	.create = create,
	.check = check,
	.destroy = destroy,
	.dynamic_rules = dynamic_rules,
};
