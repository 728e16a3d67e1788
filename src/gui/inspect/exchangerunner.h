#pragma once

#include "environment.h"
#include "exchange.h"
#include "exchangesender.h"
#include "requestbuilder.h"

#include <apimodel.h>

#include <QObject>

#include <memory>
#include <optional>

namespace portolan::http {
class SecretVariableStore;
class SignerAuthenticator;
}

namespace portolan::gui {

class AuthServices;

// Sends one operation at a time: builds the request with the HTTP engine from
// the user's values, picks the first alternative of the security requirement
// the stored credentials satisfy (the auth engine decides), lets the auth
// engine sign it, and sends. With an environment, its {{name}} variables are
// substituted first (secret values read from the keychain, asynchronously);
// a variable without a value stops the send. Not a widget: the inspector
// panel drives it.
class ExchangeRunner : public QObject {
    Q_OBJECT
public:
    // `services` is not owned and must outlive this object.
    explicit ExchangeRunner(AuthServices *services, QObject *parent = nullptr);
    ~ExchangeRunner() override;

    // Builds and sends, with `environment`'s variables when given. False with
    // `errors` (each with its location) when the request cannot be built or
    // one is running already; problems found after the environment's secrets
    // were read arrive by failed().
    bool send(std::shared_ptr<const ApiDocument> document, const Operation &operation, const http::BuildInput &input,
              const std::optional<http::Environment> &environment, QStringList *errors);
    // Sends a request as it is (e.g. pasted as curl), without credentials.
    bool sendRequest(const http::HttpRequest &request, const QString &operationId, QStringList *errors);
    void cancel();
    bool isRunning() const;

    // The credential the user chose per scheme name (credential id), used instead
    // of the auth engine's default while it is still stored.
    void setChosenCredentials(const QHash<QString, QString> &chosen) { m_chosenCredentials = chosen; }

    // The security alternative the last send used, as scheme names ("none" when unauthenticated).
    QString lastAlternative() const { return m_lastAlternative; }

Q_SIGNALS:
    void started(const QString &summary);
    // Something the user should know about a send that went ahead anyway.
    void notice(const QString &message);
    // Nothing was sent, and why (e.g. an environment variable without a value).
    void failed(const QString &message);
    void finished(const portolan::http::Exchange &exchange);

private:
    // Puts the client certificate and the decoded-body limit from Settings into
    // m_options; false with a reason when the certificate cannot be used.
    bool loadSendSettings(QStringList *errors);
    bool sendBuilt(const std::shared_ptr<const ApiDocument> &document, const Operation &operation,
                   http::BuildInput input, const http::Environment *environment, const QStringList &keychainProblems,
                   QStringList *errors);

    AuthServices *m_services;  // not owned
    http::ExchangeSender *m_sender;  // owned by this
    http::SecretVariableStore *m_secretVariables;  // owned by this
    bool m_readingSecrets = false;                 // an environment's secrets are being read before a send
    quint64 m_sendNumber = 0;                      // lets a cancelled send's late keychain answer be ignored
    std::shared_ptr<const ApiDocument> m_document;               // kept alive for m_authenticator
    std::unique_ptr<http::SignerAuthenticator> m_authenticator;  // for the send in progress
    http::SendOptions m_options;
    QHash<QString, QString> m_chosenCredentials;  // scheme -> credential id
    QString m_apiId;
    QString m_operationId;
    QString m_lastAlternative;
};

// The security alternatives' schemes as "a + b" text, "none" for an empty one.
QString alternativeText(const SecurityAlternative &alternative);

} // namespace portolan::gui
