"""Weights in DRAM (docs/hardware.md 2.6): the DRAM image, its layout and the weight caches.

The DRAM image holds the conv weight ROM image at byte 0 and the linear weight ROM image at
``linear_offset`` (4 KB aligned), word ``n`` of each in the ``slot_bytes`` bytes at its offset +
``n * slot_bytes``, little-endian: a word takes ``beats_per_word`` AXI beats, a power of two (one
beat when it is narrower than a beat; the rest of the slot is zero). Each engine reads its layer's
words through a cache of ``cache_words`` words (a power of two, at least two groups of the layer
with the most words per group), filled by ``rtl/e3ne_wfetch.v``. The per-layer end addresses go
into a small on-chip ROM (``weight_layout.mem``); biases and the layer program stay on chip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from e3ne.engine.schema import LayerKind, conv_channels

PAGE = 4096
"""AXI bursts never cross a 4 KB boundary: the image and its linear part start on one."""

__all__ = [
    "PAGE",
    "DramLayout",
    "beats_per_word",
    "cache_words",
    "group_words",
    "layer_words",
    "slot_bytes",
]


def beats_per_word(word_bits: int, axi_bits: int) -> int:
    """AXI beats a weight word takes: a power of two, one for a word no wider than a beat."""
    beats = -(-word_bits // axi_bits)
    return 1 << (beats - 1).bit_length()


def slot_bytes(word_bits: int, axi_bits: int) -> int:
    """Bytes a weight word takes in DRAM."""
    return beats_per_word(word_bits, axi_bits) * axi_bits // 8


def burst_words(word_bits: int, axi_bits: int, burst: int) -> int:
    """The most words of a burst (bursts end at multiples of this many words)."""
    return max(1, burst // beats_per_word(word_bits, axi_bits))


def group_words(desc: Mapping[str, int]) -> int:
    """Weight words of one output-channel group (docs/hardware.md 2.2, 2.3): what the engine reads
    in a timestep of a row-tile, and the cache must hold twice."""
    if desc["kind"] == LayerKind.CONV:  # a grouped conv's group reads its band
        return conv_channels(desc) * desc["kh"] * desc["kw"]
    return desc["c_in"]


def layer_words(desc: Mapping[str, int]) -> int:
    """Weight words of a layer."""
    return desc["groups"] * group_words(desc)


def cache_words(descs: Sequence[Mapping[str, int]], kind: LayerKind) -> int:
    """The cache of the engine that runs layers of ``kind``: the power of two that holds two groups of
    its largest (2 when it runs none)."""
    most = max((group_words(d) for d in descs if d["kind"] == kind), default=1)
    return 1 << (2 * most - 1).bit_length()


def layer_ends(descs: Sequence[Mapping[str, int]]) -> list[int]:
    """Per layer: one past its last weight word (the layout ROM's words)."""
    return [d["w_base"] + layer_words(d) for d in descs]


def hex_beats(image: bytes, axi_bits: int) -> str:
    """The image as ``$readmemh`` text of AXI beats (what the testbench's memory model reads)."""
    step = axi_bits // 8
    rows = np.frombuffer(image, dtype=np.uint8).reshape(-1, step)[:, ::-1]
    text = rows.tobytes().hex()
    return "".join(text[i : i + 2 * step] + "\n" for i in range(0, len(text), 2 * step))


@dataclass(frozen=True)
class DramLayout:
    """Where the weights are in the DRAM image, and what the core's DRAM parameters are."""

    conv_word_bits: int
    linear_word_bits: int
    conv_words: int
    linear_words: int
    axi_bits: int = 64
    burst: int = 16
    linear_base: int | None = None  # byte offset of the linear weights; None: right after the conv weights

    @property
    def conv_slot(self) -> int:
        return slot_bytes(self.conv_word_bits, self.axi_bits)

    @property
    def linear_slot(self) -> int:
        return slot_bytes(self.linear_word_bits, self.axi_bits)

    @property
    def linear_offset(self) -> int:
        """Byte offset of the linear weights (4 KB aligned, at least one page)."""
        least = max(PAGE, -(-self.conv_words * self.conv_slot // PAGE) * PAGE)
        if self.linear_base is None:
            return least
        if self.linear_base < least or self.linear_base % PAGE:
            raise ValueError(f"linear weights at byte {self.linear_base}: not 4 KB aligned past the conv weights")
        return self.linear_base

    @property
    def size(self) -> int:
        """Bytes of the image."""
        return self.linear_offset + self.linear_words * self.linear_slot

    def image(self, conv_words: Sequence[int], linear_words: Sequence[int]) -> bytes:
        """The DRAM image of the two weight ROM images."""
        out = bytearray(self.size)
        parts = ((0, self.conv_slot, conv_words), (self.linear_offset, self.linear_slot, linear_words))
        for base, slot, words in parts:
            for n, word in enumerate(words):
                out[base + n * slot : base + (n + 1) * slot] = int(word).to_bytes(slot, "little")
        return bytes(out)

    def image_of_rows(self, conv_rows: np.ndarray, linear_rows: np.ndarray) -> bytes:
        """The DRAM image of two ROM images given as words x bytes (little-endian uint8 rows)."""
        out = np.zeros(self.size, dtype=np.uint8)
        for base, slot, rows in ((0, self.conv_slot, conv_rows), (self.linear_offset, self.linear_slot, linear_rows)):
            if rows.shape[0]:
                width = min(rows.shape[1], slot)
                view = out[base : base + rows.shape[0] * slot].reshape(rows.shape[0], slot)
                view[:, :width] = rows[:, :width]
        return out.tobytes()

    def beats(self, conv_words: Sequence[int], linear_words: Sequence[int]) -> list[int]:
        """The image as AXI beats (what a ``$readmemh`` of the memory model reads)."""
        data = self.image(conv_words, linear_words)
        step = self.axi_bits // 8
        return [int.from_bytes(data[i : i + step], "little") for i in range(0, len(data), step)]

    def params(self, descs: Sequence[Mapping[str, int]]) -> dict[str, int]:
        """e3ne_core's DRAM parameters (schema.DRAM_PARAMS) for the layer program ``descs``."""
        return {
            "WDRAM": 1,
            "AXIW": self.axi_bits,
            "AXI_BURST": self.burst,
            "CWCACHE": cache_words(descs, LayerKind.CONV),
            "LWCACHE": cache_words(descs, LayerKind.LINEAR),
            "LW_DRAM": self.linear_offset,
        }
