"""The WMI repository of the simulated host: instances by class, associations, and query execution."""

import threading

import classes
import cim
import faults
import wql


class Store:
    def __init__(self, host_name):
        self.host_name = host_name
        self.lock = threading.RLock()
        self.objects = {name: [] for name in classes.CLASSES}   # stored (non-association) instances
        self.links = []      # (assoc class, {role: Instance}, {extra props}) for stored associations
        self.refresh = None  # callback refreshing live values (uptime…) before reads

    # ---- storage ----
    def add(self, inst):
        self.objects[inst.cls.name].append(inst)
        return inst

    def remove(self, inst):
        self.objects[inst.cls.name] = [i for i in self.objects[inst.cls.name] if i is not inst]
        self.links = [l for l in self.links if all(v is not inst for v in l[1].values())]

    def link(self, assoc, roles, **extra):
        self.links.append((assoc, roles, extra))

    def all_of(self, cls_name):
        return list(self.objects[cls_name])

    def find(self, cls_name, **props):
        return [i for i in self.objects[cls_name]
                if all(str(i.get(k)).lower() == str(v).lower() for k, v in props.items())]

    def resolve(self, ref):
        """Instance named by a Ref (any case in class and key names), or None."""
        cls = classes.lookup(ref.cls_name)
        if cls is None or cls.association:
            return None
        for inst in self.objects[cls.name]:
            if inst.ref().matches(cim.Ref(cls.name, ref.keys)):
                return inst
        return None

    def get_by_selectors(self, cls, selectors):
        """Transfer Get semantics: every key selector needed; unknown or missing ones fault."""
        wanted = {k.lower() for k in cls.keys}
        given = {k.lower() for k in selectors}
        if given != wanted:
            raise faults.invalid_selectors("InsufficientSelectors" if given < wanted else "UnexpectedSelectors")
        if cls.association:
            raise faults.destination_unreachable()
        inst = self.resolve(cim.Ref(cls.name, selectors))
        if inst is None:
            raise faults.destination_unreachable()
        return inst

    # ---- associations ----
    def associations(self, cls_name):
        """Association instances, computed from the stored links."""
        out = []
        for assoc, roles, extra in self.links:
            if assoc == cls_name:
                values = {role: inst.ref() for role, inst in roles.items()}
                values.update(extra)
                out.append(cim.Instance(assoc, values, ends=roles))
        return out

    def instances(self, cls_name):
        cls = classes.CLASSES[cls_name]
        if self.refresh:
            self.refresh()
        return self.associations(cls_name) if cls.association else self.all_of(cls_name)

    # ---- queries ----
    def system_property(self, inst, name):
        name = name.upper()
        if name == "__SERVER":
            return self.host_name
        if name == "__CLASS":
            return inst.cls.name
        if name == "__NAMESPACE":
            return inst.cls.namespace.replace("/", "\\")
        if name in ("__PATH", "__RELPATH"):
            return inst.ref().path(self.host_name)
        return None

    def query(self, text, namespace):
        """Run WQL in a namespace -> (instances, selected property list or None)."""
        try:
            q = wql.parse(text)
        except wql.WqlError:
            raise faults.invalid_query(text)
        with self.lock:
            if isinstance(q, wql.Associators):
                return self._associators(q, text), None
            targets = [c for c in classes.classes_in(namespace) if c.is_a(q.class_name)]
            if not targets:
                raise faults.cannot_process_filter(text)
            rows = []
            for cls in targets:
                for name in (q.props or []) + wql.referenced_props(q.where):
                    if not name.startswith("__") and cls.canonical(name) is None:
                        raise faults.invalid_query(text)
                for inst in self.instances(cls.name):
                    if q.where is None or wql.evaluate(q.where, lambda p, i=inst: self._lookup(i, p)):
                        rows.append(inst)
            return rows, q.props

    def _lookup(self, inst, name):
        if name.upper() in ("__PATH", "__RELPATH"):
            return "path", self.system_property(inst, name)
        if name.startswith("__"):
            return "string", self.system_property(inst, name)
        return inst.cls.props.get(inst.cls.canonical(name)), inst.get(name)

    def _associators(self, q, text):
        source = cim.parse_path(q.path)
        origin = self.resolve(source) if source else None
        if origin is None:
            # WMI answers "Not found" for an object path that names nothing.
            raise faults.cannot_process_filter(text, "The object or property was not found. ")
        c = q.conditions
        assoc_filter = c.get("assocclass")
        if assoc_filter and classes.lookup(assoc_filter) is None:
            raise faults.cannot_process_filter(text)
        results = []
        for cls in classes.CLASSES.values():
            if not cls.association or (assoc_filter and not cls.is_a(assoc_filter)):
                continue
            for link in self.associations(cls.name):
                ends = link.meta["ends"]
                roles_of_origin = [r for r, inst in ends.items() if inst is origin]
                if not roles_of_origin:
                    continue
                if c.get("role") and c["role"].lower() not in (r.lower() for r in roles_of_origin):
                    continue
                if q.references:
                    if not c.get("resultclass") or cls.is_a(c["resultclass"]):
                        results.append(link)
                    continue
                for role, inst in ends.items():
                    if inst is origin or role in roles_of_origin:
                        continue
                    if c.get("resultrole") and role.lower() != c["resultrole"].lower():
                        continue
                    if c.get("resultclass") and not inst.cls.is_a(c["resultclass"]):
                        continue
                    if all(r is not inst for r in results):
                        results.append(inst)
        return results
