// apiKey (header, query, cookie), basic, bearer and digest applied by
// RequestSigner to real requests against Debian's httpbin on loopback.
#include "credentialstore.h"
#include "httpbin.h"
#include "requestsigner.h"
#include "tokenclient.h"
#include "tokenmanager.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::auth;

class TestHttpSchemes : public QObject {
    Q_OBJECT

    test::HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    CredentialStore *m_store = nullptr;
    TokenClient *m_client = nullptr;
    TokenManager *m_tokens = nullptr;
    RequestSigner *m_signer = nullptr;
    ApiDocument m_document;

    static SecurityScheme scheme(const QString &name, SecuritySchemeType type, const QString &httpScheme,
                                 const QString &in = {}, const QString &parameter = {})
    {
        SecurityScheme s;
        s.name = name;
        s.type = type;
        s.scheme = httpScheme;
        s.in = in;
        s.parameterName = parameter;
        return s;
    }

    QString store(const QString &schemeName, CredentialKind kind, const Secrets &secrets, const QString &username = {})
    {
        CredentialInfo info;
        info.api = apiIdentity(m_document);
        info.scheme = schemeName;
        info.kind = kind;
        info.username = username;
        QString id;
        m_store->save(info, secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!id.isEmpty(), 20'000); }();
        return id;
    }

    SignResult sign(const SecurityAlternative &alternative, const QUrl &url)
    {
        SignResult result;
        bool done = false;
        m_signer->sign(m_document, alternative, QStringLiteral("GET"), url, [&](const SignResult &r) {
            result = r;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20'000); }();
        return result;
    }

    QNetworkReply *get(const QNetworkRequest &request)
    {
        QNetworkReply *reply = m_network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(15'000);
        reply->deleteLater();
        return reply;
    }

    static int status(QNetworkReply *reply) { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_store = new CredentialStore(m_dir.filePath(QStringLiteral("credentials.json")), this);
        m_client = new TokenClient(&m_network, this);
        m_tokens = new TokenManager(m_store, m_client, this);
        m_signer = new RequestSigner(m_store, m_tokens, this);
        m_document.sourceUrl = QUrl(QStringLiteral("file:///tmp/httpbin-test.yaml"));
        m_document.securitySchemes = {
            scheme(QStringLiteral("basicAuth"), SecuritySchemeType::Http, QStringLiteral("basic")),
            scheme(QStringLiteral("digestAuth"), SecuritySchemeType::Http, QStringLiteral("digest")),
            scheme(QStringLiteral("bearerAuth"), SecuritySchemeType::Http, QStringLiteral("bearer")),
            scheme(QStringLiteral("keyHeader"), SecuritySchemeType::ApiKey, {}, QStringLiteral("header"), QStringLiteral("X-API-Key")),
            scheme(QStringLiteral("keyQuery"), SecuritySchemeType::ApiKey, {}, QStringLiteral("query"), QStringLiteral("api_key")),
            scheme(QStringLiteral("keyCookie"), SecuritySchemeType::ApiKey, {}, QStringLiteral("cookie"), QStringLiteral("session_key")),
        };
    }

    void alternativesFollowStoredCredentials()
    {
        const SecurityRequirement requirement{
            {SchemeUse{QStringLiteral("basicAuth"), {}}},
            {SchemeUse{QStringLiteral("keyHeader"), {}}, SchemeUse{QStringLiteral("keyQuery"), {}}},
            {SchemeUse{QStringLiteral("undeclared"), {}}},
            {},  // `{}`: authentication optional
        };
        QList<AlternativeStatus> statuses = m_signer->evaluate(m_document, requirement);
        QCOMPARE(statuses.size(), 4);
        QVERIFY(!statuses[0].satisfied());
        QCOMPARE(statuses[0].schemes.first().problem, QStringLiteral("no credential stored for basicAuth"));
        QVERIFY(statuses[2].schemes.first().problem.contains(QStringLiteral("not declared")));
        QVERIFY(statuses[3].satisfied());

        store(QStringLiteral("keyHeader"), CredentialKind::ApiKey, {{QLatin1String(secret::ApiKey), "header-key"}});
        statuses = m_signer->evaluate(m_document, requirement);
        QVERIFY(!statuses[1].satisfied());  // an AND-set needs every scheme
        store(QStringLiteral("keyQuery"), CredentialKind::ApiKey, {{QLatin1String(secret::ApiKey), "query key&="}});
        statuses = m_signer->evaluate(m_document, requirement);
        QVERIFY(statuses[1].satisfied());
        QVERIFY(!statuses[0].satisfied());
    }

    void basic()
    {
        const QString id = store(QStringLiteral("basicAuth"), CredentialKind::Basic, {{QLatin1String(secret::Password), "s3cret:pw"}},
                                 QStringLiteral("alice"));
        const SecurityAlternative alternative{SchemeUse{QStringLiteral("basicAuth"), {}}};
        const SignResult signature = sign(alternative, m_httpbin.url(QStringLiteral("/basic-auth/alice/s3cret:pw")));
        QVERIFY2(signature.ok, qPrintable(signature.error));
        QNetworkRequest request(m_httpbin.url(QStringLiteral("/basic-auth/alice/s3cret:pw")));
        signature.auth.applyTo(&request);
        QCOMPARE(status(get(request)), 200);
        QNetworkRequest wrong(m_httpbin.url(QStringLiteral("/basic-auth/alice/other")));
        signature.auth.applyTo(&wrong);
        QCOMPARE(status(get(wrong)), 401);
        bool removed = false;
        m_store->remove(id, [&](const StoreResult &) { removed = true; });
        QTRY_VERIFY(removed);
    }

    void digest_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("MD5") << "MD5";
        QTest::newRow("SHA-256") << "SHA-256";
    }

    void digest()
    {
        QFETCH(QString, algorithm);
        const QString id = store(QStringLiteral("digestAuth"), CredentialKind::Digest,
                                 {{QLatin1String(secret::Password), "digest-pw"}}, QStringLiteral("bob"));
        const QUrl url = m_httpbin.url(QStringLiteral("/digest-auth/auth/bob/digest-pw/") + algorithm);
        const SignResult signature = sign({SchemeUse{QStringLiteral("digestAuth"), {}}}, url);
        QVERIFY(signature.ok);
        QCOMPARE(signature.auth.digestScheme, QStringLiteral("digestAuth"));

        QNetworkReply *challenge = get(QNetworkRequest(url));
        QCOMPARE(status(challenge), 401);
        const QByteArray wwwAuthenticate = challenge->rawHeader("WWW-Authenticate");
        QVERIFY2(wwwAuthenticate.contains(algorithm.toLatin1()), wwwAuthenticate.constData());

        SignResult answer;
        bool done = false;
        m_signer->answerDigest(id, wwwAuthenticate, QStringLiteral("GET"), url, {}, [&](const SignResult &r) {
            answer = r;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY2(answer.ok, qPrintable(answer.error));
        QNetworkRequest request(url);
        answer.auth.applyTo(&request);
        QNetworkReply *reply = get(request);
        QCOMPARE(status(reply), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("user")).toString(), QStringLiteral("bob"));

        // Wrong password: the server refuses the digest.
        const QUrl other = m_httpbin.url(QStringLiteral("/digest-auth/auth/bob/another-pw/") + algorithm);
        QNetworkReply *challenge2 = get(QNetworkRequest(other));
        done = false;
        m_signer->answerDigest(id, challenge2->rawHeader("WWW-Authenticate"), QStringLiteral("GET"), other, {},
                               [&](const SignResult &r) { answer = r; done = true; });
        QTRY_VERIFY(done);
        QNetworkRequest wrong(other);
        answer.auth.applyTo(&wrong);
        QCOMPARE(status(get(wrong)), 401);
        bool removed = false;
        m_store->remove(id, [&](const StoreResult &) { removed = true; });
        QTRY_VERIFY(removed);
    }

    void bearerAndApiKeysTogether()
    {
        store(QStringLiteral("bearerAuth"), CredentialKind::Bearer, {{QLatin1String(secret::Token), "bearer-token.value"}});
        store(QStringLiteral("keyCookie"), CredentialKind::ApiKey, {{QLatin1String(secret::ApiKey), "cookie-key"}});
        const SecurityAlternative alternative{SchemeUse{QStringLiteral("bearerAuth"), {}}, SchemeUse{QStringLiteral("keyHeader"), {}},
                                              SchemeUse{QStringLiteral("keyQuery"), {}}, SchemeUse{QStringLiteral("keyCookie"), {}}};
        const QUrl url = m_httpbin.url(QStringLiteral("/anything?x=1"));
        const SignResult signature = sign(alternative, url);
        QVERIFY2(signature.ok, qPrintable(signature.error));
        QCOMPARE(signature.auth.appliedSchemes.size(), 4);
        QNetworkRequest request(url);
        // Cookies of the request itself (the jar's cookies would replace the header otherwise).
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        request.setRawHeader("Cookie", "theme=dark; session_key=stale");
        signature.auth.applyTo(&request);
        QNetworkReply *reply = get(request);
        QCOMPARE(status(reply), 200);
        const QJsonObject echo = QJsonDocument::fromJson(reply->readAll()).object();
        const QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("Authorization")).toString(), QStringLiteral("Bearer bearer-token.value"));
        QCOMPARE(headers.value(QStringLiteral("X-Api-Key")).toString(), QStringLiteral("header-key"));
        const QString cookie = headers.value(QStringLiteral("Cookie")).toString();
        QVERIFY2(cookie.contains(QStringLiteral("theme=dark")) && cookie.contains(QStringLiteral("session_key=cookie-key"))
                     && !cookie.contains(QStringLiteral("stale")),
                 qPrintable(cookie));
        const QJsonObject args = echo.value(QStringLiteral("args")).toObject();
        QCOMPARE(args.value(QStringLiteral("x")).toString(), QStringLiteral("1"));
        QCOMPARE(args.value(QStringLiteral("api_key")).toString(), QStringLiteral("query key&="));
    }

    void missingCredentialSaysWhich()
    {
        const SignResult result = sign({SchemeUse{QStringLiteral("basicAuth"), {}}}, m_httpbin.url(QStringLiteral("/anything")));
        QVERIFY(!result.ok);
        QVERIFY2(result.error.startsWith(QStringLiteral("basicAuth: no credential")), qPrintable(result.error));
    }
};

QTEST_GUILESS_MAIN(TestHttpSchemes)
#include "tst_httpschemes.moc"
