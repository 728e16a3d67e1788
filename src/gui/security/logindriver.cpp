#include "logindriver.h"

#include "clientcore.h"
#include "credentialtraces.h"
#include "networkrecorder.h"
#include "tracedauth.h"
#include "loginplan.h"
#include "devicecodedialog.h"

#include "browserloginwindow.h"

#include "credentialstore.h"
#include "loopbackreceiver.h"
#include "urlpolicy.h"

#include <QDesktopServices>

namespace portolan::gui {

LoginDriver::LoginDriver(client::ClientCore *core, QObject *parent)
    : QObject(parent), m_core(core), m_traced(new client::TracedAuth(core->store(), this)),
      m_login(new auth::OAuthLogin(m_traced->tokenClient(), m_traced->discovery(), this))
{
    connect(m_login, &auth::OAuthLogin::progress, this, &LoginDriver::progress);
    connect(m_login, &auth::OAuthLogin::finished, this, &LoginDriver::onLoginFinished);
    connect(m_login, &auth::OAuthLogin::deviceCodeReady, this,
            [this](const QString &userCode, const QUrl &uri, const QUrl &complete, int expiresIn) {
                delete m_deviceDialog;
                m_deviceDialog = new DeviceCodeDialog(userCode, uri, complete, expiresIn, m_dialogParent);
                connect(m_deviceDialog, &DeviceCodeDialog::cancelled, this, &LoginDriver::cancel);
                m_deviceDialog->show();
                Q_EMIT deviceCodeShown(m_deviceDialog);
            });
}

LoginDriver::~LoginDriver()
{
    // Whoever listens may be going away too: a cancel now must not call back.
    m_login->disconnect(this);
    m_login->cancel();
    closeWindows();
}

http::NetworkRecorder *LoginDriver::trace() const
{
    return m_traced->recorder();
}

bool LoginDriver::isRunning() const
{
    return m_login->isRunning();
}

void LoginDriver::start(const auth::LoginSettings &settings, const Target &target, bool systemBrowser,
                        QWidget *dialogParent, const BrowserLoginOptions &browserOptions)
{
    cancel();
    m_traced->recorder()->clear();
    m_target = target;
    m_browserOptions = browserOptions;
    m_systemBrowser = systemBrowser;
    m_dialogParent = dialogParent;
    auth::LoginSettings run = settings;
    const bool browserFlow = settings.flow == OAuthFlowKind::AuthorizationCode || settings.flow == OAuthFlowKind::Implicit;
    const bool loopback = auth::LoopbackReceiver::isLoopback(run.redirectUri);
    if (browserFlow && (run.redirectUri.isEmpty() || (systemBrowser && loopback))) {
        // A loopback listener on a free port gives the redirect URI, or listens on
        // exactly the registered loopback one. The embedded browser never lets the
        // redirect reach it; it is there so the user can switch to the system
        // browser half-way without starting over.
        m_receiver = new auth::LoopbackReceiver(this);
        QString error;
        const bool listening = run.redirectUri.isEmpty() ? m_receiver->listen(&error) : m_receiver->listen(run.redirectUri, &error);
        if (!listening) {
            Q_EMIT finished(false, tr("Cannot listen on a loopback port for the redirect: %1").arg(error), {});
            return;
        }
        connect(m_receiver, &auth::LoopbackReceiver::redirectReceived, m_login, &auth::OAuthLogin::handleRedirect);
        run.redirectUri = m_receiver->redirectUri();
    } else if (browserFlow && systemBrowser) {
        Q_EMIT finished(false, tr("The system browser needs a loopback redirect URI (http://127.0.0.1:PORT/PATH, "
                                  "http://[::1]:PORT/PATH or http://localhost:PORT/PATH), or leave it empty."), {});
        return;
    }
    m_login->start(run, browserFlow ? this : nullptr);
}

void LoginDriver::cancel()
{
    if (m_login->isRunning())
        m_login->cancel();
    closeWindows();
}

void LoginDriver::openAuthorizationUrl(const QUrl &url, const QUrl &redirectUri)
{
    if (m_receiver)
        m_receiver->expectResponseTo(url);
    if (m_systemBrowser) {
        openInSystemBrowser(url);
        return;
    }
    delete m_window;
    m_window = new BrowserLoginWindow(url, redirectUri, m_browserOptions);
    m_window->setAttribute(Qt::WA_DeleteOnClose, false);
    m_window->showTrace(m_traced->recorder());
    connect(m_window, &BrowserLoginWindow::callbackReceived, m_login, &auth::OAuthLogin::handleRedirect);
    connect(m_window, &BrowserLoginWindow::cancelled, this, [this] {
        if (m_login->isRunning())
            m_login->cancel();
    });
    connect(m_window, &BrowserLoginWindow::systemBrowserRequested, this, &LoginDriver::openInSystemBrowser);
    m_window->start();
    Q_EMIT browserOpened(m_window);
}

void LoginDriver::openInSystemBrowser(const QUrl &url)
{
    if (!m_receiver) {
        m_login->cancel();
        Q_EMIT finished(false, tr("This redirect URI cannot be received from the system browser; "
                                  "leave the redirect URI empty to use a loopback one."), {});
        return;
    }
    Q_EMIT progress(tr("Continue in your browser; Portolan waits for it on %1.").arg(m_receiver->redirectUri().toString()));
    QString error;
    if (!auth::openInBrowser(url, &QDesktopServices::openUrl, &error))
        Q_EMIT progress(error);
}

void LoginDriver::authorizationFinished()
{
    if (m_window) {
        m_window->hide();
        m_window->deleteLater();
    }
}

void LoginDriver::closeWindows()
{
    if (m_window) {
        m_window->hide();
        m_window->deleteLater();
    }
    if (m_deviceDialog) {
        m_deviceDialog->hide();
        m_deviceDialog->deleteLater();
    }
    if (m_receiver) {
        m_receiver->close();
        m_receiver->deleteLater();
        m_receiver = nullptr;
    }
}

void LoginDriver::onLoginFinished(const auth::LoginResult &result)
{
    closeWindows();
    if (!result.ok) {
        Q_EMIT finished(false, result.error.text(), {});
        return;
    }
    auth::CredentialInfo info;
    auth::Secrets secrets;
    client::credentialForLogin(*m_target.document, m_target.scheme, result, m_target.label, &info, &secrets);
    QPointer<LoginDriver> self(this);
    const QList<http::Exchange> trace = m_traced->recorder()->exchanges();
    // Logging in again replaces the credential of the same client and subject (the client core's policy).
    m_core->saveCredential(info, secrets, [self, trace](const auth::StoreResult &stored, const auth::CredentialInfo &saved) {
        if (!self)
            return;
        if (!stored.ok && !stored.sessionOnly) {
            Q_EMIT self->finished(false, stored.error, {});
            return;
        }
        self->m_core->traces()->keep(saved.id, QStringLiteral("login"), trace);
        Q_EMIT self->finished(true, stored.sessionOnly ? stored.error : QString(), saved.id);
    });
}

} // namespace portolan::gui
