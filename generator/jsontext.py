"""JSON text that is safe inside a <script> element or a .js file (the templates' script_json filter and
the search data), and the same everywhere: sorted keys, no spaces, UTF-8 as it is."""

from __future__ import annotations

import json


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def script_json(value) -> str:
    """JSON that is safe inside a <script> element or a .js file."""
    return safe(dumps(value))


def safe(text: str) -> str:
    """JSON text made safe inside a <script> element or a .js file (character by character, so the
    pieces of a text can be made safe apart and joined)."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
