#include "exchange.h"

#include <QTemporaryFile>

namespace portolan::http {

QByteArray ResponseBody::read(qint64 limit) const
{
    if (!file)
        return limit < 0 ? bytes : bytes.left(limit);
    QFile in(file->fileName());
    if (!in.open(QIODevice::ReadOnly))
        return {};
    return limit < 0 ? in.readAll() : in.read(limit);
}

qint64 Timings::durationUs(const QString &phase) const
{
    for (const TimingPhase &p : phases) {
        if (p.name == phase)
            return p.durationUs;
    }
    return -1;
}

qint64 Exchange::totalUs() const
{
    qint64 total = 0;
    for (const Hop &hop : hops)
        total += qMax<qint64>(0, hop.timings.totalUs);
    return total;
}

QString transportErrorName(TransportError error)
{
    switch (error) {
    case TransportError::None: return QStringLiteral("none");
    case TransportError::InvalidRequest: return QStringLiteral("invalid request");
    case TransportError::ConnectionRefused: return QStringLiteral("connection refused");
    case TransportError::ConnectionClosed: return QStringLiteral("connection closed");
    case TransportError::HostNotFound: return QStringLiteral("host not found");
    case TransportError::Timeout: return QStringLiteral("timeout");
    case TransportError::Tls: return QStringLiteral("TLS");
    case TransportError::Proxy: return QStringLiteral("proxy");
    case TransportError::TooManyRedirects: return QStringLiteral("too many redirects");
    case TransportError::Authentication: return QStringLiteral("authentication");
    case TransportError::ResponseTooLarge: return QStringLiteral("response too large");
    case TransportError::Cancelled: return QStringLiteral("cancelled");
    case TransportError::Other: return QStringLiteral("network error");
    }
    return {};
}

} // namespace portolan::http
