#pragma once

#include "apimodel.h"

#include <memory>

namespace portolan {

// Turns parsed documents (the root first, then those its $refs reach) into
// the normalized model, with a diagnostic for every problem found. Returns
// null, with `fatal` set, when the root is not an OpenAPI or Swagger document.
std::unique_ptr<ApiDocument> buildApiDocument(SourceDocuments documents, Diagnostics loadDiagnostics,
                                              Diagnostic *fatal);

} // namespace portolan
