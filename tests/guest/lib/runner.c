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
#include "kernel/traps.h"

extern const struct guest_test test_hypercall_page;
extern const struct guest_test test_start_info;
extern const struct guest_test test_console_io;
extern const struct guest_test test_console_io_preempt;
extern const struct guest_test test_xen_version;
extern const struct guest_test test_sched_op;
extern const struct guest_test test_evtchn_loopback;
extern const struct guest_test test_evtchn_upcall;
extern const struct guest_test test_evtchn_mask;
extern const struct guest_test test_evtchn_send_paths;
extern const struct guest_test test_evtchn_status;
extern const struct guest_test test_evtchn_errors;
extern const struct guest_test test_timer_virq;
extern const struct guest_test test_runstate_area;
extern const struct guest_test test_sched_poll;
extern const struct guest_test test_timer_periodic_bound;
extern const struct guest_test test_timer_block_wakes;
extern const struct guest_test test_time_clock;
extern const struct guest_test test_platform_op;
extern const struct guest_test test_domctl_self;
extern const struct guest_test test_process_preempt;
extern const struct guest_test test_vm_assist;
extern const struct guest_test test_memory_op;
extern const struct guest_test test_set_trap_table;
extern const struct guest_test test_unknown_hypercall;
extern const struct guest_test test_xenpmu_op;
extern const struct guest_test test_pit_channel2;
extern const struct guest_test test_iomem_uncached;
extern const struct guest_test test_m2p;
extern const struct guest_test test_page_alloc;
extern const struct guest_test test_mmu_update;
extern const struct guest_test test_mmu_update_args;
extern const struct guest_test test_mmu_update_batch;
extern const struct guest_test test_update_va_mapping;
extern const struct guest_test test_guest_pointers;
extern const struct guest_test test_mmuext_pin;
extern const struct guest_test test_mmuext_baseptr;
extern const struct guest_test test_mmuext_flush;
extern const struct guest_test test_mmuext_page;
extern const struct guest_test test_multicall;
extern const struct guest_test test_multicall_preempt;
extern const struct guest_test test_multicall_faults;
extern const struct guest_test test_memory_reservation;
extern const struct guest_test test_shared_info_retype;
extern const struct guest_test test_grant_setup;
extern const struct guest_test test_grant_map;
extern const struct guest_test test_grant_copy;
extern const struct guest_test test_grant_misc;
extern const struct guest_test test_grant_transfer;
extern const struct guest_test test_shared_info_release;
extern const struct guest_test test_pt_writable_alias;
extern const struct guest_test test_pt_rw_flip;
extern const struct guest_test test_pt_linear;
extern const struct guest_test test_pt_superpage;
extern const struct guest_test test_l4_hypervisor_slots;
extern const struct guest_test test_pt_retype;
extern const struct guest_test test_pt_unpin_live;
extern const struct guest_test test_map_foreign_frame;
extern const struct guest_test test_trap_vectors;
extern const struct guest_test test_trap_pf;
extern const struct guest_test test_trap_user_bad_rsp;
extern const struct guest_test test_syscall_no_callback;
extern const struct guest_test test_trap_debug;
extern const struct guest_test test_trap_debug_hv;
extern const struct guest_test test_trap_fpu;
extern const struct guest_test test_trap_softint;
extern const struct guest_test test_trap_privileged;
extern const struct guest_test test_io_ports;
extern const struct guest_test test_iopl_user;
extern const struct guest_test test_ata_probe;
extern const struct guest_test test_e1000_ping;
extern const struct guest_test test_pirq_gsi;
extern const struct guest_test test_trap_cpuid;
extern const struct guest_test test_trap_table_hostile;
extern const struct guest_test test_trap_iret;
extern const struct guest_test test_trap_frame_edges;
extern const struct guest_test test_user_process;
extern const struct guest_test test_vcpu_info_place;
extern const struct guest_test test_iomem_dom0;
extern const struct guest_test test_pt_write_emulated;
extern const struct guest_test test_trap_msr_mce;
extern const struct guest_test test_memory_exchange;
extern const struct guest_test test_fpu_switch;
extern const struct guest_test test_segment_base;
extern const struct guest_test test_gdt_descriptors;

static const struct guest_test *const tests[] = {
    &test_hypercall_page,
    &test_start_info,
    &test_console_io,
    &test_console_io_preempt,
    &test_xen_version,
    &test_sched_op,
    &test_evtchn_loopback,
    &test_evtchn_upcall,
    &test_evtchn_mask,
    &test_evtchn_send_paths,
    &test_evtchn_status,
    &test_evtchn_errors,
    &test_timer_virq,
    &test_runstate_area,
    &test_sched_poll,
    &test_timer_periodic_bound,
    &test_timer_block_wakes,
    &test_time_clock,
    &test_platform_op,
    &test_domctl_self,
    &test_process_preempt,
    &test_vm_assist,
    &test_memory_op,
    &test_set_trap_table,
    &test_unknown_hypercall,
    &test_xenpmu_op,
    &test_pit_channel2,
    &test_iomem_uncached,
    &test_m2p,
    &test_page_alloc,
    &test_mmu_update,
    &test_mmu_update_args,
    &test_mmu_update_batch,
    &test_update_va_mapping,
    &test_guest_pointers,
    &test_mmuext_pin,
    &test_mmuext_baseptr,
    &test_mmuext_flush,
    &test_mmuext_page,
    &test_multicall,
    &test_multicall_preempt,
    &test_multicall_faults,
    &test_memory_reservation,
    &test_memory_exchange,
    &test_shared_info_retype,
    &test_pt_writable_alias,
    &test_pt_rw_flip,
    &test_pt_linear,
    &test_pt_superpage,
    &test_l4_hypervisor_slots,
    &test_pt_retype,
    &test_pt_unpin_live,
    &test_map_foreign_frame,
    &test_iomem_dom0,
    &test_pt_write_emulated,
    &test_trap_vectors,
    &test_trap_pf,
    &test_trap_user_bad_rsp,
    &test_syscall_no_callback,
    &test_trap_msr_mce,
    &test_trap_debug,
    &test_trap_debug_hv,
    &test_trap_fpu,
    &test_trap_softint,
    &test_trap_privileged,
    &test_io_ports,
    &test_iopl_user,
    &test_ata_probe,
    &test_e1000_ping,
    &test_pirq_gsi,
    &test_trap_cpuid,
    &test_trap_table_hostile,
    &test_trap_iret,
    &test_trap_frame_edges,
    &test_user_process,
    &test_fpu_switch,
    &test_segment_base,
    &test_gdt_descriptors,
    &test_grant_setup,
    &test_grant_map,
    &test_grant_copy,
    &test_grant_misc,
    &test_grant_transfer,
    /* Moves vcpu_info out of shared_info for good. */
    &test_vcpu_info_place,
    /* Last: it takes shared_info away from the kernel for good. */
    &test_shared_info_release,
};

#define NR_TESTS (sizeof(tests) / sizeof(tests[0]))

/* Runs one test and returns its final status. */
static enum test_status run_one(const struct guest_test *t)
{
    enum test_status s;

    printk("--- %s: %s\n", t->name, t->title);
    report_reset();
    traps_init();            /* every test starts with the kernel's trap table */
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
