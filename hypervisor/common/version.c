/*
 * version.c: xen_version (#17). Tern implements the 64-bit PV ABI of Xen
 * 4.17, so that is the version a guest is told; the extra version names
 * Tern. Buffers are copied out whole, as Xen does, so a guest never sees a
 * partly written one.
 */
#include "hypercall.h"
#include "cmdline_options.h"
#include "err.h"
#include "hv_version.h"
#include "vcpu_copy.h"
#include <public/features.h>
#include <public/version.h>

static int64_t put(struct vcpu *v, uint64_t arg, const void *src, size_t len)
{

    return vcpu_copy_to(v, arg, src, len);
}

/* A NUL-terminated string in a zeroed fixed-size field. */
static void set_field(char *field, size_t size, const char *s)
{
    memset(field, 0, size);
    memcpy(field, s, MIN(strlen(s), size - 1));
}

static int64_t put_string(struct vcpu *v, uint64_t arg, const char *s, size_t field)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];

    set_field(buf, field, s);
    return put(v, arg, buf, field);
}

static uint32_t feature_submap0(const struct domain *d)
{
    return TERN_PV_FEATURES | (d->privileged ? 1u << XENFEAT_dom0 : 0);
}

static int64_t get_features(struct vcpu *v, uint64_t arg)
{
    struct xen_feature_info fi;

    if (vcpu_copy_from(v, &fi, arg, sizeof(fi)))
        return -EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -EINVAL;
    fi.submap = feature_submap0(v->domain);
    return vcpu_copy_to(v, arg, &fi, sizeof(fi));
}

static int64_t compile_info(struct vcpu *v, uint64_t arg)
{
    struct xen_compile_info ci;

    set_field(ci.compiler, sizeof(ci.compiler), "gcc " __VERSION__);
    set_field(ci.compile_by, sizeof(ci.compile_by), "tern");
    set_field(ci.compile_domain, sizeof(ci.compile_domain), "tern");
    set_field(ci.compile_date, sizeof(ci.compile_date), "reproducible");
    return put(v, arg, &ci, sizeof(ci));
}

static int64_t commandline(struct vcpu *v, uint64_t arg)
{
    if (!v->domain->privileged)
        return -EPERM;
    return put_string(v, arg, hv_command_line(), XEN_COMMANDLINE_LEN);
}

/* Every command but XENVER_version, which do_xen_version answers before
 * this frame with its buffers is set up (the null hypercall's cost). */
static __attribute__((noinline)) int64_t xen_version_query(struct vcpu *v,
                                                           const struct hypercall_args *a)
{
    static const uint8_t handle[16];
    const struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };

    switch (a->a1) {
    case XENVER_extraversion:
        return put_string(v, a->a2, TERN_XEN_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info: return compile_info(v, a->a2);
    case XENVER_capabilities:
        return put_string(v, a->a2, "xen-3.0-x86_64", XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return put_string(v, a->a2, "tern " TERN_VERSION, XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters: return put(v, a->a2, &pp, sizeof(pp));
    case XENVER_get_features: return get_features(v, a->a2);
    case XENVER_pagesize:  return PAGE_SIZE;
    case XENVER_guest_handle: return put(v, a->a2, handle, sizeof(handle));
    case XENVER_commandline: return commandline(v, a->a2);
    case XENVER_build_id:  return -ENODATA;   /* the image has no build id */
    default:               return unimpl_enosys(v->domain, UNIMPL_XEN_VERSION, a->a1);
    }
}

int64_t do_xen_version(struct vcpu *v, const struct hypercall_args *a)
{
    if (a->a1 == XENVER_version)
        return (TERN_XEN_MAJOR << 16) | TERN_XEN_MINOR;
    return xen_version_query(v, a);
}
