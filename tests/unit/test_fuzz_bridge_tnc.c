/*
 * test_fuzz_bridge_tnc.c: replays tests/fuzz/corpus/bridge_tnc/ (the seeds, and every input
 * that once crashed) through tests/fuzz/fuzz_bridge_tnc.c, so `make unit` and
 * `make asan` keep them fixed. The fuzzer itself is `make fuzz`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define FUZZ_REPLAY_NAME "bridge_tnc"
#include "../fuzz/replay.h"
#include "base/banned.h"
