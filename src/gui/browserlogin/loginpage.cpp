#include "loginpage.h"

#include "redirectmatcher.h"

#include <QWebEngineUrlRequestJob>

namespace portolan::gui {

LoginPage::LoginPage(QWebEngineProfile *profile, const QUrl &redirectUri, QObject *parent)
    : QWebEnginePage(profile, parent), m_redirectUri(redirectUri)
{
}

bool LoginPage::acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame)
{
    if (isMainFrame && auth::matchesRedirectUri(url, m_redirectUri)) {
        Q_EMIT redirectReached(url);
        return false;
    }
    if (isMainFrame && type == NavigationTypeRedirect)
        Q_EMIT redirectFollowed(url);
    return QWebEnginePage::acceptNavigationRequest(url, type, isMainFrame);
}

RedirectRequestBlocker::RedirectRequestBlocker(const QUrl &redirectUri, QObject *parent)
    : QWebEngineUrlRequestInterceptor(parent), m_redirectUri(redirectUri)
{
}

void RedirectRequestBlocker::interceptRequest(QWebEngineUrlRequestInfo &info)
{
    if (auth::matchesRedirectUri(info.requestUrl(), m_redirectUri))
        info.block(true);
    else if (info.resourceType() == QWebEngineUrlRequestInfo::ResourceTypeMainFrame)
        Q_EMIT pageRequested(info.requestMethod(), info.requestUrl());
}

void RefusingSchemeHandler::requestStarted(QWebEngineUrlRequestJob *job)
{
    job->fail(QWebEngineUrlRequestJob::RequestDenied);
}

} // namespace portolan::gui
