// Diagnostics in the real window: a document that cannot be parsed shows
// its error with the exact line, and the source viewer opens on it; a partly
// broken document still loads, and activating a problem inside an operation
// selects that operation.
#include "guitestsupport.h"

#include "apimodel.h"
#include "apiworkspace.h"
#include "diagnosticsmodel.h"
#include "diagnosticspanel.h"
#include "clientcore.h"
#include "mainwindow.h"
#include "navigatorpanel.h"
#include "sourceviewer.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
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

    ApiWorkspace *open(const QString &path, bool *ok)
    {
        ApiWorkspace *workspace = m_window->openSource(path);
        QSignalSpy finished(workspace, &ApiWorkspace::loadFinished);
        *ok = finished.wait(10000) && finished.first().first().toBool();
        return workspace;
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
};

QTEST_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
