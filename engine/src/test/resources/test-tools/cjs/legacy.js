// CommonJS: no import/export syntax, so Node loads it as CommonJS and module.exports becomes the
// default export (a map of tool name to function).
module.exports = {
  legacy_cjs: (input) => ({ cjs: true, input }),
};
