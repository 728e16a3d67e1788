#include "jsonschema.h"

namespace portolan::jsonschema {

class Schema {};
class SchemaCompiler {};

SchemaSet::SchemaSet(CompileLimits) : m_compiler(std::make_unique<SchemaCompiler>()) {}
SchemaSet::~SchemaSet() = default;
void SchemaSet::setRetriever(Retriever) {}
void SchemaSet::addDocument(const SourceDocument *) {}
const SourceDocument *SchemaSet::addDocument(std::unique_ptr<SourceDocument> document) { return document.release(); }
const Schema *SchemaSet::compile(NodeRef, Dialect, QVector<SchemaProblem> *) { return nullptr; }
const Schema *SchemaSet::compile(const QUrl &, Dialect, QVector<SchemaProblem> *) { return nullptr; }
const Schema *SchemaSet::metaSchema(Dialect, QVector<SchemaProblem> *) { return nullptr; }
ValidationResult validate(const Schema &, NodeRef, const ValidationOptions &) { return {}; }
ValidationResult validate(const Schema &, const NodeTree &, NodeId, const ValidationOptions &) { return {}; }
std::optional<Dialect> dialectForUrl(const QString &) { return std::nullopt; }

} // namespace portolan::jsonschema
