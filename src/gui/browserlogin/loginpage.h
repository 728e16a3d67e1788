#pragma once

#include <QUrl>
#include <QWebEnginePage>
#include <QWebEngineUrlRequestInterceptor>
#include <QWebEngineUrlSchemeHandler>

namespace portolan::gui {

// The page of a browser login. Every main-frame navigation — typed, link,
// form or server redirect — is checked against the redirect URI; a match is
// reported with its query and fragment intact and never loaded.
class LoginPage : public QWebEnginePage {
    Q_OBJECT
public:
    LoginPage(QWebEngineProfile *profile, const QUrl &redirectUri, QObject *parent = nullptr);

Q_SIGNALS:
    void redirectReached(const QUrl &callbackUrl);
    // The browser follows a server's redirect to `url` (not the redirect URI).
    void redirectFollowed(const QUrl &url);

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override;

private:
    QUrl m_redirectUri;
};

// A second line of defence on the profile: any request (frames and
// subresources included) for the redirect URI is blocked, so the loopback
// listener or the https callback never sees it from the embedded browser.
// It also tells of every other main-frame request (method and URL), for the login's trace.
class RedirectRequestBlocker : public QWebEngineUrlRequestInterceptor {
    Q_OBJECT
public:
    RedirectRequestBlocker(const QUrl &redirectUri, QObject *parent = nullptr);
    void interceptRequest(QWebEngineUrlRequestInfo &info) override;

Q_SIGNALS:
    void pageRequested(const QByteArray &method, const QUrl &url);

private:
    QUrl m_redirectUri;
};

// Handles the custom redirect schemes on a login profile by refusing them:
// the navigation is taken before it gets here, and nothing must ever load.
class RefusingSchemeHandler : public QWebEngineUrlSchemeHandler {
    Q_OBJECT
public:
    using QWebEngineUrlSchemeHandler::QWebEngineUrlSchemeHandler;
    void requestStarted(QWebEngineUrlRequestJob *job) override;
};

} // namespace portolan::gui
