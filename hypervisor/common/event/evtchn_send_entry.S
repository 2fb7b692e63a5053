/*
 * evtchn_send_entry.S: int64_t do_event_channel_op(struct vcpu *v,
 *                                                   const struct hypercall_args *a)
 * The hypercall's entry (hypercalls.def), with EVTCHNOP_send's common
 * case in assembly: a loopback port (INTERDOMAIN, its peer in our own
 * domain) read directly from the guest. It sets the peer's pending bit
 * and hands the rest of the delivery (mask, selector, upcall, kick, a
 * poller) to evtchn_newly_pending_fast, the model's own code
 * (evtchn_2l.h). Any other port, once read, goes to evtchn_send_fast, the
 * model's whole send; any other command, or a port not read directly,
 * goes to event_channel_op_c (event_channel_op.c), which stays the
 * definition.
 * C calling convention, no stack: rdi and rsi are intact at every jump
 * to C.
 *
 * Invariants, each enforced below where it is said:
 *  - the guest is read only where guest_range_ok allows 4 bytes (from
 *    HV_VIRT_END up without wrapping, or ending below 2^47), with v's
 *    kernel root in CR3 (vcpu_copy_direct's rules),
 *    with an exception-table entry: a fault goes to the C path, which
 *    reads through the walk and answers -EFAULT itself; under SMAP, stac
 *    opens the window for exactly that load;
 *  - the port is below EVTCHN_MAX_PORTS before it indexes ports[];
 *  - only a port in state INTERDOMAIN whose peer domain is v's own is
 *    taken here: the peer's domain is the running one, so it is alive,
 *    and the peer port names us back (evtchn.c's invariant), so it is
 *    below EVTCHN_MAX_PORTS; any other port is evtchn_send_fast's, which
 *    checks everything again (range, state, the peer's domain alive);
 *  - the pending bit is set with one locked bit-test-and-set, as
 *    evtchn_2l_set_pending does; set before: nothing more (0), as there.
 */
#include <asm/fast_offsets.h>
#include <layout.h>
#include "evtchn_offsets.h"

        .text
        .code64
        .globl  do_event_channel_op
        .hidden do_event_channel_op
        .type   do_event_channel_op, @function
do_event_channel_op:
        cmpq    $EVF_OP_SEND, EVF_HA_A1(%rsi)
        jne     event_channel_op_c
        movq    EVF_HA_A2(%rsi), %rdx           /* the guest's struct evtchn_send * */
        movabsq $HV_VIRT_END, %rax
        cmpq    %rax, %rdx
        jb      .Llower
        cmpq    $-4, %rdx
        ja      event_channel_op_c              /* the 4 bytes would wrap */
.Lroot: movq    %cr3, %rax
        cmpq    V_CR3(%rdi), %rax
        jne     event_channel_op_c              /* not on v's kernel root */
        cmpb    $0, guest_copy_smap(%rip)
        je      1f
        stac
1:
9:      movl    (%rdx), %ecx                    /* the port */
        cmpb    $0, guest_copy_smap(%rip)
        je      2f
        clac
2:      movq    V_DOMAIN(%rdi), %rdx
        cmpl    $EVF_MAX_PORTS, %ecx
        jae     .Lmodel                         /* the model: -EINVAL */
        leaq    (%rcx,%rcx,2), %rax             /* ports[port]: 12 bytes each */
        leaq    EVF_D_PORTS(%rdx,%rax,4), %rax
        cmpb    $EVF_INTERDOMAIN, EVF_PORT_STATE(%rax)
        jne     .Lmodel
        movzwl  EVF_PORT_DOM(%rax), %r8d
        cmpw    EVF_D_ID(%rdx), %r8w
        jne     .Lmodel                         /* another domain's port */
        movl    EVF_PORT_PEER(%rax), %esi       /* the peer, ours, below the max */
        movq    EVF_D_SHARED(%rdx), %r8
        lock btsq %rsi, EVF_SI_PENDING(%r8)     /* bit string: word port/64 */
        jc      3f                              /* already pending: one edge only */
        leaq    EVF_D_EVTCHN(%rdx), %rdi
        jmp     evtchn_newly_pending_fast       /* (d->evtchn, peer port) */
3:      xorl    %eax, %eax
        ret

/* Any other port: the model's whole send on the port as read. */
.Lmodel:
        leaq    EVF_D_EVTCHN(%rdx), %rdi
        movl    %ecx, %esi
        jmp     evtchn_send_fast                /* (d->evtchn, port) */

.Llower:
        movabsq $EVF_GUEST_U32_LAST, %rax
        cmpq    %rax, %rdx
        jbe     .Lroot
        jmp     event_channel_op_c              /* not all below 2^47 */

/* The load faulted (the fault handler's iretq brought AC back): C reads
 * the port again through the walk; nothing was changed. */
.Lport_fault:
        cmpb    $0, guest_copy_smap(%rip)
        je      event_channel_op_c
        clac
        jmp     event_channel_op_c
        .size   do_event_channel_op, . - do_event_channel_op

        .section .extable, "a"
        .balign 4
        .long   9b - .
        .long   .Lport_fault - .
        .previous
