/*
 * test_fuzz_admin.c: replays tests/fuzz/corpus/admin/ (the seeds, and every input
 * that once crashed) through tests/fuzz/fuzz_admin.c, so `make unit` and
 * `make asan` keep them fixed. The fuzzer itself is `make fuzz`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define FUZZ_REPLAY_NAME "admin"
#include "../fuzz/replay.h"
#include "base/banned.h"
