/*
 * Boot-time clocks (pit.c, calibrate.c): PIT channel 2 as a reference
 * interval, and the TSC and local APIC timer rates measured against it.
 */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Start PIT channel 2 counting ticks (1..65535) down, its speaker off;
 * pit_window_done() turns true when it reaches zero. */
void pit_window_start(uint16_t ticks);
bool pit_window_done(void);

/* Measure the TSC and the local APIC timer against the PIT, print both,
 * and prove the APIC timer interrupts once one-shot and a few times
 * periodic. Needs irq_init(). Interrupts are enabled only while waiting
 * for those ticks. */
void time_calibrate(void);

/* The hypervisor's 1 kHz tick (tick.c): fn runs in interrupt context. */
void arch_tick_start(void (*fn)(void));
/* Arm the next tick us microseconds ahead (clamped to 1..1000). */
void arch_tick_program(uint32_t us);
/* The RTC's time as seconds since the epoch, or -1 if it cannot be read. */
int64_t arch_rtc_seconds(void);

/* Calibrated rates in Hz; 0 when unknown. */
uint64_t tsc_hz(void);
uint64_t apic_timer_hz(void);

#endif /* ASM_TIME_H */
