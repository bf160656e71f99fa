/* report_check.c -- render findings in every output format the way the
 * driver does (begin, one part per file with the first part's leading ','
 * dropped, end) and check what comes out: json and sarif parse as strict
 * JSON, checkstyle is well-formed XML, github writes one "::" command per
 * line, and text and github stay UTF-8 when their input was. */
#include "fuzz.h"
#include "report.h"
#include <string.h>

static const nl_formatter *const all[] = {
	&nl_format_text, &nl_format_json, &nl_format_sarif, &nl_format_github, &nl_format_checkstyle,
};

static char *render(const nl_formatter *f, const nl_report_ctx *ctx, const nl_file_result *files,
                    size_t n, size_t *len)
{
	nl_buf out = {0};
	int first = 1;
	f->begin(ctx, &out);
	for (size_t i = 0; i < n; i++) {
		if (files[i].error)
			continue;
		nl_buf part = {0};
		f->file(ctx, &files[i], 0, &part);
		const char *s = part.p ? part.p : "";
		size_t k = part.len;
		if (first && k && s[0] == ',')
			s++, k--;
		nl_buf_add(&out, s, k);
		if (k)
			first = 0;
		nl_buf_free(&part);
	}
	f->end(ctx, &out);
	NLF_CHECK(!out.oom, "%s: out of memory", f->name);
	*len = out.len;
	return nl_buf_take(&out);
}

void nlf_check_reports(const nl_report_ctx *ctx, const nl_file_result *files, size_t n, int utf8_in)
{
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		const nl_formatter *f = all[i];
		size_t len;
		char *s = render(f, ctx, files, n, &len);
		if (!s)
			continue;
		NLF_CHECK(strlen(s) == len, "%s output holds a NUL byte", f->name);
		const char *e = NULL;
		if (f == &nl_format_json || f == &nl_format_sarif)
			e = nlf_json_error(s, len);
		else if (f == &nl_format_checkstyle)
			e = nlf_xml_error(s, len);
		if (e) {
			fprintf(stderr, "---- %s output ----\n%.*s\n----\n", f->name, (int)(len < 4000 ? len : 4000), s);
			NLF_CHECK(!e, "%s output is not well-formed: %s", f->name, e);
		}
		if (f == &nl_format_github)
			for (size_t k = 0; k < len; k = (size_t)((char *)memchr(s + k, '\n', len - k) - s) + 1) {
				NLF_CHECK(len - k >= 2 && s[k] == ':' && s[k + 1] == ':',
				          "github: a line (byte %zu) that is not a workflow command", k);
				NLF_CHECK(memchr(s + k, '\n', len - k), "github: last line not ended");
			}
		if (utf8_in && (f == &nl_format_text || f == &nl_format_github))
			NLF_CHECK(nlf_utf8_valid_prefix(s, len) == len, "%s output: invalid UTF-8 at byte %zu",
			          f->name, nlf_utf8_valid_prefix(s, len));
		free(s);
	}
}
