#include "jsonschema.h"

#include "schemacompiler.h"

namespace portolan::jsonschema {

SchemaSet::SchemaSet(CompileLimits limits) : m_compiler(std::make_unique<SchemaCompiler>(limits)) {}

SchemaSet::~SchemaSet() = default;

void SchemaSet::setRetriever(Retriever retriever)
{
    m_compiler->setRetriever(std::move(retriever));
}

void SchemaSet::addDocument(const SourceDocument *document)
{
    m_compiler->addDocument(document);
}

const SourceDocument *SchemaSet::addDocument(std::unique_ptr<SourceDocument> document)
{
    return m_compiler->addOwnedDocument(std::move(document));
}

const Schema *SchemaSet::compile(NodeRef node, Dialect dialect, QVector<SchemaProblem> *problems)
{
    return m_compiler->compile(node, dialect, problems);
}

const Schema *SchemaSet::compile(const QUrl &url, Dialect dialect, QVector<SchemaProblem> *problems)
{
    return m_compiler->compile(url, dialect, problems);
}

bool SchemaSet::readsDynamicAnchors() const
{
    return m_compiler->readsDynamicAnchors();
}

const Schema *SchemaSet::metaSchema(Dialect dialect, QVector<SchemaProblem> *problems)
{
    const bool draft4 = isDraft4Family(dialect);
    return compile(QUrl(draft4 ? QStringLiteral("http://json-schema.org/draft-04/schema#")
                               : QStringLiteral("https://json-schema.org/draft/2020-12/schema")),
                   draft4 ? Dialect::Draft4 : Dialect::Draft2020_12, problems);
}

} // namespace portolan::jsonschema
