#pragma once

#include "tokenclient.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

namespace portolan::auth {

// RFC 8628 device authorization grant: asks for a user code, then polls the
// token endpoint every `interval` seconds (5 more after each `slow_down`) until
// the user approves, denies, or the code expires. Cancel any time.
class DeviceFlow : public QObject {
    Q_OBJECT
public:
    // `client` is not owned and must outlive this object.
    explicit DeviceFlow(TokenClient *client, QObject *parent = nullptr);

    void start(const QUrl &deviceAuthorizationUrl, const QUrl &tokenUrl, const ClientConfig &clientConfig,
               const QStringList &scopes, const Parameters &extraParameters = {}, const JsonWebKey &dpopKey = {});
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // Show these to the user: open `verificationUri` and enter `userCode`.
    void userCodeReady(const QString &userCode, const QUrl &verificationUri, const QUrl &verificationUriComplete,
                       int expiresInSeconds);
    void finished(const portolan::auth::TokenResult &result);

private:
    void poll();
    void finish(const TokenResult &result);

    TokenClient *m_client;  // not owned
    QTimer m_timer;
    QDeadlineTimer m_deadline;
    QUrl m_tokenUrl;
    ClientConfig m_clientConfig;
    JsonWebKey m_dpopKey;
    QByteArray m_deviceCode;
    Parameters m_extraParameters;
    int m_intervalSeconds = 5;
    bool m_running = false;
    quint64 m_generation = 0;  // ignores answers that arrive after cancel()
};

} // namespace portolan::auth
