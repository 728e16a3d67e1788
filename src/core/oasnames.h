#pragma once

#include "nodetree.h"

#include <QString>

#include <string>
#include <vector>

namespace portolan {

// The OpenAPI object at a place in a document, as a person names it: "path
// item '/pets'", "operation GET /pets", "parameter 'limit'", "server variable
// 'port'", "schema 'Pet/id'", "security scheme 'key'". Messages name the object
// instead of printing a JSON pointer.
struct OasPlace {
    QString object;          // the innermost object recognised; "the document" at the root
    std::size_t depth = 0;   // how many of the tokens lead to it
    QString field;           // the tokens after it, joined by '.', e.g. "enum" or "flows.implicit"
    bool inSchema = false;   // the object is a Schema Object (or inside one)

    // "`enum` of server variable 'port'", or the object itself when no field follows.
    QString subject() const;
};

// `tokens` lead from the root of `tree` (the document) to the place; the tree
// is read for names that are not keys (a parameter's `name`, a tag's `name`).
OasPlace oasPlace(const NodeTree &tree, const std::vector<std::string> &tokens);

} // namespace portolan
