#include "secretvariables.h"

#include "keychain.h"

namespace portolan::http {

SecretVariableStore::SecretVariableStore(QObject *parent) : QObject(parent) {}

QString SecretVariableStore::keychainKey(const QString &environment, const QString &variable)
{
    return QStringLiteral("environment/%1/%2").arg(environment, variable);
}

void SecretVariableStore::save(const QString &environment, const QString &variable, const QString &value,
                               std::function<void(const SecretVariableResult &)> done)
{
    const QString key = keychainKey(environment, variable);
    auth::keychain::write(key, value.toUtf8(), this, [this, key, value, done](const auth::KeychainResult &written) {
        m_memory.insert(key, value);
        done(SecretVariableResult{written.ok, written.error, !written.ok});
    });
}

struct SecretVariableStore::Filling {
    Environment environment;
    QStringList problems;
    qsizetype next = 0;  // the variable to look at next
    std::function<void(const Environment &, const QStringList &)> done;
};

void SecretVariableStore::fill(const Environment &environment,
                               std::function<void(const Environment &, const QStringList &)> done)
{
    fillNext(std::make_shared<Filling>(Filling{environment, {}, 0, std::move(done)}));
}

// Reads the secret variables one after the other; the last answer calls `done`.
void SecretVariableStore::fillNext(const std::shared_ptr<Filling> &filling)
{
    const QList<Variable> &variables = filling->environment.variables;
    while (filling->next < variables.size() && !variables[filling->next].secret)
        ++filling->next;
    if (filling->next == variables.size())
        return filling->done(filling->environment, filling->problems);
    const qsizetype index = filling->next++;
    const QString key = keychainKey(filling->environment.name, variables[index].name);
    if (m_memory.contains(key)) {
        filling->environment.variables[index].value = m_memory.value(key);
        return fillNext(filling);
    }
    auth::keychain::read(key, this, [this, filling, index, key](const auth::KeychainResult &read) {
        Variable &variable = filling->environment.variables[index];
        if (read.ok) {
            variable.value = QString::fromUtf8(read.data);
            m_memory.insert(key, variable.value);
        } else if (!read.notFound) {  // a value never stored is just missing
            filling->problems.append(QStringLiteral("secret variable '%1': %2").arg(variable.name, read.error));
        }
        fillNext(filling);
    });
}

void SecretVariableStore::remove(const QString &environment, const QString &variable,
                                 std::function<void(const SecretVariableResult &)> done)
{
    const QString key = keychainKey(environment, variable);
    m_memory.remove(key);
    auth::keychain::remove(key, this, [done](const auth::KeychainResult &removed) {
        done(SecretVariableResult{removed.ok || removed.notFound, removed.notFound ? QString() : removed.error, false});
    });
}

} // namespace portolan::http
