// CommonJS entry of @toolhost/sdk. The logic lives in index.js (an ES module that Node >= 20.19
// and Bun can require()); this file only re-exports it, so both entries share one implementation.
"use strict";
module.exports = require("./index.js");
