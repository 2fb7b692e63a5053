/*
 * pirq_glue.c: domains' physical interrupts, pirq.c's answers acted out.
 * One GSI table for the machine (built the first time a domain asks, when
 * the hypervisor's own lines are all registered) and one pirq table per
 * domain that maps a GSI (heap, freed at its teardown).
 *
 * Invariants:
 *  1. a GSI's I/O APIC input is unmasked only while pirq.c says BOUND:
 *     every transition out of BOUND (fire of a level line, close, unmap,
 *     teardown) masks it here, before anything else can run;
 *  2. a line fires into the event channel of the domain that owns it and
 *     of nobody else; a line nobody owns any more is masked again;
 *  3. only ever a GSI below PIRQ_MAX_GSIS is routed, on GSI_VECTOR_BASE +
 *     gsi, so a vector names its GSI and no hypervisor vector is reused.
 */
#include "console.h"
#include "domain.h"
#include "err.h"
#include "evtchn_glue.h"
#include "heap.h"
#include "pirq_glue.h"
#include <asm/apic.h>
#include <asm/irq.h>

static struct gsi_table gsis;
static bool gsis_ready;

/* The machine's lines, as the hypervisor leaves them to domains. */
static struct gsi_table *machine_gsis(void)
{
    if (gsis_ready)
        return &gsis;
    gsi_table_init(&gsis, irq_apic_mode() ? ioapic_nr_gsis() : 0);
    for (uint32_t gsi = 0; gsi < gsis.nr; gsi++) {
        struct gsi_line *l = &gsis.line[gsi];

        l->hv_owned = irq_gsi_is_hypervisors(gsi);
        (void)irq_isa_signal(gsi, &l->level, &l->active_low);
    }
    gsis_ready = true;
    log_info("pirq: GSIs 0-%u may be mapped by domain 0%s\n", gsis.nr ? gsis.nr - 1 : 0,
             gsis.nr ? "" : " (none: no I/O APIC)");
    return &gsis;
}

static struct domain *owner_of(struct evtchn_domain *e)
{
    return (struct domain *)((char *)e - __builtin_offsetof(struct domain, evtchn));
}

/* The domain a map/unmap names: the caller for DOMID_SELF, another one
 * that is running, else -ESRCH (before the privilege check, as Xen). */
static int target(struct vcpu *v, domid_t id, struct domain **out)
{
    struct domain *d = id == DOMID_SELF ? v->domain : domain_by_id(id);

    if (!d || d->state != DOMAIN_RUNNING)
        return -ESRCH;
    *out = d;
    return 0;
}

/* d's pirq table, made on first use (3 KiB, once per domain, returned
 * at its teardown); NULL when the heap is out. */
static struct pirq_table *table_of(struct domain *d)
{
    if (!d->pirqs) {
        d->pirqs = heap_alloc(sizeof(*d->pirqs));
        if (d->pirqs)
            pirq_table_init(d->pirqs);
    }
    return d->pirqs;
}

static bool is_msi(int32_t type)
{
    return type == MAP_PIRQ_TYPE_MSI || type == MAP_PIRQ_TYPE_MSI_SEG ||
           type == MAP_PIRQ_TYPE_MULTI_MSI;
}

int pirq_op_map(struct vcpu *v, struct physdev_map_pirq *m)
{
    bool privileged = v->domain->privileged;
    struct domain *d;
    int rc = target(v, m->domid, &d);

    if (rc)
        return rc;
    if (m->type != MAP_PIRQ_TYPE_GSI)    /* no MSI: Xen's answer with msi=off */
        return !privileged || is_msi(m->type) ? -EPERM : -EINVAL;
    if (!table_of(d))
        return -ENOMEM;
    rc = pirq_map_gsi(machine_gsis(), d->pirqs, privileged, d->id, m->index, &m->pirq);
    if (rc == 0)
        log_debug("d%u: GSI %d mapped to pirq %d\n", d->id, m->index, m->pirq);
    return rc;
}

int pirq_op_unmap(struct vcpu *v, struct physdev_unmap_pirq *u)
{
    struct domain *d;
    uint32_t fired;
    int32_t gsi;
    int rc = target(v, u->domid, &d);

    if (rc)
        return rc;
    if (!table_of(d))
        return -ENOMEM;
    fired = u->pirq >= 0 && u->pirq < PIRQ_NR ? d->pirqs->slot[u->pirq].fired : 0;
    rc = pirq_unmap(machine_gsis(), d->pirqs, v->domain->privileged, u->pirq, &gsi);
    if (rc == 0) {
        ioapic_mask_gsi((uint32_t)gsi, true);
        log_debug("d%u: pirq %d (GSI %d) unmapped after %u events\n", d->id, u->pirq, gsi,
                  fired);
    }
    return rc;
}

int pirq_op_setup_gsi(struct vcpu *v, struct physdev_setup_gsi *s)
{
    return pirq_setup_gsi(machine_gsis(), v->domain->privileged, s->gsi, s->triggering,
                          s->polarity);
}

int pirq_op_status(struct vcpu *v, struct physdev_irq_status_query *q)
{
    (void)v;
    return pirq_status(q->irq, &q->flags);
}

int pirq_op_eoi(struct vcpu *v, struct physdev_eoi *e)
{
    bool unmask;
    int32_t gsi;
    int rc;

    if (!table_of(v->domain))
        return -ENOMEM;
    rc = pirq_eoi(machine_gsis(), v->domain->pirqs, e->irq, &unmask, &gsi);
    if (rc == 0 && unmask)
        ioapic_mask_gsi((uint32_t)gsi, false);
    return rc;
}

/* evtchn.c closed a PIRQ port of e (close, reset, teardown). */
static void port_closed(struct evtchn_domain *e, uint32_t pirq, evtchn_port_t port)
{
    struct domain *d = owner_of(e);
    int32_t gsi;

    if (d->pirqs && pirq_unbind(machine_gsis(), d->pirqs, pirq, port, &gsi))
        ioapic_mask_gsi((uint32_t)gsi, true);
}

/* Route gsi for pirq.c's BOUND line and open it. */
static void open_line(int32_t gsi)
{
    const struct gsi_line *l = &gsis.line[gsi];

    if (!ioapic_route_gsi((uint32_t)gsi, (uint8_t)(GSI_VECTOR_BASE + gsi), lapic_id(),
                          l->level, l->active_low)) {
        log_warn("pirq: GSI %d is on no I/O APIC; it stays masked\n", gsi);
        return;
    }
    ioapic_mask_gsi((uint32_t)gsi, false);
}

int pirq_bind_evtchn(struct evtchn_domain *e, struct evtchn_bind_pirq *b)
{
    struct domain *d = owner_of(e);
    int32_t gsi;
    int rc;

    if (!table_of(d))
        return -ENOMEM;
    rc = pirq_bind_check(machine_gsis(), d->pirqs, b->pirq);
    if (rc)
        return rc;
    rc = evtchn_bind_pirq_port(e, b->pirq, &b->port);
    if (rc)
        return rc;
    e->pirq_closed = port_closed;
    pirq_bound(&gsis, d->pirqs, b->pirq, b->port, &gsi);
    open_line(gsi);
    log_debug("d%u: pirq %u (GSI %d, %s, active %s) bound to port %u\n", d->id, b->pirq, gsi,
              gsis.line[gsi].level ? "level" : "edge",
              gsis.line[gsi].active_low ? "low" : "high", b->port);
    return 0;
}

void pirq_interrupt(unsigned int gsi)
{
    domid_t owner = 0;
    uint16_t pirq = 0;
    enum pirq_fire_action a = pirq_fire(&gsis, gsi, &owner, &pirq);
    struct domain *d;

    if (a != PIRQ_FIRE_EDGE)
        ioapic_mask_gsi(gsi, true);      /* level: until the EOI; stray: for good */
    if (a == PIRQ_FIRE_MASK)
        return;
    d = domain_by_id(owner);
    if (d && d->pirqs && d->pirqs->slot[pirq].port) {
        uint32_t n = ++d->pirqs->slot[pirq].fired;

        if ((n & (n - 1)) == 0 && n >= 1024)       /* 1024, 2048, ...: a storm? */
            log_debug("d%u: pirq %u (GSI %u): %u events\n", d->id, pirq, gsi, n);
        evtchn_set_pending(&evtchn_env, &d->evtchn, d->pirqs->slot[pirq].port);
    }
}

void pirq_domain_destroy(struct domain *d)
{
    int32_t gsi;

    if (!d->pirqs)
        return;
    for (int32_t p = 0; p < PIRQ_NR; p++) {
        uint32_t fired = d->pirqs->slot[p].fired;

        if (pirq_unmap(&gsis, d->pirqs, true, p, &gsi) == 0) {
            ioapic_mask_gsi((uint32_t)gsi, true);
            log_info("d%u: pirq %d (GSI %d) unmapped at teardown after %u events\n", d->id,
                     p, gsi, fired);
        }
    }
    heap_free(d->pirqs);
    d->pirqs = NULL;
}
