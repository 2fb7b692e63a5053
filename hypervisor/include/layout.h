/*
 * Where the hypervisor lives in every address space.
 *
 * The 64-bit PV ABI gives the hypervisor L4 slots 256-271
 * (0xffff800000000000 - 0xffff87ffffffffff); every other slot belongs to the
 * guest. Everything of ours is inside that range:
 *
 *   slot 256  0xffff800000000000  read-only M2P for guests (ABI; paging.c)
 *   slot 261  0xffff82d040000000  hypervisor image (text, data, bss, stacks),
 *                                 linked here as Xen's is
 *   slots 262-271 0xffff830000000000  direct map of machine memory, 5 TiB
 *
 * The image is loaded by GRUB at physical HV_LOAD_PHYS; the distance between
 * its link and load addresses is HV_LOAD_OFFSET.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#define HV_VIRT_START          0xffff800000000000
#define HV_VIRT_END            0xffff880000000000
#define HV_IMAGE_VIRT          0xffff82d040000000
#define HV_LOAD_PHYS           0x200000
#define HV_LOAD_OFFSET         (HV_IMAGE_VIRT - HV_LOAD_PHYS)
#define HV_IMAGE_MAX           0x2000000          /* 32 MiB, checked by linker.ld */
#define DIRECTMAP_VIRT_START   0xffff830000000000
#define DIRECTMAP_VIRT_END     0xffff880000000000
#define DIRECTMAP_SIZE         (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)

#define HV_STACK_SIZE          0x4000             /* per-CPU hypervisor stack */
#define HV_IST_STACK_SIZE      0x1000             /* #DF, NMI, #MC, #DB stacks */

#define L4_SLOT(va)            (((va) >> 39) & 511)

#endif /* LAYOUT_H */
