/*
 * Tern guest kernel: memory and string functions (see lib.h).
 * Byte-at-a-time on purpose (small, obviously correct), except memset and
 * memcpy, which the block and network rings use on every request.
 */
#include "kernel/lib.h"

/* memset and memcpy go 8 bytes a step (rep stosq / rep movsq) and then
 * byte by byte for the tail: the ring slots, requests and responses the
 * split drivers copy on every I/O are 16 to 112 bytes. */
void *memset(void *dst, int c, size_t n)
{
    uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c, words = n / 8;
    void *d = dst;

    __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
    words = n % 8;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint64_t words = n / 8;
    void *d = dst;

    __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
    words = n % 8;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
    return dst;
}

/* Copies backwards when dst is above src, so overlapping ranges work. */
void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d <= s)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for (; *haystack; haystack++)
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return n == 0 ? (char *)haystack : NULL;
}
