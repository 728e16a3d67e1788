#pragma once

#include "apimodel.h"

#include <memory>

namespace portolan {

// Turns parsed documents (the root first, then those its $refs reach) into
// the normalized model, with a diagnostic for every problem found. Returns
// null, with `fatal` set, when the root is not an OpenAPI or Swagger document.
std::unique_ptr<ApiDocument> buildApiDocument(SourceDocuments documents, Diagnostics loadDiagnostics,
                                              Diagnostic *fatal);
// The same for a model that already owns its documents (`api.documents`):
// a caller can start other work on them before the model is read. False,
// with `fatal` set, where buildApiDocument returns null.
bool readApiModel(ApiDocument &api, Diagnostics loadDiagnostics, Diagnostic *fatal);

} // namespace portolan
