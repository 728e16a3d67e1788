#pragma once

#include "apimodel.h"

#include <atomic>
#include <memory>
#include <thread>

namespace portolan {

class ExampleWalk;

// Checks a loaded description the way the OpenAPI Specification's own
// tooling does, and says what is wrong in words a person can act on:
// - the root document against the official schema for its version (Swagger
//   2.0, OpenAPI 3.0, 3.1 or 3.2, embedded under :/oas-schemas/);
// - Schema Objects against their dialect's meta-schema (for 3.1 and 3.2 the
//   OpenAPI dialect, unless `jsonSchemaDialect` or `$schema` names another);
// - `example` and `examples` values against the schema they illustrate
//   (warnings: an example that does not match misleads, it does not break).
// One diagnostic per cause, at the file, line and column of the value.
// Runs on any thread, and uses two more (see DocumentValidation);
// `cancelled` is polled.
Diagnostics validateDocument(const ApiDocument &api, const std::atomic_bool *cancelled = nullptr);

// validateDocument() in two halves that run at once, on two cores: the
// structure check needs only the parsed documents, so it starts on a thread
// of its own while the caller builds the model; the examples need the model.
class DocumentValidation {
public:
    // Starts the structure check of `api.documents`. They must stay as they
    // are until finish(); the rest of `api` may be filled in meanwhile.
    DocumentValidation(const ApiDocument &api, const std::atomic_bool *cancelled);
    ~DocumentValidation();  // waits for the structure check
    DocumentValidation(const DocumentValidation &) = delete;
    DocumentValidation &operator=(const DocumentValidation &) = delete;

    // The details of each operation as the model's reading reads them (see
    // readApiModel()), on its thread: then the examples in them are found
    // while the model is read, not read again after it. Either every
    // operation of the paths and webhooks comes through here or none does.
    void takeOperation(const OperationDetails &details);

    // Checks the examples of the finished model on this thread and one more,
    // waits for the structure check, and returns what both found (the
    // structure's first).
    Diagnostics finish();

private:
    const ApiDocument &m_api;
    const std::atomic_bool *m_cancelled;
    std::unique_ptr<ExampleWalk> m_examples;  // the walk that finds them
    Diagnostics m_structure;
    std::thread m_structureCheck;
};

// The loader's diagnostics with validateDocument()'s added. Where both report
// a cause at the same value (or the loader at its object), the schema's error
// is kept: one diagnostic per cause.
Diagnostics mergeValidationDiagnostics(const Diagnostics &loader, const Diagnostics &validation);

} // namespace portolan
