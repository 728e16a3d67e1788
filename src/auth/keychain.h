#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace portolan::auth {

struct KeychainResult {
    bool ok = false;
    bool notFound = false;  // reading or deleting an entry that does not exist
    QString error;          // for a person: the cause and the fix
    QByteArray data;        // what was read
};

// The one wrapper around QtKeychain: every secret Portolan keeps goes through
// it, under the service "portolan" with the insecure (plain file) fallback
// off. Asynchronous: `done` runs from the event loop, and not at all once
// `context` (not owned) is destroyed.
namespace keychain {
inline constexpr const char *Service = "portolan";

void write(const QString &key, const QByteArray &data, QObject *context, std::function<void(const KeychainResult &)> done);
void read(const QString &key, QObject *context, std::function<void(const KeychainResult &)> done);
void remove(const QString &key, QObject *context, std::function<void(const KeychainResult &)> done);

// Explains a QtKeychain error code for a person: what happened and what to do.
QString errorMessage(int qtKeychainError, const QString &detail);
} // namespace keychain

} // namespace portolan::auth
