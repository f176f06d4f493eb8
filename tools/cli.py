"""``e3ne``: compile PyTorch networks into spiking-neural-network FPGA hardware.

Exit codes: 0 success; 1 bad input or options (one-line diagnostic); 2 an internal error;
3 the RTL simulation disagrees with the interpreter.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from e3ne.cosim import counted
from e3ne.errors import E3neError, OneLineArgumentParser, run_reporting_errors
from e3ne.passes.explore import OBJECTIVES
from e3ne.passes.quantize import SCALE_RULES
from e3ne.passes.tile import LINEAR_PLACEMENTS
from e3ne.pipeline import Options
from e3ne.tools.samples import accuracy, check_inputs, rtl_accuracy
from e3ne.tools.samples import samples as sample_inputs

EXIT_MISMATCH = 3

EXAMPLES = """examples:
  e3ne compile --out out/digits                 the embedded default: LeNet-class model on digits
  e3ne compile lenet5 --out out/lenet5 --weight-bits 3 --timesteps 4
  e3ne compile mypkg.models:build --out out/my --calibration calib.npy
  e3ne compile model.mlir --out out/m --calibration calib.npy   (torch or snn dialect)
  e3ne compile model.onnx --out out/m --calibration calib.npy
  e3ne compile mypkg.models:build --out out/my --calibration x.npy --labels y.npy   accuracy: float, interpreter, RTL
  e3ne run out/digits/snn.mlir --input x.npy --output logits.npy
  e3ne simulate out/digits --input x.npy
  e3ne compile --out out/digits --board ulx3s-85f   a bitstream for the ULX3S (out/digits/digits_ulx3s-85f.bit)
  e3ne host out/digits --input x.npy --link uart:/dev/ttyUSB0   the board (default: its Verilator model)
  e3ne report out/digits
"""


SWEEP_SECONDS = 5
"""The accuracy against T (report.html) is swept only when one accuracy run takes less than this."""
CLAMP_WARNING = 0.01
"""Warn when more than this fraction of the sample inputs' values are clamped by the input coding."""


class Console:
    """Progress and summaries with rich; silent with --quiet (errors still go to stderr)."""

    def __init__(self, quiet: bool):
        from rich.console import Console as RichConsole

        self.quiet = quiet
        self.console = RichConsole(stderr=False, highlight=False)
        self.plain = bool(os.environ.get("E3NE_NO_PROGRESS")) or not self.console.is_terminal

    def print(self, *objects: object) -> None:
        if not self.quiet:
            self.console.print(*objects)

    @contextmanager
    def step(self, text: str) -> Iterator[Callable[[str], None]]:
        """A spinner while a step runs, then its time; yields a function to update the text."""
        started = time.perf_counter()
        if self.quiet:
            yield lambda _text: None
            return
        if self.plain:
            self.console.print(f"… {text}")
            yield lambda t: self.console.print(f"  … {t}")
        else:
            with self.console.status(text) as status:
                yield lambda t: status.update(t)
        self.console.print(f"[green]✓[/green] {text} [dim]({time.perf_counter() - started:.1f} s)[/dim]")


# --------------------------------------------------------------------------- compile


def _add_compile(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compile",
        help="compile a model to IR, Verilog and a report",
        description="Compile a model: every stage's .mlir, Verilog, co-simulation, synthesis, report.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "model",
        nargs="?",
        default="digits",
        help="zoo name (digits, lenet5, fang, alexnet, vgg11), package.module:function, .pt2, .onnx or .mlir "
        "(default: digits)",
    )
    p.add_argument("--out", required=True, help="output folder (everything is written there)")
    defaults = Options()
    p.add_argument(
        "--timesteps", type=int, default=defaults.timesteps, help=f"radix timesteps T (default {defaults.timesteps})"
    )
    p.add_argument(
        "--weight-bits", type=int, default=defaults.weight_bits, help=f"weight bits B (default {defaults.weight_bits})"
    )
    p.add_argument(
        "--encoding",
        choices=("radix", "rate", "auto"),
        default="auto",
        help="spike encoding; the hardware is radix, rate runs in the interpreter only (default auto = radix)",
    )
    p.add_argument("--calibration", help="calibration inputs (.npy, shaped like the input, any batch)")
    p.add_argument(
        "--labels",
        metavar="Y.npy|MODULE:FUNCTION",
        help="labels for the accuracy in the report: Y.npy, one integer class per --calibration input, or "
        "package.module:function returning (x, y), whose x are then the samples (default: digits' test split "
        "for digits, else no labels)",
    )
    p.add_argument(
        "--scale-rule", choices=SCALE_RULES, default=defaults.scale_rule, help="how power-of-two scales are chosen"
    )
    p.add_argument("--conv-units", type=int, default=0, help="conv units (default: tile chooses)")
    p.add_argument("--cols", type=int, default=0, help="lanes per conv unit (default: tile chooses)")
    p.add_argument("--lanes", type=int, default=0, help="linear-unit neurons (default: tile chooses)")
    p.add_argument(
        "--linear",
        metavar="{" + ",".join(LINEAR_PLACEMENTS) + "}",
        default=defaults.linear,
        help="where linear layers run: auto = on the conv units when fed by them (kernel = the whole input, "
        "at most 15x15), else on the linear unit; unit = all on the linear unit; conv = on the conv units, "
        f"an error where they cannot (default {defaults.linear})",
    )
    explore = p.add_argument_group(
        "design-space exploration (explore: the engine sizes chosen by the cost model)",
        "With --device or --budget, explore replaces tile: it picks the best configuration inside the "
        "budget for the objective and writes the Pareto front to report.json and pareto.png.",
    )
    explore.add_argument("--device", help=f"device preset, its resources are the budget ({', '.join(_devices())})")
    explore.add_argument(
        "--budget",
        help="resource limits, e.g. lut=20000,ff=30000,bram36=50 (also dsp; LUTs are the device's own, LUT4 on ECP5)",
    )
    explore.add_argument(
        "--objective",
        metavar="{" + ",".join(OBJECTIVES) + "}",
        help="what explore minimises: latency = cycles, area-x-latency = LUT x cycles (default latency)",
    )
    explore.add_argument(
        "--estimate",
        action="store_true",
        help="stop after tiling: print the cost model's estimate and cycles (no Verilog, simulation or synthesis)",
    )
    encoding = p.add_argument_group(
        "encoding selection (select-encoding: radix timesteps per layer)",
        "With --accuracy-budget, select-encoding chooses each activation's timesteps (at most --timesteps) "
        "for the fewest cycles within POINTS of float accuracy on the validation data (with labels) or of "
        "agreement with float (without); default data: digits' training images past the calibration ones, "
        "else the calibration inputs.",
    )
    encoding.add_argument("--accuracy-budget", type=float, metavar="POINTS", help="accuracy points to give up")
    encoding.add_argument(
        "--validation", nargs="+", metavar=("X.npy", "Y.npy"), help="validation inputs (and integer labels)"
    )
    hardware = p.add_argument_group(
        "boards (the AXI shell around the engine, docs/board.md)",
        "Every design gets verilog/e3ne_axi_top.v (AXI4-Lite control, AXI4-Stream in and out) and a FuseSoC "
        "verilog/e3ne.core. With --board, an ECP5 board's bitstream is built here (yosys, nextpnr, ecppack) "
        "and a Xilinx board gets a Vivado script (verilog/build.tcl).",
    )
    hardware.add_argument("--board", help=f"build for this board ({', '.join(_boards())})")
    hardware.add_argument(
        "--pixel-max",
        type=int,
        default=0,
        metavar="N",
        help="the input stream carries 8-bit pixels p, the network input being p / N (e.g. 255; digits: 16), "
        "coded on chip (default: the host sends codes)",
    )
    hardware.add_argument(
        "--weights",
        default="auto",
        metavar="{auto,rom,dram}",
        help="where the weights are: rom = on-chip ROMs; dram = read from DRAM over an AXI4 master port (64-bit) "
        "into per-engine caches (verilog/dram.bin, its layout in report.json; docs/hardware.md 2.6); auto = rom, "
        "unless explore (--device/--budget) finds no design whose ROMs fit (default auto)",
    )
    p.add_argument("--sim-images", type=int, default=50, help="images co-simulated to check the RTL (default 50)")
    p.add_argument("--no-sim", action="store_true", help="skip the Verilator co-simulation check")
    p.add_argument("--no-synth", action="store_true", help="skip Yosys synthesis")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_compile)


def cmd_compile(args: argparse.Namespace) -> int:
    from e3ne.design import check_output_folder, compile_text, failed_in
    from e3ne.design import compile as compile_model
    from e3ne.frontend import load_model

    if args.linear not in LINEAR_PLACEMENTS:  # checked here, not by argparse: one line, not the usage
        raise E3neError(f"error: --linear must be one of {', '.join(LINEAR_PLACEMENTS)}, got {args.linear!r}")
    ui = Console(args.quiet)
    out = Path(args.out)
    check_output_folder(out)  # before minutes of compiling
    # auto: radix at one T, or, with an accuracy budget, radix with a T per layer chosen by select-encoding
    encoding = "radix" if args.encoding == "auto" and args.accuracy_budget is None else args.encoding
    if args.accuracy_budget is not None and encoding == "rate":
        raise E3neError("error: --accuracy-budget chooses radix timesteps per layer: use --encoding auto, not rate")
    if args.objective is not None and args.objective not in OBJECTIVES:  # one line, not argparse's usage
        raise E3neError(f"error: --objective must be one of {', '.join(OBJECTIVES)}, got {args.objective!r}")
    if args.objective is not None and not (args.device or args.budget):
        raise E3neError("error: --objective is what explore minimises: give --device PART or --budget too")
    if args.board is not None:
        from e3ne.board import board

        board(args.board)  # an unknown board is an error before anything is compiled
        if args.estimate or encoding == "rate":
            raise E3neError("error: --board builds the hardware: it cannot go with --estimate or --encoding rate")
    if args.weights not in ("auto", "rom", "dram"):
        raise E3neError(f"error: --weights must be auto, rom or dram, got {args.weights!r}")
    if args.weights == "dram" and args.board is not None:  # (auto: build_board says so if explore chose DRAM)
        from e3ne.board import board as board_spec

        if board_spec(args.board)["flow"] != "vivado":
            raise E3neError(
                f"error: --weights dram with --board {args.board}: weights in DRAM are supported on Vivado boards "
                "only (their PS's DDR); use --weights rom"
            )
    if args.weights == "dram" and encoding == "rate":
        raise E3neError("error: --weights dram places the hardware's weights: it cannot go with --encoding rate")
    if not 0 <= args.pixel_max <= 255:
        raise E3neError(f"error: --pixel-max: pixels are 8-bit, N must be in 1..255, got {args.pixel_max}")
    if args.validation is not None and args.accuracy_budget is None:
        raise E3neError("error: --validation is what select-encoding scores on: give --accuracy-budget POINTS too")
    options = {
        "timesteps": args.timesteps,
        "weight_bits": args.weight_bits,
        "encoding": encoding,
        "scale_rule": args.scale_rule,
        "conv_units": args.conv_units,
        "cols": args.cols,
        "lanes": args.lanes,
        "linear": args.linear,
        "device": args.device or "",
        "budget": args.budget or "",
        "objective": args.objective or OBJECTIVES[0],
        "accuracy_budget": args.accuracy_budget,
        "pixel_max": args.pixel_max,
        "weights": args.weights,
    }
    last = "snn" if encoding == "rate" else ("snn-tiled" if args.estimate else "hw")
    with ui.step(f"loading {args.model}"):
        source = load_model(args.model, args.calibration)
        samples = sample_inputs(source, args.labels)
    validation = _validation(args, source)
    with ui.step("compiling (torch-mlir → snn → e3ne_hw)") as update:

        def on_stage(stage: str) -> None:
            update(f"compiling: {stage}")

        try:
            if source.mlir_text is not None:
                design = compile_text(
                    source.mlir_text, source.mlir_path or args.model, source.calibration, name=source.name,
                    stage=last, on_stage=on_stage, validation=validation, **options,
                )  # fmt: skip
            else:
                design = compile_model(
                    source.model, source.example_input, source.calibration, name=source.name, stage=last,
                    on_stage=on_stage, validation=validation, **options,
                )  # fmt: skip
        except E3neError as err:  # the stages done so far go into --out, and the line says where to look
            raise failed_in(err, out) from None
    with ui.step(f"writing {out}"):
        design.write(out)
    if samples is not None and args.labels is not None:
        check_inputs(samples[0], design)
    clamped = 0.0 if samples is None else design.input_clipping(samples[0])
    if clamped > CLAMP_WARNING:
        ui.print(
            f"[yellow]warning:[/yellow] {clamped:.1%} of the sample inputs' values lie outside the calibrated input "
            "range and are clamped to the end codes: calibrate on inputs like them (--calibration)"
        )
    if samples is not None:
        with ui.step("accuracy / agreement, and against T") as update:
            started = time.perf_counter()
            design.accuracy = accuracy(source, design, samples)
            # the sweep runs the interpreter once per T: only where one run is quick
            sweepable = encoding != "rate" and "snn-folded" in design.compilation.modules
            if sweepable and time.perf_counter() - started < SWEEP_SECONDS:
                design.timestep_sweep(*samples, top=max(8, args.timesteps))
            elif sweepable:
                update(f"accuracy / agreement (no sweep over T: one run took over {SWEEP_SECONDS} s)")
            design.write_report()
    if args.estimate:
        _summary(ui, design, out)
        return 0
    status = 0
    if last == "hw" and not args.no_sim:
        with ui.step("co-simulating the RTL in Verilator") as update:
            x = samples[0] if samples is not None else np.asarray(source.calibration)
            report = design.simulate(x[: args.sim_images])
            update(report.summary())
            if samples is not None and samples[1] is not None and report.outputs is not None:
                design.accuracy.update(rtl_accuracy(report.outputs, samples[1]))
                design.write_report()
        if not report.ok:
            status = EXIT_MISMATCH
    if last == "hw" and not args.no_synth:
        with ui.step("synthesising with Yosys") as update:
            design.synthesize(progress=update)
    if args.board is not None:
        with ui.step(f"building for {args.board}") as update:
            design.build_board(args.board, progress=update)
    _summary(ui, design, out)
    if status == EXIT_MISMATCH:
        print(f"e3ne: error: RTL and interpreter disagree: {design.simulation.get('divergence')}", file=sys.stderr)
    return status


def _device_clock(name: str) -> object:
    from e3ne.passes.explore import device

    return device(name).get("clock_mhz")


def _boards() -> list[str]:
    from e3ne.board import boards

    return list(boards())


def _devices() -> list[str]:
    from e3ne.passes.explore import devices

    return list(devices())


def _validation(args: argparse.Namespace, source) -> tuple[np.ndarray, np.ndarray | None] | None:
    """What select-encoding scores on: --validation, else digits' training images past the
    calibration ones (with labels), else None (the calibration inputs, agreement with float)."""
    if args.accuracy_budget is None:
        return None
    if args.validation:
        if len(args.validation) > 2:
            raise E3neError("error: --validation takes X.npy and, optionally, Y.npy (labels)")
        x = _load_array(args.validation[0], "validation input")
        y = _load_array(args.validation[1], "validation label") if len(args.validation) == 2 else None
        if y is not None and (y.ndim != 1 or len(y) != len(x)):
            raise E3neError(f"error: --validation: {len(x)} inputs need {len(x)} labels (a 1-D array), got {y.shape}")
        return x, y
    if source.name in ("digits", "digits_example"):
        from e3ne.models import DIGITS_CALIBRATION, digits_split

        x_train, y_train, _, _ = digits_split()
        return x_train[DIGITS_CALIBRATION:], y_train[DIGITS_CALIBRATION:]
    return None


def _search_row(search: dict, options: dict) -> str:
    steps = ", ".join(map(str, search["chosen"]))
    return (
        f"T = [{steps}] (input, then each activation): {search['chosen_cycles']:,} cycles "
        f"vs {search['uniform_cycles']:,} at T = {options['timesteps']} everywhere; {len(search['trials'])} trials"
    )


def _explore_row(explore: dict, options: dict) -> str:
    engine = f"{explore['units']} x {explore['cols']} lanes"
    if explore["linear"] == "unit":
        engine += f" + {explore['lanes']} linear"
    return (
        f"{explore['device'] or 'budget'}, {explore['objective']}: {engine} of {explore['legal']:,} legal / "
        f"{explore['considered']:,} configurations, front of {len(explore['front'])} (pareto.png)"
    )


def _estimate_row(estimate: dict, options: dict) -> str:
    return (
        f"{estimate['lut']:,} LUT, {estimate['ff']:,} FF, {estimate['bram36']} BRAM36, 0 DSP; "
        f"{estimate['cycles_per_image']:,} cycles/image ({estimate['seconds']:.2f} s)"
    )


def _latency_row(latency: dict, options: dict) -> str:
    return (
        f"{latency['us_per_image']:,} µs/image, {latency['images_per_s']:,.0f} images/s at {latency['clock_mhz']:g} MHz"
    )


def _board_row(board: dict, options: dict) -> str:
    if "script" in board:
        return f"{board['board']} ({board['part']}): Vivado script {board['script']} (run: {board['run']})"
    comb = board["utilization"].get("TRELLIS_COMB", {"used": 0, "available": 1})
    return (
        f"{board['board']} ({board['part']}): Fmax {board['fmax_mhz']:g} MHz, clock {board['clock_mhz']:g} MHz, "
        f"{board['us_per_image']:,} µs/image, {board['images_per_s']:,.0f} images/s; {comb['used']:,} LUT4 "
        f"({100 * comb['used'] / comb['available']:.1f} %); bitstream {board['bitstream']}"
    )


SUMMARY_SECTIONS = (
    ("encoding_search", "select-encoding", _search_row),
    ("explore", "explore", _explore_row),
    ("estimate", "estimate (cost model)", _estimate_row),
    ("latency", "latency (estimate)", _latency_row),
    ("board", "board", _board_row),
)
"""Report sections the compile summary and ``e3ne report`` show when present: key, label, how to
show it (from the section and the report's options)."""


def _summary(ui: Console, design, out: Path) -> None:
    from rich.table import Table

    data = design.report()
    table = Table(title=f"e3ne: {design.name}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    opts = design.options
    table.add_row("options", f"{opts.encoding}, T = {opts.timesteps}, {opts.weight_bits}-bit weights")
    if opts.device:
        clock = _device_clock(opts.device)
        table.add_row("device", f"{opts.device} (typical clock {clock} MHz)")
    labels = {
        "float": "accuracy, float (PyTorch)",
        "quantized_interpreter": "accuracy, quantized (interpreter)",
        "float_vs_quantized_agreement": "float / quantized agreement",
        "images": "images evaluated",
        "rtl_sample": "accuracy, RTL (co-simulated images)",
        "rtl_images": "images co-simulated",
    }
    for key, value in design.accuracy.items():
        shown = f"{value:.2%}" if isinstance(value, float) else str(value)
        table.add_row(labels.get(key, key), shown)
    for key, label, shown in SUMMARY_SECTIONS:
        section = data.get(key)
        if isinstance(section, dict):
            table.add_row(label, shown(section, data["options"]))
    if "cycles_per_image_model" in data:
        table.add_row(
            "cycles / image (model)", f"{data['cycles_per_image_model']:,} (ideal {data['ideal_cycles_per_image']:,})"
        )
    if design.simulation:
        sim = design.simulation
        table.add_row(
            "co-simulation",
            f"{counted(sim['images'], 'image')}, {counted(sim['mismatches'], 'mismatch')}, "
            f"{sim['cycles_per_image']:,.0f} cycles/image",
        )
    if design.synthesis:
        s = design.synthesis
        table.add_row(
            "resources",
            f"{s['lut']:,} LUT, {s['ff']:,} FF, {s['carry']} CARRY, {s['bram36']} BRAM36 "
            f"({s['rom']['bram36']} ROM), {s['dsp']} DSP, {s['latches']} latches",
        )
    table.add_row("compile time", f"{design.timings.get('total', 0):.1f} s")
    built = "verilog/, " if design.compilation.stage == "hw" else ""
    table.add_row("files", f"{out}/ (report.html, {built}NN-<stage>.mlir)")
    ui.print(table)


# --------------------------------------------------------------------------- run / simulate / report


def _load_array(path: str, what: str) -> np.ndarray:
    p = Path(path)
    if not p.is_file():
        raise E3neError(f"error: {what} file not found: {p}")
    try:
        return np.load(p)
    except (ValueError, OSError) as err:
        raise E3neError(f"error: cannot read {p} as .npy: {err}") from None


def _check_output(path: str) -> None:
    """``--output`` names a .npy file to write (``np.save`` would add .npy to any other name)."""
    if not path.endswith(".npy") or Path(path).is_dir():
        raise E3neError(f"error: --output {path}: name a .npy file")


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run an snn .mlir module in the interpreter", epilog=EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("model", help="an snn-dialect .mlir file (quantized or float)")
    p.add_argument("--input", required=True, help="inputs (.npy, shaped like the network's input, any batch)")
    p.add_argument("--output", help="write the outputs (.npy); by default print them")
    p.add_argument("--classes", action="store_true", help="output class indices (argmax) instead of logits")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(run=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    import e3ne.interpreters as interpreters
    from e3ne.design import detect_stage
    from e3ne.errors import verify_module
    from e3ne.ir import parse_module, read_text

    if args.output:
        _check_output(args.output)
    text = read_text(args.model)
    stage = detect_stage(text, args.model)
    if stage not in ("snn-float", "snn-folded", "snn"):
        raise E3neError(f"error: {args.model}: e3ne run runs snn IR, this is {stage} IR (e3ne compile it first)")
    module = parse_module(text, args.model)
    verify_module(module)
    x = interpreters.network_inputs(module, _load_array(args.input, "input"), args.input)
    y = interpreters.predict(module, x)
    if args.classes:
        y = np.argmax(y, axis=1)
    if args.output:
        np.save(args.output, y)
    elif not args.quiet:
        np.set_printoptions(threshold=sys.maxsize, linewidth=200)
        print(y)
    return 0


def _add_host(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("host", help="run images on a board (or the shell's Verilator model) with e3ne.host",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("design", help="the output folder of e3ne compile")
    p.add_argument("--input", required=True, help="inputs (.npy, float, shaped like the network's input)")
    p.add_argument(
        "--link",
        default="verilator",
        help="verilator (the shell's Verilator model, default), uart:PORT[@BAUD] (e.g. uart:/dev/ttyUSB0, "
        "the ULX3S), or pynq:BITSTREAM (on a PYNQ board)",
    )
    p.add_argument("--output", help="write the logits (.npy)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(run=cmd_host)


def _link(spec: str, folder: Path):
    from e3ne import host

    kind, _, rest = spec.partition(":")
    if kind == "verilator" and not rest:
        return host.VerilatorLink(folder)
    if kind == "uart" and rest:
        port, _, baud = rest.partition("@")
        if baud and not baud.isdigit():
            raise E3neError(f"error: --link {spec}: the baud rate must be a number")
        return host.UartLink(port, int(baud or host.read_host_info(folder).get("uart_baud", 115200)))
    if kind == "pynq" and rest:
        return host.PynqLink(rest)
    raise E3neError(f"error: --link must be verilator, uart:PORT[@BAUD] or pynq:BITSTREAM, got {spec!r}")


def cmd_host(args: argparse.Namespace) -> int:
    import e3ne.interpreters as interpreters
    from e3ne.design import SNN_FILE
    from e3ne.host import Accelerator
    from e3ne.ir import parse_file

    ui = Console(args.quiet)
    folder = Path(args.design)
    x = _load_array(args.input, "input").astype(np.float64)
    with ui.step(f"running {len(x)} images through {args.link}") as update:
        with Accelerator.open(folder, _link(args.link, folder)) as acc:
            result = acc.run(x)
        want = interpreters.predict(parse_file(folder / SNN_FILE), x)
        bad = int((result.logits != want).any(axis=1).sum())
        summary = (f"{len(x)} images, {bad} differ from the interpreter, "
                   f"{result.cycles.mean():,.0f} cycles/image (CYCLES register)")  # fmt: skip
        update(summary)
    if args.output:
        np.save(args.output, result.logits)
    ui.print(summary)
    if bad:
        print("e3ne: error: the board's logits differ from the interpreter's", file=sys.stderr)
        return EXIT_MISMATCH
    return 0


def _add_simulate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="co-simulate a compiled design's RTL against the interpreter",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("design", help="the output folder of e3ne compile")
    p.add_argument("--input", required=True, help="inputs (.npy)")
    p.add_argument("--output", help="write the RTL's outputs (.npy)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(run=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:
    import e3ne.interpreters as interpreters
    from e3ne.cosim import cosimulate
    from e3ne.design import SNN_FILE
    from e3ne.ir import parse_file
    from e3ne.lowering.hw_to_verilog import find_engine

    if args.output:
        _check_output(args.output)
    ui = Console(args.quiet)
    folder = Path(args.design)
    hw_files = sorted(folder.glob("*-hw.mlir"))
    tiled_files = sorted(folder.glob("*-snn-tiled.mlir"))
    if not (folder / SNN_FILE).is_file() or not hw_files or not tiled_files or not (folder / "verilog").is_dir():
        needs = f"{SNN_FILE}, NN-snn-tiled.mlir, NN-hw.mlir and verilog/"
        raise E3neError(f"error: {folder} is not an e3ne compile output (needs {needs})")
    snn_module = parse_file(folder / SNN_FILE)
    tiled_module = parse_file(tiled_files[-1])
    params = find_engine(parse_file(hw_files[-1])).core_params()
    x = interpreters.network_inputs(snn_module, _load_array(args.input, "input"), args.input)
    with ui.step(f"co-simulating {len(x)} images") as update:
        report = cosimulate(snn_module, tiled_module, folder / "verilog", x, params)
        update(report.summary())
    if args.output:
        np.save(args.output, report.cycles)
    ui.print(report.summary())
    if not report.ok:
        print(f"e3ne: error: RTL and interpreter disagree: {report.divergence}", file=sys.stderr)
        return EXIT_MISMATCH
    return 0


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="print the report of a compiled design")
    p.add_argument("design", help="the output folder of e3ne compile")
    p.add_argument("--json", action="store_true", help="print report.json as is")
    p.set_defaults(run=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console as RichConsole
    from rich.table import Table

    path = Path(args.design) / "report.json"
    if not path.is_file():
        raise E3neError(f"error: no report.json in {args.design} (run e3ne compile --out {args.design})")
    data = json.loads(path.read_text())
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    console = RichConsole(highlight=False)
    if data.get("layers"):
        table = Table(title=f"{data['name']}: layers")
        for key in data["layers"][0]:
            table.add_column(key, justify="right")
        for row in data["layers"]:
            table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row.values()))
        console.print(table)
    options = data.get("options", {})
    for key, label, shown in SUMMARY_SECTIONS:
        section = data.get(key)
        if isinstance(section, dict):
            console.print(f"[bold]{label}[/bold]: {shown(section, options)}")
    estimate = data.get("estimate")
    if isinstance(estimate, dict):
        blocks = ", ".join(
            f"{name} {row['lut']:,}/{row['ff']:,}/{row['bram36']}" for name, row in estimate["blocks"].items()
        )
        console.print(f"[bold]estimate per block[/bold] (LUT/FF/BRAM36): {blocks}")
    for section in ("accuracy", "simulation", "synthesis", "timings_s"):
        if section in data:
            console.print(f"[bold]{section}[/bold]: " + ", ".join(f"{k} {v}" for k, v in data[section].items()))
    return 0


# --------------------------------------------------------------------------- main


def parser() -> argparse.ArgumentParser:
    root = OneLineArgumentParser(
        prog="e3ne",
        description="Compile trained PyTorch networks into radix-encoded spiking-neural-network FPGA hardware.",
        epilog=EXAMPLES + "\nexit codes: 0 ok, 1 bad input, 2 internal error, 3 RTL/interpreter mismatch",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="{compile,run,simulate,report}")
    _add_compile(sub)
    _add_run(sub)
    _add_simulate(sub)
    _add_host(sub)
    _add_report(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    args = parser().parse_args(argv)
    status = 0

    def body() -> None:
        nonlocal status
        status = args.run(args)

    code = run_reporting_errors(body, "e3ne")
    return code or status


if __name__ == "__main__":
    sys.exit(main())
