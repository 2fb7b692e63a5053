/*
 * Tern guest tests: the built-in runner.
 *
 * tests_run("all") runs every test in the table below, tests_run("NAME") the
 * one named NAME. Output: for each test a header line, its check lines, then
 *   test <name>: <STATUS>
 * and after all of them exactly one line
 *   Test result: SUCCESS|SKIP|ERROR|FAILURE
 * (the worst status), then SCHEDOP_shutdown(SHUTDOWN_poweroff).
 * Hosts parse that last line (tests/guest/run.py, tools/xen-run.py).
 */
#include "test.h"

extern const struct guest_test test_hypercall_page;
extern const struct guest_test test_start_info;
extern const struct guest_test test_console_io;
extern const struct guest_test test_xen_version;
extern const struct guest_test test_sched_op;
extern const struct guest_test test_vm_assist;
extern const struct guest_test test_memory_op;
extern const struct guest_test test_set_trap_table;
extern const struct guest_test test_unknown_hypercall;

static const struct guest_test *const tests[] = {
    &test_hypercall_page,
    &test_start_info,
    &test_console_io,
    &test_xen_version,
    &test_sched_op,
    &test_vm_assist,
    &test_memory_op,
    &test_set_trap_table,
    &test_unknown_hypercall,
};

#define NR_TESTS (sizeof(tests) / sizeof(tests[0]))

/* Runs one test and returns its final status. */
static enum test_status run_one(const struct guest_test *t)
{
    enum test_status s;

    printk("--- %s: %s\n", t->name, t->title);
    report_reset();
    t->main();
    s = report_status();
    if (s == TEST_RUNNING) {
        printk("  ERROR test reported nothing\n");
        s = TEST_ERROR;
    }
    printk("test %s: %s\n", t->name, report_status_name(s));
    return s;
}

_Noreturn void tests_run(const char *selection)
{
    enum test_status result = TEST_RUNNING;
    unsigned int i, ran = 0;
    int all = strcmp(selection, "all") == 0;

    printk("Running %s\n", all ? "all tests" : selection);
    for (i = 0; i < NR_TESTS; i++) {
        if (!all && strcmp(selection, tests[i]->name) != 0)
            continue;
        result = report_worst(result, run_one(tests[i]));
        ran++;
    }
    if (ran == 0) {
        printk("no test named \"%s\"; the tests are:", selection);
        for (i = 0; i < NR_TESTS; i++)
            printk(" %s", tests[i]->name);
        printk("\n");
        result = TEST_ERROR;
    }
    printk("Test result: %s\n", report_status_name(result));
    guest_shutdown(SHUTDOWN_poweroff);
}
