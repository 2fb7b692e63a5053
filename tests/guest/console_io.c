/*
 * Test console_io: hypercall 18, writes and reads of the hypervisor console.
 *
 * What: CONSOLEIO_write of a good buffer and of count 0; writes from a
 * non-canonical, an unmapped and a hypervisor-range address; unknown
 * commands; CONSOLEIO_read with count 0, with no input pending, and with
 * counts of 2^31 - 1 and 2^31 (the result counts bytes read in an int);
 * a command with bits above 31 set (Xen's cmd is an unsigned int).
 * Why: console_io is the guest's first and only output at tier 0, and it
 * reads guest memory, so bad buffers must be refused, not followed.
 * Expected (as real Xen 4.17 answers the hardware domain): write -> 0,
 * count 0 -> 0, every bad buffer -> -EFAULT, unknown cmd -> -ENOSYS,
 * read count 0 -> 0, read with nothing pending -> 0 (count 2^31 - 1
 * included), read count 2^31 -> -E2BIG, cmd 2^32 + read read as read -> 0.
 * Fact: Xen only touches the read buffer when input is pending, so a read
 * into a bad buffer with nothing pending returns 0 (printed as info only:
 * refusing it up front would be as correct).
 * Fact: for a domU (not our dom0 run) real Xen refuses console_io with
 * -EPERM under its default XSM policy.
 */
#include "test.h"

static const char test_title[] = "console_io: write, read, bad buffers, unknown commands";

static void test_main(void)
{
    static const char msg[] = "  (console_io test line)\n";
    char buf[16];
    long rc;

    check_rc("console_io(write, good buffer)",
             HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0);
    check_rc("console_io(write, count 0, NULL)",
             HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL), 0);
    check_rc("console_io(write, non-canonical buffer)",
             HYPERVISOR_console_io(CONSOLEIO_write, 8, bad_ptr(BAD_VA_NONCANONICAL)),
             -XEN_EFAULT);
    check_rc("console_io(write, unmapped buffer)",
             HYPERVISOR_console_io(CONSOLEIO_write, 8, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
    check_rc("console_io(write, hypervisor-range buffer)",
             HYPERVISOR_console_io(CONSOLEIO_write, 8, bad_ptr(BAD_VA_HYPERVISOR)),
             -XEN_EFAULT);
    check_rc("console_io(cmd 2)", HYPERVISOR_console_io(2, 1, msg), -XEN_ENOSYS);
    check_rc("console_io(cmd 0x7fffffff)",
             HYPERVISOR_console_io(0x7fffffff, 1, msg), -XEN_ENOSYS);
    check_rc("console_io(cmd 2^32 + read, count 0): cmd is 32 bits",
             hypercall_raw(__HYPERVISOR_console_io, (1UL << 32) | CONSOLEIO_read, 0,
                           hc_ptr(buf), 0, 0), 0);
    check_rc("console_io(read, count 0)",
             HYPERVISOR_console_io(CONSOLEIO_read, 0, buf), 0);
    check_rc("console_io(read, 16 bytes, nothing pending)",
             HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf), 0);
    check_rc("console_io(read, count 2^31 - 1, nothing pending)",
             HYPERVISOR_console_io(CONSOLEIO_read, 0x7fffffffU, buf), 0);
    check_rc("console_io(read, count 2^31): beyond what rc can count",
             HYPERVISOR_console_io(CONSOLEIO_read, 0x80000000U, buf), -XEN_E2BIG);
    rc = HYPERVISOR_console_io(CONSOLEIO_read, 16, bad_ptr(BAD_VA_UNMAPPED));
    test_info("console_io(read, unmapped buffer, nothing pending) = %s", rc_name(rc));
    test_success(NULL);
}

const struct guest_test test_console_io = { "console_io", test_title, test_main };
