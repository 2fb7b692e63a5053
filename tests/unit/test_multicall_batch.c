/*
 * test_multicall_batch.c: the multicall loop (hypervisor/common/multicall_batch.c).
 *
 * Why: the loop decides, for a guest-built array, which entries run, what
 * is written back, where the batch resumes and when it stops for good
 * (XSA-213: nothing after an iret). A wrong index means an entry run twice
 * or skipped; a missing stop means hypercalls in the wrong mode. Each rule
 * has a case where it applies and one where it does not.
 *
 * The fakes: guest memory is an array of entries at BASE, readable and
 * writable up to configurable limits; "hypercalls" are a few made-up
 * numbers whose behaviour the cases need (a value, a continuation, an
 * iret, a mode change, a nested multicall).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "multicall_loop.h"
#include "err.h"

#define BASE        0x10000ULL
#define MAX_ENTRIES 400
#define ENTRY       sizeof(struct multicall_entry)

#define OP_VALUE     17              /* result 1000 + args[0] */
#define OP_CONTINUE  1               /* continued once: args[0] becomes args[0] - 1 until 0 */
#define OP_IRET      __HYPERVISOR_iret
#define OP_TO_USER   40              /* leaves kernel mode, result 5 */
#define OP_NESTED    __HYPERVISOR_multicall
#define OP_NONE      99              /* no such hypercall */
#define OP_YIELD     29              /* result 0, then the scheduler wants the CPU */
#define IRET_RAX     0x1234567880000001ULL   /* what the fake iret returns */
#define IRET_RC      (-0x7fffffffLL)         /* its low 32 bits, sign-extended */
#define LENT         0x4c454e544c454e54ULL   /* what the hypervisor puts in args[5] */

struct fake {
    struct multicall_entry mem[MAX_ENTRIES];
    uint64_t base;                    /* guest VA of mem[0] (BASE unless moved) */
    uint64_t readable, writable;      /* entries from BASE that can be read / written */
    bool whole_entry_write_fails;     /* a continued entry's write-back faults */
    bool kernel_mode;
    bool must_yield;
    bool active;                      /* the vCPU's in-multicall flag */
    uint64_t now, tick;               /* the clock, advanced by tick per call */
    unsigned int calls, reads;
    uint64_t last_nested;             /* what a nested multicall returned */
};

static struct fake f;

/* The fake memory wraps with the address space, as addresses do: what
 * guards the array's ends is the runner's check, not the fake. */
static bool in_range(uint64_t va, size_t len, uint64_t entries)
{
    uint64_t off = va - f.base, limit = entries * ENTRY;

    return len <= limit && off <= limit - len;
}

static int fake_read(void *ctx, uint64_t va, struct multicall_entry *e)
{
    (void)ctx;
    f.reads++;
    if (!in_range(va, sizeof(*e), f.readable))
        return -EFAULT;
    memcpy(e, (char *)f.mem + (va - f.base), MC_ENTRY_USED);   /* as multicall.c */
    return 0;
}

static int fake_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    (void)ctx;
    if (!in_range(va, len, f.writable) || (len == MC_ENTRY_USED && f.whole_entry_write_fails))
        return -EFAULT;
    memcpy((char *)f.mem + (va - f.base), src, len);
    return 0;
}

static const struct mc_ops fake_ops;

static int64_t nested(struct multicall_entry *e)
{
    struct mc_next next;

    return mc_run(&fake_ops, NULL, &f.active, e->args[0], (uint32_t)e->args[1], &next);
}

static bool fake_call(void *ctx, struct multicall_entry *e)
{
    (void)ctx;
    f.calls++;
    f.now += f.tick;
    e->args[5] = LENT;                             /* as multicall.c lends the slot */
    switch (e->op) {
    case OP_VALUE:    e->result = 1000 + e->args[0]; return false;
    case OP_IRET:     e->result = IRET_RAX; return false;
    case OP_TO_USER:  f.kernel_mode = false; e->result = 5; return false;
    case OP_YIELD:    f.must_yield = true; e->result = 0; return false;
    case OP_NESTED:   e->result = (uint64_t)(f.last_nested = (uint64_t)nested(e)); return false;
    case OP_CONTINUE:
        e->result = 0;
        if (e->args[0] == 0)
            return false;
        e->args[0]--;
        return true;
    default:          e->result = (uint64_t)-ENOSYS; return false;
    }
}

static bool fake_kernel_mode(void *ctx)
{
    (void)ctx;
    return f.kernel_mode;
}

static bool fake_must_yield(void *ctx)
{
    (void)ctx;
    return f.must_yield;
}

static uint64_t fake_now(void *ctx)
{
    (void)ctx;
    return f.now;
}

static const struct mc_ops fake_ops = {
    fake_read, fake_write, fake_call, fake_kernel_mode, fake_must_yield, fake_now,
};

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof(f));
    f.base = BASE;
    f.readable = f.writable = MAX_ENTRIES;
    f.kernel_mode = true;
    for (unsigned int i = 0; i < MAX_ENTRIES; i++)
        f.mem[i] = (struct multicall_entry){ .op = OP_VALUE, .result = 0xdead, .args = { i } };
    return 0;
}

static void set_op(unsigned int i, uint64_t op, uint64_t arg0)
{
    f.mem[i].op = op;
    f.mem[i].args[0] = arg0;
}

static int64_t run(uint64_t calls, uint32_t nr, struct mc_next *next)
{
    return mc_run(&fake_ops, NULL, &f.active, calls, nr, next);
}

static uint64_t entry_va(unsigned int i)
{
    return BASE + i * ENTRY;
}

/* ---- the decisions ------------------------------------------------------ */

static void test_disposition(void **state)
{
    (void)state;
    assert_int_equal(mc_disposition(OP_VALUE, true), MC_CONTINUE);
    assert_int_equal(mc_disposition(OP_VALUE, false), MC_PREEMPT);
    assert_int_equal(mc_disposition(__HYPERVISOR_iret, true), MC_EXIT);
    assert_int_equal(mc_disposition(__HYPERVISOR_iret, false), MC_EXIT);
    assert_int_equal(mc_disposition(__HYPERVISOR_iret + (1ULL << 32), true), MC_CONTINUE);
}

static void test_should_cut(void **state)
{
    (void)state;
    assert_false(mc_should_cut(1, 0, false));
    assert_true(mc_should_cut(1, 0, true));
    assert_false(mc_should_cut(MC_CUT_ENTRIES - 1, MC_CUT_NS - 1, false));
    assert_true(mc_should_cut(MC_CUT_ENTRIES, 0, false));
    assert_false(mc_should_cut(MC_CUT_ENTRIES + 1, 0, false));
    assert_true(mc_should_cut(2, MC_CUT_NS, false));
}

/* Entry k of an array at calls is a guest range exactly when k is below
 * mc_entries_in_range(calls): at each half's end, and far from it. */
static void check_in_range(uint64_t calls)
{
    uint64_t n = mc_entries_in_range(calls);

    assert_true(n == 0 || guest_range_ok(calls + (n - 1) * ENTRY, ENTRY));
    assert_false(guest_range_ok(calls + n * ENTRY, ENTRY));
}

static void test_entries_in_range(void **state)
{
    (void)state;
    assert_int_equal(mc_entries_in_range(0x00007fffffffffc0ULL), 1);
    assert_int_equal(mc_entries_in_range(0x00007fffffffffc1ULL), 0);
    assert_int_equal(mc_entries_in_range(0xffffffffffffffc0ULL), 1);
    assert_int_equal(mc_entries_in_range(0xffffffffffffffc8ULL), 0);
    assert_int_equal(mc_entries_in_range(0), 1ULL << 41);
    assert_int_equal(mc_entries_in_range(HV_VIRT_END), (0 - HV_VIRT_END) / ENTRY);
    check_in_range(0x00007fffffffff00ULL);
    check_in_range(0x00007fffffffff3fULL);
    check_in_range(0xffffffffffffff01ULL);
    check_in_range(HV_VIRT_END + 0x1234);
}

/* ---- whole batches ------------------------------------------------------ */

static void test_every_result_written(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(1, OP_NONE, 0);
    assert_int_equal(run(BASE, 3, &next), 0);
    assert_false(next.resume);
    assert_int_equal(f.mem[0].result, 1000);
    assert_int_equal((int64_t)f.mem[1].result, -ENOSYS);   /* a failure does not stop it */
    assert_int_equal(f.mem[2].result, 1002);
    assert_int_equal(f.mem[3].result, 0xdead);              /* past nr: untouched */
    assert_int_equal(f.calls, 3);
    assert_false(f.active);
}

static void test_zero_entries(void **state)
{
    struct mc_next next;

    (void)state;
    f.readable = 0;
    assert_int_equal(run(BASE, 0, &next), 0);
    assert_int_equal(f.reads, 0);
    assert_false(next.resume);
}

static void test_bad_array_address(void **state)
{
    struct mc_next next;

    (void)state;
    /* Not a guest address: refused before anything, even for 0 entries. */
    assert_int_equal(run(0x8000000000000000ULL, 0, &next), -EFAULT);
    assert_int_equal(run(0xffff800000000000ULL, 2, &next), -EFAULT);
    assert_int_equal(f.reads, 0);
    /* A guest address with nothing there: -EFAULT at the first entry. */
    f.readable = 0;
    assert_int_equal(run(BASE, 2, &next), -EFAULT);
    assert_int_equal(f.calls, 0);
    assert_false(next.resume);
    assert_false(f.active);
}

static void test_unreadable_entry_midway(void **state)
{
    struct mc_next next;

    (void)state;
    f.readable = 2;
    assert_int_equal(run(BASE, 4, &next), -EFAULT);
    assert_int_equal(f.calls, 2);                  /* the entries before it ran */
    assert_int_equal(f.mem[1].result, 1001);
    assert_false(next.resume);
}

static void test_array_off_the_guest_half(void **state)
{
    struct mc_next next;

    (void)state;
    /* The last entry of the lower half, then the non-canonical hole; and
     * the top of the address space, then a wrap to 0. The fake memory
     * would answer both second reads: only the runner refuses them. */
    f.base = 0x00007fffffffffc0ULL;
    assert_int_equal(run(f.base, 2, &next), -EFAULT);
    assert_int_equal(f.calls, 1);
    f.base = 0xffffffffffffffc0ULL;
    assert_int_equal(run(f.base, 2, &next), -EFAULT);
    assert_int_equal(f.calls, 2);
    assert_int_equal(f.reads, 2);
    /* One entry at the very top is fine. */
    assert_int_equal(run(f.base, 1, &next), 0);
    assert_int_equal(f.mem[0].result, 1000);
}

static void test_result_not_writable(void **state)
{
    struct mc_next next;

    (void)state;
    f.writable = 1;
    assert_int_equal(run(BASE, 3, &next), -EFAULT);
    assert_int_equal(f.calls, 2);                  /* entry 1 ran, then its answer faulted */
    assert_int_equal(f.mem[0].result, 1000);
    assert_false(next.resume);
}

static void test_nested_refused(void **state)
{
    struct mc_next next;

    (void)state;
    f.mem[1] = (struct multicall_entry){ .op = OP_NESTED, .result = 0xdead,
                                         .args = { entry_va(5), 1 } };
    assert_int_equal(run(BASE, 3, &next), 0);
    assert_int_equal((int64_t)f.mem[1].result, -EINVAL);
    assert_int_equal(f.mem[2].result, 1002);       /* the outer batch goes on */
    assert_int_equal(f.mem[5].result, 0xdead);     /* the inner one never ran */
    assert_int_equal(f.calls, 3);
    assert_false(f.active);
}

static void test_active_flag_refuses(void **state)
{
    struct mc_next next;

    (void)state;
    f.active = true;
    assert_int_equal(run(BASE, 2, &next), -EINVAL);
    assert_int_equal(f.reads, 0);
    assert_true(f.active);                         /* the outer step's, left alone */
}

static void test_iret_ends_batch(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(1, OP_IRET, 0);
    assert_int_equal(run(BASE, 4, &next), IRET_RC);   /* Xen's int of it */
    assert_int_equal(f.mem[1].result, IRET_RAX);        /* all of it */
    assert_int_equal(f.mem[2].result, 0xdead);     /* never ran */
    assert_int_equal(f.calls, 2);
    assert_false(next.resume);
    assert_false(f.active);
}

static void test_iret_result_best_effort(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(0, OP_IRET, 0);
    f.writable = 0;
    assert_int_equal(run(BASE, 2, &next), IRET_RC);   /* not -EFAULT: the guest moved on */
}

static void test_mode_change_ends_step(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(1, OP_TO_USER, 0);
    assert_int_equal(run(BASE, 4, &next), 0);
    assert_int_equal(f.mem[1].result, 5);
    assert_int_equal(f.calls, 2);
    assert_true(next.resume);                      /* at the entry after it */
    assert_int_equal(next.calls, entry_va(2));
    assert_int_equal(next.nr_calls, 2);
    /* As the last entry, nothing is left to resume. */
    setup(NULL);
    set_op(1, OP_TO_USER, 0);
    assert_int_equal(run(BASE, 2, &next), 0);
    assert_false(next.resume);
}

static void test_continued_entry_resumes_there(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(1, OP_CONTINUE, 2);
    f.mem[1].args[3] = 33;
    f.mem[1].args[5] = 55;
    assert_int_equal(run(BASE, 3, &next), 0);
    assert_true(next.resume);
    assert_int_equal(next.calls, entry_va(1));     /* the same entry, again */
    assert_int_equal(next.nr_calls, 2);
    assert_int_equal(f.mem[1].op, OP_CONTINUE);
    assert_int_equal(f.mem[1].args[0], 1);         /* its continuation's arguments */
    assert_int_equal(f.mem[1].args[3], 33);
    assert_int_equal(f.mem[1].args[5], 55);        /* never written back (MC_ENTRY_USED) */
    assert_int_equal(f.mem[2].result, 0xdead);
    /* Resumed twice more, it completes and so does the rest. */
    assert_int_equal(run(next.calls, next.nr_calls, &next), 0);
    assert_true(next.resume);
    assert_int_equal(run(next.calls, next.nr_calls, &next), 0);
    assert_false(next.resume);
    assert_int_equal(f.mem[1].result, 0);
    assert_int_equal(f.mem[2].result, 1002);
    assert_int_equal(f.calls, 5);
}

static void test_continued_entry_unwritable(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(0, OP_CONTINUE, 1);
    f.whole_entry_write_fails = true;
    assert_int_equal(run(BASE, 2, &next), -EFAULT);
    assert_false(next.resume);                     /* the continuation is dropped */
}

static void test_yield_cuts_before_next(void **state)
{
    struct mc_next next;

    (void)state;
    set_op(1, OP_YIELD, 0);
    assert_int_equal(run(BASE, 4, &next), 0);
    assert_int_equal(f.calls, 2);
    assert_int_equal(f.mem[1].result, 0);
    assert_true(next.resume);
    assert_int_equal(next.calls, entry_va(2));
    assert_int_equal(next.nr_calls, 2);
    /* Every step runs its first entry, whatever the scheduler wants. */
    assert_int_equal(run(next.calls, next.nr_calls, &next), 0);
    assert_int_equal(f.calls, 3);
    assert_int_equal(next.calls, entry_va(3));
    assert_int_equal(next.nr_calls, 1);
}

static void test_count_cut(void **state)
{
    struct mc_next next;
    unsigned int steps = 1;

    (void)state;
    assert_int_equal(run(BASE, 300, &next), 0);
    assert_true(next.resume);
    assert_int_equal(next.calls, entry_va(MC_CUT_ENTRIES));
    assert_int_equal(next.nr_calls, 300 - MC_CUT_ENTRIES);
    while (next.resume) {
        assert_int_equal(run(next.calls, next.nr_calls, &next), 0);
        steps++;
    }
    assert_int_equal(steps, 3);
    assert_int_equal(f.calls, 300);                /* each exactly once */
    for (unsigned int i = 0; i < 300; i++)
        assert_int_equal(f.mem[i].result, 1000 + i);
}

/* The clock is read before every MC_CLOCK_EVERY-th entry: a step past
 * 1 ms is cut at the first such entry, not between two. */
static void test_time_cut(void **state)
{
    struct mc_next next;

    (void)state;
    f.tick = MC_CUT_NS / 3 + 1;                     /* the 3rd call passes 1 ms */
    assert_int_equal(run(BASE, 20, &next), 0);
    assert_int_equal(f.calls, MC_CLOCK_EVERY);
    assert_int_equal(next.calls, entry_va(MC_CLOCK_EVERY));
    assert_int_equal(next.nr_calls, 20 - MC_CLOCK_EVERY);
    assert_int_equal(run(next.calls, next.nr_calls, &next), 0);
    assert_int_equal(f.calls, 2 * MC_CLOCK_EVERY);  /* the next step likewise */
}

/* Under 1 ms at each clock read: no cut for time, however many entries. */
static void test_time_no_cut(void **state)
{
    struct mc_next next;

    (void)state;
    f.tick = (MC_CUT_NS - 1) / MC_CLOCK_EVERY / 2;
    assert_int_equal(run(BASE, 2 * MC_CLOCK_EVERY, &next), 0);
    assert_false(next.resume);
    assert_int_equal(f.calls, 2 * MC_CLOCK_EVERY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disposition),
        cmocka_unit_test(test_should_cut),
        cmocka_unit_test(test_entries_in_range),
        cmocka_unit_test_setup(test_every_result_written, setup),
        cmocka_unit_test_setup(test_zero_entries, setup),
        cmocka_unit_test_setup(test_bad_array_address, setup),
        cmocka_unit_test_setup(test_unreadable_entry_midway, setup),
        cmocka_unit_test_setup(test_array_off_the_guest_half, setup),
        cmocka_unit_test_setup(test_result_not_writable, setup),
        cmocka_unit_test_setup(test_nested_refused, setup),
        cmocka_unit_test_setup(test_active_flag_refuses, setup),
        cmocka_unit_test_setup(test_iret_ends_batch, setup),
        cmocka_unit_test_setup(test_iret_result_best_effort, setup),
        cmocka_unit_test_setup(test_mode_change_ends_step, setup),
        cmocka_unit_test_setup(test_continued_entry_resumes_there, setup),
        cmocka_unit_test_setup(test_continued_entry_unwritable, setup),
        cmocka_unit_test_setup(test_yield_cuts_before_next, setup),
        cmocka_unit_test_setup(test_count_cut, setup),
        cmocka_unit_test_setup(test_time_cut, setup),
        cmocka_unit_test_setup(test_time_no_cut, setup),
    };

    return cmocka_run_group_tests_name("multicall_batch", tests, NULL, NULL);
}
