/* Event registration and delivery on test:///default through the default event
 * loop: libvirt's errors, callback ids, the exact event/detail sequence of each
 * transition, domain filters, legacy callbacks, deregistration and free callbacks. */
#include "check.h"

static char log_buf[4096];

static void note(const char *fmt, const char *name, const char *dom, int id, int event, int detail)
{
    size_t used = strlen(log_buf);
    snprintf(log_buf + used, sizeof(log_buf) - used, fmt, name, dom, id, event, detail);
}

static int lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn;
    note("%s:%s:%d:%d:%d ", opaque, virDomainGetName(dom), (int)virDomainGetID(dom), event, detail);
    return 0;
}

/* The same as lifecycle, for registrations that need another function. */
static int lifecycle2(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    return lifecycle(conn, dom, event, detail, opaque);
}

static void generic(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    (void)conn;
    note("%s:%s:%d%.0d%.0d ", opaque, virDomainGetName(dom), (int)virDomainGetID(dom), 0, 0);
}

static void freed(void *opaque)
{
    note("free:%s%.0s%.0d%.0d%.0d ", opaque, "", 0, 0, 0);
}

static void object_event(virConnectPtr conn, void *obj, int event, int detail, void *opaque)
{
    (void)conn; (void)obj; (void)event; (void)detail; (void)opaque;
}

static void tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

/* Runs the loop long enough to deliver what is queued (a 1 ms timer keeps it
 * from blocking), then checks and clears what the callbacks noted. */
static void check_log_at(int line, const char *want)
{
    for (int i = 0; i < 3; i++)
        virEventRunDefaultImpl();
    check_str_at(__FILE__, line, "events", log_buf, want);
    log_buf[0] = '\0';
}
#define CHECK_LOG(want) check_log_at(__LINE__, (want))

#define FOO "<domain type='test'><name>foo</name><uuid>11111111-2222-3333-4444-555555555555</uuid><memory>1024</memory><os><type>hvm</type></os></domain>"

static void without_a_loop(virConnectPtr conn)
{
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycle), "x", freed), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, "internal error: could not initialize domain event timer");
    CHECK_INT(virConnectDomainEventRegister(conn, lifecycle, "x", freed), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, "internal error: could not initialize domain event timer");
    CHECK_STR(log_buf, "");
}

static void argument_errors(virConnectPtr conn, virConnectPtr other)
{
    virDomainPtr theirs = virDomainLookupByName(other, "test");
    virConnectDomainEventGenericCallback cb = VIR_DOMAIN_EVENT_CALLBACK(lifecycle);

    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, 27 /* VIR_DOMAIN_EVENT_ID_LAST */, cb, NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventRegisterAny", "eventID", "eventID must be less than 27");
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, -1, cb, NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventRegisterAny", "eventID",
                    "eventID in virConnectDomainEventRegisterAny must be zero or greater");
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventRegisterAny", "cb",
                    "cb in virConnectDomainEventRegisterAny must not be NULL");
    CHECK_INT(virConnectDomainEventRegisterAny(NULL, NULL, 0, cb, NULL, NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectDomainEventRegisterAny");
    CHECK_INT(virConnectDomainEventRegisterAny(conn, theirs, 0, cb, NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventRegisterAny", "dom", "domain 'test' must match connection");
    CHECK_INT(virConnectDomainEventRegister(conn, NULL, NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventRegister", "cb",
                    "cb in virConnectDomainEventRegister must not be NULL");
    CHECK_INT(virConnectNetworkEventRegisterAny(conn, NULL, 1, VIR_NETWORK_EVENT_CALLBACK(object_event), NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virConnectNetworkEventRegisterAny", "eventID",
                    "eventID in virConnectNetworkEventRegisterAny must be less than 1");
    CHECK_INT(virConnectStoragePoolEventRegisterAny(conn, NULL, 2, VIR_STORAGE_POOL_EVENT_CALLBACK(object_event), NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virConnectStoragePoolEventRegisterAny", "eventID",
                    "eventID in virConnectStoragePoolEventRegisterAny must be less than 2");
    CHECK_INT(virConnectSecretEventRegisterAny(conn, NULL, 2, VIR_SECRET_EVENT_CALLBACK(object_event), NULL, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_SECRET, "virConnectSecretEventRegisterAny", "eventID",
                    "eventID in virConnectSecretEventRegisterAny must be less than 2");
    /* libvirt's test driver has no secret events. */
    CHECK_INT(virConnectSecretEventRegisterAny(conn, NULL, 0, VIR_SECRET_EVENT_CALLBACK(object_event), NULL, NULL), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_SECRET,
                "this function is not supported by the connection driver: virConnectSecretEventRegisterAny");
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, -1), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectDomainEventDeregisterAny", "callbackID",
                    "callbackID in virConnectDomainEventDeregisterAny must be zero or greater");
    virDomainFree(theirs);
}

int main(void)
{
    virConnectPtr conn = open_default(), other = virConnectOpen("test:///default");
    virDomainPtr test = virDomainLookupByName(conn, "test"), foo;
    int net, pool, dev;
    char msg[200];

    without_a_loop(conn);
    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    virEventAddTimeout(1, tick, NULL, NULL);
    argument_errors(conn, other);

    /* Ids count from 0 across connections and families; duplicates are refused. */
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycle), "any", freed), 0);
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycle), "dup", freed), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: event callback already tracked");
    CHECK_INT(virConnectDomainEventRegisterAny(conn, test, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycle), "test", freed), 1);
    CHECK_INT(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                               VIR_DOMAIN_EVENT_CALLBACK(generic), "reboot", freed), 2);
    CHECK_INT(virConnectDomainEventRegister(conn, lifecycle, "legacy", freed), 0);
    CHECK_INT(virConnectDomainEventRegister(conn, lifecycle, "legacy2", freed), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: event callback already tracked");
    CHECK_INT(virConnectDomainEventRegisterAny(other, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycle2), "other", freed), 4);
    net = virConnectNetworkEventRegisterAny(conn, NULL, 0, VIR_NETWORK_EVENT_CALLBACK(object_event), NULL, NULL);
    pool = virConnectStoragePoolEventRegisterAny(conn, NULL, 1, VIR_STORAGE_POOL_EVENT_CALLBACK(object_event), NULL, NULL);
    dev = virConnectNodeDeviceEventRegisterAny(conn, NULL, 0, VIR_NODE_DEVICE_EVENT_CALLBACK(object_event), NULL, NULL);
    CHECK_INT(net, 5);
    CHECK_INT(pool, 6);
    CHECK_INT(dev, 7);
    CHECK_LOG("");

    /* Each transition's events, to every matching callback in registration order. */
    foo = virDomainDefineXML(conn, FOO);
    CHECK_LOG("any:foo:-1:0:0 legacy:foo:-1:0:0 other:foo:-1:0:0 ");
    CHECK_INT(virDomainCreate(foo), 0);
    CHECK_LOG("any:foo:2:2:0 legacy:foo:2:2:0 other:foo:2:2:0 ");
    CHECK_INT(virDomainSuspend(foo), 0);
    CHECK_INT(virDomainResume(foo), 0);
    CHECK_LOG("any:foo:2:3:0 legacy:foo:2:3:0 other:foo:2:3:0 any:foo:2:4:0 legacy:foo:2:4:0 other:foo:2:4:0 ");
    CHECK_INT(virDomainReboot(foo, 0), 0);
    CHECK_INT(virDomainReset(foo, 0), 0);
    CHECK_INT(virDomainSetAutostart(foo, 1), 0);
    CHECK_LOG("");
    CHECK_INT(virDomainShutdown(foo), 0);
    CHECK_LOG("any:foo:-1:5:0 legacy:foo:-1:5:0 other:foo:-1:5:0 ");
    CHECK_INT(virDomainCreate(foo), 0);
    CHECK_INT(virDomainDestroy(foo), 0);
    CHECK_LOG("any:foo:3:2:0 legacy:foo:3:2:0 other:foo:3:2:0 any:foo:-1:5:1 legacy:foo:-1:5:1 other:foo:-1:5:1 ");
    foo = (virDomainFree(foo), virDomainDefineXML(conn, FOO));
    CHECK_LOG("any:foo:-1:0:1 legacy:foo:-1:0:1 other:foo:-1:0:1 ");
    CHECK_INT(virDomainUndefine(foo), 0);
    CHECK_LOG("any:foo:-1:1:0 legacy:foo:-1:1:0 other:foo:-1:1:0 ");
    virDomainFree(foo);

    /* The filtered callback sees "test" only; a transient domain's stop keeps its id. */
    CHECK_INT(virDomainShutdown(test), 0);
    CHECK_LOG("any:test:-1:5:0 test:test:-1:5:0 legacy:test:-1:5:0 other:test:-1:5:0 ");
    foo = virDomainCreateXML(conn, FOO, 0);
    CHECK_INT(virDomainDestroy(foo), 0);
    CHECK_LOG("any:foo:4:2:0 legacy:foo:4:2:0 other:foo:4:2:0 any:foo:4:5:1 legacy:foo:4:5:1 other:foo:4:5:1 ");
    virDomainFree(foo);

    /* Deregistration: errors, then the free callback at once. */
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, 99), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: could not find event callback 99 for deletion");
    CHECK_INT(virConnectDomainEventDeregisterAny(other, 0), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: could not find event callback 0 for deletion");
    CHECK_INT(virConnectDomainEventDeregister(conn, lifecycle2), -1);
    snprintf(msg, sizeof(msg), "invalid argument: event callback function %p not registered", (void *)lifecycle2);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, msg);
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, 0), 0);
    CHECK_STR(log_buf, "free:any ");
    log_buf[0] = '\0';
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, 0), -1);
    CHECK_INT(virConnectDomainEventDeregister(conn, lifecycle), 0);
    CHECK_STR(log_buf, "free:legacy ");
    log_buf[0] = '\0';
    CHECK_INT(virDomainCreate(test), 0);
    CHECK_LOG("test:test:5:2:0 other:test:5:2:0 ");
    /* Any family's callback goes through any family's deregistration. */
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, net), 0);
    CHECK_INT(virConnectNetworkEventDeregisterAny(conn, pool), 0);
    CHECK_INT(virConnectNodeDeviceEventDeregisterAny(conn, dev), 0);
    CHECK_INT(virConnectStoragePoolEventDeregisterAny(conn, dev), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: could not find event callback 7 for deletion");

    /* Callbacks hold their connection open. */
    virDomainFree(test);
    CHECK_INT(virConnectClose(conn), 1);
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, 1), 0);
    CHECK_INT(virConnectDomainEventDeregisterAny(conn, 2), 0);
    CHECK_STR(log_buf, "free:test free:reboot ");
    CHECK_INT(virConnectDomainEventDeregisterAny(other, 4), 0);
    CHECK_INT(virConnectClose(other), 0);
    return finish("lifecycle-events");
}
