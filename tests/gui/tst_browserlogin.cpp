// The embedded login browser, for real: Qt WebEngine under Xvfb loads pages
// from a Qt HttpServer on loopback that redirect (or lead through a form) to
// the redirect URI. The window must hand back the full callback URL — query
// and fragment intact — without loading it, for loopback http, https and a
// custom scheme; show provider errors in place; and report cancel and the
// system-browser choice.
#include "guitestsupport.h"
#include "tlsserver.h"

#include "browserloginwindow.h"
#include "certificatechaindialog.h"
#include "loginschemes.h"

#include <QApplication>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QWebEnginePage>
#include <QWebEngineProfile>

using namespace portolan::gui;

class TestBrowserLogin : public QObject {
    Q_OBJECT
private:
    QHttpServer m_provider;  // plays the authorization server
    QHttpServer m_callback;  // listens where the loopback redirect URI points: must never be hit
    quint16 m_providerPort = 0;
    quint16 m_callbackPort = 0;
    int m_callbackHits = 0;

    QUrl provider(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_providerPort).arg(path));
    }
    QUrl loopbackRedirect() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(m_callbackPort)); }

    static QHttpServerResponse redirectTo(const QByteArray &location)
    {
        QHttpServerResponse response(QHttpServerResponder::StatusCode::Found);
        response.setHeader("Location", location);
        return response;
    }

    // Runs a login and returns the URL the window handed back (empty on timeout).
    QUrl login(const QUrl &authorizationUrl, const QUrl &redirectUri, const QString &screenshot = {})
    {
        BrowserLoginWindow window(authorizationUrl, redirectUri);
        QSignalSpy received(&window, &BrowserLoginWindow::callbackReceived);
        window.start();
        if (!received.wait(30000))
            return {};
        if (!screenshot.isEmpty())
            portolan::test::saveScreenshot(&window, screenshot);
        if (window.isVisible())
            return {};  // the window must get out of the way once done
        return received.first().first().toUrl();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_provider.route("/authorize-code", [this] {
            return redirectTo(QStringLiteral("http://127.0.0.1:%1/callback?code=abc&state=xyz").arg(m_callbackPort).toUtf8());
        });
        m_provider.route("/authorize-implicit", [this] {
            return redirectTo(QStringLiteral("http://127.0.0.1:%1/callback#access_token=tok%2B123&token_type=Bearer&state=xyz")
                                  .arg(m_callbackPort).toUtf8());
        });
        m_provider.route("/authorize-custom", [] {
            return redirectTo("org.portolan.demo:/callback?code=abc&state=xyz");
        });
        m_provider.route("/authorize-https", [] {
            return redirectTo("https://127.0.0.1:9/oauth/callback?code=abc&state=xyz");
        });
        m_provider.route("/login", [] {
            return QHttpServerResponse("text/html",
                "<html><head><title>Provider login</title></head><body style='font-family:sans-serif;margin:40px'>"
                "<h2>Sign in to the test provider</h2>"
                "<form id='f' method='post' action='/submit'>"
                "<p><label>Login <input name='login' id='login'></label></p>"
                "<p><label>Password <input type='password' name='password' id='password'></label></p>"
                "<button type='submit'>Sign in</button></form></body></html>");
        });
        m_provider.route("/submit", [this](const QHttpServerRequest &request) {
            const QByteArray code = request.body().contains("login=alice") ? "alice-code" : "nobody";
            return redirectTo(QStringLiteral("http://127.0.0.1:%1/callback?code=%2&state=s1")
                                  .arg(m_callbackPort).arg(QString::fromLatin1(code)).toUtf8());
        });
        m_provider.route("/authorize-error", [] {
            return QHttpServerResponse("text/html",
                "<html><head><title>invalid_client</title></head><body><h1>Oops! Something went wrong</h1>"
                "<p>invalid_client: client authentication failed</p></body></html>",
                QHttpServerResponder::StatusCode::BadRequest);
        });
        m_callback.route("/callback", [this] {
            ++m_callbackHits;
            return QHttpServerResponse("text/plain", "the callback must not be loaded by the embedded browser");
        });
        m_providerPort = m_provider.listen(QHostAddress::LocalHost);
        m_callbackPort = m_callback.listen(QHostAddress::LocalHost);
        QVERIFY(m_providerPort && m_callbackPort);
    }

    void loopbackCodeResponse()
    {
        const QUrl url = login(provider("/authorize-code?client_id=portolan-native"), loopbackRedirect());
        QCOMPARE(url, QUrl(QStringLiteral("http://127.0.0.1:%1/callback?code=abc&state=xyz").arg(m_callbackPort)));
        QTest::qWait(300);
        QCOMPARE(m_callbackHits, 0);
    }

    void loopbackImplicitResponseKeepsTheFragment()
    {
        const QUrl url = login(provider("/authorize-implicit"), loopbackRedirect());
        QVERIFY(url.isValid());
        QCOMPARE(url.fragment(QUrl::FullyEncoded), QStringLiteral("access_token=tok%2B123&token_type=Bearer&state=xyz"));
        QCOMPARE(url.path(), QStringLiteral("/callback"));
        QCOMPARE(m_callbackHits, 0);
    }

    void customSchemeResponse()
    {
        const QUrl url = login(provider("/authorize-custom"), QUrl(QStringLiteral("org.portolan.demo:/callback")));
        QCOMPARE(url, QUrl(QStringLiteral("org.portolan.demo:/callback?code=abc&state=xyz")));
    }

    void httpsCallbackIsTakenBeforeAnyConnection()
    {
        // Nothing listens on port 9: only an intercepted navigation can produce the URL.
        const QUrl url = login(provider("/authorize-https"), QUrl(QStringLiteral("https://127.0.0.1:9/oauth/callback")));
        QCOMPARE(url, QUrl(QStringLiteral("https://127.0.0.1:9/oauth/callback?code=abc&state=xyz")));
    }

    void userSignsInThroughTheProviderPage()
    {
        const QUrl authorize = provider("/login?response_type=code&client_id=portolan-native&scope=openid%20profile&state=s1");
        BrowserLoginWindow window(authorize, loopbackRedirect());
        QSignalSpy loaded(window.page(), &QWebEnginePage::loadFinished);
        QSignalSpy received(&window, &BrowserLoginWindow::callbackReceived);
        window.start();
        QVERIFY(loaded.wait(30000));
        QVERIFY(loaded.first().first().toBool());
        // The address bar shows the whole URL, read-only.
        QCOMPARE(window.addressText(), authorize.toString(QUrl::FullyEncoded));
        QVERIFY(window.findChild<QLineEdit *>()->isReadOnly());
        QVERIFY(!window.isSecure());
        QCOMPARE(window.page()->title(), QStringLiteral("Provider login"));
        window.page()->runJavaScript(QStringLiteral("document.getElementById('login').value = 'alice';"
                                                    "document.getElementById('password').value = 'secret';"));
        QTest::qWait(200);
        portolan::test::saveScreenshot(&window, QStringLiteral("10-browser-login"));
        window.page()->runJavaScript(QStringLiteral("document.getElementById('f').submit();"));
        QVERIFY(received.wait(30000));
        QCOMPARE(received.first().first().toUrl(),
                 QUrl(QStringLiteral("http://127.0.0.1:%1/callback?code=alice-code&state=s1").arg(m_callbackPort)));
        QVERIFY(!window.isVisible());
        QCOMPARE(m_callbackHits, 0);
    }

    void providerErrorsAreShownInPlace()
    {
        BrowserLoginWindow window(provider("/authorize-error"), loopbackRedirect());
        QSignalSpy loaded(window.page(), &QWebEnginePage::loadFinished);
        QSignalSpy received(&window, &BrowserLoginWindow::callbackReceived);
        QSignalSpy cancelled(&window, &BrowserLoginWindow::cancelled);
        window.start();
        QVERIFY(loaded.wait(30000));
        QTRY_COMPARE(window.page()->title(), QStringLiteral("invalid_client"));
        QString text;
        window.page()->toPlainText([&text](const QString &t) { text = t; });
        QTRY_VERIFY(text.contains(QStringLiteral("client authentication failed")));
        QVERIFY(window.isVisible());
        QCOMPARE(received.count(), 0);
        portolan::test::saveScreenshot(&window, QStringLiteral("11-provider-error"));
        window.close();
        QCOMPARE(cancelled.count(), 1);
    }

    void systemBrowserChoiceIsReported()
    {
        const QUrl authorize = provider("/login?client_id=x");
        BrowserLoginWindow window(authorize, loopbackRedirect());
        QSignalSpy system(&window, &BrowserLoginWindow::systemBrowserRequested);
        QSignalSpy cancelled(&window, &BrowserLoginWindow::cancelled);
        window.start();
        QPushButton *button = nullptr;
        for (QPushButton *b : window.findChildren<QPushButton *>()) {
            if (b->text() == QLatin1String("Use System Browser"))
                button = b;
        }
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(system.count(), 1);
        QCOMPARE(system.first().first().toUrl(), authorize);
        QVERIFY(!window.isVisible());
        QCOMPARE(cancelled.count(), 0);
    }

    // A provider behind a certificate nobody trusts: the page is refused, the
    // padlock says so and opens the chain the browser was shown.
    void untrustedCertificateIsRefusedAndShown()
    {
        QTemporaryDir dir;
        portolan::test::TestCertificates certificates;
        QString error;
        QVERIFY2(certificates.generate(dir.path(), &error), qPrintable(error));
        portolan::test::TlsServer server;
        QVERIFY2(server.start(certificates, &error), qPrintable(error));

        BrowserLoginWindow window(server.url(QStringLiteral("/authorize?client_id=x")), loopbackRedirect());
        window.start();
        auto *problem = window.findChild<QLabel *>();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isSecure() && problem->isVisible(), 30000);
        QVERIFY(problem->text().contains(QStringLiteral("not valid")));
        portolan::test::saveScreenshot(&window, QStringLiteral("14-certificate-error"));

        QToolButton *padlock = nullptr;
        for (QToolButton *button : window.findChildren<QToolButton *>()) {
            if (button->accessibleName() == QLatin1String("Connection security"))
                padlock = button;
        }
        QVERIFY(padlock);
        QTest::mouseClick(padlock, Qt::LeftButton);
        CertificateChainDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<CertificateChainDialog *>()) != nullptr);
        QVERIFY(dialog->chainView()->topLevelItemCount() >= 1);
        QCOMPARE(dialog->chainView()->topLevelItem(0)->text(0), QStringLiteral("localhost"));
        dialog->close();
    }

    // Without a certificate error WebEngine gives no chain: the dialog fetches it itself.
    void certificateDialogFetchesTheChain()
    {
        QTemporaryDir dir;
        portolan::test::TestCertificates certificates;
        QString error;
        QVERIFY2(certificates.generate(dir.path(), &error), qPrintable(error));
        portolan::test::TlsServer server;
        QVERIFY2(server.start(certificates, &error), qPrintable(error));
        CertificateChainDialog dialog(server.url(), {}, QString());
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.chainView()->topLevelItemCount() >= 1, 15000);
        QCOMPARE(dialog.chainView()->topLevelItem(0)->text(0), QStringLiteral("localhost"));
        QCOMPARE(dialog.chainView()->topLevelItem(0)->text(1),
                 certificates.certificate(certificates.caCertificate).subjectInfo(QSslCertificate::CommonName).value(0));
        portolan::test::saveScreenshot(&dialog, QStringLiteral("15-certificate-chain"));
    }

    void persistentProfileIsNamedAfterTheProvider()
    {
        BrowserLoginWindow otr(provider("/login"), loopbackRedirect());
        QVERIFY(otr.profile()->isOffTheRecord());
        BrowserLoginWindow kept(provider("/login"), loopbackRedirect(), BrowserLoginOptions{QStringLiteral("test-provider")});
        QVERIFY(!kept.profile()->isOffTheRecord());
        QCOMPARE(kept.profile()->storageName(), QStringLiteral("login-test-provider"));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("PortolanTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_browserlogin"));
    QStandardPaths::setTestModeEnabled(true);
    registerLoginUrlSchemes();  // before QApplication, as in the application
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestBrowserLogin test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_browserlogin.moc"
