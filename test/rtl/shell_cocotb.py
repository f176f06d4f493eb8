"""cocotb tests of the AXI shell around a compiled network (run by test_shell.py, not by pytest itself).

The case file named by E3NE_SHELL_CASE holds the input beats of some images, the interpreter's
logits for them and the exact cycle model's cycles per image; every test drives the shell only
through its AXI4-Lite and AXI4-Stream ports (cocotbext-axi), with random back-pressure.
"""

from __future__ import annotations

import json
import os
import random
from itertools import pairwise
from typing import Any

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge, with_timeout
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource

CTRL, STATUS, IER, ISR, ERRORS, CYCLES, IMAGES, ID, IN_COUNT, N_OUT, CONFIG, DRAM_BASE = range(0, 48, 4)


def _case() -> dict[str, Any]:
    with open(os.environ["E3NE_SHELL_CASE"]) as f:
        return json.load(f)


def _pauses(seed: int, busy: float):
    rng = random.Random(seed)
    while True:
        yield rng.random() < busy


class Bench:
    def __init__(self, dut: Any, seed: int, busy_in: float = 0.3, busy_out: float = 0.5):
        self.dut = dut
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axi_ctrl"), dut.aclk, dut.aresetn, False)
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis_in"), dut.aclk, dut.aresetn, False)
        self.sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis_out"), dut.aclk, dut.aresetn, False)
        if busy_in:
            self.source.set_pause_generator(_pauses(seed, busy_in))
        if busy_out:
            self.sink.set_pause_generator(_pauses(seed + 1, busy_out))

    async def reset(self) -> None:
        cocotb.start_soon(Clock(self.dut.aclk, 10, unit="ns").start())
        self.dut.aresetn.value = 0
        await ClockCycles(self.dut.aclk, 4)
        self.dut.aresetn.value = 1
        await ClockCycles(self.dut.aclk, 4)

    async def send(self, beats: list[int]) -> None:
        """One frame: TLAST on its last beat."""
        await self.source.send(AxiStreamFrame(bytes(beats)))

    async def logits(self, timeout_us: float) -> list[int]:
        frame = await with_timeout(self.sink.recv(), timeout_us, "us")
        data = bytes(frame.tdata)
        return [int.from_bytes(data[i : i + 4], "little", signed=True) for i in range(0, len(data), 4)]

    async def read(self, address: int) -> int:
        return await self.axil.read_dword(address)

    async def write(self, address: int, value: int) -> None:
        await self.axil.write_dword(address, value)


def _timeout(case: dict[str, Any]) -> int:
    return 20 * max(case["cycles"]) // 100 + 100  # µs at 100 MHz, generous; whole µs (the time step)


@cocotb.test()
async def identifies_itself(dut: Any) -> None:
    case = _case()
    bench = Bench(dut, 0)
    await bench.reset()
    assert await bench.read(ID) == 0xE3AE0001
    assert await bench.read(IN_COUNT) == len(case["images"][0])
    assert await bench.read(N_OUT) == len(case["logits"][0])
    config = await bench.read(CONFIG)
    assert config & 0xFF == case["code_bits"]
    assert (config >> 16) & 1 == case["encoder"]
    assert (config >> 17) & 1 == 0  # the weights are in ROMs
    assert await bench.read(DRAM_BASE) == 0
    await bench.write(DRAM_BASE, 0x3F21_5000)
    assert await bench.read(DRAM_BASE) == 0x3F21_5000  # (a register the host sets for DRAM weights)
    await bench.axil.write_byte(DRAM_BASE + 3, 0x12)
    assert await bench.read(DRAM_BASE) == 0x1221_5000
    assert await bench.read(STATUS) & 0b1111 == 0b1000  # idle
    assert await bench.read(CTRL) == 1  # RUN after reset


@cocotb.test()
async def images_back_to_back_under_backpressure(dut: Any) -> None:
    """Every image's logits equal the interpreter's; cycles equal the exact model's."""
    case = _case()
    bench = Bench(dut, 1)
    await bench.reset()
    for beats in case["images"]:
        await bench.send(beats)
    for i, want in enumerate(case["logits"]):
        assert await bench.logits(_timeout(case)) == want, f"image {i}"
    assert await bench.read(IMAGES) == len(case["images"])
    assert await bench.read(CYCLES) == case["cycles"][-1]
    assert await bench.read(ERRORS) == 0
    assert await bench.read(STATUS) & 0b1000


@cocotb.test()
async def a_slow_consumer_stalls_the_engine_not_the_logits(dut: Any) -> None:
    """With the output stalled, images stop once both output banks are full; nothing is lost."""
    case = _case()
    bench = Bench(dut, 2, busy_in=0.0, busy_out=0.0)
    await bench.reset()
    bench.sink.pause = True
    images = case["images"][:4]
    for beats in images:
        await bench.send(beats)
    await ClockCycles(dut.aclk, 4 * max(case["cycles"]))
    assert await bench.read(IMAGES) == 2  # both banks hold logits, the third image waits
    assert await bench.read(STATUS) & 0b110 == 0b110  # an input waits, outputs pending
    bench.sink.pause = False
    for i, want in enumerate(case["logits"][: len(images)]):
        assert await bench.logits(_timeout(case)) == want, f"image {i}"
    assert await bench.read(IMAGES) == len(images)


@cocotb.test()
async def run_step_and_interrupts(dut: Any) -> None:
    case = _case()
    bench = Bench(dut, 3)
    await bench.reset()
    await bench.write(CTRL, 0)  # paused
    await bench.write(IER, 1)
    await bench.send(case["images"][0])
    await ClockCycles(dut.aclk, 2 * len(case["images"][0]) + case["cycles"][0])
    assert await bench.read(IMAGES) == 0
    assert await bench.read(STATUS) & 0b10  # the image waits
    assert dut.irq.value == 0
    await bench.write(CTRL, 0b10)  # STEP
    assert await bench.logits(_timeout(case)) == case["logits"][0]
    assert await bench.read(ISR) & 1
    await RisingEdge(dut.aclk)
    assert dut.irq.value == 1
    await bench.write(ISR, 1)  # write 1 to clear
    await ClockCycles(dut.aclk, 2)
    assert dut.irq.value == 0
    assert await bench.read(CTRL) == 0  # STEP does not stick
    await bench.write(CTRL, 1)
    await bench.send(case["images"][1])
    assert await bench.logits(_timeout(case)) == case["logits"][1]


@cocotb.test()
async def bad_frames_are_flagged_and_the_stream_recovers(dut: Any) -> None:
    case = _case()
    bench = Bench(dut, 4)
    await bench.reset()
    await bench.write(IER, 0b10)
    beats = case["images"][0]
    await bench.send(beats[: len(beats) // 2])  # TLAST early: dropped
    await bench.send(beats + beats[:3])  # no TLAST on the last beat: kept, the rest skipped
    assert await bench.logits(_timeout(case)) == case["logits"][0]
    errors = await bench.read(ERRORS)
    assert errors & 0b11 == 0b11
    assert await bench.read(ISR) & 0b10
    await bench.write(ERRORS, 0b11)
    await bench.write(ISR, 0b10)
    if not case["encoder"] and case["code_bits"] < 8:
        await bench.send([255] * len(beats))  # codes out of range: saturated and flagged
        await bench.logits(_timeout(case))
        assert await bench.read(ERRORS) == 0b100
    await bench.write(CTRL, 0b101)  # CLEAR, RUN
    assert await bench.read(ERRORS) == 0
    assert await bench.read(IMAGES) == 0
    await bench.send(case["images"][1])
    assert await bench.logits(_timeout(case)) == case["logits"][1]
    assert await bench.read(CYCLES) == case["cycles"][1]


@cocotb.test()
async def back_to_back_an_image_costs_its_cycles_plus_the_copy(dut: Any) -> None:
    """With both streams free-flowing, logits come every CYCLES + IN_ROWS + 3 clock cycles
    (docs/board.md): the input streams in while the previous image runs, the copy into bank 0
    takes IN_ROWS + 1 cycles, and starting takes two."""
    case = _case()
    bench = Bench(dut, 5, busy_in=0.0, busy_out=0.0)
    await bench.reset()
    edges: list[int] = []

    async def watch() -> None:
        cycle = 0
        while True:
            await RisingEdge(dut.aclk)
            cycle += 1
            if dut.m_axis_out_tvalid.value and dut.m_axis_out_tready.value and dut.m_axis_out_tlast.value:
                edges.append(cycle)

    cocotb.start_soon(watch())
    for beats in case["images"][:4]:
        await bench.send(beats)
    for want in case["logits"][:4]:
        assert await bench.logits(_timeout(case)) == want
    periods = {b - a for a, b in pairwise(edges)}
    assert periods == {case["cycles"][0] + case["in_rows"] + 3}, (periods, edges)
