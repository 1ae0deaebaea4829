/*
 * test_list.c: the intrusive doubly-linked list (src/base/list.h).
 *
 * Order of push_back/push_front/insert_after, counts, O(1) removal from anywhere,
 * dlink_linked() across a link's life, and removal while walking with
 * DLIST_FOREACH_SAFE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/list.h"
#include "base/banned.h"

struct item {
	int id;
	struct dlink link;
	struct dlink other; /* a second list the same element can sit in */
};

/* Checks that l holds exactly the ids in want, in order, both ways round. */
static void check_order(const struct dlist *l, const int *want, size_t n)
{
	size_t i = 0;

	assert_int_equal(l->count, n);
	assert_int_equal(dlist_empty(l), n == 0);
	DLIST_FOREACH(l, it)
	{
		assert_true(i < n);
		assert_int_equal(dlist_entry(it, struct item, link)->id, want[i]);
		i++;
	}
	assert_int_equal(i, n);
	for (const struct dlink *it = l->head.prev; it != &l->head; it = it->prev) {
		assert_true(i > 0);
		i--;
		assert_int_equal(dlist_entry(it, struct item, link)->id, want[i]);
	}
	assert_int_equal(i, 0);
}

static void test_empty(void **state)
{
	struct dlist l;

	(void)state;
	dlist_init(&l);
	assert_true(dlist_empty(&l));
	assert_int_equal(l.count, 0);
	DLIST_FOREACH(&l, it)
	{
		(void)it;
		fail_msg("an empty list has no elements");
	}
}

static void test_push_order_and_counts(void **state)
{
	struct dlist l;
	struct item it[4];
	static const int order[] = {3, 1, 2, 4};

	(void)state;
	dlist_init(&l);
	for (int i = 0; i < 4; i++)
		it[i].id = i + 1;
	dlist_push_back(&l, &it[0].link);
	dlist_push_back(&l, &it[1].link);
	dlist_push_front(&l, &it[2].link);
	dlist_push_back(&l, &it[3].link);
	check_order(&l, order, 4);
	assert_ptr_equal(dlist_entry(l.head.next, struct item, link), &it[2]);
	assert_ptr_equal(dlist_entry(l.head.prev, struct item, link), &it[3]);
}

static void test_insert_after(void **state)
{
	struct dlist l;
	struct item it[5];
	static const int order[] = {4, 1, 5, 2, 3};

	(void)state;
	dlist_init(&l);
	for (int i = 0; i < 5; i++)
		it[i].id = i + 1;
	dlist_push_back(&l, &it[0].link);
	dlist_push_back(&l, &it[1].link);
	dlist_insert_after(&l, &it[1].link, &it[2].link); /* after the last: the back */
	dlist_insert_after(&l, &l.head, &it[3].link);	  /* after the head: the front */
	dlist_insert_after(&l, &it[0].link, &it[4].link); /* in the middle */
	check_order(&l, order, 5);
	dlist_remove(&l, &it[4].link);
	check_order(&l, (const int[]){4, 1, 2, 3}, 4);
}

static void test_remove_anywhere(void **state)
{
	struct dlist l;
	struct item it[5];
	static const int after_mid[] = {1, 2, 4, 5};
	static const int after_ends[] = {2, 4};

	(void)state;
	dlist_init(&l);
	for (int i = 0; i < 5; i++) {
		it[i].id = i + 1;
		dlist_push_back(&l, &it[i].link);
	}
	dlist_remove(&l, &it[2].link);
	check_order(&l, after_mid, 4);
	dlist_remove(&l, &it[0].link);
	dlist_remove(&l, &it[4].link);
	check_order(&l, after_ends, 2);
	dlist_remove(&l, &it[1].link);
	dlist_remove(&l, &it[3].link);
	check_order(&l, NULL, 0);
	/* A removed element can go back in. */
	dlist_push_front(&l, &it[2].link);
	check_order(&l, (const int[]){3}, 1);
}

static void test_linked_state(void **state)
{
	struct dlist l;
	struct item a;

	(void)state;
	memset(&a, 0, sizeof(a));
	/* All zero (a fresh calloc'ed element) counts as not linked. */
	assert_false(dlink_linked(&a.link));
	dlink_init(&a.link);
	assert_false(dlink_linked(&a.link));
	dlist_init(&l);
	dlist_push_back(&l, &a.link);
	assert_true(dlink_linked(&a.link));
	dlist_remove(&l, &a.link);
	/* Removal leaves the link pointing at itself. */
	assert_false(dlink_linked(&a.link));
	assert_ptr_equal(a.link.next, &a.link);
	assert_ptr_equal(a.link.prev, &a.link);
}

static void test_two_lists_one_element(void **state)
{
	struct dlist all, room;
	struct item it[3];
	size_t n = 0;

	(void)state;
	dlist_init(&all);
	dlist_init(&room);
	for (int i = 0; i < 3; i++) {
		it[i].id = i + 1;
		dlist_push_back(&all, &it[i].link);
		if (i != 1)
			dlist_push_back(&room, &it[i].other);
	}
	assert_int_equal(all.count, 3);
	assert_int_equal(room.count, 2);
	dlist_remove(&room, &it[0].other);
	check_order(&all, (const int[]){1, 2, 3}, 3);
	DLIST_FOREACH(&room, lk)
	{
		assert_int_equal(dlist_entry(lk, struct item, other)->id, 3);
		n++;
	}
	assert_int_equal(n, 1);
}

static void test_foreach_safe_removal(void **state)
{
	struct dlist l;
	struct item it[10];
	static const int odd[] = {1, 3, 5, 7, 9};
	int visited = 0;

	(void)state;
	dlist_init(&l);
	for (int i = 0; i < 10; i++) {
		it[i].id = i + 1;
		dlist_push_back(&l, &it[i].link);
	}
	/* Unlink (and scribble over) every even element while walking. */
	DLIST_FOREACH_SAFE(&l, lk, tmp)
	{
		struct item *p = dlist_entry(lk, struct item, link);

		visited++;
		if (p->id % 2 == 0) {
			dlist_remove(&l, lk);
			memset(lk, 0xA5, sizeof(*lk));
		}
	}
	assert_int_equal(visited, 10);
	check_order(&l, odd, 5);
	/* Then every element, including the last one. */
	visited = 0;
	DLIST_FOREACH_SAFE(&l, lk, tmp)
	{
		dlist_remove(&l, lk);
		memset(lk, 0x5A, sizeof(*lk));
		visited++;
	}
	assert_int_equal(visited, 5);
	check_order(&l, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_push_order_and_counts),
		cmocka_unit_test(test_insert_after),
		cmocka_unit_test(test_remove_anywhere),
		cmocka_unit_test(test_linked_state),
		cmocka_unit_test(test_two_lists_one_element),
		cmocka_unit_test(test_foreach_safe_removal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
