/* abi_old_minor.c -- a plugin built against an OLDER minor of the host's
 * major ABI: it must load and run.  The header is pretended one minor older
 * (while the ABI is still 1.0 the oldest minor is 0, the host's own). */
#include <newslint/plugin.h>
enum { HOST_MINOR = NL_ABI_MINOR };
#undef NL_ABI_MINOR
#define NL_ABI_MINOR (HOST_MINOR > 0 ? HOST_MINOR - 1 : 0)
#define FIXTURE abi_old_minor
#include "abi_fixture.h"
