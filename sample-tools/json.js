import { defineTool, ToolError } from "@toolhost/sdk";

// JSON data processing: filter, sort, project and aggregate arrays of records.
// A field may be a dotted path into nested objects ("address.city").

const recordsSchema = {
  type: "array",
  items: { type: "object" },
  description: "The records (JSON objects) to process",
};
const fieldSchema = { type: "string", minLength: 1, description: 'A field name or dotted path, e.g. "address.city"' };

export const jsonQuery = defineTool({
  name: "json_query",
  description:
    "Filters, sorts, projects and limits an array of JSON records. count is the number of records that matched the filter; records holds at most limit of them.",
  inputSchema: {
    type: "object",
    properties: {
      records: recordsSchema,
      filter: {
        type: "object",
        properties: {
          field: fieldSchema,
          op: { type: "string", enum: ["eq", "ne", "gt", "gte", "lt", "lte", "contains"] },
          value: { description: "The value to compare with" },
        },
        required: ["field", "op", "value"],
      },
      sortBy: fieldSchema,
      order: { type: "string", enum: ["asc", "desc"], default: "asc" },
      select: { type: "array", items: fieldSchema, description: "Fields to keep (all if absent)" },
      limit: { type: "integer", minimum: 0 },
    },
    required: ["records"],
  },
  outputSchema: {
    type: "object",
    properties: { count: { type: "integer" }, records: { type: "array" } },
    required: ["count", "records"],
  },
  run({ records, filter, sortBy, order = "asc", select, limit }) {
    let result = filter ? records.filter(matcher(filter)) : records.slice();
    const count = result.length;
    if (sortBy !== undefined) {
      const direction = order === "desc" ? -1 : 1;
      result.sort((a, b) => compareForSort(get(a, sortBy), get(b, sortBy), direction));
    }
    if (limit !== undefined) result = result.slice(0, limit);
    if (select !== undefined) {
      result = result.map((record) => {
        const projected = {};
        for (const field of select) {
          const value = get(record, field);
          if (value !== undefined) projected[field] = value;
        }
        return projected;
      });
    }
    return { count, records: result };
  },
});

export const aggregate = defineTool({
  name: "aggregate",
  description:
    "Groups records by a field and computes sum, avg, min, max or count of another field per group. Non-numeric values are ignored by sum/avg/min/max.",
  inputSchema: {
    type: "object",
    properties: {
      records: recordsSchema,
      groupBy: fieldSchema,
      field: { ...fieldSchema, description: "The field to aggregate (not needed for count)" },
      op: { type: "string", enum: ["sum", "avg", "min", "max", "count"] },
    },
    required: ["records", "groupBy", "op"],
  },
  outputSchema: {
    type: "object",
    properties: { groups: { type: "object", additionalProperties: { type: ["number", "null"] } } },
    required: ["groups"],
  },
  run({ records, groupBy, field, op }) {
    if (op !== "count" && field === undefined) {
      throw new ToolError(`op "${op}" needs a field to aggregate`, { code: "MISSING_FIELD" });
    }
    const buckets = new Map();
    for (const record of records) {
      const key = groupKey(get(record, groupBy));
      let bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, (bucket = { count: 0, values: [] }));
      bucket.count++;
      if (op !== "count") {
        const value = get(record, field);
        if (typeof value === "number" && Number.isFinite(value)) bucket.values.push(value);
      }
    }
    const groups = {};
    for (const [key, { count, values }] of buckets) groups[key] = reduce(op, count, values);
    return { groups };
  },
});

function reduce(op, count, values) {
  switch (op) {
    case "count":
      return count;
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return values.length === 0 ? null : Math.min(...values);
    case "max":
      return values.length === 0 ? null : Math.max(...values);
    default:
      throw new ToolError(`unknown op ${JSON.stringify(op)}`, { code: "BAD_OPERATION" });
  }
}

function get(record, field) {
  let value = record;
  for (const key of field.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function groupKey(value) {
  if (value === undefined || value === null) return "null";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function matcher({ field, op, value }) {
  const test = {
    eq: (actual) => equal(actual, value),
    ne: (actual) => !equal(actual, value),
    gt: (actual) => ordered(actual, value) && actual > value,
    gte: (actual) => ordered(actual, value) && actual >= value,
    lt: (actual) => ordered(actual, value) && actual < value,
    lte: (actual) => ordered(actual, value) && actual <= value,
    contains: (actual) =>
      typeof actual === "string" ? actual.includes(String(value)) : Array.isArray(actual) && actual.some((item) => equal(item, value)),
  }[op];
  if (test === undefined) throw new ToolError(`unknown filter op ${JSON.stringify(op)}`, { code: "BAD_OPERATION" });
  return (record) => test(get(record, field));
}

function equal(a, b) {
  if (a === b) return true;
  return a !== null && b !== null && typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);
}

/** gt/lt compare numbers with numbers and strings with strings; anything else never matches. */
function ordered(a, b) {
  return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
}

/** Numbers before strings before everything else; missing values last whatever the order. */
function compareForSort(a, b, direction) {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 3) return 0;
  if (a < b) return -direction;
  if (a > b) return direction;
  return 0;
}

function rank(value) {
  if (typeof value === "number") return 0;
  if (typeof value === "string") return 1;
  if (typeof value === "boolean") return 2;
  return 3; // missing, null, objects: last, in their original order
}
