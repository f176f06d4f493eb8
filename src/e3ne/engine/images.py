"""Memory images of the e3ne engine (docs/hardware.md section 2), as plain numpy.

Every packer turns integer arrays into the words of one memory, in address order; the compiler
writes them with :func:`write_memh` and the RTL loads them with ``$readmemh``. The sizes of the
weight and bias regions of a layer (:func:`conv_weight_depth` and friends) live here too, so the
layout is decided in one place. The layer program's words come from :mod:`e3ne.engine.schema`. Words can be wider
than 64 bits (a linear weight word is ``LANES*WB`` bits), so words are Python ints; the packing
itself is vectorised (hex digits are built with numpy), so the ~30M weights of VGG-11 pack in
seconds. :func:`pack_hex` gives the hex lines directly for callers that only write files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from e3ne.engine import schema

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_CHUNK = 1 << 20  # fields per packing step, to bound the temporary bit arrays


def pack_hex(fields: np.ndarray, bits: int) -> list[str]:
    """Hex words of ``fields`` (N, K): field k of word n in bits ``[k*bits, (k+1)*bits)``.

    Fields are taken modulo ``2**bits`` (two's complement for negative values); each word has
    ``ceil(K*bits/4)`` digits, most significant first.
    """
    fields = np.asarray(fields, dtype=np.int64)
    if fields.ndim != 2:
        raise ValueError(f"pack_hex needs a (words, fields) array, got shape {fields.shape}")
    n, k = fields.shape
    width = k * bits
    digits = max(1, -(-width // 4))
    if n == 0:
        return []
    out: list[str] = []
    rows = max(1, _CHUNK // max(1, k))
    for lo in range(0, n, rows):
        chunk = fields[lo : lo + rows] & ((1 << bits) - 1)
        # bit b of field j is bit j*bits + b of the word, little-endian along the last axis
        bitarr = ((chunk[:, :, None] >> np.arange(bits, dtype=np.int64)) & 1).astype(np.uint8)
        bitarr = bitarr.reshape(chunk.shape[0], width)
        pad = digits * 4 - width
        if pad:
            bitarr = np.concatenate([bitarr, np.zeros((chunk.shape[0], pad), dtype=np.uint8)], axis=1)
        nibbles = bitarr.reshape(chunk.shape[0], digits, 4) @ np.array([1, 2, 4, 8], dtype=np.uint8)
        chars = _HEX[nibbles[:, ::-1]]
        out.extend(np.ascontiguousarray(chars).view(f"S{digits}").ravel().astype(str).tolist())
    return out


def _words(fields: np.ndarray, bits: int) -> list[int]:
    return [int(h, 16) for h in pack_hex(fields, bits)]


def act_rows(codes: np.ndarray, tmax: int, roww: int) -> list[int]:
    """Activation-memory words of a (C, H, W) map (row (c, y) at index c*H + y) or an (F,) vector."""
    a = np.asarray(codes, dtype=np.int64)
    if a.size and (a.min() < 0 or a.max() >= 1 << tmax):
        raise ValueError(f"codes must lie in [0, 2^{tmax})")
    if a.ndim == 3:
        c, h, w = a.shape
        if w > roww:
            raise ValueError(f"row width {w} exceeds ROWW = {roww}")
        rows = np.zeros((c * h, roww), dtype=np.int64)
        rows[:, :w] = a.reshape(c * h, w)
    elif a.ndim == 1:
        f = a.shape[0]
        nwords = -(-f // roww)
        rows = np.zeros(nwords * roww, dtype=np.int64)
        rows[:f] = a
        rows = rows.reshape(nwords, roww)
    else:
        raise ValueError(f"act_rows needs a (C, H, W) map or an (F,) vector, got shape {a.shape}")
    return _words(rows, tmax)


def decode_act_rows(words: Sequence[int], shape: tuple[int, ...], tmax: int, roww: int) -> np.ndarray:
    """Inverse of :func:`act_rows`: the codes of a (C, H, W) map or an (F,) vector."""
    mask = (1 << tmax) - 1
    if len(shape) == 3:
        c, h, w = shape
        nwords, width = c * h, w
    elif len(shape) == 1:
        nwords, width = -(-shape[0] // roww), roww
    else:
        raise ValueError(f"decode_act_rows needs a 3-d or 1-d shape, got {shape}")
    if len(words) < nwords:
        raise ValueError(f"{nwords} words needed, got {len(words)}")
    out = np.array([[(int(wd) >> (x * tmax)) & mask for x in range(width)] for wd in words[:nwords]], dtype=np.int64)
    if len(shape) == 3:
        return out.reshape(shape)
    return out.reshape(-1)[: shape[0]]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def act_rows_needed(features: int, row_codes: int) -> int:
    """Activation-memory words of a feature vector of ``features`` codes (2.1)."""
    return _ceil_div(features, row_codes)


def conv_weight_depth(c_out: int, c_in: int, kh: int, kw: int, cu: int, slots: int = 1, feature_groups: int = 1) -> int:
    """Conv weight ROM words of one layer with ``slots`` channel slots: one per (group, c, i, j) (2.2),
    ``c`` over the group's input band in grouped mode (:func:`e3ne.engine.schema.conv_band`)."""
    span, _ = schema.conv_band(c_in, c_out, feature_groups, cu * slots)
    return _ceil_div(c_out, cu * slots) * span * kh * kw


def linear_weight_depth(c_out: int, c_in: int, lanes: int) -> int:
    """Linear weight ROM words of one layer: one per (group, input feature) (2.3)."""
    return _ceil_div(c_out, lanes) * c_in


def bias_depth(conv: bool, c_out: int, cu: int, slots: int = 1) -> int:
    """Bias ROM words of one layer: a conv layer reads the CU*slots words of a whole group (2.4)."""
    return _ceil_div(c_out, cu * slots) * cu * slots if conv else c_out


ONE_SEGMENT: tuple[schema.Segment, ...] = ((0, 1),)
"""The weight segments of a build with one slot count S = 1: one field per unit."""


def conv_word_bits(cu: int, wb: int, segments: Sequence[schema.Segment]) -> int:
    """Bits of a conv weight ROM word (2.2): one weight per weight segment and unit."""
    return len(segments) * cu * wb


def conv_weight_words(
    w_q: np.ndarray,
    cu: int,
    wb: int,
    slots: int = 1,
    segments: Sequence[schema.Segment] = ONE_SEGMENT,
    feature_groups: int = 1,
) -> list[int]:
    """Conv weight ROM words (2.2) of a layer with ``slots`` channel slots, in a ROM whose words have
    a field per weight segment and unit (:func:`e3ne.engine.schema.weight_segments`): address
    ((g*C + c)*KH + i)*KW + j; field k = seg*cu + d (bits [k*wb, ...)) holds the weight of channel
    g*cu*slots + s*cu + d, s the slot that segment seg lies in, and 0 for segments of the idle lanes
    and channels past the layer's. In grouped mode (``feature_groups`` > 1 and a band narrower than
    the input: :func:`e3ne.engine.schema.conv_band`) C is the band's width ``c_span`` and channel c of
    group g is input channel ``g*c_step + c``; a nonzero weight outside its group's band is an error."""
    return [int(h, 16) for h in conv_weight_hex(w_q, cu, wb, slots, segments, feature_groups)]


def conv_weight_hex(
    w_q: np.ndarray,
    cu: int,
    wb: int,
    slots: int = 1,
    segments: Sequence[schema.Segment] = ONE_SEGMENT,
    feature_groups: int = 1,
) -> list[str]:
    """:func:`conv_weight_words` as hex lines."""
    cols = segments[-1][1]
    if not 1 <= slots <= cols:
        raise ValueError(f"{slots} slots do not fit {cols} lanes")
    w = _check_weights(w_q, wb, 4)
    o, c, kh, kw = w.shape
    per_group = cu * slots
    groups = -(-o // per_group)
    padded = np.zeros((groups * per_group, c, kh, kw), dtype=np.int64)
    padded[:o] = w
    padded = band_weights(padded.reshape(groups, per_group, c, kh, kw), c, o, feature_groups)
    c = padded.shape[2]
    # (groups, c, kh, kw, s*cu + d) -> field seg*cu + d takes entry s*cu + d of its segment's slot s
    by_slot = padded.transpose(0, 2, 3, 4, 1)
    fields = np.zeros((groups, c, kh, kw, len(segments) * cu), dtype=np.int64)
    for k, segment in enumerate(segments):
        slot = schema.segment_slot(segment, cols, slots)
        if slot is not None:
            fields[..., k * cu : (k + 1) * cu] = by_slot[..., slot * cu : (slot + 1) * cu]
    return pack_hex(fields.reshape(-1, len(segments) * cu), wb)


def band_weights(w: np.ndarray, c_in: int, c_out: int, feature_groups: int) -> np.ndarray:
    """The (groups, CU*slots, c_span, KH, KW) weights each engine group's channel loop reads: its input
    band (:func:`e3ne.engine.schema.conv_band`; all ``c_in`` channels in dense mode). Raises
    ValueError if a nonzero weight lies outside its group's band (the weights are not grouped so)."""
    groups, per_group = w.shape[:2]
    span, step = schema.conv_band(c_in, c_out, feature_groups, per_group)
    if span == c_in:
        return w
    out = np.empty((groups, per_group, span, *w.shape[3:]), dtype=w.dtype)
    inside = np.zeros(c_in, dtype=bool)
    for g in range(groups):
        out[g] = w[g, :, g * step : g * step + span]
        inside[:] = False
        inside[g * step : g * step + span] = True
        if np.any(w[g][:, ~inside]):
            o = g * per_group + int(np.nonzero(np.any(w[g][:, ~inside], axis=(1, 2, 3)))[0][0])
            raise ValueError(
                f"output channel {o} has nonzero weights outside its input band {g * step} .. "
                f"{g * step + span - 1} ({feature_groups} feature groups)"
            )
    return out


def linear_weight_words(w_q: np.ndarray, lanes: int, wb: int) -> list[int]:
    """Linear weight ROM words (2.3): address g*F + f, lane n in bits [n*wb, ...)."""
    return [int(h, 16) for h in linear_weight_hex(w_q, lanes, wb)]


def linear_weight_hex(w_q: np.ndarray, lanes: int, wb: int) -> list[str]:
    """:func:`linear_weight_words` as hex lines."""
    w = _check_weights(w_q, wb, 2)
    o, f = w.shape
    groups = -(-o // lanes)
    padded = np.zeros((groups * lanes, f), dtype=np.int64)
    padded[:o] = w
    fields = padded.reshape(groups, lanes, f).transpose(0, 2, 1).reshape(-1, lanes)
    return pack_hex(fields, wb)


def _check_weights(w_q: np.ndarray, wb: int, ndim: int) -> np.ndarray:
    w = np.asarray(w_q, dtype=np.int64)
    if w.ndim != ndim:
        raise ValueError(f"expected a {ndim}-d weight array, got shape {w.shape}")
    lo, hi = -(1 << (wb - 1)), (1 << (wb - 1)) - 1
    if w.size and (w.min() < lo or w.max() > hi):
        raise ValueError(f"weights do not fit {wb} bits")
    return w


def bias_constant(shift: int, raw: bool, acc: int) -> int:
    """The rounding constant folded into b' (2.4): 2^(k-1) for a hidden layer with 1 <= k <= acc.

    For k > acc the neuron's output is 0 whatever the bias (|V + b| < 2^(acc-1) <= 2^(k-1)), and
    the requant unit clamps k to acc, so the constant is left out rather than overflowing the word.
    """
    return 1 << (shift - 1) if not raw and 1 <= shift <= acc else 0


def bias_words(b_q: np.ndarray | None, count: int, shift: int, raw: bool, acc: int) -> list[int]:
    """Bias ROM words (2.4) for one layer: ``count`` words of b' in two's complement, acc+1 bits.

    ``count`` may exceed the number of biases (e.g. ``groups*CU*slots`` so every channel of the last
    conv group reads a defined word); the extra words, and all words when ``b_q`` is None, hold just
    the rounding constant.
    """
    const = bias_constant(shift, raw, acc)
    b = np.zeros(count, dtype=object)
    if b_q is not None:
        arr = np.asarray(b_q, dtype=np.int64).reshape(-1)
        if arr.shape[0] > count:
            raise ValueError(f"{arr.shape[0]} biases do not fit in {count} words")
        b[: arr.shape[0]] = [int(v) for v in arr]
    words = []
    lo, hi = -(1 << acc), (1 << acc) - 1
    for v in b:
        value = int(v) + const
        if not lo <= value <= hi:
            raise ValueError(f"bias {value} does not fit {acc + 1} bits")
        words.append(value & ((1 << (acc + 1)) - 1))
    return words


def write_memh(path: str | Path, words: Sequence[int], width_bits: int) -> None:
    """One hex word per line, zero-padded to ceil(width/4) digits."""
    digits = max(1, -(-width_bits // 4))
    mask = (1 << width_bits) - 1
    lines = [f"{int(w) & mask:0{digits}x}" for w in words]
    write_memh_lines(path, lines)


def write_memh_lines(path: str | Path, lines: Sequence[str]) -> None:
    """Hex lines (from :func:`pack_hex`) as a $readmemh file."""
    Path(path).write_text("".join(line + "\n" for line in lines))
