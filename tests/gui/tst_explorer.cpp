// The explorer through the real main window: open the bundled demo as a
// user would (command line path, drag and drop), filter, pick operations,
// fill the generated form, read the body example, the responses tree with
// its cycle, the security alternatives; state saved and restored; cancel.
#include "guitestsupport.h"

#include "apimodel.h"
#include "appsettings.h"
#include "apistatestore.h"
#include "apiworkspace.h"
#include "loadprogressbar.h"
#include "clientcore.h"
#include "mainwindow.h"
#include "navigatormodel.h"
#include "navigatorpanel.h"
#include "operationpage.h"
#include "parameterfield.h"
#include "parameterform.h"
#include "recentdocuments.h"
#include "requestbodyeditor.h"
#include "responsesview.h"
#include "schematreemodel.h"
#include "securityrequirementview.h"
#include "serverpicker.h"
#include "settingsdialog.h"
#include "welcomepage.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QNetworkProxy>
#include <QToolButton>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QTreeView>

using namespace portolan;
using namespace portolan::gui;
using portolan::test::saveScreenshot;

class TestExplorer : public QObject {
    Q_OBJECT
private:
    client::ClientCore m_core;  // shared by every window of the test, as main() shares it
    std::unique_ptr<MainWindow> m_window;

    ApiWorkspace *openDemo()
    {
        ApiWorkspace *workspace = m_window->openSource(portolan::test::demoPath());
        if (!workspace)
            return nullptr;
        if (workspace->document())
            return workspace;
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        if (!finished.wait(15000) || !finished.first().first().toBool())
            return nullptr;
        return workspace;
    }

    static int operationIndex(ApiWorkspace *workspace, const QString &operationId)
    {
        const auto &operations = workspace->operations();
        for (int i = 0; i < operations.size(); ++i) {
            if (operations[i]->operationId() == operationId)
                return i;
        }
        return -1;
    }

    // Clicks the operation's row in the navigator, as a user would.
    static bool clickOperation(ApiWorkspace *workspace, const QString &operationId)
    {
        const int operation = operationIndex(workspace, operationId);
        QTreeView *view = workspace->navigator()->view();
        const QModelIndex index = workspace->navigator()->model()->indexOfOperation(operation);
        if (!index.isValid())
            return false;
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        return workspace->currentOperation() == operation;
    }

    static QLineEdit *lineEdit(ParameterForm *form, const QString &key)
    {
        ParameterField *field = form->field(key);
        return field ? qobject_cast<QLineEdit *>(field->editor()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PortolanTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_explorer"));
        QFile::remove(ApiStateStore::filePathFor(QUrl::fromLocalFile(portolan::test::demoPath())));
        RecentDocuments().clear();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>(&m_core);
        m_window->resize(1440, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Shortcuts (Ctrl+K, Esc) only reach the active window.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void welcomePageComesFirst()
    {
        QCOMPARE(m_window->workspaceCount(), 0);
        QVERIFY(m_window->welcomePage()->isVisible());
        saveScreenshot(m_window.get(), QStringLiteral("01-welcome"));
    }

    void opensTheDemoAndListsItsOperations()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QCOMPARE(workspace->title(), QStringLiteral("Portolan Demo API"));
        QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("Portolan Demo API"));
        QCOMPARE(workspace->operations().size(), 21);
        NavigatorModel *model = workspace->navigator()->model();
        QCOMPARE(model->visibleOperationCount(), 21);
        // Tags in declared order: Authentication, Parameters, Bodies, Legacy.
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Authentication"));
        QCOMPARE(model->rowCount(model->index(0, 0)), 13);
        const QModelIndex legacy = model->indexOfOperation(operationIndex(workspace, "listPetsV1"));
        QVERIFY(legacy.data(NavigatorModel::DeprecatedRole).toBool());
        QVERIFY(!workspace->progressBar()->isVisible());
        QVERIFY(m_window->recentDocuments()->urls().contains(QUrl::fromLocalFile(portolan::test::demoPath())));
        saveScreenshot(m_window.get(), QStringLiteral("02-overview"));

        // Opening the same document again switches to its tab instead of loading it twice.
        QCOMPARE(m_window->openSource(portolan::test::demoPath()), workspace);
        QCOMPARE(m_window->workspaceCount(), 1);
    }

    // Qt WebEngine is loaded only when a login needs it: opening and browsing
    // an API must not start a WebEngine process nor create a web view.
    void browsingStartsNoWebEngine()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "oauthAuthorizationCode"));
        const QWidgetList widgets = QApplication::allWidgets();
        QVERIFY(std::none_of(widgets.begin(), widgets.end(), [](QWidget *w) { return w->inherits("QWebEngineView"); }));
        const QString self = QString::number(QCoreApplication::applicationPid());
        const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
        for (const QString &entry : entries) {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
            if (!stat.open(QIODevice::ReadOnly))
                continue;
            // pid (comm) state ppid …; comm may hold spaces, so split after the ')'.
            const QString line = QString::fromLocal8Bit(stat.readAll());
            const QStringList fields = line.mid(line.lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
            if (fields.value(1) == self)
                QVERIFY2(!line.contains(QStringLiteral("QtWebEngine")), qPrintable(line));
        }
    }

    void pathTreeToggle()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QToolButton *paths = nullptr;
        for (QToolButton *button : workspace->navigator()->findChildren<QToolButton *>()) {
            if (button->text() == QLatin1String("Paths"))
                paths = button;
        }
        QVERIFY(paths);
        QTest::mouseClick(paths, Qt::LeftButton);
        NavigatorModel *model = workspace->navigator()->model();
        QCOMPARE(model->grouping(), NavigatorModel::Grouping::ByPath);
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("/anything"));
        QVERIFY(clickOperation(workspace, "getPet"));
        saveScreenshot(m_window.get(), QStringLiteral("03-path-tree"));
        // The choice is part of the API's saved state.
        workspace->saveState();
        m_window->closeWorkspace(0);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        workspace = openDemo();
        QVERIFY(workspace->navigator()->isGroupedByPath());
        workspace->navigator()->setGroupedByPath(false);
        workspace->saveState();
    }

    void settingsRoundTripAndDarkTheme()
    {
        AppSettings settings;
        settings.proxy = AppSettings::Proxy::Manual;
        settings.proxyHost = QStringLiteral("proxy.test");
        settings.proxyPort = 3128;
        settings.theme = AppSettings::Theme::Dark;
        settings.save();
        const AppSettings loaded = AppSettings::load();
        QCOMPARE(loaded.proxyHost, QStringLiteral("proxy.test"));
        QCOMPARE(loaded.proxyPort, 3128);
        QCOMPARE(loaded.theme, AppSettings::Theme::Dark);

        SettingsDialog dialog(loaded, m_window.get());
        QCOMPARE(dialog.settings().proxyHost, QStringLiteral("proxy.test"));
        QCOMPARE(dialog.settings().theme, AppSettings::Theme::Dark);
        // The client certificate and key paths, typed where a user finds them by their accessible names.
        QLineEdit *clientCertificate = nullptr, *clientKey = nullptr;
        for (QLineEdit *field : dialog.findChildren<QLineEdit *>()) {
            if (field->accessibleName() == QStringLiteral("Client certificate file"))
                clientCertificate = field;
            if (field->accessibleName() == QStringLiteral("Client private key file"))
                clientKey = field;
        }
        QVERIFY(clientCertificate && clientKey);
        QTest::keyClicks(clientCertificate, QStringLiteral("/certs/me.pem"));
        QTest::keyClicks(clientKey, QStringLiteral("/certs/me.key"));
        dialog.settings().save();
        QCOMPARE(AppSettings::load().clientCertificateFile, QStringLiteral("/certs/me.pem"));
        QCOMPARE(AppSettings::load().clientKeyFile, QStringLiteral("/certs/me.key"));
        QCOMPARE(SettingsDialog(AppSettings::load()).settings().clientKeyFile, QStringLiteral("/certs/me.key"));
        dialog.show();
        saveScreenshot(&dialog, QStringLiteral("12-settings"));
        dialog.close();

        QVERIFY(loaded.apply().isEmpty());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QCOMPARE(QNetworkProxy::applicationProxy().hostName(), QStringLiteral("proxy.test"));
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "createPet"));
        saveScreenshot(m_window.get(), QStringLiteral("13-dark-theme"));

        AppSettings back;  // system theme, system proxy
        back.save();
        back.apply();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
    }

    void opensADocumentFromAUrl()
    {
        QFile demo(portolan::test::demoPath());
        QVERIFY(demo.open(QIODevice::ReadOnly));
        const QByteArray content = demo.readAll();
        QHttpServer server;
        server.route("/specs/demo.yaml", [content] { return QHttpServerResponse("application/yaml", content); });
        const quint16 port = server.listen(QHostAddress::LocalHost);
        QVERIFY(port);
        const QString url = QStringLiteral("http://127.0.0.1:%1/specs/demo.yaml").arg(port);
        ApiWorkspace *workspace = m_window->openSource(url);
        QVERIFY(workspace);
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        QVERIFY(finished.wait(15000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(workspace->operations().size(), 21);
        QCOMPARE(m_window->tabs()->tabToolTip(0), url);
        QVERIFY(m_window->recentDocuments()->urls().contains(QUrl(url)));
    }

    void filterFindsOperationsFromTheKeyboard()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
        auto *filter = workspace->navigator()->findChild<QLineEdit *>();
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("pet"));
        QCOMPARE(workspace->navigator()->model()->visibleOperationCount(), 5);
        QTest::keyClicks(filter, QStringLiteral("s/{"));  // "pets/{"
        QCOMPARE(workspace->navigator()->model()->visibleOperationCount(), 3);
        filter->clear();
        QTest::keyClicks(filter, QStringLiteral("post pet"));
        QCOMPARE(workspace->navigator()->model()->visibleOperationCount(), 1);
        saveScreenshot(m_window.get(), QStringLiteral("03-filtered"));
        // Down moves from the filter into the list and opens the only match.
        QTest::keyClick(filter, Qt::Key_Down);
        QTRY_COMPARE(workspace->currentOperation(), operationIndex(workspace, "createPet"));
        filter->clear();
        QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("delete"));
        QCOMPARE(workspace->navigator()->model()->visibleOperationCount(), 1);
    }

    void operationPageBuildsTheFormFromSchemas()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "getPet"));
        OperationPage *page = workspace->operationPage();
        QVERIFY(page->isVisible());
        ParameterForm *form = page->parameterForm();

        // enum -> choice with the default selected
        auto *status = qobject_cast<QComboBox *>(form->field("query:status")->editor());
        QVERIFY(status);
        QCOMPARE(status->currentText(), QStringLiteral("available"));
        QCOMPARE(status->count(), 4);  // "(not set)" + three values
        // boolean -> check box, default false
        auto *verbose = qobject_cast<QCheckBox *>(form->field("query:verbose")->editor());
        QVERIFY(verbose);
        QCOMPARE(verbose->checkState(), Qt::Unchecked);
        // integer -> validated line with its default; bounds checked
        QLineEdit *limit = lineEdit(form, "query:limit");
        QVERIFY(limit);
        QCOMPARE(limit->text(), QStringLiteral("20"));
        limit->selectAll();
        QTest::keyClicks(limit, QStringLiteral("500"));
        QCOMPARE(form->validationMessage("query:limit"), QStringLiteral("Must be at most 100"));
        QTest::keyClicks(limit, QStringLiteral("x"));  // the validator refuses letters
        QCOMPARE(limit->text(), QStringLiteral("500"));
        // required path parameter: empty is an error until filled
        QLineEdit *petId = lineEdit(form, "path:petId");
        QVERIFY(petId);
        QCOMPARE(form->validationMessage("path:petId"), QStringLiteral("Required"));
        QTest::keyClicks(petId, QStringLiteral("0"));
        QCOMPARE(form->validationMessage("path:petId"), QStringLiteral("Must be at least 1"));
        petId->clear();
        QTest::keyClicks(petId, QStringLiteral("42"));
        QVERIFY(form->validationMessage("path:petId").isEmpty());
        // arrays -> comma lists, items checked against their type
        QLineEdit *ids = lineEdit(form, "query:ids");
        QVERIFY(ids);
        QTest::keyClicks(ids, QStringLiteral("1, 2, three"));
        QCOMPARE(form->validationMessage("query:ids"), QStringLiteral("Item \"three\": Must be a whole number"));
        // the other locations are there too
        QVERIFY(form->field("header:X-Request-Id"));
        QVERIFY(form->field("cookie:session"));

        QCOMPARE(form->values().value("path:petId"), QStringLiteral("42"));
        QCOMPARE(form->values().value("query:status"), QStringLiteral("available"));
        QVERIFY(page->descriptionView()->toPlainText().contains(QStringLiteral("Every field below is generated")));
        // Markdown tables render as tables, not as pipes.
        QVERIFY(!page->descriptionView()->toPlainText().contains(QStringLiteral("|---|")));
        limit->selectAll();
        QTest::keyClicks(limit, QStringLiteral("50"));
        saveScreenshot(m_window.get(), QStringLiteral("04-operation-parameters"));

        // Responses: status codes, media types, $ref names.
        SchemaTreeModel *responses = page->responsesView()->schemaModel();
        QCOMPARE(responses->rowCount(), 2);
        QCOMPARE(responses->index(0, 0).data().toString(), QStringLiteral("200"));
        const QModelIndex json = responses->index(0, SchemaTreeModel::NameColumn, responses->index(0, 0));
        QCOMPARE(json.data().toString(), QStringLiteral("application/json"));
        QVERIFY(responses->index(0, SchemaTreeModel::TypeColumn, responses->index(0, 0)).data().toString().startsWith("Pet"));
    }

    void bodyExampleAndCyclesAreShown()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "createPet"));
        RequestBodyEditor *body = workspace->operationPage()->bodyEditor();
        QVERIFY(body->isVisible());
        QCOMPARE(body->contentType(), QStringLiteral("application/json"));
        const QJsonObject example = QJsonDocument::fromJson(body->text().toUtf8()).object();
        QCOMPARE(example.value("name").toString(), QStringLiteral("Rex"));
        // The form type gets an example generated from the schema, read-only members left out.
        body->contentTypeBox()->setCurrentText(QStringLiteral("application/x-www-form-urlencoded"));
        QVERIFY(body->text().startsWith(QStringLiteral("name=Rex")));
        QVERIFY(!body->text().contains(QStringLiteral("id=")));
        body->contentTypeBox()->setCurrentText(QStringLiteral("application/json"));
        saveScreenshot(m_window.get(), QStringLiteral("05-request-body"));

        QVERIFY(clickOperation(workspace, "createOwner"));
        // Generated from the recursive schema without looping.
        const QJsonObject owner = QJsonDocument::fromJson(body->text().toUtf8()).object();
        QVERIFY(owner.contains("pets"));
        ResponsesView *view = workspace->operationPage()->responsesView();
        SchemaTreeModel *model = view->schemaModel();
        // 200 -> application/json (Owner) -> pets -> [items] (Pet) -> owner: ↻ cycle
        const QModelIndex ownerSchema = model->index(0, 0, model->index(0, 0));
        QVERIFY(model->index(0, SchemaTreeModel::TypeColumn, model->index(0, 0)).data().toString().startsWith("Owner"));
        QModelIndex pets;
        for (int row = 0; row < model->rowCount(ownerSchema); ++row) {
            if (model->index(row, 0, ownerSchema).data().toString() == QLatin1String("pets"))
                pets = model->index(row, 0, ownerSchema);
        }
        QVERIFY(pets.isValid());
        const QModelIndex items = model->index(0, 0, pets);
        QCOMPARE(items.data().toString(), QStringLiteral("[items]"));
        QModelIndex cycle;
        for (int row = 0; row < model->rowCount(items); ++row) {
            const QModelIndex child = model->index(row, 0, items);
            if (child.data().toString() == QLatin1String("owner"))
                cycle = child;
        }
        QVERIFY(cycle.isValid());
        QVERIFY(cycle.data(SchemaTreeModel::IsCycleRole).toBool());
        QCOMPARE(model->index(cycle.row(), SchemaTreeModel::TypeColumn, items).data().toString(), QStringLiteral("↻ cycle → Owner"));
        QCOMPARE(model->rowCount(cycle), 0);
        view->expand(ownerSchema);
        view->expand(pets);
        view->expand(items);
        view->scrollTo(cycle);
        saveScreenshot(m_window.get(), QStringLiteral("06-schema-cycle"));
    }

    void securityAlternativesAreListed()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "combinedSchemes"));
        SecurityRequirementView *security = workspace->operationPage()->securityView();
        QCOMPARE(security->alternativeTexts(),
                 QStringList({"apiKeyHeader + bearerAuth", "basicAuth", "anonymous"}));
        QVERIFY(clickOperation(workspace, "listPetsV1"));
        QCOMPARE(security->alternativeTexts(), QStringList({"No authentication"}));
        QVERIFY(clickOperation(workspace, "getPet"));  // inherits the global requirement
        QCOMPARE(security->alternativeTexts(), QStringList({"bearerAuth", "oauthCode [api:read]"}));
        QVERIFY(clickOperation(workspace, "oauthDevice"));
        QCOMPARE(security->alternativeTexts(), QStringList({"oauthDevice [openid api:read]"}));
    }

    void serverVariablesFillTheBaseUrl()
    {
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "search"));
        ServerPicker *servers = workspace->operationPage()->serverPicker();
        QCOMPARE(servers->resolvedUrl(), QStringLiteral("http://127.0.0.1:8787"));
        servers->serverBox()->setCurrentIndex(1);
        QCOMPARE(servers->resolvedUrl(), QStringLiteral("http://127.0.0.1:8787"));
        QList<QComboBox *> boxes = servers->findChildren<QComboBox *>();
        QComboBox *schemeBox = nullptr;
        for (QComboBox *box : boxes) {
            if (box->accessibleName() == QLatin1String("Server variable scheme"))
                schemeBox = box;
        }
        QVERIFY(schemeBox);
        schemeBox->setCurrentText(QStringLiteral("https"));
        QCOMPARE(servers->resolvedUrl(), QStringLiteral("https://127.0.0.1:8787"));
        // An operation with its own server shows that one.
        QVERIFY(clickOperation(workspace, "bearerToken"));
        QCOMPARE(servers->resolvedUrl(), QStringLiteral("http://127.0.0.1:8787/anything"));
    }

    void typedValuesSurviveReopening()
    {
        const QUrl demoUrl = QUrl::fromLocalFile(portolan::test::demoPath());
        QFile::remove(ApiStateStore::filePathFor(demoUrl));
        ApiWorkspace *workspace = openDemo();
        QVERIFY(workspace);
        QVERIFY(clickOperation(workspace, "search"));
        ParameterForm *form = workspace->operationPage()->parameterForm();
        QTest::keyClicks(lineEdit(form, "query:q"), QStringLiteral("needle"));
        qobject_cast<QComboBox *>(form->field("query:sort")->editor())->setCurrentText(QStringLiteral("newest"));
        QVERIFY(clickOperation(workspace, "apiKeyHeader"));
        QVERIFY(clickOperation(workspace, "createPet"));
        QPlainTextEdit *body = workspace->operationPage()->bodyEditor()->textEdit();
        body->selectAll();
        QTest::keyClicks(body, QStringLiteral("{\"name\": \"Bella\"}"));

        // Saved shortly after the edits, without closing anything.
        QSignalSpy saved(workspace->stateStore(), &ApiStateStore::saved);
        QVERIFY(saved.wait(3000));
        QFile file(ApiStateStore::filePathFor(demoUrl));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(json.contains("needle"));
        QVERIFY(json.contains("Bella"));

        m_window->closeWorkspace(0);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        workspace = openDemo();
        QVERIFY(workspace);
        // The last operation shown is shown again, with its body.
        QCOMPARE(workspace->currentOperation(), operationIndex(workspace, "createPet"));
        QCOMPARE(workspace->operationPage()->bodyEditor()->text(), QStringLiteral("{\"name\": \"Bella\"}"));
        QVERIFY(clickOperation(workspace, "search"));
        form = workspace->operationPage()->parameterForm();
        QCOMPARE(lineEdit(form, "query:q")->text(), QStringLiteral("needle"));
        QCOMPARE(form->values().value("query:sort"), QStringLiteral("newest"));
    }

    void credentialParametersAreNeverSaved()
    {
        // A document whose operation takes the apiKey scheme's header as a parameter.
        QTemporaryDir dir;
        const QString path = dir.filePath("keys.yaml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("openapi: 3.0.3\ninfo: {title: Keys, version: '1'}\n"
                   "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n"
                   "paths:\n  /a:\n    get:\n      parameters:\n"
                   "        - {name: X-Key, in: header, schema: {type: string}}\n"
                   "        - {name: Authorization, in: header, schema: {type: string}}\n"
                   "        - {name: plain, in: query, schema: {type: string}}\n"
                   "      responses: {'200': {description: ok}}\n");
        file.close();
        ApiWorkspace *workspace = m_window->openSource(path);
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        QVERIFY(finished.wait(10000));
        workspace->showOperation(0);
        ParameterForm *form = workspace->operationPage()->parameterForm();
        QCOMPARE(lineEdit(form, "header:X-Key")->echoMode(), QLineEdit::PasswordEchoOnEdit);
        QTest::keyClicks(lineEdit(form, "header:X-Key"), QStringLiteral("secret-key-123"));
        QTest::keyClicks(lineEdit(form, "header:Authorization"), QStringLiteral("Bearer secret-token-456"));
        QTest::keyClicks(lineEdit(form, "query:plain"), QStringLiteral("visible-value"));
        workspace->saveState();
        QFile state(workspace->stateStore()->filePath());
        QVERIFY(state.open(QIODevice::ReadOnly));
        const QByteArray json = state.readAll();
        QVERIFY(json.contains("visible-value"));
        QVERIFY(!json.contains("secret-key-123"));
        QVERIFY(!json.contains("secret-token-456"));
    }

    void dragAndDropOpensDocuments()
    {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(portolan::test::demoPath())});
        QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &drop);
        QCOMPARE(m_window->workspaceCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->currentWorkspace()->document() != nullptr, 10000);
    }

    void loadingCanBeCancelledWithEscape()
    {
        QByteArray document = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Large\",\"version\":\"1\"},\"paths\":{";
        for (int i = 0; i < 60000; ++i) {
            document += QStringLiteral("%1\"/items%2/{id}\":{\"get\":{\"operationId\":\"op%2\",\"summary\":\"Item %2\","
                                       "\"parameters\":[{\"name\":\"id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"integer\"}}],"
                                       "\"responses\":{\"200\":{\"description\":\"ok\"}}}}")
                            .arg(i ? "," : "").arg(i).toUtf8();
        }
        document += "}}";
        // A server that keeps the first request waiting and answers later
        // ones: the load is still running when Esc arrives, however fast the
        // machine reads and parses.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int requests = 0;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                if (++requests == 1)
                    continue;
                connect(socket, &QTcpSocket::readyRead, socket, [socket, &document] {
                    socket->readAll();
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                                  + QByteArray::number(document.size()) + "\r\n\r\n" + document);
                    socket->disconnectFromHost();
                });
            }
        });
        const QString source = QStringLiteral("http://127.0.0.1:%1/large.json").arg(server.serverPort());

        ApiWorkspace *workspace = m_window->openSource(source);
        QVERIFY(workspace->isLoading());
        QVERIFY(workspace->progressBar()->isVisible());
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        saveScreenshot(m_window.get(), QStringLiteral("07-loading"));
        m_window->activateWindow();
        workspace->navigator()->view()->setFocus();
        QTest::keyClick(workspace->navigator()->view(), Qt::Key_Escape);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!workspace->isLoading());
        QVERIFY(!workspace->progressBar()->isVisible());
        QVERIFY(workspace->messageBanner()->text().contains(QStringLiteral("cancelled")));

        // Retry loads it, and the window stays responsive meanwhile.
        workspace->load();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(workspace->operations().size(), 60000);
    }
};

QTEST_MAIN(TestExplorer)
#include "tst_explorer.moc"
