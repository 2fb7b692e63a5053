/*
 * Tern guest kernel: netback's request checker. Pure: it reads only the
 * slots the glue copied out of the ring, so a frontend rewriting its ring
 * meanwhile changes nothing here.
 *
 * A frontend that breaks the protocol's structure is disconnected (as
 * Linux's netback does, xenvif_fatal_tx_err): a chain or an extra-info
 * slot past req_prod, more than NETBK_FATAL_SLOTS data slots, a data
 * slot crossing its page (offset + size > 4096; the first slot's own
 * length is its size minus the other slots'), an extra-info type 0 or
 * beyond the last, or one type twice. A packet that is well formed but
 * not acceptable is dropped, every data slot answered NETIF_RSP_ERROR:
 * more than NETBK_MAX_SLOTS data slots, later slots adding up to more
 * than the first slot's size, fewer than 14 bytes, more than the
 * configured maximum, a GSO or multicast extra that was not negotiated,
 * a bad GSO record. Either way the backend's state is untouched and only
 * that frontend's packet (or connection) is lost. (Ring indices that lie
 * are public/io/ring.h's rule 3, checked by the glue.) NETTXF_extra_info on a
 * slot other than the first is ignored, as Linux ignores it.
 */
#include "kernel/lib.h"
#include "net/netback_req.h"

bool netbk_config_valid(const struct netbk_config *cfg)
{
    return cfg->max_packet >= NETBK_MIN_PACKET && cfg->max_packet <= XEN_NETIF_MAX_TX_SIZE;
}

/* ---- the walk over one packet's slots ---- */

/* The verdict for a lie: nothing is consumed or answered. Returns false
 * so that a check can `return disconnect(...)`. */
static bool disconnect(struct netbk_tx_plan *plan, const char *reason)
{
    plan->verdict = NETBK_TX_DISCONNECT;
    plan->reason = reason;
    plan->consumed = 0;
    plan->nr_rsp = 0;
    plan->nr_segs = 0;
    plan->total = 0;
    return false;
}

static void answer(struct netbk_tx_plan *plan, uint32_t pos, uint16_t id, int16_t status)
{
    plan->rsp[pos].id = id;
    plan->rsp[pos].status = status;
}

/* Records one extra-info record; false if it is a lie. */
static bool note_extra(const struct netif_extra_info *ex, uint32_t *seen,
                       struct netbk_tx_plan *plan)
{
    if (ex->type == XEN_NETIF_EXTRA_TYPE_NONE || ex->type >= XEN_NETIF_EXTRA_TYPE_MAX)
        return disconnect(plan, "extra info of an unknown type");
    if (*seen & (1u << ex->type))
        return disconnect(plan, "extra info type given twice");
    *seen |= 1u << ex->type;
    if (ex->type == XEN_NETIF_EXTRA_TYPE_GSO) {
        plan->has_gso = true;
        plan->gso_size = ex->u.gso.size;
        plan->gso_type = ex->u.gso.type;
    } else {
        plan->mcast_type = ex->type;
        memcpy(plan->mcast_addr, ex->u.mcast.addr, sizeof(plan->mcast_addr));
    }
    return true;
}

/* The extra-info slots after slot 0, from *pos; false if a lie. */
static bool take_extras(const union netif_tx_sring_entry *slots, uint32_t avail,
                        struct netbk_tx_plan *plan, uint32_t *pos)
{
    uint32_t seen = 0;
    struct netif_extra_info ex;

    do {
        if (*pos >= avail)
            return disconnect(plan, "extra info slot past req_prod");
        ex = slots[*pos].extra;
        if (!note_extra(&ex, &seen, plan))
            return false;
        answer(plan, (*pos)++, 0, NETIF_RSP_NULL);
    } while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
    return true;
}

/* The data slots after the first, from *pos, while more_data says so.
 * Sums their sizes into *rest, counts them (the first included) into
 * *nr; false if a lie. */
static bool take_data(const union netif_tx_sring_entry *slots, uint32_t avail,
                      struct netbk_tx_plan *plan, uint32_t *pos, uint32_t *rest, uint32_t *nr)
{
    bool more = slots[0].req.flags & NETTXF_more_data;
    struct netif_tx_request r;

    while (more) {
        if (*pos >= avail)
            return disconnect(plan, "packet continues past req_prod");
        if (*nr >= NETBK_FATAL_SLOTS)
            return disconnect(plan, "packet of too many slots");
        r = slots[*pos].req;
        if ((uint32_t)r.offset + r.size > NETBK_PAGE_SIZE)
            return disconnect(plan, "slot crosses its page");
        if (*nr < NETBK_MAX_SLOTS)
            plan->segs[*nr] = (struct netbk_tx_seg){ r.gref, r.offset, r.size };
        answer(plan, (*pos)++, r.id, NETIF_RSP_OKAY);
        *rest += r.size;
        (*nr)++;
        more = r.flags & NETTXF_more_data;
    }
    return true;
}

/* ---- the decisions once the packet's extent is known ---- */

static void drop(struct netbk_tx_plan *plan, const char *reason)
{
    uint32_t i;

    plan->verdict = NETBK_TX_DROP;
    plan->reason = reason;
    plan->nr_segs = 0;
    plan->total = 0;
    for (i = 0; i < plan->nr_rsp; i++)
        if (plan->rsp[i].status != NETIF_RSP_NULL)
            plan->rsp[i].status = NETIF_RSP_ERROR;
}

/* Why the negotiated features refuse this packet's extras (NULL: they don't). */
static const char *extras_refused(const struct netbk_tx_plan *plan,
                                  const struct netbk_config *cfg, uint32_t nr)
{
    if (plan->has_gso && !cfg->gso_tcpv4)
        return "GSO was not offered";
    if (plan->has_gso && (plan->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 || plan->gso_size == 0))
        return "bad GSO record";
    if (plan->mcast_type && !cfg->multicast_control)
        return "multicast control was not requested";
    if (plan->mcast_type && (plan->has_gso || nr != 1))
        return "multicast request with packet data";
    return NULL;
}

/* Why the packet's sizes refuse it (NULL: they don't). */
static const char *size_refused(uint32_t size, uint32_t rest, uint32_t nr,
                                const struct netbk_config *cfg)
{
    if (nr > NETBK_MAX_SLOTS)
        return "packet of more than 18 slots";
    if (rest > size)
        return "slots larger than the packet";
    if (size < NETBK_MIN_PACKET)
        return "packet shorter than an Ethernet header";
    if (size > cfg->max_packet)
        return "packet larger than the maximum";
    return NULL;
}

static void plan_reset(struct netbk_tx_plan *plan)
{
    memset(plan, 0, sizeof(*plan));
}

/* Walks the packet's slots (extras, then data); false if a lie (plan says
 * so). Fills the later segments, the responses, *rest and *nr. */
static bool walk(const union netif_tx_sring_entry *slots, uint32_t avail,
                 struct netbk_tx_plan *plan, uint32_t *rest, uint32_t *nr)
{
    struct netif_tx_request first = slots[0].req;
    uint32_t pos = 1;

    answer(plan, 0, first.id, NETIF_RSP_OKAY);
    if ((first.flags & NETTXF_extra_info) && !take_extras(slots, avail, plan, &pos))
        return false;
    if (!take_data(slots, avail, plan, &pos, rest, nr))
        return false;
    if (*rest <= first.size && (uint32_t)first.offset + (first.size - *rest) > NETBK_PAGE_SIZE)
        return disconnect(plan, "first slot crosses its page");
    plan->consumed = plan->nr_rsp = pos;
    return true;
}

/* A well-formed packet: send it, take its multicast change, or drop it. */
static void decide(struct netif_tx_request first, uint32_t rest, uint32_t nr,
                   const struct netbk_config *cfg, struct netbk_tx_plan *plan)
{
    const char *why = extras_refused(plan, cfg, nr);

    if (why == NULL && plan->mcast_type) {
        plan->verdict = NETBK_TX_CONTROL;
        return;
    }
    if (why == NULL)
        why = size_refused(first.size, rest, nr, cfg);
    if (why != NULL) {
        drop(plan, why);
        return;
    }
    plan->verdict = NETBK_TX_SEND;
    plan->csum_blank = first.flags & NETTXF_csum_blank;
    plan->total = first.size;
    plan->nr_segs = nr;
    plan->segs[0] = (struct netbk_tx_seg){ first.gref, first.offset,
                                           (uint16_t)(first.size - rest) };
}

void netbk_tx_check(const union netif_tx_sring_entry *slots, uint32_t avail,
                    const struct netbk_config *cfg, struct netbk_tx_plan *plan)
{
    uint32_t rest = 0, nr = 1;

    plan_reset(plan);
    if (avail > NETBK_TX_WINDOW)
        avail = NETBK_TX_WINDOW;
    if (walk(slots, avail, plan, &rest, &nr))
        decide(slots[0].req, rest, nr, cfg, plan);
}

/* ---- receive ---- */

uint32_t netbk_rx_slots(uint32_t len, bool sg)
{
    if (len == 0 || len > XEN_NETIF_MAX_TX_SIZE)
        return 0;
    if (len > NETBK_PAGE_SIZE && !sg)
        return 0;
    return (len + NETBK_PAGE_SIZE - 1) / NETBK_PAGE_SIZE;
}

bool netbk_rx_check(const struct netif_rx_request *req)
{
    return req->gref >= GNTTAB_NR_RESERVED_ENTRIES;
}

void netbk_rx_fragment(const struct netif_rx_request *req, uint32_t len, uint32_t index,
                       struct netif_rx_response *rsp)
{
    uint32_t start = index * NETBK_PAGE_SIZE;
    uint32_t left = start < len ? len - start : 0;
    uint32_t frag = left < NETBK_PAGE_SIZE ? left : NETBK_PAGE_SIZE;

    rsp->id = req->id;
    rsp->offset = 0;
    rsp->flags = (uint16_t)(start + frag < len ? NETRXF_more_data : 0);
    rsp->status = (int16_t)frag;
}
