/*
 * Tern guest tests: verdicts, XTF-shaped.
 *
 * A test's status starts at RUNNING and only gets worse:
 *   RUNNING < SUCCESS < SKIP < ERROR < FAILURE.
 * SUCCESS: everything checked held. SKIP: the test could not run here.
 * ERROR: the test itself or its environment went wrong. FAILURE: the
 * hypervisor did something the ABI does not allow. A test that ends still
 * RUNNING (reported nothing) counts as ERROR.
 */
#ifndef TESTS_GUEST_REPORT_H
#define TESTS_GUEST_REPORT_H

#include <stdint.h>

enum test_status {
    TEST_RUNNING,
    TEST_SUCCESS,
    TEST_SKIP,
    TEST_ERROR,
    TEST_FAILURE,
};

/* Starts a new test: status back to RUNNING. */
void report_reset(void);
/* The status so far. */
enum test_status report_status(void);
/* "SUCCESS", "SKIP", "ERROR", "FAILURE" ("RUNNING" for RUNNING). */
const char *report_status_name(enum test_status status);
/* The worse of two statuses. */
enum test_status report_worst(enum test_status a, enum test_status b);

/* Raise the status (never lower it) and print the message, if any, on a
 * line of its own. */
void test_success(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a line that changes no status. */
void test_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The name of a hypercall result: "0", "-EFAULT", "4096", ... (static
 * buffer: use the result before the next call). */
const char *rc_name(long rc);

/* Checks that `got` == `want`. Prints "  ok   <what> = <want>" or a failure
 * line with both values, and raises FAILURE when they differ.
 * Returns 1 when they matched. */
int check_rc(const char *what, long got, long want);

/* Checks a condition that is not a plain return value. */
int check_true(const char *what, int cond);

#endif /* TESTS_GUEST_REPORT_H */
