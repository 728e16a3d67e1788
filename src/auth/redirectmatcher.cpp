#include "redirectmatcher.h"

namespace portolan::auth {

namespace {
int defaultPort(const QString &scheme)
{
    if (scheme == QLatin1String("http"))
        return 80;
    if (scheme == QLatin1String("https"))
        return 443;
    return -1;
}

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

// RFC 3986 §6.2.2.1-2: %7e and %7E and ~ are one path; %2F is not '/'.
QByteArray normalizedPath(const QUrl &url)
{
    const QByteArray encoded = url.path(QUrl::FullyEncoded).toLatin1();
    QByteArray path;
    path.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%' && i + 2 < encoded.size()) {
            const QByteArray hex = encoded.mid(i + 1, 2).toUpper();
            bool ok = false;
            const char decoded = char(hex.toInt(&ok, 16));
            if (ok) {
                path += isUnreserved(decoded) ? QByteArray(1, decoded) : '%' + hex;
                i += 2;
                continue;
            }
        }
        path += encoded[i];
    }
    return path.isEmpty() ? QByteArrayLiteral("/") : path;
}
} // namespace

bool matchesRedirectUri(const QUrl &candidate, const QUrl &redirectUri)
{
    if (!candidate.isValid() || !redirectUri.isValid())
        return false;
    const QString scheme = redirectUri.scheme().toLower();
    if (candidate.scheme().toLower() != scheme)
        return false;
    if (candidate.host().toLower() != redirectUri.host().toLower())
        return false;
    const int port = defaultPort(scheme);
    if (candidate.port(port) != redirectUri.port(port))
        return false;
    return normalizedPath(candidate) == normalizedPath(redirectUri);
}

} // namespace portolan::auth
