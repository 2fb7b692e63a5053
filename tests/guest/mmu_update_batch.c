/*
 * Test mmu_update_batch: mmu_update and mmuext_op batches longer than one
 * hypercall's share of work (issue 10), with and without pdone.
 *
 * What: mmu_update batches of 1024 and 2000 plain writes (MMU_NORMAL_PT_
 * UPDATE of words of four ordinary pages, every request its own word and
 * value) with pdone NULL and with pdone; a batch of 1024 whose request
 * 700 is an unknown command, with and without pdone; a batch of 1024
 * with pdone unmapped; the continuation
 * encoding itself (count | MMU_UPDATE_PREEMPTED with *pdone = 100). The
 * same for mmuext_op: batches of 1024 and 2000 TLB flushes with a
 * CLEAR_PAGE at the first, 512th, 513th and last index, and a batch whose
 * op 700 is unknown, with CLEAR_PAGEs just before and after it.
 * Why: a long batch is cut into hypercall continuations, and the count of
 * work done must survive them: before this test Tern refused a batch of
 * more than 512 requests without pdone (-EINVAL after the first 512
 * were applied), which Xen completes.
 * Expected (real Xen 4.17 as dom0): the long batches return 0 with every
 * request applied, and pdone = the count; the failing batches return
 * -ENOSYS with requests 0-699 applied and none after, and pdone = 700;
 * with pdone unmapped the batch completes and returns 0 (Xen ignores a
 * pdone it cannot read or write);
 * count 4 | MMU_UPDATE_PREEMPTED with *pdone = 100 applies the 4 requests
 * and leaves pdone = 104 (the hypervisor reads its progress from pdone).
 * Xen cuts its batches wherever it sees fit; the outcomes above hold
 * wherever the cuts fall.
 */
#include "mmtest.h"

static const char test_title[] =
    "mmu_update and mmuext_op: batches of 1024 and 2000, pdone or not, failing at 700";

#define MAX_REQS   2000
#define NR_PAGES   4                      /* 2000 words in pages of 512 */
#define WORDS      (PAGE_SIZE / 8)
#define BAD_AT     700
#define BAD_CMD    4                      /* ptr & 7 = 4: no such command */
#define PATTERN    0xc3c3c3c3c3c3c3c3UL

static struct mmu_update reqs[MAX_REQS];
static struct mmuext_op ops[MAX_REQS];
static struct test_page pages[NR_PAGES];

static uint64_t value(unsigned int i, unsigned int round)
{
    return 0x6d6d000000000000UL | ((uint64_t)round << 32) | i;
}

static uint64_t word(unsigned int i)
{
    return pages[i / WORDS].va[i % WORDS];
}

/* reqs[0..n) write value(i, round) into word i. */
static void fill_writes(unsigned int n, unsigned int round)
{
    for (unsigned int i = 0; i < n; i++) {
        reqs[i].ptr = ((pages[i / WORDS].mfn << PAGE_SHIFT) + 8UL * (i % WORDS)) |
                      MMU_NORMAL_PT_UPDATE;
        reqs[i].val = value(i, round);
    }
}

/* Words [from, to) hold the values of round; prints the first that does not. */
static void check_words(const char *what, unsigned int from, unsigned int to,
                        unsigned int round)
{
    for (unsigned int i = from; i < to; i++)
        if (word(i) != value(i, round)) {
            test_failure("%s: word %u is %#lx, expected %#lx", what, i, word(i),
                         value(i, round));
            return;
        }
    printk("  ok   %s: words %u-%u\n", what, from, to - 1);
}

static void long_writes(unsigned int n, unsigned int round, bool with_pdone)
{
    unsigned int done = 0xdead;
    char what[80];

    fill_writes(n, round);
    snprintf(what, sizeof(what), "mmu_update(%u writes, pdone %s)", n,
             with_pdone ? "set" : "NULL");
    check_rc(what, HYPERVISOR_mmu_update(reqs, n, with_pdone ? &done : NULL, DOMID_SELF), 0);
    if (with_pdone)
        check_rc("  pdone", done, n);
    check_words("  every request applied", 0, n, round);
}

static void failing_writes(unsigned int round, unsigned int before, bool with_pdone)
{
    unsigned int done = 0xdead;

    fill_writes(1024, round);
    reqs[BAD_AT].ptr |= BAD_CMD;
    check_rc(with_pdone ? "mmu_update(1024, request 700 unknown, pdone set)"
                        : "mmu_update(1024, request 700 unknown, pdone NULL)",
             HYPERVISOR_mmu_update(reqs, 1024, with_pdone ? &done : NULL, DOMID_SELF),
             -XEN_ENOSYS);
    if (with_pdone)
        check_rc("  pdone = index of the failing request", done, BAD_AT);
    check_words("  requests before it applied", 0, BAD_AT, round);
    check_words("  none from it on", BAD_AT, 1024, before);
}

/* pdone unmapped: Xen neither reads nor writes it successfully, and says
 * nothing; the batch still completes. */
static void unmapped_pdone(unsigned int round)
{
    fill_writes(1024, round);
    check_rc("mmu_update(1024 writes, pdone unmapped)",
             HYPERVISOR_mmu_update(reqs, 1024, bad_ptr(BAD_VA_UNMAPPED), DOMID_SELF), 0);
    check_words("  every request applied", 0, 1024, round);
}

/* The continuation's encoding: the progress so far is read from pdone. */
static void preempted_encoding(unsigned int round)
{
    unsigned int done = 100;

    fill_writes(4, round);
    check_rc("mmu_update(4 | MMU_UPDATE_PREEMPTED, *pdone = 100)",
             HYPERVISOR_mmu_update(reqs, 4 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF), 0);
    check_rc("  pdone = 100 + 4", done, 104);
    check_words("  the 4 requests applied", 0, 4, round);
}

static void fill_pattern(void)
{
    for (unsigned int p = 0; p < NR_PAGES; p++)
        for (unsigned int i = 0; i < WORDS; i++)
            pages[p].va[i] = PATTERN;
}

/* ops[0..n) flush the TLB, except CLEAR_PAGE of page k at index at[k]. */
static void fill_ops(unsigned int n, const unsigned int at[NR_PAGES])
{
    for (unsigned int i = 0; i < n; i++) {
        memset(&ops[i], 0, sizeof(ops[i]));
        ops[i].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    }
    for (unsigned int k = 0; k < NR_PAGES; k++) {
        ops[at[k]].cmd = MMUEXT_CLEAR_PAGE;
        ops[at[k]].arg1.mfn = pages[k].mfn;
    }
}

static void check_cleared(const unsigned int at[NR_PAGES], unsigned int upto)
{
    char what[64];

    for (unsigned int k = 0; k < NR_PAGES; k++) {
        snprintf(what, sizeof(what), "  CLEAR_PAGE at op %u %s", at[k],
                 at[k] < upto ? "done" : "not done");
        check_true(what, (pages[k].va[1] == 0) == (at[k] < upto));
    }
}

static void long_ops(unsigned int n, bool with_pdone)
{
    const unsigned int at[NR_PAGES] = { 0, 511, 512, n - 1 };
    unsigned int done = 0xdead;
    char what[80];

    fill_pattern();
    fill_ops(n, at);
    snprintf(what, sizeof(what), "mmuext_op(%u ops, pdone %s)", n,
             with_pdone ? "set" : "NULL");
    check_rc(what, HYPERVISOR_mmuext_op(ops, n, with_pdone ? &done : NULL, DOMID_SELF), 0);
    if (with_pdone)
        check_rc("  pdone", done, n);
    check_cleared(at, n);
}

static void failing_ops(bool with_pdone)
{
    const unsigned int at[NR_PAGES] = { 0, 512, BAD_AT - 1, BAD_AT + 1 };
    unsigned int done = 0xdead;

    fill_pattern();
    fill_ops(1024, at);
    ops[BAD_AT].cmd = 0xffff;
    check_rc(with_pdone ? "mmuext_op(1024, op 700 unknown, pdone set)"
                        : "mmuext_op(1024, op 700 unknown, pdone NULL)",
             HYPERVISOR_mmuext_op(ops, 1024, with_pdone ? &done : NULL, DOMID_SELF),
             -XEN_ENOSYS);
    if (with_pdone)
        check_rc("  pdone = index of the failing op", done, BAD_AT);
    check_cleared(at, BAD_AT);
}

static void test_main(void)
{
    unsigned int k;

    for (k = 0; k < NR_PAGES; k++)
        if (!tp_alloc(&pages[k]))
            goto out;
    long_writes(1024, 1, false);
    long_writes(2000, 2, false);
    long_writes(2000, 3, true);
    failing_writes(4, 3, true);
    failing_writes(5, 3, false);
    unmapped_pdone(6);
    preempted_encoding(7);
    long_ops(1024, false);
    long_ops(2000, false);
    long_ops(2000, true);
    failing_ops(true);
    failing_ops(false);
    test_success(NULL);
out:
    while (k--)
        tp_free(&pages[k]);
}

const struct guest_test test_mmu_update_batch = {
    "mmu_update_batch", test_title, test_main,
};
