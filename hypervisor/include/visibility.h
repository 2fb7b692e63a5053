/*
 * Forced into every hypervisor translation unit (-include). The image is
 * -fpic but linked static at one address: hidden visibility lets the compiler
 * reach every symbol RIP-relatively instead of through a GOT.
 */
#pragma GCC visibility push(hidden)
