// Every operation of real third-party descriptions (Stripe's 4 MB spec with
// its recursive schemas, the OpenAPI examples, Swagger 2.0 petstores) gets an
// example body and builds into a valid request: no crash, no hang, no error.
#include "documentloader.h"
#include "examplegenerator.h"
#include "requestbuilder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace portolan;
using namespace portolan::http;

namespace {
const QString kSpecs = QStringLiteral(PORTOLAN_SOURCE_DIR "/../shared/specs");
} // namespace

class TestRealSpecs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyOperationBuilds_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *f : {"stripe/spec3.2022-04-12.json", "stripe/spec3.2023-09-12.yaml", "oai-examples/v3.0/petstore-expanded.yaml",
                              "oai-examples/v3.0/uspto.json", "oai-examples/v3.0/callback-example.yaml",
                              "oai-examples/v3.1/webhook-example.yaml", "oai-examples/v2.0/json/petstore-expanded.json",
                              "oai-examples/v2.0/json/uber.json", "swaggo-swag/example_celler_docs_swagger_swagger.yaml"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void everyOperationBuilds()
    {
        QFETCH(QString, file);
        const QString path = kSpecs + QLatin1Char('/') + file;
        if (!QFileInfo::exists(path))
            QSKIP("the shared specs are not here");
        DocumentLoader loader(nullptr);
        QSignalSpy loaded(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(path));
        QVERIFY(loaded.wait(60'000));
        const LoadResult result = loaded.takeFirst().at(0).value<LoadResult>();
        QVERIFY(result.document);
        const ApiDocument &document = *result.document;
        const ExampleGenerator examples(document);
        const RequestBuilder builder(document);
        OperationReader reader(document);

        QElapsedTimer clock;
        clock.start();
        int bodies = 0;
        qint64 largestBody = 0;
        for (const Operation &op : document.operations) {
            BuildInput input;
            // A file's relative server ("/" by default) cannot be sent to: the user picks one.
            const QList<Server> &servers = document.effectiveServers(op);
            if (servers.isEmpty() || !builder.serverUrl(servers.first(), {}, nullptr).scheme().startsWith(QLatin1String("http")))
                input.serverUrl = QStringLiteral("https://api.example.com");
            for (const Server &s : document.effectiveServers(op)) {
                for (const ServerVariable &v : s.variables) {
                    if (v.defaultValue.isEmpty())
                        input.serverVariables.insert(v.name, QStringLiteral("x"));
                }
            }
            const OperationDetails details = reader.read(op);
            for (const Parameter &p : details.parameters) {
                if (!p.required)
                    continue;
                QJsonValue value = examples.forParameter(p).toJson();
                if (value.isNull() || (value.isString() && value.toString().isEmpty()))
                    value = QStringLiteral("1");
                input.parameters.append({p.in, p.name, value});
            }
            if (details.requestBody && !details.requestBody->content.isEmpty()) {
                const MediaType &media = details.requestBody->content.first();
                input.body.contentType = media.contentType;
                if (media.contentType.startsWith(QLatin1String("application/octet-stream"))) {
                    input.body.source = BodyInput::Source::Raw;
                    input.body.raw = "bytes";
                } else {
                    input.body.source = BodyInput::Source::Value;
                    const ExampleValue example = examples.forMediaType(media);
                    input.body.value = example.toJson();
                    if (example.isObject() || example.isArray()) {  // the ordered text is the same JSON
                        QJsonParseError error;
                        const QJsonDocument text = QJsonDocument::fromJson(example.toText(), &error);
                        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
                        QCOMPARE(text.isObject() ? QJsonValue(text.object()) : QJsonValue(text.array()), input.body.value);
                    }
                    if (media.contentType.contains(QLatin1String("form")) && !input.body.value.isObject())
                        input.body.value = QJsonObject();
                }
                ++bodies;
            }
            const BuildResult built = builder.build(op, input);
            QVERIFY2(built.ok(), qPrintable(QStringLiteral("%1 %2: %3").arg(op.method, op.path(), built.ok() ? QString() : built.errors.first().toString())));
            QVERIFY(built.request.url.isValid());
            QVERIFY(!built.request.url.path().contains(QLatin1Char('{')));
            largestBody = qMax(largestBody, built.request.body.size());
        }
        qInfo("%s: %lld operations, %d example bodies (largest %lld bytes) in %lld ms", qPrintable(file),
              qlonglong(document.operations.size()), bodies, largestBody, clock.elapsed());
        QVERIFY2(clock.elapsed() < 60'000, "example generation must stay bounded");
    }
};

QTEST_GUILESS_MAIN(TestRealSpecs)
#include "tst_realspecs.moc"
