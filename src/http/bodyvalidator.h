#pragma once

#include "apimodel.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>

namespace portolan::http {

// "application/json; charset=utf-8" -> "application/json"
QByteArray mediaTypeEssence(const QByteArray &contentType);
// application/json and every +json type.
bool isJsonMediaType(const QByteArray &contentType);
// The documented media type for a Content-Type: exact, then "type/*", then
// "*/*"; parameters such as charset are ignored. Null when none applies.
const MediaType *documentedMediaType(const QList<MediaType> &content, const QByteArray &contentType);

// One place where a JSON body breaks its schema.
struct BodyProblem {
    QString message;  // "`/items/0/id` must be an integer (found a string)"
    QString pointer;  // JSON pointer of the value in the body ("" for the whole body)
    int line = 0;     // 1-based position of the value in the body text; 0 when unknown
    int column = 0;
};

struct BodyCheck {
    bool checked = false;        // false: no schema, or a body that is not JSON (see problems)
    bool parsed = true;          // false: the body is not JSON; problems.first() says where
    QList<BodyProblem> problems;
};

// Validates request and response bodies against the schemas of one document.
// Schemas are compiled once and reused for every body; validate() may be
// called from any thread (calls are serialized), so a large response is
// checked on a worker thread while the window stays responsive.
class BodyValidator {
public:
    enum class Direction { Request, Response };

    // `document` is not owned and must outlive the validator.
    explicit BodyValidator(const ApiDocument &document);
    ~BodyValidator();

    // `schema` is a Schema Object of the document (a media type's or a parameter's).
    BodyCheck validate(NodeRef schema, const QByteArray &json, Direction direction,
                       const std::atomic_bool *cancelled = nullptr) const;
    // A request body about to be sent, against the media type of the
    // operation's `requestBody` for its content type (JSON bodies; others are not checked).
    BodyCheck validateRequest(const std::optional<RequestBody> &requestBody, const QByteArray &contentType,
                              const QByteArray &body) const;

private:
    class State;
    const ApiDocument &m_document;
    std::unique_ptr<State> m_state;
};

} // namespace portolan::http
