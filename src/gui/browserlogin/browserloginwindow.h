#pragma once

#include <QSslCertificate>
#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QToolButton;
class QWebEnginePage;
class QWebEngineProfile;
class QWebEngineView;
class QWebEngineCertificateError;

namespace portolan::http {
class NetworkRecorder;
}

namespace portolan::gui {

class LoginPage;
class TraceView;
class RedirectRequestBlocker;
class RefusingSchemeHandler;

struct BrowserLoginOptions {
    // Empty: a fresh off-the-record profile, forgotten when the window goes.
    // Otherwise a persistent profile of that name (e.g. the provider's), so
    // that single sign-on cookies survive between logins.
    QString persistentProfile;
};

// A window in which the user logs in at an OAuth 2 / OpenID provider. It
// shows the full address (read-only) and a padlock that opens the
// certificate chain, has back, reload and cancel, and watches for the
// redirect URI: when the provider sends the browser there (loopback http,
// an https callback or a custom scheme), the URL is reported with its query
// and fragment and is not loaded. The auth engine owns the flow; this only
// shows the page and hands back the callback.
class BrowserLoginWindow : public QWidget {
    Q_OBJECT
public:
    BrowserLoginWindow(const QUrl &authorizationUrl, const QUrl &redirectUri, const BrowserLoginOptions &options = {},
                       QWidget *parent = nullptr);
    ~BrowserLoginWindow() override;

    // Shows the trace of the login as it happens below the page, and adds the
    // pages the browser loads to it. `recorder` (not owned) records the login's other requests.
    void showTrace(http::NetworkRecorder *recorder);
    // Shows the window and loads the authorization URL.
    void start();
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    QUrl redirectUri() const { return m_redirectUri; }
    QWebEnginePage *page() const;
    QWebEngineProfile *profile() const { return m_profile; }
    QString addressText() const;
    bool isSecure() const;
    TraceView *traceView() const { return m_trace; }

Q_SIGNALS:
    // The provider redirected to the redirect URI; `callbackUrl` is complete.
    void callbackReceived(const QUrl &callbackUrl);
    // The user gave up (Cancel or closing the window).
    void cancelled();
    // The user wants to log in with the system browser instead.
    void systemBrowserRequested(const QUrl &authorizationUrl);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onUrlChanged(const QUrl &url);
    void onCertificateError(const QWebEngineCertificateError &error);
    void onCallback(const QUrl &url);
    void showCertificates();
    void finish();

    QUrl m_authorizationUrl;
    QUrl m_redirectUri;
    QWebEngineProfile *m_profile;        // owned by this; outlives the page (deleted after it)
    RedirectRequestBlocker *m_blocker;   // owned by this
    RefusingSchemeHandler *m_schemes;    // owned by this
    LoginPage *m_page;                   // owned by this; deleted first
    QWebEngineView *m_view;              // owned by this, like the widgets below
    QToolButton *m_back;
    QToolButton *m_reload;
    QToolButton *m_padlock;
    QLineEdit *m_address;
    QProgressBar *m_progress;
    QLabel *m_problem;
    QSplitter *m_split;
    TraceView *m_trace = nullptr;        // owned by this once shown
    QList<QSslCertificate> m_errorChain;  // from the last certificate error
    QString m_errorText;
    bool m_finished = false;
};

} // namespace portolan::gui
