/* The Hyper-V simulator for the tests: started on a free port (its one stdout
 * line names the URL), driven through its /_sim control API over plain HTTP,
 * killed at the end. argv[1] of every test is the path of hyperv_sim.py. */
#ifndef SIM_H
#define SIM_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct sim {
    pid_t pid;
    int port;
    int https;
    char url[256];
};

/* Starts hyperv_sim.py at `script` with the extra arguments (NULL-terminated). */
static inline struct sim sim_start(const char *script, ...)
{
    struct sim sim = {0};
    const char *argv[32] = {"/usr/bin/python3", script, "--port", "0"};
    int argc = 4, fds[2];
    va_list ap;
    const char *arg;
    FILE *out;
    char line[512];

    va_start(ap, script);
    while ((arg = va_arg(ap, const char *)) && argc < 31) {
        argv[argc++] = arg;
        if (strcmp(arg, "--https") == 0)
            sim.https = 1;
    }
    va_end(ap);
    argv[argc] = NULL;
    if (pipe(fds) < 0) {
        perror("pipe");
        exit(1);
    }
    sim.pid = fork();
    if (sim.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        perror("exec python3");
        _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
    if (!out || !fgets(line, sizeof(line), out)
        || sscanf(line, "hyperv-sim listening on %255s", sim.url) != 1) {
        fprintf(stderr, "the simulator did not start\n");
        exit(1);
    }
    fclose(out);
    sim.port = atoi(strrchr(sim.url, ':') + 1);
    return sim;
}

static inline void sim_stop(struct sim *sim)
{
    if (sim->pid > 0) {
        kill(sim->pid, SIGTERM);
        waitpid(sim->pid, NULL, 0);
        sim->pid = 0;
    }
}

/* A hyperv:// URI for the simulator; `extra` is appended to the query. */
static inline void sim_uri(const struct sim *sim, char *buf, size_t len, const char *user, const char *extra)
{
    snprintf(buf, len, "hyperv://%s%s127.0.0.1:%d/?transport=%s%s", user ? user : "", user ? "@" : "",
             sim->port, sim->https ? "https" : "http", extra ? extra : "");
}

/* One control request over plain HTTP; returns the malloc'd response body. */
static inline char *sim_control(const struct sim *sim, const char *method, const char *path, const char *body)
{
    struct sockaddr_in addr = {0};
    char request[4096], *response = NULL, *start;
    size_t size = 0, cap = 0;
    ssize_t n;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    addr.sin_family = AF_INET;
    addr.sin_port = htons(sim->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        perror("connect to the simulator");
        exit(1);
    }
    snprintf(request, sizeof(request),
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n\r\n%s",
             method, path, body ? strlen(body) : 0, body ? body : "");
    if (write(fd, request, strlen(request)) < 0) {
        perror("write");
        exit(1);
    }
    do {
        if (size + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            response = realloc(response, cap);
        }
        n = read(fd, response + size, 4096);
        if (n > 0)
            size += n;
    } while (n > 0);
    close(fd);
    response[size] = '\0';
    start = strstr(response, "\r\n\r\n");
    start = strdup(start ? start + 4 : "");
    free(response);
    return start;
}

/* The number in `"key": N` of a JSON text, or -1. */
static inline long json_number(const char *json, const char *key)
{
    char pattern[128];
    const char *at;
    snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
    at = strstr(json, pattern);
    return at ? atol(at + strlen(pattern)) : -1;
}

static inline void sim_reset_stats(const struct sim *sim)
{
    free(sim_control(sim, "POST", "/_sim/reset-stats", NULL));
}

/* WS-Management requests the simulator served since the last reset. */
static inline long sim_requests(const struct sim *sim)
{
    char *stats = sim_control(sim, "GET", "/_sim/stats", NULL);
    long n = json_number(stats, "requests");
    free(stats);
    return n;
}

/* The next `count` requests get `kind` ("401", "500", "malformed", ...). */
static inline void sim_fault(const struct sim *sim, const char *kind, int count, const char *extra)
{
    char body[256];
    snprintf(body, sizeof(body), "{\"kind\": \"%s\", \"count\": %d%s}", kind, count, extra ? extra : "");
    free(sim_control(sim, "POST", "/_sim/fault", body));
}

static inline double now_seconds(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

/* A credential callback answering from `creds_data` = {user, password} and
 * counting what it was asked. */
struct answers {
    const char *user;
    const char *password;
    int asked_user;
    int asked_password;
    char challenge[256];
    char default_user[64];
};

static inline int answer(virConnectCredentialPtr cred, unsigned int ncred, void *data)
{
    struct answers *a = data;
    unsigned int i;
    for (i = 0; i < ncred; i++) {
        const char *value = NULL;
        if (cred[i].type == VIR_CRED_AUTHNAME) {
            a->asked_user++;
            snprintf(a->challenge, sizeof(a->challenge), "%s", cred[i].challenge ? cred[i].challenge : "");
            snprintf(a->default_user, sizeof(a->default_user), "%s", cred[i].defresult ? cred[i].defresult : "");
            value = a->user;
        } else if (cred[i].type == VIR_CRED_PASSPHRASE || cred[i].type == VIR_CRED_NOECHOPROMPT) {
            a->asked_password++;
            value = a->password;
        }
        if (!value)
            return -1;
        cred[i].result = strdup(value);
        cred[i].resultlen = strlen(value);
    }
    return 0;
}

static int cred_types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};

/* Opens `uri` answering with user/password; NULL on failure (the error stays). */
static inline virConnectPtr open_as(const char *uri, struct answers *a)
{
    virConnectAuth auth = {cred_types, 2, answer, a};
    return virConnectOpenAuth(uri, &auth, 0);
}

/* Opens the simulator as its administrator, or exits. */
static inline virConnectPtr sim_open(const struct sim *sim, const char *extra)
{
    char uri[512];
    struct answers a = {"administrator", "Passw0rd!", 0, 0, "", ""};
    virConnectPtr conn;
    sim_uri(sim, uri, sizeof(uri), NULL, extra);
    conn = open_as(uri, &a);
    if (!conn) {
        virErrorPtr e = virGetLastError();
        fprintf(stderr, "cannot open %s: %s\n", uri, e ? e->message : "?");
        exit(1);
    }
    return conn;
}

#endif
