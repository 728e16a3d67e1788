#include "operationsender.h"

#include "clientcore.h"

#include "credentialstore.h"
#include "requestsigner.h"
#include "secretvariables.h"
#include "signerauthenticator.h"

#include <QCoreApplication>

namespace portolan::client {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("portolan::client::OperationSender", text);
}
} // namespace

const Operation *findOperation(const ApiDocument &document, const QString &name, QString *error)
{
    if (const Operation *operation = document.findOperation(name))
        return operation;
    *error = tr("no operation '%1' in the document (give an operationId or \"METHOD /path\")").arg(name);
    return nullptr;
}

OperationSender::OperationSender(ClientCore *core, QObject *parent)
    : QObject(parent), m_core(core), m_sender(new http::ExchangeSender(core->network(), this)),
      m_secretVariables(new http::SecretVariableStore(this))
{
    connect(m_sender, &http::ExchangeSender::finished, this, [this](const http::Exchange &finished) {
        http::Exchange exchange = finished;
        exchange.apiId = m_apiId;
        exchange.operationId = m_operationId;
        Q_EMIT this->finished(exchange);
    });
}

OperationSender::~OperationSender()
{
    m_sender->setAuthenticator(nullptr);
}

bool OperationSender::isRunning() const
{
    return m_readingSecrets || m_sender->isRunning();
}

void OperationSender::cancel()
{
    if (m_readingSecrets) {
        m_readingSecrets = false;
        ++m_sendNumber;
        Q_EMIT refused({tr("Cancelled.")}, false);
        return;
    }
    m_sender->cancel();
}

bool OperationSender::send(const OperationRequest &request)
{
    if (isRunning() || !request.document || !request.operation)
        return false;
    if (!request.input.environment) {
        sendPlanned(request);
        return true;
    }
    // Secret values come from the keychain, asynchronously; `request` keeps the document alive.
    m_readingSecrets = true;
    const quint64 number = ++m_sendNumber;
    m_secretVariables->fill(*request.input.environment, [this, number, request](const http::Environment &filled,
                                                                                const QStringList &problems) {
        if (number != m_sendNumber)
            return;
        m_readingSecrets = false;
        OperationRequest withSecrets = request;
        withSecrets.input.environment = filled;
        withSecrets.input.environmentProblems = problems;
        sendPlanned(withSecrets);
    });
    return true;
}

void OperationSender::sendPlanned(const OperationRequest &request)
{
    const ApiDocument &document = *request.document;
    const Operation &operation = *request.operation;
    m_plan = planRequest(document, operation, request.input);
    if (!m_plan.canSend(request.validate)) {
        Q_EMIT refused(m_plan.messages(request.validate), m_plan.usageError || !m_plan.issues.isEmpty());
        return;
    }
    const QString source = request.source.isEmpty() ? documentSource(document) : request.source;
    m_choice = chooseCredentials(*m_core->store(), document, document.effectiveSecurity(operation), request.credentials, source);
    if (!m_choice.error.isEmpty()) {
        Q_EMIT refused({m_choice.error}, true);
        return;
    }
    if (!m_choice.satisfied)
        Q_EMIT notice(m_choice.message);

    m_sender->setAuthenticator(nullptr);
    m_document = request.document;
    m_authenticator = std::make_unique<http::SignerAuthenticator>(m_core->signer(), *m_document, m_choice.alternative,
                                                                  m_choice.credentials);
    m_sender->setAuthenticator(m_authenticator.get());
    freshCookieJar();
    m_apiId = auth::apiIdentity(document);
    m_operationId = operation.operationIdText.empty() ? operation.method + QLatin1Char(' ') + operation.path() : operation.operationId();
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(m_plan.request.method), m_plan.request.url.toString()));
    // The secret variables' values go with the exchange, so every view, export
    // and the history redact them, and no redirect takes them to another origin.
    m_sender->send(m_plan.request, request.options, m_plan.substitution.secrets);
}

void OperationSender::freshCookieJar()
{
    // Cookies set by a redirect hop go with the next hop; nothing carries over to the next send.
    delete m_cookies;
    m_cookies = new QNetworkCookieJar(this);
    m_sender->setCookieJar(m_cookies);
}

bool OperationSender::sendRequest(const http::HttpRequest &request, const QString &apiId, const QString &operationId,
                                  const http::SendOptions &options)
{
    if (isRunning())
        return false;
    m_sender->setAuthenticator(nullptr);
    m_authenticator.reset();
    m_plan = RequestPlan();
    m_choice = CredentialChoice();
    freshCookieJar();
    m_apiId = apiId;
    m_operationId = operationId;
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(request.method), request.url.toString()));
    return m_sender->send(request, options);
}

std::optional<http::ClientIdentity> tlsClientIdentity(const auth::PemIdentity &identity)
{
    if (identity.certificates.isEmpty())
        return std::nullopt;
    return http::ClientIdentity{identity.certificates, identity.key};
}

} // namespace portolan::client
