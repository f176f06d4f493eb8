"""Block RAM of one memory as Yosys maps it for ``synth_xilinx -family xcup`` (``memory_libmap``).

A model of the choice Yosys 0.64's ``memory_libmap`` makes with ``brams_xc4v.txt`` under the
xcup defines (RAMB18/RAMB36, true and simple dual port, no cascade) and ``lutrams_xcu.txt``
(UltraRAM off), checked against synthesis of ``rtl/e3ne_rom.v`` and ``rtl/e3ne_act_mem.v``:
the block RAM count matched at all 1,378 measured shapes (652 ROMs, 726 RAMs).

* **Geometries.** RAMB18 (cost 129; 16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18, 512 x 36) and RAMB36
  (cost 257; 32K x 1 ... 1K x 36, 512 x 72), tried true dual port first (RAMB36 to 36 bits, RAMB18
  to 18), then simple dual port (to 72 and 36), narrowest first; the first strictly cheapest wins.
* **Depth slices and packing.** A geometry u wide and d deep cuts the memory into m = ceil(D / d)
  depth slices; the bit columns of all slices pack together into ceil(m W' / u) blocks (every
  slice is read at once and an m:1 multiplexer in logic picks one). W' = W for a ROM; a RAM pads
  each word to whole write bytes (a multiple of min(u, 9)).
* **Cost.** blocks x block cost + (m - 1) W / 2 for the read multiplexer (+ m / 2 for a RAM's
  write-enable decode when m > 1).
* **ROMs** (``rom_style = "block"``) always take block RAM. The activation RAM may instead go to
  LUT RAM (cost 16 m W / u for the 32 x 14 and 64 x 7 kinds) or flip-flops (W x D); Yosys keeps
  its running best as an integer, so block RAM wins only below the floor of the LUT-RAM cost.
* **Constant columns.** Yosys drops ROM bit columns that hold the same value in every word, so
  for a ROM whose image is known pass its :func:`live_width`; the declared width is an upper bound.

The multiplexer LUTs are measured per output bit for m <= 10 and about 0.38 m beyond (within a
few LUTs of Yosys at every measured shape).
"""

from __future__ import annotations

import numpy as np

_BLOCK_RAMS = (
    (1.0, 257, 15, (1, 2, 4, 9, 18, 36)),  # RAMB36, true dual port
    (0.5, 129, 14, (1, 2, 4, 9, 18)),  # RAMB18, true dual port
    (1.0, 257, 15, (1, 2, 4, 9, 18, 36, 72)),  # RAMB36, simple dual port
    (0.5, 129, 14, (1, 2, 4, 9, 18, 36)),  # RAMB18, simple dual port
)
"""(BRAM36 equivalents, cost, address bits at width 1, widths), in memory_libmap's order."""
_LUT_RAMS = ((5, 8), (6, 4), (7, 2), (8, 1), (5, 4), (6, 2), (5, 2), (6, 1), (5, 14), (6, 7))
"""(address bits, width) of the LUT RAMs that serve one write and one separate read port."""
_EMULATION = 2.0
"""memory_libmap's cost of a read port that does not share the write port (every geometry here)."""
_MUX_LUTS = (0, 0, 1, 1, 1, 4, 8, 3, 3, 3, 4)
"""LUTs per output bit of an m:1 read multiplexer over depth slices, measured (5:1 and 6:1 map to
LUT1/LUT3 plus MUXF7/8/9 trees)."""


def mux_luts_per_bit(m: int) -> int:
    """LUTs per output bit of the m:1 multiplexer over depth slices."""
    return _MUX_LUTS[m] if m < len(_MUX_LUTS) else round(0.38 * m)


def _block_ram(width: int, depth: int, ram: bool) -> tuple[float, float, int]:
    """The cheapest block RAM geometry: (cost, BRAM36 equivalents, depth slices)."""
    best: tuple[float, float, int] | None = None
    for per_block, cost, abits, widths in _BLOCK_RAMS:
        for i, unit in enumerate(widths):
            slices = (depth - 1) // (1 << (abits - i)) + 1
            byte = min(unit, 9) if ram else 1
            blocks = -(-(slices * (-(-width // byte) * byte)) // unit)
            total = cost * blocks + 0.5 * (slices - 1) * width + (0.5 * slices if ram and slices > 1 else 0.0)
            if best is None or total < best[0]:
                best = (total, blocks * per_block, slices)
    assert best is not None
    return best


def _lut_ram(width: int, depth: int) -> tuple[float, int]:
    """The cheapest LUT RAM geometry for the activation RAM: (cost, LUTs around its cells: the
    read-zero gating, the multiplexer over depth slices, the write-enable decode)."""
    best: tuple[float, int] | None = None
    for abits, unit in _LUT_RAMS:
        slices = (depth - 1) // (1 << abits) + 1
        cost = 16.0 * slices * width / unit + 0.5 * (slices - 1) * width + (0.5 * slices if slices > 1 else 0.0)
        if best is None or cost < best[0]:
            gating = width if slices == 1 or slices >= 4 else 0
            best = (cost, width * mux_luts_per_bit(slices) + gating + (slices if slices > 1 else 0))
    assert best is not None
    return best


def blocks(width: int, depth: int, kind: str = "rom") -> tuple[float, int]:
    """(BRAM36 equivalents, LUTs of the read multiplexer and write decode) of a ``width`` x ``depth``
    memory: ``kind`` ``rom`` (e3ne_rom) or ``ram`` (e3ne_act_mem). A RAM Yosys puts in LUT RAM or
    flip-flops gives no block RAM (its LUT-RAM cells are not LUTs in :mod:`e3ne.synth`'s counts)."""
    if width <= 0 or depth <= 0:
        return 0.0, 0
    ram = kind == "ram"
    cost, bram36, slices = _block_ram(width, depth, ram)
    luts = width * mux_luts_per_bit(slices)
    if not ram:
        return bram36, luts
    best, best_luts = float(width * depth), width  # flip-flops (tiny memories only; LUTs rough)
    lut_ram, lut_ram_luts = _lut_ram(width, depth)
    if lut_ram + _EMULATION < best:
        best, best_luts = float(int(lut_ram + _EMULATION)), lut_ram_luts
    if not cost + _EMULATION < best:
        return 0.0, best_luts
    return bram36, luts + (slices if slices > 1 else 0)


def live_width(image: np.ndarray, width: int) -> int:
    """Bit columns of a ROM image (words x bytes, little-endian uint8) that are not constant over
    all words: what Yosys keeps of a ``width``-bit ROM. A column is constant where the AND and the
    OR of all words agree (two reductions: no words x bits array, which for VGG-11 is gigabytes)."""
    if image.shape[0] == 0:
        return 0
    words = np.ascontiguousarray(image, dtype=np.uint8)
    varying = np.bitwise_and.reduce(words, axis=0) ^ np.bitwise_or.reduce(words, axis=0)
    return int(np.count_nonzero(np.unpackbits(varying, bitorder="little")[:width]))
