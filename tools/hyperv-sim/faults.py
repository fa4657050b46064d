"""The SOAP faults Windows WinRM sends, with the texts and codes of the captures."""

from envelope import FAULT_DECLS, NS_F, NS_N, envelope, esc

ACTION_WSMAN_FAULT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
ACTION_ENUM_FAULT = NS_N + "/fault"
ACTION_ADDR_FAULT = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
FAULT_DETAIL = "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"
WMI_PROVIDER = 'provider="WMI Provider" path="%systemroot%\\system32\\WsmWmiPl.dll"'


class WsmanFault(Exception):
    """A fault to send back: HTTP 500 with this SOAP body."""

    def __init__(self, action, code, subcode, reason, detail_inner):
        super().__init__(reason)
        self.action = action
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.detail_inner = detail_inner   # XML placed inside s:Detail, {machine} substituted

    def render(self, relates_to, machine, lang="en-US"):
        body = (f"<s:Fault><s:Code><s:Value>{self.code}</s:Value><s:Subcode><s:Value>{self.subcode}</s:Value>"
                f'</s:Subcode></s:Code><s:Reason><s:Text xml:lang="{lang}">{esc(self.reason)}</s:Text></s:Reason>'
                f"<s:Detail>{self.detail_inner.replace('{machine}', esc(machine))}</s:Detail></s:Fault>")
        return envelope(self.action, relates_to, body, lang, FAULT_DECLS)


def _wsman_fault(code, message, provider_message=None, extended=""):
    """f:WSManFault, optionally wrapping the WMI provider's own fault."""
    if provider_message is None:
        inner = esc(message)
    else:
        inner = (f"<f:ProviderFault {WMI_PROVIDER}><f:WSManFault xmlns:f=\"{NS_F}\" Code=\"{code}\" Machine=\"{{machine}}\">"
                 f"<f:Message>{esc(provider_message)}</f:Message></f:WSManFault>{extended}</f:ProviderFault>")
    return f'<f:WSManFault xmlns:f="{NS_F}" Code="{code}" Machine="{{machine}}"><f:Message>{inner}</f:Message></f:WSManFault>'


def cannot_process_filter(query, provider_message="The specified class does not exist in the given namespace. "):
    """n:CannotProcessFilter as WinRM wraps a failed WMI ExecQuery."""
    extended = ('<f:ExtendedError><p:__ExtendedStatus xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/__ExtendedStatus" '
                'xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:type="p:__ExtendedStatus_Type"><p:Description xsi:nil="true"/><p:Operation>ExecQuery</p:Operation>'
                f"<p:ParameterInfo>{esc(query)}</p:ParameterInfo><p:ProviderName>WinMgmt</p:ProviderName>"
                '<p:StatusCode xsi:nil="true"/></p:__ExtendedStatus></f:ExtendedError>')
    return WsmanFault(ACTION_ENUM_FAULT, "s:Sender", "n:CannotProcessFilter",
                      "The data source could not process the filter. The filter might be missing or it might be invalid. "
                      "Change the filter and try the request again.  ",
                      _wsman_fault(2150858778, None, provider_message, extended))


def invalid_query(query):
    # WMI's WBEM_E_INVALID_QUERY surfaced through the same CannotProcessFilter fault (text unverified).
    return cannot_process_filter(query, "The query was not syntactically valid. ")


def destination_unreachable():
    msg = ("The WS-Management service cannot process the request. The service cannot find the resource "
           "identified by the resource URI and selectors. ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "a:DestinationUnreachable", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}InvalidResourceURI</w:FaultDetail>"
                      + _wsman_fault(2150858752, None, msg))


def invalid_selectors(detail="InsufficientSelectors"):
    msg = ("The WS-Management service cannot process the request because the request contained invalid "
           "selectors for the resource. ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "w:InvalidSelectors", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}{detail}</w:FaultDetail>" + _wsman_fault(2150858843, None, msg))


def wql_needs_wildcard_uri():
    # go-wsman reports this fault for WQL on a concrete class URI; exact wording not captured.
    msg = ("The WS-Management service cannot process the request. The resource URI of a WQL filtered enumeration "
           "must not contain selectors and its class name must be \"*\". ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "w:InvalidParameter", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}InvalidValue</w:FaultDetail>" + _wsman_fault(2150858812, msg))


def invalid_enumeration_context():
    msg = "The enumeration context supplied in the message is not valid. "
    return WsmanFault(ACTION_ENUM_FAULT, "s:Receiver", "n:InvalidEnumerationContext", msg,
                      _wsman_fault(2150858882, msg))


def action_not_supported(action):
    msg = "The action is not supported by the service. "
    return WsmanFault(ACTION_ADDR_FAULT, "s:Sender", "a:ActionNotSupported", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}ActionMismatch</w:FaultDetail>" + _wsman_fault(2150858754, msg + esc(action)))


def invalid_timeout(value):
    return WsmanFault(ACTION_ADDR_FAULT, "s:Sender", "a:InvalidMessageInformationHeader",
                      "The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers. ",
                      _wsman_fault(2150858767, "The WS-Management service cannot process the request. The XML contains "
                                   f"an invalid timeout field in the SOAP header: {value}. "))


def resource_not_found(uri):
    msg = (f"The WS-Management service cannot process the request. The resource URI ({uri}) was not found in "
           "the WS-Management catalog. The catalog contains the metadata that describes resources, or logical "
           "endpoints. ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "a:DestinationUnreachable", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}InvalidResourceURI</w:FaultDetail>" + _wsman_fault(2150858811, msg))


def missing_body_element(name):
    msg = (f"The WS-Management service cannot process the request because the XML is invalid. "
           f"The request is missing the element titled '{name}'. ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "w:SchemaValidationError", msg, _wsman_fault(2150858817, msg))


def schema_validation(message):
    """What Hyper-V answers to a parameter it cannot read (e.g. WS-CIM form instead of CIM-XML)."""
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "w:SchemaValidationError",
                      "The SOAP XML in the message does not match the corresponding XML schema definition. "
                      "Change the XML and retry. ",
                      _wsman_fault(2150858817, None, message))


def internal_error(message="The WS-Management service cannot process the request. An internal error occurred. "):
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Receiver", "w:InternalError", message, _wsman_fault(2150858882, message))


def timed_out():
    msg = "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  "
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Receiver", "w:TimedOut", msg, _wsman_fault(2150858793, msg))


def encoding_limit():
    msg = ("The WS-Management service cannot process the request because the envelope size in the request is "
           "too small. ")
    return WsmanFault(ACTION_WSMAN_FAULT, "s:Sender", "w:EncodingLimit", msg,
                      f"<w:FaultDetail>{FAULT_DETAIL}MinimumEnvelopeLimit</w:FaultDetail>" + _wsman_fault(2150858822, msg))
