"""xDSL attribute constraints as IRDL constraint ops, as precise as upstream MLIR's IRDL states them.

How they translate:

* ``BaseAttr`` -> ``irdl.base "!builtin.tensor"`` / ``"#builtin.integer"`` (upstream names,
  :data:`UPSTREAM_BASES`) or ``irdl.base @snn::@radix`` (attributes of the dialects exported
  together); a base class that is not final -> ``irdl.any_of`` of the final ones we know;
* ``EqAttrConstraint`` -> ``irdl.is``; ``AttrSetConstraint`` and ``AnyOf`` -> ``irdl.any_of``
  (alternatives that come out with one base are merged: upstream refuses to load an
  ``irdl.any_of`` of two ``irdl.base`` of one base, "any_of constraints are not in the correct form");
  ``AllOf`` -> ``irdl.all_of``;
* ``ParamAttrConstraint`` of an exported attribute -> ``irdl.parametric``; of a builtin one ->
  its ``irdl.base``, or the ``irdl.any_of`` of every instance when the parameters allow only a
  few (``IntegerAttr.constr(value=IntSetConstraint(...), type=i64)``); other parameter
  constraints (integer ranges) cannot be stated;
* ``IntAttr`` parameters print as ``N : i64`` in the generic spelling (``snn_encoding``), so they
  are ``#builtin.integer``;
* ``VarConstraint`` -> one SSA value shared by its uses: in IRDL a constraint value used twice
  means "the same attribute in both places", so every other use gets its own constraint op;
* ``AnyAttr`` -> ``irdl.any``; ``MessageConstraint`` and type variables -> their inner constraint.

What a translation loses (integer ranges, parameters of builtin attributes) is reported, so that
:mod:`e3ne.dialects.irdl` can list it in a comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product

from xdsl.builder import Builder
from xdsl.dialects import builtin
from xdsl.dialects.builtin import ArrayAttr, IntAttr, IntAttrConstraint, IntegerAttr, SymbolRefAttr, i64
from xdsl.dialects.irdl import irdl
from xdsl.ir import Attribute, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import (
    AllOf,
    AnyAttr,
    AnyInt,
    AnyOf,
    AtLeast,
    AtMost,
    AttrConstraint,
    AttrSetConstraint,
    BaseAttr,
    EqAttrConstraint,
    EqIntConstraint,
    IntConstraint,
    IntSetConstraint,
    MessageConstraint,
    ParamAttrConstraint,
    VarConstraint,
)
from xdsl.irdl.constraints import TypeVarConstraint
from xdsl.utils.runtime_final import is_runtime_final

UPSTREAM_BASES: dict[type[Attribute], str] = {
    builtin.TensorType: "!builtin.tensor",
    builtin.UnrankedTensorType: "!builtin.unranked_tensor",
    builtin.VectorType: "!builtin.vector",
    builtin.MemRefType: "!builtin.memref",
    builtin.IntegerType: "!builtin.integer",
    builtin.IndexType: "!builtin.index",
    builtin.BFloat16Type: "!builtin.bf16",
    builtin.Float16Type: "!builtin.f16",
    builtin.Float32Type: "!builtin.f32",
    builtin.Float64Type: "!builtin.f64",
    builtin.Float80Type: "!builtin.f80",
    builtin.Float128Type: "!builtin.f128",
    builtin.ComplexType: "!builtin.complex",
    builtin.TupleType: "!builtin.tuple",
    builtin.FunctionType: "!builtin.function",
    builtin.NoneType: "!builtin.none",
    builtin.IntegerAttr: "#builtin.integer",
    builtin.IntAttr: "#builtin.integer",  # printed as `N : i64` by our attributes' generic spelling
    builtin.FloatAttr: "#builtin.float",
    builtin.StringAttr: "#builtin.string",
    builtin.ArrayAttr: "#builtin.array",
    builtin.DictionaryAttr: "#builtin.dictionary",
    builtin.DenseArrayBase: "#builtin.dense_array",
    builtin.DenseIntOrFPElementsAttr: "#builtin.dense_typed_elements",
    builtin.DenseResourceAttr: "#builtin.dense_resource_elements",
    builtin.UnitAttr: "#builtin.unit",
    builtin.SymbolRefAttr: "#builtin.symbol_ref",
    builtin.AffineMapAttr: "#builtin.affine_map",
}
"""xDSL builtin attribute class -> the name upstream MLIR registers it under (``irdl.base``)."""

MAX_ENUMERATED = 64
"""A builtin attribute constrained to at most this many instances becomes an ``irdl.any_of``."""

# --------------------------------------------------------------------------- constraint trees


@dataclass(frozen=True)
class _Any:
    pass


@dataclass(frozen=True)
class _Base:
    ref: str | SymbolRefAttr


@dataclass(frozen=True)
class _Is:
    attr: Attribute


@dataclass(frozen=True)
class _Parametric:
    ref: SymbolRefAttr
    params: tuple[_Node, ...]


@dataclass(frozen=True)
class _AnyOf:
    args: tuple[_Node, ...]


@dataclass(frozen=True)
class _AllOf:
    args: tuple[_Node, ...]


@dataclass(frozen=True)
class _Var:
    name: str
    inner: _Node


_Node = _Any | _Base | _Is | _Parametric | _AnyOf | _AllOf | _Var


def _base_key(node: _Node) -> object:
    """What upstream sees as the node's base (None: several or unknown)."""
    if isinstance(node, _Base | _Parametric):
        return node.ref
    if isinstance(node, _Is):
        return UPSTREAM_BASES.get(type(node.attr), type(node.attr))
    return None


def _implies(node: _Node, base: str | SymbolRefAttr) -> bool:
    """Whether every attribute ``node`` allows has ``base`` (and ``node`` is narrower)."""
    alternatives = node.args if isinstance(node, _AnyOf) else (node,)
    return not isinstance(node, _Base) and all(_base_key(a) == base for a in alternatives)


def _any_of(args: Iterable[_Node]) -> _Node:
    """Upstream wants the bases of the alternatives disjoint: an ``irdl.base`` absorbs the others of its base."""
    unique = list(dict.fromkeys(args))
    if any(isinstance(a, _Any) for a in unique):
        return _Any()
    bases = {a.ref for a in unique if isinstance(a, _Base)}
    unique = [a for a in unique if isinstance(a, _Base) or _base_key(a) not in bases]
    return unique[0] if len(unique) == 1 else _AnyOf(tuple(unique))


def _all_of(args: Iterable[_Node]) -> _Node:
    """An ``irdl.base`` next to narrower constraints of its base adds nothing."""
    unique = [a for a in dict.fromkeys(args) if not isinstance(a, _Any)]
    unique = [a for a in unique if not (isinstance(a, _Base) and any(_implies(b, a.ref) for b in unique))]
    if not unique:
        return _Any()
    return unique[0] if len(unique) == 1 else _AllOf(tuple(unique))


def _ints(c: IntConstraint) -> list[int] | None:
    """The values an integer constraint allows, when there are few."""
    if isinstance(c, EqIntConstraint):
        return [c.value]
    if isinstance(c, IntSetConstraint) and len(c.values) <= MAX_ENUMERATED:
        return sorted(c.values)
    return None


def describe_int(c: IntConstraint) -> str:
    if isinstance(c, AnyInt):
        return "any"
    if isinstance(c, AtLeast):
        return f">= {c.bound}"
    if isinstance(c, AtMost):
        return f"<= {c.bound}"
    values = _ints(c)
    return f"in {{{', '.join(map(str, values))}}}" if values is not None else repr(c)


def describe(c: AttrConstraint) -> str:
    """A constraint in a few words, for the comments of the emitted IRDL."""
    if isinstance(c, AnyAttr):
        return "any"
    if isinstance(c, VarConstraint | MessageConstraint):
        return describe(c.constraint if isinstance(c, VarConstraint) else c.constr)
    if isinstance(c, TypeVarConstraint):
        return describe(c.base_constraint)
    if isinstance(c, BaseAttr):
        return UPSTREAM_BASES.get(c.attr, getattr(c.attr, "name", c.attr.__name__))
    if isinstance(c, EqAttrConstraint):
        return str(c.attr)
    if isinstance(c, AttrSetConstraint):
        return "one of " + ", ".join(sorted(str(v) for v in c.values))
    if isinstance(c, AnyOf | AllOf):
        return (" or " if isinstance(c, AnyOf) else " and ").join(describe(a) for a in c.attr_constrs)
    if isinstance(c, IntAttrConstraint):
        return describe_int(c.int_constraint)
    if isinstance(c, ParamAttrConstraint):
        params = c.base_attr.get_irdl_definition().parameters
        shown = [
            f"{name} {describe(constr)}"
            for (name, param), constr in zip(params, c.param_constrs, strict=True)
            if not _same(constr, _unwrap(param.constr))
        ]
        return f"{describe(BaseAttr(c.base_attr))} with {', '.join(shown)}"
    return repr(c)


def _unwrap(c: AttrConstraint) -> AttrConstraint:
    return c.base_constraint if isinstance(c, TypeVarConstraint) else c


def _same(a: AttrConstraint, b: AttrConstraint) -> bool:
    if isinstance(a, AnyOf) and isinstance(b, AnyOf):
        return set(a.attr_constrs) == set(b.attr_constrs)
    return a == b


@dataclass
class ConstraintTranslator:
    """xDSL constraints -> IRDL constraint ops; ``exported`` maps the attributes of the dialects
    exported together to their symbols (``@snn::@radix``)."""

    exported: dict[type[Attribute], SymbolRefAttr]
    lossy: bool = False

    def emit(self, c: AttrConstraint, builder: Builder, variables: dict[str, SSAValue]) -> tuple[SSAValue, bool]:
        """The constraint ops of ``c`` at ``builder``, and whether IRDL states less than ``c``."""
        self.lossy = False
        return _build(self.node(c), builder, variables), self.lossy

    def node(self, c: AttrConstraint) -> _Node:
        if isinstance(c, AnyAttr):
            return _Any()
        if isinstance(c, VarConstraint):
            return _Var(c.name, self.node(c.constraint))
        if isinstance(c, MessageConstraint):
            return self.node(c.constr)
        if isinstance(c, TypeVarConstraint):
            return self.node(c.base_constraint)
        if isinstance(c, BaseAttr):
            return self.base(c.attr)
        if isinstance(c, EqAttrConstraint):
            return self.equal(c.attr)
        if isinstance(c, AttrSetConstraint):
            return _any_of(self.equal(v) for v in sorted(c.values, key=str))
        if isinstance(c, AnyOf):
            return _any_of(self.node(a) for a in c.attr_constrs)
        if isinstance(c, AllOf):
            return _all_of(self.node(a) for a in c.attr_constrs)
        if isinstance(c, ParamAttrConstraint):
            return self.parametric(c)
        if isinstance(c, IntAttrConstraint):
            values = _ints(c.int_constraint)
            if values is not None:
                return _any_of(self.equal(IntAttr(v)) for v in values)
            self.lossy = True
            return self.base(IntAttr)
        self.lossy = True
        return _Any()

    def base(self, cls: type[Attribute]) -> _Node:
        if cls in self.exported:
            return _Base(self.exported[cls])
        if cls in UPSTREAM_BASES:
            return _Base(UPSTREAM_BASES[cls])
        if not is_runtime_final(cls):
            finals = [k for k in (*self.exported, *UPSTREAM_BASES) if issubclass(k, cls) and k is not IntAttr]
            if finals:
                return _any_of(self.base(k) for k in finals)
        name = getattr(cls, "name", "")
        if "." in name and not name.startswith("builtin."):  # another dialect's attribute, by name
            return _Base(("!" if issubclass(cls, TypeAttribute) else "#") + name)
        self.lossy = True
        return _Any()

    def equal(self, attr: Attribute) -> _Node:
        if type(attr) in self.exported:
            assert isinstance(attr, ParametrizedAttribute)
            return _Parametric(self.exported[type(attr)], tuple(self.equal(p) for p in attr.parameters))
        if isinstance(attr, IntAttr):
            return _Is(IntegerAttr(attr.data, i64))
        if self._mentions_exported(attr):  # not parseable while the IRDL itself is loaded
            self.lossy = True
            return self.base(type(attr))
        return _Is(attr)

    def _mentions_exported(self, attr: Attribute) -> bool:
        if type(attr) in self.exported:
            return True
        if isinstance(attr, ParametrizedAttribute):
            return any(self._mentions_exported(p) for p in attr.parameters)
        if isinstance(attr, ArrayAttr):
            return any(self._mentions_exported(a) for a in attr.data)
        return False

    def parametric(self, c: ParamAttrConstraint) -> _Node:
        if c.base_attr in self.exported:
            return _Parametric(self.exported[c.base_attr], tuple(self.node(p) for p in c.param_constrs))
        instances = self._instances(c)
        if instances is not None:
            return _any_of(self.equal(a) for a in instances)
        self.lossy = True
        return self.base(c.base_attr)

    @staticmethod
    def _instances(c: ParamAttrConstraint) -> list[Attribute] | None:
        """Every attribute ``c`` allows, when its parameters allow few."""
        choices: list[list[Attribute]] = []
        for p in c.param_constrs:
            if isinstance(p, EqAttrConstraint):
                choices.append([p.attr])
            elif isinstance(p, AttrSetConstraint):
                choices.append(sorted(p.values, key=str))
            elif isinstance(p, IntAttrConstraint) and (values := _ints(p.int_constraint)) is not None:
                choices.append([IntAttr(v) for v in values])
            else:
                return None
        combos = list(product(*choices))
        if len(combos) > MAX_ENUMERATED or not is_runtime_final(c.base_attr):
            return None
        return [c.base_attr.new(combo) for combo in combos]


def _build(node: _Node, builder: Builder, variables: dict[str, SSAValue]) -> SSAValue:
    """Constraint ops for ``node``: new ones on every call (in IRDL a value used twice means the same
    attribute twice), except for the shared variables of xDSL's ``VarConstraint``."""
    if isinstance(node, _Var):
        if node.name not in variables:
            variables[node.name] = _build(node.inner, builder, variables)
        return variables[node.name]
    if isinstance(node, _Any):
        return builder.insert(irdl.AnyOp()).output
    if isinstance(node, _Base):
        return builder.insert(irdl.BaseOp(node.ref)).output
    if isinstance(node, _Is):
        return builder.insert(irdl.IsOp(node.attr)).output
    if isinstance(node, _Parametric):
        params = [_build(p, builder, variables) for p in node.params]
        return builder.insert(irdl.ParametricOp(node.ref, params)).output
    args = [_build(a, builder, variables) for a in node.args]
    return builder.insert(irdl.AnyOfOp(args) if isinstance(node, _AnyOf) else irdl.AllOfOp(args)).output
