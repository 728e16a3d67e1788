// Diagnostics in the real window: a document that cannot be parsed shows
// its error with the exact line, and the source viewer opens on it; a partly
// broken document still loads, and activating a problem inside an operation
// selects that operation; the check against the OpenAPI schema runs after
// the navigator shows, says so meanwhile, can be stopped and run again.
#include "guitestsupport.h"

#include "apimodel.h"
#include "apiworkspace.h"
#include "diagnosticsmodel.h"
#include "diagnosticspanel.h"
#include "documentcheck.h"
#include "clientcore.h"
#include "mainwindow.h"
#include "navigatormodel.h"
#include "navigatorpanel.h"
#include "sourceviewer.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>

using namespace portolan;
using namespace portolan::gui;

class TestDiagnostics : public QObject {
    Q_OBJECT
private:
    client::ClientCore m_core;  // shared by every window of the test, as main() shares it
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

    // Opens the document and, once loaded, waits for the schema check too.
    ApiWorkspace *open(const QString &path, bool *ok)
    {
        ApiWorkspace *workspace = m_window->openSource(path);
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        QSignalSpy checked(workspace->documentCheck(), &DocumentCheck::finished);
        *ok = finished.wait(10000) && finished.first().first().toBool();
        if (*ok)
            *ok = checked.count() == 1 || checked.wait(10000);
        return workspace;
    }

    static QString diagnosticsTabText(ApiWorkspace *workspace)
    {
        auto *tabs = qobject_cast<QTabWidget *>(workspace->diagnosticsPanel()->parentWidget()->parentWidget());
        return tabs ? tabs->tabText(tabs->indexOf(workspace->diagnosticsPanel())) : QString();
    }

    // The tab title once the check is done: one warning, no "checking…" or "not checked".
    static bool isOneWarningChecked(const QString &tabText)
    {
        return tabText.startsWith(QStringLiteral("Diagnostics (1 warning")) && !tabText.contains(QStringLiteral("check"));
    }

    static int rowWithMessage(DiagnosticsModel *model, const QString &text)
    {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->diagnostic(row).message.contains(text))
                return row;
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PortolanTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_diagnostics"));
        QVERIFY(m_dir.isValid());
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

    void syntaxErrorIsShownAtItsLine()
    {
        // Line 5 opens a flow mapping that never closes.
        const QString path = write("broken.yaml", "openapi: 3.0.3\n"
                                                  "info:\n"
                                                  "  title: Broken\n"
                                                  "  version: '1'\n"
                                                  "paths: {\"/a\": {get: [\n"
                                                  "x: : :\n");
        bool ok = true;
        ApiWorkspace *workspace = open(path, &ok);
        QVERIFY(!ok);
        QVERIFY(!workspace->document());
        QVERIFY(workspace->messageBanner()->isVisible());
        QVERIFY(workspace->messageBanner()->text().contains(QStringLiteral("Could not load")));
        DiagnosticsModel *model = workspace->diagnosticsPanel()->model();
        QVERIFY(model->rowCount() >= 1);
        const Diagnostic &first = model->diagnostic(0);
        QCOMPARE(first.severity, Severity::Error);
        QCOMPARE(first.location.file, path);
        QVERIFY2(first.location.line >= 5, qPrintable(formatDiagnostic(first)));
        const QString location = model->index(0, DiagnosticsModel::LocationColumn).data().toString();
        QVERIFY(location.startsWith(QStringLiteral("broken.yaml:%1").arg(first.location.line)));
        // The viewer opened on the error's line of the file.
        SourceViewer *source = workspace->sourceViewer();
        QVERIFY(source->isVisible());
        QCOMPARE(source->currentLine(), first.location.line);
        QVERIFY(!source->lineText(5).isEmpty());
        QCOMPARE(source->lineText(5), QStringLiteral("paths: {\"/a\": {get: ["));
        portolan::test::saveScreenshot(m_window.get(), QStringLiteral("08-syntax-error"));
    }

    void problemsInsideAnOperationSelectIt()
    {
        const QString path = write("partly.yaml", "openapi: 3.0.3\n"
                                                  "info: {title: Partly broken, version: '1'}\n"
                                                  "paths:\n"
                                                  "  /fine:\n"
                                                  "    get:\n"
                                                  "      operationId: fine\n"
                                                  "      responses: {'200': {description: ok}}\n"
                                                  "  /pets/{id}:\n"
                                                  "    get:\n"
                                                  "      operationId: broken\n"
                                                  "      responses:\n"
                                                  "        '200':\n"
                                                  "          description: ok\n"
                                                  "          content:\n"
                                                  "            application/json:\n"
                                                  "              schema: {$ref: '#/components/schemas/Missing'}\n");
        bool ok = false;
        ApiWorkspace *workspace = open(path, &ok);
        QVERIFY(ok);
        QCOMPARE(workspace->operations().size(), 2);
        DiagnosticsModel *model = workspace->diagnosticsPanel()->model();
        QVERIFY(model->rowCount() >= 2);  // the missing $ref and the undeclared path parameter {id}
        int refRow = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->diagnostic(row).location.pointer.contains(QStringLiteral("/responses/200")))
                refRow = row;
        }
        QVERIFY2(refRow >= 0, "no diagnostic for the unresolvable $ref");
        const Diagnostic &problem = model->diagnostic(refRow);
        QCOMPARE(problem.location.line, 16);

        workspace->navigator()->selectOperation(0);
        QTreeView *view = workspace->diagnosticsPanel()->view();
        const QModelIndex index = model->index(refRow, 0);
        view->setFocus();
        view->setCurrentIndex(index);
        QTest::keyClick(view, Qt::Key_Return);  // activates the row, as a double click does
        QCOMPARE(workspace->currentOperation(), 1);  // "broken"
        QCOMPARE(workspace->navigator()->selectedOperation(), 1);
        QCOMPARE(workspace->sourceViewer()->currentLine(), 16);
        QVERIFY(workspace->sourceViewer()->lineText(16).contains(QStringLiteral("Missing")));
        portolan::test::saveScreenshot(m_window.get(), QStringLiteral("09-diagnostics"));
    }

    // The navigator comes first; the schema's diagnostics follow from the background check.
    void schemaCheckRunsAfterTheNavigatorShows()
    {
        const QString path = write("example.yaml", "openapi: 3.0.3\n"
                                                   "info: {title: Checked afterwards, version: '1'}\n"
                                                   "paths:\n"
                                                   "  /pets:\n"
                                                   "    get:\n"
                                                   "      operationId: listPets\n"
                                                   "      parameters:\n"
                                                   "        - name: limit\n"
                                                   "          in: query\n"
                                                   "          schema: {type: integer, maximum: 100}\n"
                                                   "          example: 500\n"
                                                   "      responses: {'200': {description: ok}}\n");
        ApiWorkspace *workspace = m_window->openSource(path);
        DiagnosticsPanel *panel = workspace->diagnosticsPanel();
        DiagnosticsModel *model = panel->model();
        const QString mismatch = QStringLiteral("example does not match its schema");
        // What the window shows at the moment the load is done: the navigator, and "checking…".
        int operationsShown = -1;
        QString tabWhenLoaded;
        int mismatchRowWhenLoaded = -2;
        connect(workspace, &ApiWorkspace::loadFinished, this, [&] {
            operationsShown = workspace->navigator()->model()->visibleOperationCount();
            tabWhenLoaded = diagnosticsTabText(workspace);
            mismatchRowWhenLoaded = rowWithMessage(model, mismatch);
        });
        QSignalSpy checked(workspace->documentCheck(), &DocumentCheck::finished);
        QSignalSpy loaded(workspace, &ApiWorkspace::loadFinished);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(operationsShown, 1);
        QVERIFY2(tabWhenLoaded.contains(QStringLiteral("checking…")), qPrintable(tabWhenLoaded));
        QCOMPARE(mismatchRowWhenLoaded, -1);
        QCOMPARE(panel->checkState(), DiagnosticsPanel::CheckState::Checking);
        QVERIFY(panel->checkButton()->isVisible());

        QVERIFY(checked.count() == 1 || checked.wait(10000));
        QCOMPARE(panel->checkState(), DiagnosticsPanel::CheckState::Checked);
        QVERIFY(!panel->checkButton()->isVisible());
        const int row = rowWithMessage(model, mismatch);
        QVERIFY2(row >= 0, "the schema check's warning did not arrive");
        QCOMPARE(model->diagnostic(row).severity, Severity::Warning);
        QCOMPARE(model->diagnostic(row).location.line, 11);
        QVERIFY2(isOneWarningChecked(diagnosticsTabText(workspace)), qPrintable(diagnosticsTabText(workspace)));
        // Located like the loader's own: activating it shows the line and selects the operation.
        QTreeView *view = panel->view();
        view->setFocus();
        view->setCurrentIndex(model->index(row, 0));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(workspace->currentOperation(), 0);
        QCOMPARE(workspace->sourceViewer()->currentLine(), 11);

        // Stopped: its result never arrives, and the pane says the document is not checked.
        workspace->load();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(panel->checkState(), DiagnosticsPanel::CheckState::Checking);
        QTest::mouseClick(panel->checkButton(), Qt::LeftButton);
        QCOMPARE(panel->checkState(), DiagnosticsPanel::CheckState::Stopped);
        QVERIFY2(diagnosticsTabText(workspace).contains(QStringLiteral("not checked")), qPrintable(diagnosticsTabText(workspace)));
        checked.clear();
        QTest::qWait(500);
        QCOMPARE(checked.count(), 0);
        QCOMPARE(rowWithMessage(model, mismatch), -1);
        QCOMPARE(panel->checkButton()->text(), QStringLiteral("Check"));
        qobject_cast<QTabWidget *>(panel->parentWidget()->parentWidget())->setCurrentWidget(panel);
        if (panel->visibleRegion().isEmpty())
            workspace->toggleBottomPane();
        portolan::test::saveScreenshot(m_window.get(), QStringLiteral("09b-schema-check-stopped"));

        // Checked again on request.
        QTest::mouseClick(panel->checkButton(), Qt::LeftButton);
        QCOMPARE(panel->checkState(), DiagnosticsPanel::CheckState::Checking);
        QVERIFY(checked.wait(10000));
        QVERIFY(rowWithMessage(model, mismatch) >= 0);
        QVERIFY2(isOneWarningChecked(diagnosticsTabText(workspace)), qPrintable(diagnosticsTabText(workspace)));
    }
};

QTEST_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
