/* util.c -- strings, buffers, diagnostics, file reading. */
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>

char *nl_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
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
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void nl_buf_add(nl_buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void nl_buf_puts(nl_buf *b, const char *s) { nl_buf_add(b, s, strlen(s)); }
void nl_buf_putc(nl_buf *b, char c) { nl_buf_add(b, &c, 1); }

void nl_buf_vprintf(nl_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
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

void nl_vdiag(const char *fmt, va_list ap)
{
	nl_buf b = {0};
	nl_buf_vprintf(&b, fmt, ap);
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

int nl_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return -errno;
	size_t cap = 1 << 16, n = 0;
	struct stat st;
	/* A regular file is read into a buffer of its size: no doubling, so a
	   50 MB article costs 50 MB, not up to 128 MB. */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < ((uint64_t)1 << 32))
		cap = (size_t)st.st_size + 1;
	char *p = malloc(cap);
	int err = 0;
	if (!p) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= ((size_t)1 << 32)) {
				err = -EFBIG;
				goto out;
			}
			char *q = realloc(p, cap * 2);
			if (!q) {
				err = -ENOMEM;
				goto out;
			}
			p = q;
			cap *= 2;
		}
		size_t r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f))
				err = -(errno ? errno : EIO);
			break;
		}
	}
out:
	if (f != stdin)
		fclose(f);
	if (err) {
		free(p);
		return err;
	}
	*data = p;
	*len = n;
	return 0;
}
