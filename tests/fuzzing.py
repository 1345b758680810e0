"""What the fuzz tests share: a file's bytes with a few random edits."""

from __future__ import annotations

from hypothesis import strategies as st

ACTIONS = ["flip", "insert", "cut", "repeat", "truncate"]


def edited(
    draw: st.DrawFn, seed: bytes, pieces: st.SearchStrategy[bytes], cut: int, repeat: int
) -> bytes:
    """``seed`` after one to four edits drawn at random places: a byte flipped, one of
    ``pieces`` inserted, up to ``cut`` bytes cut, up to ``repeat`` bytes repeated three times,
    or the rest cut off. Call it from an ``@st.composite`` strategy."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(ACTIONS))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(pieces)
        elif action == "cut":
            del data[at : at + draw(st.integers(1, cut))]
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, repeat))] * 3
        else:
            del data[at:]
    return bytes(data)
