"""Read the node and edge records a map page hands to vis-network, as the browser would get them."""

from __future__ import annotations

import json
import re
from typing import Any


def map_records(html: str, which: str = "node") -> list[dict[str, Any]]:
    """`which` is "node" or "edge": the JSON the page's script puts into its vis DataSet."""
    found = re.search(rf"var {which}Records = (\[.*?\]);\n", html, re.S)
    assert found, f"no {which} records in the page"
    return json.loads(found.group(1))
