// The official JSON-Schema-Test-Suite (tests/schema/suite) for draft 4 and
// draft 2020-12: every required test must pass, and the optional format tests
// of the formats OpenAPI names, with format assertion on. Its remotes/ are
// served by a real HTTP server on loopback, which the retriever reaches in
// place of http://localhost:1234/. Prints pass/fail counts per dialect and file.
#include "../core/statichttpserver.h"
#include "jsonschema.h"
#include "schematestsupport.h"

#include <QtTest>

using namespace portolan;
using namespace portolan::jsonschema;

namespace {

const QString kSuite = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/schema/suite");

const QStringList kAssertedFormats = {
    QStringLiteral("date-time"), QStringLiteral("date"), QStringLiteral("time"), QStringLiteral("duration"),
    QStringLiteral("email"), QStringLiteral("hostname"), QStringLiteral("ipv4"), QStringLiteral("ipv6"),
    QStringLiteral("uri"), QStringLiteral("uri-reference"), QStringLiteral("uuid"), QStringLiteral("regex"),
    QStringLiteral("idn-email"), QStringLiteral("idn-hostname"), QStringLiteral("iri"), QStringLiteral("iri-reference"),
    QStringLiteral("uri-template"), QStringLiteral("json-pointer"), QStringLiteral("relative-json-pointer")};

QString text(const NodeTree &tree, NodeId id)
{
    const std::string_view t = tree.text(id);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

struct Counts {
    int passed = 0;
    int failed = 0;
};

} // namespace

class TestSchemaSuite final : public QObject {
    Q_OBJECT

private:
    test::StaticHttpServer m_remotes;
    QNetworkAccessManager m_network;
    int m_fetches = 0;

    Retriever retriever()
    {
        return [this](const QUrl &url, QString *error) -> std::unique_ptr<SourceDocument> {
            if (url.host() != QLatin1String("localhost") || url.port() != 1234) {
                *error = QStringLiteral("the suite only serves http://localhost:1234/, not %1").arg(url.toString());
                return nullptr;
            }
            QUrl real = url;
            real.setHost(QStringLiteral("127.0.0.1"));
            real.setPort(m_remotes.serverPort());
            ++m_fetches;
            const QByteArray body = test::fetch(m_network, real, error);
            if (!error->isEmpty())
                return nullptr;
            return test::parseDocument(url, body);
        };
    }

    // Runs one suite file; returns the descriptions of the tests that failed.
    QStringList runFile(const QString &path, Dialect dialect, bool assertFormat, Counts *counts)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {QStringLiteral("cannot read %1").arg(path)};
        const std::unique_ptr<SourceDocument> cases = test::parseDocument(QUrl::fromLocalFile(path), file.readAll());
        if (!cases)
            return {QStringLiteral("cannot parse %1").arg(path)};
        const NodeTree &tree = cases->tree();
        QStringList failures;
        for (const Member *c = tree.membersBegin(tree.root()); c != tree.membersEnd(tree.root()); ++c) {
            const QString description = text(tree, tree.member(c->value, "description"));
            // Each schema is a document of its own, so that "#" means the schema.
            QByteArray schemaJson;
            test::writeJson(tree, tree.member(c->value, "schema"), schemaJson);
            const QUrl schemaUrl(QStringLiteral("file:///suite/%1/%2").arg(QFileInfo(path).fileName()).arg(c - tree.membersBegin(tree.root())));
            SchemaSet set;
            set.setRetriever(retriever());
            const SourceDocument *schemaDoc = set.addDocument(test::parseDocument(schemaUrl, schemaJson));
            QVector<SchemaProblem> problems;
            const Schema *schema = set.compile(NodeRef{schemaDoc, schemaDoc->tree().root()}, dialect, &problems);
            const NodeId tests = tree.member(c->value, "tests");
            for (const Member *t = tree.membersBegin(tests); t != tree.membersEnd(tests); ++t) {
                const bool expected = tree.boolValue(tree.member(t->value, "valid"), false);
                ValidationOptions options;
                options.assertFormat = assertFormat;
                const ValidationResult result = schema ? validate(*schema, NodeRef{cases.get(), tree.member(t->value, "data")}, options)
                                                       : ValidationResult{};
                const bool ok = schema && result.isValid() == expected && !result.incomplete;
                ++(ok ? counts->passed : counts->failed);
                if (!ok) {
                    QString detail = result.errors.isEmpty() ? QString() : result.errors.front().message;
                    if (!problems.isEmpty())
                        detail += QStringLiteral(" [schema: %1]").arg(problems.front().message);
                    failures << QStringLiteral("%1: %2 / %3: expected %4 %5").arg(QFileInfo(path).fileName(), description,
                        text(tree, tree.member(t->value, "description")),
                        expected ? QStringLiteral("valid") : QStringLiteral("invalid"), detail);
                }
            }
        }
        return failures;
    }

    void runDialect(const QString &folder, Dialect dialect)
    {
        const QDir dir(kSuite + QStringLiteral("/tests/") + folder);
        QVERIFY2(dir.exists(), qPrintable(dir.path()));
        QStringList required;
        Counts total, optional;
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            Counts counts;
            required += runFile(dir.filePath(name), dialect, false, &counts);
            total.passed += counts.passed;
            total.failed += counts.failed;
            qInfo("%s %-32s passed %4d failed %d", qPrintable(folder), qPrintable(name), counts.passed, counts.failed);
        }
        for (const QString &format : kAssertedFormats) {
            const QString path = dir.filePath(QStringLiteral("optional/format/%1.json").arg(format));
            if (!QFile::exists(path))
                continue;
            Counts counts;
            required += runFile(path, dialect, true, &counts);
            total.passed += counts.passed;
            total.failed += counts.failed;
            qInfo("%s format/%-25s passed %4d failed %d", qPrintable(folder), qPrintable(format + QLatin1String(".json")), counts.passed, counts.failed);
        }
        QDirIterator others(dir.filePath(QStringLiteral("optional")), {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
        QStringList optionalFailures;
        while (others.hasNext()) {
            const QString path = others.next();
            if (path.contains(QLatin1String("/format/")) && kAssertedFormats.contains(QFileInfo(path).completeBaseName()))
                continue;
            Counts counts;
            const bool format = path.contains(QLatin1String("/format/"));
            optionalFailures += runFile(path, dialect, format, &counts);
            optional.passed += counts.passed;
            optional.failed += counts.failed;
            qInfo("%s optional %-30s passed %4d failed %d (not required)", qPrintable(folder),
                  qPrintable(QDir(dir.filePath(QStringLiteral("optional"))).relativeFilePath(path)), counts.passed, counts.failed);
        }
        qInfo("%s: required passed %d failed %d; other optional passed %d failed %d", qPrintable(folder),
              total.passed, total.failed, optional.passed, optional.failed);
        for (const QString &f : optionalFailures)
            qInfo("  optional failure: %s", qPrintable(f));
        for (const QString &f : required)
            qWarning("  FAILED: %s", qPrintable(f));
        QVERIFY2(total.passed > 0, "no suite test ran");
        QVERIFY2(required.isEmpty(), qPrintable(QStringLiteral("%1 required tests failed").arg(required.size())));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_remotes.isListening());
        const QDir remotes(kSuite + QStringLiteral("/remotes"));
        QDirIterator it(remotes.path(), {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
        int served = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            m_remotes.serve(QLatin1Char('/') + remotes.relativeFilePath(f.fileName()), f.readAll());
            ++served;
        }
        QVERIFY2(served > 50, "the suite's remotes/ folder is missing");
    }

    void draft4() { runDialect(QStringLiteral("draft4"), Dialect::Draft4); }
    void draft2020_12() { runDialect(QStringLiteral("draft2020-12"), Dialect::Draft2020_12); }

    void remotesCameFromTheServer() { QVERIFY(m_fetches > 0); }
};

QTEST_GUILESS_MAIN(TestSchemaSuite)
#include "tst_schemasuite.moc"
