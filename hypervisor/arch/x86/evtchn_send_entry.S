/*
 * evtchn_send_entry.S: int64_t do_event_channel_op(struct vcpu *v,
 *                                                   const struct hypercall_args *a)
 * The hypercall's entry (hypercalls.def), with EVTCHNOP_send's common
 * case in assembly: a loopback port (INTERDOMAIN, its peer in our own
 * domain) read directly from the guest. It sets the peer's pending bit
 * and, when the event is for the calling vCPU and nobody polls, the
 * selector and upcall_pending bits; a kick or a poller goes to
 * evtchn_newly_pending_fast, the model's own code (evtchn_2l.h) for the
 * rest of the delivery. Any other port, once read, goes to
 * evtchn_send_fast, the model's whole send; any other command, or a port
 * not read directly,
 * goes to event_channel_op_c (event_channel_op.c), which stays the
 * definition. EVTCHNOP_unmask's port is read the same way and goes to
 * the model's unmask (evtchn_unmask_fast).
 * C calling convention, no stack: rdi and rsi are intact at every jump
 * to C.
 *
 * Invariants, each enforced below where it is said:
 *  - the guest is read only where guest_range_ok allows 4 bytes (from
 *    HV_VIRT_END up without wrapping, or ending below 2^47), with v's
 *    kernel root in CR3 (vcpu_copy_direct's rules), with an
 *    exception-table entry: a fault goes to the C path, which
 *    reads through the walk and answers -EFAULT itself; under SMAP, stac
 *    opens the window for exactly that load;
 *  - the port is below EVTCHN_MAX_PORTS before it indexes ports[];
 *  - only a port in state INTERDOMAIN whose peer domain is v's own is
 *    taken here: the peer's domain is the running one, so it is alive,
 *    and the peer port names us back (evtchn.c's invariant), so it is
 *    below EVTCHN_MAX_PORTS; any other port is evtchn_send_fast's, which
 *    checks everything again (range, state, the peer's domain alive);
 *  - pending, then (unmasked) the selector, then upcall_pending, each
 *    with one atomic operation, in evtchn_2l_newly_pending's order; a
 *    bit already set stops there, as in the model;
 *  - the kick is skipped only for the calling vCPU: it is running, and
 *    vcpu_wake acts on a blocked vCPU only; a poller is looked for only
 *    on the caller, which is every vCPU of the domain (EVTCHN_MAX_VCPUS
 *    is 1, asserted in evtchn_glue.c); a polling caller cannot be here
 *    (it is blocked), but if the flag is set, the model does the rest.
 */
#include <asm/fast_offsets.h>
#include <layout.h>
#include <asm/evtchn_offsets.h>

/* ecx = the 4-byte port at guest address rdx, read directly; or, when it
 * cannot be (its range, the root in CR3, a fault), a jump to
 * event_channel_op_c with rdi and rsi intact, nothing changed. */
        .macro  read_port
        movabsq $HV_VIRT_END, %rax
        cmpq    %rax, %rdx
        jae     .Lupper\@
        movabsq $EVF_GUEST_U32_LAST, %rax
        cmpq    %rax, %rdx
        ja      event_channel_op_c              /* not all below 2^47 */
        jmp     .Lroot\@
.Lupper\@:
        cmpq    $-4, %rdx
        ja      event_channel_op_c              /* the 4 bytes would wrap */
.Lroot\@:
        movq    %cr3, %rax
        cmpq    V_CR3(%rdi), %rax
        jne     event_channel_op_c              /* not on v's kernel root */
        cmpb    $0, guest_copy_smap(%rip)
        je      .Lopen\@
        stac
.Lopen\@:
.Lload\@:
        movl    (%rdx), %ecx
        cmpb    $0, guest_copy_smap(%rip)
        je      .Lclosed\@
        clac
.Lclosed\@:
        .section .extable, "a"
        .balign 4
        .long   .Lload\@ - .
        .long   .Lport_fault - .
        .previous
        .endm

        .text
        .code64
        .globl  do_event_channel_op
        .hidden do_event_channel_op
        .type   do_event_channel_op, @function
do_event_channel_op:
        cmpq    $EVF_OP_SEND, EVF_HA_A1(%rsi)
        jne     .Lnot_send
        movq    EVF_HA_A2(%rsi), %rdx           /* the guest's struct evtchn_send * */
        read_port
        movq    V_DOMAIN(%rdi), %rdx
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

        /* evtchn_2l_newly_pending for the caller's own vCPU; other cases
         * to the model's code, from the mask test on. */
        cmpb    $0, EVF_V_POLLING(%rdi)
        jne     .Lrest                          /* a poller to wake */
        btq     %rsi, EVF_SI_MASK(%r8)
        jc      3f                              /* masked: nothing more */
        leaq    (%rsi,%rsi,2), %rax
        movzwl  (EVF_D_PORTS + EVF_PORT_VCPU)(%rdx,%rax,4), %eax
        cmpl    V_ID(%rdi), %eax
        jne     .Lrest                          /* another vCPU's: its kick */
        movq    D_VCPU_INFO(%rdx,%rax,8), %r9   /* evtchn_vcpu_info */
        testq   %r9, %r9
        jnz     4f
        shlq    $VI_SHIFT, %rax
        leaq    (%r8,%rax), %r9
4:      shrl    $6, %esi                        /* the selector bit: port / 64 */
        lock btsq %rsi, EVF_VI_SEL(%r9)
        jc      3f
        movb    $1, %al
        xchgb   %al, VI_PENDING(%r9)            /* the caller runs: no kick */
3:      xorl    %eax, %eax
        ret

.Lrest: leaq    EVF_D_EVTCHN(%rdx), %rdi
        jmp     evtchn_newly_pending_fast       /* (d->evtchn, peer port) */

/* Any other port: the model's whole send on the port as read. */
.Lmodel:
        leaq    EVF_D_EVTCHN(%rdx), %rdi
        movl    %ecx, %esi
        jmp     evtchn_send_fast                /* (d->evtchn, port) */

/* EVTCHNOP_unmask: the port read as for send, then the model's unmask. */
.Lnot_send:
        cmpq    $EVF_OP_UNMASK, EVF_HA_A1(%rsi)
        jne     event_channel_op_c
        movq    EVF_HA_A2(%rsi), %rdx           /* the guest's struct evtchn_unmask * */
        read_port
        movq    V_DOMAIN(%rdi), %rdi
        addq    $EVF_D_EVTCHN, %rdi
        movl    %ecx, %esi
        jmp     evtchn_unmask_fast              /* (d->evtchn, port) */

/* The load faulted (the fault handler's iretq brought AC back): C reads
 * the port again through the walk; nothing was changed. */
.Lport_fault:
        cmpb    $0, guest_copy_smap(%rip)
        je      event_channel_op_c
        clac
        jmp     event_channel_op_c
        .size   do_event_channel_op, . - do_event_channel_op
