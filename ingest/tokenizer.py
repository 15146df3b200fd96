"""spaCy tokenizer for mixed Chinese/English notes: one token per Chinese character, English terms whole."""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from graph.normalize import normalize_text

# English words and terms stay whole across inner hyphens, dots and apostrophes: GPT-3, Top-P, LLaMA-2, v1.5.
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9+#]|[-.'](?=[A-Za-z0-9]))*|\S")
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SENTENCE_END = frozenset("。！？；!?;\n")


def fold_width(text: str) -> str:
    """Map full-width ASCII to half-width, keeping the length, so offsets still point into the source."""
    return text.translate(_FULLWIDTH)


class MixedTokenizer:
    """Splits text into spaCy tokens; each word's lexeme gets a normalised NORM for case/width/script-free matching."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._normed: set[str] = set()

    def __call__(self, text: str) -> Doc:
        text = fold_width(text)
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool] = []
        position = 0
        sentence_start = True
        for match in _TOKEN.finditer(text):
            start = match.start()
            if start > position:
                gap = text[position:start]
                if words and gap[0] == " ":
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
                    starts.append(sentence_start)
                    sentence_start = sentence_start or "\n" in gap
            word = match.group()
            words.append(word)
            spaces.append(False)
            starts.append(sentence_start)
            sentence_start = word in _SENTENCE_END
            position = match.end()
            if word not in self._normed:
                self._set_norm(word)
        if position < len(text):
            tail = text[position:]
            if words and tail[0] == " ":
                spaces[-1] = True
                tail = tail[1:]
            if tail:
                words.append(tail)
                spaces.append(False)
                starts.append(sentence_start)
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts or None)

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
