#include "exchangerunner.h"

#include "signerauthenticator.h"
#include "security/authservices.h"

#include "credentialstore.h"
#include "requestsigner.h"

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
    : QObject(parent), m_services(services), m_sender(new http::ExchangeSender(services->network(), this))
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
    return m_sender->isRunning();
}

void ExchangeRunner::cancel()
{
    m_sender->cancel();
}

bool ExchangeRunner::send(std::shared_ptr<const ApiDocument> document, const Operation &operation,
                          const http::BuildInput &input, QStringList *errors)
{
    if (isRunning()) {
        *errors << tr("A request is being sent; cancel it first (Esc).");
        return false;
    }
    const http::BuildResult built = http::RequestBuilder(*document).build(operation, input);
    if (!built.ok()) {
        for (const http::BuildError &error : built.errors)
            *errors << error.toString();
        return false;
    }
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
    if (!found)
        Q_EMIT notice(tr("Sent without credentials: %1.").arg(problems.join(QStringLiteral("; "))));
    m_lastAlternative = alternativeText(chosen);
    m_sender->setAuthenticator(nullptr);
    m_document = document;
    m_authenticator = std::make_unique<http::SignerAuthenticator>(m_services->signer(), *m_document, chosen, credentials);
    m_sender->setAuthenticator(m_authenticator.get());
    m_apiId = auth::apiIdentity(*document);
    m_operationId = operation.operationId.isEmpty() ? operation.method + QLatin1Char(' ') + operation.path
                                                    : operation.operationId;
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(built.request.method), built.request.url.toString()));
    return m_sender->send(built.request, m_options);
}

bool ExchangeRunner::sendRequest(const http::HttpRequest &request, const QString &operationId, QStringList *errors)
{
    if (isRunning()) {
        *errors << tr("A request is being sent; cancel it first (Esc).");
        return false;
    }
    m_sender->setAuthenticator(nullptr);
    m_authenticator.reset();
    m_lastAlternative = alternativeText({});
    m_operationId = operationId;
    Q_EMIT started(QStringLiteral("%1 %2").arg(QString::fromLatin1(request.method), request.url.toString()));
    return m_sender->send(request, m_options);
}

} // namespace portolan::gui
