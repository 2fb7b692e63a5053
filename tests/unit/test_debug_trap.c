/*
 * Unit tests for hypervisor/pv/debug_trap.c: what the #DB handler does with
 * each kind of #DB (issue 10: exceptions a guest can aim at the entry
 * paths), the bounded log, the guest's DR6 merge, and what a guest may
 * load into the debug registers (Xen 4.17's set_debugreg rules). Also the
 * IST slot of each vector (asm/desc.h): #DB, NMI, #DF and #MC each on a
 * stack of its own. Each rule has an accepted and a refused case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "debug_trap.h"
#include "err.h"
#include "layout.h"
#include <asm/desc.h>
#include <asm/rflags.h>

#define HV_CS_SEL   0xe008ULL
#define GUEST_CS    0xe033ULL              /* a ring-3 CS, kernel or user */
#define RW_EXEC     0ULL
#define RW_WRITE    1ULL
#define RW_IO       2ULL
#define RW_RW       3ULL

/* DR7 with breakpoint i enabled locally, R/W = rw, LEN = 8 bytes. */
static uint64_t dr7_bp(unsigned int i, uint64_t rw)
{
    return DR7_DEFAULT | (1ULL << (2 * i)) | (rw << (16 + 4 * i)) | (2ULL << (18 + 4 * i));
}

/* A #DB in ring 0, nothing set, at an ordinary hypervisor instruction. */
static struct db_event hv_event(void)
{
    return (struct db_event){ .cs = HV_CS_SEL, .rflags = RF_1, .dr6 = DR6_DEFAULT,
                              .dr7 = DR7_DEFAULT, .entry_point = false, .on_db_stack = false };
}

/* ---- IST slots --------------------------------------------------------- */

static void test_ist_slots(void **state)
{
    static const unsigned int own[] = { 1, 2, 8, 18 };   /* #DB, NMI, #DF, #MC */
    unsigned int seen = 0;

    (void)state;
    for (unsigned int i = 0; i < 4; i++) {
        unsigned int ist = ist_for_vector(own[i]);
        assert_true(ist >= 1 && ist <= NR_IST);
        assert_int_equal(seen & (1u << ist), 0);          /* no two share a stack */
        seen |= 1u << ist;
    }
    assert_int_equal(ist_for_vector(1), IST_DB);
    for (unsigned int v = 0; v < 256; v++)
        if (v != 1 && v != 2 && v != 8 && v != 18)
            assert_int_equal(ist_for_vector(v), 0);       /* #PF, #GP, IRQs: rsp0 */
}

/* ---- the decision ------------------------------------------------------ */

static void test_from_guest_goes_to_guest(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.cs = GUEST_CS;
    e.dr6 = DR6_DEFAULT | DR6_B(0);
    assert_int_equal(debug_trap_action(&e), DB_TO_GUEST);
    e.rflags |= RF_TF;                                 /* the guest's own single step */
    assert_int_equal(debug_trap_action(&e), DB_TO_GUEST);
    e.on_db_stack = true;                                  /* a guest rsp may point at our */
    assert_int_equal(debug_trap_action(&e), DB_TO_GUEST);  /* stacks: never fatal */
    e.cs = 0xe02bULL;                                      /* any RPL 3 */
    assert_int_equal(debug_trap_action(&e), DB_TO_GUEST);
}

static void test_ring0_never_to_guest(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.dr6 |= DR6_B(0);
    e.dr7 = dr7_bp(0, RW_RW);
    assert_int_equal(debug_trap_action(&e) & DB_TO_GUEST, 0);
    e.cs = 0xe00bULL;                                      /* RPL 3 bits only count */
    assert_int_equal(debug_trap_action(&e) & DB_TO_GUEST, DB_TO_GUEST);
}

/* CVE-2018-8897: mov (watched), %ss; syscall -> #DB at syscall_entry. */
static void test_delayed_data_breakpoint_at_entry(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.entry_point = true;
    e.dr6 |= DR6_B(0);
    e.dr7 = dr7_bp(0, RW_RW);
    assert_int_equal(debug_trap_action(&e), DB_AT_ENTRY);
    e.dr6 = DR6_DEFAULT | DR6_B(2) | DR6_BS;               /* several causes at once */
    e.dr7 = dr7_bp(2, RW_WRITE);
    assert_int_equal(debug_trap_action(&e), DB_AT_ENTRY);
    e.entry_point = false;                                 /* elsewhere: just resume */
    assert_int_equal(debug_trap_action(&e), DB_RESUME);
}

static void test_unexplained_resumes(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    assert_int_equal(debug_trap_action(&e), DB_RESUME);    /* int1 in ring 0 */
    e.dr6 |= DR6_BD;                                       /* general detect: CPU cleared GD */
    assert_int_equal(debug_trap_action(&e), DB_RESUME);
}

static void test_tf_in_ring0_cleared(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.rflags |= RF_TF;
    e.dr6 |= DR6_BS;
    assert_int_equal(debug_trap_action(&e), DB_CLEAR_TF);
    e.entry_point = true;
    assert_int_equal(debug_trap_action(&e), DB_CLEAR_TF | DB_AT_ENTRY);
    e.rflags &= ~RF_TF;                                /* BS alone: TF already gone */
    assert_int_equal(debug_trap_action(&e), DB_AT_ENTRY);
}

static void test_insn_breakpoint_clears_dr7(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.dr6 |= DR6_B(1);
    e.dr7 = dr7_bp(1, RW_EXEC);
    assert_int_equal(debug_trap_action(&e), DB_CLEAR_DR7);
    e.dr7 = DR7_DEFAULT | (2ULL << 2);                     /* G1 enables it as well */
    assert_int_equal(debug_trap_action(&e), DB_CLEAR_DR7);
    e.rflags |= RF_TF;
    assert_int_equal(debug_trap_action(&e), DB_CLEAR_DR7 | DB_CLEAR_TF);
}

static void test_not_an_insn_breakpoint(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.dr6 |= DR6_B(1);
    e.dr7 = DR7_DEFAULT;                                   /* matched but not enabled */
    assert_int_equal(debug_trap_action(&e), DB_RESUME);
    e.dr7 = dr7_bp(1, RW_WRITE);                           /* enabled data breakpoint */
    assert_int_equal(debug_trap_action(&e), DB_RESUME);
    e.dr6 = DR6_DEFAULT | DR6_B(0);                        /* another one matched */
    e.dr7 = dr7_bp(1, RW_EXEC);
    assert_int_equal(debug_trap_action(&e), DB_RESUME);
}

static void test_nested_on_db_stack_fatal(void **state)
{
    struct db_event e = hv_event();

    (void)state;
    e.on_db_stack = true;
    e.entry_point = true;
    assert_int_equal(debug_trap_action(&e), DB_FATAL);
    e.on_db_stack = false;
    assert_int_equal(debug_trap_action(&e) & DB_FATAL, 0);
}

/* ---- the bounded log, the DR6 merge -------------------------------------- */

static void test_should_report(void **state)
{
    static const uint64_t yes[] = { 1, 2, 4, 8, 1024, 1ULL << 63 };
    static const uint64_t no[] = { 0, 3, 5, 6, 7, 1023, 1025, ~0ULL };

    (void)state;
    for (unsigned int i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(debug_trap_should_report(yes[i]));
    for (unsigned int i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(debug_trap_should_report(no[i]));
}

static void test_merge_dr6(void **state)
{
    uint64_t g;

    (void)state;
    g = debug_trap_merge_dr6(DR6_DEFAULT, DR6_DEFAULT | DR6_B(0));
    assert_int_equal(g, DR6_DEFAULT | DR6_B(0));
    g = debug_trap_merge_dr6(g, DR6_DEFAULT | DR6_BS);     /* sticky, as on the CPU */
    assert_int_equal(g, DR6_DEFAULT | DR6_B(0) | DR6_BS);
    g = debug_trap_merge_dr6(DR6_DEFAULT, 0xffffffffULL);   /* only status bits come in */
    assert_int_equal(g, DR6_DEFAULT | 0xe00fULL);
    g = debug_trap_merge_dr6(DR6_DEFAULT, 0);               /* none leave */
    assert_int_equal(g, DR6_DEFAULT);
}

/* ---- set_debugreg rules ------------------------------------------------ */

static void test_dr0_3_guest_addresses(void **state)
{
    static const uint64_t ok[] = { 0, 0x400000ULL, 0x00007ffffffffff8ULL,
                                   0x00007fffffffffffULL, HV_VIRT_END,
                                   0xffffffff80001000ULL, ~0ULL };
    uint64_t out;

    (void)state;
    for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        out = 1;
        assert_int_equal(debugreg_check(i % 4, ok[i], &out), 0);
        assert_int_equal(out, ok[i]);
    }
}

static void test_dr0_3_refused(void **state)
{
    static const uint64_t bad[] = { HV_VIRT_START, 0xffff82d040000000ULL,
                                    HV_VIRT_END - 1, HV_VIRT_END - 8,
                                    0x0000800000000000ULL, 0xffff7ffffffffff8ULL,
                                    0x8000000000000000ULL };
    uint64_t out = 42;

    (void)state;
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(debugreg_check(i % 4, bad[i], &out), -EPERM);
    assert_int_equal(out, 42);                             /* untouched on refusal */
}

static void test_register_numbers(void **state)
{
    uint64_t out;

    (void)state;
    assert_int_equal(debugreg_index(4), 6);
    assert_int_equal(debugreg_index(5), 7);
    assert_int_equal(debugreg_index(3), 3);
    assert_int_equal(debugreg_index(8), 8);
    assert_int_equal(debugreg_index(0xffffffffu), 8);
    assert_int_equal(debugreg_check(8, 0, &out), -ENODEV);
    assert_int_equal(debugreg_check(0xffffffffu, 0, &out), -ENODEV);
    assert_int_equal(debugreg_check(4, 0, &out), 0);       /* DR6 */
    assert_int_equal(out, DR6_DEFAULT);
    assert_int_equal(debugreg_check(5, 0, &out), 0);       /* DR7 */
    assert_int_equal(out, DR7_DEFAULT);
}

static void test_dr6(void **state)
{
    uint64_t out;

    (void)state;
    assert_int_equal(debugreg_check(6, 0, &out), 0);
    assert_int_equal(out, DR6_DEFAULT);                    /* reserved ones read as 1 */
    assert_int_equal(debugreg_check(6, DR6_B(0) | DR6_BS | (1ULL << 12), &out), 0);
    assert_int_equal(out, DR6_DEFAULT | DR6_B(0) | DR6_BS); /* bit 12 reads as 0 */
    assert_int_equal(debugreg_check(6, 1ULL << 32, &out), -EINVAL);
    assert_int_equal(debugreg_check(6, ~0ULL, &out), -EINVAL);
}

static void test_dr7_accepted(void **state)
{
    uint64_t out;

    (void)state;
    assert_int_equal(debugreg_check(7, 0, &out), 0);
    assert_int_equal(out, DR7_DEFAULT);                    /* bit 10 reads as 1 */
    assert_int_equal(debugreg_check(7, dr7_bp(0, RW_RW), &out), 0);
    assert_int_equal(out, dr7_bp(0, RW_RW));
    assert_int_equal(debugreg_check(7, dr7_bp(3, RW_EXEC) | 0x300ULL, &out), 0);
    assert_int_equal(out, dr7_bp(3, RW_EXEC) | 0x300ULL);  /* LE, GE kept */
    assert_int_equal(debugreg_check(7, 0xd800ULL, &out), 0); /* 11, 12, 14, 15 */
    assert_int_equal(out, DR7_DEFAULT);                    /* read as 0 */
    /* R/W = I/O with no breakpoint enabled: harmless, kept (as on Xen). */
    assert_int_equal(debugreg_check(7, RW_IO << 16, &out), 0);
    assert_int_equal(out, DR7_DEFAULT | (RW_IO << 16));
}

static void test_dr7_refused(void **state)
{
    uint64_t out = 42;

    (void)state;
    assert_int_equal(debugreg_check(7, DR7_GD, &out), -EPERM);
    assert_int_equal(debugreg_check(7, DR7_GD | dr7_bp(0, RW_RW), &out), -EPERM);
    assert_int_equal(debugreg_check(7, dr7_bp(0, RW_IO), &out), -EPERM);
    /* Any enabled breakpoint makes an I/O R/W field refused, as on Xen. */
    assert_int_equal(debugreg_check(7, dr7_bp(1, RW_RW) | (RW_IO << 16), &out), -EPERM);
    assert_int_equal(debugreg_check(7, (2ULL << 6) | (RW_IO << 28), &out), -EPERM); /* G3 */
    assert_int_equal(debugreg_check(7, 1ULL << 32, &out), -EINVAL);
    assert_int_equal(debugreg_check(7, (1ULL << 32) | DR7_GD, &out), -EINVAL);
    assert_int_equal(out, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ist_slots),
        cmocka_unit_test(test_from_guest_goes_to_guest),
        cmocka_unit_test(test_ring0_never_to_guest),
        cmocka_unit_test(test_delayed_data_breakpoint_at_entry),
        cmocka_unit_test(test_unexplained_resumes),
        cmocka_unit_test(test_tf_in_ring0_cleared),
        cmocka_unit_test(test_insn_breakpoint_clears_dr7),
        cmocka_unit_test(test_not_an_insn_breakpoint),
        cmocka_unit_test(test_nested_on_db_stack_fatal),
        cmocka_unit_test(test_should_report),
        cmocka_unit_test(test_merge_dr6),
        cmocka_unit_test(test_dr0_3_guest_addresses),
        cmocka_unit_test(test_dr0_3_refused),
        cmocka_unit_test(test_register_numbers),
        cmocka_unit_test(test_dr6),
        cmocka_unit_test(test_dr7_accepted),
        cmocka_unit_test(test_dr7_refused),
    };

    return cmocka_run_group_tests_name("debug_trap", tests, NULL, NULL);
}
