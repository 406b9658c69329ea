// The words of the explorers in the page's language: the KOREAN table (English text -> Korean)
// and t(), which fills in the numbers and picks the Korean particles after them.
// Uses resolveParticles from korean.js, the file before it.

// --- words in the page's language ----------------------------------------------------------
// The English book and JupyterLab show the English text below; a page whose <html lang> is
// Korean (the Korean edition) shows these translations. {name} stands for a number.
const KOREAN = {
  "input": "입력", "kernel": "커널", "input size I": "입력 크기 I", "stride S": "스트라이드 S",
  "padding P": "패딩 P", "undo my edits": "고친 값 되돌리기", "▶ Play": "▶ 재생", "❚❚ Pause": "❚❚ 멈춤",
  "step": "스텝", "stamp {k} of {n}": "도장 {k} / {n}", "no stamps": "도장 없음",
  "random integers": "무작위 정수", "a vertical edge": "세로 경계", "vertical edge": "세로 경계",
  "horizontal edge": "가로 경계", "sharpen": "선명화", "blur": "흐림",
  ["Click a number of the input or the kernel, type a new one and press Enter. Stride and padding keep your " +
   "numbers; another input, size or kernel starts afresh, as does \u201cundo my edits\u201d."]:
    "입력이나 커널의 숫자를 누르고 새 숫자를 입력한 뒤 Enter 키를 누른다. 스트라이드와 패딩을 바꿔도 고친 숫자는 " +
    "남고, 다른 입력·크기·커널을 고르거나 \u201c고친 값 되돌리기\u201d를 누르면 처음 값으로 돌아간다.",
  "\"{text}\" is not a number: type one such as 3, -1 or 0.25":
    "\"{text}\"은/는 숫자가 아니다: 3, -1, 0.25 같은 숫자를 입력한다",
  "{text} is too large: type a number from -{max} to {max}": "{text}은/는 너무 크다: -{max}부터 {max}까지의 숫자를 입력한다",
  "input {h}x{w}, padding {p}, stride {s}": "입력 {h}x{w}, 패딩 {p}, 스트라이드 {s}",
  "kernel {k}x{k}": "커널 {k}x{k}", "input x kernel": "입력 × 커널", "output {h}x{w}": "출력 {h}x{w}",
  "channels C_in": "채널 C_in", "kernels C_out": "커널 C_out", "red": "빨강", "green": "초록", "blue": "파랑",
  "channel {c}": "채널 {c}", "input: {name}": "입력: {name}", "kernel {k}, {name}": "커널 {k}, {name}",
  "products": "곱", "sum {x}": "합 {x}", "output {k} (kernel {k}, bias {b})": "출력 {k} (커널 {k}, 편향 {b})",
  "output[{r}, {c}] = ": "출력[{r}, {c}] = ",
  "kernel {k}, output[{r}, {c}] = channel sums {sums} + bias {b} = {total}":
    "커널 {k}, 출력[{r}, {c}] = 채널 합 {sums} + 편향 {b} = {total}",
  " (terms rounded)": " (항은 반올림한 값)",
  "I (input)": "I (입력)", "K (kernel)": "K (커널)", "S (stride)": "S (스트라이드)", "P (padding)": "P (패딩)",
  "D (dilation)": "D (팽창)",
  "(I + 2P − D(K − 1) − 1) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge.":
    "(I + 2P − D(K − 1) − 1) / S = {a}/{s} = {q}, 내림하면 {f}: 마지막 도장은 가장자리를 넘어가기 때문이다.",
  ["With dilation D = {d} the kernel's {k} taps (the cells its weights sit on) are {d} cells apart: each stamp spans " +
   "D(K − 1) + 1 = {span} cells."]:
    "팽창 D = {d}: 커널의 탭(가중치가 놓이는 칸) {k}개가 {d}칸씩 떨어져 있고, 도장 하나가 D(K − 1) + 1 = {span}칸에 걸친다.",
  "No tap of any stamp lands on input rows and columns [{rows}]: they never reach the output.":
    "입력의 {rows}번 행과 열에는 어느 도장의 탭도 닿지 않는다: 이 값들은 출력에 전혀 반영되지 않는다.",
  ["Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: no tap lands there. Each row is " +
   "one stamp, numbered by the output cell it fills: a dashed line over the cells it spans, a short bar on each of " +
   "its K taps."]:
    "위: 입력 위치 0부터 I − 1(자리가 있으면 번호를 적는다), 회색: 패딩, 빨강: 탭이 한 번도 닿지 않는 칸. 한 줄이 " +
    "도장 하나이고, 번호는 그 도장이 채우는 출력 칸이다: 점선은 도장이 걸치는 칸, 짧은 막대는 탭 K개의 자리다.",
  ["K (kernel size) = {k} with dilation D = {d} spans D(K - 1) + 1 = {span} cells, more than the padded input " +
   "I + 2P = {n}: lower D or K, or raise P"]: "K (커널 크기) = {k}, 팽창 D = {d}: 커널이 D(K - 1) + 1 = {span}칸에 걸쳐 패딩한 입력 I + 2P = {n}칸보다 길다. " +
    "D나 K를 줄이거나 P를 늘린다",
  "{label} goes from {min} to {max}: set to {v}.": "{label}은/는 {min}부터 {max}까지다: {v}으로/로 맞췄다.",
  "(I − K + 2P) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge.":
    "(I − K + 2P) / S = {a}/{s} = {q}을/를 내림해 {f}이/가 된다: 마지막 도장은 가장자리를 넘어가기 때문이다.",
  "Output: {o}×{o} per kernel.": "출력: 커널마다 {o}×{o}.",
  "No stamp covers input rows and columns [{rows}]: they never reach the output.":
    "입력의 {rows}번 행과 열에는 도장이 한 번도 닿지 않는다: 이 값들은 출력에 전혀 반영되지 않는다.",
  "Every input row and column is covered by some stamp.": "입력의 모든 행과 열에 도장이 한 번 이상 닿는다.",
  "one side of the input, and every stamp along it": "입력의 한 변과 그 위의 모든 도장",
  ["Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: never covered. Each bar is one " +
   "stamp, numbered by the output cell it fills."]:
    "위: 입력 위치 0부터 I − 1(자리가 있으면 번호를 적는다), 회색: 패딩, 빨강: 한 번도 덮이지 않는 칸. " +
    "막대 하나가 도장 하나이고, 번호는 그 도장이 채우는 출력 칸이다.",
  "C_out (kernels)": "C_out (커널 수)", "C_in (input channels)": "C_in (입력 채널 수)", "K (kernel size)": "K (커널 크기)",
  "formula": "식", "with your numbers": "고른 값을 넣으면", "count": "개수", "weights": "가중치", "biases": "편향",
  "total": "전체", "weights + biases": "가중치 + 편향",
  "layer": "층", "{name}: {n}x{n} units (click one)": "{name}: 유닛 {n}x{n}개 (하나를 눌러 보자)",
  "Unit ({r}, {c}) of {name} sees input rows {top} to {bottom} and columns {left} to {right}: {a} {n}x{n} square":
    "{name}의 ({r}, {c}) 유닛은 입력의 {top}~{bottom}행, {left}~{right}열을 본다: {n}x{n} 정사각형",
  ", {k} of its pixels outside the image (hatched), where the layers' zero padding stands in for pixels.":
    ", 그중 픽셀 {k}개는 이미지 밖(빗금)에 있어 층들의 제로 패딩이 픽셀 자리를 채운다.",
  " Neighbouring units' squares start {j} pixel apart.": " 이웃한 유닛의 정사각형은 {j}픽셀씩 떨어져 시작한다.",
  " Neighbouring units' squares start {j} pixels apart.": " 이웃한 유닛의 정사각형은 {j}픽셀씩 떨어져 시작한다.",
  "K (kernel size) = {k} is larger than the padded input I + 2P = {n}; K must be between 1 and {n}":
    "K (커널 크기) = {k} > 패딩한 입력 I + 2P = {n}: K는 1부터 {n}까지여야 한다",
  ["kernel size {k} is larger than the padded input {padded}; each kernel side must be between 1 and the " +
   "padded input's side"]: "커널 크기 {k} > 패딩한 입력 {padded}: 커널의 각 변은 1부터 패딩한 입력의 변까지여야 한다",
};

// A Korean translation writes a particle after a {name} as a marker ("{q}을/를", "{f}이/가"):
// resolveParticles (korean.js, before this file in the module) picks the form the number takes.
function t(text, values = {}) {
  const korean = typeof document !== "undefined" && document.documentElement.lang.startsWith("ko");
  const translated = korean && KOREAN[text] !== undefined;
  const filled = (translated ? KOREAN[text] : text).replace(/\{(\w+)\}/g,
    (whole, name) => (name in values ? `${values[name]}` : whole));
  return translated ? resolveParticles(filled) : filled;
}
