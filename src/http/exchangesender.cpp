#include "exchangesender.h"

#include "bodydevice.h"
#include "contentdecoder.h"
#include "crossorigin.h"
#include "requestauthenticator.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QHostInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QTemporaryFile>
#include <QUuid>

#ifndef PORTOLAN_VERSION
#define PORTOLAN_VERSION "0"
#endif

namespace portolan::http {

namespace {

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';  // IPv6 literal
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    return host;
}

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLSv1.3");
    case QSsl::DtlsV1_2: return QStringLiteral("DTLSv1.2");
    default: return QStringLiteral("TLS (version %1)").arg(int(protocol));
    }
}

QByteArray colonHex(const QByteArray &bytes)
{
    return bytes.toHex(':').toUpper();
}

QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    static const std::pair<QSslCertificate::SubjectInfo, const char *> attributes[] = {
        {QSslCertificate::CommonName, "CN"},         {QSslCertificate::OrganizationalUnitName, "OU"},
        {QSslCertificate::Organization, "O"},        {QSslCertificate::LocalityName, "L"},
        {QSslCertificate::StateOrProvinceName, "ST"}, {QSslCertificate::CountryName, "C"}};
    QStringList parts;
    for (const auto &[attribute, key] : attributes) {
        const QStringList values = issuer ? certificate.issuerInfo(attribute) : certificate.subjectInfo(attribute);
        for (const QString &value : values)
            parts.append(QLatin1String(key) + QLatin1Char('=') + value);
    }
    return parts.join(QStringLiteral(", "));
}

CertificateInfo certificateInfo(const QSslCertificate &certificate)
{
    CertificateInfo info;
    info.subject = distinguishedName(certificate, false);
    info.issuer = distinguishedName(certificate, true);
    info.notBefore = certificate.effectiveDate();
    info.notAfter = certificate.expiryDate();
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.begin(); it != alternatives.end(); ++it)
        info.subjectAlternativeNames.append((it.key() == QSsl::DnsEntry         ? QStringLiteral("DNS:")
                                             : it.key() == QSsl::IpAddressEntry ? QStringLiteral("IP:")
                                                                                : QStringLiteral("email:"))
                                            + it.value());
    info.sha256Fingerprint = colonHex(certificate.digest(QCryptographicHash::Sha256));
    info.serialNumber = certificate.serialNumber();
    return info;
}

// Headers Qt would add by itself when absent; setting them ourselves means the
// recorded request is the sent one.
QByteArray acceptLanguage()
{
    const QStringList languages = QLocale::system().uiLanguages();
    const QString first = languages.isEmpty() || languages.first() == QLatin1String("C") ? QStringLiteral("en")
                                                                                          : languages.first();
    return first.toLatin1() + ",*";
}

bool isTransportFailure(QNetworkReply::NetworkError error, bool responseReceived)
{
    // Without a response any error is a transport failure. With one, Qt still
    // reports 4xx/5xx as content, protocol or server errors: those are normal
    // HTTP answers. Only connection and proxy errors (below 200) then mean the
    // response was cut short.
    if (!responseReceived)
        return error != QNetworkReply::NoError;
    return error > QNetworkReply::NoError && error < 200;
}

} // namespace

ExchangeSender::ExchangeSender(QNetworkAccessManager *network, QObject *parent) : QObject(parent), m_network(network)
{
    m_inactivity.setSingleShot(true);
    connect(&m_inactivity, &QTimer::timeout, this, &ExchangeSender::onTimeout);
}

ExchangeSender::~ExchangeSender()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

HeaderList ExchangeSender::defaultHeaders()
{
    // Made once, on the first send, rather than asking the system locale for every request.
    static const HeaderList headers{
        {"User-Agent", QByteArray("Portolan/") + PORTOLAN_VERSION},
        {"Accept", "*/*"},
        {"Accept-Encoding", "gzip, deflate"},
        {"Accept-Language", acceptLanguage()},
        {"Connection", "keep-alive"},
    };
    return headers;
}

HeaderList ExchangeSender::wireHeaders(const HttpRequest &request, QNetworkCookieJar *jar)
{
    // Qt sends one line per name, so repeated names are joined as HTTP allows.
    HeaderList headers;
    for (const HeaderField &h : request.headers) {
        if (hasHeader(headers, h.name)) {
            const QByteArray separator = h.name.compare("cookie", Qt::CaseInsensitive) == 0 ? "; " : ", ";
            setHeader(headers, h.name, headerValue(headers, h.name) + separator + h.value);
        } else {
            headers.append(h);
        }
    }
    if (!hasHeader(headers, "Host"))
        headers.prepend({"Host", hostHeader(request.url)});
    for (const HeaderField &d : defaultHeaders()) {
        if (!hasHeader(headers, d.name))
            headers.append(d);
    }
    if (jar) {
        QByteArray fromJar;
        for (const QNetworkCookie &cookie : jar->cookiesForUrl(request.url))
            fromJar += (fromJar.isEmpty() ? "" : "; ") + cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
        if (!fromJar.isEmpty()) {
            const QByteArray own = headerValue(headers, "Cookie");
            setHeader(headers, "Cookie", own.isEmpty() ? fromJar : own + "; " + fromJar);
        }
    }
    // Like curl, no Content-Length without a body, whatever the method.
    const qint64 size = request.body.size();
    if (size > 0)
        setHeader(headers, "Content-Length", QByteArray::number(size));
    return headers;
}

bool ExchangeSender::send(const HttpRequest &request, const SendOptions &options, const QList<SecretUse> &secrets)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancelled = m_timedOut = m_retriedAuthentication = false;
    ++m_generation;
    m_options = options;
    m_exchange = Exchange();
    m_exchange.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_exchange.startedAt = QDateTime::currentDateTimeUtc();
    m_exchange.original = request;
    m_exchange.secrets = secrets;
    m_exchange.tlsErrorsIgnoredForHosts = options.tls.ignoreErrorsForHosts;
    applyProxyChoice();
    Q_EMIT started();

    const QString scheme = request.url.scheme();
    if (!request.url.isValid() || request.url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        // Finish from the event loop so that `finished` always comes after send() returns.
        QTimer::singleShot(0, this, [this, url = request.url] {
            finish(TransportError::InvalidRequest,
                   QStringLiteral("'%1' is not an http or https URL with a host").arg(url.toString()));
        });
        return true;
    }
    if (!m_authenticator) {
        startHop(request);
        return true;
    }
    const quint64 generation = m_generation;
    QPointer<ExchangeSender> self(this);
    m_authenticator->authenticate(request, [self, generation](AuthenticationResult result) {
        if (!self || self->m_generation != generation || !self->m_running)
            return;  // cancelled or superseded meanwhile
        if (!result.ok) {
            self->finish(TransportError::Authentication, result.error);
            return;
        }
        self->m_exchange.secrets += result.secrets;
        self->startHop(result.request);
    });
    return true;
}

void ExchangeSender::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();  // onReplyFinished records the cancellation
    else
        finish(TransportError::Cancelled, QStringLiteral("cancelled"));
}

namespace {
// Asks the operating system (environment variables, desktop settings) which
// proxy a URL takes. Asking costs more than a whole loopback request (libproxy
// runs a thread of its own), so each answer is kept per scheme, host and port
// for a while; the network thread queries too, hence the lock.
class SystemProxyFactory : public QNetworkProxyFactory {
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        const QString key = query.protocolTag() + QLatin1Char(' ') + query.peerHostName() + QLatin1Char(':')
                            + QString::number(query.peerPort());
        QMutexLocker lock(&m_mutex);
        const auto cached = m_answers.constFind(key);
        if (cached != m_answers.constEnd() && !cached->expiry.hasExpired())
            return cached->proxies;
        lock.unlock();
        const QList<QNetworkProxy> proxies = systemProxyForQuery(query);
        lock.relock();
        m_answers.insert(key, {proxies, QDeadlineTimer(30'000)});
        return proxies;
    }

private:
    struct Answer {
        QList<QNetworkProxy> proxies;
        QDeadlineTimer expiry;
    };
    QMutex m_mutex;
    QHash<QString, Answer> m_answers;
};
} // namespace

void ExchangeSender::applyProxyChoice()
{
    switch (m_options.proxy.mode) {
    case ProxyChoice::Mode::Inherit:
        break;
    case ProxyChoice::Mode::Direct:
        m_network->setProxyFactory(nullptr);
        m_network->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        break;
    case ProxyChoice::Mode::System:
        m_network->setProxyFactory(new SystemProxyFactory);  // the manager takes ownership
        break;
    case ProxyChoice::Mode::Manual:
        m_network->setProxyFactory(nullptr);
        m_network->setProxy(m_options.proxy.manual);
        break;
    }
}

QString ExchangeSender::proxyFor(const QUrl &url) const
{
    QNetworkProxy proxy = m_network->proxyFactory() ? m_network->proxyFactory()->queryProxy(QNetworkProxyQuery(url)).value(0)
                                                    : m_network->proxy();
    // As the manager asks for this URL: loopback goes direct without asking
    // the system (applicationProxy() would ask libproxy on every send).
    if (proxy.type() == QNetworkProxy::DefaultProxy)
        proxy = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url)).value(0);
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy:
        return QStringLiteral("http://%1:%2").arg(proxy.hostName()).arg(proxy.port());
    case QNetworkProxy::Socks5Proxy:
        return QStringLiteral("socks5://%1:%2").arg(proxy.hostName()).arg(proxy.port());
    default:
        return QStringLiteral("direct");
    }
}

void ExchangeSender::forgetConnectionsOnTlsChange()
{
    // Qt reuses an open connection to a host whatever TLS settings a later
    // request carries, so a new client certificate or CA would go unused.
    // When they differ from the last send on this manager, start afresh.
    QCryptographicHash key(QCryptographicHash::Sha256);
    if (m_options.tls.clientIdentity)
        for (const QSslCertificate &certificate : m_options.tls.clientIdentity->certificates)
            key.addData(certificate.digest(QCryptographicHash::Sha256));
    for (const QSslCertificate &ca : m_options.tls.extraCaCertificates)
        key.addData(ca.digest(QCryptographicHash::Sha256));
    static const char kProperty[] = "portolanTlsSettings";
    if (m_network->property(kProperty).toByteArray() != key.result()) {
        if (m_network->property(kProperty).isValid())
            m_network->clearConnectionCache();
        m_network->setProperty(kProperty, key.result());
    }
}

bool ExchangeSender::ignoresTlsErrorsFor(const QUrl &url) const
{
    const QString host = url.host();
    const QString hostPort = host + QLatin1Char(':') + QString::number(url.port(443));
    return m_options.tls.ignoreErrorsForHosts.contains(host, Qt::CaseInsensitive)
        || m_options.tls.ignoreErrorsForHosts.contains(hostPort, Qt::CaseInsensitive);
}

void ExchangeSender::startHop(const HttpRequest &request, const QList<Withheld> &withheld)
{
    m_current = request;
    Hop hop;
    hop.withheld = withheld;
    hop.request.method = request.method;
    hop.request.url = request.url;
    hop.request.headers = wireHeaders(request, m_cookieJar);
    hop.request.body = request.body;
    hop.request.bodySize = qMax<qint64>(0, request.body.size());
    hop.request.httpVersion = "HTTP/1.1";
    hop.proxy = proxyFor(request.url);
    // Through a proxy the proxy resolves the host: no address of ours to show.
    const bool direct = hop.proxy == QLatin1String("direct");
    if (direct && QHostAddress(request.url.host()).isNull()) {
        // Qt resolves through the same cached lookup, so this is the address it connects to.
        QHostInfo::lookupHost(request.url.host(), this,
                              [this, generation = m_generation, index = m_exchange.hops.size()](const QHostInfo &info) {
                                  if (generation == m_generation && index < m_exchange.hops.size() && !info.addresses().isEmpty())
                                      m_exchange.hops[index].response.remoteAddress = info.addresses().first().toString();
                              });
    } else if (direct) {
        hop.response.remoteAddress = request.url.host();
    }
    m_exchange.hops.append(hop);

    QNetworkRequest qRequest(request.url);
    qRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    qRequest.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    qRequest.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    qRequest.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    qRequest.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    qRequest.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    for (const HeaderField &h : hop.request.headers)
        qRequest.setRawHeader(h.name, h.value);
    if (request.url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_options.tls.extraCaCertificates.isEmpty())
            tls.addCaCertificates(m_options.tls.extraCaCertificates);
        if (m_options.tls.clientIdentity) {
            tls.setLocalCertificateChain(m_options.tls.clientIdentity->certificates);
            tls.setPrivateKey(m_options.tls.clientIdentity->key);
        }
        qRequest.setSslConfiguration(tls);
        forgetConnectionsOnTlsChange();
        // Qt reuses connections per host, port and verify name: giving requests
        // that ignore TLS errors their own verify name keeps their connections
        // apart from verified ones, so the choice never leaks to other sends.
        if (ignoresTlsErrorsFor(request.url))
            qRequest.setPeerVerifyName(request.url.host());
    }

    BodyDevice *body = nullptr;
    if (!request.body.isEmpty()) {
        body = new BodyDevice(request.body);  // parented to the reply below
        body->open(QIODevice::ReadOnly);
    }
    m_moments = Moments();
    m_sslErrors.clear();
    m_decoder.reset();
    m_hopClock.start();
    m_reply = m_network->sendCustomRequest(qRequest, request.method, body);
    if (body)
        body->setParent(m_reply);
    m_reply->setReadBufferSize(1024 * 1024);  // back-pressure: a huge body never piles up in Qt
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this] { m_moments.connecting = m_hopClock.nsecsElapsed() / 1000; });
    connect(reply, &QNetworkReply::encrypted, this, [this] { m_moments.encrypted = m_hopClock.nsecsElapsed() / 1000; });
    connect(reply, &QNetworkReply::requestSent, this, [this] {
        m_moments.sent = m_hopClock.nsecsElapsed() / 1000;
        m_inactivity.start();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, &ExchangeSender::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &ExchangeSender::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ExchangeSender::onReplyFinished);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        m_inactivity.start();
        Q_EMIT uploadProgress(sent, total);
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        m_inactivity.start();
        Q_EMIT downloadProgress(received, total);
    });
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_sslErrors.append(e.errorString());
        if (ignoresTlsErrorsFor(reply->url()))
            reply->ignoreSslErrors();
    });
    m_inactivity.start(m_options.timeoutMs);
}

void ExchangeSender::onMetaData()
{
    if (m_moments.headers < 0)
        m_moments.headers = m_hopClock.nsecsElapsed() / 1000;
    if (m_options.decodeContent && !m_decoder)  // metaDataChanged may come more than once
        m_decoder = std::make_unique<ContentDecoder>(m_reply->rawHeader("Content-Encoding"), m_options.decodeLimits);
}

void ExchangeSender::onReadyRead()
{
    const QByteArray data = m_reply->readAll();
    ResponseBody &body = m_exchange.hops.last().response.body;
    body.wireSize += data.size();
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (isRedirect(status) && m_options.followRedirects && m_reply->hasRawHeader("Location"))
        return;  // a redirect that is followed: its body is not shown, only its size kept
    if (!m_decoder)
        return appendBody(data);
    m_decoder->feed(data, [this](QByteArrayView decoded) { appendBody(decoded); });
    if (m_decoder->limitExceeded() && m_reply && m_reply->isRunning())
        m_reply->abort();  // onReplyFinished ends the exchange with the decoder's error
}

void ExchangeSender::appendBody(QByteArrayView decoded)
{
    ResponseBody &body = m_exchange.hops.last().response.body;
    body.decodedSize += decoded.size();
    if (!body.file && body.bytes.size() + decoded.size() > m_options.inMemoryBodyLimit) {
        auto file = std::make_shared<QTemporaryFile>();
        if (file->open()) {
            file->write(body.bytes);
            body.bytes.clear();
            body.file = file;
        }
    }
    if (body.file)
        body.file->write(decoded.data(), decoded.size());
    else
        body.bytes.append(decoded);
}

void ExchangeSender::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort();
}

void ExchangeSender::recordTls(Hop &hop)
{
    if (hop.request.url.scheme() != QLatin1String("https"))
        return;
    hop.tls.used = true;
    hop.tls.verificationErrors = m_sslErrors;
    hop.tls.errorsIgnoredByChoice = ignoresTlsErrorsFor(hop.request.url);
    const QSslConfiguration tls = m_reply->sslConfiguration();
    if (!tls.sessionCipher().isNull()) {
        hop.tls.protocol = protocolName(tls.sessionProtocol());
        hop.tls.cipher = tls.sessionCipher().name();
    }
    for (const QSslCertificate &c : tls.peerCertificateChain())
        hop.tls.peerChain.append(certificateInfo(c));
    if (hop.tls.peerChain.isEmpty() && !tls.peerCertificate().isNull())
        hop.tls.peerChain.append(certificateInfo(tls.peerCertificate()));
    hop.tls.clientCertificateSent = m_options.tls.clientIdentity && !tls.sessionCipher().isNull();
    if (hop.tls.clientCertificateSent)
        hop.tls.clientCertificateSubject = certificateInfo(m_options.tls.clientIdentity->leaf()).subject;
}

void ExchangeSender::recordTimings(Hop &hop)
{
    const Moments &m = m_moments;
    Timings &t = hop.timings;
    t.totalUs = m.done;
    auto add = [&t](const QString &name, qint64 from, qint64 to) {
        if (from >= 0 && to >= from)
            t.phases.append({name, from, to - from});
    };
    const bool tls = hop.request.url.scheme() == QLatin1String("https");
    if (m.connecting >= 0) {
        add(QStringLiteral("queued"), 0, m.connecting);
        if (tls && m.encrypted >= 0) {
            add(QStringLiteral("connect + TLS handshake"), m.connecting, m.encrypted);
            add(QStringLiteral("send request"), m.encrypted, m.sent);
            t.unavailable.append(QStringLiteral("TCP connect and TLS handshake separately: Qt reports no moment between them"));
        } else {
            add(QStringLiteral("connect + send request"), m.connecting, m.sent);
            t.unavailable.append(QStringLiteral("connect separately: Qt reports no moment between connecting and sending"));
        }
    } else {
        t.connectionReused = m.sent >= 0;
        add(QStringLiteral("queued + send request"), 0, m.sent);
        if (t.connectionReused)
            t.unavailable.append(QStringLiteral("connect and TLS: an open connection was reused"));
    }
    if (QHostAddress(hop.request.url.host()).isNull())
        t.unavailable.append(QStringLiteral("DNS lookup separately: Qt reports no moment for it; it is inside the first phase"));
    add(QStringLiteral("wait (time to first byte)"), m.sent, m.headers);
    add(QStringLiteral("download"), m.headers, m.done);
}

void ExchangeSender::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    m_inactivity.stop();
    m_moments.done = m_hopClock.nsecsElapsed() / 1000;
    if (reply->bytesAvailable() > 0)
        onReadyRead();
    Hop &hop = m_exchange.hops.last();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    hop.responseReceived = statusAttribute.isValid();
    ReceivedResponse &response = hop.response;
    if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()) {
        hop.request.httpVersion = "HTTP/2";
        // On HTTP/2 Qt turns Host into :authority and drops connection-specific headers.
        HeaderList h2{{":method", hop.request.method}, {":scheme", hop.request.url.scheme().toLatin1()},
                      {":authority", headerValue(hop.request.headers, "Host")},
                      {":path", hop.request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment)}};
        static const QList<QByteArray> dropped{"host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};
        for (const HeaderField &f : hop.request.headers) {
            if (!dropped.contains(f.name.toLower()))
                h2.append({f.name.toLower(), f.value});
        }
        hop.request.headers = h2;
    }
    if (hop.responseReceived) {
        response.status = statusAttribute.toInt();
        response.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        // Qt does not say whether an HTTP/1 server answered 1.0 or 1.1: claim no more than "1.x".
        response.httpVersion = hop.request.httpVersion == "HTTP/2" ? QByteArray("HTTP/2") : QByteArray("HTTP/1.x");
        for (const auto &[name, value] : reply->rawHeaderPairs()) {
            // Qt joins repeated Set-Cookie lines with newlines; give each its own field again.
            const QList<QByteArray> values = name.compare("set-cookie", Qt::CaseInsensitive) == 0 ? value.split('\n') : QList<QByteArray>{value};
            for (const QByteArray &v : values)
                response.headers.append({name, v});
        }
        if (m_decoder && m_decoder->decodes())
            response.contentEncoding = QString::fromLatin1(reply->rawHeader("Content-Encoding"));
        if (m_cookieJar) {
            for (const QByteArray &setCookie : headerValues(response.headers, "Set-Cookie"))
                m_cookieJar->setCookiesFromUrl(QNetworkCookie::parseCookies(setCookie), hop.request.url);
        }
        if (response.body.file)
            response.body.file->flush();
    }
    recordTls(hop);
    recordTimings(hop);
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorString = reply->errorString();
    m_reply = nullptr;
    reply->deleteLater();
    Q_EMIT hopFinished(int(m_exchange.hops.size() - 1), hop);

    const QString where = hop.request.url.host() + QLatin1Char(':')
        + QString::number(hop.request.url.port(hop.request.url.scheme() == QLatin1String("https") ? 443 : 80));
    if (m_timedOut)
        return finish(TransportError::Timeout, QStringLiteral("no data from %1 for %2 s: timed out").arg(where).arg(m_options.timeoutMs / 1000.0));
    if (m_cancelled)
        return finish(TransportError::Cancelled, QStringLiteral("cancelled"));
    if (m_decoder && m_decoder->limitExceeded())
        return finish(TransportError::ResponseTooLarge, m_decoder->error());
    if (isTransportFailure(error, hop.responseReceived)) {
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            return finish(TransportError::ConnectionRefused, QStringLiteral("connection refused by %1: nothing accepts connections there").arg(where));
        case QNetworkReply::HostNotFoundError:
            return finish(TransportError::HostNotFound, QStringLiteral("host '%1' not found: the DNS lookup failed").arg(hop.request.url.host()));
        case QNetworkReply::RemoteHostClosedError:
            return finish(TransportError::ConnectionClosed,
                          hop.responseReceived
                              ? QStringLiteral("%1 closed the connection after %2 body bytes: the response is incomplete").arg(where).arg(response.body.wireSize)
                              : QStringLiteral("%1 closed the connection before sending a response").arg(where));
        case QNetworkReply::TimeoutError:
            return finish(TransportError::Timeout, QStringLiteral("%1 timed out").arg(where));
        case QNetworkReply::SslHandshakeFailedError:
            return finish(TransportError::Tls,
                          QStringLiteral("TLS handshake with %1 failed: %2%3")
                              .arg(where, m_sslErrors.isEmpty() ? errorString : m_sslErrors.join(QStringLiteral("; ")),
                                   m_sslErrors.isEmpty() ? QString() : QStringLiteral(". To trust this host anyway, choose to ignore TLS errors for %1.").arg(hop.request.url.host())));
        default:
            if (error >= QNetworkReply::ProxyConnectionRefusedError && error < QNetworkReply::ContentAccessDenied)
                return finish(TransportError::Proxy, QStringLiteral("proxy: %1").arg(errorString));
            return finish(TransportError::Other, errorString);
        }
    }
    // Qt ends a reply without error when the peer closes before Content-Length
    // bytes arrived; a cut-short body must not pass for a complete one.
    const bool expectsBody = hop.request.method != "HEAD" && response.status >= 200 && response.status != 204
        && response.status != 304;
    bool lengthKnown = false;
    const qint64 declaredLength = headerValue(response.headers, "Content-Length").toLongLong(&lengthKnown);
    if (hop.responseReceived && expectsBody && lengthKnown && response.body.wireSize < declaredLength) {
        return finish(TransportError::ConnectionClosed,
                      QStringLiteral("%1 closed the connection after %2 of %3 body bytes: the response is incomplete")
                          .arg(where).arg(response.body.wireSize).arg(declaredLength));
    }
    if (m_decoder && !m_decoder->error().isEmpty())
        return finish(TransportError::Other, m_decoder->error());

    if (m_options.followRedirects && isRedirect(response.status) && hasHeader(response.headers, "Location"))
        return followRedirect(hop);
    if ((response.status == 401 || response.status == 407) && m_authenticator && !m_retriedAuthentication)
        return answerUnauthorized(hop);
    finish();
}

void ExchangeSender::followRedirect(const Hop &hop)
{
    if (m_exchange.hops.size() > m_options.maxRedirects)
        return finish(TransportError::TooManyRedirects, QStringLiteral("more than %1 redirects").arg(m_options.maxRedirects));
    const QUrl location = QUrl::fromEncoded(headerValue(hop.response.headers, "Location"));
    HttpRequest next = m_current;
    next.url = hop.request.url.resolved(location);
    if (next.url.fragment().isNull() && !hop.request.url.fragment().isNull())
        next.url.setFragment(hop.request.url.fragment());
    // RFC 9110 15.4: 303 becomes GET; 301/302 after POST become GET as
    // every browser does; 307/308 repeat the method and body.
    const int status = hop.response.status;
    const bool toGet = (status == 303 && next.method != "HEAD") || ((status == 301 || status == 302) && next.method == "POST");
    if (toGet) {
        next.method = "GET";
        next.body = RequestBodyData();
        removeHeader(next.headers, "Content-Type");
        removeHeader(next.headers, "Content-Length");
    }
    removeHeader(next.headers, "Host");
    // Credentials belong to the origin of the request the user sent: whatever
    // authenticates is taken out before a redirect leaves it, and stays out.
    QList<Withheld> withheld;
    if (!sameOrigin(next.url, m_exchange.original.url)) {
        const CrossOriginRedirect crossing = withholdCredentials(&next, hop.request.url, m_exchange.secrets);
        if (!crossing.refusal.isEmpty())
            return finish(TransportError::None, crossing.refusal);
        withheld = crossing.withheld;
    }
    startHop(next, withheld);
}

void ExchangeSender::answerUnauthorized(const Hop &hop)
{
    // A challenge from another origin (reached by a redirect) is not answered
    // with this origin's credentials: no digest answer, no refresh, no DPoP retry.
    if (!sameOrigin(hop.request.url, m_exchange.original.url)) {
        return finish(TransportError::None,
                      QStringLiteral("%1 answered %2 after a redirect; the credentials are for %3 only, so the challenge was not answered")
                          .arg(originText(hop.request.url)).arg(hop.response.status).arg(originText(m_exchange.original.url)));
    }
    m_retriedAuthentication = true;
    const quint64 generation = m_generation;
    QPointer<ExchangeSender> self(this);
    m_authenticator->onUnauthorized(m_current, hop.request, hop.response, [self, generation](std::optional<AuthenticationResult> retry) {
        if (!self || self->m_generation != generation || !self->m_running)
            return;
        if (!retry || !retry->ok)
            return self->finish(TransportError::None, retry ? retry->error : QString());
        self->m_exchange.secrets += retry->secrets;
        self->startHop(retry->request);
    });
}

void ExchangeSender::finish(TransportError error, const QString &message)
{
    m_inactivity.stop();
    m_exchange.error = error;
    m_exchange.errorMessage = message;
    m_running = false;
    ++m_generation;
    Q_EMIT finished(m_exchange);
}

} // namespace portolan::http
