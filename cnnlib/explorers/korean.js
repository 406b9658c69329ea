// Korean particles chosen by rule, in the browser: "1.33을", "1이", "2가", "9로", "10으로", "7로".
//
// The same rules as cnnlib/korean.py (its docstring says how a word is read), and
// tests/test_korean.py checks that both give the same answer on thousands of words.
// cnnlib.widgets.module_text puts this file first in the explorers' one module, before words.js,
// whose t() calls resolveParticles on every Korean translation it fills in: a translation
// writes "{q}을/를 내림해 {f}이/가 된다" and the reader sees "1.33을 내림해 1이 된다".
// Plain functions, no exports: they are part of the module they are put in front of.

// Each pair: the form after a final consonant (받침), then the form after a vowel (and, for 으로/로, after ㄹ).
const PARTICLE_PAIRS = ["을/를", "이/가", "은/는", "과/와", "으로/로", "이나/나", "이라/라", "이다/다", "아/야"];
const PARTICLE_MARKERS = new RegExp([...PARTICLE_PAIRS].sort((a, b) => b.length - a.length).join("|"), "g");
const READ_TRAILING = /[\s)\]}"'`*’”»›〉》」』】]+$/;  // closing marks and spaces, not read aloud
const READ_FRACTION = /\.([0-9]+)$/;  // digits after a point, read one by one
const READ_WHOLE = /(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$/;  // a whole number, maybe in groups of three

// The 28 finals of a Hangul syllable, in Unicode order: (syllable - 가) % 28 picks one.
const HANGUL_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ",
  "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"];
// A lone consonant letter is read by its name (기역, 니은, 디귿, 리을, ...), which ends in it.
const JAMO_NAMES = { "ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㄴ": "ㄴ", "ㄷ": "ㄷ", "ㄸ": "ㄷ", "ㄹ": "ㄹ", "ㅁ": "ㅁ", "ㅂ": "ㅂ",
  "ㅃ": "ㅂ", "ㅅ": "ㅅ", "ㅆ": "ㅅ", "ㅇ": "ㅇ", "ㅈ": "ㅈ", "ㅉ": "ㅈ", "ㅊ": "ㅊ", "ㅋ": "ㅋ", "ㅌ": "ㅌ",
  "ㅍ": "ㅍ", "ㅎ": "ㅎ" };
const DIGIT_FINALS = ["ㅇ", "ㄹ", "", "ㅁ", "", "", "ㄱ", "ㄹ", "ㄹ", ""];  // 영 일 이 삼 사 오 육 칠 팔 구
const TEN_FINALS = ["", "ㅂ", "ㄱ", "ㄴ"];  // 십 백 천: the places inside a group of four digits
const GROUP_FINALS = ["", "ㄴ", "ㄱ", "", "ㅇ", "", "", "ㅇ", "", "ㄴ", "ㅇ", "", "ㄱ"];  // 만 억 조 경 해 자 양 구 간 정 재 극
const LETTER_FINALS = { l: "ㄹ", m: "ㅁ", n: "ㄴ", r: "ㄹ" };  // 엘 엠 엔 알; the other letters' names end in a vowel
const SYMBOL_FINALS = { "%": "", "°": "", "²": "ㅂ", "³": "ㅂ" };  // 퍼센트, 도, 제곱, 세제곱
const GREEK_FINALS = { "ε": "ㄴ", "ο": "ㄴ", "υ": "ㄴ" };  // 엡실론, 오미크론, 입실론
const LATIN_VOWELS = "aeiou";
const WORD_ENDINGS = [  // an English word's ending and the 받침 Korean writes for it, the first that fits
  ["le", "ㄹ"], ["l", "ㄹ"], ["ng", "ㅇ"], ["me", "ㅁ"], ["m", "ㅁ"], ["ne", "ㄴ"], ["n", "ㄴ"],
  ["out", "ㅅ"], ["ck", "ㄱ"], ["ic", "ㄱ"]];
const SHORT_STOPS = { p: "ㅂ", t: "ㅅ", k: "ㄱ", b: "ㅂ" };  // after a single vowel letter: step 스텝, net 넷

function numberFinal(whole) {  // a whole number ("10,000") read the Sino-Korean way: 만
  const digits = whole.replace(/,/g, "").replace(/^0+/, "");
  if (!digits) return DIGIT_FINALS[0];  // 영
  const zeros = digits.length - digits.replace(/0+$/, "").length;
  if (zeros >= 4) {  // the last group said is 만, 억, ...: 6,000,000 is 육백만
    const group = Math.floor(zeros / 4);
    return group < GROUP_FINALS.length ? GROUP_FINALS[group] : DIGIT_FINALS[0];  // beyond 극 (10^48): digit by digit
  }
  return zeros ? TEN_FINALS[zeros] : DIGIT_FINALS[Number(digits[digits.length - 1])];
}

function wordFinal(letters) {  // an English word as Korean writes the loanword
  const word = letters.toLowerCase();
  for (const [ending, final] of WORD_ENDINGS) {
    if (word.endsWith(ending)) return final;
  }
  const last = word[word.length - 1], before = word[word.length - 2];
  if (last in SHORT_STOPS && LATIN_VOWELS.includes(before)
      && (word.length < 3 || !LATIN_VOWELS.includes(word[word.length - 3]))) return SHORT_STOPS[last];
  return "";
}

function latinFinal(letters) {  // spelt letter by letter, or read as an English word
  const last = letters[letters.length - 1];
  const spelt = letters.length === 1 || /[A-Z]/.test(last) || !/[aeiou]/i.test(letters);
  return spelt ? (LETTER_FINALS[last.toLowerCase()] ?? "") : wordFinal(letters);
}

function readFinal(word) {  // the final consonant of word read aloud ("" for none), or null when it cannot be read
  word = word.replace(READ_TRAILING, "");
  if (!word) return null;
  const last = word[word.length - 1];
  const fraction = READ_FRACTION.exec(word);
  if (fraction) return DIGIT_FINALS[Number(fraction[1][fraction[1].length - 1])];
  const whole = READ_WHOLE.exec(word);
  if (whole) return numberFinal(whole[0]);
  if (last >= "가" && last <= "힣") return HANGUL_FINALS[(last.charCodeAt(0) - "가".charCodeAt(0)) % 28];
  if (last in JAMO_NAMES) return JAMO_NAMES[last];
  if (last >= "ㅏ" && last <= "ㅣ") return "";
  if (last in SYMBOL_FINALS) return SYMBOL_FINALS[last];
  if (last >= "Α" && last <= "ω") return GREEK_FINALS[last.toLowerCase()] ?? "";
  const letters = /[A-Za-z]+$/.exec(word);
  return letters ? latinFinal(letters[0]) : null;
}

function finalConsonant(word) {  // as cnnlib.korean.final_consonant: "ㄹ" for "7", "" for "2"
  const final = typeof word === "string" ? readFinal(word) : null;
  if (final === null) throw new Error(`word must end in something read aloud, got ${JSON.stringify(word)}`);
  return final;
}

function hasFinal(word) {  // whether word, read aloud, ends in a final consonant: "1.33" 삼 yes, "2" 이 no
  return finalConsonant(word) !== "";
}

function finalIsRieul(word) {  // whether word, read aloud, ends in ㄹ, after which 으로/로 takes 로
  return finalConsonant(word) === "ㄹ";
}

function particleForm(final, pair) {  // the form of pair after a word ending in final
  const [afterConsonant, afterVowel] = pair.split("/");
  return final === "" || (final === "ㄹ" && pair === "으로/로") ? afterVowel : afterConsonant;
}

function particle(word, pair) {  // as cnnlib.korean.particle: particle("1.33", "을/를") is "을"
  if (!PARTICLE_PAIRS.includes(pair)) throw new Error(`pair must be one of ${PARTICLE_PAIRS.join(", ")}, got ${pair}`);
  return particleForm(finalConsonant(word), pair);
}

// Each marker such as "을/를" written right after a word, replaced by the form that word takes;
// a marker after a space, at the start, or after a word that cannot be read stays as it is.
function resolveParticles(text) {
  return text.replace(PARTICLE_MARKERS, (marker, offset) => {
    const word = /\S+$/.exec(text.slice(0, offset));
    const final = word ? readFinal(word[0]) : null;
    return final === null ? marker : particleForm(final, marker);
  });
}
