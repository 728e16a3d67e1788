#include "exchangerunner.h"

#include "appsettings.h"
#include "signerauthenticator.h"
#include "security/authservices.h"

#include "credentialstore.h"
#include "requestsigner.h"
#include "secretvariables.h"

namespace portolan::gui {

QString alternativeText(const SecurityAlternative &alternative)
{
    if (alternative.isEmpty())
        return QObject::tr("none");
    QStringList names;
    for (const SchemeUse &use : alternative)
        names << use.scheme;
    return names.join(QStringLiteral(" + "));
}

ExchangeRunner::ExchangeRunner(AuthServices *services, QObject *parent)
    : QObject(parent), m_services(services), m_sender(new http::ExchangeSender(services->network(), this)),
      m_secretVariables(new http::SecretVariableStore(this))
{
    connect(m_sender, &http::ExchangeSender::finished, this, [this](const http::Exchange &finished) {
        http::Exchange exchange = finished;
        exchange.apiId = m_apiId;
        exchange.operationId = m_operationId;
        Q_EMIT this->finished(exchange);
    });
}

ExchangeRunner::~ExchangeRunner()
{
    m_sender->setAuthenticator(nullptr);
}

bool ExchangeRunner::isRunning() const
{
    return m_readingSecrets || m_sender->isRunning();
}

void ExchangeRunner::cancel()
{
    if (m_readingSecrets) {
        m_readingSecrets = false;
        ++m_sendNumber;
        Q_EMIT failed(tr("Cancelled."));
        return;
    }
    m_sender->cancel();
}

bool ExchangeRunner::loadSendSettings(QStringList *errors)
{
    // The client certificate and the decoded-body limit, read at every send so
    // that a change in Settings applies to the next request.
    ClientIdentity identity;
    QString error;
    const AppSettings settings = AppSettings::load();
    m_options.decodeLimits.maxDecodedBytes = qint64(settings.maxDecodedBodyMB) * 1024 * 1024;
    if (!loadClientIdentity(settings, &identity, &error)) {
        *errors << tr("Not sent: %1 Fix it in Settings or remove the client certificate there.").arg(error);
        return false;
    }
    m_options.tls.clientCertificate = identity.certificate;
    m_options.tls.clientKey = identity.key;
    return true;
}

bool ExchangeRunner::send(std::shared_ptr<const ApiDocument> document, const Operation &operation,
                          const http::BuildInput &input, const std::optional<http::Environment> &environment,
                          QStringList *errors)
{
    if (isRunning()) {
        *errors << tr("A request is being sent; cancel it first (Esc).");
        return false;
    }
    if (!environment)
        return sendBuilt(document, operation, input, nullptr, {}, errors);
    // `operation` lives in `document`, which the callback keeps alive.
    m_readingSecrets = true;
    const quint64 number = ++m_sendNumber;
    m_secretVariables->fill(*environment, [this, number, document, &operation, input](const http::Environment &filled,
                                                                                     const QStringList &problems) {
        if (number != m_sendNumber)
            return;
        m_readingSecrets = false;
        QStringList errors;
        if (!sendBuilt(document, operation, input, &filled, problems, &errors))
            Q_EMIT failed(errors.join(QLatin1Char('\n')));
    });
    return true;
}

bool ExchangeRunner::sendBuilt(const std::shared_ptr<const ApiDocument> &document, const Operation &operation,
                               http::BuildInput input, const http::Environment *environment,
                               const QStringList &keychainProblems, QStringList *errors)
{
    http::Substitution substitution;
    if (environment)  // before building: a variable in the host makes no valid URL
        input.serverUrl = http::substituteVariables(input.serverUrl, *environment, &substitution);
    http::BuildResult built = http::RequestBuilder(*document).build(operation, input);
    if (!built.ok()) {
        for (const http::BuildError &error : built.errors)
            *errors << error.toString();
        return false;
    }
    if (environment) {
        built.request = http::substituteVariables(built.request, *environment, &substitution);
        substitution.missing.removeDuplicates();
        if (!substitution.missing.isEmpty()) {
            *errors << tr("Not sent: environment “%1” has no value for %2.")
                           .arg(environment->name, QStringLiteral("{{") + substitution.missing.join(QStringLiteral("}}, {{"))
                                                       + QStringLiteral("}}"));
            *errors += keychainProblems;
            return false;
        }
    }
    if (!loadSendSettings(errors))
        return false;
    // The first alternative the stored credentials satisfy; an empty alternative
    // ("auth optional") counts as satisfied. Without any, the request goes
    // unauthenticated and the user is told why.
    const SecurityRequirement requirement = document->effectiveSecurity(operation);
    SecurityAlternative chosen;
    QHash<QString, QString> credentials;  // scheme -> the credential evaluate() found for it
    bool found = requirement.isEmpty();
    QStringList problems;
    for (const auth::AlternativeStatus &status : m_services->signer()->evaluate(*document, requirement)) {
        if (status.satisfied()) {
            chosen = status.alternative;
            for (const auth::SchemeStatus &scheme : status.schemes)
                credentials.insert(scheme.scheme, scheme.credentialId);
            found = true;
            break;
        }
        for (const auth::SchemeStatus &scheme : status.schemes)
            if (!scheme.satisfied())
                problems << scheme.problem;
    }
    // The user's choice wins over the default; a choice whose credential was deleted is ignored.
    const QString api = auth::apiIdentity(*document);
    for (auto it = credentials.begin(); it != credentials.end(); ++it) {
        const QString chosenId = m_chosenCredentials.value(it.key());
        if (chosenId.isEmpty())
            continue;
        for (const auth::CredentialInfo &info : m_services->store()->forScheme(api, it.key()))
            if (info.id == chosenId)
                it.value() = chosenId;
    }
    if (!found)
        Q_EMIT notice(tr("Sent without credentials: %1.").arg(problems.join(QStringLiteral("; "))));
    m_lastAlternative = alternativeText(chosen);
    m_sender->setAuthenticator(nullptr);
    m_document = document;
    m_authenticator = std::make_unique<http::SignerAuthenticator>(m_services->signer(), *m_document, chosen, credentials);
    m_sender->setAuthenticator(m_authenticator.get());
    m_apiId = api;
    m_operationId = operation.operationId.isEmpty() ? operation.method + QLatin1Char(' ') + operation.path
                                                    : operation.operationId;
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(built.request.method), built.request.url.toString()));
    // The secret variables' values go with the exchange, so every view, export
    // and the history redact them, and no redirect takes them to another origin.
    return m_sender->send(built.request, m_options, substitution.secrets);
}

bool ExchangeRunner::sendRequest(const http::HttpRequest &request, const QString &operationId, QStringList *errors)
{
    if (isRunning()) {
        *errors << tr("A request is being sent; cancel it first (Esc).");
        return false;
    }
    if (!loadSendSettings(errors))
        return false;
    m_sender->setAuthenticator(nullptr);
    m_authenticator.reset();
    m_lastAlternative = alternativeText({});
    m_operationId = operationId;
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(request.method), request.url.toString()));
    return m_sender->send(request, m_options);
}

} // namespace portolan::gui
