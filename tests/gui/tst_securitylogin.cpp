// Logging in from the security panel, for real: the project's oidc-provider
// and httpbin on loopback, the real keychain (gnome-keyring in
// dbus-run-session) and the real embedded browser (Qt WebEngine under Xvfb).
// The test plays the person: it fills the provider's own login and consent
// pages through the page (runJavaScript). Then the next request carries the
// token (httpbin /anything echoes it), provider errors show in the dialog,
// and the token manager decodes, refreshes, introspects and revokes.
#include "guitestsupport.h"
#include "httpbin.h"
#include "oidcprovider.h"

#include "apiworkspace.h"
#include "operationpage.h"
#include "requirementstatusview.h"
#include "browserloginwindow.h"
#include "loginschemes.h"
#include "inspectorpanel.h"
#include "clientcore.h"
#include "devicecodedialog.h"
#include "logindriver.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"
#include "securitypanel.h"
#include "tokenlistmodel.h"
#include "tokenmanagerview.h"

#include "credentialstore.h"
#include "requestsigner.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QUrlQuery>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QWebEnginePage>

using namespace portolan;
using namespace portolan::gui;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: Login test API, version: "1"}
servers: [{url: "HTTPBIN"}]
paths:
  /anything/oidc:
    get:
      operationId: withOidc
      security: [{oidc: [openid]}]
      responses: {"200": {description: echo}}
  /anything/implicit:
    get:
      operationId: withImplicit
      security: [{implicitAuth: [api:read]}]
      responses: {"200": {description: echo}}
  /anything/device:
    get:
      operationId: withDevice
      security: [{deviceAuth: [api:read]}]
      responses: {"200": {description: echo}}
  /anything/password:
    get:
      operationId: withPassword
      security: [{passwordAuth: []}]
      responses: {"200": {description: echo}}
components:
  securitySchemes:
    passwordAuth:
      type: oauth2
      description: Client `portolan-confidential`, any user, password `demo-password`.
      flows:
        password:
          tokenUrl: ISSUER/token
          scopes: {openid: Sign in, "api:read": Read the API}
    oidc:
      type: openIdConnect
      openIdConnectUrl: ISSUER/.well-known/openid-configuration
      description: Client `portolan-native` (public, PKCE).
    implicitAuth:
      type: oauth2
      description: Client `portolan-implicit`.
      flows:
        implicit:
          authorizationUrl: ISSUER/auth
          scopes: {openid: Sign in, "api:read": Read the API}
    deviceAuth:
      type: oauth2
      description: Client `portolan-device`.
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: ISSUER/device/auth
          tokenUrl: ISSUER/token
          scopes: {openid: Sign in, "api:read": Read the API, offline_access: Refresh tokens}
)";

// Plays the user on the provider's pages: signs in, then consents (or cancels).
const char kPlayUser[] = R"((function(deny) {
  var login = document.querySelector('input[name=login]');
  if (login) {
    login.value = 'alice';
    document.querySelector('input[name=password]').value = 'any-password';
    login.form.submit();
    return 'login';
  }
  var consent = document.querySelector('input[name=prompt][value=consent]');
  if (consent) {
    if (deny) { location.href = document.querySelector('.login-help a').href; return 'denied'; }
    consent.form.submit();
    return 'consent';
  }
  return 'other: ' + document.title;
}))";

} // namespace

class TestSecurityLogin : public QObject {
    Q_OBJECT
private:
    // Shared by every window of the test, as main() shares it.
    std::unique_ptr<client::ClientCore> m_core = std::make_unique<client::ClientCore>();
    test::OidcProvider m_provider;
    test::HttpBin m_httpbin;
    QTemporaryDir m_dir;
    std::unique_ptr<QSplitter> m_window;
    ApiWorkspace *m_workspace = nullptr;      // owned by m_window
    InspectorPanel *m_inspector = nullptr;    // owned by m_workspace
    SecurityPanel *m_security = nullptr;      // owned by m_workspace
    QStringList m_pagesSeen;

    client::ClientCore *core() const { return m_core.get(); }
    QString api() const { return auth::apiIdentity(*m_workspace->document()); }

    auth::CredentialInfo credentialFor(const QString &scheme) const
    {
        const auto stored = core()->store()->forScheme(api(), scheme);
        return stored.isEmpty() ? auth::CredentialInfo() : stored.first();
    }

    QByteArray secretOf(const QString &id, const char *name)
    {
        QByteArray value;
        bool done = false;
        core()->store()->readSecrets(id, [&](const auth::SecretsResult &result) {
            value = result.secrets.value(QLatin1String(name));
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
        return value;
    }

    // Whenever a page of the embedded browser finishes loading, act as the user on it.
    void playUserIn(BrowserLoginWindow *window, bool deny, const QString &screenshot = QString())
    {
        connect(window->page(), &QWebEnginePage::loadFinished, window, [this, window, deny, screenshot](bool) {
            if (!screenshot.isEmpty() && !m_pagesSeen.contains(screenshot)) {
                // The provider's login page as the user sees it, before signing in.
                m_pagesSeen << screenshot;
                window->page()->runJavaScript(QStringLiteral(
                    "var l = document.querySelector('input[name=login]'); if (l) { l.value = 'alice'; "
                    "document.querySelector('input[name=password]').value = 'any-password'; }"));
                QTest::qWait(300);
                test::saveScreenshot(window, screenshot);
            }
            window->page()->runJavaScript(QString::fromLatin1(kPlayUser) + (deny ? QStringLiteral("(true)") : QStringLiteral("(false)")),
                                          [this](const QVariant &result) { m_pagesSeen << result.toString(); });
        });
    }

    void showOperation(const QString &operationId)
    {
        const auto &operations = m_workspace->operations();
        for (int i = 0; i < operations.size(); ++i)
            if (operations.at(i)->operationId() == operationId)
                m_workspace->showOperation(i);
    }

    http::Exchange send(const QString &operationId)
    {
        showOperation(operationId);
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        m_inspector->send();
        if (!finished.wait(20000))
            return {};
        return finished.first().first().value<http::Exchange>();
    }

    static QString authorizationEcho(const http::Exchange &exchange)
    {
        if (!exchange.hasResponse())
            return QStringLiteral("no response: ") + exchange.errorMessage;
        const QJsonObject echo = QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
        return echo.value(QLatin1String("headers")).toObject().value(QLatin1String("Authorization")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("login.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument)
                       .replace("HTTPBIN", m_httpbin.baseUrl().toString().toUtf8())
                       .replace("ISSUER", m_provider.issuer().toString().toUtf8()));
        file.close();

        auth::CredentialStore *store = core()->store();
        for (const auth::CredentialInfo &info : store->list()) {
            bool done = false;
            store->remove(info.id, [&done](const auth::StoreResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }

        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        m_workspace = new ApiWorkspace(core(), QUrl::fromLocalFile(path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.first().first().toBool());
        // The API tab's own security panel and inspector, as the application shows them.
        m_security = m_workspace->securityPanel();
        m_inspector = m_workspace->inspector();
        QVERIFY(m_security && m_inspector);
        m_window->addWidget(m_workspace);
        m_window->resize(1400, 950);
        m_window->show();
    }

    void authorizationCodeWithPkceInTheEmbeddedBrowser()
    {
        // The operation page says what is missing and links to the scheme's setup.
        showOperation(QStringLiteral("withOidc"));
        RequirementStatusView *status = m_workspace->operationPage()->securityStatus();
        QVERIFY(status->satisfiedAlternative().isEmpty());
        QVERIFY(status->text().contains(QStringLiteral("setup:oidc")));
        Q_EMIT status->linkActivated(QStringLiteral("setup:oidc"));  // the user clicks "set up"
        auto *dialog = m_security->findChild<SchemeSetupDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(m_security->isVisible());  // the bottom pane opened on the Security tab
        // Prefilled from discovery: the endpoints and the provider's scopes.
        QSignalSpy discovered(dialog, &SchemeSetupDialog::discovered);
        QVERIFY(discovered.wait(15000));
        QVERIFY2(discovered.first().first().toBool(), qPrintable(dialog->statusLabel()->text()));
        QCOMPARE(dialog->field(QStringLiteral("authorizationUrl"))->text(), m_provider.issuer().toString() + QStringLiteral("/auth"));
        QVERIFY(dialog->pkceBox()->isChecked());
        QVERIFY(dialog->checkedScopes().contains(QStringLiteral("openid")));
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-native"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        dialog->setScopeChecked(QStringLiteral("offline_access"), true);
        dialog->setScopeChecked(QStringLiteral("api:read"), true);
        test::saveScreenshot(dialog, QStringLiteral("22-oauth-setup"));

        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QVERIFY(dialog->driver());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->browserWindow(), 30000);
        BrowserLoginWindow *window = dialog->driver()->browserWindow();
        QVERIFY(window);
        // The authorization request carries PKCE S256 and a loopback redirect URI.
        const QUrlQuery query(window->authorizationUrl());
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QVERIFY(!query.queryItemValue(QStringLiteral("code_challenge")).isEmpty());
        QVERIFY(window->redirectUri().toString().startsWith(QStringLiteral("http://127.0.0.1:")));
        playUserIn(window, false, QStringLiteral("23-login-window"));
        QVERIFY2(finished.wait(60000), qPrintable(m_pagesSeen.join(QStringLiteral(", "))));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(m_pagesSeen.contains(QStringLiteral("login")));
        QVERIFY(m_pagesSeen.contains(QStringLiteral("consent")));

        // In the keychain (not memory-only), with its metadata.
        const auth::CredentialInfo info = credentialFor(QStringLiteral("oidc"));
        QVERIFY(!info.id.isEmpty());
        QVERIFY2(!info.sessionOnly, "no keychain: run inside dbus-run-session with gnome-keyring unlocked");
        QCOMPARE(info.subject, QStringLiteral("alice"));
        QCOMPARE(info.issuer, m_provider.issuer().toString());
        QVERIFY(info.hasRefreshToken);
        const QByteArray token = secretOf(info.id, auth::secret::AccessToken);
        QVERIFY(!token.isEmpty());
        QFile metadata(core()->store()->metadataFile());
        QVERIFY(metadata.open(QIODevice::ReadOnly));
        QVERIFY(!metadata.readAll().contains(token));
        QTRY_VERIFY(m_security->model()->stateText(m_security->model()->rowOf(QStringLiteral("oidc"))).startsWith(QStringLiteral("Valid until")));
        test::saveScreenshot(m_security, QStringLiteral("24-security-panel-logged-in"));

        // The next request carries it, and the operation page says which alternative is satisfied.
        QCOMPARE(authorizationEcho(send(QStringLiteral("withOidc"))), QStringLiteral("Bearer ") + QString::fromLatin1(token));
        QCOMPARE(m_workspace->operationPage()->securityStatus()->satisfiedAlternative(), QStringLiteral("oidc"));
        test::saveScreenshot(m_window.get(), QStringLiteral("29-authenticated-request"));
    }

    void switchingToTheSystemBrowserUsesTheLoopbackRedirect()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("oidc"));
        QSignalSpy discovered(dialog, &SchemeSetupDialog::discovered);
        QVERIFY(discovered.wait(15000));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->browserWindow(), 30000);
        BrowserLoginWindow *window = dialog->driver()->browserWindow();
        const QUrl authorization = window->authorizationUrl();
        const QUrl redirect = window->redirectUri();
        // The provider refuses embedded browsers, say: the user switches half-way.
        QPushButton *system = nullptr;
        for (QPushButton *button : window->findChildren<QPushButton *>())
            if (button->text() == QLatin1String("Use System Browser"))
                system = button;
        QVERIFY(system);
        QTest::mouseClick(system, Qt::LeftButton);
        QVERIFY(dialog->driver()->isRunning());
        // The system browser (played over HTTP here) signs in and follows the redirect to
        // the RFC 8252 loopback listener, which hands the code to the same login.
        test::TestUserAgent browser;
        const auto outcome = browser.browseAndDeliver(authorization, redirect.toString());
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY2(finished.count() || finished.wait(30000), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        const auth::CredentialInfo info = credentialFor(QStringLiteral("oidc"));
        QCOMPARE(info.subject, QStringLiteral("alice"));
        QCOMPARE(authorizationEcho(send(QStringLiteral("withOidc"))),
                 QStringLiteral("Bearer ") + QString::fromLatin1(secretOf(info.id, auth::secret::AccessToken)));
    }

    void providerErrorIsShownInTheDialog()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("oidc"));
        QSignalSpy discovered(dialog, &SchemeSetupDialog::discovered);
        QVERIFY(discovered.wait(15000));
        QCOMPARE(dialog->field(QStringLiteral("clientId"))->text(), QStringLiteral("portolan-native"));  // remembered
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        // Asking for consent again, which the user then refuses.
        dialog->findChild<QPlainTextEdit *>()->setPlainText(QStringLiteral("prompt=consent"));
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        m_pagesSeen.clear();
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->browserWindow(), 30000);
        playUserIn(dialog->driver()->browserWindow(), true);
        QVERIFY2(finished.wait(60000), qPrintable(m_pagesSeen.join(QStringLiteral(", "))));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("access_denied")), qPrintable(dialog->statusLabel()->text()));
        QVERIFY(dialog->isVisible());  // the form stays, with what was typed
        test::saveScreenshot(dialog, QStringLiteral("25-provider-error"));
        dialog->close();
        // The earlier credential is untouched.
        QVERIFY(!credentialFor(QStringLiteral("oidc")).id.isEmpty());
    }

    void implicitInTheEmbeddedBrowser()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("implicitAuth"));
        QVERIFY(dialog);
        QCOMPARE(dialog->field(QStringLiteral("authorizationUrl"))->text(), m_provider.issuer().toString() + QStringLiteral("/auth"));
        // The ID token of `id_token token` is validated against the provider's keys: point at its issuer.
        dialog->field(QStringLiteral("discoveryUrl"))->setText(m_provider.issuer().toString());
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-implicit"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        dialog->setScopeChecked(QStringLiteral("openid"), true);
        dialog->setScopeChecked(QStringLiteral("api:read"), true);
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        m_pagesSeen.clear();
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->browserWindow(), 30000);
        QCOMPARE(QUrlQuery(dialog->driver()->browserWindow()->authorizationUrl()).queryItemValue(QStringLiteral("response_type")),
                 QStringLiteral("id_token token"));
        playUserIn(dialog->driver()->browserWindow(), false);
        QVERIFY2(finished.wait(60000), qPrintable(m_pagesSeen.join(QStringLiteral(", "))));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        const auth::CredentialInfo info = credentialFor(QStringLiteral("implicitAuth"));
        QVERIFY(!info.sessionOnly);
        const QByteArray token = secretOf(info.id, auth::secret::AccessToken);
        QVERIFY(!token.isEmpty());
        const http::Exchange exchange = send(QStringLiteral("withImplicit"));
        QVERIFY2(authorizationEcho(exchange) == QStringLiteral("Bearer ") + QString::fromLatin1(token),
                 qPrintable(m_inspector->statusLabel()->text()));
    }

    void passwordGrantWithAConfidentialClient()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("passwordAuth"));
        QVERIFY(dialog);
        QVERIFY(dialog->field(QStringLiteral("username"))->isVisible());
        QVERIFY(!dialog->field(QStringLiteral("authorizationUrl"))->isVisible());
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-confidential"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("client_secret_basic"));
        QLineEdit *secret = dialog->field(QStringLiteral("clientSecret"));
        QVERIFY(secret->isVisible());
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        secret->setText(QStringLiteral("confidential-secret"));
        dialog->field(QStringLiteral("username"))->setText(QStringLiteral("bob"));
        dialog->field(QStringLiteral("password"))->setText(QStringLiteral("wrong-password"));
        dialog->setScopeChecked(QStringLiteral("openid"), true);
        // A wrong password: the provider's error, in place.
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QVERIFY(finished.count() || finished.wait(15000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("invalid_grant")), qPrintable(dialog->statusLabel()->text()));
        dialog->field(QStringLiteral("password"))->setText(QStringLiteral("demo-password"));
        dialog->submit();
        QVERIFY(finished.count() > 1 || finished.wait(15000));
        QVERIFY2(finished.last().first().toBool(), qPrintable(finished.last().at(1).toString()));
        const auth::CredentialInfo info = credentialFor(QStringLiteral("passwordAuth"));
        QCOMPARE(info.subject, QStringLiteral("bob"));
        // The client secret went to the keychain with the tokens, never to the metadata file.
        QCOMPARE(secretOf(info.id, auth::secret::ClientSecret), QByteArray("confidential-secret"));
        QFile metadata(core()->store()->metadataFile());
        QVERIFY(metadata.open(QIODevice::ReadOnly));
        const QByteArray onDisk = metadata.readAll();
        QVERIFY(!onDisk.contains("confidential-secret"));
        QVERIFY(!onDisk.contains("demo-password"));
        QCOMPARE(authorizationEcho(send(QStringLiteral("withPassword"))),
                 QStringLiteral("Bearer ") + QString::fromLatin1(secretOf(info.id, auth::secret::AccessToken)));
    }

    void deviceFlowWithItsDialog()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("deviceAuth"));
        QVERIFY(dialog);
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-device"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        dialog->setScopeChecked(QStringLiteral("openid"), true);
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->deviceDialog(), 15000);
        DeviceCodeDialog *device = dialog->driver()->deviceDialog();
        QVERIFY(device && device->isVisible());
        QVERIFY(!device->userCode().isEmpty());
        QVERIFY(device->verificationUri().toString().startsWith(m_provider.issuer().toString()));
        const int left = device->secondsLeft();
        QVERIFY(left > 0 && left <= 600);
        QTest::qWait(1100);
        QVERIFY(device->secondsLeft() < left);  // the countdown runs
        test::saveScreenshot(device, QStringLiteral("26-device-code"));

        // The user approves on "another device": the provider's real verification pages.
        test::TestUserAgent agent;
        const auto outcome = agent.browse(device->verificationUri(), QString(), device->userCode());
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY2(finished.wait(60000), "the device flow did not finish");
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        const auth::CredentialInfo info = credentialFor(QStringLiteral("deviceAuth"));
        const QByteArray token = secretOf(info.id, auth::secret::AccessToken);
        QVERIFY(!token.isEmpty());
        QCOMPARE(authorizationEcho(send(QStringLiteral("withDevice"))), QStringLiteral("Bearer ") + QString::fromLatin1(token));
    }

    void deviceFlowCanBeCancelled()
    {
        SchemeSetupDialog *dialog = m_security->setUp(QStringLiteral("deviceAuth"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("none"));
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver()->deviceDialog(), 15000);
        DeviceCodeDialog *device = dialog->driver()->deviceDialog();
        QPushButton *cancel = nullptr;
        for (QPushButton *button : device->findChildren<QPushButton *>())
            if (button->text() == QLatin1String("Cancel"))
                cancel = button;
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY2(finished.count() || finished.wait(10000), qPrintable(dialog->statusLabel()->text()));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!dialog->driver()->isRunning());
        dialog->close();
    }

    void tokenManagerDecodesRefreshesIntrospectsAndRevokes()
    {
        TokenManagerView manager(core());
        manager.resize(1200, 640);
        manager.show();
        QCOMPARE(manager.model()->rowCount(), 4);  // oidc, implicitAuth, passwordAuth, deviceAuth
        const auth::CredentialInfo before = credentialFor(QStringLiteral("oidc"));
        manager.select(before.id);
        QCOMPARE(manager.selectedId(), before.id);
        QVERIFY(manager.model()->index(manager.model()->rowOf(before.id), TokenListModel::Expires).data().toString().contains(QStringLiteral("left")));

        QSignalSpy done(&manager, &TokenManagerView::actionFinished);
        manager.tokenChoice()->setCurrentIndex(0);  // the ID token
        int actions = done.count();
        manager.decode();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        QVERIFY(manager.details()->toPlainText().contains(QStringLiteral("\"sub\": \"alice\"")));
        QVERIFY2(manager.statusLabel()->text().contains(QStringLiteral("valid")), qPrintable(manager.statusLabel()->text()));
        test::saveScreenshot(&manager, QStringLiteral("27-token-manager"));

        // The userinfo claims fetched right after the login, for the ID token's subject.
        actions = done.count();
        manager.showUserinfo();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        QVERIFY2(manager.details()->toPlainText().startsWith(QStringLiteral("// userinfo, fetched at login")),
                 qPrintable(manager.details()->toPlainText()));
        QVERIFY(manager.details()->toPlainText().contains(QStringLiteral("\"sub\": \"alice\"")));

        const QByteArray oldToken = secretOf(before.id, auth::secret::AccessToken);
        actions = done.count();
        manager.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        const QByteArray newToken = secretOf(before.id, auth::secret::AccessToken);
        QVERIFY(!newToken.isEmpty());
        QVERIFY(newToken != oldToken);
        QCOMPARE(authorizationEcho(send(QStringLiteral("withOidc"))), QStringLiteral("Bearer ") + QString::fromLatin1(newToken));

        manager.select(before.id);
        manager.tokenChoice()->setCurrentIndex(1);  // the access token
        actions = done.count();
        manager.introspect();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        QCOMPARE(manager.statusLabel()->text(), QStringLiteral("The token is active."));
        QVERIFY(manager.details()->toPlainText().contains(QStringLiteral("\"active\": true")));

        manager.select(before.id);
        actions = done.count();
        manager.revoke();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        QVERIFY(secretOf(before.id, auth::secret::AccessToken).isEmpty());
        // Without a token the request goes out unauthenticated, and the user is told why.
        const http::Exchange after = send(QStringLiteral("withOidc"));
        QVERIFY(authorizationEcho(after).isEmpty() || !after.hasResponse());
        test::saveScreenshot(&manager, QStringLiteral("28-token-manager-revoked"));

        manager.select(before.id);
        actions = done.count();
        manager.remove();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > actions, 15000);
        QVERIFY(done.last().at(1).toBool());
        QVERIFY(credentialFor(QStringLiteral("oidc")).id.isEmpty());
        QCOMPARE(manager.model()->rowCount(), 3);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("PortolanTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_securitylogin"));
    QStandardPaths::setTestModeEnabled(true);
    registerLoginUrlSchemes();  // before QApplication, as in the application
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestSecurityLogin test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_securitylogin.moc"
