/* nojit.c -- preloaded into the programs tests/valgrind/run runs under
 * valgrind: PCRE2's JIT compiler always declines, so the rule packs and the
 * attribution plugin match with PCRE2's interpreter (their documented
 * fallback when the JIT is unavailable).
 *
 * Why: the machine code PCRE2's JIT writes reads the subject 16 bytes at a
 * time and may read past its end (within the page: harmless), and memcheck
 * reports each such read, with a stack of anonymous JIT frames ("???") that
 * no suppression can name without hiding everything else.  The JIT paths run
 * under AddressSanitizer in the rest of the suite (ASan does not instrument
 * JIT code either); PCRE2 itself is not newslint's to check. */
#include <stdint.h>

#define PCRE2_ERROR_JIT_BADOPTION (-45)

__attribute__((visibility("default"))) int pcre2_jit_compile_8(void *code, uint32_t options)
{
	(void)code;
	(void)options;
	return PCRE2_ERROR_JIT_BADOPTION;
}
