#include "loginmemory.h"

#include "credential.h"
#include "privatefiles.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace portolan::client {

namespace {

QJsonObject readAll(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(in.readAll()).object();
}

QString key(const QString &api, const QString &scheme)
{
    return api + QLatin1Char('\n') + scheme;
}

QJsonArray parametersToJson(const auth::Parameters &parameters)
{
    QJsonArray array;
    for (const auto &[name, value] : parameters)
        array.append(QJsonArray{name, value});
    return array;
}

auth::Parameters parametersFromJson(const QJsonValue &value)
{
    auth::Parameters parameters;
    for (const QJsonValue &pair : value.toArray())
        parameters.append({pair.toArray().at(0).toString(), pair.toArray().at(1).toString()});
    return parameters;
}

} // namespace

LoginMemory::LoginMemory(const QString &file)
    : m_file(file.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                  + QStringLiteral("/login-settings.json")
                            : file)
{
}

bool LoginMemory::contains(const QString &api, const QString &scheme) const
{
    return readAll(m_file).contains(key(api, scheme));
}

LoginInput LoginMemory::recall(const QString &api, const QString &scheme) const
{
    const QJsonObject o = readAll(m_file).value(key(api, scheme)).toObject();
    LoginInput input;
    input.clientId = o.value(QLatin1String("clientId")).toString();
    input.authMethod = o.value(QLatin1String("authMethod")).toString();
    for (const QJsonValue &scope : o.value(QLatin1String("scopes")).toArray())
        input.scopes.append(scope.toString());
    input.username = o.value(QLatin1String("username")).toString();
    input.redirectUri = o.value(QLatin1String("redirectUri")).toString();
    input.privateKeyPath = o.value(QLatin1String("privateKeyPath")).toString();
    input.clientCertificatePath = o.value(QLatin1String("clientCertificatePath")).toString();
    input.caCertificatePath = o.value(QLatin1String("caCertificatePath")).toString();
    if (o.contains(QLatin1String("pkce")))
        input.pkceMethod = o.value(QLatin1String("pkce")).toString();
    input.dpop = o.value(QLatin1String("dpop")).toBool();
    input.authorizationParameters = parametersFromJson(o.value(QLatin1String("authorizationParameters")));
    input.tokenParameters = parametersFromJson(o.value(QLatin1String("tokenParameters")));
    input.discoveryUrl = o.value(QLatin1String("discoveryUrl")).toString();
    return input;
}

bool LoginMemory::remember(const QString &api, const QString &scheme, const LoginInput &input, QString *error)
{
    QJsonObject all = readAll(m_file);
    QJsonObject o;
    const auto put = [&o](const char *name, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(name), value);
    };
    put("clientId", input.clientId);
    put("authMethod", input.authMethod);
    put("username", input.username);
    put("redirectUri", input.redirectUri);
    put("privateKeyPath", input.privateKeyPath);
    put("clientCertificatePath", input.clientCertificatePath);
    put("caCertificatePath", input.caCertificatePath);
    put("discoveryUrl", input.discoveryUrl);
    if (!input.scopes.isEmpty())
        o.insert(QLatin1String("scopes"), QJsonArray::fromStringList(input.scopes));
    o.insert(QLatin1String("pkce"), input.pkceMethod);
    if (input.dpop)
        o.insert(QLatin1String("dpop"), true);
    if (!input.authorizationParameters.isEmpty())
        o.insert(QLatin1String("authorizationParameters"), parametersToJson(input.authorizationParameters));
    // A token parameter that is secret (marked so, or named like one) belongs to the keychain, not this file.
    auth::Parameters rememberedTokenParameters;
    for (const auto &parameter : input.tokenParameters) {
        if (!input.secretTokenParameters.contains(parameter.first) && !auth::isSecretParameterName(parameter.first))
            rememberedTokenParameters.append(parameter);
    }
    if (!rememberedTokenParameters.isEmpty())
        o.insert(QLatin1String("tokenParameters"), parametersToJson(rememberedTokenParameters));
    all.insert(key(api, scheme), o);

    makePrivateDirectory(QFileInfo(m_file).absolutePath());
    QSaveFile out(m_file);
    if (!out.open(QIODevice::WriteOnly) || !makeOwnerOnly(out) || out.write(QJsonDocument(all).toJson()) < 0 || !out.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(m_file, out.errorString());
        return false;
    }
    return true;
}

LoginInput LoginMemory::withRemembered(const QString &api, const QString &scheme, LoginInput input) const
{
    const LoginInput remembered = recall(api, scheme);
    // Settings belong to the client they were used with: another client starts afresh.
    if (!input.clientId.isEmpty() && input.clientId != remembered.clientId)
        return input;
    const auto fill = [](QString &target, const QString &value) {
        if (target.isEmpty())
            target = value;
    };
    fill(input.clientId, remembered.clientId);
    fill(input.authMethod, remembered.authMethod);
    fill(input.username, remembered.username);
    fill(input.redirectUri, remembered.redirectUri);
    fill(input.privateKeyPath, remembered.privateKeyPath);
    fill(input.clientCertificatePath, remembered.clientCertificatePath);
    fill(input.caCertificatePath, remembered.caCertificatePath);
    if (input.scopes.isEmpty())
        input.scopes = remembered.scopes;
    if (input.authorizationParameters.isEmpty())
        input.authorizationParameters = remembered.authorizationParameters;
    if (input.tokenParameters.isEmpty())
        input.tokenParameters = remembered.tokenParameters;
    return input;
}

} // namespace portolan::client
