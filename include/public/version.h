/*
 * Tern guest ABI: __HYPERVISOR_xen_version (17).
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's xen/include/public/version.h; layouts pinned.
 *
 *   long xen_version(int32_t cmd, void *arg);
 *
 *   cmd  IN   XENVER_*
 *   arg  OUT  guest VA of the command's result buffer (IN/OUT for
 *             get_features and build_id), or 0 where none
 *
 * ERRORS common to every command:
 *   -XEN_ENOSYS  unknown cmd;
 *   -XEN_EFAULT  arg could not be written (or read, for get_features).
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <public/xen.h>

/* XENVER_version (0), arg ignored.
 *  1. Returns (major << 16) | minor, e.g. 0x40011 for 4.17. */
#define XENVER_version              0

/* XENVER_extraversion (1), arg = xen_extraversion_t (OUT).
 *  1. NUL-terminated rest of the version string (Xen 4.17.7: ".7").
 *     Returns 0. */
#define XENVER_extraversion         1
#define XEN_EXTRAVERSION_LEN       16
typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];

/* XENVER_compile_info (2), arg = struct xen_compile_info (OUT). Returns 0. */
#define XENVER_compile_info         2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

/* XENVER_capabilities (3), arg = xen_capabilities_info_t (OUT).
 *  1. Space-separated guest types the hypervisor runs; includes
 *     "xen-3.0-x86_64" when it runs 64-bit PV guests. Returns 0.
 *     (Debian's Xen 4.17 under QEMU: "xen-3.0-x86_64 hvm-3.0-x86_32
 *     hvm-3.0-x86_32p hvm-3.0-x86_64 ", with a trailing space.) */
#define XENVER_capabilities         3
#define XEN_CAPABILITIES_INFO_LEN 1024
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];

/* XENVER_changeset (4), arg = xen_changeset_info_t (OUT).
 *  1. NUL-terminated source revision description. Returns 0. */
#define XENVER_changeset            4
#define XEN_CHANGESET_INFO_LEN     64
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];

/* XENVER_platform_parameters (5), arg = struct xen_platform_parameters (OUT).
 *  1. virt_start = start of the hypervisor's reserved virtual range
 *     (HYPERVISOR_VIRT_START for 64-bit PV). Returns 0. */
#define XENVER_platform_parameters  5
struct xen_platform_parameters {
    uint64_t virt_start;
};

/* XENVER_get_features (6), arg = struct xen_feature_info (IN/OUT).
 *  1. IN submap_idx; OUT submap = the 32 XENFEAT_* bits of that submap.
 *  2. Returns 0. An index >= XENFEAT_NR_SUBMAPS gives -XEN_EINVAL.
 *  3. Xen 4.17 gives its 64-bit PV dom0 0x228e0 in submap 0:
 *     mmu_pt_update_preserve_ad, highmem_assist, gnttab_map_avail_bits,
 *     dom0, memory_op_vnode_supported, direct_mapped. */
#define XENVER_get_features         6
struct xen_feature_info {
    uint32_t submap_idx;     /* IN: which 32-bit submap */
    uint32_t submap;         /* OUT: its bits */
};

/* XENVER_pagesize (7), arg ignored.
 *  1. Returns the page size, 4096. */
#define XENVER_pagesize             7

/* XENVER_guest_handle (8), arg = xen_domain_handle_t (OUT).
 *  1. The domain's 16-byte handle (UUID) given by the toolstack. Returns 0. */
#define XENVER_guest_handle         8
typedef uint8_t xen_domain_handle_t[16];

/* XENVER_commandline (9), arg = xen_commandline_t (OUT).
 *  1. The hypervisor's command line, NUL-terminated. Returns 0.
 *     (Real Xen may refuse it to unprivileged domains.) */
#define XENVER_commandline          9
#define XEN_COMMANDLINE_LEN      1024
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];

/* XENVER_build_id (10), arg = struct xen_build_id (IN/OUT).
 *  1. IN len = size of buf; OUT buf = the build id bytes.
 *  2. Returns the number of bytes written; with arg 0, the size needed.
 * ERRORS: -XEN_ENODATA no build id; -XEN_ENOBUFS len too small;
 *         -XEN_EPERM refused to this domain. */
#define XENVER_build_id            10
struct xen_build_id {
    uint32_t len;            /* IN: size of buf */
    uint8_t  buf[];          /* OUT: the build id */
};

_Static_assert(sizeof(xen_extraversion_t) == 16, "xen_extraversion_t size");
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info size");
_Static_assert(offsetof(struct xen_compile_info, compile_by) == 64, "xen_compile_info.compile_by");
_Static_assert(offsetof(struct xen_compile_info, compile_domain) == 80, "xen_compile_info.compile_domain");
_Static_assert(offsetof(struct xen_compile_info, compile_date) == 112, "xen_compile_info.compile_date");
_Static_assert(sizeof(xen_capabilities_info_t) == 1024, "xen_capabilities_info_t size");
_Static_assert(sizeof(xen_changeset_info_t) == 64, "xen_changeset_info_t size");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_platform_parameters size");
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info size");
_Static_assert(offsetof(struct xen_feature_info, submap) == 4, "xen_feature_info.submap");
_Static_assert(sizeof(xen_domain_handle_t) == 16, "xen_domain_handle_t size");
_Static_assert(sizeof(xen_commandline_t) == 1024, "xen_commandline_t size");
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id header size");

#endif /* PUBLIC_VERSION_H */
