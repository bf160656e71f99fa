/* walk.h -- folder arguments and file lists.
 *
 * A folder is walked recursively for the files matching the include globs
 * (default *.txt *.md *.markdown) and none of the exclude globs; folders
 * and files whose name starts with '.' are skipped; symbolic links are
 * followed, each folder is visited once (device and inode), so loops end.
 * Files come out sorted (byte order of their names, folder by folder), so
 * runs are deterministic.
 *
 * A glob without '/' is matched against the name alone (and an exclude glob
 * also against folder names, pruning them); a glob with '/' is matched
 * against the path relative to the folder walked (fnmatch with FNM_PATHNAME,
 * so "drafts/x*" does not reach into drafts/a/). */
#ifndef NL_WALK_H
#define NL_WALK_H
#include <stddef.h>

typedef struct nl_walk_opts {
	const char *const *include;  /* NULL or n_include == 0: the defaults */
	size_t n_include;
	const char *const *exclude;
	size_t n_exclude;
} nl_walk_opts;

extern const char *const nl_walk_default_include[];   /* NULL-terminated */

/* Is path a folder (following symbolic links)? */
int nl_is_dir(const char *path);

/* Walk folder root, calling fn(ud, path) for each file (path is root joined
 * with the relative path; root "." gives bare relative paths).  fn returns
 * 0 to go on, non-zero to stop (returned).  Unreadable folders are reported
 * (nl_diag_error) and skipped; returns 0, fn's value, or -1 when root
 * itself cannot be read. */
int nl_walk(const char *root, const nl_walk_opts *wo, int (*fn)(void *ud, const char *path),
            void *ud);

/* Does the name or relative path match the options' include globs and no
 * exclude glob? */
int nl_walk_match(const nl_walk_opts *wo, const char *rel);

/* Read a list of files, one per line (file "-": standard input).  Blank
 * lines are skipped, a trailing CR is dropped; lines are taken verbatim
 * otherwise (no comments: file names may start with '#').  Returns 0, fn's
 * value, or -1 after an error naming the file. */
int nl_read_file_list(const char *file, int (*fn)(void *ud, const char *path), void *ud);
#endif
