// Without any secret service: saving says why and what to do, the credential
// works from memory for the session, and no secret byte reaches the disk.
#include "credentialstore.h"
#include "jose.h"

#include <QDirIterator>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::auth;

class TestNoKeychain : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    QStringList filesContaining(const QByteArray &needle)
    {
        QStringList hits;
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
                hits.append(file.fileName());
        }
        return hits;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Before anything touches D-Bus: no session bus, all per-user folders in a temp dir.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/portolan-test-bus");
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_STATE_HOME", m_home.filePath(QStringLiteral("state")).toUtf8());
        QCoreApplication::setApplicationName(QStringLiteral("portolan"));
        QCoreApplication::setOrganizationName(QStringLiteral("portolan"));
        QVERIFY(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).startsWith(m_home.path()));
    }

    void secretsStayInMemory()
    {
        const QByteArray password = "pw-" + randomToken(24);
        CredentialStore store;  // default location: under XDG_DATA_HOME
        QVERIFY(store.metadataFile().startsWith(m_home.path()));
        CredentialInfo info;
        info.api = QStringLiteral("https://api.example/openapi.json");
        info.scheme = QStringLiteral("basicAuth");
        info.kind = CredentialKind::Basic;
        info.username = QStringLiteral("alice");
        StoreResult result;
        QString id;
        bool done = false;
        store.save(info, {{QLatin1String(secret::Password), password}}, [&](const StoreResult &r, const CredentialInfo &saved) {
            result = r;
            id = saved.id;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30'000);
        QVERIFY(!result.ok);
        QVERIFY(result.sessionOnly);
        QVERIFY2(result.error.contains(QStringLiteral("keychain")), qPrintable(result.error));
        QVERIFY2(result.error.contains(QStringLiteral("Fix:")), qPrintable(result.error));
        QVERIFY2(result.error.contains(QStringLiteral("memory for this session only")), qPrintable(result.error));
        QVERIFY(!result.error.contains(QString::fromLatin1(password)));
        QVERIFY(store.info(id).sessionOnly);

        // Usable for this session …
        SecretsResult secrets;
        done = false;
        store.readSecrets(id, [&](const SecretsResult &r) { secrets = r; done = true; });
        QTRY_VERIFY(done);
        QVERIFY(secrets.ok);
        QCOMPARE(secrets.secrets.value(QLatin1String(secret::Password)), password);

        // … but nothing of it on disk, not even the metadata, and gone for the next session.
        QCOMPARE(filesContaining(password), QStringList());
        QCOMPARE(filesContaining(password.toBase64()), QStringList());
        QCOMPARE(filesContaining(id.toLatin1()), QStringList());
        CredentialStore nextSession;
        QVERIFY(nextSession.list().isEmpty());

        bool removed = false;
        store.remove(id, [&](const StoreResult &r) { removed = r.ok; });
        QTRY_VERIFY(removed);
        QVERIFY(store.list().isEmpty());
    }

    void readingWithoutKeychainExplains()
    {
        CredentialStore store(m_home.filePath(QStringLiteral("other.json")));
        SecretsResult secrets;
        bool done = false;
        store.readSecrets(QStringLiteral("0123456789abcdef"), [&](const SecretsResult &r) { secrets = r; done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30'000);
        QVERIFY(!secrets.ok);
        QVERIFY2(secrets.error.contains(QStringLiteral("keychain")) && secrets.error.contains(QStringLiteral("Fix:")),
                 qPrintable(secrets.error));
    }
};

QTEST_GUILESS_MAIN(TestNoKeychain)
#include "tst_nokeychain.moc"
