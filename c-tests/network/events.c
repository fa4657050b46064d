/* Network lifecycle events on test:///default: delivered through the default
 * event loop to every callback that wants them, with libvirt's argument checks. */
#include "check.h"

static char seen[1024];

static void lifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    char line[128];
    (void)conn;
    snprintf(line, sizeof(line), "%s:%s:%d:%d;", (const char *)opaque, virNetworkGetName(net), event, detail);
    strncat(seen, line, sizeof(seen) - strlen(seen) - 1);
}

static int freed;
static void free_opaque(void *opaque)
{
    (void)opaque;
    freed++;
}

int main(void)
{
    virConnectPtr conn, other;
    virNetworkPtr def, net;
    int all, one;

    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    conn = open_default();
    other = virConnectOpen("test:///default");
    def = virNetworkLookupByName(conn, "default");

    CHECK_INT(virConnectNetworkEventRegisterAny(other, def, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                VIR_NETWORK_EVENT_CALLBACK(lifecycle), "x", NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virConnectNetworkEventRegisterAny", "net",
                    "network 'default' in virConnectNetworkEventRegisterAny must match connection");
    CHECK_INT(virConnectNetworkEventRegisterAny(conn, NULL, 1, VIR_NETWORK_EVENT_CALLBACK(lifecycle), "x", NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virConnectNetworkEventRegisterAny", "eventID",
                    "eventID in virConnectNetworkEventRegisterAny must be less than 1");

    all = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                            VIR_NETWORK_EVENT_CALLBACK(lifecycle), "all", free_opaque);
    one = virConnectNetworkEventRegisterAny(conn, def, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                            VIR_NETWORK_EVENT_CALLBACK(lifecycle), "def", free_opaque);
    CHECK_INT(all, 0);
    CHECK_INT(one, 1);

    net = virNetworkDefineXML(conn, "<network><name>ev</name></network>");
    CHECK_INT(virNetworkCreate(net), 0);
    CHECK_INT(virNetworkDestroy(net), 0);
    CHECK_INT(virNetworkUndefine(net), 0);
    virNetworkFree(net);
    CHECK_INT(virNetworkDestroy(def), 0);
    CHECK_INT(virNetworkCreate(def), 0);
    net = virNetworkCreateXML(other, "<network><name>tr</name></network>");
    CHECK_INT(virNetworkDestroy(net), 0);
    virNetworkFree(net);
    CHECK_STR(seen, "");
    CHECK_INT(virEventRunDefaultImpl(), 0);
    CHECK_STR(seen,
              "all:ev:0:0;all:ev:2:0;all:ev:3:0;all:ev:1:0;"
              "all:default:3:0;def:default:3:0;all:default:2:0;def:default:2:0;"
              "all:tr:2:0;all:tr:3:0;");

    CHECK_INT(virConnectNetworkEventDeregisterAny(conn, all), 0);
    CHECK_INT(virConnectNetworkEventDeregisterAny(conn, all), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: could not find event callback 0 for deletion");
    CHECK_INT(virConnectNetworkEventDeregisterAny(conn, one), 0);
    CHECK_INT(freed, 2);

    virNetworkFree(def);
    virConnectClose(other);
    virConnectClose(conn);
    return finish("network-events");
}
