// portolan-cli call --credential: stored credentials (real keychain through
// the auth engine) are applied to requests sent to httpbin, and never shown.
#include "credentialstore.h"
#include "documentloader.h"
#include "httpbin.h"
#include "requestsigner.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using portolan::test::HttpBin;

namespace {
const char kDocument[] = R"(openapi: 3.0.3
info: {title: credential test, version: '1'}
servers: [{url: 'http://127.0.0.1:{port}', variables: {port: {default: '1'}}}]
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    digestAuth: {type: http, scheme: digest}
    key: {type: apiKey, in: query, name: api_key}
paths:
  /basic-auth/{user}/{pw}:
    get:
      operationId: basic
      security: [{basicAuth: []}]
      parameters:
        - {name: user, in: path, required: true, schema: {type: string}}
        - {name: pw, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /digest-auth/auth/{user}/{pw}:
    get:
      operationId: digest
      security: [{digestAuth: []}]
      parameters:
        - {name: user, in: path, required: true, schema: {type: string}}
        - {name: pw, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /anything/keyed:
    get:
      operationId: keyed
      security: [{key: []}]
      responses: {'200': {description: ok}}
)";
} // namespace

class TestCliCredential : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QString m_document;
    QString m_api;
    std::unique_ptr<auth::CredentialStore> m_store;
    QStringList m_saved;
    QString m_saveError;

    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    // The new credential's id, or empty with `m_saveError` saying why: the
    // keychain failing to store it is what these tests exist to catch.
    QString save(const QString &scheme, auth::CredentialKind kind, const QString &user, const auth::Secrets &secrets)
    {
        auth::CredentialInfo info;
        info.api = m_api;
        info.scheme = scheme;
        info.kind = kind;
        info.username = user;
        QSignalSpy spy(m_store.get(), &auth::CredentialStore::changed);
        QString id;
        bool sessionOnly = true;
        m_saveError = QStringLiteral("the credential store did not answer within 10 s");
        m_store->save(info, secrets, [&](const auth::StoreResult &r, const auth::CredentialInfo &saved) {
            id = saved.id;
            sessionOnly = r.sessionOnly;
            m_saveError = QStringLiteral("the keychain did not store the credential: ") + r.error;
        });
        if (!spy.wait(10'000) || sessionOnly)
            return {};
        m_saved.append(id);
        return id;
    }
    int call(const QStringList &arguments, QByteArray *out, QByteArray *err)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dataDir());
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"),
                      QStringList{QStringLiteral("call"), m_document} + arguments
                          + QStringList{QStringLiteral("--server-var"), QStringLiteral("port=%1").arg(m_httpbin.port())});
        process.waitForFinished(30'000);
        *out = process.readAllStandardOutput();
        *err = process.readAllStandardError();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_document = m_dir.filePath(QStringLiteral("api.yaml"));
        QFile file(m_document);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kDocument);
        file.close();
        DocumentLoader loader(nullptr);
        QSignalSpy loaded(&loader, &DocumentLoader::finished);
        loader.load(QUrl::fromLocalFile(m_document));
        QVERIFY(loaded.wait(20'000));
        const LoadResult result = loaded.takeFirst().at(0).value<LoadResult>();
        QVERIFY(result.document);
        m_api = auth::apiIdentity(*result.document);
        m_store = std::make_unique<auth::CredentialStore>(dataDir() + QStringLiteral("/portolan/portolan/credentials.json"));
    }
    void cleanupTestCase()
    {
        for (const QString &id : std::as_const(m_saved)) {
            QSignalSpy spy(m_store.get(), &auth::CredentialStore::changed);
            m_store->remove(id, [](const auth::StoreResult &) {});
            spy.wait(5000);
        }
    }

    void basicCredential()
    {
        const QString id = save(QStringLiteral("basicAuth"), auth::CredentialKind::Basic, QStringLiteral("alice"),
                                {{QString::fromLatin1(auth::secret::Password), "s3cret-pw"}});
        QVERIFY2(!id.isEmpty(), qPrintable(m_saveError));
        QByteArray out, err;
        const int code = call({QStringLiteral("basic"), QStringLiteral("--param"), QStringLiteral("user=alice"), QStringLiteral("--param"),
                               QStringLiteral("pw=s3cret-pw"), QStringLiteral("--credential"), id, QStringLiteral("-v")}, &out, &err);
        QVERIFY2(code == 0, err.constData());
        QVERIFY2(QJsonDocument::fromJson(out).object().value(QStringLiteral("authenticated")).toBool(), out.constData());
        QVERIFY2(err.contains("> Authorization: Basic <credential:" + id.toUtf8() + ">\n"), err.constData());
        QVERIFY(!err.contains(QByteArray("alice:s3cret-pw").toBase64()));
    }

    void digestCredentialAnswersTheChallenge()
    {
        const QString id = save(QStringLiteral("digestAuth"), auth::CredentialKind::Digest, QStringLiteral("bob"),
                                {{QString::fromLatin1(auth::secret::Password), "pw-digest"}});
        QVERIFY2(!id.isEmpty(), qPrintable(m_saveError));
        QByteArray out, err;
        const int code = call({QStringLiteral("digest"), QStringLiteral("--param"), QStringLiteral("user=bob"), QStringLiteral("--param"),
                               QStringLiteral("pw=pw-digest"), QStringLiteral("--credential"), id, QStringLiteral("-v")}, &out, &err);
        QVERIFY2(code == 0, err.constData());
        QVERIFY2(err.contains("< HTTP/1.x 401 UNAUTHORIZED"), err.constData());
        QVERIFY2(err.contains("* hop 2 of 2"), err.constData());
        QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
    }

    void apiKeyInQueryIsNeverStored()
    {
        const QString id = save(QStringLiteral("key"), auth::CredentialKind::ApiKey, {},
                                {{QString::fromLatin1(auth::secret::ApiKey), "k-SECRET-4711"}});
        QVERIFY2(!id.isEmpty(), qPrintable(m_saveError));
        QByteArray out, err;
        const int code = call({QStringLiteral("keyed"), QStringLiteral("--credential"), id.left(8)}, &out, &err);
        QVERIFY2(code == 0, err.constData());
        QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("args")).toObject().value(QStringLiteral("api_key")).toString(),
                 QStringLiteral("k-SECRET-4711"));
        QStringList files;
        for (QDirIterator it(dataDir() + QStringLiteral("/portolan/portolan/history"), QDir::Files, QDirIterator::Subdirectories);
             it.hasNext();)
            files.append(it.next());
        QVERIFY(!files.isEmpty());
        bool referenced = false;
        for (const QString &name : files) {
            QFile f(name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray stored = f.readAll();
            QVERIFY(!stored.contains("k-SECRET-4711"));
            referenced = referenced || stored.contains("%3Ccredential%3A" + id.toUtf8() + "%3E");
        }
        QVERIFY(referenced);  // the key's place in the URL names the credential instead
    }
};

QTEST_GUILESS_MAIN(TestCliCredential)
#include "tst_cli_credential.moc"
