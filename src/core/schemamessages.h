#pragma once

#include "schemafailure.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace portolan {

// Turns what a schema validator found into one message per cause.
//
// A validator reports every keyword that failed, most of them consequences:
// an object that matches neither branch of a oneOf fails both, and the branch
// that was not meant says nothing useful. causes() keeps the failures worth
// reading: each oneOf/anyOf collapses to its most relevant branch (the one whose
// kind matches the value: same JSON type, same `in`/`type`/`$ref`, then the one
// with the fewest and deepest failures); alternatives that differ only in one
// value (`in: query` | `in: header` | …) collapse into one "must be one of".
struct Cause {
    const SchemaFailure *failure = nullptr;
    // Alternatives that differ only in one value: the values any branch accepts.
    // `failure` is then the first branch's enum/const failure, about that value.
    QStringList allowed;
};
std::vector<Cause> causes(const SchemaFailures &failures);

// A plain-language message for one cause, about `subject` ("`port`",
// "parameter 'limit'", "the value at /items/0"): "must be an integer (found a
// string)", "is missing the required 'name'". Knows JSON Schema, not OpenAPI.
QString failureMessage(const Cause &cause, const NodeTree &instance, const QString &subject);

// The value a failure is best shown at: the key of an unexpected or forbidden
// property, the key naming an object or array in its parent, else the value.
// `root` is the value the failure's instance path starts at. Returns a byte
// offset in the instance's source, or -1 when unknown.
qint64 failureOffset(const SchemaFailure &failure, const NodeTree &instance, NodeId root);

// Helpers shared with the OpenAPI messages.
QString jsonKindName(NodeKind kind);                   // "an object", "a string", …
QString valueText(const NodeTree &tree, NodeId id);    // 'text', 12, true, or the kind for containers
QString listText(const TreeValue &array, const QString &conjunction = QStringLiteral("or"));  // `a`, `b` or `c`
std::vector<std::string> stringsOf(const TreeValue &array);

} // namespace portolan
