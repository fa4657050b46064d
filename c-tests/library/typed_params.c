/* virTypedParams*: arrays grown as libvirt grows them, values stored and read
 * back by type, and libvirt's errors (all in VIR_FROM_NONE). */
#include "check.h"

static virTypedParameterPtr params;
static int n, max;

static void growth_and_values(void)
{
    static const int capacities[] = {1, 2, 3, 4, 6, 6, 9, 9, 9, 13, 13, 13, 13};
    const char *s = NULL;
    int i, iv = 0;
    unsigned int uv = 0;
    long long lv = 0;
    unsigned long long ulv = 0;
    double dv = 0;

    for (i = 0; i < 13; i++) {
        char name[16];
        snprintf(name, sizeof(name), "p%d", i);
        CHECK_INT(virTypedParamsAddInt(&params, &n, &max, name, i * 10), 0);
        CHECK_INT(max, capacities[i]);
    }
    CHECK_INT(n, 13);
    CHECK_INT(params[12].type, VIR_TYPED_PARAM_INT);
    CHECK_STR(params[12].field, "p12");
    /* libvirt does not look for an existing name. */
    CHECK_INT(virTypedParamsAddInt(&params, &n, &max, "p1", 5), 0);
    CHECK_INT(n, 14);
    CHECK_INT(max, 19);
    CHECK_INT(virTypedParamsGetInt(params, n, "p1", &iv), 1);
    CHECK_INT(iv, 10);

    CHECK_INT(virTypedParamsAddUInt(&params, &n, &max, "u", 4000000000U), 0);
    CHECK_INT(virTypedParamsAddLLong(&params, &n, &max, "l", -5000000000LL), 0);
    CHECK_INT(virTypedParamsAddULLong(&params, &n, &max, "ul", 18446744073709551615ULL), 0);
    CHECK_INT(virTypedParamsAddDouble(&params, &n, &max, "d", 2.5), 0);
    CHECK_INT(virTypedParamsAddBoolean(&params, &n, &max, "b", 7), 0);
    CHECK_INT(params[n - 1].value.b, 1);
    CHECK_INT(virTypedParamsAddString(&params, &n, &max, "s", "text"), 0);
    CHECK_INT(virTypedParamsAddString(&params, &n, &max, "empty", NULL), 0);
    CHECK_NO_ERROR();

    CHECK_INT(virTypedParamsGetUInt(params, n, "u", &uv), 1);
    CHECK(uv == 4000000000U);
    CHECK_INT(virTypedParamsGetLLong(params, n, "l", &lv), 1);
    CHECK(lv == -5000000000LL);
    CHECK_INT(virTypedParamsGetULLong(params, n, "ul", &ulv), 1);
    CHECK(ulv == 18446744073709551615ULL);
    CHECK_INT(virTypedParamsGetDouble(params, n, "d", &dv), 1);
    CHECK(dv == 2.5);
    CHECK_INT(virTypedParamsGetBoolean(params, n, "b", &iv), 1);
    CHECK_INT(iv, 1);
    params[n - 3].value.b = 5;
    CHECK_INT(virTypedParamsGetBoolean(params, n, "b", &iv), 1);
    CHECK_INT(iv, 1);
    CHECK_INT(virTypedParamsGetString(params, n, "s", &s), 1);
    CHECK_STR(s, "text");
    CHECK_INT(virTypedParamsGetString(params, n, "empty", &s), 1);
    CHECK_STR(s, "");
    /* A NULL value pointer checks presence and type only. */
    CHECK_INT(virTypedParamsGetDouble(params, n, "d", NULL), 1);
    CHECK(virTypedParamsGet(params, n, "p2") == &params[2]);
    CHECK(virTypedParamsGet(params, n, "nope") == NULL);
    CHECK(virTypedParamsGet(NULL, n, "p2") == NULL);
    CHECK(virTypedParamsGet(params, n, NULL) == NULL);
    CHECK_NO_ERROR();
}

static void get_errors(void)
{
    int iv = 0;
    unsigned int uv = 0;

    CHECK_INT(virTypedParamsGetInt(params, n, "s", &iv), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Invalid type 'int' requested for parameter 's', actual type is 'string'");
    CHECK_STR(virGetLastError()->str1, "invalid argument: %s");
    CHECK_INT(virTypedParamsGetUInt(params, n, "p3", &uv), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Invalid type 'uint' requested for parameter 'p3', actual type is 'int'");
    params[0].type = 0;
    CHECK_INT(virTypedParamsGetInt(params, n, "p0", &iv), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Invalid type 'int' requested for parameter 'p0', actual type is 'unknown'");
    params[0].type = 99;
    CHECK_INT(virTypedParamsGetInt(params, n, "p0", &iv), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Invalid type 'int' requested for parameter 'p0', actual type is '(null)'");
    params[0].type = VIR_TYPED_PARAM_INT;

    /* virTypedParamsGet leaves the last error; a Get<Type> resets it. */
    CHECK(virTypedParamsGet(params, n, "p0") == &params[0]);
    CHECK(virGetLastError() != NULL);
    CHECK_INT(virTypedParamsGetInt(params, n, "missing", &iv), 0);
    CHECK_NO_ERROR();
    CHECK_INT(virTypedParamsGetInt(NULL, 0, "p0", &iv), 0);
    CHECK_INT(virTypedParamsGetInt(params, n, NULL, &iv), 0);
}

static void add_errors(void)
{
    char name[100];
    virTypedParameterPtr fresh = NULL;
    int fn = 0, fmax = 0;

    memset(name, 'a', 79);
    name[79] = '\0';
    CHECK_INT(virTypedParamsAddInt(&params, &n, &max, name, 1), 0);
    CHECK_STR(params[n - 1].field, name);
    name[79] = 'a';
    name[80] = '\0';
    CHECK_INT(virTypedParamsAddInt(&params, &n, &max, name, 1), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                "internal error: Field name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' too long");
    CHECK_STR(virGetLastError()->str1, "internal error: %s");

    /* The array grows before the name is refused, and stays grown. */
    CHECK_INT(virTypedParamsAddString(&fresh, &fn, &fmax, name, "x"), -1);
    CHECK(fresh != NULL);
    CHECK_INT(fn, 0);
    CHECK_INT(fmax, 1);
    virTypedParamsFree(fresh, fn);
    /* Freeing leaves the last error alone. */
    CHECK(virGetLastError() != NULL);
    virTypedParamsFree(NULL, 0);
    virTypedParamsClear(NULL, 3);
    CHECK(virGetLastError() != NULL);
}

static void from_string(void)
{
    static const struct {
        int type;
        const char *text;
        const char *error; /* NULL: accepted */
    } cases[] = {
        {VIR_TYPED_PARAM_INT, " 12", NULL},
        {VIR_TYPED_PARAM_INT, "12 ", "invalid argument: Invalid value for field 'f': expected int"},
        {VIR_TYPED_PARAM_INT, "0x10", "invalid argument: Invalid value for field 'f': expected int"},
        {VIR_TYPED_PARAM_INT, "2147483648", "invalid argument: Invalid value for field 'f': expected int"},
        {VIR_TYPED_PARAM_UINT, "-1", NULL},
        {VIR_TYPED_PARAM_UINT, "4294967296", "invalid argument: Invalid value for field 'f': expected unsigned int"},
        {VIR_TYPED_PARAM_LLONG, "-9223372036854775808", NULL},
        {VIR_TYPED_PARAM_LLONG, "", "invalid argument: Invalid value for field 'f': expected long long"},
        {VIR_TYPED_PARAM_ULLONG, "18446744073709551616",
         "invalid argument: Invalid value for field 'f': expected unsigned long long"},
        {VIR_TYPED_PARAM_DOUBLE, "0x1p4", NULL},
        {VIR_TYPED_PARAM_DOUBLE, "1e400", "invalid argument: Invalid value for field 'f': expected double"},
        {VIR_TYPED_PARAM_DOUBLE, "1,5", "invalid argument: Invalid value for field 'f': expected double"},
        {VIR_TYPED_PARAM_BOOLEAN, "TRUE", NULL},
        {VIR_TYPED_PARAM_BOOLEAN, "yes", "invalid argument: Invalid boolean value for field 'f'"},
        {VIR_TYPED_PARAM_STRING, "", NULL},
        {0, "1", "internal error: unexpected type 0 for field f"},
        {8, "1", "internal error: unexpected type 8 for field f"},
        {VIR_TYPED_PARAM_INT, NULL, "invalid argument: NULL value for field 'f'"},
    };
    unsigned int i, uv = 0;
    long long lv = 0;
    double dv = 0;
    int iv = 0;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        virTypedParameterPtr p = NULL;
        int pn = 0, pmax = 0, rc;

        rc = virTypedParamsAddFromString(&p, &pn, &pmax, "f", cases[i].type, cases[i].text);
        if (cases[i].error) {
            CHECK_INT(rc, -1);
            CHECK_INT(pn, 0);
            CHECK(virGetLastError() && strcmp(virGetLastError()->message, cases[i].error) == 0);
            if (!virGetLastError() || strcmp(virGetLastError()->message, cases[i].error) != 0)
                fprintf(stderr, "  case %u: got \"%s\"\n", i, virGetLastError() ? virGetLastError()->message : "");
        } else {
            CHECK_INT(rc, 0);
            CHECK_INT(pn, 1);
            CHECK_INT(p[0].type, cases[i].type);
        }
        virTypedParamsFree(p, pn);
    }

    CHECK_INT(virTypedParamsAddFromString(&params, &n, &max, "fi", VIR_TYPED_PARAM_INT, "+5"), 0);
    CHECK_INT(virTypedParamsGetInt(params, n, "fi", &iv), 1);
    CHECK_INT(iv, 5);
    CHECK_INT(virTypedParamsAddFromString(&params, &n, &max, "fu", VIR_TYPED_PARAM_UINT, "-2"), 0);
    CHECK_INT(virTypedParamsGetUInt(params, n, "fu", &uv), 1);
    CHECK(uv == 4294967294U);
    CHECK_INT(virTypedParamsAddFromString(&params, &n, &max, "fl", VIR_TYPED_PARAM_LLONG, "-42"), 0);
    CHECK_INT(virTypedParamsGetLLong(params, n, "fl", &lv), 1);
    CHECK_INT(lv, -42);
    CHECK_INT(virTypedParamsAddFromString(&params, &n, &max, "fd", VIR_TYPED_PARAM_DOUBLE, "1e3"), 0);
    CHECK_INT(virTypedParamsGetDouble(params, n, "fd", &dv), 1);
    CHECK(dv == 1000.0);
    CHECK_INT(virTypedParamsAddFromString(&params, &n, &max, "fb", VIR_TYPED_PARAM_BOOLEAN, "False"), 0);
    CHECK_INT(virTypedParamsGetBoolean(params, n, "fb", &iv), 1);
    CHECK_INT(iv, 0);
}

static void string_lists_and_clear(void)
{
    const char *values[] = {"v1", "v2", NULL};
    const char *none[] = {NULL};
    int before = n, i;

    CHECK_INT(virTypedParamsAddStringList(&params, &n, &max, "sl", values), 0);
    CHECK_INT(n, before + 2);
    CHECK_STR(params[n - 2].value.s, "v1");
    CHECK_STR(params[n - 1].value.s, "v2");
    CHECK_INT(virTypedParamsAddStringList(&params, &n, &max, "sl", NULL), 0);
    /* An empty list fails, without an error. */
    CHECK_INT(virTypedParamsAddStringList(&params, &n, &max, "sl", none), -1);
    CHECK_NO_ERROR();
    CHECK_INT(n, before + 2);

    virTypedParamsClear(params, n);
    for (i = 0; i < n; i++)
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            CHECK(params[i].value.s == NULL);
    virTypedParamsFree(params, n);
}

int main(void)
{
    virInitialize();
    virSetErrorFunc(NULL, quiet);
    growth_and_values();
    get_errors();
    add_errors();
    from_string();
    string_lists_and_clear();
    return finish("library-typed_params");
}
