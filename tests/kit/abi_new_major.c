/* abi_new_major.c -- a plugin built against a NEWER major ABI: structs have
 * changed shape, so it must be refused with a clear message before any of
 * its code runs. */
#include <newslint/plugin.h>
enum { HOST_MAJOR = NL_ABI_MAJOR };
#undef NL_ABI_MAJOR
#define NL_ABI_MAJOR (HOST_MAJOR + 1)
#undef NL_ABI_MINOR
#define NL_ABI_MINOR 0   /* a new major starts at minor 0 */
#define FIXTURE abi_new_major
#define FIXTURE_MUST_NOT_RUN 1
#include "abi_fixture.h"
