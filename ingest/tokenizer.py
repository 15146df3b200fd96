"""spaCy tokenizer for mixed Chinese/English notes: one token per Chinese character, English terms whole."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from graph.normalize import normalize_text

# English words and terms stay whole across inner hyphens, dots and apostrophes: GPT-3, Top-P, LLaMA-2, v1.5.
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[-.'][A-Za-z0-9][A-Za-z0-9+#]*)*|\S"
_TOKEN_AND_GAP = re.compile(rf"(?:([\u3400-\u9fff]+)|({_TOKEN}))(\s*)")
FOLDED_TEXT = "studygraph.folded_text"
_NUMBERED = re.compile(r"\d+\.[A-Za-z]")
_WIDE_FIRST, _WIDE_LAST, _WIDE_SHIFT, _IDEOGRAPHIC_SPACE = 0xFF01, 0xFF5E, 0xFEE0, 0x3000
_FULLWIDTH = {code: code - _WIDE_SHIFT for code in range(_WIDE_FIRST, _WIDE_LAST + 1)} | {_IDEOGRAPHIC_SPACE: ord(" ")}


def fold_width(text: str) -> str:
    """Map full-width ASCII to half-width, keeping the length, so offsets still point into the source.

    Works on the code points as a numpy array: `str.translate` looks each character up in a dict, which cost
    more than tokenizing. Text with lone surrogates cannot be encoded that way and takes the slow path.

    >>> fold_width("ＲｏＰＥ（旋转）　ｖ２")
    'RoPE(旋转) v2'
    """
    try:
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32).copy()
    except UnicodeEncodeError:
        return text.translate(_FULLWIDTH)
    codes[(codes >= _WIDE_FIRST) & (codes <= _WIDE_LAST)] -= _WIDE_SHIFT
    codes[codes == _IDEOGRAPHIC_SPACE] = ord(" ")
    return codes.tobytes().decode("utf-32-le")


def fold_keeping_length(text: str, fold: Callable[[str], str]) -> str:
    """`fold(text)` (lower-casing, case-folding) when it keeps every character one character, as it nearly always
    does; otherwise each character that would grow ('ß' -> 'ss', 'İ', 'ﬁ') is left as it is, so offsets found in
    the folded text still point into the source.

    >>> fold_keeping_length("Straße LoRA", str.casefold)
    'straße lora'
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(one if len(one := fold(ch)) == 1 else ch for ch in text)


def split_words(text: str) -> tuple[list[str], list[bool]]:
    """The tokens of width-folded text and whether a space follows each, as spaCy's Doc takes them.

    Every token comes with the whitespace after it: one space is spaCy's `spaces` flag, more is a token. A run of
    Chinese characters is one match (a token per character), not one match per character.

    >>> split_words("用 GPT-3  和4.Prompt")
    (['用', 'GPT-3', ' ', '和', '4.', 'Prompt'], [True, True, False, False, False, False])
    """
    words: list[str] = []
    spaces: list[bool] = []
    lead = len(text) - len(text.lstrip())
    if lead:
        words.append(text[:lead])
        spaces.append(False)
    for run, word, gap in _TOKEN_AND_GAP.findall(text, lead):
        if run:
            words.extend(run)
            spaces.extend([False] * (len(run) - 1))
        elif word[0].isdigit() and _NUMBERED.match(word):
            number, _, rest = word.partition(".")  # "4.Prompt" in "### 4.Prompt Tuning": a number, then a word
            words.extend((number + ".", rest))
            spaces.append(False)
        else:
            words.append(word)
        if not gap or gap == " ":
            spaces.append(gap == " ")
        elif gap[0] == " ":
            spaces.append(True)
            words.append(gap[1:])
            spaces.append(False)
        else:
            spaces.append(False)
            words.append(gap)
            spaces.append(False)
    return words, spaces


def token_norms(text: str, default_norm: Callable[[str], str]) -> list[str]:
    """The NORM each token of `text` gets in a Doc: normalised (case, width, script) where that changes the word,
    else the vocabulary's own (`default_norm`, which maps '–' to '-' and '“' to '"')."""
    norms = []
    for word in split_words(fold_width(text))[0]:
        folded = normalize_text(word)
        norms.append(folded if folded != word else default_norm(word))
    return norms


class MixedTokenizer:
    """Splits text into spaCy tokens; each word's lexeme gets a normalised NORM for case/width/script-free matching."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._normed: set[str] = set()

    def __call__(self, text: str) -> Doc:
        text = fold_width(text)
        words, spaces = split_words(text)
        for word in set(words) - self._normed:
            self._set_norm(word)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[FOLDED_TEXT] = text  # what doc.text would rebuild token by token, kept for the extractor
        return doc

    def _set_norm(self, word: str) -> None:
        self._normed.add(word)
        norm = normalize_text(word)
        if norm != word:
            self.vocab[word].norm_ = norm

    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> MixedTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> MixedTokenizer:
        return self


@registry.tokenizers("studygraph.mixed_tokenizer.v1")
def create_mixed_tokenizer():  # type: ignore[no-untyped-def]
    """Registered factory, so a pipeline config can name the tokenizer."""

    def make(nlp):  # type: ignore[no-untyped-def]
        return MixedTokenizer(nlp.vocab)

    return make
