#pragma once

#include "credential.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace portolan::auth {

struct StoreResult {
    bool ok = true;
    // Set when the keychain failed: says the cause and the fix. With `sessionOnly`
    // the credential still works, from memory, until the program exits.
    QString error;
    bool sessionOnly = false;
    QString keychainProblem;  // the keychain's part of `error`: cause and fix, without the session note
};

struct SecretsResult {
    bool ok = false;
    QString error;
    Secrets secrets;
};

// The one place credentials are listed, saved, read and deleted; the GUI and
// the CLI share it. Metadata (CredentialInfo) goes to a JSON file under the
// application data folder, written atomically; secrets go only to the OS
// keychain (see keychain.h).
// Without a usable keychain the secrets stay in this object's memory, and
// the credential is not written to the file either.
// All keychain access is asynchronous: callbacks run from the event loop.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    // `metadataFile` empty = <AppDataLocation>/credentials.json.
    explicit CredentialStore(const QString &metadataFile = QString(), QObject *parent = nullptr);
    ~CredentialStore() override;

    QString metadataFile() const { return m_file; }
    // Problems reading the metadata file (it is then treated as empty and not overwritten blindly).
    QString loadError() const { return m_loadError; }

    // Rereads the file, e.g. after the CLI or another window changed it.
    void reload();

    QList<CredentialInfo> list() const;
    QList<CredentialInfo> forScheme(const QString &api, const QString &scheme) const;
    bool contains(const QString &id) const { return m_infos.contains(id); }
    CredentialInfo info(const QString &id) const { return m_infos.value(id); }
    // Accepts a unique id prefix too (as the CLI shows short ids); empty when none or ambiguous.
    QString resolveId(const QString &idOrPrefix) const;

    static QString newId();

    // Stores metadata and secrets; `info.id` empty = a new id is made.
    // The callback gets the id actually used through the result's info.
    void save(CredentialInfo info, const Secrets &secrets,
              std::function<void(const StoreResult &, const CredentialInfo &)> done);
    // Changes metadata only (e.g. after introspection); secrets are untouched.
    bool updateInfo(const CredentialInfo &info, QString *error);
    void readSecrets(const QString &id, std::function<void(const SecretsResult &)> done);
    // Removes the keychain entry and the metadata.
    void remove(const QString &id, std::function<void(const StoreResult &)> done);

Q_SIGNALS:
    void changed();

private:
    bool readFile(QHash<QString, CredentialInfo> *infos, QString *error) const;
    void load();
    // Writes the entry `id` as it is in memory now (or its absence) to the file.
    bool persist(const QString &id, QString *error);
    static QString keychainKey(const QString &id);

    QString m_file;
    QString m_loadError;
    QHash<QString, CredentialInfo> m_infos;
    QHash<QString, Secrets> m_memorySecrets;  // session-only credentials, and a cache of read secrets
};

} // namespace portolan::auth
