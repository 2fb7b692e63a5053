/*
 * Test memory_op: hypercall 12, the tier-0 sub-ops (how much memory, where).
 *
 * What: XENMEM_maximum_ram_page, current_reservation and
 * maximum_reservation for DOMID_SELF, memory_map, machine_memory_map,
 * machphys_mapping; bad
 * argument pointers; unknown sub-ops.
 * Why: guests size themselves from these at boot (Linux and current
 * Mini-OS ask for the memory map), and every sub-op reads or writes guest
 * memory.
 * Expected (real Xen 4.17 as dom0): maximum_ram_page = 0xffe0 with 256 MiB,
 * = machphys_mapping.max_mfn + 1 for the initial domain (it counts frames;
 * max_mfn is an index); Xen reports max_mfn = max_page - 1 only to the
 * hardware domain: others get MACH2PHYS_NR_ENTRIES - 1, so for them we
 * only check that max_mfn covers all RAM;
 * current_reservation = start_info.nr_pages; maximum_reservation >= that;
 * memory_map -> 0 with a RAM entry, or -ENOSYS when no map was set for the
 * domain (what Xen answers a PV dom0: only the toolstack sets one, for
 * domUs; xl's is one RAM entry up to the domain's maxmem, which Tern
 * gives every domain: its RAM reaches maximum_reservation pages); a
 * buffer of 0 entries -> 0 with nr_entries 0 (Xen copies min(asked,
 * entries)); machine_memory_map (initial domain; -EPERM to others) refuses
 * a buffer with no room for one more entry than the map (-EINVAL), then
 * gives the host's map, ascending, with RAM; machphys_mapping starts at MACH2PHYS_VIRT_START and ends inside the M2P
 * window (Xen: at MACH2PHYS_VIRT_END); bad pointers ->
 * -EFAULT; unknown sub-op -> -ENOSYS.
 */
#include "test.h"

static const char test_title[] = "memory_op: reservations, memory map, M2P, bad pointers";

static void check_reservations(void)
{
    domid_t self = DOMID_SELF;
    long cur, max;

    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    test_info("current_reservation %ld, maximum_reservation %ld, nr_pages %lu",
              cur, max, start_info.nr_pages);
    check_rc("memory_op(current_reservation, DOMID_SELF)", cur,
             (long)start_info.nr_pages);
    check_true("maximum_reservation >= current_reservation", max >= cur);
    check_rc("memory_op(current_reservation, non-canonical pointer)",
             HYPERVISOR_memory_op(XENMEM_current_reservation,
                                  bad_ptr(BAD_VA_NONCANONICAL)), -XEN_EFAULT);
    check_rc("memory_op(maximum_reservation, unmapped pointer)",
             HYPERVISOR_memory_op(XENMEM_maximum_reservation,
                                  bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
}

/* Prints the map and checks that it has RAM. */
static void check_map_entries(const struct xen_e820_entry *e, uint32_t n)
{
    uint64_t ram = 0;
    uint32_t i;

    for (i = 0; i < n; i++) {
        test_info("memory_map[%u]: %#lx + %#lx type %u", i, e[i].addr, e[i].size,
                  e[i].type);
        if (e[i].type == E820_RAM)
            ram += e[i].size;
    }
    check_true("memory_map has at least one entry", n > 0);
    check_true("memory_map RAM >= nr_pages * 4096", ram >= start_info.nr_pages * PAGE_SIZE);
}

/* xl's map for a PV domain: RAM up to its maxmem, so a kernel can
 * balloon up to maximum_reservation. */
static void check_map_reaches_maximum(const struct xen_e820_entry *e, uint32_t n)
{
    domid_t self = DOMID_SELF;
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    uint64_t end = 0;

    for (uint32_t i = 0; i < n; i++)
        if (e[i].type == E820_RAM && e[i].addr + e[i].size > end)
            end = e[i].addr + e[i].size;
    check_true("memory_map RAM reaches maximum_reservation pages",
               max > 0 && end >= (uint64_t)max * PAGE_SIZE);
}

/* Room for no entry: told none, nothing written. */
static void check_empty_buffer(void)
{
    static struct xen_e820_entry canary = { 1, 2, 3 };
    struct xen_memory_map map = { .nr_entries = 0, .buffer = hc_ptr(&canary) };

    check_rc("memory_op(memory_map, room for 0 entries)",
             HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0);
    check_true("  nr_entries 0, buffer untouched",
               map.nr_entries == 0 && canary.addr == 1 && canary.type == 3);
}

static void check_memory_map(void)
{
    static struct xen_e820_entry entries[16];
    struct xen_memory_map map = { .nr_entries = 16, .buffer = hc_ptr(entries) };
    long rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);

    if (rc == -XEN_ENOSYS) {
        test_info("memory_op(memory_map) = -ENOSYS: no map set for this domain");
    } else if (check_rc("memory_op(memory_map)", rc, 0)) {
        check_true("nr_entries <= capacity", map.nr_entries <= 16);
        check_map_entries(entries, map.nr_entries <= 16 ? map.nr_entries : 16);
        check_map_reaches_maximum(entries, map.nr_entries <= 16 ? map.nr_entries : 16);
        check_empty_buffer();
        map.nr_entries = 16;
        map.buffer = BAD_VA_UNMAPPED;
        check_rc("memory_op(memory_map, unmapped buffer)",
                 HYPERVISOR_memory_op(XENMEM_memory_map, &map), -XEN_EFAULT);
    }
    check_rc("memory_op(memory_map, non-canonical pointer)",
             HYPERVISOR_memory_op(XENMEM_memory_map, bad_ptr(BAD_VA_NONCANONICAL)),
             -XEN_EFAULT);
}

/* Entries ascending and not overlapping. */
static bool map_sorted(const struct xen_e820_entry *e, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (e[i].addr < e[i - 1].addr + e[i - 1].size)
            return false;
    return true;
}

static void check_machine_memory_map(void)
{
    static struct xen_e820_entry entries[64];
    struct xen_memory_map map = { .nr_entries = 1, .buffer = hc_ptr(entries) };
    long rc = HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map);

    if (!(start_info.flags & SIF_INITDOMAIN)) {
        check_rc("memory_op(machine_memory_map), unprivileged", rc, -XEN_EPERM);
        return;
    }
    check_rc("memory_op(machine_memory_map, room for 1 entry)", rc, -XEN_EINVAL);
    map.nr_entries = 64;
    if (check_rc("memory_op(machine_memory_map)",
                 HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), 0)) {
        check_true("  nr_entries < capacity", map.nr_entries < 64);
        check_map_entries(entries, map.nr_entries < 64 ? map.nr_entries : 64);
        check_true("  ascending, not overlapping",
                   map_sorted(entries, map.nr_entries < 64 ? map.nr_entries : 64));
    }
    map = (struct xen_memory_map){ .nr_entries = 64, .buffer = BAD_VA_UNMAPPED };
    check_rc("memory_op(machine_memory_map, unmapped buffer)",
             HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), -XEN_EFAULT);
}

static void check_machphys_mapping(long max_ram_page)
{
    struct xen_machphys_mapping m = { 0, 0, 0 };

    if (check_rc("memory_op(machphys_mapping)",
                 HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m), 0)) {
        test_info("M2P %#lx-%#lx, max_mfn %#lx", m.v_start, m.v_end, m.max_mfn);
        check_rc("machphys_mapping.v_start", (long)m.v_start, (long)MACH2PHYS_VIRT_START);
        check_true("M2P end inside the M2P window",
                   m.v_end > m.v_start && m.v_end <= MACH2PHYS_VIRT_END);
        if (start_info.flags & SIF_INITDOMAIN)
            check_rc("maximum_ram_page (initial domain)", max_ram_page,
                     (long)m.max_mfn + 1);
        else
            check_true("max_mfn covers every RAM frame",
                       (long)m.max_mfn + 1 >= max_ram_page);
    }
    check_rc("memory_op(machphys_mapping, unmapped pointer)",
             HYPERVISOR_memory_op(XENMEM_machphys_mapping, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
}

static void test_main(void)
{
    long rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    test_info("memory_op(maximum_ram_page) = %#lx", (uint64_t)rc);
    check_true("maximum_ram_page > 0", rc > 0);
    check_reservations();
    check_memory_map();
    check_machine_memory_map();
    check_machphys_mapping(rc);
    check_rc("memory_op(sub-op 63)", HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
    test_success(NULL);
}

const struct guest_test test_memory_op = { "memory_op", test_title, test_main };
