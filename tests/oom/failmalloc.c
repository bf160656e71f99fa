/* failmalloc.c -- an LD_PRELOAD shim that makes one allocation fail.
 *
 *   NEWSLINT_FAILMALLOC_N=N LD_PRELOAD=tests/oom/.libs/failmalloc.so newslint ...
 *
 * makes the Nth counted call of malloc, calloc, realloc, strdup, strndup,
 * posix_memalign or aligned_alloc return NULL (errno ENOMEM); every other
 * call succeeds.  N = 0 (or unset) fails nothing and only counts.
 *
 * Which calls are counted: only those made directly from newslint's own code,
 * i.e. whose return address lies in the main program or in a shared object
 * whose file name contains one of the colon-separated strings of
 * NEWSLINT_FAILMALLOC_OBJECTS (tests/oom/run gives the build folder's
 * plugins/.libs/).  Allocations made inside third-party libraries -- glibc's
 * own (fopen, getline, realpath, dlopen), libstdc++'s operator new under
 * Hunspell, PCRE2, md4c, inih -- are never failed: Hunspell is C++ and ends in
 * std::terminate on std::bad_alloc, and glibc's internal allocations are not
 * newslint's to check.  NEWSLINT_FAILMALLOC_ANY=1 counts every caller instead.
 *
 * Options (read once, when the shim is loaded):
 *   NEWSLINT_FAILMALLOC_N=N         the counted call that fails (1-based)
 *   NEWSLINT_FAILMALLOC_STICKY=1    fail the Nth and every later counted call
 *   NEWSLINT_FAILMALLOC_OBJECTS=... extra objects whose calls are counted
 *   NEWSLINT_FAILMALLOC_ANY=1       count calls from every object
 *   NEWSLINT_FAILMALLOC_REPORT=FILE at exit, write "<counted> <failed>\n" to FILE
 *                                   (how tests/oom/run learns how many there are)
 *   NEWSLINT_FAILMALLOC_TRACE=FILE  append "<n> <object>+0x<offset> <symbol>" to FILE
 *                                   for every failed call (addr2line -e <object>
 *                                   <offset> names the line); with =all, for
 *                                   every counted call
 *
 * Threads: the counter is atomic, but with several threads (the spelling
 * plugin's loading thread, --jobs) the order of calls, and so which call is
 * the Nth, can differ from run to run.
 *
 * The real allocator is reached through glibc's __libc_malloc & co. (no dlsym:
 * dlsym itself allocates).  free() is not replaced: the memory comes from the
 * same allocator. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

#define EXPORT __attribute__((visibility("default")))

static unsigned long fail_at;          /* 0: never */
static int sticky, any_caller, ready;
static unsigned long counted, failed;
static char objects[4096];             /* colon-separated substrings */
static char report_path[4096];
static char trace_path[4096];
static int trace_all;
static void *main_base;                /* load address of the main program */

static int main_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(void **)data = (void *)info->dlpi_addr;
	return 1;                      /* the first object is the program */
}

__attribute__((constructor)) static void failmalloc_init(void)
{
	const char *e = getenv("NEWSLINT_FAILMALLOC_N");
	fail_at = e ? strtoul(e, NULL, 10) : 0;
	e = getenv("NEWSLINT_FAILMALLOC_STICKY");
	sticky = e && *e == '1';
	e = getenv("NEWSLINT_FAILMALLOC_ANY");
	any_caller = e && *e == '1';
	e = getenv("NEWSLINT_FAILMALLOC_OBJECTS");
	if (e)
		snprintf(objects, sizeof objects, "%s", e);
	e = getenv("NEWSLINT_FAILMALLOC_REPORT");
	if (e)
		snprintf(report_path, sizeof report_path, "%s", e);
	e = getenv("NEWSLINT_FAILMALLOC_TRACE");
	if (e && !strcmp(e, "all")) {
		trace_all = 1;
		e = "/dev/stderr";
	}
	if (e) {
		void *warm[2];
		snprintf(trace_path, sizeof trace_path, "%s", e);
		backtrace(warm, 2);     /* loads libgcc_s now, not inside malloc */
	}
	dl_iterate_phdr(main_object, &main_base);
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

__attribute__((destructor)) static void failmalloc_report(void)
{
	if (!report_path[0])
		return;
	FILE *f = fopen(report_path, "w");
	if (f) {
		fprintf(f, "%lu %lu\n", __atomic_load_n(&counted, __ATOMIC_RELAXED),
		        __atomic_load_n(&failed, __ATOMIC_RELAXED));
		fclose(f);
	}
}

/* Is the code at address pc newslint's own? */
static int ours(const void *pc)
{
	if (any_caller)
		return 1;
	Dl_info info;
	if (!dladdr(pc, &info))
		return 0;
	if (info.dli_fbase == main_base)
		return 1;
	if (!objects[0] || !info.dli_fname)
		return 0;
	const char *p = objects;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n) {
			char want[1024];
			if (n >= sizeof want)
				n = sizeof want - 1;
			memcpy(want, p, n);
			want[n] = '\0';
			if (strstr(info.dli_fname, want))
				return 1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* Append one line about call n from pc to the trace file, and for a failed
   call the stack below it (no allocation: a stack buffer, open and write;
   backtrace() was warmed up in the constructor). */
__attribute__((noinline)) static void trace(unsigned long n, const void *pc, int fails)
{
	char line[4096];
	size_t len = 0;
	void *stack[12];
	int depth = 1;
	Dl_info self;
	if (!dladdr((void *)trace, &self))
		self.dli_fbase = NULL;
	stack[0] = (void *)pc;
	if (fails)
		depth = backtrace(stack, 12);
	len += (size_t)snprintf(line, sizeof line, "%lu%s", n, fails ? " FAILED" : "");
	for (int i = 0; i < depth && len < sizeof line - 300; i++) {
		Dl_info info;
		if (!dladdr(stack[i], &info) || !info.dli_fname)
			continue;
		if (info.dli_fbase == self.dli_fbase)   /* the shim's own frames */
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, " %s+0x%lx(%s)",
		                        info.dli_fname,
		                        (unsigned long)((char *)stack[i] - (char *)info.dli_fbase),
		                        info.dli_sname ? info.dli_sname : "?");
	}
	line[len++] = '\n';
	int fd = open(trace_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		if (write(fd, line, len) < 0) { /* nothing to do */ }
		close(fd);
	}
}

/* Should the call made from pc fail? */
__attribute__((noinline)) static int should_fail(const void *pc)
{
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE) || !ours(pc))
		return 0;
	unsigned long n = __atomic_add_fetch(&counted, 1, __ATOMIC_RELAXED);
	int fails = fail_at && (n == fail_at || (sticky && n > fail_at));
	if (trace_path[0] && (fails || trace_all))
		trace(n, pc, fails);
	if (fails) {
		__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

#define CALLER __builtin_extract_return_addr(__builtin_return_address(0))

EXPORT void *malloc(size_t n)
{
	if (should_fail(CALLER))
		return NULL;
	return __libc_malloc(n);
}

EXPORT void *calloc(size_t n, size_t size)
{
	if (should_fail(CALLER))
		return NULL;
	return __libc_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t n)
{
	if (n && should_fail(CALLER))
		return NULL;
	return __libc_realloc(p, n);
}

static char *dup_n(const char *s, size_t n)
{
	char *d = __libc_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

EXPORT char *strdup(const char *s)
{
	if (should_fail(CALLER))
		return NULL;
	return dup_n(s, strlen(s));
}

EXPORT char *__strdup(const char *s)
{
	if (should_fail(CALLER))
		return NULL;
	return dup_n(s, strlen(s));
}

EXPORT char *strndup(const char *s, size_t max)
{
	if (should_fail(CALLER))
		return NULL;
	return dup_n(s, strnlen(s, max));
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	if (should_fail(CALLER))
		return ENOMEM;
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = __libc_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	if (should_fail(CALLER))
		return NULL;
	return __libc_memalign(align, n);
}
