/*
 * cmdline.c: Xen-style option parsing. Pure: no I/O, no globals; problems go
 * to the caller's report callback. Every token is bounded by max_len and by
 * the NUL, whichever comes first; no token is ever copied unbounded.
 */
#include "cmdline.h"
#include "err.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncmp(s, word, len) == 0;
}

static bool word_is_nocase(const char *s, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

int parse_bool(const char *s, size_t len)
{
    static const char *const yes[] = { "1", "yes", "true", "on", "enable" };
    static const char *const no[] = { "0", "no", "false", "off", "disable" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (word_is_nocase(s, len, yes[i]))
            return 1;
        if (word_is_nocase(s, len, no[i]))
            return 0;
    }
    return -EINVAL;
}

int parse_uint(const char *s, size_t len, uint64_t *out)
{
    uint64_t v;
    size_t used = parse_u64(s, len, &v);

    if (used == 0)
        return (len && s[0] >= '0' && s[0] <= '9') ? -ERANGE : -EINVAL;
    if (used != len)
        return -EINVAL;
    *out = v;
    return 0;
}

static int unit_shift(char c)
{
    switch (c) {
    case 'b': case 'B': return 0;
    case 'k': case 'K': return 10;
    case 'm': case 'M': return 20;
    case 'g': case 'G': return 30;
    case 't': case 'T': return 40;
    default: return -1;
    }
}

int parse_size(const char *s, size_t len, uint64_t *bytes)
{
    int shift = 0;
    uint64_t v;
    int rc;

    if (len > 1 && unit_shift(s[len - 1]) >= 0 &&
        !(len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
          unit_shift(s[len - 1]) == 0)) {     /* "0x1B" is hex, not bytes */
        shift = unit_shift(s[len - 1]);
        len--;
    }
    rc = parse_uint(s, len, &v);
    if (rc)
        return rc;
    if (shift && v > (UINT64_MAX >> shift))
        return -ERANGE;
    *bytes = v << shift;
    return 0;
}

static const struct param *find_param(const struct param *params, size_t n,
                                      const char *key, size_t key_len)
{
    for (size_t i = 0; i < n; i++)
        if (word_is(key, key_len, params[i].name))
            return &params[i];
    return NULL;
}

static int set_string(const struct param *p, const char *val, size_t len)
{
    if (len + 1 > p->var_size)
        return -ERANGE;                  /* never truncate silently */
    memcpy(p->var, val, len);
    ((char *)p->var)[len] = '\0';
    return 0;
}

/* Store val into p's variable; -EINVAL leaves the variable unchanged. */
static int set_value(const struct param *p, const char *val, size_t len)
{
    uint64_t u;
    int rc;

    switch (p->type) {
    case PARAM_BOOL:
        rc = parse_bool(val, len);
        if (rc < 0)
            return rc;
        *(bool *)p->var = rc;
        return 0;
    case PARAM_UINT:
    case PARAM_SIZE:
        rc = p->type == PARAM_UINT ? parse_uint(val, len, &u)
                                   : parse_size(val, len, &u);
        if (rc == 0)
            *(uint64_t *)p->var = u;
        return rc;
    case PARAM_STRING:
        return set_string(p, val, len);
    case PARAM_CUSTOM:
        return p->custom(val, len, p->var);
    }
    return -EINVAL;
}

struct token {
    const char *key, *val;
    size_t key_len, val_len;
    bool has_val;
};

static void split_token(const char *s, size_t len, struct token *t)
{
    const char *eq = memchr(s, '=', len);

    t->key = s;
    t->has_val = eq != NULL;
    t->key_len = eq ? (size_t)(eq - s) : len;
    t->val = eq ? eq + 1 : s + len;
    t->val_len = eq ? len - t->key_len - 1 : 0;
}

/* Handle one option; returns 1 if it was reported as a problem. */
static unsigned int handle_token(const struct token *t, const struct param *params,
                                 size_t n, cmdline_report_fn report, void *ctx)
{
    const struct param *p = find_param(params, n, t->key, t->key_len);
    enum cmdline_problem problem;

    if (p && t->has_val) {
        if (set_value(p, t->val, t->val_len) == 0)
            return 0;
        problem = CMDLINE_BAD_VALUE;
    } else if (p) {
        if (p->type == PARAM_BOOL) {
            *(bool *)p->var = true;
            return 0;
        }
        problem = CMDLINE_NO_VALUE;
    } else if (!t->has_val && t->key_len > 3 && strncmp(t->key, "no-", 3) == 0 &&
               (p = find_param(params, n, t->key + 3, t->key_len - 3)) &&
               p->type == PARAM_BOOL) {
        *(bool *)p->var = false;
        return 0;
    } else {
        problem = CMDLINE_UNKNOWN;
    }
    if (report)
        report(ctx, problem, t->key, t->key_len, t->val, t->val_len);
    return 1;
}

unsigned int cmdline_parse(const char *line, size_t max_len,
                           const struct param *params, size_t nr_params,
                           cmdline_report_fn report, void *ctx)
{
    size_t len = line ? strnlen(line, max_len) : 0;
    unsigned int problems = 0;
    size_t i = 0;

    while (i < len) {
        size_t start;
        struct token t;

        while (i < len && is_space(line[i]))
            i++;
        start = i;
        while (i < len && !is_space(line[i]))
            i++;
        if (i == start)
            break;
        split_token(line + start, i - start, &t);
        problems += handle_token(&t, params, nr_params, report, ctx);
    }
    return problems;
}

const char *cmdline_skip_image_name(const char *line, size_t max_len, bool loader_omits_name)
{
    size_t len = strnlen(line, max_len), i = 0, end;

    while (i < len && is_space(line[i]))
        i++;
    end = i;
    while (end < len && !is_space(line[end]))
        end++;
    if (!loader_omits_name ||
        (memchr(line + i, '/', end - i) && !memchr(line + i, '=', end - i)))
        return line + end;
    return line + i;
}
