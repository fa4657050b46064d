/* Assertions for the domain and node tests: each failed check is reported with
 * its line and counted; main returns finish(). The expectations are real
 * libvirt 9.0's, so the same tests pass against the system library. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

static inline void fail_at(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: %s\n", file, line, what);
    failures++;
}

#define CHECK(cond) \
    do { if (!(cond)) fail_at(__FILE__, __LINE__, "check failed: " #cond); } while (0)

#define CHECK_INT(got, want) \
    do { \
        long long got_ = (long long)(got), want_ = (long long)(want); \
        if (got_ != want_) { \
            char msg_[256]; \
            snprintf(msg_, sizeof(msg_), "%s is %lld, want %lld", #got, got_, want_); \
            fail_at(__FILE__, __LINE__, msg_); \
        } \
    } while (0)

static inline void check_str_at(const char *file, int line, const char *what, const char *got, const char *want)
{
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0)) {
        char msg[8192];
        snprintf(msg, sizeof(msg), "%s is \"%s\", want \"%s\"", what, got ? got : "(null)", want ? want : "(null)");
        fail_at(file, line, msg);
    }
}
#define CHECK_STR(got, want) check_str_at(__FILE__, __LINE__, #got, (got), (want))

/* The thread's last error is (code, domain, message). */
static inline void check_error_at(const char *file, int line, int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();
    if (!err) {
        fail_at(file, line, "no error was raised");
        return;
    }
    CHECK_INT(err->code, code);
    CHECK_INT(err->domain, domain);
    check_str_at(file, line, "error message", err->message, message);
    CHECK_INT(err->level, VIR_ERR_ERROR);
}
#define CHECK_ERROR(code, domain, message) check_error_at(__FILE__, __LINE__, (code), (domain), (message))

/* An argument-check error as libvirt raises it: the bare message, str1 naming the
 * checking function and str2 the argument. */
static inline void check_arg_error_at(const char *file, int line, int domain, const char *function,
                               const char *arg, const char *message)
{
    virErrorPtr err = virGetLastError();
    check_error_at(file, line, VIR_ERR_INVALID_ARG, domain, message);
    if (err) {
        check_str_at(file, line, "error str1", err->str1, function);
        check_str_at(file, line, "error str2", err->str2, arg);
    }
}
#define CHECK_ARG_ERROR(domain, function, arg, message) \
    check_arg_error_at(__FILE__, __LINE__, (domain), (function), (arg), (message))

#define CHECK_NO_ERROR() \
    do { if (virGetLastError()) fail_at(__FILE__, __LINE__, virGetLastError()->message); } while (0)

static inline void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* A connection to test:///default with errors kept off stderr. */
static inline virConnectPtr open_default(void)
{
    virConnectPtr conn;
    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen("test:///default");
    if (!conn) {
        fprintf(stderr, "cannot open test:///default\n");
        exit(1);
    }
    return conn;
}

static inline int finish(const char *name)
{
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif
