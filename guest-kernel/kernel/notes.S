/*
 * Tern guest kernel ELF notes: what the domain builder reads before loading
 * the image (public/elfnote.h). Each note is named "Xen"; numbers are 8-byte
 * little-endian values, strings NUL-terminated.
 *
 *   GUEST_OS        "Tern-guest"
 *   GUEST_VERSION   "0.1"
 *   LOADER          "generic"       (required by the loader: rule 2)
 *   XEN_VERSION     "xen-3.0"       (required by the loader: rule 3)
 *   FEATURES        "dom0"          (works as the initial domain; nothing required)
 *   VIRT_BASE       0xffffffff80000000  (pfn 0 of the domain is mapped here)
 *   PADDR_OFFSET    0               (p_paddr = VA - VIRT_BASE, see guest.ld)
 *   ENTRY           _start
 *   HYPERCALL_PAGE  hypercall_page  (head.S)
 */
#include <public/elfnote.h>

#define GUEST_VIRT_BASE 0xffffffff80000000

/* One note: namesz, descsz, type, "Xen\0", then the desc, each padded to 4.
 * xen_note_str takes the string without quotes, xen_note_num a number. */
.macro xen_note_begin type
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long   2f - 1f
    .long   4f - 3f
    .long   \type
1:  .asciz  "Xen"
2:  .balign 4
3:
.endm

.macro xen_note_end
4:  .balign 4
    .popsection
.endm

.macro xen_note_str type, str
    xen_note_begin \type
    .asciz  "\str"
    xen_note_end
.endm

.macro xen_note_num type, value
    xen_note_begin \type
    .quad   \value
    xen_note_end
.endm

    xen_note_str XEN_ELFNOTE_GUEST_OS,       Tern-guest
    xen_note_str XEN_ELFNOTE_GUEST_VERSION,  0.1
    xen_note_str XEN_ELFNOTE_LOADER,         generic
    xen_note_str XEN_ELFNOTE_XEN_VERSION,    xen-3.0
    xen_note_str XEN_ELFNOTE_FEATURES,       dom0
    xen_note_num XEN_ELFNOTE_VIRT_BASE,      GUEST_VIRT_BASE
    xen_note_num XEN_ELFNOTE_PADDR_OFFSET,   0
    xen_note_num XEN_ELFNOTE_ENTRY,          _start
    xen_note_num XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page

    .section .note.GNU-stack, "", @progbits
