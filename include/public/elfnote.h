/*
 * Tern guest ABI: the Xen ELF notes a PV kernel image carries.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's xen/include/public/elfnote.h and its loader.
 *
 * A Xen note is an ordinary ELF note, normally in a PT_NOTE segment, whose
 * name is "Xen" (namesz 4 with the NUL) and whose type is one of the numbers
 * below. Numeric notes have a desc of 1, 2, 4 or 8 bytes, little-endian
 * (other sizes read as 0); string notes are NUL-terminated.
 *
 * LOADER RULES for a 64-bit PV image:
 *  1. The notes must exist.
 *  2. LOADER must start with "generic", or GUEST_OS with "linux".
 *  3. XEN_VERSION must start with "xen-3.0".
 *  4. Each segment loads at VA  p_paddr - PADDR_OFFSET + VIRT_BASE.
 *  5. VIRT_BASE <= start of the image <= ENTRY <= end of the image.
 *  6. PADDR_OFFSET without VIRT_BASE is an error.
 */
#ifndef PUBLIC_ELFNOTE_H
#define PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_NAME                "Xen"

#define XEN_ELFNOTE_INFO                0  /* string: informational NAME=VALUE */
#define XEN_ELFNOTE_ENTRY               1  /* number: entry VA (default e_entry) */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2  /* number: VA of a page-aligned page the
                                              builder fills with hypercall stubs */
#define XEN_ELFNOTE_VIRT_BASE           3  /* number: VA of pfn 0 (default 0) */
#define XEN_ELFNOTE_PADDR_OFFSET        4  /* number: subtracted from p_paddr (default 0) */
#define XEN_ELFNOTE_XEN_VERSION         5  /* string: must start with "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6  /* string: e.g. "linux", "Mini-OS" */
#define XEN_ELFNOTE_GUEST_VERSION       7  /* string: informational */
#define XEN_ELFNOTE_LOADER              8  /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE            9  /* string: 32-bit only; ignored for 64-bit */
#define XEN_ELFNOTE_FEATURES           10  /* string: XENFEAT names, '|'-separated,
                                              '!' prefix = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11  /* string: "yes" = load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW       12  /* number: 32-bit PV only */
#define XEN_ELFNOTE_L1_MFN_VALID       13  /* numbers: mask/value pairs */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14  /* number: cooperative suspend cancel */
#define XEN_ELFNOTE_INIT_P2M           15  /* number: VA for the p2m list, placed
                                              outside the initial mapping */
#define XEN_ELFNOTE_MOD_START_PFN      16  /* number: non-zero = mod_start may be a PFN */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17  /* number: bitmap of XENFEAT bits supported */
#define XEN_ELFNOTE_PHYS32_ENTRY       18  /* number: PVH entry (not PV) */

#endif /* PUBLIC_ELFNOTE_H */
