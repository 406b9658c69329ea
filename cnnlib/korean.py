"""Korean particles chosen by rule: "1.33을", "1이", "2가", "9로", "10으로", "7로", "ReLU는".

A Korean particle after a word depends on how the word's last syllable ends when read
aloud: with a final consonant (받침) it takes the first form of each pair (을, 이, 은, 과,
으로, ...), without one the second (를, 가, 는, 와, 로, ...); 으로/로 takes 로 after ㄹ too.
A translation writes a marker such as "{value}을/를" and `resolve_particles` picks the form.
The same rules live in the browser (cnnlib/explorers/korean.js; tests/test_korean.py checks they agree).

How a word is read, by its end (closing brackets, quotes, backticks and asterisks ignored):
- A Hangul syllable by its own final (Unicode arithmetic); a lone consonant letter by its
  name (ㄹ is 리을).
- A whole number the Sino-Korean way, where the zeros after its last non-zero digit decide:
  none, that digit (3 삼, 2 이); one to three, 십, 백, 천 (20 이십); four or more, the
  name of the last group of four digits said (10,000 만, 100,000 십만, 6,000,000 육백만, 10^8
  억, 10^12 조, which has no 받침); 0 is 영. Beyond 10^48 (극) digits are read one by one.
  Thousands separators count only in groups of three ("10,000" is 만); signs do not matter;
  in "3x3" or "3×3" the last number is read.
- A decimal digit by digit after the point, as Korean reads it ("일 점 삼삼"): its last
  written digit decides, a trailing zero included ("2.0" is 이 점 영: 받침).
- A trailing "%" is 퍼센트 and "°" is 도 (no 받침); "²" and "³" are 제곱 and 세제곱 (ㅂ).
- Latin letters by their English names (에이, 비, 씨, ..., 엘, 엠, 엔, 알: only l, m, n
  and r have a 받침; l and r end in ㄹ). A run of letters is read letter by letter when it
  is one letter, ends in a capital (CNN, ReLU) or has no vowel (lr, px, std); otherwise it
  is an English word, read as Korean writes the loanword: a 받침 after m, n, ng, l (ㄹ),
  also with a silent e (frame, line, scale), after -out, -ck, -ic, and after p, t, k, b
  that follow a single vowel letter (step, net, output, lab); none after anything else
  (stride, layer, max, batch, test, loop).
- Greek letters by their names: only ε (엡실론), ο (오미크론), υ (입실론) have a 받침.
A word ending otherwise (a full stop, a symbol) cannot be read: the functions raise a
ValueError, and `resolve_particles` leaves its marker as written.
"""

import re

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "PAIRS", "final_consonant", "has_final", "final_is_rieul", "particle", "resolve_particles",
]

# Each pair: the form after a 받침, then the form after a vowel (and, for 으로/로, after ㄹ).
PAIRS = ("을/를", "이/가", "은/는", "과/와", "으로/로", "이나/나", "이라/라", "이다/다", "아/야")
MARKERS = re.compile("|".join(sorted(PAIRS, key=len, reverse=True)))  # the longest first
TRAILING = re.compile(r"[\s)\]}\"'`*’”»›〉》」』】]+$")  # closing marks and spaces, not read aloud
FRACTION = re.compile(r"\.([0-9]+)$")  # digits after a point, read one by one
WHOLE = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$")  # a whole number, maybe in groups of three

# The 28 finals of a Hangul syllable, in Unicode order: (syllable - 가) % 28 picks one.
FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ",
          "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")
# A lone consonant letter is read by its name (기역, 니은, 디귿, 리을, ...), which ends in it.
CONSONANT_NAMES = {"ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㄴ": "ㄴ", "ㄷ": "ㄷ", "ㄸ": "ㄷ", "ㄹ": "ㄹ", "ㅁ": "ㅁ", "ㅂ": "ㅂ",
                   "ㅃ": "ㅂ", "ㅅ": "ㅅ", "ㅆ": "ㅅ", "ㅇ": "ㅇ", "ㅈ": "ㅈ", "ㅉ": "ㅈ", "ㅊ": "ㅊ", "ㅋ": "ㅋ",
                   "ㅌ": "ㅌ", "ㅍ": "ㅍ", "ㅎ": "ㅎ"}
DIGITS = ("ㅇ", "ㄹ", "", "ㅁ", "", "", "ㄱ", "ㄹ", "ㄹ", "")  # 영 일 이 삼 사 오 육 칠 팔 구
TENS = ("", "ㅂ", "ㄱ", "ㄴ")  # 십 백 천: the places inside a group of four digits
GROUPS = ("", "ㄴ", "ㄱ", "", "ㅇ", "", "", "ㅇ", "", "ㄴ", "ㅇ", "", "ㄱ")  # 만 억 조 경 해 자 양 구 간 정 재 극
LETTERS = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}  # 엘 엠 엔 알; the other letters' names end in a vowel
SYMBOLS = {"%": "", "°": "", "²": "ㅂ", "³": "ㅂ"}  # 퍼센트, 도, 제곱, 세제곱
GREEK = {"ε": "ㄴ", "ο": "ㄴ", "υ": "ㄴ"}  # 엡실론, 오미크론, 입실론; every other Greek letter's name ends in a vowel
VOWELS = "aeiou"
WORD_ENDINGS = (  # an English word's ending and the 받침 Korean writes for it, the first that fits
    ("le", "ㄹ"), ("l", "ㄹ"), ("ng", "ㅇ"), ("me", "ㅁ"), ("m", "ㅁ"), ("ne", "ㄴ"), ("n", "ㄴ"),
    ("out", "ㅅ"), ("ck", "ㄱ"), ("ic", "ㄱ"))
SHORT_STOPS = {"p": "ㅂ", "t": "ㅅ", "k": "ㄱ", "b": "ㅂ"}  # after a single vowel letter: step 스텝, net 넷


def _check_text(name, value):
    """`value` itself, or a ValueError naming `name` unless it is a string."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {value!r}")
    return value


def _number_final(whole):
    """The 받침 of a whole number ("10,000") read the Sino-Korean way: 만."""
    digits = whole.replace(",", "").lstrip("0")
    if not digits:
        return DIGITS[0]  # 영
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros >= 4:  # the last group said is 만, 억, ...: 6,000,000 is 육백만
        return GROUPS[zeros // 4] if zeros // 4 < len(GROUPS) else DIGITS[0]  # beyond 극 (10^48): digit by digit
    return TENS[zeros] if zeros else DIGITS[int(digits[-1])]


def _word_final(word):
    """The 받침 of an English word as Korean writes it (see the module's docstring)."""
    word = word.lower()
    for ending, final in WORD_ENDINGS:
        if word.endswith(ending):
            return final
    last, before = word[-1], word[-2]
    if last in SHORT_STOPS and before in VOWELS and (len(word) < 3 or word[-3] not in VOWELS):
        return SHORT_STOPS[last]
    return ""


def _latin_final(letters):
    """The 받침 of a run of Latin letters: spelt letter by letter, or read as an English word."""
    spelt = len(letters) == 1 or letters[-1].isupper() or not any(c in VOWELS for c in letters.lower())
    return LETTERS.get(letters[-1].lower(), "") if spelt else _word_final(letters)


def _final(word):
    """The 받침 that `word` ends in when read aloud ("" for none), or None when it cannot be read."""
    word = TRAILING.sub("", word)
    if not word:
        return None
    last = word[-1]
    fraction = FRACTION.search(word)
    if fraction:
        return DIGITS[int(fraction.group(1)[-1])]
    whole = WHOLE.search(word)
    if whole:
        return _number_final(whole.group())
    if "가" <= last <= "힣":
        return FINALS[(ord(last) - ord("가")) % 28]
    if last in CONSONANT_NAMES:
        return CONSONANT_NAMES[last]
    if "ㅏ" <= last <= "ㅣ":
        return ""
    if last in SYMBOLS:
        return SYMBOLS[last]
    if "Α" <= last <= "ω":
        return GREEK.get(last.lower(), "")
    letters = re.search(r"[A-Za-z]+$", word)
    return _latin_final(letters.group()) if letters else None


def final_consonant(word):
    """The 받침 `word` ends in when read aloud, as a letter such as "ㄹ", or "" when it ends in a vowel."""
    final = _final(_check_text("word", word))
    if final is None:
        raise ValueError(f"word must end in something read aloud (Hangul, a digit, a Latin or Greek letter, "
                         f"%, °), got {word!r}")
    return final


def has_final(word):
    """Whether the last syllable of `word`, read aloud, ends in a consonant (받침): "1.33" 삼 yes, "2" 이 no."""
    return final_consonant(word) != ""


def final_is_rieul(word):
    """Whether `word`, read aloud, ends in ㄹ, after which 으로/로 takes 로: "7" 칠, "kernel" 커널."""
    return final_consonant(word) == "ㄹ"


def _form(final, pair):
    """The form of `pair` after a word ending in `final`."""
    after_consonant, after_vowel = pair.split("/")
    if final == "" or (final == "ㄹ" and pair == "으로/로"):
        return after_vowel
    return after_consonant


def particle(word, pair):
    """The particle of `pair` ("을/를", "이/가", ...) that follows `word`: particle("1.33", "을/를") is "을"."""
    if pair not in PAIRS:
        raise ValueError(f"pair must be one of {', '.join(PAIRS)}, got {pair!r}")
    return _form(final_consonant(word), pair)


def resolve_particles(text):
    """`text` with each marker such as "을/를" written right after a word replaced by the form that word takes.

    "1.33을/를 내림해 1이/가 된다" becomes "1.33을 내림해 1이 된다". A marker after a space, at
    the start, or after a word that cannot be read stays as it is.
    """
    _check_text("text", text)

    def choose(match):
        word = re.search(r"\S+$", text[:match.start()])
        final = _final(word.group()) if word else None
        return match.group() if final is None else _form(final, match.group())

    return MARKERS.sub(choose, text)
