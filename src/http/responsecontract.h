#pragma once

#include "apimodel.h"
#include "bodyvalidator.h"
#include "exchange.h"

#include <QList>
#include <QString>

#include <atomic>
#include <memory>

namespace portolan::http {

// One way a response differs from what its operation documents.
struct ContractProblem {
    enum class Kind { UndocumentedStatus, UndocumentedContentType, MissingHeader, BodyNotParsed, BodySchema };
    Kind kind = Kind::BodySchema;
    QString message;
    // Body problems: where in the response body (JSON pointer, 1-based line and
    // column of the value in the body text; 0 when unknown).
    QString pointer;
    int line = 0;
    int column = 0;
};

// The outcome of checking one response against its operation.
struct ContractReport {
    QString documentedStatus;     // the response that applies: "200", "2XX", "default", or empty
    QString documentedMediaType;  // the media type that applies, or empty
    bool bodyChecked = false;     // the body was validated against a schema
    QList<ContractProblem> problems;

    bool isClean() const { return problems.isEmpty(); }
};

QString contractProblemKindName(ContractProblem::Kind kind);

// The documented response for a status: the exact code, then its range
// ("4XX"), then "default"; null when none applies.
const Response *documentedResponse(const QList<Response> &responses, int status);

// Checks responses against the document they came from: status, media type,
// required headers and the body against its schema. Schemas are compiled once
// per document and shared, so one checker serves every exchange of a document.
// check() is const and may run on any thread (a large body is validated off the
// UI thread); `cancelled` is polled during body validation.
class ResponseContract {
public:
    explicit ResponseContract(std::shared_ptr<const ApiDocument> document);
    ~ResponseContract();

    ContractReport check(const Operation &operation, const ReceivedResponse &response,
                         const std::atomic_bool *cancelled = nullptr) const;
    ContractReport check(const Operation &operation, int status, const HeaderList &headers, const QByteArray &body,
                         const std::atomic_bool *cancelled = nullptr) const;

private:
    std::shared_ptr<const ApiDocument> m_document;  // kept alive for m_bodies
    BodyValidator m_bodies;
};

} // namespace portolan::http
