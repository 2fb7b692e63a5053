/*
 * Grant tables, version 1: how a domain lets another map or copy one of
 * its pages. Values and layouts are Xen's (xen/include/public/
 * grant_table.h). Permission is granted, free of charge, to use, copy,
 * modify and distribute this header for any purpose (MIT licence).
 *
 * A domain's grant table is an array of struct grant_entry_v1 in frames
 * the hypervisor shares with it (GNTTABOP_setup_table gives their MFNs),
 * 512 entries a frame. The granter writes an entry (domid, then frame,
 * then a write barrier, then flags with the type); the hypervisor sets
 * GTF_reading / GTF_writing in flags, by compare-and-swap, while another
 * domain maps or copies the frame, and clears them afterwards. A granter
 * revokes an entry by swapping flags to 0, which fails while either bit
 * is set. Entries 0-7 are reserved: 0 grants the console page, 1 the
 * xenstore page, to their backends.
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* ---- the shared entries (written by the granter, flags also by us) ---- */

struct grant_entry_v1 {
    uint16_t flags;          /* GTF_*: type, then status bits */
    uint16_t domid;          /* the domain given access */
    uint32_t frame;          /* the frame it may use (an MFN for a PV granter) */
};

#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

#define GTF_invalid          0u
#define GTF_permit_access    1u
#define GTF_accept_transfer  2u
#define GTF_transitive       3u
#define GTF_type_mask        3u
#define GTF_readonly         (1u << 2)   /* granter: read-only access only */
#define GTF_reading          (1u << 3)   /* hypervisor: in use */
#define GTF_writing          (1u << 4)   /* hypervisor: in use for writing */
#define GTF_PWT              (1u << 5)
#define GTF_PCD              (1u << 6)
#define GTF_PAT              (1u << 7)
#define GTF_sub_page         (1u << 8)
/* accept_transfer: the hypervisor's progress with a page given to us. */
#define GTF_transfer_committed  (1u << 2)
#define GTF_transfer_completed  (1u << 3)

/* ---- grant_table_op(cmd, uops, count) (#20) ---------------------------- *
 * uops is an array of count structures of cmd's type; each one's status
 * says how it went (GNTST_*). The call returns 0, or a negative errno when
 * the whole call fails (-EFAULT: uops unreadable; -ENOSYS: unknown cmd;
 * -EINVAL: a count setup_table does not take). */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11
#define GNTTABOP_cache_flush         12

/* map_grant_ref flags */
#define GNTMAP_device_map        (1u << 0)   /* give the machine address */
#define GNTMAP_host_map          (1u << 1)   /* map it at host_addr */
#define GNTMAP_readonly          (1u << 2)
#define GNTMAP_application_map   (1u << 3)   /* a user (ring 3 user) mapping */
#define GNTMAP_contains_pte      (1u << 4)   /* host_addr: a PTE's machine address */
#define _GNTMAP_guest_avail0     16          /* these bits, up from bit 16, */
#define GNTMAP_guest_avail_mask  0xffff0000u /* go to the PTE's bits 9-11 */

struct gnttab_map_grant_ref {
    uint64_t host_addr;      /* IN */
    uint32_t flags;          /* IN: GNTMAP_* */
    grant_ref_t ref;         /* IN */
    uint16_t dom;            /* IN: the granter */
    int16_t status;          /* OUT: GNTST_* */
    grant_handle_t handle;   /* OUT: for unmap */
    uint64_t dev_bus_addr;   /* OUT: with GNTMAP_device_map */
};

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;      /* IN: as mapped */
    uint64_t dev_bus_addr;   /* IN */
    grant_handle_t handle;   /* IN */
    int16_t status;          /* OUT */
};

struct gnttab_setup_table {
    uint16_t dom;            /* IN: DOMID_SELF, or a domain for a privileged caller */
    uint32_t nr_frames;      /* IN: at least this many frames */
    int16_t status;          /* OUT */
    uint64_t frame_list;     /* IN: guest address of nr_frames uint64_t, OUT MFNs */
};

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;     /* with GNTCOPY_*_gref */
        uint64_t gmfn;       /* without: a frame of domid's */
    } u;
    uint16_t domid;
    uint16_t offset;
};

#define GNTCOPY_source_gref  (1u << 0)
#define GNTCOPY_dest_gref    (1u << 1)

struct gnttab_copy {
    struct gnttab_copy_ptr source;   /* IN */
    struct gnttab_copy_ptr dest;     /* IN */
    uint16_t len;                    /* IN: within one page on each side */
    uint16_t flags;                  /* IN: GNTCOPY_* */
    int16_t status;                  /* OUT */
};

struct gnttab_query_size {
    uint16_t dom;            /* IN */
    uint32_t nr_frames;      /* OUT */
    uint32_t max_nr_frames;  /* OUT */
    int16_t status;          /* OUT */
};

struct gnttab_set_version {
    uint32_t version;        /* IN: 1 (IN/OUT on Xen: the version in force) */
};

struct gnttab_get_version {
    uint16_t dom;            /* IN */
    uint16_t pad;
    uint32_t version;        /* OUT */
};

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;       /* IN */
    grant_ref_t ref_b;       /* IN */
    int16_t status;          /* OUT */
};

struct gnttab_unmap_and_replace {
    uint64_t host_addr;      /* IN: a grant mapping of the caller's */
    uint64_t new_addr;       /* IN: a mapping whose entry takes its place */
    grant_handle_t handle;   /* IN */
    int16_t status;          /* OUT */
};

struct gnttab_transfer {
    uint64_t mfn;            /* IN: a frame of the caller's */
    uint16_t domid;          /* IN */
    grant_ref_t ref;         /* IN */
    int16_t status;          /* OUT */
};

struct gnttab_get_status_frames {
    uint32_t nr_frames;      /* IN */
    uint16_t dom;            /* IN */
    int16_t status;          /* OUT */
    uint64_t frame_list;     /* IN */
};

struct gnttab_cache_flush {
    uint64_t a;              /* a gref or a frame's machine address */
    uint16_t offset;
    uint16_t length;
    uint32_t op;             /* GNTTAB_CACHE_* */
};

/* Status codes. */
#define GNTST_okay               0
#define GNTST_general_error     -1
#define GNTST_bad_domain        -2
#define GNTST_bad_gntref        -3
#define GNTST_bad_handle        -4
#define GNTST_bad_virt_addr     -5
#define GNTST_bad_dev_addr      -6
#define GNTST_no_device_space   -7
#define GNTST_permission_denied -8
#define GNTST_bad_page          -9
#define GNTST_bad_copy_arg     -10
#define GNTST_address_too_big  -11
#define GNTST_eagain           -12
#define GNTST_no_space         -13

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 size");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref size");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "map.status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map.dev_bus_addr");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref size");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "unmap.status");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table size");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "setup.status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "setup.frame_list");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy size");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy.len");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy.status");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size size");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "query.status");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version size");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref size");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_and_replace size");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, status) == 20, "replace.status");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer size");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16, "transfer.status");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames size");
_Static_assert(offsetof(struct gnttab_get_status_frames, status) == 6, "status_frames.status");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush size");

#endif /* PUBLIC_GRANT_TABLE_H */
