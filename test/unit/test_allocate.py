"""The activation-memory allocator (e3ne.engine.allocate): liveness, no overlap, the input at bank 0
base 0, chains in ping-pong at base 0; random programs by hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from e3ne.engine.allocate import Place, Tensor, allocate, conflicts, depth


def test_a_chain_alternates_banks_at_base_zero():
    rows = [8, 48, 12, 96, 4, 2]
    # tensor i is written by layer i - 1 (the input by the host, step -1) and read by layer i
    tensors = [Tensor(r, i - 1, i, None if i == 0 else i - 1) for i, r in enumerate(rows)]
    places = allocate(tensors)
    assert places == [Place(i % 2, 0) for i in range(len(rows))]
    assert depth(tensors, places) == max(rows)


def test_a_tensor_lives_until_its_last_reader():
    # the input is read by layers 0 and 2 (a branch): layer 1's output must not land on it
    tensors = [Tensor(10, -1, 2), Tensor(4, 0, 1, 0), Tensor(4, 1, 2, 1), Tensor(6, 2, 3, 2)]
    places = allocate(tensors)
    assert places[0] == Place(0, 0)
    assert not conflicts(tensors, places)
    assert places[2] != Place(0, 0)  # written at step 1, while the input is still live
    # tensor 3 is written at step 2, the input's last read: it may not overlap it either
    assert places[3].bank == 1 or places[3].base >= 10


def test_dead_tensors_free_their_words():
    # two short-lived tensors at different times share bank 1, base 0
    tensors = [Tensor(8, -1, 0), Tensor(8, 0, 1, 0), Tensor(8, 1, 2, 1), Tensor(8, 2, 3, 2)]
    places = allocate(tensors)
    assert places[1] == places[3] == Place(1, 0)
    assert depth(tensors, places) == 8


def test_conflicts_names_overlapping_live_tensors():
    tensors = [Tensor(8, -1, 1), Tensor(8, 0, 1)]
    assert conflicts(tensors, [Place(0, 0), Place(0, 4)]) == [(0, 1)]
    assert conflicts(tensors, [Place(0, 0), Place(0, 8)]) == []
    assert conflicts(tensors, [Place(0, 0), Place(1, 0)]) == []
    assert conflicts([Tensor(8, -1, 0), Tensor(8, 1, 2)], [Place(0, 0), Place(0, 0)]) == []


@st.composite
def programs(draw: st.DrawFn) -> list[Tensor]:
    """Tensors of a random DAG program: tensor i (i >= 1) is written at step i - 1 and read until a
    later step (the input, tensor 0, from step -1)."""
    count = draw(st.integers(1, 12))
    tensors = []
    for i in range(count):
        first = i - 1
        last = draw(st.integers(first, count))
        source = None if i == 0 else draw(st.integers(0, i - 1))
        tensors.append(Tensor(draw(st.integers(1, 64)), first, last, source))
    return tensors


@settings(max_examples=300, deadline=None)
@given(programs())
def test_random_programs_never_overlap_live_tensors(tensors: list[Tensor]):
    places = allocate(tensors)
    assert places[0] == Place(0, 0)
    assert conflicts(tensors, places) == []
    assert all(p.bank in (0, 1) and p.base >= 0 for p in places)
    # never deeper than stacking every tensor in one bank
    assert depth(tensors, places) <= sum(t.rows for t in tensors)
    # and at least what the tensors live at one step need, split over two banks
    for step in range(-1, len(tensors)):
        live = [t.rows for t in tensors if t.first <= step <= max(t.first, t.last)]
        assert 2 * depth(tensors, places) >= sum(live)
