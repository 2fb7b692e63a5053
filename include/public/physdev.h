/*
 * physdev_op: a domain's access to physical devices. Values and layouts
 * are Xen's (xen/include/public/physdev.h). Permission is granted, free of
 * charge, to use, copy, modify and distribute this header for any purpose
 * (MIT licence).
 */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include <stdint.h>

/*
 * __HYPERVISOR_physdev_op (33)
 *   long physdev_op(int cmd, void *arg);
 *
 * PHYSDEVOP_set_iopl (6), arg = struct physdev_set_iopl (IN): the virtual
 * IOPL (0-3) that guest-kernel in/out, cli and sti need. Any domain may
 * set it, as on Xen; which ports an access then reaches is the
 * hypervisor's per-port decision (a refused port reads all ones and drops
 * writes). Errors: -EFAULT (arg unreadable), -EINVAL (iopl > 3).
 *
 * Physical interrupts ("pirqs"), for a privileged domain's drivers: a GSI
 * is mapped to a pirq number (map_pirq), the pirq bound to an event
 * channel (EVTCHNOP_bind_pirq); each time the line fires the port becomes
 * pending, and a level-triggered line stays masked until the domain says
 * PHYSDEVOP_eoi. Any cmd not listed here: -ENOSYS.
 */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4   /* legacy: EOI every pirq whose port is unmasked */

/* PHYSDEVOP_eoi (12): the domain has serviced pirq irq. */
#define PHYSDEVOP_eoi               12
struct physdev_eoi {
    uint32_t irq;                       /* IN: the pirq */
};

/* PHYSDEVOP_irq_status_query (5): must the domain say PHYSDEVOP_eoi? */
#define PHYSDEVOP_irq_status_query  5
#define XENIRQSTAT_needs_eoi        (1u << 0)
#define XENIRQSTAT_shared           (1u << 1)
struct physdev_irq_status_query {
    uint32_t irq;                       /* IN: the pirq */
    uint32_t flags;                     /* OUT: XENIRQSTAT_* */
};

#define PHYSDEVOP_set_iopl  6

struct physdev_set_iopl {
    uint32_t iopl;
};

/* PHYSDEVOP_apic_read (8) / apic_write (9): I/O APIC registers; the
 * hypervisor owns them (Tern: -EPERM to every domain). */
#define PHYSDEVOP_apic_read         8
#define PHYSDEVOP_apic_write        9
struct physdev_apic {
    uint64_t apic_physbase;             /* IN */
    uint32_t reg;                       /* IN */
    uint32_t value;                     /* IN or OUT */
};

/* PHYSDEVOP_alloc_irq_vector (10): the "vector" of an IRQ; Xen answers the
 * IRQ number itself (vectors are the hypervisor's). */
#define PHYSDEVOP_alloc_irq_vector  10
struct physdev_irq {
    uint32_t irq;                       /* IN */
    uint32_t vector;                    /* OUT */
};

/* PHYSDEVOP_map_pirq (13): map a GSI (index) of domid to a pirq; pirq < 0
 * in: any free one (the GSI's own mapping if it has one). */
#define PHYSDEVOP_map_pirq          13
#define MAP_PIRQ_TYPE_MSI           0x0
#define MAP_PIRQ_TYPE_GSI           0x1
#define MAP_PIRQ_TYPE_UNKNOWN       0x2
#define MAP_PIRQ_TYPE_MSI_SEG       0x3
#define MAP_PIRQ_TYPE_MULTI_MSI     0x4
struct physdev_map_pirq {
    uint16_t domid;                     /* IN */
    uint16_t pad;
    int32_t type;                       /* IN: MAP_PIRQ_TYPE_* */
    int32_t index;                      /* IN: the GSI */
    int32_t pirq;                       /* IN or OUT */
    int32_t bus;                        /* IN (MSI) */
    int32_t devfn;                      /* IN (MSI) */
    int32_t entry_nr;                   /* IN (MSI) */
    uint32_t pad2;
    uint64_t table_base;                /* IN (MSI) */
};

/* PHYSDEVOP_unmap_pirq (14). */
#define PHYSDEVOP_unmap_pirq        14
struct physdev_unmap_pirq {
    uint16_t domid;                     /* IN */
    uint16_t pad;
    int32_t pirq;                       /* IN */
};

/* PHYSDEVOP_setup_gsi (21): a GSI's trigger and polarity, from the
 * domain's ACPI tables, before it is mapped. */
#define PHYSDEVOP_setup_gsi         21
struct physdev_setup_gsi {
    int32_t gsi;                        /* IN */
    uint8_t triggering;                 /* IN: 0 edge, 1 level */
    uint8_t polarity;                   /* IN: 0 active high, 1 active low */
};

/* PHYSDEVOP_pirq_eoi_gmfn_v1 (17) / v2 (28): a page of "needs EOI" bits
 * (Tern: -ENOSYS; the guest then asks irq_status_query). */
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28

_Static_assert(sizeof(struct physdev_set_iopl) == 4, "physdev_set_iopl size");
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "physdev_map_pirq size");
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "physdev_unmap_pirq size");
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "physdev_setup_gsi size");
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic size");

#endif /* PUBLIC_PHYSDEV_H */
