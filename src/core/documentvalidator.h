#pragma once

#include "apimodel.h"

#include <atomic>

namespace portolan {

// Checks a loaded description the way the OpenAPI Specification's own
// tooling does, and says what is wrong in words a person can act on:
// - the root document against the official schema for its version (Swagger
//   2.0, OpenAPI 3.0, 3.1 or 3.2, embedded under :/oas-schemas/);
// - Schema Objects against their dialect's meta-schema (for 3.1 and 3.2 the
//   OpenAPI dialect, unless `jsonSchemaDialect` or `$schema` names another);
// - `example` and `examples` values against the schema they illustrate
//   (warnings: an example that does not match misleads, it does not break).
// One diagnostic per cause, at the file, line and column of the value.
// Runs on any thread; `cancelled` is polled.
Diagnostics validateDocument(const ApiDocument &api, const std::atomic_bool *cancelled = nullptr);

// The loader's diagnostics with validateDocument()'s added. Where both report
// a cause at the same value (or the loader at its object), the schema's error
// is kept: one diagnostic per cause.
Diagnostics mergeValidationDiagnostics(const Diagnostics &loader, const Diagnostics &validation);

// Validates `api` and merges the result into its diagnostics, as above.
void addValidationDiagnostics(ApiDocument &api, const std::atomic_bool *cancelled = nullptr);

} // namespace portolan
