"""The Korean edition's own font (scripts/korean_font.py, book/_static/korean.css).

The characters it is cut to are every Hangul and CJK character of the edition's sources; the
font cut from Debian's Noto Sans CJK KR holds each of them in both weights; the CSS serves the
files the script writes for the ranges the script reads; the licence goes with it.
tests/browser/test_korean_font.py checks the built pages against the built font.
"""

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import korean_font  # noqa: E402  (scripts/ is no package)

CSS = ROOT / "book" / "_static" / "korean.css"
ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")


def in_ranges(text):
    return set(korean_font.IN_RANGES.findall(text + "".join(chr(int(h, 16)) for h in ESCAPED.findall(text))))


def test_every_korean_character_of_the_sources_is_collected():
    # Read here as plain text, not as the script parses them: catalogues without their comments
    # (obsolete translations are comments), the JavaScript and Python, the notebooks' JSON.
    found = {}
    for path in sorted((ROOT / "locales" / "ko").rglob("*.po")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found[path] = in_ranges("\n".join(line for line in lines if not line.startswith("#")))
    for pattern in ("cnnlib/**/*.js", "cnnlib/*.py", "book/*.ipynb"):
        for path in sorted(ROOT.glob(pattern)):
            found[path] = in_ranges(path.read_text(encoding="utf-8"))
    collected = set(korean_font.characters())
    missing = {path.relative_to(ROOT): "".join(sorted(chars - collected)) for path, chars in found.items()
               if chars - collected}
    assert not missing, f"Korean characters the font would lack: {missing}"
    hangul = {ch for ch in collected if "\uac00" <= ch <= "\ud7a3"}
    assert len(hangul) > 500, "hardly any Hangul found: is the Korean edition's text where the script looks?"
    # The notebooks' outputs and saved widgets carry the exercises' Korean (their spans).
    notebook = json.loads((ROOT / "book" / "convolution.ipynb").read_text(encoding="utf-8"))
    outputs = [s for cell in notebook["cells"] for s in korean_font.strings(cell.get("outputs", []))]
    outputs += list(korean_font.strings(notebook["metadata"].get("widgets", {})))
    assert in_ranges("".join(outputs)) <= collected


@pytest.mark.skipif(not all(p.is_file() for p in korean_font.FACES.values()),
                    reason="Debian's fonts-noto-cjk is not installed (scripts/need-noto-cjk.sh; `make html` installs it)")
def test_the_font_holds_every_character_in_both_weights():
    import io

    from fontTools.ttLib import TTFont
    chars = korean_font.characters()
    for weight, path in korean_font.FACES.items():
        font = TTFont(io.BytesIO(korean_font.subset(path, chars)))
        held = set(font.getBestCmap())
        assert font.flavor == "woff2"
        assert font["name"].getDebugName(1) == korean_font.FAMILY
        absent = "".join(ch for ch in chars if ord(ch) not in held)
        assert not absent, f"{weight}: {absent}"
        assert all(korean_font.IN_RANGES.match(chr(code)) for code in held), "the font holds more than it serves"
    assert "SIL OPEN FONT LICENSE Version 1.1" in korean_font.licence(korean_font.FACES["Regular"])


def test_the_css_serves_the_scripts_files_for_its_ranges():
    css = CSS.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    assert len(faces) == len(korean_font.FACES)
    weights = {"Regular": "400", "Bold": "700"}
    for face in faces:
        weight = re.search(r"font-weight:\s*(\d+)", face).group(1)
        name = {v: k for k, v in weights.items()}[weight]
        assert f'url("korean/{korean_font.served_name(name)}")' in face
        assert re.search(r"unicode-range:\s*([^;]*);", face).group(1) == korean_font.unicode_range()
        assert '"CNN Book Korean"' in face
    # Only the Korean edition names it: every rule outside @font-face is under html[lang|="ko"].
    rules = re.sub(r"/\*.*?\*/|@font-face\s*{[^}]*}", "", css, flags=re.S)
    selectors = [s.strip() for s in re.findall(r"([^{}]+){", rules)]
    assert selectors and all(s.startswith('html[lang|="ko"]') for s in selectors), selectors
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "korean.css" in config["sphinx"]["config"]["html_css_files"]
