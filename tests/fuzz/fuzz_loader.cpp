// libFuzzer target for the OpenAPI loader: arbitrary bytes go through the
// JSON/YAML parser and, when they parse, through normalization, $ref
// resolution and diagnostic formatting — everything a local file reaches
// before the user sees it. Any crash, sanitizer report, hang or runaway
// allocation here is a bug in the engine.
#include "normalizer.h"
#include "parser.h"
#include "referenceresolver.h"
#include "referencescan.h"
#include "sourcedocument.h"

#include <QByteArray>
#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // A real copy, as QFile::readAll gives the loader: owned and NUL-terminated.
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    portolan::ParseResult parsed = portolan::parseJsonOrYaml(bytes);
    if (parsed.error)
        return 0;

    portolan::SourceDocuments documents;
    documents.push_back(std::make_unique<portolan::SourceDocument>(
        QUrl::fromLocalFile(QStringLiteral("/fuzz/openapi.yaml")), std::move(parsed.tree), parsed.format));
    portolan::Diagnostic fatal;
    const std::unique_ptr<portolan::ApiDocument> api =
        portolan::buildApiDocument(std::move(documents), {}, &fatal);
    if (!api) {
        (void)portolan::formatDiagnostic(fatal);
        return 0;
    }

    for (const portolan::Diagnostic &diagnostic : api->diagnostics)
        (void)portolan::formatDiagnostic(diagnostic);
    for (const portolan::Operation &operation : api->operations)
        (void)api->effectiveSecurity(operation);

    // Follow every $ref the document holds, as the navigator and the schema views do.
    const portolan::ReferenceResolver resolver(api->documents);
    for (const auto &document : api->documents) {
        for (const portolan::ReferenceSite &site : document->references()) {
            QString error;
            (void)resolver.resolve(portolan::NodeRef{document.get(), site.refObject}, &error);
        }
    }
    return 0;
}
