// portolan-cli tokens: list, show, refresh, revoke, introspect and delete the
// stored credentials: the same store and token manager the GUI uses.
#include "clicommand.h"

#include "credentialstore.h"
#include "oidc.h"
#include "tokenmanager.h"
#include "tracedauth.h"

#include <harexport.h>
#include <networkrecorder.h>

#include <QCoreApplication>
#include <QJsonDocument>

using namespace portolan;
using namespace portolan::auth;

namespace cli {

namespace {

QString expiryText(const CredentialInfo &info)
{
    if (!info.expiresAt.isValid())
        return QStringLiteral("-");
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(info.expiresAt);
    if (seconds <= 0)
        return QStringLiteral("expired");
    return seconds < 3600 ? QStringLiteral("%1 min").arg(seconds / 60) : QStringLiteral("%1 h").arg(seconds / 3600);
}

void printTable(const QList<CredentialInfo> &infos)
{
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("SCHEME"), QStringLiteral("FLOW"),
                             QStringLiteral("SUBJECT"), QStringLiteral("EXPIRES"), QStringLiteral("API")}};
    for (const CredentialInfo &info : infos)
        rows.append({info.id, credentialKindName(info.kind), info.scheme, info.flow.isEmpty() ? QStringLiteral("-") : info.flow,
                     info.subject.isEmpty() ? (info.username.isEmpty() ? QStringLiteral("-") : info.username) : info.subject,
                     expiryText(info), info.apiTitle.isEmpty() ? info.api : info.apiTitle});
    QList<int> widths(rows.first().size(), 0);
    for (const QStringList &row : rows)
        for (int i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], int(row[i].size()));
    for (const QStringList &row : rows) {
        QString line;
        for (int i = 0; i < row.size(); ++i)
            line += i + 1 == row.size() ? row[i] : row[i].leftJustified(widths[i] + 2);
        out() << line << "\n";
    }
}

void printJwt(const char *name, const QByteArray &token, const QJsonArray &keys)
{
    const JwtInspection inspection = inspectJwt(token, keys);
    out() << name << ": ";
    if (!inspection.wellFormed) {
        out() << "not a JWT (" << inspection.error << ")\n";
        return;
    }
    out() << "signature " << inspection.signatureStatus << "\n  header: "
          << QJsonDocument(inspection.header).toJson(QJsonDocument::Compact) << "\n  claims: "
          << QJsonDocument(inspection.claims).toJson(QJsonDocument::Indented);
}

} // namespace

int runTokens(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("tokens"),
                     QStringLiteral("Manages stored credentials. COMMAND is one of:\n"
                                    "  list                 stored credentials (never their secrets)\n"
                                    "  show ID              one credential; --decode shows its JWTs' claims and signature status\n"
                                    "  refresh ID           get a new access token with the refresh token\n"
                                    "  revoke ID            revoke the tokens at the provider (RFC 7009)\n"
                                    "  introspect ID        ask the provider about the token (RFC 7662)\n"
                                    "  delete ID            remove the credential and its keychain entry\n"
                                    "ID may be a unique prefix of the credential id."),
                     {{QStringLiteral("COMMAND"), QStringLiteral("list, show, refresh, revoke, introspect or delete")},
                      {QStringLiteral("[ID]"), QStringLiteral("the credential")}});
    line.parser.addOptions({
        {QStringLiteral("json"), QStringLiteral("list: print JSON")},
        {QStringLiteral("decode"), QStringLiteral("show: decode the JWTs")},
        {QStringLiteral("show-secrets"), QStringLiteral("show: print the secrets too")},
        {QStringLiteral("refresh-token"), QStringLiteral("introspect: the refresh token instead of the access token")},
        {QStringLiteral("trace"), QStringLiteral("refresh, revoke, introspect: write every request made as HAR, secrets redacted"),
         QStringLiteral("FILE.har")},
    });
    if (const int code = line.parse(arguments, 1, 2); code >= 0)
        return code;
    QStringList args = line.parser.positionalArguments();
    const QString command = args.takeFirst();
    const bool json = line.parser.isSet(QStringLiteral("json"));
    const bool decode = line.parser.isSet(QStringLiteral("decode"));
    const bool showSecrets = line.parser.isSet(QStringLiteral("show-secrets"));
    const bool refreshToken = line.parser.isSet(QStringLiteral("refresh-token"));

    CredentialStore store;
    if (!store.loadError().isEmpty()) {
        err() << "portolan-cli tokens: cannot read the credential list: " << store.loadError() << "\n";
        return Failure;
    }
    if (command == QLatin1String("list")) {
        if (!args.isEmpty()) {
            err() << "portolan-cli tokens list: takes no arguments\n";
            return UsageError;
        }
        const QList<CredentialInfo> infos = store.list();
        if (json) {
            QJsonArray array;
            for (const CredentialInfo &info : infos)
                array.append(info.toJson());
            out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
        } else if (infos.isEmpty()) {
            out() << "No stored credentials. Use 'portolan-cli login' to add one.\n";
        } else {
            printTable(infos);
        }
        return Success;
    }

    static const QStringList withId{QStringLiteral("show"), QStringLiteral("refresh"), QStringLiteral("revoke"),
                                    QStringLiteral("introspect"), QStringLiteral("delete")};
    if (!withId.contains(command)) {
        return line.usageError(QStringLiteral("unknown command '%1'").arg(command));
    }
    if (args.size() != 1) {
        err() << "portolan-cli tokens " << command << ": needs exactly one credential ID\n";
        return UsageError;
    }
    const QString id = store.resolveId(args.first());
    if (id.isEmpty()) {
        err() << "portolan-cli tokens: no stored credential '" << args.first() << "' (or the prefix is ambiguous)\n";
        return Failure;
    }

    // Every request goes through the trace's recorder; --trace writes it.
    client::TracedAuth traced(&store);
    TokenManager &tokens = *traced.tokens();
    OidcDiscovery &discovery = *traced.discovery();
    const QString tracePath = line.parser.value(QStringLiteral("trace"));
    int exitCode = Failure;
    auto finish = [&](int code, const QString &message = QString()) {
        if (!message.isEmpty())
            err() << "portolan-cli tokens: " << message << "\n";
        QString traceError;
        if (!tracePath.isEmpty() && !portolan::http::writeHarFile(tracePath, traced.recorder()->exchanges(), &traceError)) {
            err() << "portolan-cli tokens: " << traceError << "\n";
            code = Failure;
        }
        exitCode = code;
        // Queued: the answer may come before the event loop runs.
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    };

    const CredentialInfo info = store.info(id);
    if (command == QLatin1String("show")) {
        out() << QJsonDocument(info.toJson()).toJson(QJsonDocument::Indented);
        if (!decode && !showSecrets)
            return Success;
        store.readSecrets(id, [&](const SecretsResult &secrets) {
            if (!secrets.ok)
                return finish(Failure, secrets.error);
            if (showSecrets)
                for (auto it = secrets.secrets.cbegin(); it != secrets.secrets.cend(); ++it)
                    if (it.key() != QLatin1String(secret::DpopKey))
                        out() << it.key() << ": " << QString::fromUtf8(it.value()) << "\n";
            if (!decode)
                return finish(Success);
            auto print = [&, secrets](const QJsonArray &keys) {
                for (const char *name : {secret::IdToken, secret::AccessToken, secret::Token}) {
                    const QByteArray token = secrets.secrets.value(QLatin1String(name));
                    if (!token.isEmpty())
                        printJwt(name, token, keys);
                }
                finish(Success);
            };
            if (info.jwksUrl.isEmpty())
                return print({});
            discovery.fetchJwks(QUrl(info.jwksUrl), false, [&, print](const QJsonArray &keys, const QString &error) {
                if (!error.isEmpty())
                    err() << "cannot fetch the provider's keys to check signatures: " << error << "\n";
                print(keys);
            });
        });
    } else if (command == QLatin1String("refresh")) {
        tokens.refresh(id, [&](bool ok, const QString &error) {
            if (!ok)
                return finish(Failure, QStringLiteral("refresh failed: ") + error);
            const CredentialInfo updated = store.info(id);
            out() << "Refreshed " << id << "; the access token expires "
                  << (updated.expiresAt.isValid() ? updated.expiresAt.toString(Qt::ISODate) : QStringLiteral("(unknown)")) << "\n";
            finish(Success);
        });
    } else if (command == QLatin1String("revoke")) {
        tokens.revoke(id, [&](bool ok, const QString &error) {
            if (!ok)
                return finish(Failure, QStringLiteral("revocation failed: ") + error);
            out() << "Revoked the tokens of " << id << "; log in again to use it\n";
            finish(Success);
        });
    } else if (command == QLatin1String("introspect")) {
        tokens.introspect(id, refreshToken ? QStringLiteral("refresh_token") : QString(),
                          [&](const QJsonObject &response, const QString &error) {
                              if (!error.isEmpty())
                                  return finish(Failure, QStringLiteral("introspection failed: ") + error);
                              out() << QJsonDocument(response).toJson(QJsonDocument::Indented);
                              finish(Success);
                          });
    } else {
        store.remove(id, [&](const StoreResult &result) {
            if (!result.ok)
                return finish(Failure, QStringLiteral("delete failed: ") + result.error);
            out() << "Deleted " << id << " and its keychain entry\n";
            finish(Success);
        });
    }
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
