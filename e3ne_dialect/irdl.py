"""IRDL for xDSL dialects, so that upstream MLIR can load them and check their IR.

``irdl_text([SNN, E3NE_HW])`` turns each dialect (ops: ``IRDLOperation``, attributes:
``ParametrizedAttribute``) into an ``irdl.dialect``, with its constraints translated as closely
as IRDL states them, and comments listing what it cannot state. Upstream MLIR loads the text with
``mlir-opt --irdl-file=FILE`` or the Python bindings' ``irdl.load_dialects(module)``; it then
checks IR of those dialects printed in generic form with properties as attributes
(:func:`upstream_text`, ``e3ne-opt --print-op-generic --print-no-properties``), because
ops of a dialect defined in IRDL have no properties and no custom syntax.

How xDSL constraints become IRDL:

* ``BaseAttr`` -> ``irdl.base "!builtin.tensor"`` / ``"#builtin.integer"`` (upstream names,
  :data:`UPSTREAM_BASES`) or ``irdl.base @snn::@radix`` (attributes of the dialects exported
  together); a base class that is not final -> ``irdl.any_of`` of the final ones we know;
* ``EqAttrConstraint`` -> ``irdl.is``; ``AttrSetConstraint`` and ``AnyOf`` -> ``irdl.any_of``
  (arguments that come out the same are merged: upstream wants disjoint alternatives);
  ``AllOf`` -> ``irdl.all_of``;
* ``ParamAttrConstraint`` of an exported attribute -> ``irdl.parametric``; of a builtin one ->
  its ``irdl.base``, or the ``irdl.any_of`` of every instance when the parameters allow only a
  few (``IntegerAttr.constr(value=IntSetConstraint(...), type=i64)``); other parameter
  constraints (integer ranges) cannot be stated and are listed in the comment;
* ``IntAttr`` parameters print as ``N : i64`` in the generic spelling (``snn_encoding``), so they
  are ``#builtin.integer``;
* ``VarConstraint`` -> one SSA value shared by its uses: in IRDL a constraint value used twice
  means "the same attribute in both places", so every other use gets its own constraint op;
* properties and attributes -> ``irdl.attributes``, except optional ones (IRDL has none);
  regions -> ``irdl.regions``; traits and Python verifiers -> the comment.
"""

from __future__ import annotations

import io
import keyword
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import (
    ArrayAttr,
    IntAttr,
    IntAttrConstraint,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    SymbolRefAttr,
    i32,
    i64,
)
from xdsl.dialects.irdl import irdl
from xdsl.ir import Attribute, Block, Dialect, Operation, ParametrizedAttribute, Region, SSAValue, TypeAttribute
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
    IRDLOperation,
    MessageConstraint,
    OptionalDef,
    ParamAttrConstraint,
    RangeConstraint,
    RangeLengthConstraint,
    RangeOf,
    SingleBlockRegionDef,
    SingleOf,
    VarConstraint,
    VariadicDef,
)
from xdsl.irdl.constraints import TypeVarConstraint
from xdsl.rewriter import InsertPoint
from xdsl.traits import HasParent, OpTrait
from xdsl.utils.runtime_final import is_runtime_final

from e3ne.ir import ElidingPrinter

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

HEADER = """\
// IRDL of the dialects {names}, generated by e3ne.dialects.irdl (e3ne-opt --emit-irdl).
// Load it into upstream MLIR with `mlir-opt --irdl-file=FILE` (Python: irdl.load_dialects). Upstream then
// checks these dialects' IR printed in generic form with properties as attributes
// (e3ne-opt --print-op-generic --print-no-properties): ops defined in IRDL have no properties.
// A constraint value used twice means the same attribute in both places (xDSL's VarConstraint).
// Integer parameters of attributes (xDSL IntAttr) are spelled `N : i64` (#builtin.integer) here.
// Above each definition: what IRDL cannot state (optional attributes are left out, IRDL has none;
// integer ranges, traits and the Python verifiers are checked by xDSL only)."""


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
    """Upstream wants the alternatives disjoint: an ``irdl.base`` absorbs the others of its base."""
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
class _Translator:
    """xDSL constraints -> constraint trees; remembers whether the last one lost anything."""

    exported: dict[type[Attribute], SymbolRefAttr]
    lossy: bool = False

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


# --------------------------------------------------------------------------- definitions


@dataclass
class _Definition:
    """The body of one ``irdl.operation`` / ``irdl.attribute`` and the notes about it."""

    translator: _Translator
    block: Block = field(default_factory=Block)
    variables: dict[str, SSAValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    builder: Builder = field(init=False)

    def __post_init__(self) -> None:
        self.builder = Builder(InsertPoint.at_end(self.block))

    def constraint(self, what: str, c: AttrConstraint) -> SSAValue:
        self.translator.lossy = False
        value = self.build(self.translator.node(c))
        if self.translator.lossy:
            self.notes.append(f"{what}: {describe(c)}")
        return value

    def build(self, node: _Node) -> SSAValue:
        """Constraint ops for ``node``: new ones on every call, except for shared variables."""
        if isinstance(node, _Var):
            if node.name not in self.variables:
                self.variables[node.name] = self.build(node.inner)
            return self.variables[node.name]
        if isinstance(node, _Any):
            return self.builder.insert(irdl.AnyOp()).output
        if isinstance(node, _Base):
            return self.builder.insert(irdl.BaseOp(node.ref)).output
        if isinstance(node, _Is):
            return self.builder.insert(irdl.IsOp(node.attr)).output
        if isinstance(node, _Parametric):
            params = [self.build(p) for p in node.params]
            return self.builder.insert(irdl.ParametricOp(node.ref, params)).output
        args = [self.build(a) for a in node.args]
        return self.builder.insert(irdl.AnyOfOp(args) if isinstance(node, _AnyOf) else irdl.AllOfOp(args)).output

    def range_constraint(self, what: str, c: RangeConstraint) -> SSAValue:
        if isinstance(c, RangeLengthConstraint) and c.length == EqIntConstraint(1):
            c = c.constraint
        if isinstance(c, RangeOf | SingleOf):
            return self.constraint(what, c.constr)
        self.notes.append(f"{what}: {c!r}")
        return self.builder.insert(irdl.AnyOp()).output


def _name(python_name: str) -> str:
    """``in_`` -> ``in`` (xDSL's field names avoid Python keywords)."""
    return python_name[:-1] if python_name.endswith("_") and keyword.iskeyword(python_name[:-1]) else python_name


def _variadicity(d: object) -> irdl.VariadicityAttr:
    if isinstance(d, OptionalDef):
        return irdl.VariadicityAttr.OPTIONAL
    if isinstance(d, VariadicDef):
        return irdl.VariadicityAttr.VARIADIC
    return irdl.VariadicityAttr.SINGLE


def _trait_name(trait: OpTrait) -> str:
    if isinstance(trait, HasParent):
        return f"HasParent({', '.join(p.name for p in trait.op_types)})"
    return type(trait).__name__


def _has_own_verifier(op: type[IRDLOperation]) -> bool:
    """Whether ``op`` has a ``verify_`` of its own. ``irdl_op_definition`` wraps it (with the declarative
    checks) in a closure over ``custom_verify``, which is ``Operation.verify_`` when there is none."""
    method = op.verify_
    cells = dict(zip(method.__code__.co_freevars, method.__closure__ or (), strict=True))
    custom = cells["custom_verify"].cell_contents if "custom_verify" in cells else method
    return custom is not Operation.verify_


def operation_to_irdl(op: type[IRDLOperation], translator: _Translator) -> tuple[irdl.OperationOp, list[str]]:
    """``irdl.operation`` for ``op`` and what it cannot state."""
    op_def = op.get_irdl_definition()
    d = _Definition(translator)
    for kind, defs, op_cls in (
        ("operand", op_def.operands, irdl.OperandsOp),
        ("result", op_def.results, irdl.ResultsOp),
    ):
        if defs:
            values = [d.range_constraint(f"{kind} {name}", x.constr) for name, x in defs]
            variadicity = irdl.VariadicityArrayAttr(ArrayAttr(_variadicity(x) for _, x in defs))
            names = ArrayAttr(StringAttr(_name(name)) for name, _ in defs)
            d.builder.insert(op_cls(values, variadicity, names))

    attributes: dict[str, SSAValue] = {}
    optional: list[str] = []
    for name, attr_def in {**op_def.properties, **op_def.attributes}.items():
        if isinstance(attr_def, OptionalDef) or attr_def.default_value is not None:
            optional.append(name)
        else:
            attributes[name] = d.constraint(name, attr_def.constr)
    if attributes:
        d.builder.insert(irdl.AttributesOp.get(attributes))
    if optional:
        d.notes.append(f"{', '.join(optional)}: optional (left out)")

    regions: list[tuple[str, SSAValue]] = []
    for name, region_def in op_def.regions:
        if isinstance(region_def, VariadicDef):
            d.notes.append(f"region {name}: {type(region_def).__name__} (IRDL regions are single)")
            continue
        properties: dict[str, Attribute] = {}
        if isinstance(region_def, SingleBlockRegionDef):
            properties["number_of_blocks"] = IntegerAttr(1, i32)
        if region_def.entry_args != RangeOf(AnyAttr()):
            d.notes.append(f"region {name}: entry block arguments {region_def.entry_args!r}")
        region_op = irdl.RegionOp.create(properties=properties, result_types=[irdl.RegionType()])
        regions.append((_name(name), d.builder.insert(region_op).results[0]))
    if regions:
        d.builder.insert(irdl.RegionsOp([v for _, v in regions], ArrayAttr(StringAttr(n) for n, _ in regions)))
    if op_def.successors:
        d.notes.append(f"successors {', '.join(name for name, _ in op_def.successors)}")

    traits = sorted(_trait_name(t) for t in op_def.traits)
    if traits:
        d.notes.append(f"traits: {', '.join(traits)}")
    if _has_own_verifier(op):
        d.notes.append(f"the checks of {op.__name__}.verify_()")
    return irdl.OperationOp(Dialect.split_name(op.name)[1], Region(d.block)), d.notes


def attribute_to_irdl(
    attr: type[ParametrizedAttribute], translator: _Translator
) -> tuple[irdl.AttributeOp | irdl.TypeOp, list[str]]:
    """``irdl.attribute`` (``irdl.type`` for types) for ``attr`` and what it cannot state."""
    d = _Definition(translator)
    params = attr.get_irdl_definition().parameters
    values = [d.constraint(name, param.constr) for name, param in params]
    d.builder.insert(irdl.ParametersOp(values, ArrayAttr(StringAttr(_name(name)) for name, _ in params)))
    notes: Callable[[], list[str]] | None = getattr(attr, "irdl_notes", None)
    if notes is not None:
        d.notes.extend(notes())
    elif attr.verify is not ParametrizedAttribute.verify:
        d.notes.append(f"the checks of {attr.__name__}.verify()")
    cls = irdl.TypeOp if issubclass(attr, TypeAttribute) else irdl.AttributeOp
    return cls(Dialect.split_name(attr.name)[1], Region(d.block)), d.notes


def dialects_to_irdl(dialects: Sequence[Dialect]) -> tuple[ModuleOp, dict[Operation, list[str]]]:
    """One ``irdl.dialect`` per dialect, and the notes of each definition op."""
    exported: dict[type[Attribute], SymbolRefAttr] = {}
    for dialect in dialects:
        for attr in dialect.attributes:
            exported[attr] = SymbolRefAttr(dialect.name, [Dialect.split_name(attr.name)[1]])
    translator = _Translator(exported)
    notes: dict[Operation, list[str]] = {}
    dialect_ops: list[Operation] = []
    for dialect in dialects:
        body = Block()
        for attr in dialect.attributes:
            if not issubclass(attr, ParametrizedAttribute):
                raise ValueError(f"IRDL export: {attr.name} is not a ParametrizedAttribute")
            definition, notes[definition] = attribute_to_irdl(attr, translator)
            body.add_op(definition)
        for op in dialect.operations:
            if not issubclass(op, IRDLOperation):
                raise ValueError(f"IRDL export: {op.name} is not an IRDLOperation")
            definition, notes[definition] = operation_to_irdl(op, translator)
            body.add_op(definition)
        dialect_ops.append(irdl.DialectOp(dialect.name, Region(body)))
    module = ModuleOp(dialect_ops)
    module.verify()
    return module, notes


def _print(op: Operation) -> str:
    out = io.StringIO()
    ElidingPrinter(stream=out).print_op(op)
    return out.getvalue()


def irdl_text(dialects: Sequence[Dialect]) -> str:
    """The IRDL of ``dialects`` as upstream MLIR reads it, commented."""
    module, notes = dialects_to_irdl(dialects)
    lines = [HEADER.format(names=", ".join(d.name for d in dialects))]
    for dialect_op in module.ops:
        assert isinstance(dialect_op, irdl.DialectOp)
        lines.append(f"irdl.dialect @{dialect_op.sym_name.data} {{")
        for definition in dialect_op.body.block.ops:
            name = getattr(definition, "sym_name", StringAttr("?")).data
            if notes[definition]:
                lines.append(f"  // {dialect_op.sym_name.data}.{name}, not stated in IRDL:")
                lines.extend(f"  //   {note}" for note in notes[definition])
            lines.extend(f"  {line}" for line in _print(definition).splitlines())
        lines.append("}")
    return "\n".join(lines) + "\n"


def e3ne_irdl_text() -> str:
    """The IRDL of e3ne's own dialects (``snn``, ``e3ne_hw``); torch-mlir registers ``torch`` itself."""
    from e3ne.dialects import get_all_dialects

    loaders = get_all_dialects()
    return irdl_text([loaders["snn"](), loaders["e3ne_hw"]()])


def write_e3ne_irdl(path: str | None) -> None:
    """Write :func:`e3ne_irdl_text` to ``path`` (stdout when None): ``e3ne-opt --emit-irdl [-o FILE]``."""
    text = e3ne_irdl_text()
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text)


def upstream_text(module: Operation, ctx: Context | None = None) -> str:
    """``module`` in generic form with properties as attributes (what upstream MLIR checks against
    IRDL); with ``ctx``, followed by the ``dense_resource`` blobs it uses."""
    out = io.StringIO()
    printer = ElidingPrinter(stream=out, print_generic_format=True, print_properties_as_attributes=True)
    printer.print_op(module)
    if ctx is not None:
        printer.print_metadata(ctx.loaded_dialects)
    out.write("\n")
    return out.getvalue()
