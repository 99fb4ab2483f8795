"""Escaping for script data, and hand-written content files left exactly as written."""

from __future__ import annotations

import json

from generator.pipeline import run_import
from generator.jsontext import script_json


def test_script_json_cannot_break_out_of_a_script_element():
    value = {"t": "</script><!-- <script>alert(1)</script> & \u2028\u2029"}
    text = script_json(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_import_keeps_a_hand_written_file_byte_for_byte(site_factory):
    seed_text = "Ada\n\nLG\n\nLGJan 2, 2019\nPoetical Science\n\nAda Lovelace\n\nAbout poetry.\n"
    site = site_factory(seed_text)
    run_import(site)
    path = site / "content" / "papers" / "poetical-science.yaml"
    mine = "# my notes\nvenue: Ladies' Diary   # hand-added\n" + path.read_text()
    path.write_text(mine)
    report = run_import(site)
    assert report.written == []
    assert path.read_text() == mine
