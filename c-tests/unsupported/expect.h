/* The check both programs of this directory make: a call returned its failure
 * value and left exactly libvirt's error (code, domain, message). */
#ifndef UNSUPPORTED_EXPECT_H
#define UNSUPPORTED_EXPECT_H

#include <stdio.h>
#include <string.h>

#include <libvirt/virterror.h>

static int failures;

static void quiet(void *data, virErrorPtr error)
{
    (void)data;
    (void)error;
}

/* `failed` says whether the call returned its failure value. */
static void expect(const char *call, int failed, int code, int domain, const char *message)
{
    virErrorPtr error = virGetLastError();

    if (!failed) {
        printf("FAIL %s: did not return its failure value\n", call);
    } else if (!error) {
        printf("FAIL %s: no error set\n", call);
    } else if (error->code != code || error->domain != domain || !error->message ||
               strcmp(error->message, message) != 0) {
        printf("FAIL %s: code %d domain %d \"%s\", expected code %d domain %d \"%s\"\n", call, error->code,
               error->domain, error->message ? error->message : "(null)", code, domain, message);
    } else {
        printf("ok   %s\n", call);
        return;
    }
    failures++;
}

#endif
