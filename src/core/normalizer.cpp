#include "normalizer.h"

#include "jsonpointer.h"
#include "referenceresolver.h"
#include "referencescan.h"
#include "texttable.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QVarLengthArray>

#include <array>
#include <memory>
#include <unordered_map>

namespace portolan {

namespace {

// A value in one of the loaded documents. Its JSON pointer is worked out
// only when a diagnostic needs it: building one for every field read was
// most of the time spent on large documents.
struct Located {
    NodeRef node;

    bool isValid() const { return node.isValid(); }
    NodeKind kind() const { return node.kind(); }
    Located operator[](std::string_view key) const { return {node.member(key)}; }
    QString pointer() const { return isValid() ? jsonpointer::pointerTo(node.tree(), node.id) : QString(); }
};

// The fields of one object (see MemberValues), as Located values.
template <const auto &Keys>
class Fields {
public:
    explicit Fields(const Located &object) : m_document(object.node.document), m_values(object.node.tree(), object.node.id) {}
    Located operator[](std::size_t i) const { return Located{{m_document, m_values[i]}}; }

private:
    const SourceDocument *m_document;
    MemberValues<Keys> m_values;
};

// The most common keys first: a member's key is compared with them in this order.
enum ParameterField { PName, PIn, PDescription, PSchema, PRequired, PStyle, PExplode, PExample, PExamples, PContent,
                      PDeprecated, PAllowEmptyValue, PAllowReserved, PCollectionFormat, PType, PParameterFieldCount };
constexpr std::array<std::string_view, PParameterFieldCount> kParameterKeys{
    "name", "in", "description", "schema", "required", "style", "explode", "example", "examples", "content",
    "deprecated", "allowEmptyValue", "allowReserved", "collectionFormat", "type"};
using ParameterFields = Fields<kParameterKeys>;

enum OperationField { OOperationId, OSummary, ODescription, OTags, ODeprecated, OParameters, ORequestBody, OResponses,
                      OCallbacks, OSecurity, OServers, OConsumes, OProduces, OOperationFieldCount };
constexpr std::array<std::string_view, OOperationFieldCount> kOperationKeys{
    "operationId", "summary", "description", "tags", "deprecated", "parameters", "requestBody", "responses",
    "callbacks", "security", "servers", "consumes", "produces"};
using OperationFields = Fields<kOperationKeys>;

enum ResponseField { RDescription, RContent, RHeaders, RSchema, RExamples, RResponseFieldCount };
constexpr std::array<std::string_view, RResponseFieldCount> kResponseKeys{"description", "content", "headers", "schema", "examples"};
using ResponseFields = Fields<kResponseKeys>;

enum MediaTypeField { MSchema, MExample, MExamples, MEncoding, MMediaTypeFieldCount };
constexpr std::array<std::string_view, MMediaTypeFieldCount> kMediaTypeKeys{"schema", "example", "examples", "encoding"};
using MediaTypeFields = Fields<kMediaTypeKeys>;

// A path item's methods come first, in the order their operations are listed.
enum PathItemField { IParameters = 9, IServers, IAdditionalOperations, IPathItemFieldCount };
constexpr std::array<std::string_view, IPathItemFieldCount> kPathItemKeys{
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query", "parameters", "servers", "additionalOperations"};
using PathItemFields = Fields<kPathItemKeys>;

struct NodeRefHash {
    std::size_t operator()(const NodeRef &node) const { return std::hash<const void *>()(node.document) ^ node.id; }
};

// Finds parameters by location and name in a list being built. Most lists
// hold a few and are searched; a document can give an operation thousands,
// which searching made quadratic (40,000 took 3 s), so a long list is indexed.
class ParameterLookup {
public:
    explicit ParameterLookup(const QList<Parameter> &list) : m_list(list) {}

    // The position of the first parameter with p's location and name, or -1.
    qsizetype find(const Parameter &p)
    {
        if (m_list.size() <= kSearched) {
            const auto same = std::find_if(m_list.cbegin(), m_list.cend(), [&](const Parameter &q) { return q.in == p.in && q.name == p.name; });
            return same == m_list.cend() ? -1 : same - m_list.cbegin();
        }
        for (; m_indexed < m_list.size(); ++m_indexed) {
            const std::pair<int, QString> key{int(m_list[m_indexed].in), m_list[m_indexed].name};
            if (!m_positions.contains(key))
                m_positions.insert(key, m_indexed);
        }
        return m_positions.value({int(p.in), p.name}, -1);
    }

private:
    static constexpr qsizetype kSearched = 32;
    const QList<Parameter> &m_list;
    QHash<std::pair<int, QString>, qsizetype> m_positions;  // of the first m_indexed parameters
    qsizetype m_indexed = 0;
};

class Normalizer {
public:
    Normalizer(ApiDocument &api, Diagnostics loadDiagnostics, const OperationDetailsRead &detailsRead)
        : m_api(api), m_model(&api), m_diagnostics(api.diagnostics), m_detailsRead(detailsRead), m_resolver(api.documents),
          m_root(api.documents.front().get())
    {
        for (const Diagnostic &d : loadDiagnostics)
            m_reportedSites.insert(d.location.file + QLatin1Char('#') + d.location.pointer);
        model().diagnostics = std::move(loadDiagnostics);
    }

    // A reader of a built model's operation details (see OperationReader).
    // It writes none of the model, and what it reports goes to `discarded`:
    // reading the model reported it already.
    Normalizer(const ApiDocument &api, Diagnostics &discarded)
        : m_api(api), m_diagnostics(discarded), m_resolver(api.documents), m_root(api.documents.front().get()),
          m_isSwagger(api.format == SpecFormat::Swagger), m_is31(readsAs31(api))
    {
        readGlobalMediaTypes(Located{{m_root, m_root->tree().root()}});
    }

    // The details of an operation of the model (see OperationReader).
    OperationDetails detailsOf(const Operation &operation)
    {
        const Located op{operation.node};
        if (!op.isValid() || op.kind() != NodeKind::Object)
            return {};
        const Located item{{operation.node.document, operation.pathItem}};
        const QList<Parameter> shared = item.isValid() ? readParameters(PathItemFields(item)[IParameters], nullptr) : QList<Parameter>();
        const OperationFields f(op);
        OperationDetails details = readDetails(op, f, shared, operation.callbackDepth);
        details.description = string(f[ODescription]);
        return details;
    }

    bool detectFormat(Diagnostic *fatal)
    {
        const Located root{{m_root, m_root->tree().root()}};
        if (root.kind() != NodeKind::Object) {
            *fatal = diagnostic(Severity::Error, root, QStringLiteral("not an OpenAPI or Swagger document: the top level is not an object"));
            return false;
        }
        const Located openapi = root["openapi"];
        const Located swagger = root["swagger"];
        if (openapi.isValid()) {
            model().format = SpecFormat::OpenApi;
            model().specVersion = scalar(openapi);
            if (!m_api.specVersion.startsWith(QLatin1String("3.")))
                warning(openapi, QStringLiteral("unsupported OpenAPI version '%1'; reading it as 3.1").arg(m_api.specVersion));
            else if (openapi.kind() != NodeKind::String)
                warning(openapi, QStringLiteral("the openapi version should be a string, e.g. \"%1\"").arg(m_api.specVersion));
            m_is31 = readsAs31(m_api);
            return true;
        }
        if (swagger.isValid()) {
            model().format = SpecFormat::Swagger;
            model().specVersion = scalar(swagger);
            if (m_api.specVersion != QLatin1String("2.0"))
                warning(swagger, QStringLiteral("unsupported Swagger version '%1'; reading it as 2.0").arg(m_api.specVersion));
            m_isSwagger = true;
            return true;
        }
        *fatal = diagnostic(Severity::Error, root,
                            QStringLiteral("not an OpenAPI or Swagger document: neither an 'openapi' nor a 'swagger' field"));
        return false;
    }

    void run()
    {
        const Located root{{m_root, m_root->tree().root()}};
        resolveReferences();
        readInfo(root["info"]);
        model().servers = m_isSwagger ? swaggerServers(root) : readServers(root["servers"], true);
        readTags(root["tags"]);
        readSecuritySchemes(m_isSwagger ? root["securityDefinitions"] : root["components"]["securitySchemes"]);
        if (root["security"].isValid())
            model().globalSecurity = readRequirement(root["security"]);
        readGlobalMediaTypes(root);
        readPaths(root["paths"]);
        if (!m_isSwagger)
            readWebhooks(root["webhooks"]);
        checkReferences();
    }

private:
    // OpenAPI beyond 3.0 (and versions it does not know) is read as 3.1.
    static bool readsAs31(const ApiDocument &api)
    {
        return api.format == SpecFormat::OpenApi && !api.specVersion.startsWith(QLatin1String("3.0"));
    }

    // Swagger 2.0's document-wide media types, which operations without their own inherit.
    void readGlobalMediaTypes(const Located &root)
    {
        m_globalConsumes = stringList(root["consumes"]);
        m_globalProduces = stringList(root["produces"]);
    }

    // ---- diagnostics -------------------------------------------------------

    Diagnostic diagnostic(Severity severity, const Located &at, const QString &message) const
    {
        const SourceDocument *doc = at.node.document ? at.node.document : m_root;
        return {severity, message, doc->location(at.node.id, at.pointer())};
    }
    void error(const Located &at, const QString &message) { m_diagnostics.push_back(diagnostic(Severity::Error, at, message)); }
    void warning(const Located &at, const QString &message) { m_diagnostics.push_back(diagnostic(Severity::Warning, at, message)); }

    // ---- small readers -----------------------------------------------------

    // Equal texts share one QString: a large description repeats the same
    // descriptions, media types and status codes thousands of times, and
    // one copy of each is what keeps the model small.
    QString toQString(std::string_view text)
    {
        if (text.empty())
            return QString::fromUtf8(text.data(), 0);
        return m_strings.findOrAdd(text, TextHash()(text), [&] { return QString::fromUtf8(text.data(), qsizetype(text.size())); });
    }

    // Whether `value` has a text string() reads; warns when it holds something else.
    bool holdsText(const Located &value)
    {
        if (!value.isValid() || value.kind() == NodeKind::Null)
            return false;
        if (value.kind() != NodeKind::String && value.kind() != NodeKind::Number && value.kind() != NodeKind::Bool) {
            warning(value, QStringLiteral("expected a string"));
            return false;
        }
        return true;
    }

    // Text of a scalar of any kind (YAML readers turn `version: 1.0` into a number).
    QString scalar(const Located &value)
    {
        const NodeKind k = value.kind();
        if (!value.isValid() || k == NodeKind::Object || k == NodeKind::Array || k == NodeKind::Null)
            return {};
        return toQString(value.node.text());
    }

    QString string(const Located &value)
    {
        return holdsText(value) ? toQString(value.node.text()) : QString();
    }

    bool boolean(const Located &value, bool fallback)
    {
        if (!value.isValid() || value.kind() == NodeKind::Null)
            return fallback;
        if (value.kind() != NodeKind::Bool) {
            warning(value, QStringLiteral("expected true or false"));
            return fallback;
        }
        return value.node.text() == "true";
    }

    QStringList stringList(const Located &value)
    {
        QStringList list;
        if (!value.isValid())
            return list;
        if (value.kind() != NodeKind::Array) {
            warning(value, QStringLiteral("expected a list"));
            return list;
        }
        list.reserve(memberCount(value));
        forEachElement(value, [&](const Located &item) { list.push_back(string(item)); });
        return list;
    }

    // An operation's tags. Most operations of a large description have one,
    // the same as hundreds of others: lists of one tag share one copy.
    QStringList tagList(const Located &tags)
    {
        if (tags.kind() == NodeKind::Array && memberCount(tags) == 1) {
            const Located only{{tags.node.document, tags.node.tree().membersBegin(tags.node.id)->value}};
            if (only.kind() == NodeKind::String) {
                const std::string_view text = only.node.text();
                return m_singleTags.findOrAdd(text, TextHash()(text), [&] { return QStringList{toQString(text)}; });
            }
        }
        return stringList(tags);
    }

    // Members of an object or elements of an array: what a list read from it is reserved for.
    static qsizetype memberCount(const Located &container)
    {
        const NodeKind kind = container.kind();
        return kind == NodeKind::Object || kind == NodeKind::Array ? qsizetype(container.node.tree().node(container.node.id).count) : 0;
    }

    template <typename F>
    void forEachMember(const Located &object, F &&f)
    {
        const NodeTree &tree = object.node.tree();
        for (const Member *m = tree.membersBegin(object.node.id); m != tree.membersEnd(object.node.id); ++m)
            f(m->key(), Located{{object.node.document, m->value}});
    }

    // As forEachMember(), for entries each read in depth (parameters,
    // responses). Each is out of the cache, and reading one waited for its
    // node, then its members and text, found through the node. Those to come
    // are known: their nodes are asked for 8 entries ahead, and their members
    // and text one entry ahead, so that the reads overlap.
    template <typename F>
    void forEachEntry(const Located &container, F &&f)
    {
        constexpr std::ptrdiff_t kAhead = 8;
        const NodeTree &tree = container.node.tree();
        const Member *const begin = tree.membersBegin(container.node.id);
        const Member *const end = tree.membersEnd(container.node.id);
        for (const Member *m = begin; m != end && m - begin < kAhead; ++m)
            __builtin_prefetch(&tree.node(m->value));
        for (const Member *m = begin; m != end; ++m) {
            if (end - m > kAhead)
                __builtin_prefetch(&tree.node(m[kAhead].value));
            if (end - m > 1) {
                const Node &next = tree.node(m[1].value);
                if (next.kind == NodeKind::Object || next.kind == NodeKind::Array)
                    __builtin_prefetch(tree.membersBegin(m[1].value));
                __builtin_prefetch(tree.source().constData() + next.offset);
            }
            f(m->key(), Located{{container.node.document, m->value}});
        }
    }

    template <typename F>
    void forEachElement(const Located &array, F &&f)
    {
        const NodeTree &tree = array.node.tree();
        for (const Member *m = tree.membersBegin(array.node.id); m != tree.membersEnd(array.node.id); ++m)
            f(Located{{array.node.document, m->value}});
    }

    bool expectObject(const Located &value, const char *what)
    {
        if (value.kind() == NodeKind::Object)
            return true;
        if (value.isValid())
            error(value, QStringLiteral("%1 must be an object").arg(QLatin1String(what)));
        return false;
    }

    // Follows a Reference Object. Broken references were reported by
    // checkReferences(); here they just yield an invalid value.
    Located deref(const Located &value)
    {
        Located current = value;
        for (int hops = 0; ReferenceResolver::isReference(current.node); ++hops) {
            if (hops > 64)
                return {};
            current = {follow(current.node)};
            if (!current.isValid())
                return {};
        }
        return current;
    }

    // OpenAPI 3.1 lets a Reference Object override the target's summary and description.
    // `targetValue` is the target's own `field`.
    QString describedBy(const Located &reference, const char *field, const Located &targetValue)
    {
        if (m_is31 && ReferenceResolver::isReference(reference.node)) {
            const Located own = reference[field];
            if (own.isValid())
                return string(own);
        }
        return string(targetValue);
    }

    // ---- info, servers, tags -----------------------------------------------

    void readInfo(const Located &info)
    {
        if (!info.isValid()) {
            warning({{m_root, m_root->tree().root()}}, QStringLiteral("the document has no 'info' object"));
            return;
        }
        if (!expectObject(info, "info"))
            return;
        ApiInfo &i = model().info;
        i.title = string(info["title"]);
        i.version = string(info["version"]);
        i.summary = string(info["summary"]);
        i.description = string(info["description"]);
        i.termsOfService = string(info["termsOfService"]);
        i.contactName = string(info["contact"]["name"]);
        i.contactUrl = string(info["contact"]["url"]);
        i.contactEmail = string(info["contact"]["email"]);
        i.licenseName = string(info["license"]["name"]);
        i.licenseUrl = string(info["license"]["url"]);
        if (i.title.isEmpty())
            warning(info, QStringLiteral("info has no title"));
    }

    QList<Server> readServers(const Located &servers, bool topLevel)
    {
        QList<Server> list;
        if (servers.isValid() && servers.kind() != NodeKind::Array) {
            error(servers, QStringLiteral("servers must be a list"));
        } else if (servers.isValid()) {
            forEachElement(servers, [&](const Located &item) {
                if (!expectObject(item, "a server"))
                    return;
                Server server;
                server.url = string(item["url"]);
                server.description = string(item["description"]);
                if (server.url.isEmpty())
                    error(item, QStringLiteral("server has no url"));
                const Located variables = item["variables"];
                if (variables.isValid() && expectObject(variables, "server variables")) {
                    forEachMember(variables, [&](std::string_view name, const Located &v) {
                        ServerVariable var;
                        var.name = toQString(name);
                        var.defaultValue = string(v["default"]);
                        var.description = string(v["description"]);
                        var.enumValues = stringList(v["enum"]);
                        if (!v["default"].isValid())
                            error(v, QStringLiteral("server variable '%1' has no default").arg(var.name));
                        else if (!var.enumValues.isEmpty() && !var.enumValues.contains(var.defaultValue))
                            warning(v["default"], QStringLiteral("the default of server variable '%1' is not one of its enum values").arg(var.name));
                        server.variables.push_back(var);
                    });
                }
                checkServerVariablesDeclared(item["url"], server);
                server.url = resolveServerUrl(server.url);
                list.push_back(server);
            });
        }
        if (topLevel && list.isEmpty())
            list.push_back(Server{QStringLiteral("/"), QString(), {}});
        return list;
    }

    void checkServerVariablesDeclared(const Located &urlNode, const Server &server)
    {
        static const QRegularExpression variable(QStringLiteral("\\{([^}]*)\\}"));
        for (auto it = variable.globalMatch(server.url); it.hasNext();) {
            const QString name = it.next().captured(1);
            const bool declared = std::any_of(server.variables.begin(), server.variables.end(),
                                              [&](const ServerVariable &v) { return v.name == name; });
            if (!declared)
                error(urlNode, QStringLiteral("server url uses variable '%1' which is not declared").arg(name));
        }
    }

    // Relative server URLs are relative to where the document was loaded from.
    QString resolveServerUrl(const QString &url) const
    {
        const QUrl source = m_api.sourceUrl;
        if (url.isEmpty() || url.startsWith(QLatin1Char('{')) || (source.scheme() != QLatin1String("http") && source.scheme() != QLatin1String("https")))
            return url;
        const QUrl parsed(url, QUrl::TolerantMode);
        if (!parsed.isRelative())
            return url;
        return source.resolved(parsed).toString();
    }

    // Swagger 2.0 spells the server as schemes × host × basePath.
    QList<Server> swaggerServers(const Located &root)
    {
        const QUrl source = m_api.sourceUrl;
        const bool fromWeb = source.scheme() == QLatin1String("http") || source.scheme() == QLatin1String("https");
        QStringList schemes = stringList(root["schemes"]);
        if (schemes.isEmpty())
            schemes.push_back(fromWeb ? source.scheme() : QStringLiteral("https"));
        QString host = string(root["host"]);
        if (host.isEmpty() && fromWeb)
            host = source.authority();
        QString basePath = string(root["basePath"]);
        if (basePath.isEmpty())
            basePath = QStringLiteral("/");
        else if (!basePath.startsWith(QLatin1Char('/')))
            warning(root["basePath"], QStringLiteral("basePath must start with '/'"));
        QList<Server> servers;
        if (host.isEmpty()) {
            servers.push_back(Server{basePath, QString(), {}});
            return servers;
        }
        for (const QString &scheme : schemes)
            servers.push_back(Server{scheme + QLatin1String("://") + host + basePath, QString(), {}});
        return servers;
    }

    void readTags(const Located &tags)
    {
        if (!tags.isValid())
            return;
        if (tags.kind() != NodeKind::Array) {
            error(tags, QStringLiteral("tags must be a list"));
            return;
        }
        forEachElement(tags, [&](const Located &tag) {
            if (expectObject(tag, "a tag"))
                model().tags.push_back(Tag{string(tag["name"]), string(tag["description"])});
        });
    }

    // ---- security ----------------------------------------------------------

    void readSecuritySchemes(const Located &schemes)
    {
        if (!schemes.isValid() || !expectObject(schemes, m_isSwagger ? "securityDefinitions" : "securitySchemes"))
            return;
        forEachMember(schemes, [&](std::string_view name, const Located &entry) {
            const Located s = deref(entry);
            if (!s.isValid() || !expectObject(s, "a security scheme"))
                return;
            SecurityScheme scheme;
            scheme.name = toQString(name);
            scheme.pointer = entry.pointer();
            scheme.description = describedBy(entry, "description", s["description"]);
            const QString type = string(s["type"]);
            if (type == QLatin1String("apiKey")) {
                scheme.type = SecuritySchemeType::ApiKey;
                scheme.in = string(s["in"]);
                scheme.parameterName = string(s["name"]);
                const bool validIn = scheme.in == QLatin1String("query") || scheme.in == QLatin1String("header")
                                     || (!m_isSwagger && scheme.in == QLatin1String("cookie"));
                if (!validIn)
                    error(s["in"].isValid() ? s["in"] : s, QStringLiteral("apiKey scheme '%1' needs 'in' to be query, header%2")
                                                              .arg(scheme.name, m_isSwagger ? QString() : QStringLiteral(" or cookie")));
                if (scheme.parameterName.isEmpty())
                    error(s, QStringLiteral("apiKey scheme '%1' has no 'name'").arg(scheme.name));
            } else if (type == QLatin1String("basic") && m_isSwagger) {
                scheme.type = SecuritySchemeType::Http;
                scheme.scheme = QStringLiteral("basic");
            } else if (type == QLatin1String("http") && !m_isSwagger) {
                scheme.type = SecuritySchemeType::Http;
                scheme.scheme = string(s["scheme"]).toLower();
                scheme.bearerFormat = string(s["bearerFormat"]);
                if (scheme.scheme.isEmpty())
                    error(s, QStringLiteral("http scheme '%1' has no 'scheme' (basic, bearer, digest, …)").arg(scheme.name));
            } else if (type == QLatin1String("oauth2")) {
                scheme.type = SecuritySchemeType::OAuth2;
                if (m_isSwagger)
                    readSwaggerFlow(s, scheme);
                else
                    readFlows(s, scheme);
            } else if (type == QLatin1String("openIdConnect") && !m_isSwagger) {
                scheme.type = SecuritySchemeType::OpenIdConnect;
                scheme.openIdConnectUrl = string(s["openIdConnectUrl"]);
                if (scheme.openIdConnectUrl.isEmpty())
                    error(s, QStringLiteral("openIdConnect scheme '%1' has no openIdConnectUrl").arg(scheme.name));
            } else if (type == QLatin1String("mutualTLS") && m_is31) {
                scheme.type = SecuritySchemeType::MutualTls;
            } else {
                error(s["type"].isValid() ? s["type"] : s,
                      QStringLiteral("security scheme '%1' has an unknown type '%2'").arg(scheme.name, type));
            }
            model().securitySchemes.push_back(scheme);
        });
    }

    QList<std::pair<QString, QString>> readScopes(const Located &scopes)
    {
        QList<std::pair<QString, QString>> list;
        if (!scopes.isValid())
            return list;
        if (!expectObject(scopes, "scopes"))
            return list;
        forEachMember(scopes, [&](std::string_view name, const Located &description) {
            list.push_back({toQString(name), string(description)});
        });
        return list;
    }

    void requireUrl(const Located &flowNode, const QString &url, const char *field, const QString &scheme)
    {
        if (url.isEmpty())
            error(flowNode, QStringLiteral("oauth2 scheme '%1' flow needs '%2'").arg(scheme, QLatin1String(field)));
    }

    void readSwaggerFlow(const Located &s, SecurityScheme &scheme)
    {
        const QString flow = string(s["flow"]);
        OAuthFlow f;
        f.authorizationUrl = string(s["authorizationUrl"]);
        f.tokenUrl = string(s["tokenUrl"]);
        f.scopes = readScopes(s["scopes"]);
        if (flow == QLatin1String("implicit")) {
            f.kind = OAuthFlowKind::Implicit;
            requireUrl(s, f.authorizationUrl, "authorizationUrl", scheme.name);
        } else if (flow == QLatin1String("password")) {
            f.kind = OAuthFlowKind::Password;
            requireUrl(s, f.tokenUrl, "tokenUrl", scheme.name);
        } else if (flow == QLatin1String("application")) {
            f.kind = OAuthFlowKind::ClientCredentials;
            requireUrl(s, f.tokenUrl, "tokenUrl", scheme.name);
        } else if (flow == QLatin1String("accessCode")) {
            f.kind = OAuthFlowKind::AuthorizationCode;
            requireUrl(s, f.authorizationUrl, "authorizationUrl", scheme.name);
            requireUrl(s, f.tokenUrl, "tokenUrl", scheme.name);
        } else {
            error(s["flow"].isValid() ? s["flow"] : s,
                  QStringLiteral("oauth2 scheme '%1' has an unknown flow '%2' (implicit, password, application or accessCode)")
                      .arg(scheme.name, flow));
            return;
        }
        scheme.flows.push_back(f);
    }

    void readFlows(const Located &s, SecurityScheme &scheme)
    {
        const Located flows = s["flows"];
        if (!flows.isValid()) {
            error(s, QStringLiteral("oauth2 scheme '%1' has no flows").arg(scheme.name));
            return;
        }
        if (!expectObject(flows, "flows"))
            return;
        forEachMember(flows, [&](std::string_view name, const Located &node) {
            if (!expectObject(node, "an oauth2 flow"))
                return;
            OAuthFlow f;
            f.authorizationUrl = string(node["authorizationUrl"]);
            f.tokenUrl = string(node["tokenUrl"]);
            f.refreshUrl = string(node["refreshUrl"]);
            f.deviceAuthorizationUrl = string(node["deviceAuthorizationUrl"]);
            f.scopes = readScopes(node["scopes"]);
            if (name == "authorizationCode") {
                f.kind = OAuthFlowKind::AuthorizationCode;
                requireUrl(node, f.authorizationUrl, "authorizationUrl", scheme.name);
                requireUrl(node, f.tokenUrl, "tokenUrl", scheme.name);
            } else if (name == "implicit") {
                f.kind = OAuthFlowKind::Implicit;
                requireUrl(node, f.authorizationUrl, "authorizationUrl", scheme.name);
            } else if (name == "password") {
                f.kind = OAuthFlowKind::Password;
                requireUrl(node, f.tokenUrl, "tokenUrl", scheme.name);
            } else if (name == "clientCredentials") {
                f.kind = OAuthFlowKind::ClientCredentials;
                requireUrl(node, f.tokenUrl, "tokenUrl", scheme.name);
            } else if (name == "deviceAuthorization") {
                f.kind = OAuthFlowKind::DeviceAuthorization;
                requireUrl(node, f.deviceAuthorizationUrl, "deviceAuthorizationUrl", scheme.name);
                requireUrl(node, f.tokenUrl, "tokenUrl", scheme.name);
            } else {
                if (!name.empty() && name.substr(0, 2) != "x-")
                    warning(node, QStringLiteral("unknown oauth2 flow '%1'").arg(toQString(name)));
                return;
            }
            scheme.flows.push_back(f);
        });
    }

    // An OR of AND-sets, kept exactly, with unknown scheme names reported.
    SecurityRequirement readRequirement(const Located &security)
    {
        SecurityRequirement requirement;
        if (security.kind() != NodeKind::Array) {
            error(security, QStringLiteral("security must be a list of requirement objects"));
            return requirement;
        }
        forEachElement(security, [&](const Located &alternative) {
            if (!expectObject(alternative, "a security requirement"))
                return;
            SecurityAlternative all;
            forEachMember(alternative, [&](std::string_view name, const Located &scopes) {
                SchemeUse use{toQString(name), {}};
                if (scopes.kind() == NodeKind::Array)
                    use.scopes = stringList(scopes);
                else
                    error(scopes, QStringLiteral("the scopes of '%1' must be a list (use [] for none)").arg(use.scheme));
                if (!m_api.securityScheme(use.scheme))
                    error(scopes, QStringLiteral("unknown security scheme '%1'").arg(use.scheme));
                all.push_back(use);
            });
            requirement.push_back(all);
        });
        return requirement;
    }

    // ---- paths and operations ------------------------------------------------

    void readPaths(const Located &paths)
    {
        if (!paths.isValid()) {
            if (m_isSwagger || !m_is31)
                error({{m_root, m_root->tree().root()}}, QStringLiteral("the document has no 'paths' object"));
            return;
        }
        if (!expectObject(paths, "paths"))
            return;
        // Operations are large, and a list that grows moves all those read so
        // far: it is made for the operations the path items declare.
        // Counting them waited on the cache for each path item in turn. The
        // items to come are known: the node of one is asked for ahead, then,
        // once it is in, its members and its text, and the reads overlap.
        const NodeTree &tree = paths.node.tree();
        const Member *const items = tree.membersBegin(paths.node.id);
        const std::ptrdiff_t itemCount = tree.membersEnd(paths.node.id) - items;
        qsizetype declared = 0;
        for (std::ptrdiff_t i = 0; i < itemCount; ++i) {
            if (i + 16 < itemCount)
                __builtin_prefetch(&tree.node(items[i + 16].value));
            if (i + 8 < itemCount && tree.isObject(items[i + 8].value))
                __builtin_prefetch(tree.membersBegin(items[i + 8].value));
            if (i + 4 < itemCount)
                __builtin_prefetch(tree.source().constData() + tree.node(items[i + 4].value).offset);
            const PathItemFields f(Located{{paths.node.document, items[i].value}});
            for (int method = 0; method < IParameters; ++method)
                declared += f[method].isValid();
        }
        m_operationIds.reserve(std::size_t(declared));
        QList<Operation> &operations = model().operations;
        Q_ASSERT(operations.isEmpty());
        operations.reserve(declared);
        readPathItems(items, items + itemCount, paths.node.document, operations);
    }

    void readPathItems(const Member *begin, const Member *end, const SourceDocument *document, QList<Operation> &out)
    {
        for (const Member *m = begin; m != end; ++m) {
            const std::string_view name = m->key();
            if (name.substr(0, 2) == "x-")
                continue;
            const Located item{{document, m->value}};
            if (name.substr(0, 1) != "/")
                warning(item, QStringLiteral("path '%1' must start with '/'").arg(QString::fromUtf8(name.data(), qsizetype(name.size()))));
            readPathItem(name, item, out, false, 0);
        }
    }

    void checkOperationId(std::string_view id, NodeRef operation, const Located &at)
    {
        bool added = false;
        const NodeRef first = m_operationIds.findOrAdd(id, TextHash()(id), [&] { return operation; }, &added);
        if (!added)
            error(at, QStringLiteral("duplicate operationId '%1' (first used at %2)").arg(QString::fromUtf8(id.data(), qsizetype(id.size())), jsonpointer::pointerTo(first.tree(), first.id)));
    }

    void readWebhooks(const Located &webhooks)
    {
        if (!webhooks.isValid() || !expectObject(webhooks, "webhooks"))
            return;
        forEachMember(webhooks, [&](std::string_view name, const Located &item) {
            readPathItem(name, item, model().webhooks, true, 0);
        });
    }

    // The upper-case name of a fixed-field method: static text, no copy per operation.
    static QString methodName(int method)
    {
        static const QString names[] = {QStringLiteral("GET"),  QStringLiteral("PUT"),   QStringLiteral("POST"),
                                        QStringLiteral("DELETE"), QStringLiteral("OPTIONS"), QStringLiteral("HEAD"),
                                        QStringLiteral("PATCH"), QStringLiteral("TRACE"), QStringLiteral("QUERY")};
        static_assert(std::size(names) == IParameters);
        return names[method];
    }

    void readPathItem(std::string_view path, const Located &itemRef, QList<Operation> &out, bool isWebhook, int callbackDepth)
    {
        const Located item = deref(itemRef);
        if (!item.isValid() || !expectObject(item, "a path item"))
            return;
        const PathItemFields f(item);
        const QList<Parameter> shared = readParameters(f[IParameters], nullptr);
        const QList<Server> servers = m_isSwagger ? QList<Server>() : readServers(f[IServers], false);
        // What the path parameters are checked against, made once for the item's operations.
        const bool checksPathParameters = !isWebhook && callbackDepth == 0;
        const QString pathTemplate = checksPathParameters ? QString::fromUtf8(path.data(), qsizetype(path.size())) : QString();
        auto readMethod = [&](const QString &method, const Located &op) {
            if (!expectObject(op, "an operation"))
                return;
            // Read for what they report, then dropped: OperationReader reads them again when asked.
            OperationDetails details;
            Operation operation = readOperation(path, method, op, shared, callbackDepth, &details);
            operation.isWebhook = isWebhook;
            operation.pathItem = item.node.id;
            if (operation.servers.isEmpty())
                operation.servers = servers;
            if (checksPathParameters)
                checkPathParameters(pathTemplate, op, operation.method, details.parameters);
            if (callbackDepth == 0 && m_detailsRead)
                m_detailsRead(details);
            out.push_back(std::move(operation));
        };
        for (int method = 0; method < IParameters; ++method) {
            const Located &op = f[method];
            if (op.isValid())
                readMethod(methodName(method), op);
        }
        // OpenAPI 3.2: methods beyond the fixed fields.
        const Located additional = f[IAdditionalOperations];
        if (additional.isValid() && expectObject(additional, "additionalOperations")) {
            forEachMember(additional, [&](std::string_view method, const Located &op) { readMethod(toQString(method).toUpper(), op); });
        }
    }

    // Reads the operation `op` of a path item whose parameters are `shared`,
    // and into `details` what it declares beyond (see OperationDetails).
    Operation readOperation(std::string_view path, const QString &method, const Located &op, const QList<Parameter> &shared,
                            int callbackDepth, OperationDetails *details)
    {
        Operation o;
        o.method = method;
        o.pathText = path;
        o.node = op.node;
        o.callbackDepth = std::uint8_t(callbackDepth);
        const OperationFields f(op);
        if (holdsText(f[OOperationId]))
            o.operationIdText = f[OOperationId].node.text();
        o.summary = string(f[OSummary]);
        holdsText(f[ODescription]);  // read when asked (see detailsOf()), checked now
        o.tags = tagList(f[OTags]);
        o.deprecated = boolean(f[ODeprecated], false);

        *details = readDetails(op, f, shared, callbackDepth);
        if (const Located security = f[OSecurity]; security.isValid())
            o.security = readRequirement(security);
        if (!m_isSwagger)
            o.servers = readServers(f[OServers], false);
        if (!o.operationIdText.empty())
            checkOperationId(o.operationIdText, o.node, f[OOperationId]);
        return o;
    }

    // What the operation `op` (with fields `f`) declares beyond what lists it.
    OperationDetails readDetails(const Located &op, const OperationFields &f, const QList<Parameter> &shared, int callbackDepth)
    {
        OperationDetails details;
        std::optional<Located> body;
        QList<Parameter> formData;
        details.parameters = mergedParameters(shared, readParameters(f[OParameters], &body, &formData));
        if (m_isSwagger) {
            if (body && !formData.isEmpty())
                error(f[OParameters], QStringLiteral("an operation cannot have both a body and formData parameters"));
            details.requestBody = swaggerRequestBody(f, body, formData);
        } else if (const Located requestBody = f[ORequestBody]; requestBody.isValid()) {
            details.requestBody = readRequestBody(requestBody);
        }
        details.responses = readResponses(op, f);
        if (!m_isSwagger)
            details.callbacks = readCallbacks(f[OCallbacks], callbackDepth);
        return details;
    }

    // Every {name} in the path template needs a path parameter, and every
    // path parameter needs its {name}.
    void checkPathParameters(const QString &path, const Located &op, const QString &method, const QList<Parameter> &parameters)
    {
        // Views into the path, and no list of the declared names: this runs
        // for every operation, and the lists' allocations were most of its cost.
        QVarLengthArray<QStringView, 8> inTemplate;
        for (qsizetype open = path.indexOf(QLatin1Char('{')); open >= 0; open = path.indexOf(QLatin1Char('{'), open + 1)) {
            const qsizetype close = path.indexOf(QLatin1Char('}'), open);
            if (close < 0)
                break;
            inTemplate.push_back(QStringView(path).mid(open + 1, close - open - 1));
        }
        for (const Parameter &p : parameters) {
            if (p.in == ParameterLocation::Path && std::find(inTemplate.cbegin(), inTemplate.cend(), p.name) == inTemplate.cend())
                warning(op, QStringLiteral("path parameter '%1' does not appear in the path '%2'").arg(p.name, path));
        }
        for (const QStringView name : std::as_const(inTemplate)) {
            const bool declared = std::any_of(parameters.cbegin(), parameters.cend(), [&](const Parameter &p) {
                return p.in == ParameterLocation::Path && p.name == name;
            });
            if (!declared)
                error(op, QStringLiteral("path parameter '%1' is not declared for %2 %3").arg(name, method, path));
        }
    }

    static std::optional<ParameterLocation> locationFrom(const QString &in)
    {
        if (in == QLatin1String("path")) return ParameterLocation::Path;
        if (in == QLatin1String("query")) return ParameterLocation::Query;
        if (in == QLatin1String("header")) return ParameterLocation::Header;
        if (in == QLatin1String("cookie")) return ParameterLocation::Cookie;
        if (in == QLatin1String("querystring")) return ParameterLocation::QueryString;
        return std::nullopt;
    }

    // The path item's parameters `shared` with the operation's `own`: the operation's win.
    static QList<Parameter> mergedParameters(const QList<Parameter> &shared, const QList<Parameter> &own)
    {
        if (own.isEmpty())
            return shared;
        QList<Parameter> merged;
        merged.reserve(shared.size() + own.size());
        merged += shared;
        ParameterLookup lookup(merged);
        for (const Parameter &p : own) {
            if (const qsizetype same = lookup.find(p); same >= 0)
                merged[same] = p;
            else
                merged.push_back(p);
        }
        return merged;
    }

    // Reads a parameters list. Swagger 2.0 `body` and `formData` parameters
    // are handed back separately: they become the request body.
    QList<Parameter> readParameters(const Located &list, std::optional<Located> *body, QList<Parameter> *formData = nullptr)
    {
        QList<Parameter> params;
        params.reserve(memberCount(list));
        if (!list.isValid())
            return params;
        if (list.kind() != NodeKind::Array) {
            error(list, QStringLiteral("parameters must be a list"));
            return params;
        }
        ParameterLookup listed(params);
        forEachEntry(list, [&](std::string_view, const Located &entry) {
            const Located p = deref(entry);
            if (!p.isValid() || !expectObject(p, "a parameter"))
                return;
            ReadParameter read;
            if (!readParameter(entry, p, read, body, formData))
                return;
            // `in` names one location, so the same location and name is the same `in` text and name.
            const Parameter &param = read.param;
            if (listed.find(param) >= 0)
                warning(entry, QStringLiteral("parameter '%1' in %2 is listed twice").arg(param.name, read.in));
            params.push_back(std::move(read.param));
        });
        return params;
    }

    // A parameter, and the `in` text it was read from.
    struct ReadParameter {
        Parameter param;
        QString in;
    };

    // Reads the parameter object `p` (`entry`, resolved). False when it is
    // not one to list: invalid, or a Swagger body or formData parameter,
    // which are handed back separately.
    bool readParameter(const Located &entry, const Located &p, ReadParameter &read, std::optional<Located> *body, QList<Parameter> *formData)
    {
        // Operations refer to the same few parameters thousands of times: a
        // $ref'd one is read once and its value shared (implicitly), which
        // keeps the model small. Only those read without a diagnostic are
        // kept, so each use still reports what reading it reports; a 3.1
        // reference with a description of its own is read each time.
        const bool shareable = entry.node != p.node && !(m_is31 && entry["description"].isValid());
        if (shareable) {
            if (const auto known = m_parameters.find(p.node); known != m_parameters.end()) {
                read = known->second;
                return true;
            }
        }
        const qsizetype reported = m_diagnostics.size();
        const ParameterFields f(p);
        const QString name = string(f[PName]);
        read.in = string(f[PIn]);
        const QString &in = read.in;
        if (name.isEmpty()) {
            error(p, QStringLiteral("parameter has no name"));
            return false;
        }
        if (m_isSwagger && in == QLatin1String("body")) {
            if (body)
                *body = p;
            return false;
        }
        Parameter &param = read.param;
        param.name = name;
        const auto location = m_isSwagger && in == QLatin1String("formData") ? std::optional(ParameterLocation::FormData) : locationFrom(in);
        if (!location || (m_isSwagger && in == QLatin1String("cookie"))) {
            error(f[PIn].isValid() ? f[PIn] : p, QStringLiteral("parameter '%1' has an invalid 'in': '%2'").arg(name, in));
            return false;
        }
        param.in = *location;
        param.node = p.node;
        param.description = describedBy(entry, "description", f[PDescription]);
        param.required = boolean(f[PRequired], false);
        param.deprecated = boolean(f[PDeprecated], false);
        param.allowEmptyValue = boolean(f[PAllowEmptyValue], false);
        if (param.in == ParameterLocation::Path && !param.required) {
            warning(p, QStringLiteral("path parameter '%1' must be required").arg(name));
            param.required = true;
        }
        if (m_isSwagger) {
            readSwaggerParameter(p, f, param);
            if (in == QLatin1String("formData")) {
                if (formData)
                    formData->push_back(param);
                return false;
            }
        } else {
            readParameterSerialization(p, f, param);
        }
        if (shareable && m_diagnostics.size() == reported)
            m_parameters.emplace(p.node, read);
        return true;
    }

    void readSwaggerParameter(const Located &p, const ParameterFields &f, Parameter &param)
    {
        param.schema = p.node;  // type, format, items, enum and default live on the parameter itself
        param.collectionFormat = string(f[PCollectionFormat]);
        if (param.collectionFormat.isEmpty() && string(f[PType]) == QLatin1String("array"))
            param.collectionFormat = QStringLiteral("csv");
        // Give 2.0 parameters the 3.x serialization that means the same.
        const bool query = param.in == ParameterLocation::Query || param.in == ParameterLocation::FormData;
        param.style = query ? QStringLiteral("form") : QStringLiteral("simple");
        param.explode = param.collectionFormat == QLatin1String("multi");
        if (param.collectionFormat == QLatin1String("ssv"))
            param.style = QStringLiteral("spaceDelimited");
        else if (param.collectionFormat == QLatin1String("pipes"))
            param.style = QStringLiteral("pipeDelimited");
    }

    void readParameterSerialization(const Located &p, const ParameterFields &f, Parameter &param)
    {
        const bool formByDefault = param.in == ParameterLocation::Query || param.in == ParameterLocation::Cookie;
        param.style = string(f[PStyle]);
        if (param.style.isEmpty())
            param.style = formByDefault ? QStringLiteral("form") : QStringLiteral("simple");
        param.explode = boolean(f[PExplode], param.style == QLatin1String("form"));
        param.allowReserved = boolean(f[PAllowReserved], false);
        const Located schema = f[PSchema];
        param.schema = deref(schema).node;
        if (!param.schema.isValid())
            param.schema = schema.node;
        param.example = f[PExample].node;
        param.examples = f[PExamples].node;
        const Located content = f[PContent];
        if (content.isValid() && expectObject(content, "content")) {
            forEachMember(content, [&](std::string_view type, const Located &media) {
                if (!param.contentType.isEmpty())
                    return;
                param.contentType = toQString(type);
                param.schema = media["schema"].node;
            });
        }
        if (!schema.isValid() && !content.isValid())
            warning(p, QStringLiteral("parameter '%1' has neither a schema nor content").arg(param.name));
    }

    QList<MediaType> readContent(const Located &content)
    {
        QList<MediaType> list;
        if (!content.isValid() || !expectObject(content, "content"))
            return list;
        list.reserve(memberCount(content));
        forEachMember(content, [&](std::string_view type, const Located &media) {
            if (!expectObject(media, "a media type"))
                return;
            const MediaTypeFields f(media);
            MediaType m;
            m.contentType = toQString(type);
            m.schema = f[MSchema].node;
            m.example = f[MExample].node;
            m.examples = f[MExamples].node;
            const Located encoding = f[MEncoding];
            if (encoding.isValid() && expectObject(encoding, "encoding")) {
                forEachMember(encoding, [&](std::string_view property, const Located &e) {
                    Encoding enc;
                    enc.property = toQString(property);
                    enc.contentType = string(e["contentType"]);
                    enc.style = string(e["style"]);
                    enc.explode = boolean(e["explode"], enc.style.isEmpty() || enc.style == QLatin1String("form"));
                    enc.allowReserved = boolean(e["allowReserved"], false);
                    enc.headers = e["headers"].node;
                    m.encoding.push_back(enc);
                });
            }
            list.push_back(m);
        });
        return list;
    }

    RequestBody readRequestBody(const Located &entry)
    {
        RequestBody body;
        const Located b = deref(entry);
        if (!b.isValid() || !expectObject(b, "requestBody"))
            return body;
        body.description = describedBy(entry, "description", b["description"]);
        body.required = boolean(b["required"], false);
        body.content = readContent(b["content"]);
        return body;
    }

    std::optional<RequestBody> swaggerRequestBody(const OperationFields &op, const std::optional<Located> &body,
                                                  const QList<Parameter> &formData)
    {
        QStringList consumes = op[OConsumes].isValid() ? stringList(op[OConsumes]) : m_globalConsumes;
        if (body) {
            RequestBody rb;
            rb.description = string((*body)["description"]);
            rb.required = boolean((*body)["required"], false);
            if (consumes.isEmpty())
                consumes.push_back(QStringLiteral("application/json"));
            for (const QString &type : std::as_const(consumes)) {
                MediaType m;
                m.contentType = type;
                m.schema = (*body)["schema"].node;
                rb.content.push_back(m);
            }
            return rb;
        }
        if (formData.isEmpty())
            return std::nullopt;
        RequestBody rb;
        const bool hasFile = std::any_of(formData.begin(), formData.end(), [](const Parameter &p) {
            return p.schema.member("type").text() == "file";
        });
        rb.required = std::any_of(formData.begin(), formData.end(), [](const Parameter &p) { return p.required; });
        QString type = QStringLiteral("application/x-www-form-urlencoded");
        if (hasFile || consumes.contains(QLatin1String("multipart/form-data")))
            type = QStringLiteral("multipart/form-data");
        MediaType m;
        m.contentType = type;
        m.formParameters = formData;
        rb.content.push_back(m);
        return rb;
    }

    QList<Response> readResponses(const Located &op, const OperationFields &f)
    {
        QList<Response> list;
        const Located responses = f[OResponses];
        if (!responses.isValid()) {
            if (m_isSwagger || !m_is31)
                warning(op, QStringLiteral("operation has no responses"));
            return list;
        }
        if (!expectObject(responses, "responses"))
            return list;
        const QStringList produces = f[OProduces].isValid() ? stringList(f[OProduces]) : m_globalProduces;
        list.reserve(memberCount(responses));
        forEachEntry(responses, [&](std::string_view status, const Located &entry) {
            if (status.substr(0, 2) == "x-")
                return;
            const Located r = deref(entry);
            if (!r.isValid() || !expectObject(r, "a response"))
                return;
            Response response = readResponse(entry, r, produces);
            response.status = toQString(status);
            list.push_back(std::move(response));
        });
        return list;
    }

    // Reads the response object `r` (`entry`, resolved), all but its status.
    Response readResponse(const Located &entry, const Located &r, const QStringList &produces)
    {
        // As for parameters (see readParameter()), a $ref'd response is read
        // once. Swagger's are read each time: their content depends on the
        // operation's `produces`.
        const bool shareable = !m_isSwagger && entry.node != r.node && !(m_is31 && entry["description"].isValid());
        if (shareable) {
            if (const auto known = m_responses.find(r.node); known != m_responses.end())
                return known->second;
        }
        const qsizetype reported = m_diagnostics.size();
        const ResponseFields f(r);
        Response response;
        response.description = describedBy(entry, "description", f[RDescription]);
        if (m_isSwagger) {
            if (f[RSchema].isValid()) {
                const QStringList types = produces.isEmpty() ? QStringList{QStringLiteral("application/json")} : produces;
                for (const QString &type : types) {
                    MediaType m;
                    m.contentType = type;
                    m.schema = f[RSchema].node;
                    m.examples = f[RExamples].node;
                    response.content.push_back(m);
                }
            }
        } else {
            response.content = readContent(f[RContent]);
        }
        const Located headers = f[RHeaders];
        if (headers.isValid() && expectObject(headers, "headers")) {
            forEachMember(headers, [&](std::string_view name, const Located &hEntry) {
                const Located h = deref(hEntry);
                if (!h.isValid())
                    return;
                Header header;
                header.name = toQString(name);
                header.description = describedBy(hEntry, "description", h["description"]);
                header.required = boolean(h["required"], false);
                header.schema = m_isSwagger ? h.node : h["schema"].node;
                response.headers.push_back(header);
            });
        }
        if (shareable && m_diagnostics.size() == reported)
            m_responses.emplace(r.node, response);
        return response;
    }

    QList<Callback> readCallbacks(const Located &callbacks, int depth)
    {
        QList<Callback> list;
        if (!callbacks.isValid() || !expectObject(callbacks, "callbacks"))
            return list;
        if (depth >= 8) {
            warning(callbacks, QStringLiteral("callbacks nested more than 8 deep are not read"));
            return list;
        }
        forEachMember(callbacks, [&](std::string_view name, const Located &entry) {
            const Located c = deref(entry);
            if (!c.isValid() || !expectObject(c, "a callback"))
                return;
            Callback callback;
            callback.name = toQString(name);
            forEachMember(c, [&](std::string_view expression, const Located &item) {
                if (expression.substr(0, 2) != "x-")
                    readPathItem(expression, item, callback.operations, false, depth + 1);
            });
            list.push_back(callback);
        });
        return list;
    }

    // ---- references ----------------------------------------------------------

    // Follows every $ref of every loaded document once, before the model is
    // read: reading it then looks the targets up by node (see follow())
    // instead of resolving the $ref text again, and checkReferences() reuses them.
    void resolveReferences()
    {
        // Each $ref's text lies in the source, long out of the cache by now,
        // and looking it up waited for it to arrive. The texts to come are
        // known: asking for them a few sites early lets their reads overlap.
        constexpr std::size_t kAhead = 16;
        std::size_t count = 0;
        for (const auto &doc : m_api.documents)
            count += doc->references().size();
        std::vector<Site> &resolved = m_references.sites;
        resolved.reserve(count);
        for (const auto &doc : m_api.documents) {
            const std::size_t begin = resolved.size();
            const std::vector<ReferenceSite> &sites = doc->references();
            const NodeTree &tree = doc->tree();
            for (std::size_t i = 0; i < sites.size(); ++i) {
                if (i + kAhead < sites.size())
                    __builtin_prefetch(sites[i + kAhead].ref(tree).data());
                resolved.push_back({sites[i], m_resolver.follow(doc.get(), sites[i].ref(tree))});
            }
            m_references.ranges[doc.get()] = {begin, resolved.size()};
        }
    }

    // One step of a Reference Object, as ReferenceResolver::follow().
    NodeRef follow(NodeRef refObject)
    {
        const References &references = m_references;
        if (const auto range = references.ranges.find(refObject.document); range != references.ranges.end()) {
            const std::size_t at = findSite(range->second.first, range->second.second, refObject.id);
            if (at != range->second.second && references.sites[at].site.refObject == refObject.id)
                return references.sites[at].target;
        }
        return m_resolver.follow(refObject);  // a $ref inside a data value, such as an example
    }

    // The first site in [begin, end) at or after `id`. The model is read in
    // document order, so that is most often just past the site found last: a
    // search from there in growing steps reads a line or two of the sites,
    // where one through all of them missed the cache on each of its last steps.
    std::size_t findSite(std::size_t begin, std::size_t end, NodeId id)
    {
        const std::vector<Site> &sites = m_references.sites;
        std::size_t low = begin, high = end;
        if (m_lastSite >= begin && m_lastSite < end && sites[m_lastSite].site.refObject <= id) {
            low = m_lastSite;
            std::size_t step = 1;
            while (end - low > step && sites[low + step].site.refObject < id) {
                low += step;
                step *= 2;
            }
            high = std::min(end, low + step + 1);
        }
        const auto site = std::lower_bound(sites.cbegin() + qsizetype(low), sites.cbegin() + qsizetype(high), id,
                                           [](const Site &s, NodeId target) { return s.site.refObject < target; });
        m_lastSite = std::size_t(site - sites.cbegin());
        return m_lastSite;
    }

    // Walks every $ref of every loaded document, not only those the operations
    // use: each must resolve. References that close a loop are recorded as
    // circular — legal, but a client must not expand them forever.
    void checkReferences()
    {
        std::vector<Site> &sites = m_references.sites;
        for (const auto &document : m_api.documents) {
            const auto [begin, end] = m_references.ranges[document.get()];
            for (std::size_t i = begin; i < end; ++i) {
                const Site &site = sites[i];
                if (site.target.isValid())
                    continue;
                QString why;
                m_resolver.follow(document.get(), site.site.ref(document->tree()), &why);
                const QString pointer = jsonpointer::pointerTo(document->tree(), site.site.refObject);
                if (!m_reportedSites.contains(document->displayName() + QLatin1Char('#') + pointer))
                    m_diagnostics.push_back({Severity::Error, why, document->location(site.site.refObject, pointer)});
            }
        }

        // Depth-first search over reference targets; an edge leads from a
        // target to the target of each $ref inside it. A $ref whose target is
        // still being searched closes a cycle.
        enum Color : std::uint8_t { White, Gray, Black };
        QHash<QPair<const SourceDocument *, NodeId>, Color> color;
        auto sitesInside = [&](NodeRef target) {
            const auto range = m_references.ranges[target.document];
            const NodeId low = target.tree().subtreeBegin(target.id);
            auto first = std::lower_bound(sites.begin() + qsizetype(range.first), sites.begin() + qsizetype(range.second), low,
                                          [](const Site &s, NodeId id) { return s.site.refObject < id; });
            auto last = std::upper_bound(first, sites.begin() + qsizetype(range.second), target.id,
                                         [](NodeId id, const Site &s) { return id < s.site.refObject; });
            return std::make_pair(first, last);
        };
        struct Frame {
            NodeRef target;
            std::vector<Site>::iterator next, end;
        };
        for (const Site &start : sites) {
            if (!start.target.isValid() || color.value({start.target.document, start.target.id}) != White)
                continue;
            std::vector<Frame> stack;
            auto push = [&](NodeRef target) {
                color[{target.document, target.id}] = Gray;
                const auto [first, last] = sitesInside(target);
                stack.push_back({target, first, last});
            };
            push(start.target);
            while (!stack.empty()) {
                Frame &frame = stack.back();
                if (frame.next == frame.end) {
                    color[{frame.target.document, frame.target.id}] = Black;
                    stack.pop_back();
                    continue;
                }
                const Site &site = *frame.next++;
                if (!site.target.isValid())
                    continue;
                const SourceDocument *document = frame.target.document;  // the sites inside a target are its document's
                const Color c = color.value({site.target.document, site.target.id});
                if (c == Gray)
                    model().circularReferences.push_back({document->displayName(), jsonpointer::pointerTo(document->tree(), site.site.refObject), toQString(site.site.ref(document->tree()))});
                else if (c == White)
                    push(site.target);
            }
        }
    }

    // A $ref of a document and its target; the document is known from the range the site lies in.
    struct Site {
        ReferenceSite site;
        NodeRef target;
    };

    // The model being read, or only read from (see OperationReader): then m_model is null.
    ApiDocument &model()
    {
        Q_ASSERT(m_model);
        return *m_model;
    }

    const ApiDocument &m_api;
    ApiDocument *m_model = nullptr;
    Diagnostics &m_diagnostics;  // the model's, or an OperationReader's
    OperationDetailsRead m_detailsRead;  // the model's reading only: see readApiModel()
    ReferenceResolver m_resolver;
    const SourceDocument *m_root;
    bool m_isSwagger = false;
    bool m_is31 = false;
    QStringList m_globalConsumes;
    QStringList m_globalProduces;
    // Id -> the operation that has it first. The ids are views of the
    // operations' own texts, which lie in the documents' trees.
    TextTable<std::string_view, NodeRef> m_operationIds;
    QSet<QString> m_reportedSites;           // "file#pointer" the loader already reported
    TextTable<std::string_view, QString> m_strings;  // see toQString()
    TextTable<std::string_view, QStringList> m_singleTags;  // see tagList()
    std::unordered_map<NodeRef, ReadParameter, NodeRefHash> m_parameters;  // see readParameter()
    std::unordered_map<NodeRef, Response, NodeRefHash> m_responses;        // see readResponse()
    // Every $ref of the loaded documents, resolved once by resolveReferences().
    struct References {
        std::vector<Site> sites;  // each document's references() in turn
        std::unordered_map<const SourceDocument *, std::pair<std::size_t, std::size_t>> ranges;  // a document's range of sites
    };
    References m_references;
    std::size_t m_lastSite = 0;  // see findSite()
};

} // namespace

struct OperationReader::State {
    explicit State(const ApiDocument &api) : reader(api, discarded) {}
    Diagnostics discarded;
    Normalizer reader;
};

OperationReader::OperationReader(const ApiDocument &api)
{
    if (!api.documents.empty())
        m_state = std::make_unique<State>(api);
}

OperationReader::~OperationReader() = default;

OperationDetails OperationReader::read(const Operation &operation)
{
    if (!m_state)
        return {};
    OperationDetails details = m_state->reader.detailsOf(operation);
    m_state->discarded.clear();
    return details;
}

OperationDetails operationDetails(const ApiDocument &api, const Operation &operation)
{
    return OperationReader(api).read(operation);
}

std::unique_ptr<ApiDocument> buildApiDocument(SourceDocuments documents, Diagnostics loadDiagnostics, Diagnostic *fatal)
{
    auto api = std::make_unique<ApiDocument>();
    api->documents = std::move(documents);
    if (!readApiModel(*api, std::move(loadDiagnostics), fatal))
        return nullptr;
    return api;
}

bool readApiModel(ApiDocument &api, Diagnostics loadDiagnostics, Diagnostic *fatal, const OperationDetailsRead &detailsRead)
{
    if (api.documents.empty() || api.documents.front()->tree().isEmpty()) {
        *fatal = {Severity::Error, QStringLiteral("the document is empty"),
                  {api.documents.empty() ? QString() : api.documents.front()->displayName(), 0, 0, QString()}};
        return false;
    }
    api.sourceUrl = api.documents.front()->url();
    Normalizer normalizer(api, std::move(loadDiagnostics), detailsRead);
    if (!normalizer.detectFormat(fatal))
        return false;
    normalizer.run();
    return true;
}

} // namespace portolan
