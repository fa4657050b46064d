/* virDomainGetXMLDesc(virDomainDefineXML(x)) as libvirt's test driver gives it:
 * defaults filled in, implied devices added, libvirt's order; the XML flags;
 * and the errors of invalid definitions (parser, semantic, schema). */
#include "check.h"

#define UUID "11111111-2222-3333-4444-555555555555"
#define INPUT \
    "<domain type='test'><name>rt</name><uuid>" UUID "</uuid>" \
    "<memory unit='MiB'>512</memory><currentMemory unit='MB'>300</currentMemory>" \
    "<vcpu current='1'>2</vcpu><os><type arch='x86_64'>hvm</type></os>" \
    "<features><pae/><acpi/></features>" \
    "<devices>" \
    "<disk type='file' device='cdrom'><source file='/b.iso'/><target dev='hdc'/><readonly/></disk>" \
    "<interface type='network'><mac address='52:54:00:AA:BB:CC'/><source network='default'/></interface>" \
    "<serial type='pty'/>" \
    "<input type='keyboard' bus='ps2'/>" \
    "<graphics type='vnc' passwd='pw'/>" \
    "</devices></domain>"

#define OUTPUT(ID, PASSWD, KEYBOARD) \
    "<domain type='test'" ID ">\n" \
    "  <name>rt</name>\n" \
    "  <uuid>" UUID "</uuid>\n" \
    "  <memory unit='KiB'>524288</memory>\n" \
    "  <currentMemory unit='KiB'>292969</currentMemory>\n" \
    "  <vcpu placement='static' current='1'>2</vcpu>\n" \
    "  <os>\n" \
    "    <type arch='x86_64'>hvm</type>\n" \
    "    <boot dev='hd'/>\n" \
    "  </os>\n" \
    "  <features>\n" \
    "    <acpi/>\n" \
    "    <pae/>\n" \
    "  </features>\n" \
    "  <clock offset='utc'/>\n" \
    "  <on_poweroff>destroy</on_poweroff>\n" \
    "  <on_reboot>restart</on_reboot>\n" \
    "  <on_crash>destroy</on_crash>\n" \
    "  <devices>\n" \
    "    <disk type='file' device='cdrom'>\n" \
    "      <source file='/b.iso'/>\n" \
    "      <target dev='hdc' bus='ide'/>\n" \
    "      <readonly/>\n" \
    "      <address type='drive' controller='0' bus='1' target='0' unit='0'/>\n" \
    "    </disk>\n" \
    "    <controller type='ide' index='0'/>\n" \
    "    <interface type='network'>\n" \
    "      <mac address='52:54:00:aa:bb:cc'/>\n" \
    "      <source network='default'/>\n" \
    "      <target dev='testnet0'/>\n" \
    "    </interface>\n" \
    "    <serial type='pty'>\n" \
    "      <target port='0'/>\n" \
    "    </serial>\n" \
    "    <console type='pty'>\n" \
    "      <target type='serial' port='0'/>\n" \
    "    </console>\n" \
    KEYBOARD \
    "    <graphics type='vnc' port='-1' autoport='yes'" PASSWD ">\n" \
    "      <listen type='address'/>\n" \
    "    </graphics>\n" \
    "    <video>\n" \
    "      <model type='cirrus' vram='16384' heads='1' primary='yes'/>\n" \
    "    </video>\n" \
    "  </devices>\n" \
    "</domain>\n"

#define KEYBOARD "    <input type='keyboard' bus='ps2'/>\n"

static void check_xml_at(int line, virDomainPtr dom, unsigned int flags, const char *want)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    check_str_at(__FILE__, line, "virDomainGetXMLDesc", xml, want);
    free(xml);
}
#define CHECK_XML(dom, flags, want) check_xml_at(__LINE__, (dom), (flags), (want))

static void check_define_error_at(int line, virConnectPtr conn, const char *xml, unsigned int flags,
                                  int code, int domain, const char *message)
{
    virDomainPtr dom = virDomainDefineXMLFlags(conn, xml, flags);
    if (dom) {
        fail_at(__FILE__, line, "the definition was accepted");
        virDomainUndefine(dom);
        virDomainFree(dom);
        return;
    }
    check_error_at(__FILE__, line, code, domain, message);
}
#define CHECK_DEFINE_ERROR(xml, flags, code, domain, message) \
    check_define_error_at(__LINE__, conn, (xml), (flags), (code), (domain), (message))

int main(void)
{
    virConnectPtr conn = open_default();
    virDomainPtr dom = virDomainDefineXMLFlags(conn, INPUT, VIR_DOMAIN_DEFINE_VALIDATE);
    CHECK(dom != NULL);
    if (dom) {
        CHECK_XML(dom, 0, OUTPUT("", "", KEYBOARD));
        CHECK_XML(dom, VIR_DOMAIN_XML_INACTIVE, OUTPUT("", "", KEYBOARD));
        CHECK_XML(dom, VIR_DOMAIN_XML_SECURE, OUTPUT("", " passwd='pw'", KEYBOARD));
        CHECK_XML(dom, VIR_DOMAIN_XML_MIGRATABLE, OUTPUT("", "", ""));
        CHECK(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_UPDATE_CPU) == NULL);
        CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x4) in function testDomainGetXMLDesc");
        CHECK_INT(virDomainCreate(dom), 0);
        CHECK_XML(dom, 0, OUTPUT(" id='2'", "", KEYBOARD));
        CHECK_XML(dom, VIR_DOMAIN_XML_INACTIVE, OUTPUT("", "", KEYBOARD));
        CHECK_INT(virDomainDestroy(dom), 0);
        CHECK_XML(dom, 0, OUTPUT("", "", KEYBOARD));
        CHECK_INT(virDomainUndefine(dom), 0);
        virDomainFree(dom);
    }

    CHECK_DEFINE_ERROR("<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>", 0,
                       VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "missing name information");
    CHECK_DEFINE_ERROR("<domain type='test'><name>x</name><memory>1024</memory><os><type>exe2</type></os></domain>", 0,
                       VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "unsupported configuration: unknown OS type 'exe2'");
    CHECK_DEFINE_ERROR("<domain type='test'><name>test</name><memory>1024</memory><os><type>hvm</type></os></domain>", 0,
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                       "operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f");
    CHECK_DEFINE_ERROR("<domain type='test'>\n<name>x</nam>\n</domain>", 0, VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                       "(domain_definition):2: Opening and ending tag mismatch: name line 2 and nam\n"
                       "<name>x</nam>\n-------------^");
    CHECK_DEFINE_ERROR("<domain type='test'><name>x</name><bogus/><memory>1</memory><os><type>hvm</type></os></domain>",
                       VIR_DOMAIN_DEFINE_VALIDATE, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
                       "XML document failed to validate against schema: Unable to validate doc against "
                       "/usr/share/libvirt/schemas/domain.rng\nElement domain has extra content: bogus\n");
    CHECK_DEFINE_ERROR("<domain type='test'><name>x</name><memory unit='MiB'>lots</memory><os><type>hvm</type></os></domain>",
                       VIR_DOMAIN_DEFINE_VALIDATE, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
                       "XML document failed to validate against schema: Unable to validate doc against "
                       "/usr/share/libvirt/schemas/domain.rng\nType unsignedLong doesn't allow value 'lots'\n"
                       "Extra element memory in interleave\nInvalid sequence in interleave\n"
                       "Element domain failed to validate content\n");

    virConnectClose(conn);
    return finish("domainxml-roundtrip");
}
