#include "apimodel.h"

#include "jsonpointer.h"

namespace portolan {

namespace {
// One table per enum: its names both ways.
constexpr std::pair<ParameterLocation, const char *> kLocationNames[] = {
    {ParameterLocation::Path, "path"},       {ParameterLocation::Query, "query"},
    {ParameterLocation::Header, "header"},   {ParameterLocation::Cookie, "cookie"},
    {ParameterLocation::QueryString, "querystring"}, {ParameterLocation::FormData, "formData"},
};
constexpr std::pair<OAuthFlowKind, const char *> kFlowNames[] = {
    {OAuthFlowKind::AuthorizationCode, "authorizationCode"}, {OAuthFlowKind::Implicit, "implicit"},
    {OAuthFlowKind::Password, "password"}, {OAuthFlowKind::ClientCredentials, "clientCredentials"},
    {OAuthFlowKind::DeviceAuthorization, "deviceAuthorization"},
};

template <typename Enum, size_t N>
QString nameOf(const std::pair<Enum, const char *> (&table)[N], Enum value)
{
    for (const auto &[candidate, name] : table)
        if (candidate == value)
            return QLatin1String(name);
    return {};
}

template <typename Enum, size_t N>
std::optional<Enum> valueNamed(const std::pair<Enum, const char *> (&table)[N], const QString &text)
{
    for (const auto &[candidate, name] : table)
        if (text.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return candidate;
    return std::nullopt;
}
} // namespace

QString parameterLocationName(ParameterLocation location)
{
    return nameOf(kLocationNames, location);
}

std::optional<ParameterLocation> parameterLocationFromName(const QString &name)
{
    return valueNamed(kLocationNames, name);
}

QString operationPointer(const Operation &operation)
{
    return operation.node.isValid() ? jsonpointer::pointerTo(operation.node.tree(), operation.node.id) : QString();
}

bool operationHolds(const Operation &operation, NodeRef value)
{
    // A subtree is an id range ending at its root (see NodeTree::subtreeBegin).
    return operation.node.isValid() && value.isValid() && value.document == operation.node.document
        && value.id <= operation.node.id && value.id >= operation.node.tree().subtreeBegin(operation.node.id);
}

QString securitySchemeTypeName(SecuritySchemeType type)
{
    switch (type) {
    case SecuritySchemeType::ApiKey: return QStringLiteral("apiKey");
    case SecuritySchemeType::Http: return QStringLiteral("http");
    case SecuritySchemeType::OAuth2: return QStringLiteral("oauth2");
    case SecuritySchemeType::OpenIdConnect: return QStringLiteral("openIdConnect");
    case SecuritySchemeType::MutualTls: return QStringLiteral("mutualTLS");
    case SecuritySchemeType::Unknown: break;
    }
    return QStringLiteral("unknown");
}

QString oauthFlowName(OAuthFlowKind kind)
{
    return nameOf(kFlowNames, kind);
}

std::optional<OAuthFlowKind> oauthFlowFromName(const QString &name)
{
    return valueNamed(kFlowNames, name);
}

QList<OAuthFlowKind> allOAuthFlows()
{
    QList<OAuthFlowKind> flows;
    for (const auto &entry : kFlowNames)
        flows.append(entry.first);
    return flows;
}

const SecurityScheme *ApiDocument::securityScheme(const QString &name) const
{
    for (const SecurityScheme &s : securitySchemes) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

SecurityRequirement ApiDocument::effectiveSecurity(const Operation &operation) const
{
    if (operation.security)
        return *operation.security;
    return globalSecurity.value_or(SecurityRequirement());
}

const QList<Server> &ApiDocument::effectiveServers(const Operation &operation) const
{
    return operation.servers.isEmpty() ? servers : operation.servers;
}

const Operation *ApiDocument::findOperation(const QString &spec) const
{
    const qsizetype space = spec.indexOf(QLatin1Char(' '));
    const QString method = space > 0 ? spec.left(space).toUpper() : QString();
    // Compared as the document's UTF-8: no text made per operation.
    const std::string id = spec.toStdString();
    const std::string path = space > 0 ? spec.mid(space + 1).trimmed().toStdString() : std::string();
    for (const QList<Operation> *list : {&operations, &webhooks}) {
        for (const Operation &o : *list) {
            if ((!o.operationIdText.empty() && o.operationIdText == id) || (!path.empty() && o.method == method && o.pathText == path))
                return &o;
        }
    }
    return nullptr;
}

} // namespace portolan
