/* util.c -- strings, buffers, diagnostics, file reading. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

/* An allocation of the core failed: say so once per failure and count it as
 * an error (exit status 2), so that whatever was dropped -- a file name, a
 * finding, a line of the report -- is never lost silently.  The guard keeps
 * a failure inside the diagnostic's own buffer from recursing. */
void nl_oom(void)
{
	static _Thread_local int busy;
	if (busy)
		return;
	busy = 1;
	nl_diag_error("out of memory");
	busy = 0;
}

char *nl_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	} else {
		nl_oom();
	}
	return d;
}

char *nl_strdup(const char *s)
{
	return s ? nl_strndup(s, strlen(s)) : NULL;
}

static int buf_grow(nl_buf *b, size_t need)
{
	if (b->oom)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + need + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		nl_oom();
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Eight bytes at a time (any byte order): ONES * c is c in every byte. */
#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull
/* high bit of each byte of x that is below c (c <= 0x80), exact as "any" */
#define BELOW(x, c) (((x) - ONES * (c)) & ~(x) & HIGH)
#define ZERO(x) BELOW(x, 1)

size_t nl_utf8_count(const char *s, size_t n)
{
	size_t c = 0, i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t cont = x & ~(x << 1) & HIGH;   /* 10xxxxxx: bit 7 set, bit 6 clear */
		c += 8 - (size_t)(((cont >> 7) * ONES) >> 56);
	}
	for (; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

size_t nl_plain_span(const char *s, size_t n)
{
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (BELOW(x, 0x20) | ZERO(x ^ (ONES * 0x7F)) | ZERO(x ^ (ONES * 0xC2)))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || c == 0xC2)
			break;
	}
	return i;
}

int nl_buf_reserve(nl_buf *b, size_t n)
{
	if (b->oom || b->len + n + 1 <= b->cap)
		return 0;
	char *p = realloc(b->p, b->len + n + 1);
	if (!p)
		return -1;   /* only a hint: the appends will grow it as they go */
	b->p = p;
	b->cap = b->len + n + 1;
	return 0;
}

void nl_buf_add_grow(nl_buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void nl_buf_vprintf(nl_buf *b, const char *fmt, va_list ap)
{
	/* into the room there is; formatted again only when it did not fit */
	if (b->oom)
		return;
	va_list aq;
	va_copy(aq, ap);
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, aq);
	va_end(aq);
	if (n < 0) {
		if (room)
			b->p[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		if (buf_grow(b, (size_t)n)) {
			if (room)
				b->p[b->len] = '\0';
			return;
		}
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void nl_buf_fill(nl_buf *b, char c, size_t n)
{
	if (buf_grow(b, n))
		return;
	memset(b->p + b->len, c, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void nl_buf_uint(nl_buf *b, unsigned long long v)
{
	char t[24];
	size_t i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while (v /= 10);
	nl_buf_add(b, t + i, sizeof t - i);
}

void nl_buf_printf(nl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void nl_buf_free(nl_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

char *nl_buf_take(nl_buf *b)
{
	char *p = b->oom ? NULL : (b->p ? b->p : nl_strdup(""));
	if (b->oom)
		free(b->p);
	memset(b, 0, sizeof *b);
	return p;
}

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*diag_hook)(void *, const char *);
static void *diag_ud;
static unsigned diag_errors;

void nl_diag_set_hook(void (*hook)(void *ud, const char *line), void *ud)
{
	pthread_mutex_lock(&diag_lock);
	diag_hook = hook;
	diag_ud = ud;
	pthread_mutex_unlock(&diag_lock);
}

/* A diagnostic is one line on a terminal, whatever a file name or a draft
 * put into it: control characters become their Unicode pictures (U+2400 +
 * code), and a line over DIAG_MAX bytes is cut (at a character boundary). */
#define DIAG_MAX 1000
static void diag_clean(nl_buf *b)
{
	nl_buf o = {0};
	size_t n = b->len;
	if (!b->p)
		return;
	if (n > DIAG_MAX) {
		n = DIAG_MAX;
		while (n > 0 && ((unsigned char)b->p[n] & 0xC0) == 0x80)
			n--;
	}
	size_t run = 0, i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b->p[i];
		if (c >= 0x20 && c != 0x7F)
			continue;
		char pic[3] = {(char)0xE2, (char)0x90, (char)(c == 0x7F ? 0xA1 : 0x80 + c)};
		nl_buf_add(&o, b->p + run, i - run);
		nl_buf_add(&o, pic, 3);
		run = i + 1;
	}
	if (run == 0 && n == b->len)
		return;   /* nothing to change */
	nl_buf_add(&o, b->p + run, n - run);
	if (n < b->len)
		nl_buf_printf(&o, "… (%zu more bytes)", b->len - n);
	if (o.oom) {
		nl_buf_free(&o);
		return;
	}
	nl_buf_free(b);
	*b = o;
}

void nl_vdiag(const char *fmt, va_list ap)
{
	nl_buf b = {0};
	nl_buf_vprintf(&b, fmt, ap);
	diag_clean(&b);
	pthread_mutex_lock(&diag_lock);
	if (diag_hook)
		diag_hook(diag_ud, b.p ? b.p : "(out of memory)");
	else
		fprintf(stderr, "newslint: %s\n", b.p ? b.p : "(out of memory)");
	pthread_mutex_unlock(&diag_lock);
	nl_buf_free(&b);
}

void nl_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nl_vdiag(fmt, ap);
	va_end(ap);
}

void nl_diag_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nl_vdiag(fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&diag_lock);
	diag_errors++;
	pthread_mutex_unlock(&diag_lock);
}

unsigned nl_diag_errors(void)
{
	pthread_mutex_lock(&diag_lock);
	unsigned n = diag_errors;
	pthread_mutex_unlock(&diag_lock);
	return n;
}

unsigned nl_edit_distance(const char *a, const char *b, unsigned max)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return max + 1;
	unsigned row[65], prev, tmp;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		unsigned best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			unsigned c = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < c)
				c = row[j] + 1;
			if (row[j - 1] + 1 < c)
				c = row[j - 1] + 1;
			row[j] = c;
			prev = tmp;
			if (c < best)
				best = c;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

const char *nl_nearest(const char *word, const char *const *cands, size_t n)
{
	unsigned lim = (unsigned)strlen(word) / 3;
	if (lim < 2)
		lim = 2;
	const char *best = NULL;
	unsigned bd = lim + 1;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		unsigned d = nl_edit_distance(word, cands[i], lim);
		if (d < bd) {
			bd = d;
			best = cands[i];
		}
	}
	return best;
}

/* Standard input, output and error closed by the caller (newslint - <&-):
 * each is re-opened on /dev/null the "wrong way round" (input write-only,
 * output read-only), so that no file opened later lands on descriptor 0, 1
 * or 2 and every read or write on them still fails the way it would have. */
static int stdin_closed, stdout_closed;

static void check_stdout(void)
{
	int bad = ferror(stdout);
	errno = 0;
	if (fflush(stdout) != 0 || bad) {
		int e = errno;
		/* stdio forgets the error of an earlier failed write: an empty
		   write asks again (/dev/full, a closed descriptor) */
		if (!e && write(1, "", 0) < 0)
			e = errno;
		nl_diag_error("cannot write the report to standard output: %s",
		              stdout_closed ? "it is closed" : e ? strerror(e) : "write error");
		_exit(2);
	}
}

void nl_stdio_init(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (fd == 0)
			stdin_closed = 1;
		if (fd == 1)
			stdout_closed = 1;
		int n = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
		if (n >= 0 && n != fd) {
			dup2(n, fd);
			close(n);
		} else if (n == fd) {
			fcntl(fd, F_SETFD, 0);
		}
	}
	/* Not a terminal: the report leaves in blocks of 64 KB (the default
	   is the device's st_blksize, 4 KB for a pipe or /dev/null: 1,700
	   write()s for the 6.9 MB text report of the benchmark's archive). */
	static char outbuf[64u << 10];   /* (glibc ignores the size without a buffer) */
	if (!isatty(1))
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	atexit(check_stdout);
}

/* Paths that name a descriptor the user handed over (process substitution
 * <(...), /dev/stdin): read as a stream, whatever they are. */
static int stream_path(const char *path)
{
	return !strncmp(path, "/dev/fd/", 8) || !strncmp(path, "/proc/self/fd/", 14) ||
	       !strcmp(path, "/dev/stdin") || !strcmp(path, "/dev/null");
}

const char *nl_read_strerror(int e)
{
	switch (e) {
	case NL_READ_EFIFO:
		return "is a named pipe (FIFO), which newslint does not open: it could wait for "
		       "a writer forever; pipe it into standard input instead (newslint - < FIFO)";
	case NL_READ_EDEVICE:
		return "is a device or socket, not a regular file; newslint lints text files "
		       "(or standard input: newslint - < DEVICE)";
	case NL_READ_ESTDIN:
		return "standard input is closed; give a file name, or redirect a file into it "
		       "(newslint - < FILE)";
	case -EISDIR:
		return "is a folder";
	case -EFBIG:
		return "is too large: newslint reads files of up to 4 GB";
	case -EACCES:
		return "cannot be read: permission denied";
	default:
		return e < 0 ? strerror(-e) : "unknown error";
	}
}

int nl_open_read(const char *path)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	int err = 0;
	if (fstat(fd, &st) != 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (!S_ISREG(st.st_mode) && !stream_path(path))
		err = S_ISFIFO(st.st_mode) ? NL_READ_EFIFO : NL_READ_EDEVICE;
	if (err) {
		close(fd);
		return err;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

/* The folder of the file this thread opened last: when the next file is in
 * the same folder, the folder is kept open (O_PATH) and the files are
 * opened relative to it, so that the kernel looks up one name instead of
 * every folder of the path (a folder argument's files come in a row).  A
 * folder that cannot be opened so, or any path in /dev or /proc, is opened
 * by its whole path as before, so every error is the same.  The folder is
 * closed when the thread ends (the main thread's at exit). */
typedef struct dir_memo {
	int fd;                  /* -1: not open (yet) */
	int failed;              /* opening the folder failed: not again */
	size_t len;              /* 0: no folder recorded */
	char dir[PATH_MAX];
} dir_memo;
static _Thread_local dir_memo dmemo = {-1, 0, 0, {0}};
#ifdef O_PATH
#define DIR_OPEN_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif
static pthread_key_t dmemo_key;
static pthread_once_t dmemo_once = PTHREAD_ONCE_INIT;
static int dmemo_key_ok;

static void dmemo_close(void *p)
{
	dir_memo *m = p;
	if (m && m->fd >= 0) {
		close(m->fd);
		m->fd = -1;
	}
}

static void dmemo_init(void)
{
	dmemo_key_ok = pthread_key_create(&dmemo_key, dmemo_close) == 0;
}

static int open_in_folder(const char *path, int flags)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	if (!slash || slash == path || !slash[1] || dl >= sizeof dmemo.dir ||
	    !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6))
		return open(path, flags);
	if (dmemo.len != dl || memcmp(dmemo.dir, path, dl) != 0) {
		dmemo_close(&dmemo);             /* another folder: remember it */
		memcpy(dmemo.dir, path, dl);
		dmemo.dir[dl] = '\0';
		dmemo.len = dl;
		dmemo.failed = 0;
		return open(path, flags);
	}
	if (dmemo.fd < 0 && !dmemo.failed) {  /* its second file: keep it open */
		dmemo.fd = open(dmemo.dir, DIR_OPEN_FLAGS);
		dmemo.failed = dmemo.fd < 0;
		if (dmemo.fd >= 0) {
			pthread_once(&dmemo_once, dmemo_init);
			if (dmemo_key_ok)
				pthread_setspecific(dmemo_key, &dmemo);
		}
	}
	if (dmemo.fd >= 0) {
		int fd = openat(dmemo.fd, slash + 1, flags);
		if (fd >= 0)
			return fd;
		/* the whole path decides (and words the error): the folder may
		   have been removed and made again since it was opened */
		dmemo_close(&dmemo);
		dmemo.len = 0;
	}
	return open(path, flags);
}

int nl_read_file(const char *path, char **data, size_t *len)
{
	int is_stdin = strcmp(path, "-") == 0;
	if (is_stdin && stdin_closed)
		return NL_READ_ESTDIN;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = is_stdin ? 0 : open_in_folder(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 1 << 16, n = 0, max = (size_t)UINT32_MAX - 256;
	char *p = NULL;
	int err = 0;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		err = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		goto out;
	}
	if (!is_stdin && !S_ISREG(st.st_mode) && !stream_path(path)) {
		err = S_ISFIFO(st.st_mode) ? NL_READ_EFIFO : NL_READ_EDEVICE;
		goto out;
	}
	if (!is_stdin && !S_ISREG(st.st_mode)) {   /* O_NONBLOCK means nothing to a regular file */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	/* A regular file is read into a buffer of its size: no doubling, so a
	   50 MB article costs 50 MB, not up to 128 MB. */
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size >= (uint64_t)max) {
			err = -EFBIG;
			goto out;
		}
		cap = (size_t)st.st_size + 2;   /* + the NUL, + 1 to see the end without growing */
	}
	p = malloc(cap);
	if (!p) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (n + 1 >= cap) {   /* room for a final NUL */
			if (cap >= max) {
				err = -EFBIG;
				goto out;
			}
			size_t nc = cap * 2 < max ? cap * 2 : max;
			char *q = realloc(p, nc);
			if (!q) {
				err = -ENOMEM;
				goto out;
			}
			p = q;
			cap = nc;
		}
		size_t want = cap - 1 - n;
		ssize_t r = read(fd, p + n, want);
		if (r > 0) {
			n += (size_t)r;
			/* a regular file read whole, to the size fstat gave, in less
			   than was asked for: that is its end (no second read) */
			if (S_ISREG(st.st_mode) && (size_t)r < want && (uint64_t)n == (uint64_t)st.st_size)
				break;
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {   /* a non-blocking stdin */
			struct pollfd pf = {fd, POLLIN, 0};
			poll(&pf, 1, -1);
			continue;
		}
		err = -errno;
		break;
	}
	p[n] = '\0';
	/* Old Mac line ends: a CR not followed by LF ends a line.  It becomes an
	   LF here, byte for byte, so that every offset stays the same and the
	   document model, columns, suppressions and baselines all see lines. */
	for (char *c = memchr(p, '\r', n); c; c = memchr(c + 1, '\r', (size_t)(p + n - c - 1)))
		if (c + 1 == p + n || c[1] != '\n')
			*c = '\n';
out:
	if (!is_stdin)
		close(fd);
	if (err) {
		free(p);
		return err;
	}
	*data = p;
	*len = n;
	return 0;
}
