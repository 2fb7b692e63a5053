/*
 * Tern guest tests: taking the shared_info page out of the kernel's hands
 * for an attack test (issue 10, holes 1 and 2), and giving it back.
 *
 * shinfo_quiesce() masks events, closes the VIRQ_TIMER port and stops the
 * periodic timer, so that nothing the hypervisor does writes into
 * shared_info while a test rewrites or unmaps it; it saves the page.
 * shinfo_restore() maps it writable again at the kernel's address, puts
 * the saved contents back and restarts what quiesce stopped.
 */
#ifndef TESTS_GUEST_SHINFO_H
#define TESTS_GUEST_SHINFO_H

#include "mmtest.h"

/* The shared_info frame and the kernel's virtual address of it. */
uint64_t shinfo_mfn(void);
uint64_t shinfo_va(void);

/* False (and ERROR reported) when the kernel has no shared_info. */
bool shinfo_quiesce(void);
/* 0, or the error of mapping the frame writable again. */
long shinfo_restore(void);

#endif /* TESTS_GUEST_SHINFO_H */
