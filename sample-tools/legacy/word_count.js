// A CommonJS module (no import/export syntax): module.exports is accepted like a default export
// that maps tool names to functions.

function countWords(text) {
  const words = String(text ?? "").trim().split(/\s+/).filter((word) => word !== "");
  return words.length;
}

module.exports = {
  word_count: (input) => ({ words: countWords(input.text) }),
};
