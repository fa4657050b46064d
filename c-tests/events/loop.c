/* The event loop API as libvirt 9.0 behaves, in one of three modes:
 *   unregistered  the calls before any loop is registered
 *   default       libvirt's default loop: timers, handles, removal, wake-ups
 *   custom        a program's own loop, to which virEventAdd* and co. forward
 * libvirt's default loop may run an iteration for its own housekeeping, so the
 * checks run the loop until what they wait for happens (with a time limit),
 * except where a count per iteration is the point. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Runs the default loop until *flag is set, for at most 5 s; whether it was. */
static int run_until(volatile int *flag)
{
    double deadline = now_ms() + 5000;
    while (!*flag && now_ms() < deadline)
        CHECK_INT(virEventRunDefaultImpl(), 0);
    return *flag;
}

static volatile int fired[8], freed[8];
static int last_timer;

static void on_timeout(int timer, void *opaque)
{
    last_timer = timer;
    fired[(long)opaque]++;
}

static void on_free(void *opaque)
{
    freed[(long)opaque]++;
}

static int handle_fd, handle_events, handle_watch;
static volatile int handle_calls;

static void on_handle(int watch, int fd, int events, void *opaque)
{
    char byte;
    (void)opaque;
    handle_watch = watch;
    handle_fd = fd;
    handle_events = events;
    handle_calls++;
    if (events & VIR_EVENT_HANDLE_READABLE)
        CHECK_INT(read(fd, &byte, 1), 1);
}

/* A timer that removes itself when it fires. */
static void remove_self(int timer, void *opaque)
{
    fired[(long)opaque]++;
    CHECK_INT(virEventRemoveTimeout(timer), 0);
}

static void unregistered(void)
{
    virErrorPtr err;

    virInitialize();
    virSetErrorFunc(NULL, quiet);
    /* Leave an error behind: these calls neither reset nor raise one. */
    CHECK_INT(virDomainFree(NULL), -1);
    CHECK_INT(virEventAddTimeout(0, on_timeout, NULL, on_free), -1);
    CHECK_INT(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, on_handle, NULL, on_free), -1);
    CHECK_INT(virEventRemoveTimeout(1), -1);
    CHECK_INT(virEventRemoveHandle(1), -1);
    virEventUpdateTimeout(1, 0);
    virEventUpdateHandle(1, 0);
    err = virGetLastError();
    CHECK(err != NULL && err->code == VIR_ERR_INVALID_DOMAIN);
    CHECK_INT(freed[0], 0);
}

static void *add_later(void *arg)
{
    (void)arg;
    usleep(100 * 1000);
    CHECK(virEventAddTimeout(0, on_timeout, (void *)6, NULL) > 0);
    return NULL;
}

static void default_loop(void)
{
    int fds[2], slow, every, off, self, reader, writer, i, start_fired;
    double start;
    pthread_t thread;

    virSetErrorFunc(NULL, quiet);
    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    CHECK_NO_ERROR();

    /* Numbers start at 1 and grow, separately for timers and watches. */
    off = virEventAddTimeout(-1, on_timeout, (void *)0, on_free);
    every = virEventAddTimeout(0, on_timeout, (void *)1, on_free);
    CHECK(pipe(fds) == 0);
    reader = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, on_handle, NULL, NULL);
    writer = virEventAddHandle(fds[1], 0, on_handle, NULL, NULL);
    CHECK_INT(off, 1);
    CHECK_INT(every, 2);
    CHECK_INT(reader, 1);
    CHECK_INT(writer, 2);

    /* An interval of 0 fires on every iteration; -1 never. */
    start_fired = fired[1];
    for (i = 0; i < 5; i++)
        CHECK_INT(virEventRunDefaultImpl(), 0);
    CHECK_INT(fired[1] - start_fired, 5);
    CHECK_INT(last_timer, every);
    virEventUpdateTimeout(every, -1);

    /* A 50 ms timer fires after 50 ms, then again 50 ms later. */
    slow = virEventAddTimeout(50, on_timeout, (void *)2, on_free);
    CHECK_INT(slow, 3);
    start = now_ms();
    CHECK(run_until(&fired[2]));
    CHECK(now_ms() - start >= 45);
    start = now_ms();
    while (fired[2] < 2 && now_ms() - start < 5000)
        virEventRunDefaultImpl();
    CHECK_INT(fired[2], 2);
    CHECK(now_ms() - start >= 40);
    CHECK_INT(virEventRemoveTimeout(slow), 0);
    CHECK_INT(virEventRemoveTimeout(slow), -1);
    CHECK(run_until(&freed[2]));
    CHECK_INT(freed[2], 1);
    CHECK_INT(fired[2], 2);

    /* A readable pipe, and a write end that watches nothing until updated. */
    CHECK_INT(write(fds[1], "x", 1), 1);
    CHECK(run_until(&handle_calls));
    CHECK_INT(handle_watch, reader);
    CHECK_INT(handle_fd, fds[0]);
    CHECK_INT(handle_events, VIR_EVENT_HANDLE_READABLE);
    handle_calls = 0;
    virEventUpdateHandle(writer, VIR_EVENT_HANDLE_WRITABLE);
    CHECK(run_until(&handle_calls));
    CHECK_INT(handle_watch, writer);
    CHECK_INT(handle_events, VIR_EVENT_HANDLE_WRITABLE);
    virEventUpdateHandle(writer, 0);
    CHECK_INT(virEventRemoveHandle(writer), 0);
    CHECK_INT(virEventRemoveHandle(writer), -1);
    CHECK_INT(virEventRemoveHandle(99), -1);

    /* Closing the write end: the reader sees the hang-up. */
    handle_calls = 0;
    close(fds[1]);
    CHECK(run_until(&handle_calls));
    CHECK(handle_events & VIR_EVENT_HANDLE_HANGUP);
    CHECK_INT(virEventRemoveHandle(reader), 0);
    close(fds[0]);

    /* A timer removing itself from its callback fires once and is freed once. */
    self = virEventAddTimeout(0, remove_self, (void *)3, on_free);
    CHECK(self > slow);
    CHECK(run_until(&freed[3]));
    CHECK_INT(fired[3], 1);
    CHECK_INT(freed[3], 1);

    /* The disabled timer never fired; removing it frees it. */
    CHECK_INT(fired[0], 0);
    CHECK_INT(virEventRemoveTimeout(off), 0);
    CHECK(run_until(&freed[0]));
    CHECK_INT(virEventRemoveTimeout(every), 0);
    CHECK(run_until(&freed[1]));
    CHECK_INT(virEventRemoveTimeout(99), -1);

    /* Nothing is registered: only another thread's new timer ends the wait. */
    CHECK(pthread_create(&thread, NULL, add_later, NULL) == 0);
    CHECK(run_until(&fired[6]));
    pthread_join(thread, NULL);
    CHECK_NO_ERROR();
}

/* A program's own loop, which records what it is asked. */
static int calls_add_handle, calls_update_handle, calls_remove_handle;
static int calls_add_timeout, calls_update_timeout, calls_remove_timeout;
static int seen_fd, seen_events, seen_interval;
static void *seen_opaque;
static virFreeCallback seen_ff;

static int my_add_handle(int fd, int events, virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
    (void)cb;
    calls_add_handle++;
    seen_fd = fd;
    seen_events = events;
    seen_opaque = opaque;
    seen_ff = ff;
    return 41;
}
static void my_update_handle(int watch, int events)
{
    calls_update_handle++;
    seen_fd = watch;
    seen_events = events;
}
static int my_remove_handle(int watch)
{
    calls_remove_handle++;
    return watch == 41 ? 0 : -1;
}
static int my_add_timeout(int interval, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    (void)cb;
    calls_add_timeout++;
    seen_interval = interval;
    seen_opaque = opaque;
    seen_ff = ff;
    return 7;
}
static void my_update_timeout(int timer, int interval)
{
    calls_update_timeout++;
    seen_fd = timer;
    seen_interval = interval;
}
static int my_remove_timeout(int timer)
{
    calls_remove_timeout++;
    return timer == 7 ? 0 : -1;
}
static int other_add_timeout(int interval, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    (void)interval, (void)cb, (void)opaque, (void)ff;
    return 1000;
}

static void custom(void)
{
    virSetErrorFunc(NULL, quiet);
    virEventRegisterImpl(my_add_handle, my_update_handle, my_remove_handle, my_add_timeout, my_update_timeout,
                         my_remove_timeout);
    CHECK_INT(virEventAddHandle(5, VIR_EVENT_HANDLE_WRITABLE, on_handle, (void *)9, on_free), 41);
    CHECK_INT(seen_fd, 5);
    CHECK_INT(seen_events, VIR_EVENT_HANDLE_WRITABLE);
    CHECK(seen_opaque == (void *)9);
    CHECK(seen_ff == on_free);
    virEventUpdateHandle(41, VIR_EVENT_HANDLE_READABLE);
    CHECK_INT(seen_fd, 41);
    CHECK_INT(seen_events, VIR_EVENT_HANDLE_READABLE);
    CHECK_INT(virEventRemoveHandle(41), 0);
    CHECK_INT(virEventRemoveHandle(42), -1);
    CHECK_INT(virEventAddTimeout(250, on_timeout, (void *)4, NULL), 7);
    CHECK_INT(seen_interval, 250);
    CHECK(seen_opaque == (void *)4);
    CHECK(seen_ff == NULL);
    virEventUpdateTimeout(7, -1);
    CHECK_INT(seen_fd, 7);
    CHECK_INT(seen_interval, -1);
    CHECK_INT(virEventRemoveTimeout(7), 0);
    CHECK_INT(calls_add_handle + calls_update_handle + calls_remove_handle, 4);
    CHECK_INT(calls_add_timeout + calls_update_timeout + calls_remove_timeout, 3);

    /* The first registration stays: neither another loop nor the default one
     * replaces it (virEventRegisterDefaultImpl still succeeds). */
    virEventRegisterImpl(my_add_handle, NULL, NULL, other_add_timeout, NULL, NULL);
    CHECK_INT(virEventAddTimeout(0, on_timeout, NULL, NULL), 7);
    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    CHECK_INT(virEventAddTimeout(0, on_timeout, NULL, NULL), 7);
    CHECK_INT(calls_add_timeout, 3);
    CHECK_NO_ERROR();
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (strcmp(mode, "unregistered") == 0)
        unregistered();
    else if (strcmp(mode, "default") == 0)
        default_loop();
    else if (strcmp(mode, "custom") == 0)
        custom();
    else {
        fprintf(stderr, "usage: %s unregistered|default|custom\n", argv[0]);
        return 2;
    }
    return finish(mode);
}
