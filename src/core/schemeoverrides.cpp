#include "schemeoverrides.h"

#include "privatefiles.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace portolan {

namespace {

constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;

// JSON objects do not keep member order: flows come in this order, the user's
// usual login first (the first flow is the default one).
const OAuthFlowKind kFlowKinds[] = {OAuthFlowKind::AuthorizationCode, OAuthFlowKind::DeviceAuthorization,
                                    OAuthFlowKind::ClientCredentials, OAuthFlowKind::Implicit, OAuthFlowKind::Password};

const SecuritySchemeType kTypes[] = {SecuritySchemeType::ApiKey, SecuritySchemeType::Http, SecuritySchemeType::OAuth2,
                                     SecuritySchemeType::OpenIdConnect, SecuritySchemeType::MutualTls};

void putIfSet(QJsonObject &object, const char *name, const QString &value)
{
    if (!value.isEmpty())
        object.insert(QLatin1String(name), value);
}

bool mentions(const SecurityRequirement &requirement, const QString &scheme)
{
    for (const SecurityAlternative &alternative : requirement)
        for (const SchemeUse &use : alternative)
            if (use.scheme == scheme)
                return true;
    return false;
}

} // namespace

QString operationKey(const Operation &operation)
{
    return (operation.isWebhook ? QStringLiteral("WEBHOOK ") : QString()) + operation.method + QLatin1Char(' ') + operation.path();
}

QString apiStatePathStem(const QUrl &documentUrl)
{
    // User info in a URL may be a password: it is neither hashed nor written.
    const QUrl url = documentUrl.adjusted(QUrl::RemoveUserInfo);
    const QByteArray hash = QCryptographicHash::hash(url.toString(QUrl::FullyEncoded).toUtf8(),
                                                     QCryptographicHash::Sha256).toHex().left(32);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/api-state/")
        + QString::fromLatin1(hash);
}

QJsonObject securitySchemeToJson(const SecurityScheme &scheme)
{
    QJsonObject json;
    json.insert(QLatin1String("type"), securitySchemeTypeName(scheme.type));
    putIfSet(json, "description", scheme.description);
    putIfSet(json, "name", scheme.parameterName);
    putIfSet(json, "in", scheme.in);
    putIfSet(json, "scheme", scheme.scheme);
    putIfSet(json, "bearerFormat", scheme.bearerFormat);
    putIfSet(json, "openIdConnectUrl", scheme.openIdConnectUrl);
    if (!scheme.flows.isEmpty()) {
        QJsonObject flows;
        for (const OAuthFlow &flow : scheme.flows) {
            QJsonObject f;
            putIfSet(f, "authorizationUrl", flow.authorizationUrl);
            putIfSet(f, "tokenUrl", flow.tokenUrl);
            putIfSet(f, "refreshUrl", flow.refreshUrl);
            putIfSet(f, "deviceAuthorizationUrl", flow.deviceAuthorizationUrl);
            QJsonObject scopes;
            for (const auto &scope : flow.scopes)
                scopes.insert(scope.first, scope.second);
            f.insert(QLatin1String("scopes"), scopes);
            flows.insert(oauthFlowName(flow.kind), f);
        }
        json.insert(QLatin1String("flows"), flows);
    }
    return json;
}

bool securitySchemeFromJson(const QString &name, const QJsonObject &json, SecurityScheme *scheme, QString *error)
{
    SecurityScheme out;
    out.name = name;
    const QString type = json.value(QLatin1String("type")).toString();
    for (SecuritySchemeType candidate : kTypes)
        if (type == securitySchemeTypeName(candidate))
            out.type = candidate;
    if (out.type == SecuritySchemeType::Unknown) {
        *error = QStringLiteral("scheme %1: type \"%2\" is not apiKey, http, oauth2, openIdConnect or mutualTLS").arg(name, type);
        return false;
    }
    out.description = json.value(QLatin1String("description")).toString();
    out.parameterName = json.value(QLatin1String("name")).toString();
    out.in = json.value(QLatin1String("in")).toString();
    out.scheme = json.value(QLatin1String("scheme")).toString().toLower();
    out.bearerFormat = json.value(QLatin1String("bearerFormat")).toString();
    out.openIdConnectUrl = json.value(QLatin1String("openIdConnectUrl")).toString();
    const QJsonObject flows = json.value(QLatin1String("flows")).toObject();
    for (OAuthFlowKind kind : kFlowKinds) {
        if (!flows.contains(oauthFlowName(kind)))
            continue;
        const QJsonObject f = flows.value(oauthFlowName(kind)).toObject();
        OAuthFlow flow;
        flow.kind = kind;
        flow.authorizationUrl = f.value(QLatin1String("authorizationUrl")).toString();
        flow.tokenUrl = f.value(QLatin1String("tokenUrl")).toString();
        flow.refreshUrl = f.value(QLatin1String("refreshUrl")).toString();
        flow.deviceAuthorizationUrl = f.value(QLatin1String("deviceAuthorizationUrl")).toString();
        const QJsonObject scopes = f.value(QLatin1String("scopes")).toObject();
        for (auto it = scopes.begin(); it != scopes.end(); ++it)
            flow.scopes.append({it.key(), it.value().toString()});
        out.flows.append(flow);
    }
    // The same fields the document loader requires (OpenAPI 3.x §4.8.27).
    QString missing;
    if (out.type == SecuritySchemeType::ApiKey && (out.parameterName.isEmpty() || out.in.isEmpty()))
        missing = QStringLiteral("name and in (header, query or cookie)");
    else if (out.type == SecuritySchemeType::ApiKey && out.in != QLatin1String("header") && out.in != QLatin1String("query")
             && out.in != QLatin1String("cookie"))
        missing = QStringLiteral("in as header, query or cookie");
    else if (out.type == SecuritySchemeType::Http && out.scheme.isEmpty())
        missing = QStringLiteral("scheme (basic, bearer, digest, …)");
    else if (out.type == SecuritySchemeType::OpenIdConnect && out.openIdConnectUrl.isEmpty())
        missing = QStringLiteral("openIdConnectUrl");
    else if (out.type == SecuritySchemeType::OAuth2 && out.flows.isEmpty())
        missing = QStringLiteral("at least one flow");
    if (!missing.isEmpty()) {
        *error = QStringLiteral("scheme %1 (%2) needs %3").arg(name, type, missing);
        return false;
    }
    out.userDefined = true;
    *scheme = out;
    return true;
}

QJsonArray securityRequirementToJson(const SecurityRequirement &requirement)
{
    QJsonArray out;
    for (const SecurityAlternative &alternative : requirement) {
        QJsonObject object;
        for (const SchemeUse &use : alternative)
            object.insert(use.scheme, QJsonArray::fromStringList(use.scopes));
        out.append(object);
    }
    return out;
}

SecurityRequirement securityRequirementFromJson(const QJsonArray &json)
{
    SecurityRequirement requirement;
    for (const QJsonValue &value : json) {
        SecurityAlternative alternative;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            SchemeUse use;
            use.scheme = it.key();
            for (const QJsonValue &scope : it.value().toArray())
                use.scopes.append(scope.toString());
            alternative.append(use);
        }
        requirement.append(alternative);
    }
    return requirement;
}

bool SchemeOverrides::isEmpty() const
{
    return schemes.isEmpty() && !apiRequirement && operationRequirements.isEmpty();
}

const SecurityScheme *SchemeOverrides::scheme(const QString &name) const
{
    for (const SecurityScheme &candidate : schemes)
        if (candidate.name == name)
            return &candidate;
    return nullptr;
}

void SchemeOverrides::setScheme(const SecurityScheme &scheme)
{
    SecurityScheme mine = scheme;
    mine.userDefined = true;
    mine.pointer.clear();
    for (SecurityScheme &existing : schemes) {
        if (existing.name == scheme.name) {
            existing = mine;
            return;
        }
    }
    schemes.append(mine);
}

bool SchemeOverrides::removeScheme(const QString &name)
{
    const qsizetype before = schemes.size();
    schemes.removeIf([&name](const SecurityScheme &s) { return s.name == name; });
    loginDefaults.remove(name);
    if (apiRequirement && mentions(*apiRequirement, name))
        apiRequirement.reset();
    operationRequirements.removeIf([&name](const auto &entry) { return mentions(entry.value(), name); });
    return schemes.size() != before;
}

void SchemeOverrides::applyTo(ApiDocument &document) const
{
    for (const SecurityScheme &mine : schemes) {
        auto existing = std::find_if(document.securitySchemes.begin(), document.securitySchemes.end(),
                                     [&mine](const SecurityScheme &s) { return s.name == mine.name; });
        if (existing != document.securitySchemes.end()) {
            const QString pointer = existing->pointer;  // where the document declares the scheme the user replaced
            *existing = mine;
            existing->pointer = pointer;
        } else
            document.securitySchemes.append(mine);
    }
    if (apiRequirement) {
        document.globalSecurity = apiRequirement;
        document.globalSecurityFromUser = true;
    }
    if (operationRequirements.isEmpty())
        return;  // the usual case: no key to build for each of thousands of operations
    for (QList<Operation> *list : {&document.operations, &document.webhooks}) {
        for (Operation &operation : *list) {
            const auto it = operationRequirements.constFind(operationKey(operation));
            if (it == operationRequirements.constEnd())
                continue;
            operation.security = it.value();
            operation.securityFromUser = true;
        }
    }
}

QJsonObject SchemeOverrides::toJson() const
{
    QJsonObject schemesJson;
    for (const SecurityScheme &scheme : schemes)
        schemesJson.insert(scheme.name, securitySchemeToJson(scheme));
    QJsonObject defaults;
    for (auto it = loginDefaults.begin(); it != loginDefaults.end(); ++it)
        defaults.insert(it.key(), it.value());
    QJsonObject operations;
    for (auto it = operationRequirements.begin(); it != operationRequirements.end(); ++it)
        operations.insert(it.key(), securityRequirementToJson(it.value()));
    QJsonObject json;
    json.insert(QLatin1String("securitySchemes"), schemesJson);
    json.insert(QLatin1String("loginDefaults"), defaults);
    if (apiRequirement)
        json.insert(QLatin1String("security"), securityRequirementToJson(*apiRequirement));
    json.insert(QLatin1String("operationSecurity"), operations);
    return json;
}

SchemeOverrides SchemeOverrides::fromJson(const QJsonObject &json, QStringList *problems)
{
    SchemeOverrides out;
    const QJsonObject schemesJson = json.value(QLatin1String("securitySchemes")).toObject();
    for (auto it = schemesJson.begin(); it != schemesJson.end(); ++it) {
        SecurityScheme scheme;
        QString error;
        if (securitySchemeFromJson(it.key(), it.value().toObject(), &scheme, &error))
            out.schemes.append(scheme);
        else if (problems)
            problems->append(error);
    }
    const QJsonObject defaults = json.value(QLatin1String("loginDefaults")).toObject();
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        out.loginDefaults.insert(it.key(), it.value().toObject());
    if (json.value(QLatin1String("security")).isArray())
        out.apiRequirement = securityRequirementFromJson(json.value(QLatin1String("security")).toArray());
    const QJsonObject operations = json.value(QLatin1String("operationSecurity")).toObject();
    for (auto it = operations.begin(); it != operations.end(); ++it)
        out.operationRequirements.insert(it.key(), securityRequirementFromJson(it.value().toArray()));
    return out;
}

QString SchemeOverrides::filePathFor(const QUrl &documentUrl)
{
    return apiStatePathStem(documentUrl) + QStringLiteral(".schemes.json");
}

bool SchemeOverrides::load(const QUrl &documentUrl, SchemeOverrides *overrides, QString *error)
{
    *overrides = SchemeOverrides();
    QFile file(filePathFor(documentUrl));
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxFileBytes) {
        *error = QStringLiteral("cannot read your security schemes from %1: %2")
                     .arg(file.fileName(), file.isOpen() ? QStringLiteral("too large") : file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    // The file names the URL it belongs to; a hash collision must not mix two APIs.
    const QString expected = documentUrl.adjusted(QUrl::RemoveUserInfo).toString(QUrl::FullyEncoded);
    if (!document.isObject() || document.object().value(QLatin1String("document")).toString() != expected) {
        *error = QStringLiteral("%1 is not a security scheme file for %2 (%3)")
                     .arg(file.fileName(), expected, parseError.error ? parseError.errorString() : QStringLiteral("other document"));
        return false;
    }
    QStringList problems;
    *overrides = fromJson(document.object(), &problems);
    if (!problems.isEmpty()) {
        *error = QStringLiteral("%1: %2").arg(file.fileName(), problems.join(QLatin1String("; ")));
        return false;
    }
    return true;
}

bool SchemeOverrides::save(const QUrl &documentUrl, QString *error) const
{
    const QString path = filePathFor(documentUrl);
    makePrivateDirectory(QFileInfo(path).absolutePath());
    QJsonObject json = toJson();
    json.insert(QLatin1String("document"), documentUrl.adjusted(QUrl::RemoveUserInfo).toString(QUrl::FullyEncoded));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !makeOwnerOnly(file)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace portolan
