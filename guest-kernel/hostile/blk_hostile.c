/*
 * Tern guest kernel: blk-hostile=<how>, a block frontend that breaks the
 * protocol (issue 14), once connected through blkfront:
 *
 *   bad    requests blkback must refuse, each expecting its status: a
 *          read into a page granted read-only (the disk must not have
 *          written it: blkback's DMA goes straight into granted pages,
 *          so only a writable grant may take it), a grant reference
 *          never granted, a sector past the disk's end
 *          (read and write), 0 and 12 segments, first_sect > last_sect,
 *          last_sect 8, an unknown operation, DISCARD (not offered),
 *          INDIRECT with 33 segments (32 offered), with its page not
 *          granted, with a bad descriptor inside; then a flood (64
 *          times a full ring of 32 reads pushed at once, which blkback
 *          serves 16 a pass); then a lie: req_prod 1000 past what was
 *          answered, after which blkback must disconnect us (its state
 *          Closing) and let go of our ring page
 *   crash  32 reads in flight, then crash before any answer: blkback must
 *          answer or drop them and unmap the ring when we are gone
 *   ring   a handshake naming a ring page never granted (ring-ref 4000):
 *          blkback must refuse to connect and go Closing
 *   persist  persistent grants abused (blkfront's own pool given back
 *          unused, grants of ours instead): one page granted under 400
 *          references, one read through each (all answered OKAY);
 *          blkback keeps 352 mapped (BLK_PGNT_MAX), so ending those must
 *          fail and ending the other 48 (mapped per request) must work;
 *          a kept reference rewritten to name another page, read-only:
 *          the read lands in the page first granted (the kept mapping
 *          pins it), the new page stays as it was; indirect requests
 *          whose page is never granted, or kept but naming a page never
 *          granted, refused; then a crash with 32
 *          reads in flight on kept references: blkback must unmap all
 *          352 when we are gone and every frame must come back
 *
 * Prints "blk-hostile: <case>: status <n>" per request,
 * "blk-hostile: FAIL: ..." when an answer is not the expected one.
 */
#include <public/errno.h>
#include "blk/blk_pgnt.h"
#include "blk/blkfront_dev.h"
#include "demo/roles.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/gnttab.h"
#include "xen/xenbus.h"

#define FLOOD_ROUNDS 64u
#define LIE          1000u
#define WAIT_NS      (10 * NS_PER_S)

#define OVER         48u          /* references past blkback's limit */
#define MANY         (BLK_PGNT_MAX + OVER)

static uint8_t page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t other[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static grant_ref_t refs[MANY];
static unsigned int failures;

struct bad_case {
    const char *what;
    uint8_t op, nr;
    bool granted;                /* seg[0] is our page; else ref 4000 */
    uint8_t first, last;
    bool past_end;               /* the sector is the disk's size */
    int16_t want;
};

static const struct bad_case cases[] = {
    { "ungranted page", BLKIF_OP_READ, 1, false, 0, 7, false, BLKIF_RSP_ERROR },
    { "read past the end", BLKIF_OP_READ, 1, true, 0, 7, true, BLKIF_RSP_ERROR },
    { "write past the end", BLKIF_OP_WRITE, 1, true, 0, 7, true, BLKIF_RSP_ERROR },
    { "0 segments", BLKIF_OP_READ, 0, true, 0, 7, false, BLKIF_RSP_ERROR },
    { "12 segments", BLKIF_OP_READ, 12, true, 0, 7, false, BLKIF_RSP_ERROR },
    { "first_sect > last_sect", BLKIF_OP_READ, 1, true, 5, 2, false, BLKIF_RSP_ERROR },
    { "last_sect 8", BLKIF_OP_READ, 1, true, 0, 8, false, BLKIF_RSP_ERROR },
    { "operation 99", 99, 1, true, 0, 7, false, BLKIF_RSP_EOPNOTSUPP },
    { "indirect, 33 segments", BLKIF_OP_INDIRECT, 33, true, 0, 7, false, BLKIF_RSP_ERROR },
    { "indirect, ungranted page", BLKIF_OP_INDIRECT, 4, false, 0, 7, false, BLKIF_RSP_ERROR },
    { "indirect, last_sect 9 inside", BLKIF_OP_INDIRECT, 4, true, 0, 9, false,
      BLKIF_RSP_ERROR },
    { "discard, not offered", BLKIF_OP_DISCARD, 0, true, 0, 7, false, BLKIF_RSP_EOPNOTSUPP },
    { "a good read", BLKIF_OP_READ, 1, true, 0, 7, false, BLKIF_RSP_OKAY },
};

/* An indirect READ whose descriptors (in our page) name page 4000. */
static void indirect_request(const struct bad_case *c, grant_ref_t ref,
                             struct blkif_request *req)
{
    struct blkif_request_indirect ind = { .operation = BLKIF_OP_INDIRECT,
                                          .indirect_op = BLKIF_OP_READ, .nr_segments = c->nr };
    struct blkif_request_segment *segs = (struct blkif_request_segment *)page;

    for (unsigned int i = 0; i < PAGE_SIZE / sizeof(*segs); i++)
        segs[i] = (struct blkif_request_segment){ .gref = 4000, .first_sect = c->first,
                                                  .last_sect = c->last };
    ind.indirect_grefs[0] = c->granted ? ref : 4000;
    memcpy(req, &ind, sizeof(ind));
}

static void one_case(const struct bad_case *c, grant_ref_t ref)
{
    struct blkif_request req = { .operation = c->op, .nr_segments = c->nr,
                                 .sector_number = c->past_end ? blkfront.info.sectors : 0 };
    int st;

    for (unsigned int i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
        req.seg[i] = (struct blkif_request_segment){ .gref = c->granted ? ref : 4000,
                                                     .first_sect = c->first,
                                                     .last_sect = c->last };
    if (c->op == BLKIF_OP_INDIRECT)
        indirect_request(c, ref, &req);
    st = blkfront_raw(&req);
    printk("blk-hostile: %s: status %d\n", c->what, st);
    if (st != c->want) {
        printk("blk-hostile: FAIL: %s: expected %d\n", c->what, c->want);
        failures++;
    }
}

static bool response_there(void *arg)
{
    (void)arg;
    return blkfront_ring_final_check(&blkfront.ring);
}

/* One round: the ring filled with 32 one-page reads of our page, pushed
 * at once; how many were answered OKAY before the deadline. */
static uint32_t flood_round(grant_ref_t ref)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };
    struct blkif_response rsp;
    uint64_t deadline = time_now_ns() + WAIT_NS;
    uint32_t ok = 0, got = 0;

    req.seg[0] = (struct blkif_request_segment){ .gref = ref, .last_sect = 7 };
    for (req.id = 0; blkfront_ring_put(&blkfront.ring, &req); req.id++)
        ;
    if (blkfront_ring_push(&blkfront.ring))
        gk_evtchn_send(blkfront.port);
    while (got < BLKIF_RING_SIZE && time_now_ns() < deadline) {
        enum blkfront_take t = blkfront_ring_take(&blkfront.ring, &rsp);

        if (t == BLKFRONT_LIED)
            break;
        if (t == BLKFRONT_NONE)
            time_wait_until(response_there, NULL, deadline);
        got += t == BLKFRONT_TOOK;
        ok += t == BLKFRONT_TOOK && rsp.status == BLKIF_RSP_OKAY;
    }
    return ok;
}

/* FLOOD_ROUNDS rounds of a full ring of requests. */
static void flood(grant_ref_t ref)
{
    uint64_t ok = 0;

    for (unsigned int r = 0; r < FLOOD_ROUNDS; r++)
        ok += flood_round(ref);
    printk("blk-hostile: flood: %lu of %u reads answered, 32 in flight at a time\n", ok,
           FLOOD_ROUNDS * BLKIF_RING_SIZE);
    if (ok != FLOOD_ROUNDS * BLKIF_RING_SIZE) {
        printk("blk-hostile: FAIL: flood: some reads were not answered\n");
        failures++;
    }
}

static bool backend_closing(void *arg)
{
    enum xenbus_state st;

    (void)arg;
    return xenbus_read_state(blkfront.be, &st) == 0 &&
           (st == XenbusStateClosing || st == XenbusStateClosed);
}

/* req_prod far past what was answered: blkback must disconnect us. */
static void lie(void)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;
    volatile struct blkif_sring *s = blkfront_sring();

    s->req_prod = s->rsp_prod + LIE;
    gk_evtchn_send(blkfront.port);
    printk("blk-hostile: req_prod set %u past rsp_prod\n", LIE);
    while (!backend_closing(NULL) && time_now_ns() < deadline)
        time_sleep_ns(5 * NS_PER_MS);
    if (!backend_closing(NULL)) {
        printk("blk-hostile: FAIL: the backend did not disconnect us\n");
        failures++;
        return;
    }
    printk("blk-hostile: the backend disconnected us\n");
    blkfront.broken = true;
}

/* A READ into a page we granted read-only: refused, the page as it was. */
static void read_only_grant(void)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };
    int ref = gnttab_grant(blkfront_backend(), virt_to_mfn(page), true);
    int st;

    if (ref < 0)
        return (void)printk("blk-hostile: FAIL: no grant\n");
    memset(page, 0x5a, sizeof(page));
    req.seg[0] = (struct blkif_request_segment){ .gref = (grant_ref_t)ref, .last_sect = 7 };
    st = blkfront_raw(&req);
    gnttab_end((grant_ref_t)ref);
    printk("blk-hostile: read into a read-only grant: status %d\n", st);
    for (size_t i = 0; i < sizeof(page); i++)
        if (page[i] != 0x5a) {
            printk("blk-hostile: FAIL: the read-only page was written at %zu\n", i);
            failures++;
            return;
        }
    if (st != BLKIF_RSP_ERROR) {
        printk("blk-hostile: FAIL: read into a read-only grant: expected %d\n", BLKIF_RSP_ERROR);
        failures++;
    }
}

static void bad(void)
{
    int ref = gnttab_grant(blkfront_backend(), virt_to_mfn(page), false);

    if (ref < 0)
        return (void)printk("blk-hostile: FAIL: no grant\n");
    read_only_grant();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        one_case(&cases[i], (grant_ref_t)ref);
    flood((grant_ref_t)ref);
    if (!gnttab_end((grant_ref_t)ref))
        printk("blk-hostile: FAIL: the backend still uses our page\n");
    lie();
    blkfront_close();
    printk("blk-hostile: done%s\n", failures ? " with failures" : "");
}

/* 32 reads in flight, then a crash before their answers. */
static void crash(void)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };
    int ref = gnttab_grant(blkfront_backend(), virt_to_mfn(page), false);

    req.seg[0] = (struct blkif_request_segment){ .gref = (grant_ref_t)ref, .last_sect = 7 };
    for (uint64_t i = 0; i < BLKIF_RING_SIZE; i++) {
        req.id = i;
        blkfront_ring_put(&blkfront.ring, &req);
    }
    blkfront_ring_push(&blkfront.ring);
    gk_evtchn_send(blkfront.port);
    panic("blk-hostile: crashing with %u requests in flight", BLKIF_RING_SIZE);
}

static void fail(const char *what)
{
    printk("blk-hostile: FAIL: %s\n", what);
    failures++;
}

/* A one-page read of sector 0 through ref: its status. */
static int read_into(grant_ref_t ref)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };

    req.seg[0] = (struct blkif_request_segment){ .gref = ref, .last_sect = 7 };
    return blkfront_raw(&req);
}

/* MANY references to one page, a read through each; then each ended:
 * the ones blkback keeps cannot be. */
static void past_the_limit(void)
{
    unsigned int ok = 0, past = 0, kept = 0;

    for (unsigned int i = 0; i < MANY; i++) {
        int ref = gnttab_grant(blkfront_backend(), virt_to_mfn(page), false);

        if (ref < 0)
            return fail("persist: not enough grant entries");
        refs[i] = (grant_ref_t)ref;
        ok += read_into(refs[i]) == BLKIF_RSP_OKAY;
    }
    for (unsigned int i = BLK_PGNT_MAX; i < MANY; i++)
        past += gnttab_end(refs[i]);
    for (unsigned int i = 0; i < BLK_PGNT_MAX; i++)
        kept += !gnttab_end(refs[i]);
    printk("blk-hostile: persist: %u of %u reads answered; %u of the %u references past the "
           "limit ended, %u of the first %u held by the backend\n", ok, MANY, past, OVER, kept,
           BLK_PGNT_MAX);
    if (ok != MANY || past != OVER || kept != BLK_PGNT_MAX)
        fail("persist: the backend keeps more or fewer than its limit, or a read failed");
}

/* A kept reference rewritten to name other, read-only: the read still
 * lands in page, other is untouched. */
static void regrant(void)
{
    volatile struct grant_entry_v1 *e = gnttab_entry(refs[0]);
    int st;

    memset(page, 0x5a, sizeof(page));
    memset(other, 0x5a, sizeof(other));
    e->frame = (uint32_t)virt_to_mfn(other);
    __atomic_fetch_or(&e->flags, (uint16_t)GTF_readonly, __ATOMIC_SEQ_CST);
    st = read_into(refs[0]);
    for (size_t i = 0; i < sizeof(other); i++)
        if (other[i] != 0x5a || page[i] != 0)      /* the disk there is zeros */
            return fail("persist: the read after a regrant went astray");
    printk("blk-hostile: persist: a kept reference regranted to another page, read-only: "
           "status %d, the read went to the page first granted\n", st);
}

/* Indirect reads whose page blkback cannot keep (never granted) or
 * keeps (ours, read-only) with a descriptor naming a page never granted:
 * both refused. */
static void persistent_indirect(void)
{
    static const struct bad_case unmapped = { "persist: indirect page never granted",
        BLKIF_OP_INDIRECT, 4, false, 0, 7, false, BLKIF_RSP_ERROR };
    static const struct bad_case inside = { "persist: kept indirect page naming page 4000",
        BLKIF_OP_INDIRECT, 4, true, 0, 7, false, BLKIF_RSP_ERROR };
    int ref = gnttab_grant(blkfront_backend(), virt_to_mfn(page), true);

    if (ref < 0)
        return fail("persist: no grant for the indirect page");
    one_case(&unmapped, (grant_ref_t)ref);
    one_case(&inside, (grant_ref_t)ref);
}

/* 32 reads in flight on kept references, then a crash. */
static void persist(void)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };

    blkfront_pool_end();                        /* unused: its grants go */
    past_the_limit();
    regrant();
    persistent_indirect();
    printk("blk-hostile: persist: done%s\n", failures ? " with failures" : "");
    for (uint64_t i = 0; i < BLKIF_RING_SIZE; i++) {
        req.id = i;
        req.seg[0] = (struct blkif_request_segment){ .gref = refs[1 + i], .last_sect = 7 };
        blkfront_ring_put(&blkfront.ring, &req);
    }
    blkfront_ring_push(&blkfront.ring);
    gk_evtchn_send(blkfront.port);
    panic("blk-hostile: crashing with %u requests in flight on kept pages", BLKIF_RING_SIZE);
}

/* "device/vbd/<first id>" into fe, its backend into be. */
static bool first_vbd(char *fe, char *be, size_t room)
{
    char list[64];
    int len = xenbus_directory(0, "device/vbd", list, sizeof(list));
    char path[96];

    if (len <= 0 || strnlen(list, (size_t)len) == (size_t)len)
        return false;
    snprintf(fe, room, "device/vbd/%s", list);
    snprintf(path, sizeof(path), "%s/backend", fe);
    return xenbus_read(0, path, be, room) > 0;
}

static bool backend_in(const char *be, enum xenbus_state want)
{
    enum xenbus_state st;
    uint64_t deadline = time_now_ns() + WAIT_NS;

    while (time_now_ns() < deadline) {
        if (xenbus_read_state(be, &st) == 0 && st == want)
            return true;
        time_sleep_ns(5 * NS_PER_MS);
    }
    return false;
}

/* Initialised with a ring page we never granted. */
static void bad_ring(void)
{
    char fe[96], be[96], path[128];

    if (xenbus_init() || !first_vbd(fe, be, sizeof(fe)) || !backend_in(be, XenbusStateInitWait))
        return (void)printk("blk-hostile: FAIL: no vbd whose backend waits\n");
    snprintf(path, sizeof(path), "%s/ring-ref", fe);
    xenbus_write(0, path, "4000");
    snprintf(path, sizeof(path), "%s/event-channel", fe);
    xenbus_write(0, path, "1");
    xenbus_switch_state(fe, XenbusStateInitialised);
    printk("blk-hostile: Initialised with ring-ref 4000, never granted\n");
    if (!backend_in(be, XenbusStateClosing))
        return (void)printk("blk-hostile: FAIL: the backend did not refuse the ring\n");
    printk("blk-hostile: the backend refused the ring and is Closing\n");
}

bool blk_hostile_run(void)
{
    char opt[8];
    struct blkfront_info in;
    const char *v = cmdline_option("blk-hostile", opt, sizeof(opt));

    if (!v)
        return false;
    if (!strcmp(v, "ring"))
        return bad_ring(), true;
    if (strcmp(v, "bad") && strcmp(v, "crash") && strcmp(v, "persist"))
        return printk("roles: blk-hostile=%s: want bad, crash, ring or persist\n", v), true;
    blkfront_want_persistent(!strcmp(v, "persist"));    /* else the grants are ours alone */
    if (blkfront_open(&in))
        return printk("blk-hostile: FAIL: no PV block device\n"), true;
    if (!strcmp(v, "bad"))
        bad();
    else if (!strcmp(v, "crash"))
        crash();
    else if (blkfront.persistent)
        persist();
    else
        fail("persist: the backend did not take persistent grants");
    return true;
}
