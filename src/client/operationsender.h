#pragma once

#include "credentialchoice.h"
#include "exchange.h"
#include "exchangesender.h"
#include "pemidentity.h"
#include "requestplan.h"

#include <QNetworkCookieJar>
#include <QObject>

#include <memory>
#include <optional>

namespace portolan::http {
class SecretVariableStore;
class SignerAuthenticator;
}

namespace portolan::client {

class ClientCore;

// One user action "send this operation": both front ends hand it what the
// user chose and show what it reports. It reads the environment's secret
// values (asynchronously), plans and validates the request (planRequest()),
// chooses the credentials (chooseCredentials()), signs and sends.
struct OperationRequest {
    std::shared_ptr<const ApiDocument> document;
    const Operation *operation = nullptr;  // in `document`
    RequestInput input;
    CredentialRequest credentials;
    bool validate = true;        // refuse values the schemas refuse
    QString source;              // how the user named the document (for messages); empty = documentSource()
    http::SendOptions options;
};

class OperationSender : public QObject {
    Q_OBJECT
public:
    // `core` is not owned and must outlive this object.
    explicit OperationSender(ClientCore *core, QObject *parent = nullptr);
    ~OperationSender() override;

    // Starts a send; the outcome comes by refused() or finished(). False
    // (with nothing emitted) when a send is already running.
    bool send(const OperationRequest &request);
    // Sends a request as it is (e.g. a pasted curl command), without credentials.
    bool sendRequest(const http::HttpRequest &request, const QString &apiId, const QString &operationId,
                     const http::SendOptions &options);
    void cancel();
    bool isRunning() const;

    // The credentials the last send used (its alternative, and the message when none satisfied).
    const CredentialChoice &lastChoice() const { return m_choice; }
    // The plan of the last send (the wire request before credentials, and its problems).
    const RequestPlan &lastPlan() const { return m_plan; }

Q_SIGNALS:
    // Nothing was sent. `usage`: the input is wrong (invalid values, unknown
    // credential, missing variable), as opposed to a keychain failure.
    void refused(const QStringList &messages, bool usage);
    // Something the user should know about a send that goes ahead, e.g. that
    // no stored credential satisfies the requirement.
    void notice(const QString &message);
    void started(const QString &summary);
    void finished(const portolan::http::Exchange &exchange);

private:
    void sendPlanned(const OperationRequest &request);
    void freshCookieJar();

    ClientCore *m_core;                            // not owned
    http::ExchangeSender *m_sender;                // owned by this
    http::SecretVariableStore *m_secretVariables;  // owned by this
    QNetworkCookieJar *m_cookies = nullptr;        // owned by this; one per send
    bool m_readingSecrets = false;
    quint64 m_sendNumber = 0;                      // lets a cancelled send's late keychain answer be ignored
    std::shared_ptr<const ApiDocument> m_document; // kept alive for m_authenticator
    std::unique_ptr<http::SignerAuthenticator> m_authenticator;
    RequestPlan m_plan;
    CredentialChoice m_choice;
    QString m_apiId;
    QString m_operationId;
};

// The operation an argument names: an operationId, or "METHOD /path".
const Operation *findOperation(const ApiDocument &document, const QString &name, QString *error);

// What a send presents when a server asks for a client certificate: the
// identity's certificates (the leaf and the issuers read with it) and its
// key, as the token client presents them; none when it holds no certificate.
std::optional<http::ClientIdentity> tlsClientIdentity(const auth::PemIdentity &identity);

} // namespace portolan::client
