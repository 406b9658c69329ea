"""The Korean edition's own font: Noto Sans CJK KR, cut to the characters the edition uses.

A reader without a Korean font would see Hangul as boxes, so the Korean edition serves its
font itself. It comes from Debian's package fonts-noto-cjk (the KR face of its Regular and
Bold collections; scripts/need-noto-cjk.sh installs it) and is cut with fontTools'
subsetter to the characters in the ranges below that the edition's sources hold: the
translations (locales/ko, msgstr), the Korean words of cnnlib's explorers and exercises
(cnnlib/explorers/*.js, cnnlib/*.py), the book's extensions and pages (book/_ext/*.py, book/*.md) and
the executed notebooks (book/*.ipynb: outputs and saved widgets), together with the words of
Sphinx's and the theme's own Korean catalogues. `make html` runs this before each build, so
the font always holds the text; Latin letters keep the theme's font (book/_static/korean.css
names these ranges in its unicode-range).

Writes _assets/korean/ (git-ignored; Sphinx serves _assets as _static): the two faces as
WOFF2, OFL.txt (the font's copyright and licence, the SIL Open Font License 1.1, read from
the package) and characters.txt (what the faces hold, one line). A font already up to date
is kept. `python scripts/korean_font.py --check` only reports characters missing.
"""

import argparse
import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_assets" / "korean"
NOTO = Path("/usr/share/fonts/opentype/noto")
FACES = {"Regular": NOTO / "NotoSansCJK-Regular.ttc", "Bold": NOTO / "NotoSansCJK-Bold.ttc"}
FAMILY = "Noto Sans CJK KR"  # the face taken from each collection, found by its name
COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")  # Debian's, with the OFL's text
PACKAGE = "fonts-noto-cjk"


def served_name(weight):
    """The file a face is served as, in _static/korean/."""
    return f"NotoSansCJKkr-{weight}-subset.woff2"


# The characters the font is cut to, when the sources hold them (book/_static/korean.css's
# unicode-range lists the same ranges).
RANGES = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs (Hanja)
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul Syllables, Hangul Jamo Extended-B
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
IN_RANGES = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in RANGES) + "]")


def unicode_range():
    """The ranges as CSS writes them in @font-face's unicode-range."""
    return ", ".join(f"U+{a:04X}-{b:04X}" for a, b in RANGES)


def strings(value):
    """Every string inside a notebook's JSON: cells, outputs, saved widget state."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def translations(path):
    """The translated strings (msgstr) of one gettext catalogue."""
    from babel.messages.pofile import read_po
    with open(path, "rb") as f:
        for message in read_po(f):
            found = message.string
            yield from (found if isinstance(found, (list, tuple)) else [found or ""])


def upstream_catalogues():
    """Sphinx's and the book theme's own Korean catalogues: their words appear on every page."""
    import sphinx
    import sphinx_book_theme
    found = [Path(sphinx.__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "sphinx.po"]
    found += Path(sphinx_book_theme.__file__).parent.rglob("locales/ko/LC_MESSAGES/*.po")
    return [path for path in found if path.is_file()]


def source_texts(root=ROOT):
    """(file, text) for every source of the Korean edition's text."""
    for path in sorted(glob.glob(str(root / "locales" / "ko" / "**" / "*.po"), recursive=True)):
        yield path, "\n".join(translations(path))
    for path in upstream_catalogues():
        yield str(path), "\n".join(translations(path))
    for pattern in ("cnnlib/**/*.js", "cnnlib/*.py", "book/_ext/*.py", "book/*.md"):
        for path in sorted(root.glob(pattern)):
            yield str(path), path.read_text(encoding="utf-8")
    for path in sorted(root.glob("book/*.ipynb")):
        yield str(path), "\n".join(strings(json.loads(path.read_text(encoding="utf-8"))))


def characters(root=ROOT):
    """The characters in RANGES that the Korean edition's sources hold, sorted."""
    found = set()
    for _, text in source_texts(root):
        found.update(IN_RANGES.findall(text))
    return "".join(sorted(found))


def face(path):
    """The Korean face of a Noto CJK collection, as a fontTools TTFont."""
    from fontTools.ttLib import TTCollection
    collection = TTCollection(str(path), lazy=True)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"error: {path} holds no face named {FAMILY!r}")


def subset(path, chars):
    """The Korean face of `path` cut to `chars`, as WOFF2 bytes."""
    import io

    from fontTools import subset as subsetter
    font = face(path)
    options = subsetter.Options()
    options.flavor = "woff2"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 14]  # names, copyright, trademark, licence
    options.name_languages = [0x409]
    options.desubroutinize = True  # compresses better in WOFF2 (a tenth smaller)
    options.drop_tables += ["VORG", "vhea", "vmtx"]  # vertical writing: the book is horizontal
    cut = subsetter.Subsetter(options)
    cut.populate(unicodes=[ord(ch) for ch in chars])
    cut.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def licence(font_path):
    """OFL.txt: where the font comes from, its copyright notice, and the OFL 1.1's text."""
    if not COPYRIGHT.is_file():
        raise SystemExit(f"error: {COPYRIGHT} is missing: it holds the font's licence. "
                         f"Reinstall the package: sudo apt-get install --reinstall {PACKAGE}")
    text = COPYRIGHT.read_text(encoding="utf-8")
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, re.M)
    if not match:
        raise SystemExit(f"error: {COPYRIGHT} has no SIL-1.1 licence text")
    ofl = "\n".join("" if line.strip() == "." else line[1:] for line in match.group(1).splitlines())
    names = face(font_path)["name"]
    return (f"The fonts in this folder are subsets of {FAMILY} Regular and Bold "
            f"({names.getDebugName(5).split(';')[0]}),\nfrom Debian's package {PACKAGE}, "
            "cut by scripts/korean_font.py to the characters the Korean edition uses.\n\n"
            f"{names.getDebugName(0)}\n{names.getDebugName(7)}\n{names.getDebugName(13)}\n\n"
            f"{ofl.strip()}\n")


def missing(chars, out=OUT):
    """The characters of `chars` that a served face does not hold (all of them when not built)."""
    from fontTools.ttLib import TTFont
    absent = set()
    for weight in FACES:
        path = out / served_name(weight)
        held = set(TTFont(str(path)).getBestCmap()) if path.is_file() else set()
        absent.update(ch for ch in chars if ord(ch) not in held)
    return "".join(sorted(absent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report characters the font lacks")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the folder to write (default {OUT})")
    args = parser.parse_args()
    out = args.out.resolve()
    chars = characters()
    stamp = out / "characters.txt"
    if args.check:
        absent = missing(chars, out)
        print(f"{len(absent)} of {len(chars)} characters missing from {out}: {absent}" if absent
              else f"all {len(chars)} characters in {out}")
        return 1 if absent else 0
    for path in FACES.values():
        if not path.is_file():
            raise SystemExit(f"error: {path} is missing: run scripts/need-noto-cjk.sh "
                             f"(sudo apt-get install {PACKAGE})")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == chars + "\n" and not missing(chars, out) \
            and (out / "OFL.txt").is_file():
        print(f"korean font: up to date ({len(chars)} characters)")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for weight, path in FACES.items():
        (out / served_name(weight)).write_bytes(subset(path, chars))
    (out / "OFL.txt").write_text(licence(FACES["Regular"]), encoding="utf-8")
    stamp.write_text(chars + "\n", encoding="utf-8")
    sizes = ", ".join(f"{weight} {(out / served_name(weight)).stat().st_size / 1000:.0f} kB" for weight in FACES)
    print(f"korean font: {len(chars)} characters of {FAMILY} into {out}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
