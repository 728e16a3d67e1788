#include "loadhelper.h"

#include <QDirIterator>

using namespace portolan;
using namespace portolan::test;

// Real third-party documents from the shared folder beside the project,
// when it is there.
class CorpusTest final : public QObject {
    Q_OBJECT
private:
    QString m_specs = QStringLiteral(PORTOLAN_SOURCE_DIR "/../shared/specs");

    QString spec(const QString &relative) const { return m_specs + QLatin1Char('/') + relative; }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(m_specs))
            QSKIP("../shared/specs is not there");
    }

    void everyDocumentLoadsOrFailsCleanly()
    {
        int loaded = 0, refused = 0;
        QDirIterator it(m_specs, {QStringLiteral("*.yaml"), QStringLiteral("*.yml"), QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const LoadResult r = loadFile(path);
            QVERIFY2(r.document || !r.errors.isEmpty(), qPrintable(path));
            QVERIFY2(!hasDiagnostic(r.errors, QStringLiteral("test: load timed out")), qPrintable(path));
            r.document ? ++loaded : ++refused;
        }
        qInfo("%d documents loaded, %d refused with a diagnostic", loaded, refused);
        QVERIFY(loaded > 100);
    }

    void swaggoMapsEachSwagger2Flow()
    {
        const LoadResult r = loadFile(spec(QStringLiteral("swaggo-swag/example_celler_docs_swagger_swagger.yaml")));
        QVERIFY(r.document);
        QHash<QString, OAuthFlowKind> flows;
        for (const SecurityScheme &s : r.document->securitySchemes) {
            if (s.type == SecuritySchemeType::OAuth2) {
                QCOMPARE(s.flows.size(), 1);
                flows.insert(s.name, s.flows[0].kind);
            }
        }
        QCOMPARE(flows.size(), 4);
        QCOMPARE(flows.value(QStringLiteral("OAuth2Implicit")), OAuthFlowKind::Implicit);
        QCOMPARE(flows.value(QStringLiteral("OAuth2Password")), OAuthFlowKind::Password);
        QCOMPARE(flows.value(QStringLiteral("OAuth2Application")), OAuthFlowKind::ClientCredentials);
        QCOMPARE(flows.value(QStringLiteral("OAuth2AccessCode")), OAuthFlowKind::AuthorizationCode);
        QCOMPARE(r.document->securityScheme(QStringLiteral("BasicAuth"))->scheme, QStringLiteral("basic"));
    }

    void readmeSecurityListsEveryType()
    {
        const LoadResult r = loadFile(spec(QStringLiteral("readme-oas-examples/3.1/yaml/security.yaml")));
        QVERIFY(r.document);
        QSet<QString> kinds;
        for (const SecurityScheme &s : r.document->securitySchemes) {
            QString kind = securitySchemeTypeName(s.type);
            if (s.type == SecuritySchemeType::ApiKey)
                kind += QLatin1Char(':') + s.in;
            if (s.type == SecuritySchemeType::Http)
                kind += QLatin1Char(':') + s.scheme;
            kinds.insert(kind);
            if (s.type == SecuritySchemeType::OAuth2 && s.name == QLatin1String("oauth2"))
                QCOMPARE(s.flows.size(), 4);
        }
        const QSet<QString> expected{QStringLiteral("apiKey:query"), QStringLiteral("apiKey:header"), QStringLiteral("apiKey:cookie"),
                                     QStringLiteral("http:basic"), QStringLiteral("http:bearer"), QStringLiteral("oauth2"),
                                     QStringLiteral("openIdConnect"), QStringLiteral("mutualTLS")};
        QVERIFY2(kinds.contains(expected), qPrintable(QStringList(kinds.begin(), kinds.end()).join(QLatin1Char(' '))));
    }

    void stripeBothFormats()
    {
        const LoadResult json = loadFile(spec(QStringLiteral("stripe/spec3.2022-04-12.json")));
        QVERIFY(json.document);
        QCOMPARE(json.document->operations.size(), 417);
        const LoadResult yaml = loadFile(spec(QStringLiteral("stripe/spec3.2023-09-12.yaml")));
        QVERIFY(yaml.document);
        QCOMPARE(yaml.document->operations.size(), 468);
        QVERIFY(!yaml.document->circularReferences.isEmpty());
    }

    void swaggerParserCircularSpecs()
    {
        const LoadResult r = loadFile(spec(QStringLiteral("swagger-parser-specs/circular/circular.yaml")));
        QVERIFY(r.document);
        QVERIFY(!r.document->circularReferences.isEmpty());
        QVERIFY2(r.document->diagnostics.isEmpty(), qPrintable(dump(r.document->diagnostics)));
        const LoadResult notSwagger = loadFile(spec(QStringLiteral("swagger-parser-specs/invalid/not-swagger.yaml")));
        QVERIFY(!notSwagger.document);
    }

    void oaiWebhookExample()
    {
        const LoadResult r = loadFile(spec(QStringLiteral("oai-examples/v3.1/webhook-example.yaml")));
        QVERIFY(r.document);
        QCOMPARE(r.document->webhooks.size(), 1);
        QCOMPARE(r.document->webhooks[0].path(), QStringLiteral("newPet"));
    }
};

QTEST_MAIN(CorpusTest)
#include "tst_corpus.moc"
