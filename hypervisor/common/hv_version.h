/* Tern's own version, and the Xen version whose guest ABI it implements. */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#define TERN_VERSION          "0.1"
#define TERN_XEN_MAJOR        4
#define TERN_XEN_MINOR        17
#define TERN_XEN_EXTRAVERSION ".0-tern"

/* The hypervisor's command line as the boot loader gave it ("" if none). */
const char *hv_command_line(void);

#endif /* HV_VERSION_H */
