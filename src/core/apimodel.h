#pragma once

#include "diagnostic.h"
#include "sourcedocument.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace portolan {

// The one model every OpenAPI version is normalized into. Swagger 2.0 and
// OpenAPI 3.0/3.1/3.2 differ in spelling, not in what a client needs.

struct ServerVariable {
    QString name;
    QString defaultValue;
    QStringList enumValues;
    QString description;
};

struct Server {
    QString url;  // may hold {variables}
    QString description;
    QList<ServerVariable> variables;
};

// FormData: a Swagger 2.0 form field; such parameters appear only in
// MediaType::formParameters, never in OperationDetails::parameters.
enum class ParameterLocation { Path, Query, Header, Cookie, QueryString, FormData };
QString parameterLocationName(ParameterLocation location);
// Case-insensitive; nullopt for an unknown name.
std::optional<ParameterLocation> parameterLocationFromName(const QString &name);

// The small fields side by side, where padding after each cost 8 bytes of
// every parameter of every operation: a large description holds 90,000.
struct Parameter {
    QString name;
    ParameterLocation in = ParameterLocation::Query;
    bool required = false;
    bool deprecated = false;
    bool allowEmptyValue = false;
    bool explode = false;     // with the default for `style` filled in
    bool allowReserved = false;
    QString description;
    QString style;            // OpenAPI 3 style, with the default for `in` filled in
    QString collectionFormat; // Swagger 2.0 arrays: csv, ssv, tsv, pipes, multi
    QString contentType;      // set when the parameter uses `content` instead of `schema`
    NodeRef schema;           // for 2.0, the parameter object itself (type/items/enum/default live there)
    NodeRef example;
    NodeRef examples;
    NodeRef node;             // the parameter object, $ref resolved
};

struct Encoding {
    QString property;
    QString contentType;
    QString style;
    bool explode = false;
    bool allowReserved = false;
    NodeRef headers;
};

struct MediaType {
    QString contentType;
    NodeRef schema;
    NodeRef example;
    NodeRef examples;
    QList<Encoding> encoding;
    QList<Parameter> formParameters;  // Swagger 2.0 formData fields, in order (no schema then)
};

struct RequestBody {
    QString description;
    bool required = false;
    QList<MediaType> content;
};

struct Header {
    QString name;
    QString description;
    bool required = false;
    NodeRef schema;
};

struct Response {
    QString status;  // "200", "4XX" or "default"
    QString description;
    QList<MediaType> content;
    QList<Header> headers;
};

// One scheme of a requirement, with the scopes it needs.
struct SchemeUse {
    QString scheme;
    QStringList scopes;
};

// OR of AND-sets, kept exactly as written: an empty list means "no auth"
// (`security: []`), an empty alternative means "auth optional" (`{}`).
using SecurityAlternative = QList<SchemeUse>;
using SecurityRequirement = QList<SecurityAlternative>;

struct Operation;

struct Callback {
    QString name;
    QList<Operation> operations;  // path is the callback's runtime expression
};

struct Operation {
    QString method;  // upper case: GET, POST, …, QUERY (OpenAPI 3.2)
    // The path template (a webhook's name, a callback's runtime expression)
    // and the operationId as written: UTF-8 in the document's tree, which
    // lives as long as the model. As QStrings they were 6 MB of the model of
    // Microsoft Graph beta's 22,000 operations.
    std::string_view pathText;
    std::string_view operationIdText;
    QString summary;
    QStringList tags;
    bool deprecated = false;
    bool isWebhook = false;
    bool securityFromUser = false;  // `security` is the user's (SchemeOverrides), not the document's
    std::uint8_t callbackDepth = 0;  // how many callbacks hold the operation: 0 for paths and webhooks
    NodeId pathItem = kNoNode;       // the path item holding the operation, in node's document
    QList<Server> servers;                     // operation or path-item servers, empty if none
    std::optional<SecurityRequirement> security;  // as declared on the operation, or as the user set it
    NodeRef node;                              // the operation object

    QString path() const { return QString::fromUtf8(pathText.data(), qsizetype(pathText.size())); }
    QString operationId() const { return QString::fromUtf8(operationIdText.data(), qsizetype(operationIdText.size())); }
};

// The JSON pointer of the operation object in its document. Found from the
// tree when asked: a pointer kept in every operation was 5 MB of a 22,000
// operation model, and few are ever asked for.
QString operationPointer(const Operation &operation);
// Whether `value` lies inside the operation object (a diagnostic's place, say).
bool operationHolds(const Operation &operation, NodeRef value);

enum class SecuritySchemeType { ApiKey, Http, OAuth2, OpenIdConnect, MutualTls, Unknown };
QString securitySchemeTypeName(SecuritySchemeType type);

enum class OAuthFlowKind { AuthorizationCode, Implicit, Password, ClientCredentials, DeviceAuthorization };
QString oauthFlowName(OAuthFlowKind kind);
std::optional<OAuthFlowKind> oauthFlowFromName(const QString &name);
QList<OAuthFlowKind> allOAuthFlows();  // in the order of the table

struct OAuthFlow {
    OAuthFlowKind kind = OAuthFlowKind::AuthorizationCode;
    QString authorizationUrl;
    QString tokenUrl;
    QString refreshUrl;
    QString deviceAuthorizationUrl;
    QList<std::pair<QString, QString>> scopes;  // name, description; in document order
};

struct SecurityScheme {
    QString name;  // the key under securitySchemes / securityDefinitions
    SecuritySchemeType type = SecuritySchemeType::Unknown;
    QString description;
    QString in;             // apiKey: query, header or cookie
    QString parameterName;  // apiKey: the header, query or cookie name
    QString scheme;         // http: basic, bearer, digest, … (lower case)
    QString bearerFormat;
    QString openIdConnectUrl;
    QList<OAuthFlow> flows;
    QString pointer;
    bool userDefined = false;  // added or edited by the user (SchemeOverrides), not from the document
};

struct Tag {
    QString name;
    QString description;
};

struct ApiInfo {
    QString title;
    QString version;
    QString summary;
    QString description;
    QString termsOfService;
    QString contactName;
    QString contactUrl;
    QString contactEmail;
    QString licenseName;
    QString licenseUrl;
};

enum class SpecFormat { OpenApi, Swagger };

// A $ref that leads back into itself: loaded once and marked, never followed forever.
struct CircularReference {
    QString file;
    QString pointer;  // where the $ref stands
    QString target;   // what it points to
};

class ApiDocument {
public:
    SpecFormat format = SpecFormat::OpenApi;
    QString specVersion;  // "2.0", "3.0.3", "3.1.0", …
    QUrl sourceUrl;
    ApiInfo info;
    QList<Server> servers;
    QList<Tag> tags;
    QList<Operation> operations;
    QList<Operation> webhooks;
    QList<SecurityScheme> securitySchemes;
    std::optional<SecurityRequirement> globalSecurity;
    bool globalSecurityFromUser = false;  // globalSecurity is the user's (SchemeOverrides)
    QList<CircularReference> circularReferences;
    Diagnostics diagnostics;
    SourceDocuments documents;  // owns everything NodeRefs point into

    const SecurityScheme *securityScheme(const QString &name) const;
    // An operation by its operationId or as "METHOD /path" (webhooks too); null when none.
    const Operation *findOperation(const QString &operationIdOrMethodPath) const;
    // The requirement that applies: the operation's own, else the global one;
    // an empty list when neither says anything.
    SecurityRequirement effectiveSecurity(const Operation &operation) const;
    // Servers that apply: the operation's own, else the document's.
    const QList<Server> &effectiveServers(const Operation &operation) const;
    const SourceDocument *rootDocument() const { return documents.empty() ? nullptr : documents.front().get(); }
};

// What an operation declares for its requests and responses: read from the
// documents when asked (see OperationReader), not kept in the model.
struct OperationDetails {
    QString description;          // Markdown
    QList<Parameter> parameters;  // path item and operation merged; the operation's win
    std::optional<RequestBody> requestBody;
    QList<Response> responses;
    QList<Callback> callbacks;
};

// Reads operations' details when asked. The model keeps none: kept for
// Microsoft Graph beta's 22,000 operations they took 31 MB, and a person
// looks at a few operations. What reading them reports, the model's
// diagnostics hold already. One reader for many operations reads a $ref'd
// parameter or response once; a reader serves one thread.
class OperationReader {
public:
    explicit OperationReader(const ApiDocument &api);
    ~OperationReader();
    OperationDetails read(const Operation &operation);

private:
    struct State;
    std::unique_ptr<State> m_state;
};
// One operation's details, as OperationReader reads them.
OperationDetails operationDetails(const ApiDocument &api, const Operation &operation);

} // namespace portolan
