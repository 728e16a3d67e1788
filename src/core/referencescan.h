#pragma once

#include "sourcedocument.h"

#include <QString>

#include <string_view>
#include <vector>

namespace portolan {

// A `{"$ref": "…"}` object found in a document.
struct ReferenceSite {
    NodeId refObject = kNoNode;
    QString pointer;       // of the object holding $ref
    std::string_view ref;  // the $ref text, as written
};

// Every reference in the document, in document order (and, because the
// parsers store values children-first, in ascending NodeId order).
// Values that are data rather than description — `example`, `default`,
// `enum`, `const` — are not searched: a "$ref" there is just a string.
std::vector<ReferenceSite> collectReferences(const SourceDocument &document);

// The lowest NodeId inside a value's subtree: a subtree is the id range
// [subtreeBegin(id), id], since parsers add children before their parent.
NodeId subtreeBegin(const NodeTree &tree, NodeId id);

} // namespace portolan
