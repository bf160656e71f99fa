/* check_out.c -- small strict checkers for what the report formats write:
 * JSON (RFC 8259) for json and sarif, and the XML subset checkstyle uses.
 * Written for the fuzz harnesses: no allocation, bounded recursion. */
#define _GNU_SOURCE
#include "fuzz.h"
#include <string.h>

static char msg[160];

static const char *fail(const char *what, size_t at)
{
	snprintf(msg, sizeof msg, "%s at byte %zu", what, at);
	return msg;
}

/* Decode one code point of strict UTF-8 at s[i..n): returns its length, 0
 * when the bytes are not UTF-8. */
static size_t utf8_cp(const unsigned char *s, size_t i, size_t n, uint32_t *cp)
{
	unsigned c = s[i];
	size_t k;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		k = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n - i < k)
		return 0;
	for (size_t j = 1; j < k; j++) {
		if ((s[i + j] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i + j] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return k;
}

size_t nlf_utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t k = utf8_cp(s, i, n, &cp);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/* ---- JSON ---------------------------------------------------------------- */

typedef struct jp {
	const unsigned char *s;
	size_t n, i;
	const char *err;
} jp;

static void ws(jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
	                       p->s[p->i] == '\r'))
		p->i++;
}

static int jfail(jp *p, const char *what)
{
	if (!p->err)
		p->err = fail(what, p->i);
	return -1;
}

static int hex4(jp *p, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++, p->i++) {
		if (p->i >= p->n)
			return jfail(p, "JSON: truncated \\u escape");
		unsigned c = p->s[p->i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return jfail(p, "JSON: bad hex digit in \\u escape");
	}
	return 0;
}

static int jstring(jp *p)
{
	p->i++;   /* the opening quote */
	for (;;) {
		if (p->i >= p->n)
			return jfail(p, "JSON: unterminated string");
		unsigned c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return jfail(p, "JSON: raw control character in a string");
		if (c == '\\') {
			if (++p->i >= p->n)
				return jfail(p, "JSON: truncated escape");
			c = p->s[p->i];
			if (c == 'u') {
				unsigned v, w;
				p->i++;
				if (hex4(p, &v))
					return -1;
				if (v >= 0xDC00 && v <= 0xDFFF)
					return jfail(p, "JSON: lone low surrogate escape");
				if (v >= 0xD800 && v <= 0xDBFF) {
					if (p->i + 2 > p->n || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
						return jfail(p, "JSON: high surrogate escape without its pair");
					p->i += 2;
					if (hex4(p, &w))
						return -1;
					if (w < 0xDC00 || w > 0xDFFF)
						return jfail(p, "JSON: high surrogate escape without its pair");
				}
				continue;
			}
			if (!strchr("\"\\/bfnrt", (int)c) || c == 0)
				return jfail(p, "JSON: unknown escape");
			p->i++;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_cp(p->s, p->i, p->n, &cp);
		if (!k)
			return jfail(p, "JSON: invalid UTF-8 in a string");
		p->i += k;
	}
}

static int digits(jp *p)
{
	size_t a = p->i;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > a ? 0 : jfail(p, "JSON: digit expected");
}

static int jnumber(jp *p)
{
	if (p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (digits(p))
		return -1;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (digits(p))
			return -1;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p))
			return -1;
	}
	return 0;
}

static int jvalue(jp *p, int depth)
{
	if (depth > 256)
		return jfail(p, "JSON: nested too deeply");
	ws(p);
	if (p->i >= p->n)
		return jfail(p, "JSON: value expected");
	unsigned c = p->s[p->i];
	if (c == '{' || c == '[') {
		unsigned close = c == '{' ? '}' : ']';
		p->i++;
		ws(p);
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				ws(p);
				if (p->i >= p->n || p->s[p->i] != '"')
					return jfail(p, "JSON: member name expected");
				if (jstring(p))
					return -1;
				ws(p);
				if (p->i >= p->n || p->s[p->i] != ':')
					return jfail(p, "JSON: ':' expected");
				p->i++;
			}
			if (jvalue(p, depth + 1))
				return -1;
			ws(p);
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->n && p->s[p->i] == close) {
				p->i++;
				return 0;
			}
			return jfail(p, c == '{' ? "JSON: ',' or '}' expected" : "JSON: ',' or ']' expected");
		}
	}
	if (c == '"')
		return jstring(p);
	if (c == '-' || (c >= '0' && c <= '9'))
		return jnumber(p);
	static const char *const lit[] = {"true", "false", "null"};
	for (int k = 0; k < 3; k++) {
		size_t l = strlen(lit[k]);
		if (p->n - p->i >= l && memcmp(p->s + p->i, lit[k], l) == 0) {
			p->i += l;
			return 0;
		}
	}
	return jfail(p, "JSON: value expected");
}

const char *nlf_json_error(const char *s, size_t n)
{
	jp p = {(const unsigned char *)s, n, 0, NULL};
	if (jvalue(&p, 0))
		return p.err;
	ws(&p);
	if (p.i != n)
		return fail("JSON: text after the value", p.i);
	return NULL;
}

/* ---- XML (the subset checkstyle writes) ----------------------------------- */

static int xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static int name_start(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}

static int name_char(unsigned c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_ws(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* An entity or character reference at s[*i] == '&'. */
static const char *reference(const unsigned char *s, size_t n, size_t *i)
{
	size_t a = *i + 1, e = a;
	while (e < n && s[e] != ';' && e - a < 12)
		e++;
	if (e >= n || s[e] != ';')
		return fail("XML: '&' not starting a reference", *i);
	size_t l = e - a;
	const char *r = (const char *)s + a;
	if ((l == 2 && (!memcmp(r, "lt", 2) || !memcmp(r, "gt", 2))) ||
	    (l == 3 && !memcmp(r, "amp", 3)) ||
	    (l == 4 && (!memcmp(r, "quot", 4) || !memcmp(r, "apos", 4)))) {
		*i = e + 1;
		return NULL;
	}
	if (l >= 2 && r[0] == '#') {
		uint32_t v = 0;
		int hex = r[1] == 'x';
		size_t k = hex ? 2 : 1;
		if (k >= l)
			return fail("XML: empty character reference", *i);
		for (; k < l; k++) {
			unsigned c = (unsigned char)r[k];
			unsigned d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return fail("XML: bad character reference", *i);
			v = v * (hex ? 16 : 10) + d;
			if (v > 0x10FFFF)
				return fail("XML: character reference out of range", *i);
		}
		if (!xml_char(v))
			return fail("XML: character reference to a non-XML character", *i);
		*i = e + 1;
		return NULL;
	}
	return fail("XML: unknown entity", *i);
}

/* Characters of text or an attribute value up to a byte in stop; checks
 * UTF-8, XML Char and references. */
static const char *chars(const unsigned char *s, size_t n, size_t *i, const char *stop)
{
	while (*i < n && !strchr(stop, s[*i])) {
		if (s[*i] == '&') {
			const char *e = reference(s, n, i);
			if (e)
				return e;
			continue;
		}
		if (s[*i] == '<')
			return fail("XML: unescaped '<'", *i);
		uint32_t cp;
		size_t k = utf8_cp(s, *i, n, &cp);
		if (!k)
			return fail("XML: invalid UTF-8", *i);
		if (!xml_char(cp))
			return fail("XML: character not allowed in XML 1.0", *i);
		*i += k;
	}
	return NULL;
}

const char *nlf_xml_error(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	size_t stack[64], slen[64];
	int depth = 0, root_done = 0;
	const char *e;
	if (n >= 5 && !memcmp(s, "<?xml", 5)) {
		const unsigned char *q = memmem(s, n, "?>", 2);
		if (!q)
			return fail("XML: unterminated declaration", 0);
		i = (size_t)(q - s) + 2;
	}
	for (;;) {
		/* text between tags: white space (checkstyle writes no text) */
		size_t t = i;
		if ((e = chars(s, n, &i, "<")))
			return e;
		for (size_t k = t; k < i; k++)
			if (!is_ws(s[k]))
				return fail(depth ? "XML: text inside an element" : "XML: text outside the root", k);
		if (i >= n)
			break;
		/* s[i] == '<' */
		if (root_done)
			return fail("XML: a second root element", i);
		i++;
		int closing = i < n && s[i] == '/';
		if (closing)
			i++;
		size_t na = i;
		if (i >= n || !name_start(s[i]))
			return fail("XML: element name expected", i);
		while (i < n && name_char(s[i]))
			i++;
		size_t nl = i - na;
		if (closing) {
			while (i < n && is_ws(s[i]))
				i++;
			if (i >= n || s[i] != '>')
				return fail("XML: '>' expected", i);
			i++;
			if (!depth)
				return fail("XML: closing tag without an open element", na);
			depth--;
			if (slen[depth] != nl || memcmp(s + stack[depth], s + na, nl))
				return fail("XML: closing tag does not match", na);
			if (!depth)
				root_done = 1;
			continue;
		}
		/* attributes */
		size_t an[32], al[32];
		int nattr = 0;
		for (;;) {
			size_t w = i;
			while (i < n && is_ws(s[i]))
				i++;
			if (i >= n)
				return fail("XML: unterminated tag", i);
			if (s[i] == '/' || s[i] == '>')
				break;
			if (i == w)
				return fail("XML: white space expected before an attribute", i);
			size_t a = i;
			if (!name_start(s[i]))
				return fail("XML: attribute name expected", i);
			while (i < n && name_char(s[i]))
				i++;
			for (int k = 0; k < nattr; k++)
				if (al[k] == i - a && !memcmp(s + an[k], s + a, i - a))
					return fail("XML: duplicate attribute", a);
			if (nattr == 32)
				return fail("XML: too many attributes", a);
			an[nattr] = a;
			al[nattr++] = i - a;
			while (i < n && is_ws(s[i]))
				i++;
			if (i >= n || s[i] != '=')
				return fail("XML: '=' expected", i);
			i++;
			while (i < n && is_ws(s[i]))
				i++;
			if (i >= n || (s[i] != '"' && s[i] != '\''))
				return fail("XML: quoted attribute value expected", i);
			char q[2] = {(char)s[i], 0};
			i++;
			if ((e = chars(s, n, &i, q)))
				return e;
			if (i >= n)
				return fail("XML: unterminated attribute value", i);
			i++;
		}
		if (s[i] == '/') {
			if (i + 1 >= n || s[i + 1] != '>')
				return fail("XML: '/>' expected", i);
			i += 2;
			if (!depth)
				root_done = 1;
			continue;
		}
		i++;   /* '>' */
		if (depth == 64)
			return fail("XML: nested too deeply", i);
		stack[depth] = na;
		slen[depth++] = nl;
	}
	if (depth)
		return fail("XML: unclosed element", n);
	if (!root_done)
		return fail("XML: no root element", n);
	return NULL;
}

char *nlf_padded(const char *s, size_t n)
{
	char *p = malloc(n + 2);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = p[n + 1] = '\0';
	return p;
}

/* ---- diagnostics ------------------------------------------------------------ */

#include "util.h"

static void diag_sink(void *ud, const char *line)
{
	(void)ud;
	NLF_CHECK(line != NULL, "NULL diagnostic");
	NLF_CHECK(line[0] != '\0', "empty diagnostic");
	if (getenv("NLF_VERBOSE"))   /* to see them when reproducing a crash */
		fprintf(stderr, "newslint: %s\n", line);
}

void nlf_quiet_diagnostics(void)
{
	nl_diag_set_hook(diag_sink, NULL);
}
