/* abi_new_minor.c -- a plugin built against a NEWER minor than the host's:
 * it may use host functions this newslint lacks, so it must be refused
 * ("upgrade newslint") before any of its code runs. */
#include <newslint/plugin.h>
enum { HOST_MINOR = NL_ABI_MINOR };
#undef NL_ABI_MINOR
#define NL_ABI_MINOR (HOST_MINOR + 1)
#define FIXTURE abi_new_minor
#define FIXTURE_MUST_NOT_RUN 1
#include "abi_fixture.h"
