// portolan-cli lint, run as a user runs it.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

namespace {

const QString kExamples = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/core/validation");

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run lint(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), QStringList{QStringLiteral("lint")} + arguments);
    Run run;
    if (!process.waitForFinished(60'000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class LintCliTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanDocumentExitsZero()
    {
        const Run run = lint({kExamples + QStringLiteral("/v3.0/pass-petstore.yaml")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray());
        QVERIFY2(run.err.contains("0 errors, 0 warnings"), run.err.constData());
    }

    void errorsArePrintedWhereEditorsJumpAndExitOne()
    {
        const QString path = kExamples + QStringLiteral("/v3.1/fail-server-variable-enum.yaml");
        const Run run = lint({path});
        QCOMPARE(run.exitCode, 1);
        const QByteArray expected = (path + QStringLiteral(":8:")).toUtf8();
        QVERIFY2(run.out.startsWith(expected), run.out.constData());
        QVERIFY2(run.out.contains(": error: server variable 'port' has an empty enum"), run.out.constData());
        QVERIFY2(run.err.contains("1 error, 0 warnings"), run.err.constData());
    }

    void warningsAloneExitZero()
    {
        const Run run = lint({kExamples + QStringLiteral("/v3.1/fail-example-mismatch.yaml")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(": warning: "), run.out.constData());
    }

    void jsonListsEveryDiagnostic()
    {
        const QString path = kExamples + QStringLiteral("/v3.2/fail-two-querystring.yaml");
        const Run run = lint({QStringLiteral("--json"), path});
        QCOMPARE(run.exitCode, 1);
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, run.out.constData());
        QCOMPARE(root.value(QStringLiteral("errors")).toInt(), 1);
        const QJsonObject first = root.value(QStringLiteral("diagnostics")).toArray().at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
        QCOMPARE(first.value(QStringLiteral("file")).toString(), path);
        QCOMPARE(first.value(QStringLiteral("line")).toInt(), 6);
        QCOMPARE(first.value(QStringLiteral("pointer")).toString(), QStringLiteral("/paths/~1search/get/parameters"));
    }

    void unloadableDocumentExitsOne()
    {
        const Run run = lint({kExamples + QStringLiteral("/missing.yaml")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("cannot read the file"), run.out.constData());
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(lint({}).exitCode, 2);
        QCOMPARE(lint({QStringLiteral("--bogus"), QStringLiteral("x.yaml")}).exitCode, 2);
        QCOMPARE(lint({QStringLiteral("a.yaml"), QStringLiteral("b.yaml")}).exitCode, 2);
        const Run help = lint({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--json"));
    }
};

QTEST_GUILESS_MAIN(LintCliTest)
#include "tst_lintcli.moc"
