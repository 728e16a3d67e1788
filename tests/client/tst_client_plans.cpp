// The client core's rules, which both front ends call: relative security URLs
// per OpenAPI version (from a file and from a URL), the login plan, the
// re-login policy, the credential choice and its message, and the request
// plan's validation.
#include "credentialchoice.h"
#include "credentialstore.h"
#include "documentloader.h"
#include "loginmemory.h"
#include "loginplan.h"
#include "requestplan.h"
#include "requestsigner.h"
#include "statichttpserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;

namespace {

const char kOpenApi30[] = R"(openapi: 3.0.3
info: {title: relative 3.0, version: '1'}
servers: [{url: 'https://{host}/v1/', variables: {host: {default: api.example.com}}}]
paths: {}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: oauth/token, scopes: {read: Read}}
        authorizationCode: {authorizationUrl: /authorize, tokenUrl: 'https://idp.example.com/token', scopes: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: .well-known/openid-configuration}
)";

const char kOpenApi31[] = R"(openapi: 3.1.0
info: {title: relative 3.1, version: '1'}
servers: [{url: 'https://api.example.com/v1/'}]
paths: {}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: oauth/token, scopes: {read: Read}}
)";

const char kRequests[] = R"(openapi: 3.1.0
info: {title: requests, version: '1'}
servers:
  - url: 'https://{region}.example.com/{base}'
    variables:
      region: {default: eu, enum: [eu, us]}
      base: {default: v1}
paths:
  /items/{id}:
    get:
      operationId: getItem
      security: [{key: []}, {oauth: [read]}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1, maximum: 99}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: code, in: query, schema: {type: string, pattern: '^[A-Z]{3}$'}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}, maxItems: 2}}
        - {name: size, in: query, schema: {allOf: [{$ref: '#/components/schemas/Size'}]}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, minLength: 4}}
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: open
      security: [{key: []}, {}]
      responses: {'200': {description: ok}}
components:
  schemas:
    Size: {type: number, exclusiveMinimum: 0}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://idp.example.com/token', scopes: {read: Read}}}}
    other: {type: http, scheme: hoba}
)";

std::shared_ptr<const ApiDocument> load(const QUrl &url)
{
    DocumentLoader loader(nullptr);
    QSignalSpy finished(&loader, &DocumentLoader::finished);
    loader.load(url);
    if (!finished.wait(20'000))
        return {};
    return finished.takeFirst().at(0).value<LoadResult>().document;
}

const Operation *operation(const ApiDocument &document, const QString &id)
{
    QString error;
    for (const Operation &o : document.operations)
        if (o.operationId() == id)
            return &o;
    return nullptr;
}

} // namespace

class TestClientPlans : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    test::StaticHttpServer m_server;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(text);
        return file.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server.serve(QStringLiteral("/specs/v30.yaml"), kOpenApi30);
        m_server.serve(QStringLiteral("/specs/v31.yaml"), kOpenApi31);
    }

    // 3.0: against the first server (variables at their defaults); 3.1: against the document, file or URL.
    void relativeSecurityUrls_data()
    {
        QTest::addColumn<QUrl>("source");
        QTest::addColumn<QString>("tokenUrl");
        const QString file31 = write(QStringLiteral("v31.yaml"), kOpenApi31);
        const QString file30 = write(QStringLiteral("v30.yaml"), kOpenApi30);
        QTest::newRow("3.0 from a file") << QUrl::fromLocalFile(file30) << QStringLiteral("https://api.example.com/v1/oauth/token");
        QTest::newRow("3.0 from a URL") << QUrl(m_server.url(QStringLiteral("/specs/v30.yaml")))
                                        << QStringLiteral("https://api.example.com/v1/oauth/token");
        QTest::newRow("3.1 from a file") << QUrl::fromLocalFile(file31)
                                         << QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("oauth/token"))).toString();
        QTest::newRow("3.1 from a URL") << QUrl(m_server.url(QStringLiteral("/specs/v31.yaml")))
                                        << m_server.url(QStringLiteral("/specs/oauth/token"));
    }
    void relativeSecurityUrls()
    {
        QFETCH(QUrl, source);
        QFETCH(QString, tokenUrl);
        const auto document = load(source);
        QVERIFY(document);
        const SecurityScheme *scheme = document->securityScheme(QStringLiteral("oauth"));
        QVERIFY(scheme);
        auth::LoginSettings defaults;
        QString error;
        QVERIFY2(client::flowDefaults(*document, *scheme, OAuthFlowKind::ClientCredentials, &defaults, &error), qPrintable(error));
        QCOMPARE(defaults.tokenUrl.toString(), tokenUrl);
        // The login plan (what both front ends run) resolves the same, and so does a URL typed over it.
        client::LoginInput input;
        input.clientId = QStringLiteral("c");
        input.flow = QStringLiteral("clientCredentials");
        client::LoginPlan plan = client::planLogin(*document, *scheme, input);
        QVERIFY2(plan.ready(), qPrintable(plan.error));
        QCOMPARE(plan.settings.tokenUrl.toString(), tokenUrl);
        input.tokenUrl = QStringLiteral("oauth/token");
        plan = client::planLogin(*document, *scheme, input);
        QCOMPARE(plan.settings.tokenUrl.toString(), tokenUrl);
        if (document->specVersion.startsWith(QLatin1String("3.0"))) {
            QCOMPARE(client::resolveSecurityUrl(*document, QStringLiteral("/authorize")).toString(),
                     QStringLiteral("https://api.example.com/authorize"));
            const SecurityScheme *oidc = document->securityScheme(QStringLiteral("oidc"));
            QVERIFY(client::flowDefaults(*document, *oidc, OAuthFlowKind::AuthorizationCode, &defaults, &error));
            QCOMPARE(defaults.discoveryUrl.toString(), QStringLiteral("https://api.example.com/v1/.well-known/openid-configuration"));
        }
    }

    void loginPlans()
    {
        const auto document = load(QUrl::fromLocalFile(write(QStringLiteral("requests.yaml"), kRequests)));
        QVERIFY(document);
        client::LoginInput input;
        // An HTTP scheme requests could not use is refused, in one place for both front ends.
        client::LoginPlan plan = client::planLogin(*document, *document->securityScheme(QStringLiteral("other")), input);
        QCOMPARE(plan.status, client::LoginPlan::Status::Invalid);
        QVERIFY2(plan.error.contains(QLatin1String("hoba")), qPrintable(plan.error));
        // apiKey: the value typed becomes the secret to store.
        input.secret = "k-123";
        plan = client::planLogin(*document, *document->securityScheme(QStringLiteral("key")), input);
        QVERIFY(plan.ready());
        QCOMPARE(plan.info.kind, auth::CredentialKind::ApiKey);
        QCOMPARE(plan.secrets.value(QLatin1String(auth::secret::ApiKey)), QByteArray("k-123"));
        // OAuth without a client id says what is missing.
        plan = client::planLogin(*document, *document->securityScheme(QStringLiteral("oauth")), client::LoginInput());
        QCOMPARE(plan.status, client::LoginPlan::Status::Invalid);
        QVERIFY(plan.error.contains(QLatin1String("client ID")));
    }

    void relogin()
    {
        const QString file = m_dir.filePath(QStringLiteral("relogin.json"));
        QJsonArray credentials;
        const auto entry = [](const char *id, const char *clientId, const char *subject) {
            return QJsonObject{{"id", id}, {"api", "api"}, {"scheme", "oauth"}, {"kind", "oauth2"},
                               {"clientId", clientId}, {"subject", subject}, {"updated", "2026-01-01T00:00:00Z"}};
        };
        credentials.append(entry("a", "app", "alice"));
        credentials.append(entry("b", "app", "bob"));
        credentials.append(entry("c", "other-app", "alice"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(QJsonObject{{"credentials", credentials}}).toJson());
        out.close();
        const auth::CredentialStore store(file);
        auth::CredentialInfo fresh;
        fresh.api = QStringLiteral("api");
        fresh.scheme = QStringLiteral("oauth");
        fresh.kind = auth::CredentialKind::OAuth2;
        fresh.clientId = QStringLiteral("app");
        fresh.subject = QStringLiteral("bob");
        QCOMPARE(client::credentialToReplace(store, fresh), QStringLiteral("b"));
        fresh.subject = QStringLiteral("carol");
        QCOMPARE(client::credentialToReplace(store, fresh), QString());  // a new subject: kept beside the others
        fresh.clientId = QStringLiteral("other-app");
        fresh.subject = QStringLiteral("alice");
        QCOMPARE(client::credentialToReplace(store, fresh), QStringLiteral("c"));
    }

    void credentialChoice()
    {
        const auto document = load(QUrl::fromLocalFile(write(QStringLiteral("requests.yaml"), kRequests)));
        QVERIFY(document);
        const QString api = auth::apiIdentity(*document);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto entry = [&](const char *id, const char *scheme, const char *kind, int updatedSecondsAgo, int expiresIn,
                               bool refreshable) {
            QJsonObject o{{"id", id}, {"api", api}, {"scheme", scheme}, {"kind", kind},
                          {"updated", now.addSecs(-updatedSecondsAgo).toString(Qt::ISODate)}};
            if (expiresIn != 0)
                o.insert("expiresAt", now.addSecs(expiresIn).toString(Qt::ISODate));
            if (refreshable)
                o.insert("hasRefreshToken", true);
            return o;
        };
        const auto storeWith = [&](const QJsonArray &credentials) {
            const QString file = m_dir.filePath(QStringLiteral("choice.json"));
            QFile out(file);
            out.open(QIODevice::WriteOnly | QIODevice::Truncate);
            out.write(QJsonDocument(QJsonObject{{"credentials", credentials}}).toJson());
            out.close();
            return std::make_unique<auth::CredentialStore>(file);
        };
        const Operation *getItem = operation(*document, QStringLiteral("getItem"));
        const SecurityRequirement requirement = document->effectiveSecurity(*getItem);
        const QString source = QStringLiteral("my api.yaml");

        // Nothing stored: not satisfied, and the message names the schemes and the login commands.
        auto store = storeWith({});
        client::CredentialChoice choice = client::chooseCredentials(*store, *document, requirement, {}, source);
        QVERIFY(!choice.satisfied);
        QVERIFY(choice.alternative.isEmpty());
        QVERIFY2(choice.message.contains(QLatin1String("portolan-cli login 'my api.yaml' --scheme key")), qPrintable(choice.message));
        QVERIFY(choice.message.contains(QLatin1String("--scheme oauth")));

        // The freshest usable credential: an expired token without refresh is passed over for the
        // next alternative; a newer expired-but-refreshable one is used.
        store = storeWith({entry("k1", "key", "apiKey", 50, 0, false), entry("o1", "oauth", "oauth2", 10, -60, false)});
        choice = client::chooseCredentials(*store, *document, requirement, {}, source);
        QVERIFY(choice.satisfied);
        QCOMPARE(client::alternativeText(choice.alternative), QStringLiteral("key"));
        QCOMPARE(choice.credentials.value(QStringLiteral("key")), QStringLiteral("k1"));

        store = storeWith({entry("k1", "key", "apiKey", 50, 0, false), entry("k2", "key", "apiKey", 5, 0, false)});
        choice = client::chooseCredentials(*store, *document, requirement, {}, source);
        QCOMPARE(choice.credentials.value(QStringLiteral("key")), QStringLiteral("k2"));  // the freshest
        client::CredentialRequest request;
        request.saved.insert(QStringLiteral("key"), QStringLiteral("k1"));  // the user's saved choice wins
        choice = client::chooseCredentials(*store, *document, requirement, request, source);
        QCOMPARE(choice.credentials.value(QStringLiteral("key")), QStringLiteral("k1"));

        store = storeWith({entry("k1", "key", "apiKey", 50, 0, false), entry("o1", "oauth", "oauth2", 1, -60, true)});
        request.explicitCredential = QStringLiteral("o1");  // an explicit one wins over everything
        choice = client::chooseCredentials(*store, *document, requirement, request, source);
        QCOMPARE(client::alternativeText(choice.alternative), QStringLiteral("oauth"));
        QCOMPARE(choice.credentials.value(QStringLiteral("oauth")), QStringLiteral("o1"));
        request.explicitCredential = QStringLiteral("nope");
        QVERIFY(!client::chooseCredentials(*store, *document, requirement, request, source).error.isEmpty());
        request = {};
        request.noAuth = true;
        choice = client::chooseCredentials(*store, *document, requirement, request, source);
        QVERIFY(choice.satisfied && choice.alternative.isEmpty());

        // Optional authentication: a stored credential is used, and nothing stored is no warning.
        const Operation *open = operation(*document, QStringLiteral("open"));
        choice = client::chooseCredentials(*store, *document, document->effectiveSecurity(*open), {}, source);
        QCOMPARE(client::alternativeText(choice.alternative), QStringLiteral("key"));
        store = storeWith({});
        choice = client::chooseCredentials(*store, *document, document->effectiveSecurity(*open), {}, source);
        QVERIFY(choice.satisfied);
        QVERIFY(choice.alternative.isEmpty());
    }

    void requestValidation()
    {
        const auto document = load(QUrl::fromLocalFile(write(QStringLiteral("requests.yaml"), kRequests)));
        QVERIFY(document);
        const Operation *getItem = operation(*document, QStringLiteral("getItem"));
        client::RequestInput input;
        input.serverVariables.insert(QStringLiteral("region"), QStringLiteral("mars"));
        input.parameters = {{ParameterLocation::Path, QStringLiteral("id"), QStringLiteral("100")},
                            {std::nullopt, QStringLiteral("sort"), QStringLiteral("up")},
                            {std::nullopt, QStringLiteral("code"), QStringLiteral("ab")},
                            {std::nullopt, QStringLiteral("tags"), QStringLiteral("a,b,c")},
                            {std::nullopt, QStringLiteral("size"), QStringLiteral("big")}};
        client::RequestPlan plan = client::planRequest(*document, *getItem, input);
        QStringList messages = plan.messages();
        QVERIFY(!plan.canSend(true));
        const auto has = [&](const QString &text) {
            return std::any_of(messages.cbegin(), messages.cend(), [&](const QString &m) { return m == text; });
        };
        QVERIFY2(has(QStringLiteral("path parameter 'id': Must be at most 99")), qPrintable(messages.join('\n')));
        QVERIFY(has(QStringLiteral("query parameter 'sort': Must be one of: asc, desc")));
        QVERIFY(has(QStringLiteral("query parameter 'code': Must match ^[A-Z]{3}$")));
        QVERIFY(has(QStringLiteral("query parameter 'tags': At most 2 items")));
        // Its type comes through allOf and a $ref: a number.
        QVERIFY(has(QStringLiteral("query parameter 'size': Must be a number")));
        QVERIFY(has(QStringLiteral("header parameter 'X-Trace': Required")));
        QVERIFY(has(QStringLiteral("server variable 'region': 'mars' is not one of: eu, us")));
        // Sent anyway when the user insists: the values go as typed.
        QVERIFY(plan.canSend(false));
        QCOMPARE(plan.request.url.host(), QStringLiteral("mars.example.com"));

        input.serverVariables.clear();
        input.parameters = {{std::nullopt, QStringLiteral("id"), QStringLiteral("7")},
                            {std::nullopt, QStringLiteral("X-Trace"), QStringLiteral("{{trace}}")}};
        http::Environment environment{QStringLiteral("dev"), {{QStringLiteral("trace"), QStringLiteral("t-1234"), true}}};
        input.environment = environment;
        plan = client::planRequest(*document, *getItem, input);
        QVERIFY2(plan.canSend(true), qPrintable(plan.messages().join('\n')));
        QCOMPARE(plan.request.url.toString(), QStringLiteral("https://eu.example.com/v1/items/7"));
        QCOMPARE(http::headerValue(plan.request.headers, "X-Trace"), QByteArray("t-1234"));
        QCOMPARE(plan.substitution.secrets.size(), 1);

        // An environment without the value: not sent, and the variable is named.
        input.environment = http::Environment{QStringLiteral("empty"), {}};
        plan = client::planRequest(*document, *getItem, input);
        QVERIFY(!plan.canSend(false));
        QVERIFY2(plan.messages().join('\n').contains(QLatin1String("{{trace}}")), qPrintable(plan.messages().join('\n')));
    }

    void loginMemory()
    {
        client::LoginMemory memory(m_dir.filePath(QStringLiteral("login-settings.json")));
        client::LoginInput input;
        input.clientId = QStringLiteral("app");
        input.authMethod = QStringLiteral("private_key_jwt");
        input.scopes = {QStringLiteral("read")};
        input.redirectUri = QStringLiteral("http://127.0.0.1:7777/cb");
        input.tokenParameters = {{QStringLiteral("resource"), QStringLiteral("https://api")}};
        input.clientSecret = "never-written";
        input.password = "never-written";
        QVERIFY(memory.remember(QStringLiteral("api"), QStringLiteral("oauth"), input));
        QFile file(memory.file());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("never-written"));
        const client::LoginInput recalled = memory.recall(QStringLiteral("api"), QStringLiteral("oauth"));
        QCOMPARE(recalled.clientId, input.clientId);
        QCOMPARE(recalled.authMethod, input.authMethod);
        QCOMPARE(recalled.scopes, input.scopes);
        QCOMPARE(recalled.redirectUri, input.redirectUri);
        QCOMPARE(recalled.tokenParameters, input.tokenParameters);
        QVERIFY(!memory.contains(QStringLiteral("api"), QStringLiteral("other")));
        // Options typed win; the rest comes from memory for the same client, and not for another one.
        client::LoginInput typed;
        typed.scopes = {QStringLiteral("write")};
        client::LoginInput filled = memory.withRemembered(QStringLiteral("api"), QStringLiteral("oauth"), typed);
        QCOMPARE(filled.clientId, QStringLiteral("app"));
        QCOMPARE(filled.scopes, QStringList{QStringLiteral("write")});
        QCOMPARE(filled.redirectUri, input.redirectUri);
        typed.clientId = QStringLiteral("another-app");
        filled = memory.withRemembered(QStringLiteral("api"), QStringLiteral("oauth"), typed);
        QCOMPARE(filled.authMethod, QString());
        QCOMPARE(filled.redirectUri, QString());
    }
};

QTEST_GUILESS_MAIN(TestClientPlans)
#include "tst_client_plans.moc"
