/*
 * suggest.c: "did you mean" for misspelled ids, fields, flags, directions
 * and globals, by optimal string alignment distance (Levenshtein plus the
 * swap of two neighbours, the commonest typo).
 *
 * A candidate is suggested when it is within 1 edit of a word of up to
 * four letters, within 2 of a longer one, and closer than any other
 * candidate (ties go to the alphabetically smaller one, so messages do not
 * depend on hash order).
 */
#include "script/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "base/banned.h"

size_t suggest_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);

	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	/* Three rows: two back (for swaps), previous, current. */
	size_t *rows = xcalloc(3 * (lb + 1), sizeof(*rows));
	size_t *pp = rows, *prev = rows + (lb + 1), *cur = rows + 2 * (lb + 1);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t row_min;
		cur[0] = row_min = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			if (d < row_min)
				row_min = d;
		}
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
		if (row_min > limit) {
			free(rows);
			return limit + 1;
		}
	}
	size_t d = prev[lb];
	free(rows);
	return d > limit ? limit + 1 : d;
}

static size_t suggest_limit(const char *word)
{
	return strlen(word) <= 4 ? 1 : 2;
}

void suggest_init(struct suggest *sg, const char *word)
{
	sg->word = word;
	sg->best = NULL;
	sg->best_d = suggest_limit(word) + 1;
}

void suggest_add(struct suggest *sg, const char *cand)
{
	if (!cand || strcmp(cand, sg->word) == 0)
		return;
	size_t d = suggest_distance(sg->word, cand, suggest_limit(sg->word));
	if (d < sg->best_d || (d == sg->best_d && sg->best && strcmp(cand, sg->best) < 0)) {
		sg->best_d = d;
		sg->best = cand;
	}
}

const char *suggest_best(const struct suggest *sg)
{
	return sg->best;
}

void suggest_hint(const struct suggest *sg, struct buf *out)
{
	if (sg->best)
		buf_printf(out, " (did you mean '%s'?)", sg->best);
}
