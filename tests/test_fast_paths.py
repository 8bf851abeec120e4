"""The shortcuts taken for speed give exactly what the plain definitions give.

Each fast path here (see docs/performance.md) is checked against a slow, obvious version of
itself over generated input, so that a speed-up can never change an answer.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from orbat.validation import normalise_text

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _normalise_plainly(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_CURLY)).strip()


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\u2028\u3000\u00a0\u2018\u2019\u201c\u201d'\"ab."),
        st.characters(),
    )
)


@given(_TEXT)
@example("\u201cQuoted\u201d\u00a0 and\n  wrapped ")
@example("plain ASCII, no change")
def test_normalise_text_is_the_regex_definition(text: str) -> None:
    assert normalise_text(text) == _normalise_plainly(text)
