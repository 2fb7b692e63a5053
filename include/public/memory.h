/*
 * Tern guest ABI: __HYPERVISOR_memory_op (12), the subset for small guests.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's xen/include/public/memory.h; layouts pinned.
 *
 *   long memory_op(uint64_t cmd, void *arg);
 *
 *   cmd  IN  bits 0-5 (MEMOP_CMD_MASK): XENMEM_*; bits 6 and up
 *            (MEMOP_EXTENT_SHIFT): a continuation start index the
 *            hypervisor uses to restart long operations; guests pass 0
 *   arg  IN/OUT  guest VA of the sub-op's argument
 *
 * A 64-bit PV guest is not translated: every frame number it passes or
 * receives is a machine frame number (MFN).
 *
 * ERRORS common to every sub-op:
 *   -XEN_ENOSYS  unknown sub-op;
 *   -XEN_EFAULT  arg could not be read or written;
 *   -XEN_ESRCH   domid names no domain; -XEN_EPERM  not allowed for it.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <public/xen.h>

#define MEMOP_EXTENT_SHIFT  6
#define MEMOP_CMD_MASK      ((1U << MEMOP_EXTENT_SHIFT) - 1)

/* ---- Reservations (tier 1 and later) -------------------------------------
 *
 * XENMEM_increase_reservation (0), arg = struct xen_memory_reservation.
 *  1. Allocates nr_extents extents of 2^extent_order pages; their MFNs are
 *     written to extent_start[] (OUT). Returns the number allocated.
 *  2. The PV guest then updates its p2m and the M2P (MMU_MACHPHYS_UPDATE).
 *
 * XENMEM_decrease_reservation (1), arg = struct xen_memory_reservation.
 *  1. Gives back the extents whose MFNs are in extent_start[] (IN).
 *     Returns the number released.
 *
 * XENMEM_populate_physmap (6), arg = struct xen_memory_reservation.
 *  1. IN extent_start[] = pfns to populate; OUT = the MFNs now backing
 *     them (the hypervisor sets the M2P). Returns the number done.
 *
 * For all three: the whole extent_start array is range-checked before any
 * element is used; a partial result is reported by the return value.
 */
#define XENMEM_increase_reservation  0
#define XENMEM_decrease_reservation  1
#define XENMEM_populate_physmap      6

/* mem_flags */
#define XENMEMF_address_bits_mask        0xffU     /* max address bits, 0 = any */
#define XENMEMF_node_mask                0xff00U   /* NUMA node + 1, 0 = any */
#define XENMEMF_node_shift               8
#define XENMEMF_populate_on_demand       (1U << 16)
#define XENMEMF_exact_node_request       (1U << 17)
#define XENMEMF_vnode                    (1U << 18)

struct xen_memory_reservation {
    uint64_t extent_start;   /* IN/OUT: guest VA of a uint64_t frame array */
    uint64_t nr_extents;     /* IN: number of extents */
    uint32_t extent_order;   /* IN: extent = 2^order pages */
    uint32_t mem_flags;      /* IN: XENMEMF_* */
    domid_t  domid;          /* IN: DOMID_SELF for unprivileged guests */
    uint16_t pad[3];
};

/* ---- Tier 0 ---------------------------------------------------------------
 *
 * XENMEM_maximum_ram_page (2), arg ignored.
 *  1. Returns the number of machine frames up to the end of host RAM, one
 *     more than the highest RAM MFN (Xen 4.17 under QEMU with 256 MiB:
 *     0xffe0, while the initial domain's machphys_mapping.max_mfn is
 *     0xffdf). Never fails.
 *
 * XENMEM_current_reservation (3), arg = domid_t (IN).
 *  1. Returns the number of pages the domain currently has.
 *
 * XENMEM_maximum_reservation (4), arg = domid_t (IN).
 *  1. Returns the domain's maximum number of pages.
 *
 * For 3 and 4, domid is DOMID_SELF or, for a privileged caller, any domain.
 */
#define XENMEM_maximum_ram_page      2
#define XENMEM_current_reservation   3
#define XENMEM_maximum_reservation   4

/*
 * XENMEM_machphys_mfn_list (5), arg = struct xen_machphys_mfn_list.
 *  1. Writes up to max_extents MFNs of the 2 MiB chunks backing the M2P to
 *     extent_start[]; OUT nr_extents = how many. Returns 0.
 */
#define XENMEM_machphys_mfn_list     5
struct xen_machphys_mfn_list {
    uint32_t max_extents;    /* IN: capacity of extent_start[] */
    uint32_t pad0;
    uint64_t extent_start;   /* OUT: guest VA of a uint64_t array */
    uint32_t nr_extents;     /* OUT: entries written */
    uint32_t pad1;
};

/*
 * XENMEM_memory_map (9), arg = struct xen_memory_map (IN/OUT).
 *  1. Copies the domain's pseudo-physical memory map, as packed
 *     struct xen_e820_entry records, to buffer.
 *  2. IN nr_entries = capacity of buffer (entries); OUT = entries written.
 *     Returns 0.
 *  3. A domU's map is what the toolstack set (usually one RAM entry
 *     [0, maxmem)); Xen returns -XEN_ENOSYS for a domain with no map.
 *
 * XENMEM_machine_memory_map (10): the same for the host map; privileged.
 */
#define XENMEM_memory_map            9
#define XENMEM_machine_memory_map   10

struct xen_memory_map {
    uint32_t nr_entries;     /* IN: buffer capacity; OUT: entries written */
    uint32_t pad;
    uint64_t buffer;         /* OUT: guest VA of struct xen_e820_entry[] */
};

#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3
#define E820_NVS        4
#define E820_UNUSABLE   5

struct xen_e820_entry {
    uint64_t addr;           /* start, bytes */
    uint64_t size;           /* length, bytes */
    uint32_t type;           /* E820_* */
} __attribute__((packed));

/*
 * XENMEM_machphys_mapping (12), arg = struct xen_machphys_mapping (OUT).
 *  1. Where the read-only M2P table is: [v_start, v_end), and the highest
 *     MFN it covers. Returns 0.
 */
#define XENMEM_machphys_mapping     12
struct xen_machphys_mapping {
    uint64_t v_start;        /* OUT: MACH2PHYS_VIRT_START */
    uint64_t v_end;          /* OUT: end of the M2P window (Xen 4.17:
                                MACH2PHYS_VIRT_END) */
    uint64_t max_mfn;        /* OUT: highest MFN that may be looked up:
                                Xen gives the hardware domain the highest
                                RAM MFN, others MACH2PHYS_NR_ENTRIES - 1 */
};

/*
 * XENMEM_exchange (11), arg = struct xen_memory_exchange (IN/OUT).
 *  Trades the caller's frames listed in `in` (MFNs, 2^in.extent_order
 *  each) for new ones: `out` lists the pfns the new extents are to be
 *  (their M2P entries are set so) and gets their MFNs back. NOTES:
 *  1. in and out name the same number of frames, and the same domain;
 *  2. the work goes by chunks of the larger order: a chunk either happens
 *     whole or not at all, and nr_exchanged (input extents) says how far
 *     the call got, also on an error; a call may continue itself;
 *  3. an input frame must be the domain's and unused (no mapping, no type,
 *     not the hypervisor's shared page): -EINVAL otherwise;
 *  4. out.mem_flags' address bits bound the new frames (Linux asks for
 *     machine-contiguous memory below 4 GiB).
 * Errors: -EFAULT, -EINVAL (sizes, domains, nr_exchanged, a frame, an
 * order above 9), -EPERM (another domain), -ESRCH (no such domain),
 * -ENOMEM (no such extent free).
 */
#define XENMEM_exchange             11
struct xen_memory_exchange {
    struct xen_memory_reservation in;    /* IN: the frames given */
    struct xen_memory_reservation out;   /* IN: pfns; OUT: the new MFNs */
    uint64_t nr_exchanged;               /* IN/OUT: input extents done */
};

/*
 * XENMEM_maximum_gpfn (14), arg = domid_t (IN).
 *  1. Returns the highest pfn the domain uses.
 */
#define XENMEM_maximum_gpfn         14

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation size");
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "xen_memory_exchange size");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64, "exchange.nr_exchanged");
_Static_assert(offsetof(struct xen_memory_reservation, extent_start) == 0, "reservation.extent_start");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8, "reservation.nr_extents");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "reservation.extent_order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20, "reservation.mem_flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "reservation.domid");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "xen_machphys_mfn_list size");
_Static_assert(offsetof(struct xen_machphys_mfn_list, extent_start) == 8, "mfn_list.extent_start");
_Static_assert(offsetof(struct xen_machphys_mfn_list, nr_extents) == 16, "mfn_list.nr_extents");
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map size");
_Static_assert(offsetof(struct xen_memory_map, nr_entries) == 0, "xen_memory_map.nr_entries");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "xen_memory_map.buffer");
_Static_assert(sizeof(struct xen_e820_entry) == 20, "xen_e820_entry size");
_Static_assert(offsetof(struct xen_e820_entry, size) == 8, "xen_e820_entry.size");
_Static_assert(offsetof(struct xen_e820_entry, type) == 16, "xen_e820_entry.type");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "xen_machphys_mapping size");

#endif /* PUBLIC_MEMORY_H */
