/*
 * Unit tests for hypervisor/boot/cmdline_options.c: the hypervisor's own options
 * (console=, com1=, loglvl=, after_boot=, mem=) on top of cmdline.c.
 *
 * The README promises that a bad value is reported and ignored, the default
 * staying in place. For the structured values that means all or nothing: a
 * com1= with one bad field must leave every com1 setting as it was, and a
 * console= list with one bad entry must not change the outputs. Each accepted
 * form is checked for the values it sets, and each refusal for leaving the
 * options unchanged and for being counted and reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cmdline_options.h"
#include "err.h"

struct report {
    enum cmdline_problem problem;
    char key[32];
};

static struct {
    unsigned int n;
    struct report r[8];
} reps;

static void record(void *ctx, enum cmdline_problem problem, const char *key,
                   size_t key_len, const char *val, size_t val_len)
{
    struct report *r;
    size_t n = key_len < sizeof(r->key) - 1 ? key_len : sizeof(r->key) - 1;

    (void)ctx;
    (void)val;
    (void)val_len;
    assert_true(reps.n < ARRAY_SIZE(reps.r));
    r = &reps.r[reps.n++];
    r->problem = problem;
    memcpy(r->key, key, n);
    r->key[n] = '\0';
}

static struct hv_options opt;
static struct hv_options defaults;

static int setup(void **state)
{
    (void)state;
    memset(&reps, 0, sizeof(reps));
    options_set_defaults(&opt);
    options_set_defaults(&defaults);
    return 0;
}

static unsigned int parse(const char *line)
{
    return options_parse(&opt, line, strlen(line) + 1, record, NULL);
}

static void assert_com1(const struct serial_config *c, uint16_t io_base, uint32_t baud,
                        uint8_t data_bits, char parity, uint8_t stop_bits, uint8_t irq)
{
    assert_int_equal(c->io_base, io_base);
    assert_int_equal(c->baud, baud);
    assert_int_equal(c->data_bits, data_bits);
    assert_int_equal(c->parity, parity);
    assert_int_equal(c->stop_bits, stop_bits);
    assert_int_equal(c->irq, irq);
}

static void assert_com1_default(void)
{
    assert_com1(&opt.console.com1, 0x3f8, 115200, 8, 'n', 1, 4);
}

static void assert_options_equal(const struct hv_options *a, const struct hv_options *b)
{
    const struct serial_config *c = &b->console.com1;

    assert_int_equal(a->console.serial, b->console.serial);
    assert_int_equal(a->console.vga, b->console.vga);
    assert_com1(&a->console.com1, c->io_base, c->baud, c->data_bits, c->parity,
                c->stop_bits, c->irq);
    assert_int_equal(a->console.loglvl, b->console.loglvl);
    assert_int_equal(a->after_boot, b->after_boot);
    assert_int_equal(a->mem_limit, b->mem_limit);
    assert_int_equal(a->gnttab_max_frames, b->gnttab_max_frames);
}

/* One refused option: one BAD_VALUE report for key, and nothing changed. */
static void assert_refused_unchanged(const char *line, const char *key)
{
    struct hv_options before = opt;

    reps.n = 0;
    assert_int_equal(parse(line), 1);
    assert_int_equal(reps.n, 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[0].key, key);
    assert_options_equal(&opt, &before);
}

/* ---- defaults ------------------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    assert_true(opt.console.serial);
    assert_true(opt.console.vga);
    assert_com1_default();
    assert_int_equal(opt.console.loglvl, LOG_INFO);
    assert_int_equal(opt.after_boot, AFTER_BOOT_HALT);
    assert_int_equal(opt.mem_limit, 0);
}

static void test_empty_line_keeps_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_options_equal(&opt, &defaults);
}

/* ---- console= ------------------------------------------------------------- */

static void test_console_com1_vga(void **state)
{
    (void)state;
    opt.console.serial = opt.console.vga = false;
    assert_int_equal(parse("console=com1,vga"), 0);
    assert_true(opt.console.serial);
    assert_true(opt.console.vga);
}

static void test_console_vga_only(void **state)
{
    (void)state;
    assert_int_equal(parse("console=vga"), 0);
    assert_false(opt.console.serial);
    assert_true(opt.console.vga);
}

static void test_console_com1_only(void **state)
{
    (void)state;
    assert_int_equal(parse("console=com1"), 0);
    assert_true(opt.console.serial);
    assert_false(opt.console.vga);
}

static void test_console_none(void **state)
{
    (void)state;
    assert_int_equal(parse("console=none"), 0);
    assert_false(opt.console.serial);
    assert_false(opt.console.vga);
}

static void test_console_bad_entry_keeps_previous(void **state)
{
    (void)state;
    assert_int_equal(parse("console=vga"), 0);
    assert_refused_unchanged("console=com1,bogus", "console");
    assert_refused_unchanged("console=com1,,vga", "console");
    assert_refused_unchanged("console=COM1", "console");
    assert_false(opt.console.serial);
    assert_true(opt.console.vga);
}

static void test_console_without_value_reported(void **state)
{
    (void)state;
    assert_int_equal(parse("console"), 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_NO_VALUE);
    assert_options_equal(&opt, &defaults);
}

static void test_console_parser_direct(void **state)
{
    struct console_options c = { .serial = false, .vga = false };

    (void)state;
    assert_int_equal(parse_console_list("vga,com1", 8, &c), 0);
    assert_true(c.serial);
    assert_true(c.vga);
    /* the length bounds the list: "vga,com1" cut to "vga" */
    assert_int_equal(parse_console_list("vga,com1", 3, &c), 0);
    assert_false(c.serial);
    assert_true(c.vga);
    assert_int_equal(parse_console_list("vga,com2", 8, &c), -EINVAL);
    assert_false(c.serial);
    assert_true(c.vga);
}

/* ---- com1= ---------------------------------------------------------------- */

static void test_com1_baud_115200(void **state)
{
    (void)state;
    opt.console.com1.baud = 9600;
    assert_int_equal(parse("com1=115200"), 0);
    assert_int_equal(opt.console.com1.baud, 115200);
}

static void test_com1_baud_9600_keeps_other_fields(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=9600"), 0);
    assert_com1(&opt.console.com1, 0x3f8, 9600, 8, 'n', 1, 4);
}

static void test_com1_baud_auto_is_zero(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=auto"), 0);
    assert_int_equal(opt.console.com1.baud, 0);
}

static void test_com1_lowest_baud_accepted(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=50"), 0);
    assert_int_equal(opt.console.com1.baud, 50);
}

static void test_com1_baud_not_divisor_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=12345", "com1");   /* 115200 % 12345 != 0 */
    assert_com1_default();
}

static void test_com1_baud_zero_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=0", "com1");
    assert_com1_default();
}

static void test_com1_baud_out_of_range_refused(void **state)
{
    (void)state;
    /* 45 divides 115200 but is below 50; 230400 is above 115200 */
    assert_refused_unchanged("com1=45", "com1");
    assert_refused_unchanged("com1=230400", "com1");
    assert_refused_unchanged("com1=fast", "com1");
    assert_refused_unchanged("com1=", "com1");
    assert_com1_default();
}

static void test_com1_dps_8n1(void **state)
{
    (void)state;
    opt.console.com1.data_bits = 5;
    opt.console.com1.parity = 'o';
    opt.console.com1.stop_bits = 2;
    assert_int_equal(parse("com1=115200,8n1"), 0);
    assert_com1_default();
}

static void test_com1_dps_7e2(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=9600,7e2"), 0);
    assert_com1(&opt.console.com1, 0x3f8, 9600, 7, 'e', 2, 4);
}

static void test_com1_dps_5o1(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=9600,5o1"), 0);
    assert_com1(&opt.console.com1, 0x3f8, 9600, 5, 'o', 1, 4);
}

static void test_com1_dps_bad_data_bits_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=9600,9n1", "com1");
    assert_refused_unchanged("com1=9600,4n1", "com1");
    assert_com1_default();
}

static void test_com1_dps_bad_parity_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=9600,8x1", "com1");
    assert_refused_unchanged("com1=9600,8N1", "com1");
    assert_com1_default();
}

static void test_com1_dps_bad_stop_or_length_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=9600,8n3", "com1");
    assert_refused_unchanged("com1=9600,8n", "com1");
    assert_refused_unchanged("com1=9600,8n11", "com1");
    assert_com1_default();
}

static void test_com1_io_base(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=115200,8n1,0x2f8"), 0);
    assert_com1(&opt.console.com1, 0x2f8, 115200, 8, 'n', 1, 4);
}

static void test_com1_io_base_out_of_range_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=115200,8n1,0", "com1");
    assert_refused_unchanged("com1=115200,8n1,0xfff9", "com1");
    assert_refused_unchanged("com1=115200,8n1,port", "com1");
    assert_com1_default();
}

static void test_com1_irq(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=9600,8n1,0x2f8,3"), 0);
    assert_com1(&opt.console.com1, 0x2f8, 9600, 8, 'n', 1, 3);
}

static void test_com1_irq_15_accepted(void **state)
{
    (void)state;
    assert_int_equal(parse("com1=9600,8n1,0x2f8,15"), 0);
    assert_int_equal(opt.console.com1.irq, 15);
}

static void test_com1_irq_16_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=9600,8n1,0x2f8,16", "com1");
    assert_com1_default();
}

static void test_com1_extra_field_refused(void **state)
{
    (void)state;
    assert_refused_unchanged("com1=9600,8n1,0x2f8,3,1", "com1");
    assert_refused_unchanged("com1=9600,8n1,0x2f8,3,", "com1");
    assert_com1_default();
}

static void test_com1_bad_last_field_changes_nothing(void **state)
{
    (void)state;
    /* baud, format and port are good; the irq is not: nothing may stick */
    assert_refused_unchanged("com1=9600,7e2,0x2f8,16", "com1");
    assert_refused_unchanged("com1=9600,7e2,0x10000", "com1");
    assert_refused_unchanged("com1=9600,9n1", "com1");
    assert_com1_default();
}

static void test_com1_leaves_console_outputs_alone(void **state)
{
    (void)state;
    assert_int_equal(parse("console=vga com1=9600"), 0);
    assert_false(opt.console.serial);
    assert_true(opt.console.vga);
    assert_int_equal(opt.console.com1.baud, 9600);
}

static void test_com1_parser_direct(void **state)
{
    struct console_options c;

    (void)state;
    c = defaults.console;
    assert_int_equal(parse_com1("1200,8e1,0x3e8,5", 16, &c), 0);
    assert_com1(&c.com1, 0x3e8, 1200, 8, 'e', 1, 5);
    assert_int_equal(parse_com1("600,8e1,0x3e8,99", 16, &c), -EINVAL);
    assert_com1(&c.com1, 0x3e8, 1200, 8, 'e', 1, 5);
}

/* ---- loglvl= -------------------------------------------------------------- */

static void test_loglvl_levels(void **state)
{
    static const struct { const char *line; enum log_level level; } cases[] = {
        { "loglvl=error", LOG_ERR }, { "loglvl=warning", LOG_WARN },
        { "loglvl=debug", LOG_DEBUG }, { "loglvl=info", LOG_INFO },
        { "loglvl=all", LOG_DEBUG },
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        opt.console.loglvl = i % 2 ? LOG_ERR : LOG_WARN;
        if (cases[i].level == opt.console.loglvl)
            opt.console.loglvl = LOG_INFO;
        assert_int_equal(parse(cases[i].line), 0);
        assert_int_equal(opt.console.loglvl, cases[i].level);
    }
}

static void test_loglvl_bogus_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("loglvl=debug"), 0);
    assert_refused_unchanged("loglvl=verbose", "loglvl");
    assert_refused_unchanged("loglvl=warn", "loglvl");
    assert_refused_unchanged("loglvl=", "loglvl");
    assert_int_equal(opt.console.loglvl, LOG_DEBUG);
}

/* ---- after_boot= ---------------------------------------------------------- */

static void test_after_boot_values(void **state)
{
    (void)state;
    assert_int_equal(parse("after_boot=poweroff"), 0);
    assert_int_equal(opt.after_boot, AFTER_BOOT_POWEROFF);
    assert_int_equal(parse("after_boot=reboot"), 0);
    assert_int_equal(opt.after_boot, AFTER_BOOT_REBOOT);
    assert_int_equal(parse("after_boot=halt"), 0);
    assert_int_equal(opt.after_boot, AFTER_BOOT_HALT);
}

static void test_after_boot_bogus_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("after_boot=reboot"), 0);
    assert_refused_unchanged("after_boot=shutdown", "after_boot");
    assert_refused_unchanged("after_boot=haltt", "after_boot");
    assert_int_equal(opt.after_boot, AFTER_BOOT_REBOOT);
}

/* ---- gnttab_max_frames= ----------------------------------------------------- */

static void test_gnttab_max_frames(void **state)
{
    (void)state;
    assert_int_equal(opt.gnttab_max_frames, 64);             /* Xen's default */
    assert_int_equal(parse("gnttab_max_frames=1"), 0);
    assert_int_equal(opt.gnttab_max_frames, 1);
    assert_int_equal(parse("gnttab_max_frames=1024"), 0);
    assert_int_equal(opt.gnttab_max_frames, 1024);
    assert_refused_unchanged("gnttab_max_frames=0", "gnttab_max_frames");
    assert_refused_unchanged("gnttab_max_frames=1025", "gnttab_max_frames");
    assert_refused_unchanged("gnttab_max_frames=lots", "gnttab_max_frames");
    assert_int_equal(opt.gnttab_max_frames, 1024);
}

/* ---- mem= ----------------------------------------------------------------- */

static void test_mem_size(void **state)
{
    (void)state;
    assert_int_equal(parse("mem=512M"), 0);
    assert_int_equal(opt.mem_limit, 512ull << 20);
    assert_int_equal(parse("mem=4g"), 0);
    assert_int_equal(opt.mem_limit, 4ull << 30);
}

static void test_mem_bad_size_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("mem=1G"), 0);
    assert_refused_unchanged("mem=lots", "mem");
    assert_refused_unchanged("mem=99999999999T", "mem");
    assert_int_equal(opt.mem_limit, 1ull << 30);
}

/* ---- the whole line ------------------------------------------------------- */

static void test_full_line(void **state)
{
    (void)state;
    assert_int_equal(parse("console=com1 com1=9600,8n1,0x2f8,3 loglvl=debug "
                           "after_boot=poweroff mem=256M"), 0);
    assert_true(opt.console.serial);
    assert_false(opt.console.vga);
    assert_com1(&opt.console.com1, 0x2f8, 9600, 8, 'n', 1, 3);
    assert_int_equal(opt.console.loglvl, LOG_DEBUG);
    assert_int_equal(opt.after_boot, AFTER_BOOT_POWEROFF);
    assert_int_equal(opt.mem_limit, 256ull << 20);
    assert_int_equal(reps.n, 0);
}

static void test_unknown_options_reported_and_counted(void **state)
{
    (void)state;
    assert_int_equal(parse("frobnicate=1G loglvl=error noreboot com1=7 mem=2G"), 3);
    assert_int_equal(reps.n, 3);
    assert_int_equal(reps.r[0].problem, CMDLINE_UNKNOWN);
    assert_string_equal(reps.r[0].key, "frobnicate");
    assert_int_equal(reps.r[1].problem, CMDLINE_UNKNOWN);
    assert_string_equal(reps.r[1].key, "noreboot");
    assert_int_equal(reps.r[2].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[2].key, "com1");
    /* the good options around them took effect */
    assert_int_equal(opt.console.loglvl, LOG_ERR);
    assert_int_equal(opt.mem_limit, 2ull << 30);
    assert_com1_default();
}

static void test_dom0_mem(void **state)
{
    (void)state;
    assert_int_equal(opt.dom0_mem, DOM0_MEM_DEFAULT);
    assert_int_equal(parse("dom0_mem=64M"), 0);
    assert_int_equal(opt.dom0_mem, 64ull << 20);
    assert_int_equal(parse("dom0_mem=lots"), 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_int_equal(opt.dom0_mem, 64ull << 20);
}

static void test_dom0_mem_max(void **state)
{
    (void)state;
    assert_int_equal(parse("dom0_mem=32M,max:48M"), 0);
    assert_int_equal(opt.dom0_mem, 32ull << 20);
    assert_int_equal(opt.dom0_max_mem, 48ull << 20);
    assert_int_equal(parse("dom0_mem=max:64M"), 0);          /* size kept, max raised */
    assert_int_equal(opt.dom0_mem, 32ull << 20);
    assert_int_equal(opt.dom0_max_mem, 64ull << 20);
    /* refused, and nothing changes: max below the size, empty max, junk */
    assert_int_equal(parse("dom0_mem=128M,max:64M"), 1);
    assert_int_equal(parse("dom0_mem=16M,max:"), 1);
    assert_int_equal(parse("dom0_mem=16M,min:8M"), 1);
    assert_int_equal(opt.dom0_mem, 32ull << 20);
    assert_int_equal(opt.dom0_max_mem, 64ull << 20);
}

static void test_options_bounded_by_max_len(void **state)
{
    const char *line = "loglvl=error mem=1G";

    (void)state;
    assert_int_equal(options_parse(&opt, line, 12, record, NULL), 0);
    assert_int_equal(opt.console.loglvl, LOG_ERR);
    assert_int_equal(opt.mem_limit, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, setup),
        cmocka_unit_test_setup(test_empty_line_keeps_defaults, setup),
        cmocka_unit_test_setup(test_console_com1_vga, setup),
        cmocka_unit_test_setup(test_console_vga_only, setup),
        cmocka_unit_test_setup(test_console_com1_only, setup),
        cmocka_unit_test_setup(test_console_none, setup),
        cmocka_unit_test_setup(test_console_bad_entry_keeps_previous, setup),
        cmocka_unit_test_setup(test_console_without_value_reported, setup),
        cmocka_unit_test_setup(test_console_parser_direct, setup),
        cmocka_unit_test_setup(test_com1_baud_115200, setup),
        cmocka_unit_test_setup(test_com1_baud_9600_keeps_other_fields, setup),
        cmocka_unit_test_setup(test_com1_baud_auto_is_zero, setup),
        cmocka_unit_test_setup(test_com1_lowest_baud_accepted, setup),
        cmocka_unit_test_setup(test_com1_baud_not_divisor_refused, setup),
        cmocka_unit_test_setup(test_com1_baud_zero_refused, setup),
        cmocka_unit_test_setup(test_com1_baud_out_of_range_refused, setup),
        cmocka_unit_test_setup(test_com1_dps_8n1, setup),
        cmocka_unit_test_setup(test_com1_dps_7e2, setup),
        cmocka_unit_test_setup(test_com1_dps_5o1, setup),
        cmocka_unit_test_setup(test_com1_dps_bad_data_bits_refused, setup),
        cmocka_unit_test_setup(test_com1_dps_bad_parity_refused, setup),
        cmocka_unit_test_setup(test_com1_dps_bad_stop_or_length_refused, setup),
        cmocka_unit_test_setup(test_com1_io_base, setup),
        cmocka_unit_test_setup(test_com1_io_base_out_of_range_refused, setup),
        cmocka_unit_test_setup(test_com1_irq, setup),
        cmocka_unit_test_setup(test_com1_irq_15_accepted, setup),
        cmocka_unit_test_setup(test_com1_irq_16_refused, setup),
        cmocka_unit_test_setup(test_com1_extra_field_refused, setup),
        cmocka_unit_test_setup(test_com1_bad_last_field_changes_nothing, setup),
        cmocka_unit_test_setup(test_com1_leaves_console_outputs_alone, setup),
        cmocka_unit_test_setup(test_com1_parser_direct, setup),
        cmocka_unit_test_setup(test_loglvl_levels, setup),
        cmocka_unit_test_setup(test_loglvl_bogus_refused, setup),
        cmocka_unit_test_setup(test_after_boot_values, setup),
        cmocka_unit_test_setup(test_after_boot_bogus_refused, setup),
        cmocka_unit_test_setup(test_gnttab_max_frames, setup),
        cmocka_unit_test_setup(test_mem_size, setup),
        cmocka_unit_test_setup(test_mem_bad_size_refused, setup),
        cmocka_unit_test_setup(test_full_line, setup),
        cmocka_unit_test_setup(test_unknown_options_reported_and_counted, setup),
        cmocka_unit_test_setup(test_dom0_mem, setup),
        cmocka_unit_test_setup(test_dom0_mem_max, setup),
        cmocka_unit_test_setup(test_options_bounded_by_max_len, setup),
    };

    return cmocka_run_group_tests_name("cmdline_options", tests, NULL, NULL);
}
