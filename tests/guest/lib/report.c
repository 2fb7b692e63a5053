/*
 * Tern guest tests: verdicts and their printing (report.h).
 */
#include <stdarg.h>
#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "report.h"

static enum test_status status = TEST_RUNNING;

void report_reset(void)
{
    status = TEST_RUNNING;
}

enum test_status report_status(void)
{
    return status;
}

const char *report_status_name(enum test_status s)
{
    switch (s) {
    case TEST_SUCCESS: return "SUCCESS";
    case TEST_SKIP:    return "SKIP";
    case TEST_ERROR:   return "ERROR";
    case TEST_FAILURE: return "FAILURE";
    case TEST_RUNNING: break;
    }
    return "RUNNING";
}

enum test_status report_worst(enum test_status a, enum test_status b)
{
    return a > b ? a : b;
}

/* Raises the status to `s` and prints "<tag> <message>" if there is one. */
static void raise_status(enum test_status s, const char *tag, const char *fmt,
                         va_list ap)
{
    char buf[256];

    status = report_worst(status, s);
    if (fmt == NULL)
        return;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    printk("  %s %s\n", tag, buf);
}

void test_success(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    raise_status(TEST_SUCCESS, "ok  ", fmt, ap);
    va_end(ap);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    raise_status(TEST_SKIP, "SKIP", fmt, ap);
    va_end(ap);
}

void test_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    raise_status(TEST_ERROR, "ERROR", fmt, ap);
    va_end(ap);
}

void test_failure(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    raise_status(TEST_FAILURE, "FAIL", fmt, ap);
    va_end(ap);
}

void test_info(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("  info %s\n", buf);
}

static const char *errno_name(long e)
{
    switch (e) {
    case XEN_EPERM:   return "EPERM";
    case XEN_ENOENT:  return "ENOENT";
    case XEN_ESRCH:   return "ESRCH";
    case XEN_EINTR:   return "EINTR";
    case XEN_EIO:     return "EIO";
    case XEN_E2BIG:   return "E2BIG";
    case XEN_EBADF:   return "EBADF";
    case XEN_EAGAIN:  return "EAGAIN";
    case XEN_ENOMEM:  return "ENOMEM";
    case XEN_EACCES:  return "EACCES";
    case XEN_EFAULT:  return "EFAULT";
    case XEN_EBUSY:   return "EBUSY";
    case XEN_EEXIST:  return "EEXIST";
    case XEN_ENODEV:  return "ENODEV";
    case XEN_EINVAL:  return "EINVAL";
    case XEN_ENOSPC:  return "ENOSPC";
    case XEN_ERANGE:  return "ERANGE";
    case XEN_ENOSYS:  return "ENOSYS";
    case XEN_ENODATA: return "ENODATA";
    case XEN_EOPNOTSUPP: return "EOPNOTSUPP";
    case XEN_ENOBUFS: return "ENOBUFS";
    }
    return NULL;
}

const char *rc_name(long rc)
{
    static char buf[32];
    const char *name = rc < 0 ? errno_name(-rc) : NULL;

    if (name)
        snprintf(buf, sizeof(buf), "-%s", name);
    else if (rc > -4096 && rc < (1L << 20))
        snprintf(buf, sizeof(buf), "%ld", rc);
    else
        snprintf(buf, sizeof(buf), "%#lx", (uint64_t)rc);
    return buf;
}

int check_rc(const char *what, long got, long want)
{
    char g[32];

    if (got == want) {
        printk("  ok   %s = %s\n", what, rc_name(got));
        return 1;
    }
    memcpy(g, rc_name(got), sizeof(g));
    test_failure("%s = %s, expected %s", what, g, rc_name(want));
    return 0;
}

int check_true(const char *what, int cond)
{
    if (cond)
        printk("  ok   %s\n", what);
    else
        test_failure("%s: does not hold", what);
    return cond;
}
