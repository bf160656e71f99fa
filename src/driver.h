/* driver.h -- what a run is: options from the command line, configuration
 * profiles (one per configuration file), plugins, files, reports. */
#ifndef NL_DRIVER_H
#define NL_DRIVER_H
#include <stddef.h>

typedef struct nl_strv {
	char **v;
	size_t n;
} nl_strv;

int nl_strv_add(nl_strv *s, const char *str);
void nl_strv_free(nl_strv *s);

typedef struct nl_opts {
	const char *config;        /* --config FILE */
	const char *format;        /* --format */
	int min_sev;               /* -1: from config (default info) */
	int fail_on;               /* -1: from config (default warning); 3 = never */
	nl_strv enable, disable;   /* --enable / --disable PLUGIN|RULE */
	nl_strv plugin_path;       /* --plugin-path */
	int allow_project_plugins; /* --allow-project-plugins: trust discovered configurations */
	int color;                 /* -1 auto, 0 never, 1 always */
	int input_format;          /* 0 auto, NL_FORMAT_TEXT, NL_FORMAT_MARKDOWN */
	int quiet;
	const char *stdin_filename;
	int jobs;
	nl_strv files;             /* files and folders (walked) */
	const char *files_from;    /* --files-from FILE ("-": standard input) */
	const char *baseline;      /* --baseline FILE */
	const char *write_baseline; /* --write-baseline FILE */
	int list_plugins, list_rules, print_config;
	const char *explain;
} nl_opts;

#define NL_FAIL_NEVER 3

/* Run newslint; returns the exit status (0, 1 or 2). */
int nl_run(const nl_opts *o);
#endif
