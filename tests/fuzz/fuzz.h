/* fuzz.h -- shared by the fuzz harnesses (tests/fuzz/fuzz_*.c), the strict
 * output checkers (check_out.c) and the replay driver (replay.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  Built with clang -fsanitize=fuzzer it is a
 * libFuzzer target (tests/fuzz/run); linked with replay.c it replays files
 * (tests/fuzz/regress/<harness>/ and tests/fuzz/seeds/<harness>/) in plain
 * `make check`, with any compiler. */
#ifndef NL_FUZZ_H
#define NL_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant that must hold: print what broke and abort (libFuzzer and the
 * replay driver both report an abort as a crash, with the input). */
#define NLF_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* Strict checkers of the reports (check_out.c).  Each returns NULL when s is
 * well-formed, else a static message with the byte offset of the problem. */
/* RFC 8259 JSON: one value, UTF-8 (no overlongs, surrogates, > U+10FFFF),
 * no control characters in strings, valid escapes (\u surrogates paired). */
const char *nlf_json_error(const char *s, size_t n);
/* The XML checkstyle writes: a declaration, then elements with attributes
 * only (no text but white space), tags balanced, attribute values quoted
 * with every & < and the quote escaped, entities known or numeric and XML
 * characters, UTF-8 valid and every character an XML 1.0 Char. */
const char *nlf_xml_error(const char *s, size_t n);
/* Valid UTF-8 (as above): returns the offset of the first bad byte, or n. */
size_t nlf_utf8_valid_prefix(const char *s, size_t n);

/* Render every output format over files[0..n) as the driver does and
 * check the outputs (report_check.c; needs the report sources).  utf8_in:
 * every path, message and text given was UTF-8, so text and github output
 * must be too. */
struct nl_report_ctx;
struct nl_file_result;
void nlf_check_reports(const struct nl_report_ctx *ctx, const struct nl_file_result *files,
                       size_t n, int utf8_in);

/* A copy of s[0..n) followed by two NUL bytes, as nl_read_file gives the
 * driver: md4c 0.4.8 reads up to two bytes past the end of a Markdown text
 * (an unclosed HTML comment whose last line has no newline), so Markdown is
 * built from such a copy; plain text from an exact-size one.  Never NULL. */
char *nlf_padded(const char *s, size_t n);

/* Silence the core's diagnostics (config errors, plugin warnings) while
 * fuzzing; they are checked to be non-empty; NLF_VERBOSE=1 shows them). */
void nlf_quiet_diagnostics(void);

#endif
