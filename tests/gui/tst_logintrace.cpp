// The login trace in the desktop app, for real: the project's oidc-provider
// on loopback, the real keychain and the real embedded browser under Xvfb.
// A refused login (wrong client secret) and a successful one through the
// embedded browser show every request in order — discovery, the pages the
// browser loaded up to the redirect, the token request, JWKS and userinfo —
// each with method, URL and status, in the login window as it happens, in the
// setup dialog's trace when the provider refuses, and in the token manager;
// neither the trace's text nor its HAR export holds a secret. A password
// login and a refresh from the token manager are traced too.
#include "guitestsupport.h"
#include "oidcprovider.h"

#include "apiworkspace.h"
#include "browserloginwindow.h"
#include "clientcore.h"
#include "credentialtraces.h"
#include "exchangedetailview.h"
#include "exchangelistmodel.h"
#include "exchangetree.h"
#include "loginpage.h"
#include "logindriver.h"
#include "schemesetupdialog.h"
#include "securitypanel.h"
#include "tokenmanagerview.h"
#include "traceview.h"

#include "credentialstore.h"
#include "oidc.h"
#include "requestsigner.h"
#include "tokenmanager.h"

#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QWebEnginePage>

using namespace portolan;
using namespace portolan::gui;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: Login trace API, version: "1"}
paths: {}
components:
  securitySchemes:
    oidc:
      type: openIdConnect
      openIdConnectUrl: ISSUER/.well-known/openid-configuration
    passwordAuth:
      type: oauth2
      flows:
        password:
          tokenUrl: ISSUER/token
          scopes: {openid: Sign in, "api:read": Read the API}
)";

// Signs in as alice on the provider's login page, then consents.
const char kPlayUser[] = R"((function() {
  var login = document.querySelector('input[name=login]');
  if (login) {
    login.value = 'alice';
    document.querySelector('input[name=password]').value = 'typed-page-password';
    login.form.submit();
    return 'login';
  }
  var consent = document.querySelector('input[name=prompt][value=consent]');
  if (consent) { consent.form.submit(); return 'consent'; }
  return 'other: ' + document.title;
})())";

// Every cell of the list, and every row of each exchange's detail tree, as text.
QString everything(const ExchangeListModel *model)
{
    QString text;
    ExchangeTreeModel tree;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column)
            text += model->index(row, column).data().toString() + QLatin1Char('\t');
        tree.setExchange(model->exchange(row));
        QList<QModelIndex> pending{QModelIndex()};
        while (!pending.isEmpty()) {
            const QModelIndex parent = pending.takeFirst();
            for (int r = 0; r < tree.rowCount(parent); ++r) {
                text += tree.index(r, 0, parent).data().toString() + QLatin1Char('=') + tree.index(r, 1, parent).data().toString()
                        + QLatin1Char('\n');
                pending << tree.index(r, 0, parent);
            }
        }
    }
    return text;
}

// "METHOD URL STATUS" of each row, as the list shows them (the status's first word: "401", "redirected", …).
QStringList rows(const ExchangeListModel *model)
{
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row)
        lines << model->index(row, ExchangeListModel::Method).data().toString() + QLatin1Char(' ')
                     + model->index(row, ExchangeListModel::Url).data().toString() + QLatin1Char(' ')
                     + model->index(row, ExchangeListModel::Status).data().toString().section(QLatin1Char(' '), 0, 0);
    return lines;
}

} // namespace

class TestLoginTrace : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<client::ClientCore> m_core = std::make_unique<client::ClientCore>();
    test::OidcProvider m_provider;
    QTemporaryDir m_dir;
    std::unique_ptr<ApiWorkspace> m_workspace;
    QUrl m_callback;  // the redirect the embedded browser reached last, with its code

    QString api() const { return auth::apiIdentity(*m_workspace->document()); }
    QString issuer() const { return m_provider.issuer().toString(); }

    QByteArray secretOf(const QString &id, const char *name)
    {
        QByteArray value;
        bool done = false;
        m_core->store()->readSecrets(id, [&](const auth::SecretsResult &result) {
            value = result.secrets.value(QLatin1String(name));
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
        return value;
    }

    // Opens the OIDC scheme's setup, fills it for the confidential client and logs in
    // through the embedded browser, playing the user; true when the dialog reported.
    // `liveRows`: how many requests the login window listed while its pages loaded.
    bool browserLogin(SchemeSetupDialog *dialog, const QString &clientSecret, int *liveRows)
    {
        QSignalSpy discovered(dialog, &SchemeSetupDialog::discovered);
        if (!discovered.wait(15000))
            return false;
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-confidential"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("client_secret_basic"));
        dialog->field(QStringLiteral("clientSecret"))->setText(clientSecret);
        dialog->setScopeChecked(QStringLiteral("offline_access"), true);
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        if (!QTest::qWaitFor([&] { return dialog->driver() && dialog->driver()->browserWindow(); }, 30000))
            return false;
        BrowserLoginWindow *window = dialog->driver() ? dialog->driver()->browserWindow() : nullptr;
        if (!window)
            return false;
        connect(static_cast<LoginPage *>(window->page()), &LoginPage::redirectReached, this, [this](const QUrl &url) { m_callback = url; });
        connect(window->page(), &QWebEnginePage::loadFinished, window, [window, liveRows](bool) {
            if (window->traceView())
                *liveRows = window->traceView()->model()->rowCount();
            window->page()->runJavaScript(QString::fromLatin1(kPlayUser));
        });
        return finished.wait(60000);
    }

    // Checks the order: discovery, then the browser's pages up to the redirect URI, then the token request.
    static QString checkBrowserLoginOrder(const QStringList &lines, const QString &issuer, int tokenStatus)
    {
        const QString all = lines.join(QLatin1Char('\n'));
        if (lines.size() < 5)
            return QStringLiteral("too few requests:\n") + all;
        if (!lines.first().startsWith(QStringLiteral("GET %1/.well-known/openid-configuration 200").arg(issuer)))
            return QStringLiteral("discovery is not first:\n") + all;
        const qsizetype authorize = lines.indexOf(QRegularExpression(QStringLiteral("^GET %1/auth\\?.* redirected$").arg(QRegularExpression::escape(issuer))));
        // The provider's login form, then its consent form, each posted and redirected.
        const QRegularExpression formPost(QStringLiteral("^POST %1/interaction/\\S+ redirected$").arg(QRegularExpression::escape(issuer)));
        const qsizetype loginPost = lines.indexOf(formPost);
        const qsizetype consent = loginPost < 0 ? -1 : lines.indexOf(formPost, loginPost + 1);
        const qsizetype callback = lines.indexOf(QRegularExpression(QStringLiteral("^GET http://127\\.0\\.0\\.1:\\d+/callback\\?\\S+ handed$")));
        const qsizetype token = lines.indexOf(QStringLiteral("POST %1/token %2").arg(issuer).arg(tokenStatus), callback);
        if (!(0 < authorize && authorize < loginPost && loginPost < consent && consent < callback && callback < token)) {
            for (const QString &line : lines)
                qInfo("%s", qPrintable(line.left(160)));
            return QStringLiteral("not in order (%1 %2 %3 %4 %5):\n").arg(authorize).arg(loginPost).arg(consent).arg(callback).arg(token) + all;
        }
        // The provider's login page was loaded between the authorization request and the login form's POST.
        if (!lines.mid(authorize, loginPost - authorize).filter(QRegularExpression(QStringLiteral("^GET \\S+/interaction/\\S+ 200$"))).size())
            return QStringLiteral("the login page is missing:\n") + all;
        return {};
    }

    // Neither `text` nor the HAR export of `trace` holds any of `secrets`.
    QString checkNoSecrets(TraceView *trace, const QList<QByteArray> &secrets)
    {
        const QString path = m_dir.filePath(QStringLiteral("trace.har"));
        QString error;
        if (!trace->exportHar(path, &error))
            return error;
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        const QByteArray har = file.readAll();
        const QJsonArray entries = QJsonDocument::fromJson(har).object()[QStringLiteral("log")][QStringLiteral("entries")].toArray();
        if (entries.size() != trace->model()->rowCount())
            return QStringLiteral("%1 HAR entries for %2 rows").arg(entries.size()).arg(trace->model()->rowCount());
        const QByteArray text = everything(trace->model()).toUtf8();
        for (const QByteArray &secret : secrets) {
            if (secret.isEmpty())
                return QStringLiteral("a secret to look for is empty");
            for (const QByteArray &form : {secret, QUrl::toPercentEncoding(QString::fromUtf8(secret)), secret.toBase64()})
                if (text.contains(form) || har.contains(form))
                    return QStringLiteral("the trace contains %1").arg(QString::fromUtf8(secret));
        }
        return {};
    }

    static QByteArray basicCredentials(const char *secret) { return QByteArray("portolan-confidential:") + secret; }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
        const QString path = m_dir.filePath(QStringLiteral("trace.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument).replace("ISSUER", issuer().toUtf8()));
        file.close();
        for (const auth::CredentialInfo &info : m_core->store()->list()) {
            bool done = false;
            m_core->store()->remove(info.id, [&done](const auth::StoreResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }
        m_workspace = std::make_unique<ApiWorkspace>(m_core.get(), QUrl::fromLocalFile(path));
        QSignalSpy loaded(m_workspace.get(), &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        m_workspace->resize(1200, 800);
        m_workspace->show();
    }

    void refusedLoginShowsItsTrace()
    {
        SchemeSetupDialog *dialog = m_workspace->securityPanel()->setUp(QStringLiteral("oidc"));
        QVERIFY(dialog);
        QVERIFY(!dialog->traceButton()->isVisible());
        int liveRows = 0;
        m_callback.clear();
        QVERIFY2(browserLogin(dialog, QStringLiteral("wrong-client-secret"), &liveRows), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("invalid_client")), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(liveRows >= 2, "the login window did not list the requests as they happened");  // discovery and the first page at least

        // The dialog offers the trace of what was sent and what came back.
        QVERIFY(dialog->traceButton()->isVisible());
        QTest::mouseClick(dialog->traceButton(), Qt::LeftButton);
        auto *trace = dialog->findChild<TraceView *>();
        QVERIFY(trace && trace->isVisible());
        QWidget *window = trace->window();
        const QStringList lines = rows(trace->model());
        const QString order = checkBrowserLoginOrder(lines, issuer(), 401);
        QVERIFY2(order.isEmpty(), qPrintable(order));
        QVERIFY2(lines.last().startsWith(QStringLiteral("POST %1/token 401").arg(issuer())), qPrintable(lines.join('\n')));
        // The provider's answer is in the detail panes.
        QCOMPARE(trace->list()->currentIndex().row(), lines.size() - 1);
        QVERIFY(trace->model()->exchange(lines.size() - 1).finalHop().response.body.bytes.contains("invalid_client"));
        test::saveScreenshot(window, QStringLiteral("35-login-trace-refused"));

        const QString code = QUrlQuery(m_callback).queryItemValue(QStringLiteral("code"));
        QVERIFY(!code.isEmpty());
        const QString leak = checkNoSecrets(trace, {"wrong-client-secret", basicCredentials("wrong-client-secret"), code.toUtf8(),
                                                    "typed-page-password"});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        // The PKCE verifier went out in the token request, and only as "<redacted>".
        const http::Exchange &token = trace->model()->exchange(trace->model()->rowCount() - 1);
        const QUrlQuery sent(QString::fromUtf8(token.hops.first().request.body.inMemoryBytes()));
        QCOMPARE(sent.queryItemValue(QStringLiteral("code_verifier"), QUrl::FullyDecoded), QStringLiteral("<redacted>"));
        window->close();
        dialog->close();
    }

    void successfulLoginIsTracedForTheCredential()
    {
        QVERIFY(QDir(auth::OidcDiscovery::defaultCacheDirectory()).removeRecursively());  // the provider keys are fetched
        SchemeSetupDialog *dialog = m_workspace->securityPanel()->setUp(QStringLiteral("oidc"));
        int liveRows = 0;
        m_callback.clear();
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        QVERIFY2(browserLogin(dialog, QStringLiteral("confidential-secret"), &liveRows), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(dialog->result() == QDialog::Accepted, qPrintable(dialog->statusLabel()->text()));
        QVERIFY(liveRows >= 2);
        const QList<auth::CredentialInfo> stored = m_core->store()->forScheme(api(), QStringLiteral("oidc"));
        QCOMPARE(stored.size(), 1);
        const QString id = stored.first().id;
        const client::CredentialTraces::Trace kept = m_core->traces()->last(id);
        QCOMPARE(kept.action, QStringLiteral("login"));

        // The token manager shows it, with the same panes.
        TokenManagerView manager(m_core.get());
        manager.resize(1000, 600);
        manager.show();
        manager.select(id);
        QDialog *window = manager.showTrace();
        QVERIFY(window);
        auto *trace = window->findChild<TraceView *>();
        const QStringList lines = rows(trace->model());
        const QString order = checkBrowserLoginOrder(lines, issuer(), 200);
        QVERIFY2(order.isEmpty(), qPrintable(order));
        const qsizetype token = lines.indexOf(QStringLiteral("POST %1/token 200").arg(issuer()));
        QCOMPARE(lines.mid(token + 1), (QStringList{QStringLiteral("GET %1/jwks 200").arg(issuer()), QStringLiteral("GET %1/me 200").arg(issuer())}));
        trace->list()->selectRow(int(token));
        QVERIFY(trace->details()->model()->section(ExchangeTreeModel::tr("Response")));
        test::saveScreenshot(window, QStringLiteral("36-login-trace-token-manager"));
        const QList<QByteArray> tokens{secretOf(id, auth::secret::AccessToken), secretOf(id, auth::secret::RefreshToken),
                                       secretOf(id, auth::secret::IdToken)};
        QString leak = checkNoSecrets(trace, tokens + QList<QByteArray>{"confidential-secret", basicCredentials("confidential-secret"),
                                                                         QUrlQuery(m_callback).queryItemValue(QStringLiteral("code")).toUtf8()});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        window->close();

        // A refresh from the token manager gets its own trace, without the old or new tokens.
        QSignalSpy done(&manager, &TokenManagerView::actionFinished);
        manager.refresh();
        QVERIFY(done.wait(20000));
        QVERIFY2(done.first().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        QCOMPARE(m_core->traces()->last(id).action, QStringLiteral("refresh"));
        window = manager.showTrace();
        QVERIFY(window);
        trace = window->findChild<TraceView *>();
        QCOMPARE(rows(trace->model()).first(), QStringLiteral("POST %1/token 200").arg(issuer()));
        leak = checkNoSecrets(trace, tokens + QList<QByteArray>{secretOf(id, auth::secret::AccessToken), secretOf(id, auth::secret::RefreshToken),
                                                                "confidential-secret", basicCredentials("confidential-secret")});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        window->close();

        // A refresh the request signer makes on its own before a send is traced too.
        const QDateTime before = m_core->traces()->last(id).at;
        QTest::qWait(5);
        bool signerRefreshed = false;
        m_core->tokens()->currentSecrets(
            id, [&](const auth::SecretsResult &result) { signerRefreshed = result.ok; }, 365 * 24 * 3600);
        QTRY_VERIFY_WITH_TIMEOUT(m_core->traces()->last(id).at > before, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(signerRefreshed, 5000);
        const client::CredentialTraces::Trace automatic = m_core->traces()->last(id);
        QCOMPARE(automatic.action, QStringLiteral("refresh"));
        QVERIFY(!automatic.exchanges.isEmpty());
        QCOMPARE(automatic.exchanges.first().hops.first().request.url.path(), QStringLiteral("/token"));
        QCOMPARE(automatic.exchanges.first().hops.last().response.status, 200);
        QCOMPARE(manager.selectedId(), id);  // the list reloaded with the new tokens, the selection stayed

        // And a revocation.
        manager.revoke();
        QVERIFY(done.wait(20000));
        QVERIFY2(done.last().at(1).toBool(), qPrintable(manager.statusLabel()->text()));
        const client::CredentialTraces::Trace revoked = m_core->traces()->last(id);
        QCOMPARE(revoked.action, QStringLiteral("revoke"));
        QCOMPARE(revoked.exchanges.size(), 2);  // the refresh token, then the access token
        for (const http::Exchange &exchange : revoked.exchanges)
            QCOMPARE(exchange.hops.first().request.url.path(), QStringLiteral("/token/revocation"));
    }

    void refusedPasswordLoginShowsItsTrace()
    {
        SchemeSetupDialog *dialog = m_workspace->securityPanel()->setUp(QStringLiteral("passwordAuth"));
        QVERIFY(dialog);
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-confidential"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("client_secret_basic"));
        dialog->field(QStringLiteral("clientSecret"))->setText(QStringLiteral("confidential-secret"));
        dialog->field(QStringLiteral("username"))->setText(QStringLiteral("bob"));
        dialog->field(QStringLiteral("password"))->setText(QStringLiteral("wrong-password-4711"));
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(dialog->traceButton()->isVisible());
        QTest::mouseClick(dialog->traceButton(), Qt::LeftButton);
        auto *trace = dialog->findChild<TraceView *>();
        QVERIFY(trace);
        QCOMPARE(rows(trace->model()), QStringList{QStringLiteral("POST %1/token 400").arg(issuer())});
        QVERIFY(trace->model()->exchange(0).finalHop().response.body.bytes.contains("invalid_grant"));
        const QString leak = checkNoSecrets(trace, {"wrong-password-4711", "confidential-secret", basicCredentials("confidential-secret")});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        dialog->close();
    }
};

QTEST_MAIN(TestLoginTrace)
#include "tst_logintrace.moc"
