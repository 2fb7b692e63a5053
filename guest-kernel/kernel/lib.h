/*
 * Tern guest kernel: the few C library functions the guest and its tests use.
 * Freestanding: nothing here touches the hypervisor.
 */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);

/* Formats like C's vsnprintf for: %d %i %u %x %X %p %s %c %%, with flags
 * '-', '0' and '#', a field width and the length modifiers l, ll, z. Always
 * NUL-terminates (when size > 0); returns the length it wanted to write. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* GUEST_LIB_H */
