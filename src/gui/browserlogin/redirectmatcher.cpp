#include "redirectmatcher.h"

namespace portolan::gui {

namespace {
int defaultPort(const QString &scheme)
{
    if (scheme == QLatin1String("http"))
        return 80;
    if (scheme == QLatin1String("https"))
        return 443;
    return -1;
}

QString normalizedPath(const QUrl &url)
{
    const QString path = url.path(QUrl::FullyDecoded);
    return path.isEmpty() ? QStringLiteral("/") : path;
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

} // namespace portolan::gui
