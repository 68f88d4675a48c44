// Deliberately invalid JavaScript: loading this module fails, the catalog lists the error.
export function broken(input {
  return input;
}
