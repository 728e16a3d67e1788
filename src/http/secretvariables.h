#pragma once

// Values of secret environment variables, kept in the OS keychain like every
// other secret (through the auth engine's keychain wrapper). Part of
// portolan_http_auth: portolan_http itself does not link the auth engine.

#include "environment.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

namespace portolan::http {

struct SecretVariableResult {
    bool ok = false;
    // Why the keychain failed: cause and fix. With `sessionOnly` the value
    // still works, from this object's memory, until the program exits: tell the user.
    QString error;
    bool sessionOnly = false;
};

// Stores and reads the values of secret variables, keyed by environment and
// variable name. Never writes a value anywhere but the keychain: without one,
// the value is kept in this object's memory only.
class SecretVariableStore : public QObject {
    Q_OBJECT
public:
    explicit SecretVariableStore(QObject *parent = nullptr);

    void save(const QString &environment, const QString &variable, const QString &value,
              std::function<void(const SecretVariableResult &)> done);
    // Fills the value of every secret variable of `environment`. A value never
    // stored, or one the keychain cannot give, stays empty (substitution then
    // reports it missing); `problems` say why the keychain failed, one per variable.
    void fill(const Environment &environment, std::function<void(const Environment &, const QStringList &problems)> done);
    // Removes the keychain entry (an absent entry is not an error).
    void remove(const QString &environment, const QString &variable, std::function<void(const SecretVariableResult &)> done);

private:
    struct Filling;
    void fillNext(const std::shared_ptr<Filling> &filling);
    static QString keychainKey(const QString &environment, const QString &variable);

    QHash<QString, QString> m_memory;  // keychain key -> value: session-only values, and a cache of read ones
};

} // namespace portolan::http
