#include "credentialtraces.h"

namespace portolan::client {

void CredentialTraces::keep(const QString &credentialId, const QString &action, const QList<http::Exchange> &exchanges)
{
    if (credentialId.isEmpty() || exchanges.isEmpty())
        return;
    m_last.insert(credentialId, {action, QDateTime::currentDateTimeUtc(), exchanges});
    Q_EMIT kept(credentialId);
}

} // namespace portolan::client
