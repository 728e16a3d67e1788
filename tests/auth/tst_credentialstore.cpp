// Credential store round trips through the real OS keychain (gnome-keyring via
// QtKeychain). Run inside dbus-run-session with an unlocked keyring.
#include "credentialstore.h"
#include "jose.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::auth;

class TestCredentialStore : public QObject {
    Q_OBJECT

    static StoreResult save(CredentialStore &store, CredentialInfo info, const Secrets &secrets, QString *id)
    {
        StoreResult result;
        bool done = false;
        store.save(info, secrets, [&](const StoreResult &r, const CredentialInfo &saved) {
            result = r;
            *id = saved.id;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20'000); }();
        return result;
    }

    static SecretsResult read(CredentialStore &store, const QString &id)
    {
        SecretsResult result;
        bool done = false;
        store.readSecrets(id, [&](const SecretsResult &r) { result = r; done = true; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20'000); }();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no D-Bus session for the keychain: run the tests with tests/run-all.sh");
    }

    void keychainRoundTrip()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("credentials.json"));
        const QByteArray apiKey = "ak-" + randomToken(24);
        const QByteArray refreshToken = "rt-" + randomToken(24);
        QString id;
        {
            CredentialStore store(file);
            QSignalSpy changed(&store, &CredentialStore::changed);
            CredentialInfo info;
            info.api = QStringLiteral("https://api.example/openapi.yaml");
            info.scheme = QStringLiteral("key");
            info.kind = CredentialKind::ApiKey;
            info.label = QStringLiteral("production key");
            const StoreResult result = save(store, info, {{QLatin1String(secret::ApiKey), apiKey},
                                                          {QLatin1String(secret::RefreshToken), refreshToken}}, &id);
            QVERIFY2(result.ok, qPrintable(result.error));
            QVERIFY(!result.sessionOnly);
            QCOMPARE(changed.size(), 1);
        }
        // The metadata file holds the credential but none of its secrets.
        QFile metadata(file);
        QVERIFY(metadata.open(QIODevice::ReadOnly));
        const QByteArray content = metadata.readAll();
        QVERIFY(content.contains(id.toLatin1()));
        QVERIFY(content.contains("production key"));
        QVERIFY(!content.contains(apiKey) && !content.contains(apiKey.toBase64()));
        QVERIFY(!content.contains(refreshToken));
        QCOMPARE(int(metadata.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup)), 0);

        // A new store (no in-memory cache) reads the secrets back from the keychain.
        CredentialStore fresh(file);
        QCOMPARE(fresh.list().size(), 1);
        QCOMPARE(fresh.info(id).label, QStringLiteral("production key"));
        QCOMPARE(fresh.resolveId(id.left(6)), id);
        const SecretsResult secrets = read(fresh, id);
        QVERIFY2(secrets.ok, qPrintable(secrets.error));
        QCOMPARE(secrets.secrets.value(QLatin1String(secret::ApiKey)), apiKey);
        QCOMPARE(secrets.secrets.value(QLatin1String(secret::RefreshToken)), refreshToken);

        // Deleting removes the keychain entry, not just the metadata.
        bool removed = false;
        fresh.remove(id, [&](const StoreResult &r) { removed = r.ok; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20'000);
        QVERIFY(fresh.list().isEmpty());
        CredentialStore afterDelete(file);
        QVERIFY(afterDelete.list().isEmpty());
        const SecretsResult gone = read(afterDelete, id);
        QVERIFY(!gone.ok);
        QVERIFY2(gone.error.contains(QStringLiteral("not in the OS keychain")), qPrintable(gone.error));
    }

    void twoProcessesShareTheList()
    {
        // The GUI and the CLI each hold a store on the same file: neither loses the other's credentials.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("credentials.json"));
        CredentialStore gui(file);
        CredentialStore cli(file);
        CredentialInfo info;
        info.scheme = QStringLiteral("first");
        QString first, second;
        QVERIFY(save(gui, info, {{QLatin1String(secret::Token), "t-first"}}, &first).ok);
        info.scheme = QStringLiteral("second");
        QVERIFY(save(cli, info, {{QLatin1String(secret::Token), "t-second"}}, &second).ok);
        QCOMPARE(CredentialStore(file).list().size(), 2);
        QVERIFY(!gui.contains(second));
        gui.reload();
        QVERIFY(gui.contains(second));
        for (const QString &id : {first, second}) {
            bool removed = false;
            gui.remove(id, [&](const StoreResult &r) { removed = r.ok; });
            QTRY_VERIFY_WITH_TIMEOUT(removed, 20'000);
        }
        QVERIFY(CredentialStore(file).list().isEmpty());
    }

    void damagedMetadataIsNotOverwritten()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("credentials.json"));
        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{\"credentials\": [");
        damaged.close();
        CredentialStore store(file);
        QVERIFY(store.loadError().contains(file));
        QString id;
        CredentialInfo info;
        info.scheme = QStringLiteral("bearer");
        const StoreResult result = save(store, info, {{QLatin1String(secret::Token), "t-123456"}}, &id);
        QVERIFY(!result.ok);
        QVERIFY2(result.error.contains(QStringLiteral("could not be read")), qPrintable(result.error));
        QVERIFY(damaged.open(QIODevice::ReadOnly));
        QCOMPARE(damaged.readAll(), QByteArray("{\"credentials\": ["));
        bool removed = false;
        store.remove(id, [&](const StoreResult &) { removed = true; });  // clean the keychain entry up
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20'000);
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
