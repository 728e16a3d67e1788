#include "apimodel.h"

namespace portolan {

QString parameterLocationName(ParameterLocation location)
{
    switch (location) {
    case ParameterLocation::Path: return QStringLiteral("path");
    case ParameterLocation::Query: return QStringLiteral("query");
    case ParameterLocation::Header: return QStringLiteral("header");
    case ParameterLocation::Cookie: return QStringLiteral("cookie");
    case ParameterLocation::QueryString: return QStringLiteral("querystring");
    case ParameterLocation::FormData: return QStringLiteral("formData");
    }
    return {};
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
    switch (kind) {
    case OAuthFlowKind::AuthorizationCode: return QStringLiteral("authorizationCode");
    case OAuthFlowKind::Implicit: return QStringLiteral("implicit");
    case OAuthFlowKind::Password: return QStringLiteral("password");
    case OAuthFlowKind::ClientCredentials: return QStringLiteral("clientCredentials");
    case OAuthFlowKind::DeviceAuthorization: return QStringLiteral("deviceAuthorization");
    }
    return {};
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
    const QString path = space > 0 ? spec.mid(space + 1).trimmed() : QString();
    for (const QList<Operation> *list : {&operations, &webhooks}) {
        for (const Operation &o : *list) {
            if ((!o.operationId.isEmpty() && o.operationId == spec) || (!path.isEmpty() && o.method == method && o.path == path))
                return &o;
        }
    }
    return nullptr;
}

} // namespace portolan
