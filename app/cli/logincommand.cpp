// portolan-cli login: plans the login with the client core (the same rules
// as the desktop app), runs a scheme's OAuth 2.0 / OpenID Connect flow or
// stores an apiKey / basic / digest / bearer secret read from stdin, and keeps
// the result in the credential store (secrets in the keychain).
#include "clicommand.h"

#include "clientcore.h"
#include "credentialstore.h"
#include "loginplan.h"
#include "loopbackreceiver.h"
#include "oauthlogin.h"
#include "oidc.h"
#include "presetlogin.h"
#include "requestsigner.h"
#include "tokenclient.h"
#include "tracedauth.h"
#include "urlpolicy.h"

#include <documentloader.h>
#include <harexport.h>
#include <networkrecorder.h>

#include <QCoreApplication>
#include <QProcess>

using namespace portolan;
using namespace portolan::auth;

namespace cli {

namespace {

struct LoginCommandLine : CommandLine {
    LoginCommandLine()
        : CommandLine(QStringLiteral("login"),
                      QStringLiteral("Logs in with a security scheme of an OpenAPI document and stores the credential;\n"
                                     "secrets go to the OS keychain only. apiKey, basic, digest and bearer secrets,\n"
                                     "client secrets, passwords and key passphrases are read from stdin.\n"
                                     "Settings left out are taken from the last login with the scheme (either program).\n"
                                     "Exit status: 0 stored, 1 the flow or server failed, 2 usage."),
                      {{QStringLiteral("SOURCE"), QStringLiteral("the OpenAPI document (file or URL)")}})
    {
        parser.addOptions({
            {QStringLiteral("scheme"), QStringLiteral("the securitySchemes key (required)"), QStringLiteral("NAME")},
            {QStringLiteral("flow"), QStringLiteral("%1 (default: the scheme's first)")
                                         .arg(flowNames().join(QLatin1String(", "))), QStringLiteral("FLOW")},
            {QStringLiteral("client-id"), QStringLiteral("OAuth client id"), QStringLiteral("ID")},
            {QStringLiteral("client-secret-stdin"), QStringLiteral("read the client secret from the first line of stdin")},
            {QStringLiteral("scope"), QStringLiteral("request this scope (repeatable; default: the flow's scopes)"), QStringLiteral("S")},
            {QStringLiteral("username"), QStringLiteral("basic / digest user, or password-grant user"), QStringLiteral("U")},
            {QStringLiteral("password-stdin"), QStringLiteral("read the password from stdin (after the client secret)")},
            {QStringLiteral("auth-method"), QStringLiteral("client authentication: %1").arg(clientAuthMethodNames().join(QLatin1String(", "))),
             QStringLiteral("M")},
            {QStringLiteral("private-key"), QStringLiteral("client key file (PEM: RSA, EC or Ed25519) for private_key_jwt / tls_client_auth"),
             QStringLiteral("PEM")},
            {QStringLiteral("client-cert"), QStringLiteral("client certificate for tls_client_auth (default: in the key file)"),
             QStringLiteral("PEM")},
            {QStringLiteral("cacert"), QStringLiteral("also trust this CA for the authorization server"), QStringLiteral("PEM")},
            {QStringLiteral("redirect-uri"), QStringLiteral("registered redirect URI (default: http://127.0.0.1:PORT/callback); a "
                                                            "loopback one (127.0.0.1, [::1], localhost) is listened on exactly as "
                                                            "given, any other is pasted back after the login"),
             QStringLiteral("URI")},
            {QStringLiteral("param"), QStringLiteral("extra authorization request parameter (audience, prompt, …)"),
             QStringLiteral("NAME=VALUE")},
            {QStringLiteral("token-param"), QStringLiteral("extra token request parameter (resource, …)"), QStringLiteral("NAME=VALUE")},
            {QStringLiteral("secret-token-param"), QStringLiteral("the same, kept in the keychain (parameters named like secrets, "
                                                                  "e.g. client_assertion, always are)"), QStringLiteral("NAME=VALUE")},
            {QStringLiteral("allow-http"), QStringLiteral("allow plain http to HOST for the authorization, token, discovery and JWKS "
                                                          "endpoints (loopback hosts never need it)"), QStringLiteral("HOST")},
            {QStringLiteral("pkce"), QStringLiteral("S256 (default), plain, or none"), QStringLiteral("METHOD")},
            {QStringLiteral("dpop"), QStringLiteral("bind the tokens to a fresh DPoP key (RFC 9449)")},
            {QStringLiteral("no-browser"), QStringLiteral("print the login URL instead of opening the system browser")},
            {QStringLiteral("label"), QStringLiteral("a name for the credential in lists"), QStringLiteral("TEXT")},
            {QStringLiteral("show-secrets"), QStringLiteral("also print the secrets that were stored")},
            {QStringLiteral("trace"), QStringLiteral("write every request the login made (discovery, JWKS, token, device polls, "
                                                     "userinfo) as HAR, secrets redacted"), QStringLiteral("FILE.har")},
        });
    }
    static QStringList flowNames()
    {
        QStringList names;
        for (OAuthFlowKind flow : allOAuthFlows())
            names << oauthFlowName(flow);
        return names;
    }
    QString value(const char *name) const { return parser.value(QLatin1String(name)); }
    bool isSet(const char *name) const { return parser.isSet(QLatin1String(name)); }
};

bool parseParameters(const QStringList &texts, Parameters *parameters, QString *error)
{
    for (const QString &text : texts) {
        const qsizetype equals = text.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = QStringLiteral("'%1' is not NAME=VALUE").arg(text);
            return false;
        }
        parameters->append({text.left(equals), text.mid(equals + 1)});
    }
    return true;
}

// What the command line says; stdin secrets are read later, once the scheme is known.
bool loginInput(const LoginCommandLine &line, client::LoginInput *input, QString *error)
{
    input->flow = line.value("flow");
    input->clientId = line.value("client-id");
    input->authMethod = line.value("auth-method");
    for (const QString &scope : line.parser.values(QStringLiteral("scope")))
        input->scopes += scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    input->username = line.value("username");
    input->privateKeyPath = line.value("private-key");
    input->clientCertificatePath = line.value("client-cert");
    input->caCertificatePath = line.value("cacert");
    input->redirectUri = line.value("redirect-uri");
    input->label = line.value("label");
    input->dpop = line.isSet("dpop");
    if (line.isSet("pkce")) {
        const QString pkce = line.value("pkce");
        if (pkce != QLatin1String("S256") && pkce != QLatin1String("plain") && pkce != QLatin1String("none")) {
            *error = QStringLiteral("--pkce must be S256, plain or none");
            return false;
        }
        input->pkceMethod = pkce == QLatin1String("none") ? QString() : pkce;
    }
    input->allowedHttpHosts = line.parser.values(QStringLiteral("allow-http"));
    Parameters secretTokenParameters;
    if (!parseParameters(line.parser.values(QStringLiteral("param")), &input->authorizationParameters, error)
        || !parseParameters(line.parser.values(QStringLiteral("token-param")), &input->tokenParameters, error)
        || !parseParameters(line.parser.values(QStringLiteral("secret-token-param")), &secretTokenParameters, error))
        return false;
    for (const auto &parameter : secretTokenParameters)
        input->secretTokenParameters.append(parameter.first);
    input->tokenParameters += secretTokenParameters;
    return true;
}

// The system browser, through the engine's check that the URL is http(s).
bool openInSystemBrowser(const QUrl &url, QString *error)
{
    return openInBrowser(url, [](const QUrl &u) { return QProcess::startDetached(QStringLiteral("xdg-open"), {u.toString(QUrl::FullyEncoded)}); },
                         error);
}

// The system browser plus a loopback listener (RFC 8252), or just the URL on
// stderr. With a redirect URI nobody listens to (a custom scheme, the implicit
// fragment), the user pastes the URL the browser ended up at.
class SystemBrowser : public BrowserLauncher {
public:
    SystemBrowser(bool open, OAuthLogin *login, LoopbackReceiver *receiver)  // not owned
        : m_open(open), m_login(login), m_receiver(receiver) {}
    bool readPastedRedirect = false;

    void openAuthorizationUrl(const QUrl &url, const QUrl &) override
    {
        const QString text = url.toString(QUrl::FullyEncoded);
        m_receiver->expectResponseTo(url);
        QString notOpened;
        if (m_open && openInSystemBrowser(url, &notOpened))
            err() << "Opened the login page in your browser. If nothing appears, open:\n  " << text << "\n";
        else
            err() << "Open this URL in a browser to log in:\n  " << text << "\n";
        if (readPastedRedirect)
            err() << "After logging in, paste the full URL the browser was sent to and press Enter:\n";
        err().flush();
        if (!readPastedRedirect)
            return;
        // Nothing else runs meanwhile: the CLI only waits for this line.
        const QByteArray pasted = readSecretLine().trimmed();
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

} // namespace

int runLogin(const QStringList &arguments)
{
    LoginCommandLine line;
    if (const int code = line.parse(arguments, 1, 1); code >= 0)
        return code;
    if (!line.isSet("scheme"))
        return line.usageError(QStringLiteral("--scheme is required"));
    client::LoginInput typed;
    QString error;
    if (!loginInput(line, &typed, &error))
        return line.usageError(error);
    const QString source = line.parser.positionalArguments().first();

    client::ClientCore core;
    DocumentLoader loader(core.network());
    const QUrl sourceUrl = sourceUrlFromUserInput(source);
    const LoadOptions loadOptions = loadOptionsWithUserSchemes(sourceUrl);
    // The login's own requests go through a recorder: the trace shows them, secrets redacted.
    client::TracedAuth traced(core.store());
    const portolan::http::NetworkRecorder &loginNetwork = *traced.recorder();
    OAuthLogin login(traced.tokenClient(), traced.discovery());
    LoopbackReceiver receiver;
    SystemBrowser browser(!line.isSet("no-browser"), &login, &receiver);
    std::shared_ptr<const ApiDocument> document;
    SecurityScheme scheme;
    client::LoginInput input;
    int exitCode = Failure;

    auto finish = [&](int code, const QString &message = QString()) {
        if (!message.isEmpty())
            err() << "portolan-cli login: " << message << "\n";
        if (code == Failure && !loginNetwork.exchanges().isEmpty()) {
            err() << "The login's requests:\n";
            for (const portolan::http::Exchange &exchange : loginNetwork.exchanges())
                err() << "  " << traceLine(exchange) << "\n";
        }
        if (line.isSet("trace")) {
            QString problem;
            if (!portolan::http::writeHarFile(line.value("trace"), loginNetwork.exchanges(), &problem)) {
                err() << "portolan-cli login: " << problem << "\n";
                code = Failure;
            }
        }
        exitCode = code;
        // Queued: the answer may come before the event loop runs.
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    };
    auto save = [&](const CredentialInfo &info, const Secrets &secrets) {
        core.saveCredential(info, secrets, [&, secrets](const StoreResult &result, const CredentialInfo &saved) {
            if (!result.ok) {
                // The CLI ends now: a session-only credential would be lost, so say it was not stored.
                finish(Failure, QStringLiteral("the credential was not stored: ")
                                    + (result.keychainProblem.isEmpty() ? result.error : result.keychainProblem));
                return;
            }
            QString memoryError;
            if (!core.loginMemory().remember(saved.api, scheme.name, input, &memoryError))
                err() << "portolan-cli login: the settings were not remembered: " << memoryError << "\n";
            printStored(saved, secrets, line.isSet("show-secrets"), scheme.bearerFormat);
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
                         QString notOpened;
                         if (!line.isSet("no-browser") && !complete.isEmpty() && !openInSystemBrowser(complete, &notOpened))
                             err() << notOpened << "\n";
                     });
    QObject::connect(&receiver, &LoopbackReceiver::redirectReceived, &login, &OAuthLogin::handleRedirect);
    QObject::connect(&login, &OAuthLogin::finished, [&](const LoginResult &result) {
        receiver.close();
        if (!result.ok)
            return finish(Failure, QStringLiteral("login failed: ") + result.error.text());
        CredentialInfo info;
        Secrets secrets;
        client::credentialForLogin(*document, scheme, result, input.label, &info, &secrets);
        save(info, secrets);
    });

    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            return finish(Failure, QStringLiteral("cannot load %1: %2").arg(source, messages.join(QStringLiteral("; "))));
        }
        document = result.document;
        const SecurityScheme *found = document->securityScheme(line.value("scheme"));
        if (!found) {
            QStringList names;
            for (const SecurityScheme &s : document->securitySchemes)
                names << s.name;
            return finish(UsageError, QStringLiteral("no security scheme '%1' (the document has: %2)")
                                          .arg(line.value("scheme"), names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", "))));
        }
        scheme = *found;
        input = core.loginMemory().withRemembered(apiIdentity(*document), scheme.name, typed);

        // Secrets come from stdin, in a fixed order: the scheme's secret or the client secret, then the password.
        CredentialKind kind;
        if (!client::isOAuthScheme(scheme) && client::storedCredentialKind(scheme, &kind, &error)) {
            if (kind == CredentialKind::Basic || kind == CredentialKind::Digest)
                input.password = readSecretLine(QStringLiteral("Password: "));
            else
                input.secret = readSecretLine(kind == CredentialKind::ApiKey ? QStringLiteral("API key: ") : QStringLiteral("Token: "));
        }
        if (line.isSet("client-secret-stdin"))
            input.clientSecret = readSecretLine(QStringLiteral("Client secret: "));
        if (line.isSet("password-stdin"))
            input.password = readSecretLine(QStringLiteral("Password: "));

        // What a provider preset suggested for this scheme, under what the user gave.
        const auth::LoginDefaults defaults = client::loginDefaultsFor(loadOptions.schemeOverrides, scheme.name);
        client::applyLoginDefaults(defaults, &input, line.isSet("pkce"));
        client::LoginPlan plan = client::planLogin(*document, scheme, input);
        if (plan.status == client::LoginPlan::Status::NeedsPassphrase) {
            input.privateKeyPassphrase = readSecretLine(QStringLiteral("Passphrase for %1: ").arg(input.privateKeyPath));
            plan = client::planLogin(*document, scheme, input);
        }
        if (!plan.ready())
            return finish(UsageError, plan.error);
        if (!plan.oauth)
            return save(plan.info, plan.secrets);
        defaults.applyTo(&plan.settings);

        const OAuthFlowKind flow = plan.settings.flow;
        if (flow == OAuthFlowKind::AuthorizationCode || flow == OAuthFlowKind::Implicit) {
            // A loopback redirect URI is listened on exactly as registered; any other is pasted back.
            const QUrl redirectUri = plan.settings.redirectUri;
            const bool listens = redirectUri.isEmpty() || LoopbackReceiver::isLoopback(redirectUri);
            if (listens && flow == OAuthFlowKind::Implicit)
                return finish(UsageError, QStringLiteral("the implicit flow returns tokens in the URL fragment, which a "
                                                         "loopback listener cannot see: use a non-loopback --redirect-uri "
                                                         "and paste the URL"));
            if (listens) {
                QString problem;
                if (!(redirectUri.isEmpty() ? receiver.listen(&problem) : receiver.listen(redirectUri, &problem)))
                    return finish(Failure, problem);
                plan.settings.redirectUri = receiver.redirectUri();
            } else {
                browser.readPastedRedirect = true;
            }
            login.start(plan.settings, &browser);
            return;
        }
        login.start(plan.settings);
    });

    loader.load(sourceUrl, loadOptions);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
