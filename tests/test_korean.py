"""Korean particles by rule (cnnlib/korean.py, cnnlib/explorers/korean.js): "1.33을", "1이", "2가", "10으로", "7로".

The rules are checked against readings written out here independently: every whole number
is read in full the Sino-Korean way ("만 이천삼백사십오"), decimals digit by digit after the
point, letters by their English names, English words by their Korean spelling, and the
last syllable's final consonant is taken by Unicode arithmetic. The browser's copy of the
rules must give the same answers (run with node), and the explorers' Korean texts use it.
"""

import json
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from cnnlib import korean
from cnnlib.korean import PAIRS, final_consonant, final_is_rieul, has_final, particle, resolve_particles

ROOT = Path(__file__).resolve().parents[1]
KOREAN_JS = ROOT / "cnnlib" / "explorers" / "korean.js"


# --- an independent reading -------------------------------------------------------------------

DIGIT_NAMES = "영일이삼사오육칠팔구"
PLACES = ("천", "백", "십", "")
GROUP_NAMES = ("", "만", "억", "조", "경", "해")


def read_group(n):
    """A number below 10,000 read aloud: 3045 is 삼천사십오 (1 before 십, 백, 천 is not said)."""
    said = ""
    for place, digit in zip(PLACES, f"{n:04d}"):
        d = int(digit)
        if d:
            said += ("" if d == 1 and place else DIGIT_NAMES[d]) + place
    return said


def read_whole(n):
    """A whole number read aloud the Sino-Korean way, a space after each 만, 억, ...: 120000 is 십이만, 0 is 영."""
    if n == 0:
        return "영"
    groups, i = [], 0
    while n:
        n, g = divmod(n, 10_000)
        if g:
            groups.append(("" if (g, i) == (1, 1) else read_group(g)) + GROUP_NAMES[i])  # 만, not 일만
        i += 1
    return " ".join(reversed(groups))


def read_number(text):
    """A written number read aloud: "1,000.25" is 천 점 이오 (decimals digit by digit)."""
    whole, _, fraction = text.replace(",", "").partition(".")
    said = read_whole(int(whole))
    return said + (" 점 " + "".join(DIGIT_NAMES[int(d)] for d in fraction) if fraction else "")


def final_of(reading):
    """The final consonant of the reading's last syllable, by the Unicode names of its parts: "" for none."""
    parts = unicodedata.normalize("NFD", reading[-1])  # initial, vowel and final of the syllable
    if len(parts) < 3:
        return ""
    return unicodedata.lookup(unicodedata.name(parts[2]).replace("JONGSEONG", "LETTER"))  # ᆯ -> ㄹ


def test_the_independent_reading_reads_as_korean_does():
    assert [read_number(n) for n in ("0", "10", "20", "100", "1000", "10000", "100000", "12345", "1.33", "2.0")] == [
        "영", "십", "이십", "백", "천", "만", "십만", "만 이천삼백사십오", "일 점 삼삼", "이 점 영"]
    assert read_whole(100_010_000) == "일억 만" and read_whole(10**12) == "일조"
    assert [final_of(s) for s in ("삼", "이", "칠", "십", "값", "닭")] == ["ㅁ", "", "ㄹ", "ㅂ", "ㅄ", "ㄺ"]


# --- numbers ------------------------------------------------------------------------------------

BOOK_NUMBERS = {  # the task's examples: what a reader hears, and whether it ends in a consonant
    "1.33": ("삼", True), "1": ("일", True), "2": ("이", False), "9": ("구", False), "10": ("십", True),
    "7": ("칠", True), "20": ("이십", True), "100": ("백", True), "1000": ("천", True), "10000": ("만", True),
    "100000": ("십만", True), "0": ("영", True), "3": ("삼", True), "4": ("사", False), "5": ("오", False),
    "6": ("육", True), "8": ("팔", True), "0.5": ("오", False), "2.0": ("영", True), "10,000": ("만", True),
    "10^12": ("일조", False), "12.5%": ("퍼센트", False), "3x3": ("삼", True), "3×3": ("삼", True), "-4": ("사", False),
    "−0.25": ("오", False), "+6": ("육", True), "1,234,567": ("칠", True), "1,000.5": ("오", False),
}


@pytest.mark.parametrize("word, heard", BOOK_NUMBERS.items(), ids=list(BOOK_NUMBERS))
def test_the_books_numbers(word, heard):
    word = str(10**12) if word == "10^12" else word
    assert has_final(word) == heard[1], (word, heard)
    assert final_consonant(word) == final_of(heard[0])


def test_every_whole_number_up_to_100000_as_read_aloud():
    wrong = [n for n in range(100_001) if final_consonant(str(n)) != final_of(read_whole(n))]
    assert not wrong, f"{len(wrong)} numbers read wrongly, such as {wrong[:10]}"


def test_large_numbers_with_and_without_thousands_separators():
    rng = random.Random(0)
    numbers = [rng.randrange(10**k) * 10**rng.randrange(12) for k in range(1, 10) for _ in range(300)]
    numbers += [10**k for k in range(24)] + [2 * 10**k for k in range(24)]
    for n in numbers:
        assert final_consonant(str(n)) == final_consonant(f"{n:,}") == final_of(read_whole(n)), n


def test_decimals_are_read_digit_by_digit_after_the_point():
    rng = random.Random(1)
    texts = [f"{rng.uniform(-1000, 1000):.{rng.randrange(1, 5)}f}" for _ in range(400)]
    texts += [f"{d / 10:.1f}" for d in range(100)] + [f"{rng.random():.3f}" for _ in range(100)] + [".5", "2.00"]
    for text in texts:
        assert final_consonant(text) == final_of(read_number(text.lstrip("-") if text[0] != "." else "0" + text)), text


# --- letters, words, symbols, brackets ---------------------------------------------------------

LETTER_NAMES = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    "에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 제트").split()))
WORDS = {  # English words and names as Korean writes them
    "kernel": "커널", "padding": "패딩", "stride": "스트라이드", "layer": "레이어", "step": "스텝", "net": "넷",
    "output": "아웃풋", "input": "인풋", "dropout": "드롭아웃", "Flatten": "플래튼", "Linear": "리니어",
    "Adam": "아담", "PyTorch": "파이토치", "max": "맥스", "softmax": "소프트맥스", "pixel": "픽셀", "frame": "프레임",
    "line": "라인", "scale": "스케일", "batch": "배치", "test": "테스트", "loop": "루프", "map": "맵", "lab": "랩",
    "logic": "로직", "stack": "스택", "tensor": "텐서", "epoch": "에포크", "model": "모델", "label": "레이블",
    "train": "트레인", "None": "논", "True": "트루", "False": "폴스", "tuple": "튜플", "format": "포맷",
    "plot": "플롯", "widget": "위젯", "dataset": "데이터셋", "float": "플로트", "list": "리스트",
    "Sequential": "시퀀셜", "Keras": "케라스", "python": "파이썬", "numpy": "넘파이", "pool": "풀", "up": "업",
    "ReLU": "렐루", "CNN": "씨엔엔", "MNIST": "엠니스트", "GPU": "지피유", "Conv2d": "콘브투디",
    "BatchNorm2d": "배치놈투디", "lr": "엘알", "px": "피엑스", "std": "에스티디", "nn": "엔엔", "SGD": "에스지디",
    "kB": "킬로바이트", "JupyterLab": "주피터랩", "float32": "플로트삼십이", "bf16": "비에프십육",
}
GREEK = {"α": "알파", "β": "베타", "γ": "감마", "δ": "델타", "ε": "엡실론", "θ": "세타", "λ": "람다", "μ": "뮤",
         "σ": "시그마", "Σ": "시그마", "ο": "오미크론", "υ": "입실론", "π": "파이", "ω": "오메가"}
SYMBOLS = {"%": "퍼센트", "°": "도", "²": "제곱", "28²": "제곱", "3³": "세제곱"}


@pytest.mark.parametrize("letter", sorted(LETTER_NAMES) + [c.upper() for c in sorted(LETTER_NAMES)])
def test_a_latin_letter_is_read_by_its_english_name(letter):
    assert final_consonant(letter) == final_of(LETTER_NAMES[letter.lower()])
    assert has_final(letter) == (letter.lower() in "lmnr")


@pytest.mark.parametrize("word, spelt", {**WORDS, **GREEK, **SYMBOLS}.items())
def test_words_greek_letters_and_symbols_as_korean_writes_them(word, spelt):
    assert final_consonant(word) == final_of(spelt), (word, spelt)


def test_hangul_by_unicode_arithmetic_and_lone_letters_by_their_names():
    rng = random.Random(2)
    for syllable in [chr(c) for c in rng.sample(range(0xAC00, 0xD7A4), 2000)] + ["가", "힣", "값", "닭"]:
        assert final_consonant("커널 " + syllable) == final_of(syllable)
    names = {"ㄱ": "기역", "ㄴ": "니은", "ㄷ": "디귿", "ㄹ": "리을", "ㅁ": "미음", "ㅂ": "비읍", "ㅅ": "시옷", "ㅇ": "이응",
             "ㅈ": "지읒", "ㅊ": "치읓", "ㅋ": "키읔", "ㅌ": "티읕", "ㅍ": "피읖", "ㅎ": "히읗"}
    assert {letter: final_consonant(letter) for letter in names} == {k: final_of(v) for k, v in names.items()}
    assert final_consonant("ㅏ") == ""


@pytest.mark.parametrize("word, heard", [
    ("(3)", "삼"), ("[6]", "육"), ('"ReLU"', "렐루"), ("`x`", "엑스"), ("**10**", "십"), ("“커널”", "널"),
    ("(1.33)", "삼"), ("'7'", "칠"), ("f(x)", "엑스"), ("[0, 1, 2]", "이"), ("입력[{r}]", "알"), ("(kernel)", "널"),
    ("3 ", "삼"), ("1,2", "이"), ("1e-05", "오"), ("v1.2.3", "삼"), ("입력 크기 I", "아이"),
])
def test_closing_marks_are_not_read(word, heard):
    assert final_consonant(word) == final_of(heard)


@pytest.mark.parametrize("word, ends_in_rieul", [
    ("1", True), ("7", True), ("8", True), ("11", True), ("1.7", True), ("l", True), ("r", True), ("kernel", True),
    ("커널", True), ("ㄹ", True), ("3", False), ("10", False), ("닭", False), ("2", False), ("n", False)])
def test_final_is_rieul(word, ends_in_rieul):
    assert final_is_rieul(word) == ends_in_rieul


# --- particles ----------------------------------------------------------------------------------

FORMS = {  # pair: its form after 삼 (3), after 이 (2), after 칠 (7)
    "을/를": ("을", "를", "을"), "이/가": ("이", "가", "이"), "은/는": ("은", "는", "은"), "과/와": ("과", "와", "과"),
    "으로/로": ("으로", "로", "로"), "이나/나": ("이나", "나", "이나"), "이라/라": ("이라", "라", "이라"),
    "이다/다": ("이다", "다", "이다"), "아/야": ("아", "야", "아"),
}


def test_the_table_covers_every_pair():
    assert set(FORMS) == set(PAIRS)


@pytest.mark.parametrize("pair", PAIRS)
def test_each_pair_after_a_consonant_a_vowel_and_rieul(pair):
    assert (particle("3", pair), particle("2", pair), particle("7", pair)) == FORMS[pair]


@pytest.mark.parametrize("text, resolved", [
    ("1.33을/를 내림해 1이/가 된다", "1.33을 내림해 1이 된다"),
    ("10으로/로 맞췄다, 7으로/로 맞췄다, 9으로/로 맞췄다", "10으로 맞췄다, 7로 맞췄다, 9로 맞췄다"),
    ("ReLU은/는 max(0, x)이다/다", "ReLU는 max(0, x)다"),
    ("정확도는 0.912이/가 된다.", "정확도는 0.912가 된다."),
    ("커널과/와 입력", "커널과 입력"), ("(3)을/를 보자", "(3)을 보자"), ("`x`와/과 `y`", "`x`와/과 `y`"),
    ("`x`과/와 `y`", "`x`와 `y`"), ("3이나/나 4", "3이나 4"), ("5이라/라는 값", "5라는 값"), ("3아/야", "3아"),
    ("10,000이/가", "10,000이"), ("12.5%이/가 줄었다", "12.5%가 줄었다"), ("3x3을/를 쓴다", "3x3을 쓴다"),
    ("을/를 고른다", "을/를 고른다"), ("값 을/를", "값 을/를"),  # after a space or at the start: left as written
    ("입력/출력, A/B, x/y, 1/2", "입력/출력, A/B, x/y, 1/2"),  # slashes that are no pair
    ("3.을/를", "3.을/를"), ("…이/가", "…이/가"),  # nothing read aloud before it: left as written
    ("", ""), ("그냥 문장", "그냥 문장"),
])
def test_resolve_particles(text, resolved):
    assert resolve_particles(text) == resolved


def test_resolve_particles_matches_particle_on_every_number_and_pair():
    for n in [0, 1, 2, 3, 7, 10, 19, 100, 1000, 10000, 123456]:
        for pair in PAIRS:
            assert resolve_particles(f"값 {n}{pair} 끝") == f"값 {n}{particle(str(n), pair)} 끝"


@pytest.mark.parametrize("call, arguments, words", [
    (final_consonant, (3,), "word must be a string"), (final_consonant, (None,), "word"),
    (has_final, ("",), "word must end in"), (has_final, ("3.",), "word must end in"), (has_final, ("…",), "word"),
    (has_final, (b"3",), "word"), (final_is_rieul, (")",), "word"), (final_is_rieul, (7,), "word"),
    (particle, ("3", "를/을"), "pair must be one of"), (particle, ("3", None), "pair"), (particle, ("3", "(으)로"), "pair"),
    (particle, ("?", "을/를"), "word"), (particle, (3, "을/를"), "word"),
    (resolve_particles, (None,), "text must be a string"), (resolve_particles, ("1을/를".encode(),), "text"),
])
def test_bad_arguments_are_value_errors(call, arguments, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call(*arguments)


def test_the_public_api_is_listed():
    assert set(korean.__all__) == {"PAIRS", "final_consonant", "has_final", "final_is_rieul", "particle",
                                   "resolve_particles"}


# --- the browser's copy of the rules ------------------------------------------------------------

needs_node = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed: the browser's rules (cnnlib/explorers/korean.js) are not compared")

RUN_KOREAN_JS = """
const fs = require("fs");
const k = new Function(fs.readFileSync(process.argv[1], "utf8") +
  "; return { finalConsonant, particle, resolveParticles };")();
const { words, pairs, sentences } = JSON.parse(fs.readFileSync(0, "utf8"));
const attempt = (f) => { try { return f(); } catch (e) { return null; } };
console.log(JSON.stringify({
  finals: words.map((w) => attempt(() => k.finalConsonant(w))),
  particles: words.map((w) => pairs.map((p) => attempt(() => k.particle(w, p)))),
  sentences: sentences.map((s) => k.resolveParticles(s)),
}));
"""


def python_answer(call, *arguments):
    try:
        return call(*arguments)
    except ValueError:
        return None


def comparison_words():
    rng = random.Random(3)
    words = [str(n) for n in range(0, 1001)] + [str(rng.randrange(10**rng.randrange(2, 20))) for _ in range(1000)]
    words += [f"{rng.randrange(10**7):,}" for _ in range(200)] + [str(10**k) for k in range(30)]
    words += [f"{rng.uniform(-100, 100):.{rng.randrange(1, 4)}f}" for _ in range(300)]
    words += [chr(c) for c in rng.sample(range(0xAC00, 0xD7A4), 400)] + list("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎㅏㅣㄳ")
    words += list(LETTER_NAMES) + [c.upper() for c in LETTER_NAMES] + list(WORDS) + list(GREEK) + list(SYMBOLS)
    words += [f"{o}{w}{c}" for w in ("3", "ReLU", "x", "커널", "1.5") for o, c in ("()", "[]", '""', "``", "“”", "**")]
    words += ["", " ", "3.", "!", "…", "·", "x)", "12.5%", "3x3", "3×3", "−7", "1e-05", "v1.2.3", "1,2", "1234,567",
              "kB", "lr", "hub", "check", "bit", "a.b", "\u00a0", "3\u00a0"]
    return words


@needs_node
def test_the_browser_and_python_agree_on_thousands_of_words():
    words = comparison_words()
    assert len(words) >= 3000
    sentences = [f"{w}을/를 {w}으로/로, ({w})이/가 {w} 은/는 입력/출력" for w in words]
    run = subprocess.run(["node", "-e", RUN_KOREAN_JS, str(KOREAN_JS)], capture_output=True, text=True,
                         input=json.dumps({"words": words, "pairs": list(PAIRS), "sentences": sentences}), timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    js = json.loads(run.stdout)
    python = {"finals": [python_answer(final_consonant, w) for w in words],
              "particles": [[python_answer(particle, w, p) for p in PAIRS] for w in words],
              "sentences": [resolve_particles(s) for s in sentences]}
    for key in python:
        differ = [(w, p, j) for w, p, j in zip(words, python[key], js[key]) if p != j]
        assert not differ, f"{key}: Python and korean.js differ on {len(differ)} words, such as {differ[:5]}"


# --- the explorers' Korean texts ----------------------------------------------------------------

RUN_EXPLORERS = """
globalThis.document = { documentElement: { lang: process.argv[2] } };
import(process.argv[1]).then(({ t, KOREAN }) => {
  const calls = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(JSON.stringify({ said: calls.map(([text, values]) => t(text, values)), korean: KOREAN }));
});
"""
ROUNDED = "(I − K + 2P) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge."
SET_TO = "{label} goes from {min} to {max}: set to {v}."
TOO_LARGE = "{text} is too large: type a number from -{max} to {max}"
NOT_A_NUMBER = "\"{text}\" is not a number: type one such as 3, -1 or 0.25"
CALLS = [
    (ROUNDED, {"a": 4, "s": 3, "q": "1.33", "f": 1}), (ROUNDED, {"a": 5, "s": 2, "q": "2.5", "f": 2}),
    (SET_TO, {"label": "입력 크기 I", "min": 1, "max": 12, "v": 10}),
    (SET_TO, {"label": "패딩 P", "min": 0, "max": 2, "v": 7}),
    (SET_TO, {"label": "K (커널)", "min": 1, "max": 5, "v": 9}),
    (TOO_LARGE, {"text": "1000000", "max": 1000}), (TOO_LARGE, {"text": "2000", "max": 1000}),
    (NOT_A_NUMBER, {"text": "abc"}), (NOT_A_NUMBER, {"text": "가나"}),
]
SAID_IN_KOREAN = [
    "(I − K + 2P) / S = 4/3 = 1.33을 내림해 1이 된다: 마지막 도장은 가장자리를 넘어가기 때문이다.",
    "(I − K + 2P) / S = 5/2 = 2.5를 내림해 2가 된다: 마지막 도장은 가장자리를 넘어가기 때문이다.",
    "입력 크기 I는 1부터 12까지다: 10으로 맞췄다.", "패딩 P는 0부터 2까지다: 7로 맞췄다.",
    "K (커널)은 1부터 5까지다: 9로 맞췄다.",
    "1000000은 너무 크다: -1000부터 1000까지의 숫자를 입력한다", "2000은 너무 크다: -1000부터 1000까지의 숫자를 입력한다",
    "\"abc\"는 숫자가 아니다: 3, -1, 0.25 같은 숫자를 입력한다", "\"가나\"는 숫자가 아니다: 3, -1, 0.25 같은 숫자를 입력한다",
]
PARTICLE_AFTER_A_NUMBER = re.compile(r"\}(?:\(으\)|\(은\)|\(을\)|\(이\))|\}(?:을|를|이|가|은|는|과|와|으로|로|이나|나|"
                                     r"이라|라|이다|다|아|야)(?=[\s.,:;)]|$)")
ALLOWED_LATIN = {"ReLU", "max", "PyTorch", "Enter", "C_in", "C_out"}  # names and a key, besides the {placeholders}


def run_explorers(tmp_path, language):
    from cnnlib.widgets import module_text
    module = tmp_path / "network-explorer.mjs"
    module.write_text(module_text(network=True) + "\nexport { t, KOREAN };\n", encoding="utf-8")
    run = subprocess.run(["node", "-e", RUN_EXPLORERS, module.as_uri(), language], capture_output=True, text=True,
                         input=json.dumps(CALLS), timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@needs_node
def test_the_explorers_korean_texts_take_the_particle_each_number_needs(tmp_path):
    assert run_explorers(tmp_path, "ko")["said"] == SAID_IN_KOREAN
    assert run_explorers(tmp_path, "en")["said"] == [text.format(**values) for text, values in CALLS]


@needs_node
def test_every_korean_text_writes_a_marker_after_a_number_and_uses_the_agreed_terms(tmp_path):
    translations = run_explorers(tmp_path, "ko")["korean"]
    fixed = {english: ko for english, ko in translations.items() if PARTICLE_AFTER_A_NUMBER.search(ko)}
    assert not fixed, f"write a marker such as {{v}}을/를 after a placeholder: {fixed}"
    terms = {"단계": "스텝", "걸음": "스텝", "탐색기": "실습 도구", "특징 맵": "특징맵", " x ": " × "}
    old = {english: ko for english, ko in translations.items() for word in terms if word in ko}
    assert not old, f"use the Korean edition's terms {terms}: {old}"
    latin = {english: words for english, ko in translations.items()
             if (words := set(re.findall(r"[A-Za-z_]{2,}", re.sub(r"\{\w+\}", "", ko))) - ALLOWED_LATIN)}
    assert not latin, f"English words in Korean texts: {latin}"
