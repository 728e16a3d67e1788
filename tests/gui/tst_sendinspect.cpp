// Sending and inspecting, for real: an API tab (ApiWorkspace) on a
// description whose server is a real httpbin on loopback; the user fills the
// parameter form, stores an API key through the security panel (real
// keychain), sends, and reads the result in the inspection panes. A 50 MB
// JSON body from a real HTTP server is formatted and searched off the UI
// thread; the longest event-loop stall is printed. An environment's variables
// (one secret, in the keychain) fill {{name}} in the query, a header and the
// body; exchanges are saved to the API's history and listed again when the
// tab is reopened, with no secret on disk. The client certificate named in
// Settings reaches an in-process HTTPS server; the credential the user chose
// among several for a scheme is sent and remembered across a reopen.
#include "guitestsupport.h"
#include "httpbin.h"
#include "serviceprocess.h"
#include "tlsserver.h"

#include "appsettings.h"
#include "apistatestore.h"
#include "apiworkspace.h"
#include "mainwindow.h"
#include "tokenlistmodel.h"
#include "tokenmanagerview.h"
#include "operationpage.h"
#include "requestbodyeditor.h"
#include "serverpicker.h"
#include "parameterfield.h"
#include "parameterform.h"
#include "bodyview.h"
#include "exchangelistmodel.h"
#include "clientcore.h"
#include "operationsender.h"
#include "exchangetree.h"
#include "inspectorpanel.h"
#include "largetextview.h"
#include "clientcore.h"
#include "requirementstatusview.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"
#include "securitypanel.h"

#include "credentialstore.h"
#include "environment.h"
#include "historystore.h"
#include "requestsigner.h"
#include "secretvariables.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTimer>
#include <QTreeView>

using namespace portolan;
using namespace portolan::gui;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: Send and inspect test, version: "1"}
servers: [{url: "HTTPBIN"}]
paths:
  /anything/search:
    get:
      operationId: search
      summary: Search with query and header parameters
      parameters:
        - {name: q, in: query, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, default: 10}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses: {"200": {description: echo}}
  /anything/keyed:
    get:
      operationId: keyed
      security: [{apiKey: []}]
      responses: {"200": {description: echo}}
  /anything/env:
    post:
      operationId: withVariables
      parameters:
        - {name: region, in: query, schema: {type: string}}
        - {name: X-Token, in: header, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: echo}}
  /image/png:
    get: {operationId: png, responses: {"200": {description: a picture}}}
  /html:
    get: {operationId: html, responses: {"200": {description: a page}}}
  /bytes/{n}:
    get:
      operationId: bytes
      parameters: [{name: n, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: random bytes}}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-API-Key, description: Any value; httpbin echoes it.}
)";

QJsonObject echoOf(const http::Exchange &exchange)
{
    return QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
}

} // namespace

class TestSendInspect : public QObject {
    Q_OBJECT
private:
    client::ClientCore m_core;  // shared by every window of the test, as main() shares it
    test::HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QString m_path;  // the description file
    std::unique_ptr<QSplitter> m_window;  // the workspace above the inspector, as the app shows them
    ApiWorkspace *m_workspace = nullptr;  // owned by m_window
    InspectorPanel *m_inspector = nullptr;  // owned by m_workspace

    int operationIndex(const QString &operationId) const
    {
        const auto &operations = m_workspace->operations();
        for (int i = 0; i < operations.size(); ++i)
            if (operations.at(i)->operationId() == operationId)
                return i;
        return -1;
    }

    // Opens the API tab (again), as the application does, and waits until it is loaded.
    void openTab()
    {
        m_workspace = new ApiWorkspace(&m_core, QUrl::fromLocalFile(m_path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.first().first().toBool());
        // The API tab's own inspector, as the application shows it.
        m_inspector = m_workspace->inspector();
        QVERIFY(m_inspector);
        m_window->addWidget(m_workspace);
    }

    // Closes the API tab (which saves its state) and opens it again.
    void reopenTab()
    {
        delete m_workspace;
        m_workspace = nullptr;
        m_inspector = nullptr;
        openTab();
    }

    // Shows the operation, sends it with Ctrl+Enter and returns the exchange.
    http::Exchange sendOperation(const QString &operationId, const QHash<QString, QString> &values = {},
                                 const QString &body = QString())
    {
        const int index = operationIndex(operationId);
        if (index < 0)
            return {};
        m_workspace->showOperation(index);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            m_workspace->operationPage()->parameterForm()->field(it.key())->setValue(it.value());
        if (!body.isEmpty())
            m_workspace->operationPage()->bodyEditor()->textEdit()->setPlainText(body);
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        // Shortcuts reach only the active window; a test before may have shown another one.
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            qWarning("the window did not become active");
        // Ctrl+Enter from inside the operation page, where the user just typed.
        QWidget *focus = m_workspace->operationPage()->parameterForm();
        focus->setFocus();
        QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
        if (!finished.wait(20000)) {
            qWarning("nothing sent: %s", qPrintable(m_inspector->statusLabel()->text()));
            return {};
        }
        return finished.first().first().value<http::Exchange>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("send.yaml"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument).replace("HTTPBIN", m_httpbin.baseUrl().toString().toUtf8()));
        file.close();

        // Start from an empty credential store.
        auth::CredentialStore *store = m_core.store();
        for (const auth::CredentialInfo &info : store->list()) {
            bool done = false;
            store->remove(info.id, [&done](const auth::StoreResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }

        // No history, environments or tab state from an earlier run.
        QVERIFY(QDir(http::HistoryStore().directory()).removeRecursively());
        QFile::remove(http::EnvironmentStore().file());
        QFile::remove(ApiStateStore::filePathFor(QUrl::fromLocalFile(m_path)));

        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        openTab();
        if (QTest::currentTestFailed())
            return;
        m_window->resize(1500, 980);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void sendsTheFormValuesAndShowsResponseAndTimings()
    {
        const http::Exchange exchange = sendOperation(QStringLiteral("search"),
                                                      {{QStringLiteral("query:q"), QStringLiteral("pets & more")},
                                                       {QStringLiteral("query:limit"), QStringLiteral("3")},
                                                       {QStringLiteral("header:X-Trace"), QStringLiteral("trace-42")}});
        QVERIFY2(exchange.hasResponse(), qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().response.status, 200);
        // What httpbin received is what the form said.
        const QJsonObject echo = echoOf(exchange);
        QCOMPARE(echo.value(QLatin1String("args")).toObject().value(QLatin1String("q")).toString(), QStringLiteral("pets & more"));
        QCOMPARE(echo.value(QLatin1String("args")).toObject().value(QLatin1String("limit")).toString(), QStringLiteral("3"));
        QCOMPARE(echo.value(QLatin1String("headers")).toObject().value(QLatin1String("X-Trace")).toString(),
                 QStringLiteral("trace-42"));

        // The panes: a history row, the detail tree, timings as a waterfall, the pretty body.
        QCOMPARE(m_inspector->history()->rowCount(), 1);
        QCOMPARE(m_inspector->history()->index(0, ExchangeListModel::Status).data().toString(), QStringLiteral("200 OK"));
        ExchangeTreeModel *detail = m_inspector->detail();
        QVERIFY(detail->section(QStringLiteral("Request")));
        QStandardItem *response = detail->section(QStringLiteral("Response"));
        QVERIFY(response);
        QCOMPARE(detail->index(response->row(), 1).data().toString(), QStringLiteral("200 OK"));
        QStandardItem *timings = detail->section(QStringLiteral("Timings"));
        QVERIFY(timings && timings->rowCount() > 1);
        int bars = 0;
        for (int i = 0; i < timings->rowCount(); ++i)
            if (timings->child(i, 1)->data(ExchangeTreeModel::WaterfallRole).isValid())
                ++bars;
        QVERIFY2(bars >= 1, "no timing phase has a waterfall bar");
        QTRY_VERIFY(!m_inspector->bodyView()->isRendering());
        QCOMPARE(m_inspector->bodyView()->kind(), BodyKind::Json);
        const TextLines &pretty = m_inspector->bodyView()->prettyView()->lines();
        QVERIFY(pretty.count() > 10);
        QVERIFY(QString::fromUtf8(pretty.bytes()).contains(QStringLiteral("\"q\": \"pets & more\"")));
        QVERIFY(m_inspector->statusLabel()->text().startsWith(QStringLiteral("200 OK")));
        test::saveScreenshot(m_window.get(), QStringLiteral("30-send-and-inspect"));
    }

    void apiKeyGoesToTheKeychainAndIntoTheRequest()
    {
        SecurityPanel panel(&m_core);
        panel.setDocument(m_workspace->document());
        panel.resize(900, 260);
        panel.show();
        SchemeSetupDialog *dialog = panel.setUp(QStringLiteral("apiKey"));
        QVERIFY(dialog);
        QLineEdit *secret = dialog->field(QStringLiteral("secret"));
        QVERIFY(secret);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        secret->setText(QStringLiteral("key-5f3a9"));
        test::saveScreenshot(dialog, QStringLiteral("20-apikey-setup"));
        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QVERIFY(finished.wait(15000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        QTRY_COMPARE(panel.model()->index(0, 2).data().toString(), QStringLiteral("Stored"));

        // In the keychain, not in the metadata file.
        auth::CredentialStore *store = m_core.store();
        const auto stored = store->forScheme(auth::apiIdentity(*m_workspace->document()), QStringLiteral("apiKey"));
        QCOMPARE(stored.size(), 1);
        QVERIFY2(!stored.first().sessionOnly, "no keychain: run inside dbus-run-session with gnome-keyring unlocked");
        QFile metadata(store->metadataFile());
        QVERIFY(metadata.open(QIODevice::ReadOnly));
        QVERIFY(!metadata.readAll().contains("key-5f3a9"));

        const http::Exchange exchange = sendOperation(QStringLiteral("keyed"));
        QVERIFY2(exchange.hasResponse(), qPrintable(exchange.errorMessage));
        QCOMPARE(echoOf(exchange).value(QLatin1String("headers")).toObject().value(QLatin1String("X-Api-Key")).toString(),
                 QStringLiteral("key-5f3a9"));
        // The operation page says which alternative is satisfied.
        QCOMPARE(m_workspace->operationPage()->securityStatus()->satisfiedAlternative(), QStringLiteral("apiKey"));
        // Masked in the panes unless the user asks.
        auto treeText = [this] {
            QString all;
            std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
                for (int r = 0; r < m_inspector->detail()->rowCount(parent); ++r) {
                    all += m_inspector->detail()->index(r, 1, parent).data().toString() + QLatin1Char('\n');
                    walk(m_inspector->detail()->index(r, 0, parent));
                }
            };
            walk({});
            return all;
        };
        QVERIFY(!treeText().contains(QStringLiteral("key-5f3a9")));
        m_inspector->showSecretsBox()->setChecked(true);
        QVERIFY(treeText().contains(QStringLiteral("key-5f3a9")));
        m_inspector->showSecretsBox()->setChecked(false);
        test::saveScreenshot(&panel, QStringLiteral("21-security-panel"));
    }

    void curlCopiedAndPastedSendsTheSameRequest()
    {
        m_inspector->selectExchange(0);
        const QString curl = m_inspector->curlForSelection();
        QVERIFY(curl.startsWith(QStringLiteral("curl")));
        QVERIFY(curl.contains(QStringLiteral("X-Trace: trace-42")));
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        QVERIFY(m_inspector->sendCurl(curl));
        QVERIFY(finished.wait(20000));
        const http::Exchange again = finished.first().first().value<http::Exchange>();
        QVERIFY(again.hasResponse());
        QCOMPARE(echoOf(again).value(QLatin1String("args")).toObject().value(QLatin1String("q")).toString(),
                 QStringLiteral("pets & more"));
        QVERIFY(!m_inspector->sendCurl(QStringLiteral("curl 'unterminated")));
        QVERIFY(m_inspector->statusLabel()->text().contains(QStringLiteral("curl")));
    }

    void harExportHasEveryExchangeAndNoSecret()
    {
        const QString path = m_dir.filePath(QStringLiteral("out.har"));
        QString error;
        QVERIFY2(m_inspector->exportHar(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray har = file.readAll();
        QVERIFY(!har.contains("key-5f3a9"));
        const QJsonArray entries = QJsonDocument::fromJson(har).object().value(QLatin1String("log")).toObject()
                                       .value(QLatin1String("entries")).toArray();
        QCOMPARE(entries.size(), m_inspector->history()->rowCount());
    }

    void environmentVariablesAreSubstitutedAndTheChoiceIsKept()
    {
        // An environment with a plain variable and a secret one, its value in the keychain.
        QString error;
        http::Environment staging{QStringLiteral("staging"),
                                  {{QStringLiteral("region"), QStringLiteral("eu-west"), false},
                                   {QStringLiteral("token"), QString(), true}}};
        QVERIFY2(http::EnvironmentStore().save({staging}, &error), qPrintable(error));
        http::SecretVariableStore secrets;
        std::optional<http::SecretVariableResult> saved;
        secrets.save(QStringLiteral("staging"), QStringLiteral("token"), QStringLiteral("tok-7781"),
                     [&saved](const http::SecretVariableResult &result) { saved = result; });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 10000);
        QVERIFY2(saved->ok && !saved->sessionOnly, qPrintable(saved->error));

        // Environments are offered when the tab opens; choose it in the picker.
        reopenTab();
        if (QTest::currentTestFailed())
            return;
        QComboBox *picker = m_workspace->operationPage()->environmentBox();
        QCOMPARE(picker->itemText(0), QStringLiteral("No environment"));
        const int index = picker->findText(QStringLiteral("staging"));
        QVERIFY(index > 0);
        picker->setCurrentIndex(index);

        const QString body = QStringLiteral(R"({"where": "{{region}}", "token": "{{token}}"})");
        const http::Exchange exchange = sendOperation(QStringLiteral("withVariables"),
                                                      {{QStringLiteral("query:region"), QStringLiteral("{{region}}")},
                                                       {QStringLiteral("header:X-Token"), QStringLiteral("{{ token }}")}},
                                                      body);
        QVERIFY2(exchange.hasResponse(), qPrintable(m_inspector->statusLabel()->text()));
        const QJsonObject echo = echoOf(exchange);
        QCOMPARE(echo.value(QLatin1String("args")).toObject().value(QLatin1String("region")).toString(), QStringLiteral("eu-west"));
        QCOMPARE(echo.value(QLatin1String("headers")).toObject().value(QLatin1String("X-Token")).toString(), QStringLiteral("tok-7781"));
        QCOMPARE(echo.value(QLatin1String("json")).toObject().value(QLatin1String("where")).toString(), QStringLiteral("eu-west"));
        QCOMPARE(echo.value(QLatin1String("json")).toObject().value(QLatin1String("token")).toString(), QStringLiteral("tok-7781"));
        // The secret is masked in the panes like a credential.
        m_inspector->selectExchange(m_inspector->history()->rowCount() - 1);
        QVERIFY(!m_inspector->curlForSelection().contains(QStringLiteral("tok-7781")));

        // {{name}} is marked in the body editor.
        const QTextBlock block = m_workspace->operationPage()->bodyEditor()->textEdit()->document()->firstBlock();
        const int at = int(block.text().indexOf(QStringLiteral("{{region}}")));
        QVERIFY(at >= 0);
        bool marked = false;
        for (const QTextLayout::FormatRange &range : block.layout()->formats())
            marked |= range.start <= at && range.start + range.length >= at + 10 && range.format.background().style() != Qt::NoBrush;
        QVERIFY(marked);
        // And in the server URL a server picker shows.
        ServerPicker servers;
        servers.setServers({Server{QStringLiteral("https://{{host}}/v1"), {}, {}}});
        QVERIFY(servers.urlLabel()->text().contains(QStringLiteral("environment variable\">{{host}}</span>")));

        // A variable without a value: nothing is sent, and the user is told which.
        const int rows = m_inspector->history()->rowCount();
        m_workspace->operationPage()->parameterForm()->field(QStringLiteral("header:X-Token"))->setValue(QStringLiteral("{{nope}}"));
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        m_inspector->send();
        QTRY_VERIFY_WITH_TIMEOUT(m_inspector->statusLabel()->text().contains(QStringLiteral("{{nope}}")), 10000);
        QVERIFY(!finished.wait(500));
        QCOMPARE(m_inspector->history()->rowCount(), rows);
        m_workspace->operationPage()->parameterForm()->field(QStringLiteral("header:X-Token"))->setValue(QString());

        // The choice survives closing the tab; the secret is in no file.
        reopenTab();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_workspace->operationPage()->environmentBox()->currentText(), QStringLiteral("staging"));
        QFile state(ApiStateStore::filePathFor(QUrl::fromLocalFile(m_path)));
        QVERIFY(state.open(QIODevice::ReadOnly));
        const QByteArray stateText = state.readAll();
        QVERIFY(stateText.contains("\"environment\": \"staging\""));
        QVERIFY(!stateText.contains("tok-7781"));
        QFile environments(http::EnvironmentStore().file());
        QVERIFY(environments.open(QIODevice::ReadOnly));
        QVERIFY(!environments.readAll().contains("tok-7781"));
    }

    void historyIsListedAgainWhenTheTabReopens()
    {
        // An exchange signed with the API key stored earlier.
        const http::Exchange exchange = sendOperation(QStringLiteral("keyed"));
        QVERIFY2(exchange.hasResponse(), qPrintable(exchange.errorMessage));
        const QString apiId = auth::apiIdentity(*m_workspace->document());
        const int rows = m_inspector->history()->rowCount();
        QVERIFY(rows >= 2);
        // Saved off the UI thread: wait until every listed exchange is on disk.
        QTRY_COMPARE_WITH_TIMEOUT(int(http::HistoryStore().entries(apiId).size()), rows, 10000);

        reopenTab();
        if (QTest::currentTestFailed())
            return;
        ExchangeListModel *history = m_inspector->history();
        QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), rows, 10000);
        QVERIFY(history->index(rows - 1, ExchangeListModel::Url).data().toString().endsWith(QStringLiteral("/anything/keyed")));
        QCOMPARE(history->index(rows - 1, ExchangeListModel::Status).data().toString(), QStringLiteral("200 OK"));
        QCOMPARE(history->exchange(rows - 1).id, exchange.id);
        // The inspection panes show the saved exchange: the echoed (redacted) key header and the body.
        m_inspector->selectExchange(rows - 1);
        QTRY_VERIFY(!m_inspector->bodyView()->isRendering());
        QCOMPARE(m_inspector->bodyView()->kind(), BodyKind::Json);
        QVERIFY(m_inspector->curlForSelection().contains(QStringLiteral("/anything/keyed")));

        // No secret in any history file: neither the API key nor the secret variable.
        int files = 0;
        for (QDirIterator it(http::HistoryStore().directoryFor(apiId), QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            QVERIFY2(!text.contains("key-5f3a9"), qPrintable(file.fileName()));
            QVERIFY2(!text.contains("tok-7781"), qPrintable(file.fileName()));
            ++files;
        }
        QCOMPARE(files, rows);
    }

    void imageHtmlAndBinaryBodies()
    {
        http::Exchange png = sendOperation(QStringLiteral("png"));
        QVERIFY(png.hasResponse());
        QTRY_VERIFY(!m_inspector->bodyView()->isRendering());
        QCOMPARE(http::headerValue(png.finalHop().response.headers, "Content-Type"), QByteArray("image/png"));
        QCOMPARE(m_inspector->bodyView()->kind(), BodyKind::Image);
        QVERIFY(!m_inspector->bodyView()->imageView()->pixmap().isNull());
        test::saveScreenshot(m_inspector, QStringLiteral("31-image-preview"));

        http::Exchange html = sendOperation(QStringLiteral("html"));
        QVERIFY(html.hasResponse());
        QTRY_VERIFY(!m_inspector->bodyView()->isRendering());
        QCOMPARE(m_inspector->bodyView()->kind(), BodyKind::Html);
        QVERIFY(m_inspector->bodyView()->htmlView()->toPlainText().contains(QStringLiteral("Herman Melville")));

        http::Exchange bytes = sendOperation(QStringLiteral("bytes"), {{QStringLiteral("path:n"), QStringLiteral("300")}});
        QVERIFY(bytes.hasResponse());
        QTRY_VERIFY(!m_inspector->bodyView()->isRendering());
        QCOMPARE(m_inspector->bodyView()->kind(), BodyKind::Binary);
        QCOMPARE(m_inspector->bodyView()->tabs()->currentWidget(), m_inspector->bodyView()->hexView());
        QCOMPARE(m_inspector->bodyView()->hexView()->lines().count(), qint64(19));  // 300 bytes, 16 per line
    }

    void tokenManagerOpensFromTheToolsMenu()
    {
        MainWindow window(&m_core);
        window.show();
        QAction *tokens = nullptr;
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == QStringLiteral("&Tokens and Credentials…"))
                tokens = action;
        QVERIFY(tokens);
        QCOMPARE(tokens->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
        tokens->trigger();
        auto *manager = window.findChild<TokenManagerView *>();
        QVERIFY(manager && manager->isVisible());
        // The API key stored above is listed, with no secret in the table.
        QVERIFY(manager->model()->rowCount() >= 1);
        QCOMPARE(manager->model()->index(0, TokenListModel::Scheme).data().toString(), QStringLiteral("apiKey"));
        tokens->trigger();
        QCOMPARE(window.findChildren<TokenManagerView *>().size(), 1);  // one window, raised again
    }

    void hugeJsonStaysScrollableAndSearchable()
    {
        // 50 MB of JSON from a plain static server (httpbin cannot make that much).
        const QString dir = m_dir.filePath(QStringLiteral("static"));
        QDir().mkpath(dir);
        {
            QFile big(dir + QStringLiteral("/big.json"));
            QVERIFY(big.open(QIODevice::WriteOnly));
            big.write("{\"items\":[");
            qint64 written = 0;
            for (int i = 0; written < 50 * 1024 * 1024; ++i) {
                const QByteArray item = QStringLiteral("%1{\"id\":%2,\"name\":\"item %2\",\"tags\":[\"a\",\"b\"],\"ok\":true}")
                                            .arg(i ? QStringLiteral(",") : QString())
                                            .arg(i)
                                            .toUtf8();
                written += big.write(item);
            }
            big.write("],\"last\":\"needle-at-the-end\"}");
        }
        test::ServiceProcess server;
        // Port 0: the server says which port it got (unbuffered, -u, so the line arrives at once).
        QVERIFY2(server.start(QStringLiteral("/usr/bin/python3"),
                              {QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("0"),
                               QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--directory"), dir},
                              QRegularExpression(QStringLiteral(R"(Serving HTTP on 127\.0\.0\.1 port (\d+))"))),
                 qPrintable(server.output()));
        const quint16 port = server.port();

        // Measure the longest gap between event-loop turns while receiving, formatting and searching.
        QElapsedTimer clock;
        qint64 last = 0, worst = 0, worstAt = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            if (now - last > worst) {
                worst = now - last;
                worstAt = now;
            }
            last = now;
        });
        clock.start();
        ticker.start();

        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        QSignalSpy rendered(m_inspector->bodyView(), &BodyView::rendered);
        QVERIFY(m_inspector->sendCurl(QStringLiteral("curl http://127.0.0.1:%1/big.json").arg(port)));
        QVERIFY(finished.wait(60000));
        const qint64 received = clock.elapsed();
        QVERIFY(rendered.wait(120000));
        const qint64 formatted = clock.elapsed();
        BodyView *body = m_inspector->bodyView();
        QCOMPARE(body->kind(), BodyKind::Json);
        QVERIFY(body->renderedBody().prettified);
        QVERIFY(body->renderedBody().size > 50 * 1024 * 1024);
        LargeTextView *view = body->prettyView();
        QVERIFY(view->lines().count() > 1'000'000);

        // Scroll to the end: the last lines are there.
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
        QTest::qWait(50);
        QVERIFY(view->lines().line(view->lines().count() - 2).contains(QStringLiteral("needle-at-the-end")));

        QSignalSpy searched(body, &BodyView::searchFinished);
        body->searchField()->setText(QStringLiteral("NEEDLE-at"));
        view->verticalScrollBar()->setValue(0);
        QTest::keyClick(body->searchField(), Qt::Key_Return);
        QVERIFY(searched.wait(60000));
        QVERIFY(searched.first().first().toBool());
        QVERIFY(view->firstVisibleLine() > view->lines().count() - 100);
        const qint64 searchedAt = clock.elapsed();
        ticker.stop();
        test::saveScreenshot(m_inspector, QStringLiteral("32-50mb-json"));
        qInfo("50 MB JSON: received in %lld ms, formatted by %lld ms, found the last match by %lld ms; "
              "longest event-loop stall %lld ms (ending at %lld ms); %lld pretty lines",
              received, formatted, searchedAt, worst, worstAt, view->lines().count());
        server.stop();
    }

    // Settings (as the dialog saves them) name the test CA and a client
    // certificate; the operation goes through the real window to an in-process
    // HTTPS server that asks for a client certificate and echoes its CN.
    void clientCertificateFromSettingsIsPresented()
    {
        QTemporaryDir certificateDir;
        test::TestCertificates certificates;
        QString error;
        QVERIFY2(certificates.generate(certificateDir.path(), &error), qPrintable(error));
        test::TlsServer server;
        QVERIFY2(server.start(certificates, &error), qPrintable(error));
        const QString path = m_dir.filePath(QStringLiteral("tls.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("openapi: 3.0.3\ninfo: {title: TLS test, version: \"1\"}\n"
                                  "servers: [{url: \"https://127.0.0.1:%1\"}]\n"
                                  "paths:\n  /whoami:\n    get: {operationId: whoami, responses: {\"200\": {description: CN}}}\n")
                       .arg(server.port())
                       .toUtf8());
        file.close();

        AppSettings settings = AppSettings::load();
        settings.caCertificateFiles = {certificates.caCertificate};
        settings.save();
        QVERIFY(settings.apply().isEmpty());
        // A second API tab on the TLS server; sendOperation() drives it.
        ApiWorkspace *const httpbinTab = m_workspace;
        InspectorPanel *const httpbinInspector = m_inspector;
        auto restore = qScopeGuard([&] {
            AppSettings cleared = AppSettings::load();
            cleared.caCertificateFiles.clear();
            cleared.clientCertificateFile.clear();
            cleared.clientKeyFile.clear();
            cleared.save();
            cleared.apply();
            if (m_workspace != httpbinTab)
                delete m_workspace;
            m_workspace = httpbinTab;
            m_inspector = httpbinInspector;
            QFile::remove(ApiStateStore::filePathFor(QUrl::fromLocalFile(path)));
        });
        m_workspace = new ApiWorkspace(&m_core, QUrl::fromLocalFile(path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.first().first().toBool());
        m_inspector = m_workspace->inspector();
        m_window->addWidget(m_workspace);

        // No client certificate in Settings: the server sees none.
        const http::Exchange without = sendOperation(QStringLiteral("whoami"));
        QVERIFY2(without.hasResponse(), qPrintable(without.errorMessage));
        QCOMPARE(without.finalHop().response.body.read(), QByteArray("client=none"));
        QVERIFY(!without.finalHop().tls.clientCertificateSent);

        settings.clientCertificateFile = certificates.clientCertificate;
        settings.clientKeyFile = certificates.clientKey;
        settings.save();
        const http::Exchange with = sendOperation(QStringLiteral("whoami"));
        QVERIFY2(with.hasResponse(), qPrintable(with.errorMessage));
        QCOMPARE(with.finalHop().response.body.read(), QByteArray("client=portolan-test-client"));
        QVERIFY(with.finalHop().tls.clientCertificateSent);
        QCOMPARE(with.finalHop().tls.clientCertificateSubject, QStringLiteral("CN=portolan-test-client"));

        // A passphrase-protected key: the app asks for the passphrase; nothing goes out before it
        // is given, then the request presents the certificate.
        const QString encrypted = certificateDir.filePath(QStringLiteral("client-encrypted.key"));
        QCOMPARE(QProcess::execute(QStringLiteral("openssl"),
                                   {QStringLiteral("pkey"), QStringLiteral("-in"), certificates.clientKey,
                                    QStringLiteral("-aes256"), QStringLiteral("-passout"), QStringLiteral("pass:hunter2"),
                                    QStringLiteral("-out"), encrypted}),
                 0);
        settings.clientKeyFile = encrypted;
        settings.save();
        const int exchanges = m_inspector->history()->rowCount();
        QSignalSpy started(m_inspector->runner(), &client::OperationSender::started);
        m_workspace->showOperation(operationIndex(QStringLiteral("whoami")));
        QWidget *focus = m_workspace->operationPage()->parameterForm();
        focus->setFocus();
        QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
        QInputDialog *prompt = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((prompt = m_inspector->findChild<QInputDialog *>()) != nullptr, 5000);
        QVERIFY2(prompt->labelText().contains(QStringLiteral("assphrase")), qPrintable(prompt->labelText()));
        QTest::qWait(300);
        QCOMPARE(started.count(), 0);
        QCOMPARE(m_inspector->history()->rowCount(), exchanges);
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        prompt->setTextValue(QStringLiteral("hunter2"));
        prompt->accept();
        QVERIFY(finished.wait(20000));
        const http::Exchange unlocked = finished.first().first().value<http::Exchange>();
        QVERIFY2(unlocked.hasResponse(), qPrintable(unlocked.errorMessage));
        QCOMPARE(unlocked.finalHop().response.body.read(), QByteArray("client=portolan-test-client"));
        QVERIFY(unlocked.finalHop().tls.clientCertificateSent);
    }

    // Two API keys for one scheme: the user picks the older one in the API
    // tab's security panel; it is sent, remembered across a reopen, and a
    // deleted choice falls back to the default (the most recent).
    void chosenCredentialIsSentAndRestored()
    {
        auth::CredentialStore *store = m_core.store();
        const QString api = auth::apiIdentity(*m_workspace->document());
        const QString scheme = QStringLiteral("apiKey");
        for (const auth::CredentialInfo &info : store->forScheme(api, scheme)) {
            bool done = false;
            store->remove(info.id, [&done](const auth::StoreResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }
        auto storeKey = [&](const QString &label, const QByteArray &key, QString *id) {
            auth::CredentialInfo info;
            info.api = api;
            info.apiTitle = m_workspace->document()->info.title;
            info.scheme = scheme;
            info.kind = auth::CredentialKind::ApiKey;
            info.label = label;
            bool done = false;
            store->save(info, {{QString::fromLatin1(auth::secret::ApiKey), key}},
                        [&](const auth::StoreResult &result, const auth::CredentialInfo &saved) {
                            if (result.ok)
                                *id = saved.id;
                            done = true;
                        });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        };
        QString older, newer;
        storeKey(QStringLiteral("older key"), "key-older", &older);
        QTest::qWait(50);  // a later `updated` time: the newer one is the default
        storeKey(QStringLiteral("newer key"), "key-newer", &newer);
        QVERIFY(!older.isEmpty() && !newer.isEmpty());
        auto sentKey = [this] {
            const http::Exchange exchange = sendOperation(QStringLiteral("keyed"));
            return echoOf(exchange).value(QLatin1String("headers")).toObject().value(QLatin1String("X-Api-Key")).toString();
        };
        QCOMPARE(sentKey(), QStringLiteral("key-newer"));

        // The user picks the older one with the keyboard in the scheme's credential choice.
        auto choose = [this, &scheme](const QString &id) {
            SecurityPanel *panel = m_workspace->securityPanel();
            panel->view()->selectRow(panel->model()->rowOf(scheme));
            QComboBox *choice = panel->credentialChoice();
            QVERIFY(!choice->isHidden());
            QCOMPARE(choice->count(), 3);  // the default and both keys
            const int wanted = choice->findData(id);
            QVERIFY(wanted > 0);
            choice->setFocus();
            while (choice->currentIndex() < wanted)
                QTest::keyClick(choice, Qt::Key_Down);
        };
        choose(older);
        QCOMPARE(m_workspace->securityPanel()->chosenCredentials().value(scheme), older);
        QCOMPARE(sentKey(), QStringLiteral("key-older"));

        reopenTab();
        SecurityPanel *panel = m_workspace->securityPanel();
        QCOMPARE(panel->chosenCredentials().value(scheme), older);
        panel->view()->selectRow(panel->model()->rowOf(scheme));
        QCOMPARE(panel->credentialChoice()->currentData().toString(), older);
        QCOMPARE(sentKey(), QStringLiteral("key-older"));

        // The chosen one is deleted: back to the default, and the stale choice is dropped from the saved state.
        bool removed = false;
        store->remove(older, [&removed](const auth::StoreResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 10000);
        QTRY_VERIFY(!panel->chosenCredentials().contains(scheme));
        QVERIFY(panel->credentialChoice()->isHidden());  // one credential left: nothing to choose
        QCOMPARE(sentKey(), QStringLiteral("key-newer"));
        m_workspace->saveState();
        QVERIFY(!m_workspace->stateStore()->load().chosenCredentials.contains(scheme));

        bool done = false;
        store->remove(newer, [&done](const auth::StoreResult &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("PortolanTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sendinspect"));
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    TestSendInspect test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_sendinspect.moc"
