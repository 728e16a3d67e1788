#include "urlpolicy.h"

#include <QHostAddress>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace portolan::auth {

namespace {
bool isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}
} // namespace

bool endpointTransportAllowed(const QUrl &url, const QStringList &allowedHttpHosts, const QString &what, QString *error)
{
    if (url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0 || isLoopback(url.host()))
        return true;
    for (const QString &allowed : allowedHttpHosts)
        if (allowed.compare(url.host(), Qt::CaseInsensitive) == 0)
            return true;
    *error = QStringLiteral("the %1 %2 uses plain http to %3, where anyone on the way can read or change it; "
                            "use https, or allow plain http for %3 if this is a test server")
                 .arg(what, url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment), url.host());
    return false;
}

void refuseRedirects(QNetworkRequest *request)
{
    request->setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
}

QString redirectRefusal(QNetworkReply *reply, const QString &what)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status < 300 || status > 399 || !reply->hasRawHeader("Location"))
        return {};
    const QUrl target = reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
    return QStringLiteral("%1 %2 answered HTTP %3 redirecting to %4; redirects from this endpoint are not followed, "
                          "so nothing was sent there")
        .arg(what, reply->url().toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo))
        .arg(status)
        .arg(target.toString(QUrl::RemoveUserInfo));
}

bool isBrowsableUrl(const QUrl &url, QString *error)
{
    const QString scheme = url.scheme().toLower();
    if (url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https")) && !url.host().isEmpty())
        return true;
    *error = QStringLiteral("refusing to open \"%1\" in a browser: only http and https addresses are opened")
                 .arg(url.toString(QUrl::RemoveQuery | QUrl::RemoveFragment).left(200));
    return false;
}

bool openInBrowser(const QUrl &url, const std::function<bool(const QUrl &)> &launch, QString *error)
{
    if (!isBrowsableUrl(url, error))
        return false;
    if (launch(url))
        return true;
    *error = QStringLiteral("no browser could be started; open this address yourself: %1").arg(url.toString());
    return false;
}

} // namespace portolan::auth
