#include "credential.h"

#include <QJsonArray>

namespace portolan::auth {

namespace {
const struct {
    CredentialKind kind;
    const char *name;
} kKindNames[] = {
    {CredentialKind::ApiKey, "apiKey"}, {CredentialKind::Basic, "basic"}, {CredentialKind::Bearer, "bearer"},
    {CredentialKind::Digest, "digest"}, {CredentialKind::OAuth2, "oauth2"},
};

QString dateText(const QDateTime &date) { return date.isValid() ? date.toUTC().toString(Qt::ISODate) : QString(); }
QDateTime dateFrom(const QJsonValue &value) { return QDateTime::fromString(value.toString(), Qt::ISODate); }
} // namespace

bool isSecretParameterName(const QString &name)
{
    static const char *const secretWords[] = {"secret", "password", "passwd", "passphrase", "assertion", "token",
                                              "api_key", "apikey", "api-key", "private", "credential", "verifier",
                                              "signature", "cookie"};
    const QString lower = name.toLower();
    for (const char *word : secretWords)
        if (lower.contains(QLatin1String(word)))
            return true;
    return false;
}

QString credentialKindName(CredentialKind kind)
{
    for (const auto &entry : kKindNames)
        if (entry.kind == kind)
            return QLatin1String(entry.name);
    return {};
}

bool credentialKindFromName(const QString &name, CredentialKind *kind)
{
    for (const auto &entry : kKindNames) {
        if (name == QLatin1String(entry.name)) {
            *kind = entry.kind;
            return true;
        }
    }
    return false;
}

QJsonObject CredentialInfo::toJson() const
{
    QJsonObject o;
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    put("id", id);
    put("api", api);
    put("apiTitle", apiTitle);
    put("scheme", scheme);
    put("kind", credentialKindName(kind));
    put("label", label);
    put("username", username);
    put("created", dateText(created));
    put("updated", dateText(updated));
    put("flow", flow);
    put("clientId", clientId);
    put("clientAuthMethod", clientAuthMethod);
    put("privateKeyPath", privateKeyPath);
    put("clientCertificatePath", clientCertificatePath);
    put("caCertificatePath", caCertificatePath);
    put("tokenUrl", tokenUrl);
    put("revocationUrl", revocationUrl);
    put("introspectionUrl", introspectionUrl);
    put("userinfoUrl", userinfoUrl);
    put("issuer", issuer);
    put("jwksUrl", jwksUrl);
    put("subject", subject);
    if (!scopes.isEmpty())
        o.insert(QLatin1String("scopes"), QJsonArray::fromStringList(scopes));
    put("tokenType", tokenType);
    put("expiresAt", dateText(expiresAt));
    if (hasRefreshToken)
        o.insert(QLatin1String("hasRefreshToken"), true);
    if (dpop)
        o.insert(QLatin1String("dpop"), true);
    QJsonObject publicParameters;
    for (auto it = tokenParameters.begin(); it != tokenParameters.end(); ++it)
        if (!isSecretParameterName(it.key()))  // a last guard: these belong in the keychain
            publicParameters.insert(it.key(), it.value());
    if (!publicParameters.isEmpty())
        o.insert(QLatin1String("tokenParameters"), publicParameters);
    return o;
}

CredentialInfo CredentialInfo::fromJson(const QJsonObject &o)
{
    CredentialInfo info;
    auto get = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    info.id = get("id");
    info.api = get("api");
    info.apiTitle = get("apiTitle");
    info.scheme = get("scheme");
    credentialKindFromName(get("kind"), &info.kind);
    info.label = get("label");
    info.username = get("username");
    info.created = dateFrom(o.value(QLatin1String("created")));
    info.updated = dateFrom(o.value(QLatin1String("updated")));
    info.flow = get("flow");
    info.clientId = get("clientId");
    info.clientAuthMethod = get("clientAuthMethod");
    info.privateKeyPath = get("privateKeyPath");
    info.clientCertificatePath = get("clientCertificatePath");
    info.caCertificatePath = get("caCertificatePath");
    info.tokenUrl = get("tokenUrl");
    info.revocationUrl = get("revocationUrl");
    info.introspectionUrl = get("introspectionUrl");
    info.userinfoUrl = get("userinfoUrl");
    info.issuer = get("issuer");
    info.jwksUrl = get("jwksUrl");
    info.subject = get("subject");
    for (const QJsonValue &scope : o.value(QLatin1String("scopes")).toArray())
        info.scopes.append(scope.toString());
    info.tokenType = get("tokenType");
    info.expiresAt = dateFrom(o.value(QLatin1String("expiresAt")));
    info.hasRefreshToken = o.value(QLatin1String("hasRefreshToken")).toBool();
    info.dpop = o.value(QLatin1String("dpop")).toBool();
    info.tokenParameters = o.value(QLatin1String("tokenParameters")).toObject();
    return info;
}

bool CredentialInfo::isExpired(const QDateTime &now, int leewaySeconds) const
{
    return expiresAt.isValid() && now.addSecs(leewaySeconds) >= expiresAt;
}

} // namespace portolan::auth
