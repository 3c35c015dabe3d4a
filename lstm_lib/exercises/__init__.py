"""Checks for the exercises at the end of every notebook.

Each exercise has three cells: an **attempt** you fill in (a function to write, or a
prediction to make), a **check** cell that calls ``check``, and a **reference solution**
folded away under "Reference solution". Run the check as often as you like:

    exercises.check("05.2", forget_gate_backward)
    ✗ Exercise 05.2 (the forget gate's backward pass), not yet: da_f has shape (3, 2),
      expected (2, 3) = (B, H). Did you transpose something?

A check never raises for a wrong answer, nor for an error inside your code: it reports
either, so "Run All" goes past the exercises you have not tried yet.

One module per notebook holds its checks (``neuron`` for 01, ``belt`` for 06, ...); each
check is a function registered with ``@exercise("NN.k", "title")`` that takes the
learner's answer, raises ``NotYet("what is wrong")`` when it is wrong, and returns a
sentence saying what the right answer shows. ``call``, ``as_array``, ``as_number`` and
``close`` turn the usual mistakes into such sentences.
"""

from __future__ import annotations

import functools
import html
import importlib
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

_CHECKS: dict[str, tuple[str, Callable]] = {}


class NotYet(Exception):
    """A wrong answer; the message says what is wrong, in the learner's terms."""


def exercise(number: str, title: str):
    """Register the decorated function as the check for exercise ``number`` ("NN.k")."""

    def register(check_fn):
        if number in _CHECKS:
            raise ValueError(f"exercise {number} is registered twice")
        _CHECKS[number] = (title, check_fn)
        return check_fn

    return register


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: shown as ✓ or ✗ with a sentence; true if it passed."""

    number: str
    title: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        if self.passed:
            return f"✓ Exercise {self.number} ({self.title}): {self.message}"
        return f"✗ Exercise {self.number} ({self.title}), not yet: {self.message}"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#b35900"
        return (f'<div style="border-left: 4px solid {colour}; padding: 2px 10px; '
                f'white-space: pre-wrap">{html.escape(repr(self))}</div>')


def numbers() -> list[str]:
    """Every registered exercise number, in order: ["00.1", ..., "08.3"]."""
    _load_all()
    return sorted(_CHECKS)


def title(number: str) -> str:
    _load_all()
    return _lookup(number)[0]


def check(number: str, *answer) -> Verdict:
    """Check your answer to exercise ``number`` ("05.1"); returns a Verdict that shows itself.

    ``answer`` is whatever the exercise asks for: usually the function you wrote, or
    the number you predicted.
    """
    _load_all()
    name, check_fn = _lookup(number)
    try:
        message = check_fn(*answer)
    except NotYet as wrong:
        return Verdict(number, name, False, str(wrong))
    return Verdict(number, name, True, message)


def _lookup(number):
    if number not in _CHECKS:
        known = ", ".join(sorted(_CHECKS))
        raise KeyError(f"number: expected one of the exercises {known}, got {number!r}")
    return _CHECKS[number]


@functools.cache
def _load_all():
    """Import every checks module once; each registers its checks as it loads."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


# Helpers for writing checks: each turns a common mistake into a NotYet sentence.

def unfinished(value) -> bool:
    """True for what an untouched attempt holds: ``...`` or None."""
    return value is Ellipsis or value is None


def call(fn, *args, name: str | None = None):
    """Call the learner's ``fn(*args)``; report a missing function or an error inside it."""
    if unfinished(fn):
        raise NotYet("there is no answer yet: fill in the attempt cell above, run it, "
                     "then run this check again.")
    if not callable(fn):
        raise NotYet(f"expected the function you wrote, got {type(fn).__name__} {fn!r}. "
                     "Pass the function itself, without calling it: no () after its name.")
    label = name or getattr(fn, "__name__", "your function")
    try:
        return fn(*args)
    except NotImplementedError:
        raise NotYet(f"{label} is not written yet (it raises NotImplementedError): "
                     "replace the `raise NotImplementedError` with your code.") from None
    except Exception as error:                                  # the learner's bug, reported
        where = _learner_line(error)
        raise NotYet(f"calling {label} raised {type(error).__name__}: {error}{where}") from None


def _learner_line(error: BaseException) -> str:
    """' (line 3 of your cell: `df = dc * c`)' for the innermost frame not in lstm_lib."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "lstm_lib" not in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": `{frame.line.strip()}`" if frame.line else ""
    return f" (line {frame.lineno} of your code{code})"


def as_array(value, what: str, shape: tuple[int, ...], letters: str | None = None) -> np.ndarray:
    """``value`` as a finite float array of ``shape``, or NotYet saying how it differs.

    ``letters`` names the axes in messages, e.g. "(B, H)".
    """
    if unfinished(value):
        raise NotYet(f"{what} is still {_shown(value)}: replace the `...` with your code.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(f"{what}: expected an array of numbers, got {type(value).__name__} "
                     f"{_short(value)}") from None
    named = f" = {letters}" if letters else ""
    if array.shape != tuple(shape):
        hint = (" Did you transpose something?"
                if array.ndim == 2 and array.shape == tuple(shape)[::-1] else "")
        raise NotYet(f"{what} has shape {array.shape}, expected {tuple(shape)}{named}.{hint}")
    if not np.all(np.isfinite(array)):
        raise NotYet(f"{what} contains NaN or infinity: {_short(array)}")
    return array


def as_number(value, what: str, low: float = -np.inf, high: float = np.inf) -> float:
    """``value`` as a finite float in [low, high], or NotYet saying what to write."""
    if unfinished(value):
        raise NotYet(f"{what} is still {_shown(value)}: write your answer as a number, "
                     "then run the cell again.")
    if isinstance(value, str):
        raise NotYet(f"{what}: expected a number, got the text {value!r}: remove the quotes")
    if isinstance(value, bool) or not np.isscalar(value) and np.ndim(value) != 0:
        raise NotYet(f"{what}: expected one number, got {type(value).__name__} {_short(value)}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NotYet(f"{what}: expected a number, got {type(value).__name__} {value!r}") from None
    if not np.isfinite(number) or not low <= number <= high:
        raise NotYet(f"{what}: expected a number between {low:g} and {high:g}, got {number:g}")
    return number


def close(got: np.ndarray, want: np.ndarray, what: str, mistakes=(), rtol: float = 1e-6,
          atol: float = 1e-8) -> None:
    """NotYet unless ``got`` matches ``want``; names a flipped sign or a constant factor.

    ``mistakes`` lists known wrong answers as (array, "what went wrong") pairs: a ``got``
    that matches one of them is told that sentence instead.
    """
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return
    known_mistake(got, mistakes)
    worst = float(np.max(np.abs(got - want)))
    detail = f"{what} is off by up to {worst:.3g}"
    if np.any(want != 0) and not np.any(got):
        detail = f"{what} is zero everywhere"
    elif np.any(want != 0) and np.allclose(got, -want, rtol=rtol, atol=atol):
        detail = f"{what} has the right size but the wrong sign everywhere"
    else:
        ratio = _constant_ratio(got, want)
        if ratio is not None:
            detail = f"{what} is {ratio:.3g} times the right answer everywhere"
    where = np.unravel_index(np.argmax(np.abs(got - want)), got.shape) if got.ndim else ()
    at = f" (at index {tuple(int(k) for k in where)}: got {got[where]:.6g}, expected " \
         f"{want[where]:.6g})" if got.ndim else f" (got {got:.6g}, expected {want:.6g})"
    raise NotYet(detail + at + ".")


def known_mistake(got: np.ndarray, mistakes) -> None:
    """NotYet with the sentence of the first (array, sentence) in ``mistakes`` that ``got``
    matches; nothing if it matches none."""
    for bad, why in mistakes:
        if np.shape(bad) == np.shape(got) and np.allclose(got, bad):
            raise NotYet(why + ".")


def _constant_ratio(got, want):
    mask = np.abs(want) > 1e-12
    if not mask.any():
        return None
    ratios = got[mask] / want[mask]
    if (np.allclose(ratios, ratios.flat[0], rtol=1e-6) and not np.isclose(ratios.flat[0], 1)
            and abs(ratios.flat[0]) > 1e-9):
        return float(ratios.flat[0])
    return None


def _shown(value) -> str:
    return "`...`" if value is Ellipsis else repr(value)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


__all__ = ["NotYet", "Verdict", "as_array", "as_number", "call", "check", "close", "exercise",
           "known_mistake", "numbers", "title", "unfinished"]
