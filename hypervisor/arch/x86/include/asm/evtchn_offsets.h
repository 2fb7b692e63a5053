/*
 * evtchn_offsets.h: the numbers evtchn_send_entry.S uses for C structures
 * and constants (struct domain's evtchn, struct evtchn, shared_info, the
 * hypercall's arguments). Plain defines, so assembly can include them;
 * evtchn_glue.c checks every one against the C side with _Static_assert,
 * so a changed layout stops the build instead of misreading a field.
 */
#ifndef EVTCHN_OFFSETS_H
#define EVTCHN_OFFSETS_H

#define EVF_HA_A1           0       /* struct hypercall_args: a1, the command */
#define EVF_HA_A2           8       /* a2, the guest's struct evtchn_send * */
#define EVF_OP_SEND         4       /* EVTCHNOP_send */
#define EVF_OP_UNMASK       9       /* EVTCHNOP_unmask */
#define EVF_D_EVTCHN        336     /* struct domain: evtchn */
#define EVF_D_ID            336     /* evtchn.id, domid_t */
#define EVF_D_SHARED        344     /* evtchn.shared */
#define EVF_D_PORTS         360     /* evtchn.ports[] */
#define EVF_PORT_SIZE       12      /* sizeof(struct evtchn) */
#define EVF_PORT_STATE      0       /* uint8_t state */
#define EVF_PORT_VCPU       2       /* notify_vcpu, uint16_t */
#define EVF_PORT_DOM        4       /* u.interdomain.dom, domid_t */
#define EVF_PORT_PEER       8       /* u.interdomain.port */
#define EVF_INTERDOMAIN     3       /* ECS_INTERDOMAIN */
#define EVF_MAX_PORTS       1024    /* EVTCHN_MAX_PORTS */
#define EVF_SI_PENDING      0x800   /* shared_info.evtchn_pending */
#define EVF_SI_MASK         0xa00   /* shared_info.evtchn_mask */
#define EVF_VI_SEL          8       /* vcpu_info.evtchn_pending_sel */
#define EVF_V_POLLING       4720    /* struct vcpu: polling, a bool */
#define EVF_GUEST_U32_LAST  ((1 << 47) - 4)   /* the last lower-half address of 4 bytes */

#endif /* EVTCHN_OFFSETS_H */
