/*
 * The few C library pieces the hypervisor needs, plus small helpers.
 *
 * Pure modules include this and nothing else of the environment, so the same
 * source builds freestanding (lib.c supplies the functions) and hosted for the
 * unit tests (the C library supplies them).
 */
#ifndef LIB_H
#define LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef HOST_TEST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
/* The structure of type whose member p points to. */
#define container_of(p, type, member) \
    ((type *)(void *)((char *)(p) - __builtin_offsetof(type, member)))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)  (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)

#define unlikely(x)     __builtin_expect(!!(x), 0)
#define likely(x)       __builtin_expect(!!(x), 1)
#define __noreturn      __attribute__((noreturn))
#define __packed        __attribute__((packed))
#define __aligned(n)    __attribute__((aligned(n)))
#define __printf(a, b)  __attribute__((format(printf, a, b)))

/*
 * ASSERT(cond): an invariant the code states, checked where it is relied
 * on. Never compiled out: in the image a failure is a hypervisor bug and
 * panics with the condition, file and line (assert_failed, console.c); in
 * the unit tests it is cmocka's mock_assert, so a test can also show that
 * a broken state is caught (expect_assert_failure).
 */
#ifdef HOST_TEST
void mock_assert(const int result, const char *const expression, const char *const file,
                 const int line);
#define ASSERT(cond) mock_assert(!!(cond), #cond, __FILE__, __LINE__)
#else
void assert_failed(const char *cond, const char *file, int line) __attribute__((noreturn));
#define ASSERT(cond) do {                                            \
        if (__builtin_expect(!(cond), 0))                            \
            assert_failed(#cond, __FILE__, __LINE__);                \
    } while (0)
#endif

/* True when [base, base + len) wraps past the top of the address space. */
static inline bool range_wraps(uint64_t base, uint64_t len)
{
    return len != 0 && base + len - 1 < base;
}

/* Parse an unsigned number: decimal, 0x hex or 0 octal. Returns the
 * characters consumed (0 if none) and stores the value; refuses overflow. */
size_t parse_u64(const char *s, size_t len, uint64_t *out);

#endif /* LIB_H */
