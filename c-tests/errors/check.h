/* Small assertion helpers shared by the error tests. */
#ifndef ERRORS_CHECK_H
#define ERRORS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stdout, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++; \
        } \
    } while (0)

static inline int streq_null(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

#define CHECK_STR(got, want) \
    do { \
        const char *g_ = (got), *w_ = (want); \
        if (!streq_null(g_, w_)) { \
            fprintf(stdout, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
                    g_ ? g_ : "(NULL)", w_ ? w_ : "(NULL)"); \
            failures++; \
        } \
    } while (0)

/* The thread's last error has this code, domain and message. */
#define CHECK_ERROR(code_, domain_, message_) \
    do { \
        virErrorPtr e_ = virGetLastError(); \
        CHECK(e_ != NULL); \
        if (e_) { \
            CHECK(e_->code == (code_)); \
            CHECK(e_->domain == (domain_)); \
            CHECK(e_->level == VIR_ERR_ERROR); \
            CHECK_STR(e_->message, message_); \
            if (e_->code != (code_) || e_->domain != (domain_)) \
                fprintf(stdout, "   got code %d domain %d\n", e_->code, e_->domain); \
        } \
    } while (0)

/* All of an error's extra fields. */
#define CHECK_EXTRA(err, s1, s2, s3, i1, i2) \
    do { \
        CHECK_STR((err)->str1, s1); \
        CHECK_STR((err)->str2, s2); \
        CHECK_STR((err)->str3, s3); \
        CHECK((err)->int1 == (i1)); \
        CHECK((err)->int2 == (i2)); \
    } while (0)

static inline int report(const char *name)
{
    if (failures)
        fprintf(stdout, "%s: %d check(s) failed\n", name, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Captures what the library writes to stderr: redirect, run, read back. */
typedef struct {
    int saved;
    FILE *file;
} Capture;

static inline void capture_start(Capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    c->saved = dup(2);
    dup2(fileno(c->file), 2);
}

/* Returns what was written since capture_start, malloc'd. */
static inline char *capture_end(Capture *c)
{
    long len;
    char *text;

    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    len = lseek(fileno(c->file), 0, SEEK_END);
    text = calloc(1, len + 1);
    lseek(fileno(c->file), 0, SEEK_SET);
    if (len > 0 && read(fileno(c->file), text, len) != len)
        text[0] = '\0';
    fclose(c->file);
    return text;
}

#endif
