/*
 * uring_probe.h: what this kernel says about io_uring, for the tests that
 * expect a ring where the kernel allows one (test_uring, test_conn).
 */
#ifndef RUIN_TESTS_URING_PROBE_H
#define RUIN_TESTS_URING_PROBE_H

#include <stdio.h>

/* kernel.io_uring_disabled: 0 enabled, 1 privileged only, 2 off; -1 if the kernel has none. */
static inline int io_uring_disabled(void)
{
	FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	int v = -1;

	if (!fp)
		return -1;
	if (fscanf(fp, "%d", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

#endif
