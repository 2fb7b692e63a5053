/* Tern guest kernel: what the benchmark files share (bench.c). */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdbool.h>
#include <stdint.h>

/* One "bench: NAME per_op=..." line for iterations operations in total. */
void bench_report(const char *name, uint64_t iterations, uint64_t total);
/* A stream's result per KiB (per KiB sent if per_sent, else per KiB
 * that arrived), a "bench: NAME arrived=" line first, or its error: rc,
 * or -XEN_EIO when less than a KiB arrived. */
void bench_report_stream(const char *name, uint64_t arrived, uint64_t sent, uint64_t total,
                         long rc, bool per_sent);
/* rc != 0: says "bench: NAME error=rc" and is true. */
bool bench_failed(const char *name, long rc);
/* Grant map + unmap and a 4 KiB grant copy, src granted to ourselves and
 * copied into dst (bench_grants.c). */
void bench_grants(uint64_t src, uint64_t dst);
/* mmu_update of the 512 entries of L1 table l1 (mfn) with the values they
 * hold, per entry (bench_mm.c). */
void bench_mmu_update_unchanged(uint64_t l1);
/* NEW_BASEPTR to the loaded L4, TLB_FLUSH_LOCAL, INVLPG_LOCAL of va. */
void bench_mmuext_noops(uint64_t va);
/* The trap-path round trips (bench_traps.c). */
void bench_traps(void);

#endif /* GUEST_BENCH_H */
