// Responses checked against the document in the desktop app, for real: an API
// tab sends to a loopback server that answers with the documented shape, then
// with undocumented ones. The Contract section lists each problem, the
// exchange list flags the mismatching exchange, the body view marks the
// failing lines, and clicking a problem shows its line. A 50 MB JSON response
// is validated off the UI thread; the longest event-loop stall is printed.
#include "../http/contractserver.h"
#include "guitestsupport.h"

#include "apiworkspace.h"
#include "bodyview.h"
#include "clientcore.h"
#include "contractchecker.h"
#include "exchangelistmodel.h"
#include "exchangetree.h"
#include "inspectorpanel.h"
#include "largetextview.h"
#include "operationpage.h"
#include "parameterform.h"

#include "apistatestore.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

using namespace portolan;
using namespace portolan::gui;
using portolan::test::ContractServer;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: Contract test, version: "1"}
servers: [{url: "SERVER"}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: pets
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      type: object
                      required: [id, name]
                      properties: {id: {type: integer}, name: {type: string}}
)";

} // namespace

class TestContract : public QObject {
    Q_OBJECT
private:
    ContractServer m_server;
    QTemporaryDir m_dir;
    client::ClientCore m_core;
    std::unique_ptr<QSplitter> m_window;
    ApiWorkspace *m_workspace = nullptr;  // owned by m_window
    InspectorPanel *m_inspector = nullptr;  // owned by m_workspace

    // Sends listPets with Ctrl+Enter and waits for its contract report.
    const http::ContractReport *send()
    {
        m_workspace->showOperation(0);
        QSignalSpy checked(m_inspector->contracts(), &ContractChecker::checked);
        QWidget *focus = m_workspace->operationPage()->parameterForm();
        focus->setFocus();
        QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
        if (!checked.wait(120'000))
            return nullptr;
        return m_inspector->contracts()->report(checked.first().first().toString());
    }

    QStandardItem *contractSection() const { return m_inspector->detail()->section(QStringLiteral("Contract")); }
    QString contractSummary() const
    {
        QStandardItem *section = contractSection();
        return section ? m_inspector->detail()->index(section->row(), 1).data().toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.isListening());
        const QString path = m_dir.filePath(QStringLiteral("contract.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument).replace("SERVER", m_server.baseUrl().toUtf8()));
        file.close();
        QFile::remove(ApiStateStore::filePathFor(QUrl::fromLocalFile(path)));

        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        m_workspace = new ApiWorkspace(&m_core, QUrl::fromLocalFile(path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20'000));
        QVERIFY(loaded.first().first().toBool());
        m_inspector = m_workspace->inspector();
        m_window->addWidget(m_workspace);
        m_window->resize(1400, 900);
        m_window->show();
        // Ctrl+Enter, like every shortcut, reaches only the active window.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void documentedResponseMatches()
    {
        m_server.on("/pets", {200, "application/json", R"({"items": [{"id": 1, "name": "Rex"}]})", {}});
        const http::ContractReport *report = send();
        QVERIFY(report);
        QVERIFY(report->isClean());
        QTRY_VERIFY(contractSummary().startsWith(QStringLiteral("matches the document")));
        QVERIFY(!m_inspector->history()->hasContractProblems(m_inspector->history()->rowCount() - 1));
    }

    void mismatchesAreListedFlaggedAndMarked()
    {
        m_server.on("/pets", {200, "application/json",
                              R"({"items":[{"id":1,"name":"Rex"},{"id":"two","name":"Tom"},{"id":3}]})", {}});
        const http::ContractReport *report = send();
        QVERIFY(report);
        QCOMPARE(report->problems.size(), 2);
        const int row = m_inspector->history()->rowCount() - 1;
        QVERIFY(m_inspector->history()->hasContractProblems(row));
        QVERIFY(m_inspector->history()->index(row, ExchangeListModel::Status).data(Qt::ToolTipRole).toString()
                    .contains(QStringLiteral("`/items/1/id` must be an integer")));

        // The Contract section, open, with one row per problem.
        QTRY_VERIFY(contractSummary().startsWith(QStringLiteral("2 problem")));
        QStandardItem *section = contractSection();
        QCOMPARE(section->rowCount(), 2);
        QVERIFY(m_inspector->detailView()->isExpanded(section->index()));
        QCOMPARE(section->child(0, 0)->text(), QStringLiteral("Body"));
        QVERIFY(section->child(0, 1)->text().contains(QStringLiteral("must be an integer (found a string)")));

        // The body view marks both failing values in the pretty (re-indented) text.
        BodyView *body = m_inspector->bodyView();
        QTRY_COMPARE(body->prettyView()->markedLines().size(), 2);
        const TextLines &lines = body->prettyView()->lines();
        QVERIFY(lines.line(body->prettyView()->markedLines().first()).contains(QStringLiteral("\"two\"")));

        // Clicking the second problem shows its value in the pretty view.
        body->tabs()->setCurrentWidget(body->rawView());
        const QModelIndex second = m_inspector->detail()->index(1, 1, section->index());
        QTest::mouseClick(m_inspector->detailView()->viewport(), Qt::LeftButton, {},
                          m_inspector->detailView()->visualRect(second).center());
        QCOMPARE(body->tabs()->currentWidget(), body->prettyView());
        QCOMPARE(body->prettyView()->matchOffset(), body->problemOffsets().at(1));
        QCOMPARE(lines.lineOf(body->prettyView()->matchOffset()), body->prettyView()->markedLines().at(1));
        test::saveScreenshot(m_window.get(), QStringLiteral("35-contract"));
    }

    void undocumentedStatusIsFlagged()
    {
        m_server.on("/pets", {500, "text/plain", "boom", {}});
        const http::ContractReport *report = send();
        QVERIFY(report);
        QCOMPARE(report->problems.size(), 1);
        QCOMPARE(report->problems[0].kind, http::ContractProblem::Kind::UndocumentedStatus);
        QTRY_VERIFY(contractSection() && contractSection()->child(0, 0)->text() == QStringLiteral("Status"));
        QVERIFY(m_inspector->history()->hasContractProblems(m_inspector->history()->rowCount() - 1));
    }

    void fiftyMegabytesAreValidatedWithoutStallingTheWindow()
    {
        QByteArray big = "{\"items\":[";
        for (int i = 0; big.size() < 50 * 1024 * 1024; ++i)
            big += QStringLiteral("%1{\"id\":%2,\"name\":\"item %2\",\"tags\":[\"a\",\"b\"]}").arg(i ? QStringLiteral(",") : QString()).arg(i).toUtf8();
        big += ",{\"id\":\"last\",\"name\":\"x\"}]}";
        m_server.on("/pets", {200, "application/json", big, {}});

        QElapsedTimer clock;
        qint64 last = 0, worst = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            last = now;
        });
        QSignalSpy finished(m_inspector, &InspectorPanel::exchangeFinished);
        clock.start();
        ticker.start();
        const http::ContractReport *report = send();
        const qint64 checkedAt = clock.elapsed();
        QVERIFY(finished.count() == 1);
        QVERIFY(report);
        ticker.stop();
        QVERIFY(report->bodyChecked);
        QCOMPARE(report->problems.size(), 1);
        QVERIFY2(report->problems[0].pointer.startsWith(QStringLiteral("/items/")), qPrintable(report->problems[0].pointer));
        qInfo("50 MB JSON response: contract checked by %lld ms; longest event-loop stall %lld ms", checkedAt, worst);
    }
};

QTEST_MAIN(TestContract)
#include "tst_contract.moc"
