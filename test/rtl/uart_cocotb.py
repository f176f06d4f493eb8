"""cocotb tests of the serial bridge (e3ne_uart_top), run by test_shell.py: the host's byte protocol
(e3ne.host's uart_* functions, the very bytes UartLink sends) bit by bit on the wire."""

from __future__ import annotations

import json
import math
import os
from typing import Any

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, with_timeout

from e3ne.host import CYCLES, ID, IER, SHELL_ID, uart_image, uart_read, uart_words, uart_write

CLKS = int(os.environ.get("E3NE_UART_CLKS", "8"))


class Wire:
    def __init__(self, dut: Any):
        self.dut = dut

    async def reset(self) -> None:
        cocotb.start_soon(Clock(self.dut.clk, 10, unit="ns").start())
        self.dut.rxd.value = 1
        self.dut.aresetn.value = 0
        await ClockCycles(self.dut.clk, 4)
        self.dut.aresetn.value = 1
        await ClockCycles(self.dut.clk, 4)

    async def send(self, data: bytes) -> None:
        for byte in data:
            for bit in [0, *((byte >> i) & 1 for i in range(8)), 1]:
                self.dut.rxd.value = bit
                await ClockCycles(self.dut.clk, CLKS)

    async def _byte(self) -> int:
        await FallingEdge(self.dut.txd)
        await ClockCycles(self.dut.clk, CLKS // 2)
        assert self.dut.txd.value == 0, "start bit"
        value = 0
        for i in range(8):
            await ClockCycles(self.dut.clk, CLKS)
            value |= int(self.dut.txd.value) << i
        await ClockCycles(self.dut.clk, CLKS)
        assert self.dut.txd.value == 1, "stop bit"
        return value

    async def receive(self, n: int, timeout_us: float) -> bytes:
        # whole microseconds: the simulator's time step must represent the timeout exactly
        return bytes([await with_timeout(self._byte(), math.ceil(timeout_us), "us") for _ in range(n)])


@cocotb.test()
async def the_host_protocol_runs_images(dut: Any) -> None:
    with open(os.environ["E3NE_SHELL_CASE"]) as f:
        case = json.load(f)
    wire = Wire(dut)
    await wire.reset()
    byte_us = 10 * CLKS / 100
    await wire.send(uart_read(ID))
    assert int.from_bytes(await wire.receive(4, 20 * byte_us), "little") == SHELL_ID
    await wire.send(uart_write(IER, 3))
    assert await wire.receive(1, 20 * byte_us) == b"K"
    await wire.send(uart_read(IER))
    assert int.from_bytes(await wire.receive(4, 20 * byte_us), "little") == 3
    timeout = case["cycles"][0] / 100 + 20 * byte_us * len(case["logits"][0])
    for beats, want in list(zip(case["images"], case["logits"], strict=True))[:2]:
        # the first logits come while the last image bytes are still going out: listen meanwhile
        listen = cocotb.start_soon(wire.receive(4 * len(want), timeout + len(beats) * byte_us))
        await wire.send(uart_image(np.array(beats)))
        logits = uart_words(await listen)
        assert logits.tolist() == want
        assert int(dut.klass.value) == int(np.argmax(want))
        await wire.send(uart_read(CYCLES))
        assert int.from_bytes(await wire.receive(4, 20 * byte_us), "little") == case["cycles"][0]
    assert dut.overrun.value == 0
