#pragma once

#include "jsonschema.h"
#include "nodetree.h"
#include "sourcedocument.h"

#include <QHash>
#include <QString>
#include <QUrl>

#include <string>
#include <vector>

namespace portolan {

// A value inside a parsed tree: the instance being validated, or a schema.
struct TreeValue {
    const NodeTree *tree = nullptr;
    NodeId id = kNoNode;

    bool isValid() const { return tree && id != kNoNode; }
    NodeKind kind() const { return isValid() ? tree->kind(id) : NodeKind::Null; }
    TreeValue member(std::string_view key) const { return {tree, isValid() ? tree->member(id, key) : kNoNode}; }
    std::string_view text() const { return isValid() ? tree->text(id) : std::string_view(); }
};

// One failed schema keyword, as the message layer reads it: what failed, on
// which value of the instance, and the keyword's value in the schema (the enum's
// values, the pattern, the `not` subschema, …). Alternatives (oneOf, anyOf)
// carry the failures of each branch, so that the most relevant one is chosen
// instead of printing them all.
struct SchemaFailure {
    std::string keyword;                    // "required", "type", "enum", "oneOf", "false" for a false schema, …
    std::vector<std::string> instancePath;  // tokens from the validated value to the failing one
    std::vector<std::string> schemaPath;    // keyword location: tokens through the schema, e.g. properties, info, required
    NodeId instance = kNoNode;              // that value in the instance tree
    TreeValue keywordValue;                 // the keyword's value in its schema
    TreeValue schema;                       // the schema object holding the keyword
    std::vector<std::string> properties;    // required: those missing; additional/unevaluated: those not allowed
    std::vector<std::vector<SchemaFailure>> branches;  // oneOf/anyOf: each branch's failures
    int passingBranches = 0;                // oneOf: how many branches passed (more than one is the failure)
    QString message;                        // the validator's own text: the fallback
};

using SchemaFailures = std::vector<SchemaFailure>;

// Reads the validator's flat list of errors into failures: each oneOf/anyOf is
// validated again branch by branch so that its branches' own failures are
// known (where that cannot be done, the validator's own pick of a branch
// stands and its summary gives way to that branch's errors). Keyword values are looked up in the documents the
// schemas came from. Compiles branch schemas into `set`, so one reader (and
// its set) serves one thread at a time.
class FailureReader {
public:
    // Branches are compiled in `dialect` unless their resource's `$schema` says otherwise.
    FailureReader(jsonschema::SchemaSet &set, jsonschema::Dialect dialect, const jsonschema::ValidationOptions &options);

    // Where schema locations ("https://…/schema#/$defs/parameter/required") are looked up.
    void addSchemaDocument(const SourceDocument *document);
    SchemaFailures read(const jsonschema::ValidationResult &result, NodeRef instance);

private:
    SchemaFailures read(const jsonschema::ValidationResult &result, NodeRef instance,
                        const std::vector<std::string> &prefix, int depth);
    // `prefix` leads from the first validated value to `instance`.
    SchemaFailure failure(const jsonschema::ValidationError &error, NodeRef instance,
                          const std::vector<std::string> &prefix, int depth);
    TreeValue locate(const QString &schemaLocation) const;
    TreeValue locateUncached(const QString &schemaLocation) const;
    // Whether an alternative's branches are validated again here.
    bool rereads(const jsonschema::ValidationError &error, int depth) const;

    jsonschema::SchemaSet &m_set;  // Not owned.
    jsonschema::Dialect m_dialect;
    jsonschema::ValidationOptions m_options;
    QHash<QUrl, const SourceDocument *> m_documents;
    mutable QHash<QString, TreeValue> m_located;  // locate()'s answers, by schema location
    QHash<QString, const jsonschema::Schema *> m_branches;  // alternatives' branches compiled, by schema location
};

} // namespace portolan
