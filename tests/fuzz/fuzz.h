/*
 * fuzz.h: the entry points every fuzz target in tests/fuzz/ defines.
 *
 * A target is one file, fuzz_<name>.c, built two ways:
 *  - by `make fuzz` with clang's libFuzzer (-fsanitize=fuzzer,address,
 *    undefined) into build/fuzz/fuzz_<name>, which explores from the seed
 *    corpus tests/fuzz/corpus/<name>/;
 *  - by `make unit` as tests/unit/test_fuzz_<name>.c, which replays every
 *    file of the corpus (seeds and the inputs that once crashed) through the
 *    same function with the ordinary compiler, and under `make asan`.
 * See tests/fuzz/README.md.
 */
#ifndef RUIN_TESTS_FUZZ_H
#define RUIN_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs one input. Must not keep state between inputs that changes results. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A promise of the code under test: says which one broke, then aborts
 * (libFuzzer saves the input; the replay test fails). */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
