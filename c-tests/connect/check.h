/* Assertions shared by the connection tests: each failed check prints where and
 * why, and the program's exit status counts them. */
#ifndef CONNECT_CHECK_H
#define CONNECT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

static inline void quiet_errors(void *data, virErrorPtr error)
{
    (void)data;
    (void)error;
}

/* The thread's last error is CODE in DOMAIN with exactly MESSAGE. */
#define CHECK_ERROR(code, domain, message) check_error(__FILE__, __LINE__, code, domain, message)

static inline void check_error(const char *file, int line, int code, int domain, const char *message)
{
    virErrorPtr e = virGetLastError();
    if (!e) {
        fprintf(stderr, "%s:%d: expected error %d/%d [%s], got none\n", file, line, code, domain, message);
        failures++;
    } else if (e->code != code || e->domain != domain || !e->message || strcmp(e->message, message) != 0) {
        fprintf(stderr, "%s:%d: expected error %d/%d [%s]\n%*s got %d/%d [%s]\n", file, line, code, domain, message,
                (int)strlen(file) + 10, "", e->code, e->domain, e->message ? e->message : "(null)");
        failures++;
    }
}

/* Opening NAME fails with CODE in DOMAIN and MESSAGE. */
#define CHECK_OPEN_FAILS(name, code, domain, message)                            \
    do {                                                                         \
        virConnectPtr c_ = virConnectOpen(name);                                 \
        CHECK(c_ == NULL);                                                       \
        if (c_)                                                                  \
            virConnectClose(c_);                                                 \
        else                                                                     \
            CHECK_ERROR(code, domain, message);                                  \
    } while (0)

/* Opening NAME succeeds and virConnectGetURI says URI. */
#define CHECK_OPEN_URI(name, uri) check_open_uri(__FILE__, __LINE__, name, uri)

static inline void check_open_uri(const char *file, int line, const char *name, const char *uri)
{
    virConnectPtr conn = virConnectOpen(name);
    if (!conn) {
        virErrorPtr e = virGetLastError();
        fprintf(stderr, "%s:%d: opening %s failed: %s\n", file, line, name ? name : "NULL", e ? e->message : "?");
        failures++;
        return;
    }
    char *got = virConnectGetURI(conn);
    if (!got || strcmp(got, uri) != 0) {
        fprintf(stderr, "%s:%d: %s opened as %s, expected %s\n", file, line, name ? name : "NULL", got ? got : "NULL", uri);
        failures++;
    }
    free(got);
    CHECK(virConnectClose(conn) == 0);
}

static inline int report(const char *test)
{
    if (failures)
        fprintf(stderr, "%s: %d check(s) failed\n", test, failures);
    return failures ? 1 : 0;
}

#endif
