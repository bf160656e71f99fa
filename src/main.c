/* main.c -- the command line.  The only file that exits. */
#include "driver.h"
#include "config.h"
#include "report.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static const char usage[] =
"Usage: newslint [OPTION]... [FILE|FOLDER]...\n"
"Lint news articles (plain text or Markdown) for editorial problems: keyword\n"
"stuffing, repetition, spelling and attribution.  With no FILE, or when FILE\n"
"is -, read standard input.  A FOLDER is searched for *.txt, *.md and\n"
"*.markdown files ([newslint] include/exclude), hidden folders skipped.\n"
"\n"
"  -c, --config FILE          use this INI file (default: the nearest .newslint.ini\n"
"                             from the file's folder up, else\n"
"                             $XDG_CONFIG_HOME/newslint/config.ini)\n"
"  -f, --format FORMAT        report format: %s\n"
"                             (default text)\n"
"      --min-severity LEVEL   report only info|warning|error and above (default info)\n"
"      --fail-on LEVEL        exit 1 on findings at info|warning|error or above,\n"
"                             or never (default warning)\n"
"      --enable NAME          enable a plugin or a rule (repeatable)\n"
"      --disable NAME         disable a plugin or a rule (repeatable)\n"
"      --plugin-path DIR      look for plugins in DIR first (repeatable)\n"
"      --allow-project-plugins\n"
"                             trust a .newslint.ini found by discovery: let it\n"
"                             load plugins by path or from its plugin_path and\n"
"                             name files outside its folder (see TRUST in\n"
"                             newslint(1))\n"
"      --input-format FORMAT  auto|text|markdown (default auto: by file extension)\n"
"      --stdin-filename NAME  name standard input in reports and config discovery\n"
"      --files-from FILE      lint the files (or folders) listed in FILE, one per\n"
"                             line; - reads the list from standard input\n"
"      --baseline FILE        report only findings not recorded in FILE\n"
"      --write-baseline FILE  record the findings in FILE (exit 0 once written)\n"
"  -j, --jobs N               lint files on N threads (output is the same)\n"
"      --color WHEN           auto|always|never (default auto; NO_COLOR is honoured)\n"
"  -q, --quiet                no summary line\n"
"      --list-plugins         list the plugins found and the ones enabled\n"
"      --list-rules           list the rules of the enabled plugins\n"
"      --explain RULE         explain a rule and its settings\n"
"      --print-config [FILE]  show the effective configuration (for FILE) and\n"
"                             where it came from\n"
"      --version              print the version and the plugin ABI\n"
"      --help                 print this help\n"
"\n"
"Exit status: 0 no finding at or above the fail level, 1 findings at or above\n"
"it, 2 usage, configuration, plugin or input errors.\n"
"Environment: NEWSLINT_PLUGIN_PATH (folders, colon-separated), NEWSLINT_CACHE_DIR\n"
"(the spelling word-set cache; default ~/.cache/newslint), NO_COLOR.\n"
"See newslint(1) and newslint.ini(5).\n";

enum {
	OPT_MIN_SEV = 256, OPT_FAIL_ON, OPT_ENABLE, OPT_DISABLE, OPT_PLUGIN_PATH,
	OPT_LIST_PLUGINS, OPT_LIST_RULES, OPT_EXPLAIN, OPT_COLOR, OPT_INPUT_FORMAT,
	OPT_STDIN_FILENAME, OPT_VERSION, OPT_HELP, OPT_PRINT_CONFIG,
	OPT_FILES_FROM, OPT_BASELINE, OPT_WRITE_BASELINE,   /* issue 8 */
	OPT_ALLOW_PROJECT_PLUGINS,                          /* issue 10 */
};

static const struct option longopts[] = {
	{"config", required_argument, NULL, 'c'},
	{"format", required_argument, NULL, 'f'},
	{"min-severity", required_argument, NULL, OPT_MIN_SEV},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"enable", required_argument, NULL, OPT_ENABLE},
	{"disable", required_argument, NULL, OPT_DISABLE},
	{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
	{"allow-project-plugins", no_argument, NULL, OPT_ALLOW_PROJECT_PLUGINS},
	{"list-plugins", no_argument, NULL, OPT_LIST_PLUGINS},
	{"list-rules", no_argument, NULL, OPT_LIST_RULES},
	{"explain", required_argument, NULL, OPT_EXPLAIN},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"colour", optional_argument, NULL, OPT_COLOR},
	{"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
	{"stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME},
	{"files-from", required_argument, NULL, OPT_FILES_FROM},
	{"baseline", required_argument, NULL, OPT_BASELINE},
	{"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
	{"jobs", required_argument, NULL, 'j'},
	{"quiet", no_argument, NULL, 'q'},
	{"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
	{"version", no_argument, NULL, OPT_VERSION},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "newslint: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'newslint --help' for more information.\n");
	return 2;
}

int main(int argc, char **argv)
{
	nl_opts o = {.min_sev = -1, .fail_on = -1, .color = -1, .jobs = 1};
	int c, status;
	nl_stdio_init();   /* closed stdin/stdout; a failed write to stdout is status 2 */
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	/* A block of 1 MB or more (a long article's text, tokens, report) is
	 * mapped, and given back when freed.  glibc's default raises that
	 * bound to the size of each mapped block freed (up to 32 MB) and keeps
	 * the later blocks under it in the heap, where freed memory stays
	 * resident: the 50 MB benchmark file's peak moved by 7 MB with the
	 * order of its frees (docs/performance.md, session 9). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	while ((c = getopt_long(argc, argv, "c:f:j:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'f':
			if (!nl_formatter_find(optarg))
				{ fprintf(stderr, "newslint: unknown format '%s' (expected %s)\nTry 'newslint --help' for more information.\n", optarg, nl_formatter_names()); return 2; }
			o.format = optarg;
			break;
		case OPT_MIN_SEV:
			if ((o.min_sev = nl_parse_severity(optarg, 0)) < 0)
				return bad("--min-severity: expected info, warning or error, got '%s'", optarg);
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "never") == 0)
				o.fail_on = NL_FAIL_NEVER;
			else if ((o.fail_on = nl_parse_severity(optarg, 0)) < 0)
				return bad("--fail-on: expected info, warning, error or never, got '%s'", optarg);
			break;
		case OPT_ENABLE: nl_strv_add(&o.enable, optarg); break;
		case OPT_DISABLE: nl_strv_add(&o.disable, optarg); break;
		case OPT_PLUGIN_PATH: nl_strv_add(&o.plugin_path, optarg); break;
		case OPT_ALLOW_PROJECT_PLUGINS: o.allow_project_plugins = 1; break;
		case OPT_LIST_PLUGINS: o.list_plugins = 1; break;
		case OPT_LIST_RULES: o.list_rules = 1; break;
		case OPT_EXPLAIN: o.explain = optarg; break;
		case OPT_PRINT_CONFIG: o.print_config = 1; break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always"))
				o.color = 1;
			else if (!strcmp(optarg, "never"))
				o.color = 0;
			else if (!strcmp(optarg, "auto"))
				o.color = -1;
			else
				return bad("--color: expected auto, always or never, got '%s'", optarg);
			break;
		case OPT_INPUT_FORMAT:
			if (!strcmp(optarg, "auto"))
				o.input_format = 0;
			else if (!strcmp(optarg, "text"))
				o.input_format = NL_FORMAT_TEXT;
			else if (!strcmp(optarg, "markdown") || !strcmp(optarg, "md"))
				o.input_format = NL_FORMAT_MARKDOWN;
			else
				return bad("--input-format: expected auto, text or markdown, got '%s'", optarg);
			break;
		case OPT_STDIN_FILENAME: o.stdin_filename = optarg; break;
		case OPT_FILES_FROM: o.files_from = optarg; break;
		case OPT_BASELINE: o.baseline = optarg; break;
		case OPT_WRITE_BASELINE: o.write_baseline = optarg; break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return bad("--jobs: expected a number from 1 to 256, got '%s'", optarg);
			o.jobs = (int)n;
			break;
		}
		case 'q': o.quiet = 1; break;
		case OPT_VERSION:
			printf("newslint %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, NL_ABI_MAJOR, NL_ABI_MINOR);
			return 0;
		case OPT_HELP:
			printf(usage, nl_formatter_names());
			return 0;
		default:
			fprintf(stderr, "Try 'newslint --help' for more information.\n");
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		nl_strv_add(&o.files, argv[i]);
	status = nl_run(&o);
	nl_strv_free(&o.enable);
	nl_strv_free(&o.disable);
	nl_strv_free(&o.plugin_path);
	nl_strv_free(&o.files);
	return status;
}
