#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

class QWebEngineLoadingInfo;

namespace portolan::http {
class NetworkRecorder;
}

namespace portolan::gui {

// Puts the embedded browser's page loads into a login's trace: each
// main-frame request (method and URL, as the profile's request interceptor
// sees it), and what became of it as far as Qt WebEngine 6.4 tells: a page
// that finished loading has the HTTP status QWebEngineLoadingInfo gives
// (HttpStatusCodeDomain); a request the server redirected is "redirected"
// (the browser reports no status for redirects); a load that failed has the
// browser's error; the redirect URI is handed to the login and not loaded.
// Headers, bodies and timings of pages are not available.
class PageTrace : public QObject {
    Q_OBJECT
public:
    // `recorder` is not owned.
    PageTrace(http::NetworkRecorder *recorder, QObject *parent = nullptr);

    void requested(const QByteArray &method, const QUrl &url);
    void redirected(const QUrl &url);
    void loadingChanged(const QWebEngineLoadingInfo &info);
    void reachedRedirectUri(const QUrl &callbackUrl);

private:
    struct Pending {
        QByteArray method;
        QUrl url;
    };
    // Records the pending request with what became of it.
    void settle(int status, const QString &outcome, bool failed = false);

    QPointer<http::NetworkRecorder> m_recorder;
    std::optional<Pending> m_pending;  // the main-frame request whose outcome is not known yet
};

} // namespace portolan::gui
