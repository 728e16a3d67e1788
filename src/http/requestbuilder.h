#pragma once

#include "apimodel.h"
#include "httprequest.h"

#include <QHash>
#include <QJsonValue>

namespace portolan::http {

// The value the user gave one parameter. Arrays and objects are serialized by
// the parameter's style; scalars as their text.
struct ParameterInput {
    ParameterLocation in = ParameterLocation::Query;
    QString name;
    QJsonValue value;
};

// What goes in the body. With `Value`, JSON media types get the JSON text,
// form media types the object's properties as fields; a multipart field listed
// in `fileFields` sends that file instead.
struct BodyInput {
    enum class Source { None, Value, Raw, File };
    Source source = Source::None;
    QString contentType;
    QJsonValue value;
    QByteArray raw;
    QString filePath;
    QHash<QString, QString> fileFields;  // multipart field name → file path
};

struct BuildInput {
    QString serverUrl;                        // a server URL template; empty = the first that applies
    QHash<QString, QString> serverVariables;  // overrides the variables' defaults
    QList<ParameterInput> parameters;
    BodyInput body;
    HeaderList extraHeaders;                  // added last, replacing same-named ones
};

// A problem that stops the request from being built, with where it is.
struct BuildError {
    QString location;  // e.g. "query parameter 'limit'", "server variable 'region'", "body"
    QString message;
    QString toString() const { return location + QStringLiteral(": ") + message; }
};

struct BuildResult {
    HttpRequest request;
    QList<BuildError> errors;
    bool ok() const { return errors.isEmpty(); }
};

// Turns an operation plus the user's values into a request, serializing each
// parameter exactly as the description says (OpenAPI 3 styles, Swagger 2.0
// collection formats) and refusing missing required values before anything is sent.
class RequestBuilder {
public:
    explicit RequestBuilder(const ApiDocument &document);

    // `details` are the operation's (operationDetails()), for callers that have them already.
    BuildResult build(const Operation &operation, const OperationDetails &details, const BuildInput &input) const;
    BuildResult build(const Operation &operation, const BuildInput &input) const
    {
        return build(operation, operationDetails(m_document, operation), input);
    }

    // The server URL with its variables filled in, made absolute against the
    // document's own URL when it is relative.
    QUrl serverUrl(const Server &server, const QHash<QString, QString> &values, QList<BuildError> *errors) const;
    // The one place server variables are filled in: `values` (else each
    // variable's default), checked against the variable's enum.
    static QString substituteServerVariables(const Server &server, const QHash<QString, QString> &values,
                                             QList<BuildError> *errors);

    // Text the user typed for a parameter (CLI, form field) as the JSON value its
    // schema expects: JSON for arrays/objects when it parses, else a comma list / key,value list.
    QJsonValue valueFromText(const Parameter &parameter, const QString &text) const;

    // Both form bodies send the fields named in `fieldOrder` (the document's order) first, then the others.
    // A multipart/form-data body with a fresh boundary; `contentType` receives the header value.
    static RequestBodyData multipartBody(const QJsonObject &fields, const QHash<QString, QString> &fileFields,
                                         const QList<Encoding> &encodings, const QStringList &fieldOrder,
                                         QByteArray *contentType, QList<BuildError> *errors);
    // `formParameters`: Swagger 2.0 formData fields, whose collectionFormat applies.
    static QByteArray formUrlEncodedBody(const QJsonObject &fields, const QList<Encoding> &encodings,
                                         const QStringList &fieldOrder, const QList<Parameter> &formParameters = {});

private:
    void buildBody(const std::optional<RequestBody> &requestBody, const BodyInput &input, HttpRequest &request,
                   QList<BuildError> &errors) const;

    const ApiDocument &m_document;
};

} // namespace portolan::http
