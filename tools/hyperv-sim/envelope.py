"""SOAP envelopes as Windows WinRM writes them: parsing requests, rendering responses."""

import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as _escape

NS_S = "http://www.w3.org/2003/05/soap-envelope"
NS_A = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_N = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
NS_X = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
NS_E = "http://schemas.xmlsoap.org/ws/2004/08/eventing"
NS_W = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
NS_P = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
NS_F = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
NS_B = "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_CIM = "http://schemas.dmtf.org/wbem/wscim/1/common"
NS_WSMID = "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
WQL_DIALECT = "http://schemas.microsoft.com/wbem/wsman/1/WQL"
ASSOC_DIALECT = "http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter"
WMI_URI_PREFIX = "http://schemas.microsoft.com/wbem/wsman/1/wmi/"

ACTION_GET = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
ACTION_ENUMERATE = NS_N + "/Enumerate"
ACTION_PULL = NS_N + "/Pull"
ACTION_RELEASE = NS_N + "/Release"

# The envelope declarations Windows puts on each kind of response.
ENUM_DECLS = f'xmlns:s="{NS_S}" xmlns:a="{NS_A}" xmlns:n="{NS_N}" xmlns:w="{NS_W}"'
TRANSFER_DECLS = f'xmlns:s="{NS_S}" xmlns:a="{NS_A}" xmlns:x="{NS_X}" xmlns:w="{NS_W}" xmlns:p="{NS_P}"'
FAULT_DECLS = (f'xmlns:s="{NS_S}" xmlns:a="{NS_A}" xmlns:x="{NS_X}" xmlns:e="{NS_E}" '
               f'xmlns:n="{NS_N}" xmlns:w="{NS_W}" xmlns:p="{NS_P}"')


def esc(text):
    return _escape(str(text), {'"': "&quot;"})


def new_message_id():
    return "uuid:" + str(uuid.uuid4()).upper()


class BadRequest(Exception):
    """The body is not a SOAP envelope we can read (Windows answers 400 to XML it cannot parse)."""


class Request:
    """The parts of a WS-Management request the simulator acts on."""

    def __init__(self, root):
        header = root.find(f"{{{NS_S}}}Header")
        self.body = root.find(f"{{{NS_S}}}Body")
        if header is None or self.body is None:
            raise BadRequest("missing Header or Body")
        self.header = header
        self.action = _text(header, NS_A, "Action")
        self.message_id = _text(header, NS_A, "MessageID")
        self.resource_uri = _text(header, NS_W, "ResourceURI")
        self.max_envelope_size = _text(header, NS_W, "MaxEnvelopeSize")
        self.operation_timeout = _text(header, NS_W, "OperationTimeout")
        locale = header.find(f"{{{NS_W}}}Locale")
        self.locale = None if locale is None else locale.get("{http://www.w3.org/XML/1998/namespace}lang")
        self.selectors = {}
        selector_set = header.find(f"{{{NS_W}}}SelectorSet")
        if selector_set is not None:
            for sel in selector_set.findall(f"{{{NS_W}}}Selector"):
                self.selectors[sel.get("Name", "")] = selector_value(sel)
        self.options = {}
        option_set = header.find(f"{{{NS_W}}}OptionSet")
        if option_set is not None:
            for opt in option_set.findall(f"{{{NS_W}}}Option"):
                self.options[opt.get("Name", "")] = (opt.text or "").strip()

    def body_child(self):
        children = list(self.body)
        return children[0] if children else None


def selector_value(sel):
    """A selector holds text, or an EPR (w:Selector containing a:EndpointReference)."""
    epr = sel.find(f"{{{NS_A}}}EndpointReference")
    if epr is not None:
        return epr
    return (sel.text or "").strip()


def _text(parent, ns, name):
    el = parent.find(f"{{{ns}}}{name}")
    return None if el is None or el.text is None else el.text.strip()


def parse(raw):
    """Parse a request body (UTF-8, or UTF-16 with a BOM as Windows accepts)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = raw.decode("utf-16").encode("utf-8")
        raw = raw.replace(b'encoding="UTF-16"', b'encoding="UTF-8"').replace(b"encoding='UTF-16'", b"encoding='UTF-8'")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as err:
        raise BadRequest(str(err)) from err
    if root.tag != f"{{{NS_S}}}Envelope":
        raise BadRequest("not a SOAP 1.2 envelope")
    return root


def envelope(action, relates_to, body, lang="en-US", decls=ENUM_DECLS):
    """A response envelope with the four headers Windows sends."""
    relates = f"<a:RelatesTo>{esc(relates_to)}</a:RelatesTo>" if relates_to else ""
    return (f'<s:Envelope xml:lang="{lang}" {decls}><s:Header>'
            f"<a:Action>{esc(action)}</a:Action>"
            f"<a:MessageID>{new_message_id()}</a:MessageID>"
            f"<a:To>{ANONYMOUS}</a:To>{relates}</s:Header>"
            f"<s:Body>{body}</s:Body></s:Envelope>")


def epr_body(resource_uri, selectors):
    """Address + ReferenceParameters, selectors in the order given."""
    sels = "".join(f'<w:Selector Name="{esc(k)}">{esc(v)}</w:Selector>' for k, v in selectors)
    return (f"<a:Address>{ANONYMOUS}</a:Address><a:ReferenceParameters>"
            f"<w:ResourceURI>{esc(resource_uri)}</w:ResourceURI>"
            f"<w:SelectorSet>{sels}</w:SelectorSet></a:ReferenceParameters>")


def parse_epr(el):
    """(resource URI, {selector: value}) of an element holding an EPR (directly or inside a:EndpointReference)."""
    inner = el.find(f"{{{NS_A}}}EndpointReference")
    if inner is not None:
        el = inner
    params = el.find(f"{{{NS_A}}}ReferenceParameters")
    if params is None:
        return None
    uri = _text(params, NS_W, "ResourceURI")
    selectors = {}
    sset = params.find(f"{{{NS_W}}}SelectorSet")
    if sset is not None:
        for sel in sset.findall(f"{{{NS_W}}}Selector"):
            selectors[sel.get("Name", "")] = (sel.text or "").strip()
    return uri, selectors


def identify_envelope(os_version, authenticated):
    """Identify answers carry no addressing headers; anonymous ones hide the OS version."""
    profiles = ""
    if authenticated:
        profiles = ("<wsmid:SecurityProfiles><wsmid:SecurityProfileName>"
                    "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic"
                    "</wsmid:SecurityProfileName></wsmid:SecurityProfiles>")
    else:
        os_version = "0.0.0"
    return (f'<s:Envelope xmlns:s="{NS_S}"><s:Header/><s:Body>'
            f'<wsmid:IdentifyResponse xmlns:wsmid="{NS_WSMID}">'
            f"<wsmid:ProtocolVersion>{NS_W}</wsmid:ProtocolVersion>"
            "<wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>"
            f"<wsmid:ProductVersion>OS: {esc(os_version)} SP: 0.0 Stack: 3.0</wsmid:ProductVersion>"
            f"{profiles}</wsmid:IdentifyResponse></s:Body></s:Envelope>")
