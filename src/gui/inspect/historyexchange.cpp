#include "historyexchange.h"

#include <QJsonObject>

namespace portolan::gui {

namespace {

http::HeaderList headersFromHar(const QJsonValue &value)
{
    http::HeaderList headers;
    for (const QJsonValue &header : value.toArray()) {
        const QJsonObject object = header.toObject();
        headers.append({object.value(QLatin1String("name")).toString().toLatin1(),
                        object.value(QLatin1String("value")).toString().toUtf8()});
    }
    return headers;
}

QByteArray contentFromHar(const QJsonObject &content)
{
    const QString text = content.value(QLatin1String("text")).toString();
    return content.value(QLatin1String("encoding")).toString() == QLatin1String("base64")
        ? QByteArray::fromBase64(text.toLatin1())
        : text.toUtf8();
}

} // namespace

http::Exchange exchangeFromHistory(const http::HistoryEntry &entry)
{
    http::Exchange exchange;
    exchange.id = entry.id;
    exchange.startedAt = entry.startedAt;
    exchange.operationId = entry.operationId;
    exchange.original = entry.request;
    for (const QJsonValue &value : entry.har) {
        const QJsonObject har = value.toObject();
        const QJsonObject request = har.value(QLatin1String("request")).toObject();
        const QJsonObject response = har.value(QLatin1String("response")).toObject();
        http::Hop hop;
        hop.request.method = request.value(QLatin1String("method")).toString().toLatin1();
        hop.request.url = QUrl::fromEncoded(request.value(QLatin1String("url")).toString().toUtf8());
        hop.request.httpVersion = request.value(QLatin1String("httpVersion")).toString().toLatin1();
        hop.request.headers = headersFromHar(request.value(QLatin1String("headers")));
        const QByteArray sent = request.value(QLatin1String("postData")).toObject().value(QLatin1String("text")).toString().toUtf8();
        if (!sent.isEmpty())
            hop.request.body.segments.append({sent, {}});
        hop.request.bodySize = qMax(0, request.value(QLatin1String("bodySize")).toInt());
        hop.response.status = response.value(QLatin1String("status")).toInt();
        hop.response.reason = response.value(QLatin1String("statusText")).toString().toLatin1();
        hop.response.httpVersion = response.value(QLatin1String("httpVersion")).toString().toLatin1();
        hop.response.headers = headersFromHar(response.value(QLatin1String("headers")));
        const QJsonObject content = response.value(QLatin1String("content")).toObject();
        hop.response.body.bytes = contentFromHar(content);
        hop.response.body.decodedSize = content.value(QLatin1String("size")).toInteger(hop.response.body.bytes.size());
        hop.response.body.wireSize = response.value(QLatin1String("bodySize")).toInteger();
        hop.response.remoteAddress = har.value(QLatin1String("serverIPAddress")).toString();
        hop.responseReceived = hop.response.status > 0;
        hop.timings.totalUs = qint64(har.value(QLatin1String("time")).toDouble() * 1000.0);
        for (const QJsonValue &w : har.value(QLatin1String("_withheld")).toArray())
            hop.withheld.append({w[QLatin1String("what")].toString(), w[QLatin1String("reason")].toString()});
        exchange.hops.append(hop);
    }
    if (!entry.error.isEmpty() && (exchange.hops.isEmpty() || !exchange.hops.last().responseReceived)) {
        exchange.error = http::TransportError::Other;
        exchange.errorMessage = entry.error;
    }
    return exchange;
}

} // namespace portolan::gui
