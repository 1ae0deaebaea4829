/*
 * test_fuzz_bridge_wsin.c: replays tests/fuzz/corpus/bridge_wsin/ (the seeds, and every input
 * that once crashed) through tests/fuzz/fuzz_bridge_wsin.c, so `make unit` and
 * `make asan` keep them fixed. The fuzzer itself is `make fuzz`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define FUZZ_REPLAY_NAME "bridge_wsin"
#include "../fuzz/replay.h"
#include "base/banned.h"
