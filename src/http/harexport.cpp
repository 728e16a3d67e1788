#include "harexport.h"

#include "redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QNetworkCookie>
#include <QUrlQuery>

#ifndef PORTOLAN_VERSION
#define PORTOLAN_VERSION "0"
#endif

namespace portolan::http {

namespace {

QJsonArray headersJson(const HeaderList &headers)
{
    QJsonArray out;
    for (const HeaderField &h : headers)
        out.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(h.name)},
                               {QStringLiteral("value"), QString::fromUtf8(h.value)}});
    return out;
}

QJsonArray queryJson(const QUrl &url)
{
    QJsonArray out;
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return out;
}

QJsonArray requestCookies(const HeaderList &headers)
{
    QJsonArray out;
    for (const QByteArray &header : headerValues(headers, "Cookie")) {
        for (const QByteArray &pair : header.split(';')) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0)
                out.append(QJsonObject{{QStringLiteral("name"), QString::fromUtf8(pair.left(eq).trimmed())},
                                       {QStringLiteral("value"), QString::fromUtf8(pair.mid(eq + 1).trimmed())}});
        }
    }
    return out;
}

QJsonArray responseCookies(const HeaderList &headers)
{
    QJsonArray out;
    for (const QByteArray &header : headerValues(headers, "Set-Cookie")) {
        for (const QNetworkCookie &c : QNetworkCookie::parseCookies(header)) {
            QJsonObject cookie{{QStringLiteral("name"), QString::fromUtf8(c.name())},
                               {QStringLiteral("value"), QString::fromUtf8(c.value())},
                               {QStringLiteral("httpOnly"), c.isHttpOnly()},
                               {QStringLiteral("secure"), c.isSecure()}};
            if (!c.path().isEmpty())
                cookie.insert(QStringLiteral("path"), c.path());
            if (!c.domain().isEmpty())
                cookie.insert(QStringLiteral("domain"), c.domain());
            if (c.expirationDate().isValid())
                cookie.insert(QStringLiteral("expires"), c.expirationDate().toString(Qt::ISODateWithMs));
            out.append(cookie);
        }
    }
    return out;
}

bool isText(const QByteArray &bytes)
{
    return !bytes.contains('\0') && QString::fromUtf8(bytes).toUtf8() == bytes;
}

// HAR `text` plus `encoding: base64` for binary content; cut at the limit.
void putText(QJsonObject &target, const QByteArray &bytes, qint64 fullSize, const HarOptions &options)
{
    const QByteArray kept = bytes.left(options.maxBodyBytes);
    if (isText(kept)) {
        target.insert(QStringLiteral("text"), QString::fromUtf8(kept));
    } else {
        target.insert(QStringLiteral("text"), QString::fromLatin1(kept.toBase64()));
        target.insert(QStringLiteral("encoding"), QStringLiteral("base64"));
    }
    if (fullSize > kept.size())
        target.insert(QStringLiteral("comment"), QStringLiteral("body cut to the first %1 of %2 bytes").arg(kept.size()).arg(fullSize));
}

double ms(qint64 us)
{
    return us < 0 ? -1.0 : double(us) / 1000.0;
}

QJsonObject timingsJson(const Timings &t)
{
    auto phase = [&](const char *name) { return t.durationUs(QString::fromLatin1(name)); };
    qint64 blocked = phase("queued"), connect = -1, ssl = -1, send = phase("send request");
    if (phase("connect + TLS handshake") >= 0) {
        connect = phase("connect + TLS handshake");  // HAR: connect includes ssl
    } else if (phase("connect + send request") >= 0) {
        connect = phase("connect + send request");
        send = 0;
    } else if (phase("queued + send request") >= 0) {
        send = phase("queued + send request");
    }
    QJsonObject json{{QStringLiteral("blocked"), ms(blocked)},
                     {QStringLiteral("dns"), -1},
                     {QStringLiteral("connect"), ms(connect)},
                     {QStringLiteral("ssl"), ms(ssl)},
                     {QStringLiteral("send"), qMax(0.0, ms(send))},
                     {QStringLiteral("wait"), qMax(0.0, ms(phase("wait (time to first byte)")))},
                     {QStringLiteral("receive"), qMax(0.0, ms(phase("download")))}};
    QStringList notes = t.unavailable;
    notes.prepend(QStringLiteral("dns: not reported by Qt"));
    json.insert(QStringLiteral("comment"), QStringLiteral("not measured: ") + notes.join(QStringLiteral("; ")));
    return json;
}

QJsonObject entryJson(const Exchange &exchange, const Hop &hop, bool last, const HarOptions &options)
{
    const SentRequest &rq = hop.request;
    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(rq.method)},
                        {QStringLiteral("url"), QString::fromUtf8(rq.url.toEncoded())},
                        {QStringLiteral("httpVersion"), QString::fromLatin1(rq.httpVersion)},
                        {QStringLiteral("cookies"), requestCookies(rq.headers)},
                        {QStringLiteral("headers"), headersJson(rq.headers)},
                        {QStringLiteral("queryString"), queryJson(rq.url)},
                        {QStringLiteral("headersSize"), -1},
                        {QStringLiteral("bodySize"), rq.body.isEmpty() ? 0 : rq.bodySize}};
    if (!rq.body.isEmpty()) {
        QJsonObject postData{{QStringLiteral("mimeType"), QString::fromLatin1(headerValue(rq.headers, "Content-Type"))}};
        if (rq.body.isInMemory()) {
            putText(postData, rq.body.inMemoryBytes(), rq.bodySize, options);
        } else {
            QStringList files;
            for (const BodySegment &s : rq.body.segments) {
                if (s.isFile())
                    files.append(s.filePath);
            }
            postData.insert(QStringLiteral("text"), QString());
            postData.insert(QStringLiteral("comment"), QStringLiteral("streamed from file(s): ") + files.join(QStringLiteral(", ")));
        }
        request.insert(QStringLiteral("postData"), postData);
    }

    const ReceivedResponse &rs = hop.response;
    QJsonObject content{{QStringLiteral("size"), rs.body.decodedSize},
                        {QStringLiteral("mimeType"), QString::fromLatin1(headerValue(rs.headers, "Content-Type"))}};
    if (rs.body.decodedSize > rs.body.wireSize && rs.body.wireSize > 0)
        content.insert(QStringLiteral("compression"), rs.body.decodedSize - rs.body.wireSize);
    if (last && hop.responseReceived) {
        const QByteArray body = rs.body.read(options.maxBodyBytes);
        putText(content, options.redactSecrets ? replaceSecrets(body, sentSecrets(exchange)) : body,
                rs.body.decodedSize, options);
    }
    QJsonObject response{{QStringLiteral("status"), rs.status},
                         {QStringLiteral("statusText"), QString::fromLatin1(rs.reason)},
                         {QStringLiteral("httpVersion"), QString::fromLatin1(rs.httpVersion)},
                         {QStringLiteral("cookies"), responseCookies(rs.headers)},
                         {QStringLiteral("headers"), headersJson(rs.headers)},
                         {QStringLiteral("content"), content},
                         {QStringLiteral("redirectURL"), QString::fromUtf8(headerValue(rs.headers, "Location"))},
                         {QStringLiteral("headersSize"), -1},
                         {QStringLiteral("bodySize"), hop.responseReceived ? rs.body.wireSize : -1}};
    if (!hop.responseReceived)
        response.insert(QStringLiteral("_error"), exchange.errorMessage);

    QJsonObject entry{{QStringLiteral("startedDateTime"), exchange.startedAt.toString(Qt::ISODateWithMs)},
                      {QStringLiteral("time"), ms(qMax<qint64>(0, hop.timings.totalUs))},
                      {QStringLiteral("request"), request},
                      {QStringLiteral("response"), response},
                      {QStringLiteral("cache"), QJsonObject()},
                      {QStringLiteral("timings"), timingsJson(hop.timings)}};
    if (!rs.remoteAddress.isEmpty())
        entry.insert(QStringLiteral("serverIPAddress"), rs.remoteAddress);
    if (!hop.withheld.isEmpty()) {
        QJsonArray withheld;
        for (const Withheld &w : hop.withheld)
            withheld.append(QJsonObject{{QStringLiteral("what"), w.what}, {QStringLiteral("reason"), w.reason}});
        entry.insert(QStringLiteral("_withheld"), withheld);
    }
    if (hop.tls.used) {
        QJsonArray chain;
        for (const CertificateInfo &c : hop.tls.peerChain)
            chain.append(QJsonObject{{QStringLiteral("subject"), c.subject},
                                     {QStringLiteral("issuer"), c.issuer},
                                     {QStringLiteral("sha256"), QString::fromLatin1(c.sha256Fingerprint)}});
        entry.insert(QStringLiteral("_tls"), QJsonObject{{QStringLiteral("protocol"), hop.tls.protocol},
                                                        {QStringLiteral("cipher"), hop.tls.cipher},
                                                        {QStringLiteral("errors"), QJsonArray::fromStringList(hop.tls.verificationErrors)},
                                                        {QStringLiteral("errorsIgnoredByChoice"), hop.tls.errorsIgnoredByChoice},
                                                        {QStringLiteral("peerChain"), chain}});
    }
    return entry;
}

} // namespace

QJsonArray harEntries(const Exchange &exchange, const HarOptions &options)
{
    const Exchange shown = options.redactSecrets ? redacted(exchange) : exchange;
    QJsonArray entries;
    for (qsizetype i = 0; i < shown.hops.size(); ++i) {
        QJsonObject entry = entryJson(exchange, shown.hops[i], i == shown.hops.size() - 1, options);
        if (!options.redactSecrets)
            entry.insert(QStringLiteral("comment"), QStringLiteral("contains secrets: exported without redaction by choice"));
        entries.append(entry);
    }
    return entries;
}

QJsonObject toHar(const QList<Exchange> &exchanges, const HarOptions &options)
{
    QJsonArray entries;
    for (const Exchange &exchange : exchanges) {
        for (const QJsonValue &entry : harEntries(exchange, options))
            entries.append(entry);
    }
    const QJsonObject log{{QStringLiteral("version"), QStringLiteral("1.2")},
                          {QStringLiteral("creator"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Portolan")},
                                                                  {QStringLiteral("version"), QStringLiteral(PORTOLAN_VERSION)}}},
                          {QStringLiteral("entries"), entries}};
    return QJsonObject{{QStringLiteral("log"), log}};
}

bool writeHarFile(const QString &path, const QList<Exchange> &exchanges, QString *error, const HarOptions &options)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(toHar(exchanges, options)).toJson(QJsonDocument::Indented)) < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace portolan::http
