"""WQL as WMI accepts it: SELECT, ASSOCIATORS OF, REFERENCES OF; parsing and evaluation."""

import re

import cim


class WqlError(ValueError):
    pass


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<path>\{[^}]*\})
  | (?P<str>'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op><>|!=|<=|>=|=|<|>)
  | (?P<punct>[(),*])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
""", re.X)

KEYWORDS = {"select", "from", "where", "and", "or", "not", "like", "is", "null", "true", "false",
            "associators", "references", "of", "isa"}


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise WqlError(f"unexpected character at {pos}: {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "ws":
            continue
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "num":
            value = float(value) if "." in value else int(value)
        elif kind == "ident" and value.lower() in KEYWORDS:
            kind, value = "kw", value.lower()
        elif kind == "path":
            value = value[1:-1].strip()
        tokens.append((kind, value))
    return tokens


class Select:
    def __init__(self, props, class_name, where):
        self.props = props          # None for *
        self.class_name = class_name
        self.where = where


class Associators:
    def __init__(self, path, references, **conditions):
        self.path = path
        self.references = references   # REFERENCES OF returns the association instances
        self.conditions = conditions    # assocclass, resultclass, role, resultrole, requiredqualifier…
        self.props = None


class _Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            raise WqlError(f"expected {value or kind}, found {tok[1]!r}")
        self.i += 1
        return tok[1]

    def accept(self, kind, value=None):
        tok = self.peek()
        if tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return True
        return False

    def query(self):
        if self.accept("kw", "select"):
            q = self.select()
        elif self.peek() in (("kw", "associators"), ("kw", "references")):
            q = self.assoc()
        else:
            raise WqlError("query must start with SELECT, ASSOCIATORS OF or REFERENCES OF")
        if self.peek()[0] is not None:
            raise WqlError(f"unexpected {self.peek()[1]!r}")
        return q

    def select(self):
        if self.accept("punct", "*"):
            props = None
        else:
            props = [self.take("ident")]
            while self.accept("punct", ","):
                props.append(self.take("ident"))
        self.take("kw", "from")
        cls = self.take("ident")
        where = self.expr() if self.accept("kw", "where") else None
        return Select(props, cls, where)

    def assoc(self):
        references = self.take("kw") == "references"
        self.take("kw", "of")
        path = self.take("path")
        conds = {}
        if self.accept("kw", "where"):
            while self.peek()[0] == "ident":
                name = self.take("ident").lower()
                if name in ("classdefsonly", "keysonly", "schemaonly"):
                    conds[name] = True
                    continue
                self.take("op", "=")
                conds[name] = self.take("ident") if self.peek()[0] == "ident" else str(self.take("str"))
        return Associators(path, references, **conds)

    # expressions: or > and > not > comparison
    def expr(self):
        left = self.conj()
        while self.accept("kw", "or"):
            left = ("or", left, self.conj())
        return left

    def conj(self):
        left = self.neg()
        while self.accept("kw", "and"):
            left = ("and", left, self.neg())
        return left

    def neg(self):
        if self.accept("kw", "not"):
            return ("not", self.neg())
        if self.accept("punct", "("):
            e = self.expr()
            self.take("punct", ")")
            return e
        return self.comparison()

    def operand(self):
        kind, value = self.peek()
        if kind in ("str", "num"):
            self.i += 1
            return ("lit", value)
        if kind == "kw" and value in ("true", "false", "null"):
            self.i += 1
            return ("lit", {"true": True, "false": False, "null": None}[value])
        if kind == "ident":
            self.i += 1
            return ("prop", value)
        raise WqlError(f"expected a property or a value, found {value!r}")

    def comparison(self):
        left = self.operand()
        if self.accept("kw", "is"):
            negate = self.accept("kw", "not")
            self.take("kw", "null")
            return ("isnull", left, negate)
        if self.accept("kw", "like"):
            return ("like", left, self.operand())
        if self.accept("kw", "not"):
            self.take("kw", "like")
            return ("not", ("like", left, self.operand()))
        op = self.take("op")
        return ("cmp", op, left, self.operand())


def parse(text):
    return _Parser(text).query()


def referenced_props(node, acc=None):
    """Property names used in a WHERE tree (to reject unknown ones as WMI does)."""
    acc = [] if acc is None else acc
    if isinstance(node, tuple):
        if node[0] == "prop":
            acc.append(node[1])
        else:
            for part in node[1:]:
                referenced_props(part, acc)
    return acc


def evaluate(node, lookup):
    """lookup(name) -> (cim type or None, value). NULL never compares equal, as in WQL."""
    kind = node[0]
    if kind == "or":
        return evaluate(node[1], lookup) or evaluate(node[2], lookup)
    if kind == "and":
        return evaluate(node[1], lookup) and evaluate(node[2], lookup)
    if kind == "not":
        return not evaluate(node[1], lookup)
    if kind == "isnull":
        _, value = _operand(node[1], lookup)
        return (value is not None) if node[2] else (value is None)
    if kind == "like":
        _, value = _operand(node[1], lookup)
        _, pattern = _operand(node[2], lookup)
        if value is None or pattern is None:
            return False
        return re.fullmatch(_like_regex(str(pattern)), str(value), re.I | re.S) is not None
    _, op, left, right = node
    ltype, lval = _operand(left, lookup)
    rtype, rval = _operand(right, lookup)
    if lval is None or rval is None or isinstance(lval, list) or isinstance(rval, list):
        return False
    a, b = _coerce(lval, rval, ltype or rtype)
    return {"=": a == b, "!=": a != b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _operand(node, lookup):
    if node[0] == "lit":
        return None, node[1]
    return lookup(node[1])


def _coerce(a, b, ptype):
    base = (ptype or "").rstrip("[]")
    if base == "path":
        # Object paths compare by class and keys, whatever their quoting, host or namespace case.
        return _path_key(a), _path_key(b)
    if base == "boolean" or isinstance(a, bool) or isinstance(b, bool):
        return _as_bool(a), _as_bool(b)
    if base[:4] in ("uint", "sint") or (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        try:
            return float(a), float(b)
        except (TypeError, ValueError):
            pass
    return str(a).lower(), str(b).lower()


def _path_key(text):
    ref = cim.parse_path(str(text))
    if ref is None:
        return str(text).lower()
    return ref.cls_name.lower() + repr(sorted((k.lower(), str(v).lower()) for k, v in ref.keys.items()))


def _as_bool(v):
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1")
    return bool(v)


def _like_regex(pattern):
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end]
                out.append("[" + ("^" + re.escape(body[1:]) if body.startswith("^") else re.escape(body)) + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)
