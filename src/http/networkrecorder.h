#pragma once

#include "exchange.h"

#include <QNetworkAccessManager>
#include <QPointer>

namespace portolan::http {

// A QNetworkAccessManager that keeps an Exchange record of every request made
// through it, for the login trace: discovery, JWKS, token, userinfo, device
// polls, refresh, revocation, introspection. The records are redacted as they
// are kept — OAuth secrets in form bodies and query strings (client_secret,
// code, code_verifier, refresh_token, password, …), tokens in responses, and
// Authorization values — so a trace can be shown and exported as HAR as is.
// Headers Qt adds itself on the wire (Host, Content-Length, …) are not seen.
class NetworkRecorder : public QNetworkAccessManager {
    Q_OBJECT
public:
    explicit NetworkRecorder(QObject *parent = nullptr);

    // In the order the requests were made (each complete once its reply finished).
    const QList<Exchange> &exchanges() const { return m_exchanges; }
    // A page load the recorder cannot see itself (an embedded browser's): what
    // the browser tells, nothing more. `status` 0 = the browser reported none;
    // `outcome` then says what happened ("redirected", "loaded", …), and
    // `failed` marks a load that did not complete.
    struct PageLoad {
        QByteArray method = "GET";
        QUrl url;
        int status = 0;
        QString outcome;
        bool failed = false;
    };
    void recordPageLoad(const PageLoad &load);
    void clear() { m_exchanges.clear(); }

    // Another recorder, with its own connection pool (e.g. for one TLS client
    // certificate), whose exchanges are kept in this one. Owned by `parent`.
    NetworkRecorder *newConnectionPool(QObject *parent);

    // Every value in a form body, query string or JSON/form response named like an OAuth secret.
    static QList<SecretUse> oauthSecrets(const Exchange &exchange);

Q_SIGNALS:
    void exchangeRecorded(const portolan::http::Exchange &exchange);

protected:
    QNetworkReply *createRequest(Operation operation, const QNetworkRequest &request, QIODevice *outgoingData) override;

private:
    void keep(Exchange exchange);

    QList<Exchange> m_exchanges;  // redacted
    QPointer<NetworkRecorder> m_keeper;  // not owned; set on a connection pool: its exchanges go there
};

} // namespace portolan::http
