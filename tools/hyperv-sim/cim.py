"""CIM instances: storage, WMI object paths, and rendering as WinRM does (typed, XmlFragment, EPR, CIM-XML)."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import classes
from envelope import NS_A, NS_CIM, NS_W, NS_XSI, epr_body, esc

REF_DECLS = f'xmlns:a="{NS_A}" xmlns:w="{NS_W}"'


class Ref:
    """A reference to an instance: class name + key values."""

    def __init__(self, cls_name, keys):
        self.cls_name = cls_name
        self.keys = dict(keys)

    def matches(self, other):
        if other is None or self.cls_name.lower() != other.cls_name.lower():
            return False
        mine = {k.lower(): str(v).lower() for k, v in self.keys.items()}
        theirs = {k.lower(): str(v).lower() for k, v in other.keys.items()}
        return mine == theirs

    def sorted_keys(self):
        return sorted(self.keys.items(), key=lambda kv: kv[0].lower())

    def path(self, host):
        cls = classes.lookup(self.cls_name)
        ns = (cls.namespace if cls else classes.V2).replace("/", "\\")
        keys = ",".join(f'{k}="{_path_escape(v)}"' for k, v in self.sorted_keys())
        return f"\\\\{host}\\{ns}:{self.cls_name}.{keys}"

    def render_epr(self):
        cls = classes.lookup(self.cls_name)
        uri = cls.resource_uri if cls else self.cls_name
        return epr_body(uri, self.sorted_keys())


def _path_escape(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"')


_PATH_RE = re.compile(r'^(?:\\\\[^\\]+\\[^:]*:)?(?P<cls>\w+)(?:\.(?P<keys>.*)|=@)?$', re.S)


def parse_path(text):
    """A WMI object path (\\\\HOST\\ns:Class.K="v",K2='v') -> Ref, or None."""
    m = _PATH_RE.match(text.strip())
    if not m:
        return None
    keys = {}
    rest = m.group("keys") or ""
    i = 0
    while i < len(rest):
        eq = rest.index("=", i)
        name = rest[i:eq].strip()
        i = eq + 1
        if i < len(rest) and rest[i] in "\"'":
            quote = rest[i]
            i += 1
            value = []
            while i < len(rest) and rest[i] != quote:
                if rest[i] == "\\" and i + 1 < len(rest):
                    i += 1
                value.append(rest[i])
                i += 1
            i += 1
            keys[name] = "".join(value)
        else:
            end = rest.find(",", i)
            end = len(rest) if end < 0 else end
            keys[name] = rest[i:end].strip()
            i = end
        if i < len(rest) and rest[i] == ",":
            i += 1
    return Ref(m.group("cls"), keys)


class Instance:
    """One WMI object. `values` holds the CIM properties; `meta` holds simulator bookkeeping."""

    def __init__(self, cls_name, values=None, **meta):
        self.cls = classes.CLASSES[cls_name]
        self.values = {}
        self.meta = meta
        for k, v in (values or {}).items():
            self.set(k, v)

    def set(self, prop, value):
        name = self.cls.canonical(prop)
        if name is None:
            raise KeyError(f"{self.cls.name} has no property {prop}")
        self.values[name] = value

    def get(self, prop):
        name = self.cls.canonical(prop)
        return None if name is None else self.values.get(name)

    def ref(self):
        return Ref(self.cls.name, {k: self.values.get(k) for k in self.cls.keys})

    def key_selectors(self):
        return self.ref().sorted_keys()


# ---- value formatting ----

def render_value(ptype, value):
    """The text of one scalar property value."""
    base = ptype.rstrip("[]")
    if base == "boolean":
        return "true" if value else "false"
    return esc(value)


def _wrap_datetime(base, value, prefix):
    tag = "Interval" if base == "interval" else "Datetime"
    return f"<{prefix}{tag}>{esc(value)}</{prefix}{tag}>"


def _render_props(cls, inst_values, prefix, cim_prefix, only=None):
    out = []
    names = only if only is not None else sorted(cls.props, key=str.lower)
    for name in names:
        ptype = cls.props[name]
        base = ptype.rstrip("[]")
        value = inst_values.get(name)
        tag = f"{prefix}{name}"
        if ptype.endswith("[]"):
            for item in value or []:
                out.append(f"<{tag}>{_scalar(base, item, cim_prefix)}</{tag}>")
            continue
        if value is None:
            out.append(f'<{tag} xsi:nil="true"/>')
        elif base.startswith("ref:"):
            out.append(f"<{tag} {REF_DECLS}>{value.render_epr()}</{tag}>")
        else:
            out.append(f"<{tag}>{_scalar(base, value, cim_prefix)}</{tag}>")
    return "".join(out)


def _scalar(base, value, cim_prefix):
    if base in ("datetime", "interval"):
        return _wrap_datetime(base, value, cim_prefix)
    if base.startswith("ref:"):
        return value.render_epr()
    return render_value(base, value)


def render_instance(inst, tag_name=None, extra_decls=""):
    """`p:Class` element as Windows writes it: all scalars (nil when NULL), non-empty arrays repeated."""
    cls = inst.cls
    tag = tag_name or f"p:{cls.name}"
    return (f'<{tag} xmlns:xsi="{NS_XSI}" xmlns:p="{cls.resource_uri}" xmlns:cim="{NS_CIM}" '
            f'xsi:type="p:{cls.name}_Type"{extra_decls}>'
            f"{_render_props(cls, inst.values, 'p:', 'cim:')}</{tag}>")


def render_fragment(inst, props):
    """`SELECT a,b` items: w:XmlFragment with unqualified children, datetimes as plain <Datetime>."""
    cls = inst.cls
    names = sorted({cls.canonical(p) for p in props if cls.canonical(p)}, key=str.lower)
    return (f'<w:XmlFragment xmlns:xsi="{NS_XSI}" xmlns:w="{NS_W}">'
            f"{_render_props(cls, inst.values, '', '', names)}</w:XmlFragment>")


def render_epr_item(inst):
    return f"<a:EndpointReference>{inst.ref().render_epr()}</a:EndpointReference>"


def render_embedded_object(tag, inst, prefix="q1"):
    """An embedded object output parameter (e.g. SummaryInformation): properties in the object's own namespace."""
    cls = inst.cls
    body = _render_props(cls, inst.values, f"{prefix}:", "cim:")
    return (f'<{tag} xmlns:{prefix}="{cls.resource_uri}" xsi:type="{prefix}:{cls.name}_Type">{body}</{tag}>')


# ---- datetimes ----

def now_iso():
    return iso(datetime.now(timezone.utc))


def iso(dt):
    """xs:dateTime in UTC; fractional seconds only when non-zero, as WMI prints them."""
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += f".{dt.microsecond:06d}".rstrip("0")
    return text + "Z"


def iso_duration(seconds):
    td = timedelta(seconds=seconds)
    h, rem = divmod(td.seconds, 3600)
    m, s = divmod(rem, 60)
    frac = f"{s}.{td.microseconds:06d}".rstrip("0").rstrip(".") if td.microseconds else str(s)
    return f"P{td.days}DT{h}H{m}M{frac}S"


_DMTF_TS = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$")
_DMTF_IV = re.compile(r"^(\d{8})(\d{2})(\d{2})(\d{2})\.(\d{6}):000$")


def dmtf_to_xs(text, base):
    """Embedded instances carry DMTF datetimes; anything else (e.g. ISO 8601) is rejected like Hyper-V does."""
    if base == "interval":
        m = _DMTF_IV.match(text)
        if not m:
            raise ValueError(f"not a DMTF interval: {text}")
        d, h, mi, s, us = (int(g) for g in m.groups())
        return iso_duration(d * 86400 + h * 3600 + mi * 60 + s + us / 1e6)
    m = _DMTF_TS.match(text)
    if not m:
        raise ValueError(f"not a DMTF datetime: {text}")
    y, mo, d, h, mi, s, us = (int(g) for g in m.groups()[:7])
    offset = int(m.group(9)) * (1 if m.group(8) == "+" else -1)
    dt = datetime(y, mo, d, h, mi, s, us, tzinfo=timezone(timedelta(minutes=offset)))
    return iso(dt.astimezone(timezone.utc))


# ---- CIM-XML embedded instances (DSP0201) ----

class EmbeddedError(ValueError):
    pass


def parse_embedded(text):
    """`<INSTANCE CLASSNAME=...>` -> (class name, {prop: value}). Unknown properties are an error, as in WMI."""
    try:
        root = ET.fromstring(text.strip())
    except ET.ParseError as err:
        raise EmbeddedError(f"embedded instance is not XML: {err}") from err
    if root.tag != "INSTANCE":
        raise EmbeddedError(f"expected a CIM-XML INSTANCE element, got {root.tag}")
    cls = classes.lookup(root.get("CLASSNAME", ""))
    if cls is None:
        raise EmbeddedError(f"unknown class {root.get('CLASSNAME')}")
    values = {}
    for prop in root:
        name = cls.canonical(prop.get("NAME", ""))
        if name is None:
            raise EmbeddedError(f"{cls.name} has no property {prop.get('NAME')}")
        ptype = cls.props[name]
        base = ptype.rstrip("[]")
        if prop.tag == "PROPERTY":
            v = prop.find("VALUE")
            values[name] = None if v is None else _parse_value(base, v.text or "")
            if ptype.endswith("[]") and values[name] is not None:
                values[name] = [values[name]]
        elif prop.tag == "PROPERTY.ARRAY":
            arr = prop.find("VALUE.ARRAY")
            values[name] = None if arr is None else [_parse_value(base, v.text or "") for v in arr.findall("VALUE")]
        elif prop.tag == "PROPERTY.REFERENCE":
            path = prop.find("VALUE.REFERENCE")
            values[name] = None if path is None else "".join(path.itertext())
        else:
            raise EmbeddedError(f"unexpected element {prop.tag}")
    return cls.name, values


def _parse_value(base, text):
    if base == "boolean":
        if text.strip().lower() not in ("true", "false"):
            raise EmbeddedError(f"bad boolean {text!r}")
        return text.strip().lower() == "true"
    if base[:4] in ("uint", "sint"):
        try:
            return int(text.strip())
        except ValueError as err:
            raise EmbeddedError(f"bad integer {text!r}") from err
    if base in ("datetime", "interval"):
        try:
            return dmtf_to_xs(text.strip(), base)
        except ValueError as err:
            raise EmbeddedError(str(err)) from err
    return text


def render_embedded(inst):
    """CIM-XML text of an instance (returned escaped inside string output parameters)."""
    parts = [f'<INSTANCE CLASSNAME="{inst.cls.name}">']
    for name in sorted(inst.cls.props, key=str.lower):
        ptype = inst.cls.props[name]
        base = ptype.rstrip("[]")
        if base.startswith("ref:") or base in ("datetime", "interval"):
            continue
        value = inst.values.get(name)
        if ptype.endswith("[]"):
            vals = "".join(f"<VALUE>{render_value(base, v)}</VALUE>" for v in value or [])
            arr = f"<VALUE.ARRAY>{vals}</VALUE.ARRAY>" if value else ""
            parts.append(f'<PROPERTY.ARRAY NAME="{name}" TYPE="{base}">{arr}</PROPERTY.ARRAY>')
        else:
            val = "" if value is None else f"<VALUE>{render_value(base, value)}</VALUE>"
            parts.append(f'<PROPERTY NAME="{name}" TYPE="{base}">{val}</PROPERTY>')
    parts.append("</INSTANCE>")
    return "".join(parts)
