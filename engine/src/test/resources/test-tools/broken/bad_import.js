// Imports a package that does not exist: loading this module fails, the catalog lists the error.
import { nothing } from "toolhost-test-package-that-does-not-exist";

export function bad_import() {
  return nothing;
}
