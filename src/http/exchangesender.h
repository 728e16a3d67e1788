#pragma once

#include "contentdecoder.h"
#include "exchange.h"
#include "httprequest.h"

#include <QElapsedTimer>
#include <QNetworkCookieJar>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTimer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace portolan::http {

class RequestAuthenticator;

// A client certificate and its key, presented when the server asks. The
// intermediates go with it: a server that trusts only the root CA refuses a
// leaf sent alone.
struct ClientIdentity {
    QList<QSslCertificate> certificates;  // the leaf first, then its issuers; never empty
    QSslKey key;
    const QSslCertificate &leaf() const { return certificates.first(); }
};

struct TlsOptions {
    QList<QSslCertificate> extraCaCertificates;  // trusted in addition to the system's
    // Made only when there is one: making a QSslCertificate, even a null one,
    // loads and starts the TLS backend (24 million instructions), which
    // plain HTTP sends never need.
    std::optional<ClientIdentity> clientIdentity;
    // Hosts (host or host:port) whose TLS errors the user chose to ignore. Never global.
    QStringList ignoreErrorsForHosts;
};

// Which proxy carries the request. The proxy belongs to the QNetworkAccessManager:
// anything but Inherit changes it for every sender sharing that manager, so
// give each API its own manager when APIs use different proxies.
struct ProxyChoice {
    enum class Mode { Inherit, Direct, System, Manual };
    Mode mode = Mode::Inherit;
    QNetworkProxy manual;  // Mode::Manual: an HTTP or SOCKS5 proxy, credentials included
};

struct SendOptions {
    int timeoutMs = 30'000;      // inactivity: no byte sent or received for this long
    bool followRedirects = true;
    int maxRedirects = 10;
    qint64 inMemoryBodyLimit = 8 * 1024 * 1024;  // larger response bodies go to a temporary file
    bool decodeContent = true;                   // undo gzip/deflate Content-Encoding
    // Bounds on a decoded body: past them the exchange ends (ResponseTooLarge)
    // with the body decoded so far.
    DecodeLimits decodeLimits;
    TlsOptions tls;
    ProxyChoice proxy;
};

// Sends one HttpRequest at a time and records everything about it. Redirects
// are followed here (not by Qt) so each hop is recorded with its own request,
// status and headers. Every header that goes on the wire is set explicitly,
// so the recorded request is the one sent. Never blocks: results arrive by signal.
class ExchangeSender : public QObject {
    Q_OBJECT
public:
    // `network` is not owned and must outlive the sender.
    explicit ExchangeSender(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ExchangeSender() override;

    // Cookies are read from and stored into `jar` (not owned; null = none kept).
    void setCookieJar(QNetworkCookieJar *jar) { m_cookieJar = jar; }
    // Applies credentials before sending and on 401 (not owned; null = none).
    void setAuthenticator(RequestAuthenticator *authenticator) { m_authenticator = authenticator; }

    // Starts sending; `finished` follows exactly once. A send while one runs is refused.
    // `secrets` are those the request already carries (secret environment
    // variables): they start the exchange's `secrets`, so they are redacted and
    // withheld from other origins like the authenticator's.
    bool send(const HttpRequest &request, const SendOptions &options = SendOptions(), const QList<SecretUse> &secrets = {});
    void cancel();
    bool isRunning() const { return m_running; }
    // The exchange so far (complete after `finished`).
    const Exchange &exchange() const { return m_exchange; }

    // The headers added to a request the user did not set, as they will be sent.
    static HeaderList defaultHeaders();
    // The request's headers completed with Host, defaults, cookies and Content-Length:
    // exactly the header block that goes on the wire for HTTP/1.1.
    static HeaderList wireHeaders(const HttpRequest &request, QNetworkCookieJar *jar);

Q_SIGNALS:
    void started();
    void hopFinished(int index, const portolan::http::Hop &hop);
    void downloadProgress(qint64 received, qint64 total);
    void uploadProgress(qint64 sent, qint64 total);
    void finished(const portolan::http::Exchange &exchange);

private:
    void startHop(const HttpRequest &request, const QList<Withheld> &withheld = {});
    void followRedirect(const Hop &hop);
    void answerUnauthorized(const Hop &hop);
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    void onTimeout();
    void recordTls(Hop &hop);
    void recordTimings(Hop &hop);
    void finish(TransportError error = TransportError::None, const QString &message = {});
    void appendBody(QByteArrayView decoded);
    bool ignoresTlsErrorsFor(const QUrl &url) const;
    void applyProxyChoice();
    void forgetConnectionsOnTlsChange();
    QString proxyFor(const QUrl &url) const;

    QNetworkAccessManager *m_network;            // not owned
    QPointer<QNetworkCookieJar> m_cookieJar;     // not owned
    RequestAuthenticator *m_authenticator = nullptr;  // not owned
    SendOptions m_options;
    Exchange m_exchange;
    HttpRequest m_current;
    QNetworkReply *m_reply = nullptr;            // owned while running; deleted later
    std::unique_ptr<ContentDecoder> m_decoder;
    QTimer m_inactivity;
    QElapsedTimer m_hopClock;
    bool m_running = false;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_retriedAuthentication = false;
    quint64 m_generation = 0;  // tells late authenticator callbacks they are stale
    QStringList m_sslErrors;
    struct Moments {
        // Microseconds from the start of the hop; -1 = Qt did not report it.
        // `headers` is when the response head was parsed: the first-byte moment Qt exposes.
        qint64 connecting = -1, encrypted = -1, sent = -1, headers = -1, done = -1;
    } m_moments;
};

} // namespace portolan::http
