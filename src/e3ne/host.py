"""The host driver: images in, logits and cycles out, on a board or on the shell's Verilator model.

:class:`Accelerator` knows the shell's registers and streams (docs/board.md) and nothing of how
they are reached; a *link* moves words and bytes:

* :class:`VerilatorLink`: the Verilator model of ``e3ne_axi_top`` (built on first use), so the
  tests run the very code a board runs;
* :class:`UartLink`: a board whose link is a serial line, through ``rtl/e3ne_uart_bridge.v``
  (the ULX3S bitstream of ``e3ne compile --board ulx3s-85f``);
* :class:`PynqLink`: a Zynq board under PYNQ (``--board pynq-z2`` / ``zcu104``): the registers
  through MMIO, the streams through the AXI DMA.

Example::

    from e3ne.host import Accelerator, VerilatorLink
    with Accelerator.open("out/digits", VerilatorLink("out/digits")) as acc:
        result = acc.run(x)          # float inputs (N, C, H, W), encoded on the host
        result.logits, result.cycles
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from e3ne import reference as ref
from e3ne.errors import E3neError

DRAM_IMAGE = "dram.bin"
"""A design's weight image when its weights are in DRAM (written next to its Verilog)."""
HOST_FILE = "host.json"
"""What the driver needs to know of a design, written next to its Verilog."""

CTRL, STATUS, IER, ISR, ERRORS, CYCLES, IMAGES, ID, IN_COUNT, N_OUT, CONFIG, DRAM_BASE = range(0, 48, 4)
"""The shell's register addresses (rtl/e3ne_shell.v)."""
SHELL_ID = 0xE3AE0001
ERROR_NAMES = ("TLAST early", "TLAST missing", "code out of range", "output index out of range")


class Link(Protocol):
    """How the driver reaches a shell: its registers, its input stream, its output stream."""

    def write(self, address: int, value: int) -> None: ...
    def read(self, address: int) -> int: ...
    def send(self, beats: np.ndarray) -> None:
        """One image's beats (uint8), TLAST on the last."""
        ...

    def receive(self, count: int) -> np.ndarray:
        """``count`` words of the output stream (int32), TLAST on the last."""
        ...

    def close(self) -> None: ...


def write_host_info(directory: Path, info: dict[str, Any]) -> Path:
    path = directory / HOST_FILE
    path.write_text(json.dumps(info, indent=2) + "\n")
    return path


def _verilog_dir(design: str | Path) -> Path:
    path = Path(design)
    return path / "verilog" if (path / "verilog" / HOST_FILE).exists() else path


def read_host_info(design: str | Path) -> dict[str, Any]:
    path = _verilog_dir(design) / HOST_FILE
    if not path.exists():
        raise E3neError(f"error: {design}: no {HOST_FILE}: not a design folder written by e3ne compile")
    return json.loads(path.read_text())


@dataclass
class Result:
    logits: np.ndarray  # (N, n_out) int64
    cycles: np.ndarray  # (N,) the core's cycles per image, read from the CYCLES register

    @property
    def classes(self) -> np.ndarray:
        return np.argmax(self.logits, axis=1)


class Accelerator:
    """A compiled design running behind its shell, reached through ``link``."""

    def __init__(self, info: dict[str, Any], link: Link):
        self.info = info
        self.link = link
        self.check()

    @classmethod
    def open(cls, design: str | Path, link: Link) -> Accelerator:
        """The design written in folder ``design`` (by ``e3ne compile``), behind ``link``. A design
        whose weights are in DRAM has its image (``dram.bin``) loaded first (:meth:`load_weights`)."""
        accelerator = cls(read_host_info(design), link)
        if accelerator.info.get("weights") == "dram":
            accelerator.load_weights((_verilog_dir(design) / DRAM_IMAGE).read_bytes())
        return accelerator

    def load_weights(self, image: bytes) -> int:
        """Put a weight image (``dram.bin``, docs/hardware.md 2.6) in DRAM through the link and give the
        shell its address (``DRAM_BASE``); returns the address. New weights need no new bitstream."""
        load = getattr(self.link, "load_dram", None)
        if load is None:
            raise E3neError(f"error: the weights are in DRAM and {type(self.link).__name__} cannot load them")
        address = int(load(image))
        if address % 4096:
            raise E3neError(f"error: the weight image is at {address:#x}, not 4 KB aligned")
        self.link.write(DRAM_BASE, address)
        if self.link.read(DRAM_BASE) != address:
            raise E3neError("error: the shell has no DRAM_BASE register (a design with its weights in ROMs?)")
        return address

    def __enter__(self) -> Accelerator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.link.close()

    def check(self) -> None:
        """The shell is there and is the one of this design (one line naming the difference)."""
        found = self.link.read(ID)
        if found != SHELL_ID:
            raise E3neError(f"error: no e3ne shell answers (ID register {found:#010x}, want {SHELL_ID:#010x})")
        for register, key in ((IN_COUNT, "in_count"), (N_OUT, "n_out")):
            value = self.link.read(register)
            if value != self.info[key]:
                raise E3neError(
                    f"error: the shell is another design's: {key} {value}, this design has {self.info[key]}"
                )

    def beats(self, x: np.ndarray) -> np.ndarray:
        """The stream beats of float inputs ``x`` (N, C, H, W): codes, or pixels for an on-chip encoder.

        With the encoder, ``x`` must be pixel values ``p / pixel_max`` (:func:`e3ne.reference.pixel_values`).
        """
        x = np.asarray(x, dtype=np.float64)
        shape = tuple(self.info["input_shape"])
        if x.shape[1:] != shape:
            raise E3neError(f"error: inputs of shape {x.shape[1:]}, the design takes {shape}")
        if self.info["encoder"]:
            pixels = np.rint(x * self.info["pixel_max"])
            if not np.array_equal(ref.pixel_values(pixels, self.info["pixel_max"]), x.astype(np.float32)):
                raise E3neError(
                    f"error: the shell codes 8-bit pixels on chip: inputs must be p / {self.info['pixel_max']} "
                    "(float32) for integer p in 0..255"
                )
            return pixels.astype(np.uint8).reshape(len(x), -1)
        encode = ref.Encode(self.info["step"], self.info["code_bits"], signed=bool(self.info.get("signed", False)))
        return encode.stored_codes(x).astype(np.uint8).reshape(len(x), -1)

    def run_beats(self, beats: np.ndarray) -> Result:
        """Run images given as stream beats (N, in_count) uint8."""
        beats = np.asarray(beats, dtype=np.uint8).reshape(len(beats), -1)
        logits = np.zeros((len(beats), self.info["n_out"]), dtype=np.int64)
        cycles = np.zeros(len(beats), dtype=np.int64)
        for i, image in enumerate(beats):
            self.link.send(image)
            logits[i] = self.link.receive(self.info["n_out"])
            cycles[i] = self.link.read(CYCLES)
        errors = self.link.read(ERRORS)
        if errors:
            names = [n for bit, n in enumerate(ERROR_NAMES) if errors >> bit & 1]
            raise E3neError(f"error: the shell flagged {', '.join(names)} (ERRORS = {errors:#x})")
        return Result(logits, cycles)

    def run(self, x: np.ndarray) -> Result:
        """Run float inputs ``x`` (N, C, H, W): encoded here (or pixels), logits and cycles back."""
        return self.run_beats(self.beats(x))


class VerilatorLink:
    """The Verilator model of a design's ``e3ne_axi_top``, driven through a small C++ harness
    (``e3ne/data/host_harness.cpp``) over pipes; built once per design into ``verilog/obj_host``."""

    def __init__(self, design: str | Path, timeout_cycles: int = 1_000_000_000):
        self.directory = _verilog_dir(design)
        binary = build_host_model(self.directory)
        self.process = subprocess.Popen(
            [str(binary.resolve())],
            cwd=self.directory,  # $readmemh finds the memory images here
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "E3NE_HOST_TIMEOUT": str(timeout_cycles)},
        )

    def _ask(self, line: str) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if not answer:
            raise E3neError("error: the Verilator model of the shell stopped")
        if answer[0] == "E":
            raise E3neError("error: the shell's model: " + " ".join(answer[1:]))
        return answer

    def write(self, address: int, value: int) -> None:
        self._ask(f"W {address} {value & 0xFFFFFFFF}")

    def read(self, address: int) -> int:
        return int(self._ask(f"R {address}")[1])

    def send(self, beats: np.ndarray) -> None:
        self._ask(f"S {len(beats)} " + " ".join(str(int(b)) for b in beats))

    def receive(self, count: int) -> np.ndarray:
        return np.array([int(v) for v in self._ask(f"O {count}")[1:]], dtype=np.int64)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("Q\n")
            self.process.stdin.close()
            self.process.wait()


def build_host_model(directory: Path, jobs: int = 2) -> Path:
    """Build (or reuse) the Verilator model of the shell in ``directory`` with the host harness."""
    from e3ne.simulate import verilate

    harness = resources.files("e3ne").joinpath("data/host_harness.cpp").read_text()
    options = ["--cc", "--exe", "--build", "--top-module", "e3ne_axi_top"]
    return verilate(directory, "obj_host", "e3ne_host_sim", options, ["obj_host/host_harness.cpp"],
                    "the shell's model", {"host_harness.cpp": harness}, jobs)  # fmt: skip


class UartLink:
    """A board whose shell sits behind ``rtl/e3ne_uart_bridge.v`` on a serial port (pyserial).

    The byte protocol (docs/board.md) is in :func:`uart_write`, :func:`uart_read` and
    :func:`uart_image`, which the bridge's own test speaks too.
    """

    def __init__(self, port: str, baud: int = 115200, timeout: float = 5.0):
        import serial  # pyserial

        try:
            self.port = serial.Serial(port, baud, timeout=timeout)
        except serial.SerialException as e:
            raise E3neError(f"error: cannot open the serial port {port}: {e.strerror or e}") from None
        self.port.reset_input_buffer()

    def _read(self, n: int) -> bytes:
        data = self.port.read(n)
        if len(data) != n:
            raise E3neError(f"error: {self.port.port}: the board sent {len(data)} of {n} bytes (is it programmed?)")
        return data

    def write(self, address: int, value: int) -> None:
        self.port.write(uart_write(address, value))
        if self._read(1) != b"K":
            raise E3neError(f"error: {self.port.port}: the board did not acknowledge a register write")

    def read(self, address: int) -> int:
        self.port.write(uart_read(address))
        return int.from_bytes(self._read(4), "little")

    def send(self, beats: np.ndarray) -> None:
        self.port.write(uart_image(beats))

    def receive(self, count: int) -> np.ndarray:
        return uart_words(self._read(4 * count))

    def close(self) -> None:
        self.port.close()


def uart_write(address: int, value: int) -> bytes:
    return b"W" + bytes([address]) + (value & 0xFFFFFFFF).to_bytes(4, "little")


def uart_read(address: int) -> bytes:
    return b"R" + bytes([address])


def uart_image(beats: np.ndarray) -> bytes:
    return b"I" + np.asarray(beats, dtype=np.uint8).tobytes()


def uart_words(data: bytes) -> np.ndarray:
    """Logits from the bridge: 4 bytes each, least significant first, signed."""
    return np.frombuffer(data, dtype="<i4").astype(np.int64)


class PynqLink:
    """A Zynq board under PYNQ, with the bitstream and .hwh of ``--board pynq-z2`` (or ``zcu104``).

    The shell's registers are the MMIO of the block design's ``e3ne`` cell, the streams the two
    channels of its AXI DMA ``dma`` (the names build.tcl gives them).
    Runs on the board only (it needs the ``pynq`` package there).
    """

    def __init__(self, bitstream: str | Path, ip: str = "e3ne", dma: str = "dma"):
        try:
            from pynq import Overlay, allocate  # type: ignore[import-not-found]
        except ImportError as e:
            raise E3neError("error: PynqLink runs on a PYNQ board (the pynq package is not installed here)") from e
        self.overlay = Overlay(str(bitstream))
        self.mmio = getattr(self.overlay, ip).mmio
        self.dma = getattr(self.overlay, dma)
        self._allocate = allocate

    def write(self, address: int, value: int) -> None:
        self.mmio.write(address, value & 0xFFFFFFFF)

    def read(self, address: int) -> int:
        return int(self.mmio.read(address))

    def send(self, beats: np.ndarray) -> None:
        buffer = self._allocate(shape=(len(beats),), dtype=np.uint8)
        buffer[:] = beats
        self.dma.sendchannel.transfer(buffer)
        self.dma.sendchannel.wait()
        buffer.freebuffer()

    def receive(self, count: int) -> np.ndarray:
        buffer = self._allocate(shape=(count,), dtype=np.int32)
        self.dma.recvchannel.transfer(buffer)
        self.dma.recvchannel.wait()
        words = np.array(buffer, dtype=np.int64)
        buffer.freebuffer()
        return words

    def load_dram(self, image: bytes) -> int:
        """The weight image in a physically contiguous buffer (kept while the link lives); its address."""
        buffer = self._allocate(shape=(max(1, len(image)),), dtype=np.uint8)
        buffer[: len(image)] = np.frombuffer(image, dtype=np.uint8)
        buffer.flush()
        self._weights = buffer
        return int(buffer.physical_address)

    def close(self) -> None:
        pass
