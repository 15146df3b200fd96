"""Alias pairs written with brackets: which words before a bracket name the thing inside it."""

import pytest

from ingest.discovery import bracket_pairs


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("旋转位置编码（RoPE）改进了位置编码", [("旋转位置编码", "RoPE")]),
        ("·ROPE（旋转位置编码）与 Grouped-Query Attention (GQA)",
         [("ROPE", "旋转位置编码"), ("Grouped-Query Attention", "GQA")]),
        ("多头注意力\n(MHA)", [("多头注意力", "MHA")]),  # a line break before the bracket still joins them
        ("特点：\n(MHA)", []),
        ("(GQA)(MQA)", []),
        ("KV Cache (键值缓存 (嵌套)) ", []),  # nested brackets are not an alias pair
        ("x" * 120 + " Flash Attention (FA)", [("Flash Attention", "FA")]),  # only the last 80 characters count
    ],
)
def test_bracket_pairs(text: str, pairs: list[tuple[str, str]]) -> None:
    assert bracket_pairs(text) == pairs
