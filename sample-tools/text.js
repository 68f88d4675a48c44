import { defineTool, ToolError } from "@toolhost/sdk";

// Two tools from one module, as named exports.

export const textStats = defineTool({
  name: "text_stats",
  description: "Counts the characters, words and lines of a text and lists its 5 most frequent words.",
  inputSchema: {
    type: "object",
    properties: { text: { type: "string" } },
    required: ["text"],
  },
  outputSchema: {
    type: "object",
    properties: {
      characters: { type: "integer" },
      words: { type: "integer" },
      lines: { type: "integer" },
      topWords: {
        type: "array",
        items: {
          type: "object",
          properties: { word: { type: "string" }, count: { type: "integer" } },
          required: ["word", "count"],
        },
      },
    },
    required: ["characters", "words", "lines", "topWords"],
  },
  run({ text }) {
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
    const counts = new Map();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    const topWords = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, 5)
      .map(([word, count]) => ({ word, count }));
    return {
      characters: [...text].length, // code points, not UTF-16 units
      words: words.length,
      lines: text === "" ? 0 : text.split(/\r\n|\r|\n/).length - (/[\r\n]$/.test(text) ? 1 : 0), // like wc -l, plus an unterminated last line
      topWords,
    };
  },
});

const operations = {
  upper: (text) => text.toUpperCase(),
  lower: (text) => text.toLowerCase(),
  title: (text) => text.toLowerCase().replace(/(^|[^\p{L}\p{N}'’])(\p{L})/gu, (_, before, letter) => before + letter.toUpperCase()),
  reverse: (text) => [...text].reverse().join(""),
  slug: (text) =>
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, ""),
};

export const transformText = defineTool({
  name: "transform_text",
  description: "Transforms a text: upper case, lower case, title case, reversed, or a URL slug.",
  inputSchema: {
    type: "object",
    properties: {
      text: { type: "string" },
      operation: { type: "string", enum: Object.keys(operations) },
    },
    required: ["text", "operation"],
  },
  outputSchema: {
    type: "object",
    properties: { text: { type: "string" } },
    required: ["text"],
  },
  run({ text, operation }) {
    if (!Object.hasOwn(operations, operation)) {
      throw new ToolError(`unknown operation ${JSON.stringify(operation)}`, { code: "BAD_OPERATION" });
    }
    return { text: operations[operation](text) };
  },
});
