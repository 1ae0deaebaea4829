/*
 * replay.h: the body of every tests/unit/test_fuzz_<name>.c: one cmocka
 * test that feeds each file of tests/fuzz/corpus/<name>/ to the target's
 * LLVMFuzzerTestOneInput. Include it once, after cmocka.h, with
 * FUZZ_REPLAY_NAME defined to the target's name as a string.
 */
#ifndef RUIN_TESTS_FUZZ_REPLAY_H
#define RUIN_TESTS_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_REPLAY_NAME
#error "define FUZZ_REPLAY_NAME before including replay.h"
#endif

/* Largest corpus file replayed: corpus files are meant to be small. */
#define FUZZ_REPLAY_MAX (1 << 20)

static int fuzz_replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fuzz_replay_corpus(void **state)
{
	const char *dir = "tests/fuzz/corpus/" FUZZ_REPLAY_NAME;
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	(void)state;
	if (!d)
		fail_msg("cannot open %s (run the tests from the repository root)", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	/* A corpus that lost its files would make this test pass for nothing. */
	assert_true(n > 0);
	qsort(names, n, sizeof(*names), fuzz_replay_cmp);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		unsigned char *data;
		FILE *fp;
		size_t got;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			fail_msg("%s is not a regular file", path);
		if (st.st_size > FUZZ_REPLAY_MAX)
			fail_msg("%s is over %d bytes: keep corpus files small", path,
				 FUZZ_REPLAY_MAX);
		data = malloc((size_t)st.st_size + 1);
		assert_non_null(data);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		got = fread(data, 1, (size_t)st.st_size, fp);
		fclose(fp);
		assert_int_equal(got, (size_t)st.st_size);
		assert_int_equal(LLVMFuzzerTestOneInput(data, got), 0);
		free(data);
		free(names[i]);
	}
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fuzz_replay_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
