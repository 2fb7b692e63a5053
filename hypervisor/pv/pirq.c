/*
 * pirq.c: the pirq and GSI-line state machine (pirq.h states the states
 * and the invariants). Pure: the caller masks, routes and unmasks the
 * I/O APIC line each answer names, and sets event channels pending.
 */
#include "pirq.h"
#include "err.h"

void gsi_table_init(struct gsi_table *g, unsigned int nr)
{
    memset(g, 0, sizeof(*g));
    g->nr = MIN(nr, (unsigned int)PIRQ_MAX_GSIS);
    for (unsigned int i = 0; i < PIRQ_MAX_GSIS; i++) {
        g->line[i].level = true;
        g->line[i].active_low = true;
    }
}

void pirq_table_init(struct pirq_table *t)
{
    for (unsigned int i = 0; i < PIRQ_NR; i++)
        t->slot[i] = (struct pirq_slot){ .gsi = -1, .port = 0, .fired = 0 };
}

/* The line of a GSI a privileged domain may map: in range, and not GSI 0 (as Xen,
 * which never grants IRQ 0 to a domain). The hypervisor's own lines may
 * be mapped (as on Xen); binding them is what is refused. */
static int usable_line(struct gsi_table *g, bool privileged, int32_t gsi,
                       struct gsi_line **out)
{
    if (!privileged)
        return -EPERM;                   /* before any look at the GSI, as Xen */
    if (gsi < 0 || (uint32_t)gsi >= g->nr)
        return -EINVAL;
    if (gsi == 0)
        return -EPERM;
    *out = &g->line[gsi];
    return 0;
}

/* Xen's get_free_pirq for a GSI: upwards from 16 below nr, then
 * downwards from the top; -ENOSPC when every pirq is taken. */
static int32_t free_pirq(const struct gsi_table *g, const struct pirq_table *t)
{
    for (uint32_t p = PIRQ_ISA_GSIS; p < g->nr && p < PIRQ_NR; p++)
        if (t->slot[p].gsi < 0)
            return (int32_t)p;
    for (uint32_t p = PIRQ_NR; p-- > MAX(g->nr, (unsigned int)PIRQ_ISA_GSIS);)
        if (t->slot[p].gsi < 0)
            return (int32_t)p;
    return -ENOSPC;
}

/* The pirq this mapping uses: the GSI's existing one, a free one, or the
 * one asked for; an error if that conflicts. */
static int choose_pirq(const struct gsi_table *g, const struct pirq_table *t,
                       const struct gsi_line *l, int32_t *pirq)
{
    int32_t have = l->state == GSI_FREE ? -1 : (int32_t)l->pirq;

    if (*pirq < 0) {
        *pirq = have >= 0 ? have : free_pirq(g, t);
        return *pirq < 0 ? *pirq : 0;
    }
    if (have >= 0 && have != *pirq)
        return -EEXIST;                  /* the GSI has another pirq */
    if (*pirq >= PIRQ_NR)
        return -EINVAL;
    if (t->slot[*pirq].gsi >= 0 && l->state == GSI_FREE)
        return -EEXIST;                  /* the pirq names another GSI */
    return 0;
}

int pirq_map_gsi(struct gsi_table *g, struct pirq_table *t, bool privileged,
                 domid_t dom, int32_t gsi, int32_t *pirq)
{
    struct gsi_line *l;
    int rc;

    rc = usable_line(g, privileged, gsi, &l);
    if (rc)
        return rc;
    if (l->state != GSI_FREE && l->owner != dom)
        return -EBUSY;                   /* invariant 3: never shared */
    rc = choose_pirq(g, t, l, pirq);
    if (rc || l->state != GSI_FREE)
        return rc;                       /* mapped already: the same answer */
    t->slot[*pirq].gsi = (int16_t)gsi;
    l->state = GSI_MAPPED;
    l->owner = dom;
    l->pirq = (uint16_t)*pirq;
    return 0;
}

int pirq_unmap(struct gsi_table *g, struct pirq_table *t, bool privileged,
               int32_t pirq, int32_t *gsi)
{
    struct pirq_slot *s;

    if (!privileged)
        return -EPERM;
    if (pirq < 0 || pirq >= PIRQ_NR || t->slot[pirq].gsi < 0)
        return -EINVAL;
    s = &t->slot[pirq];
    *gsi = s->gsi;
    g->line[s->gsi].state = GSI_FREE;        /* how it signals is the line's */
    g->line[s->gsi].owner = 0;
    g->line[s->gsi].pirq = 0;
    /* A port still bound keeps saying pirq (as on Xen) but gets nothing:
     * the slot forgets it, so closing it later touches no line. */
    *s = (struct pirq_slot){ .gsi = -1, .port = 0, .fired = 0 };
    return 0;
}

int pirq_setup_gsi(struct gsi_table *g, bool privileged, int32_t gsi,
                   uint8_t triggering, uint8_t polarity)
{
    struct gsi_line *l;
    int rc;

    rc = usable_line(g, privileged, gsi, &l);
    if (rc)
        return rc;
    /* Set up once, as Xen's mp_register_gsi; a line in use (the
     * hypervisor's, or bound and so routed) keeps its trigger. Linux
     * takes -EEXIST as "already done". */
    if (l->set_up || l->hv_owned || l->state == GSI_BOUND || l->state == GSI_IN_FLIGHT)
        return -EEXIST;
    l->level = triggering != 0;
    l->active_low = polarity != 0;
    l->set_up = true;
    return 0;
}

int pirq_bind_check(const struct gsi_table *g, const struct pirq_table *t, uint32_t pirq)
{
    if (pirq >= PIRQ_NR)
        return -EINVAL;
    if (t->slot[pirq].gsi < 0 || (uint32_t)t->slot[pirq].gsi >= g->nr)
        return -EPERM;
    if (t->slot[pirq].port)
        return -EEXIST;
    if (g->line[t->slot[pirq].gsi].hv_owned)
        return -EBUSY;                   /* Xen: "In use by" the hypervisor */
    return 0;
}

void pirq_bound(struct gsi_table *g, struct pirq_table *t, uint32_t pirq,
                evtchn_port_t port, int32_t *gsi)
{
    struct pirq_slot *s = &t->slot[pirq];

    ASSERT(pirq_bind_check(g, t, pirq) == 0 && port != 0);
    s->port = port;
    g->line[s->gsi].state = GSI_BOUND;
    *gsi = s->gsi;
}

bool pirq_unbind(struct gsi_table *g, struct pirq_table *t, uint32_t pirq,
                 evtchn_port_t port, int32_t *gsi)
{
    struct pirq_slot *s;

    if (pirq >= PIRQ_NR || t->slot[pirq].port != port || port == 0)
        return false;                    /* unmapped since, or rebound */
    s = &t->slot[pirq];
    s->port = 0;
    g->line[s->gsi].state = GSI_MAPPED;
    *gsi = s->gsi;
    return true;
}

int pirq_eoi(struct gsi_table *g, const struct pirq_table *t, uint32_t pirq,
             bool *unmask, int32_t *gsi)
{
    struct gsi_line *l;

    if (pirq >= PIRQ_NR || t->slot[pirq].gsi < 0)
        return -EINVAL;
    *gsi = t->slot[pirq].gsi;
    l = &g->line[*gsi];
    *unmask = l->state == GSI_IN_FLIGHT;
    if (*unmask)
        l->state = GSI_BOUND;
    return 0;
}

int pirq_status(uint32_t pirq, uint32_t *flags)
{
    if (pirq >= PIRQ_NR)
        return -EINVAL;
    /* As Xen for a PV domain without the EOI page: always ask for the
     * EOI; a line is never shared. */
    *flags = XENIRQSTAT_needs_eoi;
    return 0;
}

enum pirq_fire_action pirq_fire(struct gsi_table *g, uint32_t gsi, domid_t *owner,
                                uint16_t *pirq)
{
    struct gsi_line *l;

    if (gsi >= g->nr || g->line[gsi].state != GSI_BOUND)
        return PIRQ_FIRE_MASK;           /* invariant 5 */
    l = &g->line[gsi];
    *owner = l->owner;
    *pirq = l->pirq;
    if (!l->level)
        return PIRQ_FIRE_EDGE;
    l->state = GSI_IN_FLIGHT;
    return PIRQ_FIRE_LEVEL;
}
