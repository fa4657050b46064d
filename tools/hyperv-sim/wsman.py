"""WS-Management operations over the simulated WMI repository: Identify, Get, Enumerate/Pull/Release, Invoke."""

import re
import threading

import cim
import classes
import enumeration
import faults
import methods
import wql
from envelope import (ACTION_ENUMERATE, ACTION_GET, ACTION_PULL, ACTION_RELEASE, ASSOC_DIALECT, NS_A, NS_B,
                      NS_N, NS_W, TRANSFER_DECLS, WMI_URI_PREFIX, WQL_DIALECT, BadRequest, envelope,
                      identify_envelope, parse_epr)

CONFIG_URI = "http://schemas.microsoft.com/wbem/wsman/1/config"
SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text):
    """xs:duration -> seconds; None if absent. Negative or malformed values fault like Windows."""
    if text is None:
        return None
    m = _DURATION.match(text.strip())
    if not m or m.group(1) or text.strip() in ("P", "PT"):
        raise faults.invalid_timeout(text)
    d, h, mi, s = m.group(2, 3, 4, 5)
    return int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)


def split_uri(uri):
    """WMI resource URI -> (namespace, class name or '*'), or None for non-WMI URIs."""
    if not uri or not uri.lower().startswith(WMI_URI_PREFIX):
        return None
    rest = uri[len(WMI_URI_PREFIX):].strip("/")
    ns, _, cls = rest.rpartition("/")
    return ns.lower(), cls


class Service:
    def __init__(self, sim, stats):
        self.sim = sim
        self.stats = stats
        self.contexts = enumeration.Contexts()
        self.lock = threading.Lock()

    @property
    def lang(self):
        return self.sim.hyperv.host.get("locale", "en-US")

    def handle(self, req):
        """Dispatch one parsed request -> response envelope text (faults are raised)."""
        if req.action is None and req.body_child() is not None and req.body_child().tag.endswith("}Identify"):
            self.stats.count("Identify", None)
            return identify_envelope(self.sim.os_version, True)
        if req.action is None:
            raise faults.WsmanFault(faults.ACTION_ADDR_FAULT, "s:Sender", "a:MessageInformationHeaderRequired",
                                    "A required header representing a Message Addressing Property is not present ",
                                    "")
        size = req.max_envelope_size
        if size is not None and size.isdigit() and int(size) < 8192:
            raise faults.encoding_limit()
        action = req.action
        if action == ACTION_GET:
            return self.get(req)
        if action == ACTION_ENUMERATE:
            return self.enumerate(req)
        if action == ACTION_PULL:
            return self.pull(req)
        if action == ACTION_RELEASE:
            self.stats.count("Release", None)
            body = req.body.find(f"{{{NS_N}}}Release")
            cid = body.findtext(f"{{{NS_N}}}EnumerationContext") if body is not None else None
            if self.contexts.take(cid) is None:
                raise faults.invalid_enumeration_context()
            return envelope(NS_N + "/ReleaseResponse", req.message_id, "", self.lang)
        return self.invoke(req)

    # ---------------------------------------------------------------- Get
    def get(self, req):
        uri = req.resource_uri or ""
        if uri.rstrip("/") == CONFIG_URI:
            self.stats.count("Get", "config")
            return envelope(ACTION_GET + "Response", req.message_id, CONFIG_BODY, self.lang, TRANSFER_DECLS)
        if uri.rstrip("/") == SHELL_URI:
            self.stats.count("Get", "shell")
            raise faults.invalid_selectors("UnexpectedSelectors")
        cls = self._class_of(uri)
        self.stats.count("Get", cls.name)
        with self.sim.store.lock:
            self.sim.hyperv.refresh()
            inst = self.sim.store.get_by_selectors(cls, req.selectors)
            self.sim.hyperv.note_polled([inst])
            body = cim.render_instance(inst)
        return envelope(ACTION_GET + "Response", req.message_id, body, self.lang, TRANSFER_DECLS)

    def _class_of(self, uri):
        parts = split_uri(uri)
        if parts is None:
            raise faults.resource_not_found(uri)
        ns, name = parts
        cls = classes.lookup(name)
        if cls is None or cls.namespace != ns:
            raise faults.destination_unreachable()
        return cls

    # ---------------------------------------------------------------- Enumerate / Pull
    def enumerate(self, req):
        body = req.body.find(f"{{{NS_N}}}Enumerate")
        if body is None:
            raise faults.missing_body_element("Enumerate")
        parts = split_uri(req.resource_uri)
        if parts is None:
            raise faults.resource_not_found(req.resource_uri)
        namespace, uri_class = parts
        optimize = body.find(f"{{{NS_W}}}OptimizeEnumeration") is not None
        mode = (body.findtext(f"{{{NS_W}}}EnumerationMode") or "").strip()
        flt = body.find(f"{{{NS_W}}}Filter")
        if flt is None:
            flt = body.find(f"{{{NS_N}}}Filter")
        props = None
        if flt is not None and (flt.get("Dialect") or WQL_DIALECT) == WQL_DIALECT:
            if uri_class != "*" or req.selectors:
                raise faults.wql_needs_wildcard_uri()
            text = "".join(flt.itertext()).strip()
            stat_class = _stat_class(text)
            self.stats.count("Enumerate", stat_class)
            rows, props = self.sim.store.query(text, namespace)
        elif flt is not None and flt.get("Dialect") == ASSOC_DIALECT:
            stat_class = uri_class
            self.stats.count("Enumerate", stat_class)
            rows = self._association_filter(flt, namespace)
        else:
            cls = classes.lookup(uri_class)
            if cls is None or cls.namespace != namespace:
                raise faults.destination_unreachable()
            stat_class = cls.name
            self.stats.count("Enumerate", stat_class)
            with self.sim.store.lock:
                rows = self.sim.store.instances(cls.name)
        with self.sim.store.lock:
            self.sim.hyperv.note_polled(rows)
            items = [self._render_item(r, props, mode) for r in rows]
        ctx = enumeration.Context(items, stat_class)
        if not optimize:
            cid = self.contexts.add(ctx)
            return envelope(ACTION_ENUMERATE + "Response", req.message_id,
                            f"<n:EnumerateResponse><n:EnumerationContext>{cid}</n:EnumerationContext>"
                            "</n:EnumerateResponse>", self.lang)
        # Windows answers an optimized Enumerate with exactly one item, whatever MaxElements says.
        batch, _ = enumeration.page(ctx, 1, self._max_envelope(req), 1024)
        if ctx.pos >= len(ctx.items):
            tail = "<n:EnumerationContext></n:EnumerationContext>", "<w:EndOfSequence/>"
        else:
            tail = f"<n:EnumerationContext>{self.contexts.add(ctx)}</n:EnumerationContext>", ""
        return envelope(ACTION_ENUMERATE + "Response", req.message_id,
                        f"<n:EnumerateResponse>{tail[0]}<w:Items>{''.join(batch)}</w:Items>{tail[1]}"
                        "</n:EnumerateResponse>", self.lang)

    def pull(self, req):
        body = req.body.find(f"{{{NS_N}}}Pull")
        if body is None:
            raise faults.missing_body_element("Pull")
        ctx = self.contexts.take(body.findtext(f"{{{NS_N}}}EnumerationContext"))
        self.stats.count("Pull", ctx.class_name if ctx else None)
        if ctx is None:
            raise faults.invalid_enumeration_context()
        max_text = (body.findtext(f"{{{NS_N}}}MaxElements") or "").strip()
        max_elements = int(max_text) if max_text.isdigit() and int(max_text) > 0 else 1
        batch, too_big = enumeration.page(ctx, max_elements, self._max_envelope(req), 1024)
        if too_big:
            raise faults.encoding_limit()
        if ctx.pos >= len(ctx.items):
            head, tail = "", "<n:EndOfSequence/>"
        else:
            head, tail = f"<n:EnumerationContext>{self.contexts.add(ctx)}</n:EnumerationContext>", ""
        return envelope(ACTION_PULL + "Response", req.message_id,
                        f"<n:PullResponse>{head}<n:Items>{''.join(batch)}</n:Items>{tail}</n:PullResponse>",
                        self.lang)

    def _max_envelope(self, req):
        size = req.max_envelope_size
        return int(size) if size and size.isdigit() else 153600

    def _render_item(self, inst, props, mode):
        if mode == "EnumerateEPR":
            return cim.render_epr_item(inst)
        obj = cim.render_fragment(inst, props) if props else cim.render_instance(inst)
        if mode == "EnumerateObjectAndEPR":
            return f"<w:Item>{obj}{cim.render_epr_item(inst)}</w:Item>"
        return obj

    def _association_filter(self, flt, namespace):
        """The cimbinding associationFilter dialect, mapped onto ASSOCIATORS/REFERENCES OF."""
        for kind, refs in (("AssociatedInstances", False), ("AssociationInstances", True)):
            node = flt.find(f"{{{NS_B}}}{kind}")
            if node is None:
                continue
            obj = node.find(f"{{{NS_B}}}Object")
            parsed = parse_epr(obj) if obj is not None else None
            if not parsed:
                raise faults.cannot_process_filter("associationFilter", "The filter is missing its Object. ")
            cls_name = parsed[0].rstrip("/").split("/")[-1]
            path = cim.Ref(cls_name, parsed[1]).path(self.sim.store.host_name)
            conds = {}
            for tag, key in (("AssociationClassName", "assocclass"), ("ResultClassName", "resultclass"),
                             ("Role", "role"), ("ResultRole", "resultrole")):
                value = node.findtext(f"{{{NS_B}}}{tag}")
                if value:
                    conds[key] = value.strip()
            q = wql.Associators(path, refs, **conds)
            with self.sim.store.lock:
                return self.sim.store._associators(q, "associationFilter")
        raise faults.cannot_process_filter("associationFilter", "The filter is not valid. ")

    # ---------------------------------------------------------------- Invoke
    def invoke(self, req):
        uri = req.resource_uri or ""
        if not req.action.startswith(uri.rstrip("/") + "/"):
            self.stats.count(req.action.rsplit("/", 1)[-1], None)
            raise faults.action_not_supported(req.action)
        method_name = req.action[len(uri.rstrip("/")) + 1:]
        cls = self._class_of(uri)
        self.stats.count(method_name, cls.name)
        sigs = methods.SIGNATURES.get(cls.name, {})
        method = next((m for m in sigs if m.lower() == method_name.lower()), None)
        if method is None:
            raise faults.action_not_supported(req.action)
        input_el = req.body.find(f"{{{cls.resource_uri}}}{method}_INPUT")
        if input_el is None and len(req.body):
            raise faults.missing_body_element(f"{method}_INPUT")
        params = methods.decode_params(cls.name, method, input_el)
        with self.sim.store.lock:
            self.sim.hyperv.refresh()
            target = self._method_target(cls, req.selectors)
            result = self.sim.methods.invoke(cls, method, target, params)
            body = methods.render_output(cls, method, result)
        return envelope(f"{uri}/{method}Response", req.message_id, body, self.lang, TRANSFER_DECLS)

    def _method_target(self, cls, selectors):
        """Instance methods: WMI resolves partial key sets when they name exactly one instance."""
        store = self.sim.store
        wanted = {k.lower() for k in cls.keys}
        if any(k.lower() not in wanted for k in selectors):
            raise faults.invalid_selectors("UnexpectedSelectors")
        matches = [i for i in store.all_of(cls.name)
                   if all(str(i.get(k)).lower() == str(v).lower() for k, v in selectors.items())]
        if len(matches) != 1:
            raise faults.destination_unreachable() if not matches else faults.invalid_selectors("InsufficientSelectors")
        return matches[0]


def _stat_class(text):
    m = re.search(r"\bfrom\s+(\w+)", text, re.I) or re.search(r"resultclass\s*=\s*(\w+)", text, re.I)
    return m.group(1) if m else ("associators" if text.lower().startswith(("associators", "references")) else None)


CONFIG_BODY = (
    '<cfg:Config xmlns:cfg="http://schemas.microsoft.com/wbem/wsman/1/config">'
    "<cfg:MaxEnvelopeSizekb>500</cfg:MaxEnvelopeSizekb><cfg:MaxTimeoutms>60000</cfg:MaxTimeoutms>"
    "<cfg:MaxBatchItems>32000</cfg:MaxBatchItems><cfg:MaxProviderRequests>4294967295</cfg:MaxProviderRequests>"
    "<cfg:Client><cfg:NetworkDelayms>5000</cfg:NetworkDelayms><cfg:URLPrefix>wsman</cfg:URLPrefix>"
    "<cfg:AllowUnencrypted>false</cfg:AllowUnencrypted><cfg:Auth><cfg:Basic>true</cfg:Basic>"
    "<cfg:Digest>true</cfg:Digest><cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>true</cfg:Negotiate>"
    "<cfg:Certificate>true</cfg:Certificate><cfg:CredSSP>false</cfg:CredSSP></cfg:Auth>"
    "<cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts>"
    "<cfg:TrustedHosts></cfg:TrustedHosts></cfg:Client>"
    "<cfg:Service><cfg:RootSDDL>O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)</cfg:RootSDDL>"
    "<cfg:MaxConcurrentOperations>4294967295</cfg:MaxConcurrentOperations>"
    "<cfg:MaxConcurrentOperationsPerUser>1500</cfg:MaxConcurrentOperationsPerUser>"
    "<cfg:EnumerationTimeoutms>240000</cfg:EnumerationTimeoutms><cfg:MaxConnections>300</cfg:MaxConnections>"
    "<cfg:MaxPacketRetrievalTimeSeconds>120</cfg:MaxPacketRetrievalTimeSeconds>"
    "<cfg:AllowUnencrypted>true</cfg:AllowUnencrypted><cfg:Auth><cfg:Basic>true</cfg:Basic>"
    "<cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>true</cfg:Negotiate><cfg:Certificate>false</cfg:Certificate>"
    "<cfg:CredSSP>false</cfg:CredSSP><cfg:CbtHardeningLevel>Relaxed</cfg:CbtHardeningLevel></cfg:Auth>"
    "<cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts>"
    "<cfg:IPv4Filter>*</cfg:IPv4Filter><cfg:IPv6Filter>*</cfg:IPv6Filter>"
    "<cfg:EnableCompatibilityHttpListener>false</cfg:EnableCompatibilityHttpListener>"
    "<cfg:EnableCompatibilityHttpsListener>false</cfg:EnableCompatibilityHttpsListener>"
    "<cfg:CertificateThumbprint></cfg:CertificateThumbprint><cfg:AllowRemoteAccess>true</cfg:AllowRemoteAccess>"
    "</cfg:Service><cfg:Winrs><cfg:AllowRemoteShellAccess>true</cfg:AllowRemoteShellAccess>"
    "<cfg:IdleTimeout>7200000</cfg:IdleTimeout><cfg:MaxConcurrentUsers>2147483647</cfg:MaxConcurrentUsers>"
    "<cfg:MaxShellRunTime>2147483647</cfg:MaxShellRunTime>"
    "<cfg:MaxProcessesPerShell>2147483647</cfg:MaxProcessesPerShell><cfg:MaxMemoryPerShellMB>2147483647</cfg:MaxMemoryPerShellMB>"
    "<cfg:MaxShellsPerUser>2147483647</cfg:MaxShellsPerUser></cfg:Winrs></cfg:Config>")
