// portolan-cli login: runs a scheme's login (any OAuth 2.0 flow, OpenID
// Connect) or stores an apiKey / basic / digest / bearer secret read from
// stdin, and keeps the result in the credential store (secrets in the keychain).
#include "clicommand.h"

#include "credentialstore.h"
#include "loopbackreceiver.h"
#include "oauthlogin.h"
#include "providerpresets.h"
#include "requestsigner.h"
#include "tokenclient.h"
#include "tokenmanager.h"

#include <documentloader.h>
#include <harexport.h>
#include <networkrecorder.h>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>

using namespace portolan;
using namespace portolan::auth;

namespace cli {

namespace {

const char kLoginHelp[] =
    "usage: portolan-cli login SOURCE --scheme NAME [options]\n"
    "\n"
    "Logs in with a security scheme of the OpenAPI document SOURCE and stores the\n"
    "credential; secrets go to the OS keychain only. apiKey, basic, digest and bearer\n"
    "secrets are read from stdin.\n"
    "\n"
    "  --scheme NAME             the securitySchemes key (required)\n"
    "  --flow FLOW               authorizationCode, implicit, password, clientCredentials,\n"
    "                            deviceAuthorization (default: the scheme's first)\n"
    "  --client-id ID            OAuth client id\n"
    "  --client-secret-stdin     read the client secret from the first line of stdin\n"
    "  --scope S                 request scope S (repeatable; default: the flow's scopes)\n"
    "  --username U              basic / digest user, or password-grant user\n"
    "  --password-stdin          read the password from stdin (after the client secret)\n"
    "  --auth-method M           client_secret_basic, client_secret_post, none,\n"
    "                            private_key_jwt, tls_client_auth\n"
    "  --private-key PEM         client key file for private_key_jwt / tls_client_auth\n"
    "  --client-cert PEM         client certificate for tls_client_auth\n"
    "  --cacert PEM              also trust this CA for the authorization server\n"
    "  --redirect-uri URI        registered redirect URI (default: http://127.0.0.1:PORT/callback);\n"
    "                            a loopback one (127.0.0.1, [::1], localhost) is listened on\n"
    "                            exactly as given, any other is pasted back after the login\n"
    "  --param NAME=VALUE        extra authorization request parameter (audience, prompt, …)\n"
    "  --token-param NAME=VALUE  extra token request parameter (resource, …)\n"
    "  --pkce METHOD             S256 (default), plain, or none\n"
    "  --dpop                    bind the tokens to a fresh DPoP key (RFC 9449)\n"
    "  --no-browser              print the login URL instead of opening the system browser\n"
    "  --label TEXT              a name for the credential in lists\n"
    "  --trace FILE.har          write every request the login made (discovery, JWKS, token,\n"
    "                            device polls, userinfo) as HAR, secrets redacted\n"
    "  --show-secrets            also print the secrets that were stored\n";

struct LoginOptions {
    QString source, scheme, flow, clientId, username, authMethod, privateKey, clientCert, caCert, redirectUri, pkce, label, trace;
    QStringList scopes;
    Parameters authorizationParameters, tokenParameters;
    bool clientSecretStdin = false, passwordStdin = false, noBrowser = false, dpop = false, showSecrets = false;
};

bool parseParameter(const QString &text, Parameters *parameters, QString *error)
{
    const qsizetype equals = text.indexOf(QLatin1Char('='));
    if (equals <= 0) {
        *error = QStringLiteral("'%1' is not NAME=VALUE").arg(text);
        return false;
    }
    parameters->append({text.left(equals), text.mid(equals + 1)});
    return true;
}

bool parseArguments(const QStringList &args, LoginOptions &o, QString *error)
{
    QStringList positional;
    ArgumentReader reader(args);
    while (!reader.atEnd()) {
        const QString a = reader.next();
        auto next = [&reader](QString *target) { return reader.value(target); };
        QString value;
        bool ok = true;
        if (a == QLatin1String("--scheme")) ok = next(&o.scheme);
        else if (a == QLatin1String("--flow")) ok = next(&o.flow);
        else if (a == QLatin1String("--client-id")) ok = next(&o.clientId);
        else if (a == QLatin1String("--username")) ok = next(&o.username);
        else if (a == QLatin1String("--auth-method")) ok = next(&o.authMethod);
        else if (a == QLatin1String("--private-key")) ok = next(&o.privateKey);
        else if (a == QLatin1String("--client-cert")) ok = next(&o.clientCert);
        else if (a == QLatin1String("--cacert")) ok = next(&o.caCert);
        else if (a == QLatin1String("--redirect-uri")) ok = next(&o.redirectUri);
        else if (a == QLatin1String("--pkce")) ok = next(&o.pkce);
        else if (a == QLatin1String("--label")) ok = next(&o.label);
        else if (a == QLatin1String("--trace")) ok = next(&o.trace);
        else if (a == QLatin1String("--scope")) {
            ok = next(&value);
            o.scopes += value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        } else if (a == QLatin1String("--param")) ok = next(&value) && parseParameter(value, &o.authorizationParameters, error);
        else if (a == QLatin1String("--token-param")) ok = next(&value) && parseParameter(value, &o.tokenParameters, error);
        else if (a == QLatin1String("--client-secret-stdin")) o.clientSecretStdin = true;
        else if (a == QLatin1String("--password-stdin")) o.passwordStdin = true;
        else if (a == QLatin1String("--no-browser")) o.noBrowser = true;
        else if (a == QLatin1String("--dpop")) o.dpop = true;
        else if (a == QLatin1String("--show-secrets")) o.showSecrets = true;
        else if (a.startsWith(QLatin1Char('-'))) {
            *error = QStringLiteral("unknown option '%1'").arg(a);
            return false;
        } else {
            positional.append(a);
        }
        if (!ok) {
            if (error->isEmpty())
                *error = reader.error();
            return false;
        }
    }
    if (positional.size() != 1) {
        *error = positional.isEmpty() ? QStringLiteral("SOURCE is missing") : QStringLiteral("only one SOURCE, please");
        return false;
    }
    o.source = positional.first();
    if (o.scheme.isEmpty()) {
        *error = QStringLiteral("--scheme is required");
        return false;
    }
    if (!o.pkce.isEmpty() && o.pkce != QLatin1String("S256") && o.pkce != QLatin1String("plain") && o.pkce != QLatin1String("none")) {
        *error = QStringLiteral("--pkce must be S256, plain or none");
        return false;
    }
    return true;
}

// One line of stdin, without its line break: secrets never come from the command line.
QByteArray readSecretLine(QFile &in)
{
    QByteArray line = in.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}

bool flowFromName(const QString &name, OAuthFlowKind *kind)
{
    for (OAuthFlowKind candidate : {OAuthFlowKind::AuthorizationCode, OAuthFlowKind::Implicit, OAuthFlowKind::Password,
                                    OAuthFlowKind::ClientCredentials, OAuthFlowKind::DeviceAuthorization}) {
        if (name.compare(oauthFlowName(candidate), Qt::CaseInsensitive) == 0) {
            *kind = candidate;
            return true;
        }
    }
    return false;
}

// The system browser plus a loopback listener (RFC 8252), or just the URL on
// stderr. With a redirect URI nobody listens to (a custom scheme, the implicit
// fragment), the user pastes the URL the browser ended up at.
class SystemBrowser : public BrowserLauncher {
public:
    SystemBrowser(bool open, OAuthLogin *login, LoopbackReceiver *receiver, QFile *in)  // none owned
        : m_open(open), m_login(login), m_receiver(receiver), m_in(in) {}
    bool readPastedRedirect = false;

    void openAuthorizationUrl(const QUrl &url, const QUrl &) override
    {
        const QString text = url.toString(QUrl::FullyEncoded);
        m_receiver->expectResponseTo(url);
        if (m_open && QProcess::startDetached(QStringLiteral("xdg-open"), {text}))
            err() << "Opened the login page in your browser. If nothing appears, open:\n  " << text << "\n";
        else
            err() << "Open this URL in a browser to log in:\n  " << text << "\n";
        if (readPastedRedirect)
            err() << "After logging in, paste the full URL the browser was sent to and press Enter:\n";
        err().flush();
        if (!readPastedRedirect)
            return;
        // Nothing else runs meanwhile: the CLI only waits for this line.
        const QByteArray pasted = readSecretLine(*m_in).trimmed();
        OAuthLogin *login = m_login;
        QMetaObject::invokeMethod(login, [login, pasted] {
            if (!login->handleRedirect(QUrl::fromEncoded(pasted)))
                login->cancel();
        }, Qt::QueuedConnection);
    }

private:
    bool m_open;
    OAuthLogin *m_login;  // not owned
    LoopbackReceiver *m_receiver;  // not owned
    QFile *m_in;          // not owned
};

void printStored(const CredentialInfo &info, const Secrets &secrets, bool showSecrets, const QString &bearerFormat)
{
    QTextStream &o = out();
    o << "Stored credential " << info.id << " (" << credentialKindName(info.kind) << ") for scheme " << info.scheme << " of "
      << (info.apiTitle.isEmpty() ? info.api : info.apiTitle) << "\n";
    if (!info.flow.isEmpty())
        o << "  flow:       " << info.flow << "\n";
    if (!info.username.isEmpty())
        o << "  username:   " << info.username << "\n";
    if (!info.subject.isEmpty())
        o << "  subject:    " << info.subject << "\n";
    if (!info.scopes.isEmpty())
        o << "  scopes:     " << info.scopes.join(QLatin1Char(' ')) << "\n";
    if (!info.tokenType.isEmpty())
        o << "  token type: " << info.tokenType << (info.dpop ? " (bound to a DPoP key)" : "") << "\n";
    if (!bearerFormat.isEmpty())
        o << "  format:     " << bearerFormat << "\n";
    if (info.expiresAt.isValid())
        o << "  expires:    " << info.expiresAt.toString(Qt::ISODate) << "\n";
    else if (info.kind == CredentialKind::OAuth2)
        o << "  expires:    unknown (the provider named no expiry; valid until refused)\n";
    if (info.kind == CredentialKind::OAuth2)
        o << "  refresh:    " << (info.hasRefreshToken ? "yes" : "no") << "\n";
    o << "  secrets:    " << QStringList(secrets.keys()).join(QLatin1String(", ")) << " (in the OS keychain)\n";
    if (showSecrets)
        for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
            if (it.key() != QLatin1String(secret::DpopKey))
                o << "  " << it.key() << ": " << QString::fromUtf8(it.value()) << "\n";
}

// "POST http://host/token → 401 Unauthorized", or the transport error.
QString traceLine(const portolan::http::Exchange &exchange)
{
    const portolan::http::Hop &hop = exchange.hops.last();
    const QString request = QStringLiteral("%1 %2").arg(QString::fromLatin1(hop.request.method), hop.request.url.toString());
    if (!hop.responseReceived)
        return request + QStringLiteral(" → ") + (exchange.errorMessage.isEmpty() ? QStringLiteral("no answer") : exchange.errorMessage);
    return request + QStringLiteral(" → %1 %2").arg(hop.response.status).arg(QString::fromLatin1(hop.response.reason));
}

bool writeTrace(const QString &path, const QList<portolan::http::Exchange> &exchanges, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(QJsonDocument(portolan::http::toHar(exchanges)).toJson()) < 0) {
        *error = QStringLiteral("cannot write the trace %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

int runLogin(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        out() << kLoginHelp;
        return Success;
    }
    LoginOptions options;
    QString error;
    if (!parseArguments(arguments, options, &error)) {
        err() << "portolan-cli login: " << error << "\n\n" << kLoginHelp;
        return UsageError;
    }

    const QUrl sourceUrl = sourceUrlFromUserInput(options.source);
    const LoadOptions loadOptions = loadOptionsWithUserSchemes(sourceUrl);
    // What a provider preset suggested for this scheme, under what the user types.
    const LoginDefaults defaults = LoginDefaults::fromJson(loadOptions.schemeOverrides.loginDefaults.value(options.scheme));
    QNetworkAccessManager network;
    DocumentLoader loader(&network);
    CredentialStore store;
    // The login's own requests go through a recorder: the trace shows them, secrets redacted.
    portolan::http::NetworkRecorder loginNetwork;
    TokenClient client(&loginNetwork);
    OidcDiscovery discovery(&loginNetwork);
    OAuthLogin login(&client, &discovery);
    LoopbackReceiver receiver;
    QFile in;
    in.open(stdin, QIODevice::ReadOnly);
    SystemBrowser browser(!options.noBrowser, &login, &receiver, &in);
    std::shared_ptr<const ApiDocument> document;
    SecurityScheme scheme;
    int exitCode = Failure;

    auto finish = [&](int code, const QString &message = QString()) {
        if (!message.isEmpty())
            err() << "portolan-cli login: " << message << "\n";
        if (code == Failure && !loginNetwork.exchanges().isEmpty()) {
            err() << "The login's requests:\n";
            for (const portolan::http::Exchange &exchange : loginNetwork.exchanges())
                err() << "  " << traceLine(exchange) << "\n";
        }
        if (!options.trace.isEmpty()) {
            QString problem;
            if (!writeTrace(options.trace, loginNetwork.exchanges(), &problem)) {
                err() << "portolan-cli login: " << problem << "\n";
                code = Failure;
            }
        }
        exitCode = code;
        // Queued: the answer may come before the event loop runs.
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    };
    auto save = [&](CredentialInfo info, const Secrets &secrets) {
        info.api = apiIdentity(*document);
        info.apiTitle = document->info.title;
        info.scheme = scheme.name;
        info.label = options.label;
        store.save(info, secrets, [&, secrets](const StoreResult &result, const CredentialInfo &saved) {
            if (!result.ok) {
                // The CLI ends now: a session-only credential would be lost, so say it was not stored.
                finish(Failure, QStringLiteral("the credential was not stored: ")
                                    + (result.keychainProblem.isEmpty() ? result.error : result.keychainProblem));
                return;
            }
            printStored(saved, secrets, options.showSecrets, scheme.bearerFormat);
            finish(Success);
        });
    };

    QObject::connect(&login, &OAuthLogin::progress, [&](const QString &message) {
        err() << message << "…\n";
        err().flush();
    });
    QObject::connect(&login, &OAuthLogin::deviceCodeReady,
                     [&](const QString &userCode, const QUrl &uri, const QUrl &complete, int expiresIn) {
                         err() << "To log in, open " << uri.toString() << " and enter the code  " << userCode << "\n";
                         if (complete.isValid() && !complete.isEmpty())
                             err() << "(or open " << complete.toString() << ")\n";
                         err() << "The code expires in " << expiresIn / 60 << " min. Waiting for approval…\n";
                         err().flush();
                         if (!options.noBrowser && complete.isValid())
                             QProcess::startDetached(QStringLiteral("xdg-open"), {complete.toString()});
                     });
    QObject::connect(&receiver, &LoopbackReceiver::redirectReceived, &login, &OAuthLogin::handleRedirect);
    QObject::connect(&login, &OAuthLogin::finished, [&](const LoginResult &result) {
        receiver.close();
        if (!result.ok)
            return finish(Failure, QStringLiteral("login failed: ") + result.error.text());
        CredentialInfo info;
        Secrets secrets;
        credentialFromLogin(result, &info, &secrets);
        save(info, secrets);
    });

    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            return finish(Failure, QStringLiteral("cannot load %1: %2").arg(options.source, messages.join(QStringLiteral("; "))));
        }
        document = result.document;
        const SecurityScheme *found = document->securityScheme(options.scheme);
        if (!found) {
            QStringList names;
            for (const SecurityScheme &s : document->securitySchemes)
                names << s.name;
            return finish(UsageError, QStringLiteral("no security scheme '%1' (the document has: %2)")
                                          .arg(options.scheme, names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", "))));
        }
        scheme = *found;

        CredentialInfo info;
        Secrets secrets;
        if (scheme.type == SecuritySchemeType::ApiKey
            || (scheme.type == SecuritySchemeType::Http && scheme.scheme == QLatin1String("bearer"))) {
            const QByteArray value = readSecretLine(in);
            if (value.isEmpty())
                return finish(UsageError, QStringLiteral("pipe the %1 into stdin").arg(scheme.type == SecuritySchemeType::ApiKey
                                                                                            ? QStringLiteral("API key") : QStringLiteral("token")));
            info.kind = scheme.type == SecuritySchemeType::ApiKey ? CredentialKind::ApiKey : CredentialKind::Bearer;
            secrets.insert(QLatin1String(info.kind == CredentialKind::ApiKey ? secret::ApiKey : secret::Token), value);
            return save(info, secrets);
        }
        if (scheme.type == SecuritySchemeType::Http
            && (scheme.scheme == QLatin1String("basic") || scheme.scheme == QLatin1String("digest"))) {
            if (options.username.isEmpty())
                return finish(UsageError, QStringLiteral("--username is required for HTTP %1").arg(scheme.scheme));
            const QByteArray password = readSecretLine(in);
            info.kind = scheme.scheme == QLatin1String("basic") ? CredentialKind::Basic : CredentialKind::Digest;
            info.username = options.username;
            secrets.insert(QLatin1String(secret::Password), password);
            return save(info, secrets);
        }
        if (scheme.type != SecuritySchemeType::OAuth2 && scheme.type != SecuritySchemeType::OpenIdConnect)
            return finish(Failure, QStringLiteral("scheme '%1' (%2 %3) cannot be logged in with yet")
                                       .arg(scheme.name, securitySchemeTypeName(scheme.type), scheme.scheme));

        OAuthFlowKind flow = OAuthFlowKind::AuthorizationCode;
        if (!options.flow.isEmpty()) {
            if (!flowFromName(options.flow, &flow))
                return finish(UsageError, QStringLiteral("unknown flow '%1'").arg(options.flow));
        } else if (scheme.type == SecuritySchemeType::OAuth2 && !scheme.flows.isEmpty()) {
            flow = scheme.flows.first().kind;
        }
        LoginSettings settings;
        settings.scopes = options.scopes;
        QString problem;
        if (!settingsFromScheme(scheme, flow, securityBaseUrl(*document), &settings, &problem))
            return finish(UsageError, problem);
        if (options.clientId.isEmpty())
            return finish(UsageError, QStringLiteral("--client-id is required for OAuth 2.0"));
        settings.client.clientId = options.clientId;
        if (options.clientSecretStdin)
            settings.client.clientSecret = readSecretLine(in);
        // With a secret, the way the provider expects it (client_secret_basic unless a preset says post).
        const QString secretMethod = defaults.clientAuthentication == QLatin1String("client_secret_post")
            ? defaults.clientAuthentication : QStringLiteral("client_secret_basic");
        const QString method = options.authMethod.isEmpty()
            ? (options.clientSecretStdin ? secretMethod
                                         : options.privateKey.isEmpty() ? QStringLiteral("none") : QStringLiteral("private_key_jwt"))
            : options.authMethod;
        if (!clientAuthMethodFromName(method, &settings.client.authMethod))
            return finish(UsageError, QStringLiteral("unknown --auth-method '%1'").arg(method));
        const bool usesKeyFile = settings.client.authMethod == ClientAuthMethod::PrivateKeyJwt
            || settings.client.authMethod == ClientAuthMethod::TlsClientAuth;
        if (usesKeyFile || !options.caCert.isEmpty()) {
            // The files are read now and their paths remembered for refreshes.
            auto absolute = [](const QString &path) { return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath(); };
            info.clientId = options.clientId;
            info.clientAuthMethod = method;
            info.privateKeyPath = absolute(options.privateKey);
            info.clientCertificatePath = absolute(options.clientCert);
            info.caCertificatePath = absolute(options.caCert);
            const QByteArray secretKept = settings.client.clientSecret;
            if (!TokenManager::clientConfig(info, {}, &settings.client, &problem))
                return finish(UsageError, problem);
            settings.client.clientSecret = secretKept;
            settings.privateKeyPath = info.privateKeyPath;
            settings.clientCertificatePath = info.clientCertificatePath;
            settings.caCertificatePath = info.caCertificatePath;
        }
        if (flow == OAuthFlowKind::Password) {
            if (options.username.isEmpty())
                return finish(UsageError, QStringLiteral("--username is required for the password flow"));
            settings.username = options.username;
            settings.password = readSecretLine(in);
        }
        settings.authorizationParameters = options.authorizationParameters;
        settings.tokenParameters = options.tokenParameters;
        settings.useDpop = options.dpop;
        const QString pkce = options.pkce.isEmpty() ? defaults.pkce : options.pkce;
        if (!pkce.isEmpty())
            settings.pkceMethod = pkce == QLatin1String("none") ? QString() : pkce;
        defaults.applyTo(&settings);
        if (flow == OAuthFlowKind::AuthorizationCode || flow == OAuthFlowKind::Implicit) {
            // A loopback redirect URI is listened on exactly as registered; any other is pasted back.
            const QString redirectText = options.redirectUri.isEmpty() ? defaults.redirectUri.toString() : options.redirectUri;
            const QUrl redirectUri(redirectText, QUrl::StrictMode);
            const bool listens = redirectText.isEmpty() || LoopbackReceiver::isLoopback(redirectUri);
            if (listens && flow == OAuthFlowKind::Implicit)
                return finish(UsageError, QStringLiteral("the implicit flow returns tokens in the URL fragment, which a "
                                                         "loopback listener cannot see: use a non-loopback --redirect-uri "
                                                         "and paste the URL"));
            if (listens) {
                if (!(redirectText.isEmpty() ? receiver.listen(&problem) : receiver.listen(redirectUri, &problem)))
                    return finish(Failure, problem);
                settings.redirectUri = receiver.redirectUri();
            } else {
                settings.redirectUri = redirectUri;
            }
            browser.readPastedRedirect = !listens;
            login.start(settings, &browser);
            return;
        }
        login.start(settings);
    });

    loader.load(sourceUrl, loadOptions);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
