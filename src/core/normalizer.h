#pragma once

#include "apimodel.h"

#include <functional>
#include <memory>

namespace portolan {

// Turns parsed documents (the root first, then those its $refs reach) into
// the normalized model, with a diagnostic for every problem found. Returns
// null, with `fatal` set, when the root is not an OpenAPI or Swagger document.
std::unique_ptr<ApiDocument> buildApiDocument(SourceDocuments documents, Diagnostics loadDiagnostics,
                                              Diagnostic *fatal);
// Reading the model reads each operation's details for what they report,
// then drops them (see OperationReader). A caller that needs them can take
// them there: `detailsRead` is given those of each operation of the paths
// and webhooks (callbacks' are read through their operation's), in the
// model's order, all but the description.
using OperationDetailsRead = std::function<void(const OperationDetails &)>;
// The same for a model that already owns its documents (`api.documents`):
// a caller can start other work on them before the model is read. False,
// with `fatal` set, where buildApiDocument returns null.
bool readApiModel(ApiDocument &api, Diagnostics loadDiagnostics, Diagnostic *fatal,
                  const OperationDetailsRead &detailsRead = {});

} // namespace portolan
