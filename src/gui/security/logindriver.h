#pragma once

#include "credential.h"
#include "devicecodedialog.h"
#include "browserloginwindow.h"
#include "oauthlogin.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace portolan::auth {
class LoopbackReceiver;
}

namespace portolan::client {
class ClientCore;
class TracedAuth;
}

namespace portolan::http {
class NetworkRecorder;
}

namespace portolan::gui {


// Runs one OAuth 2.0 / OpenID Connect login for a scheme and stores what it
// yields. The auth engine does the protocol; this supplies the user-facing
// parts: the embedded browser window (authorization code, implicit), the
// system browser with an RFC 8252 loopback listener when asked for (or when
// the user switches from the embedded window), and the device-code dialog.
class LoginDriver : public QObject, public auth::BrowserLauncher {
    Q_OBJECT
public:
    // Where the credential is filed: the scheme of the document; `label` empty = the client core's default.
    struct Target {
        std::shared_ptr<const ApiDocument> document;
        SecurityScheme scheme;
        QString label;
    };

    // `core` is not owned and must outlive this object.
    explicit LoginDriver(client::ClientCore *core, QObject *parent = nullptr);
    ~LoginDriver() override;

    // `settings.redirectUri` empty = a loopback URI on a free port
    // (http://127.0.0.1:PORT/callback). `dialogParent` parents the windows.
    // `browserOptions`: e.g. a persistent profile per provider for single sign-on.
    void start(const auth::LoginSettings &settings, const Target &target, bool systemBrowser,
               QWidget *dialogParent = nullptr, const BrowserLoginOptions &browserOptions = {});
    void cancel();
    bool isRunning() const;

    // The embedded login window while it is open (tests drive its page).
    BrowserLoginWindow *browserWindow() const { return m_window; }
    DeviceCodeDialog *deviceDialog() const { return m_deviceDialog; }
    auth::OAuthLogin *login() const { return m_login; }
    // The requests of the current (or last) login, secrets redacted; the embedded
    // window shows them as they happen, and a stored credential keeps them for the session.
    http::NetworkRecorder *trace() const;

    void openAuthorizationUrl(const QUrl &url, const QUrl &redirectUri) override;
    void authorizationFinished() override;

Q_SIGNALS:
    void progress(const QString &message);
    void browserOpened(portolan::gui::BrowserLoginWindow *window);
    void deviceCodeShown(portolan::gui::DeviceCodeDialog *dialog);
    // ok: the credential `credentialId` is stored (`message` says where, e.g.
    // "memory only"); otherwise `message` is the provider's or the engine's error.
    void finished(bool ok, const QString &message, const QString &credentialId);

private:
    void onLoginFinished(const auth::LoginResult &result);
    void openInSystemBrowser(const QUrl &url);
    void closeWindows();

    client::ClientCore *m_core;                     // not owned
    client::TracedAuth *m_traced;                 // owned by this: the login's engines, each request traced
    auth::OAuthLogin *m_login;                    // owned by this
    auth::LoopbackReceiver *m_receiver = nullptr; // owned by this while a loopback URI is in use
    QPointer<BrowserLoginWindow> m_window;        // deleted when the login ends
    QPointer<DeviceCodeDialog> m_deviceDialog;    // deleted when the login ends
    QPointer<QWidget> m_dialogParent;
    Target m_target;
    BrowserLoginOptions m_browserOptions;
    bool m_systemBrowser = false;
};

} // namespace portolan::gui
