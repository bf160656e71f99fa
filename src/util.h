/* util.h -- small helpers shared by the core: strings, growable buffers,
 * diagnostics on standard error. */
#ifndef NL_UTIL_H
#define NL_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

char *nl_strdup(const char *s);
char *nl_strndup(const char *s, size_t n);

/* Growable byte buffer; always NUL-terminated when non-empty. */
typedef struct nl_buf { char *p; size_t len, cap; int oom; } nl_buf;
/* Room for n more bytes (and the NUL) at once, a hint: 0, or -1 when the
 * memory is not there (the buffer is left as it was, not marked). */
int nl_buf_reserve(nl_buf *b, size_t n);
/* nl_buf_add() when the bytes and the NUL do not fit (or memory ran out) */
void nl_buf_add_grow(nl_buf *b, const char *s, size_t n);
/* Append n bytes.  Inline: a report is made of many short pieces (the
 * text report calls this ~10 times a finding). */
static inline void nl_buf_add(nl_buf *b, const char *s, size_t n)
{
	if (b->len + n < b->cap && !b->oom) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		nl_buf_add_grow(b, s, n);
	}
}
static inline void nl_buf_puts(nl_buf *b, const char *s) { nl_buf_add(b, s, strlen(s)); }
static inline void nl_buf_putc(nl_buf *b, char c) { nl_buf_add(b, &c, 1); }
void nl_buf_printf(nl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nl_buf_vprintf(nl_buf *b, const char *fmt, va_list ap);
void nl_buf_fill(nl_buf *b, char c, size_t n);          /* n copies of c */
void nl_buf_uint(nl_buf *b, unsigned long long v);      /* v in decimal */
void nl_buf_free(nl_buf *b);
/* Take the buffer's memory (never NULL unless out of memory). */
char *nl_buf_take(nl_buf *b);

/* Diagnostics: "newslint: <message>" on standard error, one line at a time
 * (thread-safe).  A hook lets the test harness capture them. */
void nl_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nl_vdiag(const char *fmt, va_list ap);
void nl_diag_set_hook(void (*hook)(void *ud, const char *line), void *ud);
/* Number of diagnostics that were errors (counted by nl_diag_error). */
void nl_diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned nl_diag_errors(void);
/* An allocation failed: the error "out of memory" (counted as above).
 * nl_strdup/nl_strndup and nl_buf call it themselves. */
void nl_oom(void);

/* Code points in s[0..n) of UTF-8: the bytes that are not continuation
 * bytes (10xxxxxx), counted eight at a time. */
size_t nl_utf8_count(const char *s, size_t n);
/* Length of the longest prefix of s[0..n) that a terminal shows as it is:
 * no byte below 0x20, no DEL (0x7F) and no 0xC2 (the lead byte of a C1
 * control), tested eight bytes at a time. */
size_t nl_plain_span(const char *s, size_t n);

/* Edit distance (Levenshtein, bytes) capped at max+1: for "did you mean". */
unsigned nl_edit_distance(const char *a, const char *b, unsigned max);
/* The candidate nearest to word (distance <= max(2, len/3)), or NULL. */
const char *nl_nearest(const char *word, const char *const *cands, size_t n);

/* Read a whole file (or stdin for "-") into memory, NUL-terminated (the NUL
 * is not counted in *len).  A CR not followed by LF (old Mac line ends) is
 * turned into LF, byte for byte: offsets are those of the file.  A named
 * pipe, device or socket is refused (NL_READ_EFIFO, NL_READ_EDEVICE) unless
 * it is standard input or a descriptor path (/dev/fd/N, /dev/stdin: process
 * substitution).  Returns 0, -errno or an NL_READ_E* code; nl_read_strerror()
 * says what it means (a phrase that follows the file name). */
#define NL_READ_EFIFO   (-100001)
#define NL_READ_EDEVICE (-100002)
#define NL_READ_ESTDIN  (-100003)   /* standard input was closed (newslint - <&-) */
int nl_read_file(const char *path, char **data, size_t *len);
/* Open path for reading as nl_read_file does (without waiting on a FIFO,
 * refusing folders, FIFOs and devices the same way): a blocking descriptor,
 * or -errno / an NL_READ_E* code. */
int nl_open_read(const char *path);
const char *nl_read_strerror(int e);

/* Call first in main(): re-opens a closed standard input, output or error
 * on /dev/null so that no file lands on them (reads and writes still fail),
 * and checks at exit that standard output was written (>/dev/full, a closed
 * stdout): if not, says so on standard error and exits with status 2. */
void nl_stdio_init(void);

#endif
