"""Whether bytes that decode as GB18030 are Chinese: GB18030 maps almost any byte string to characters, so a
Shift_JIS or Big5 note decodes "successfully" into rare characters and private-use code points (mojibake).

Chinese notes, in any topic, are made of the few thousand common characters: in the 120 Chinese training notes
at most 1.7% of the Chinese characters fall outside the 5,000 most frequent ones of jieba's dictionary; a
Japanese note decoded as GB18030 has nearly all of them outside.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

SEGMENTER_WORDS = Path(__file__).resolve().parent / "segmenter" / "words.txt"
COMMON_CHARACTERS = 5_000
MAX_RARE_SHARE = 0.15  # of the Chinese-looking characters; Chinese notes stay far below it
MIN_CHARACTERS = 20  # below this many, a share says little: a few rare characters are let through


@cache
def common_characters() -> frozenset[str]:
    """The most frequent Chinese characters, by the word frequencies of the segmenter's dictionary."""
    frequency: Counter[str] = Counter()
    with SEGMENTER_WORDS.open(encoding="utf-8") as words:
        for line in words:
            word, _, rest = line.partition(" ")
            count = int(rest.split(" ", 1)[0] or 0)
            for character in word:
                frequency[character] += count
    return frozenset(character for character, _ in frequency.most_common(COMMON_CHARACTERS))


def _is_ideograph_like(character: str) -> bool:
    code = ord(character)
    return 0x3400 <= code <= 0x9FFF or 0xE000 <= code <= 0xF8FF or 0x20000 <= code <= 0x3FFFF


def reads_as_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 is made of common Chinese characters, as notes are.

    >>> reads_as_chinese("旋转位置编码把位置信息写进注意力的查询和键里，长度外推更稳定。")
    True
    >>> reads_as_chinese("機械学習のノートです。".encode("shift_jis").decode("gb18030"))
    False
    """
    characters = [character for character in text if _is_ideograph_like(character)]
    common = common_characters()
    rare = sum(character not in common for character in characters)
    if len(characters) < MIN_CHARACTERS:
        return rare < 5
    return rare <= MAX_RARE_SHARE * len(characters)
