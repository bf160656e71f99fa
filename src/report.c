/* report.c -- the table of output formats and helpers they share. */
#include "report.h"
#include "doc.h"
#include <string.h>

static const nl_formatter *const formats[] = {
	&nl_format_text,
	&nl_format_json,
	&nl_format_sarif,
	&nl_format_github,
	&nl_format_checkstyle,
};

const nl_formatter *nl_formatter_find(const char *name)
{
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

const char *nl_formatter_names(void)
{
	static char buf[256];
	if (!buf[0])
		for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
			if (i)
				strcat(buf, "|");
			strcat(buf, formats[i]->name);
		}
	return buf;
}

const char *nl_severity_name(int sev)
{
	switch (sev) {
	case NL_SEV_INFO: return "info";
	case NL_SEV_WARNING: return "warning";
	case NL_SEV_ERROR: return "error";
	default: return "off";
	}
}

void nl_json_str(nl_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	nl_buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			/* JSON is UTF-8: a byte that is not (a file name in
			   Latin-1) becomes U+FFFD */
			uint32_t cp;
			size_t k = nl_utf8_next(s + i, n - i, &cp);
			if (k > 1 || cp != 0xFFFD) {
				i += k - 1;
				continue;
			}
			nl_buf_add(b, s + run, i - run);
			nl_buf_puts(b, "\xEF\xBF\xBD");
			run = i + 1;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		nl_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': nl_buf_puts(b, "\\\""); break;
		case '\\': nl_buf_puts(b, "\\\\"); break;
		case '\n': nl_buf_puts(b, "\\n"); break;
		case '\r': nl_buf_puts(b, "\\r"); break;
		case '\t': nl_buf_puts(b, "\\t"); break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			nl_buf_puts(b, u);
		}
		}
	}
	nl_buf_add(b, s + run, n - run);
	nl_buf_putc(b, '"');
}
