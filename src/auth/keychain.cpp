#include "keychain.h"

#include <qt6keychain/keychain.h>

namespace portolan::auth::keychain {

namespace {

void run(QKeychain::Job *job, const QString &key, std::function<void(const KeychainResult &)> done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    // The job is a child of the context, so destroying the context drops the callback.
    QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *finished) {
        KeychainResult result;
        result.ok = finished->error() == QKeychain::NoError;
        result.notFound = finished->error() == QKeychain::EntryNotFound;
        if (!result.ok)
            result.error = errorMessage(finished->error(), finished->errorString());
        if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(finished); reader && result.ok)
            result.data = reader->binaryData();
        done(result);
    });
    job->start();
}

} // namespace

void write(const QString &key, const QByteArray &data, QObject *context, std::function<void(const KeychainResult &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(QLatin1String(Service), context);
    job->setBinaryData(data);
    run(job, key, std::move(done));
}

void read(const QString &key, QObject *context, std::function<void(const KeychainResult &)> done)
{
    run(new QKeychain::ReadPasswordJob(QLatin1String(Service), context), key, std::move(done));
}

void remove(const QString &key, QObject *context, std::function<void(const KeychainResult &)> done)
{
    run(new QKeychain::DeletePasswordJob(QLatin1String(Service), context), key, std::move(done));
}

QString errorMessage(int code, const QString &detail)
{
    QString cause;
    QString fix;
    switch (code) {
    case QKeychain::NoBackendAvailable:
        cause = QStringLiteral("no OS keychain (Secret Service) is available");
        fix = QStringLiteral("start and unlock a keyring such as GNOME Keyring or KWallet (it needs a D-Bus session), "
                             "then save the secret again");
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        cause = QStringLiteral("the OS keychain denied access");
        fix = QStringLiteral("unlock the keyring and allow Portolan to use it, then save the secret again");
        break;
    case QKeychain::EntryNotFound:
        cause = QStringLiteral("the secret is not in the OS keychain (it was deleted, or saved in another session "
                               "without a keychain)");
        fix = QStringLiteral("save it again (for a credential: log in again)");
        break;
    default:
        // Typically no D-Bus session bus, or no Secret Service on it.
        cause = QStringLiteral("the OS keychain could not be reached");
        fix = QStringLiteral("Portolan keeps secrets in the Secret Service (GNOME Keyring, KWallet) over the D-Bus "
                             "session bus: make sure a D-Bus session is running and a keyring is started and unlocked, "
                             "then save the secret again");
        break;
    }
    QString message = cause;
    if (!detail.isEmpty())
        message += QStringLiteral(" (%1)").arg(detail);
    return message + QStringLiteral(". Fix: ") + fix + QLatin1Char('.');
}

} // namespace portolan::auth::keychain
