#include "bodyvalidator.h"

#include "jsonpointer.h"
#include "jsonschema.h"
#include "parser.h"
#include "schemafailure.h"
#include "schemamessages.h"

#include <mutex>

namespace portolan::http {

namespace {

jsonschema::Dialect dialectOf(const ApiDocument &api)
{
    if (api.format == SpecFormat::Swagger)
        return jsonschema::Dialect::Swagger20;
    return api.specVersion.startsWith(QLatin1String("3.0")) ? jsonschema::Dialect::OpenApi30 : jsonschema::Dialect::OpenApi31;
}

} // namespace

QByteArray mediaTypeEssence(const QByteArray &contentType)
{
    const int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

bool isJsonMediaType(const QByteArray &contentType)
{
    const QByteArray essence = mediaTypeEssence(contentType);
    return essence == "application/json" || essence.endsWith("+json");
}

const MediaType *documentedMediaType(const QList<MediaType> &content, const QByteArray &contentType)
{
    const QByteArray actual = mediaTypeEssence(contentType);
    const QByteArray wildcard = actual.left(actual.indexOf('/') + 1) + '*';
    const MediaType *byWildcard = nullptr;
    const MediaType *byAny = nullptr;
    for (const MediaType &m : content) {
        const QByteArray documented = mediaTypeEssence(m.contentType.toUtf8());
        if (documented == actual)
            return &m;
        if (documented == wildcard)
            byWildcard = &m;
        else if (documented == "*/*")
            byAny = &m;
    }
    return byWildcard ? byWildcard : byAny;
}

// The compiled schemas. The engine compiles on first use and must not compile
// while another thread validates: one lock serializes whole checks.
class BodyValidator::State {
public:
    std::mutex mutex;
    jsonschema::SchemaSet set;
};

BodyValidator::BodyValidator(const ApiDocument &document) : m_document(document), m_state(std::make_unique<State>())
{
    for (const auto &source : m_document.documents)
        m_state->set.addDocument(source.get());
}

BodyValidator::~BodyValidator() = default;

BodyCheck BodyValidator::validate(NodeRef schemaNode, const QByteArray &json, Direction direction,
                                  const std::atomic_bool *cancelled) const
{
    BodyCheck check;
    if (!schemaNode.isValid())
        return check;
    ParseResult parsed = parseJson(json, {}, cancelled);
    if (parsed.error) {
        const TextPosition at = LineIndex(json).position(parsed.error->offset);
        check.parsed = false;
        check.problems.push_back({QStringLiteral("the body is not valid JSON: %1").arg(parsed.error->message), {}, at.line, at.column});
        return check;
    }
    const SourceDocument body(QUrl(QStringLiteral("urn:portolan:body")), std::move(parsed.tree), SourceFormat::Json);
    const NodeRef root{&body, body.tree().root()};

    const std::lock_guard<std::mutex> lock(m_state->mutex);
    const jsonschema::Dialect dialect = dialectOf(m_document);
    const jsonschema::Schema *schema = m_state->set.compile(schemaNode, dialect);
    if (!schema)
        return check;
    jsonschema::ValidationOptions options;
    options.cancelled = cancelled;
    options.direction = direction == Direction::Request ? jsonschema::Direction::Request : jsonschema::Direction::Response;
    const jsonschema::ValidationResult result = jsonschema::validate(*schema, root, options);
    check.checked = !(cancelled && cancelled->load());
    if (result.isValid())
        return check;
    FailureReader reader(m_state->set, dialect, options);
    for (const auto &source : m_document.documents)
        reader.addSchemaDocument(source.get());
    const SchemaFailures failures = reader.read(result, root);
    for (const Cause &cause : causes(failures)) {
        const SchemaFailure &f = *cause.failure;
        const QString pointer = jsonpointer::fromTokens(f.instancePath);
        const QString subject = pointer.isEmpty() ? QStringLiteral("the body") : QStringLiteral("`%1`").arg(pointer);
        const qint64 offset = failureOffset(f, body.tree(), root.id);
        const TextPosition at = offset >= 0 ? body.positionAt(std::uint32_t(offset)) : TextPosition{};
        check.problems.push_back({f.keyword.empty() ? f.message : failureMessage(cause, body.tree(), subject), pointer, at.line, at.column});
    }
    return check;
}

BodyCheck BodyValidator::validateRequest(const std::optional<RequestBody> &requestBody, const QByteArray &contentType,
                                        const QByteArray &body) const
{
    if (!isJsonMediaType(contentType) || !requestBody)
        return {};
    const MediaType *mediaType = documentedMediaType(requestBody->content, contentType);
    return mediaType ? validate(mediaType->schema, body, Direction::Request) : BodyCheck{};
}

} // namespace portolan::http
