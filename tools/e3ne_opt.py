"""``e3ne-opt``: xDSL's modular optimizer driver with e3ne's dialects, passes and targets.

It registers exactly what e3ne's ``xdsl.universe`` plugin (:mod:`e3ne.universe`) gives stock
``xdsl-opt``, plus the xDSL dialects and passes e3ne flows use. Differences from ``xdsl-opt``:
only those are registered (``--help`` lists them), every parsed op remembers its
``file:line:col``, and bad input ends in a one-line diagnostic with exit code 1.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
import types
from collections.abc import Callable, Sequence
from typing import IO, cast

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.transforms import get_all_passes as get_xdsl_passes
from xdsl.utils.arg_spec import parse_spec
from xdsl.utils.exceptions import ArgSpecParseError
from xdsl.utils.target import Target
from xdsl.xdsl_opt_main import xDSLOptMain

from e3ne.errors import E3neError, OneLineArgumentParser, run_reporting_errors, verify_module
from e3ne.ir import XDSL_DIALECTS, LocatingParser, make_context, print_module
from e3ne.universe import E3NE_UNIVERSE

XDSL_PASSES = {
    "canonicalize": "xDSL: apply canonicalization patterns",
    "cse": "xDSL: eliminate common subexpressions",
    "dce": "xDSL: remove dead operations",
}


def _registry_help(passes: dict[str, Callable[[], type[ModulePass]]]) -> str:
    """The dialects and passes, with the first line of each pass's docstring."""
    dialects = [*XDSL_DIALECTS, *E3NE_UNIVERSE.all_dialects]
    lines = ["dialects: " + ", ".join(dialects), "", "passes (-p a,b{option=value}):"]
    for name, loader in passes.items():
        doc = XDSL_PASSES.get(name) or (loader().__doc__ or "").strip().splitlines()[0]
        lines.append(f"  {name:<24} {doc}")
    lines += ["", "example: e3ne-opt model.mlir -p 'fold-batchnorm,canonicalize' -o out.mlir"]
    return "\n".join(lines)


class E3neOptMain(xDSLOptMain):
    def __init__(self, description: str, args: Sequence[str] | None = None):
        self._argv = args
        super().__init__(description=description, args=args)

    def register_all_dialects(self) -> None:
        self.ctx = make_context()

    def register_all_passes(self) -> None:
        xdsl_passes = get_xdsl_passes()
        for name in XDSL_PASSES:
            self.register_pass(name, xdsl_passes[name])
        for name, loader in E3NE_UNIVERSE.all_passes.items():
            self.register_pass(name, loader)

    _chunk_line = 1

    def register_all_frontends(self) -> None:
        def parse_mlir(stream: IO[bytes]) -> ModuleOp:
            try:
                text = stream.read().decode()
            except UnicodeDecodeError as err:
                raise E3neError(
                    f"error: {self.get_input_name()}: not MLIR text (byte {err.start} is not UTF-8)"
                ) from None
            parser = LocatingParser(self.ctx, text, self.get_input_name(), self._chunk_line)
            return parser.parse_module(not self.args.no_implicit_module)

        self.available_frontends["mlir"] = parse_mlir

    def prepare_input(self) -> tuple[list[tuple[IO[bytes], int]], str]:
        try:
            return super().prepare_input()
        except ValueError as err:  # xDSL: "Unrecognized file extension 'txt'"
            raise E3neError(
                f"error: {self.get_input_name()}: {err} (e3ne-opt reads MLIR text: name the file .mlir or "
                "pass --frontend mlir)"
            ) from None

    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0) -> ModuleOp | None:
        # With --split-input-file, ops keep their line numbers in the whole file.
        self._chunk_line = 1 + start_offset
        return super().parse_chunk(chunk, file_extension, start_offset)

    def setup_pipeline(self) -> None:
        """As xDSL's, but verification failures name the op and its source position."""
        started = time.perf_counter()

        def callback(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
            nonlocal started
            if self.args.time_passes and previous is not None:
                print(f"Pass {previous.name} took {time.perf_counter() - started} seconds", file=sys.stderr)
            if not self.args.disable_verify:
                verify_module(module)
            if previous is not None and following is not None and self.args.print_between_passes:
                print(f"// -----// IR after {previous.name} //----- //", file=sys.stderr)
                print(print_module(module, elide_above=self.args.elide_elements_above), file=sys.stderr)
            started = time.perf_counter()

        self.check_target()
        try:
            self.pipeline = PassPipeline.parse_spec(self.available_passes, self.args.passes, callback)
        except ValueError as err:
            raise E3neError(f"error: bad pass pipeline '{self.args.passes}': {err}") from None
        except ArgSpecParseError as err:
            # xDSL's message is the spec with a caret under the bad token; keep its last line.
            detail = str(err).strip().splitlines()[-1].strip()
            hint = ' (string options need quotes: calibration="x.npy")' if detail == "Unknown token" else ""
            raise E3neError(f"error: bad pass pipeline '{self.args.passes}': {detail}{hint}") from None

    def check_target(self) -> None:
        """A target with bad options is a one-line error before any pass runs."""
        spec = parse_spec(self.args.target)
        factory = self.available_targets.get(spec.name)
        if factory is None or inspect.signature(factory).parameters:
            return  # unknown names are argparse's to report; legacy targets take no options
        try:
            cast(Callable[[], type[Target]], factory)().from_spec(spec)
        except (ValueError, TypeError) as err:
            raise E3neError(f"error: bad target '{self.args.target}': {err}") from None

    def register_all_targets(self) -> None:
        from xdsl.targets import get_all_targets

        self.available_targets["mlir"] = get_all_targets()["mlir"]
        self.available_targets.update(E3NE_UNIVERSE.all_targets)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.prog = "e3ne-opt"
        arg_parser.error = types.MethodType(OneLineArgumentParser.error, arg_parser)  # one line, exit code 1
        arg_parser.add_argument(
            "--elide-elements-above",
            type=int,
            default=0,
            metavar="N",
            help="print dense weights with more than N elements as dense_resource<__elided__>",
        )
        arg_parser.add_argument(
            "--emit-irdl",
            action="store_true",
            help="print the IRDL of the snn and e3ne_hw dialects (for mlir-opt --irdl-file) instead of reading input",
        )
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        if {"-h", "--help"} & set(sys.argv[1:] if self._argv is None else self._argv):
            arg_parser.epilog = _registry_help(self.available_passes)

    def run(self) -> None:
        if self.args.emit_irdl:
            from e3ne.dialects.irdl import write_e3ne_irdl

            return write_e3ne_irdl(self.args.output_file)
        return super().run()

    def output_resulting_program(self, prog: ModuleOp) -> str:
        if self.args.target == "mlir" and not (self.args.print_debuginfo or self.args.print_no_properties):
            # as xDSL's mlir target writes it (a blank line at the end), so the two tools agree byte for byte
            text = print_module(
                prog, self.args.print_op_generic, ctx=self.ctx, elide_above=self.args.elide_elements_above
            )
            return text + "\n"
        return super().output_resulting_program(prog)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``e3ne-opt``."""
    return run_reporting_errors(
        lambda: E3neOptMain(description="e3ne modular optimizer driver (xDSL)", args=argv).run(), "e3ne-opt"
    )


if __name__ == "__main__":
    sys.exit(main())
