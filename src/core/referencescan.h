#pragma once

#include "nodetree.h"

#include <string_view>
#include <vector>

namespace portolan {

// A `{"$ref": "…"}` object found in a document, in 8 bytes: a large
// description holds a hundred thousand of them.
struct ReferenceSite {
    NodeId refObject = kNoNode;
    NodeId refValue = kNoNode;  // the "$ref" member's string

    // The $ref text, as written.
    std::string_view ref(const NodeTree &tree) const { return tree.text(refValue); }
};

// Every reference in the document, in ascending NodeId order.
// Values that are data rather than description — `example`, `default`,
// `enum`, `const`, an Example's `value` and `dataValue` — are not searched: a
// "$ref" there is just a string. In a map of names (`properties`,
// `responses`, …) those words are names, as in `responses: {default: …}`.
// Found from the tree's reference notes, which it takes: once the sites are
// known, they are megabytes of a large description for nothing.
std::vector<ReferenceSite> collectReferences(NodeTree &tree);

} // namespace portolan
