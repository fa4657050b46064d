/* The debug log: LIBVIRT_DEBUG and LIBVIRT_LOG_OUTPUTS read on first use, one
 * debug line per public call with its arguments, errors logged at error level.
 * With the argument "invalid", an invalid setting makes initialisation fail. */
#include <regex.h>
#include "check.h"

static void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* Whether some line of `text` matches the extended regex `pattern`. */
static int has_line(const char *text, const char *pattern)
{
    regex_t re;
    int found;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0)
        return 0;
    found = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return found;
}

#define STAMP "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\+0000: [0-9]+: "
#define CHECK_LINE(text, pattern) \
    do { \
        if (!has_line(text, pattern)) { \
            fprintf(stdout, "%s:%d: no log line matches %s\n", __FILE__, __LINE__, pattern); \
            failures++; \
        } \
    } while (0)

static int invalid_settings(void)
{
    unsigned long version;

    setenv("LIBVIRT_DEBUG", "warn", 1);
    virSetErrorFunc(NULL, quiet);
    CHECK(virConnectOpen("test:///default") == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Failed to set logging priority, argument 'warn' is invalid");
    /* Every later attempt fails the same way. */
    CHECK(virConnectOpenReadOnly("test:///default") == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "invalid argument: Failed to set logging priority, argument 'warn' is invalid");
    CHECK(virGetVersion(&version, NULL, NULL) == -1);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_ARG);
    return report("log invalid");
}

int main(int argc, char **argv)
{
    char path[] = "/tmp/ferrovirt-log-XXXXXX";
    char outputs[64];
    virConnectPtr conn;
    Capture c;
    char *printed, *text;
    FILE *f;
    long len;
    int fd;

    if (argc > 1 && strcmp(argv[1], "invalid") == 0)
        return invalid_settings();

    fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    snprintf(outputs, sizeof(outputs), "1:file:%s", path);
    setenv("LIBVIRT_DEBUG", "1", 1);
    setenv("LIBVIRT_LOG_OUTPUTS", outputs, 1);
    unsetenv("LIBVIRT_LOG_FILTERS");

    conn = virConnectOpen("test:///default");
    CHECK(conn != NULL);
    /* Logging to a file leaves stderr to the default error handler. */
    capture_start(&c);
    CHECK(virConnectGetType(NULL) == NULL);
    CHECK(virConnectClose(conn) == 0);
    printed = capture_end(&c);
    CHECK_STR(printed, "libvirt: Domain Config error : invalid connection pointer in virConnectGetType\n");
    free(printed);

    f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return report("log");
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(1, len + 1);
    CHECK(fread(text, 1, len, f) == (size_t)len);
    fclose(f);
    unlink(path);

    CHECK_LINE(text, STAMP "info : libvirt version: 9\\.0\\.0, package: ");
    CHECK_LINE(text, STAMP "info : hostname: ");
    CHECK_LINE(text, STAMP "debug : virConnectOpen:[0-9]+ : name=test:///default$");
    CHECK_LINE(text, STAMP "debug : virConnectGetType:[0-9]+ : conn=\\(nil\\)$");
    CHECK_LINE(text, STAMP "error : virConnectGetType:[0-9]+ : invalid connection pointer in virConnectGetType$");
    CHECK_LINE(text, STAMP "debug : virConnectClose:[0-9]+ : conn=0x[0-9a-f]+$");
    if (failures)
        fprintf(stdout, "--- log file ---\n%s--- end ---\n", text);
    free(text);
    return report("log");
}
