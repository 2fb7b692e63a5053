/* Whole-page operations with string instructions (arch only). */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <stdint.h>

static inline void clear_page(void *page)
{
    void *d = page;
    uint64_t n = 4096 / 8;

    __asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0UL) : "memory");
}

static inline void copy_page(void *dst, const void *src)
{
    void *d = dst;
    const void *s = src;
    uint64_t n = 4096 / 8;

    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

#endif /* ASM_PAGE_H */
