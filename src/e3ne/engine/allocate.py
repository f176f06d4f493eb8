"""Where each stored activation lives: an allocator over the layer program (docs/hardware.md 2.1).

The activation memory is one simple-dual-port RAM whose top address bit is the bank: two banks of
``ADEPTH`` words. A stored tensor (the network input, a hidden layer's output, a concatenation of
outputs) occupies ``rows`` consecutive words of one bank from the step that writes it to the last
step that reads it, both included (steps are layers in program order; the host writes the input
before step 0, step -1). Two tensors whose steps overlap never share a word, so no layer reads a
word it or a later layer writes while it is still needed, and a layer never reads and writes the
same words (its input and output are both live at its step); it may read and write one bank.

The allocator is greedy in the order tensors are written: each takes the bank and base (the
lowest that fits beside the tensors it overlaps in time) that make the memory the least deep,
ties going to the other bank than the tensor it is computed from, then to the lower base. A chain
therefore alternates between the two banks at base 0, as the engine's ping-pong always did; the
input is placed first, at bank 0, base 0, where the host loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tensor:
    """A stored tensor: ``rows`` words, written at step ``first`` and last read at step ``last``."""

    rows: int
    first: int
    last: int
    source: int | None = None
    """The tensor (an index) the first layer writing it reads: the bank to avoid first (ping-pong)."""

    def overlaps(self, other: Tensor) -> bool:
        """Whether the two are stored at the same time (some step writes or reads both)."""
        return self.first <= max(other.first, other.last) and other.first <= max(self.first, self.last)


@dataclass(frozen=True)
class Place:
    """Where a tensor is stored: its bank and the word address of its first row in the bank."""

    bank: int
    base: int


def _lowest_base(rows: int, taken: list[tuple[int, int]]) -> int:
    """The lowest base where ``rows`` words fit beside the ``taken`` (base, end) ranges."""
    base = 0
    for start, end in sorted(taken):
        if base + rows <= start:
            break
        base = max(base, end)
    return base


def allocate(tensors: Sequence[Tensor]) -> list[Place]:
    """A place for every tensor (tensor 0, the network input, at bank 0, base 0); see the module
    docstring. The memory needs ``depth(tensors, places)`` words per bank."""
    order = sorted(range(len(tensors)), key=lambda i: (tensors[i].first, i))
    places: dict[int, Place] = {}
    depth = 0
    for i in order:
        tensor = tensors[i]
        if i == 0:
            places[0] = Place(0, 0)
            depth = tensor.rows
            continue
        avoid = places[tensor.source].bank if tensor.source in places else None
        best: tuple[tuple[int, bool, int, int], Place] | None = None
        for bank in (0, 1):
            taken = [
                (p.base, p.base + tensors[j].rows)
                for j, p in places.items()
                if p.bank == bank and tensors[j].overlaps(tensor)
            ]
            base = _lowest_base(tensor.rows, taken)
            score = (max(depth, base + tensor.rows), bank == avoid, base, bank)
            if best is None or score < best[0]:
                best = (score, Place(bank, base))
        assert best is not None
        places[i] = best[1]
        depth = best[0][0]
    return [places[i] for i in range(len(tensors))]


def depth(tensors: Sequence[Tensor], places: Sequence[Place]) -> int:
    """Words per bank the placed tensors need (at least 1)."""
    return max([1, *(p.base + t.rows for t, p in zip(tensors, places, strict=True))])


def conflicts(tensors: Sequence[Tensor], places: Sequence[Place]) -> list[tuple[int, int]]:
    """Pairs of tensors stored at the same time in overlapping words (empty for a valid allocation)."""
    found = []
    for i, (a, pa) in enumerate(zip(tensors, places, strict=True)):
        for j in range(i + 1, len(tensors)):
            b, pb = tensors[j], places[j]
            same_words = pa.bank == pb.bank and pa.base < pb.base + b.rows and pb.base < pa.base + a.rows
            if same_words and a.overlaps(b):
                found.append((i, j))
    return found
