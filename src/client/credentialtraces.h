#pragma once

#include "exchange.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace portolan::client {

// The trace of each credential's last login, refresh, revocation,
// introspection or userinfo call made in this session (see TracedAuth). In
// memory only: a trace is written to disk only when the user exports it.
class CredentialTraces : public QObject {
    Q_OBJECT
public:
    struct Trace {
        QString action;  // "login", "refresh", "revoke", "introspect", "userinfo"
        QDateTime at;
        QList<http::Exchange> exchanges;  // redacted, in the order they finished
    };

    using QObject::QObject;

    void keep(const QString &credentialId, const QString &action, const QList<http::Exchange> &exchanges);
    // Empty (no exchanges) when nothing was traced for the credential this session.
    Trace last(const QString &credentialId) const { return m_last.value(credentialId); }

Q_SIGNALS:
    void kept(const QString &credentialId);

private:
    QHash<QString, Trace> m_last;  // by credential id
};

} // namespace portolan::client
