"""Real text for a character model: 22 modules of Python's own standard library.

The text ships with the course, in ``data/stdlib_corpus/`` (``DATA_DIR``): the modules
of ``FILES`` (and of ``UNSEEN``, below) exactly as CPython ``MEASURED_ON`` installs them,
read as UTF-8 in the fixed order of ``FILES``, with Python's ``LICENSE.txt`` beside them.
They are Python's, under the Python Software Foundation License Version 2 (optparse.py
also carries its own BSD-style notice), which allows copies that keep the notices. A
copy, rather than the running interpreter's own files, because the standard library
changes between releases (Python 3.13's differs): with the copy, the text, the shipped
weights and every number in notebook 08 are the same on every Python. ``SHA256`` pins
it; ``Corpus.matches`` says whether a text is that one, and the tests check it.
``copy_from_stdlib`` rebuilds the folder from an interpreter's standard library (the
modules were chosen among those byte-identical in CPython 3.11.2 and 3.11.7).

Split: the last tenth of every file (from the first line that starts at or after 90%
of its characters) is held out for validation; the rest, in the same file order, is
the training text. Validation text from the same files as the training text favours a
model that remembers what a file said earlier, so ``UNSEEN`` lists six more modules,
read whole (``load(files=UNSEEN, held_out=1)``), that no model of the course trains on.

Characters are encoded over a fixed vocabulary ``VOCAB``: index 0 is the unknown
symbol ``UNK`` (any character outside the vocabulary, e.g. "é"), then newline and the
95 printable ASCII characters. Features of the text (inside a string literal or a
comment, bracket depth, indentation, position in the line) come from Python's own
``tokenize`` run on each whole file, so a model's units can be compared with the syntax
it is reading; ``string_spans`` lists the string literals and which are triple-quoted.
"""

from __future__ import annotations

import hashlib
import io
import platform
import shutil
import sysconfig
import tokenize
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import vocab

FILES = (
    "cmd.py", "csv.py", "difflib.py", "functools.py", "fractions.py", "graphlib.py",
    "heapq.py", "numbers.py", "operator.py", "optparse.py", "os.py", "pprint.py",
    "queue.py", "random.py", "shlex.py", "smtplib.py", "statistics.py", "string.py",
    "textwrap.py", "tokenize.py", "warnings.py", "weakref.py",
)
"""The modules read, in this order."""

SHA256 = "335543682f0964a5030e92b65a3cd48386fbb79d2f40501b0441da3149b5b705"
"""sha256 of the whole corpus text (every file of FILES, concatenated, UTF-8)."""

UNSEEN = ("copy.py", "glob.py", "shelve.py", "filecmp.py", "code.py", "gzip.py")
"""Modules no model trains on, for a test on new files: general-purpose modules of 8 to
25 thousand characters, byte-identical in CPython 3.11.2 and 3.11.7, picked before
any model was scored on them."""

UNSEEN_SHA256 = "96c78507e6cb33292908acf2474820d883ca9ea9c0dc4ee49cc68a6836f00dad"
"""sha256 of the UNSEEN files, concatenated, UTF-8."""

MEASURED_ON = "3.11.7"
"""The CPython version whose standard library gave SHA256."""

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "stdlib_corpus"
"""Where the course keeps its copy of the modules (and Python's LICENSE.txt)."""

UNK = "\u00bf"
"""Stands for every character outside the vocabulary ("¿"), at vocab.UNK_ID (0)."""

VOCAB = UNK + "\n" + "".join(chr(k) for k in range(32, 127))
"""Index 0 is UNK, then newline, then the 95 printable ASCII characters (space to ~)."""

HELD_OUT = 0.1
"""The fraction of every file held out for validation."""

FEATURES = ("string", "comment", "depth", "indent", "column")
"""What ``syntax_features`` measures after each character, in this order."""



def stdlib_dir() -> Path:
    """Where the running interpreter's standard library lives."""
    return Path(sysconfig.get_paths()["stdlib"])


def read(name: str, root=None) -> str:
    """One module's text, from the course's copy (or from the folder ``root``)."""
    path = (DATA_DIR if root is None else Path(root)) / name
    if not path.is_file():
        raise FileNotFoundError(f"corpus: {name} is not in {path.parent}")
    return path.read_text(encoding="utf-8")


def copy_from_stdlib(dest=DATA_DIR, root=None) -> Path:
    """Copy FILES, UNSEEN and LICENSE.txt from a standard library (the running
    interpreter's, or the folder ``root``) into ``dest``, after checking that they are
    the text the course measured. Returns dest."""
    root = stdlib_dir() if root is None else Path(root)
    for files, expected in ((FILES, SHA256), (UNSEEN, UNSEEN_SHA256)):
        digest = hashlib.sha256("".join(read(f, root) for f in files).encode("utf-8"))
        if digest.hexdigest() != expected:
            raise ValueError(f"corpus: the modules in {root} are not the text the course "
                             f"measured on CPython {MEASURED_ON} (sha256 differs)")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*FILES, *UNSEEN, "LICENSE.txt"):
        shutil.copyfile(root / name, dest / name)
    return dest


def encode(text: str) -> np.ndarray:
    """text -> (len(text),) int64 indices into VOCAB; unknown characters become 0 (UNK)."""
    return vocab.encode(text, VOCAB)


def decode(ids) -> str:
    """Indices into VOCAB -> text (index 0 reads as UNK)."""
    return "".join(VOCAB[k] for k in np.asarray(ids, dtype=np.int64).ravel())


def split_point(text: str, held_out: float = HELD_OUT) -> int:
    """Where a file's held-out tail starts: the first line start at or after
    (1 − held_out) of its characters (len(text) if there is none; 0 for held_out = 1)."""
    cut = int(len(text) * (1 - held_out))
    if cut <= 0:
        return 0
    newline = text.find("\n", cut - 1)
    return len(text) if newline < 0 else newline + 1


def string_spans(text: str, string) -> tuple:
    """The string literals marked by a ``string`` feature column (see syntax_features).

    text: str of length N; string: (N,) 1.0 inside a literal. Returns (starts, ends,
    triple): (S,) ints, each literal text[start:end] without its closing quote, and
    (S,) bool, whether it opens with three quotes (after a prefix such as r, b, f, rb).
    """
    flag = np.concatenate([[0.0], np.asarray(string, dtype=np.float64) > 0, [0.0]])
    starts = np.flatnonzero(np.diff(flag) == 1)
    ends = np.flatnonzero(np.diff(flag) == -1)
    triple = np.array([text[a:a + 5].lstrip("rbfuRBFU")[:3] in ('"""', "'''")
                       for a in starts], dtype=bool)
    return starts, ends, triple


def syntax_features(text: str) -> np.ndarray:
    """What a reader knows after each character of a Python source file.

    Returns (len(text), 5) float64, columns in the order of FEATURES:
    - string: 1.0 from the first character of a string literal (its prefix or opening
      quote) up to, but not including, its closing quote; 0.0 elsewhere
    - comment: 1.0 from a comment's # to the end of its line (not the newline)
    - depth: how many brackets ( [ { are open
    - indent: the spaces read so far at the start of the current line
    - column: characters since the last newline (0 on the newline itself)
    The file must be valid Python (tokenize reads it). The features are the same on
    every Python: since 3.12 tokenize splits an f-string into FSTRING_START, its parts and
    FSTRING_END, which are counted as the one string literal that 3.11 reports.
    """
    n = len(text)
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)   # one code per char
    newline = chars == ord("\n")
    line_starts = np.concatenate([[0], np.flatnonzero(newline) + 1])

    def offset(row_col):
        return int(line_starts[row_col[0] - 1]) + row_col[1]

    string = np.zeros(n)
    comment = np.zeros(n)
    brackets = np.zeros(n)
    inside_f = 0                 # Python 3.12+ hands an f-string over in pieces: see below
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        kind = tokenize.tok_name[tok.type]
        if kind == "FSTRING_START":
            inside_f += 1
            if inside_f == 1:
                f_start = offset(tok.start)
        elif kind == "FSTRING_END":
            inside_f -= 1
            if inside_f == 0:        # one literal, as Python 3.11 reads it: one STRING
                string[f_start: offset(tok.end) - 1] = 1.0
        elif inside_f:
            continue                 # brackets inside {...} of an f-string are the string's
        elif tok.type == tokenize.STRING:
            string[offset(tok.start): offset(tok.end) - 1] = 1.0
        elif tok.type == tokenize.COMMENT:
            comment[offset(tok.start): offset(tok.end)] = 1.0
        elif tok.type == tokenize.OP and tok.string in "([{":
            brackets[offset(tok.start)] += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            brackets[offset(tok.start)] -= 1
    positions = np.arange(n)
    line_of = np.searchsorted(line_starts, positions, side="right") - 1
    column = positions - line_starts[line_of] + 1                # after reading char t
    column[newline] = 0
    # leading spaces read so far: the column while every character of the line so far
    # is a space, then frozen at the first other character
    not_space = chars != ord(" ")
    first_other = np.full(len(line_starts), np.iinfo(np.int64).max)
    np.minimum.at(first_other, line_of[not_space], positions[not_space])
    indent = np.minimum(column, first_other[line_of] - line_starts[line_of])
    return np.column_stack([string, comment, np.cumsum(brackets), indent,
                            column]).astype(np.float64)


@dataclass
class Corpus:
    """The text, split, encoded, with its syntax features.

    - train_text, val_text: str; train, val: (N,) int64 indices into VOCAB
    - train_features, val_features: (N, 5) float64, columns named by FEATURES
    - files: FILES; sha256: of the whole text; python: the interpreter that read it
    """

    train_text: str
    val_text: str
    train: np.ndarray
    val: np.ndarray
    train_features: np.ndarray
    val_features: np.ndarray
    files: tuple
    sha256: str
    python: str

    @property
    def matches(self) -> bool:
        """Whether this is exactly the text the course measured (SHA256, or UNSEEN_SHA256
        for the UNSEEN modules)."""
        return {FILES: SHA256, UNSEEN: UNSEEN_SHA256}.get(tuple(self.files)) == self.sha256

    def __repr__(self):
        return (f"Corpus({len(self.files)} modules of Python's standard library: "
                f"{len(self.train):,} training and {len(self.val):,} validation characters)")


def load(root=None, files=FILES, held_out: float = HELD_OUT) -> Corpus:
    """Read ``files`` from the course's copy (or from the folder ``root``, e.g.
    ``stdlib_dir()``) and split each at ``split_point(text, held_out)``: held_out = 1
    puts every file, whole, in val.

    Raises FileNotFoundError naming the file and the folder if one is missing.
    """
    heads, tails, head_features, tail_features = [], [], [], []
    digest = hashlib.sha256()
    for name in files:
        text = read(name, root)
        digest.update(text.encode("utf-8"))
        cut = split_point(text, held_out)
        features = syntax_features(text)
        heads.append(text[:cut])
        tails.append(text[cut:])
        head_features.append(features[:cut])
        tail_features.append(features[cut:])
    train_text, val_text = "".join(heads), "".join(tails)
    return Corpus(train_text=train_text, val_text=val_text, train=encode(train_text),
                  val=encode(val_text), train_features=np.concatenate(head_features),
                  val_features=np.concatenate(tail_features), files=tuple(files),
                  sha256=digest.hexdigest(), python=platform.python_version())
