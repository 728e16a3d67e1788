#include "responsecontract.h"

namespace portolan::http {

namespace {

ContractProblem problem(ContractProblem::Kind kind, const QString &message)
{
    ContractProblem p;
    p.kind = kind;
    p.message = message;
    return p;
}

} // namespace

QString contractProblemKindName(ContractProblem::Kind kind)
{
    switch (kind) {
    case ContractProblem::Kind::UndocumentedStatus: return QStringLiteral("undocumented-status");
    case ContractProblem::Kind::UndocumentedContentType: return QStringLiteral("undocumented-content-type");
    case ContractProblem::Kind::MissingHeader: return QStringLiteral("missing-header");
    case ContractProblem::Kind::BodyNotParsed: return QStringLiteral("body-not-parsed");
    case ContractProblem::Kind::BodySchema: return QStringLiteral("body-schema");
    }
    return {};
}

const Response *documentedResponse(const QList<Response> &responses, int status)
{
    const QString exact = QString::number(status);
    const QString range = QStringLiteral("%1XX").arg(status / 100);
    const Response *byRange = nullptr;
    const Response *byDefault = nullptr;
    for (const Response &r : responses) {
        if (r.status == exact)
            return &r;
        if (r.status.compare(range, Qt::CaseInsensitive) == 0)
            byRange = &r;
        else if (r.status == QLatin1String("default"))
            byDefault = &r;
    }
    return byRange ? byRange : byDefault;
}

ContractReport ResponseContract::check(const Operation &operation, const ReceivedResponse &response,
                                       const std::atomic_bool *cancelled) const
{
    return check(operation, response.status, response.headers, response.body.read(), cancelled);
}

ResponseContract::ResponseContract(std::shared_ptr<const ApiDocument> document)
    : m_document(std::move(document)), m_bodies(*m_document)
{
}

ResponseContract::~ResponseContract() = default;

ContractReport ResponseContract::check(const Operation &operation, int status, const HeaderList &headers,
                                       const QByteArray &bodyBytes, const std::atomic_bool *cancelled) const
{
    ContractReport report;
    const QList<Response> responses = operationDetails(*m_document, operation).responses;
    const Response *documented = documentedResponse(responses, status);
    if (!documented) {
        QStringList listed;
        for (const Response &r : responses)
            listed.push_back(r.status);
        report.problems.push_back(problem(ContractProblem::Kind::UndocumentedStatus,
                                          listed.isEmpty()
                                              ? QStringLiteral("status %1 is not documented: the operation documents no responses").arg(status)
                                              : QStringLiteral("status %1 is not documented (documented: %2, and no default)")
                                                    .arg(status).arg(listed.join(QLatin1String(", ")))));
        return report;
    }
    report.documentedStatus = documented->status;

    for (const Header &h : documented->headers) {
        // Content-Type is described by `content`, not by a header entry (OpenAPI says it is ignored).
        if (h.required && h.name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) != 0
            && !hasHeader(headers, h.name.toUtf8()))
            report.problems.push_back(problem(ContractProblem::Kind::MissingHeader,
                                              QStringLiteral("required header '%1' is missing (response %2)").arg(h.name, documented->status)));
    }

    const QByteArray contentType = headerValue(headers, "Content-Type");
    if (documented->content.isEmpty()) {
        if (!bodyBytes.isEmpty())
            report.problems.push_back(problem(ContractProblem::Kind::UndocumentedContentType,
                                              QStringLiteral("response %1 documents no body, but %2 bytes of %3 came")
                                                  .arg(documented->status).arg(bodyBytes.size())
                                                  .arg(contentType.isEmpty() ? QStringLiteral("unknown type") : QString::fromLatin1(mediaTypeEssence(contentType)))));
        return report;
    }
    const MediaType *mediaType = documentedMediaType(documented->content, contentType);
    if (!mediaType) {
        QStringList listed;
        for (const MediaType &m : documented->content)
            listed.push_back(m.contentType);
        report.problems.push_back(problem(ContractProblem::Kind::UndocumentedContentType,
                                          QStringLiteral("content type '%1' is not documented for response %2 (documented: %3)")
                                              .arg(contentType.isEmpty() ? QStringLiteral("(none)") : QString::fromLatin1(mediaTypeEssence(contentType)),
                                                   documented->status, listed.join(QLatin1String(", ")))));
        return report;
    }
    report.documentedMediaType = mediaType->contentType;
    if (!mediaType->schema.isValid() || !isJsonMediaType(contentType))
        return report;
    const BodyCheck body = m_bodies.validate(mediaType->schema, bodyBytes, BodyValidator::Direction::Response, cancelled);
    report.bodyChecked = body.checked;
    for (const BodyProblem &p : body.problems) {
        ContractProblem problem;
        problem.kind = body.parsed ? ContractProblem::Kind::BodySchema : ContractProblem::Kind::BodyNotParsed;
        problem.message = p.message;
        problem.pointer = p.pointer;
        problem.line = p.line;
        problem.column = p.column;
        report.problems.push_back(problem);
    }
    return report;
}

} // namespace portolan::http
