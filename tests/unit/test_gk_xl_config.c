/*
 * Unit tests for guest-kernel/backend/xl_config.c, the toolstack's
 * xl-syntax configuration. Rules, each accepted and refused: sections by
 * quoted name (a duplicate, a bad name, too many refused); disk and vif
 * lists of quoted elements on one line (a device before any name, an
 * unquoted element, a missing comma refused); disks positional
 * ('phy:t,vdev,access') or keyed (target=, vdev=, access=, format=raw,
 * devtype=disk), a bad access, vdev, format or unknown key refused; Xen's
 * virtual-device numbers for xvd/hd/sd; vifs with a unicast MAC, a bridge
 * name, an a.b.c.d ip (each malformed one refused) and xenbr0 by default;
 * ignored xl keys accepted, unknown keys refused; every error names its
 * line; nothing read past the given length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xl_config.h"

static struct xl_config cfg;

static int parse(const char *text)
{
    return xl_config_parse(&cfg, text, strlen(text));
}

static void test_two_domains(void **state)
{
    const struct xl_domain *d;

    (void)state;
    assert_int_equal(parse("# demo\n"
                           "name = \"web\"\n"
                           "memory = 64\n"
                           "disk = [ 'phy:ide0,xvda,w', 'target=ide0:2, vdev=xvdb, access=ro' ]\n"
                           "vif = [ 'mac=00:16:3e:00:01:02, bridge=xenbr0, ip=10.0.0.2' ]\n"
                           "\n"
                           "name = 'db'\n"
                           "vif = [ \"\" ]\n"), 0);
    assert_int_equal(cfg.nr, 2);
    d = xl_config_find(&cfg, "web");
    assert_non_null(d);
    assert_int_equal(d->nr_disks, 2);
    assert_string_equal(d->disks[0].target, "ide0");
    assert_string_equal(d->disks[0].vdev, "xvda");
    assert_int_equal(d->disks[0].devid, 51712);
    assert_false(d->disks[0].readonly);
    assert_string_equal(d->disks[1].target, "ide0:2");
    assert_int_equal(d->disks[1].devid, 51728);
    assert_true(d->disks[1].readonly);
    assert_int_equal(d->nr_vifs, 1);
    assert_true(d->vifs[0].has_mac);
    assert_int_equal(d->vifs[0].mac[5], 0x02);
    assert_string_equal(d->vifs[0].ip, "10.0.0.2");
    d = xl_config_find(&cfg, "db");
    assert_non_null(d);
    assert_int_equal(d->nr_vifs, 1);
    assert_false(d->vifs[0].has_mac);
    assert_string_equal(d->vifs[0].bridge, "xenbr0");
    assert_null(xl_config_find(&cfg, "nobody"));
}

static void refused(const char *text, const char *error)
{
    assert_int_equal(parse(text), -1);
    assert_string_equal(cfg.error, error);
}

static void test_refusals_name_their_line(void **state)
{
    (void)state;
    refused("name = \"a\"\nname = \"a\"\n", "line 2: a second section of that name");
    refused("name = a\n", "line 1: name must be a quoted short name of letters and digits");
    refused("name = \"a b\"\n", "line 1: name must be a quoted short name of letters and digits");
    refused("disk = [ 'ide0,xvda,w' ]\n", "line 1: a device before any name = \"...\"");
    refused("name = \"a\"\nfrobnicate = 1\n", "line 2: unknown key");
    refused("name = \"a\"\njust words\n", "line 2: want key = value");
    refused("name = \"a\"\ndisk = [ ide0,xvda ]\n", "line 2: each element must be quoted");
    refused("name = \"a\"\ndisk = [ 'ide0,xvda' 'ide0,xvdb' ]\n",
            "line 2: elements must be separated by commas");
    refused("name = \"a\"\ndisk = [ 'ide0,xvda'\n",
            "line 2: want [ 'spec', ... ] on one line");
}

static void test_too_many(void **state)
{
    char text[1024] = "";

    (void)state;
    for (int i = 0; i <= XL_DOMAINS_MAX; i++)
        sprintf(text + strlen(text), "name = \"d%d\"\n", i);
    refused(text, "line 9: too many domains");
    refused("name = \"a\"\ndisk = [ 'x,xvda', 'x,xvdb', 'x,xvdc', 'x,xvdd', 'x,xvde' ]\n",
            "line 2: too many disks");
}

static void disk_refused(const char *spec, const char *why)
{
    struct xl_disk d;
    const char *got = NULL;

    assert_int_equal(xl_disk_parse(&d, spec, strlen(spec), &got), -1);
    assert_string_equal(got, why);
}

static void test_disk_specs(void **state)
{
    struct xl_disk d;
    const char *why;

    (void)state;
    assert_int_equal(xl_disk_parse(&d, "ide0,hdb,r", 10, &why), 0);
    assert_int_equal(d.devid, (3u << 8) | (1u << 6));
    assert_true(d.readonly);
    assert_int_equal(xl_disk_parse(&d, "ide0,xvda", 9, &why), 0);     /* rw by default */
    assert_false(d.readonly);
    disk_refused("ide0,xvda,x", "access must be r, ro, w or rw");
    disk_refused("ide0,vda,w", "vdev must be xvdX, hdX or sdX (a partition number may follow)");
    disk_refused("ide0,xvda0,w", "vdev must be xvdX, hdX or sdX (a partition number may follow)");
    disk_refused("ide0", "want target,vdev[,access]");
    disk_refused("ide0,xvda,w,extra", "want target,vdev[,access]");
    disk_refused("target=ide0, vdev=xvda, format=qcow2", "only format=raw is served");
    disk_refused("target=ide0, vdev=xvda, devtype=cdrom", "only devtype=disk is served");
    disk_refused("target=ide0, size=5", "unknown disk key (target, vdev, access, format, devtype)");
    disk_refused("target=ide0", "a disk needs a target and a vdev");
    disk_refused("phy:,xvda,w", "the target is empty or too long");
}

static void test_vdev_numbers(void **state)
{
    uint32_t id;

    (void)state;
    assert_int_equal(xl_vdev_number("xvdb3", &id), 0);
    assert_int_equal(id, (202u << 8) | (1u << 4) | 3u);
    assert_int_equal(xl_vdev_number("xvdq", &id), 0);                 /* disk 16: extended */
    assert_int_equal(id, (1u << 28) | (16u << 8));
    assert_int_equal(xl_vdev_number("xvdaa", &id), 0);
    assert_int_equal(id, (1u << 28) | (26u << 8));
    assert_int_equal(xl_vdev_number("hdc", &id), 0);
    assert_int_equal(id, 22u << 8);
    assert_int_equal(xl_vdev_number("sdb1", &id), 0);
    assert_int_equal(id, (8u << 8) | (1u << 4) | 1u);
    assert_int_equal(xl_vdev_number("xvd", &id), -1);
    assert_int_equal(xl_vdev_number("hde", &id), -1);
    assert_int_equal(xl_vdev_number("xvda256", &id), -1);
    assert_int_equal(xl_vdev_number("xvdaaaa", &id), -1);
}

static void vif_refused(const char *spec, const char *why)
{
    struct xl_vif v;
    const char *got = NULL;

    assert_int_equal(xl_vif_parse(&v, spec, strlen(spec), &got), -1);
    assert_string_equal(got, why);
}

static void test_vif_specs(void **state)
{
    struct xl_vif v;
    const char *why;

    (void)state;
    assert_int_equal(xl_vif_parse(&v, "bridge=br-lan, model=e1000,", 27, &why), 0);
    assert_string_equal(v.bridge, "br-lan");
    vif_refused("mac=01:16:3e:00:00:01", "mac must be a unicast xx:xx:xx:xx:xx:xx");
    vif_refused("mac=00:16:3e:00:00", "mac must be a unicast xx:xx:xx:xx:xx:xx");
    vif_refused("mac=00-16-3e-00-00-01", "mac must be a unicast xx:xx:xx:xx:xx:xx");
    vif_refused("ip=10.0.0.256", "ip must be a.b.c.d");
    vif_refused("ip=10.0.0", "ip must be a.b.c.d");
    vif_refused("bridge=a b", "bridge must be a short name of letters and digits");
    vif_refused("bridge=averyveryverylongbridge", "bridge must be a short name of letters and digits");
    vif_refused("rate=10Mb/s", "unknown vif key (mac, bridge, ip)");
    vif_refused("mac", "want key=value");
}

static void test_reads_only_len(void **state)
{
    char *text = malloc(15);

    (void)state;
    memcpy(text, "name = \"abc\"\nX", 14);          /* no NUL; "X" is past len */
    assert_int_equal(xl_config_parse(&cfg, text, 13), 0);
    assert_int_equal(cfg.nr, 1);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_domains),
        cmocka_unit_test(test_refusals_name_their_line),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_disk_specs),
        cmocka_unit_test(test_vdev_numbers),
        cmocka_unit_test(test_vif_specs),
        cmocka_unit_test(test_reads_only_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
