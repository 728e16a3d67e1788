#include "networkrecorder.h"

#include "redaction.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

namespace portolan::http {

namespace {

constexpr qint64 kMaxRecordedBodyBytes = 1024 * 1024;

bool isSecretName(const QString &name)
{
    static const QStringList names = {
        QStringLiteral("client_secret"), QStringLiteral("password"), QStringLiteral("code"), QStringLiteral("code_verifier"),
        QStringLiteral("client_assertion"), QStringLiteral("assertion"), QStringLiteral("token"), QStringLiteral("device_code"),
        QStringLiteral("subject_token"), QStringLiteral("actor_token")};
    return names.contains(name) || (name.endsWith(QLatin1String("_token")) && name != QLatin1String("token_type"));
}

void addSecret(QList<SecretUse> *secrets, const QString &name, const QByteArray &value)
{
    if (value.size() < 4)
        return;
    SecretUse use;
    use.location = SecretUse::Location::Query;
    use.name = name.toUtf8();
    use.value = value;
    secrets->append(use);
    const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(value));
    if (encoded != value) {  // how it appears in a form body or a URL
        use.value = encoded;
        secrets->append(use);
    }
}

void addFormSecrets(QList<SecretUse> *secrets, const QByteArray &form)
{
    QByteArray plusDecoded = form;
    plusDecoded.replace('+', ' ');
    const QUrlQuery query(QString::fromLatin1(plusDecoded));
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        if (isSecretName(item.first))
            addSecret(secrets, item.first, item.second.toUtf8());
}

void addJsonSecrets(QList<SecretUse> *secrets, const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isObject())
            addJsonSecrets(secrets, it.value().toObject());
        else if (it.value().isString() && isSecretName(it.key()))
            addSecret(secrets, it.key(), it.value().toString().toUtf8());
    }
}

HeaderList headersOf(const QList<QNetworkReply::RawHeaderPair> &pairs)
{
    HeaderList headers;
    for (const auto &pair : pairs)
        headers.append({pair.first, pair.second});
    return headers;
}

QByteArray methodName(QNetworkAccessManager::Operation operation, const QNetworkRequest &request)
{
    switch (operation) {
    case QNetworkAccessManager::HeadOperation: return "HEAD";
    case QNetworkAccessManager::GetOperation: return "GET";
    case QNetworkAccessManager::PutOperation: return "PUT";
    case QNetworkAccessManager::PostOperation: return "POST";
    case QNetworkAccessManager::DeleteOperation: return "DELETE";
    default: return request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray();
    }
}

} // namespace

NetworkRecorder::NetworkRecorder(QObject *parent)
    : QNetworkAccessManager(parent)
{
}

QList<SecretUse> NetworkRecorder::oauthSecrets(const Exchange &exchange)
{
    QList<SecretUse> secrets;
    for (const Hop &hop : exchange.hops) {
        addFormSecrets(&secrets, hop.request.url.query(QUrl::FullyEncoded).toUtf8());
        if (headerValue(hop.request.headers, "Content-Type").contains("x-www-form-urlencoded"))
            addFormSecrets(&secrets, hop.request.body.inMemoryBytes());
        const QByteArray body = hop.response.body.bytes.trimmed();
        if (body.startsWith('{'))
            addJsonSecrets(&secrets, QJsonDocument::fromJson(body).object());
        else if (headerValue(hop.response.headers, "Content-Type").contains("x-www-form-urlencoded"))
            addFormSecrets(&secrets, body);
    }
    return secrets;
}

QNetworkReply *NetworkRecorder::createRequest(Operation operation, const QNetworkRequest &request, QIODevice *outgoingData)
{
    auto exchange = std::make_shared<Exchange>();
    exchange->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    exchange->startedAt = QDateTime::currentDateTimeUtc();
    Hop hop;
    hop.request.method = methodName(operation, request);
    hop.request.url = request.url();
    for (const QByteArray &name : request.rawHeaderList())
        hop.request.headers.append({name, request.rawHeader(name)});
    const QByteArray contentType = request.header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (!contentType.isEmpty() && !hasHeader(hop.request.headers, "Content-Type"))
        hop.request.headers.append({"Content-Type", contentType});
    if (outgoingData && !outgoingData->isSequential()) {
        // Read and rewind: Qt then sends the same bytes.
        const qint64 position = outgoingData->pos();
        const QByteArray body = outgoingData->read(kMaxRecordedBodyBytes);
        outgoingData->seek(position);
        hop.request.body = RequestBodyData::fromBytes(body);
        hop.request.bodySize = outgoingData->size() - position;
    }
    hop.proxy = QStringLiteral("direct");
    exchange->hops.append(hop);

    QNetworkReply *reply = QNetworkAccessManager::createRequest(operation, request, outgoingData);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    // Connected before whoever made the request connects: the body is peeked before it is read.
    connect(reply, &QNetworkReply::finished, this, [this, reply, exchange, timer] {
        Hop &hop = exchange->hops.last();
        hop.request.httpVersion = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? "HTTP/2" : "HTTP/1.1";
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        hop.timings.totalUs = timer->nsecsElapsed() / 1000;
        hop.timings.unavailable << QStringLiteral("phases: the login trace measures only the total");
        if (status) {
            hop.responseReceived = true;
            hop.response.status = status;
            hop.response.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
            hop.response.httpVersion = hop.request.httpVersion;
            hop.response.headers = headersOf(reply->rawHeaderPairs());
            hop.response.body.bytes = reply->peek(qMin<qint64>(reply->bytesAvailable(), kMaxRecordedBodyBytes));
            hop.response.body.decodedSize = hop.response.body.bytes.size();
            hop.response.body.wireSize = hop.response.body.bytes.size();
        }
        if (reply->error() != QNetworkReply::NoError && !status) {
            exchange->error = reply->error() == QNetworkReply::OperationCanceledError ? TransportError::Cancelled : TransportError::Other;
            exchange->errorMessage = reply->errorString();
        }
        keep(*exchange);
    });
    return reply;
}

void NetworkRecorder::recordPageLoad(const PageLoad &load)
{
    Exchange exchange;
    exchange.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    exchange.startedAt = QDateTime::currentDateTimeUtc();
    Hop hop;
    hop.request.method = load.method;
    hop.request.url = load.url;
    hop.responseReceived = load.status > 0;
    hop.response.status = load.status;
    hop.response.body.decodedSize = -1;  // not reported: HAR's "unknown"
    hop.response.body.wireSize = -1;
    hop.timings.unavailable << QStringLiteral("timings: the embedded browser does not report them");
    exchange.hops.append(hop);
    exchange.error = load.failed ? TransportError::Other : TransportError::None;
    exchange.errorMessage = load.outcome;
    keep(exchange);
}

NetworkRecorder *NetworkRecorder::newConnectionPool(QObject *parent)
{
    auto *pool = new NetworkRecorder(parent);
    pool->m_keeper = this;
    return pool;
}

void NetworkRecorder::keep(Exchange exchange)
{
    if (m_keeper) {
        m_keeper->keep(std::move(exchange));
        return;
    }
    exchange.secrets += oauthSecrets(exchange);
    const Exchange safe = redacted(exchange);
    m_exchanges.append(safe);
    Q_EMIT exchangeRecorded(safe);
}

} // namespace portolan::http
