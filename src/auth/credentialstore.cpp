#include "credentialstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include "keychain.h"
#include "privatefiles.h"

namespace portolan::auth {

namespace {

QByteArray encodeSecrets(const Secrets &secrets)
{
    QJsonObject object;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
        object.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool decodeSecrets(const QByteArray &data, Secrets *secrets)
{
    const QJsonDocument document = QJsonDocument::fromJson(data);
    if (!document.isObject())
        return false;
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it)
        secrets->insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return true;
}

} // namespace

CredentialStore::CredentialStore(const QString &metadataFile, QObject *parent)
    : QObject(parent)
    , m_file(metadataFile.isEmpty()
                 ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/credentials.json")
                 : metadataFile)
{
    load();
}

CredentialStore::~CredentialStore() = default;

QString CredentialStore::keychainKey(const QString &id) { return QLatin1String("credential/") + id; }

QString CredentialStore::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).remove(QLatin1Char('-')).left(16);
}

bool CredentialStore::readFile(QHash<QString, CredentialInfo> *infos, QString *error) const
{
    QFile file(m_file);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(m_file, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("%1: offset %2: %3").arg(m_file).arg(parseError.offset).arg(parseError.errorString());
        return false;
    }
    for (const QJsonValue &value : document.object().value(QLatin1String("credentials")).toArray()) {
        const CredentialInfo info = CredentialInfo::fromJson(value.toObject());
        if (!info.id.isEmpty())
            infos->insert(info.id, info);
    }
    return true;
}

void CredentialStore::load()
{
    QHash<QString, CredentialInfo> onDisk;
    m_loadError.clear();
    if (!readFile(&onDisk, &m_loadError))
        return;
    // Keep this session's memory-only credentials; take the rest from the file.
    for (auto it = m_infos.cbegin(); it != m_infos.cend(); ++it)
        if (it->sessionOnly)
            onDisk.insert(it.key(), *it);
    m_infos = onDisk;
}

void CredentialStore::reload()
{
    load();
    Q_EMIT changed();
}

bool CredentialStore::persist(const QString &id, QString *error)
{
    // The GUI and the CLI may both have the file open: change only this entry,
    // on top of what is on disk now, under a lock.
    makePrivateDirectory(QFileInfo(m_file).absolutePath());
    QLockFile lock(m_file + QLatin1String(".lock"));
    if (!lock.tryLock(5000)) {
        *error = QStringLiteral("%1 is locked by another Portolan process").arg(m_file);
        return false;
    }
    QHash<QString, CredentialInfo> onDisk;
    QString readError;
    if (!readFile(&onDisk, &readError)) {
        // Never overwrite a file we could not read: the user may want to repair it.
        *error = QStringLiteral("credential list not saved because it could not be read: ") + readError;
        return false;
    }
    const auto mine = m_infos.constFind(id);
    if (mine != m_infos.cend() && !mine->sessionOnly)
        onDisk.insert(id, *mine);
    else
        onDisk.remove(id);

    QJsonArray array;
    QList<CredentialInfo> infos = onDisk.values();
    std::sort(infos.begin(), infos.end(), [](const CredentialInfo &a, const CredentialInfo &b) { return a.id < b.id; });
    for (const CredentialInfo &info : infos)
        array.append(info.toJson());
    QJsonObject root;
    root.insert(QLatin1String("version"), 1);
    root.insert(QLatin1String("credentials"), array);
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: %2").arg(m_file, file.errorString());
        return false;
    }
    makeOwnerOnly(file);
    file.write(QJsonDocument(root).toJson());
    if (!file.commit()) {
        *error = QStringLiteral("%1: %2").arg(m_file, file.errorString());
        return false;
    }
    // Pick up what other processes stored meanwhile.
    for (auto it = onDisk.cbegin(); it != onDisk.cend(); ++it)
        if (!m_infos.contains(it.key()))
            m_infos.insert(it.key(), *it);
    m_loadError.clear();
    return true;
}

QList<CredentialInfo> CredentialStore::list() const
{
    QList<CredentialInfo> infos = m_infos.values();
    std::sort(infos.begin(), infos.end(), [](const CredentialInfo &a, const CredentialInfo &b) {
        return std::tie(a.api, a.scheme, a.created, a.id) < std::tie(b.api, b.scheme, b.created, b.id);
    });
    return infos;
}

QList<CredentialInfo> CredentialStore::forScheme(const QString &api, const QString &scheme) const
{
    QList<CredentialInfo> result;
    for (const CredentialInfo &info : list())
        if (info.api == api && info.scheme == scheme)
            result.append(info);
    // Most recently updated first: that is the one used by default.
    std::stable_sort(result.begin(), result.end(),
                     [](const CredentialInfo &a, const CredentialInfo &b) { return a.updated > b.updated; });
    return result;
}

QString CredentialStore::resolveId(const QString &idOrPrefix) const
{
    if (idOrPrefix.isEmpty())
        return {};
    if (m_infos.contains(idOrPrefix))
        return idOrPrefix;
    QString found;
    for (auto it = m_infos.cbegin(); it != m_infos.cend(); ++it) {
        if (it.key().startsWith(idOrPrefix)) {
            if (!found.isEmpty())
                return {};
            found = it.key();
        }
    }
    return found;
}

void CredentialStore::save(CredentialInfo info, const Secrets &secrets,
                           std::function<void(const StoreResult &, const CredentialInfo &)> done)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (info.id.isEmpty())
        info.id = newId();
    if (!info.created.isValid())
        info.created = m_infos.contains(info.id) ? m_infos.value(info.id).created : now;
    info.updated = now;

    keychain::write(keychainKey(info.id), encodeSecrets(secrets), this,
                    [this, info, secrets, done](const KeychainResult &written) mutable {
        StoreResult result;
        if (!written.ok) {
            result.ok = false;
            result.sessionOnly = true;
            result.keychainProblem = written.error;
            result.error = result.keychainProblem
                + QStringLiteral(" Until then the credential is kept in memory for this session only.");
            info.sessionOnly = true;
        } else {
            info.sessionOnly = false;
        }
        m_memorySecrets.insert(info.id, secrets);
        m_infos.insert(info.id, info);
        QString fileError;
        if (!info.sessionOnly && !persist(info.id, &fileError)) {
            result.ok = false;
            result.error = fileError;
        }
        Q_EMIT changed();
        done(result, info);
    });
}

bool CredentialStore::updateInfo(const CredentialInfo &info, QString *error)
{
    if (!m_infos.contains(info.id)) {
        *error = QStringLiteral("no credential with id %1").arg(info.id);
        return false;
    }
    CredentialInfo updated = info;
    updated.updated = QDateTime::currentDateTimeUtc();
    m_infos.insert(info.id, updated);
    Q_EMIT changed();
    return updated.sessionOnly || persist(info.id, error);
}

void CredentialStore::readSecrets(const QString &id, std::function<void(const SecretsResult &)> done)
{
    if (m_memorySecrets.contains(id)) {
        SecretsResult result;
        result.ok = true;
        result.secrets = m_memorySecrets.value(id);
        done(result);
        return;
    }
    keychain::read(keychainKey(id), this, [this, id, done](const KeychainResult &read) {
        SecretsResult result;
        if (!read.ok) {
            result.error = read.error;
        } else if (!decodeSecrets(read.data, &result.secrets)) {
            result.error = QStringLiteral("the keychain entry for credential %1 is damaged. Fix: delete it and log in again.").arg(id);
        } else {
            result.ok = true;
            m_memorySecrets.insert(id, result.secrets);
        }
        done(result);
    });
}

void CredentialStore::remove(const QString &id, std::function<void(const StoreResult &)> done)
{
    const bool sessionOnly = m_infos.value(id).sessionOnly;
    auto finish = [this, id, done](StoreResult result) {
        m_memorySecrets.remove(id);
        m_infos.remove(id);
        QString fileError;
        if (!persist(id, &fileError) && result.ok) {
            result.ok = false;
            result.error = fileError;
        }
        Q_EMIT changed();
        done(result);
    };
    if (sessionOnly) {
        finish(StoreResult{});
        return;
    }
    keychain::remove(keychainKey(id), this, [finish, done](const KeychainResult &removed) {
        if (!removed.ok && !removed.notFound) {
            // Keep the metadata: dropping it would leave an orphan secret nobody can find to delete.
            StoreResult result;
            result.ok = false;
            result.error = removed.error;
            done(result);
            return;
        }
        finish(StoreResult{});
    });
}

} // namespace portolan::auth
