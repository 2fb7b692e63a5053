/*
 * Tern guest kernel, domain 0's toolstack: the xl-syntax configuration
 * parser (see xl_config.h). Invariants: nothing is read outside
 * text[0..len) (no NUL is assumed); every copy into a fixed field is
 * checked against its size and an over-long value is refused, never cut;
 * a refused text leaves an error naming the line.
 */
#include "backend/xl_config.h"
#include "kernel/lib.h"
#include "net/net_text.h"

struct span {
    const char *p;
    size_t n;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static struct span trim(struct span s)
{
    while (s.n && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

/* Splits *rest at the first sep (or its end) into *field, trimmed. */
static bool next_field(struct span *rest, char sep, struct span *field)
{
    size_t i = 0;

    if (rest->p == NULL)
        return false;
    while (i < rest->n && rest->p[i] != sep)
        i++;
    *field = trim((struct span){ rest->p, i });
    if (i < rest->n)
        *rest = (struct span){ rest->p + i + 1, rest->n - i - 1 };
    else
        *rest = (struct span){ NULL, 0 };
    return true;
}

static bool span_eq(struct span s, const char *lit)
{
    return strlen(lit) == s.n && memcmp(s.p, lit, s.n) == 0;
}

/* Copies s NUL-ended into dst[room]; false (nothing copied) if too long. */
static bool copy_span(char *dst, size_t room, struct span s)
{
    if (s.n >= room)
        return false;
    memcpy(dst, s.p, s.n);
    dst[s.n] = 0;
    return true;
}

/* "key=value" into its two trimmed halves. */
static bool key_value(struct span f, struct span *k, struct span *v)
{
    struct span rest = f;

    next_field(&rest, '=', k);
    if (rest.p == NULL || k->n == 0)
        return false;
    *v = trim(rest);
    return true;
}

static bool has_char(struct span s, char c)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == c)
            return true;
    return false;
}

/* ---- virtual device names --------------------------------------------- */

/* Letters a..z, aa.. (xvdaa is disk 26) then an optional partition. */
static int disk_index(const char *s, uint32_t *index, uint32_t *part)
{
    uint32_t idx = 0, p = 0;
    size_t i = 0;

    for (; s[i] >= 'a' && s[i] <= 'z'; i++) {
        if (i == 3)
            return -1;                               /* xvdzzz: beyond Xen's range */
        idx = (i ? idx + 1 : 0) * 26 + (uint32_t)(s[i] - 'a');
    }
    if (i == 0)
        return -1;
    for (size_t j = i; s[j]; j++) {
        if (s[j] < '0' || s[j] > '9' || (j == i && s[j] == '0') || p > 255)
            return -1;
        p = p * 10 + (uint32_t)(s[j] - '0');
    }
    *index = idx;
    *part = p;
    return p > 255 ? -1 : 0;
}

int xl_vdev_number(const char *vdev, uint32_t *devid)
{
    uint32_t idx, part;

    if (strncmp(vdev, "xvd", 3) == 0 && disk_index(vdev + 3, &idx, &part) == 0) {
        if (idx < 16 && part < 16)
            *devid = (202u << 8) | (idx << 4) | part;
        else
            *devid = (1u << 28) | (idx << 8) | part;
        return 0;
    }
    if (strncmp(vdev, "hd", 2) == 0 && disk_index(vdev + 2, &idx, &part) == 0 && idx < 4 &&
        part < 64) {
        *devid = ((idx < 2 ? 3u : 22u) << 8) | ((idx & 1) << 6) | part;
        return 0;
    }
    if (strncmp(vdev, "sd", 2) == 0 && disk_index(vdev + 2, &idx, &part) == 0 && idx < 16 &&
        part < 16) {
        *devid = (8u << 8) | (idx << 4) | part;
        return 0;
    }
    return -1;
}

/* ---- disk specifications ------------------------------------------------ */

static int disk_access(struct xl_disk *d, struct span v, const char **why)
{
    if (span_eq(v, "r") || span_eq(v, "ro"))
        d->readonly = true;
    else if (span_eq(v, "w") || span_eq(v, "rw"))
        d->readonly = false;
    else
        return *why = "access must be r, ro, w or rw", -1;
    return 0;
}

static int disk_target(struct xl_disk *d, struct span v, const char **why)
{
    if (v.n >= 4 && memcmp(v.p, "phy:", 4) == 0)
        v = (struct span){ v.p + 4, v.n - 4 };
    if (v.n == 0 || !copy_span(d->target, sizeof(d->target), v))
        return *why = "the target is empty or too long", -1;
    return 0;
}

static int disk_vdev(struct xl_disk *d, struct span v, const char **why)
{
    if (!copy_span(d->vdev, sizeof(d->vdev), v) || xl_vdev_number(d->vdev, &d->devid))
        return *why = "vdev must be xvdX, hdX or sdX (a partition number may follow)", -1;
    return 0;
}

static int disk_key(struct xl_disk *d, struct span k, struct span v, const char **why)
{
    if (span_eq(k, "target"))
        return disk_target(d, v, why);
    if (span_eq(k, "vdev"))
        return disk_vdev(d, v, why);
    if (span_eq(k, "access"))
        return disk_access(d, v, why);
    if (span_eq(k, "format"))
        return span_eq(v, "raw") ? 0 : (*why = "only format=raw is served", -1);
    if (span_eq(k, "devtype"))
        return span_eq(v, "disk") ? 0 : (*why = "only devtype=disk is served", -1);
    return *why = "unknown disk key (target, vdev, access, format, devtype)", -1;
}

/* 'target=..., vdev=..., access=...' */
static int disk_keyed(struct xl_disk *d, struct span rest, const char **why)
{
    struct span f, k, v;

    while (next_field(&rest, ',', &f)) {
        if (!key_value(f, &k, &v))
            return *why = "want key=value", -1;
        if (disk_key(d, k, v, why))
            return -1;
    }
    return 0;
}

/* 'phy:target,vdev[,access]' */
static int disk_positional(struct xl_disk *d, struct span rest, const char **why)
{
    struct span target, vdev, access = { "rw", 2 };

    next_field(&rest, ',', &target);
    if (!next_field(&rest, ',', &vdev))
        return *why = "want target,vdev[,access]", -1;
    if (rest.p && (!next_field(&rest, ',', &access) || rest.p))
        return *why = "want target,vdev[,access]", -1;
    return disk_target(d, target, why) ?: disk_vdev(d, vdev, why) ?:
           disk_access(d, access, why);
}

int xl_disk_parse(struct xl_disk *d, const char *spec, size_t len, const char **why)
{
    struct span s = trim((struct span){ spec, len });
    struct span first = s, head;

    memset(d, 0, sizeof(*d));
    next_field(&first, ',', &head);
    if ((has_char(head, '=') ? disk_keyed(d, s, why) : disk_positional(d, s, why)) != 0)
        return -1;
    if (!d->target[0] || !d->vdev[0])
        return *why = "a disk needs a target and a vdev", -1;
    return 0;
}

/* ---- vif specifications ------------------------------------------------- */

/* xx:xx:xx:xx:xx:xx, a unicast address (net_text.c parses it). */
static int parse_mac(uint8_t mac[6], struct span v)
{
    char text[18];

    if (!copy_span(text, sizeof(text), v) || !net_parse_mac(text, mac))
        return -1;
    return mac[0] & 1 ? -1 : 0;
}

/* a.b.c.d, each 0..255 (net_text.c parses it). */
static bool dotted_quad(struct span v)
{
    char text[XL_IP_LEN];
    uint32_t ip;

    return copy_span(text, sizeof(text), v) && net_parse_ipv4(text, &ip);
}

static bool bridge_name(struct span v)
{
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return v.n > 0;
}

static int vif_key(struct xl_vif *vif, struct span k, struct span v, const char **why)
{
    if (span_eq(k, "mac")) {
        vif->has_mac = parse_mac(vif->mac, v) == 0;
        return vif->has_mac ? 0 : (*why = "mac must be a unicast xx:xx:xx:xx:xx:xx", -1);
    }
    if (span_eq(k, "bridge"))
        return bridge_name(v) && copy_span(vif->bridge, sizeof(vif->bridge), v)
                   ? 0 : (*why = "bridge must be a short name of letters and digits", -1);
    if (span_eq(k, "ip"))
        return dotted_quad(v) && copy_span(vif->ip, sizeof(vif->ip), v)
                   ? 0 : (*why = "ip must be a.b.c.d", -1);
    if (span_eq(k, "type") || span_eq(k, "model") || span_eq(k, "script"))
        return 0;                                    /* xl's, not used here */
    return *why = "unknown vif key (mac, bridge, ip)", -1;
}

int xl_vif_parse(struct xl_vif *vif, const char *spec, size_t len, const char **why)
{
    struct span rest = trim((struct span){ spec, len }), f, k, v;

    memset(vif, 0, sizeof(*vif));
    memcpy(vif->bridge, "xenbr0", 7);
    while (rest.n && next_field(&rest, ',', &f)) {
        if (f.n == 0 && rest.p == NULL)
            break;                                   /* a trailing comma */
        if (!key_value(f, &k, &v))
            return *why = "want key=value", -1;
        if (vif_key(vif, k, v, why))
            return -1;
    }
    return 0;
}

/* ---- the configuration text --------------------------------------------- */

static const char *const ignored_keys[] = {
    "memory", "maxmem", "vcpus", "maxvcpus", "kernel", "ramdisk", "extra", "cmdline",
    "type", "uuid", "on_poweroff", "on_reboot", "on_crash", "on_watchdog",
};

static int refuse(struct xl_config *c, unsigned int line, const char *why)
{
    snprintf(c->error, sizeof(c->error), "line %u: %s", line, why);
    return -1;
}

/* "text" or 'text' into *inner. */
static bool quoted(struct span v, struct span *inner)
{
    if (v.n < 2 || (v.p[0] != '"' && v.p[0] != '\'') || v.p[v.n - 1] != v.p[0])
        return false;
    *inner = (struct span){ v.p + 1, v.n - 2 };
    return !has_char(*inner, v.p[0]);
}

static bool valid_name(struct span n)
{
    return n.n > 0 && n.n < XL_NAME_LEN && bridge_name(n);
}

static int new_section(struct xl_config *c, struct span v, unsigned int line)
{
    struct span name;
    struct xl_domain *d = &c->dom[c->nr];

    if (!quoted(v, &name) || !valid_name(name))
        return refuse(c, line, "name must be a quoted short name of letters and digits");
    if (c->nr == XL_DOMAINS_MAX)
        return refuse(c, line, "too many domains");
    memset(d, 0, sizeof(*d));
    copy_span(d->name, sizeof(d->name), name);
    if (xl_config_find(c, d->name) != NULL)
        return refuse(c, line, "a second section of that name");
    c->nr++;
    return 0;
}

/* One list element, as the key says. */
static int element(struct xl_domain *d, bool disk, struct span e, const char **why)
{
    if (disk && d->nr_disks == XL_DISKS_MAX)
        return *why = "too many disks", -1;
    if (!disk && d->nr_vifs == XL_VIFS_MAX)
        return *why = "too many vifs", -1;
    if (disk)
        return xl_disk_parse(&d->disks[d->nr_disks++], e.p, e.n, why);
    return xl_vif_parse(&d->vifs[d->nr_vifs++], e.p, e.n, why);
}

/* [ 'a', "b" ] with each element given to element(). */
static int list(struct xl_domain *d, bool disk, struct span v, const char **why)
{
    struct span rest;

    if (v.n < 2 || v.p[0] != '[' || v.p[v.n - 1] != ']')
        return *why = "want [ 'spec', ... ] on one line", -1;
    rest = trim((struct span){ v.p + 1, v.n - 2 });
    while (rest.n) {
        size_t end = 1;
        char q = rest.p[0];

        while (end < rest.n && rest.p[end] != q)
            end++;
        if ((q != '\'' && q != '"') || end == rest.n)
            return *why = "each element must be quoted", -1;
        if (element(d, disk, (struct span){ rest.p + 1, end - 1 }, why))
            return -1;
        rest = trim((struct span){ rest.p + end + 1, rest.n - end - 1 });
        if (rest.n && rest.p[0] != ',')
            return *why = "elements must be separated by commas", -1;
        rest = rest.n ? trim((struct span){ rest.p + 1, rest.n - 1 }) : rest;
    }
    return 0;
}

static bool ignored(struct span k)
{
    for (size_t i = 0; i < sizeof(ignored_keys) / sizeof(ignored_keys[0]); i++)
        if (span_eq(k, ignored_keys[i]))
            return true;
    return false;
}

static int one_line(struct xl_config *c, struct span l, unsigned int line)
{
    struct span k, v;
    const char *why = NULL;
    bool disk;

    if (l.n == 0 || l.p[0] == '#')
        return 0;
    if (!key_value(l, &k, &v))
        return refuse(c, line, "want key = value");
    if (span_eq(k, "name"))
        return new_section(c, v, line);
    disk = span_eq(k, "disk");
    if (disk || span_eq(k, "vif")) {
        if (c->nr == 0)
            return refuse(c, line, "a device before any name = \"...\"");
        return list(&c->dom[c->nr - 1], disk, v, &why) ? refuse(c, line, why) : 0;
    }
    return ignored(k) ? 0 : refuse(c, line, "unknown key");
}

int xl_config_parse(struct xl_config *c, const char *text, size_t len)
{
    struct span rest = { text, len }, l;
    unsigned int line = 0;

    memset(c, 0, sizeof(*c));
    while (rest.p && next_field(&rest, '\n', &l))
        if (one_line(c, l, ++line))
            return -1;
    return 0;
}

const struct xl_domain *xl_config_find(const struct xl_config *c, const char *name)
{
    for (unsigned int i = 0; i < c->nr; i++)
        if (strcmp(c->dom[i].name, name) == 0)
            return &c->dom[i];
    return NULL;
}
