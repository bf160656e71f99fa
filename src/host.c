/* host.c -- the function table handed to plugins, and the findings they
 * report through it.  Everything a plugin passes in is copied here. */
#include "host.h"
#include "words.h"
#include "doc.h"
#include "lines.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct nl_sink {
	nl_pinst *pi;
	const nl_doc *doc;
	nl_items *items;
};

static const char *rules_dir = NL_SRC_DIR "/rules";

/* The configuration section of the plugin whose create() runs on this
   thread: read_list() applies its confinement (see nl_settings_confine). */
static _Thread_local const nl_config *creating;

void nl_host_set_rules_dir(const char *dir) { rules_dir = dir; }
const char *nl_host_rules_dir(void) { return rules_dir; }

static int cmp_rule_ptr(const void *a, const void *b)
{
	const nl_rule *x = *(nl_rule *const *)a, *y = *(nl_rule *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : x < y ? -1 : x > y;
}

static nl_rule *rule_by_id(const nl_pinst *pi, const char *id)
{
	size_t lo = 0, hi = pi->n_rules;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(pi->by_id[mid]->id, id);
		if (c == 0) {
			while (mid > 0 && strcmp(pi->by_id[mid - 1]->id, id) == 0)
				mid--;
			return pi->by_id[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Index the rules by id: report() and rule_enabled() look a rule up for
   every finding and every rule of a pack, and a pack may have thousands. */
static void index_rules(nl_pinst *pi)
{
	free(pi->by_id);
	pi->by_id = pi->n_rules ? malloc(pi->n_rules * sizeof *pi->by_id) : NULL;
	if (!pi->by_id)
		return;                   /* lookups fall back to a scan */
	for (size_t i = 0; i < pi->n_rules; i++)
		pi->by_id[i] = &pi->rules[i];
	qsort(pi->by_id, pi->n_rules, sizeof *pi->by_id, cmp_rule_ptr);
}

nl_rule *nl_pinst_rule(nl_pinst *pi, const char *id)
{
	/* The id of one of the plugin's static rules, the usual argument of
	   report() and rule_enabled() (once a finding, a few times a document):
	   found by its address, no string compared.  The static rules come
	   first in pi->rules (nl_pinst_create), and their table is constant
	   data of the plugin. */
	const size_t ns = pi->desc->n_rules < pi->n_rules ? pi->desc->n_rules : pi->n_rules;
	if (ns <= 32)
		for (size_t i = 0; i < ns; i++)
			if (pi->rules[i].info->id == id)
				return &pi->rules[i];
	size_t nlen = strlen(pi->desc->name);
	int full = strncmp(id, pi->desc->name, nlen) == 0 && id[nlen] == '.';
	if (pi->by_id) {
		nl_rule *r = rule_by_id(pi, id);
		if (r || full)
			return r;
		char buf[256], *q = buf;
		size_t need = nlen + 1 + strlen(id) + 1;
		if (need > sizeof buf && !(q = malloc(need)))
			return NULL;
		memcpy(q, pi->desc->name, nlen);
		q[nlen] = '.';
		memcpy(q + nlen + 1, id, need - nlen - 1);
		r = rule_by_id(pi, q);
		if (q != buf)
			free(q);
		return r;
	}
	for (size_t i = 0; i < pi->n_rules; i++) {
		const char *rid = pi->rules[i].id;
		if (strcmp(rid, id) == 0)
			return &pi->rules[i];
		if (!full && strncmp(rid, pi->desc->name, nlen) == 0 && rid[nlen] == '.' &&
		    strcmp(rid + nlen + 1, id) == 0)
			return &pi->rules[i];
	}
	return NULL;
}

static int h_report(nl_sink *sink, const nl_finding *f)
{
	nl_pinst *pi = sink->pi;
	nl_rule *r = f && f->rule ? nl_pinst_rule(pi, f->rule) : NULL;
	if (!r) {
		nl_diag_error("plugin %s reported the undeclared rule '%s'; declare it in the "
		              "plugin's rules", pi->desc->name, f && f->rule ? f->rule : "(null)");
		return NL_EINVAL;
	}
	size_t tl = sink->doc->text_len;
	if ((size_t)f->off + f->len > tl) {
		nl_diag_error("plugin %s: %s reported a span (%u+%u) outside the text (%zu bytes)",
		              pi->desc->name, r->id, f->off, f->len, tl);
		return NL_EINVAL;
	}
	if (r->severity == NL_SEV_OFF)
		return 0;
	nl_items *it = sink->items;
	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 16;
		nl_item *v = realloc(it->v, cap * sizeof *v);
		if (!v) {
			nl_oom();
			return NL_ENOMEM;
		}
		it->v = v;
		it->cap = cap;
	}
	nl_item *x = &it->v[it->n];
	memset(x, 0, sizeof *x);
	x->rule = r;
	x->severity = r->severity;
	if (!r->overridden && f->severity >= NL_SEV_INFO && f->severity <= NL_SEV_ERROR)
		x->severity = f->severity;
	/* A span that starts or ends inside a UTF-8 sequence (a third-party
	   plugin's slip) is widened to whole characters: excerpts, columns and
	   the JSON/SARIF text stay valid. */
	const unsigned char *t = (const unsigned char *)sink->doc->text;
	size_t a = f->off, e = (size_t)f->off + f->len;
	while (a > 0 && (t[a] & 0xC0) == 0x80)
		a--;
	if (!f->len)
		e = a;                       /* an insertion point stays one */
	while (e < tl && e > a && (t[e] & 0xC0) == 0x80)
		e++;
	x->off = (uint32_t)a;
	x->len = (uint32_t)(e - a);
	x->message = nl_strdup(f->message ? f->message : r->info->summary);
	if (!x->message)
		return NL_ENOMEM;
	if (f->n_suggestions) {
		x->sugg = calloc(f->n_suggestions, sizeof *x->sugg);
		if (!x->sugg) {
			nl_oom();
			goto oom;
		}
		for (size_t i = 0; i < f->n_suggestions; i++) {
			if (!f->suggestions[i])
				continue;
			if (!(x->sugg[x->n_sugg] = nl_strdup(f->suggestions[i])))
				goto oom;
			x->n_sugg++;
		}
	}
	if (f->n_related) {
		x->related = malloc(f->n_related * sizeof *x->related);
		if (!x->related) {
			nl_oom();
			goto oom;
		}
		for (size_t i = 0; i < f->n_related; i++) {
			nl_span s = f->related[i];
			if ((size_t)s.off + s.len > tl)
				continue;     /* a bad related span is dropped, the finding kept */
			x->related[x->n_related++] = s;
		}
	}
	it->n++;
	return 0;
oom:
	for (size_t i = 0; i < x->n_sugg; i++)
		free(x->sugg[i]);
	free(x->sugg);
	free(x->related);
	free(x->message);
	return NL_ENOMEM;
}

static int h_rule_enabled(nl_sink *sink, const char *rule)
{
	nl_rule *r = nl_pinst_rule(sink->pi, rule);
	return r && r->severity != NL_SEV_OFF;
}

static void h_warn(const char *plugin, const char *fmt, ...)
{
	va_list ap;
	nl_buf b = {0};
	va_start(ap, fmt);
	nl_buf_printf(&b, "%s: ", plugin ? plugin : "plugin");
	nl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	nl_diag("%s", b.p ? b.p : "(out of memory)");
	nl_buf_free(&b);
}

static void h_cfg_error(const nl_config *cfg, const char *key, const char *fmt, ...)
{
	va_list ap;
	nl_buf b = {0};
	va_start(ap, fmt);
	nl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	nl_cfg_error(cfg, key, "%s", b.p ? b.p : "(out of memory)");
	nl_buf_free(&b);
}

static const char *h_rules_dir(void) { return rules_dir; }

/* A plugin created from a confined configuration reads word lists only
   from that configuration's folder tree and from the bundled rules: the
   files a rule pack of the project names are checked here, for every
   plugin, however the plugin built the path. */
static int confined_out(const char *path)
{
	const nl_config *c = creating;
	if (!c || !c->root || nl_path_inside(c->root, path))
		return 0;
	char *rd = realpath(rules_dir, NULL);
	int in = rd && nl_path_inside(rd, path);
	free(rd);
	if (in)
		return 0;
	nl_diag_error("%s: refused to read it for [%s] of %s: it is outside that configuration's "
	              "folder; %s", path, c->name, c->file ? c->file : "the configuration",
	              nl_confined_hint);
	return 1;
}

#define NL_LIST_MAX (256 << 20)   /* bytes of one word list: read whole into memory */

static int h_read_list(const char *path, int (*fn)(void *, const char *, size_t, unsigned), void *ud)
{
	char *data;
	size_t len;
	if (confined_out(path))
		return NL_EIO;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > NL_LIST_MAX) {
		nl_diag_error("%s: the word list is %lld bytes, over the %d MB a list may have",
		              path, (long long)st.st_size, NL_LIST_MAX >> 20);
		return NL_EIO;
	}
	int e = nl_read_file(path, &data, &len);
	if (e) {
		nl_diag_error("%s: cannot read the word list: %s", path, nl_read_strerror(e));
		return NL_EIO;
	}
	int rc = 0;
	unsigned line = 0;
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && rc == 0) {
		size_t j = i;
		while (j < len && data[j] != '\n')
			j++;
		line++;
		size_t a = i, b = j;
		for (size_t k = a; k < b; k++)
			if (data[k] == '#') {
				b = k;
				break;
			}
		while (a < b && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r'))
			a++;
		while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t' || data[b - 1] == '\r'))
			b--;
		if (b > a) {
			char save = data[b];
			data[b] = '\0';
			rc = fn(ud, data + a, b - a, line);
			data[b] = save;
		}
		i = j + 1;
	}
	free(data);
	return rc;
}

static const nl_host host = {
	.abi_major = NL_ABI_MAJOR,
	.abi_minor = NL_ABI_MINOR,
	.struct_size = sizeof(nl_host),
	.report = h_report,
	.rule_enabled = h_rule_enabled,
	.cfg_count = nl_cfg_count,
	.cfg_key = nl_cfg_key,
	.cfg_value = nl_cfg_value,
	.cfg_get = nl_cfg_get,
	.cfg_int = nl_cfg_int,
	.cfg_double = nl_cfg_double,
	.cfg_bool = nl_cfg_bool,
	.cfg_error = h_cfg_error,
	.cfg_path = nl_cfg_path,
	.rules_dir = h_rules_dir,
	.warn = h_warn,
	.utf8_next = nl_utf8_next,
	.fold = nl_fold,
	.read_list = h_read_list,
	.lower = nl_lower,
	.is_alpha = nl_is_alpha,
	.is_upper = nl_is_upper,
	.word_find = nl_words_find,
};

const nl_host *nl_host_table(void) { return &host; }

static int add_rules(nl_pinst *pi, const nl_rule_info *rules, size_t n)
{
	if (!n)
		return 0;
	nl_rule *v = realloc(pi->rules, (pi->n_rules + n) * sizeof *v);
	if (!v) {
		nl_oom();
		return NL_ENOMEM;
	}
	pi->rules = v;
	for (size_t i = 0; i < n; i++) {
		nl_rule *r = &pi->rules[pi->n_rules];
		memset(r, 0, sizeof *r);
		nl_buf b = {0};
		if (strchr(rules[i].id, '.'))
			nl_buf_puts(&b, rules[i].id);
		else
			nl_buf_printf(&b, "%s.%s", pi->desc->name, rules[i].id);
		if (!(r->id = nl_buf_take(&b)))
			return NL_ENOMEM;
		r->info = &rules[i];
		r->plugin = pi;
		r->severity = rules[i].default_severity;
		if (r->severity < NL_SEV_INFO || r->severity > NL_SEV_ERROR)
			r->severity = NL_SEV_WARNING;
		pi->n_rules++;
	}
	return 0;
}

int nl_pinst_create(nl_pinst *pi, const nl_plugin *desc, const char *path, nl_config *cfg)
{
	nl_config empty = {.name = (char *)desc->name};
	memset(pi, 0, sizeof *pi);
	pi->desc = desc;
	pi->path = nl_strdup(path ? path : "(built-in)");
	pthread_mutex_init(&pi->lock, NULL);
	if (!cfg)
		cfg = &empty;
	if (desc->config_keys)
		nl_cfg_check_keys(cfg, desc->config_keys);
	unsigned before = cfg->errors;
	creating = cfg;
	int rc = desc->create ? desc->create(&host, cfg, &pi->state) : 0;
	creating = NULL;
	if (rc == 0 && cfg->errors > before)
		rc = NL_ECONFIG;   /* an error was reported but create() went on */
	if (rc != 0) {
		if (rc > 0 || cfg->errors == before)
			nl_diag_error("plugin %s (%s) failed to start (status %d)", desc->name, pi->path, rc);
		if (rc == 0 && desc->destroy)
			desc->destroy(pi->state);
		pi->state = NULL;
		return rc < 0 ? rc : NL_EPLUGIN;
	}
	pi->created = 1;
	rc = add_rules(pi, desc->rules, desc->n_rules);
	if (rc == 0 && desc->dynamic_rules) {
		size_t n = 0;
		const nl_rule_info *dr = desc->dynamic_rules(pi->state, &n);
		if (dr)
			rc = add_rules(pi, dr, n);
	}
	if (rc == 0)
		index_rules(pi);
	return rc;
}

void nl_pinst_destroy(nl_pinst *pi)
{
	if (pi->created && pi->desc->destroy)
		pi->desc->destroy(pi->state);
	for (size_t i = 0; i < pi->n_rules; i++)
		free(pi->rules[i].id);
	free(pi->rules);
	free(pi->by_id);
	free(pi->path);
	pthread_mutex_destroy(&pi->lock);
	memset(pi, 0, sizeof *pi);
}

int nl_pinst_check(nl_pinst *pi, const nl_doc *doc, nl_items *items)
{
	if (!pi->created || !pi->desc->check)
		return 0;
	int any = 0;
	for (size_t i = 0; i < pi->n_rules; i++)
		any |= pi->rules[i].severity != NL_SEV_OFF;
	if (!any)
		return 0;
	nl_sink sink = {pi, doc, items};
	int ts = pi->desc->flags & NL_PLUGIN_THREADSAFE;
	if (!ts)
		pthread_mutex_lock(&pi->lock);
	int rc = pi->desc->check(pi->state, doc, &sink);
	if (!ts)
		pthread_mutex_unlock(&pi->lock);
	return rc;
}

void nl_item_free(nl_item *x)
{
	free(x->message);
	for (size_t i = 0; i < x->n_sugg; i++)
		free(x->sugg[i]);
	free(x->sugg);
	free(x->related);
	free(x->rel_line);
	free(x->rel_col);
}

void nl_items_free(nl_items *items)
{
	for (size_t i = 0; i < items->n; i++)
		nl_item_free(&items->v[i]);
	free(items->v);
	memset(items, 0, sizeof *items);
}

static int cmp_item(const void *a, const void *b)
{
	const nl_item *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	int c = strcmp(x->rule->id, y->rule->id);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return strcmp(x->message, y->message);
}

static int inside(uint32_t off, uint32_t len, uint32_t so, uint32_t sl)
{
	return off >= so && (uint64_t)off + len <= (uint64_t)so + sl;
}

/* Drop findings of a rule whose yields_to rule covers their span (its own
   span or a related one).  The spans of the findings others yield to are
   sorted by start, and a yielding finding looks only at those that start
   at most the longest span's length before it: on a long text with many
   names (inconsistent-name's related spans) and many findings that yield
   to them, comparing every pair grew with the square of the text. */
typedef struct yspan {
	uint32_t so, sl;   /* a span of a finding yielded to: its own or a related one */
	uint32_t item;     /* the finding */
	uint32_t to;       /* index of its rule id among the yields_to ids */
} yspan;

static int cmp_yspan(const void *a, const void *b)
{
	const yspan *x = a, *y = b;
	return x->so < y->so ? -1 : x->so > y->so;
}

static void apply_yields(nl_items *items)
{
	const char *to_ids[8];
	size_t nto = 0;
	for (size_t i = 0; i < items->n; i++) {
		const char *to = items->v[i].rule->info->yields_to;
		size_t k = 0;
		while (to && k < nto && strcmp(to_ids[k], to) != 0)
			k++;
		if (to && k == nto && nto < 8)
			to_ids[nto++] = to;
	}
	if (!nto)
		return;
	/* per finding: the index of its rule id among to_ids (the findings
	   yielded to), of its yields_to (those that yield), or 0xFF */
	unsigned char *is_to = malloc(2 * items->n + 1), *yto = is_to ? is_to + items->n : NULL;
	size_t ns = 0;
	for (size_t j = 0; is_to && j < items->n; j++) {
		const nl_item *y = &items->v[j];
		is_to[j] = yto[j] = 0xFF;
		for (size_t k = 0; k < nto; k++) {
			if (is_to[j] == 0xFF && strcmp(to_ids[k], y->rule->id) == 0)
				is_to[j] = (unsigned char)k;
			if (yto[j] == 0xFF && y->rule->info->yields_to && strcmp(to_ids[k], y->rule->info->yields_to) == 0)
				yto[j] = (unsigned char)k;
		}
		if (is_to[j] != 0xFF)
			ns += 1 + y->n_related;
	}
	/* every span of every finding yielded to, by start */
	yspan *sp = is_to ? malloc((ns ? ns : 1) * sizeof *sp) : NULL;
	if (!sp) {
		free(is_to);
		nl_oom();
		return;
	}
	size_t m = 0;
	uint32_t maxlen = 0;
	for (size_t j = 0; j < items->n; j++) {
		const nl_item *y = &items->v[j];
		if (is_to[j] == 0xFF)
			continue;
		sp[m++] = (yspan){y->off, y->len, (uint32_t)j, is_to[j]};
		for (size_t k = 0; k < y->n_related; k++)
			sp[m++] = (yspan){y->related[k].off, y->related[k].len, (uint32_t)j, is_to[j]};
	}
	for (size_t k = 0; k < m; k++)
		if (sp[k].sl > maxlen)
			maxlen = sp[k].sl;
	qsort(sp, m, sizeof *sp, cmp_yspan);
	/* Decide every drop before freeing any: a finding yielded to may
	   yield itself (rule packs chain yields_to) and must still be there
	   when the findings after it are compared with it.  A span that holds
	   finding x starts at or before x and at most maxlen bytes before it. */
	unsigned char *drops = is_to;   /* reused: is_to[i] is not read again once i is decided */
	for (size_t i = 0; i < items->n; i++) {
		const nl_item *x = &items->v[i];
		int drop = 0;
		if (yto[i] != 0xFF) {
			size_t lo = 0, hi = m;   /* the first span starting after x */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (sp[mid].so <= x->off)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (size_t k = lo; k-- > 0 && !drop && (uint64_t)sp[k].so + maxlen >= x->off;)
				drop = sp[k].to == yto[i] && sp[k].item != i && inside(x->off, x->len, sp[k].so, sp[k].sl);
		}
		drops[i] = (unsigned char)drop;
	}
	size_t w = 0;
	for (size_t i = 0; i < items->n; i++) {
		if (drops[i])
			nl_item_free(&items->v[i]);
		else
			items->v[w++] = items->v[i];
	}
	items->n = w;
	free(sp);
	free(is_to);
}

static int cmp_query(const void *a, const void *b)
{
	const nl_lines_query *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

void nl_items_finish(nl_items *items, const nl_doc *doc)
{
	apply_yields(items);
	if (items->n > 1)
		qsort(items->v, items->n, sizeof *items->v, cmp_item);
	if (!items->n)
		return;
	nl_lines li;
	if (nl_lines_init(&li, doc->text, doc->text_len) != 0) {
		nl_lines_free(&li);
		return;
	}
	/* One sorted sweep for every position (start, end, related): a
	   per-finding scan from the line start is quadratic on one-line files. */
	size_t nq = 0;
	for (size_t i = 0; i < items->n; i++)
		nq += 2 + items->v[i].n_related;
	nl_lines_query *q = malloc(nq * sizeof *q);
	if (!q) {
		nl_oom();
		nl_lines_free(&li);
		return;
	}
	nq = 0;
	for (size_t i = 0; i < items->n; i++) {
		nl_item *x = &items->v[i];
		q[nq++] = (nl_lines_query){x->off, &x->line, &x->col};
		q[nq++] = (nl_lines_query){x->off + x->len, &x->end_line, &x->end_col};
		if (x->n_related) {
			x->rel_line = malloc(x->n_related * sizeof *x->rel_line);
			x->rel_col = malloc(x->n_related * sizeof *x->rel_col);
			if (!x->rel_line || !x->rel_col) {
				nl_oom();
				free(x->rel_line);
				free(x->rel_col);
				x->rel_line = x->rel_col = NULL;
				continue;
			}
			for (size_t k = 0; k < x->n_related; k++)
				q[nq++] = (nl_lines_query){x->related[k].off, &x->rel_line[k], &x->rel_col[k]};
		}
	}
	qsort(q, nq, sizeof *q, cmp_query);
	nl_lines_locate(&li, q, nq);
	free(q);
	nl_lines_free(&li);
}
